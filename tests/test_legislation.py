"""Legislation: the Kelley derivation, its cross-checks, the evidence rows, the panel and the published counts.

Expectations come from the raw files read here with plain pandas (a different method from the builder),
from the facts the legislation README states, or from small hand-made inputs.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tipstats.errors import DataValidationError
from tipstats.pipeline import legislation as leg
from tipstats.pipeline import legislation_counts as leg_counts
from tipstats.raw import raw_model
from tipstats.schemas.base import validate
from tipstats.schemas.legislation import Legislation, LegislationCounts, LegislationPanel
from tipstats.sources import read_registry, source_id

KELLEY = "kelley_full_criminalisation"
EVIDENCE = "us_tip_report_law"


def read(raw_dir, path) -> pd.DataFrame:
    return pd.read_csv(raw_dir / path, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def kelley(built):
    frame = built["legislation"]
    return frame[frame["yardstick"] == KELLEY].set_index("iso3")


@pytest.fixture(scope="module")
def panel_raw(raw_dir):
    return read(raw_dir, "legislation/kelley_criminalization_jk_2015-08-10.csv")


@pytest.fixture(scope="module")
def by_country(raw_dir):
    return read(raw_dir, "legislation/derived_kelley_criminalization_year_by_country.csv")


def as_int(value):
    return None if pd.isna(value) else int(value)


def int_dict(series: pd.Series) -> dict:
    return {key: as_int(value) for key, value in series.items()}


# -- the Kelley rows against independent sources --------------------------------------------------


def test_every_kelley_country_has_one_row(kelley, by_country):
    assert len(kelley) == 180
    assert set(kelley.index) == set(by_country["iso3"])
    assert kelley["source_id"].eq("kelley_panel").all()


def test_year_agrees_with_derived_file_for_all_180_countries(kelley, by_country):
    theirs = by_country.set_index("iso3")
    mismatches = {
        iso3: (as_int(kelley.at[iso3, "year"]), as_int(theirs.at[iso3, "year_full_criminalization"]))
        for iso3 in theirs.index
        if as_int(kelley.at[iso3, "year"]) != as_int(theirs.at[iso3, "year_full_criminalization"])
    }
    assert mismatches == {}


def test_month_agrees_with_derived_file_for_crim_events(kelley, by_country):
    events = by_country[by_country["year_source"] == "crim==1 event year"].set_index("iso3")
    assert len(events) == 129
    assert int_dict(kelley.loc[events.index, "month"]) == int_dict(events["full_crim_event_month"])


def test_observation_span_and_last_level_agree_with_derived_file(kelley, by_country):
    theirs = by_country.set_index("iso3")
    for column, their_column in [
        ("last_year_observed", "last_year_observed"),
        ("level_at_last_observation", "crimlevel_at_last_observed"),
    ]:
        assert int_dict(kelley[column]) == int_dict(theirs[their_column]), column
    first = int_dict(kelley["first_year_observed"])
    their_first = int_dict(theirs["first_year_observed"])
    differ = {k for k in first if first[k] != their_first[k]}
    # only Bosnia and Herzegovina: its 1967 artefact is not an observation for tipstats
    assert differ == {"BIH"}
    assert first["BIH"] == 1992 and their_first["BIH"] == 1967


def test_cumulative_crim_events_reproduce_book_figure_6_3(kelley, raw_dir):
    figure = read(raw_dir, "legislation/kelley_data_figure6_3.csv")
    events = kelley.loc[kelley["year_basis"] == "crim_event", "year"].astype(int)
    for row in figure.itertuples(index=False):
        year, expected = int(row[0]), int(row[2])
        assert (events <= year).sum() == expected, year
    assert figure["Year"].astype(int).tolist() == list(range(2000, 2015))


@pytest.mark.parametrize(("end_of", "expected"), [(2002, 15), (2003, 28), (2011, 117), (2014, 130)])
def test_readme_counts_of_fully_criminalised_countries(kelley, end_of, expected):
    assert (kelley["year"] <= end_of).sum() == expected


def test_readme_status_at_last_observation(kelley):
    levels = kelley["level_at_last_observation"]
    assert (levels == 2).sum() == 130
    assert (levels == 1).sum() == 31
    assert (levels == 0).sum() == 9
    assert levels.isna().sum() == 10


def test_year_recomputed_from_panel_with_a_different_method(kelley, panel_raw, by_country):
    """crim == 1 event years by a plain filter; everything else falls back to the first level-2 year."""
    iso3 = by_country.set_index(by_country["ccode_cow"])["iso3"]
    panel = panel_raw.assign(iso3=panel_raw["ccode"].map(iso3), year=panel_raw["year"].astype(int))
    events = panel[panel["crim"] == "1"].set_index("iso3")["year"]
    # full levels after independence years only (rules out Bosnia's stray 1967 value)
    full = panel[(panel["crimlevel"] == "2") & (panel["year"] > 1967)].groupby("iso3")["year"].min()
    expected = full.copy()
    expected.update(events)
    ours = kelley["year"].dropna().astype(int)
    assert ours.to_dict() == expected.astype(int).to_dict()
    fallback = set(full.index) - set(events.index)
    assert fallback == {"AGO"}
    assert kelley.at["AGO", "year_basis"] == "first_crimlevel_2"
    assert "year_from_first_crimlevel_2" in kelley.at["AGO", "flags"]


def test_countries_without_data_and_not_criminalised_have_no_year(kelley):
    no_data = kelley[kelley["flags"].fillna("").str.contains("no_kelley_data")]
    assert sorted(no_data["country"]) == sorted(
        ["CapeVerde", "Dominica", "Grenada", "MarshallIs", "Micronesia", "Samoa", "SaoT&P", "SolomanIs",
         "Somalia", "Vanuatu"]
    )  # fmt: skip
    assert no_data["year"].isna().all() and no_data["level_at_last_observation"].isna().all()
    not_full = kelley[kelley["level_at_last_observation"] < 2]
    assert len(not_full) == 40 and not_full["year"].isna().all() and not_full["month"].isna().all()
    assert not_full["flags"].str.contains("not_full_at_last_observation").all()


def test_quirk_flags(kelley):
    flagged = {flag: set(kelley.index[kelley["flags"].fillna("").str.contains(flag)]) for flag in [
        "not_updated_after_2011", "isolated_1967_level_2_ignored", "adjcrimlevel_drops_in_event_year"]}  # fmt: skip
    assert flagged["not_updated_after_2011"] == {"CAF", "COD", "SYC", "KNA"}
    assert flagged["isolated_1967_level_2_ignored"] == {"BIH"}
    assert flagged["adjcrimlevel_drops_in_event_year"] == {"IRL", "MLI"}
    assert as_int(kelley.at["BIH", "year"]) == 2003


def test_cohorts_of_the_convictions_analysis(kelley):
    """The year is the calendar year of enactment: the README's 'before 2003' group is 15 countries."""
    year = kelley["year"]
    assert (year < 2003).sum() == 15
    assert ((year >= 2003) & (year <= 2008)).sum() == 88 - 15  # Figure 6.3: 88 by 2008
    assert (year >= 2009).sum() == 130 - 88
    assert year.isna().sum() == 50


