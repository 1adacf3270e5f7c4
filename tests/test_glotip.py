"""GLOTIP datasets: parsing rules (unit and property tests) and the real build output.

Expectations on real data are derived independently of the builder: from the raw CSVs read with
the standard library's ``csv`` module, and from facts stated in the glotip README.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tipstats.datasets import DATASETS
from tipstats.errors import DataValidationError
from tipstats.paths import RAW_DIR
from tipstats.pipeline import glotip as gb
from tipstats.pipeline import victims as vb
from tipstats.schemas import glotip as gs
from tipstats.schemas import victims as sv
from tipstats.schemas.base import validate

RAW_FILES = {
    "2025-04-14": Path(RAW_DIR) / "glotip" / "data_glotip_2025-04-14.csv",
    "2023-05-30": Path(RAW_DIR) / "glotip" / "data_glotip_2023-05-30.csv",
}
TEXT_FIGURES = Path(RAW_DIR) / "glotip" / "glotip_text_figures.csv"


def read_rows(path: Path) -> list[dict]:
    """Raw rows as dicts (empty cell -> None) with their spreadsheet row number (header = row 1)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {**{k: (v if v != "" else None) for k, v in r.items()}, "_row": i + 2} for i, r in enumerate(rows)
    ]


@pytest.fixture(scope="module")
def raw_rows() -> dict[str, list[dict]]:
    return {release: read_rows(path) for release, path in RAW_FILES.items()}


# -- parse_counts ---------------------------------------------------------------------------------


def test_parse_counts_rules():
    text = pd.Series(
        ["<5", "1,192", "37", "12,345,678", "0", "1,19", "12a", "5<", " 12", "1.5", "-3", "<4", ""]
    )
    out = gb.parse_counts(text)
    assert out["value"].iloc[0] is pd.NA and out["value_flag"].iloc[0] == "suppressed_lt5"
    assert not gb.parse_counts(pd.Series(["\u0663", "1\u00a0192"]))["valid"].any()  # Arabic-Indic digit, NBSP
    assert out["value"].iloc[1:5].tolist() == [1192, 37, 12345678, 0]
    assert out["value_flag"].iloc[1:].isna().all()
    assert out["valid"].tolist() == [True] * 5 + [False] * 8
    assert out["value"].iloc[5:].isna().all()
    assert str(out["value"].dtype) == "Int64"


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_thousands_separators_round_trip(n):
    out = gb.parse_counts(pd.Series([f"{n:,}", str(n)]))
    assert out["valid"].all()
    assert out["value"].tolist() == [n, n]
    assert out["value_flag"].isna().all()


@given(
    st.lists(st.one_of(st.just("<5"), st.integers(0, 10**9).map(lambda n: f"{n:,}")), min_size=1, max_size=30)
)
def test_suppressed_never_becomes_a_number(texts):
    out = gb.parse_counts(pd.Series(texts))
    suppressed = pd.Series(texts) == "<5"
    assert out.loc[suppressed, "value"].isna().all()
    assert (out.loc[suppressed, "value_flag"] == "suppressed_lt5").all()
    assert out.loc[~suppressed, "value"].notna().all()
    assert out.loc[~suppressed, "value_flag"].isna().all()


@given(st.text(max_size=12))
def test_any_text_is_a_count_or_invalid(text):
    out = gb.parse_counts(pd.Series([text]))
    row = out.iloc[0]
    if text == "<5":
        assert row["valid"] and row["value"] is pd.NA
    elif re.fullmatch(r"[0-9]{1,18}|[0-9]{1,3}(,[0-9]{3}){1,5}", text):
        assert row["valid"] and row["value"] == int(text.replace(",", ""))
    else:
        assert not row["valid"] and row["value"] is pd.NA and pd.isna(row["value_flag"])


# -- the corruption rule --------------------------------------------------------------------------


def test_questionnaire_rule_on_hand_made_rows():
    frame = pd.DataFrame(
        {
            "Category": ["Q6.1_10s_2019", "Nationals", "Nationals", "Total", "Total", "Total", None],
            "txtVALUE": ["61,102,019", "6,112,019", "1,192", "16,112,019", "612,345", "<5", "6,122,020"],
        }
    )
    assert gb.questionnaire_code_mask(frame).tolist() == [True, True, False, False, False, False, True]


