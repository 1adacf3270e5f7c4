"""Event studies under staggered adoption, subject-free.

`event_study(panel, ...)` takes a long panel (one row per unit and period) with the first treated period of each
unit (missing for never-treated units) and returns one row per event time of the window, pre-periods included:
``estimator, event_time, estimate, ci_low, ci_high, n_units``. Event time 0 is the first treated period; where an
estimator uses a reference period it is -1 and is reported as an estimate of 0 with a zero-width interval.

Estimators:

- ``callaway_santanna``: Callaway and Sant'Anna (2021), group-time ATTs aggregated by event time, universal base
  period -1 (diff-diff ``CallawaySantAnna``), not-yet-treated or never-treated controls;
- ``imputation``: Borusyak, Jaravel and Spiess (2024), untreated outcomes imputed from unit and period effects
  fitted on all untreated observations, with its own pre-trend test coefficients (diff-diff ``ImputationDiD``);
- ``sun_abraham``: Sun and Abraham (2021), interaction-weighted cohort by event-time regression
  (diff-diff ``SunAbraham``); without never-treated units the last-treated cohort is the control, observed
  before its treatment (so periods from then on are not estimated);
- ``twfe``: the two-way fixed effects event study (unit and period effects, event-time dummies with the window's
  ends binned, reference -1), kept for comparison: it is biased when effects differ across cohorts or over time;
- ``wooldridge_poisson``: Wooldridge's (2023) extended two-way fixed effects for counts, a Poisson pseudo-maximum
  likelihood regression with unit and period effects, ``log(exposure)`` as offset and one coefficient per cohort
  and event time; the event-time estimate is the log rate ratio averaged over cohorts (weighted by the treated
  units in each cell), so ``exp(estimate) - 1`` is the proportional change of the outcome per unit of exposure.

Intervals are 95%, clustered by unit (or by ``cluster``). ``n_units`` counts the treated units observed at that
event time (units behind the cell). A control group an estimator cannot use raises ``ValueError``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

ESTIMATORS = ("callaway_santanna", "imputation", "sun_abraham", "twfe", "wooldridge_poisson")
ROBUST = ("callaway_santanna", "imputation", "sun_abraham")
CONTROLS = ("not_yet_treated", "never_treated")
COLUMNS = ["estimator", "event_time", "estimate", "ci_low", "ci_high", "n_units"]
_Z = 1.959963984540054


@dataclass(frozen=True)
class EventStudyFit:
    """One estimator's event study: the table `event_study` returns and what the tests need.

    ``vcov`` is the covariance of the estimated (non-reference) event-time coefficients, indexed by event time on
    both axes (None where the estimator gives none); ``native`` the library's result object (diff-diff's
    estimators) or None; ``data`` the prepared panel (columns ``u, t, y, g`` and ``x``, ``c``).
    """

    estimator: str
    control: str
    table: pd.DataFrame
    vcov: pd.DataFrame | None
    native: object | None
    data: pd.DataFrame
    event_window: tuple[int, int]


def event_study(
    panel: pd.DataFrame,
    *,
    unit: str = "unit",
    time: str = "year",
    outcome: str = "outcome",
    first_treated: str = "first_treated",
    estimator: str = "callaway_santanna",
    control: str = "not_yet_treated",
    event_window: tuple[int, int] = (-5, 5),
    exposure: str | None = None,
    cluster: str | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per event time of `event_window` (both ends included) for one estimator.

    >>> rng = np.random.default_rng(1)
    >>> rows = [(u, t, g) for u, g in enumerate([4, 4, 6, 6, np.nan, np.nan] * 5) for t in range(1, 9)]
    >>> p = pd.DataFrame(rows, columns=["unit", "year", "first_treated"])
    >>> p["outcome"] = rng.normal(size=len(p)) * 0.1 + np.where(p.year >= p.first_treated, 1.0, 0.0)
    >>> out = event_study(p, event_window=(-2, 2))
    >>> out.event_time.tolist(), out.loc[out.event_time == -1, "estimate"].item()
    ([-2, -1, 0, 1, 2], 0.0)
    >>> bool((out.loc[out.event_time >= 0, "estimate"].sub(1).abs() < 0.2).all())
    True
    """
    return fit_event_study(
        panel, unit=unit, time=time, outcome=outcome, first_treated=first_treated, estimator=estimator,
        control=control, event_window=event_window, exposure=exposure, cluster=cluster, seed=seed,
    ).table  # fmt: skip


