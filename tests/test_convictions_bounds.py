"""Sharp '<5' bounds (tipstats.analysis.convictions.bounds) against brute force on small panels.

Every suppressed cell is filled with every whole number 0 to 4 in turn, the ratio is computed from
the filled rows by the test's own arithmetic (or its own statsmodels fit), and the minimum and the
maximum over all fills must equal the bounds the module reports.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from tipstats.analysis.convictions import bounds as B

KELLEY = "kelley_full_criminalisation"
FLAG = "suppressed_lt5"


def _frames(rows, legislation):
    conv = pd.DataFrame(rows, columns=["iso3", "year", "persons_convicted", "convicted_flag", "population"])
    conv["year"] = conv["year"].astype("int64")
    conv["persons_convicted"] = conv["persons_convicted"].astype("Int64")
    conv["population"] = conv["population"].astype("Int64")
    conv["convicted_flag"] = conv["convicted_flag"].astype("str")
    leg = pd.DataFrame(
        [{"iso3": k, "yardstick": KELLEY, "year": v} for k, v in legislation.items()],
        columns=["iso3", "yardstick", "year"],
    )
    leg["year"] = leg["year"].astype("Int64")
    return conv, leg


def _row(iso3, year, count, population):
    """``count`` None means '<5'."""
    return {"iso3": iso3, "year": year, "persons_convicted": count,
            "convicted_flag": FLAG if count is None else None, "population": population}  # fmt: skip


# Window 2003-2005; base 2003, end 2005. AAA and BBB report every year; CCC misses 2004 (so it is
# matched but not balanced at share 1.0); DDD reports only 2005 (all reporting only).
TRIPLING_ROWS = [
    _row("AAA", 2003, None, 400_000), _row("AAA", 2004, 3, 400_000), _row("AAA", 2005, None, 410_000),
    _row("BBB", 2003, 6, 2_000_000), _row("BBB", 2004, None, 2_000_000), _row("BBB", 2005, 9, 2_100_000),
    _row("CCC", 2003, None, 300_000), _row("CCC", 2005, 7, 300_000),
    _row("DDD", 2005, None, 900_000),
    _row("EEE", 2003, 12, 5_000_000), _row("EEE", 2004, 20, 5_000_000), _row("EEE", 2005, None, 5_000_000),
]  # fmt: skip
SAMPLE_COUNTRIES = {  # base side, end side, by the samples' definitions
    "all reporting": ({"AAA", "BBB", "CCC", "EEE"}, {"AAA", "BBB", "CCC", "DDD", "EEE"}),
    "matched": ({"AAA", "BBB", "CCC", "EEE"},) * 2,
    "balanced": ({"AAA", "BBB", "EEE"},) * 2,
}


def _side(cells, countries, weighting):
    """cells: list of (iso3, convicted, population) of one side."""
    chosen = [c for c in cells if c[0] in countries]
    if weighting == "population-weighted":
        return sum(c[1] for c in chosen) / sum(c[2] for c in chosen)
    rates = {}
    for iso3, count, pop in chosen:
        n, p = rates.get(iso3, (0.0, 0.0))
        rates[iso3] = (n + count, p + pop)
    return np.mean([n / p for n, p in rates.values()])


def _brute_force_tripling(rows, base_years, end_years, sample, weighting):
    suppressed = [i for i, r in enumerate(rows) if r["persons_convicted"] is None]
    base_countries, end_countries = SAMPLE_COUNTRIES[sample]
    values = []
    for fill in itertools.product(range(5), repeat=len(suppressed)):
        counts = [r["persons_convicted"] for r in rows]
        for i, v in zip(suppressed, fill, strict=True):
            counts[i] = v
        base = [
            (r["iso3"], counts[i], r["population"]) for i, r in enumerate(rows) if r["year"] in base_years
        ]
        end = [(r["iso3"], counts[i], r["population"]) for i, r in enumerate(rows) if r["year"] in end_years]
        den = _side(base, base_countries, weighting)
        if den > 0:
            values.append(_side(end, end_countries, weighting) / den)
    return min(values), max(values)


@pytest.mark.parametrize("weighting", ["population-weighted", "country average"])
@pytest.mark.parametrize("sample", ["all reporting", "matched", "balanced"])
def test_tripling_bounds_equal_brute_force(sample, weighting):
    conv, leg = _frames(TRIPLING_ROWS, {"AAA": 2001, "BBB": 2004, "CCC": 2010, "DDD": None, "EEE": 1999})
    out = B.tripling_bounds(
        conv, leg, endpoints=[((2003,), (2005,)), ((2003, 2004), (2005,))], window=(2003, 2005), min_share=1.0
    ).set_index(["sample", "estimand", "base_years"])
    # single years, and a two-year base (the averaged-endpoint code path; the matched sets still hold:
    # CCC lacks 2004, so it drops out of matched there)
    low, high = _brute_force_tripling(TRIPLING_ROWS, {2003}, {2005}, sample, weighting)
    row = out.loc[(sample, weighting, "2003")]
    assert row["bound_low"] == pytest.approx(low) and row["bound_high"] == pytest.approx(high)
    assert row["bound_low"] <= row["value"] <= row["bound_high"]
    if sample != "all reporting":
        saved = dict(SAMPLE_COUNTRIES)
        try:
            SAMPLE_COUNTRIES[sample] = ({"AAA", "BBB", "EEE"},) * 2
            low2, high2 = _brute_force_tripling(TRIPLING_ROWS, {2003, 2004}, {2005}, sample, weighting)
        finally:
            SAMPLE_COUNTRIES.update(saved)
        row2 = out.loc[(sample, weighting, "2003-2004")]
        assert row2["bound_low"] == pytest.approx(low2) and row2["bound_high"] == pytest.approx(high2)


def test_uniform_fills_are_not_bounds():
    # more '<5' cells in the base year than in the end year: every '<5' at 0 gives the *higher* ratio
    conv, leg = _frames(TRIPLING_ROWS, {"AAA": 2001, "BBB": 2004, "CCC": 2010, "DDD": None, "EEE": 1999})
    row = B.tripling_bounds(conv, leg, endpoints=[((2003,), (2005,))], window=(2003, 2005), min_share=1.0)
    row = row.set_index(["sample", "estimand"]).loc[("matched", "population-weighted")]
    assert row["n_suppressed_denominator"] == 2 and row["n_suppressed_numerator"] == 2
    assert row["bound_low"] < min(row["uniform_0"], row["uniform_4"])
    assert row["bound_high"] > max(row["uniform_0"], row["uniform_4"])


# Rate ratio: before 2003 (AAA, BBB) against 2003 or later (CCC 2005, DDD 2010); EEE has no known
# year and stays out of the two-cohort comparison even with '<5' cells of its own.
RATE_ROWS = [
    _row("AAA", 2003, 8, 1_000_000), _row("AAA", 2004, None, 1_000_000), _row("AAA", 2005, 12, 1_000_000),
    _row("BBB", 2003, 30, 4_000_000), _row("BBB", 2004, 25, 4_000_000), _row("BBB", 2005, 33, 4_000_000),
    _row("CCC", 2003, None, 600_000), _row("CCC", 2004, 6, 600_000), _row("CCC", 2005, 9, 650_000),
    _row("DDD", 2003, 15, 3_000_000), _row("DDD", 2004, None, 3_000_000), _row("DDD", 2005, 40, 3_000_000),
    _row("EEE", 2003, None, 2_000_000), _row("EEE", 2004, 50, 2_000_000), _row("EEE", 2005, None, 2_000_000),
]  # fmt: skip
RATE_LEGISLATION = {"AAA": 1998, "BBB": 2002, "CCC": 2005, "DDD": 2010, "EEE": None}
LATER = {"CCC", "DDD"}
EARLIER = {"AAA", "BBB"}


def _fills(rows, countries):
    suppressed = [i for i, r in enumerate(rows) if r["persons_convicted"] is None and r["iso3"] in countries]
    for fill in itertools.product(range(5), repeat=len(suppressed)):
        counts = [r["persons_convicted"] for r in rows]
        for i, v in zip(suppressed, fill, strict=True):
            counts[i] = v
        yield [
            (r["iso3"], r["year"], counts[i], r["population"])
            for i, r in enumerate(rows)
            if r["iso3"] in countries
        ]


def _poisson_rate_ratio(cells):
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    data = pd.DataFrame(cells, columns=["iso3", "year", "convicted", "population"])
    data["later"] = data["iso3"].isin(LATER).astype(float)
    data["convicted"] = data["convicted"].astype(float)
    fit = smf.glm("convicted ~ later + C(year)", data, family=sm.families.Poisson(),
                  offset=np.log(data["population"].astype(float))).fit()  # fmt: skip
    return float(np.exp(fit.params["later"]))


def test_rate_ratio_bounds_equal_brute_force():
    conv, leg = _frames(RATE_ROWS, RATE_LEGISLATION)
    out = B.rate_ratio_bounds(conv, leg, window=(2003, 2005), samples=("all reporting",))
    out = out.set_index(["estimator", "estimand"])
    pooled, mean, poisson = [], [], []
    for cells in _fills(RATE_ROWS, LATER | EARLIER):
        pooled.append(_side(cells_later := [(c[0], c[2], c[3]) for c in cells if c[0] in LATER], LATER,
                            "population-weighted")
                      / _side([(c[0], c[2], c[3]) for c in cells if c[0] in EARLIER], EARLIER, "population-weighted"))  # fmt: skip
        mean.append(_side(cells_later, LATER, "country average")
                    / _side([(c[0], c[2], c[3]) for c in cells if c[0] in EARLIER], EARLIER, "country average"))  # fmt: skip
        poisson.append(_poisson_rate_ratio(cells))
    for (estimator, estimand), values in {
        ("pooled ratio", "population-weighted"): pooled,
        ("pooled ratio", "country average"): mean,
        ("poisson", "population-weighted"): poisson,
    }.items():
        row = out.loc[(estimator, estimand)]
        assert row["bound_low"] == pytest.approx(min(values), rel=1e-6), estimator
        assert row["bound_high"] == pytest.approx(max(values), rel=1e-6), estimator
        assert row["bound_low"] < row["value"] < row["bound_high"]
    assert out.loc[("poisson", "population-weighted"), "n_countries_cohort"] == 2
    assert out.loc[("poisson", "population-weighted"), "n_countries_reference"] == 2


def test_a_third_cohort_in_the_fit_moves_the_rate_ratio_so_the_verdict_fit_leaves_it_out():
    # why the two-cohort fit: with EEE ('none or unknown') as a level, its '<5' cells move the
    # later/earlier rate ratio through the year effects, so opposite fills of the two cohorts alone
    # would not bound it
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    values = []
    for cells in _fills(RATE_ROWS, {"EEE"}):
        rest = [(r["iso3"], r["year"], r["persons_convicted"] if r["persons_convicted"] is not None else 2,
                 r["population"]) for r in RATE_ROWS if r["iso3"] != "EEE"]  # fmt: skip
        data = pd.DataFrame(rest + cells, columns=["iso3", "year", "convicted", "population"])
        data["group"] = np.where(
            data["iso3"].isin(LATER), "later", np.where(data["iso3"] == "EEE", "none", "a")
        )
        data["convicted"] = data["convicted"].astype(float)
        fit = smf.glm("convicted ~ C(group) + C(year)", data, family=sm.families.Poisson(),
                      offset=np.log(data["population"].astype(float))).fit()  # fmt: skip
        values.append(float(np.exp(fit.params["C(group)[T.later]"])))
    assert max(values) - min(values) > 1e-5  # far above the fit tolerance: the fill matters


def test_filled_convictions_replaces_only_suppressed_counts():
    conv, leg = _frames(RATE_ROWS, RATE_LEGISLATION)
    from tipstats.analysis.convictions import analysis_panel

    panel = analysis_panel(conv, leg)
    convicted = np.where(panel["count_status"] == "suppressed", 3.0, panel["convicted"])
    filled = B.filled_convictions(conv, panel, convicted)
    was = conv["convicted_flag"].astype("object").fillna("") == FLAG
    assert (filled.loc[was, "persons_convicted"] == 3).all()
    assert filled.loc[was, "convicted_flag"].isna().all()
    pd.testing.assert_series_equal(filled.loc[~was, "persons_convicted"], conv.loc[~was, "persons_convicted"])


def test_opposite_fills_refuse_a_cell_on_both_sides():
    conv, leg = _frames(RATE_ROWS, RATE_LEGISLATION)
    from tipstats.analysis.convictions import analysis_panel

    panel = analysis_panel(conv, leg)
    both = np.ones(len(panel), dtype=bool)
    with pytest.raises(ValueError, match="both sides"):
        B._opposite_fills(panel, both, both)