# -- the evidence rows ----------------------------------------------------------------------------


def test_evidence_rows_stay_separate_from_kelley_rows(built, raw_dir):
    frame = built["legislation"]
    evidence = frame[frame["yardstick"] == EVIDENCE]
    raw = read(raw_dir, "legislation/legislation_post2014_evidence_2014_2021.csv")
    assert len(evidence) == 21 and set(evidence["iso3"]) == set(raw["iso3"])
    assert evidence["source_id"].eq("legislation_evidence_2014_2021").all()
    kelley_rows = frame[frame["yardstick"] == KELLEY].set_index("iso3")
    # the later laws never change a Kelley row: all 21 stay without a Kelley year
    assert kelley_rows.loc[raw["iso3"], "year"].isna().all()
    evidence_only = [
        "date_as_given",
        "date_kind",
        "law_as_named",
        "assessment_in_source",
        "quote",
        "source_url",
    ]
    assert kelley_rows[evidence_only].isna().all().all()
    assert (
        evidence[["level_at_last_observation", "first_year_observed", "last_year_observed"]]
        .isna()
        .all()
        .all()
    )


def test_evidence_words_kept_as_given(built, raw_dir):
    raw = read(raw_dir, "legislation/legislation_post2014_evidence_2014_2021.csv").set_index("iso3")
    frame = built["legislation"]
    evidence = frame[frame["yardstick"] == EVIDENCE].set_index("iso3").loc[raw.index]
    assert evidence["date_as_given"].tolist() == raw["date_or_year_as_given"].tolist()
    assert evidence["date_kind"].tolist() == raw["date_kind"].tolist()
    assert evidence["quote"].tolist() == raw["quote"].tolist()
    assert evidence["country"].tolist() == raw["country"].tolist()


