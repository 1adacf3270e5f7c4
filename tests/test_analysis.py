"""The convictions-against-legislation analysis: estimators on synthetic panels, and the real data.

Expectations come from hand-made inputs (hand arithmetic), from the parameters a synthetic panel was
generated with, or - for the real data - from counts taken directly from the processed CSV files with
the csv module, never from the output of the code under test.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tipstats.analysis import convictions as cv
from tipstats.paths import processed_dir

KELLEY = "kelley_full_criminalisation"
FLAG = "suppressed_lt5"
YEARS = tuple(range(2003, 2019))


# -- synthetic panels -------------------------------------------------------------------------------


def _frames(rows: list[dict], legislation: dict[str, int | None], us_tip: dict[str, int] | None = None):
    conv = pd.DataFrame(rows, columns=["iso3", "year", "persons_convicted", "convicted_flag", "population"])
    conv["year"] = conv["year"].astype("int64")
    conv["persons_convicted"] = conv["persons_convicted"].astype("Int64")
    conv["population"] = conv["population"].astype("Int64")
    conv["convicted_flag"] = conv["convicted_flag"].astype("str")
    leg_rows = [{"iso3": k, "yardstick": KELLEY, "year": v} for k, v in legislation.items()]
    leg_rows += [{"iso3": k, "yardstick": "us_tip_report_law", "year": v} for k, v in (us_tip or {}).items()]
    leg = pd.DataFrame(leg_rows, columns=["iso3", "yardstick", "year"])
    leg["year"] = leg["year"].astype("Int64")
    return conv, leg


def _row(iso3, year, count=None, population=1_000_000, suppressed=False):
    return {
        "iso3": iso3,
        "year": year,
        "persons_convicted": None if suppressed else count,
        "convicted_flag": FLAG if suppressed else None,
        "population": population,
    }


# Legislation years spread over the cohorts; None = not fully criminalised / unknown.
LEGISLATION_CYCLE = (1996, 1999, 2001, 2002, 2004, 2006, 2008, 2010, 2012, 2014, None)


def _cohort(year):
    if year is None:
        return "none or unknown"
    return "before 2003" if year < 2003 else ("2003-2008" if year <= 2008 else "2009 or later")


def _code(i: int) -> str:
    return f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}{chr(65 + i // 676)}"


def multiplicative_panel(
    seed, n=40, years=YEARS, cohort_rr=None, trend=0.0, sigma=0.25, rate=2.0, pop=(2e5, 2e7), suppress=True
):
    """Poisson counts with log rate = log(rate) + trend * (year - 2003) + log(cohort_rr) + country effect."""
    rng = np.random.default_rng(seed)
    cohort_rr = cohort_rr or {}
    legislation = {_code(i): LEGISLATION_CYCLE[i % len(LEGISLATION_CYCLE)] for i in range(n)}
    populations = np.exp(rng.uniform(np.log(pop[0]), np.log(pop[1]), n)).round()
    effects = rng.normal(0, sigma, n)
    rows = []
    for i, (code, leg) in enumerate(legislation.items()):
        for year in years:
            mean = rate * math.exp(effects[i] + trend * (year - 2003)) * cohort_rr.get(_cohort(leg), 1.0)
            count = int(rng.poisson(mean * populations[i] / 1e5))
            small = suppress and count < 5
            rows.append(_row(code, year, None if small else count, int(populations[i]), small))
    return _frames(rows, legislation)


def additive_panel(seed, n=40, years=YEARS, effect=lambda e: 0.0, population=10_000_000):
    """Rate per 100,000 = country level + year level + effect(event time), counts Poisson around it."""
    rng = np.random.default_rng(seed)
    legislation = {_code(i): int(v) for i, v in enumerate(rng.integers(1996, 2016, n))}
    country = rng.uniform(1.0, 3.0, n)
    year_level = {y: 0.05 * (y - 2003) for y in years}
    rows = []
    for i, (code, leg) in enumerate(legislation.items()):
        for year in years:
            mean = country[i] + year_level[year] + effect(year - leg)
            rows.append(_row(code, year, int(rng.poisson(mean * population / 1e5)), population))
    return _frames(rows, legislation)


# -- the panel -----------------------------------------------------------------------------------


def test_panel_treatments_cohorts_event_time_and_usable():
    conv, leg = _frames(
        [
            _row("AAA", 2003, 10, 1_000_000),
            _row("AAA", 2004, suppressed=True, population=2_000_000),
            _row("AAA", 2005, None, 1_000_000),  # a prosecuted-only row: no convicted value
            _row("BBB", 2003, 3, None),  # no population: not usable
            _row("CCC", 2003, 6, 500_000),
            _row("DDD", 2003, 1, 100_000),
            _row("EEE", 2003, 7, 700_000),
            _row("FFF", 2003, 8, 800_000),
        ],
        {"AAA": 2002, "BBB": 2003, "CCC": 2008, "DDD": 2009, "EEE": None},
        us_tip={"EEE": 2016, "AAA": 1990},
    )
    panels = {t: cv.analysis_panel(conv, leg, t) for t in ("lower", "middle", "upper")}
    mid = panels["middle"].set_index(["iso3", "year"])
    assert mid.loc[("AAA", 2004), "count_status"] == "suppressed"
    assert mid.loc[("AAA", 2005), "count_status"] == "missing"
    for t, value in {"lower": 0.0, "middle": 2.0, "upper": 4.0}.items():
        p = panels[t].set_index(["iso3", "year"])
        assert p.loc[("AAA", 2004), "convicted"] == value
        assert p.loc[("AAA", 2004), "rate_per_100k"] == pytest.approx(value / 2_000_000 * 1e5)
    assert mid.loc[("AAA", 2003), "rate_per_100k"] == pytest.approx(1.0)
    assert mid.loc[("CCC", 2003), "rate_per_100k"] == pytest.approx(1.2)
    assert bool(mid.loc[("AAA", 2004), "usable"]) and not bool(mid.loc[("AAA", 2005), "usable"])
    assert not bool(mid.loc[("BBB", 2003), "usable"]) and math.isnan(mid.loc[("BBB", 2003), "rate_per_100k"])
    cohorts = mid.reset_index().drop_duplicates("iso3").set_index("iso3")["cohort"].to_dict()
    assert cohorts == {
        "AAA": "before 2003",
        "BBB": "2003-2008",
        "CCC": "2003-2008",
        "DDD": "2009 or later",
        "EEE": "none or unknown",  # a US TIP year is a different yardstick: not used by default
        "FFF": "none or unknown",  # no legislation row at all
    }
    assert mid.loc[("AAA", 2005), "event_time"] == 3
    assert mid.loc[("DDD", 2003), "event_time"] == -6
    assert pd.isna(mid.loc[("EEE", 2003), "event_time"])
    extended = cv.analysis_panel(conv, leg, extend_with_us_tip=True).set_index(["iso3", "year"])
    assert extended.loc[("EEE", 2003), "cohort"] == "2009 or later"
    assert extended.loc[("EEE", 2003), "legislation_yardstick"] == "us_tip_report_law"
    assert extended.loc[("AAA", 2003), "legislation_year"] == 2002  # Kelley kept where it has a year


def test_panel_rejects_bad_input():
    conv, leg = _frames([_row("AAA", 2003, 1), _row("AAA", 2003, 2)], {"AAA": 2001})
    with pytest.raises(ValueError, match="duplicate"):
        cv.analysis_panel(conv, leg)
    conv, leg = _frames([_row("AAA", 2003, 1)], {"AAA": 2001})
    conv["convicted_flag"] = FLAG
    with pytest.raises(ValueError, match="both a count"):
        cv.analysis_panel(conv, leg)
    with pytest.raises(ValueError, match="suppressed must be"):
        cv.analysis_panel(conv.assign(convicted_flag=None), leg, "high")
    with pytest.raises(ValueError, match="lacks column"):
        cv.analysis_panel(conv.drop(columns="population"), leg)


def test_balanced_panel_uses_the_stated_share_of_window_years():
    rows = []
    for y in range(2003, 2008):  # AAA usable in all 5 years
        rows.append(_row("AAA", y, 10))
    for y in (2003, 2004, 2005):  # BBB: 3 numeric + 1 suppressed = 4 of 5 = 0.8
        rows.append(_row("BBB", y, 10))
    rows.append(_row("BBB", 2007, suppressed=True))
    for y in (2003, 2004, 2005):  # CCC: 3 usable, 1 without population = 3 of 5
        rows.append(_row("CCC", y, 10))
    rows.append(_row("CCC", 2006, 10, None))
    rows.append(_row("CCC", 2010, 10))  # outside the window
    conv, leg = _frames(rows, {"AAA": 2001, "BBB": 2005, "CCC": None})
    panel = cv.analysis_panel(conv, leg)
    members = cv.panel_membership(panel, 0.8, (2003, 2007)).set_index("iso3")
    assert members["n_usable_years"].to_dict() == {"AAA": 5, "BBB": 4, "CCC": 3}
    assert members["balanced"].to_dict() == {"AAA": True, "BBB": True, "CCC": False}
    balanced = cv.balanced_panel(panel, 0.8, (2003, 2007))
    assert sorted(balanced["iso3"].unique()) == ["AAA", "BBB"]
    assert balanced["year"].between(2003, 2007).all()
    assert set(cv.balanced_panel(panel, 1.0, (2003, 2007))["iso3"]) == {"AAA"}


def test_coverage_matrix_statuses():
    conv, leg = _frames(
        [_row("AAA", 2003, 4), _row("AAA", 2005, suppressed=True), _row("BBB", 2004, 3, None)],
        {"AAA": 2001},
    )
    cov = cv.coverage_matrix(conv, leg).set_index(["iso3", "year"])["status"].to_dict()
    assert cov == {
        ("AAA", 2003): "numeric",
        ("AAA", 2004): "missing",
        ("AAA", 2005): "suppressed",
        ("BBB", 2003): "missing",
        ("BBB", 2004): "no population",
        ("BBB", 2005): "missing",
    }


# -- rates by cohort ----------------------------------------------------------------------------


def test_cohort_rates_by_hand():
    conv, leg = _frames(
        [
            _row("AAA", 2003, 10, 1_000_000),  # before 2003: rate 1.0
            _row("BBB", 2003, 30, 2_000_000),  # before 2003: rate 1.5
            _row("CCC", 2003, suppressed=True, population=500_000),  # 2003-2008
            _row("DDD", 2003, 9, 3_000_000),  # 2003-2008: rate 0.3
            _row("EEE", 2003, None, 1_000_000),  # missing: not counted
        ],
        {"AAA": 2000, "BBB": 1999, "CCC": 2005, "DDD": 2003, "EEE": 2004},
    )
    rates = cv.cohort_rates(conv, leg, window=(2003, 2003), min_share=1.0)
    rates = rates[rates["sample"] == "all reporting"].set_index(["suppressed", "cohort", "year"])
    before = rates.loc[("middle", "before 2003", 2003)]
    assert before["n_countries"] == 2
    assert before["pooled_rate_per_100k"] == pytest.approx(40 / 3_000_000 * 1e5)
    assert before["median_rate_per_100k"] == pytest.approx((1.0 + 1.5) / 2)
    for t, value in {"lower": 0, "middle": 2, "upper": 4}.items():
        later = rates.loc[(t, "2003-2008", 2003)]
        assert later["n_countries"] == 2 and later["n_suppressed"] == 1 and later["n_numeric"] == 1
        assert later["pooled_rate_per_100k"] == pytest.approx((9 + value) / 3_500_000 * 1e5)
        overall = rates.loc[(t, "all", 2003)]
        assert overall["n_countries"] == 4
        assert overall["pooled_rate_per_100k"] == pytest.approx((49 + value) / 6_500_000 * 1e5)
    assert ("middle", "none or unknown", 2003) not in rates.index  # no usable country: no point


def test_lt5_treatments_bound_each_other():
    conv, leg = multiplicative_panel(3, n=30, rate=0.4, pop=(1e5, 3e6))
    assert (conv["convicted_flag"] == FLAG).mean() > 0.2  # the bounds are exercised
    rates = cv.cohort_rates(conv, leg)
    wide = rates.pivot_table(
        index=["sample", "cohort", "year"],
        columns="suppressed",
        values=["pooled_rate_per_100k", "median_rate_per_100k"],
    )
    for measure in ("pooled_rate_per_100k", "median_rate_per_100k"):
        assert (wide[(measure, "lower")] <= wide[(measure, "middle")] + 1e-12).all()
        assert (wide[(measure, "middle")] <= wide[(measure, "upper")] + 1e-12).all()
    assert (wide[("pooled_rate_per_100k", "lower")] < wide[("pooled_rate_per_100k", "upper")]).any()
    # the same countries stand behind every treatment
    n = rates.pivot_table(index=["sample", "cohort", "year"], columns="suppressed", values="n_countries")
    assert (n["lower"] == n["upper"]).all() and (n["lower"] == n["middle"]).all()
    trip = cv.tripling_ratio(conv, leg, n_boot=200).set_index(["sample", "suppressed"])
    for sample in ("all reporting", "matched", "balanced"):
        for column in ("rate_base_per_100k", "rate_end_per_100k"):
            lo, mid, hi = (trip.loc[(sample, t), column] for t in ("lower", "middle", "upper"))
            assert lo <= mid <= hi


# -- "nearly tripled" ------------------------------------------------------------------------------


def _tiny_tripling_panel():
    rows = [
        # AAA: every year; 2003 rate 1.0, 2006 rate 3.0
        _row("AAA", 2003, 10, 1_000_000),
        _row("AAA", 2004, 12, 1_000_000),
        _row("AAA", 2005, 20, 1_000_000),
        _row("AAA", 2006, 30, 1_000_000),
        # BBB: only the two end years (not balanced at 0.8 of 2003-2006)
        _row("BBB", 2003, 20, 2_000_000),
        _row("BBB", 2006, 22, 2_200_000),
        # CCC: only 2006 (all-reporting sample only)
        _row("CCC", 2006, 50, 1_000_000),
        # DDD: suppressed in 2003, every year usable
        _row("DDD", 2003, suppressed=True, population=500_000),
        _row("DDD", 2004, 6, 500_000),
        _row("DDD", 2005, 7, 500_000),
        _row("DDD", 2006, 9, 500_000),
    ]
    return _frames(rows, {"AAA": 2001, "BBB": 2004, "CCC": None, "DDD": 2010})


def test_tripling_ratio_equals_hand_computation():
    conv, leg = _tiny_tripling_panel()
    out = cv.tripling_ratio(conv, leg, base_year=2003, end_year=2006, window=(2003, 2006), n_boot=300)
    out = out.set_index(["sample", "suppressed"])
    for t, s in {"lower": 0, "middle": 2, "upper": 4}.items():
        # all reporting: 2003 = AAA, BBB, DDD; 2006 = AAA, BBB, CCC, DDD
        base = (10 + 20 + s) / (1_000_000 + 2_000_000 + 500_000)
        end = (30 + 22 + 50 + 9) / (1_000_000 + 2_200_000 + 1_000_000 + 500_000)
        assert out.loc[("all reporting", t), "ratio"] == pytest.approx(end / base)
        # matched: AAA, BBB, DDD in both years
        end_m = (30 + 22 + 9) / (1_000_000 + 2_200_000 + 500_000)
        assert out.loc[("matched", t), "ratio"] == pytest.approx(end_m / base)
        # balanced (4 of 4 years needed): AAA and DDD
        base_b, end_b = (10 + s) / 1_500_000, (30 + 9) / 1_500_000
        assert out.loc[("balanced", t), "ratio"] == pytest.approx(end_b / base_b)
        assert out.loc[("balanced", t), "rate_base_per_100k"] == pytest.approx(base_b * 1e5)
    counts = out.xs("middle", level="suppressed")[["n_countries_base", "n_countries_end", "n_countries"]]
    assert counts.loc["all reporting"].tolist() == [3, 4, 4]
    assert counts.loc["matched"].tolist() == [3, 3, 3]
    assert counts.loc["balanced"].tolist() == [2, 2, 2]
    # diagnostics, middle treatment, matched sample: own ratios AAA 3.0, BBB 1.0, DDD 4.5
    matched = out.loc[("matched", "middle")]
    assert matched["median_country_ratio"] == pytest.approx(3.0)
    full = (61 / 3_700_000) / (32 / 3_500_000)
    leave_one_out = {
        "AAA": ((22 + 9) / 2_700_000) / ((20 + 2) / 2_500_000),
        "BBB": ((30 + 9) / 1_500_000) / ((10 + 2) / 1_500_000),
        "DDD": ((30 + 22) / 3_200_000) / ((10 + 20) / 3_000_000),
    }
    biggest = max(leave_one_out, key=lambda c: abs(math.log(leave_one_out[c] / full)))
    assert matched["ratio"] == pytest.approx(full)
    assert matched["most_influential_country"] == biggest
    assert matched["ratio_without_it"] == pytest.approx(leave_one_out[biggest])
    assert not out.loc[("all reporting", "middle"), "comparable"]
    assert out.loc[("matched", "middle"), "comparable"] and out.loc[("balanced", "middle"), "comparable"]
    assert "not a trend" in out.loc[("all reporting", "middle"), "note"]
    # with only two countries, a draw of one country twice is still valid; the interval brackets the estimate
    bal = out.loc[("balanced", "middle")]
    assert bal["ci_low"] <= bal["ratio"] <= bal["ci_high"]


def test_tripling_ratio_restricted_to_cohorts():
    conv, leg = _tiny_tripling_panel()  # AAA before 2003, BBB 2003-2008, CCC none, DDD 2009 or later
    out = cv.tripling_ratio(
        conv, leg, base_year=2003, end_year=2006, window=(2003, 2006), n_boot=50,
        cohorts=["2009 or later", "before 2003"],
    ).set_index(["sample", "suppressed"])  # fmt: skip
    assert set(out["cohort"]) == {"before 2003 + 2009 or later"}
    for t, s in {"lower": 0, "middle": 2, "upper": 4}.items():
        assert out.loc[("matched", t), "ratio"] == pytest.approx(
            ((30 + 9) / 1_500_000) / ((10 + s) / 1_500_000)
        )
        assert out.loc[("all reporting", t), "n_countries"] == 2
    with pytest.raises(ValueError, match="cohorts must be"):
        cv.tripling_ratio(conv, leg, window=(2003, 2006), end_year=2006, cohorts=["1990s"])


def test_tripling_ratio_bootstrap_is_seeded():
    conv, leg = multiplicative_panel(5, n=20, trend=0.05)
    a = cv.tripling_ratio(conv, leg, n_boot=300, seed=1)
    b = cv.tripling_ratio(conv, leg, n_boot=300, seed=1)
    c = cv.tripling_ratio(conv, leg, n_boot=300, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["ci_low"], c["ci_low"])


def test_tripling_ratio_recovers_a_known_trend():
    # log-rate slope 0.07 a year: the 2018/2003 ratio of every country's expected rate is exp(0.07 * 15)
    conv, leg = multiplicative_panel(11, n=40, trend=0.07, sigma=0.3)
    truth = math.exp(0.07 * 15)
    out = cv.tripling_ratio(conv, leg, n_boot=1000).set_index(["sample", "suppressed"])
    for sample in ("matched", "balanced"):
        row = out.loc[(sample, "middle")]
        assert row["ci_low"] <= truth <= row["ci_high"]
        assert row["ci_low"] > 1


# -- count models -------------------------------------------------------------------------------


def test_cohort_rate_ratios_recover_known_cohort_effects():
    truth = {"2003-2008": 0.5, "2009 or later": 0.25, "none or unknown": 1.0}
    conv, leg = multiplicative_panel(7, n=66, cohort_rr=truth, trend=0.04, sigma=0.25)
    out = cv.cohort_rate_ratios(conv, leg, treatments=("middle",), samples=("all reporting",))
    assert set(out["model"]) == {"poisson", "negative binomial"}
    cohorts = out[out["specification"] == "cohorts"]
    assert len(cohorts) == 6 and cohorts["converged"].all()
    for row in cohorts.itertuples():
        assert row.ci_low <= truth[row.cohort] <= row.ci_high, (row.model, row.cohort)
        assert row.reference == "before 2003"
        if truth[row.cohort] < 1:
            assert row.ci_high < 1
    pooled = out[(out["specification"] == "pooled") & (out["cohort"] == "2003 or later")]
    assert len(pooled) == 2 and (pooled["ci_high"] < 1).all()
    expected_countries = sum(1 for i in range(66) if _cohort(LEGISLATION_CYCLE[i % 11]) == "before 2003")
    assert (out["n_countries_reference"] == expected_countries).all()
    assert (out["n_obs"] == len(conv)).all()
    assert out.loc[out["model"] == "negative binomial", "dispersion_alpha"].gt(0).all()


def test_cohort_rate_ratio_reference_absent_is_reported_not_fitted():
    conv, leg = multiplicative_panel(2, n=10)
    leg = leg.assign(year=pd.array([2005] * len(leg), dtype="Int64"))
    out = cv.cohort_rate_ratios(
        conv, leg, treatments=("middle",), samples=("all reporting",), models=("poisson",)
    )
    assert out["rate_ratio"].isna().all() and out["note"].str.contains("no usable rows").all()


# -- event study --------------------------------------------------------------------------------


def _effect(e: int) -> float:
    # zero before the law, a jump and a slow rise after it, constant beyond the binned ends
    if e < 0:
        return 0.0
    return 0.4 + 0.05 * min(e, 10)


def test_event_study_recovers_a_known_event_time_effect():
    conv, leg = additive_panel(21, n=60, effect=_effect)
    out = cv.event_study(conv, leg, treatments=("middle",), samples=("all reporting",))
    assert out["event_time"].tolist() == list(range(-5, 11))
    ref = out[out["is_reference"]]
    assert ref["event_time"].tolist() == [-1] and ref["estimate"].tolist() == [0.0]
    est = out[~out["is_reference"]]
    truth = np.array([_effect(e) - _effect(-1) for e in est["event_time"]])
    covered = (est["ci_low"].to_numpy() <= truth) & (truth <= est["ci_high"].to_numpy())
    assert covered.sum() >= len(est) - 1
    assert np.abs(est["estimate"].to_numpy() - truth).max() < 0.15
    assert (est.loc[est["event_time"] >= 0, "ci_low"] > 0).all()
    assert out["binned"].tolist() == [e in (-5, 10) for e in range(-5, 11)]
    # n behind each coefficient, computed from the generating years
    events = [y - leg.set_index("iso3").loc[c, "year"] for c in leg["iso3"] for y in YEARS]
    assert out.set_index("event_time").loc[-5, "n_obs_event"] == sum(e <= -5 for e in events)
    assert out.set_index("event_time").loc[3, "n_obs_event"] == sum(e == 3 for e in events)


@pytest.mark.filterwarnings(
    "ignore:invalid value encountered in sqrt:RuntimeWarning"
)  # statsmodels, singular design
def test_event_study_reports_an_unidentified_design_instead_of_numbers():
    # every country legislated in 2007: event time is year - 2007, collinear with the year effects
    rows = [
        _row(_code(i), y, 10 + i + 2 * (y - 2003), 1_000_000) for i in range(6) for y in range(2003, 2012)
    ]
    conv, leg = _frames(rows, {_code(i): 2007 for i in range(6)})
    out = cv.event_study(conv, leg, treatments=("middle",), samples=("all reporting",), window=(2003, 2011))
    free = out[~out["is_reference"]]
    assert free["estimate"].isna().all() and free["ci_low"].isna().all()
    assert out["note"].str.contains("not of full rank").all()


# -- intervals under no effect: coverage in seeded simulations ------------------------------------


def _coverage_band(rate: float, reps: int, name: str) -> None:
    # nominal 0.95; 3 binomial standard errors of a 200-rep proportion is about 0.046
    assert 0.95 - 3 * math.sqrt(0.95 * 0.05 / reps) - 0.01 <= rate <= 0.995, (name, rate)


def simulate_coverage(reps: int) -> dict[str, float]:
    """Share of 95 % intervals that cover the truth (no effect) over ``reps`` seeded panels."""
    cohort_hits, event_hits, ratio_hits = [], [], []
    years = tuple(range(2003, 2011))
    for rep in range(reps):
        conv, leg = multiplicative_panel(
            1000 + rep, n=33, years=years, sigma=0.3, pop=(5e5, 5e6), suppress=False
        )
        rr = cv.cohort_rate_ratios(
            conv, leg, treatments=("middle",), samples=("all reporting",), models=("poisson",),
            specifications=("cohorts",), window=(2003, 2010),
        )  # fmt: skip
        assert len(rr) == 3
        cohort_hits.append(((rr["ci_low"] <= 1) & (rr["ci_high"] >= 1)).mean())
        trip = cv.tripling_ratio(
            conv, leg, end_year=2010, window=(2003, 2010), treatments=("middle",), n_boot=300, seed=rep
        )
        row = trip[trip["sample"] == "matched"].iloc[0]
        ratio_hits.append(row["ci_low"] <= 1 <= row["ci_high"])
        conv, leg = additive_panel(5000 + rep, n=30, years=years, population=2_000_000)
        es = cv.event_study(
            conv, leg, treatments=("middle",), samples=("all reporting",), window=(2003, 2010)
        )
        es = es[~es["is_reference"] & es["estimate"].notna()]
        event_hits.append(((es["ci_low"] <= 0) & (es["ci_high"] >= 0)).mean())
    return {
        "cohort rate ratios": float(np.mean(cohort_hits)),
        "event study": float(np.mean(event_hits)),
        "tripling ratio bootstrap": float(np.mean(ratio_hits)),
    }


def test_intervals_cover_no_effect_at_about_the_nominal_rate():
    # The 600 small fits run in a child process with single-threaded BLAS: on a shared 2-core machine,
    # OpenBLAS threads competing with other processes made each small QR/SVD call 100 times slower.
    # The child imports this module and calls simulate_coverage; nothing else differs.
    reps = 200
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    code = f"import json, test_analysis; print(json.dumps(test_analysis.simulate_coverage({reps})))"
    child = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(__file__).parent, env=env,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr[-3000:]
    coverage = json.loads(child.stdout.strip().splitlines()[-1])
    assert set(coverage) == {"cohort rate ratios", "event study", "tripling ratio bootstrap"}
    for name, rate in coverage.items():
        _coverage_band(rate, reps, name)


# -- verdicts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "low", "high", "expected"),
    [
        (2.7, 2.2, 3.3, "reproduced"),
        (2.5, 1.01, 6.0, "reproduced"),
        (2.7, 0.9, 6.0, "inconclusive"),  # the interval also allows no change
        (3.4, 2.9, 4.0, "inconclusive"),  # overlaps the region, estimate above it
        (1.8, 1.5, 2.2, "differs"),
        (4.5, 3.5, 6.0, "differs"),
        (1.2, 0.8, 1.9, "not reproduced"),
        (0.5, 0.3, 0.8, "not reproduced"),
        (float("nan"), 1.0, 2.0, "inconclusive"),
    ],
)
def test_tripling_verdict_rule(ratio, low, high, expected):
    assert cv.tripling_verdict(ratio, low, high) == expected


@pytest.mark.parametrize(
    ("rr", "low", "high", "expected"),
    [(0.5, 0.3, 0.9, "reproduced"), (1.5, 1.1, 2.0, "differs"), (0.8, 0.5, 1.3, "inconclusive")],
)
def test_higher_before_verdict_rule(rr, low, high, expected):
    assert cv.higher_before_verdict(rr, low, high) == expected


def _given_results(ratios: dict[str, tuple[float, float, float]], rrs: dict[str, tuple[float, float, float]]):
    """Result tables at the three '<5' fills (the mid-point and the two fills of the sharp bounds)."""
    trip_rows = []
    for sample in ("all reporting", "matched", "balanced"):
        for t, (r, lo, hi) in ratios.items():
            trip_rows.append(
                {"sample": sample, "suppressed": t, "base_year": 2003, "end_year": 2018,
                 "comparable": sample != "all reporting", "rate_base_per_100k": 0.1, "rate_end_per_100k": 0.1 * r,
                 "ratio": r, "ci_low": lo, "ci_high": hi, "n_countries_base": 11, "n_countries_end": 12,
                 "n_countries": 13}
            )  # fmt: skip
    rr_rows = []
    for sample in ("all reporting", "balanced"):
        for t, (r, lo, hi) in rrs.items():
            rr_rows.append(
                {"sample": sample, "suppressed": t, "model": "poisson", "specification": "pooled",
                 "cohort": "2003 or later", "rate_ratio": r, "ci_low": lo, "ci_high": hi, "n_obs": 321,
                 "n_countries": 45, "n_countries_cohort": 30, "n_countries_reference": 9, "window": "2003-2018"}
            )  # fmt: skip
    checks = pd.DataFrame(columns=["statement_id", "sample", "check", "value", "bound_low", "bound_high",
                                   "ci_low", "ci_high"])  # fmt: skip
    return pd.DataFrame(trip_rows), pd.DataFrame(rr_rows), checks


def test_verdicts_combine_fills_and_explain_with_the_numbers():
    trip, rrs, checks = _given_results(
        {"bound low": (2.61, 2.01, 3.31), "middle": (2.71, 2.11, 3.41), "bound high": (2.81, 2.21, 3.51)},
        {"bound low": (0.41, 0.21, 0.91), "middle": (0.52, 0.31, 1.2), "bound high": (0.6, 0.35, 1.3)},
    )
    out = cv.verdicts(tripling=trip, rate_ratios=rrs, checks=checks)
    assert out["statement_id"].value_counts().to_dict() == {
        "tripled_since_2003": 3,
        "higher_if_legislated_before_2003": 2,
    }
    primary = out[out["primary"]].set_index("statement_id")
    assert primary.index.tolist() == ["tripled_since_2003", "higher_if_legislated_before_2003"]
    # statements, not claims: which claim of the report a statement tests is for tipstats.claims_audit to say
    assert "claim_id" not in out.columns
    assert primary["statement"].tolist() == [cv.STATEMENTS[s] for s in primary.index]
    tripled = primary.loc["tripled_since_2003"]
    assert tripled["sample"] == "balanced"
    assert tripled["verdict"] == "reproduced" and not tripled["conclusion_changes_with_lt5"]
    # the interval is the widest over the fills; value_lower / value_upper are the sharp bounds
    assert (tripled["value"], tripled["ci_low"], tripled["ci_high"]) == (2.71, 2.01, 3.51)
    assert (tripled["value_lower"], tripled["value_upper"]) == (2.61, 2.81)
    assert (
        "2.71" in tripled["explanation"]
        and "2.01" in tripled["explanation"]
        and "13 countries" in tripled["explanation"]
    )
    higher = primary.loc["higher_if_legislated_before_2003"]
    assert higher["sample"] == "all reporting"
    assert [higher[f"verdict_{t}"] for t in ("bound_low", "middle", "bound_high")] == [
        "reproduced",
        "inconclusive",
        "inconclusive",
    ]
    assert higher["verdict"] == "inconclusive" and higher["conclusion_changes_with_lt5"]
    assert "0.52" in higher["explanation"] and "30 countries" in higher["explanation"]
    naive = out[(out["statement_id"] == "tripled_since_2003") & (out["sample"] == "all reporting")].iloc[0]
    assert "not a trend" in naive["explanation"]


# -- determinism and the written tables ---------------------------------------------------------------


def test_write_tables_is_byte_identical_on_rerun(tmp_path):
    conv, leg = multiplicative_panel(9, n=24, cohort_rr={"2003-2008": 0.6}, trend=0.03)
    # the event-study tables cut each control at the last year Kelley observed it
    leg["last_year_observed"] = pd.array([2014] * len(leg), dtype="Int64")
    first = cv.write_tables(tmp_path / "a", conv, leg)
    second = cv.write_tables(tmp_path / "b", conv, leg)
    assert [p.name for p in first] == [p.name for p in second] == sorted(p.name for p in first)
    assert {p.name for p in first} >= {"convictions_verdicts.csv", "convictions_tripling_ratio.csv"}
    for a, b in zip(first, second, strict=True):
        data = a.read_bytes()
        assert data == b.read_bytes(), a.name
        assert b"\r" not in data and data.endswith(b"\n")
    verdicts = pd.read_csv(tmp_path / "a" / "convictions_verdicts.csv")
    assert set(verdicts["verdict"]) <= {"reproduced", "not reproduced", "differs", "inconclusive"}
    # floats carry at most 6 significant digits
    ratios = pd.read_csv(tmp_path / "a" / "convictions_cohort_rate_ratios.csv", dtype=str)
    digits = ratios["rate_ratio"].str.replace(r"e.*$", "", regex=True).str.replace(".", "").str.lstrip("0-")
    assert digits.str.len().max() <= 6


def test_results_are_sorted():
    conv, leg = multiplicative_panel(4, n=15)
    rates = cv.cohort_rates(conv, leg, treatments=("upper", "lower"))
    assert rates["suppressed"].drop_duplicates().tolist() == ["lower", "upper"]
    first = rates[(rates["sample"] == "all reporting") & (rates["suppressed"] == "lower")]
    assert first["cohort"].drop_duplicates().tolist()[0] == "all"
    assert first.groupby("cohort")["year"].apply(lambda s: s.is_monotonic_increasing).all()


# -- the real data -----------------------------------------------------------------------------------

CONVICTIONS_CSV = processed_dir() / "convictions.csv"  # the folder tipstats.load() reads
LEGISLATION_CSV = processed_dir() / "legislation.csv"
# The processed data are part of the repository: these tests fail (never skip) when they are missing.
real = pytest.mark.slow


def _csv_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def real_results():
    import tipstats

    conv, leg = tipstats.load("convictions"), tipstats.load("legislation")
    trip = cv.tripling_ratio(conv, leg)
    ratios = cv.cohort_rate_ratios(conv, leg)
    return {
        "rates": cv.cohort_rates(conv, leg),
        "tripling": trip,
        "ratios": ratios,
        "event": cv.event_study(conv, leg),
        "verdicts": cv.verdicts(conv, leg),
        "panel": cv.analysis_panel(conv, leg),
    }


@real
def test_real_counts_per_year_match_the_convictions_csv(real_results):
    usable_by_year: dict[int, set[str]] = defaultdict(set)
    for row in _csv_rows(CONVICTIONS_CSV):
        has_count = row["persons_convicted"] != "" or row["convicted_flag"] == FLAG
        if has_count and row["population"] != "" and int(row["population"]) > 0:
            usable_by_year[int(row["year"])].add(row["iso3"])
    rates = real_results["rates"]
    overall = rates[
        (rates["sample"] == "all reporting") & (rates["suppressed"] == "middle") & (rates["cohort"] == "all")
    ]
    got = dict(zip(overall["year"], overall["n_countries"], strict=True))
    assert got == {y: len(s) for y, s in usable_by_year.items() if 2003 <= y <= 2018}
    trip = real_results["tripling"].set_index(["sample", "suppressed"])
    assert trip.loc[("all reporting", "middle"), "n_countries_base"] == len(usable_by_year[2003])
    assert trip.loc[("matched", "middle"), "n_countries"] == len(usable_by_year[2003] & usable_by_year[2018])


@real
def test_real_rates_agree_with_the_dataset_rate_column(real_results):
    rates = {(r["iso3"], int(r["year"])): r["convicted_per_100k"] for r in _csv_rows(CONVICTIONS_CSV)}
    panel = real_results["panel"]
    numeric = panel[panel["usable"] & (panel["count_status"] == "numeric")]
    assert len(numeric) > 500
    for row in numeric.itertuples():
        assert row.rate_per_100k == pytest.approx(float(rates[(row.iso3, row.year)]), rel=1e-6)


@real
def test_real_cohorts_follow_the_legislation_csv(real_results):
    before = {
        r["iso3"] for r in _csv_rows(LEGISLATION_CSV)
        if r["yardstick"] == KELLEY and r["year"] != "" and int(r["year"]) < 2003
    }  # fmt: skip
    panel = real_results["panel"]
    got = set(panel.loc[panel["cohort"] == "before 2003", "iso3"])
    assert got == before & set(panel["iso3"])
    ratios = real_results["ratios"]
    rr = ratios[(ratios["sample"] == "all reporting") & (ratios["model"] == "poisson")]
    assert (
        rr["n_countries_reference"]
        == len(got & set(panel.loc[panel["usable"] & panel["year"].between(2003, 2018), "iso3"]))
    ).all()


@real
def test_real_verdicts_are_complete(real_results):
    v = real_results["verdicts"]
    primary = v[v["primary"]]
    assert sorted(primary["statement_id"]) == ["higher_if_legislated_before_2003", "tripled_since_2003"]
    assert set(v["verdict"]) <= {"reproduced", "not reproduced", "differs", "inconclusive"}
    assert v["explanation"].str.len().gt(50).all()
    event = real_results["event"]
    assert event.groupby(["sample", "suppressed"]).size().eq(16).all()


def test_negative_binomial_with_vectorised_hessian_and_score_matches_statsmodels():
    """models.negative_binomial replaces two of statsmodels' NB2 computations; values and fits must not move."""
    from statsmodels.discrete.discrete_model import NegativeBinomial

    from tipstats.analysis.convictions.models import negative_binomial

    rng = np.random.default_rng(3)
    n = 400
    x = np.column_stack([np.ones(n), rng.normal(size=(n, 4)), (np.arange(n) % 7 == 0).astype(float)])
    offset = rng.normal(size=n) * 0.3
    mu = np.exp(x @ np.array([0.5, 0.2, -0.1, 0.3, 0.0, 0.4]) + offset)
    y = rng.negative_binomial(2.0, 2.0 / (2.0 + mu)).astype(float)
    reference = NegativeBinomial(y, x, offset=offset, loglike_method="nb2")
    model = negative_binomial(y, x, offset)
    params = np.array([0.4, 0.1, -0.2, 0.3, 0.05, 0.3, 0.7])
    for transformed in (True, False):  # ln(alpha) while fitting, alpha afterwards
        reference._transparams = model._transparams = transformed
        np.testing.assert_allclose(model.hessian(params), reference.hessian(params), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(
            model.score_obs(params), reference.score_obs(params), rtol=1e-10, atol=1e-12
        )
    cluster = {"cov_type": "cluster", "cov_kwds": {"groups": np.arange(n) // 10}}
    fits = [m.fit(method="newton", disp=0, **cluster) for m in (
        NegativeBinomial(y, x, offset=offset, loglike_method="nb2"), negative_binomial(y, x, offset))]  # fmt: skip
    np.testing.assert_allclose(fits[1].params, fits[0].params, rtol=1e-10)
    np.testing.assert_allclose(fits[1].bse, fits[0].bse, rtol=1e-10)
