"""Legislation: the Kelley criminalisation files and the later-law evidence as received, and the
``legislation``, ``legislation_panel`` and ``legislation_counts`` datasets derived from them."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from tipstats.facts import LATEST_SOURCE_DATE, TIP_PROTOCOL_ADOPTED
from tipstats.schemas.base import (
    ISO3_PATTERN,
    ProcessedModel,
    RawModel,
    country_name_field,
    field,
    raw_period_field,
    raw_year_field,
    unodc_region_field,
    unodc_subregion_field,
)

# -- vocabularies (facts about the coding, written once) ----------------------------------------

KELLEY_FIRST_YEAR = 1967  # first year of the Kelley panel
KELLEY_LAST_YEAR = 2014  # last year of the Kelley panel
# Scorecard Diplomacy Figure 6.3 covers 2000-2014 (data/raw/legislation/README.md, Files in this folder)
FIGURE_6_3_FIRST_YEAR = 2000
KELLEY_LEVELS = (0, 1, 2)  # 0 = none, 1 = partial, 2 = full criminalisation

YARDSTICKS = ("kelley_full_criminalisation", "us_tip_report_law")
YEAR_BASES = (
    "crim_event",  # Kelley: the calendar year with crim == 1
    "first_crimlevel_2",  # Kelley: no crim == 1 event; first year with crimlevel == 2
    "enactment",  # evidence: the row dates the enactment (passage, signature, penal-code revision)
    "assent",  # evidence: the row dates entry into force but also gives the assent date; assent used
    "entry_into_force",  # evidence: only an entry-into-force date is given
)
KELLEY_FLAGS = (
    "no_kelley_data",
    "not_full_at_last_observation",
    "not_updated_after_2011",
    "year_from_first_crimlevel_2",
    "isolated_1967_level_2_ignored",
    "adjcrimlevel_drops_in_event_year",
)
EVIDENCE_FLAGS = (
    "year_unknown_period_only",
    "year_is_entry_into_force",
    "enactment_and_entry_into_force_years_differ",
    "partial_or_not_in_line_by_us_yardstick",
    "fine_in_lieu_of_prison_allowed",
    "dated_within_kelley_period_but_kelley_not_full",
    "after_a76120_reference_date",
)
FLAG_SEPARATOR = "; "
VALUE_STATUSES = ("observed", "carried_forward", "missing")
PRECISIONS = ("day", "month", "year")
COUNT_QUALIFIERS = ("over", "more than", "about", "nearly", "almost")


# -- raw models ---------------------------------------------------------------------------------

_LEVEL = r"^[012]$"


def _kelley_year(alias: str, description: str, **kwargs):
    """A year of the Kelley data: within the panel, 1967-2014."""
    return raw_year_field(alias, description, first=KELLEY_FIRST_YEAR, last=KELLEY_LAST_YEAR, **kwargs)


class RawKelleyPanel(RawModel):
    """``legislation/kelley_criminalization_jk_2015-08-10.csv``: Kelley's country-year panel, 1967-2014."""

    country: Series[str] = pa.Field(alias="country", description="Kelley's short country name.")
    uncountrycode: Series[str] = pa.Field(alias="uncountrycode", str_matches=r"^\d+$", description="UN code.")
    year: Series[str] = _kelley_year("year", "Calendar year.")
    ccode: Series[str] = pa.Field(alias="ccode", str_matches=r"^\d+$", description="Correlates of War code.")
    crimlevel: Series[str] = pa.Field(
        alias="crimlevel", nullable=True, str_matches=_LEVEL, description="0 none, 1 partial, 2 full."
    )
    adjcrimlevel: Series[str] = pa.Field(
        alias="adjcrimlevel",
        nullable=True,
        str_matches=_LEVEL,
        description="crimlevel adjusted to TIP timing.",
    )
    month: Series[str] = pa.Field(
        alias="month", nullable=True, str_matches=r"^([1-9]|1[0-2])$", description="Month of the law."
    )
    crim: Series[str] = pa.Field(
        alias="crim", nullable=True, isin=["1"], description="1 in the year full criminalisation was enacted."
    )

    @pa.dataframe_check(error="duplicate (ccode, year)")
    def unique_ccode_year(cls, df) -> Series[bool]:
        return ~df.duplicated(["ccode", "year"], keep=False)