def test_questionnaire_rule_catches_exactly_the_readme_cases(raw_rows):
    # README: PAK and SLE 'Persons convicted' / 'by citizenship' 2019-2021, and single rows for
    # AND 2022 and SLV 2021; nothing in the 2023 release.
    for release, rows in raw_rows.items():
        frame = pd.DataFrame(rows)
        caught = frame[gb.questionnaire_code_mask(frame)]
        if release == "2023-05-30":
            assert caught.empty
            continue
        assert set(caught["Indicator"]) == {"Persons convicted"}
        assert set(caught["Dimension"]) == {"by citizenship"}
        block = {
            r["_row"]
            for r in rows
            if r["Iso3_code"] in {"PAK", "SLE"}
            and r["Indicator"] == "Persons convicted"
            and r["Dimension"] == "by citizenship"
            and r["Year"] in {"2019", "2020", "2021"}
        }
        singles = caught[caught["Iso3_code"].isin(["AND", "SLV"])]
        assert sorted(zip(singles["Iso3_code"], singles["Year"], strict=True)) == [
            ("AND", "2022"),
            ("SLV", "2021"),
        ]
        assert set(caught["_row"]) == block | set(singles["_row"])
        assert len(block) > 0


# -- tidy_release on hand-made frames -------------------------------------------------------------


def raw_frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "Iso3_code": "AAA",
        "Country": "Alpha",
        "Region": "R",
        "Subregion": "S",
        "Indicator": "Detected trafficking victims",
        "Dimension": "Total",
        "Category": "Total",
        "Sex": "Total",
        "Age": "Total",
        "Year": "2019",
        "Unit of measurement": "Counts",
        "txtVALUE": "10",
        "Source": "GLOTIP",
    }
    return pd.DataFrame([{**base, **r} for r in rows]).astype("str")


NON_COUNTRY = pd.DataFrame(
    {
        "code_as_given": [None, "XX/YY"],
        "country_as_given": ["Nowhere", None],
        "reason": ["no code", "two areas"],
    }
)


def tidy(rows, codes=("AAA", "BBB")):
    return gb.tidy_release(
        raw_frame(rows), "2025-04-14", set(codes), "test.csv", NON_COUNTRY, source_id="glotip_2025"
    )


def test_tidy_parses_values_and_keeps_traceable_rows():
    kept, dropped = tidy([{"txtVALUE": "1,192"}, {"Year": "2020", "txtVALUE": "<5"}])
    assert dropped.empty
    assert kept["value"].tolist() == [1192, pd.NA]
    assert kept["value_flag"].tolist()[1] == "suppressed_lt5"
    assert kept["source_row"].tolist() == [2, 3]
    assert kept["duplicate_seq"].tolist() == [1, 1]


def test_tidy_bad_value_is_an_error_with_file_row_column_value():
    with pytest.raises(DataValidationError) as err:
        tidy([{"txtVALUE": "12"}, {"Year": "2020", "txtVALUE": "n.a."}])
    [failure] = err.value.failures
    assert (failure.file, failure.row, failure.column, failure.value) == ("test.csv", 3, "txtVALUE", "n.a.")


def test_tidy_unknown_code_is_an_error_listed_entries_are_quarantined():
    rows = [
        {"Iso3_code": "ZZZ", "Country": "Zed"},
        {"Iso3_code": None, "Country": "Nowhere"},
        {"Iso3_code": "XX/YY", "Country": None},
    ]
    with pytest.raises(DataValidationError) as err:
        tidy(rows)
    [failure] = err.value.failures
    assert (failure.row, failure.column, failure.value) == (2, "Iso3_code", "ZZZ")
    kept, dropped = tidy(rows[1:])
    assert kept.empty
    assert dropped["reason"].tolist() == ["no_iso3_code", "not_a_country"]
    assert dropped["detail"].str.contains("two areas").tolist() == [False, True]


