"""Conviction rates per 100,000 by cohort and year, and the ratio of pooled rates behind "nearly tripled"."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from tipstats.analysis.convictions._base import (
    GLOTIP_2020_LAST_DATA_YEAR,
    LEVEL,
    MIN_SHARE,
    N_BOOT,
    NOT_A_TREND_NOTE,
    POPULATION_NOTE,
    SAMPLE_ALL,
    SAMPLE_BALANCED,
    SAMPLE_MATCHED,
    SEED,
    TREATMENTS,
    WINDOW,
    _sort,
)
from tipstats.analysis.convictions.panel import _panels, _samples, panel_membership
from tipstats.cache import cached_when_default
from tipstats.facts import COHORT_ALL, COHORTS, PROTOCOL_YEAR

# -- rates by cohort and year ------------------------------------------------------------------


def _rates(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    use = frame[frame["usable"]]
    grouped = use.groupby(by, sort=True)
    out = grouped.agg(
        n_countries=("iso3", "nunique"),
        n_numeric=("count_status", lambda s: int((s == "numeric").sum())),
        n_suppressed=("count_status", lambda s: int((s == "suppressed").sum())),
        convicted=("convicted", "sum"),
        population=("population", "sum"),
        median_rate_per_100k=("rate_per_100k", "median"),
    ).reset_index()
    out["pooled_rate_per_100k"] = out["convicted"] / out["population"] * 1e5
    return out


@cached_when_default  # computed once per data change, shared by tables, figures, claims, notebooks
def cohort_rates(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
    treatments: Sequence[str] = TREATMENTS,
    extend_with_us_tip: bool = False,
) -> pd.DataFrame:
    """Convictions per 100,000 by cohort and year, for all reporting countries and the balanced panel.

    ``pooled_rate_per_100k`` is sum(convicted) / sum(population) * 1e5 over the usable countries of
    the cell; ``median_rate_per_100k`` is the median of their country rates. ``n_countries`` (with
    ``n_numeric`` and ``n_suppressed``) is the number of countries behind each point. Cohort ``all``
    pools every cohort. Cells with no usable country are absent. Under ``all reporting`` the set of
    countries changes from year to year, so a line over years is not a trend.
    """
    frames = []
    for treatment, panel in _panels(convictions, legislation, treatments, extend_with_us_tip).items():
        for sample, frame in _samples(panel, window, min_share).items():
            by_cohort = _rates(frame, ["cohort", "year"])
            overall = _rates(frame, ["year"]).assign(cohort=COHORT_ALL)
            both = pd.concat([overall, by_cohort], ignore_index=True)
            both.insert(0, "suppressed", treatment)
            both.insert(0, "sample", sample)
            frames.append(both)
    columns = [
        "sample", "suppressed", "cohort", "year", "n_countries", "n_numeric", "n_suppressed",
        "convicted", "population", "pooled_rate_per_100k", "median_rate_per_100k",
    ]  # fmt: skip
    out = pd.concat(frames, ignore_index=True)[columns]
    for c in ["n_countries", "n_numeric", "n_suppressed", "year"]:
        out[c] = out[c].astype("int64")
    return _sort(out, ["sample", "suppressed", "cohort", "year"])


def before_2003_higher(rates: pd.DataFrame, cohorts: tuple[str, ...]) -> tuple[int, int] | None:
    """In how many years the before-2003 cohort's pooled rate exceeds every later legislating cohort's.

    Only years where the before-2003 cohort and at least one later legislating cohort (not "none or
    unknown") have a rate count. Returns ``(years higher, years compared)`` or None.

    >>> rates = pd.DataFrame({"cohort": ["before 2003", "2003-2008"] * 2, "year": [2003, 2003, 2004, 2004],
    ...                       "pooled_rate_per_100k": [0.3, 0.2, 0.1, 0.2]})
    >>> before_2003_higher(rates, ("before 2003", "2003-2008", "2009 or later", "none or unknown"))
    (1, 2)
    """
    first, later = cohorts[0], [c for c in cohorts[1:] if c != cohorts[-1]]
    wide = rates.pivot_table(index="year", columns="cohort", values="pooled_rate_per_100k")
    if first not in wide.columns:
        return None
    others = wide[[c for c in later if c in wide.columns]]
    if others.empty:
        return None
    both = wide[first].notna() & others.notna().any(axis=1)
    higher = (wide[first] > others.max(axis=1)) & both
    return int(higher.sum()), int(both.sum())


# -- "nearly tripled": ratio of pooled rates ----------------------------------------------------


def _year_arrays(panel: pd.DataFrame, countries: list[str], year: int) -> tuple[np.ndarray, np.ndarray]:
    rows = panel[(panel["year"] == year) & panel["usable"]].set_index("iso3")
    conv = rows["convicted"].reindex(countries).fillna(0.0).to_numpy(dtype="float64")
    pop = rows["population"].reindex(countries).fillna(0.0).to_numpy(dtype="float64")
    return conv, pop


def _ratio(cb: np.ndarray, pb: np.ndarray, ce: np.ndarray, pe: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (ce / pe) / (cb / pb)
    return np.where(np.isfinite(ratio), ratio, np.nan)


def _most_influential(
    countries: list[str], cb: np.ndarray, pb: np.ndarray, ce: np.ndarray, pe: np.ndarray, point: float
) -> tuple[str, float]:
    """The country whose removal moves the pooled ratio most (on the log scale), and the ratio without it."""
    if len(countries) < 2 or not np.isfinite(point) or point <= 0:
        return "", np.nan
    without = _ratio(cb.sum() - cb, pb.sum() - pb, ce.sum() - ce, pe.sum() - pe)
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.abs(np.log(without) - math.log(point))
    shift = np.where(np.isnan(shift), np.inf, shift)  # a ratio that becomes undefined is the largest shift
    i = int(np.argmax(shift))  # first maximum: countries are sorted, so ties resolve alphabetically
    return countries[i], float(without[i])


@cached_when_default  # computed once per data change, shared by tables, figures, claims, notebooks
def tripling_ratio(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    base_year: int = PROTOCOL_YEAR,
    end_year: int = GLOTIP_2020_LAST_DATA_YEAR,
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
    treatments: Sequence[str] = TREATMENTS,
    n_boot: int = N_BOOT,
    seed: int = SEED,
    cohorts: Sequence[str] | None = None,
    extend_with_us_tip: bool = False,
) -> pd.DataFrame:
    """Ratio of the pooled rate per 100,000 in ``end_year`` to ``base_year``, with a bootstrap interval.

    The pooled rate of a year is sum(convicted) / sum(population) over a set of countries. Samples:

    ``all reporting``
        each year's own usable countries (different sets): the naive "global rate" ratio. Not
        comparable, and flagged so: a global rate over a changing set of countries is not a trend.
    ``matched``
        the countries usable in both years: a comparable ratio (same countries in both years).
    ``balanced``
        the matched countries that are also in the balanced panel (``min_share`` of ``window``):
        comparable, and restricted to countries that report steadily.

    "Comparable" therefore means: the same countries behind both years' rates. ``end_year`` is by
    default 2018, the latest data year of the Global Report 2020 that the report cites.

    Diagnostics: ``median_country_ratio`` (median over the countries usable in both years of their
    own end/base ratios, a measure that no single populous country dominates) and
    ``most_influential_country`` with ``ratio_without_it`` (the leave-one-out ratio that moves most).

    ``cohorts`` restricts every sample to countries of those legislation cohorts (for example the
    later legislators, for the report's "recent increases" remark); ``cohort`` in the result says
    which (``all`` when not restricted).

    Interval: percentile bootstrap over countries (``n_boot`` draws with replacement from the
    sample's countries; a drawn country brings its counts and populations of both years). The same
    draws (``seed``) are used under every treatment. Draws whose base or end rate is zero or
    undefined are dropped and counted (``n_boot_valid``).
    """
    if not window[0] <= base_year < end_year <= window[1]:
        raise ValueError("base_year and end_year must lie in window, base before end")
    panels = _panels(convictions, legislation, treatments, extend_with_us_tip)
    first = next(iter(panels.values()))
    if cohorts is not None:
        unknown = set(cohorts) - set(COHORTS)
        if unknown:
            raise ValueError(f"cohorts must be among {', '.join(COHORTS)}")
        panels = {t: p[p["cohort"].isin(list(cohorts))] for t, p in panels.items()}
        first = panels[next(iter(panels))]
    cohort_label = COHORT_ALL if cohorts is None else " + ".join(c for c in COHORTS if c in set(cohorts))
    usable = first[first["usable"]]
    in_base = set(usable.loc[usable["year"] == base_year, "iso3"])
    in_end = set(usable.loc[usable["year"] == end_year, "iso3"])
    members = panel_membership(first, min_share, window)
    balanced = set(members.loc[members["balanced"], "iso3"])
    sets = {
        SAMPLE_ALL: sorted(in_base | in_end),
        SAMPLE_MATCHED: sorted(in_base & in_end),
        SAMPLE_BALANCED: sorted(in_base & in_end & balanced),
    }
    rows = []
    for k, (sample, countries) in enumerate(sets.items()):
        n = len(countries)
        rng = np.random.default_rng([seed, k])
        draws = rng.integers(0, n, size=(n_boot, n)) if n else np.zeros((n_boot, 0), dtype=int)
        n_base = len(in_base & set(countries))
        n_end = len(in_end & set(countries))
        for treatment, panel in panels.items():
            cb, pb = _year_arrays(panel, countries, base_year)
            ce, pe = _year_arrays(panel, countries, end_year)
            point = _ratio(cb.sum(), pb.sum(), ce.sum(), pe.sum()).item() if n else np.nan
            boot = _ratio(cb[draws].sum(1), pb[draws].sum(1), ce[draws].sum(1), pe[draws].sum(1))
            valid = boot[~np.isnan(boot)]
            low, high = (
                np.quantile(valid, [(1 - LEVEL) / 2, (1 + LEVEL) / 2]) if len(valid) else (np.nan, np.nan)
            )
            with np.errstate(divide="ignore", invalid="ignore"):
                rate_base = cb.sum() / pb.sum() * 1e5 if pb.sum() > 0 else np.nan
                rate_end = ce.sum() / pe.sum() * 1e5 if pe.sum() > 0 else np.nan
                in_both = (pb > 0) & (pe > 0)
                country_ratios = (ce / pe)[in_both] / (cb / pb)[in_both]
            # Median of the countries' own ratios (countries usable in both years): not dominated by
            # the most populous countries, unlike the pooled ratio. A ratio is infinite when only the
            # base count is 0 (kept: it sorts high) and undefined when both are 0 (left out).
            country_ratios = country_ratios[~np.isnan(country_ratios)]
            median_ratio = float(np.median(country_ratios)) if len(country_ratios) else np.nan
            influential, without = _most_influential(countries, cb, pb, ce, pe, point)
            if sample == SAMPLE_ALL:
                note = (
                    f"not comparable: {n_base} countries in {base_year}, {n_end} in {end_year}, "
                    f"{len(in_base & in_end)} in both; {NOT_A_TREND_NOTE}; {POPULATION_NOTE}"
                )
            else:
                note = f"same {n} countries in {base_year} and {end_year}; {POPULATION_NOTE}"
            rows.append(
                {"sample": sample, "suppressed": treatment, "cohort": cohort_label, "base_year": base_year,
                 "end_year": end_year,
                 "comparable": sample != SAMPLE_ALL, "rate_base_per_100k": rate_base,
                 "rate_end_per_100k": rate_end, "ratio": point, "ci_low": float(low), "ci_high": float(high),
                 "median_country_ratio": median_ratio, "most_influential_country": influential,
                 "ratio_without_it": without,
                 "n_countries_base": n_base, "n_countries_end": n_end, "n_countries": n,
                 "n_boot": n_boot, "n_boot_valid": len(valid), "seed": seed, "note": note}
            )  # fmt: skip
    return _sort(pd.DataFrame(rows), ["sample", "suppressed"])