class RawKelleyByCountry(RawModel):
    """``legislation/derived_kelley_criminalization_year_by_country.csv``: one row per Kelley country.

    tipstats takes only ``iso3`` (matched on ``ccode_cow``) from this file; the other columns are
    used to cross-check tipstats' own derivation from the panel.
    """

    country_kelley: Series[str] = pa.Field(alias="country_kelley", description="Kelley's short name.")
    ccode_cow: Series[str] = pa.Field(
        alias="ccode_cow", str_matches=r"^\d+$", unique=True, description="Correlates of War code."
    )
    iso3: Series[str] = pa.Field(alias="iso3", str_matches=ISO3_PATTERN, unique=True, description="ISO3.")
    year_full_criminalization: Series[str] = _kelley_year(
        "year_full_criminalization", "Year of full law.", nullable=True
    )
    year_source: Series[str] = pa.Field(alias="year_source", description="How that year was found.")
    full_crim_event_year: Series[str] = _kelley_year(
        "full_crim_event_year", "Year with crim == 1.", nullable=True
    )
    full_crim_event_month: Series[str] = pa.Field(
        alias="full_crim_event_month",
        nullable=True,
        str_matches=r"^([1-9]|1[0-2])$",
        description="Its month.",
    )
    first_year_crimlevel_full: Series[str] = _kelley_year(
        "first_year_crimlevel_full", "First crimlevel 2.", nullable=True
    )
    first_year_adjcrimlevel_full: Series[str] = _kelley_year(
        "first_year_adjcrimlevel_full", "First adj. 2.", nullable=True
    )
    first_year_crimlevel_partial_or_full: Series[str] = _kelley_year(
        "first_year_crimlevel_partial_or_full", "First >= 1.", nullable=True
    )
    first_year_observed: Series[str] = _kelley_year(
        "first_year_observed", "First year with data.", nullable=True
    )
    last_year_observed: Series[str] = _kelley_year(
        "last_year_observed", "Last year with data.", nullable=True
    )
    crimlevel_at_last_observed: Series[str] = pa.Field(
        alias="crimlevel_at_last_observed", nullable=True, str_matches=_LEVEL, description="Level then."
    )
    crimlevel_2011: Series[str] = pa.Field(
        alias="crimlevel_2011", nullable=True, str_matches=_LEVEL, description="Level in 2011."
    )
    ajps_crim1date: Series[str] = _kelley_year("ajps_crim1date", "AJPS file's crim1date.", nullable=True)
    ajps_first_year_adjbicrimlevel_full: Series[str] = _kelley_year(
        "ajps_first_year_adjbicrimlevel_full", "AJPS.", nullable=True
    )
    flags: Series[str] = pa.Field(
        alias="flags", nullable=True, description="Notes of the deriving collector."
    )


class RawKelleyFigure63(RawModel):
    """``legislation/kelley_data_figure6_3.csv``: the data behind Scorecard Diplomacy Figure 6.3."""

    year: Series[str] = raw_year_field(
        "Year", "Year.", first=FIGURE_6_3_FIRST_YEAR, last=KELLEY_LAST_YEAR, unique=True
    )
    in_tip_report: Series[str] = pa.Field(
        alias="Included in the US TIP report", nullable=True, str_matches=r"^\d+$", description="Countries."
    )
    criminalized: Series[str] = pa.Field(
        alias="Criminalized human trafficking", str_matches=r"^\d+$", description="Countries criminalised."
    )


