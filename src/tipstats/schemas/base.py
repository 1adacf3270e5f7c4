"""Shared pieces of every pandera model, and the one way to validate a frame."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.extensions import register_check_method

from tipstats.errors import DataValidationError, failures_from_schema_errors
from tipstats.facts import LATEST_SOURCE_DATE

ISO3_PATTERN = r"^[A-Z]{3}$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
ISO_PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
YEAR_PATTERN = r"^\d{4}$"


def field(description: str, *, unit: str | None = None, **kwargs: Any) -> Any:
    """A pandera ``Field`` whose description (and unit) feed the codebook and descriptor."""
    metadata = {"unit": unit} if unit else None
    return pa.Field(description=description, metadata=metadata, **kwargs)


# -- dates and years in raw text cells ------------------------------------------------------------
#
# Raw cells are text. The format of a date or year is checked by ``str_matches``; the checks below
# check what the format cannot: that the cell names a real day (or month, or year) and that it lies
# in the range the source can cover. They are vectorised column checks, so pandera reports the row
# and the value of each failing cell. A cell that does not have the format passes them: its format
# failure is the one reported (once). "In the future" means after LATEST_SOURCE_DATE, a constant
# rather than today's date, so that whether a file is valid does not depend on the day of the build.

YEAR_IN_TEXT = r"(?<!\d)(\d{4})(?!\d)"


def years_in_text(text: pd.Series) -> pd.Series:
    """Every 4-digit number of each cell, as an integer, indexed by (cell index, position).

    >>> years_in_text(pd.Series(["2003-2006", "undated", "2017-2020/21"])).tolist()
    [2003, 2006, 2017, 2020]
    """
    return text.astype("str").str.extractall(YEAR_IN_TEXT)[0].astype("int64")


def all_per_cell(ok: pd.Series, index: pd.Index) -> pd.Series:
    """Per cell of ``index``: True when every item of the cell (``ok`` is indexed by cell, then position,
    as ``str.extractall`` gives it) is ok; True for a cell without items."""
    bad = (~ok).groupby(level=0).any()
    return pd.Series(~index.isin(bad.index[bad]), index=index)


def iso_period_bounds(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day named by each ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` cell.

    Both are NaT for a cell of another shape or for an impossible day or month ('2021-02-30').

    >>> first, last = iso_period_bounds(pd.Series(["2020", "2020-02", "2020-02-30"]))
    >>> [str(d.date()) if pd.notna(d) else None for d in [*first, *last]]
    ['2020-01-01', '2020-02-01', None, '2020-12-31', '2020-02-29', None]
    """
    s = text.astype("str")
    shape = s.str.fullmatch(ISO_PARTIAL_DATE).fillna(False).astype(bool)
    length = s.str.len()
    year, month = shape & length.eq(4), shape & length.eq(7)
    day = s.where(shape).mask(year, s + "-01-01").mask(month, s + "-01")
    first = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    last = first.copy()
    last[year] = first[year] + pd.offsets.YearEnd(0)
    last[month] = first[month] + pd.offsets.MonthEnd(0)
    return first, last


def date_between(series: pd.Series, *, earliest: str, latest: str) -> pd.Series:
    """A ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` cell names a real day (month, year) that overlaps
    [earliest, latest] (ISO days). Cells of another shape pass: ``str_matches`` reports them."""
    s = series.astype("str")
    first, last = iso_period_bounds(s)
    shape = s.str.fullmatch(ISO_PARTIAL_DATE).fillna(False).astype(bool)
    within = (last >= pd.Timestamp(earliest)) & (first <= pd.Timestamp(latest))
    return (~shape | within.fillna(False)).astype(bool)


def year_between(series: pd.Series, *, first: int, last: int) -> pd.Series:
    """A ``YYYY`` cell is a year from ``first`` to ``last``. Cells of another shape pass (see above)."""
    s = series.astype("str")
    shape = s.str.fullmatch(YEAR_PATTERN).fillna(False).astype(bool)
    year = pd.to_numeric(s.where(shape), errors="coerce")
    return (~shape | ((year >= first) & (year <= last)).fillna(False)).astype(bool)


def years_in_text_between(series: pd.Series, *, first: int, last: int) -> pd.Series:
    """Every 4-digit number in a free-text year, date or period ('2003-2006', '2018 or most recent',
    '2014-12', 'undated (page names 2020-2023 Board)') is a year from ``first`` to ``last``."""
    years = years_in_text(series)
    return all_per_cell(years.between(first, last), series.index)