def fit_event_study(
    panel: pd.DataFrame,
    *,
    unit: str = "unit",
    time: str = "year",
    outcome: str = "outcome",
    first_treated: str = "first_treated",
    estimator: str = "callaway_santanna",
    control: str = "not_yet_treated",
    event_window: tuple[int, int] = (-5, 5),
    exposure: str | None = None,
    cluster: str | None = None,
    seed: int = 0,
    inference: bool = True,
) -> EventStudyFit:
    """`event_study` with the covariance and the library's result kept (for `pretrend_test`, `honest_did`).

    ``inference=False`` gives the point estimates only, for refits that use nothing else (the leave-one-out):
    ``ci_low`` and ``ci_high`` are missing (0 at the reference period), ``vcov`` and ``native`` are None. The
    estimates are those of the full fit (see `_estimates_only`; tests/test_staggered.py compares them), except
    that the imputation estimator has no pre-period coefficients (its leads are a separate regression, the one
    of its pre-trend test).
    """
    lo, hi = (int(event_window[0]), int(event_window[1]))
    if lo > -1 or hi < 0:
        raise ValueError(f"event_window must include -1 and 0, got {event_window!r}")
    if estimator not in ESTIMATORS:
        raise ValueError(f"unknown estimator {estimator!r}; one of {', '.join(ESTIMATORS)}")
    if control not in CONTROLS:
        raise ValueError(f"unknown control {control!r}; one of {', '.join(CONTROLS)}")
    needed = (
        [unit, time, outcome, first_treated]
        + ([exposure] if exposure else [])
        + ([cluster] if cluster else [])
    )
    missing = [c for c in needed if c not in panel.columns]
    if missing:
        raise ValueError(f"panel has no column(s) {', '.join(missing)}")
    if estimator == "wooldridge_poisson" and exposure is None:
        raise ValueError(
            "wooldridge_poisson needs exposure= (a column of the count's exposure, e.g. population)"
        )
    data = _prepare(panel, unit, time, outcome, first_treated, exposure, cluster)
    _check_controls(data, estimator, control)
    native = None
    est, vcov = _estimates_only(data, estimator, control, cluster) if not inference else (None, None)
    if est is None and estimator in ROBUST:
        est, vcov, native = _library(data, estimator, control, cluster is not None, seed)
    elif est is None and estimator == "twfe":
        est, vcov = _twfe(data, lo, hi)
    elif est is None:
        est, vcov = _wooldridge_poisson(data, control, lo, hi, inference)
    if not inference:
        reference = est["event_time"] == -1
        est = est.assign(ci_low=np.where(reference, 0.0, np.nan), ci_high=np.where(reference, 0.0, np.nan))
        vcov, native = None, None
    return EventStudyFit(
        estimator, control, _window_table(estimator, est, data, lo, hi), vcov, native, data, (lo, hi)
    )


def _estimates_only(data: pd.DataFrame, estimator: str, control: str, cluster: str | None):
    """(estimates, None) from the estimator's estimates-only computation, or (None, None) where there is none.

    For the diff-diff estimators: the same point estimates from diff-diff's own building blocks (its solvers,
    its cell means and weights) without its variance computations, most of their time. None for two-way fixed
    effects (a small least-squares fit, kept as it is), Wooldridge Poisson (its fit skips only the cluster
    covariance) and Callaway-Sant'Anna with ``cluster`` or on a balanced panel (diff-diff's panel path).
    """
    if estimator == "imputation":
        return _imputation_estimates(data), None
    if estimator == "sun_abraham":
        return _sun_abraham_estimates(data), None
    if estimator == "callaway_santanna" and cluster is None:
        return _callaway_santanna_estimates(data, control), None
    return None, None


def _window_table(estimator: str, est: pd.DataFrame, data: pd.DataFrame, lo: int, hi: int) -> pd.DataFrame:
    """The estimates on the window's event times (missing where not estimated), with the treated units behind each.

    Arrays rather than a merge and a grouped count: it runs once per fit, hundreds of times in the leave-one-out.
    """
    times = np.arange(lo, hi + 1)
    at = pd.Index(est["event_time"].to_numpy()).get_indexer(times)  # -1: not estimated

    def column(name: str) -> np.ndarray:
        values = est[name].to_numpy(dtype="float64")
        return (
            np.where(at >= 0, values[np.maximum(at, 0)], np.nan)
            if len(values)
            else np.full(len(times), np.nan)
        )

    g, t, u = (data[c].to_numpy() for c in ("g", "t", "u"))
    treated = g > 0
    pairs = np.unique(np.column_stack([t[treated] - g[treated], u[treated]]), axis=0)
    e, n = (
        np.unique(pairs[:, 0], return_counts=True) if len(pairs) else (np.array([]), np.array([], dtype=int))
    )
    found = pd.Index(e).get_indexer(times.astype("float64"))
    n_units = np.where(found >= 0, n[np.maximum(found, 0)] if len(n) else 0, 0).astype("int64")
    return pd.DataFrame(
        {"estimator": estimator, "event_time": times, "estimate": column("estimate"), "ci_low": column("ci_low"),
         "ci_high": column("ci_high"), "n_units": n_units}
    )[COLUMNS]  # fmt: skip


