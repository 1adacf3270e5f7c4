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

import numpy as np
import pandas as pd

ESTIMATORS = ("callaway_santanna", "imputation", "sun_abraham", "twfe", "wooldridge_poisson")
ROBUST = ("callaway_santanna", "imputation", "sun_abraham")
CONTROLS = ("not_yet_treated", "never_treated")
COLUMNS = ["estimator", "event_time", "estimate", "ci_low", "ci_high", "n_units"]
_Z = 1.959963984540054


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
    if estimator in ROBUST:
        est = _library(data, estimator, control, cluster is not None, seed)
    elif estimator == "twfe":
        est = _twfe(data, lo, hi)
    else:
        est = _wooldridge_poisson(data, control, lo, hi)
    grid = pd.DataFrame({"event_time": np.arange(lo, hi + 1)})
    out = grid.merge(est, on="event_time", how="left")
    counts = data[data["g"] > 0].assign(e=lambda d: d["t"] - d["g"]).groupby("e")["u"].nunique()
    out["n_units"] = out["event_time"].map(counts).fillna(0).astype("int64")
    out.insert(0, "estimator", estimator)
    for col in ["estimate", "ci_low", "ci_high"]:
        out[col] = out[col].astype("float64")
    return out[COLUMNS]


def _prepare(panel, unit, time, outcome, first_treated, exposure, cluster) -> pd.DataFrame:
    g = pd.to_numeric(panel[first_treated], errors="raise").astype("float64")
    t = pd.to_numeric(panel[time], errors="raise").astype("float64")
    y = pd.to_numeric(panel[outcome], errors="raise").astype("float64")
    data = pd.DataFrame(
        {
            "u": pd.factorize(panel[unit], sort=True)[0],
            "t": t.to_numpy(),
            "y": y.to_numpy(),
            "g": g.fillna(0).to_numpy(),
        }
    )
    if exposure:
        data["x"] = pd.to_numeric(panel[exposure], errors="raise").astype("float64").to_numpy()
    data["c"] = pd.factorize(panel[cluster], sort=True)[0] if cluster else data["u"]
    keep = data["y"].notna() & data["t"].notna() & (data["x"].gt(0) if exposure else True)
    data = data[keep].sort_values(["u", "t"]).reset_index(drop=True)
    if data.duplicated(["u", "t"]).any():
        raise ValueError("panel has more than one row for a unit and period")
    if ((data["g"] > 0) & (data["g"] <= data["t"].min())).any():
        # units treated from the first observed period have no untreated period: no estimator can use them
        first = data["t"].min()
        data = data[~((data["g"] > 0) & (data["g"] <= first))].reset_index(drop=True)
    return data


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


def _library(data: pd.DataFrame, estimator: str, control: str, clustered: bool, seed: int) -> pd.DataFrame:
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
            return pd.DataFrame(
                {
                    "event_time": np.asarray(es.event_time, dtype="int64"),
                    "estimate": np.where(es.is_reference, 0.0, es.att),
                    "ci_low": np.where(es.is_reference, 0.0, es.conf_int_lower),
                    "ci_high": np.where(es.is_reference, 0.0, es.conf_int_upper),
                }
            )
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
    return out.sort_values("event_time").reset_index(drop=True)


def _dummies(codes: np.ndarray, drop_first: bool = True) -> np.ndarray:
    levels = np.unique(codes)
    mat = (codes[:, None] == levels[None, :]).astype("float64")
    return mat[:, 1:] if drop_first else mat


def _twfe(data: pd.DataFrame, lo: int, hi: int) -> pd.DataFrame:
    import statsmodels.api as sm

    treated = data["g"].to_numpy() > 0
    e = np.where(treated, data["t"].to_numpy() - data["g"].to_numpy(), np.nan)
    e_bin = np.clip(e, lo, hi)
    times = [k for k in range(lo, hi + 1) if k != -1]
    ev = np.column_stack([(e_bin == k).astype("float64") for k in times])
    x = np.column_stack(
        [np.ones(len(data)), ev, _dummies(data["u"].to_numpy()), _dummies(data["t"].to_numpy())]
    )
    fit = sm.OLS(data["y"].to_numpy(), x).fit(cov_type="cluster", cov_kwds={"groups": data["c"].to_numpy()})
    b = np.asarray(fit.params)[1 : 1 + len(times)]
    se = np.asarray(fit.bse)[1 : 1 + len(times)]
    out = pd.DataFrame({"event_time": times, "estimate": b, "ci_low": b - _Z * se, "ci_high": b + _Z * se})
    ref = pd.DataFrame({"event_time": [-1], "estimate": [0.0], "ci_low": [0.0], "ci_high": [0.0]})
    return pd.concat([out, ref]).sort_values("event_time").reset_index(drop=True)


def _wooldridge_poisson(data: pd.DataFrame, control: str, lo: int, hi: int) -> pd.DataFrame:
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
    d = data[keep].reset_index(drop=True)
    g = d["g"].to_numpy()
    e = np.where(g > 0, d["t"].to_numpy() - g, np.nan)
    cells = sorted(
        {(int(a), int(b)) for a, b in zip(g[g > 0], e[g > 0], strict=True) if lo <= b <= hi and b != -1}
    )
    cols = [((g == a) & (e == b)).astype("float64") for a, b in cells]
    x = np.column_stack([np.ones(len(d)), *cols, _dummies(d["u"].to_numpy()), _dummies(d["t"].to_numpy())])
    model = sm.GLM(d["y"].to_numpy(), x, family=sm.families.Poisson(), offset=np.log(d["x"].to_numpy()))
    fit = model.fit(cov_type="cluster", cov_kwds={"groups": d["c"].to_numpy()}, maxiter=200)
    b = np.asarray(fit.params)[1 : 1 + len(cells)]
    v = np.asarray(fit.cov_params())[1 : 1 + len(cells), 1 : 1 + len(cells)]
    size = np.array([((g == a) & (e == k)).sum() for a, k in cells], dtype="float64")
    rows = [(-1, 0.0, 0.0, 0.0)]
    for k in sorted({k for _, k in cells}):
        w = np.array([s if kk == k else 0.0 for (_, kk), s in zip(cells, size, strict=True)])
        w = w / w.sum()
        est = float(w @ b)
        se = float(np.sqrt(w @ v @ w))
        rows.append((k, est, est - _Z * se, est + _Z * se))
    return pd.DataFrame(rows, columns=["event_time", "estimate", "ci_low", "ci_high"]).sort_values(
        "event_time"
    )
