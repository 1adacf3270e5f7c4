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
    mid-point) or 4 (``upper``); every headline result is given under all three.
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
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tipstats.facts import (
    COHORT_ALL,
    COHORT_BEFORE,
    COHORT_EARLY,
    COHORT_LATE,
    COHORT_LATER,
    COHORT_NONE,
    COHORTS,
    EARLY_COHORT_LAST_YEAR,
    PROTOCOL_YEAR,
    SUPPRESSED_FLAG,
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

# The matching rows of data/reference/claims.csv (the claims registry).
CLAIM_IDS = {
    STATEMENT_TRIPLED: "p06_convictions_nearly_tripled",
    STATEMENT_HIGHER: "p06_rates_higher_before_2003",
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
    from scipy import stats

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


# -- panel --------------------------------------------------------------------------------------


def legislation_years(
    legislation: pd.DataFrame | None = None, *, extend_with_us_tip: bool = False
) -> pd.DataFrame:
    """One row per country: ``iso3``, ``legislation_year`` (nullable) and ``legislation_yardstick``.

    Only ``yardstick == "kelley_full_criminalisation"`` rows are used. With ``extend_with_us_tip``
    (a sensitivity check, never the main analysis) a country with no Kelley year takes its earliest
    ``us_tip_report_law`` year; that is a different, laxer yardstick, and the row says so.
    """
    leg = _default(legislation, "legislation")
    _require(leg, ["iso3", "year", "yardstick"], "legislation")
    kelley = leg.loc[leg["yardstick"] == KELLEY, ["iso3", "year"]]
    duplicated = kelley["iso3"][kelley["iso3"].duplicated()]
    if len(duplicated):
        raise ValueError(f"legislation has several Kelley rows for {', '.join(sorted(set(duplicated)))}")
    out = pd.DataFrame(
        {
            "iso3": kelley["iso3"].astype(str).to_numpy(),
            "legislation_year": kelley["year"].astype("Int64").to_numpy(),
        }
    )
    out["legislation_yardstick"] = np.where(out["legislation_year"].notna(), KELLEY, "")
    if extend_with_us_tip:
        us = leg.loc[(leg["yardstick"] == US_TIP) & leg["year"].notna(), ["iso3", "year"]]
        us = us.groupby("iso3", as_index=False)["year"].min().rename(columns={"year": "us_year"})
        out = out.merge(us, on="iso3", how="outer")
        fill = out["legislation_year"].isna() & out["us_year"].notna()
        out["legislation_year"] = (
            out["legislation_year"].astype("Int64").mask(fill, out["us_year"].astype("Int64"))
        )
        out["legislation_yardstick"] = out["legislation_yardstick"].fillna("").mask(fill, US_TIP)
        out = out.drop(columns="us_year")
    out["legislation_yardstick"] = out["legislation_yardstick"].replace("", pd.NA).astype("str")
    return _sort(out, ["iso3"])


def cohort_of(year: pd.Series) -> pd.Series:
    """Legislation cohort of each (nullable) year of full criminalisation."""
    y = year.astype("Int64")
    out = pd.Series(COHORT_NONE, index=year.index, dtype="str")
    out[(y < PROTOCOL_YEAR).fillna(False)] = COHORT_BEFORE
    out[((y >= PROTOCOL_YEAR) & (y <= EARLY_COHORT_LAST_YEAR)).fillna(False)] = COHORT_EARLY
    out[(y > EARLY_COHORT_LAST_YEAR).fillna(False)] = COHORT_LATE
    return out


def analysis_panel(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    suppressed: str = HEADLINE_TREATMENT,
    *,
    extend_with_us_tip: bool = False,
) -> pd.DataFrame:
    """Country-year panel of persons convicted, population and rate, with cohort and event time.

    Columns: ``iso3``, ``year``, ``count_status`` (numeric / suppressed / missing), ``convicted``
    (float: the count, or the ``suppressed`` treatment value for "<5"), ``population`` (float),
    ``rate_per_100k`` (NaN unless usable), ``usable`` (see the module docstring),
    ``legislation_year`` (Int64), ``legislation_yardstick``, ``cohort``, ``event_time``
    (``year - legislation_year``, Int64) and ``suppressed`` (the treatment used).
    One row per row of ``convictions``, sorted by country and year.
    """
    value = _treatment(suppressed)
    conv = _default(convictions, "convictions")
    _require(conv, ["iso3", "year", "persons_convicted", "convicted_flag", "population"], "convictions")
    keys = conv[["iso3", "year"]]
    if keys.duplicated().any():
        dup = keys[keys.duplicated(keep=False)].astype(str).agg(" ".join, axis=1)
        raise ValueError(f"convictions has duplicate country-years: {', '.join(sorted(set(dup))[:10])}")
    count = _float(conv["persons_convicted"])
    flag = conv["convicted_flag"].astype("object").fillna("").astype(str).to_numpy() == SUPPRESSED_FLAG
    if np.any(flag & ~np.isnan(count)):
        raise ValueError("convictions has rows with both a count and the '<5' flag")
    population = _float(conv["population"])
    numeric = ~np.isnan(count)
    status = np.where(numeric, "numeric", np.where(flag, "suppressed", "missing"))
    convicted = np.where(numeric, count, np.where(flag, value, np.nan))
    with np.errstate(invalid="ignore"):
        usable = (status != "missing") & (population > 0)
        rate = np.where(usable, convicted / np.where(usable, population, 1.0) * 1e5, np.nan)
    panel = pd.DataFrame(
        {
            "iso3": conv["iso3"].astype(str).to_numpy(),
            "year": conv["year"].astype("int64").to_numpy(),
            "count_status": pd.array(status, dtype="str"),
            "convicted": convicted,
            "population": population,
            "rate_per_100k": rate,
            "usable": usable,
        }
    )
    leg = legislation_years(legislation, extend_with_us_tip=extend_with_us_tip)
    panel = panel.merge(leg, on="iso3", how="left", validate="many_to_one")
    panel["legislation_year"] = panel["legislation_year"].astype("Int64")
    panel["cohort"] = cohort_of(panel["legislation_year"])
    panel["event_time"] = (panel["year"].astype("Int64") - panel["legislation_year"]).astype("Int64")
    panel["suppressed"] = suppressed
    return _sort(panel, ["iso3", "year"])


def panel_membership(
    panel: pd.DataFrame, min_share: float = MIN_SHARE, window: tuple[int, int] = WINDOW
) -> pd.DataFrame:
    """Per country: usable years in the window, their share, and whether it is in the balanced panel."""
    if not 0 < min_share <= 1:
        raise ValueError("min_share must be in (0, 1]")
    first, last = window
    n_years = last - first + 1
    inside = panel[(panel["year"] >= first) & (panel["year"] <= last)]
    usable_years = inside[inside["usable"]].groupby("iso3")["year"].nunique()
    countries = pd.Index(sorted(panel["iso3"].unique()), name="iso3")
    cohorts = panel.drop_duplicates("iso3").set_index("iso3")["cohort"]
    out = pd.DataFrame({"iso3": countries})
    out["cohort"] = cohorts.reindex(countries).to_numpy()
    out["n_usable_years"] = usable_years.reindex(countries).fillna(0).astype("int64").to_numpy()
    out["n_window_years"] = n_years
    out["share_usable"] = out["n_usable_years"] / n_years
    # A tiny tolerance so that 13/16 >= 0.8 is not lost to binary rounding of the share.
    out["balanced"] = out["share_usable"] >= min_share - 1e-9
    out["window"] = f"{first}-{last}"
    out["min_share"] = min_share
    return _sort(out, ["iso3"])


def balanced_panel(
    panel: pd.DataFrame, min_share: float = MIN_SHARE, window: tuple[int, int] = WINDOW
) -> pd.DataFrame:
    """Rows of ``panel`` inside ``window`` for countries usable in at least ``min_share`` of its years.

    The default (0.8 of 2003-2018) is justified in the module docstring. Rows that are not usable
    stay in the result (with ``usable`` False) so that gaps remain visible.
    """
    members = panel_membership(panel, min_share, window)
    keep = set(members.loc[members["balanced"], "iso3"])
    first, last = window
    out = panel[panel["iso3"].isin(keep) & (panel["year"] >= first) & (panel["year"] <= last)]
    return out.reset_index(drop=True)


def _samples(
    panel: pd.DataFrame, window: tuple[int, int], min_share: float, samples: Sequence[str] = SAMPLES
) -> dict[str, pd.DataFrame]:
    unknown = set(samples) - set(SAMPLES)
    if unknown:
        raise ValueError(f"samples must be among {', '.join(SAMPLES)}, not {', '.join(sorted(unknown))}")
    first, last = window
    out = {}
    if SAMPLE_ALL in samples:
        out[SAMPLE_ALL] = panel[(panel["year"] >= first) & (panel["year"] <= last)].reset_index(drop=True)
    if SAMPLE_BALANCED in samples:
        out[SAMPLE_BALANCED] = balanced_panel(panel, min_share, window)
    return out


def _panels(
    convictions: pd.DataFrame | None,
    legislation: pd.DataFrame | None,
    treatments: Sequence[str],
    extend_with_us_tip: bool,
) -> dict[str, pd.DataFrame]:
    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    return {t: analysis_panel(conv, leg, t, extend_with_us_tip=extend_with_us_tip) for t in treatments}


def coverage_matrix(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Countries x years of convictions data, long form, for the coverage heat map.

    ``status`` is ``numeric``, ``suppressed`` ("<5"), ``no population`` (a count but no World Bank
    population, so not usable) or ``missing`` (no convicted value). Every country that appears in
    ``convictions`` gets every year of ``years`` (default: the years the dataset covers).
    """
    panel = analysis_panel(convictions, legislation, HEADLINE_TREATMENT)
    first, last = years if years is not None else (int(panel["year"].min()), int(panel["year"].max()))
    countries = sorted(panel["iso3"].unique())
    grid = pd.MultiIndex.from_product([countries, range(first, last + 1)], names=["iso3", "year"]).to_frame(
        index=False
    )
    grid["year"] = grid["year"].astype("int64")
    out = grid.merge(panel[["iso3", "year", "count_status", "usable"]], on=["iso3", "year"], how="left")
    status = out["count_status"].astype("object").fillna("missing")
    status = status.mask(
        (status != "missing") & ~out["usable"].astype("boolean").fillna(False), "no population"
    )
    out["status"] = status.astype("str")
    cohorts = panel.drop_duplicates("iso3").set_index("iso3")["cohort"]
    out["cohort"] = out["iso3"].map(cohorts).astype("str")
    return _sort(out[["iso3", "cohort", "year", "status"]], ["iso3", "year"])


# -- 1. rates by cohort and year ------------------------------------------------------------------


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


# -- 2. count models: cohort rate ratios ------------------------------------------------------------


def _dummies(values: pd.Series, levels: Sequence[Any], prefix: str) -> pd.DataFrame:
    return pd.DataFrame(
        {f"{prefix}[{level}]": (values == level).astype("float64").to_numpy() for level in levels},
        index=values.index,
    )


def _fit_count_model(frame: pd.DataFrame, group: str, reference: str, model: str) -> list[dict[str, Any]]:
    """Convictions ~ group + year, offset log(population), errors clustered by country."""
    import statsmodels.api as sm
    from statsmodels.discrete.discrete_model import NegativeBinomial

    data = frame[frame["usable"] & (frame["population"] > 0)].reset_index(drop=True)
    levels = [level for level in _ORDERS["cohort"] if level in set(data[group])]
    n_obs, n_countries = len(data), int(data["iso3"].nunique())
    counts = {
        level: (int((data[group] == level).sum()), int(data.loc[data[group] == level, "iso3"].nunique()))
        for level in levels
    }
    base = {
        "n_obs": n_obs,
        "n_countries": n_countries,
        "reference": reference,
        "n_countries_reference": counts.get(reference, (0, 0))[1],
    }
    others = [level for level in levels if level != reference]
    if reference not in levels or not others:
        note = (
            f"reference cohort {reference!r} has no usable rows"
            if reference not in levels
            else "one cohort only"
        )
        return [
            {**base, "cohort": level, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan,
             "p_value": np.nan, "n_obs_cohort": counts[level][0], "n_countries_cohort": counts[level][1],
             "t_df": np.nan, "converged": False, "dispersion_alpha": np.nan, "note": note}
            for level in others
        ]  # fmt: skip
    years = sorted(data["year"].unique())
    exog = pd.concat(
        [
            pd.DataFrame({"const": np.ones(n_obs)}),
            _dummies(data[group], others, "cohort"),
            _dummies(data["year"], years[1:], "year"),
        ],
        axis=1,
    )
    endog = data["convicted"].to_numpy(dtype="float64")
    offset = np.log(data["population"].to_numpy(dtype="float64"))
    groups = pd.factorize(data["iso3"], sort=True)[0]
    cluster = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    alpha = np.nan
    if model == POISSON:
        # QR rather than the default SVD-based solvers: same estimates, and far faster when the
        # machine's BLAS threads compete with other processes.
        result = sm.GLM(endog, exog, family=sm.families.Poisson(), offset=offset).fit(
            wls_method="qr", **cluster
        )
        converged = bool(result.converged)
        params, bse = result.params, result.bse
    elif model == NEGBIN:
        poisson = sm.GLM(endog, exog, family=sm.families.Poisson(), offset=offset).fit(wls_method="qr")
        start = np.append(poisson.params.to_numpy(), 1.0)
        result = NegativeBinomial(endog, exog, offset=offset, loglike_method="nb2").fit(
            start_params=start, method="bfgs", maxiter=2000, disp=0, **cluster
        )
        converged = bool(result.mle_retvals.get("converged", False))
        params, bse = result.params, result.bse
        alpha = float(params["alpha"])
    else:
        raise ValueError(f"model must be one of {', '.join(MODELS)}, not {model!r}")
    names = [f"cohort[{level}]" for level in others]
    b, s = params[names].to_numpy(), bse[names].to_numpy()
    # A cohort contrast compares two groups of countries: its precision is limited by the smaller
    # group, so the t reference has (smaller group's countries - 1) degrees of freedom (Welch-like,
    # conservative). With t(G - 1) over all countries, a cohort of three countries covered far less
    # than 95 % in seeded simulations like those of tests/test_analysis.py; with this rule, about 95 %.
    df = [min(counts[level][1], counts[reference][1]) - 1 for level in others]
    low, high, p = _t_inference(b, s, df)
    rows = []
    for i, level in enumerate(others):
        note = ""
        if df[i] < 1:
            note = "a cohort with fewer than 2 countries: no interval"
        rows.append(
            {**base, "cohort": level, "rate_ratio": math.exp(b[i]), "ci_low": math.exp(low[i]),
             "ci_high": math.exp(high[i]), "p_value": float(p[i]), "n_obs_cohort": counts[level][0],
             "n_countries_cohort": counts[level][1], "t_df": df[i], "converged": converged,
             "dispersion_alpha": alpha, "note": note}
        )  # fmt: skip
    return rows


def cohort_rate_ratios(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    reference: str = COHORT_BEFORE,
    models: Sequence[str] = MODELS,
    window: tuple[int, int] = WINDOW,
    min_share: float = MIN_SHARE,
    treatments: Sequence[str] = TREATMENTS,
    samples: Sequence[str] = SAMPLES,
    specifications: Sequence[str] = (SPEC_COHORTS, SPEC_POOLED),
    extend_with_us_tip: bool = False,
) -> pd.DataFrame:
    """Rate ratios of each cohort against ``reference`` from count models with year effects.

    Model: convictions ~ cohort + year (one dummy per year), offset log(population), fitted on the
    usable country-years of ``window``. ``poisson`` is a Poisson GLM; ``negative binomial`` (NB2,
    dispersion ``dispersion_alpha``) is the check for overdispersion. Errors are clustered by
    country; intervals and p-values use a t reference with (number of countries in the smaller of
    the two compared cohorts - 1) degrees of freedom, because a cohort contrast is only as precise as
    its smaller group of countries (with t(G - 1) over all countries, small cohorts undercover).
    Cohorts with fewer than two countries get no interval.

    Two specifications: ``cohorts`` (the four cohorts) and ``pooled`` (``2003 or later`` = 2003-2008
    and 2009 or later together, against ``before 2003``; ``none or unknown`` kept as its own level).
    The pooled contrast is the direct test of statement 2 and is only fitted when the reference is
    ``before 2003``. The rate ratio is exp(coefficient): below 1 means a lower rate than the
    reference, at the same year.
    """
    if reference not in COHORTS:
        raise ValueError(f"reference must be one of {', '.join(COHORTS)}")
    rows = []
    for treatment, panel in _panels(convictions, legislation, treatments, extend_with_us_tip).items():
        for sample, frame in _samples(panel, window, min_share, samples).items():
            specs = []
            if SPEC_COHORTS in specifications:
                specs.append((SPEC_COHORTS, frame, "cohort"))
            if SPEC_POOLED in specifications and reference == COHORT_BEFORE:
                later = {COHORT_EARLY: COHORT_LATER, COHORT_LATE: COHORT_LATER}
                specs.append(
                    (SPEC_POOLED, frame.assign(pooled_cohort=frame["cohort"].replace(later)), "pooled_cohort")
                )
            for model in models:
                for spec, data, group in specs:
                    for row in _fit_count_model(data, group, reference, model):
                        rows.append({"sample": sample, "suppressed": treatment, "model": model,
                                     "specification": spec, **row})  # fmt: skip
    columns = [
        "sample", "suppressed", "model", "specification", "cohort", "reference", "rate_ratio", "ci_low",
        "ci_high", "p_value", "n_obs", "n_countries", "n_obs_cohort", "n_countries_cohort",
        "n_countries_reference", "t_df", "converged", "dispersion_alpha", "note",
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    out["window"] = f"{window[0]}-{window[1]}"
    return _sort(out, ["sample", "suppressed", "model", "specification", "cohort"])


# -- 3. event study --------------------------------------------------------------------------------


def _event_label(e: int, lo: int, hi: int, reference: int) -> str:
    if e == lo:
        return f"{lo} or less"
    if e == hi:
        return f"{hi} or more"
    if e == reference:
        return f"{e} (reference)"
    return str(e)


def _fit_event_study(frame: pd.DataFrame, lo: int, hi: int, reference: int) -> list[dict[str, Any]]:
    import statsmodels.api as sm

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


# -- 4. "nearly tripled": ratio of pooled rates ----------------------------------------------------


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


# -- 5. verdicts --------------------------------------------------------------------------------


def tripling_verdict(
    ratio: float, low: float, high: float, region: tuple[float, float] = CLAIM_REGION
) -> str:
    """Verdict on "nearly tripled" from a ratio and its interval (rule in :func:`verdicts`).

    >>> tripling_verdict(2.8, 2.1, 3.6)
    'reproduced'
    >>> tripling_verdict(1.6, 1.2, 2.1)
    'differs'
    >>> tripling_verdict(1.1, 0.7, 1.8)
    'not reproduced'
    >>> tripling_verdict(3.5, 2.2, 5.0)
    'inconclusive'
    """
    if any(math.isnan(x) for x in (ratio, low, high)):
        return "inconclusive"
    r_lo, r_hi = region
    overlaps = low <= r_hi and high >= r_lo
    if not overlaps:
        return "differs" if low > 1 else "not reproduced"
    if r_lo <= ratio <= r_hi and low > 1:
        return "reproduced"
    return "inconclusive"


def higher_before_verdict(rate_ratio: float, low: float, high: float) -> str:
    """Verdict on "higher before 2003" from the rate ratio later / before 2003 and its interval.

    >>> higher_before_verdict(0.4, 0.2, 0.8)
    'reproduced'
    >>> higher_before_verdict(1.9, 1.2, 3.0)
    'differs'
    >>> higher_before_verdict(0.8, 0.4, 1.6)
    'inconclusive'
    """
    if any(math.isnan(x) for x in (rate_ratio, low, high)):
        return "inconclusive"
    if high < 1:
        return "reproduced"
    if low > 1:
        return "differs"
    return "inconclusive"


def _combine(by_treatment: dict[str, str]) -> tuple[str, bool]:
    values = set(by_treatment.values())
    if len(values) == 1:
        return values.pop(), False
    return "inconclusive", True


def verdicts(
    convictions: pd.DataFrame | None = None,
    legislation: pd.DataFrame | None = None,
    *,
    tripling: pd.DataFrame | None = None,
    rate_ratios: pd.DataFrame | None = None,
    claim_region: tuple[float, float] = CLAIM_REGION,
    **options: Any,
) -> pd.DataFrame:
    """The two statements of paragraph 6 as rows: value, interval, n, verdict, and how it was reached.

    ``tripling`` and ``rate_ratios`` may be passed if already computed (from :func:`tripling_ratio`
    and :func:`cohort_rate_ratios` with all three treatments); otherwise they are computed with
    ``options`` (window, min_share, n_boot, seed...).

    Rule for "nearly tripled" (statement ``tripled_since_2003``). The measure is the ratio of pooled
    rates, end year / 2003, with its 95 % bootstrap interval. "Nearly tripled" is read as a ratio in
    ``claim_region`` = [2.5, 3.0]: more than two and a half times, up to three times.

    - ``reproduced``: the estimate lies in the region and the interval excludes 1;
    - ``differs``: the interval lies wholly outside the region but above 1 (a clear rise, of
      another size);
    - ``not reproduced``: the interval lies wholly outside the region and does not exclude a
      ratio of 1 or below (no clear rise);
    - ``inconclusive``: anything else (the interval overlaps the region but the estimate lies
      outside it, or the interval also includes 1).

    Rule for "higher before 2003" (statement ``higher_if_legislated_before_2003``). The measure is
    the rate ratio of the pooled cohort ``2003 or later`` against ``before 2003`` from the Poisson
    model with year effects (specification ``pooled``), with its 95 % interval.

    - ``reproduced``: the interval lies wholly below 1 (later legislators convict less);
    - ``differs``: the interval lies wholly above 1 (the opposite);
    - ``inconclusive``: the interval includes 1.

    A verdict is computed under each "<5" treatment (``verdict_lower``, ``verdict_middle``,
    ``verdict_upper``). ``verdict`` is their common value; if they disagree the verdict is
    ``inconclusive`` and ``conclusion_changes_with_lt5`` is True. ``value`` and its interval are
    the ``middle`` treatment's. The ``primary`` row of each statement is the one the claims audit
    uses: the ``balanced`` sample for the trend (a trend needs a fixed set of countries) and the
    ``all reporting`` sample for the cohort comparison (the model's year effects absorb the
    changing composition over time, and a cross-country comparison needs as many countries as
    possible). The other samples are shown as sensitivity rows.
    """
    treatments = TREATMENTS
    if tripling is None:
        keys = ("base_year", "end_year", "window", "min_share", "n_boot", "seed", "extend_with_us_tip")
        tripling = tripling_ratio(convictions, legislation, **{k: v for k, v in options.items() if k in keys})
    if rate_ratios is None:
        keys = ("window", "min_share", "extend_with_us_tip")
        rate_ratios = cohort_rate_ratios(
            convictions, legislation, **{k: v for k, v in options.items() if k in keys}
        )
    rows = []
    lo_r, hi_r = claim_region
    for sample, primary in ((SAMPLE_BALANCED, True), (SAMPLE_MATCHED, False), (SAMPLE_ALL, False)):
        sub = tripling[tripling["sample"] == sample].set_index("suppressed")
        if not set(treatments) <= set(sub.index):
            continue
        by_t = {t: tripling_verdict(sub.loc[t, "ratio"], sub.loc[t, "ci_low"], sub.loc[t, "ci_high"], claim_region)
                for t in treatments}  # fmt: skip
        verdict, changes = _combine(by_t)
        mid = sub.loc[HEADLINE_TREATMENT]
        base, end = int(mid["base_year"]), int(mid["end_year"])
        comparable = (
            "same countries in both years" if bool(mid["comparable"]) else "different countries each year"
        )
        explanation = (
            f"{sample}: pooled rate {end}/{base} = {_fmt(mid['ratio'])} "
            f"(95% bootstrap interval {_fmt(mid['ci_low'])} to {_fmt(mid['ci_high'])}; "
            f"{_fmt(mid['rate_base_per_100k'])} -> {_fmt(mid['rate_end_per_100k'])} per 100,000) "
            f"over {int(mid['n_countries'])} countries ({comparable}); '<5' as 0 / 4 gives "
            f"{_fmt(sub.loc['lower', 'ratio'])} / {_fmt(sub.loc['upper', 'ratio'])}; "
            f"median of the countries' own ratios {_fmt(mid['median_country_ratio'])}; without "
            f"{mid['most_influential_country'] or 'NA'} (the most influential country) the ratio is "
            f"{_fmt(mid['ratio_without_it'])}; claim region {_fmt(lo_r)} to {_fmt(hi_r)}: {verdict}"
        )
        if not bool(mid["comparable"]):
            explanation += f" ({NOT_A_TREND_NOTE})"
        rows.append(
            {"statement_id": STATEMENT_TRIPLED, "sample": sample, "primary": primary,
             "measure": f"ratio of pooled rate per 100,000, {end} / {base}",
             "value": mid["ratio"], "ci_low": mid["ci_low"], "ci_high": mid["ci_high"],
             "value_lower": sub.loc["lower", "ratio"], "value_upper": sub.loc["upper", "ratio"],
             "n_countries": int(mid["n_countries"]), "n_obs": int(mid["n_countries_base"] + mid["n_countries_end"]),
             **{f"verdict_{t}": by_t[t] for t in treatments}, "verdict": verdict,
             "conclusion_changes_with_lt5": changes, "explanation": explanation}
        )  # fmt: skip
    pooled = rate_ratios[
        (rate_ratios["specification"] == SPEC_POOLED) & (rate_ratios["cohort"] == COHORT_LATER)
    ]
    for sample, primary in ((SAMPLE_ALL, True), (SAMPLE_BALANCED, False)):
        sub = pooled[(pooled["sample"] == sample) & (pooled["model"] == POISSON)].set_index("suppressed")
        if not set(treatments) <= set(sub.index):
            continue
        by_t = {t: higher_before_verdict(sub.loc[t, "rate_ratio"], sub.loc[t, "ci_low"], sub.loc[t, "ci_high"])
                for t in treatments}  # fmt: skip
        verdict, changes = _combine(by_t)
        mid = sub.loc[HEADLINE_TREATMENT]
        nb = pooled[(pooled["sample"] == sample) & (pooled["model"] == NEGBIN)].set_index("suppressed")
        nb_text = ""
        if HEADLINE_TREATMENT in nb.index:
            n = nb.loc[HEADLINE_TREATMENT]
            nb_verdict = higher_before_verdict(n["rate_ratio"], n["ci_low"], n["ci_high"])
            nb_text = (
                f"; negative binomial check {_fmt(n['rate_ratio'])} ({_fmt(n['ci_low'])} to "
                f"{_fmt(n['ci_high'])}): {nb_verdict}"
            )
        explanation = (
            f"{sample}: Poisson rate ratio, legislated {COHORT_LATER} ({int(mid['n_countries_cohort'])} countries) "
            f"vs {COHORT_BEFORE} ({int(mid['n_countries_reference'])} countries), same year = "
            f"{_fmt(mid['rate_ratio'])} (95% interval {_fmt(mid['ci_low'])} to {_fmt(mid['ci_high'])}, "
            f"{int(mid['n_obs'])} country-years, {mid['window']}); '<5' as 0 / 4 gives "
            f"{_fmt(sub.loc['lower', 'rate_ratio'])} / {_fmt(sub.loc['upper', 'rate_ratio'])}{nb_text}; "
            f"verdict: {verdict}"
        )
        rows.append(
            {"statement_id": STATEMENT_HIGHER, "sample": sample, "primary": primary,
             "measure": f"rate ratio {COHORT_LATER} / {COHORT_BEFORE} (Poisson, year effects)",
             "value": mid["rate_ratio"], "ci_low": mid["ci_low"], "ci_high": mid["ci_high"],
             "value_lower": sub.loc["lower", "rate_ratio"], "value_upper": sub.loc["upper", "rate_ratio"],
             "n_countries": int(mid["n_countries"]), "n_obs": int(mid["n_obs"]),
             **{f"verdict_{t}": by_t[t] for t in treatments}, "verdict": verdict,
             "conclusion_changes_with_lt5": changes, "explanation": explanation}
        )  # fmt: skip
    out = pd.DataFrame(rows)
    out.insert(1, "claim_id", out["statement_id"].map(CLAIM_IDS))
    out.insert(2, "statement", out["statement_id"].map(STATEMENTS))
    return _sort(out, ["statement_id", "sample"])


# -- 6. tables ----------------------------------------------------------------------------------


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

    conv = _default(convictions, "convictions")
    leg = _default(legislation, "legislation")
    out_dir = Path(out_dir)
    tripling = tripling_ratio(conv, leg)
    ratios = cohort_rate_ratios(conv, leg)
    panel = analysis_panel(conv, leg, HEADLINE_TREATMENT)
    tables = {
        "convictions_coverage": coverage_matrix(conv, leg),
        "convictions_balanced_panel": panel_membership(panel),
        "convictions_cohort_rates": cohort_rates(conv, leg),
        "convictions_cohort_rate_ratios": ratios,
        "convictions_event_study": event_study(conv, leg),
        "convictions_tripling_ratio": tripling,
        "convictions_verdicts": verdicts(conv, leg, tripling=tripling, rate_ratios=ratios),
    }
    paths = []
    for name, frame in tables.items():
        path = out_dir / f"{name}.csv"
        write_csv(_to_text(frame), path)
        paths.append(path)
    return sorted(paths)
