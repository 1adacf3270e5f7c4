"""Sums and shares of the dataUNODC country counts by any grouping, without the '<5' trap.

``pivot_table(aggfunc="sum")`` on ``glotip`` reads every suppressed '<5' cell as 0 and mixes countries
that report a part (children) with countries that report only the whole: :func:`aggregate` (also
``tipstats.aggregate``) gives each value as an interval, lowest and highest, with each '<5' read as
:data:`~tipstats.facts.SUPPRESSED_MIN` and :data:`~tipstats.facts.SUPPRESSED_MAX`, and names the
countries behind it.

>>> import tipstats
>>> europe = tipstats.aggregate(["unodc_region", "year"], year=2020, age="0 to 17 years", share_of={"age": "Total"})
>>> list(europe.columns[:4])
['unodc_region', 'year', 'share_lower', 'share_upper']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from tipstats.facts import SUPPRESSED_FLAG, SUPPRESSED_MAX, SUPPRESSED_MIN

#: What :func:`aggregate` selects unless told otherwise: the latest release (the one tipstats' derived
#: datasets use), detected victims, and the all-sexes, all-ages total of the 'Total' breakdown.
DEFAULT_SELECTION: dict[str, Any] = {
    "release": "2025-04-14",
    "indicator": "Detected trafficking victims",
    "dimension": "Total",
    "sex": "Total",
    "age": "Total",
}
#: A country-year is the unit a part and its whole are paired on.
UNIT = ("iso3", "year")

SUM_COLUMNS = ["lower", "upper", "suppressed", "cells", "n_countries", "countries"]
SHARE_COLUMNS = [
    "share_lower",
    "share_upper",
    "part_lower",
    "part_upper",
    "whole_lower",
    "whole_upper",
    "suppressed",
    "n_countries",
    "countries",
    "left_out",
]


def _select(frame: pd.DataFrame, selection: Mapping[str, Any]) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, wanted in selection.items():
        if wanted is None:  # any value
            continue
        values = [wanted] if isinstance(wanted, (str, int)) else list(wanted)
        mask &= frame[column].isin(values)
    return frame[mask]


def _with_groupings(frame: pd.DataFrame, by: list[str], countries: pd.DataFrame | None) -> pd.DataFrame:
    """``frame`` with the grouping columns it lacks taken from ``countries`` (region, subregion, name ...)."""
    missing = [c for c in by if c not in frame.columns]
    if not missing:
        return frame
    if countries is None:
        from tipstats.loaders import load

        countries = load("countries")
    unknown = [c for c in missing if c not in countries.columns]
    if unknown:
        raise ValueError(
            f"cannot group by {unknown}: neither a column of the data ({', '.join(frame.columns)}) nor of "
            f"`countries` ({', '.join(countries.columns)})"
        )
    return frame.merge(countries[["iso3", *missing]], on="iso3", how="left", validate="many_to_one")


def _bounds(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per key: the sum with each '<5' as its lowest and highest count, the '<5' cells and all cells."""
    suppressed = frame["value_flag"].eq(SUPPRESSED_FLAG)
    given = frame["value"].fillna(0).astype("int64")
    parts = frame[keys].assign(
        lower=given + suppressed * SUPPRESSED_MIN,
        upper=given + suppressed * SUPPRESSED_MAX,
        suppressed=suppressed.astype("int64"),
        cells=1,
    )
    return parts.groupby(keys, dropna=False, sort=True).sum().reset_index()


def _names(values: pd.Series) -> str:
    return ", ".join(sorted(set(values)))