PRETREND_METHODS = {
    "callaway_santanna": "Wald chi-squared, analytic influence-function covariance (diff-diff)",
    "sun_abraham": "Wald chi-squared, cluster-robust covariance of the interaction-weighted estimates (diff-diff)",
    "imputation": "F-test of the leads in the untreated-observation regression (Borusyak et al. 2024, eq. 9; "
    "diff-diff pretrend_test)",
    "twfe": "Wald chi-squared, cluster-robust covariance (statsmodels)",
    "wooldridge_poisson": "Wald chi-squared, delta method on the cluster-robust covariance (statsmodels)",
}


def pretrend_test(fit: EventStudyFit) -> dict[str, object]:
    """Joint test that every pre-period coefficient of the window (``lo`` to -2; -1 is the reference) is 0.

    Each estimator's own covariance is used (see ``PRETREND_METHODS``): a Wald chi-squared test on the estimated
    pre-period coefficients, and for ``imputation`` the lead regression of Borusyak, Jaravel and Spiess (their
    pre-trend test, which is separate from the imputation estimates by design). Coefficients that the estimator
    did not estimate (missing) are left out; ``n_pre`` says how many entered.
    """
    from scipy import stats

    lo, _ = fit.event_window
    pre = list(range(lo, -1))
    row: dict[str, object] = {"estimator": fit.estimator, "control": fit.control}
    row["method"] = PRETREND_METHODS[fit.estimator]
    if fit.estimator == "imputation":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = fit.native.pretrend_test(n_leads=len(pre))
        f, df = float(res["f_stat"]), int(res["df"])
        return {
            **row,
            "n_pre": int(res["n_leads"]),
            "statistic": f,
            "df": df,
            "p_value": float(res["p_value"]),
        }
    b = fit.table.set_index("event_time")["estimate"]
    vcov = fit.vcov
    keep = [e for e in pre if vcov is not None and e in vcov.index and np.isfinite(b.get(e, np.nan))]
    if not keep:
        return {**row, "n_pre": 0, "statistic": np.nan, "df": 0, "p_value": np.nan}
    beta = b.loc[keep].to_numpy(dtype="float64")
    v = vcov.loc[keep, keep].to_numpy(dtype="float64")
    if not np.all(np.isfinite(v)):
        return {**row, "n_pre": len(keep), "statistic": np.nan, "df": len(keep), "p_value": np.nan}
    stat = float(beta @ np.linalg.pinv(v) @ beta)
    return {
        **row,
        "n_pre": len(keep),
        "statistic": stat,
        "df": len(keep),
        "p_value": float(stats.chi2.sf(stat, len(keep))),
    }


def honest_did(
    fit: EventStudyFit, m_grid: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0), alpha: float = 0.05
) -> pd.DataFrame:
    """Rambachan and Roth (2023) relative-magnitude bounds on the average post-period effect (diff-diff HonestDiD).

    The target is the equal-weight average of the event times 0 to ``hi`` of the window; under Delta^RM(M) the
    post-period violation of parallel trends may change from one period to the next by up to M times the largest
    such change among the pre-periods (every pre-period the estimator estimated, as diff-diff takes them).
    One row per M: the identified set (``lb``, ``ub``) and the robust confidence interval (missing, with the
    library's reason in ``note``, where diff-diff refuses, e.g. for a singular covariance). Only
    ``callaway_santanna`` fits are supported: diff-diff's HonestDiD takes its event-study results and no other
    estimator's here.
    """
    import diff_diff as dd

    if fit.estimator != "callaway_santanna":
        raise ValueError("honest_did needs a callaway_santanna fit (diff-diff's HonestDiD route)")
    es = fit.native
    _, hi = fit.event_window
    post = [
        int(e)
        for e, a, se, ref in zip(es.event_time, es.att, es.se, es.is_reference, strict=True)
        if e >= 0 and not ref and np.isfinite(a) and np.isfinite(se) and se > 0
    ]
    l_vec = np.array([1.0 if e <= hi else 0.0 for e in post])
    l_vec = l_vec / l_vec.sum()
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for m in m_grid:
            row = {
                "method": "relative_magnitude",
                "M": float(m),
                "n_post": int((l_vec > 0).sum()),
                "note": "",
            }
            try:
                r = dd.HonestDiD(method="relative_magnitude", M=m, alpha=alpha, l_vec=l_vec).fit(es)
            except ValueError as error:
                # e.g. a singular covariance: the library refuses, and the row says why instead of a number
                reason = str(error).split(". ")[0]
                rows.append({**row, **dict.fromkeys(["estimate", "lb", "ub", "ci_low", "ci_high"], np.nan),
                             "note": f"not computed: {reason}"})  # fmt: skip
                continue
            rows.append(
                {
                    **row,
                    "estimate": float(r.original_estimate),
                    "lb": float(r.lb),
                    "ub": float(r.ub),
                    "ci_low": float(r.ci_lb),
                    "ci_high": float(r.ci_ub),
                }
            )
    return pd.DataFrame(rows)