class RawLegislationEvidence(RawModel):
    """``legislation/legislation_post2014_evidence_2014_2021.csv``: later laws of 21 countries (US TIP report)."""

    country: Series[str] = pa.Field(alias="country", description="Country name as written by the collector.")
    iso3: Series[str] = pa.Field(alias="iso3", str_matches=ISO3_PATTERN, unique=True, description="ISO3.")
    law_as_named_in_source: Series[str] = pa.Field(alias="law_as_named_in_source", description="Law.")
    date_or_year_as_given: Series[str] = raw_period_field(
        "date_or_year_as_given", "Date as worded.", first=TIP_PROTOCOL_ADOPTED.year
    )
    year_as_given: Series[str] = raw_year_field(
        "year_as_given", "Year only.", first=TIP_PROTOCOL_ADOPTED.year, nullable=True
    )
    date_kind: Series[str] = pa.Field(alias="date_kind", description="enactment, commencement, ...")
    us_tip_assessment_in_source: Series[str] = pa.Field(
        alias="us_tip_assessment_in_source", description="What the US report says the law covers."
    )
    source_document: Series[str] = pa.Field(alias="source_document", description="Document quoted.")
    source_url: Series[str] = pa.Field(alias="source_url", str_matches=r"^https?://", description="Address.")
    quote: Series[str] = pa.Field(alias="quote", description="Main quote.")
    kelley_year_full_criminalization: Series[str] = _kelley_year(
        "kelley_year_full_criminalization", "Copied from the derived file.", nullable=True
    )
    kelley_crimlevel_at_last_observed: Series[str] = pa.Field(
        alias="kelley_crimlevel_at_last_observed", nullable=True, str_matches=_LEVEL, description="Copied."
    )
    note: Series[str] = pa.Field(alias="note", nullable=True, description="Further quotes and conflicts.")


# -- processed models ---------------------------------------------------------------------------


def _tokens_known(values: pd.Series, known: tuple[str, ...]) -> pd.Series:
    return values.map(lambda v: pd.isna(v) or all(t in known for t in str(v).split(FLAG_SEPARATOR)))


