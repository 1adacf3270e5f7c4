"""tipstats.analysis.staggered on simulated staggered panels with known effects by event time.

The panels have three cohorts whose effects differ and grow with time since treatment (the case where two-way
fixed effects are biased), with and without never-treated units. Coverage of the 95% intervals is measured over
seeded repetitions and printed (pytest -s shows it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tipstats.analysis import staggered as st

WINDOW = (-3, 3)
SEEDS = range(12)


def simulate(seed: int, *, never: bool, n: int = 60, periods: int = 12) -> pd.DataFrame:
    """Cohorts 4, 6, 8 (and never treated); effect (1 + 0.5 e) * scale, scale 0.5, 1, 1.5 by cohort."""
    rng = np.random.default_rng(seed)
    cohorts = [4.0, 6.0, 8.0] + ([np.nan] if never else [])
    scale = {4.0: 0.5, 6.0: 1.0, 8.0: 1.5}
    g = np.array([cohorts[i % len(cohorts)] for i in range(n)])
    alpha = rng.normal(size=n)
    lam = rng.normal(size=periods + 1) * 0.5 + 0.1 * np.arange(periods + 1)
    unit, year = np.meshgrid(np.arange(n), np.arange(1, periods + 1), indexing="ij")
    unit, year = unit.ravel(), year.ravel()
    gg = g[unit]
    e = year - gg
    s = np.array([scale.get(v, 0.0) for v in gg])
    tau = np.where(np.isfinite(e) & (e >= 0), (1 + 0.5 * np.nan_to_num(e)) * s, 0.0)
    y = alpha[unit] + lam[year] + tau + rng.normal(size=len(unit)) * 0.5
    return pd.DataFrame({"unit": unit, "year": year, "first_treated": gg, "outcome": y, "tau": tau, "e": e})


def truth(panel: pd.DataFrame) -> pd.Series:
    """True average effect by event time over the identified cells only.

    A treated cell (cohort, period) has a comparison only if some unit is still untreated in that period: with
    never-treated units every cell, without them only the periods before the last cohort is treated.
    """
    cells = panel[panel["e"].between(*WINDOW)]
    g = panel["first_treated"]
    if not g.isna().any():
        cells = cells[cells["year"] < g.max()]
    return cells.groupby("e")["tau"].mean().rename(index=int)


def repeat(estimator: str, never: bool) -> pd.DataFrame:
    rows = []
    for seed in SEEDS:
        p = simulate(seed, never=never)
        out = st.event_study(p, estimator=estimator, event_window=WINDOW, seed=seed)
        out["truth"] = out["event_time"].map(truth(p))
        out["seed"] = seed
        rows.append(out)
    res = pd.concat(rows, ignore_index=True)
    res["covered"] = (res["ci_low"] <= res["truth"]) & (res["truth"] <= res["ci_high"])
    res["error"] = res["estimate"] - res["truth"]
    return res[res["event_time"] != -1]


@pytest.fixture(scope="module")
def results() -> dict[tuple[str, bool], pd.DataFrame]:
    return {
        (est, never): repeat(est, never)
        for est in ("callaway_santanna", "imputation", "sun_abraham", "twfe")
        for never in (True, False)
    }


NEVER = pytest.mark.parametrize("never", [True, False], ids=["with-never-treated", "without-never-treated"])


@NEVER
@pytest.mark.parametrize("estimator", st.ROBUST)
def test_robust_estimators_recover_the_truth(results, estimator, never):
    res = results[(estimator, never)]
    supported = res.dropna(subset=["estimate"])
    coverage = supported["covered"].mean()
    print(
        f"\n{estimator} never={never}: coverage {coverage:.3f} over {len(supported)} cells, "
        f"mean abs bias by event time {supported.groupby('event_time')['error'].mean().abs().max():.3f}"
    )
    # every event time of the window is estimated, pre-periods included
    assert set(supported["event_time"]) == set(range(WINDOW[0], WINDOW[1] + 1)) - {-1}
    # the truth is inside the interval in most seeds, cell by cell
    assert coverage >= 0.8
    assert supported.groupby("event_time")["covered"].mean().min() >= 0.7
    # and the estimates are centred on it
    assert supported.groupby("event_time")["error"].mean().abs().max() < 0.15


@NEVER
def test_twfe_is_biased_where_the_robust_ones_are_not(results, never):
    twfe = results[("twfe", never)]
    cs = results[("callaway_santanna", never)]
    bias_twfe = twfe.groupby("event_time")["error"].mean().abs().max()
    bias_cs = cs.groupby("event_time")["error"].mean().abs().max()
    print(
        f"\ntwfe never={never}: coverage {twfe['covered'].mean():.3f}, max abs mean bias {bias_twfe:.3f} "
        f"(callaway_santanna {bias_cs:.3f})"
    )
    assert bias_twfe > 0.3
    assert bias_twfe > 3 * bias_cs
    assert twfe["covered"].mean() < 0.8


def test_reference_period_and_columns():
    out = st.event_study(simulate(0, never=True), estimator="imputation", event_window=(-4, 2))
    assert list(out.columns) == st.COLUMNS
    assert out["event_time"].tolist() == list(range(-4, 3))
    ref = out[out["event_time"] == -1].iloc[0]
    assert (ref["estimate"], ref["ci_low"], ref["ci_high"]) == (0.0, 0.0, 0.0)
    # n_units: cohorts 4, 6, 8 of 15 units each are all observed from e = -3 to 2; e = -4 only cohorts 6 and 8
    assert out.set_index("event_time")["n_units"].to_dict() == {
        -4: 30,
        -3: 45,
        -2: 45,
        -1: 45,
        0: 45,
        1: 45,
        2: 45,
    }


def test_unusable_control_groups_are_refused():
    p = simulate(0, never=False)
    with pytest.raises(ValueError, match="no never-treated unit"):
        st.event_study(p, estimator="callaway_santanna", control="never_treated")
    with pytest.raises(ValueError, match="no never-treated unit"):
        st.event_study(p, estimator="sun_abraham", control="never_treated")
    with pytest.raises(ValueError, match="not available for it"):
        st.event_study(simulate(0, never=True), estimator="imputation", control="never_treated")
    same = p.assign(first_treated=4.0)
    with pytest.raises(ValueError, match="no untreated comparison"):
        st.event_study(same, estimator="callaway_santanna")
    with pytest.raises(ValueError, match="unknown estimator"):
        st.event_study(p, estimator="did2s")
    with pytest.raises(ValueError, match="needs exposure"):
        st.event_study(p, estimator="wooldridge_poisson")
    with pytest.raises(ValueError, match="no column"):
        st.event_study(p, outcome="convictions")


def test_never_treated_controls_give_the_same_truth():
    p = simulate(3, never=True)
    out = st.event_study(p, estimator="callaway_santanna", control="never_treated", event_window=WINDOW)
    post = out[out["event_time"] >= 0].set_index("event_time")
    tr = truth(p)
    assert ((post["ci_low"] <= tr[post.index]) & (tr[post.index] <= post["ci_high"])).mean() >= 0.75


def poisson_panel(seed: int, n: int = 80, periods: int = 12) -> tuple[pd.DataFrame, dict[int, float]]:
    """Counts with population exposure; log rate ratio 0.2 + 0.1 e for cohort 4, 0.4 + 0.1 e for cohort 7."""
    rng = np.random.default_rng(seed)
    g = np.array([[4.0, 7.0, np.nan][i % 3] for i in range(n)])
    pop = rng.uniform(1e5, 5e6, size=n)
    alpha = rng.normal(size=n) * 0.5 - 9.0
    lam = 0.05 * np.arange(periods + 1)
    rows = []
    for u in range(n):
        for t in range(1, periods + 1):
            e = t - g[u]
            eff = 0.0 if not np.isfinite(e) or e < 0 else (0.2 if g[u] == 4 else 0.4) + 0.1 * e
            mu = pop[u] * np.exp(alpha[u] + lam[t] + eff)
            rows.append((u, t, g[u], rng.poisson(mu), pop[u]))
    p = pd.DataFrame(rows, columns=["unit", "year", "first_treated", "count", "population"])
    true = {e: 0.3 + 0.1 * e for e in range(0, 4)}  # cohorts of equal size, both observed at e = 0..3
    return p, true


def test_wooldridge_poisson_with_exposure_recovers_the_log_rate_ratio():
    covered = []
    for seed in range(5):
        p, true = poisson_panel(seed)
        out = st.event_study(
            p, outcome="count", estimator="wooldridge_poisson", exposure="population", event_window=(-3, 3)
        ).set_index("event_time")
        assert out.loc[-1, "estimate"] == 0.0
        for e, v in true.items():
            covered.append(out.loc[e, "ci_low"] <= v <= out.loc[e, "ci_high"])
            assert abs(out.loc[e, "estimate"] - v) < 0.1
        # pre-periods are placebo estimates near zero
        assert out.loc[[-3, -2], "estimate"].abs().max() < 0.1
    print(f"\nwooldridge_poisson coverage {np.mean(covered):.3f} over {len(covered)} cells")
    assert np.mean(covered) >= 0.8


# -- the estimates-only path (inference=False), used by the leave-one-country-out refits ----------------------


def unbalanced(panel: pd.DataFrame, seed: int, share: float = 0.15) -> pd.DataFrame:
    """The panel with a seeded share of its rows missing (diff-diff then treats it as repeated cross-sections),
    and with cohorts of unequal sizes (half the units of the first cohort left out), so that weights matter."""
    rng = np.random.default_rng(seed + 1000)
    first = panel["first_treated"] == panel["first_treated"].min()
    dropped = first & panel["unit"].isin(panel.loc[first, "unit"].unique()[::2])
    return panel[(rng.uniform(size=len(panel)) > share) & ~dropped].reset_index(drop=True)


ESTIMATES_ONLY_CASES = [
    (estimator, control, never, balanced)
    for estimator, control in [
        ("callaway_santanna", "not_yet_treated"),
        ("callaway_santanna", "never_treated"),
        ("imputation", "not_yet_treated"),
        ("sun_abraham", "never_treated"),
        ("sun_abraham", "not_yet_treated"),
        ("twfe", "not_yet_treated"),
    ]
    for never in (True, False)
    for balanced in (True, False)
    if never or control != "never_treated"
]


@pytest.mark.parametrize(("estimator", "control", "never", "balanced"), ESTIMATES_ONLY_CASES)
def test_estimates_only_path_gives_the_full_fits_estimates(estimator, control, never, balanced):
    for seed in range(3):
        p = simulate(seed, never=never)
        p = p if balanced else unbalanced(p, seed)
        full = st.fit_event_study(p, estimator=estimator, control=control, event_window=WINDOW, seed=seed)
        fast = st.fit_event_study(
            p, estimator=estimator, control=control, event_window=WINDOW, seed=seed, inference=False
        )
        a, b = full.table.set_index("event_time"), fast.table.set_index("event_time")
        # the imputation estimator's pre-period coefficients are its separate lead regression: not computed
        compared = a.index >= (0 if estimator == "imputation" else WINDOW[0])
        assert np.array_equal(a.loc[compared, "estimate"].isna(), b.loc[compared, "estimate"].isna())
        assert a.loc[compared, "estimate"].notna().sum() >= 3
        np.testing.assert_allclose(
            b.loc[compared, "estimate"], a.loc[compared, "estimate"], rtol=1e-12, atol=0
        )
        assert (b["n_units"] == a["n_units"]).all()
        if estimator == "imputation":
            assert b.loc[b.index < -1, "estimate"].isna().all()
        # no inference: missing intervals (0 at the reference period), no covariance, no library result
        assert b.loc[b.index != -1, ["ci_low", "ci_high"]].isna().all().all()
        assert (b.loc[-1, ["estimate", "ci_low", "ci_high"]] == 0.0).all()
        assert fast.vcov is None and fast.native is None
        assert full.vcov is not None or estimator == "imputation"


def test_estimates_only_poisson_gives_the_full_fits_estimates():
    for seed in range(2):
        p, _ = poisson_panel(seed)
        p = unbalanced(p, seed)
        kw = {
            "outcome": "count",
            "estimator": "wooldridge_poisson",
            "exposure": "population",
            "event_window": WINDOW,
        }
        full, fast = st.fit_event_study(p, **kw), st.fit_event_study(p, inference=False, **kw)
        np.testing.assert_allclose(fast.table["estimate"], full.table["estimate"], rtol=1e-12, atol=0)
        assert fast.table.loc[fast.table["event_time"] != -1, "ci_low"].isna().all()


def test_estimates_only_callaway_santanna_takes_the_library_on_a_balanced_panel():
    # diff-diff's panel path (within-unit changes) is not reimplemented: a balanced panel goes to the library
    def prepared(panel: pd.DataFrame) -> pd.DataFrame:
        return st._prepare(panel, "unit", "year", "outcome", "first_treated", None, None)

    p = simulate(0, never=True)
    assert st._callaway_santanna_estimates(prepared(p), "not_yet_treated") is None
    assert st._callaway_santanna_estimates(prepared(unbalanced(p, 0)), "not_yet_treated") is not None
