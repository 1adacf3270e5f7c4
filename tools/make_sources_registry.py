"""Write data/reference/sources.csv: the hand-written registry plus each raw file's sha256 and size.

The descriptive fields are copied from the READMEs in ../shared/sources (origin, commit, licence).
Run once when a raw file is taken in; tests then check that the bytes still match.
Usage: python tools/make_sources_registry.py
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
OUT = REPO / "data" / "reference" / "sources.csv"
RECEIVED = "2026-11-29"  # the day tipstats copied the files from the shared source folder

UNTC = "UN Treaty Section (Office of Legal Affairs)"
UNODC = "United Nations Office on Drugs and Crime (UNODC)"
KELLEY = "Judith G. Kelley; Judith G. Kelley and Beth A. Simmons"
KELLEY_CITE = (
    "Judith G. Kelley (2017), Scorecard Diplomacy: Grading States to Influence their Reputation and "
    "Behavior, Cambridge University Press; Judith G. Kelley and Beth A. Simmons (2015), 'Politics by "
    "Number: Indicators as Social Pressure in International Relations', American Journal of Political "
    "Science 59(1): 55-70, doi:10.1111/ajps.12119. Replication data: github.com/andrewheiss/scorecard-diplomacy."
)
KELLEY_LICENCE = "MIT (repository licence); cite the book and article"
UN_TERMS = "United Nations terms of use; cite as UN/UNODC"

ROWS = [
    dict(
        source_id="a76120",
        raw_path="report/A-76-120.txt",
        producer="United Nations Secretary-General",
        title="Improving the coordination of efforts against trafficking in persons: Report of the Secretary-General (A/76/120)",
        citation="United Nations (2021), Improving the coordination of efforts against trafficking in persons. Report of the Secretary-General, A/76/120, 2021.",
        date_published="",
        as_of="2021-07-08",
        licence=UN_TERMS,
        caveats="Plain-text copy of the report; reporting period 18 December 2019 to 8 July 2021.",
    ),
    dict(
        source_id="untc_tip_2018",
        raw_path="treaty/tip_protocol_participants.csv",
        producer=UNTC,
        title="Status of treaties, chapter XVIII-12-a: Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children (MTDSG XML, participants table)",
        citation="United Nations Treaty Collection, Multilateral Treaties Deposited with the Secretary-General, chapter XVIII-12-a, status as at January 2018 (MTDSG XML copy in github.com/allucinaria/XML).",
        url="https://treaties.un.org/doc/Publication/MTDSG/Volume I/Chapter XVIII/XVIII-12-a.en.xml",
        repository="allucinaria/XML",
        commit="9682127411a97c811e67eb2110739334c2b67f10",
        path_in_repository="XVIII-12-a.en.xml",
        date_published="2018-01-15",
        as_of="2017-12-29",
        licence=UN_TERMS,
        caveats="Actions after 2017-12-29 are not in the table; the status is bounded by the latest action (2017-12-29) and the commit date (2018-01-15).",
    ),
    dict(
        source_id="untc_tip_2018_xml",
        raw_path="treaty/XVIII-12-a.en.xml",
        producer=UNTC,
        title="MTDSG XML of chapter XVIII-12-a (Trafficking in Persons Protocol): header, entry into force, participants",
        citation="United Nations Treaty Collection, Multilateral Treaties Deposited with the Secretary-General, chapter XVIII-12-a, MTDSG XML as copied in github.com/allucinaria/XML (January 2018).",
        url="https://treaties.un.org/doc/Publication/MTDSG/Volume I/Chapter XVIII/XVIII-12-a.en.xml",
        repository="allucinaria/XML",
        commit="9682127411a97c811e67eb2110739334c2b67f10",
        path_in_repository="XVIII-12-a.en.xml",
        date_published="2018-01-15",
        as_of="2017-12-29",
        licence=UN_TERMS,
        caveats="ISO-8859-1 XML, unmodified; the source of the Protocol's adoption (15 November 2000) and entry-into-force (25 December 2003) dates used as constants in tipstats.schemas.base.",
    ),
    dict(
        source_id="untc_som_2018",
        raw_path="treaty/som_protocol_participants.csv",
        producer=UNTC,
        title="Status of treaties, chapter XVIII-12-b: Protocol against the Smuggling of Migrants by Land, Sea and Air (MTDSG XML, participants table)",
        citation="United Nations Treaty Collection, Multilateral Treaties Deposited with the Secretary-General, chapter XVIII-12-b, status as at January 2018 (MTDSG XML copy in github.com/allucinaria/XML).",
        url="https://treaties.un.org/doc/Publication/MTDSG/Volume I/Chapter XVIII/XVIII-12-b.en.xml",
        repository="allucinaria/XML",
        commit="9682127411a97c811e67eb2110739334c2b67f10",
        path_in_repository="XVIII-12-b.en.xml",
        date_published="2018-01-15",
        as_of="2017-09-19",
        licence=UN_TERMS,
        caveats="Latest action in the table is 2017-09-19; later actions are missing.",
    ),
    dict(
        source_id="untc_untoc_2014",
        raw_path="treaty/untoc_participants.csv",
        producer=UNTC,
        title="Status of treaties, chapter XVIII-12: United Nations Convention against Transnational Organized Crime (scrape of the MTDSG XML)",
        citation="United Nations Treaty Collection, chapter XVIII-12, as scraped in github.com/zmjones/untreaties (treaties/18-12.csv), January 2014.",
        url="https://treaties.un.org/doc/Publication/MTDSG/Volume I/Chapter XVIII/XVIII-12.en.xml",
        repository="zmjones/untreaties",
        commit="b85e1e21be32b2a757d14ff9dbe1f4b401f2e165",
        path_in_repository="treaties/18-12.csv",
        date_published="2014-01-27",
        as_of="2013-10-17",
        licence=UN_TERMS,
        caveats="Status around January 2014: at least 10 later parties are missing (179 here against 189 in the 2018 header).",
    ),
    dict(
        source_id="tip_party_counts",
        raw_path="treaty/tip_protocol_party_counts.csv",
        producer="Various (UNTC, UNODC, UN press releases, secondary pages); see source_url per row",
        title="Dated counts of parties to the Trafficking in Persons Protocol, 2008-2025",
        citation="Compiled for tipstats from the pages named row by row (shared/sources/treaty/tip_protocol_party_counts.csv).",
        date_published="",
        as_of="2025",
        licence="Facts quoted from public pages; cite each page",
        caveats="Counts are as stated by each page at its date; some are secondary.",
    ),
    dict(
        source_id="tip_party_counts_2018_2024",
        raw_path="treaty/tip_protocol_party_counts_2018_2024.csv",
        producer="Various (UNODC press releases, US Mission to the UN, UNTC); see source_url per row",
        title="Dated counts of parties to the Trafficking in Persons Protocol, 2018-2024",
        citation="Compiled for tipstats from the pages named row by row (shared/sources/treaty/tip_protocol_party_counts_2018_2024.csv).",
        as_of="2024",
        licence="Facts quoted from public pages; cite each page",
        caveats="Two counts are approximate and kept as the source's words ('some 180', 'over 180').",
    ),
    dict(
        source_id="tip_evidence",
        raw_path="treaty/tip_protocol_post2017_evidence.csv",
        producer="Various (Dutch treaty database, UNODC, US State Department, news pages); see source_url per row",
        title="Evidence on Trafficking in Persons Protocol actions after 2017",
        citation="Compiled for tipstats from the pages named row by row (shared/sources/treaty/tip_protocol_post2017_evidence.csv).",
        as_of="2024",
        licence="Facts quoted from public pages; cite each page",
        caveats="implied_deposit_date_derived is an inference from entry into force and the 30-day rule (art. 17), not a copied value.",
    ),
    dict(
        source_id="tip_evidence_five_states",
        raw_path="treaty/tip_protocol_post2017_evidence_five_states.csv",
        producer="Various (US State Department TIP reports, UNODC, Dutch treaty database); see source_url per row",
        title="Evidence on Trafficking in Persons Protocol actions after 2017 for five States (Palau, Pakistan, Nepal, Tonga, Congo)",
        citation="Compiled for tipstats from the pages named row by row (shared/sources/treaty/tip_protocol_post2017_evidence_five_states.csv).",
        as_of="2024",
        licence="Facts quoted from public pages; cite each page",
        caveats="Reporting-period windows (April-March) are an inference from the State Department's convention.",
    ),
    dict(
        source_id="kelley_panel",
        raw_path="legislation/kelley_criminalization_jk_2015-08-10.csv",
        producer=KELLEY,
        title="Criminalisation of human trafficking, country-year panel 1967-2014 (criminalization_jk_2015-08-10)",
        citation=KELLEY_CITE,
        url="https://github.com/andrewheiss/scorecard-diplomacy",
        repository="andrewheiss/scorecard-diplomacy",
        commit="0ccc6fb52ed82783ac3ac35e073c20740a6a2a9d",
        path_in_repository="data/original/criminalization_jk_2015-08-10.dta",
        date_published="2015-08-10",
        as_of="2014",
        licence=KELLEY_LICENCE,
        caveats="CSV conversion of the Stata file; 2012-2014 updated for only 55 countries; 1967-1990s zeros are a mechanical back-fill.",
    ),
    dict(
        source_id="kelley_by_country",
        raw_path="legislation/derived_kelley_criminalization_year_by_country.csv",
        producer="Derived from the Kelley files by the collector of the shared sources",
        title="Year of full criminalisation per country (derived from the Kelley panel), with ISO3 codes from the authors' country-code outputs",
        citation=KELLEY_CITE
        + " Derived per-country file: shared/sources/legislation/derived_kelley_criminalization_year_by_country.csv.",
        repository="andrewheiss/scorecard-diplomacy",
        commit="f8c06be83c75c34c97bc3992e24fedc8d275c83b",
        as_of="2014",
        licence=KELLEY_LICENCE,
        caveats="Used for its ISO3 codes (matched on COW code) and cross-checked against tipstats' own derivation from the panel.",
    ),
    dict(
        source_id="kelley_fig6_3",
        raw_path="legislation/kelley_data_figure6_3.csv",
        producer=KELLEY,
        title="Data behind Scorecard Diplomacy Figure 6.3: countries criminalised and countries in the TIP report, 2000-2014",
        citation=KELLEY_CITE,
        repository="andrewheiss/scorecard-diplomacy",
        commit="0ccc6fb52ed82783ac3ac35e073c20740a6a2a9d",
        path_in_repository="data/original/data_figure6_3.csv",
        as_of="2014",
        licence=KELLEY_LICENCE,
        caveats="Used as a cross-check of the counts derived from the panel.",
    ),
    dict(
        source_id="legislation_evidence_2014_2021",
        raw_path="legislation/legislation_post2014_evidence_2014_2021.csv",
        producer="US Department of State, Trafficking in Persons Reports 2015-2023 (country narratives), and national law sources; see source_url per row",
        title="Anti-trafficking laws dated 2014-2021 for 21 countries not fully criminalised in the Kelley data",
        citation="Compiled for tipstats from the pages named row by row (shared/sources/legislation/legislation_post2014_evidence_2014_2021.csv).",
        as_of="2023",
        licence="Facts quoted from public pages; US government works; cite each page",
        caveats="US TIP report yardstick, not UNODC's and not Kelley's; a convenience sample of 21 of the 50 countries without a Kelley full-criminalisation year.",
    ),
    dict(
        source_id="glotip_2025",
        raw_path="glotip/data_glotip_2025-04-14.csv",
        producer=UNODC,
        title="dataUNODC Trafficking in Persons country dataset (data_glotip.xlsx), release 14/04/2025",
        citation="UNODC (2025), UNODC Research - Data Portal - Trafficking in Persons, https://dataunodc.un.org/dp-trafficking-persons (release 14/04/2025; copy in github.com/mari21041/first_project).",
        url="https://dataunodc.un.org/dp-trafficking-persons",
        repository="mari21041/first_project",
        commit="7e1c7fdc39a12e218be50ba534813c439d19a063",
        path_in_repository="data/raw/data_glotip.xlsx",
        date_published="2025-04-14",
        as_of="2025-04-14",
        licence=UN_TERMS,
        caveats="Country rows only; '<5' suppression; thousands separators; corrupted rows for PAK, SLE, AND, SLV; duplicate keys.",
    ),
    dict(
        source_id="glotip_2023",
        raw_path="glotip/data_glotip_2023-05-30.csv",
        producer=UNODC,
        title="dataUNODC Trafficking in Persons country dataset (data_glotip.xlsx), release 30/05/2023",
        citation="UNODC (2023), UNODC Research - Data Portal - Trafficking in Persons, https://dataunodc.un.org/dp-trafficking-persons (release 30/05/2023; copy in github.com/SophiaCKJ/ChildTraffickingData).",
        url="https://dataunodc.un.org/dp-trafficking-persons",
        repository="SophiaCKJ/ChildTraffickingData",
        commit="703996c0caf051c987a38491aa640b622a02ea33",
        path_in_repository="data_glotip.xlsx",
        date_published="2023-05-30",
        as_of="2023-05-30",
        licence=UN_TERMS,
        caveats="Earlier release, kept so users can see revisions; includes a non-ISO code 'Aruba/Curacao'.",
    ),
    dict(
        source_id="glotip_text_figures",
        raw_path="glotip/glotip_text_figures.csv",
        producer="UNODC Global Report on Trafficking in Persons (editions 2009-2024), as quoted on web pages; see source_url per row",
        title="Figures quoted from GLOTIP editions: global shares by sex and age and by form of exploitation, legislation counts",
        citation="UNODC, Global Report on Trafficking in Persons (editions 2009-2024), as quoted on the pages named row by row (shared/sources/glotip/glotip_text_figures.csv).",
        as_of="2024",
        licence=UN_TERMS,
        caveats="Mostly secondary quotations; known conflicts (GLOTIP 2012 sexual exploitation 48 vs 58 per cent; 2018 forced labour 'one out of three' vs 'around 34 per cent').",
    ),
    dict(
        source_id="us_tip_law_enforcement",
        raw_path="glotip/us_tip_report_global_law_enforcement_2003_2015.csv",
        producer="US Department of State (via Kelley, Scorecard Diplomacy figure 3.2)",
        title="US TIP Report Global Law Enforcement Data, 2003-2015",
        citation="US Department of State, Trafficking in Persons Reports 2007 and 2016, 'Global Law Enforcement Data', as compiled in Kelley (2017), figure 3.2 data.",
        repository="andrewheiss/scorecard-diplomacy",
        commit="0ccc6fb52ed82783ac3ac35e073c20740a6a2a9d",
        path_in_repository="data/original/data_figure3_2.csv",
        as_of="2015",
        licence="US government work; " + KELLEY_LICENCE,
        caveats="US State Department figures, not UNODC; context only.",
    ),
    dict(
        source_id="us_tip_law_enforcement_2022_2023",
        raw_path="glotip/us_tip_report_global_law_enforcement_2022_2023.csv",
        producer="US Department of State (as quoted by the International Association of Women Judges)",
        title="US TIP Report global convictions and victims identified, 2022-2023",
        citation="US Department of State, 2024 Trafficking in Persons Report, as quoted at https://iawj.clubexpress.com/content.aspx?club_id=882224&item_id=5378&page_id=2507.",
        url="https://iawj.clubexpress.com/content.aspx?club_id=882224&item_id=5378&page_id=2507",
        as_of="2024",
        licence="US government work; secondary quotation",
        caveats="Secondary quotation; context only.",
    ),
    dict(
        source_id="wb_population",
        raw_path="population/wb_population_SP.POP.TOTL.csv",
        producer="World Bank (World Development Indicators), via the datasets/population data package",
        title="Population, total (SP.POP.TOTL), 1960-2024",
        citation="World Bank, World Development Indicators, SP.POP.TOTL (Population, total); data package github.com/datasets/population.",
        url="http://data.worldbank.org/indicator/SP.POP.TOTL",
        repository="datasets/population",
        commit="425fc447a53a26c767a15a7de60c4cc2478a0595",
        path_in_repository="data/population.csv",
        date_published="2026-03-06",
        as_of="2024",
        licence="ODC-PDDL-1.0 (data package); cite World Bank WDI",
        caveats="Includes regional and income aggregates; UNODC uses UN population figures, not the World Bank's.",
    ),
    dict(
        source_id="unvtf_figures",
        raw_path="trust_fund/unvtf_figures.csv",
        producer="UNODC (UN Voluntary Trust Fund for Victims of Trafficking in Persons) and pages quoting it; see source_url per row",
        title="UN Voluntary Trust Fund for Victims of Trafficking in Persons: 73 sourced figures, 2010-2023",
        citation="Compiled for tipstats from UNODC speeches, press releases and UNVTF pages named row by row (shared/sources/trust_fund/unvtf_figures.csv).",
        as_of="2023",
        licence="UN terms of use; cite the UNODC page for each figure",
        caveats="Rounded and bounded numbers are kept with their qualifier; some rows come from third-party copies.",
    ),
    dict(
        source_id="tipstats_country_names",
        raw_path="",
        producer="tipstats contributors",
        title="Reviewed mapping of country-name spellings in the raw sources to ISO 3166-1 alpha-3 codes",
        citation="tipstats, data/reference/country_names.csv (reviewed mapping).",
        as_of=RECEIVED,
        licence="MIT",
        caveats="A curated file, reviewed by hand; every spelling that occurs in a raw source must be listed.",
    ),
]

FIELDS = [
    "source_id", "producer", "title", "citation", "url", "repository", "commit", "path_in_repository",
    "date_published", "as_of", "date_received", "licence", "raw_path", "sha256", "bytes", "caveats",
]  # fmt: skip


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in ROWS:
            row = {key: row.get(key, "") for key in FIELDS}
            if row["raw_path"]:
                data = (RAW / row["raw_path"]).read_bytes()
                row["sha256"] = hashlib.sha256(data).hexdigest()
                row["bytes"] = str(len(data))
                row["date_received"] = RECEIVED
            writer.writerow(row)
    print(f"wrote {OUT.relative_to(REPO)} ({len(ROWS)} sources)")


if __name__ == "__main__":
    main()
