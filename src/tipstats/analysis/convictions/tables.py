"""Every result table of the convictions analysis written as CSV (``tipstats analysis``, ``make tables``)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from tipstats.analysis.convictions._base import HEADLINE_TREATMENT, SIGNIFICANT_DIGITS, _default
from tipstats.analysis.convictions.bounds import rate_ratio_bounds, tripling_bounds
from tipstats.analysis.convictions.events import event_study
from tipstats.analysis.convictions.models import cohort_rate_ratios
from tipstats.analysis.convictions.panel import analysis_panel, coverage_matrix, panel_membership
from tipstats.analysis.convictions.rates import cohort_rates, tripling_ratio
from tipstats.analysis.convictions.robustness import (
    influence,
    leave_one_out,
    robustness_checks,
    specification_curve,
)
from tipstats.analysis.convictions.statements import verdicts

# Every table is named convictions_<what>.csv; `make tables` lists them in manifest.txt beside them.
TABLE_PREFIX = "convictions_"
TABLES_MANIFEST = "manifest.txt"

# -- tables ----------------------------------------------------------------------------------


def _to_text(frame: pd.DataFrame, digits: int = SIGNIFICANT_DIGITS) -> pd.DataFrame:
    """Floats rounded to ``digits`` significant digits as text, so platform noise cannot change bytes."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_float_dtype(series.dtype):
            values = series.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
            out[column] = [
                "" if math.isnan(v) else ("inf" if math.isinf(v) else f"{(v if v != 0 else 0.0):.{digits}g}")
                for v in values
            ]
    return out


def write_tables(
    out_dir: Path | str,
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
) -> list[Path]:
    """Write every result table as CSV into ``out_dir`` and return the paths, sorted.

    Byte-identical on rerun: rows sorted, LF line ends, floats with 6 significant digits.
    """
    from tipstats.io import write_csv
    from tipstats.publish import refuse_unless_replaceable

    out_dir = Path(out_dir)
    # tables and the manifest `make tables` keeps beside them; anyone else's folder is refused first
    own = (
        [*(p.name for p in out_dir.glob(f"{TABLE_PREFIX}*.csv")), TABLES_MANIFEST] if out_dir.is_dir() else []
    )
    refuse_unless_replaceable(out_dir, own, whole=False, generic=[TABLES_MANIFEST])
    # None (the packaged datasets) lets each result come from, or go to, the results cache
    conv, leg = convictions, legislation
    panel = analysis_panel(_default(conv, "convictions"), _default(leg, "legislation"), HEADLINE_TREATMENT)
    tables = {
        "convictions_coverage": coverage_matrix(conv, leg),
        "convictions_balanced_panel": panel_membership(panel),
        "convictions_cohort_rates": cohort_rates(conv, leg),
        "convictions_cohort_rate_ratios": cohort_rate_ratios(conv, leg),
        "convictions_event_study": event_study(conv, leg),
        "convictions_tripling_ratio": tripling_ratio(conv, leg),
        "convictions_verdicts": verdicts(conv, leg),
        # '<5' bounds and robustness of the two ratios (bounds.py, robustness.py)
        "convictions_bounds_tripling": tripling_bounds(conv, leg),
        "convictions_bounds_rate_ratio": rate_ratio_bounds(conv, leg),
        "convictions_leave_one_out": (loo := leave_one_out(conv, leg)),
        "convictions_influence": influence(loo),
        "convictions_robustness_checks": robustness_checks(conv, leg),
        "convictions_specification_curve": specification_curve(conv, leg),
    }
    # -- staggered-adoption event study (issue 13 items 2 and 4): heterogeneity-robust estimators and checks
    from tipstats.analysis.convictions import staggered_design as sd

    tables.update(
        {
            "convictions_event_study_estimators": sd.estimator_comparison(conv, leg),
            "convictions_event_study_pretrends": sd.pretrend_tests(conv, leg),
            "convictions_event_study_honest_did": sd.honest_sensitivity(conv, leg),
            "convictions_event_study_cohort_support": sd.cohort_support(conv, leg),
            "convictions_event_study_leave_one_out": sd.leave_one_country_out(conv, leg),
        }
    )
    paths = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        assert name.startswith(TABLE_PREFIX), name
        path = out_dir / f"{name}.csv"
        write_csv(_to_text(frame), path)
        paths.append(path)
    return sorted(paths)