def test_evidence_year_rule_on_the_real_rows(built, raw_dir):
    raw = read(raw_dir, "legislation/legislation_post2014_evidence_2014_2021.csv").set_index("iso3")
    frame = built["legislation"]
    ev = frame[frame["yardstick"] == EVIDENCE].set_index("iso3")
    plain = raw.index[~raw["date_kind"].str.startswith("commencement") & raw["year_as_given"].notna()]
    assert len(plain) == 18
    assert ev.loc[plain, "year"].astype(int).tolist() == raw.loc[plain, "year_as_given"].astype(int).tolist()
    # South Africa: assented 28 July 2013, in force 9 August 2015 -> the enactment (assent) year
    assert (as_int(ev.at["ZAF", "year"]), as_int(ev.at["ZAF", "month"])) == (2013, 7)
    assert ev.at["ZAF", "year_basis"] == "assent"
    # Singapore: only the entry into force (1 March 2015) is dated
    assert (as_int(ev.at["SGP", "year"]), as_int(ev.at["SGP", "month"])) == (2015, 3)
    assert "year_is_entry_into_force" in ev.at["SGP", "flags"]
    # Republic of the Congo: a report period only -> no year
    assert pd.isna(ev.at["COG", "year"]) and "year_unknown_period_only" in ev.at["COG", "flags"]
    after = set(ev.index[ev["flags"].fillna("").str.contains("after_a76120_reference_date")])
    assert after == {"LBR", "COM"}
    partial = set(ev.index[ev["flags"].fillna("").str.contains("partial_or_not_in_line")])
    assert {"BRA", "GAB", "ZWE", "BEN"} <= partial
    fines = set(ev.index[ev["flags"].fillna("").str.contains("fine_in_lieu")])
    assert fines == {"GIN", "BWA"}
    within = set(ev.index[ev["flags"].fillna("").str.contains("dated_within_kelley_period")])
    assert {"BWA", "MDG"} <= within


def test_evidence_copies_of_kelley_values_agree(built, raw_dir):
    """The evidence file copied Kelley's level at last observation: it must match the derivation."""
    raw = read(raw_dir, "legislation/legislation_post2014_evidence_2014_2021.csv").set_index("iso3")
    frame = built["legislation"]
    kelley_rows = frame[frame["yardstick"] == KELLEY].set_index("iso3")
    ours = kelley_rows.loc[raw.index, "level_at_last_observation"].astype(int)
    assert ours.tolist() == raw["kelley_crimlevel_at_last_observed"].astype(int).tolist()


