"""The pandera model of the claims registry (``data/reference/claims.csv``), apart from
:mod:`tipstats.claims_audit.registry` so that reading the registry back from the results cache, as every
notebook and figure does, imports no pandera."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from tipstats.claims_audit.registry import (
    COMPARATORS,
    NOTEBOOKS,
    PARAGRAPH,
    PARTIAL_DATE,
    REPORT_SOURCE_ID,
    UNITS,
    VAGUE,
    date_bounds,
    value_written,
)


class ClaimsRegistry(pa.DataFrameModel):
    """``data/reference/claims.csv``: one row per quantitative statement of A/76/120."""

    claim_id: Series[str] = pa.Field(
        unique=True,
        str_matches=r"^p\d{2}[a-z]?_[a-z0-9_]+$",
        description="Identifier: p + two-digit paragraph (+ sub-paragraph letter) + short name.",
    )
    paragraph: Series[str] = pa.Field(
        str_matches=PARAGRAPH, description="Paragraph of the report, e.g. `5`, `38(a)`, `5, footnote 1`."
    )
    quote: Series[str] = pa.Field(
        str_length={"min_value": 10}, description="The report's words, verbatim (white space normalised)."
    )
    quantity: Series[str] = pa.Field(description="What is counted or dated, in plain words.")
    reported_value: Series[str] = pa.Field(
        nullable=True,
        str_matches=r"^(\d+(\.\d+)?|\d{4}-\d{2}(-\d{2})?)$",
        description="The reported number (digits, no separators) or date (YYYY-MM-DD, or YYYY-MM for a month); "
        "empty for a comparison.",
    )
    unit: Series[str] = pa.Field(isin=list(UNITS), description="Unit of `reported_value`.")
    comparator: Series[str] = pa.Field(isin=list(COMPARATORS), description="How the report bounds the value.")
    reference_date: Series[str] = pa.Field(
        nullable=True,
        str_matches=PARTIAL_DATE,
        description="Date the value refers to (YYYY, YYYY-MM or YYYY-MM-DD).",
    )
    period_start: Series[str] = pa.Field(
        nullable=True, str_matches=PARTIAL_DATE, description="Start of the period."
    )
    period_end: Series[str] = pa.Field(
        nullable=True, str_matches=PARTIAL_DATE, description="End of the period."
    )
    rule: Series[str] = pa.Field(
        str_matches=r"^[a-z][a-z_]*$",
        description="The rule kind that checks the claim (see `tipstats.claims_audit.rules`).",
    )
    params: Series[str] = pa.Field(
        nullable=True,
        description="The rule kind's parameters, a JSON object (quantities, window, patterns ...); "
        "empty when it takes none.",
    )
    data_needed: Series[str] = pa.Field(
        nullable=True,
        description="The data that would decide the claim where the tipstats datasets cannot, in words.",
    )
    origin: Series[str] = pa.Field(
        isin=["issue", "added"],
        description="`issue`: listed in issue 5; `added`: a further statement found by reading the whole report.",
    )
    see_also: Series[str] = pa.Field(isin=list(NOTEBOOKS), description="Notebook that shows the evidence.")
    source_id: Series[str] = pa.Field(isin=[REPORT_SOURCE_ID], description="Source of the quote: the report.")
    note: Series[str] = pa.Field(nullable=True, description="Reviewer's note on the reading of the quote.")

    class Config:
        strict = True
        coerce = False
        ordered = True

    @pa.dataframe_check(
        error="a value is required unless the comparator is 'higher than' or a vague quantifier"
    )
    def value_present(cls, df: pd.DataFrame) -> Series[bool]:
        return df["reported_value"].notna() | df["comparator"].isin(["higher than", *VAGUE])

    @pa.dataframe_check(error="unit 'date' needs a date as reported_value, other units a number")
    def value_matches_unit(cls, df: pd.DataFrame) -> Series[bool]:
        is_date = df["reported_value"].fillna("").str.fullmatch(r"\d{4}-\d{2}(-\d{2})?")
        return df["reported_value"].isna() | (is_date == (df["unit"] == "date"))

    @pa.dataframe_check(error="the reported value is not written in the quote")
    def value_in_quote(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(
            [
                value_written(q, v, u)
                for q, v, u in zip(df["quote"], df["reported_value"], df["unit"], strict=True)
            ],
            index=df.index,
        )

    @pa.dataframe_check(error="period_start is after period_end")
    def period_ordered(cls, df: pd.DataFrame) -> Series[bool]:
        start = df["period_start"].map(lambda s: date_bounds(s)[0], na_action="ignore")
        end = df["period_end"].map(lambda s: date_bounds(s)[1], na_action="ignore")
        return start.isna() | end.isna() | (start <= end)
