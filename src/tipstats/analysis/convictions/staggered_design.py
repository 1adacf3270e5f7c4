"""Convictions against the year of full criminalisation as a staggered-adoption design (issue 13, item 2).

The design of :func:`design_panel`:

treated countries
    Countries with a Kelley year of full criminalisation (``first_treated`` = that year). With
    ``extend_with_us_tip=True`` (a labelled sensitivity, never the main analysis) a country without a Kelley year
    takes its earliest US TIP report law year, a laxer yardstick.
controls
    Countries that Kelley observed as not yet fully criminalised at their last observation (``legislation.year``
    missing, ``last_year_observed`` known). They are untreated for as long as the coding observed them, so each
    is kept only up to its ``last_year_observed`` (2014, or 2011 for the four countries not updated after
    2011). Countries with no Kelley data are left out: their status is unknown.
calendar end
    The panel ends at the last year any control is observed (the largest ``last_year_observed`` of the
    controls): after it, every country left is treated and no estimator that compares with untreated countries
    has a comparison. A treatment year after that end is outside the panel, so the country counts as untreated
    throughout (``first_treated`` missing).
outcome
    Persons convicted per 100,000 population (usable country-years, '<5' at the headline treatment 2), and for
    the Poisson estimator the count with World Bank population as exposure (a log rate ratio).

:func:`estimator_comparison` runs every estimator of :mod:`tipstats.analysis.staggered` on it, for the Kelley
yardstick and the US-report sensitivity; :func:`pretrend_tests`, :func:`honest_sensitivity`,
:func:`cohort_support` and :func:`leave_one_country_out` are the checks a referee asks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tipstats.analysis import staggered
from tipstats.analysis.convictions._base import (
    EVENT_WINDOW,
    HEADLINE_TREATMENT,
    KELLEY,
    SAMPLE_ALL,
    SEED,
    WINDOW,
    _default,
    _require,
    change_beyond_noise,
)
from tipstats.analysis.convictions.panel import analysis_panel
from tipstats.cache import cached_when_default

YARDSTICK_KELLEY = "Kelley"
YARDSTICK_US = "Kelley, else US TIP report (sensitivity)"
YARDSTICKS: tuple[str, ...] = (YARDSTICK_KELLEY, YARDSTICK_US)

ROLE_TREATED = "treated"
ROLE_CONTROL = "not fully criminalised when last observed"

OUTCOME_RATE = "convicted per 100,000 (difference)"
OUTCOME_POISSON = "log rate ratio (Poisson, population exposure)"

#: (estimator, control) pairs of the comparison, in the order of the table and the figure.
SPECIFICATIONS: tuple[tuple[str, str], ...] = (
    ("callaway_santanna", "not_yet_treated"),
    ("callaway_santanna", "never_treated"),
    ("imputation", "not_yet_treated"),
    ("sun_abraham", "never_treated"),
    ("twfe", "not_yet_treated"),
    ("wooldridge_poisson", "not_yet_treated"),
)
#: The headline robust specification (the sensitivity and the leave-one-out centre on it).
HEADLINE = ("callaway_santanna", "not_yet_treated")

ESTIMATOR_LABELS = {
    "callaway_santanna": "Callaway-Sant'Anna",
    "imputation": "Imputation (Borusyak-Jaravel-Spiess)",
    "sun_abraham": "Sun-Abraham",
    "twfe": "Two-way fixed effects",
    "wooldridge_poisson": "Wooldridge Poisson",
}
CONTROL_LABELS = {"not_yet_treated": "not-yet-treated", "never_treated": "never-treated"}
#: The event study as it was before this design (``events.event_study``): countries that legislated only,
#: 2003-2018, so later years compare treated countries with already-treated ones. Kept in the comparison.
PREVIOUS = ("twfe", "legislating_only")
PREVIOUS_LABEL = "Two-way fixed effects as before (legislating countries only, to 2018)"


def specification_label(estimator: str, control: str) -> str:
    """'Callaway-Sant'Anna, not-yet-treated' and the like (the imputation and TWFE controls are implied)."""
    if (estimator, control) == PREVIOUS:
        return PREVIOUS_LABEL
    if estimator in ("imputation", "wooldridge_poisson"):
        return ESTIMATOR_LABELS[estimator]
    if estimator == "twfe":
        return f"{ESTIMATOR_LABELS[estimator]}, this design"
    return f"{ESTIMATOR_LABELS[estimator]}, {CONTROL_LABELS[control]}"