@pytest.mark.parametrize(
    ("date_as_given", "year_as_given", "date_kind", "expected"),
    [
        ("July 2016", "2016", "enactment", (2016, 7, "enactment", [])),
        ("2016", "2016", "enactment", (2016, None, "enactment", [])),
        (
            "assented 28 July 2013; commenced 9 August 2015",
            "2015",
            "commencement (entry into force); assent 2013",
            (2013, 7, "assent", ["enactment_and_entry_into_force_years_differ"]),
        ),
        (
            "in effect 1 March 2015 (bill first read 7 Oct 2014)",
            "2015",
            "commencement; bill 2014",
            (2015, 3, "entry_into_force", ["year_is_entry_into_force"]),
        ),
        ("assented 10 April 2015; published 17 April 2015", "2015", "enactment", (2015, 4, "enactment", [])),
        ("during the 2020 report's reporting period", None, "enactment (period only)",
         (None, None, None, ["year_unknown_period_only"])),
    ],
)  # fmt: skip
def test_evidence_year_rule(date_as_given, year_as_given, date_kind, expected):
    got = leg.evidence_year(date_as_given, year_as_given, date_kind)
    assert (got["year"], got["month"], got["year_basis"], got["flags"]) == expected


# -- pure functions on hand-made panels -----------------------------------------------------------


def small_panel(rows):
    frame = pd.DataFrame(
        rows, columns=["country", "ccode", "year", "crimlevel", "adjcrimlevel", "month", "crim"]
    )
    for column in ["crimlevel", "adjcrimlevel", "month", "crim"]:
        frame[column] = pd.array(frame[column], dtype="Int64")
    return frame


N = None
HAND = small_panel(
    [
        # A: partial 2001, full law in Sept 2003 (event), adjusted level drops in 2003
        ("A", 1, 2001, 1, 1, 5, N), ("A", 1, 2002, 1, 1, N, N), ("A", 1, 2003, 2, 0, 9, 1), ("A", 1, 2004, 2, 2, N, N),
        # B: stray 2 in 1967, missing, then 0, full event 2005
        ("B", 2, 1967, 2, 2, N, N), ("B", 2, 1968, N, N, N, N), ("B", 2, 1992, 0, 0, N, N), ("B", 2, 2005, 2, 2, 3, 1),
        # C: full without an event, in 2014 (month on that row)
        ("C", 3, 2011, 0, 0, N, N), ("C", 3, 2012, N, N, N, N), ("C", 3, 2014, 2, 2, 2, N),
        # D: no data; E: partial, last observed 2011
        ("D", 4, 2010, N, N, N, N), ("D", 4, 2011, N, N, N, N),
        ("E", 5, 2010, 1, 1, N, N), ("E", 5, 2011, 1, 1, N, N),
    ]
)  # fmt: skip


def test_find_artefacts_marks_only_a_contradicted_level_2():
    flagged = leg.find_artefacts(HAND)
    assert HAND.loc[flagged, ["country", "year"]].values.tolist() == [["B", 1967]]


def test_derive_kelley_on_a_hand_made_panel():
    out = leg.derive_kelley(HAND, "hand").set_index("country")
    assert [as_int(v) for v in out["year"]] == [2003, 2005, 2014, None, None]
    assert [as_int(v) for v in out["month"]] == [9, 3, 2, None, None]
    assert out["year_basis"].tolist()[:3] == ["crim_event", "crim_event", "first_crimlevel_2"]
    assert as_int(out.at["B", "first_year_observed"]) == 1992
    assert out.at["A", "flags"] == "adjcrimlevel_drops_in_event_year"
    assert out.at["B", "flags"] == "isolated_1967_level_2_ignored"
    assert out.at["C", "flags"] == "year_from_first_crimlevel_2"
    assert out.at["D", "flags"] == "no_kelley_data"
    assert out.at["E", "flags"] == "not_full_at_last_observation; not_updated_after_2011"


def test_two_crim_events_for_one_country_fail():
    bad = small_panel([("A", 1, 2003, 2, 2, N, 1), ("A", 1, 2004, 2, 2, N, 1)])
    with pytest.raises(DataValidationError, match="at most one crim == 1 event"):
        leg.derive_kelley(bad, "hand")


