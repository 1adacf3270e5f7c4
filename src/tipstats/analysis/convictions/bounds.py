"""Sharp '<5' bounds for the ratios behind paragraph 6: the tripling ratio and the rate ratio of cohorts.

A suppressed count ("<5") is an interval of whole numbers, 0 to 4. A ratio's extremes over every
possible fill need *opposite* fills: its lower bound fills the numerator's suppressed cells with 0
and the denominator's with 4, its upper bound the reverse. The uniform treatments of the other
modules (``lower`` = 0 everywhere, ``upper`` = 4 everywhere) are not bounds: filling both sides
with 0 raises a ratio whose denominator has more suppressed cells.

Opposite fills are sharp (the bounds are attained, and no fill lies outside them) when the ratio is
increasing in every numerator cell and decreasing in every denominator cell, and no cell is on
both sides. That holds for every quantity here:

ratio of pooled rates (``population-weighted``)
    sum(convicted) / sum(population) over the numerator's cells against the denominator's; the
    two sides sum disjoint cells (other years, or other countries).
ratio of mean country rates (``country average``)
    the mean over countries of each country's rate (its convicted over its population on that
    side) against the same on the other side: each country's rate rises with its own cells only.
Poisson rate ratio of two cohorts with year effects (``poisson``)
    convictions ~ cohort + year, offset log(population), on the countries of the two compared
    cohorts only. The estimate depends on the counts only through the cohort-year totals
    ``Y_gt``; writing ``r`` for the rate ratio, the year effects give ``exp(g_t) = N_t / (P_At +
    r P_Bt)`` (``N_t`` the year's total), and ``r`` solves ``sum_t Y_Bt = sum_t N_t r P_Bt /
    (P_At + r P_Bt)``, whose right side rises with ``r``. One more conviction in a cell of the
    compared cohort B raises the left side by 1 and the right side by less than 1, so ``r``
    rises; one more in the reference cohort A raises only the right side, so ``r`` falls. With a
    third cohort in the fit (the models table keeps ``none or unknown`` as its own level) the
    third cohort's cells move ``r`` through the year effects in either direction, and its bounds
    would need a search over every fill; the two-cohort fit avoids that and is the one the
    verdict uses.

A negative binomial fit has no such structure: :mod:`.robustness` shows it at the mid-point fill.

Every table gives the estimate at the mid-point fill (2) beside the bounds, the uniform fills'
values (to show they are not bounds) and the number of suppressed cells on each side.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tipstats.analysis.convictions._base import (
    GLOTIP_2020_LAST_DATA_YEAR,
    HEADLINE_TREATMENT,
    MIN_SHARE,
    MODELS,
    POISSON,
    SAMPLE_ALL,
    SAMPLE_BALANCED,
    SAMPLE_MATCHED,
    SAMPLES,
    SPEC_POOLED,
    SUPPRESSED_VALUES,
    WINDOW,
    _default,
    _sort,
)
from tipstats.analysis.convictions.models import _fit_count_model, cohort_rate_ratios
from tipstats.analysis.convictions.panel import _samples, analysis_panel, panel_membership
from tipstats.analysis.convictions.rates import tripling_ratio
from tipstats.cache import cached_when_default
from tipstats.facts import (
    COHORT_BEFORE,
    COHORT_EARLY,
    COHORT_LATE,
    COHORT_LATER,
    PROTOCOL_YEAR,
    SUPPRESSED_MAX,
    SUPPRESSED_MIN,
)

# -- names --------------------------------------------------------------------------------------

POPULATION_WEIGHTED = "population-weighted"
COUNTRY_AVERAGE = "country average"
ESTIMANDS: tuple[str, ...] = (POPULATION_WEIGHTED, COUNTRY_AVERAGE)
ESTIMAND_TEXT = {
    POPULATION_WEIGHTED: "ratio of pooled rates (every person counts once: populous countries weigh most)",
    COUNTRY_AVERAGE: "ratio of the mean of country rates (every country counts once)",
}
POOLED_RATIO = "pooled ratio"
#: the fills that give the sharp bounds, as labels in the ``suppressed`` column of results
BOUND_LOW = "bound low"
BOUND_HIGH = "bound high"
BOUND_FILLS: tuple[str, ...] = (BOUND_LOW, HEADLINE_TREATMENT, BOUND_HIGH)
#: averaged endpoints: three years at each end instead of one
AVERAGED_BASE: tuple[int, ...] = (PROTOCOL_YEAR, PROTOCOL_YEAR + 1, PROTOCOL_YEAR + 2)
AVERAGED_END: tuple[int, ...] = tuple(GLOTIP_2020_LAST_DATA_YEAR - k for k in (2, 1, 0))
SINGLE_BASE: tuple[int, ...] = (PROTOCOL_YEAR,)
SINGLE_END: tuple[int, ...] = (GLOTIP_2020_LAST_DATA_YEAR,)
LATER_COHORTS: tuple[str, ...] = (COHORT_EARLY, COHORT_LATE)


def years_label(years: Sequence[int]) -> str:
    """``(2003,)`` -> '2003'; ``(2016, 2017, 2018)`` -> '2016-2018'."""
    years = sorted(years)
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


# -- fills --------------------------------------------------------------------------------------


def _opposite_fills(
    panel: pd.DataFrame, numerator: np.ndarray, denominator: np.ndarray
) -> dict[str, np.ndarray]:
    """``convicted`` at the fill of the lower bound and of the upper bound (other cells: mid-point).

    Lower bound: the numerator's suppressed cells at 0, the denominator's at 4; upper: the reverse.
    """
    if np.any(numerator & denominator):
        raise ValueError("a cell on both sides of a ratio: opposite fills are not its bounds")
    suppressed = (panel["count_status"] == "suppressed").to_numpy()
    base = panel["convicted"].to_numpy(dtype="float64").copy()
    out = {}
    for label, (num, den) in {
        BOUND_LOW: (SUPPRESSED_MIN, SUPPRESSED_MAX),
        BOUND_HIGH: (SUPPRESSED_MAX, SUPPRESSED_MIN),
    }.items():
        values = base.copy()
        values[suppressed & numerator] = num
        values[suppressed & denominator] = den
        out[label] = values
    return out


def filled_convictions(convictions: pd.DataFrame, panel: pd.DataFrame, convicted: np.ndarray) -> pd.DataFrame:
    """``convictions`` with each suppressed count replaced by ``convicted`` of the panel row (a whole number).

    The filled rows become ordinary counts (flag cleared), so every function of the analysis can run
    on one fill of the '<5' cells. Usability does not change: a suppressed count was usable already.
    """
    suppressed = (panel["count_status"] == "suppressed").to_numpy()
    keys = pd.MultiIndex.from_frame(panel.loc[suppressed, ["iso3", "year"]])
    values = pd.Series(np.asarray(convicted, dtype="float64")[suppressed], index=keys)
    at = pd.MultiIndex.from_arrays([convictions["iso3"].astype(str), convictions["year"].astype("int64")])
    fill = values.reindex(at).to_numpy(dtype="float64")
    has = ~np.isnan(fill)
    out = convictions.copy()
    counts = out["persons_convicted"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    counts[has] = np.round(fill[has])
    out["persons_convicted"] = pd.Series(counts, index=out.index).astype("Float64").astype("Int64")
    flag = out["convicted_flag"].astype("object").where(~has, None)
    out["convicted_flag"] = flag.astype(convictions["convicted_flag"].dtype)
    return out


# -- the tripling ratio -------------------------------------------------------------------------


def _tripling_sets(
    panel: pd.DataFrame,
    base_years: Sequence[int],
    end_years: Sequence[int],
    window: tuple[int, int],
    min_share: float,
) -> dict[str, tuple[list[str], list[str]]]:
    """Per sample, the countries behind the base side and behind the end side.

    ``all reporting``: each side's own usable countries (a country usable in any of the side's years);
    ``matched``: countries usable in every base year and every end year (the same on both sides);
    ``balanced``: the matched countries in the balanced panel.
    """
    usable = panel[panel["usable"]]
    by_year = usable.groupby("year")["iso3"].agg(set)

    def every(years: Sequence[int]) -> set[str]:
        sets = [by_year.get(y, set()) for y in years]
        return set.intersection(*sets) if sets else set()

    def any_(years: Sequence[int]) -> set[str]:
        return set().union(*(by_year.get(y, set()) for y in years))

    members = panel_membership(panel, min_share, window)
    balanced = set(members.loc[members["balanced"], "iso3"])
    matched = every(base_years) & every(end_years)
    return {
        SAMPLE_ALL: (sorted(any_(base_years)), sorted(any_(end_years))),
        SAMPLE_MATCHED: (sorted(matched), sorted(matched)),
        SAMPLE_BALANCED: (sorted(matched & balanced), sorted(matched & balanced)),
    }


def _side_rate(panel: pd.DataFrame, convicted: np.ndarray, rows: np.ndarray, estimand: str) -> float:
    """Rate per 100,000 of one side of a ratio: pooled over the rows, or the mean of country rates."""
    if not rows.any():
        return np.nan
    population = panel["population"].to_numpy(dtype="float64")[rows]
    if estimand == POPULATION_WEIGHTED:
        # np.nansum is pandas' skipna sum (missing as 0, the same pairwise summation), without a frame
        return float(np.nansum(convicted[rows]) / np.nansum(population) * 1e5)
    if estimand == COUNTRY_AVERAGE:
        # countries as sorted codes: pandas' grouped sums in the order of sorted country codes, as by name
        country = pd.factorize(panel["iso3"].to_numpy()[rows], sort=True)[0]
        by = (
            pd.DataFrame({"convicted": convicted[rows], "population": population})
            .groupby(pd.Index(country))
            .sum()
        )
        return float((by["convicted"] / by["population"]).mean() * 1e5)
    raise ValueError(f"estimand must be one of {', '.join(ESTIMANDS)}, not {estimand!r}")


def _ratio_of(numerator: float, denominator: float) -> float:
    if not (np.isfinite(numerator) and np.isfinite(denominator)) or denominator <= 0:
        return np.nan
    return numerator / denominator


def _ratio_row(
    panel: pd.DataFrame, num_rows: np.ndarray, den_rows: np.ndarray, estimand: str
) -> dict[str, float]:
    """A ratio at the mid-point, at both uniform fills and at both opposite fills (the sharp bounds)."""
    suppressed = (panel["count_status"] == "suppressed").to_numpy()
    values = {}
    for name, fill in SUPPRESSED_VALUES.items():
        convicted = panel["convicted"].to_numpy(dtype="float64").copy()
        convicted[suppressed] = fill
        values[name] = convicted
    values.update(_opposite_fills(panel, num_rows, den_rows))

    def ratio(convicted: np.ndarray) -> float:
        return _ratio_of(
            _side_rate(panel, convicted, num_rows, estimand), _side_rate(panel, convicted, den_rows, estimand)
        )

    mid = values[HEADLINE_TREATMENT]
    return {
        "rate_denominator_per_100k": _side_rate(panel, mid, den_rows, estimand),
        "rate_numerator_per_100k": _side_rate(panel, mid, num_rows, estimand),
        "value": ratio(mid),
        "bound_low": ratio(values[BOUND_LOW]),
        "bound_high": ratio(values[BOUND_HIGH]),
        "uniform_0": ratio(values["lower"]),
        "uniform_4": ratio(values["upper"]),
        "n_suppressed_numerator": int((suppressed & num_rows).sum()),
        "n_suppressed_denominator": int((suppressed & den_rows).sum()),
    }


@cached_when_default  # computed once per data change
def tripling_bounds(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    endpoints: Sequence[tuple[Sequence[int], Sequence[int]]] = (
        (SINGLE_BASE, SINGLE_END),
        (AVERAGED_BASE, AVERAGED_END),
    ),
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
    estimands: Sequence[str] = ESTIMANDS,
    extend_with_us_tip: bool = False,
    panel: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sharp '<5' bounds of the tripling ratio (end rate / base rate) per sample, estimand and endpoints.

    ``endpoints`` pairs base years with end years: by default 2003 against 2018 and the averages
    2003-2005 against 2016-2018 (a side's rate pools, or averages, its years). The numerator's cells
    are the end years', the denominator's the base years': disjoint, so opposite fills are sharp.
    Columns: ``sample``, ``estimand``, ``base_years``, ``end_years``, the numbers of countries,
    ``value`` (mid-point fill), ``bound_low``, ``bound_high``, ``uniform_0`` / ``uniform_4`` (every
    '<5' at 0 / at 4: not bounds), the suppressed cells on each side, ``comparable``.
    """
    if panel is None:
        panel = analysis_panel(
            _default(convictions, "convictions"), _default(legislation, "legislation"), HEADLINE_TREATMENT,
            extend_with_us_tip=extend_with_us_tip,
        )  # fmt: skip
    rows = []
    for base_years, end_years in endpoints:
        if not (
            window[0] <= min(base_years) and max(base_years) < min(end_years) and max(end_years) <= window[1]
        ):
            raise ValueError("base years must come before end years, all inside window")
        sets = _tripling_sets(panel, base_years, end_years, window, min_share)
        year = panel["year"].to_numpy()
        usable = panel["usable"].to_numpy(dtype=bool)
        iso3 = panel["iso3"].to_numpy()
        for sample, (base_countries, end_countries) in sets.items():
            den = usable & np.isin(year, list(base_years)) & np.isin(iso3, base_countries)
            num = usable & np.isin(year, list(end_years)) & np.isin(iso3, end_countries)
            for estimand in estimands:
                rows.append(
                    {"sample": sample, "estimand": estimand, "base_years": years_label(base_years),
                     "end_years": years_label(end_years), "n_countries_base": len(base_countries),
                     "n_countries_end": len(end_countries),
                     "n_countries": len(set(base_countries) | set(end_countries)),
                     "comparable": sample != SAMPLE_ALL, **_ratio_row(panel, num, den, estimand)}
                )  # fmt: skip
    out = pd.DataFrame(rows).rename(
        columns={
            "rate_denominator_per_100k": "rate_base_per_100k",
            "rate_numerator_per_100k": "rate_end_per_100k",
        }
    )
    out["quantity"] = "tripling ratio"
    out["sharp"] = True
    return _sort(out, ["sample", "estimand", "base_years", "end_years"])