def _prepare(panel, unit, time, outcome, first_treated, exposure, cluster) -> pd.DataFrame:
    g = pd.to_numeric(panel[first_treated], errors="raise").astype("float64").to_numpy()
    t = pd.to_numeric(panel[time], errors="raise").astype("float64").to_numpy()
    y = pd.to_numeric(panel[outcome], errors="raise").astype("float64").to_numpy()
    columns = {"u": pd.factorize(panel[unit], sort=True)[0], "t": t, "y": y, "g": np.nan_to_num(g, nan=0.0)}
    keep = ~np.isnan(y) & ~np.isnan(t)
    if exposure:
        columns["x"] = pd.to_numeric(panel[exposure], errors="raise").astype("float64").to_numpy()
        keep &= columns["x"] > 0
    columns["c"] = pd.factorize(panel[cluster], sort=True)[0] if cluster else columns["u"]
    # rows by unit and period (a stable sort, as sort_values on the two columns), as arrays: this runs per fit
    order = np.flatnonzero(keep)
    order = order[np.lexsort((t[order], columns["u"][order]))]
    u, t = columns["u"][order], t[order]
    if len(u) > 1 and np.any((u[1:] == u[:-1]) & (t[1:] == t[:-1])):
        raise ValueError("panel has more than one row for a unit and period")
    # a treated unit never observed untreated (treated from the panel's first period, or in an unbalanced panel
    # first observed after its treatment) has no untreated period: no estimator can compare it with itself, and
    # its unit effect is collinear with its own cohort's effects
    g = columns["g"][order]
    untreated = (g == 0) | (t < g)
    unit_index = np.unique(u, return_inverse=True)[1]
    ever_untreated = np.bincount(unit_index, weights=untreated)[unit_index] > 0
    rows = order[ever_untreated]
    return pd.DataFrame({name: values[rows] for name, values in columns.items()})


def _check_controls(data: pd.DataFrame, estimator: str, control: str) -> None:
    n_never = data.loc[data["g"] == 0, "u"].nunique()
    if data.loc[data["g"] > 0, "u"].nunique() == 0:
        raise ValueError("no treated unit with an untreated period before its first treated period")
    if estimator in ("imputation", "twfe") and control != "not_yet_treated":
        raise ValueError(
            f"{estimator} uses every untreated observation (never- and not-yet-treated) as control; "
            "control='never_treated' is not available for it: use control='not_yet_treated'"
        )
    if control == "never_treated" and n_never == 0:
        raise ValueError(
            "control='never_treated' but the panel has no never-treated unit (first_treated missing)"
        )
    if control == "not_yet_treated" and n_never == 0:
        # a cohort needs a later-treated unit still untreated in its periods
        last = data.loc[data["g"] > 0, "g"].max()
        if data.loc[data["g"] > 0, "g"].nunique() < 2 and data["t"].max() >= last:
            raise ValueError(
                "control='not_yet_treated' but every unit is treated at the same period and none is never "
                "treated: there is no untreated comparison for any treated period"
            )


def _vcov_frame(vcov, index) -> pd.DataFrame | None:
    if vcov is None or index is None:
        return None
    labels = [int(e) for e in index]
    return pd.DataFrame(np.asarray(vcov, dtype="float64"), index=labels, columns=labels)