def test_panel_rows_carry_only_full_levels_forward():
    codes = pd.DataFrame({"ccode": [1, 2, 3, 4, 5], "iso3": ["AAA", "BBB", "CCC", "DDD", "EEE"]})
    out = leg.panel_rows(HAND, codes, "hand", "kelley_like")
    a = out[out["iso3"] == "AAA"].set_index("year")
    assert a.loc[2005:2014, "value_status"].eq("carried_forward").all() and len(a) == 4 + 10
    c = out[out["iso3"] == "CCC"].set_index("year")
    assert c.at[2012, "value_status"] == "missing" and c.index.max() == 2014  # nothing after 2014
    e = out[out["iso3"] == "EEE"]
    assert e["year"].max() == 2011  # a partial level is never carried forward
    b = out[out["iso3"] == "BBB"].set_index("year")
    assert pd.isna(b.at[1967, "level"]) and b.at[1967, "value_status"] == "missing"
    assert "artefact" in b.at[1967, "note"]


def test_unknown_iso3_fails():
    frame = pd.DataFrame({"iso3": ["FRA", "XYZ"]})
    with pytest.raises(DataValidationError) as info:
        leg.check_iso3_in_countries(frame, pd.Series(["FRA"]), "file.csv")
    failure = info.value.failures[0]
    assert (failure.row, failure.column, failure.value) == (3, "iso3", "XYZ")


def test_cow_code_without_iso3_fails():
    codes = pd.DataFrame({"ccode": [1], "iso3": ["AAA"]})
    with pytest.raises(DataValidationError, match="COW code has an ISO3"):
        leg.attach_iso3(pd.DataFrame({"ccode": [1, 2]}), codes, "panel.csv")


# -- the panel ------------------------------------------------------------------------------------


def test_panel_full_counts_match_figure_6_3(built, raw_dir, panel_raw):
    panel = built["legislation_panel"]
    figure = read(raw_dir, "legislation/kelley_data_figure6_3.csv")
    full = panel[panel["level"] == 2].groupby("year").size()
    # countries with a level 2 but no crim event (in the raw panel, after 1967): they count in the panel only
    has_event = set(panel_raw.loc[panel_raw["crim"] == "1", "ccode"])
    late = panel_raw[(panel_raw["crimlevel"] == "2") & ~panel_raw["ccode"].isin(has_event)]
    first_late = late.groupby("ccode")["year"].min().astype(int)
    for row in figure.itertuples(index=False):
        year = int(row[0])
        assert full.get(year, 0) == int(row[2]) + (first_late <= year).sum(), year


def test_panel_keeps_every_source_row(built, panel_raw, by_country):
    iso3 = by_country.set_index("ccode_cow")["iso3"]
    raw = panel_raw.assign(iso3=panel_raw["ccode"].map(iso3), year=panel_raw["year"].astype(int))
    merged = raw.merge(built["legislation_panel"], on=["iso3", "year"], how="left", validate="one_to_one")
    assert merged["value_status"].notna().all()
    observed = merged[merged["value_status"] == "observed"]
    assert (observed["level"].astype(int).astype(str) == observed["crimlevel"]).all()
    missing = merged[merged["value_status"] == "missing"]
    set_aside = missing[missing["crimlevel"].notna()]
    assert list(zip(set_aside["iso3"], set_aside["year"], set_aside["crimlevel"], strict=True)) == [
        ("BIH", 1967, "2")
    ]
    carried = merged[merged["value_status"] == "carried_forward"]
    assert carried["crimlevel"].isna().all()


def test_panel_covers_to_2014_except_not_updated(built):
    panel = built["legislation_panel"]
    last = panel.groupby("iso3")["year"].max()
    ended_2011 = set(last.index[last == 2011])
    assert len(ended_2011) == 14  # the 10 countries without data and the 4 not updated
    assert {"CAF", "COD", "SYC", "KNA"} <= ended_2011
    assert (last[last != 2011] == 2014).all()
    assert panel.loc[panel["value_status"] == "carried_forward", "level"].eq(2).all()


