"""``convictions``: country-year persons prosecuted and convicted (dataUNODC 2025-04-14), population, rate.

Expectations come from the raw dataUNODC CSV read with the standard library's ``csv`` module.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from tipstats.paths import RAW_DIR
from tipstats.pipeline import convictions as cb
from tipstats.pipeline.countries import with_country_columns
from tipstats.schemas import convictions as cs
from tipstats.schemas.base import validate

RAW_2025 = Path(RAW_DIR) / "glotip" / "data_glotip_2025-04-14.csv"
SHORT = {"Persons prosecuted": "prosecuted", "Persons convicted": "convicted"}


@pytest.fixture(scope="module")
def raw_totals() -> dict[tuple[str, int], dict[str, str]]:
    """(iso3, year) -> {'prosecuted': text, 'convicted': text} from the all-Total rows."""
    out: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    with open(RAW_2025, encoding="utf-8-sig", newline="") as handle:
        for r in csv.DictReader(handle):
            if r["Indicator"] in SHORT and r["Dimension"] == r["Category"] == r["Sex"] == r["Age"] == "Total":
                key = (r["Iso3_code"], int(r["Year"]))
                assert SHORT[r["Indicator"]] not in out[key]  # README: the all-Total row is unique
                out[key][SHORT[r["Indicator"]]] = r["txtVALUE"]
    return dict(out)


def test_one_row_per_country_year_with_an_entry(built, raw_totals):
    conv = built["convictions"]
    assert sorted(zip(conv["iso3"], conv["year"], strict=True)) == sorted(raw_totals)


def test_counts_and_flags_match_raw(built, raw_totals):
    conv = built["convictions"].set_index(["iso3", "year"])
    for key, cells in raw_totals.items():
        row = conv.loc[key]
        for short in ("prosecuted", "convicted"):
            text = cells.get(short)
            value, flag = row[f"persons_{short}"], row[f"{short}_flag"]
            if text is None:
                assert value is pd.NA and pd.isna(flag)
            elif text == "<5":
                assert value is pd.NA and flag == "suppressed_lt5"
            else:
                assert value == int(text.replace(",", "")) and pd.isna(flag)


def test_rate_population_and_sources(built):
    conv = built["convictions"]
    pop = built["population"].set_index(["iso3", "year"])["population"]
    for row in conv.itertuples():
        expected_pop = pop.get((row.iso3, row.year))
        if expected_pop is None:
            assert row.population is pd.NA and pd.isna(row.population_source_id)
        else:
            assert row.population == expected_pop and row.population_source_id == "wb_population"
        if row.persons_convicted is pd.NA or row.population is pd.NA:
            assert pd.isna(row.convicted_per_100k)
        else:
            assert row.convicted_per_100k == pytest.approx(
                row.persons_convicted / row.population * 1e5, rel=1e-12
            )
    assert set(conv["source_id"]) == {"glotip_2025"} and set(conv["release"]) == {"2025-04-14"}


def test_countries_without_population_are_named_in_caveat(built):
    conv = built["convictions"]
    missing = sorted(set(conv.loc[conv["population"].isna(), "iso3"]))
    names = built["countries"].set_index("iso3").loc[missing, "name"]
    caveat = " ".join(cs.Convictions.Config.metadata["caveats"])
    assert missing == ["COK", "VAT"]
    assert "Cook Islands" in names["COK"] and "Cook Islands" in caveat
    assert names["VAT"] == "Holy See" and "Holy See" in caveat


def test_coverage_numbers_in_caveat(raw_totals):
    caveat = " ".join(cs.Convictions.Config.metadata["caveats"])
    stats = {}
    for short in ("convicted", "prosecuted"):
        for year in (2003, 2007, 2018, 2022):
            cells = [c[short] for (_, y), c in raw_totals.items() if y == year and short in c]
            stats[(short, year)] = (len(cells), sum(c != "<5" for c in cells))
    c = stats
    assert (
        f"Persons convicted totals: {c['convicted', 2003][0]} countries in 2003 ({c['convicted', 2003][1]} of them "
        f"with a number, the others '<5'), {c['convicted', 2007][0]} in 2007 ({c['convicted', 2007][1]}), "
        f"{c['convicted', 2018][0]} in 2018 ({c['convicted', 2018][1]}), {c['convicted', 2022][0]} in 2022 "
        f"({c['convicted', 2022][1]})."
    ) in caveat
    assert (
        f"Persons prosecuted: {c['prosecuted', 2003][0]} in 2003 ({c['prosecuted', 2003][1]}), "
        f"{c['prosecuted', 2018][0]} in 2018 ({c['prosecuted', 2018][1]}), {c['prosecuted', 2022][0]} in 2022 "
        f"({c['prosecuted', 2022][1]})."
    ) in caveat
    # README: 22 countries in 2003 (12 numeric), 105 in 2018 (67 numeric)
    assert c["convicted", 2003] == (22, 12) and c["convicted", 2018] == (105, 67)


def test_convictions_unit_on_hand_made_frame():
    glotip = pd.DataFrame(
        {
            "release": "2025-04-14",
            "iso3": ["AAA", "AAA", "BBB", "CCC"],
            "indicator": [
                "Persons prosecuted",
                "Persons convicted",
                "Persons convicted",
                "Persons convicted",
            ],
            "dimension": "Total",
            "category": "Total",
            "sex": "Total",
            "age": "Total",
            "year": [2019, 2019, 2019, 2019],
            "value": pd.array([10, 4, pd.NA, 7], dtype="Int64"),
            "value_flag": pd.Series([None, None, "suppressed_lt5", None], dtype="str"),
            "source_id": "glotip_2025",
        }
    )
    population = pd.DataFrame({"iso3": ["AAA", "BBB"], "year": [2019, 2019], "population": [200_000, 1_000]})
    out = cb.convictions_from_glotip(glotip, population, population_id="wb_population").set_index("iso3")
    assert out.at["AAA", "convicted_per_100k"] == pytest.approx(2.0)
    assert out.at["BBB", "convicted_flag"] == "suppressed_lt5" and pd.isna(
        out.at["BBB", "convicted_per_100k"]
    )
    assert out.at["CCC", "population"] is pd.NA and pd.isna(out.at["CCC", "population_source_id"])
    assert out.at["AAA", "persons_prosecuted"] == 10 and out.at["BBB", "persons_prosecuted"] is pd.NA
    countries = pd.DataFrame(
        {"iso3": ["AAA", "BBB", "CCC"], "name": ["A", "B", "C"], "unodc_region": ["R", None, "R"],
         "unodc_subregion": ["S", None, "S"]}
    )  # fmt: skip
    named = with_country_columns(out.reset_index(), countries)
    assert named["country_name"].tolist() == ["A", "B", "C"] and named["unodc_region"].isna().tolist() == [
        False, True, False,
    ]  # fmt: skip
    validate(cs.Convictions, named, "hand-made")
