"""Build ``legislation_counts``: UNODC's published counts of countries with legislation.

From the GLOTIP text figures (``victims:RawTextFigures`` rows whose ``figure_id`` says ``_legis_``)
and from A/76/120 paragraph 6 ("Of the 181 countries assessed ... 169 countries had adopted, by
August 2020, dedicated legislation"). Called by :func:`tipstats.pipeline.legislation.build`; every
function is pure (frames or text in, frames out).
"""

from __future__ import annotations

import re

import pandas as pd

from tipstats.errors import DataValidationError, Failure, row_number
from tipstats.report import MONTH_NUMBERS, ReportTextError, paragraph_text

# GLOTIP text-figure rows that state a number or share of countries with legislation; the 2018
# "assessed" row supplies the denominator of the 2018 count. The other ``_legis_`` rows
# (unknown / partial / none / changes) are not counts of countries with legislation.
COUNT_FIGURE_IDS = (
    "g12_legis_count",
    "g14_legis_share",
    "g18_legis_inline_count",
    "g20_legis_memberstates_share",
)
ASSESSED_FIGURE_ID = "g18_legis_assessed"
LEFT_OUT_FIGURE_IDS = (
    "g18_legis_unknown",
    "g18_legis_partial",
    "g18_legis_none",
    "g18_legis_change_2016_2018",
)

_VALUE = re.compile(r"^(?:(?P<qualifier>over|more than|about|nearly|almost)\s+)?(?P<number>\d+(?:\.\d+)?)$")
_ASSESSED_UNIT = re.compile(r"\(of (\d+) assessed\)")
_WORDING = re.compile(r"\b(?:have|has|had)\s+(?P<wording>.+)$")
_MONTH_YEAR = re.compile(r"^(" + "|".join(MONTH_NUMBERS) + r")\s+(\d{4})$", re.IGNORECASE)
_YEAR_ONLY = re.compile(r"^(\d{4})(?:\s+\(.*\))?$")


def yardstick_wording(quote: str) -> str:
    """The words after the auxiliary verb ('have', 'had'): what the count counts, verbatim.

    A clause after a comma ends the wording, unless it continues it ('..., in line with the Protocol').
    """
    sentence = quote.strip().strip('"').rstrip(".")
    match = _WORDING.search(sentence)
    if not match:
        raise ValueError(f"no 'have/had' clause in {quote!r}")
    wording = match.group("wording")
    parts = wording.split(", ")
    kept = [parts[0]]
    for part in parts[1:]:
        if part.startswith("in line with"):
            kept.append(part)
        else:
            break
    return ", ".join(kept)


def parse_period(text: str) -> dict:
    """'August 2018' -> month precision and first day; '2012' or '2020 (report date)' -> year only."""
    text = text.strip()
    match = _MONTH_YEAR.match(text)
    if match:
        year = int(match.group(2))
        return {
            "reference_year": year,
            "reference_date": pd.Timestamp(year=year, month=MONTH_NUMBERS[match.group(1).lower()], day=1),
            "date_precision": "month",
        }
    match = _YEAR_ONLY.match(text)
    if match:
        return {"reference_year": int(match.group(1)), "reference_date": pd.NaT, "date_precision": "year"}
    raise ValueError(f"unrecognised date or period {text!r}")