# -- published counts -----------------------------------------------------------------------------


# Line breaks, blank lines, trailing spaces and a space before a comma, as in the report's text layout.
REPORT_LIKE = (
    "1. The General Assembly, in 2019, adopted a resolution.\n2. Two.\n3. Three.\n4. Four.\n"
    "5. Something else entirely, 178 parties.\n\n"
    "6. Also in resolution 74/176, the General Assembly called upon Member States. Of the  \n\n"
    "190 countries assessed in the Global Trafficking in Persons Report 2022 , published \n\n"
    "by UNODC, 170 countries had adopted, by July 2022, dedicated legislation \n\n"
    "criminalizing trafficking in persons, in line with the Trafficking in Persons Protocol. \n\n"
    "The report noted 3 more things.\n\n"
    "7. Next paragraph, 999 countries.\n"
)


def test_report_parser_on_hand_made_text():
    got = leg_counts.parse_report_legislation_count(REPORT_LIKE, "report_like")
    assert (got["countries_with_legislation"], got["countries_assessed"]) == (170, 190)
    assert got["date_or_period"] == "July 2022" and got["reference_date"] == pd.Timestamp("2022-07-01")
    assert got["edition"] == "GLOTIP 2022" and got["date_precision"] == "month"
    assert got["definition"] == (
        "dedicated legislation criminalizing trafficking in persons, in line with the Trafficking in Persons Protocol"
    )
    assert "  " not in got["quote"] and " ," not in got["quote"]


def test_report_parser_reads_only_paragraph_6():
    text = REPORT_LIKE.replace("Of the", "Of all").replace(
        "7. Next paragraph", "7. Of the 1 countries assessed"
    )
    with pytest.raises(ValueError, match="paragraph 6"):
        leg_counts.parse_report_legislation_count(text, "report_like")


def test_report_parser_on_the_report(raw_dir):
    text = (raw_dir / "report" / "A-76-120.txt").read_text(encoding="utf-8")
    got = leg_counts.parse_report_legislation_count(text, source_id(read_registry(), subject="report"))
    assert (got["countries_with_legislation"], got["countries_assessed"]) == (169, 181)
    assert got["date_or_period"] == "August 2020" and got["edition"] == "GLOTIP 2020"
    assert got["source_id"] == "a76120"


@pytest.mark.parametrize(
    ("quote", "wording"),
    [
        ("Although 90% of the countries reviewed have enacted legislation criminalizing human trafficking, "
         "more than two billion people remain unprotected", "enacted legislation criminalizing human trafficking"),
        ("Twenty years later, over 90 per cent of the United Nations Member States have established a specific "
         "offence for the criminalisation of trafficking",
         "established a specific offence for the criminalisation of trafficking"),
        ("169 countries had dedicated legislation, in line with the Protocol.",
         "dedicated legislation, in line with the Protocol"),
    ],
)  # fmt: skip
def test_yardstick_wording(quote, wording):
    assert leg_counts.yardstick_wording(quote) == wording


def test_published_counts(built, raw_dir):
    counts = built["legislation_counts"].set_index("count_id")
    assert counts.loc[
        "g18_legis_inline_count", ["countries_with_legislation", "countries_assessed"]
    ].tolist() == [168, 181]
    assert counts.at["g18_legis_inline_count", "reference_date"] == pd.Timestamp("2018-08-01")
    assert counts.at["g12_legis_count", "countries_with_legislation"] == 134
    assert counts.at["g14_legis_share", "share_percent"] == 90
    assert counts.at["g20_legis_memberstates_share", "share_percent"] == 90
    assert counts.at["g20_legis_memberstates_share", "qualifier"] == "over"
    assert pd.isna(counts.at["g12_legis_count", "reference_date"])
    assert counts.loc["a76120_para6", ["countries_with_legislation", "countries_assessed"]].tolist() == [
        169,
        181,
    ]
    assert counts.at["a76120_para6", "source_id"] == "a76120"
    for count_id, row in counts.iterrows():
        assert row["definition"] in " ".join(row["quote"].split()), count_id