def _yardstick(name: str) -> bool:
    if name not in YARDSTICKS:
        raise ValueError(f"yardstick must be one of {', '.join(YARDSTICKS)}, not {name!r}")
    return name == YARDSTICK_US


def design_panel(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    yardstick: str = YARDSTICK_KELLEY,
    suppressed: str = HEADLINE_TREATMENT,
    window: tuple[int, int] = WINDOW,
) -> pd.DataFrame:
    """The country-year panel of the staggered design (see the module docstring), sorted by country and year.

    Columns: ``iso3``, ``year``, ``rate_per_100k``, ``convicted``, ``population`` (floats), ``first_treated``
    (float, NaN for countries untreated in the panel), ``legislation_year`` (Int64, as the yardstick gives it),
    ``role`` (``treated`` or ``not fully criminalised when last observed``), ``last_year_observed`` (Int64, the
    Kelley coding's last year) and ``yardstick``. Only usable country-years inside ``window`` and up to the
    calendar end enter.
    """
    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    _require(leg, ["iso3", "yardstick", "last_year_observed"], "legislation")
    panel = analysis_panel(conv, leg, suppressed, extend_with_us_tip=_yardstick(yardstick))
    kelley = leg.loc[leg["yardstick"] == KELLEY, ["iso3", "last_year_observed"]]
    panel = panel.merge(kelley, on="iso3", how="left", validate="many_to_one")
    panel["last_year_observed"] = panel["last_year_observed"].astype("Int64")
    first, last = window
    panel = panel[panel["usable"] & (panel["year"] >= first) & (panel["year"] <= last)]
    treated = panel["legislation_year"].notna()
    observed = panel["last_year_observed"].notna()
    control = ~treated & observed & (panel["year"] <= panel["last_year_observed"]).fillna(False)
    panel = panel[treated | control].copy()
    controls = panel["legislation_year"].isna()
    if not controls.any():
        raise ValueError("no country that Kelley observed as not yet fully criminalised is in the panel")
    end = int(panel.loc[controls, "last_year_observed"].max())
    panel = panel[panel["year"] <= end].copy()
    year = panel["legislation_year"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    # a treatment after the calendar end is outside the panel: the country is untreated throughout it
    panel["first_treated"] = np.where(year <= end, year, np.nan)
    panel["role"] = np.where(np.isnan(panel["first_treated"]), ROLE_CONTROL, ROLE_TREATED)
    panel["yardstick"] = yardstick
    columns = [
        "iso3",
        "year",
        "rate_per_100k",
        "convicted",
        "population",
        "first_treated",
        "legislation_year",
    ]
    columns += ["role", "last_year_observed", "yardstick"]
    out = panel[columns].sort_values(["iso3", "year"]).reset_index(drop=True)
    out["role"] = out["role"].astype("str")
    return out


def _fit(
    panel: pd.DataFrame,
    estimator: str,
    control: str,
    event_window: tuple[int, int],
    seed: int,
    inference: bool = True,
):
    poisson = estimator == "wooldridge_poisson"
    return staggered.fit_event_study(
        panel,
        unit="iso3",
        time="year",
        outcome="convicted" if poisson else "rate_per_100k",
        first_treated="first_treated",
        estimator=estimator,
        control=control,
        event_window=event_window,
        exposure="population" if poisson else None,
        seed=seed,
        inference=inference,
    )


#: Fits on the packaged datasets, keyed by the cache's inputs key and what the fit depends on: the comparison,
#: the pre-trend tests and the HonestDiD bounds use the same fits, computed once per process (and data change).
_PACKAGED_FITS: dict[tuple, tuple[pd.DataFrame, Any]] = {}


def _packaged_key() -> str | None:
    from tipstats.cache import inputs_key

    try:
        key = inputs_key()
    except OSError:
        return None
    if any(k[0] != key for k in _PACKAGED_FITS):
        _PACKAGED_FITS.clear()  # the data or the code changed: the fits kept are stale
    return key


def _fits(
    convictions: pd.DataFrame | None,
    legislation: pd.DataFrame | None,
    yardsticks: Sequence[str],
    specifications: Sequence[tuple[str, str]],
    event_window: tuple[int, int],
    window: tuple[int, int],
    seed: int,
) -> list[tuple[str, pd.DataFrame, Any]]:
    """(yardstick, design panel, fit) per yardstick and specification; callers read the fits, never change them."""
    data_key = _packaged_key() if convictions is None and legislation is None else None
    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    out = []
    for yardstick in yardsticks:
        panel = None
        for estimator, control in specifications:
            key = (data_key, yardstick, estimator, control, tuple(event_window), tuple(window), seed)
            if data_key is not None and key in _PACKAGED_FITS:
                out.append((yardstick, *_PACKAGED_FITS[key]))
                continue
            if panel is None:
                panel = design_panel(conv, leg, yardstick=yardstick, window=window)
            fit = _fit(panel, estimator, control, event_window, seed)
            if data_key is not None:
                _PACKAGED_FITS[key] = (panel, fit)
            out.append((yardstick, panel, fit))
    return out


@cached_when_default  # computed once per data change
def estimator_comparison(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    yardsticks: Sequence[str] = YARDSTICKS,
    specifications: Sequence[tuple[str, str]] = SPECIFICATIONS,
    event_window: tuple[int, int] = EVENT_WINDOW,
    window: tuple[int, int] = WINDOW,
    seed: int = SEED,
    previous: bool = True,
) -> pd.DataFrame:
    """Every estimator at every event time: estimate, 95% interval, units behind the cell.

    One row per yardstick, specification (estimator and control group) and event time of ``event_window``.
    ``outcome`` says the scale (a difference in the rate, or a log rate ratio for the Poisson estimator);
    ``n_units`` counts the treated countries observed at that event time; ``n_countries`` and ``n_controls`` the
    countries and the not-yet-criminalised controls in the fit; ``first_year`` and ``last_year`` the panel's
    calendar span. A missing estimate is a cell the estimator did not identify (``note`` says so). The two-way
    fixed effects estimates bin the window's ends; the robust estimators do not. With ``previous`` the
    event study as it was before this design comes first (``PREVIOUS``: :func:`..events.event_study`, all
    reporting countries that legislated, ``window`` uncut, intervals from t(G - 1)).
    """
    rows = []
    if previous:
        rows += [_previous(convictions, legislation, y, event_window, window) for y in yardsticks]
    for yardstick, panel, fit in _fits(
        convictions, legislation, yardsticks, specifications, event_window, window, seed
    ):
        table = fit.table.copy()
        table.insert(0, "yardstick", yardstick)
        table.insert(2, "control", fit.control)
        table.insert(3, "specification", specification_label(fit.estimator, fit.control))
        table.insert(4, "outcome", OUTCOME_POISSON if fit.estimator == "wooldridge_poisson" else OUTCOME_RATE)
        table["n_countries"] = int(fit.data["u"].nunique())
        table["n_controls"] = int(fit.data.loc[fit.data["g"] == 0, "u"].nunique())
        table["first_year"] = int(panel["year"].min())
        table["last_year"] = int(panel["year"].max())
        table["note"] = np.where(
            table["estimate"].isna(),
            "not estimated: no comparison or a rank-deficient cell",
            np.where(table["event_time"] == -1, "reference period", ""),
        )
        if fit.estimator == "twfe":
            lo, hi = fit.event_window
            table.loc[table["event_time"].isin([lo, hi]), "note"] = "binned end"
        rows.append(table)
    return pd.concat(rows, ignore_index=True)


def _previous(
    convictions: pd.DataFrame | None,
    legislation: pd.DataFrame | None,
    yardstick: str,
    event_window: tuple[int, int],
    window: tuple[int, int],
) -> pd.DataFrame:
    from tipstats.analysis.convictions.events import event_study as twfe_event_study

    old = twfe_event_study(
        convictions, legislation, event_window=event_window, window=window, treatments=(HEADLINE_TREATMENT,),
        samples=(SAMPLE_ALL,), extend_with_us_tip=_yardstick(yardstick),
    )  # fmt: skip
    lo, hi = event_window
    ref = old["event_time"] == -1
    out = pd.DataFrame(
        {
            "yardstick": yardstick,
            "estimator": PREVIOUS[0],
            "control": PREVIOUS[1],
            "specification": PREVIOUS_LABEL,
            "outcome": OUTCOME_RATE,
            "event_time": old["event_time"].astype("int64"),
            "estimate": old["estimate"].astype("float64"),
            "ci_low": old["ci_low"].astype("float64").mask(ref, 0.0),
            "ci_high": old["ci_high"].astype("float64").mask(ref, 0.0),
            "n_units": old["n_countries_event"].astype("int64"),
            "n_countries": old["n_countries"].astype("int64"),
            "n_controls": 0,
            "first_year": window[0],
            "last_year": window[1],
        }
    )
    out["note"] = np.where(
        out["event_time"].isin([lo, hi]), "binned end", np.where(ref, "reference period", "")
    )
    return out


@cached_when_default  # computed once per data change
def pretrend_tests(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    yardsticks: Sequence[str] = YARDSTICKS,
    specifications: Sequence[tuple[str, str]] = SPECIFICATIONS,
    event_window: tuple[int, int] = EVENT_WINDOW,
    window: tuple[int, int] = WINDOW,
    seed: int = SEED,
) -> pd.DataFrame:
    """Joint test of the pre-period coefficients (``event_window[0]`` to -2) per yardstick and specification.

    ``method`` says which covariance each test uses (every estimator here gives one; none needs a bootstrap):
    see :func:`tipstats.analysis.staggered.pretrend_test`.
    """
    rows = []
    for yardstick, _, fit in _fits(
        convictions, legislation, yardsticks, specifications, event_window, window, seed
    ):
        test = staggered.pretrend_test(fit)
        rows.append(
            {"yardstick": yardstick, "specification": specification_label(fit.estimator, fit.control), **test}
        )
    out = pd.DataFrame(rows)
    cols = [
        "yardstick",
        "estimator",
        "control",
        "specification",
        "n_pre",
        "statistic",
        "df",
        "p_value",
        "method",
    ]
    return out[cols]


@cached_when_default  # computed once per data change
def honest_sensitivity(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    yardsticks: Sequence[str] = YARDSTICKS,
    event_window: tuple[int, int] = EVENT_WINDOW,
    window: tuple[int, int] = WINDOW,
    m_grid: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0),
    seed: int = SEED,
) -> pd.DataFrame:
    """Rambachan-Roth relative-magnitude bounds on the average effect over event times 0 to ``event_window[1]``.

    Computed for the Callaway-Sant'Anna fits (both control groups), the only estimator whose results diff-diff's
    HonestDiD takes; see :func:`tipstats.analysis.staggered.honest_did`. ``M = 0`` is the original interval.
    """
    specs = [s for s in SPECIFICATIONS if s[0] == "callaway_santanna"]
    rows = []
    for yardstick, _, fit in _fits(convictions, legislation, yardsticks, specs, event_window, window, seed):
        table = staggered.honest_did(fit, m_grid)
        table.insert(0, "yardstick", yardstick)
        table.insert(1, "specification", specification_label(fit.estimator, fit.control))
        table["robust_excludes_zero"] = (table["ci_low"] > 0) | (table["ci_high"] < 0)
        rows.append(table)
    return pd.concat(rows, ignore_index=True)