class Legislation(ProcessedModel):
    """Year of full criminalisation per country (Kelley coding), and later laws from other evidence."""

    iso3: Series[str] = field("ISO 3166-1 alpha-3 code; present in `countries`.", str_matches=ISO3_PATTERN)
    yardstick: Series[str] = field(
        "Which standard the row applies: `kelley_full_criminalisation` (Kelley's coding: all forms of "
        "trafficking, adults and children, significant penalties; one row for each of Kelley's 180 "
        "countries) or `us_tip_report_law` (a law that the US TIP report or the national law text dates; "
        "a separate source, 21 countries).",
        isin=list(YARDSTICKS),
    )
    country: Series[str] = field(
        "Country name as written in the source (Kelley's short names, e.g. 'UArabEmir')."
    )
    year: Series["Int64"] = field(
        "Calendar year of the law (see `year_basis`). Kelley rows: the calendar year of enactment of full "
        "criminalisation (Kelley's `crim` event year, not the TIP-timing-adjusted year); missing when the "
        "country was not fully criminalised at its last observation or has no Kelley data (never a guess).",
        unit="year",
        nullable=True,
        ge=KELLEY_FIRST_YEAR,
        le=LATEST_SOURCE_DATE.year,
    )
    month: Series["Int64"] = field(
        "Month of the law, where the source gives one (Kelley: `month` on the row of `year`).",
        unit="month",
        nullable=True,
        ge=1,
        le=12,
    )
    year_basis: Series[str] = field(
        "How `year` was found: `crim_event` (Kelley `crim` == 1), `first_crimlevel_2` (no `crim` event: "
        "first year with `crimlevel` == 2; Angola), `enactment`, `assent` (entry into force given too; assent "
        "used) or `entry_into_force` (no enactment date given). Missing when `year` is missing.",
        nullable=True,
        isin=list(YEAR_BASES),
    )
    date_as_given: Series[str] = field(
        "Date or period of the law in the source's words (evidence rows only).", nullable=True
    )
    date_kind: Series[str] = field(
        "What that date is, as the source row says (enactment, commencement, revision of penal code...; "
        "evidence rows only).",
        nullable=True,
    )
    level_at_last_observation: Series["Int64"] = field(
        "Kelley `crimlevel` in the last year with a value: 0 none, 1 partial, 2 full (Kelley rows only).",
        unit="level 0-2",
        nullable=True,
        isin=list(KELLEY_LEVELS),
    )
    first_year_observed: Series["Int64"] = field(
        "First year with a Kelley `crimlevel` value (the 1967 value of Bosnia and Herzegovina, an artefact, "
        "is not counted). The 1967-1990s zeros are a mechanical back-fill.",
        unit="year",
        nullable=True,
        ge=KELLEY_FIRST_YEAR,
        le=KELLEY_LAST_YEAR,
    )
    last_year_observed: Series["Int64"] = field(
        "Last year with a Kelley `crimlevel` value (2011 for countries not updated; 2012-2014 for the 55 updated).",
        unit="year",
        nullable=True,
        ge=KELLEY_FIRST_YEAR,
        le=KELLEY_LAST_YEAR,
    )
    law_as_named: Series[str] = field("The law as the source names it (evidence rows only).", nullable=True)
    assessment_in_source: Series[str] = field(
        "What the US TIP report says the law covers, as quoted (evidence rows only).", nullable=True
    )
    flags: Series[str] = field(
        "Semicolon-separated flags. Kelley: "
        + ", ".join(KELLEY_FLAGS)
        + ". Evidence: "
        + ", ".join(EVIDENCE_FLAGS)
        + ".",
        nullable=True,
    )
    quote: Series[str] = field("Main quote of the source (evidence rows only).", nullable=True)
    note: Series[str] = field(
        "Further quotes, second sources and conflicts, as given (evidence rows).", nullable=True
    )
    source_id: Series[str] = field(
        "Source of the row; key into `sources` (`kelley_panel` or `legislation_evidence_2014_2021`).",
        isin=["kelley_panel", "legislation_evidence_2014_2021"],
    )
    source_url: Series[str] = field("Address of the page the row quotes (evidence rows).", nullable=True)

    class Config:
        title = "Year of anti-trafficking legislation per country (Kelley coding, plus later laws)"
        description = (
            "One row per country and yardstick. Rows with yardstick `kelley_full_criminalisation` are derived by "
            "tipstats from Judith Kelley's criminalisation panel (Scorecard Diplomacy, 2017; Kelley & Simmons, "
            "2015): the calendar year (and month where known) in which the country fully criminalised "
            "trafficking in persons, its level at the last observation, and its first and last observed years; "
            "ISO3 codes come from the derived per-country Kelley file, matched on the Correlates of War code, "
            "and that file's year is reproduced for all 180 countries. Rows with yardstick `us_tip_report_law` "
            "are the later laws (2013-2021) of 21 countries that the 2014-2021 evidence file dates from US TIP "
            "reports and national law texts; they are a different source and a different yardstick, kept "
            "apart from the Kelley rows. Evidence-row year rule: the enactment year (assent, passage, "
            "signature into law or penal-code revision); where a row gives only the entry into force, that "
            "year, flagged `year_is_entry_into_force`."
        )
        metadata = {
            "key": ["iso3", "yardstick"],
            "as_of": "2014 (Kelley); 2023 (evidence)",
            "caveats": [
                "Kelley's yardstick (all forms, adults and children, significant penalties) is stricter than "
                "UNODC's ('in line with the Protocol') and the US TIP report's; the three disagree in level. "
                "Kelley's 130 fully criminalised countries in 2014 are not comparable with UNODC's 169 of 181 in 2020.",
                "The Kelley data end in 2014 and cover 180 countries; 10 of them have no data at all "
                "(flag no_kelley_data) and many countries (e.g. Serbia, Montenegro, South Sudan, Andorra) are absent.",
                "Only 55 countries were updated for 2012-2014. Four countries not fully criminalised in 2011 "
                "(Central African Republic, DR Congo, Seychelles, St Kitts and Nevis) have no later update "
                "(flag not_updated_after_2011): their status after 2011 is unknown.",
                "`year` is the calendar year of enactment. Kelley's TIP-timing adjustment (a law of June or later "
                "counts from the next year) is not applied, and it is applied inconsistently in Kelley's own "
                "`adjcrimlevel` (Romania, Georgia not shifted; Ireland and Mali drop from 1 to 0 in the event year).",
                "Bosnia and Herzegovina has an isolated crimlevel 2 in 1967 followed by missing values to 1991, a "
                "pre-independence artefact: it is ignored, and the 2003 crim event is used.",
                "Angola has a crimlevel 2 in 2014 but no crim == 1 event: its year is the first year with "
                "crimlevel 2 (year_basis first_crimlevel_2), and its month is the month on that row.",
                "A country not fully criminalised at its last observation has no year: this is right-censoring, "
                "not the absence of a law (see the evidence rows for 21 of these 50 countries).",
                "Evidence rows use the US TIP report's yardstick; enactment and entry into force can differ "
                "(South Africa: assented 2013, in force 2015; the year is 2013). Brazil, Gabon, Zimbabwe and Benin "
                "have laws the US report calls partial or not in line; Guinea and Botswana allow fines instead "
                "of prison. The 21 countries are a convenience sample: absence means 'not searched'.",
                "Liberia (September 2021) and Comoros (February 2021) legislated after A/76/120's reference date "
                "(August 2020). Republic of the Congo's law is dated only by a report period (year missing).",
            ],
        }

    @pa.dataframe_check(error="source_id matches the yardstick")
    def source_matches_yardstick(cls, df) -> Series[bool]:
        expected = df["yardstick"].map(
            {
                "kelley_full_criminalisation": "kelley_panel",
                "us_tip_report_law": "legislation_evidence_2014_2021",
            }
        )
        return df["source_id"] == expected

    @pa.dataframe_check(error="Kelley year present exactly when the level at last observation is 2")
    def kelley_year_iff_full(cls, df) -> Series[bool]:
        kelley = df["yardstick"] == "kelley_full_criminalisation"
        full = df["level_at_last_observation"].eq(2).fillna(False)
        return ~kelley | (df["year"].notna() == full)

    @pa.dataframe_check(error="month and year_basis only with a year")
    def month_needs_year(cls, df) -> Series[bool]:
        return (df["month"].isna() | df["year"].notna()) & (df["year_basis"].notna() == df["year"].notna())

    @pa.dataframe_check(error="first_year_observed <= year <= last_year_observed")
    def years_in_order(cls, df) -> Series[bool]:
        first, last, year = df["first_year_observed"], df["last_year_observed"], df["year"]
        ok_span = first.isna() | last.isna() | (first <= last)
        ok_year = year.isna() | last.isna() | ((first <= year) & (year <= last))
        kelley = df["yardstick"] == "kelley_full_criminalisation"
        return (ok_span & (ok_year | ~kelley)).fillna(False)

    @pa.dataframe_check(error="flags are known tokens")
    def known_flags(cls, df) -> Series[bool]:
        return _tokens_known(df["flags"], KELLEY_FLAGS + EVIDENCE_FLAGS)