def test_every_legislation_figure_is_used_or_listed_as_left_out(raw_dir):
    figures = read(raw_dir, "glotip/glotip_text_figures.csv")
    legis = set(figures.loc[figures["figure_id"].str.contains("_legis_"), "figure_id"])
    accounted = (
        set(leg_counts.COUNT_FIGURE_IDS)
        | {leg_counts.ASSESSED_FIGURE_ID}
        | set(leg_counts.LEFT_OUT_FIGURE_IDS)
    )
    assert legis == accounted


# -- the models reject bad values -----------------------------------------------------------------


def failing_checks(model, frame) -> list[tuple[str | None, str]]:
    with pytest.raises(DataValidationError) as info:
        validate(model, frame, "frame")
    return [(f.column, f.check) for f in info.value.failures]


@pytest.mark.parametrize(
    ("count_id", "column", "value", "expected"),
    [
        ("g14_legis_share", "share_percent", 104.0, ("share_percent", "less_than_or_equal_to(100)")),
        ("g14_legis_share", "share_percent", -1.0, ("share_percent", "greater_than_or_equal_to(0)")),
        ("g12_legis_count", "countries_with_legislation", -1, ("countries_with_legislation", "greater_than_or_equal_to(0)")),
        ("a76120_para6", "countries_with_legislation", 182, (None, "countries_with_legislation <= countries_assessed")),
    ],
)  # fmt: skip
def test_counts_model_rejects_impossible_numbers(built, count_id, column, value, expected):
    bad = built["legislation_counts"].copy()
    bad.loc[bad["count_id"] == count_id, column] = value
    checks = failing_checks(LegislationCounts, bad)
    column_expected, check_expected = expected
    assert any(k == check_expected and column_expected in (None, c) for c, k in checks), checks


def test_legislation_model_rejects_a_year_without_full_level(built):
    frame = built["legislation"].copy()
    index = frame.index[(frame["iso3"] == "BRA") & (frame["yardstick"] == KELLEY)][0]
    frame.loc[index, ["year", "year_basis"]] = [2010, "crim_event"]
    with pytest.raises(DataValidationError, match="Kelley year present exactly"):
        validate(Legislation, frame, "legislation")


def test_panel_model_rejects_a_level_out_of_range(built):
    panel = built["legislation_panel"].copy()
    panel.loc[0, "level"] = 3
    with pytest.raises(DataValidationError, match="level"):
        validate(LegislationPanel, panel, "panel")


def test_build_cross_checks_catch_a_disagreement():
    derived = pd.DataFrame(
        {"ccode": [1, 2], "year": pd.array([2001, None], dtype="Int64"), "year_basis": ["crim_event", None]}
    )
    figure = pd.DataFrame({"Year": ["2000", "2001"], "Criminalized human trafficking": ["0", "2"]})
    failures = leg.check_against_figure(derived, figure, "fig.csv")
    assert [(f.row, f.value) for f in failures] == [(3, 2)]  # 2001: the panel gives 1, the figure 2
    by_country = pd.DataFrame({"ccode_cow": ["1", "2"], "year_full_criminalization": ["2001", "2005"]})
    failures = leg.check_against_by_country(derived, by_country, "by_country.csv")
    assert [f.value for f in failures] == [2005]


def test_raw_panel_model_names_a_corrupted_cell(panel_raw):
    bad = panel_raw.copy()
    bad.loc[10, "crimlevel"] = "3"
    with pytest.raises(DataValidationError) as info:
        validate(raw_model("kelley_panel"), bad, "kelley.csv")
    failure = info.value.failures[0]
    assert (failure.row, failure.column, failure.value) == (12, "crimlevel", "3")