def test_tidy_other_forms_keep_every_row_in_source_order():
    other = {"Dimension": "by form of exploitation", "Category": "Other forms of exploitation"}
    kept, dropped = tidy(
        [{**other, "txtVALUE": "<5"}, {**other, "txtVALUE": "27"}, {**other, "txtVALUE": "<5"}]
    )
    assert dropped.empty
    assert kept.sort_values("source_row")["duplicate_seq"].tolist() == [1, 2, 3]


def test_tidy_sex_total_pair_equal_to_age_groups_is_quarantined():
    rows = [
        {"Sex": "Female", "Age": "0 to 17 years", "txtVALUE": "36"},
        {"Sex": "Female", "Age": "18 years or over", "txtVALUE": "407"},
        {"Sex": "Female", "Age": "Total", "txtVALUE": "407"},
        {"Sex": "Female", "Age": "Total", "txtVALUE": "36"},
        {"Sex": "Male", "Age": "Total", "txtVALUE": "59"},
    ]
    kept, dropped = tidy(rows)
    assert dropped["source_row"].tolist() == [4, 5]
    assert set(dropped["reason"]) == {"sex_total_repeats_age_groups"}
    assert dropped["detail"].str.contains("values equal").all()
    assert kept["source_row"].tolist() == [2, 3, 6]


def test_tidy_exact_copy_keeps_first_and_conflict_is_an_error():
    kept, dropped = tidy([{"txtVALUE": "5"}, {"txtVALUE": "7", "Year": "2020"}, {"txtVALUE": "5"}])
    assert kept["source_row"].tolist() == [2, 3]
    assert dropped["reason"].tolist() == ["exact_duplicate"]
    assert dropped["duplicate_of"].tolist() == [2]
    with pytest.raises(DataValidationError) as err:
        tidy([{"txtVALUE": "5"}, {"txtVALUE": "6"}])
    assert [f.row for f in err.value.failures] == [2, 3]


def test_tidy_questionnaire_rows_go_to_quarantine_with_their_text():
    rows = [
        {"Indicator": "Persons convicted", "Dimension": "by citizenship", "Category": "Q6.1_2s_2019",
         "txtVALUE": "6,122,019"},
        {"Indicator": "Persons convicted", "Dimension": "by citizenship", "Category": "Nationals",
         "txtVALUE": "6,112,019"},
    ]  # fmt: skip
    kept, dropped = tidy(rows)
    assert kept.empty
    assert dropped["reason"].tolist() == ["questionnaire_code"] * 2
    assert dropped["txt_value"].tolist() == ["6,122,019", "6,112,019"]


# -- published shares -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quote", "expected"),
    [
        ("74", "", (74.0, None, None)),
        ("74 (around)", "", (74.0, "around", None)),
        ("over 74", "", (74.0, "over", None)),
        ("about 75", "", (75.0, "about", None)),
        ("35 (about)", "", (35.0, "about", None)),
        ("59", "accounting for some 59 per cent, while", (59.0, "some", None)),
        ("19", "About one third were children, both girls (19 per cent)", (19.0, None, None)),
        ("48 (as printed by x)", "", (48.0, None, "as printed by x")),
        ("one out of three", "One victim out of three", (None, None, None)),
        ("55-60", "", (None, None, None)),
        ("around half", "", (None, None, None)),
    ],
)
def test_parse_share(value, quote, expected):
    assert vb.parse_share(value, quote) == expected


