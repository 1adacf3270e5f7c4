"""The convictions event study as a staggered-adoption design (analysis.convictions.staggered_design), on the real
data, and the pre-trend test and HonestDiD sensitivity of analysis.staggered on simulated panels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tipstats
from tipstats.analysis import staggered as st
from tipstats.analysis.convictions import staggered_design as sd
from tipstats.analysis.convictions._base import EVENT_WINDOW, KELLEY, US_TIP

LO, HI = EVENT_WINDOW


@pytest.fixture(scope="module")
def data():
    return tipstats.load("convictions"), tipstats.load("legislation")


@pytest.fixture(scope="module")
def panels(data):
    return {y: sd.design_panel(*data, yardstick=y) for y in sd.YARDSTICKS}


@pytest.fixture(scope="module")
def comparison(data):
    return sd.estimator_comparison(*data)


# -- the design panel ---------------------------------------------------------------------------------------------


def test_controls_are_never_kept_after_the_last_year_kelley_observed_them(data, panels):
    _, leg = data
    kelley = leg[leg["yardstick"] == KELLEY].set_index("iso3")
    panel = panels[sd.YARDSTICK_KELLEY]
    controls = panel[panel["role"] == sd.ROLE_CONTROL]
    assert len(controls) and controls["first_treated"].isna().all()
    last = controls["iso3"].map(kelley["last_year_observed"]).astype("int64")
    assert (controls["year"] <= last).all()
    # every control is a country Kelley observed as not fully criminalised (no year, a level, an observed year)
    assert kelley.loc[controls["iso3"].unique(), "year"].isna().all()
    assert kelley.loc[controls["iso3"].unique(), "level_at_last_observation"].lt(2).all()
    # countries without Kelley data are not controls: their status is unknown
    unknown = kelley.index[kelley["last_year_observed"].isna()]
    assert len(unknown) and not set(unknown) & set(panel["iso3"])
    # the four countries not updated after 2011 are cut at their own last year, not at the panel's end
    early = kelley.index[(kelley["last_year_observed"] < panel["year"].max()) & kelley["year"].isna()]
    kept = controls[controls["iso3"].isin(early)]
    assert len(kept) and (kept["year"] <= kept["iso3"].map(kelley["last_year_observed"])).all()


def test_panel_ends_at_the_last_year_a_control_is_observed(data, panels):
    _, leg = data
    kelley = leg[leg["yardstick"] == KELLEY]
    not_full = kelley[kelley["year"].isna() & kelley["last_year_observed"].notna()]
    for panel in panels.values():
        assert panel["year"].max() == int(not_full["last_year_observed"].max())
        assert panel["year"].min() >= sd.WINDOW[0]
        assert not panel.duplicated(["iso3", "year"]).any()
        assert panel["rate_per_100k"].notna().all() and (panel["population"] > 0).all()


def test_treated_countries_carry_their_kelley_year(data, panels):
    _, leg = data
    kelley = leg[leg["yardstick"] == KELLEY].set_index("iso3")["year"]
    panel = panels[sd.YARDSTICK_KELLEY]
    treated = panel[panel["role"] == sd.ROLE_TREATED]
    assert (treated["first_treated"] == treated["iso3"].map(kelley).astype("float64")).all()


def test_us_report_sensitivity_treats_countries_kelley_left_untreated(data, panels):
    _, leg = data
    us = leg[(leg["yardstick"] == US_TIP) & leg["year"].notna()].groupby("iso3")["year"].min()
    kelley, sens = panels[sd.YARDSTICK_KELLEY], panels[sd.YARDSTICK_US]
    end = int(sens["year"].max())
    moved = set(kelley.loc[kelley["role"] == sd.ROLE_CONTROL, "iso3"]) - set(
        sens.loc[sens["role"] == sd.ROLE_CONTROL, "iso3"]
    )
    # exactly the controls with a US-report law in the panel's years become treated, at that year
    expected = {c for c in kelley.loc[kelley["role"] == sd.ROLE_CONTROL, "iso3"] if us.get(c, end + 1) <= end}
    assert moved == expected and moved
    firsts = sens[sens["iso3"].isin(moved)].drop_duplicates("iso3").set_index("iso3")["first_treated"]
    assert (firsts == us[firsts.index].astype("float64")).all()


# -- the estimator comparison -------------------------------------------------------------------------------------


def test_comparison_has_every_estimator_at_every_event_time(comparison):
    specs = {sd.specification_label(e, c) for e, c in [sd.PREVIOUS, *sd.SPECIFICATIONS]}
    assert len(specs) == len(sd.SPECIFICATIONS) + 1
    for yardstick in sd.YARDSTICKS:
        rows = comparison[comparison["yardstick"] == yardstick]
        assert set(rows["specification"]) == specs
        assert set(rows["estimator"]) == set(st.ESTIMATORS)
        for _, cells in rows.groupby("specification"):
            assert cells["event_time"].tolist() == list(range(LO, HI + 1))
        ref = rows[rows["event_time"] == -1]
        assert (ref[["estimate", "ci_low", "ci_high"]] == 0).all().all()
        est = rows.dropna(subset=["estimate"])
        assert (est["ci_low"] <= est["estimate"]).all() and (est["estimate"] <= est["ci_high"]).all()
    # the robust estimators are estimated at every event time on the Kelley design
    robust = comparison[
        (comparison["yardstick"] == sd.YARDSTICK_KELLEY) & comparison["estimator"].isin(st.ROBUST)
    ]
    assert robust["estimate"].notna().all()


def test_comparison_counts_match_the_cohort_support_table(data, comparison):
    support = sd.cohort_support(*data)
    for yardstick in sd.YARDSTICKS:
        by_event = support[support["yardstick"] == yardstick].groupby("event_time")["n_countries"].sum()
        cs = comparison[
            (comparison["yardstick"] == yardstick) & (comparison["estimator"] == "callaway_santanna")
        ]
        for _, cells in cs.groupby("control"):
            assert cells.set_index("event_time")["n_units"].to_dict() == by_event.to_dict()


def test_cohort_support_counts_each_cohort_within_its_size(data):
    support = sd.cohort_support(*data)
    assert (support["n_countries"] <= support["cohort_size"]).all()
    # a cohort's countries are observed untreated once at least, so some pre-period cell has them
    pre = support[support["event_time"] < 0].groupby(["yardstick", "cohort"])["n_countries"].sum()
    assert (pre > 0).all()
    # beyond the panel's last year no control is observed
    assert (support.loc[support["year"] > sd.design_panel(*data)["year"].max(), "n_controls"] == 0).all()


# -- pre-trend tests and sensitivity on the real data -------------------------------------------------------------


def test_pretrend_tests_name_their_method_for_every_estimator(data):
    tests = sd.pretrend_tests(*data, yardsticks=(sd.YARDSTICK_KELLEY,))
    assert set(tests["estimator"]) == set(st.ESTIMATORS)
    assert tests["method"].str.len().gt(0).all()
    assert (tests["n_pre"] == -LO - 1).all()
    assert tests["p_value"].between(0, 1).all()


def test_honest_bounds_widen_with_m_and_start_at_the_estimate(data):
    honest = sd.honest_sensitivity(*data, yardsticks=(sd.YARDSTICK_KELLEY,))
    for _, rows in honest.groupby("specification"):
        rows = rows.sort_values("M")
        zero = rows.iloc[0]
        assert zero["M"] == 0 and zero["lb"] == pytest.approx(zero["estimate"]) == pytest.approx(zero["ub"])
        assert (rows["lb"].diff().dropna() <= 1e-12).all() and (rows["ub"].diff().dropna() >= -1e-12).all()
        assert (rows["ci_low"] <= rows["lb"] + 1e-12).all() and (rows["ci_high"] >= rows["ub"] - 1e-12).all()


# -- leave one country out ----------------------------------------------------------------------------------------


def test_leave_one_out_drops_exactly_one_country_each(data, panels):
    spec = [sd.HEADLINE, ("twfe", "not_yet_treated")]
    loo = sd.leave_one_country_out(*data, specifications=spec)
    panel = panels[sd.YARDSTICK_KELLEY]
    for _, rows in loo.groupby("specification"):
        full = st.fit_event_study(
            panel, unit="iso3", time="year", outcome="rate_per_100k", estimator=rows["estimator"].iloc[0],
            control=rows["control"].iloc[0], event_window=EVENT_WINDOW,
        )  # fmt: skip
        n = full.data["u"].nunique()
        assert len(rows) == n and rows["dropped"].is_unique
        assert (rows["n_countries"] == n - 1).all()
        assert rows["full_post_average"].nunique() == 1
        assert rows["full_post_average"].iloc[0] == pytest.approx(sd.post_average(full.table))
        assert rows["rank"].tolist() == list(range(1, n + 1))
        assert rows["change"].abs().is_monotonic_decreasing
    top = sd.most_influential(loo, 3)
    assert len(top) == 3 * len(spec)


def test_leave_one_out_is_the_same_whatever_the_last_bits_of_the_refits(data, monkeypatch):
    # The last bits of a refit differ between CPUs (SIMD paths): a country the estimate does not depend on
    # must print as no change, in the same rank, whatever those bits are.
    spec = [("twfe", "not_yet_treated")]
    exact = sd.leave_one_country_out(*data, specifications=spec)
    average, wobble = sd.post_average, iter(np.random.default_rng(0).uniform(-1e-14, 1e-14, size=1000))
    monkeypatch.setattr(sd, "post_average", lambda table: average(table) * (1 + next(wobble)))
    noisy = sd.leave_one_country_out(*data, specifications=spec)
    assert (exact["change"] == 0).any()  # such countries exist in the packaged panel
    pd.testing.assert_frame_equal(
        exact.drop(columns=["post_average", "full_post_average"]),
        noisy.drop(columns=["post_average", "full_post_average"]),
    )


def test_change_beyond_noise_keeps_real_changes_and_zeroes_noise():
    from tipstats.analysis.convictions._base import change_beyond_noise

    value = np.array([0.0725302 + 5e-16, 0.08, 1.90854 - 2e-14, np.nan, 2e-10])
    reference = np.array([0.0725302, 0.0725302, 1.90854, 0.5, 0.0])
    out = change_beyond_noise(value, reference)
    assert out[0] == 0 and out[2] == 0 and out[4] == 0
    assert out[1] == pytest.approx(0.08 - 0.0725302) and np.isnan(out[3])
    assert change_beyond_noise(3.0, 1.0) == 2.0


# -- the pre-trend test and HonestDiD on simulated panels ---------------------------------------------------------


def simulate(seed: int, pretrend: float, effect: float = 0.0, n: int = 60, periods: int = 12) -> pd.DataFrame:
    """Cohorts 5, 7, 9 and never treated; treated units drift by ``pretrend`` per period before treatment."""
    rng = np.random.default_rng(seed)
    cohorts = [5.0, 7.0, 9.0, np.nan]
    g = np.array([cohorts[i % 4] for i in range(n)])
    unit, year = np.meshgrid(np.arange(n), np.arange(1, periods + 1), indexing="ij")
    unit, year = unit.ravel(), year.ravel()
    e = year - g[unit]
    treated = np.isfinite(e)
    drift = np.where(treated & (e < 0), pretrend * np.nan_to_num(e), 0.0)
    tau = np.where(treated & (e >= 0), effect, 0.0)
    y = rng.normal(size=n)[unit] + 0.1 * year + drift + tau + rng.normal(size=len(unit)) * 0.5
    count = rng.poisson(np.exp(1.0 + 0.5 * (drift + tau)) * 10)
    return pd.DataFrame(
        {"unit": unit, "year": year, "first_treated": g[unit], "outcome": y, "count": count, "pop": 10.0}
    )


def _p(panel: pd.DataFrame, estimator: str) -> float:
    kw = {"outcome": "count", "exposure": "pop"} if estimator == "wooldridge_poisson" else {}
    fit = st.fit_event_study(panel, estimator=estimator, event_window=(-4, 3), **kw)
    test = st.pretrend_test(fit)
    assert test["n_pre"] == 3 and test["method"] == st.PRETREND_METHODS[estimator]
    return float(test["p_value"])


@pytest.mark.parametrize("estimator", st.ESTIMATORS)
def test_pretrend_test_rejects_a_planted_pretrend_and_not_parallel_trends(estimator):
    seeds = range(8)
    planted = [_p(simulate(s, pretrend=0.6), estimator) for s in seeds]
    parallel = [_p(simulate(s, pretrend=0.0), estimator) for s in seeds]
    assert sum(p < 0.05 for p in planted) == len(seeds)
    assert sum(p < 0.05 for p in parallel) <= 2


def test_honest_did_covers_a_clear_effect_at_m_zero_and_refuses_other_estimators():
    panel = simulate(0, pretrend=0.0, effect=2.0)
    fit = st.fit_event_study(panel, estimator="callaway_santanna", event_window=(-4, 3))
    out = st.honest_did(fit, m_grid=(0.0, 1.0, 4.0))
    zero = out.iloc[0]
    assert zero["estimate"] == pytest.approx(fit.table.query("event_time >= 0")["estimate"].mean())
    assert zero["ci_low"] > 0  # a true effect of 2 with noise 0.5 is found under parallel trends
    assert out["ub"].sub(out["lb"]).is_monotonic_increasing
    with pytest.raises(ValueError, match="callaway_santanna"):
        st.honest_did(st.fit_event_study(panel, estimator="twfe", event_window=(-4, 3)))
