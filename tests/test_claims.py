"""The claims audit of A/76/120: the registry, every claim's rule, the table and the CLI.

Rules are tested on small hand-made inputs whose expected verdict follows from the input by hand
(and, for each rule, a changed input that must change the verdict: the audit is not a table of
constants). The last section runs the audit on the built datasets and checks the verdicts that
the source READMEs state in words.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re

import pandas as pd
import pytest

import tipstats.claims_audit as claims_module
from tipstats.claims_audit import COLUMNS, check, evaluate, inputs_of, status_counts
from tipstats.claims_audit.registry import (
    Claim,
    load_registry,
    normalise,
    paragraph_text,
    quote_failures,
    report_text,
    validate_registry,
    value_written,
)
from tipstats.claims_audit.rules import KINDS, Verdict
from tipstats.claims_audit.rules.base import claim_interval, compare, statement_interval
from tipstats.claims_audit.rules.report import report_dates
from tipstats.claims_audit.rules.treaty import certain_and_possible, joining_windows
from tipstats.cli import claims_exit_code, run_claims
from tipstats.errors import DataValidationError, Failure
from tipstats.render import render


def rule_verdict(claim: Claim, **inputs) -> Verdict:
    """The verdict of ``claim`` by the rule kind its registry row names, on these inputs (the rest loaded)."""
    return check(claim, inputs)


# -- the registry ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def text() -> str:
    return report_text()


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return load_registry()


@pytest.fixture(scope="module")
def claim(registry):
    rows = {row["claim_id"]: Claim.from_row(row) for _, row in registry.iterrows()}
    return rows.__getitem__


# The claims first asked for, written from the issue's text (paragraph: what it says).
ISSUE_CLAIMS = {
    "p02_twentieth_anniversary": "2",
    "p04_period_start": "4",
    "p04_period_end": "4",
    "p05_three_accessions": "5",
    "p05_accession_brunei": "5",
    "p05_accession_comoros": "5",
    "p05_accession_nepal": "5",
    "p05_parties_178": "5",
    "p05_more_than_20_years": "5",
    "p06_countries_assessed": "6",
    "p06_countries_with_legislation": "6",
    "p06_convictions_nearly_tripled": "6",
    "p06_rates_higher_before_2003": "6",
    "p07_member_states_48": "7",
    "p32_rescued_600": "32",
    "p38a_children_over_30": "38(a)",
    "p38a_boys_share_rose": "38(a)",
    "p38a_sexual_exploitation_50": "38(a)",
    "p38a_forced_labour_38": "38(a)",
    "p54_icat_28_members": "54",
    "p74_victims_3500": "74",
    "p75_tenth_anniversary": "75",
    "p75_five_calls": "75",
    "p75_call4_year": "75",
    "p75_call4_projects_32": "75",
    "p75_call4_countries_24": "75",
    "p75_projects_90": "75",
    "p75_countries_50": "75",
    "p75_grants_4_8m": "75",
    "p75_ngos_268": "75",
    "p75_countries_64": "75",
    "p75_proposals_500": "75",
    "p75_countries_88": "75",
    "p75_contributions_2020": "75",
    "p75_funding_target": "75",
    "p77_cumulative_7_9m": "77",
    "p77_member_states_32": "77",
    "p77_private_34": "77",
    "p80_third_appraisal": "80",
}


def test_every_claim_of_the_issue_is_in_the_registry_with_its_paragraph(registry):
    listed = registry.set_index("claim_id")
    missing = set(ISSUE_CLAIMS) - set(listed.index)
    assert not missing
    assert {c: listed.loc[c, "paragraph"] for c in ISSUE_CLAIMS} == ISSUE_CLAIMS
    assert set(listed.loc[list(ISSUE_CLAIMS), "origin"]) == {"issue"}
    # anything else was found by reading the report, and is marked so
    assert set(listed.drop(index=list(ISSUE_CLAIMS))["origin"]) == {"added"}


def test_every_quote_occurs_verbatim_in_the_report(registry, text):
    """Checked with another method than the registry's: the quote's words joined by any white space."""
    for quote in registry["quote"]:
        pattern = r"\s+".join(re.escape(word) for word in quote.split())
        assert re.search(pattern, text), quote


def test_every_quote_lies_in_its_paragraph(registry, text):
    assert quote_failures(registry, text) == []
    # paragraph numbers run from 1 to 81; 42 starts in the middle of a line of the text file
    assert paragraph_text(text, "42").startswith("42. Several organizations reported")
    assert paragraph_text(text, "81").startswith("81. It is recommended")
    assert "178 parties" in paragraph_text(text, "5") and "178 parties" not in paragraph_text(text, "6")


def test_quote_check_catches_a_changed_word_and_a_wrong_paragraph(registry, text):
    bad = registry.copy()
    first = int(bad.index[bad["claim_id"] == "p02_twentieth_anniversary"][0])
    second = int(bad.index[bad["claim_id"] == "p04_period_start"][0])
    bad.loc[first, "quote"] = bad.loc[first, "quote"].replace("twentieth", "thirtieth")
    bad.loc[second, "paragraph"] = "5"
    failures = quote_failures(bad, text)
    assert [(f.row, f.column) for f in failures] == [(first + 2, "quote"), (second + 2, "paragraph")]


def test_whitespace_is_normalised_on_both_sides():
    assert normalise("three  States\n\nacceded\t") == "three States acceded"
    report = "During the reporting period,\n\nthree States acceded to the Protocol"
    frame = pd.DataFrame(
        {"quote": ["During the reporting period, three States acceded"], "paragraph": ["5, footnote 1"]}
    )
    assert quote_failures(frame, report) == []


def test_every_claim_names_a_rule_kind_and_every_kind_is_used(registry):
    assert set(registry["rule"]) == set(KINDS)


def test_a_new_claim_of_a_known_kind_is_a_registry_row_not_code(claim):
    """A claim the code has never seen, checked by an existing kind from its row alone."""
    row = dataclasses.replace(
        claim("p05_accession_comoros"), claim_id="p99_new_accession", params='{"iso3": "BRN"}',
        reported_value="2020-03-30",
    )  # fmt: skip
    events = _events(_event("BRN", "Brunei Darussalam", "2020-03-30", source="untc_tip_2021"))
    assert rule_verdict(row, treaty_events=events).status == "reproduced"
    assert (
        rule_verdict(dataclasses.replace(row, reported_value="2020-03-31"), treaty_events=events).status
        == "differs"
    )


@pytest.mark.parametrize(
    ("rule", "params", "expected"),
    [
        ("no_such_kind", "", "rule"),
        ("accession_date", "", "missing parameter 'iso3'"),
        ("accession_date", '{"iso3": "BRN", "country": "BRN"}', "unknown parameter 'country'"),
        ("accession_date", '{"iso3": ', "a JSON object"),
        ("accession_date", '["BRN"]', "a JSON object"),
    ],
)
def test_registry_rows_name_a_known_kind_with_fitting_params(registry, rule, params, expected):
    frame = registry.copy()
    frame.loc[4, "rule"] = rule
    frame.loc[4, "params"] = params if params else pd.NA
    with pytest.raises(DataValidationError) as info:
        validate_registry(frame)
    (failure,) = info.value.failures
    assert failure.row == 6 and failure.column in ("rule", "params")  # row 6 of the file (header is 1)
    assert expected in failure.check or expected == failure.column


def _one_row(**changes) -> pd.DataFrame:
    row = {
        "claim_id": "p05_parties_178",
        "paragraph": "5",
        "quote": "the Protocol has 178 parties",
        "quantity": "parties",
        "reported_value": "178",
        "unit": "parties",
        "comparator": "exactly",
        "reference_date": "2021-06-09",
        "period_start": None,
        "period_end": None,
        "rule": "party_count",
        "params": '{"table": "untc_tip_2018"}',
        "data_needed": None,
        "origin": "issue",
        "see_also": "01-ratification",
        "source_id": "a76120",
        "note": None,
    }
    row.update(changes)
    return pd.DataFrame([row]).astype("str").replace("None", pd.NA)


def test_model_accepts_a_good_row():
    validate_registry(_one_row())


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"comparator": "roughly"}, "isin"),
        ({"unit": "parsecs"}, "isin"),
        ({"reported_value": "179"}, "not written in the quote"),
        ({"reported_value": "1,78"}, "str_matches"),
        ({"unit": "date"}, "unit 'date'"),
        ({"reference_date": "9 June 2021"}, "str_matches"),
        ({"paragraph": "five"}, "str_matches"),
        ({"source_id": "glotip_2025"}, "isin"),
        ({"see_also": "07-elsewhere"}, "isin"),
        ({"reported_value": None}, "a value is required"),
        ({"period_start": "2021", "period_end": "2019"}, "period_start is after"),
    ],
)
def test_model_rejects_a_bad_row(changes, check):
    with pytest.raises(DataValidationError) as info:
        validate_registry(_one_row(**changes))
    assert any(check in f.check for f in info.value.failures), [f.check for f in info.value.failures]


def test_model_rejects_duplicate_ids():
    with pytest.raises(DataValidationError):
        validate_registry(pd.concat([_one_row(), _one_row()], ignore_index=True))


def test_value_written_reads_digits_words_and_dates():
    assert value_written("a cumulative total of $7.9 million", "7.9", "USD million")
    assert value_written("The 28-member Group", "28", "members")
    assert value_written("had nearly tripled since", "3", "fold")
    assert not value_written("had nearly tripled since", "3", "per cent")
    assert value_written("launched on 1 December 2020", "2020-12-01", "date")
    assert not value_written("launched on 1 December 2020", "2020-12-02", "date")
    assert not value_written("more than 3,500 victims", "350", "victims")


def test_reported_text(claim):
    assert claim("p74_victims_3500").reported_text() == "more than 3,500 victims per year"
    assert claim("p75_grants_4_8m").reported_text() == "USD 4.8 million"
    assert claim("p75_contributions_2020").reported_text() == "USD 790,000"
    assert claim("p06_convictions_nearly_tripled").reported_text() == "nearly 3-fold"
    assert claim("p05_accession_brunei").reported_text() == "2020-03-30"


# -- tolerances -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "comparator", "evidence", "qualifier", "expected"),
    [
        ("178", "exactly", 178.0, None, "agrees"),
        ("178", "exactly", 179.0, None, "disagrees"),
        ("4.8", "exactly", 4.8, None, "agrees"),
        ("4.8", "exactly", 4.9, None, "disagrees"),
        ("600", "about", 640.0, None, "agrees"),  # 600 +/- 50
        ("600", "about", 660.0, None, "disagrees"),
        ("500", "about", 400.0, None, "disagrees"),
        ("3500", "more than", 3500.0, "more than", "agrees"),
        ("3500", "more than", 3600.0, "about", "agrees"),  # 3550-3650 lies above 3500
        ("3500", "more than", 3000.0, "around", "disagrees"),
        ("90", "more than", 90.0, "about", "undecided"),  # 85-95 straddles 90
        ("50", "more than", 60.0, "over", "agrees"),
        ("7", "exactly", 7.0, "more than", "undecided"),
    ],
)
def test_compare_claim_and_statement(value, comparator, evidence, qualifier, expected):
    assert compare(claim_interval(value, comparator), statement_interval(evidence, qualifier)) == expected


def test_counts_are_exact_but_amounts_are_rounded():
    up_to_three = claim_interval("3", "up to")
    assert compare(up_to_three, statement_interval(3.0, None, count=True)) == "agrees"
    assert compare(up_to_three, statement_interval(3.0, None)) == "undecided"
    with pytest.raises(ValueError):
        statement_interval(3.0, "roughly")


# -- internal rules: the report against itself ---------------------------------------------------


def test_p02_anniversary(claim):
    c = claim("p02_twentieth_anniversary")
    assert rule_verdict(c).status == "internal"
    assert rule_verdict(c, protocol_adopted=pd.Timestamp("2001-11-15")).status == "differs"
    assert (
        rule_verdict(dataclasses.replace(c, quote=c.quote.replace("twentieth", "tenth"))).status == "differs"
    )


def test_p04_period_start_against_paragraph_1(claim, text):
    c = claim("p04_period_start")
    assert rule_verdict(c, report_text=text).status == "internal"
    changed = text.replace("The General Assembly, in 2019, adopted", "The General Assembly, in 2018, adopted")
    assert rule_verdict(c, report_text=changed).status == "differs"


def test_p04_period_end_is_the_latest_date_in_the_report(claim, text):
    c = claim("p04_period_end")
    verdict = rule_verdict(c, report_text=text)
    assert verdict.status == "internal" and verdict.computed_value == "2021-07-08"
    later = text + "\nA meeting was held on 3 September 2021.\n"
    assert rule_verdict(c, report_text=later).status == "differs"


def test_report_dates():
    assert [str(d.date()) for d in report_dates("on 15 December\n2020 and 8 July 2021")] == [
        "2020-12-15",
        "2021-07-08",
    ]


@pytest.mark.parametrize("claim_id", ["p05_more_than_20_years", "p70_framework_20_years"])
def test_more_than_20_years(claim, claim_id):
    c = claim(claim_id)
    verdict = rule_verdict(c)
    # 2000-11-15 to mid-2021 is 20 years and about 7 months
    assert verdict.status == "internal" and 20.5 < verdict.computed_value < 20.7
    assert rule_verdict(c, protocol_adopted=pd.Timestamp("2001-11-15")).status == "differs"


def test_p38c_review_20_years(claim):
    c = claim("p38c_review_20_years")
    assert rule_verdict(c).status == "internal"
    assert (
        rule_verdict(dataclasses.replace(c, quote=c.quote.replace("December 2020", "December 2021"))).status
        == "differs"
    )


@pytest.mark.parametrize(
    ("claim_id", "drop"),
    [
        ("p49_two_thematic_areas", " and “Crime prevention and criminal justice” (thematic area 5)"),
        (
            "p38e_two_position_papers",
            " and “The impact and consequences of the COVID-19 pandemic on trafficked and exploited persons”",
        ),
        (
            "p52_ecowas_three_instruments",
            " and the Political Declaration and Common Position against Child Marriage",
        ),
    ],
)
def test_counts_of_named_items(claim, claim_id, drop):
    c = claim(claim_id)
    assert rule_verdict(c).status == "internal"
    assert drop in c.quote
    shorter = rule_verdict(dataclasses.replace(c, quote=c.quote.replace(drop, "")))
    assert shorter.status == "differs" and shorter.computed_value == int(c.value) - 1


def test_years_carried_by_numbers(claim):
    directive = claim("p50_directive_2011")
    assert rule_verdict(directive).status == "internal"
    assert (
        rule_verdict(
            dataclasses.replace(directive, quote=directive.quote.replace("since 2011", "since 2012"))
        ).status
        == "differs"
    )
    resolution = claim("p63_ecosoc_resolution_2017")
    assert rule_verdict(resolution).status == "internal"
    assert (
        rule_verdict(
            dataclasses.replace(resolution, quote=resolution.quote.replace("in 2017", "in 2018"))
        ).status
        == "differs"
    )


def test_p55_same_date_as_paragraph_38c(claim, text):
    c = claim("p55_principals_meeting")
    assert rule_verdict(c, report_text=text).status == "internal"
    changed, n = re.subn(
        r"principal-level meeting held on\s+15 December 2020",
        "principal-level meeting held on 16 December 2020",
        text,
    )
    assert n == 1
    assert rule_verdict(c, report_text=changed).status == "differs"


def test_p75_below_target(claim):
    c = claim("p75_below_target")
    verdict = rule_verdict(c)
    assert verdict.status == "internal" and verdict.computed_value == pytest.approx(
        790_000 / 1_500_000 * 100, abs=0.05
    )
    assert (
        rule_verdict(dataclasses.replace(c, quote=c.quote.replace("$790,000", "$1,790,000"))).status
        == "differs"
    )


def test_p80_third_appraisal(claim):
    c = claim("p80_third_appraisal")
    assert rule_verdict(c).status == "internal"
    assert (
        rule_verdict(dataclasses.replace(c, quote=c.quote.replace("four-year", "two-year"))).status
        == "differs"
    )
    assert rule_verdict(dataclasses.replace(c, quote=c.quote.replace("third", "second"))).status == "differs"


def _names(*pairs) -> pd.DataFrame:
    return pd.DataFrame([{"name": n, "iso3": i, "entity_type": t} for n, i, t in pairs])


def test_p07_member_states(claim):
    c = claim("p07_member_states_48")
    listing = c.quote.split("trafficking in persons:", 1)[1].rstrip(".")
    names = [n.strip() for n in re.split(r", (?![^()]*\))| and ", listing)]
    assert len(names) == 48  # counted here with the issue's reading of the list
    mapping = _names(*[(n, f"{chr(65 + i // 26)}{chr(65 + i % 26)}X", "state") for i, n in enumerate(names)])
    verdict = rule_verdict(c, country_names=mapping)
    assert verdict.status == "internal" and verdict.computed_value == 48
    # a name the mapping does not list, a duplicate code, a non-State: each breaks the check
    assert rule_verdict(c, country_names=mapping.iloc[1:]).status == "differs"
    dup = mapping.copy()
    dup.loc[1, "iso3"] = dup.loc[0, "iso3"]
    assert rule_verdict(c, country_names=dup).status == "differs"
    other = mapping.copy()
    other.loc[0, "entity_type"] = "territory"
    assert rule_verdict(c, country_names=other).status == "differs"
    assert (
        rule_verdict(
            dataclasses.replace(c, quote=c.quote.replace("following 48", "following 49")),
            country_names=mapping,
        ).status
        == "differs"
    )


# -- treaty ---------------------------------------------------------------------------------------


def _event(
    iso3, participant, day=None, lo=None, hi=None, source="tip_evidence", action_type=None, basis="stated"
):
    day = pd.Timestamp(day) if day else pd.NaT
    lo = pd.Timestamp(lo) if lo else day
    hi = pd.Timestamp(hi) if hi else day
    precision = "day" if pd.notna(day) else ("none" if pd.isna(lo) else "window")
    return {
        "iso3": iso3, "participant": participant, "treaty": "tip_protocol", "signature_date": pd.NaT,
        "action_date": day, "action_type": action_type, "date_basis": basis, "action_date_precision": precision,
        "action_date_earliest": lo, "action_date_latest": hi, "source_id": source, "source_url": None, "note": None,
    }  # fmt: skip


def _untc(n: int, first: str = "2002-01-01") -> list[dict]:
    """``n`` UNTC parties, one a week from ``first`` (the 40th on first + 39 weeks)."""
    days = pd.date_range(first, periods=n, freq="7D")
    return [_event(f"Q{i // 26:01d}{chr(65 + i % 26)}", f"State {i}", d, source="untc_tip_2018", action_type="ratification")
            for i, d in enumerate(days)]  # fmt: skip


def _events(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


LATER = [
    _event("BGD", "Bangladesh", "2019-09-12", basis="derived_entry_into_force_30_day_rule"),
    _event("BRN", "Brunei Darussalam", "2020-03-30", action_type="accession"),
    _event("COM", "Comoros", "2020-06-23"),
    _event("NPL", "Nepal", lo="2020-01-01", hi="2020-12-31", action_type="ratification"),
    _event(
        "PLW",
        "Palau",
        lo="2019-04-01",
        hi="2020-03-31",
        action_type="accession",
        basis="inferred_reporting_period",
    ),
    _event("NPL", "Nepal", "2020-06-16", source="a76120", action_type="accession"),
]


def _count(date, parties, source="tip_party_counts", kind="UNODC press release", latest=None):
    return {"date": date, "date_latest": pd.Timestamp(latest or date), "treaty": "tip_protocol", "parties": parties,
            "kind": kind, "source_id": source}  # fmt: skip


COUNTS = [
    _count("2019-09-16", 173),
    _count("2020-07-23", 179),
    _count("2020-10-12", 178, source="tip_party_counts_2018_2024"),
    _count("2021-01", 178, latest="2021-01-31"),
    _count("2021-06-09", 178, kind="claim under test"),
    _count("2021-06-09", 178, source="a76120", kind="UN report A/76/120"),
    _count("2022-11", 180, latest="2022-11-30"),
]


def test_joining_windows_leave_out_the_report_and_undated_rows():
    events = _events(
        *_untc(3), *LATER, _event("NPL", "Nepal", source="tip_evidence_five_states", basis="not_given")
    )
    windows = joining_windows(events).set_index("who")
    assert len(windows) == 3 + 5
    assert (windows.loc["NPL", "earliest"], windows.loc["NPL", "latest"]) == (
        pd.Timestamp("2020-01-01"),
        pd.Timestamp("2020-12-31"),
    )
    assert certain_and_possible(windows, pd.Timestamp("2019-12-31")) == (
        3 + 1,
        1,
    )  # Bangladesh certain, Palau open


def test_p05_parties_178(claim):
    c = claim("p05_parties_178")
    events = _events(*_untc(173), *LATER)
    verdict = rule_verdict(c, party_counts=pd.DataFrame(COUNTS), treaty_events=events)
    assert verdict.status == "consistent" and verdict.computed_value == 178
    assert "173 parties in the UNTC table" in verdict.explanation and "= 178 certainly" in verdict.explanation
    assert "179 (2020-07-23" in verdict.explanation  # the conflicting count is shown
    # the report's own rows never count: without the independent 178s the last count is 179
    only_report = [c_ for c_ in COUNTS if c_["date"] not in ("2020-10-12", "2021-01")]
    assert rule_verdict(c, party_counts=pd.DataFrame(only_report), treaty_events=events).status == "differs"
    # a last count of 177 with 180 next: 178 lies between, undecided
    between = [
        c_ if c_["date"] != "2021-01" else _count("2021-01", 177, latest="2021-01-31") for c_ in COUNTS
    ]
    between = [c_ for c_ in between if c_["date"] != "2020-10-12"]
    assert (
        rule_verdict(c, party_counts=pd.DataFrame(between), treaty_events=events).status == "not reproducible"
    )


@pytest.mark.parametrize(
    ("rows", "status", "value"),
    [
        (
            [_event("BRN", "Brunei Darussalam", "2020-03-30", basis="derived_entry_into_force_30_day_rule")],
            "consistent",
            "2020-03-30",
        ),
        (
            [
                _event(
                    "BRN", "Brunei Darussalam", "2020-03-30", source="untc_tip_2021", action_type="accession"
                )
            ],
            "reproduced",
            "2020-03-30",
        ),
        ([_event("BRN", "Brunei Darussalam", "2020-03-31")], "differs", "2020-03-31"),
        ([_event("BRN", "Brunei Darussalam", lo="2020-03-01", hi="2020-03-31")], "not reproducible", None),
        ([_event("BRN", "Brunei Darussalam", lo="2019-01-01", hi="2019-12-31")], "differs", None),
        ([_event("BRN", "Brunei Darussalam", "2020-03-30", source="a76120")], "not reproducible", None),
    ],
)
def test_p05_accession_dates(claim, rows, status, value):
    verdict = rule_verdict(claim("p05_accession_brunei"), treaty_events=_events(*rows))
    assert verdict.status == status and verdict.computed_value == value


def test_p05_accession_comoros_and_nepal(claim):
    events = _events(*LATER)
    assert rule_verdict(claim("p05_accession_comoros"), treaty_events=events).status == "consistent"
    nepal = rule_verdict(claim("p05_accession_nepal"), treaty_events=events)
    assert nepal.status == "not reproducible" and "ratification" in nepal.explanation
    dated = _events(*LATER, _event("NPL", "Nepal", "2020-06-16", source="tip_evidence_five_states"))
    assert rule_verdict(claim("p05_accession_nepal"), treaty_events=dated).status == "consistent"


def test_p05_three_accessions(claim):
    c = claim("p05_three_accessions")
    counts = pd.DataFrame(COUNTS)
    # Palau's window (Apr 2019 - Mar 2020) overlaps the period's start: 3 certain, 1 possible
    verdict = rule_verdict(c, treaty_events=_events(*_untc(5), *LATER), party_counts=counts)
    assert verdict.status == "not reproducible" and verdict.computed_value == 3
    assert "Palau" in verdict.explanation and "5 new parties" in verdict.explanation
    # Palau dated before the period: exactly three
    settled = [r for r in LATER if r["iso3"] != "PLW"] + [_event("PLW", "Palau", "2019-10-01")]
    assert rule_verdict(c, treaty_events=_events(*settled), party_counts=counts).status == "consistent"
    # a fourth State inside the period: differs
    more = [*settled, _event("AND", "Andorra", "2021-02-01")]
    assert rule_verdict(c, treaty_events=_events(*more), party_counts=counts).status == "differs"


def test_p06_entry_into_force(claim):
    c = claim("p06_entry_into_force_2003")
    # 40th instrument on 2003-09-26: + 90 days = 2003-12-25 (4 + 31 + 30 + 25)
    first = pd.Timestamp("2003-09-26") - pd.Timedelta(weeks=39)
    events = _events(
        *_untc(45, str(first.date())),
        _event(None, "European Union", "2002-01-01", source="untc_tip_2018", action_type="approval"),
    )
    verdict = rule_verdict(c, treaty_events=events)
    assert verdict.status == "reproduced" and verdict.computed_value == "2003-12-25"
    late = _events(*_untc(45, str((first + pd.Timedelta(weeks=2)).date())))  # 40th on 2003-10-10: 2004-01-08
    assert rule_verdict(c, treaty_events=late).status == "differs"
    with pytest.raises(ValueError):
        rule_verdict(c, treaty_events=_events(*_untc(39)))


# -- legislation ----------------------------------------------------------------------------------


def _legis_count(
    count_id, edition, when, with_, assessed, source="glotip_text_figures", share=None, qualifier=None
):
    return {"count_id": count_id, "edition": edition, "date_or_period": when, "reference_year": int(when[:4]),
            "reference_date": pd.Timestamp(when) if len(when) == 7 else pd.NaT,
            "countries_with_legislation": with_, "countries_assessed": assessed, "share_percent": share,
            "qualifier": qualifier, "unit_as_given": None, "definition": "in line with the Protocol",
            "source_id": source}  # fmt: skip


LEGISLATION = pd.DataFrame(
    {"iso3": ["AAA", "BBB", "CCC", "BBB"], "yardstick": ["kelley_full_criminalisation"] * 3 + ["us_tip_report_law"],
     "year": pd.array([2001, 2020, 2020, 2015], dtype="Int64"), "month": pd.array([None, 8, 9, None], dtype="Int64")}
)  # fmt: skip


def test_p06_legislation_counts(claim):
    c = claim("p06_countries_with_legislation")
    base = [
        _legis_count("a76120_para6", "GLOTIP 2020", "2020-08", 169, 181, source="a76120"),
        _legis_count("g18", "GLOTIP 2018", "2018-08", 168, 181),
    ]
    verdict = rule_verdict(c, legislation_counts=pd.DataFrame(base), legislation=LEGISLATION)
    assert (
        verdict.status == "not reproducible" and verdict.computed_value == 168
    )  # the report's own row is not used
    # AAA (2001) and BBB (Aug 2020) count by August 2020; CCC (Sep 2020) does not
    assert "2 countries with a law dated by 2020-08-31" in verdict.explanation
    found = [*base, _legis_count("g20", "GLOTIP 2020", "2020-08", 169, 181)]
    assert (
        rule_verdict(c, legislation_counts=pd.DataFrame(found), legislation=LEGISLATION).status
        == "consistent"
    )
    other = [*base, _legis_count("g20", "GLOTIP 2020", "2020-08", 170, 181)]
    assert (
        rule_verdict(c, legislation_counts=pd.DataFrame(other), legislation=LEGISLATION).status == "differs"
    )
    assessed = rule_verdict(
        claim("p06_countries_assessed"), legislation_counts=pd.DataFrame(found), legislation=LEGISLATION
    )
    assert assessed.status == "consistent" and assessed.computed_value == 181


# -- convictions: the analysis' verdict, mapped ------------------------------------------------------


def _verdicts(tripled="reproduced", higher="inconclusive", primary=True):
    rows = []
    for sid, verdict in (("tripled_since_2003", tripled), ("higher_if_legislated_before_2003", higher)):
        rows.append({"statement_id": sid, "sample": "balanced", "primary": primary, "measure": "ratio",
                     "value": 2.8, "ci_low": 2.6, "ci_high": 3.0, "n_countries": 20, "n_obs": 40,
                     "verdict": verdict, "explanation": "from the analysis"})  # fmt: skip
        rows.append({**rows[-1], "sample": "all reporting", "primary": not primary, "verdict": "differs"})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("verdict", "status"),
    [
        ("reproduced", "reproduced"),
        ("differs", "differs"),
        ("not reproduced", "differs"),
        ("inconclusive", "not reproducible"),
    ],
)
def test_conviction_claims_take_the_analysis_verdict(claim, verdict, status):
    tripled = rule_verdict(
        claim("p06_convictions_nearly_tripled"), convictions_verdicts=_verdicts(tripled=verdict)
    )
    assert tripled.status == status and tripled.computed_value == 2.8
    higher = rule_verdict(
        claim("p06_rates_higher_before_2003"), convictions_verdicts=_verdicts(higher=verdict)
    )
    assert higher.status == status


def test_conviction_claims_use_the_primary_row_and_refuse_unknown_verdicts(claim):
    c = claim("p06_convictions_nearly_tripled")
    assert rule_verdict(c, convictions_verdicts=_verdicts(primary=False)).status == "differs"
    with pytest.raises(ValueError):
        rule_verdict(c, convictions_verdicts=_verdicts(tripled="maybe"))
    recent = rule_verdict(claim("p06_recent_increases"), convictions_verdicts=_verdicts())
    assert recent.status == "not reproducible" and "needs" in recent.explanation


# -- victims --------------------------------------------------------------------------------------


def _share(group, year, share, column="group", basis="published", figure=None, n=None):
    return {"basis": basis, "edition": "GLOTIP 2020" if basis == "published" else None, "year": year, "among": "all",
            column: group, "share": share, "qualifier": None, "figure_id": figure or f"g20_{group}_{year}",
            "n_countries": n}  # fmt: skip


VICTIMS = pd.DataFrame(
    [_share("children", 2004, 13.0), _share("children", 2018, 34.0), _share("boys", 2004, 3.0), _share("boys", 2018, 15.0),
     _share("girls", 2004, 10.0), _share("girls", 2018, 19.0),
     _share("girls", 2018, 19.1, basis="computed", n=29), _share("boys", 2018, 14.7, basis="computed", n=29)]
)  # fmt: skip


def test_p38a_children(claim):
    c = claim("p38a_children_over_30")
    verdict = rule_verdict(c, victim_shares=VICTIMS)
    assert verdict.status == "consistent" and verdict.computed_value == 34.0
    assert "33.8 per cent over 29 countries" in verdict.explanation  # girls + boys, computed
    lower = VICTIMS.assign(
        share=VICTIMS["share"].where(~((VICTIMS["group"] == "children") & (VICTIMS["year"] == 2018)), 28.0)
    )
    assert rule_verdict(c, victim_shares=lower).status == "differs"
    assert rule_verdict(c, victim_shares=VICTIMS[VICTIMS["group"] != "children"]).status == "not reproducible"


def test_p38a_boys_against_girls(claim):
    c = claim("p38a_boys_share_rose")
    verdict = rule_verdict(c, victim_shares=VICTIMS)
    assert verdict.status == "consistent" and verdict.computed_value == 12.0
    swapped = VICTIMS.assign(group=VICTIMS["group"].replace({"boys": "girls", "girls": "boys"}))
    assert rule_verdict(c, victim_shares=swapped).status == "differs"


def test_p38a_forms_of_exploitation(claim):
    forms = pd.DataFrame(
        [
            _share("sexual_exploitation", 2018, 50.0, column="form"),
            _share("forced_labour", 2018, 38.0, column="form"),
        ]
    )
    assert (
        rule_verdict(claim("p38a_sexual_exploitation_50"), exploitation_shares=forms).status == "consistent"
    )
    assert rule_verdict(claim("p38a_forced_labour_38"), exploitation_shares=forms).status == "consistent"
    other = forms.assign(share=[47.0, 38.0])
    assert rule_verdict(claim("p38a_sexual_exploitation_50"), exploitation_shares=other).status == "differs"


# -- trust fund -----------------------------------------------------------------------------------


def _tf(quantity, value, unit, when, qualifier=None, figure="unvtf_900", document="a UNODC page"):
    day = pd.Timestamp(when) if len(when) == 10 else pd.NaT
    precision = {10: "day", 7: "month", 4: "year"}.get(len(when), "period")
    return {"figure_id": figure, "quantity": quantity, "value": float(value), "unit": unit, "qualifier": qualifier,
            "date_or_period": when, "date": day, "year": int(when[:4]) if precision != "period" else None,
            "date_precision": precision, "source_document": document, "source_id": "unvtf_figures"}  # fmt: skip


def _fund(*rows) -> pd.DataFrame:
    return pd.DataFrame([{**r, "figure_id": f"unvtf_{i:03d}"} for i, r in enumerate(rows, 1)])


@pytest.mark.parametrize(
    ("claim_id", "rows", "status"),
    [
        (
            "p74_victims_3500",
            [_tf("victims_assisted_per_year", 3500, "persons per year", "2021-03-08", "more than")],
            "consistent",
        ),
        (
            "p74_victims_3500",
            [_tf("victims_assisted_per_year", 3000, "persons per year", "2021-03-08", "around")],
            "differs",
        ),
        (
            "p74_victims_3500",
            [_tf("victims_assisted_per_year", 5000, "persons per year", "2023-05-23", "over")],
            "not reproducible",
        ),
        (
            "p75_grants_4_8m",
            [_tf("cumulative_grants_awarded_since_inception", 4_800_000, "USD", "2021-03-08")],
            "consistent",
        ),
        (
            "p75_grants_4_8m",
            [_tf("cumulative_grants_awarded_since_inception", 4.6, "USD million", "2021-03-08")],
            "differs",
        ),
        (
            "p75_grants_4_8m",
            [_tf("cumulative_grants_awarded_since_inception", 6, "USD million", "2020-04-09")],
            "differs",
        ),
        (
            "p75_grants_4_8m",
            [_tf("cumulative_grants_awarded_since_inception", 4, "USD million", "2020-04-09")],
            "not reproducible",
        ),
        (
            "p75_projects_90",
            [_tf("cumulative_ngo_projects_funded", 90, "projects", "2021-03-08", "more than")],
            "consistent",
        ),
        (
            "p75_countries_50",
            [_tf("cumulative_project_countries", 60, "countries", "2023-05-23", "over")],
            "not reproducible",
        ),
        ("p75_countries_50", [_tf("cumulative_project_countries", 55, "countries", "2021-05")], "consistent"),
        ("p75_call4_projects_32", [_tf("call4_projects_awarded", 32, "projects", "2020")], "consistent"),
        ("p75_call4_projects_32", [_tf("call4_projects_awarded", 31, "projects", "2020")], "differs"),
        ("p75_call4_countries_24", [_tf("call4_project_countries", 24, "countries", "2020")], "consistent"),
        ("p75_ngos_268", [_tf("call4_applicant_ngos", 268, "NGOs", "2020")], "consistent"),
        ("p75_ngos_268", [_tf("call4_applicant_ngos", 268, "NGOs", "2019")], "not reproducible"),
        ("p75_countries_64", [_tf("call4_applicant_countries", 64, "countries", "2020")], "consistent"),
        # same-quantity rule: one window of a later call is context, never compared
        (
            "p75_proposals_500",
            [_tf("call5_applications_received", 400, "applications", "2021-11-09")],
            "not reproducible",
        ),
        (
            "p75_proposals_500",
            [_tf("call5_applications_received", 520, "applications", "2021-06-30")],
            "not reproducible",
        ),
        (
            "p75_proposals_500",
            [_tf("proposals_received_2021_h1", 520, "proposals", "2021-06-30")],
            "consistent",
        ),
        ("p75_proposals_500", [_tf("proposals_received_2021_h1", 400, "proposals", "2021-06-30")], "differs"),
        # evidence dated after the report neither confirms nor refutes it
        (
            "p75_proposals_500",
            [_tf("proposals_received_2021_h1", 400, "proposals", "2021-11-09")],
            "not reproducible",
        ),
        (
            "p75_countries_88",
            [_tf("call5_applicant_countries", 60, "countries", "2021-11-09")],
            "not reproducible",
        ),
        ("p75_countries_88", [_tf("proposal_countries_2021_h1", 60, "countries", "2021-07")], "differs"),
        (
            "p75_contributions_2020",
            [_tf("contributions_received_in_year", 0.5, "USD million", "2019", "close to")],
            "not reproducible",
        ),
        (
            "p75_contributions_2020",
            [_tf("contributions_received_in_year", 0.79, "USD million", "2020")],
            "consistent",
        ),
        (
            "p75_funding_target",
            [_tf("pledges_at_ga_high_level_meeting", 1.5, "USD million", "2017-09", "nearly")],
            "not reproducible",
        ),
        ("p75_funding_target", [_tf("annual_funding_target", 1.5, "USD million", "2020")], "consistent"),
        (
            "p76_three_calls_per_year",
            [_tf("call4_grant_windows_operated", 3, "grant windows", "2020")],
            "not reproducible",
        ),
        ("p76_three_calls_per_year", [_tf("calls_permitted_per_year", 3, "calls", "2020")], "consistent"),
        ("p76_three_calls_per_year", [_tf("calls_permitted_per_year", 4, "calls", "2020")], "differs"),
        (
            "p77_cumulative_7_9m",
            [_tf("cumulative_contributions_since_inception", 7, "USD million", "2020-04-09")],
            "not reproducible",
        ),
        (
            "p77_cumulative_7_9m",
            [_tf("cumulative_contributions_since_inception", 8.5, "USD million", "2020-04-09")],
            "differs",
        ),
        (
            "p77_member_states_32",
            [_tf("cumulative_contributing_member_states", 31, "Member States", "2020-04-09")],
            "not reproducible",
        ),
        (
            "p77_member_states_32",
            [_tf("cumulative_contributing_member_states", 33, "Member States", "2020-04-09")],
            "differs",
        ),
        (
            "p77_private_34",
            [_tf("cumulative_contributors_second_category", 34, "contributors", "2021-04")],
            "consistent",
        ),
    ],
)
def test_trust_fund_statements(claim, claim_id, rows, status):
    assert rule_verdict(claim(claim_id), trust_fund=_fund(*rows)).status == status


def test_trust_fund_rows_of_other_currencies_are_not_compared(claim):
    rows = _fund(_tf("cumulative_grants_awarded_since_inception", 4.8, "EUR million", "2021-03-08"))
    assert rule_verdict(claim("p75_grants_4_8m"), trust_fund=rows).status == "not reproducible"


def test_p75_tenth_anniversary(claim):
    c = claim("p75_tenth_anniversary")
    rows = [
        _tf("pledging_governments_first_two_weeks", 6, "governments", "2010-11-19"),
        _tf("call4_projects_awarded", 32, "projects", "2020"),
    ]
    assert rule_verdict(c, trust_fund=_fund(*rows)).status == "consistent"
    assert (
        rule_verdict(c, trust_fund=_fund(*rows[1:], _tf("call1_x", 1, "projects", "2011-10"))).status
        == "differs"
    )


def test_p75_five_calls(claim):
    c = claim("p75_five_calls")
    calls = [_tf("call1_ngos_awarded", 11, "NGOs", "2011-2014"), _tf("call2_ngos_awarded", 23, "NGOs", "2014 (launch) - 2017"),
             _tf("call3_grant_size_min", 20000, "USD", "2018", "minimum"), _tf("call4_projects_awarded", 32, "projects", "2020"),
             _tf("call5_projects_awarded", 10, "projects", "2021-11-09"), _tf("call6_sgp2_projects_awarded", 5, "projects", "2022-11-22")]  # fmt: skip
    # the fifth call appears only in a page of November 2021, after the report (dates, not years, compared)
    verdict = rule_verdict(c, trust_fund=_fund(*calls))
    assert verdict.status == "not reproducible" and verdict.computed_value == 4
    assert "call 5 first appears 2021-11-09" in verdict.explanation
    # a source dated before the report's period end documents it: five calls
    dated = [*calls[:4], _tf("call5_projects_awarded", 10, "projects", "2021-06-30"), calls[5]]
    verdict = rule_verdict(c, trust_fund=_fund(*dated))
    assert verdict.status == "consistent" and verdict.computed_value == 5
    assert (
        rule_verdict(c, trust_fund=_fund(*dated[:1], *dated[2:])).status == "differs"
    )  # call 2 unaccounted for


def test_p75_call4_year(claim):
    c = claim("p75_call4_year")
    in_2020 = _fund(
        _tf("call4_projects_awarded", 32, "projects", "2020"),
        _tf("call4_sgp2_projects_awarded", 16, "projects", "2020-08-28"),
    )
    verdict = rule_verdict(c, trust_fund=in_2020)
    assert verdict.status == "differs" and verdict.computed_value == 2020
    assert (
        rule_verdict(c, trust_fund=_fund(_tf("call4_projects_awarded", 32, "projects", "2019"))).status
        == "consistent"
    )


def test_p75_call5_launch(claim):
    c = claim("p75_call5_launch")
    assert (
        rule_verdict(c, trust_fund=_fund(_tf("call5_projects_awarded", 10, "projects", "2021-11-09"))).status
        == "not reproducible"
    )
    assert (
        rule_verdict(c, trust_fund=_fund(_tf("call5_projects_awarded", 10, "projects", "2020-11-09"))).status
        == "differs"
    )


def test_dated_events(claim):
    cop = claim("p61_cop10_october_2020")
    counts = pd.DataFrame([{"kind": "UNODC press release (opening of COP 10)", "date": "2020-10-12"}])
    assert rule_verdict(cop, party_counts=counts).status == "consistent"
    assert rule_verdict(cop, party_counts=counts.assign(date="2020-11-12")).status == "differs"
    assert rule_verdict(cop, party_counts=counts.assign(kind="news")).status == "not reproducible"
    congress = claim("p62_crime_congress_march_2021")
    speech = _fund(
        _tf("x", 1, "projects", "2021-03-08", document="UNODC speech, 14th UN Crime Congress special event")
    )
    assert rule_verdict(congress, trust_fund=speech).status == "consistent"
    moved = speech.assign(date=pd.Timestamp("2021-04-20"))
    assert rule_verdict(congress, trust_fund=moved).status == "differs"


@pytest.mark.parametrize(
    "claim_id", ["p32_rescued_600", "p38c_six_areas", "p54_icat_28_members", "p56_side_event_100"]
)
def test_statements_no_dataset_covers_name_the_data_needed(claim, claim_id):
    verdict = rule_verdict(claim(claim_id))
    assert verdict.status == "not reproducible" and verdict.explanation.startswith("needs ")


# -- the table ------------------------------------------------------------------------------------


def test_a_rule_that_raises_gives_a_failed_row_not_an_exception(claim):
    verdict = evaluate(claim("p74_victims_3500"), {"trust_fund": pd.DataFrame({"nothing": [1]})})
    assert verdict["status"] == "failed" and "computation failed" in verdict["explanation"]
    assert list(verdict) == COLUMNS


def test_inputs_are_named_by_the_rule_kind_and_its_dataset_parameter(claim):
    assert inputs_of(claim("p05_parties_178")) == ["party_counts", "treaty_events"]
    assert inputs_of(claim("p49_two_thematic_areas")) == []  # the quote alone
    assert inputs_of(claim("p61_cop10_october_2020")) == ["party_counts"]  # named by params.dataset
    assert inputs_of(claim("p38a_forced_labour_38")) == ["exploitation_shares"]


def test_every_input_is_a_dataset_or_a_named_extra(registry):
    import tipstats

    every = {name for _, row in registry.iterrows() for name in inputs_of(Claim.from_row(row))}
    from tipstats.claims_audit.rules.base import RAW_INPUTS
    from tipstats.paths import RAW_DIR

    extras = {"report_text", "report_as_of", "convictions_verdicts", "protocol_adopted", *RAW_INPUTS}
    assert every - extras <= set(tipstats.list_datasets())
    # a raw input is a file the sources registry knows
    assert all((RAW_DIR / path).is_file() for paths in RAW_INPUTS.values() for path in paths)


def test_claims_runs_on_given_inputs_and_loads_each_input_once(registry, monkeypatch):
    loads = []

    def fake_loader(name):
        loads.append(name)
        raise FileNotFoundError(f"{name} is not built")

    monkeypatch.setattr(claims_module, "default_input", fake_loader)
    table = claims_module.audit(registry=registry, inputs={"report_text": report_text()})
    assert list(table.columns) == COLUMNS and len(table) == len(registry)
    assert sorted(loads) == sorted(set(loads))  # a failed input is not loaded again
    # quote-only rules need no data at all; the others fail, each with the loader's message
    assert table.set_index("claim_id").loc["p80_third_appraisal", "status"] == "internal"
    failed = table[table["status"] == "failed"]
    assert len(failed) and failed["explanation"].str.contains("is not built").all()


TABLE = pd.DataFrame(
    [
        ["p01_a", "1", "¶1: things", "three things were counted", "things", "3 things", "3", "reproduced",
         "official count", "2020-01-01", "dataset x", "same", "00-claims-audit"],
        ["p02_b", "2", "¶2: pipes | bars", "about five bars", "pipes | bars", "about 5 bars", "7", "differs",
         "secondary page", "2021", "dataset y", "7, not 5", "05-trust-fund"],
        ["p03_c", "3", "¶3: dates", "the year 2020 marked", "dates", "2020", "2020", "internal", "report itself", "",
         "quote", "2000 + 20", "00-claims-audit"],
    ],
    columns=COLUMNS,
)  # fmt: skip


def test_status_counts():
    counts = status_counts(TABLE)
    assert counts.to_dict() == {
        "reproduced": 1,
        "consistent": 0,
        "differs": 1,
        "not reproducible": 0,
        "internal": 1,
        "failed": 0,
    }


@pytest.mark.parametrize("fmt", ["table", "text", "csv", "json", "markdown"])
def test_formats(fmt, capsys):
    assert run_claims(fmt, False, None, table=TABLE) == 0
    out = capsys.readouterr().out
    if fmt == "csv":
        pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False), TABLE)
    elif fmt == "json":
        assert json.loads(out) == TABLE.to_dict(orient="records")
    elif fmt == "markdown":
        rows = [line for line in out.splitlines() if line.startswith("| p0")]
        assert len(rows) == 3 and "pipes \\| bars" in rows[1]
        assert "| differs | 1 |" in out
    elif fmt == "text":
        assert all(f"\u201c{quote}\u201d" in out for quote in TABLE["quote"])
        assert "Strength of evidence:" in out
    else:
        assert all(claim_id in out for claim_id in TABLE["claim_id"])
        assert "differs: 1" in out


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        render(TABLE, "xml")


def test_exit_codes(tmp_path, capsys):
    assert run_claims("csv", True, None, table=TABLE) == 1  # --strict and a claim differs
    assert "p02_b" in capsys.readouterr().err
    agreed = TABLE[TABLE["status"] != "differs"]
    assert run_claims("csv", True, None, table=agreed) == 0
    failed = TABLE.assign(status=["reproduced", "failed", "internal"])
    assert run_claims("csv", False, tmp_path / "out.csv", table=failed) == 1
    assert (tmp_path / "out.csv").read_text().startswith(",".join(COLUMNS))


def test_cli_calls_run_claims(monkeypatch, tmp_path):
    from tipstats.cli import main

    monkeypatch.setattr(claims_module, "audit", lambda: TABLE)
    out = tmp_path / "claims.md"
    assert main(["claims", "--format", "markdown", "--output", str(out)]) == 0
    assert out.read_text().count("| p0") == 3
    assert main(["claims", "--format", "json", "--strict", "--output", str(tmp_path / "c.json")]) == 1


def test_cli_reports_a_bad_registry(monkeypatch, capsys):
    from tipstats.cli import main

    def bad():
        raise DataValidationError([Failure("claims.csv", 2, "quote", "occurs verbatim in A/76/120", "x")])

    monkeypatch.setattr(claims_module, "audit", bad)
    assert main(["claims"]) == 1


def test_tipstats_claims_is_the_audit_whichever_import_came_first():
    import tipstats
    import tipstats.claims_audit.rules  # noqa: F401  (binds the package, not the function)

    assert tipstats.claims is tipstats.audit is claims_module.audit
    assert not callable(claims_module)  # no module that pretends to be a function


def test_a_notebook_closes_with_its_own_claims(registry):
    table = claims_module.audit(notebook="02-legislation")
    assert list(table.columns) == claims_module.READING_COLUMNS
    assert list(table["claim_id"]) == list(registry.loc[registry["see_also"] == "02-legislation", "claim_id"])
    with pytest.raises(ValueError, match="did you mean '02-legislation'"):
        claims_module.audit(notebook="02-legislatoin")


# -- the audit on the built datasets -----------------------------------------------------------------


@pytest.fixture(scope="module")
def audit():
    return claims_module.audit().set_index("claim_id")


def test_every_claim_gets_a_verdict(audit, registry):
    assert list(audit.index) == list(registry["claim_id"])
    assert set(audit["status"]) <= set(claims_module.STATUSES), audit.loc[
        audit["status"] == "failed", "explanation"
    ].to_dict()
    assert (audit["explanation"].str.len() > 0).all() and (audit["evidence"].str.len() > 0).all()


@pytest.mark.parametrize(
    ("claim_id", "status"),
    [
        # treaty README, section 4: 178 is consistent with the Oct 2020 and Jan 2021 counts
        ("p05_parties_178", "consistent"),
        # Brunei and Comoros: deposit dates derived from the Dutch treaty database equal the report's
        ("p05_accession_brunei", "consistent"),
        ("p05_accession_comoros", "consistent"),
        # Nepal: 'year consistent; day unverified'
        ("p05_accession_nepal", "not reproducible"),
        # 'three accessions': Palau's date unresolved
        ("p05_three_accessions", "not reproducible"),
        # legislation README: 169 of 181 not found in any machine-readable source
        ("p06_countries_with_legislation", "not reproducible"),
        # GLOTIP README section 4: 34 % children, 50 % sexual exploitation, 38 % forced labour (GLOTIP 2020)
        ("p38a_children_over_30", "consistent"),
        ("p38a_sexual_exploitation_50", "consistent"),
        ("p38a_forced_labour_38", "consistent"),
        # trust fund README: confirmed / not confirmed / year 2020 not 2019
        ("p74_victims_3500", "consistent"),
        ("p75_grants_4_8m", "consistent"),
        ("p75_projects_90", "consistent"),
        ("p75_ngos_268", "consistent"),
        ("p75_call4_projects_32", "consistent"),
        ("p75_call4_year", "differs"),
        ("p75_countries_50", "not reproducible"),
        ("p75_contributions_2020", "not reproducible"),
        ("p75_funding_target", "not reproducible"),
        ("p77_cumulative_7_9m", "not reproducible"),
        # 48 names listed in paragraph 7 (counted above), all in country_names
        ("p07_member_states_48", "internal"),
        ("p80_third_appraisal", "internal"),
    ],
)
def test_verdicts_on_the_built_data_match_what_the_sources_say(audit, claim_id, status):
    assert audit.loc[claim_id, "status"] == status, audit.loc[claim_id, "explanation"]


def test_the_fourth_call_verdict_shows_both_years(audit):
    row = audit.loc["p75_call4_year"]
    assert row["reported"] == "2019" and "2020" in row["computed"]
    assert "2020" in row["explanation"] and "2019" in row["explanation"]


def test_the_parties_verdict_explains_the_gap_to_the_untc_table(audit):
    explanation = audit.loc["p05_parties_178", "explanation"]
    assert "173 parties in the UNTC table" in explanation  # the January 2018 table (treaty README)
    for state in ("Bangladesh", "Brunei Darussalam", "Comoros", "Nepal", "Palau"):
        assert state in explanation
    assert "179" in explanation  # UNODC Eastern Africa's conflicting 'Comoros 179th'


def test_cli_on_the_real_audit(audit, tmp_path):
    """Every claim has a verdict, so plain `tipstats claims` exits 0; `--strict` exits 1 (the fourth call's year)."""
    from tipstats.cli import main

    assert claims_exit_code(audit.reset_index(), strict=False) == 0
    out = tmp_path / "claims.md"
    assert main(["claims", "--strict", "--format", "markdown", "--output", str(out)]) == 1
    text = out.read_text()
    assert len(re.findall(r"\n\| p\d", text)) == len(load_registry())
    assert "| p75_call4_year | 75 |" in text


def test_the_registry_is_validated_once_per_process_until_its_file_changes(tmp_path, monkeypatch):
    import os
    import shutil

    import tipstats.claims_audit.registry as reg

    path = tmp_path / "claims.csv"
    shutil.copy(reg.REFERENCE_DIR / reg.REGISTRY_FILE, path)
    calls = []
    validate = reg.validate_registry
    monkeypatch.setattr(reg, "validate_registry", lambda *a, **k: calls.append(1) or validate(*a, **k))
    first = reg.load_registry(path)
    first.loc[first.index[0], "quote"] = "changed by the caller"  # a caller's copy, not the kept frame
    second = reg.load_registry(path)
    assert (
        len(calls) == 1
        and second.equals(reg.load_registry(path))
        and second["quote"].iloc[0] != "changed by the caller"
    )
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # one claim fewer
    os.utime(path, ns=(1, 1))
    assert len(reg.load_registry(path)) == len(second) - 1 and len(calls) == 2