class LegislationPanel(ProcessedModel):
    """Kelley's criminalisation level per country and year, 1967-2014."""

    iso3: Series[str] = field("ISO 3166-1 alpha-3 code; present in `countries`.", str_matches=ISO3_PATTERN)
    country_name: Series[str] = country_name_field()
    unodc_region: Series[str] = unodc_region_field()
    unodc_subregion: Series[str] = unodc_subregion_field()
    year: Series[int] = field("Calendar year.", unit="year", ge=KELLEY_FIRST_YEAR, le=KELLEY_LAST_YEAR)
    level: Series["Int64"] = field(
        "Kelley `crimlevel`: 0 no criminalisation, 1 partial, 2 full (all forms, significant penalties); "
        "calendar-year coding, not TIP-timing-adjusted. Missing where the source has no value.",
        unit="level 0-2",
        nullable=True,
        isin=list(KELLEY_LEVELS),
    )
    value_status: Series[str] = field(
        "`observed` (the level is in the source), `carried_forward` (2012-2014, or the years after a "
        "country's last observation: a full criminalisation (level 2) carried forward by tipstats) or "
        "`missing` (the source row has no level, or its value is the ignored 1967 artefact of Bosnia and "
        "Herzegovina).",
        isin=list(VALUE_STATUSES),
    )
    note: Series[str] = field("Why a value was set aside (Bosnia and Herzegovina 1967).", nullable=True)
    source_id: Series[str] = field("Source of the row; key into `sources`.", isin=["kelley_panel"])

    class Config:
        title = "Criminalisation of trafficking in persons, country-year level 0/1/2 (Kelley coding)"
        description = (
            "Kelley's country-year coding of the criminalisation of trafficking in persons (0 none, 1 partial, "
            "2 full), 1967-2014, for 180 countries, with ISO3 codes. Every row of the source is kept. For the "
            "countries that were fully criminalised (level 2) at their last observation before 2014, tipstats "
            "carries level 2 forward to 2014 (value_status `carried_forward`), as Kelley's own Figure 6.3 counts "
            "do; lower levels are never carried forward."
        )
        metadata = {
            "key": ["iso3", "year"],
            "as_of": "2014",
            "caveats": [
                "The 1967-1990s zeros are a mechanical back-fill: most laws date from 2000 or later, and a 0 "
                "before the 1990s says nothing about the law of the time.",
                "Only 55 countries were updated for 2012-2014. Full criminalisation is carried forward from 2011 "
                "(status carried_forward); the four countries not fully criminalised in 2011 and not updated "
                "(Central African Republic, DR Congo, Seychelles, St Kitts and Nevis) have no rows after 2011.",
                "Bosnia and Herzegovina has crimlevel 2 in 1967, then missing values to 1991 and 0 from 1992: a "
                "pre-independence artefact. tipstats sets the 1967 level to missing (status missing, with a note).",
                "Ten countries (Cape Verde, Dominica, Grenada, Marshall Islands, Micronesia, Samoa, Sao Tome and "
                "Principe, Solomon Islands, Somalia, Vanuatu) have rows but no values (status missing).",
                "Levels are calendar-year codings; Kelley's TIP-timing-adjusted `adjcrimlevel` is not included.",
            ],
        }

    @pa.dataframe_check(error="level missing exactly when value_status is missing")
    def level_matches_status(cls, df) -> Series[bool]:
        return df["level"].isna() == (df["value_status"] == "missing")

    @pa.dataframe_check(error="only level 2 is carried forward")
    def carried_forward_is_full(cls, df) -> Series[bool]:
        return (df["value_status"] != "carried_forward") | df["level"].eq(2).fillna(False)