def figures_frame(rows: list[dict]) -> pd.DataFrame:
    base = {
        "edition": "GLOTIP 2020",
        "figure_id": "g20_x",
        "quantity": "share of detected victims: girls",
        "year_or_period": "2018",
        "value": "19",
        "unit": "percent",
        "source_url": "https://example.org/a",
        "quote": "girls (19 per cent)",
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def test_published_shares_unknown_share_quantity_is_an_error():
    with pytest.raises(DataValidationError) as err:
        vb.published_shares(figures_frame([{"quantity": "share of detected victims: grandparents"}]))
    assert err.value.failures[0].value == "share of detected victims: grandparents"


def test_published_shares_keep_conflicts_and_words():
    victims, forms = vb.published_shares(
        figures_frame(
            [
                {"figure_id": "g18_a", "quantity": "share of detected victims by form: forced labour",
                 "value": "one out of three", "unit": "text"},
                {"figure_id": "g18_b", "quantity": "share of detected victims by form: forced labour",
                 "value": "around 34"},
                {"figure_id": "g20_c", "quantity": "share of detected girls trafficked for sexual exploitation",
                 "value": "72", "source_url": "(no address)"},
            ]
        )
    )  # fmt: skip
    assert victims.empty
    forms = forms.set_index("figure_id")
    assert pd.isna(forms.at["g18_a", "share"]) and forms.at["g18_a", "value_as_given"] == "one out of three"
    assert forms.at["g18_b", "share"] == 34.0 and forms.at["g18_b", "qualifier"] == "around"
    assert forms.loc[["g18_a", "g18_b"], "note"].str.contains("conflicting").all()
    assert forms.at["g20_c", "among"] == "girls" and forms.at["g20_c", "form"] == "sexual_exploitation"
    assert pd.isna(forms.at["g20_c", "source_url"]) and "(no address)" in forms.at["g20_c", "note"]


# -- the per-set sum check ------------------------------------------------------------------------


def shares_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"basis": "published", "edition": "GLOTIP 2020", "release": None, "year_or_period": "2018",
            "source_url": "https://example.org/a", "among": "all"}  # fmt: skip
    return pd.DataFrame([{**base, **r} for r in rows])


def test_partition_sum_check_groups_by_set():
    four = ["women", "girls", "men", "boys"]
    ok_set = [{"group": g, "share": s} for g, s in zip(four, [46, 19, 20, 16.5], strict=True)]  # 101.5
    bad_set = [
        {"group": g, "share": s, "source_url": "https://b"}
        for g, s in zip(four, [40, 19, 20, 15], strict=True)
    ]
    incomplete = [
        {"group": g, "share": s, "source_url": "https://c"} for g, s in [("women", 10), ("girls", 5)]
    ]
    with_words = [
        {"group": g, "share": s, "source_url": "https://d"}
        for g, s in zip(four, [None, 1, 1, 1], strict=True)
    ]
    frame = shares_frame(ok_set + bad_set + incomplete + with_words)
    ok = sv.partition_sum_ok(frame, "group", sv.VICTIM_PARTITIONS)
    assert ok.tolist() == [True] * 4 + [False] * 4 + [True] * 6
    computed = shares_frame([{"basis": "computed", "group": g, "share": 25.0} for g in four])
    computed.loc[0, "share"] = 25.00001
    assert not sv.partition_sum_ok(computed, "group", sv.VICTIM_PARTITIONS).any()


def test_share_model_rejects_a_set_that_does_not_add_up(built):
    shares = built["victim_shares"].copy()
    row = shares.index[(shares["basis"] == "computed")][0]
    shares.loc[row, "share"] += 0.5
    with pytest.raises(DataValidationError) as err:
        validate(sv.VictimShares, shares, "victim_shares")
    assert any("add up to 100" in f.check for f in err.value.failures)


# -- real output: glotip and quarantine -----------------------------------------------------------


def test_every_raw_row_is_kept_or_quarantined_once(built, raw_rows):
    glotip, quarantine = built["glotip"], built["glotip_quarantine"]
    for release, rows in raw_rows.items():
        kept = glotip.loc[glotip["release"] == release, "source_row"]
        dropped = quarantine.loc[quarantine["release"] == release, "source_row"]
        assert sorted([*kept, *dropped]) == [r["_row"] for r in rows]


def test_values_match_the_raw_text(built, raw_rows):
    glotip = built["glotip"]
    for release, rows in raw_rows.items():
        text = {r["_row"]: r["txtVALUE"] for r in rows}
        part = glotip[glotip["release"] == release]
        for row, value, flag in zip(part["source_row"], part["value"], part["value_flag"], strict=True):
            raw = text[row]
            if raw == "<5":
                assert value is pd.NA and flag == "suppressed_lt5"
            else:
                assert value == int(raw.replace(",", "")) and pd.isna(flag)


def test_no_count_is_written_as_zero_and_labels_are_kept(built, raw_rows):
    # stated in the glotip caveats: no count is written as 0; the encoding damage is kept as written
    for rows in raw_rows.values():
        assert not any(r["txtVALUE"] == "0" for r in rows)
    assert (built["glotip"]["value"] == 0).sum() == 0
    damaged = "Ciudadanos de su pa\ufffds"
    caveats = " ".join(gs.Glotip.Config.metadata["caveats"])
    assert "No count in either release is written as 0" in caveats
    assert damaged in caveats and (built["glotip"]["category"] == damaged).any()