def _by_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def aggregate(
    by: str | Sequence[str] | None = "unodc_region",
    *,
    share_of: Mapping[str, Any] | None = None,
    glotip: pd.DataFrame | None = None,
    countries: pd.DataFrame | None = None,
    **where: Any,
) -> pd.DataFrame:
    """Sum (or share) the ``glotip`` counts by ``by``, with bounds for '<5' cells and the countries behind each.

    ``by``: columns of ``glotip`` (``year``, ``sex``, ``category`` ...) or of ``countries``
    (``unodc_region``, ``unodc_subregion``, ``name``); none for one overall row. ``where``: the rows to
    count, ``column=value`` or ``column=[values]`` (``None``: any value), over :data:`DEFAULT_SELECTION`
    (release 2025-04-14, detected victims, the 'Total' breakdown, all sexes, all ages).

    Without ``share_of``: one row per group with ``lower`` and ``upper`` (the sum with each suppressed
    '<5' cell read as 0 and as 4; equal when nothing is suppressed), ``suppressed`` ('<5' cells),
    ``cells``, ``n_countries`` and ``countries`` (ISO3 codes). A country without a row is not counted:
    the data do not say whether it had none or did not report.

    With ``share_of`` (the selection of the whole: ``{"age": "Total"}`` for the share of children among
    all ages, ``{"category": None}`` for one form among all forms): the share in per cent, as an
    interval ``share_lower``-``share_upper``, over the country-years that report both the part and the
    whole; ``left_out`` names the countries with only one of them (counting them would mix coverage).
    The bounds are conservative: the lowest part over the highest whole, and the highest part over the
    lowest whole (at most 100).

    Groups are sorted; a country without a region is its own group (an empty region), never dropped.
    """
    by = _by_list(by)
    frame = glotip if glotip is not None else _load_glotip()
    selection = {**DEFAULT_SELECTION, **where}
    whole_selection = {**selection, **(share_of or {})}
    unknown = sorted(set(whole_selection) - set(frame.columns))
    if unknown:
        raise ValueError(f"cannot select on {unknown}: not columns of glotip ({', '.join(frame.columns)})")
    clash = sorted(set(share_of or {}) & {*by, *UNIT})
    if clash:
        raise ValueError(f"share_of cannot change {clash}: a part and its whole are paired on them")
    frame = _with_groupings(frame, by, countries)
    part = _select(frame, selection)
    if share_of is None:
        return _sums(part, by)
    return _shares(part, _select(frame, whole_selection), by)


def _load_glotip() -> pd.DataFrame:
    from tipstats.loaders import load

    return load("glotip")


def _sums(part: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    if by:
        sums = _bounds(part, by)
        countries = part.groupby(by, dropna=False, sort=True)["iso3"].agg(_names).reset_index()
        n = part.groupby(by, dropna=False, sort=True)["iso3"].nunique().rename("n_countries").reset_index()
        out = sums.merge(n, on=by, how="left").merge(countries.rename(columns={"iso3": "countries"}), on=by)
    else:
        sums = _bounds(part.assign(_all=0), ["_all"]).drop(columns="_all")
        out = sums.assign(n_countries=part["iso3"].nunique(), countries=_names(part["iso3"]))
        if part.empty:
            out = pd.DataFrame([{c: 0 for c in SUM_COLUMNS[:-1]} | {"countries": ""}])
    out = out[[*by, *SUM_COLUMNS]]
    for column in SUM_COLUMNS[:-1]:
        out[column] = out[column].astype("int64")
    return out.reset_index(drop=True)


def _shares(part: pd.DataFrame, whole: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    unit = list(dict.fromkeys([*by, *UNIT]))
    p = _bounds(part, unit)
    w = _bounds(whole, unit)
    paired = p.merge(w, on=unit, how="inner", suffixes=("_part", "_whole"))
    one_sided = pd.concat([p[unit], w[unit]]).merge(paired[unit], on=unit, how="left", indicator=True)
    one_sided = one_sided[one_sided["_merge"] == "left_only"]
    groups = [paired.assign(_all=0), one_sided.assign(_all=0)]
    keys = by or ["_all"]
    sums = (
        groups[0]
        .groupby(keys, dropna=False, sort=True)
        .agg(
            part_lower=("lower_part", "sum"),
            part_upper=("upper_part", "sum"),
            whole_lower=("lower_whole", "sum"),
            whole_upper=("upper_whole", "sum"),
            suppressed_part=("suppressed_part", "sum"),
            suppressed_whole=("suppressed_whole", "sum"),
            n_countries=("iso3", "nunique"),
            countries=("iso3", _names),
        )
        .reset_index()
    )
    left = (
        groups[1].groupby(keys, dropna=False, sort=True)["iso3"].agg(_names).rename("left_out").reset_index()
    )
    out = sums.merge(left, on=keys, how="outer").sort_values(keys, na_position="last")
    out["left_out"] = out["left_out"].fillna("")
    out["countries"] = out["countries"].fillna("")
    for column in ("part_lower", "part_upper", "whole_lower", "whole_upper", "n_countries"):
        out[column] = out[column].fillna(0).astype("int64")
    out["suppressed"] = (out.pop("suppressed_part").fillna(0) + out.pop("suppressed_whole").fillna(0)).astype(
        "int64"
    )
    whole_hi, whole_lo = out["whole_upper"].astype("float64"), out["whole_lower"].astype("float64")
    out["share_lower"] = (100 * out["part_lower"] / whole_hi).where(whole_hi > 0)
    upper = (100 * out["part_upper"] / whole_lo.where(whole_lo > 0)).clip(upper=100.0)
    out["share_upper"] = upper.where(whole_lo > 0, 100.0).where(whole_hi > 0)
    return out[[*by, *SHARE_COLUMNS]].reset_index(drop=True)
