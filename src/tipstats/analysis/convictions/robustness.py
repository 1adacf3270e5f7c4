"""Robustness of the two ratios behind paragraph 6: leave one country out, endpoints, estimand, specification curve.

What a referee asks of a ratio that rests on a few countries and two years:

leave one country out (:func:`leave_one_out`, :func:`influence`)
    the ratio recomputed without each country in turn; the countries whose removal moves it most
    (on the log scale) are named.
endpoints
    the tripling ratio from single years (2003 against 2018, 2017, 2016) beside averaged endpoints
    (2003-2005 against 2016-2018), which no single year's reporting dominates.
estimand
    ``population-weighted`` (ratio of pooled rates: the report's "number of people convicted
    globally, per 100,000 population") against ``country average`` (ratio of the mean of country
    rates: the typical country). Both are shown with their sharp '<5' bounds (:mod:`.bounds`).
specification curve (:func:`specification_curve`)
    every combination of estimator (pooled ratio; Poisson and negative binomial with year effects,
    and for the tripling ratio country effects too), sample, weighting, yardstick and end year, one
    row each, sorted by estimate. The tripling ratio does not use legislation years, so its
    yardstick is ``not used``.

The models' estimates share cells across years (country and year effects), so no sharp bound is
computed for them: their ``bound_low`` and ``bound_high`` are empty and ``bounds`` says so.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from tipstats.analysis.convictions._base import (
    HEADLINE_TREATMENT,
    MIN_SHARE,
    NEGBIN,
    POISSON,
    SAMPLE_ALL,
    SAMPLE_BALANCED,
    SAMPLE_MATCHED,
    SAMPLES,
    SPEC_POOLED,
    WINDOW,
    _default,
    _sort,
    _t_inference,
    change_beyond_noise,
)
from tipstats.analysis.convictions.bounds import (
    AVERAGED_BASE,
    AVERAGED_END,
    COUNTRY_AVERAGE,
    ESTIMANDS,
    POOLED_RATIO,
    POPULATION_WEIGHTED,
    SINGLE_BASE,
    SINGLE_END,
    _poisson_rate_ratio,
    _ratio_of,
    _side_rate,
    _tripling_sets,
    rate_ratio_bounds,
    tripling_bounds,
    two_cohort_panel,
    years_label,
)
from tipstats.analysis.convictions.models import _dummies, cohort_rate_ratios, negative_binomial
from tipstats.analysis.convictions.panel import _samples, analysis_panel
from tipstats.cache import cached_when_default
from tipstats.facts import COHORT_BEFORE, COHORT_LATER, PROTOCOL_YEAR

TRIPLING = "tripling ratio"
RATE_RATIO = f"rate ratio {COHORT_LATER} / {COHORT_BEFORE}"
QUANTITIES: tuple[str, ...] = (TRIPLING, RATE_RATIO)
#: the claim's value for each quantity ("nearly tripled"; "higher before 2003": a ratio below 1)
CLAIM_VALUES = {TRIPLING: 3.0, RATE_RATIO: 1.0}
POISSON_THREE_LEVELS = "poisson, none or unknown as a level"
ESTIMATORS: tuple[str, ...] = (POOLED_RATIO, POISSON, NEGBIN, POISSON_THREE_LEVELS)
KELLEY_ONLY = "Kelley"
WITH_US_TIP = "Kelley, else US report"
YARDSTICK_NOT_USED = "not used"
COUNT_MODEL = "count model"
#: the tripling ratio's endpoints in the specification curve: three single end years, and averages
ENDPOINTS: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...] = (
    (SINGLE_BASE, SINGLE_END),
    (SINGLE_BASE, (SINGLE_END[0] - 1,)),
    (SINGLE_BASE, (SINGLE_END[0] - 2,)),
    (AVERAGED_BASE, AVERAGED_END),
)
#: the rate ratio's windows in the specification curve: 2003 to each end year
RATE_RATIO_END_YEARS: tuple[int, ...] = (WINDOW[1], WINDOW[1] - 1, WINDOW[1] - 2)
NOT_SHARP = "none: a model's estimate shares cells across years"
SHARP = "sharp"


def _panel(convictions: pd.DataFrame | None, legislation: pd.DataFrame | None, us_tip: bool) -> pd.DataFrame:
    return analysis_panel(
        _default(convictions, "convictions"), _default(legislation, "legislation"), HEADLINE_TREATMENT,
        extend_with_us_tip=us_tip,
    )  # fmt: skip


# -- leave one country out ----------------------------------------------------------------------


def _tripling_point(
    panel: pd.DataFrame, countries: tuple[list[str], list[str]], base_years, end_years, estimand: str
) -> float:
    year, iso3 = panel["year"].to_numpy(), panel["iso3"].to_numpy()
    usable = panel["usable"].to_numpy(dtype=bool)
    convicted = panel["convicted"].to_numpy(dtype="float64")
    den = usable & np.isin(year, list(base_years)) & np.isin(iso3, countries[0])
    num = usable & np.isin(year, list(end_years)) & np.isin(iso3, countries[1])
    return _ratio_of(_side_rate(panel, convicted, num, estimand), _side_rate(panel, convicted, den, estimand))


def _rate_ratio_point(frame: pd.DataFrame, estimator: str, estimand: str) -> float:
    usable = frame["usable"].to_numpy(dtype=bool)
    convicted = frame["convicted"].to_numpy(dtype="float64")
    if estimator == POISSON:
        return _poisson_rate_ratio(frame, convicted)["value"]
    num = usable & (frame["pooled_cohort"] == COHORT_LATER).to_numpy()
    den = usable & (frame["pooled_cohort"] == COHORT_BEFORE).to_numpy()
    return _ratio_of(_side_rate(frame, convicted, num, estimand), _side_rate(frame, convicted, den, estimand))


@cached_when_default  # computed once per data change
def leave_one_out(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
) -> pd.DataFrame:
    """Each ratio without each of its countries in turn (mid-point '<5' fill).

    Tripling ratio (2018 / 2003, ``matched`` and ``balanced`` samples) and rate ratio (``all
    reporting`` and ``balanced``), under both estimands, and the rate ratio's Poisson fit. Columns:
    ``quantity``, ``sample``, ``estimator``, ``estimand``, ``value`` (all countries), ``iso3`` (the
    country left out), ``value_without``, ``log_shift`` (log of value_without / value) and
    ``influence_rank`` (1 = the largest absolute shift; a ratio that becomes undefined ranks first).
    """
    panel = _panel(convictions, legislation, False)
    rows = []
    base, end = SINGLE_BASE, SINGLE_END
    sets = _tripling_sets(panel, base, end, window, min_share)
    for sample in (SAMPLE_MATCHED, SAMPLE_BALANCED):
        countries = sets[sample][0]
        for estimand in ESTIMANDS:
            full = _tripling_point(panel, sets[sample], base, end, estimand)
            for c in countries:
                rest = [k for k in countries if k != c]
                rows.append({"quantity": TRIPLING, "sample": sample, "estimator": POOLED_RATIO, "estimand": estimand,
                             "value": full, "iso3": c,
                             "value_without": _tripling_point(panel, (rest, rest), base, end, estimand)})  # fmt: skip
    for sample, frame in _samples(panel, window, min_share, SAMPLES).items():
        # only the columns the ratios read: the refits below copy the frame once per country
        frame = two_cohort_panel(frame)[
            ["iso3", "year", "usable", "convicted", "population", "pooled_cohort"]
        ]
        countries = sorted(frame.loc[frame["usable"], "iso3"].unique())
        specs = [(POOLED_RATIO, e) for e in ESTIMANDS] + [(POISSON, POPULATION_WEIGHTED)]
        for estimator, estimand in specs:
            full = _rate_ratio_point(frame, estimator, estimand)
            for c in countries:
                rest = frame[frame["iso3"] != c].reset_index(drop=True)
                rows.append({"quantity": RATE_RATIO, "sample": sample, "estimator": estimator, "estimand": estimand,
                             "value": full, "iso3": c,
                             "value_without": _rate_ratio_point(rest, estimator, estimand)})  # fmt: skip
    out = pd.DataFrame(rows)
    without, value = out["value_without"].to_numpy(dtype="float64"), out["value"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        shift = np.log(without / value)
    # a country the ratio does not depend on shifts it by noise only: 0, the same on every CPU
    shift = np.where(change_beyond_noise(without, value) == 0, 0.0, shift)
    out["log_shift"] = shift
    keys = ["quantity", "sample", "estimator", "estimand"]
    size = np.where(np.isfinite(shift), np.abs(shift), np.inf)
    out["_size"] = -size
    out = out.sort_values([*keys, "_size", "iso3"], kind="mergesort")
    out["influence_rank"] = out.groupby(keys, sort=False).cumcount() + 1
    out = out.drop(columns="_size")
    return _sort(out, [*keys, "influence_rank"])


def influence(loo: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """One row per ratio of :func:`leave_one_out`: its range without one country, the most influential named.

    ``most_influential`` names the ``top`` countries with the ratio without each, e.g.
    ``USA (1.24); ...``; ``without_most_influential`` is the ratio without the first of them.
    """
    rows = []
    keys = ["quantity", "sample", "estimator", "estimand"]
    for key, group in loo.groupby(keys, sort=False):
        group = group.sort_values("influence_rank")
        named = "; ".join(f"{r.iso3} ({r.value_without:.3g})" for r in group.head(top).itertuples())
        values = group["value_without"].to_numpy(dtype="float64")
        rows.append(
            {**dict(zip(keys, key, strict=True)), "value": float(group["value"].iloc[0]),
             "n_countries": len(group), "min_without_one": float(np.nanmin(values)),
             "max_without_one": float(np.nanmax(values)), "most_influential_country": group["iso3"].iloc[0],
             "without_most_influential": float(values[0]), "most_influential": named}
        )  # fmt: skip
    return _sort(pd.DataFrame(rows), keys)


# -- count models with country and year effects (the tripling ratio's model estimators) ---------


def _two_way_change(frame: pd.DataFrame, base_years, end_years, model: str) -> dict[str, float]:
    """exp(mean year effect of the end years - of the base years), convictions ~ country + year + offset.

    Within-country change: every country is compared with itself, so a changing set of countries
    does not enter the ratio as it does a pooled rate. Errors clustered by country, t(G - 1).
    """
    from tipstats.optional import require

    sm = require("statsmodels.api", "the convictions count models (tipstats.analysis.convictions)")

    data = frame[frame["usable"] & (frame["population"] > 0)].reset_index(drop=True)
    years = sorted(data["year"].unique())
    countries = sorted(data["iso3"].unique())
    nan = {"value": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n_countries": len(countries)}
    if len(countries) < 2 or not set(base_years) | set(end_years) <= set(years):
        return nan
    exog = pd.concat(
        [pd.DataFrame({"const": np.ones(len(data))}), _dummies(data["iso3"], countries[1:], "country"),
         _dummies(data["year"], years[1:], "year")], axis=1,
    )  # fmt: skip
    endog = data["convicted"].to_numpy(dtype="float64")
    offset = np.log(data["population"].to_numpy(dtype="float64"))
    groups = pd.factorize(data["iso3"], sort=True)[0]
    cluster = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    poisson = sm.GLM(endog, exog, family=sm.families.Poisson(), offset=offset)
    if model == POISSON:
        result = poisson.fit(wls_method="qr", **cluster)
    elif model == NEGBIN:
        start = np.append(poisson.fit(wls_method="qr").params.to_numpy(), 0.5)
        try:
            result = negative_binomial(endog, exog, offset).fit(
                start_params=start, method="newton", maxiter=200, disp=0, **cluster
            )
        except np.linalg.LinAlgError:
            return nan
        # near-Poisson data drive the dispersion to 0, where the fit fails: no estimate rather than a wrong one
        if not result.mle_retvals.get("converged", False) or not np.all(np.isfinite(result.params)):
            return nan
    else:
        raise ValueError(f"model must be {POISSON} or {NEGBIN}, not {model!r}")
    contrast = pd.Series(0.0, index=result.params.index)
    for y in end_years:
        if y != years[0]:
            contrast[f"year[{y}]"] += 1 / len(end_years)
    for y in base_years:
        if y != years[0]:
            contrast[f"year[{y}]"] -= 1 / len(base_years)
    b = float(contrast @ result.params)
    cov = result.cov_params()
    s = math.sqrt(float(contrast @ cov @ contrast))
    low, high, _ = _t_inference([b], [s], len(countries) - 1)
    return {"value": math.exp(b), "ci_low": math.exp(low[0]), "ci_high": math.exp(high[0]),
            "n_countries": len(countries)}  # fmt: skip


# -- specification curve --------------------------------------------------------------------------


def _tripling_specs(panel: pd.DataFrame, window: tuple[int, int], min_share: float) -> list[dict[str, Any]]:
    rows = []
    common = {"quantity": TRIPLING, "yardstick": YARDSTICK_NOT_USED}
    bounds = tripling_bounds(panel=panel, endpoints=ENDPOINTS, window=window, min_share=min_share)
    for r in bounds.itertuples():
        rows.append(
            {**common, "estimator": POOLED_RATIO, "sample": r.sample, "weighting": r.estimand,
             "base_years": r.base_years, "end_years": r.end_years, "value": r.value, "ci_low": np.nan,
             "ci_high": np.nan, "bound_low": r.bound_low, "bound_high": r.bound_high, "bounds": SHARP,
             "n_countries": r.n_countries, "comparable": r.comparable}
        )  # fmt: skip
    first, last = window
    inside = panel[(panel["year"] >= first) & (panel["year"] <= last)]
    for base_years, end_years in ENDPOINTS:
        sets = _tripling_sets(panel, base_years, end_years, window, min_share)
        for sample, (base_countries, end_countries) in sets.items():
            keep = sorted(set(base_countries) | set(end_countries)) if sample != SAMPLE_ALL else None
            frame = inside if keep is None else inside[inside["iso3"].isin(keep)]
            for model in (POISSON, NEGBIN):
                fit = _two_way_change(frame, base_years, end_years, model)
                rows.append(
                    {**common, "estimator": model, "sample": sample, "weighting": COUNT_MODEL,
                     "base_years": years_label(base_years), "end_years": years_label(end_years), **fit,
                     "bound_low": np.nan, "bound_high": np.nan, "bounds": NOT_SHARP, "comparable": True}
                )  # fmt: skip
    return rows


def _rate_ratio_specs(
    convictions: pd.DataFrame,
    legislation: pd.DataFrame,
    min_share: float,
    given: tuple[pd.DataFrame | None, pd.DataFrame | None] | None = None,
) -> list[dict[str, Any]]:
    """``given``: the frames the caller was passed (None for the packaged datasets), for the count model fits
    on the whole data, which then come from the results cache (:func:`robustness_checks` fits the same)."""
    given_conv, given_leg = given if given is not None else (convictions, legislation)
    rows = []
    for us_tip, yardstick in ((False, KELLEY_ONLY), (True, WITH_US_TIP)):
        panel = _panel(convictions, legislation, us_tip)
        compared = set(two_cohort_panel(panel)["iso3"])
        conv_two = convictions[convictions["iso3"].astype(str).isin(compared)]
        for end_year in RATE_RATIO_END_YEARS:
            window = (PROTOCOL_YEAR, end_year)
            common = {"quantity": RATE_RATIO, "yardstick": yardstick, "base_years": years_label(window),
                      "end_years": str(end_year), "comparable": True}  # fmt: skip
            bounds = rate_ratio_bounds(panel=panel, window=window, min_share=min_share)
            for r in bounds.itertuples():
                rows.append(
                    {**common, "estimator": r.estimator, "sample": r.sample,
                     "weighting": r.estimand if r.estimator == POOLED_RATIO else COUNT_MODEL,
                     "value": r.value, "ci_low": r.ci_low, "ci_high": r.ci_high, "bound_low": r.bound_low,
                     "bound_high": r.bound_high, "bounds": SHARP,
                     "n_countries": r.n_countries_cohort + r.n_countries_reference}
                )  # fmt: skip
            fits = [
                (NEGBIN, cohort_rate_ratios(conv_two, legislation, models=(NEGBIN,), window=window,
                                            min_share=min_share, treatments=(HEADLINE_TREATMENT,),
                                            specifications=(SPEC_POOLED,), extend_with_us_tip=us_tip)),
                (POISSON_THREE_LEVELS, cohort_rate_ratios(given_conv, given_leg, models=(POISSON,), window=window,
                                                          min_share=min_share, treatments=(HEADLINE_TREATMENT,),
                                                          specifications=(SPEC_POOLED,), extend_with_us_tip=us_tip)),
            ]  # fmt: skip
            for estimator, fit in fits:
                for r in fit[fit["cohort"] == COHORT_LATER].itertuples():
                    rows.append(
                        {**common, "estimator": estimator, "sample": r.sample, "weighting": COUNT_MODEL,
                         "value": r.rate_ratio, "ci_low": r.ci_low, "ci_high": r.ci_high, "bound_low": np.nan,
                         "bound_high": np.nan, "bounds": NOT_SHARP, "n_countries": r.n_countries}
                    )  # fmt: skip
    return rows


@cached_when_default  # computed once per data change
def specification_curve(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
) -> pd.DataFrame:
    """Both ratios under every specification, one row each, ranked by estimate within each quantity.

    Dimensions: ``estimator`` (pooled ratio; Poisson; negative binomial; for the rate ratio also the
    models table's Poisson fit with ``none or unknown`` as a third level), ``sample``, ``weighting``
    (``population-weighted`` or ``country average`` for the pooled ratio, ``count model`` for the
    models), ``yardstick`` (Kelley, or Kelley with the US report's year where Kelley has none; not
    used by the tripling ratio) and the end year (``end_years``; the tripling ratio also has the
    averaged endpoints 2003-2005 against 2016-2018; the rate ratio's window runs from 2003 to it).
    ``value`` uses the mid-point '<5' fill; ``bound_low`` / ``bound_high`` are the sharp bounds where
    they exist. ``claim_value`` is the claim's (3 for "nearly tripled", 1 for "higher before
    2003", which needs a rate ratio below it); ``rank`` orders by value (1 = lowest).
    """
    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    rows = _tripling_specs(_panel(conv, leg, False), window, min_share) + _rate_ratio_specs(
        conv, leg, min_share, given=(convictions, legislation)
    )
    out = pd.DataFrame(rows)
    out["claim_value"] = out["quantity"].map(CLAIM_VALUES)
    out["_value"] = out["value"].fillna(np.inf)
    out = out.sort_values(
        ["quantity", "_value", "estimator", "sample", "weighting", "yardstick", "base_years", "end_years"],
        kind="mergesort", key=lambda s: s.map({q: i for i, q in enumerate(QUANTITIES)}) if s.name == "quantity" else s,
    ).drop(columns="_value")  # fmt: skip
    out["rank"] = out.groupby("quantity", sort=False).cumcount() + 1
    columns = [
        "quantity", "rank", "value", "ci_low", "ci_high", "bound_low", "bound_high", "bounds", "estimator",
        "sample", "weighting", "yardstick", "base_years", "end_years", "comparable", "n_countries", "claim_value",
    ]  # fmt: skip
    out = out[columns].reset_index(drop=True)
    out["n_countries"] = out["n_countries"].astype("int64")
    return out


# -- the checks a verdict must survive ------------------------------------------------------------


@cached_when_default  # computed once per data change
def robustness_checks(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
    loo: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per statement and sample, the alternative estimates a verdict is checked against.

    Tripling ratio: the country average (2018 / 2003), the averaged endpoints (2016-2018 /
    2003-2005, population-weighted), the ratio without the most influential country. Rate ratio:
    the ratio of pooled rates, the country average, the Poisson fit without the most influential
    country, the negative binomial fit, and the models table's Poisson fit (``none or unknown`` as a
    third level). Columns: ``statement_id``, ``sample``, ``check``, ``value``, ``bound_low`` /
    ``bound_high`` (sharp '<5' bounds, where they exist), ``ci_low`` / ``ci_high`` (where a model
    gives one).
    """
    from tipstats.analysis.convictions._base import STATEMENT_HIGHER, STATEMENT_TRIPLED

    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    panel = _panel(conv, leg, False)
    # the caller's frames (None: the packaged datasets), so that the tables' own leave-one-out is reused
    loo = (
        loo
        if loo is not None
        else leave_one_out(convictions, legislation, window=window, min_share=min_share)
    )
    top = influence(loo).set_index(["quantity", "sample", "estimator", "estimand"])
    nan = {"bound_low": np.nan, "bound_high": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    rows = []
    trip = tripling_bounds(panel=panel, window=window, min_share=min_share).set_index(
        ["sample", "estimand", "base_years", "end_years"]
    )
    single, averaged = (years_label(SINGLE_BASE), years_label(SINGLE_END)), (
        years_label(AVERAGED_BASE), years_label(AVERAGED_END),
    )  # fmt: skip
    for sample in (SAMPLE_BALANCED, SAMPLE_MATCHED, SAMPLE_ALL):
        common = {"statement_id": STATEMENT_TRIPLED, "sample": sample}
        for label, key in (
            ("country average", (sample, COUNTRY_AVERAGE, *single)),
            (f"averaged endpoints {averaged[1]} / {averaged[0]}", (sample, POPULATION_WEIGHTED, *averaged)),
        ):
            r = trip.loc[key]
            rows.append({**common, **nan, "check": label, "value": r["value"], "bound_low": r["bound_low"],
                         "bound_high": r["bound_high"]})  # fmt: skip
        key = (TRIPLING, sample, POOLED_RATIO, POPULATION_WEIGHTED)
        if key in top.index:
            t = top.loc[key]
            rows.append({**common, **nan, "check": f"without {t['most_influential_country']} (most influential)",
                         "value": t["without_most_influential"]})  # fmt: skip
    rates = rate_ratio_bounds(panel=panel, window=window, min_share=min_share).set_index(
        ["sample", "estimator", "estimand"]
    )
    compared = set(two_cohort_panel(panel)["iso3"])
    nb = cohort_rate_ratios(
        conv[conv["iso3"].astype(str).isin(compared)], leg, models=(NEGBIN,), window=window, min_share=min_share,
        treatments=(HEADLINE_TREATMENT,), specifications=(SPEC_POOLED,),
    )  # fmt: skip
    three = cohort_rate_ratios(
        convictions, legislation, models=(POISSON,), window=window, min_share=min_share, treatments=(HEADLINE_TREATMENT,),
        specifications=(SPEC_POOLED,),
    )  # fmt: skip
    for sample in SAMPLES:
        common = {"statement_id": STATEMENT_HIGHER, "sample": sample}
        for label, estimand in (
            ("ratio of pooled rates", POPULATION_WEIGHTED),
            ("country average", COUNTRY_AVERAGE),
        ):
            r = rates.loc[(sample, POOLED_RATIO, estimand)]
            rows.append({**common, **nan, "check": label, "value": r["value"], "bound_low": r["bound_low"],
                         "bound_high": r["bound_high"]})  # fmt: skip
        key = (RATE_RATIO, sample, POISSON, POPULATION_WEIGHTED)
        if key in top.index:
            t = top.loc[key]
            rows.append({**common, **nan, "check": f"without {t['most_influential_country']} (most influential)",
                         "value": t["without_most_influential"]})  # fmt: skip
        for label, fit in (("negative binomial", nb), ("Poisson with none or unknown as a level", three)):
            r = fit[(fit["sample"] == sample) & (fit["cohort"] == COHORT_LATER)]
            if len(r):
                r = r.iloc[0]
                rows.append({**common, **nan, "check": label, "value": r["rate_ratio"], "ci_low": r["ci_low"],
                             "ci_high": r["ci_high"]})  # fmt: skip
    columns = ["statement_id", "sample", "check", "value", "bound_low", "bound_high", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=columns)