def test_suppressed_count_matches_readme(built):
    # README: 29,558 rows '<5' in the 2025 release.
    glotip, quarantine = built["glotip"], built["glotip_quarantine"]
    kept = ((glotip["release"] == "2025-04-14") & (glotip["value_flag"] == "suppressed_lt5")).sum()
    dropped = ((quarantine["release"] == "2025-04-14") & (quarantine["txt_value"] == "<5")).sum()
    assert kept + dropped == 29558


def test_total_rows_unique_per_country_indicator_year(built, raw_rows):
    glotip = built["glotip"]
    totals = glotip[(glotip[["dimension", "category", "sex", "age"]] == "Total").all(axis=1)]
    assert not totals.duplicated(["release", "iso3", "indicator", "year"]).any()
    for rows in raw_rows.values():
        keys = Counter(
            (r["Iso3_code"], r["Indicator"], r["Year"])
            for r in rows
            if r["Dimension"] == r["Category"] == r["Sex"] == r["Age"] == "Total"
        )
        assert max(keys.values()) == 1
    # README: one row per country x indicator x year, e.g. 1,593 'Persons convicted' rows in 2025
    convicted = totals[(totals["release"] == "2025-04-14") & (totals["indicator"] == "Persons convicted")]
    assert len(convicted) == 1593


def test_every_iso3_is_a_country(built):
    assert set(built["glotip"]["iso3"]) <= set(built["countries"]["iso3"])
    assert set(built["convictions"]["iso3"]) <= set(built["countries"]["iso3"])


def test_quarantine_reasons_match_readme(built, raw_rows):
    q = built["glotip_quarantine"]
    by = q.groupby(["release", "reason"]).size()
    # Sark: Iso3 missing, in both releases
    for release, rows in raw_rows.items():
        sark = [r["_row"] for r in rows if r["Iso3_code"] is None]
        assert (
            sorted(q.loc[(q["release"] == release) & (q["reason"] == "no_iso3_code"), "source_row"]) == sark
        )
        assert set(q.loc[(q["release"] == release) & (q["reason"] == "no_iso3_code"), "country"]) == {"Sark"}
    # 2023: Aruba/Curacao plus seven codes without a country name (stated in the quarantine caveat)
    q23 = q[(q["release"] == "2023-05-30") & (q["reason"] == "not_a_country")]
    nameless = [r for r in raw_rows["2023-05-30"] if r["Country"] is None]
    assert sorted(q23["source_row"]) == sorted(r["_row"] for r in nameless)
    seven = Counter(r["Iso3_code"] for r in nameless if r["Iso3_code"] != "Aruba/Curacao")
    assert sorted(seven) == ["CAR", "CAS", "EEU", "MCA", "MCN", "SAF", "SAM"]
    years = sorted({r["Year"] for r in nameless if r["Iso3_code"] in seven})
    assert (years[0], years[-1]) == ("2017", "2020")
    caveat = " ".join(gs.GlotipQuarantine.Config.metadata["caveats"])
    codes = sorted(seven)
    assert (
        f"{sum(seven.values())} rows carry the codes {', '.join(codes[:-1])} and {codes[-1]} with" in caveat
    )
    assert ("2025-04-14", "not_a_country") not in by.index