def _library(data: pd.DataFrame, estimator: str, control: str, clustered: bool, seed: int):
    """Estimates by event time, their covariance (None for imputation: see `pretrend_test`) and the result."""
    import diff_diff as dd

    frame = data.assign(g=data["g"].astype("int64"), t=data["t"].astype("int64"))
    kw = {"cluster": "c"} if clustered else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if estimator == "callaway_santanna":
            model = dd.CallawaySantAnna(
                control_group=control,
                base_period="universal",
                seed=seed,
                allow_unbalanced_panel=True,
                **kw,
            )
            res = model.fit(frame, outcome="y", unit="u", time="t", first_treat="g")
            es = res.aggregate("event_study")
            table = pd.DataFrame(
                {
                    "event_time": np.asarray(es.event_time, dtype="int64"),
                    "estimate": np.where(es.is_reference, 0.0, es.att),
                    "ci_low": np.where(es.is_reference, 0.0, es.conf_int_lower),
                    "ci_high": np.where(es.is_reference, 0.0, es.conf_int_upper),
                }
            )
            # the event-study container is what diff-diff's HonestDiD takes (same bounds as the native route)
            return table, _vcov_frame(es.vcov, es.vcov_index), es
        if estimator == "imputation":
            res = dd.ImputationDiD(pretrends=True, seed=seed, **kw).fit(
                frame, outcome="y", unit="u", time="t", first_treat="g", aggregate="event_study"
            )
        else:
            if not (frame["g"] == 0).any():
                # Sun and Abraham's choice without never-treated units: the last-treated cohort is the control,
                # observed until it is treated (diff-diff needs a never-treated group)
                last = frame["g"].max()
                frame = frame[~((frame["g"] == last) & (frame["t"] >= last))]
                frame = frame[frame["t"] < last].assign(g=lambda f: f["g"].where(f["g"] != last, 0))
            res = dd.SunAbraham(control_group=control, seed=seed, **kw).fit(
                frame, outcome="y", unit="u", time="t", first_treat="g"
            )
    rows = []
    for e, v in (res.event_study_effects or {}).items():
        lo, hi = v["conf_int"]
        rows.append((int(e), float(v["effect"]), float(lo), float(hi)))
    out = pd.DataFrame(rows, columns=["event_time", "estimate", "ci_low", "ci_high"])
    if -1 not in set(out["event_time"]):
        out = pd.concat([out, pd.DataFrame([(-1, 0.0, 0.0, 0.0)], columns=out.columns)], ignore_index=True)
    ref = out["event_time"] == -1
    out.loc[ref, ["estimate", "ci_low", "ci_high"]] = 0.0
    vcov = None
    if estimator == "sun_abraham":
        vcov = _vcov_frame(res.event_study_vcov, res.event_study_vcov_index)
    return out.sort_values("event_time").reset_index(drop=True), vcov, res


def _dummies(codes: np.ndarray, drop_first: bool = True) -> np.ndarray:
    levels = np.unique(codes)
    mat = (codes[:, None] == levels[None, :]).astype("float64")
    return mat[:, 1:] if drop_first else mat


def _twfe_design(data: pd.DataFrame, lo: int, hi: int) -> tuple[np.ndarray, list[int]]:
    """Intercept, event-time dummies (ends binned, -1 left out), unit and period dummies; the event times."""
    treated = data["g"].to_numpy() > 0
    e = np.where(treated, data["t"].to_numpy() - data["g"].to_numpy(), np.nan)
    e_bin = np.clip(e, lo, hi)
    times = [k for k in range(lo, hi + 1) if k != -1]
    ev = np.column_stack([(e_bin == k).astype("float64") for k in times])
    x = np.column_stack(
        [np.ones(len(data)), ev, _dummies(data["u"].to_numpy()), _dummies(data["t"].to_numpy())]
    )
    return x, times


def _with_reference(out: pd.DataFrame) -> pd.DataFrame:
    ref = pd.DataFrame({"event_time": [-1], "estimate": [0.0], "ci_low": [0.0], "ci_high": [0.0]})
    return pd.concat([out, ref]).sort_values("event_time").reset_index(drop=True)


def _twfe(data: pd.DataFrame, lo: int, hi: int) -> pd.DataFrame:
    import statsmodels.api as sm

    x, times = _twfe_design(data, lo, hi)
    fit = sm.OLS(data["y"].to_numpy(), x).fit(cov_type="cluster", cov_kwds={"groups": data["c"].to_numpy()})
    b = np.asarray(fit.params)[1 : 1 + len(times)]
    se = np.asarray(fit.bse)[1 : 1 + len(times)]
    out = pd.DataFrame({"event_time": times, "estimate": b, "ci_low": b - _Z * se, "ci_high": b + _Z * se})
    v = np.asarray(fit.cov_params())[1 : 1 + len(times), 1 : 1 + len(times)]
    return _with_reference(out), _vcov_frame(v, times)


