"""UN Voluntary Trust Fund for Victims of Trafficking in Persons: the figures file as received, and
the ``trust_fund`` dataset derived from it."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from tipstats.facts import LATEST_SOURCE_DATE
from tipstats.schemas.base import ProcessedModel, RawModel, field, raw_period_field

# The fund was set up in 2010 (General Assembly resolution 64/293); the newest page is a 2026 call.
EARLIEST_DATE = pd.Timestamp("2010-01-01")
LATEST_DATE = LATEST_SOURCE_DATE
FIRST_YEAR, LAST_YEAR = EARLIEST_DATE.year, LATEST_DATE.year

# Units: the column table of data/raw/trust_fund/README.md (section File) names `USD million`, `USD`, `EUR million`, `projects`, `NGOs`,
# `countries`, `proposals`, `persons per year` and ends with "..."; the rest are the other units the
# file uses, two of them openly uncertain (a cut text, an unstated currency).
UNITS = (
    "USD million",
    "USD",
    "EUR million",
    "projects",
    "NGOs",
    "countries",
    "proposals",
    "persons per year",
    "persons",
    "applications",
    "grant windows",
    "Member States",
    "contributors",
    "governments",
    "private sector donors",
    "unknown (text cut; presumably countries)",
    "million (currency not stated)",
)
MONEY_UNITS = ("USD million", "USD", "EUR million", "million (currency not stated)")
# Qualifiers: the list in data/raw/trust_fund/README.md (section File), plus `minimum` and `maximum`, which the file uses for the bounds of
# the third call's grant size (USD 20,000 to 60,000) and that list omits.
README_QUALIFIERS = (
    "more than",
    "over",
    "close to",
    "nearly",
    "about",
    "up to",
    "some",
    "around",
    "estimated",
)
QUALIFIERS = README_QUALIFIERS + ("minimum", "maximum")
DATE_PRECISIONS = ("day", "month", "year", "period", "undated")


class RawTrustFund(RawModel):
    """``trust_fund/unvtf_figures.csv``: 73 sourced figures on the UNVTF, one per row."""

    fiscal_year_or_date: Series[str] = raw_period_field(
        "fiscal_year_or_date",
        "Date of the statement or period of the figure, as stated.",
        first=FIRST_YEAR,
        last=LAST_YEAR,
    )
    quantity: Series[str] = pa.Field(
        alias="quantity", str_matches=r"^[a-z0-9_]+$", description="Machine name of what is counted."
    )
    value: Series[str] = pa.Field(
        alias="value",
        str_matches=r"^\d+(\.\d+)?$",
        description="Number as written (millions kept as millions).",
    )
    unit: Series[str] = pa.Field(alias="unit", isin=list(UNITS), description="Unit of the value.")
    qualifier: Series[str] = pa.Field(
        alias="qualifier", nullable=True, isin=list(QUALIFIERS), description="Word bounding the number."
    )
    source_document: Series[str] = pa.Field(
        alias="source_document", description="Title and date of the page."
    )
    source_url: Series[str] = pa.Field(alias="source_url", str_matches=r"^https?://", description="Address.")
    quote: Series[str] = pa.Field(alias="quote", description="Short phrase containing the figure.")
    note: Series[str] = pa.Field(alias="note", nullable=True, description="Caveats, cross-references.")

    # the same quantity and date may come from two pages (rows 37-38), but not twice from one page
    @pa.dataframe_check(error="duplicate (quantity, fiscal_year_or_date, source_url)")
    def unique_figure(cls, df) -> Series[bool]:
        return ~df.duplicated(["quantity", "fiscal_year_or_date", "source_url"], keep=False)


class TrustFund(ProcessedModel):
    """Sourced figures on the UN Voluntary Trust Fund for Victims of Trafficking in Persons."""

    figure_id: Series[str] = field(
        "Row identifier `unvtf_NNN`: NNN is the row's position in the source file (001 = first data row).",
        unique=True,
        str_matches=r"^unvtf_\d{3}$",
    )
    quantity: Series[str] = field(
        "What is counted, as the source file names it (e.g. `call4_projects_awarded`; `callN` = N-th call for "
        "proposals, `sgp1`/`sgp2` = sub-grant programmes 1 and 2).",
        str_matches=r"^[a-z0-9_]+$",
    )
    value: Series[float] = field(
        "The number as written, in `unit` (millions are kept as millions: 4.8 with unit 'USD million').",
        ge=0,
    )
    unit: Series[str] = field(
        "Unit of `value`: " + ", ".join(f"'{u}'" for u in UNITS) + ".", isin=list(UNITS)
    )
    qualifier: Series[str] = field(
        "Word bounding the number ('more than', 'close to', 'up to', ...); missing = stated exactly.",
        nullable=True,
        isin=list(QUALIFIERS),
    )
    date_or_period: Series[str] = field(
        "Date of the statement or period of the figure, as the source gives it."
    )
    date: Series[pa.DateTime] = field(
        "The date, only where the source gives a full date (YYYY-MM-DD).",
        nullable=True,
        ge=EARLIEST_DATE,
        le=LATEST_DATE,
    )
    year: Series["Int64"] = field(
        "The year, where `date_or_period` names a single year (missing for periods and undated pages).",
        unit="year",
        nullable=True,
        ge=FIRST_YEAR,
        le=LAST_YEAR,
    )
    date_precision: Series[str] = field(
        "Precision of `date_or_period`: day, month, year, period (e.g. '2011-2014') or undated.",
        isin=list(DATE_PRECISIONS),
    )
    source_document: Series[str] = field("Title and date of the page or document quoted.")
    source_url: Series[str] = field("Address of the page as stored.", str_matches=r"^https?://")
    quote: Series[str] = field("Short phrase from the source containing the figure ('[...]' = text cut).")
    note: Series[str] = field("Caveats and cross-references (to A/76/120), as given.", nullable=True)
    source_id: Series[str] = field("Source of the row; key into `sources`.", isin=["unvtf_figures"])

    class Config:
        title = "UN Voluntary Trust Fund for Victims of Trafficking in Persons: sourced figures"
        description = (
            "Every figure of the UNVTF figures file (73 rows): contributions, grants, calls for proposals, "
            "proposals received, projects and victims assisted, 2010-2026, each with its value in the unit the "
            "source uses, the word that bounds it ('more than', 'close to'), its date or period as given, "
            "the page it comes from and the quote."
        )
        metadata = {
            "key": ["figure_id"],
            "as_of": "2023 (one 2026 call page)",
            "caveats": [
                "Rounded and bounded numbers are kept as written with their `qualifier`: do not treat them as "
                "exact, and do not add figures across rows.",
                "The figures that A/76/120 itself gives on the fund (paragraphs 73-77) are not rows here: "
                "this dataset holds what other sources say. Several report figures are confirmed by other "
                "sources (4.8 million dollars in grants, more than 90 projects, more than 3,500 victims a year, "
                "268 NGOs from 64 countries, 32 projects in 24 countries); USD 790,000 received in 2020, the "
                "USD 1.5 million annual target, about 500 proposals from 88 countries in early 2021, more than "
                "50 countries and USD 7.9 million from 32 Member States as at April 2021 were not found elsewhere.",
                "A/76/120 (paragraph 75) places the fourth call's record 32 projects in 24 countries 'in 2019'; "
                "the UNODC sources here date those awards to 2020 (10 emergency grants in April, 16 projects in "
                "August, 6 reserve-list projects in December 2020).",
                "Some figures come from third-party copies (documents.pub, ONU Italia, fundsforNGOs, a blog "
                "repost) that quote UNODC text but were not checked against the originals.",
                "Two units are uncertain as given: 'million (currency not stated)' (Italy, 2017) and "
                "'unknown (text cut; presumably countries)' (Annual Report 2019); figure unvtf_020 (cumulative "
                "contributors, 9 April 2020) is cut after '33 pri[...]', so what the 33 are is not known.",
                "Dates of undated UNODC pages are unknown (date_precision undated). 'Call' numbering follows the "
                "sources; no year-by-year contributions table and no donor table were found.",
                "The list of qualifiers in data/raw/trust_fund/README.md (section File) omits 'minimum' and "
                "'maximum', used for the third call's grant size bounds.",
            ],
        }

    @pa.dataframe_check(error="date only with day precision, and in the stated year")
    def date_matches_precision(cls, df) -> Series[bool]:
        has_date = df["date"].notna()
        same_year = df["date"].dt.year.astype("Int64").eq(df["year"]).fillna(False)
        return (has_date == (df["date_precision"] == "day")) & (~has_date | same_year)

    @pa.dataframe_check(error="year given unless the precision is period or undated")
    def year_matches_precision(cls, df) -> Series[bool]:
        single = df["date_precision"].isin(["day", "month", "year"])
        return df["year"].notna() == single