# registered once per process (a second import of this module keeps the first registration)
for _fn, _stats in (
    (date_between, ["earliest", "latest"]),
    (year_between, ["first", "last"]),
    (years_in_text_between, ["first", "last"]),
):
    if not hasattr(pa.Check, _fn.__name__):
        register_check_method(statistics=_stats)(_fn)


def _day(value: pd.Timestamp | str) -> str:
    return pd.Timestamp(value).date().isoformat()


def raw_date_field(
    alias: str,
    description: str,
    *,
    earliest: pd.Timestamp | str,
    latest: pd.Timestamp | str = LATEST_SOURCE_DATE,
    partial: bool = False,
    **kwargs: Any,
) -> Any:
    """A raw text column holding an ISO date (``partial``: or a month ``YYYY-MM`` or a year ``YYYY``),
    checked for its format, for being a real day, and for overlapping [earliest, latest]."""
    return pa.Field(
        alias=alias,
        description=description,
        str_matches=ISO_PARTIAL_DATE if partial else ISO_DATE,
        date_between={"earliest": _day(earliest), "latest": _day(latest)},
        **kwargs,
    )


def raw_year_field(
    alias: str, description: str, *, first: int, last: int = LATEST_SOURCE_DATE.year, **kwargs: Any
) -> Any:
    """A raw text column holding a year ``YYYY`` from ``first`` to ``last`` (default: the latest year any
    source can carry)."""
    return pa.Field(
        alias=alias,
        description=description,
        str_matches=YEAR_PATTERN,
        year_between={"first": int(first), "last": int(last)},
        **kwargs,
    )


def raw_period_field(
    alias: str, description: str, *, first: int, last: int = LATEST_SOURCE_DATE.year, **kwargs: Any
) -> Any:
    """A raw free-text column naming a date, year or period; every 4-digit year in it lies in
    [first, last]."""
    return pa.Field(
        alias=alias,
        description=description,
        years_in_text_between={"first": int(first), "last": int(last)},
        **kwargs,
    )


class RawModel(pa.DataFrameModel):
    """A raw file as received: every column text; only what the builders rely on is checked."""

    class Config:
        strict = True
        coerce = False


class ProcessedModel(pa.DataFrameModel):
    """What users are promised: exact columns, exact dtypes, and a unique key.

    Each model declares its key once, in ``Config.metadata["key"]``; it feeds the codebook, the
    descriptor's primaryKey and this check.
    """

    class Config:
        strict = True
        coerce = True
        ordered = True

    @pa.dataframe_check(error="duplicate key: the dataset's key columns (its Key in the codebook) repeat")
    def unique_key(cls, df) -> pd.Series:
        key = (getattr(cls.Config, "metadata", None) or {}).get("key")
        if not key:
            return pd.Series(True, index=df.index)
        return ~df.duplicated(list(key), keep=False)


def validate(model: type[pa.DataFrameModel], frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Validate lazily (every failure at once) and raise :class:`DataValidationError`."""
    frame = frame.reset_index(drop=True)
    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataValidationError(failures_from_schema_errors(exc, file)) from None
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy=True normally collects
        raise DataValidationError(
            failures_from_schema_errors(pa.errors.SchemaErrors(model.to_schema(), [exc], frame), file)
        ) from None


def column_docs(model: type[pa.DataFrameModel]) -> list[dict[str, Any]]:
    """Name, dtype, unit, description and nullability of every column, in order."""
    schema = model.to_schema()
    rows = []
    for name, column in schema.columns.items():
        rows.append(
            {
                "name": name,
                # pandas 3's default string dtype prints as string[python]; users see it as `str`
                "dtype": "str" if str(column.dtype).startswith("string") else str(column.dtype),
                "unit": (column.metadata or {}).get("unit", ""),
                "description": column.description or "",
                "nullable": bool(column.nullable),
                "unique": bool(column.unique),
            }
        )
    return rows


# -- the country columns every country-keyed dataset carries beside iso3 -----------------------------

#: Columns taken from ``countries`` by iso3 (see ``pipeline.countries.with_country_columns``).
COUNTRY_COLUMNS = {
    "country_name": "name",
    "unodc_region": "unodc_region",
    "unodc_subregion": "unodc_subregion",
}


def country_name_field() -> Any:
    return field("Name of the country or area in the UN style (`countries.name`, by iso3).")


def unodc_region_field() -> Any:
    return field(
        "UNODC region (`countries.unodc_region`, by iso3); missing where dataUNODC has no rows for the code "
        "(listed in the caveats of `countries`; `countries.un_region` has the UN geoscheme region).",
        nullable=True,
    )


def unodc_subregion_field() -> Any:
    return field(
        "UNODC subregion (`countries.unodc_subregion`, by iso3); missing as the region.", nullable=True
    )