def test_sex_total_pairs_equal_age_group_rows(built, raw_rows):
    q = built["glotip_quarantine"]
    pairs = q[q["reason"] == "sex_total_repeats_age_groups"]
    # README example: BGR 2017 Female 407 and 36
    bgr = pairs[(pairs["iso3_code"] == "BGR") & (pairs["year"] == "2017") & (pairs["sex"] == "Female")]
    assert sorted(bgr["txt_value"]) == ["36", "407"]
    for release, rows in raw_rows.items():
        ages = defaultdict(list)
        for r in rows:
            if r["Dimension"] == "Total" and r["Age"] in {"0 to 17 years", "18 years or over"}:
                ages[(r["Iso3_code"], r["Indicator"], r["Year"], r["Sex"])].append(r["txtVALUE"])
        part = pairs[pairs["release"] == release]
        groups = part.groupby(["iso3_code", "indicator", "year", "sex"])["txt_value"].agg(sorted)
        assert len(groups) > 0 and (part.groupby(["iso3_code", "indicator", "year", "sex"]).size() == 2).all()
        for key, values in groups.items():
            assert values == sorted(ages[key]), key
    # what is kept under those keys: nothing (no invented sex total)
    glotip = built["glotip"]
    kept = glotip[(glotip["dimension"] == "Total") & (glotip["sex"] != "Total") & (glotip["age"] == "Total")]
    keys = set(
        zip(
            kept["release"],
            kept["iso3"],
            kept["indicator"],
            kept["year"].astype(str),
            kept["sex"],
            strict=True,
        )
    )
    quarantined = set(
        zip(
            pairs["release"], pairs["iso3_code"], pairs["indicator"], pairs["year"], pairs["sex"], strict=True
        )
    )
    assert not keys & quarantined


def test_duplicate_counts_in_caveat(built, raw_rows):
    counts = {}
    for release, rows in raw_rows.items():
        seen, copies = set(), []
        for r in rows:
            key = tuple((k, v) for k, v in r.items() if k != "_row")
            if key in seen:
                copies.append(r)
            seen.add(key)
        other = sum(r["Category"] == "Other forms of exploitation" for r in copies)
        counts[release] = (len(copies), other, len(copies) - other)
    (a25, o25, s25), (a23, o23, s23) = counts["2025-04-14"], counts["2023-05-30"]
    caveat = " ".join(gs.Glotip.Config.metadata["caveats"])
    assert f"Exact duplicate rows: {a25} in the 2025-04-14 release ({a23} in 2023-05-30)" in caveat
    assert f"{o25} ({o23}) are 'Other forms of exploitation'" in caveat
    assert f"{s25} ({s23}) are sex-total pairs" in caveat
    # README: 336 exact duplicates in the 2025 release
    assert a25 == 336
    # and the builder agrees: other-forms copies are kept, no exact_duplicate quarantine
    assert not (built["glotip_quarantine"]["reason"] == "exact_duplicate").any()


def test_other_forms_rows_all_kept_with_sequence(built, raw_rows):
    glotip = built["glotip"]
    for release, rows in raw_rows.items():
        # every other-forms row of a named country (rows without Iso3 or Country are not countries)
        raw_other = [
            r
            for r in rows
            if r["Category"] == "Other forms of exploitation" and r["Iso3_code"] and r["Country"]
        ]
        kept = glotip[(glotip["release"] == release) & (glotip["category"] == "Other forms of exploitation")]
        assert len(kept) == len(raw_other)
    # README: 632 victim rows and 274 convicted rows of the 2025 release share a key
    k = glotip[(glotip["release"] == "2025-04-14") & (glotip["category"] == "Other forms of exploitation")]
    key = ["iso3", "indicator", "dimension", "category", "sex", "age", "year"]
    shared = k[k.duplicated(key, keep=False)]
    assert shared["indicator"].value_counts().to_dict() == {
        "Detected trafficking victims": 632,
        "Persons convicted": 274,
    }
    first = k.sort_values("source_row").groupby(key, dropna=False)["duplicate_seq"].agg(list)
    assert all(seq == list(range(1, len(seq) + 1)) for seq in first)


# -- real output: shares --------------------------------------------------------------------------


def independent_victim_shares(rows: list[dict]) -> dict[int, dict]:
    """Per year: countries with all four Female/Male x age cells numeric, and the group sums."""
    groups = {("Female", "18 years or over"): "women", ("Female", "0 to 17 years"): "girls",
              ("Male", "18 years or over"): "men", ("Male", "0 to 17 years"): "boys"}  # fmt: skip
    cells = defaultdict(dict)
    for r in rows:
        if (
            r["Iso3_code"]
            and r["Indicator"] == "Detected trafficking victims"
            and r["Dimension"] == "Total"
            and (r["Sex"], r["Age"]) in groups
        ):
            cells[(int(r["Year"]), r["Iso3_code"])][groups[(r["Sex"], r["Age"])]] = r["txtVALUE"]
    out = defaultdict(lambda: {"n": 0, "women": 0, "girls": 0, "men": 0, "boys": 0})
    for (year, _), c in cells.items():
        if len(c) == 4 and "<5" not in c.values():
            out[year]["n"] += 1
            for g, v in c.items():
                out[year][g] += int(v.replace(",", ""))
    return dict(out)