@cached_when_default  # computed once per data change
def cohort_support(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    yardsticks: Sequence[str] = YARDSTICKS,
    event_window: tuple[int, int] = EVENT_WINDOW,
    window: tuple[int, int] = WINDOW,
) -> pd.DataFrame:
    """How many countries support each cohort (first treated year) at each event time of the window.

    One row per yardstick, cohort and event time with ``n_countries`` (treated countries of the cohort with a
    usable country-year then), ``cohort_size`` (countries of the cohort in the panel) and ``n_controls``
    (not-yet-criminalised controls observed in that calendar year: the never-treated comparison of the cell).
    Only countries observed untreated at least once (a usable year before their first treated year) count, as
    only those enter the estimators (:func:`tipstats.analysis.staggered.fit_event_study` drops the others).
    """
    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    lo, hi = event_window
    rows = []
    for yardstick in yardsticks:
        panel = design_panel(conv, leg, yardstick=yardstick, window=window)
        treated = panel[panel["first_treated"].notna()].copy()
        untreated_once = (
            (treated["year"] < treated["first_treated"]).groupby(treated["iso3"]).transform("any")
        )
        treated = treated[untreated_once]
        treated["cohort"] = treated["first_treated"].astype("int64")
        treated["event_time"] = treated["year"] - treated["cohort"]
        sizes = treated.groupby("cohort")["iso3"].nunique()
        controls = panel[panel["first_treated"].isna()].groupby("year")["iso3"].nunique()
        counts = treated.groupby(["cohort", "event_time"])["iso3"].nunique()
        for cohort in sorted(sizes.index):
            for e in range(lo, hi + 1):
                year = cohort + e
                rows.append(
                    {
                        "yardstick": yardstick,
                        "cohort": int(cohort),
                        "event_time": e,
                        "year": year,
                        "n_countries": int(counts.get((cohort, e), 0)),
                        "cohort_size": int(sizes[cohort]),
                        "n_controls": int(controls.get(year, 0)),
                    }
                )
    return pd.DataFrame(rows)


