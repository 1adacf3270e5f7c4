"""Trust fund: all 73 figures kept, dates parsed no more precisely than given, range and vocabulary checks."""

from __future__ import annotations

import pandas as pd
import pytest

from tipstats.errors import DataValidationError
from tipstats.pipeline import BuildContext
from tipstats.pipeline import trust_fund as tf
from tipstats.raw import raw_model
from tipstats.schemas.base import validate
from tipstats.schemas.trust_fund import QUALIFIERS, UNITS, TrustFund
from tipstats.sources import read_registry

RAW_PATH = "trust_fund/unvtf_figures.csv"


@pytest.fixture(scope="module")
def raw(raw_dir):
    return pd.read_csv(raw_dir / RAW_PATH, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def built(raw_dir, reference_dir):
    ctx = BuildContext(raw_dir, reference_dir, read_registry(reference_dir))
    return validate(TrustFund, tf.build(ctx)["trust_fund"], "trust_fund")


def test_all_73_rows_kept_in_file_order(built, raw):
    assert len(raw) == 73 and len(built) == 73
    assert built["figure_id"].tolist() == [f"unvtf_{n:03d}" for n in range(1, 74)]
    assert built["quantity"].tolist() == raw["quantity"].tolist()
    assert built["date_or_period"].tolist() == raw["fiscal_year_or_date"].tolist()
    assert built["source_url"].tolist() == raw["source_url"].tolist()
    assert built["source_id"].eq("unvtf_figures").all()


def test_values_are_not_converted(built, raw):
    """Millions stay millions: each value is the number written in the file."""
    assert built["value"].tolist() == [float(v) for v in raw["value"]]
    first = built.iloc[0]
    assert (first["value"], first["unit"]) == (4.8, "USD million")


def test_units_and_qualifiers_as_given(built, raw):
    assert built["unit"].tolist() == raw["unit"].tolist()
    assert built["qualifier"].isna().tolist() == raw["qualifier"].isna().tolist()
    assert built["qualifier"].dropna().tolist() == raw["qualifier"].dropna().tolist()


def test_unit_vocabulary_covers_the_readme_and_nothing_unused(raw):
    readme_units = {
        "USD million",
        "USD",
        "EUR million",
        "projects",
        "NGOs",
        "countries",
        "proposals",
        "persons per year",
    }
    assert readme_units <= set(UNITS)
    assert set(UNITS) == set(raw["unit"])  # no unit in the vocabulary that the file does not use


def test_qualifiers_beyond_the_readme_list_are_only_grant_size_bounds(raw):
    readme = {"more than", "over", "close to", "nearly", "about", "up to", "some", "around", "estimated"}
    extra = set(QUALIFIERS) - readme
    assert extra == {"minimum", "maximum"}
    used = raw[raw["qualifier"].isin(extra)]
    assert sorted(used["quantity"]) == ["call3_grant_size_max", "call3_grant_size_min"]


def test_dates_only_where_the_source_gives_a_full_date(built, raw):
    full = raw["fiscal_year_or_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    assert built["date"].notna().tolist() == full.tolist()
    assert (built.loc[full, "date"].dt.strftime("%Y-%m-%d") == raw.loc[full, "fiscal_year_or_date"]).all()
    assert built["date"].min() >= pd.Timestamp("2010-01-01") and built["date"].max() <= pd.Timestamp(
        "2026-12-31"
    )
    undated = raw["fiscal_year_or_date"].str.startswith("undated")
    assert built.loc[undated, "year"].isna().all() and undated.sum() == 2


def test_fourth_call_is_dated_2020_by_unodc_sources(built):
    """README: the fourth call's 32 projects in 24 countries are 2020 in UNODC sources, not 2019."""
    call4 = built[built["quantity"].isin(["call4_projects_awarded", "call4_project_countries"])]
    assert call4["value"].tolist() == [32.0, 24.0]
    assert call4["year"].tolist() == [2020, 2020]


@pytest.mark.parametrize(
    ("text", "date", "year", "precision"),
    [
        ("2021-03-08", pd.Timestamp("2021-03-08"), 2021, "day"),
        ("2017-09", pd.NaT, 2017, "month"),
        ("2020", pd.NaT, 2020, "year"),
        ("2026 (cycle 10.2)", pd.NaT, 2026, "year"),
        ("2011-2014", pd.NaT, None, "period"),
        ("2014 (launch) - 2017", pd.NaT, None, "period"),
        ("undated (older page)", pd.NaT, None, "undated"),
    ],
)
def test_parse_date_or_period(text, date, year, precision):
    got = tf.parse_date_or_period(text)
    assert (got["year"], got["date_precision"]) == (year, precision)
    assert (pd.isna(got["date"]) and pd.isna(date)) or got["date"] == date


@pytest.mark.parametrize("text", ["2021-13", "2021-02-30", "sometime in 2020", "2017-2014", ""])
def test_parse_date_or_period_rejects_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        tf.parse_date_or_period(text)


def test_unreadable_date_is_reported_with_its_row(raw):
    bad = raw.copy()
    bad.loc[4, "fiscal_year_or_date"] = "last spring"
    with pytest.raises(DataValidationError) as info:
        tf.trust_fund_from_raw(bad, "unvtf_figures.csv")
    failure = info.value.failures[0]
    assert (failure.row, failure.column) == (6, "fiscal_year_or_date")


@pytest.mark.parametrize(
    ("column", "value", "check"),
    [
        ("value", -1.0, "greater_than_or_equal_to(0)"),
        ("year", 2009, "greater_than_or_equal_to(2010)"),
        ("year", 2027, "less_than_or_equal_to(2026)"),
        ("date", pd.Timestamp("2027-01-01"), "less_than_or_equal_to(2026-12-31"),
        ("date", pd.Timestamp("2009-12-31"), "greater_than_or_equal_to(2010-01-01"),
        ("unit", "GBP million", "isin("),
        ("qualifier", "roughly", "isin("),
    ],
)
def test_processed_model_rejects_out_of_range_values(built, column, value, check):
    bad = built.copy()
    bad[column] = bad[column].astype(object)
    bad.loc[0, column] = value
    with pytest.raises(DataValidationError) as info:
        validate(TrustFund, bad, "trust_fund")
    found = [(f.row, f.column) for f in info.value.failures if f.check.startswith(check)]
    assert found == [(2, column)]


@pytest.mark.parametrize(("column", "value"), [("value", "-5"), ("value", "4,8"), ("unit", "USD billion")])
def test_raw_model_rejects_a_corrupted_cell(raw, column, value):
    bad = raw.copy()
    bad.loc[2, column] = value
    with pytest.raises(DataValidationError) as info:
        validate(raw_model("unvtf_figures"), bad, RAW_PATH)
    failure = info.value.failures[0]
    assert (failure.row, failure.column, failure.value) == (4, column, value)