def test_computed_victim_shares_match_independent_count(built, raw_rows):
    expected = independent_victim_shares(raw_rows["2025-04-14"])
    shares = built["victim_shares"]
    computed = shares[shares["basis"] == "computed"]
    assert sorted(computed["year"].unique()) == sorted(expected)
    for row in computed.itertuples():
        e = expected[row.year]
        total = e["women"] + e["girls"] + e["men"] + e["boys"]
        assert row.n_countries == e["n"]
        assert row.n_victims == e[row.group]
        assert row.share == pytest.approx(100 * e[row.group] / total, abs=1e-9)
    sums = computed.groupby("year")["share"].sum()
    assert ((sums - 100).abs() < 1e-6).all()


def test_computed_exploitation_shares_match_independent_count(built, raw_rows):
    forms = {"Sexual exploitation": "sexual_exploitation", "Forced labour": "forced_labour",
             "Other forms of exploitation": "other_forms"}  # fmt: skip
    cells = defaultdict(lambda: defaultdict(list))
    for r in raw_rows["2025-04-14"]:
        if (
            r["Iso3_code"]
            and r["Indicator"] == "Detected trafficking victims"
            and r["Dimension"] == "by form of exploitation"
            and r["Sex"] == "Total"
            and r["Age"] == "Total"
            and r["Category"] in forms
        ):
            cells[(int(r["Year"]), r["Iso3_code"])][forms[r["Category"]]].append(r["txtVALUE"])
    expected = defaultdict(Counter)
    for (year, _), c in cells.items():
        values = [v for vs in c.values() for v in vs]
        if len(c) == 3 and "<5" not in values:
            expected[year]["n"] += 1
            for form, vs in c.items():
                expected[year][form] += sum(int(v.replace(",", "")) for v in vs)
    shares = built["exploitation_shares"]
    computed = shares[shares["basis"] == "computed"]
    assert sorted(computed["year"].unique()) == sorted(expected)
    for row in computed.itertuples():
        e = expected[row.year]
        assert (row.n_countries, row.n_victims) == (e["n"], e[row.form])
        total = e["sexual_exploitation"] + e["forced_labour"] + e["other_forms"]
        assert row.share == pytest.approx(100 * e[row.form] / total, abs=1e-9)
    # stated in the caveats: one country in 2003 and 2004
    assert expected[2003]["n"] == expected[2004]["n"] == 1
    assert "one country in 2003 and 2004" in " ".join(sv.ExploitationShares.Config.metadata["caveats"])


def test_published_shares_cover_every_share_figure(built):
    with open(TEXT_FIGURES, encoding="utf-8", newline="") as handle:
        figures = list(csv.DictReader(handle))
    share_ids = {
        f["figure_id"]
        for f in figures
        if re.match(
            r"(share of detected|share by form|(share of )?girls among|female share among)", f["quantity"]
        )
    }
    victims, forms = built["victim_shares"], built["exploitation_shares"]
    published = pd.concat([victims, forms])
    published = published[published["basis"] == "published"]
    assert set(published["figure_id"]) == share_ids
    assert published["figure_id"].is_unique
    assert (published["source_id"] == "glotip_text_figures").all()
    given_value = {f["figure_id"]: f["value"] for f in figures}
    assert (published["value_as_given"] == published["figure_id"].map(given_value)).all()


