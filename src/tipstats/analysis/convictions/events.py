"""Event study: convictions per 100,000 by years since full criminalisation, with country and year effects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tipstats.analysis.convictions._base import (
    EVENT_REFERENCE,
    EVENT_WINDOW,
    MIN_SHARE,
    SAMPLES,
    TREATMENTS,
    WINDOW,
    _sort,
    _t_inference,
)
from tipstats.analysis.convictions.models import _dummies
from tipstats.analysis.convictions.panel import _panels, _samples
from tipstats.cache import cached_when_default

# -- event study --------------------------------------------------------------------------------


def _event_label(e: int, lo: int, hi: int, reference: int) -> str:
    if e == lo:
        return f"{lo} or less"
    if e == hi:
        return f"{hi} or more"
    if e == reference:
        return f"{e} (reference)"
    return str(e)


def _fit_event_study(frame: pd.DataFrame, lo: int, hi: int, reference: int) -> list[dict[str, Any]]:
    from tipstats.optional import require

    sm = require("statsmodels.api", "the convictions event study (tipstats.analysis.convictions)")

    data = frame[frame["usable"] & frame["legislation_year"].notna()].reset_index(drop=True)
    bins = list(range(lo, hi + 1))
    n_obs, n_countries = len(data), int(data["iso3"].nunique())
    binned = data["event_time"].astype("int64").clip(lo, hi) if n_obs else pd.Series(dtype="int64")
    present = set(binned)
    estimated = [e for e in bins if e != reference and e in present]
    rows: dict[int, dict[str, Any]] = {}
    for e in bins:
        mask = binned == e
        rows[e] = {
            "event_time": e, "label": _event_label(e, lo, hi, reference), "is_reference": e == reference,
            "binned": e in (lo, hi), "estimate": 0.0 if e == reference else np.nan, "std_error": np.nan,
            "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan, "n_obs_event": int(mask.sum()),
            "n_countries_event": int(data.loc[mask, "iso3"].nunique()) if n_obs else 0,
            "n_obs": n_obs, "n_countries": n_countries, "note": "",
        }  # fmt: skip
    if reference not in present or not estimated or n_countries < 2:
        for row in rows.values():
            row["note"] = "not estimable: too few countries or no reference-year observations"
        return list(rows.values())
    countries = sorted(data["iso3"].unique())
    years = sorted(data["year"].unique())
    exog = pd.concat(
        [
            pd.DataFrame({"const": np.ones(n_obs)}),
            _dummies(binned, estimated, "event"),
            _dummies(data["iso3"], countries[1:], "country"),
            _dummies(data["year"], years[1:], "year"),
        ],
        axis=1,
    )
    endog = data["rate_per_100k"].to_numpy(dtype="float64")
    groups = pd.factorize(data["iso3"], sort=True)[0]
    result = sm.OLS(endog, exog).fit(method="qr", cov_type="cluster", cov_kwds={"groups": groups})
    rank = int(result.model.rank)
    names = [f"event[{e}]" for e in estimated]
    b, s = result.params[names].to_numpy(), result.bse[names].to_numpy()
    low, high, p = _t_inference(b, s, n_countries - 1)
    if rank < exog.shape[1]:
        # e.g. every country legislated in the same year: event time and year effects coincide
        for row in rows.values():
            row["note"] = "design not of full rank: event-time effects not identified"
        return list(rows.values())
    note = ""
    for i, e in enumerate(estimated):
        rows[e].update(estimate=float(b[i]), std_error=float(s[i]), ci_low=float(low[i]),
                       ci_high=float(high[i]), p_value=float(p[i]))  # fmt: skip
    for row in rows.values():
        row["note"] = note
    return list(rows.values())


@cached_when_default  # computed once per data change, shared by tables, figures, claims, notebooks
def event_study(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    event_window: tuple[int, int] = EVENT_WINDOW,
    reference: int = EVENT_REFERENCE,
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
    treatments: Sequence[str] = TREATMENTS,
    samples: Sequence[str] = SAMPLES,
    extend_with_us_tip: bool = False,
) -> pd.DataFrame:
    """Convictions per 100,000 by years since full criminalisation, with country and year effects.

    OLS of ``rate_per_100k`` on event-time dummies (``event_window``, ends binned: the first bin
    holds every earlier year, the last every later year; ``reference`` omitted, its row has estimate
    0), one dummy per country and per year, over the usable country-years of ``window`` of countries
    with a known legislation year. Errors are clustered by country; intervals use t(G - 1).

    Caveats: only countries that legislated (by Kelley's yardstick, to 2014) enter, so the year
    effects are identified from differences in timing and the binned ends carry the usual
    assumption that effects are constant beyond them; with staggered timing and effects that vary
    by cohort, two-way fixed effects estimates are weighted averages that can mislead
    (Sun and Abraham 2021). Read the coefficients as descriptive.
    """
    lo, hi = event_window
    if not lo < reference < hi:
        raise ValueError("reference must lie strictly inside event_window")
    rows = []
    for treatment, panel in _panels(convictions, legislation, treatments, extend_with_us_tip).items():
        for sample, frame in _samples(panel, window, min_share, samples).items():
            for row in _fit_event_study(frame, lo, hi, reference):
                rows.append({"sample": sample, "suppressed": treatment, **row})
    out = pd.DataFrame(rows)
    out["outcome"] = "convicted per 100,000"
    out["window"] = f"{window[0]}-{window[1]}"
    return _sort(out, ["sample", "suppressed", "event_time"])
