"""Derivations and statistical analyses that return tidy tables (estimates, intervals, n).

The notebooks, the figures and the claims audit all read their numbers from here, so a result is
computed in one place only; the figures only draw. One module per subject: :mod:`.treaty` (parties
at a date), :mod:`.legislation`, :mod:`.victims`, :mod:`.trust_fund` and the :mod:`.convictions`
package. statsmodels and scipy are imported inside the functions that need them.
"""

from __future__ import annotations

from tipstats.analysis.convictions import (
    COHORTS,
    TREATMENTS,
    analysis_panel,
    balanced_panel,
    cohort_rate_ratios,
    cohort_rates,
    coverage_matrix,
    event_study,
    panel_membership,
    tripling_ratio,
    verdicts,
    write_tables,
)

__all__ = [
    "COHORTS",
    "TREATMENTS",
    "analysis_panel",
    "balanced_panel",
    "cohort_rate_ratios",
    "cohort_rates",
    "coverage_matrix",
    "event_study",
    "panel_membership",
    "tripling_ratio",
    "verdicts",
    "write_tables",
]
