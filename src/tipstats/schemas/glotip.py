"""GLOTIP: the dataUNODC country dataset (two releases) as a tidy table, and the rows set aside.

Raw model ``RawGlotip`` checks what the builder relies on (fixed vocabularies, the count syntax).
Processed models: ``Glotip`` (tidy long form, both releases) and ``GlotipQuarantine`` (every dropped
row with its reason).
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from tipstats.facts import SUPPRESSED_FLAG
from tipstats.schemas.base import (
    ISO3_PATTERN,
    ProcessedModel,
    RawModel,
    field,
)

# -- vocabularies (one place) -------------------------------------------------------------------

RELEASES = {"2025-04-14": "glotip_2025", "2023-05-30": "glotip_2023"}
INDICATORS = [
    "Detected trafficking victims",
    "Persons convicted",
    "Persons prosecuted",
    "Persons brought into formal contact",
    "Offences of trafficking in persons",
]
DIMENSIONS = ["Total", "by form of exploitation", "by citizenship", "by country of repatriation"]
SEXES = ["Total", "Female", "Male", "Other", "Unknown"]
AGES = ["Total", "0 to 17 years", "18 years or over", "Unknown"]
# A count as dataUNODC writes it: "<5" (suppressed), plain digits, or digits with thousands separators.
COUNT_TEXT_PATTERN = r"^(<5|[0-9]+|[0-9]{1,3}(,[0-9]{3})+)$"

QUARANTINE_REASONS = [
    "questionnaire_code",
    "no_iso3_code",
    "not_a_country",
    "sex_total_repeats_age_groups",
    "exact_duplicate",
]

# -- raw models ---------------------------------------------------------------------------------


class RawGlotip(RawModel):
    """``glotip/data_glotip_<release>.csv``: the dataUNODC workbook, sheet 1, every cell as text."""

    iso3_code: Series[str] = pa.Field(
        alias="Iso3_code", nullable=True, description="ISO3 code (missing for Sark; not always ISO in 2023)."
    )
    country: Series[str] = pa.Field(alias="Country", nullable=True, description="Country name in the source.")
    region: Series[str] = pa.Field(alias="Region", nullable=True, description="UNODC region.")
    subregion: Series[str] = pa.Field(alias="Subregion", nullable=True, description="UNODC subregion.")
    indicator: Series[str] = pa.Field(alias="Indicator", isin=INDICATORS, description="What is counted.")
    dimension: Series[str] = pa.Field(alias="Dimension", isin=DIMENSIONS, description="Breakdown.")
    category: Series[str] = pa.Field(
        alias="Category", nullable=True, description="Category of the breakdown."
    )
    sex: Series[str] = pa.Field(alias="Sex", isin=SEXES, description="Sex.")
    age: Series[str] = pa.Field(alias="Age", isin=AGES, description="Age group.")
    year: Series[str] = pa.Field(alias="Year", str_matches=r"^20[0-4]\d$", description="Data year.")
    unit: Series[str] = pa.Field(alias="Unit of measurement", isin=["Counts"], description="Always counts.")
    txt_value: Series[str] = pa.Field(
        alias="txtVALUE",
        str_matches=COUNT_TEXT_PATTERN,
        description="The count as text: '<5' (suppressed), digits, or digits with thousands separators.",
    )
    source: Series[str] = pa.Field(alias="Source", isin=["GLOTIP"], description="Always GLOTIP.")


# GLOTIP figures refer to years from the Protocol's adoption on (the earliest period quoted is 2003-2006).

# -- processed models ---------------------------------------------------------------------------

RELEASE_DESCRIPTION = "dataUNODC release date (workbook stamp): '2025-04-14' or '2023-05-30'."
_SOURCE_ROW = "Row of the raw CSV (header = row 1), for tracing a value back to the source file."


class Glotip(ProcessedModel):
    """The dataUNODC trafficking-in-persons country dataset in tidy long form, both releases."""

    release: Series[str] = field(RELEASE_DESCRIPTION, isin=list(RELEASES))
    iso3: Series[str] = field("ISO 3166-1 alpha-3 code; present in `countries`.", str_matches=ISO3_PATTERN)
    country: Series[str] = field("Country name as written in the source.")
    indicator: Series[str] = field("What is counted (dataUNODC `Indicator`).", isin=INDICATORS)
    dimension: Series[str] = field("Breakdown (dataUNODC `Dimension`).", isin=DIMENSIONS)
    category: Series[str] = field(
        "Category within the breakdown, as written in the source (form of exploitation, citizenship, "
        "country of repatriation, or 'Total'); missing where the source leaves it empty.",
        nullable=True,
    )
    sex: Series[str] = field("Sex (dataUNODC `Sex`).", isin=SEXES)
    age: Series[str] = field("Age group (dataUNODC `Age`).", isin=AGES)
    year: Series[int] = field("Data year.", unit="year", ge=2003, le=2022)
    value: Series["Int64"] = field(
        "The count; missing where the source suppresses it (see `value_flag`). Never 0 or 5 for '<5'.",
        unit="persons (offences for 'Offences of trafficking in persons')",
        nullable=True,
        ge=0,
    )
    value_flag: Series[str] = field(
        "'suppressed_lt5' where the source writes '<5': a count from 0 to 4 (the source never writes 0, so "
        "it may be 1 to 4); else missing.",
        nullable=True,
        isin=[SUPPRESSED_FLAG],
    )
    duplicate_seq: Series[int] = field(
        "1 for a key that occurs once. For 'Other forms of exploitation', whose unlabelled sub-forms share "
        "one key, the position (1, 2, ...) of the row among its key's rows in source order.",
        ge=1,
    )
    source_row: Series[int] = field(_SOURCE_ROW, ge=2)
    source_id: Series[str] = field("Source of the row; key into `sources`.", isin=list(RELEASES.values()))

    class Config:
        title = "dataUNODC trafficking in persons country data, tidy (releases 2025-04-14 and 2023-05-30)"
        description = (
            "Every country row of the dataUNODC 'Trafficking in persons' workbook, in both releases, one row "
            "per count: detected victims, persons brought into formal contact, prosecuted and convicted, and "
            "offences, by form of exploitation, citizenship or country of repatriation, sex and age. Counts "
            "written '<5' are missing with value_flag 'suppressed_lt5'; thousands separators are removed. "
            "Rows that are not country counts (corrupted questionnaire codes, codes that are not countries, "
            "sex totals that repeat age-group rows, exact copies) are in `glotip_quarantine`, with reasons."
        )
        metadata = {
            "key": [
                "release",
                "iso3",
                "indicator",
                "dimension",
                "category",
                "sex",
                "age",
                "year",
                "duplicate_seq",
            ],
            "as_of": "2025-04-14",
            "caveats": [
                "Detected victims reflect detection capacity, not the prevalence of the crime (UNODC metadata).",
                "Country rows only: no regional or global aggregates. Global shares published in GLOTIP are "
                "UNODC computations over country subsets and are not reproduced exactly by summing this file.",
                "'<5' is a suppressed small count: treat it as the interval 0-4, never as 0 or 5. No count in "
                "either release is written as 0, so a suppressed cell may in practice mean 1-4, and a missing "
                "row may mean zero or not reported: the file does not say which.",
                "'Other forms of exploitation' has several rows per key (unlabelled sub-forms such as begging, "
                "forced criminal activity, forced marriage, organ removal, mixed forms). All are kept, numbered "
                "by duplicate_seq in source order; the other-forms count of a key is the sum of its rows. Rows "
                "with equal values under one key are kept too: they are distinct sub-forms, not copies.",
                "Sex sub-rows under Dimension 'Total' with Age 'Total' that occur twice per key (e.g. Bulgaria "
                "2017 Female: 407 and 36) are not sex totals: each pair equals that sex's '0 to 17 years' and "
                "'18 years or over' rows, which are kept. The pairs are in `glotip_quarantine` "
                "(sex_total_repeats_age_groups), so the sex total of those keys is missing, not invented.",
                "Exact duplicate rows: 336 in the 2025-04-14 release (255 in 2023-05-30). 272 (241) are "
                "'Other forms of exploitation' sub-form rows that happen to have equal values: kept. 64 (14) "
                "are sex-total pairs with equal values: quarantined with their pair. No other row is an exact "
                "copy; the rule for one (keep the first, quarantine the others as exact_duplicate) is in place.",
                "The Total/Total/Total/Total row of each country, indicator and year is unique.",
                "The two releases revise each other (values, coverage): compare them by key, and prefer one "
                "release consistently. tipstats' derived datasets use the 2025-04-14 release.",
                "Category labels are kept as written, including the source's encoding damage "
                "('Ciudadanos de su pa\ufffds').",
            ],
        }

    @pa.dataframe_check(error="duplicate (release, source_row)")
    def unique_source_row(cls, df) -> Series[bool]:
        return ~df.duplicated(["release", "source_row"], keep=False)

    @pa.dataframe_check(
        error="value and value_flag disagree (a flag goes with a missing value, and only then)"
    )
    def flag_iff_missing(cls, df) -> Series[bool]:
        return df["value"].isna() == df["value_flag"].notna()

    @pa.dataframe_check(error="source_id does not match release")
    def source_matches_release(cls, df) -> Series[bool]:
        return df["release"].map(RELEASES) == df["source_id"]


class GlotipQuarantine(ProcessedModel):
    """Every raw GLOTIP row left out of ``glotip``, as given, with the reason."""

    release: Series[str] = field(RELEASE_DESCRIPTION, isin=list(RELEASES))
    source_row: Series[int] = field(_SOURCE_ROW, ge=2)
    iso3_code: Series[str] = field("`Iso3_code` as given.", nullable=True)
    country: Series[str] = field("`Country` as given.", nullable=True)
    region: Series[str] = field("`Region` as given.", nullable=True)
    subregion: Series[str] = field("`Subregion` as given.", nullable=True)
    indicator: Series[str] = field("`Indicator` as given.")
    dimension: Series[str] = field("`Dimension` as given.")
    category: Series[str] = field("`Category` as given.", nullable=True)
    sex: Series[str] = field("`Sex` as given.")
    age: Series[str] = field("`Age` as given.")
    year: Series[str] = field("`Year` as given.")
    unit_of_measurement: Series[str] = field("`Unit of measurement` as given.")
    txt_value: Series[str] = field("`txtVALUE` as given (text, unparsed).")
    source: Series[str] = field("`Source` as given.")
    reason: Series[str] = field(
        "Why the row is not in `glotip`: questionnaire_code (a questionnaire item code in Category or "
        "Value, e.g. 'Q6.1_10s_2019' / '61,102,019'), no_iso3_code and not_a_country (entries listed in "
        "the reviewed data/reference/glotip_non_country_codes.csv: Sark without code; 'Aruba/Curacao' and "
        "codes without country name in 2023), sex_total_repeats_age_groups (see `glotip` caveats), "
        "exact_duplicate (a copy of a kept row, see duplicate_of).",
        isin=QUARANTINE_REASONS,
    )
    detail: Series[str] = field("The evidence for the reason, in words.")
    duplicate_of: Series["Int64"] = field(
        "For exact_duplicate: the source_row of the copy kept in `glotip`.", nullable=True, ge=2
    )
    source_id: Series[str] = field("Source of the row; key into `sources`.", isin=list(RELEASES.values()))

    class Config:
        title = "dataUNODC rows left out of `glotip`, with reasons"
        description = (
            "Every row of either dataUNODC release that `glotip` does not carry, with all its original "
            "fields (txtVALUE as given) and the reason: corrupted questionnaire codes (Pakistan and Sierra "
            "Leone, persons convicted by citizenship 2019-2021; single rows for Andorra 2022 and El Salvador "
            "2021), rows without an ISO3 code (Sark), codes that are not countries (2023 release: "
            "'Aruba/Curacao' and seven codes with no country name), sex totals that repeat age-group rows, "
            "and exact copies."
        )
        metadata = {
            "key": ["release", "source_row"],
            "as_of": "2025-04-14",
            "caveats": [
                "The corruption is detected by rule (a questionnaire code 'Q<n>.<n>_<n>s_<year>' in Category, or "
                "a value whose digits are '61' + item number + a year), not by a list of rows.",
                "In the 2023-05-30 release, 956 rows carry the codes CAR, CAS, EEU, MCA, MCN, SAF and SAM with "
                "no country name, region or subregion (years 2017-2020). They are not ISO country codes "
                "(the Central African Republic is CAF) and the source does not say what they are; they are "
                "quarantined as not_a_country, not interpreted. The list of non-country entries is reviewed "
                "once, in data/reference/glotip_non_country_codes.csv; any other code missing from "
                "`countries` stops the build.",
            ],
        }

    @pa.dataframe_check(error="duplicate_of is set for exact_duplicate rows, and only for them")
    def duplicate_of_iff_exact(cls, df) -> Series[bool]:
        return (df["reason"] == "exact_duplicate") == df["duplicate_of"].notna()
