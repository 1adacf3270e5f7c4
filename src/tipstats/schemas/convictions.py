"""Persons prosecuted and convicted: the country-year table derived from GLOTIP, and the US TIP report's
global law-enforcement figures (context only).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from tipstats.facts import SUPPRESSED_FLAG, TIP_PROTOCOL_ADOPTED
from tipstats.schemas.base import (
    ISO3_PATTERN,
    ProcessedModel,
    RawModel,
    country_name_field,
    field,
    raw_year_field,
    unodc_region_field,
    unodc_subregion_field,
)
from tipstats.schemas.glotip import RELEASE_DESCRIPTION

# -- raw models ---------------------------------------------------------------------------------

_COUNT = r"^\d+$"


class RawUsTipLawEnforcement(RawModel):
    """``glotip/us_tip_report_global_law_enforcement_2003_2015.csv`` (US State Department; context only)."""

    year: Series[str] = raw_year_field("Year", "Year.", first=TIP_PROTOCOL_ADOPTED.year, unique=True)
    prosecutions: Series[str] = pa.Field(alias="Prosecutions", nullable=True, str_matches=_COUNT)
    prosecutions_labor: Series[str] = pa.Field(
        alias="Prosecutions (Labor)", nullable=True, str_matches=_COUNT
    )
    convictions: Series[str] = pa.Field(alias="Convictions", nullable=True, str_matches=_COUNT)
    convictions_labor: Series[str] = pa.Field(alias="Convictions (Labor)", nullable=True, str_matches=_COUNT)
    victims: Series[str] = pa.Field(alias="Victims identified", nullable=True, str_matches=_COUNT)
    victims_labor: Series[str] = pa.Field(alias="Victims (Labor)", nullable=True, str_matches=_COUNT)
    legislation: Series[str] = pa.Field(alias="New or amended legislation", nullable=True, str_matches=_COUNT)


class RawUsTipLawEnforcementQuoted(RawUsTipLawEnforcement):
    """``glotip/us_tip_report_global_law_enforcement_2022_2023.csv``: the same, 2022-2023, quoted."""

    source_url: Series[str] = pa.Field(str_matches=r"^https?://", description="Page quoted.")
    quote: Series[str] = pa.Field(description="The quotation.")


# -- processed model ----------------------------------------------------------------------------


class Convictions(ProcessedModel):
    """Persons prosecuted and convicted per country and year (dataUNODC 2025-04-14), with population."""

    iso3: Series[str] = field("ISO 3166-1 alpha-3 code; present in `countries`.", str_matches=ISO3_PATTERN)
    country_name: Series[str] = country_name_field()
    unodc_region: Series[str] = unodc_region_field()
    unodc_subregion: Series[str] = unodc_subregion_field()
    year: Series[int] = field("Data year.", unit="year", ge=2003, le=2022)
    persons_prosecuted: Series["Int64"] = field(
        "Persons prosecuted for trafficking in persons (all forms, sexes, ages); missing if not reported "
        "or suppressed.",
        unit="persons",
        nullable=True,
        gt=0,
    )
    prosecuted_flag: Series[str] = field(
        "'suppressed_lt5' where the source writes '<5' for persons prosecuted; else missing.",
        nullable=True,
        isin=[SUPPRESSED_FLAG],
    )
    persons_convicted: Series["Int64"] = field(
        "Persons convicted of trafficking in persons (all forms, sexes, ages); missing if not reported or "
        "suppressed.",
        unit="persons",
        nullable=True,
        gt=0,
    )
    convicted_flag: Series[str] = field(
        "'suppressed_lt5' where the source writes '<5' for persons convicted (read: 1 to 4, or 0 to 4); "
        "else missing.",
        nullable=True,
        isin=[SUPPRESSED_FLAG],
    )
    population: Series["Int64"] = field(
        "Total population (World Bank) of the country-year; missing where the World Bank has none.",
        unit="persons",
        nullable=True,
        gt=0,
    )
    convicted_per_100k: Series[float] = field(
        "persons_convicted / population * 100,000; missing when either is missing (including '<5').",
        unit="persons convicted per 100,000 population",
        nullable=True,
        ge=0,
    )
    release: Series[str] = field(RELEASE_DESCRIPTION, isin=["2025-04-14"])
    source_id: Series[str] = field("Source of the counts; key into `sources`.", isin=["glotip_2025"])
    population_source_id: Series[str] = field(
        "Source of the population; key into `sources` (missing with the population).",
        nullable=True,
        isin=["wb_population"],
    )

    class Config:
        title = (
            "Persons prosecuted and convicted for trafficking, per country and year, with rates per 100,000"
        )
        description = (
            "One row per country and year that has a 'Persons prosecuted' or 'Persons convicted' total "
            "(Dimension, Category, Sex and Age all 'Total') in the dataUNODC 2025-04-14 release, with the "
            "World Bank population and the number convicted per 100,000 population."
        )
        metadata = {
            "key": ["iso3", "year"],
            "as_of": "2025-04-14",
            "caveats": [
                "A missing count with flag 'suppressed_lt5' is a small count ('<5' in the source): treat it as "
                "the interval 0-4, not as missing at random and never as 0 or 5. A missing count without "
                "flag was not reported.",
                "Rates use World Bank population (wb_population); UNODC computes its published rates with UN "
                "population (World Population Prospects), so rates differ slightly from published ones. "
                "Countries without a World Bank series have no population and no rate (in this build: the "
                "Cook Islands and the Holy See).",
                "Coverage per year is very uneven. Persons convicted totals: 22 countries in 2003 (12 of them "
                "with a number, the others '<5'), 67 in 2007 (36), 105 in 2018 (67), 85 in 2022 (51). Persons "
                "prosecuted: 14 in 2003 (8), 99 in 2018 (79), 85 in 2022 (65). Any trend needs a fixed panel.",
                "Convictions in a year need not follow prosecutions of the same year (cases take years), and "
                "national definitions of 'prosecuted' differ; a country may report more convictions than "
                "prosecutions.",
            ],
        }

    @pa.dataframe_check(error="a flag goes with a missing count")
    def flags_with_missing(cls, df) -> Series[bool]:
        ok = df["prosecuted_flag"].isna() | df["persons_prosecuted"].isna()
        return ok & (df["convicted_flag"].isna() | df["persons_convicted"].isna())

    @pa.dataframe_check(error="population_source_id is set with population, and only then")
    def population_source(cls, df) -> Series[bool]:
        return df["population"].isna() == df["population_source_id"].isna()

    @pa.dataframe_check(error="the row has neither a prosecuted nor a convicted entry")
    def has_an_entry(cls, df) -> Series[bool]:
        cells = [
            df["persons_prosecuted"],
            df["prosecuted_flag"],
            df["persons_convicted"],
            df["convicted_flag"],
        ]
        return pd.concat([c.notna() for c in cells], axis=1).any(axis=1)
