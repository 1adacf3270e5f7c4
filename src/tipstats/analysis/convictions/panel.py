"""The country-year panel of the convictions analysis: counts, population, rate, cohort, event time; the balanced panel and the coverage grid."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tipstats.analysis.convictions._base import (
    HEADLINE_TREATMENT,
    KELLEY,
    MIN_SHARE,
    SAMPLE_ALL,
    SAMPLE_BALANCED,
    SAMPLES,
    US_TIP,
    WINDOW,
    _default,
    _float,
    _require,
    _sort,
    _treatment,
)
from tipstats.cache import cached_when_default
from tipstats.facts import (
    COHORT_BEFORE,
    COHORT_EARLY,
    COHORT_LATE,
    COHORT_NONE,
    EARLY_COHORT_LAST_YEAR,
    PROTOCOL_YEAR,
    SUPPRESSED_FLAG,
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


@cached_when_default  # computed once per data change, shared by tables, figures, claims, notebooks
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