class LegislationCounts(ProcessedModel):
    """UNODC's published counts of countries with anti-trafficking legislation, each with its source."""

    count_id: Series[str] = field(
        "Identifier: the `figure_id` of the GLOTIP text-figures file, or `a76120_para6`.",
        unique=True,
        str_matches=r"^[a-z0-9_]+$",
    )
    edition: Series[str] = field("GLOTIP edition the figure comes from (e.g. 'GLOTIP 2018').", nullable=True)
    date_or_period: Series[str] = field("Date or period of the count, as the source gives it.")
    reference_year: Series["Int64"] = field(
        "Year of `date_or_period`.", unit="year", nullable=True, ge=2000, le=LATEST_SOURCE_DATE.year
    )
    reference_date: Series[pa.DateTime] = field(
        "First day of the month of the count, only where the source gives a month ('as of August 2018').",
        nullable=True,
    )
    date_precision: Series[str] = field(
        "Precision of `date_or_period`: `month` or `year`.", nullable=True, isin=list(PRECISIONS)
    )
    countries_with_legislation: Series["Int64"] = field(
        "Number of countries with legislation, as stated.", unit="countries", nullable=True, ge=0
    )
    countries_assessed: Series["Int64"] = field(
        "Number of countries assessed, where the source states it.", unit="countries", nullable=True, ge=0
    )
    share_percent: Series[float] = field(
        "Share of countries with legislation, as stated.", unit="percent", nullable=True, ge=0, le=100
    )
    qualifier: Series[str] = field(
        "Word bounding the number ('over'); missing = stated exactly.",
        nullable=True,
        isin=list(COUNT_QUALIFIERS),
    )
    unit_as_given: Series[str] = field(
        "Unit as the source file gives it (e.g. 'countries and territories').", nullable=True
    )
    definition: Series[str] = field(
        "The yardstick: the words of the quote that say what counts as legislation (verbatim excerpt)."
    )
    quote: Series[str] = field("The source's sentence, as quoted (white space normalised for the report).")
    source_id: Series[str] = field(
        "Source of the row; key into `sources`.", isin=["glotip_text_figures", "a76120"]
    )
    source_url: Series[str] = field("Address of the page quoted, where there is one.", nullable=True)

    class Config:
        title = "Published UNODC counts of countries with anti-trafficking legislation"
        description = (
            "UNODC's published statements of how many countries (or what share of them) have legislation "
            "criminalising trafficking in persons: from the GLOTIP editions as quoted in the text-figures file "
            "(2012: 134 countries and territories; 2014: 90 per cent of countries reviewed; August 2018: 168 of "
            "181 assessed; 2020: over 90 per cent of UN Member States) and from paragraph 6 of A/76/120 "
            "(169 of 181 by August 2020), which tipstats parses from the report text."
        )
        metadata = {
            "key": ["count_id"],
            "as_of": "2021-06",
            "caveats": [
                "The yardsticks differ from one statement to the next (a specific offence in line with the "
                "Protocol; legislation criminalising trafficking; a specific offence); see `definition`.",
                "The bases differ too: countries and territories (2012), countries reviewed (2014), 181 countries "
                "assessed (2018, 2020), all UN Member States (2020 share).",
                "The GLOTIP rows are secondary quotations (news and library pages) of the reports; the 169 of 181 "
                "figure is from A/76/120 only: no machine-readable UNODC source for it was found.",
                "The GLOTIP 2018 breakdown of the other countries (status unknown to UNODC for 12 of 193, partial "
                "legislation in 9, no offence in 4; figure_ids g18_legis_unknown, g18_legis_partial, "
                "g18_legis_none) and the 2016-2018 changes (g18_legis_change_2016_2018) are not counts of "
                "countries with legislation and are left in the source file.",
                "Kelley's counts of fully criminalised countries are in `legislation_panel`, not here.",
            ],
        }

    @pa.dataframe_check(error="countries_with_legislation <= countries_assessed")
    def not_more_than_assessed(cls, df) -> Series[bool]:
        with_, assessed = df["countries_with_legislation"], df["countries_assessed"]
        return (with_.isna() | assessed.isna() | (with_ <= assessed)).fillna(False)

    @pa.dataframe_check(error="a count or a share is given")
    def has_a_number(cls, df) -> Series[bool]:
        return df["countries_with_legislation"].notna() | df["share_percent"].notna()

    @pa.dataframe_check(error="reference_date only with month precision, in its year")
    def date_matches_precision(cls, df) -> Series[bool]:
        has_date = df["reference_date"].notna()
        month = df["date_precision"] == "month"
        same_year = df["reference_date"].dt.year.astype("Int64").eq(df["reference_year"]).fillna(False)
        return (has_date == month) & (~has_date | same_year)
