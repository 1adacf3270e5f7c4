"""The rule kinds added for full coverage of A/76/120: each on hand-made inputs, and a changed input that
changes its verdict (arithmetic, the same thing said twice, dates inside the period, other sources' words)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from tipstats.claims_audit import check
from tipstats.claims_audit.registry import Claim, load_registry, number_value, report_text, value_written
from tipstats.claims_audit.rules.base import strength_of, strongest
from tipstats.claims_audit.rules.events import mention_bounds
from tipstats.claims_audit.rules.report import canonical, safe_eval, where_dated


@pytest.fixture(scope="module")
def text() -> str:
    return report_text()


@pytest.fixture(scope="module")
def claim():
    rows = {row["claim_id"]: Claim.from_row(row) for _, row in load_registry().iterrows()}
    return rows.__getitem__


def with_quote(c: Claim, old: str, new: str) -> Claim:
    assert old in c.quote
    return dataclasses.replace(c, quote=c.quote.replace(old, new))


def test_number_words():
    assert [number_value(w) for w in ("thirty-sixth", "Fourteenth", "20th", "3,500", "ten", "first")] == [
        36, 14, 20, 3500, 10, 1,
    ]  # fmt: skip
    with pytest.raises(ValueError):
        number_value("record")
    assert value_written("the thirty-sixth ordinary session", "36", "ordinal")
    assert not value_written("the thirty-sixth ordinary session", "35", "ordinal")


def test_safe_eval_refuses_anything_but_arithmetic():
    assert safe_eval("nth == areas + 1", {"nth": 5, "areas": 4}) is True
    assert safe_eval("end - start == n", {"end": 2030, "start": 2020, "n": 9}) is False
    for bad in ("open('x')", "nth.__class__", "[1][0]"):
        with pytest.raises(ValueError):
            safe_eval(bad, {"nth": 1})


def test_arithmetic_in_the_quote(claim, text):
    ten = claim("p51_ten_year_plan")
    assert check(ten, {"report_text": text}).status == "internal"
    changed = with_quote(ten, "(2020–2030)", "(2020–2031)")
    verdict = check(changed, {"report_text": text})
    assert verdict.status == "differs" and "end = 2031" in verdict.explanation


def test_arithmetic_with_a_number_from_another_paragraph(claim, text):
    fifth = claim("p08_fifth_thematic_focus")
    verdict = check(fifth, {"report_text": text})
    assert verdict.status == "internal" and "areas = 4" in verdict.computed
    assert verdict.strength == "report itself"
    assert check(with_quote(fifth, "a fifth", "a sixth"), {"report_text": text}).status == "differs"
    # the other paragraph changed: three areas, then a fifth does not follow
    changed = text.replace("according to the four thematic areas", "according to the three thematic areas")
    assert changed != text
    assert check(fifth, {"report_text": changed}).status == "differs"


def test_resolution_numbers_against_the_session(claim, text):
    assert check(claim("p61_resolutions_tenth_session"), {"report_text": text}).status == "internal"
    assert check(claim("p61_resolution_10_3"), {"report_text": text}).status == "internal"
    moved = with_quote(claim("p61_resolution_10_3"), "resolution 10/3", "resolution 9/3")
    assert check(moved, {"report_text": text}).status == "differs"


def test_same_elsewhere_compares_dates_numbers_and_words(claim, text):
    assert canonical("15 December 2020") == "2020-12-15" and canonical("seventy-sixth") == "76"
    session = claim("p04_seventy_sixth_session")
    verdict = check(session, {"report_text": text})
    assert verdict.status == "internal" and "'76'" in verdict.computed
    assert (
        check(with_quote(session, "seventy-sixth", "seventy-fifth"), {"report_text": text}).status
        == "differs"
    )
    cop = claim("p56_side_event_cop10")
    assert check(cop, {"report_text": text}).status == "internal"
    later = text.replace(
        "at its tenth session, held in October 2020", "at its tenth session, held in November 2020"
    )
    assert later != text
    assert check(cop, {"report_text": later}).status == "differs"


def test_date_in_period(claim, text):
    icao = claim("p34_icao_january_2020")
    verdict = check(icao, {"report_text": text})
    assert (
        verdict.status == "internal"
        and "inside the reporting period 2019-12-18 to 2021-07-08" in verdict.explanation
    )
    before = dataclasses.replace(icao, reported_value="2019-11", reference_date="2019-11")
    assert check(before, {"report_text": text}).status == "differs"
    year = claim("p50_eu_strategy_2021")  # 2021 overlaps a period that ends in July 2021
    assert "partly inside" in check(year, {"report_text": text}).explanation


def test_the_period_end_names_its_latest_date_from_the_text(claim, text):
    verdict = check(claim("p04_period_end"), {"report_text": text})
    assert "paragraph 37" in verdict.explanation and "published on 8 July 2021" in verdict.explanation
    assert where_dated(
        "1. The Group met on 2 May 2021.\n2. It met again on 3 May 2021.", pd.Timestamp("2021-05-03")
    ) == ("paragraph 2: 'It met again on 3 May 2021'")


def test_mention_bounds():
    assert mention_bounds("Jan 2021", "month")[0] == pd.Timestamp("2021-01-01")
    assert mention_bounds("020221", "ddmmyy")[0] == pd.Timestamp("2021-02-02")
    assert mention_bounds("2020-2023", "period")[1] == pd.Timestamp("2023-12-31")
    with pytest.raises(ValueError):
        mention_bounds("Foo 2021", "month")


def _glotip_inputs(label: str, url: str) -> dict:
    counts = pd.DataFrame(
        {"kind": [f"UNODC Global Report on Trafficking in Persons 2020 (published {label})"]}
    )
    figures = pd.DataFrame({"source_url": [url]})
    return {"party_counts": counts, "glotip_text_figures": figures}


def test_source_mentions_the_strongest_source_decides_and_every_value_is_listed(claim):
    glotip = claim("p38a_glotip_february_2021")
    url = "https://unodc.org/unodc/en/speeches/2021/glotipmedia-020221.html"
    verdict = check(glotip, _glotip_inputs("Jan 2021", url))
    assert verdict.status == "consistent" and verdict.strength == "primary UN/UNODC document"
    assert "'Jan 2021'" in verdict.explanation and "conflicting (weaker)" in verdict.explanation
    assert "2021-01-01 to 2021-01-31" in verdict.source_dates and "2021-02-02" in verdict.source_dates
    # the UNODC address dated in January: the strongest source now disagrees
    verdict = check(glotip, _glotip_inputs("Feb 2021", url.replace("020221", "280121")))
    assert verdict.status == "differs"
    # no source mentions it
    empty = {
        "party_counts": pd.DataFrame({"kind": ["x"]}),
        "glotip_text_figures": pd.DataFrame({"source_url": ["y"]}),
    }
    assert check(glotip, empty).status == "not reproducible"


def test_source_mentions_compares_a_period(claim):
    board = claim("p78_board_term")
    page = {"trust_fund": pd.DataFrame({"date_or_period": ["undated (page names 2020-2023 Board)"]})}
    verdict = check(board, page)
    assert verdict.status == "differs" and "'2020-2023'" in verdict.explanation
    assert verdict.strength == "curation label"
    same = {"trust_fund": pd.DataFrame({"date_or_period": ["undated (page names 2020-2022 Board)"]})}
    assert check(board, same).status == "consistent"


def test_strength_classes():
    assert strength_of("UNODC press release (opening of COP 10)") == "primary UN/UNODC document"
    assert strength_of("Blog repost of UN news item") == "secondary page"
    assert strength_of("UNTC status table header") == "official count"
    assert strength_of("derived_entry_into_force_30_day_rule") == "curation label"
    assert strongest(iter(["secondary page", "official count"])) == "official count"
    assert strongest([]) == "none"


def test_vague_quantifiers_name_what_would_decide_them(claim, text):
    most = claim("p08_most_states_frameworks")
    assert most.reported_text() == "most States"
    verdict = check(most, {})
    assert verdict.status == "not reproducible" and "48 States" in verdict.explanation
    assert verdict.strength == "none"


# -- verdict standards ------------------------------------------------------------------------------------


def _events(day: str, basis: str, source: str = "tip_evidence") -> pd.DataFrame:
    return pd.DataFrame(
        [{"iso3": "COM", "participant": "Comoros", "treaty": "tip_protocol", "action_date": day, "action_type": "",
          "date_basis": basis, "action_date_earliest": day, "action_date_latest": day, "source_id": source,
          "source_url": "https://inview.nl/x"}]
    )  # fmt: skip


EVIDENCE = pd.DataFrame(
    [
        {"participant": "Comoros", "evidence_kind": "entry_into_force_date", "value_as_given_in_source": "23-07-2020",
         "date_as_given_iso": "2020-07-23", "implied_deposit_date_derived": "2020-06-23",
         "source_url": "https://inview.nl/x"},
        {"participant": "Comoros", "evidence_kind": "news", "value_as_given_in_source": "the 179th State Party",
         "date_as_given_iso": "2020-07-23", "implied_deposit_date_derived": None,
         "source_url": "https://www.unodc.org/easternafrica/x"},
        {"participant": "Comoros", "evidence_kind": "speech", "value_as_given_in_source": "le 17 juin 2020",
         "date_as_given_iso": "2020-06-17", "implied_deposit_date_derived": None,
         "source_url": "https://www.africa-press.net/x"},
    ]
)  # fmt: skip


def test_a_conflict_is_shown_with_every_value_and_source_and_a_derived_day_says_so(claim):
    comoros = claim("p05_accession_comoros")
    verdict = check(comoros, {"treaty_events": _events("2020-06-23", "derived_entry_into_force_30_day_rule"),
                              "treaty_evidence": EVIDENCE})  # fmt: skip
    assert verdict.status == "consistent" and verdict.strength == "curation label"
    for words in ("179th State Party", "le 17 juin 2020", "derived (entry into force - 30 days)", "www.unodc.org",
                  "africa-press", "rests only on a curation label"):  # fmt: skip
        assert words in verdict.explanation, words
    # the same day stated by the depositary's table: official, no longer 'derived'
    stated = check(comoros, {"treaty_events": _events("2020-06-23", "stated", "untc_tip_2018"),
                             "treaty_evidence": EVIDENCE.iloc[0:0]})  # fmt: skip
    assert stated.status == "reproduced" and stated.strength == "official count"
    assert "derived" not in stated.explanation
    # another day: differs, and the evidence rows are still listed
    other = check(comoros, {"treaty_events": _events("2020-06-17", "stated"), "treaty_evidence": EVIDENCE})
    assert other.status == "differs" and "179th" in other.explanation


def _legislation(flags: str) -> pd.DataFrame:
    return pd.DataFrame(
        [{"iso3": "ZWE", "country": "Zimbabwe", "yardstick": "us_tip_report_law", "year": 2014, "month": 6,
          "flags": flags, "assessment_in_source": "NOT in line: a crime of transportation", "source_id": "x"},
         {"iso3": "BRB", "country": "Barbados", "yardstick": "us_tip_report_law", "year": 2016, "month": 6,
          "flags": "", "assessment_in_source": "generally in line", "source_id": "x"}]
    )  # fmt: skip


def test_rows_not_in_line_with_the_protocol_are_left_out_with_a_warning(claim):
    import tipstats

    counts = tipstats.load("legislation_counts")
    c = claim("p06_countries_with_legislation")
    flagged = check(
        c,
        {"legislation_counts": counts, "legislation": _legislation("partial_or_not_in_line_by_us_yardstick")},
    )
    assert (
        "1 countries with a law" in flagged.explanation
        and "warning, another yardstick" in flagged.explanation
    )
    assert "Zimbabwe (NOT in line" in flagged.explanation
    plain = check(c, {"legislation_counts": counts, "legislation": _legislation("")})
    assert "2 countries with a law" in plain.explanation and "warning" not in plain.explanation


def test_the_audit_carries_quote_label_strength_and_source_dates():
    import tipstats
    from tipstats.claims_audit import COLUMNS, strength_counts, weak_consistent
    from tipstats.claims_audit.rules.base import STRENGTHS

    table = tipstats.audit()
    assert {"quote", "label", "strength", "source_dates"} <= set(COLUMNS) == set(table.columns)
    registry = load_registry()
    assert list(table["quote"]) == list(registry["quote"])
    assert set(table["strength"]) <= set(STRENGTHS)
    assert (table.loc[table["status"] == "internal", "strength"] == "report itself").all()
    counts = strength_counts(table)
    assert int(counts.to_numpy().sum()) == len(table)
    weak = weak_consistent(table)
    assert set(weak["claim_id"]) >= {"p05_accession_comoros"}
    assert weak["explanation"].str.contains("rests only on").all()
    row = table.set_index("claim_id").loc["p75_projects_90"]
    assert row["source_dates"] == "2021-03-08" and row["label"].startswith("¶75: ")
