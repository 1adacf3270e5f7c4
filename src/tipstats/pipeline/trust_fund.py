"""Build ``trust_fund``: the UNVTF figures, typed, with their dates parsed as far as the source gives them."""

from __future__ import annotations

import re

import pandas as pd

from tipstats import sources
from tipstats.errors import DataValidationError, Failure, row_number

RAW_MODEL = "trust_fund:RawTrustFund"

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})(?:\s+\([^)]*\))?$")  # "2020", "2026 (cycle 10.2)"
_PERIOD = re.compile(r"^(\d{4})(?:\s+\([^)]*\))?\s*-\s*(\d{4})$")  # "2011-2014", "2014 (launch) - 2017"
_UNDATED = re.compile(r"^undated\b")


def parse_date_or_period(text: str) -> dict:
    """Date, year and precision of a ``fiscal_year_or_date`` value; never more precise than the text.

    >>> parse_date_or_period("2014-12")["date_precision"]
    'month'
    """
    text = text.strip()
    if match := _DAY.match(text):
        date = pd.Timestamp(text)  # raises on an impossible day
        return {"date": date, "year": int(match.group(1)), "date_precision": "day"}
    if match := _MONTH.match(text):
        if not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"month out of range in {text!r}")
        return {"date": pd.NaT, "year": int(match.group(1)), "date_precision": "month"}
    if match := _YEAR.match(text):
        return {"date": pd.NaT, "year": int(match.group(1)), "date_precision": "year"}
    if match := _PERIOD.match(text):
        if int(match.group(1)) > int(match.group(2)):
            raise ValueError(f"period ends before it starts: {text!r}")
        return {"date": pd.NaT, "year": None, "date_precision": "period"}
    if _UNDATED.match(text):
        return {"date": pd.NaT, "year": None, "date_precision": "undated"}
    raise ValueError(f"unrecognised date or period {text!r}")


def trust_fund_from_raw(raw: pd.DataFrame, label: str) -> pd.DataFrame:
    """One row per source row, in file order; ``figure_id`` numbers the rows from 001."""
    failures: list[Failure] = []
    parsed = []
    for index, text in raw["fiscal_year_or_date"].items():
        try:
            parsed.append(parse_date_or_period(text))
        except ValueError as exc:
            failures.append(
                Failure(
                    label,
                    row_number(index),
                    "fiscal_year_or_date",
                    "a date, year, period or 'undated'",
                    str(exc),
                    kind="parse",
                )
            )
    if failures:
        raise DataValidationError(failures)
    dates = pd.DataFrame(parsed, index=raw.index)
    out = pd.DataFrame(
        {
            "figure_id": [f"unvtf_{n:03d}" for n in range(1, len(raw) + 1)],
            "quantity": raw["quantity"].to_numpy(),
            "value": raw["value"].astype(float).to_numpy(),
            "unit": raw["unit"].to_numpy(),
            "qualifier": raw["qualifier"].to_numpy(),
            "date_or_period": raw["fiscal_year_or_date"].to_numpy(),
            "date": pd.to_datetime(dates["date"]).to_numpy(),
            "year": pd.array(dates["year"], dtype="Int64"),
            "date_precision": dates["date_precision"].to_numpy(),
            "source_document": raw["source_document"].to_numpy(),
            "source_url": raw["source_url"].to_numpy(),
            "quote": raw["quote"].to_numpy(),
            "note": raw["note"].to_numpy(),
        }
    )
    return out


def build(ctx) -> dict[str, pd.DataFrame]:
    sid = sources.source_id(ctx.registry, raw_model=RAW_MODEL)
    return {"trust_fund": trust_fund_from_raw(ctx.raw(sid), str(ctx.raw_file(sid))).assign(source_id=sid)}
