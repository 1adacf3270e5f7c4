"""Persons convicted per 100,000 population against the year of full criminalisation.

Report A/76/120, paragraph 6 (citing UNODC's Global Report on Trafficking in Persons 2020) says that
(1) the number of people convicted per 100,000 population "nearly tripled" since the Protocol entered
into force in 2003, and (2) conviction rates were higher in countries that enacted legislation before
2003 than in those with more recent legislation. This module tests both on the public country data:
the ``convictions`` dataset (dataUNODC release 2025-04-14, persons convicted per country and year, with
World Bank population) and the ``legislation`` dataset (Kelley coding: calendar year of full
criminalisation, observed to 2014).

Every public function takes the input DataFrames as arguments (``None`` loads the packaged dataset) and
returns a tidy, sorted DataFrame. Results are deterministic: the bootstrap is seeded and the same
country draws are reused under every "<5" treatment, so the treatments stay comparable.

Definitions used throughout
---------------------------
count status
    ``numeric`` (a count is given), ``suppressed`` (the source prints "<5"), ``missing`` (the country has
    a prosecuted row but no convicted value, or no row at all).
"<5" treatments
    A suppressed count is an interval, 0 to 4. It is replaced by 0 (``lower``), 2 (``middle``, the
    mid-point) or 4 (``upper``); every headline result is given under all three. These uniform fills
    are not the bounds of a ratio: :mod:`.bounds` gives the sharp ones (opposite fills of numerator
    and denominator), and the verdicts use them.
usable
    A country-year is usable when its count is numeric or suppressed (so a value exists under every
    treatment) and its World Bank population is known and positive. Usability does not depend on the
    treatment, so every treatment uses the same country-years and the bounds are comparable.
cohorts
    By the Kelley year of full criminalisation: ``before 2003`` (up to 2002), ``2003-2008``,
    ``2009 or later`` (2009-2014: Kelley stops in 2014) and ``none or unknown`` (not fully criminalised
    by the last Kelley observation, no Kelley data, or no legislation row). Only the Kelley yardstick is
    used unless ``extend_with_us_tip=True`` (a labelled sensitivity check).
window
    2003-2018 by default: 2003 is the year the Protocol entered into force (``TIP_PROTOCOL_IN_FORCE``)
    and 2018 is the latest data year of the Global Report 2020 that the report cites (its figures refer
    to "2018 or most recent"; see the ``glotip_text_figures`` rows of GLOTIP 2020).
balanced panel
    Countries with usable counts in at least ``MIN_SHARE`` = 0.8 of the window's years (13 of 16 for
    2003-2018). A fully balanced panel (share 1.0) keeps very few countries because reporting before
    2007 is thin; 0.8 tolerates about three gaps while keeping the set of countries nearly fixed,
    which is what a trend needs. The share is a parameter everywhere.
populations
    Rates use World Bank population (``population`` column of ``convictions``); UNODC uses UN
    population figures, so rates differ slightly from published ones.

The package's modules: :mod:`.panel` (the country-year panel), :mod:`.rates` (rates by cohort, the
ratio of pooled rates), :mod:`.models` (count models), :mod:`.events` (the event study),
:mod:`.bounds` (sharp '<5' bounds of the ratios), :mod:`.robustness` (leave one country out,
endpoints, estimands, the specification curve), :mod:`.statements` (the verdicts on the two
statements) and :mod:`.tables` (the CSV tables).
"""

from __future__ import annotations

from tipstats.analysis.convictions._base import (
    CLAIM_REGION,
    EVENT_REFERENCE,
    EVENT_WINDOW,
    GLOTIP_2020_LAST_DATA_YEAR,
    HEADLINE_TREATMENT,
    KELLEY,
    MIN_SHARE,
    MODELS,
    N_BOOT,
    NEGBIN,
    NOT_A_TREND_NOTE,
    POISSON,
    POPULATION_NOTE,
    SAMPLE_ALL,
    SAMPLE_BALANCED,
    SAMPLE_MATCHED,
    SAMPLES,
    SEED,
    SPEC_COHORTS,
    SPEC_POOLED,
    STATEMENT_HIGHER,
    STATEMENT_TRIPLED,
    STATEMENTS,
    SUPPRESSED_VALUES,
    TREATMENTS,
    US_TIP,
    WINDOW,
)
from tipstats.analysis.convictions.bounds import rate_ratio_bounds, tripling_bounds
from tipstats.analysis.convictions.events import event_study
from tipstats.analysis.convictions.models import cohort_rate_ratios
from tipstats.analysis.convictions.panel import (
    analysis_panel,
    balanced_panel,
    cohort_of,
    coverage_matrix,
    legislation_years,
    panel_membership,
)
from tipstats.analysis.convictions.rates import before_2003_higher, cohort_rates, tripling_ratio
from tipstats.analysis.convictions.robustness import leave_one_out, specification_curve
from tipstats.analysis.convictions.statements import higher_before_verdict, tripling_verdict, verdicts
from tipstats.analysis.convictions.tables import write_tables
from tipstats.facts import COHORTS

__all__ = [
    "CLAIM_REGION",
    "COHORTS",
    "EVENT_REFERENCE",
    "EVENT_WINDOW",
    "GLOTIP_2020_LAST_DATA_YEAR",
    "HEADLINE_TREATMENT",
    "KELLEY",
    "MIN_SHARE",
    "MODELS",
    "NEGBIN",
    "NOT_A_TREND_NOTE",
    "N_BOOT",
    "POISSON",
    "POPULATION_NOTE",
    "SAMPLES",
    "SAMPLE_ALL",
    "SAMPLE_BALANCED",
    "SAMPLE_MATCHED",
    "SEED",
    "SPEC_COHORTS",
    "SPEC_POOLED",
    "STATEMENTS",
    "STATEMENT_HIGHER",
    "STATEMENT_TRIPLED",
    "SUPPRESSED_VALUES",
    "TREATMENTS",
    "US_TIP",
    "WINDOW",
    "analysis_panel",
    "balanced_panel",
    "before_2003_higher",
    "cohort_of",
    "cohort_rate_ratios",
    "cohort_rates",
    "coverage_matrix",
    "event_study",
    "higher_before_verdict",
    "leave_one_out",
    "legislation_years",
    "panel_membership",
    "rate_ratio_bounds",
    "specification_curve",
    "tripling_bounds",
    "tripling_ratio",
    "tripling_verdict",
    "verdicts",
    "write_tables",
]
