"""Constants and small helpers shared by the modules of the convictions analysis."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tipstats.facts import (
    COHORT_ALL,
    COHORT_LATER,
    COHORTS,
    PROTOCOL_YEAR,
)

# -- constants (each stated once) ---------------------------------------------------------------

SUPPRESSED_VALUES: dict[str, float] = {"lower": 0.0, "middle": 2.0, "upper": 4.0}
TREATMENTS: tuple[str, ...] = tuple(SUPPRESSED_VALUES)
HEADLINE_TREATMENT = "middle"

KELLEY = "kelley_full_criminalisation"
US_TIP = "us_tip_report_law"

# Latest data year of the Global Report 2020 (its country data are "2018 or most recent").
GLOTIP_2020_LAST_DATA_YEAR = 2018
WINDOW: tuple[int, int] = (PROTOCOL_YEAR, GLOTIP_2020_LAST_DATA_YEAR)
MIN_SHARE = 0.8

SAMPLE_ALL = "all reporting"
SAMPLE_MATCHED = "matched"
SAMPLE_BALANCED = "balanced"
SAMPLES: tuple[str, ...] = (SAMPLE_ALL, SAMPLE_BALANCED)

POISSON = "poisson"
NEGBIN = "negative binomial"
MODELS: tuple[str, ...] = (POISSON, NEGBIN)
SPEC_COHORTS = "cohorts"
SPEC_POOLED = "pooled"

EVENT_WINDOW: tuple[int, int] = (-5, 10)
EVENT_REFERENCE = -1

CLAIM_REGION: tuple[float, float] = (2.5, 3.0)  # "nearly tripled"
SEED = 76120
N_BOOT = 2000
LEVEL = 0.95
SIGNIFICANT_DIGITS = 6

STATEMENT_TRIPLED = "tripled_since_2003"
STATEMENT_HIGHER = "higher_if_legislated_before_2003"
STATEMENTS = {
    STATEMENT_TRIPLED: "Persons convicted per 100,000 population nearly tripled since the Protocol entered into force in 2003",
    STATEMENT_HIGHER: "Conviction rates were higher in countries that enacted legislation before 2003 than in those with more recent legislation",
}

_ORDERS: dict[str, list[Any]] = {
    "sample": [SAMPLE_ALL, SAMPLE_MATCHED, SAMPLE_BALANCED],
    "suppressed": list(TREATMENTS),
    "cohort": [COHORT_ALL, *COHORTS, COHORT_LATER],
    "model": list(MODELS),
    "specification": [SPEC_COHORTS, SPEC_POOLED],
    "statement_id": [STATEMENT_TRIPLED, STATEMENT_HIGHER],
}

POPULATION_NOTE = "rates use World Bank population; UNODC uses UN population figures"
NOT_A_TREND_NOTE = "a global rate over a changing set of countries is not a trend"


# -- helpers ------------------------------------------------------------------------------------


def _default(frame: pd.DataFrame | None, name: str) -> pd.DataFrame:
    if frame is not None:
        return frame
    import tipstats

    return tipstats.load(name)


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {', '.join(missing)}")


def _float(series: pd.Series) -> np.ndarray:
    """Nullable integers or floats to a float64 array with NaN for missing (statsmodels needs this)."""
    return series.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


def _treatment(suppressed: str) -> float:
    try:
        return SUPPRESSED_VALUES[suppressed]
    except KeyError:
        raise ValueError(f"suppressed must be one of {', '.join(TREATMENTS)}, not {suppressed!r}") from None


def _sort(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Sort by ``keys``, using the stated category orders (cohort, sample, treatment...) where known."""

    def key(column: pd.Series) -> pd.Series:
        order = _ORDERS.get(str(column.name))
        if order is None:
            return column
        return column.map({v: i for i, v in enumerate(order)}).fillna(len(order))

    return frame.sort_values(list(keys), key=key, kind="mergesort").reset_index(drop=True)


def _fmt(value: float, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NA"
    return f"{value:.{digits}g}"


def _t_inference(params: Any, bse: Any, df: Any) -> tuple[np.ndarray, ...]:
    """Wald intervals and p-values with a t reference distribution on ``df`` degrees of freedom.

    Cluster-robust errors from few clusters are too small; a t reference with degrees of freedom
    tied to the number of clusters is the usual small-sample correction (Cameron and Miller 2015).
    ``df`` below 1 gives missing intervals.
    """
    from tipstats.optional import require

    stats = require("scipy.stats", "the convictions models (tipstats.analysis.convictions)")

    params, bse = np.asarray(params, float), np.asarray(bse, float)
    df = np.broadcast_to(np.asarray(df, float), params.shape)
    ok = df >= 1
    safe = np.where(ok, df, 1.0)
    crit = stats.t.ppf(0.5 + LEVEL / 2, safe)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = 2 * stats.t.sf(np.abs(params / bse), safe)
    nan = np.nan
    return (
        np.where(ok, params - crit * bse, nan),
        np.where(ok, params + crit * bse, nan),
        np.where(ok, p, nan),
    )


#: Relative size below which two estimates are the same number: a refit that leaves out a country the estimate
#: does not depend on differs from the full fit by floating-point noise, about 1e-16 (least squares), 1e-14 (the
#: Poisson's iterations) and 1e-10 (the imputation's iterative fixed effects) of the estimate, and those last bits
#: differ between CPUs. The tables print 6 significant digits.
NUMERICAL_ZERO = 1e-9


def change_beyond_noise(value, reference):
    """``value - reference``, with 0 where the two differ by at most :data:`NUMERICAL_ZERO` of their size, so
    that noise neither prints as a change nor orders a ranking (elementwise on arrays; NaN stays NaN)."""
    value, reference = np.asarray(value, dtype="float64"), np.asarray(reference, dtype="float64")
    change = value - reference
    scale = np.maximum(np.maximum(np.abs(value), np.abs(reference)), 1.0)
    return np.where(np.abs(change) <= NUMERICAL_ZERO * scale, 0.0, change)