def test_published_conflicts_are_kept(built):
    forms = built["exploitation_shares"].set_index("figure_id", drop=False)
    # README: GLOTIP 2012 sexual exploitation 48 (ibtimes) vs 58 (hopeinitiatives)
    assert forms.at["g12_form_sexual_ibt", "share"] == 48
    assert forms.at["g12_form_sexual_hope", "share"] == 58
    # README: GLOTIP 2018 forced labour 'one out of three' vs 'around 34'
    assert pd.isna(forms.at["g18_form_forcedlabour_2016", "share"])
    assert forms.at["g18_form_forcedlabour_2016", "value_as_given"] == "one out of three"
    assert (
        forms.at["g18_form_forcedlabour_2016_b", "share"],
        forms.at["g18_form_forcedlabour_2016_b", "qualifier"],
    ) == (
        34,
        "around",
    )
    for fid in [
        "g12_form_sexual_ibt",
        "g12_form_sexual_hope",
        "g18_form_forcedlabour_2016",
        "g18_form_forcedlabour_2016_b",
    ]:
        assert "conflicting" in forms.at[fid, "note"]
    victims = built["victim_shares"].set_index("figure_id", drop=False)
    # README: adult women 2004: 74, 'around 74', 'over 74'
    assert victims.loc[
        ["g20_sexage_women_2004", "g20_sexage_women_2004_c", "g22_sexage_women_2004"], "qualifier"
    ].fillna("").tolist() == ["", "around", "over"]


def test_published_complete_sets_add_up(built):
    # Sets that name all four groups from one page add to 100 within 1.5 (the check is also in the model).
    shares = built["victim_shares"]
    published = shares[
        (shares["basis"] == "published") & shares["group"].isin(["women", "girls", "men", "boys"])
    ]
    published = published[published["share"].notna()]
    sets = published.groupby(["edition", "year_or_period", published["source_url"].fillna("-")])
    complete = [g for _, g in sets if sorted(g["group"]) == ["boys", "girls", "men", "women"]]
    assert len(complete) >= 4  # GLOTIP 2020 (2004, 2018), GLOTIP 2022 (2020), GLOTIP 2024 (2022)
    for g in complete:
        assert abs(g["share"].sum() - 100) <= 1.5


# -- written form ---------------------------------------------------------------------------------


def test_written_csv_reads_back_identically(built, tmp_path):
    from tipstats.io import read_processed_csv, write_csv

    for name in ["glotip", "glotip_quarantine", "victim_shares", "exploitation_shares", "convictions"]:
        model = DATASETS[name].model_class()
        path = tmp_path / f"{name}.csv"
        write_csv(built[name], path)
        again = validate(model, read_processed_csv(path, model.to_schema()), str(path))
        pd.testing.assert_frame_equal(again, built[name].reset_index(drop=True), check_dtype=True)
        write_csv(again, tmp_path / "again.csv")
        assert (tmp_path / "again.csv").read_bytes() == path.read_bytes()


# -- raw models -----------------------------------------------------------------------------------


def test_raw_glotip_model_names_a_bad_cell(tmp_path):
    from tipstats.raw import read_raw

    header = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,txtVALUE,Source"
    good = (
        "ALB,Albania,Europe,Southern Europe,Persons convicted,Total,Total,Total,Total,2019,Counts,{v},GLOTIP"
    )
    lines = [
        header,
        good.format(v="<5"),
        good.format(v='"1,192"'),
        good.format(v='"12 345"'),
        good.format(v="7"),
    ]
    (tmp_path / "g.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        read_raw(tmp_path, "glotip_2025", "g.csv")
    [failure] = err.value.failures
    assert (failure.row, failure.column, failure.value) == (4, "txtVALUE", "12 345")


def test_raw_us_tip_model_names_a_bad_cell(tmp_path):
    from tipstats.raw import read_raw

    text = (Path(RAW_DIR) / "glotip" / "us_tip_report_global_law_enforcement_2003_2015.csv").read_text(
        encoding="utf-8"
    )
    assert '"2009","5606"' in text
    (tmp_path / "u.csv").write_text(text.replace('"2009","5606"', '"2009","5,606"'), encoding="utf-8")
    assert (
        len(
            read_raw(
                Path(RAW_DIR),
                "us_tip_law_enforcement",
                "glotip/us_tip_report_global_law_enforcement_2003_2015.csv",
            )
        )
        == 13
    )
    with pytest.raises(DataValidationError) as err:
        read_raw(tmp_path, "us_tip_law_enforcement", "u.csv")
    [failure] = err.value.failures
    assert (failure.column, failure.value) == ("Prosecutions", "5,606")