def _imputation_estimates(data: pd.DataFrame) -> pd.DataFrame:
    """Borusyak-Jaravel-Spiess point estimates, computed as diff-diff's ``ImputationDiD`` computes them.

    Unit and period effects are fitted on the untreated observations (never treated, or before the first
    treated period) with diff-diff's own solver (alternating projections to its tolerance: an exact
    least-squares solve differs in the eighth digit, which a difference of two estimates can make visible);
    each treated observation's effect is its outcome minus the imputed untreated one (missing where its unit or
    period has no untreated observation); the estimate at event time h is the mean of the finite effects at h.
    Without never-treated units, event times from the gap between the first and the last cohort on have no
    comparison and are missing. No anticipation, no covariates, no weights (as `_library` fits it).
    """
    from diff_diff.utils import _iterative_fe_solve

    g, t, y, u = (data[c].to_numpy() for c in ("g", "t", "y", "u"))
    treated = (g > 0) & (t >= g)
    unit_code, units = pd.factorize(u[~treated], sort=False)
    period_code, periods = pd.factorize(t[~treated], sort=False)
    unit_fe, period_fe = _iterative_fe_solve(
        np.asarray(y[~treated], dtype=np.float64), unit_code.astype(np.intp), period_code.astype(np.intp),
        len(units), len(periods), method_name="ImputationDiD iterative FE solver",
    )  # fmt: skip
    unit_of = dict(zip(units, unit_fe, strict=True))
    period_of = dict(zip(periods, period_fe, strict=True))
    imputed = np.array([unit_of.get(a, np.nan) for a in u[treated]], dtype="float64") + np.array(
        [period_of.get(b, np.nan) for b in t[treated]], dtype="float64"
    )
    effect = y[treated] - imputed
    horizon = t[treated] - g[treated]
    cohorts = np.unique(g[g > 0])
    gap = cohorts.max() - cohorts.min() if not (g == 0).any() and len(cohorts) > 1 else np.inf
    rows = [(-1, 0.0)]
    for h in np.unique(horizon):
        at_h = effect[horizon == h]
        finite = at_h[np.isfinite(at_h)]
        rows.append((int(h), float(np.mean(finite)) if len(finite) and h < gap else np.nan))
    out = pd.DataFrame(rows, columns=["event_time", "estimate"]).assign(ci_low=np.nan, ci_high=np.nan)
    return out.sort_values("event_time").reset_index(drop=True)


def _callaway_santanna_estimates(data: pd.DataFrame, control: str) -> pd.DataFrame | None:
    """Callaway-Sant'Anna event-study estimates as diff-diff computes them for an unbalanced panel, or None.

    diff-diff (``allow_unbalanced_panel=True``, universal base period, no covariates, no anticipation) treats an
    unbalanced panel as repeated cross-sections: for cohort g with base period b (the last period before g) and
    each other period t, ATT(g, t) = (mean y of the cohort at t - mean y of the controls at t) - (the same at
    b), the controls being the never-treated units and, with not-yet-treated controls, the units first treated
    after max(t, b); a cell with no observation on one of the four sides is not estimated. The estimate at
    event time e is the average of the estimated cells with t - g = e weighted by the cohorts' numbers of units,
    the reference cells (g, b) entering with an effect of 0. A balanced panel (diff-diff's panel path, within-
    unit changes) gives None: the caller then fits the library.
    """
    import bisect

    u, t, y, g = (data[c].to_numpy() for c in ("u", "t", "y", "g"))
    periods = sorted(np.unique(t).tolist())
    if len(data) == len(np.unique(u)) * len(periods):
        return None
    cohorts = sorted(np.unique(g[g > 0]).tolist())
    first_rows = np.unique(u, return_index=True)[1]
    unit_cohort = g[first_rows]
    mass = {c: float(np.sum(np.ones(len(first_rows))[unit_cohort == c])) for c in cohorts}
    never = g == 0
    cells: dict[float, list[tuple[float, float, bool]]] = {}  # event time: (effect, weight, reference)

    def mean(values: np.ndarray) -> float:
        w = np.ones(len(values))  # diff-diff's unit weights (pweights of 1), normalised as it does
        return float(np.sum(w / np.sum(w) * values))

    references = []
    for c in cohorts:
        position = bisect.bisect_left(periods, c)
        base = periods[position - 1] if position > 0 else None
        if base is None:
            continue
        references.append((c, base))
        treated = g == c
        at_base = t == base
        for period in periods:
            if period == base:
                continue
            # not-yet-treated: also the units first treated after both periods (other cohorts than g)
            later = (g > max(period, base)) & (g != c)
            controls = never if control == "never_treated" else never | later
            at_t = t == period
            sides = [treated & at_t, treated & at_base, controls & at_t, controls & at_base]
            if not all(side.any() for side in sides):
                continue
            gt, gs, ct, cs = (mean(y[side]) for side in sides)
            att = (gt - ct) - (gs - cs)
            if np.isfinite(att):
                cells.setdefault(period - c, []).append((att, mass[c], False))
    for c, base in references:
        if mass[c] > 0:
            cells.setdefault(base - c, []).append((0.0, mass[c], True))
    rows = []
    for e in sorted(cells):
        effects = np.array([cell[0] for cell in cells[e]])
        weights = np.array([cell[1] for cell in cells[e]], dtype=float)
        if all(cell[2] for cell in cells[e]):
            rows.append((int(e), 0.0))
            continue
        weights = weights / np.sum(weights)
        rows.append((int(e), float(np.sum(weights * effects))))
    if -1 not in {e for e, _ in rows}:
        rows.append((-1, 0.0))
    out = pd.DataFrame(rows, columns=["event_time", "estimate"]).assign(ci_low=np.nan, ci_high=np.nan)
    return out.sort_values("event_time").reset_index(drop=True)