def post_average(table: pd.DataFrame) -> float:
    """Equal-weight average of the estimates at event times 0 and later (the cells the estimator identified)."""
    post = table.loc[table["event_time"] >= 0, "estimate"].dropna()
    return float(post.mean()) if len(post) else float("nan")


@cached_when_default  # computed once per data change
def leave_one_country_out(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    yardstick: str = YARDSTICK_KELLEY,
    specifications: Sequence[tuple[str, str]] = SPECIFICATIONS,
    event_window: tuple[int, int] = EVENT_WINDOW,
    window: tuple[int, int] = WINDOW,
    seed: int = SEED,
) -> pd.DataFrame:
    """Each specification re-estimated once without each country of the design panel.

    One row per specification and dropped country: ``post_average`` (equal-weight average of the post-period
    estimates, event times 0 to ``event_window[1]``) without it, ``full_post_average`` with every country,
    ``change`` (without minus with), the country's ``role`` and ``rank`` (1 = the largest absolute change within
    the specification). ``n_countries`` is the number of countries of the refit. A change within
    :data:`~tipstats.analysis.convictions._base.NUMERICAL_ZERO` of the full average is floating-point noise
    (its last bits differ between CPUs) and is reported as 0, so the table and its ranks are the same on every
    machine.
    """
    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    panel = design_panel(conv, leg, yardstick=yardstick, window=window)
    roles = panel.drop_duplicates("iso3").set_index("iso3")["role"]
    countries = np.array(sorted(panel["iso3"].unique()))
    rows = []
    for estimator, control in specifications:
        # point estimates only (no interval is used here), the full fit and the refits alike
        whole = _fit(panel, estimator, control, event_window, seed, inference=False)
        full = post_average(whole.table)
        label = specification_label(estimator, control)
        # the countries the fit uses (a country treated before the panel's first year has no pre-period)
        for iso3 in countries[np.unique(whole.data["u"].to_numpy())]:
            fit = _fit(panel[panel["iso3"] != iso3], estimator, control, event_window, seed, inference=False)
            value = post_average(fit.table)
            rows.append(
                {
                    "yardstick": yardstick,
                    "estimator": estimator,
                    "control": control,
                    "specification": label,
                    "dropped": iso3,
                    "role": roles[iso3],
                    "n_countries": int(fit.data["u"].nunique()),
                    "post_average": value,
                    "full_post_average": full,
                    "change": float(change_beyond_noise(value, full)),
                }
            )
    out = pd.DataFrame(rows)
    out["abs_change"] = out["change"].abs()
    out = out.sort_values(
        ["specification", "abs_change", "dropped"], ascending=[True, False, True], kind="mergesort"
    )
    out["rank"] = out.groupby("specification").cumcount() + 1
    order = {specification_label(*s): i for i, s in enumerate(specifications)}
    out = out.sort_values(
        ["specification", "rank"], key=lambda c: c.map(order) if c.name == "specification" else c
    )
    return out.drop(columns="abs_change").reset_index(drop=True)


def most_influential(loo: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` countries whose omission moves each specification's post-period average most."""
    return loo[loo["rank"] <= n].reset_index(drop=True)