# -- the rate ratio of cohorts ------------------------------------------------------------------


def two_cohort_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """Rows of the countries of the two compared cohorts, with ``pooled_cohort``: before 2003 or 2003 or later."""
    keep = panel["cohort"].isin([COHORT_BEFORE, *LATER_COHORTS])
    out = panel[keep].copy()
    out["pooled_cohort"] = out["cohort"].replace({c: COHORT_LATER for c in LATER_COHORTS}).astype("str")
    return out.reset_index(drop=True)


def _poisson_rate_ratio(frame: pd.DataFrame, convicted: np.ndarray) -> dict[str, float]:
    rows = _fit_count_model(frame.assign(convicted=convicted), "pooled_cohort", COHORT_BEFORE, POISSON)
    row = next((r for r in rows if r["cohort"] == COHORT_LATER), None)
    if row is None:
        return {"value": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    return {"value": row["rate_ratio"], "ci_low": row["ci_low"], "ci_high": row["ci_high"]}


@cached_when_default  # computed once per data change
def rate_ratio_bounds(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
    samples: Sequence[str] = SAMPLES,
    extend_with_us_tip: bool = False,
    panel: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Sharp '<5' bounds of the rate ratio of later legislators (2003 or later) against before 2003.

    Three estimators over the usable country-years of ``window``: the ratio of pooled rates
    (``population-weighted``), the ratio of mean country rates (``country average``; a country's
    rate pools its years) and the Poisson rate ratio with year effects fitted on the two cohorts'
    countries (``estimator`` ``poisson``, its estimand population-weighted within years). The
    numerator's cells are the later legislators', the denominator's the earlier ones': disjoint,
    and every estimator rises with the first and falls with the second (module docstring), so the
    opposite fills give sharp bounds. The Poisson rows carry the 95 % interval at each fill.
    """
    if panel is None:
        panel = analysis_panel(
            _default(convictions, "convictions"), _default(legislation, "legislation"), HEADLINE_TREATMENT,
            extend_with_us_tip=extend_with_us_tip,
        )  # fmt: skip
    rows = []
    for sample, frame in _samples(panel, window, min_share, samples).items():
        frame = two_cohort_panel(frame)
        usable = frame["usable"].to_numpy(dtype=bool)
        num = usable & (frame["pooled_cohort"] == COHORT_LATER).to_numpy()
        den = usable & (frame["pooled_cohort"] == COHORT_BEFORE).to_numpy()
        common = {"sample": sample, "n_countries_reference": int(frame.loc[den, "iso3"].nunique()),
                  "n_countries_cohort": int(frame.loc[num, "iso3"].nunique()), "n_obs": int(usable.sum())}  # fmt: skip
        for estimand in ESTIMANDS:
            rows.append(
                {
                    **common,
                    "estimator": POOLED_RATIO,
                    "estimand": estimand,
                    **_ratio_row(frame, num, den, estimand),
                }
            )
        fills = _opposite_fills(frame, num, den)
        mid = _poisson_rate_ratio(frame, frame["convicted"].to_numpy(dtype="float64"))
        low = _poisson_rate_ratio(frame, fills[BOUND_LOW])
        high = _poisson_rate_ratio(frame, fills[BOUND_HIGH])
        suppressed = (frame["count_status"] == "suppressed").to_numpy()
        rows.append(
            {**common, "estimator": POISSON, "estimand": POPULATION_WEIGHTED, "value": mid["value"],
             "ci_low": mid["ci_low"], "ci_high": mid["ci_high"], "bound_low": low["value"],
             "bound_high": high["value"], "ci_low_at_bound_low": low["ci_low"],
             "ci_high_at_bound_high": high["ci_high"],
             "n_suppressed_numerator": int((suppressed & num).sum()),
             "n_suppressed_denominator": int((suppressed & den).sum())}
        )  # fmt: skip
    out = pd.DataFrame(rows).rename(
        columns={
            "rate_denominator_per_100k": "rate_reference_per_100k",
            "rate_numerator_per_100k": "rate_cohort_per_100k",
        }
    )
    out["quantity"] = f"rate ratio {COHORT_LATER} / {COHORT_BEFORE}"
    out["window"] = f"{window[0]}-{window[1]}"
    out["sharp"] = True
    columns = [
        "quantity", "sample", "estimator", "estimand", "value", "ci_low", "ci_high", "bound_low", "bound_high",
        "ci_low_at_bound_low", "ci_high_at_bound_high", "uniform_0", "uniform_4", "rate_cohort_per_100k",
        "rate_reference_per_100k", "n_countries_cohort", "n_countries_reference", "n_obs",
        "n_suppressed_numerator", "n_suppressed_denominator", "window", "sharp",
    ]  # fmt: skip
    return _sort(out.reindex(columns=columns), ["sample", "estimator", "estimand"])


# -- the verdict's inputs at the bound fills ---------------------------------------------------


def tripling_at_bounds(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    base_year: int = PROTOCOL_YEAR,
    end_year: int = GLOTIP_2020_LAST_DATA_YEAR,
    extend_with_us_tip: bool = False,
    **options,
) -> pd.DataFrame:
    """:func:`~.rates.tripling_ratio` at the mid-point fill and at the two fills of the sharp bounds.

    ``suppressed`` is ``middle``, ``bound low`` (the end year's '<5' at 0, the base year's at 4) or
    ``bound high`` (the reverse); each fill has its own bootstrap interval (the same draws).
    """
    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    panel = analysis_panel(conv, leg, HEADLINE_TREATMENT, extend_with_us_tip=extend_with_us_tip)
    year = panel["year"].to_numpy()
    fills = _opposite_fills(panel, year == end_year, year == base_year)
    frames = []
    for label, convicted in [(HEADLINE_TREATMENT, None), *fills.items()]:
        frame = conv if convicted is None else filled_convictions(conv, panel, convicted)
        out = tripling_ratio(
            frame, leg, base_year=base_year, end_year=end_year, treatments=(HEADLINE_TREATMENT,),
            extend_with_us_tip=extend_with_us_tip, **options,
        )  # fmt: skip
        frames.append(out.assign(suppressed=label))
    return _order_fills(pd.concat(frames, ignore_index=True), ["sample"])


def rate_ratios_at_bounds(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    extend_with_us_tip: bool = False,
    **options,
) -> pd.DataFrame:
    """:func:`~.models.cohort_rate_ratios` (pooled, two cohorts) at the mid-point and the bound fills.

    Fitted on the countries of the two compared cohorts only (see the module docstring: this is the
    fit whose bounds the opposite fills give). Both models at the mid-point, Poisson at the bounds.
    """
    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    panel = analysis_panel(conv, leg, HEADLINE_TREATMENT, extend_with_us_tip=extend_with_us_tip)
    compared = set(panel.loc[panel["cohort"].isin([COHORT_BEFORE, *LATER_COHORTS]), "iso3"])
    conv = conv[conv["iso3"].astype(str).isin(compared)].reset_index(drop=True)
    panel = panel[panel["iso3"].isin(compared)].reset_index(drop=True)
    cohort = panel["cohort"].to_numpy()
    fills = _opposite_fills(panel, np.isin(cohort, LATER_COHORTS), cohort == COHORT_BEFORE)
    frames = []
    for label, convicted in [(HEADLINE_TREATMENT, None), *fills.items()]:
        frame = conv if convicted is None else filled_convictions(conv, panel, convicted)
        # both models at the mid-point (the negative binomial as a check), Poisson at the bound fills
        out = cohort_rate_ratios(
            frame, leg, treatments=(HEADLINE_TREATMENT,), specifications=(SPEC_POOLED,),
            models=MODELS if convicted is None else (POISSON,), extend_with_us_tip=extend_with_us_tip,
            **options,
        )  # fmt: skip
        frames.append(out.assign(suppressed=label))
    out = pd.concat(frames, ignore_index=True)
    return _order_fills(out[out["cohort"] == COHORT_LATER], ["sample", "model"])


def _order_fills(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sorted by ``keys``, then the fills in the order bound low, middle, bound high."""
    rank = frame["suppressed"].map({label: i for i, label in enumerate(BOUND_FILLS)})
    return _sort(frame.assign(_rank=rank), [*keys, "_rank"]).drop(columns="_rank")
