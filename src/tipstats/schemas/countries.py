"""Countries and the reviewed mapping of country-name spellings to ISO3 codes."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from tipstats.schemas.base import ISO3_PATTERN, ProcessedModel, RawModel, field

COUNTRY_SOURCES = ["glotip_2025", "glotip_2023", "untc_tip_2018", "unsd_m49", "wb_population"]
ENTITY_TYPES = ["state", "territory", "other", "regional_organisation", "aggregate"]
NAMES_SOURCE_ID = "tipstats_country_names"


def _code(alias: str, digits: str, description: str, **kwargs):
    return pa.Field(alias=alias, str_matches=rf"^\d{{{digits}}}$", description=description, **kwargs)


class RawM49(RawModel):
    """``countries/unsd_m49_overview.csv``: the UNSD M49 overview table, one row per country or area."""

    global_code: Series[str] = _code("Global Code", "3", "M49 code of the world (001).")
    global_name: Series[str] = pa.Field(alias="Global Name", description="World.")
    region_code: Series[str] = _code("Region Code", "3", "M49 code of the region.", nullable=True)
    region_name: Series[str] = pa.Field(alias="Region Name", nullable=True, description="UN region.")
    subregion_code: Series[str] = _code("Sub-region Code", "3", "M49 code of the sub-region.", nullable=True)
    subregion_name: Series[str] = pa.Field(
        alias="Sub-region Name", nullable=True, description="UN sub-region."
    )
    intermediate_code: Series[str] = _code(
        "Intermediate Region Code", "3", "M49 code of the intermediate region.", nullable=True
    )
    intermediate_name: Series[str] = pa.Field(
        alias="Intermediate Region Name", nullable=True, description="UN intermediate region."
    )
    country: Series[str] = pa.Field(alias="Country or Area", unique=True, description="UN name of the area.")
    m49: Series[str] = _code("M49 Code", "3", "M49 code of the area, zero-padded.", unique=True)
    iso2: Series[str] = pa.Field(
        alias="ISO-alpha2 Code", nullable=True, str_matches=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2."
    )
    iso3: Series[str] = pa.Field(
        alias="ISO-alpha3 Code",
        nullable=True,
        unique=True,
        str_matches=ISO3_PATTERN,
        description="ISO alpha-3.",
    )
    ldc: Series[str] = pa.Field(alias="Least Developed Countries (LDC)", nullable=True, isin=["x"])
    lldc: Series[str] = pa.Field(alias="Land Locked Developing Countries (LLDC)", nullable=True, isin=["x"])
    sids: Series[str] = pa.Field(alias="Small Island Developing States (SIDS)", nullable=True, isin=["x"])

    # a name is given exactly when its code is (the table's hierarchy)
    @pa.dataframe_check(
        error="Region Name, Sub-region Name and Intermediate Region Name given with their codes"
    )
    def names_with_codes(cls, df) -> Series[bool]:
        pairs = [
            ("Region Code", "Region Name"),
            ("Sub-region Code", "Sub-region Name"),
            ("Intermediate Region Code", "Intermediate Region Name"),
        ]
        ok = df["Global Code"].notna()
        for code, name in pairs:
            ok &= df[code].isna() == df[name].isna()
        return ok


class Countries(ProcessedModel):
    """One row per country or area code that any tipstats dataset uses."""

    iso3: Series[str] = field(
        "ISO 3166-1 alpha-3 code; for two World Bank economies the World Bank's own code (XKX Kosovo, "
        "CHI Channel Islands), which is not an ISO code.",
        str_matches=ISO3_PATTERN,
        unique=True,
    )
    name: Series[str] = field(
        "Short name in the UN style: dataUNODC's `Country` (2025 release, else 2023), else the UNTC "
        "participant name, else the UNSD M49 name, else the World Bank name (see `source_id`)."
    )
    m49: Series["Int64"] = field(
        "UN M49 numeric code (UNSD M49 overview table, by ISO alpha-3); missing for the codes M49 does not "
        "list (see the caveats). Kelley's `uncountrycode` is a different code list and is not used.",
        nullable=True,
        ge=1,
        le=999,
    )
    un_region: Series[str] = field(
        "UN geoscheme region (UNSD M49 `Region Name`); missing where M49 lists no code or no region.",
        nullable=True,
    )
    un_subregion: Series[str] = field(
        "UN geoscheme sub-region (UNSD M49 `Sub-region Name`); missing where M49 lists no code or none.",
        nullable=True,
    )
    un_intermediate_region: Series[str] = field(
        "UN geoscheme intermediate region (UNSD M49 `Intermediate Region Name`), where M49 has one (e.g. "
        "the regions of Sub-Saharan Africa and of Latin America and the Caribbean); else missing.",
        nullable=True,
    )
    unodc_region: Series[str] = field(
        "UNODC region (dataUNODC `Region`; 2025 release, else 2023). Missing where dataUNODC has no rows "
        "for the code.",
        nullable=True,
    )
    unodc_subregion: Series[str] = field(
        "UNODC subregion (dataUNODC `Subregion`; 2025 release, else 2023). Missing where dataUNODC has no "
        "rows for the code.",
        nullable=True,
    )
    source_id: Series[str] = field(
        "Source of `name` and the regions; key into `sources`.", isin=COUNTRY_SOURCES
    )

    class Config:
        title = "Countries and areas (ISO3 and M49 codes, names, UNODC and UN regions)"
        description = (
            "Every country or area code used by a tipstats dataset: the codes of dataUNODC (both releases), "
            "every World Bank economy (the World Bank's regional, income and other aggregates are left out), "
            "every code of the Kelley legislation files and every State that takes part in the three UN "
            "treaties. Names and UNODC regions come from dataUNODC where it has the code."
        )
        metadata = {
            "key": ["iso3"],
            "as_of": "2025-04-14",
            "caveats": [
                "`m49` and the UN regions come from the UNSD M49 table (early 2023), joined by ISO alpha-3. "
                "Missing for CHI (Channel Islands) and XKX (Kosovo), which M49 does not list; Kelley's "
                "`uncountrycode` is not M49 and is not used.",
                "UNODC regions and the UN geoscheme are different groupings (UNODC's Americas split into "
                "North America and Latin America and the Caribbean, for example); both are given, named apart.",
                "Countries and areas, not only States: territories listed by the World Bank or dataUNODC "
                "(e.g. Aruba, Bermuda, Hong Kong SAR) have rows, so that the population data join; "
                "`country_names.entity_type` tells States from territories.",
                "XKX (Kosovo) and CHI (Channel Islands) are World Bank codes, not ISO 3166-1 codes; they are "
                "kept because the World Bank population file uses them. Taiwan is in no source.",
                "Not countries, hence not here: the 48 World Bank aggregates (listed by code and World Bank "
                "name in data/reference/wb_aggregates.csv; population keeps exactly the other 217 codes), "
                "and the dataUNODC entries listed in data/reference/glotip_non_country_codes.csv: Sark "
                "(no code in either release), `Aruba/Curacao` (2023 release, one row) and seven codes of the "
                "2023 release with no country name or region (CAR, CAS, EEU, MCA, MCN, SAF, SAM; rows for "
                "2017-2020; not in the 2025 release).",
                "The two dataUNODC releases agree on every code's region and subregion; the only name change "
                "is Netherlands (2023) -> Netherlands (Kingdom of the) (2025). PRK (Democratic People's "
                "Republic of Korea) is only in the 2023 release.",
                "No UNODC region or subregion for the 21 codes dataUNODC has no rows for (their UN regions are "
                "given): ASM, BMU, CHI, CYM, ERI, FRO, GIB, GRL, GUM, IMN, MAF, MNP, NCL, PSE, SOM, STP, SXM, "
                "TCA, VGB, VIR, XKX. Eritrea, Sao Tome and Principe and the State of Palestine take their "
                "names from the UNTC table; the other territories and Somalia theirs from UNSD M49, Kosovo "
                "and the Channel Islands from the World Bank.",
            ],
        }


class CountryNames(ProcessedModel):
    """Every country-name spelling in the raw sources, mapped to an ISO3 code or marked as not a country."""

    name: Series[str] = field("A spelling exactly as it occurs in a raw source.", unique=True)
    iso3: Series[str] = field(
        "Code of the country or area the spelling means; missing for a name that is not a country "
        "(regional organisation, World Bank aggregate) or has no code in any source (Sark).",
        nullable=True,
        str_matches=ISO3_PATTERN,
    )
    entity_type: Series[str] = field(
        "state (a UN Member State or a State taking part in the UN treaties), territory (another area "
        "with data of its own), other (Kosovo), regional_organisation (the European Union) or aggregate "
        "(a World Bank group of economies).",
        isin=ENTITY_TYPES,
    )
    occurs_in: Series[str] = field(
        "Semicolon-separated source_ids of the raw sources in which the spelling occurs (computed from the "
        "raw files at build time).",
        str_matches=r"^[a-z0-9_]+(;[a-z0-9_]+)*$",
    )
    note: Series[str] = field(
        "How the code was established: by a source that gives this spelling beside its code, by the "
        "correspondence of old and new UN names in data/raw/treaty/README.md (section 1, Files), or by "
        "review (with the reason).",
    )
    source_id: Series[str] = field(
        "Source of the mapping: the reviewed file data/reference/country_names.csv.", isin=[NAMES_SOURCE_ID]
    )

    class Config:
        title = "Country-name spellings and their ISO3 codes (reviewed mapping)"
        description = (
            "Every spelling of a country name that occurs in a raw source of tipstats (UN treaty tables with "
            "the names of the time, the post-2017 treaty evidence, Kelley, the legislation evidence, World "
            "Bank, dataUNODC, and the Member States listed in paragraph 7 of A/76/120), with the ISO3 code it "
            "means, or marked as not a country. Use `tipstats.countries.name_to_iso3` to apply it."
        )
        metadata = {
            "key": ["name"],
            "as_of": "2026-11-29",
            "caveats": [
                "Spellings are matched exactly (case, accents and apostrophes count): `Côte d'Ivoire` (UNTC) "
                "and `Côte d’Ivoire` (dataUNODC) are two rows with the same code.",
                "The European Union is a participant in the three UN treaties and counts as a party, but it is "
                "a regional organisation: no iso3. The World Bank uses the same name for its aggregate EUU.",
                "UN names of the time are kept as spellings (Swaziland, Turkey, Czech Republic, The former "
                "Yugoslav Republic of Macedonia) and map to the current code.",
                "The dataUNODC `Category` column also holds country names (citizenship and country of "
                "repatriation of victims); they are not covered here.",
            ],
        }

    @pa.dataframe_check(
        error="iso3 is missing for entity_type aggregate or regional_organisation and present for a state"
    )
    def iso3_matches_entity_type(cls, df) -> Series[bool]:
        not_country = df["entity_type"].isin(["aggregate", "regional_organisation"])
        return ~(not_country & df["iso3"].notna()) & ~((df["entity_type"] == "state") & df["iso3"].isna())

    @pa.dataframe_check(error="every spelling of one iso3 has the same entity_type")
    def one_entity_type_per_code(cls, df) -> Series[bool]:
        kinds = df.groupby("iso3")["entity_type"].transform("nunique")
        return kinds.isna() | (kinds == 1)