def counts_from_text_figures(raw: pd.DataFrame, label: str, source_id: str) -> pd.DataFrame:
    """The GLOTIP legislation counts of the text-figures file, one row per statement."""
    failures: list[Failure] = []
    by_id = raw.set_index("figure_id", drop=False)
    for figure_id in COUNT_FIGURE_IDS + (ASSESSED_FIGURE_ID,):
        if figure_id not in by_id.index:
            failures.append(
                Failure(label, None, "figure_id", "legislation figure present", figure_id, kind="rule")
            )
    if failures:
        raise DataValidationError(failures)
    assessed_row = by_id.loc[ASSESSED_FIGURE_ID]
    rows = []
    for figure_id in COUNT_FIGURE_IDS:
        src = by_id.loc[figure_id]
        where = row_number(raw.index[raw["figure_id"] == figure_id][0])
        value = _VALUE.match(src["value"].strip())
        if not value:
            failures.append(
                Failure(
                    label, where, "value", "number with an optional qualifier", src["value"], kind="parse"
                )
            )
            continue
        number = float(value.group("number"))
        unit = src["unit"].strip()
        count = share = assessed = None
        if unit == "percent":
            share = number
        elif unit.startswith("countries"):
            count = int(number)
            in_unit = _ASSESSED_UNIT.search(unit)
            if in_unit:
                assessed = int(in_unit.group(1))
            if (
                assessed_row["edition"] == src["edition"]
                and assessed_row["year_or_period"] == src["year_or_period"]
            ):
                from_row = int(assessed_row["value"])
                if assessed is not None and assessed != from_row:
                    failures.append(
                        Failure(
                            label,
                            where,
                            "unit",
                            f"equals {ASSESSED_FIGURE_ID} ({from_row})",
                            unit,
                            kind="rule",
                        )
                    )
                assessed = from_row
        else:
            failures.append(Failure(label, where, "unit", "percent or countries", unit, kind="parse"))
            continue
        try:
            period = parse_period(src["year_or_period"])
            wording = yardstick_wording(src["quote"])
        except ValueError as exc:
            failures.append(Failure(label, where, "year_or_period/quote", "parses", str(exc), kind="parse"))
            continue
        rows.append(
            {
                "count_id": figure_id,
                "edition": src["edition"],
                "date_or_period": src["year_or_period"],
                **period,
                "countries_with_legislation": count,
                "countries_assessed": assessed,
                "share_percent": share,
                "qualifier": value.group("qualifier"),
                "unit_as_given": unit,
                "definition": wording,
                "quote": src["quote"],
                "source_id": source_id,
                "source_url": src["source_url"],
            }
        )
    if failures:
        raise DataValidationError(failures)
    return pd.DataFrame(rows)


_PARA6 = re.compile(
    r"Of the (?P<assessed>\d+) countries assessed in the (?P<report>Global Trafficking in Persons Report (?P<edition>\d{4}))"
    r"\s*, published by UNODC, (?P<count>\d+) countries had adopted, by (?P<period>(?P<month>[A-Z][a-z]+) (?P<year>\d{4})), "
    r"(?P<definition>[^.]+?)\."
)


def parse_report_legislation_count(text: str, source_id: str) -> dict:
    """The legislation count of A/76/120 paragraph 6 ('Of the 181 countries assessed ... 169 countries had
    adopted, by August 2020, dedicated legislation ...'), parsed from the report text."""
    paragraph = paragraph_text(text, "6")
    match = _PARA6.search(paragraph)
    if not match:
        raise ReportTextError("paragraph 6 does not state the legislation count in the expected words", 6)
    if int(match.group("count")) > int(match.group("assessed")):
        raise ReportTextError(
            f"paragraph 6: {match.group('count')} countries with legislation of {match.group('assessed')} "
            "assessed (a count cannot exceed the countries assessed)",
            6,
        )
    quote = match.group(0).replace(" ,", ",")
    period = parse_period(match.group("period"))
    return {
        "count_id": "a76120_para6",
        "edition": f"GLOTIP {match.group('edition')}",
        "date_or_period": match.group("period"),
        **period,
        "countries_with_legislation": int(match.group("count")),
        "countries_assessed": int(match.group("assessed")),
        "share_percent": None,
        "qualifier": None,
        "unit_as_given": None,
        "definition": match.group("definition"),
        "quote": quote,
        "source_id": source_id,
        "source_url": None,
    }


def counts_dataset(text_counts: pd.DataFrame, report_count: dict) -> pd.DataFrame:
    out = pd.concat([text_counts, pd.DataFrame([report_count])], ignore_index=True)
    for column in ["reference_year", "countries_with_legislation", "countries_assessed"]:
        out[column] = pd.array(out[column], dtype="Int64")
    out["share_percent"] = out["share_percent"].astype(float)
    out["reference_date"] = pd.to_datetime(out["reference_date"])
    return out.sort_values("count_id").reset_index(drop=True)
