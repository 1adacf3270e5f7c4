"""Population: the World Bank file as received, and the country-year dataset derived from it."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

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

# The World Bank series run from 1960; the snapshot of 2026-03-06 ends in 2024
# (data/raw/population/README.md, section File).
FIRST_YEAR, LAST_YEAR = 1960, 2024


class RawPopulation(RawModel):
    """``population/wb_population_SP.POP.TOTL.csv``: World Bank SP.POP.TOTL in long form."""

    country_name: Series[str] = pa.Field(
        alias="Country Name", description="World Bank name of the economy or aggregate."
    )
    country_code: Series[str] = pa.Field(
        alias="Country Code",
        str_matches=r"^[A-Z0-9]{3}$",
        description="World Bank code (ISO3 for countries).",
    )
    year: Series[str] = raw_year_field("Year", "Calendar year.", first=FIRST_YEAR, last=LAST_YEAR)
    value: Series[str] = pa.Field(
        alias="Value", str_matches=r"^\d+(\.0+)?$", description="Total population, mid-year."
    )

    @pa.dataframe_check(error="duplicate (Country Code, Year)")
    def unique_code_year(cls, df) -> Series[bool]:
        return ~df.duplicated(["Country Code", "Year"], keep=False)


class Population(ProcessedModel):
    """Total population per country and year (World Bank aggregates removed)."""

    iso3: Series[str] = field("ISO 3166-1 alpha-3 code; present in `countries`.", str_matches=ISO3_PATTERN)
    country_name: Series[str] = country_name_field()
    unodc_region: Series[str] = unodc_region_field()
    unodc_subregion: Series[str] = unodc_subregion_field()
    year: Series[int] = field("Calendar year (mid-year estimate).", unit="year", ge=FIRST_YEAR, le=LAST_YEAR)
    population: Series[int] = field("Total population, mid-year estimate.", unit="persons", gt=0)
    source_id: Series[str] = field("Source of the row; key into `sources`.", isin=["wb_population"])

    class Config:
        title = "Population by country and year (World Bank SP.POP.TOTL)"
        description = (
            "Total mid-year population per country and year, 1960-2024, from the World Bank's World "
            "Development Indicators. Regional and income aggregates of the World Bank file are removed: "
            "only codes listed in `countries` are kept."
        )
        metadata = {
            "key": ["iso3", "year"],
            "as_of": "2024",
            "caveats": [
                "UNODC computes its published rates with UN population figures; tipstats uses the World Bank's, "
                "so rates per 100,000 differ slightly from published ones.",
                "World Bank figures are revised with every release; this is the 2026-03-06 snapshot.",
                "Taiwan is not in the World Bank file; Kosovo's World Bank code XKX is not an ISO code.",
            ],
        }