def _sun_abraham_estimates(data: pd.DataFrame) -> pd.DataFrame:
    """Sun-Abraham event-study estimates computed as diff-diff's ``SunAbraham`` computes them, without its SEs.

    The interaction of each cohort with each of its observed event times (-1 left out) is regressed on the
    outcome after diff-diff's own two-way within transformation (alternating projections to its tolerance, so
    the same demeaned columns, snapped to 0 where the fixed effects absorb them) and its own least-squares
    solver; the estimate at event time e averages the cohorts' coefficients at e weighted by their numbers of
    observations there. Without never-treated units the last-treated cohort is the control, as in `_library`.
    diff-diff builds the interaction columns and the cluster-robust covariance with one pandas operation per
    cell; the columns are built here in one pass and the covariance is not computed.
    """
    from diff_diff.linalg import solve_ols
    from diff_diff.utils import pre_demean_norms, snap_absorbed_regressors, within_transform

    frame = data.assign(g=data["g"].astype("int64"), t=data["t"].astype("int64"))
    if not (frame["g"] == 0).any():
        last = frame["g"].max()
        frame = frame[~((frame["g"] == last) & (frame["t"] >= last))]
        frame = frame[frame["t"] < last].assign(g=lambda f: f["g"].where(f["g"] != last, 0))
    g, t = frame["g"].to_numpy(), frame["t"].to_numpy()
    cohorts = sorted(np.unique(g[g > 0]).tolist())
    rel = np.where(g > 0, t - g, np.nan)
    periods = sorted({int(e) for e in np.unique(rel[g > 0])} - {-1})
    columns: dict[str, np.ndarray] = {}
    cells: list[tuple[int, int]] = []
    for c in cohorts:
        in_cohort = g == c
        for e in periods:
            indicator = (in_cohort & (rel == e)).astype(float)
            if indicator.sum() > 0:
                columns[f"_D_{c}_{e}"] = indicator
                cells.append((c, e))
    names = list(columns)
    design = pd.DataFrame({"u": frame["u"].to_numpy(), "t": t, "y": frame["y"].to_numpy(), **columns})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        norms = pre_demean_norms(design, names, weights=None)
        demeaned = within_transform(design, ["y", *names], "u", "t", suffix="_dm", weights=None)
        snap_absorbed_regressors(
            demeaned, names, norms, absorbed_desc="unit 'u' and time 't' fixed effects",
            group_vars=["u", "t"], rank_deficient_action="warn", suffix="_dm", weights=None,
        )  # fmt: skip
        coef = solve_ols(
            demeaned[[f"{n}_dm" for n in names]].to_numpy(), demeaned["y_dm"].to_numpy(),
            return_vcov=False, rank_deficient_action="warn",
        )[0]  # fmt: skip
    effect = dict(zip(cells, coef, strict=True))
    size = pd.Series(1, index=pd.MultiIndex.from_arrays([g[g > 0], rel[g > 0]])).groupby(level=[0, 1]).size()
    rows = [(-1, 0.0)]
    for e in periods:
        at_e = [c for c in cohorts if (c, e) in effect]
        if not at_e:
            continue
        counts = {c: size.get((c, float(e)), 0) for c in at_e}
        total = sum(counts.values())
        if total == 0:
            continue
        estimate = 0.0
        for c in at_e:
            estimate += counts[c] / total * effect[(c, e)]
        rows.append((e, float(estimate)))
    out = pd.DataFrame(rows, columns=["event_time", "estimate"]).assign(ci_low=np.nan, ci_high=np.nan)
    return out.sort_values("event_time").reset_index(drop=True)


def _poisson_identified(d: pd.DataFrame, control: str, lo: int, hi: int) -> pd.DataFrame:
    """Drop what a Poisson fixed-effects fit cannot identify (separation, Correia et al. 2020).

    A cohort whose reference observations (event time -1, and with not-yet-treated controls the periods before
    the window) hold no count at all has no baseline: its units go. A cohort and event-time cell with a zero
    total has a coefficient of minus infinity: its observations go. A unit whose count is zero in every period
    left has a unit effect of minus infinity: it goes.
    """
    while True:
        n = len(d)
        g = d["g"].to_numpy()
        e = np.where(g > 0, d["t"].to_numpy() - g, np.nan)
        reference = (e == -1) | ((e < lo) if control == "not_yet_treated" else False)
        base = d[reference].groupby("g")["y"].sum()
        cohorts = set(base[base > 0].index)
        keep = (g == 0) | np.isin(g, list(cohorts))
        cell = pd.Series(d["y"].to_numpy()).groupby([g, np.nan_to_num(e, nan=-(10**6))]).transform("sum")
        in_cell = (g > 0) & (e >= lo) & (e <= hi) & (e != -1)
        keep &= ~(in_cell & (cell.to_numpy() == 0))
        d = d[keep].reset_index(drop=True)
        d = d[d.groupby("u")["y"].transform("sum") > 0].reset_index(drop=True)
        if len(d) == n:
            return d


def _wooldridge_poisson(
    data: pd.DataFrame, control: str, lo: int, hi: int, inference: bool = True
) -> pd.DataFrame:
    """Poisson extended TWFE: a coefficient per (cohort, event time) cell in the window except -1.

    Observations of treated units outside the window are dropped (they would otherwise act as controls); with
    ``control='never_treated'`` the not-yet-treated periods of treated units enter only through their own lead
    coefficients, so the period effects come from never-treated units alone.
    """
    import statsmodels.api as sm

    g = data["g"].to_numpy()
    e = np.where(g > 0, data["t"].to_numpy() - g, np.nan)
    window = (e >= lo) & (e <= hi)
    keep = (g == 0) | (window if control == "never_treated" else e <= hi)
    d = _poisson_identified(data[keep].reset_index(drop=True), control, lo, hi)
    g = d["g"].to_numpy()
    e = np.where(g > 0, d["t"].to_numpy() - g, np.nan)
    cells = sorted(
        {(int(a), int(b)) for a, b in zip(g[g > 0], e[g > 0], strict=True) if lo <= b <= hi and b != -1}
    )
    cols = [((g == a) & (e == b)).astype("float64") for a, b in cells]
    x = np.column_stack([np.ones(len(d)), *cols, _dummies(d["u"].to_numpy()), _dummies(d["t"].to_numpy())])
    model = sm.GLM(d["y"].to_numpy(), x, family=sm.families.Poisson(), offset=np.log(d["x"].to_numpy()))
    if not inference:  # the same iterations; the cluster-robust covariance is what costs
        fit = model.fit(maxiter=200)
    else:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": d["c"].to_numpy()}, maxiter=200)
    b = np.asarray(fit.params)[1 : 1 + len(cells)]
    v = np.asarray(fit.cov_params())[1 : 1 + len(cells), 1 : 1 + len(cells)]
    size = np.array([((g == a) & (e == k)).sum() for a, k in cells], dtype="float64")
    rows = [(-1, 0.0, 0.0, 0.0)]
    times = sorted({k for _, k in cells})
    weights = []
    for k in times:
        w = np.array([s if kk == k else 0.0 for (_, kk), s in zip(cells, size, strict=True)])
        w = w / w.sum()
        weights.append(w)
        est = float(w @ b)
        se = float(np.sqrt(w @ v @ w))
        rows.append((k, est, est - _Z * se, est + _Z * se))
    out = pd.DataFrame(rows, columns=["event_time", "estimate", "ci_low", "ci_high"]).sort_values(
        "event_time"
    )
    w = np.array(weights).reshape(len(times), len(cells))
    return out, _vcov_frame(w @ v @ w.T, times)
