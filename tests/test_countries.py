"""countries and country_names: the reviewed name map checked against every raw source.

Expectations are computed from the raw files with the csv module (not with the builder's code),
or stated by the source READMEs.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict

import pandas as pd
import pytest

from tipstats.countries import name_to_iso3
from tipstats.errors import DataValidationError
from tipstats.paths import RAW_DIR, REFERENCE_DIR
from tipstats.pipeline import countries as bc

ISO3 = re.compile(r"^[A-Z]{3}$")


def rows(relative: str) -> list[dict[str, str]]:
    with (RAW_DIR / relative).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def reference_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def name_map(built):
    return built["country_names"].set_index("name")


GLOTIP = {
    "glotip_2025": "glotip/data_glotip_2025-04-14.csv",
    "glotip_2023": "glotip/data_glotip_2023-05-30.csv",
}
WB = "population/wb_population_SP.POP.TOTL.csv"
KELLEY_PANEL = "legislation/kelley_criminalization_jk_2015-08-10.csv"
KELLEY_DERIVED = "legislation/derived_kelley_criminalization_year_by_country.csv"
LEG_EVIDENCE = "legislation/legislation_post2014_evidence_2014_2021.csv"
UNTC = {
    "untc_tip_2018": "treaty/tip_protocol_participants.csv",
    "untc_som_2018": "treaty/som_protocol_participants.csv",
    "untc_untoc_2014": "treaty/untoc_participants.csv",
}
EVIDENCE = {
    "tip_evidence": "treaty/tip_protocol_post2017_evidence.csv",
    "tip_evidence_five_states": "treaty/tip_protocol_post2017_evidence_five_states.csv",
}


def paragraph_7_names() -> list[str]:
    """The 48 names of A/76/120 paragraph 7, cut out with plain string operations."""
    text = " ".join((RAW_DIR / "report/A-76-120.txt").read_text(encoding="utf-8").split())
    start = text.index("information on their efforts against trafficking in persons: ") + len(
        "information on their efforts against trafficking in persons: "
    )
    body = text[start : text.index(". 8. Most States")]
    parts = body.split(", ")
    last = parts.pop()
    return parts + last.split(" and ")


def names_in_raw() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for sid, path in {**UNTC, **EVIDENCE}.items():
        for r in rows(path):
            found[r["participant"]].add(sid)
    for r in rows(KELLEY_PANEL):
        found[r["country"]].add("kelley_panel")
    for r in rows(KELLEY_DERIVED):
        found[r["country_kelley"]].add("kelley_by_country")
    for r in rows(LEG_EVIDENCE):
        found[r["country"]].add("legislation_evidence_2014_2021")
    for r in rows(WB):
        found[r["Country Name"]].add("wb_population")
    for sid, path in GLOTIP.items():
        for r in rows(path):
            if r["Country"]:
                found[r["Country"]].add(sid)
    for name in paragraph_7_names():
        found[name].add("a76120")
    return found


# -- country_names -----------------------------------------------------------------------------


def test_paragraph_7_has_48_names_all_member_states(name_map):
    names = paragraph_7_names()
    assert len(names) == 48 == len(set(names))
    assert bc.report_member_states((RAW_DIR / "report/A-76-120.txt").read_text(encoding="utf-8")) == names
    assert set(name_map.loc[names, "entity_type"]) == {"state"}
    assert name_map.loc["Turkey", "iso3"] == "TUR"


def test_mapping_is_total_and_has_no_stale_spelling(built):
    found = names_in_raw()
    listed = set(built["country_names"]["name"])
    assert set(found) - listed == set()
    assert listed - set(found) == set()


def test_occurs_in_lists_the_sources_of_each_spelling(built):
    found = names_in_raw()
    occurs = dict(zip(built["country_names"]["name"], built["country_names"]["occurs_in"], strict=True))
    assert {n: set(v.split(";")) for n, v in occurs.items()} == found


def test_agrees_with_dataunodc_pairs(name_map):
    checked = 0
    for path in GLOTIP.values():
        for r in rows(path):
            if r["Country"] and ISO3.match(r["Iso3_code"]):
                assert name_map.at[r["Country"], "iso3"] == r["Iso3_code"], r["Country"]
                checked += 1
    assert checked > 100_000


def test_agrees_with_kelley_derived_codes_via_cow(name_map):
    cow_to_iso3 = {r["ccode_cow"]: r["iso3"] for r in rows(KELLEY_DERIVED)}
    pairs = {(r["country"], r["ccode"]) for r in rows(KELLEY_PANEL)}
    assert len({name for name, _ in pairs}) == 180
    for name, cow in pairs:
        assert name_map.at[name, "iso3"] == cow_to_iso3[cow], name
    assert name_map.at["BosniaandHerz", "iso3"] == "BIH"
    assert name_map.at["Cote DÕIvoire", "iso3"] == "CIV"


def test_agrees_with_world_bank_and_legislation_evidence(name_map):
    aggregates = {r["code"] for r in reference_rows("wb_aggregates.csv")}
    for r in rows(WB):
        expected = None if r["Country Code"] in aggregates else r["Country Code"]
        got = name_map.at[r["Country Name"], "iso3"]
        assert (pd.isna(got) and expected is None) or got == expected, r["Country Name"]
    for r in rows(LEG_EVIDENCE):
        assert name_map.at[r["country"], "iso3"] == r["iso3"]


def test_one_code_per_spelling_across_sources():
    codes = defaultdict(set)
    for path in GLOTIP.values():
        for r in rows(path):
            if r["Country"]:
                codes[r["Country"]].add(r["Iso3_code"])
    for r in rows(WB):
        codes[r["Country Name"]].add(r["Country Code"])
    assert {n: c for n, c in codes.items() if len(c) > 1} == {}


def test_treaty_names_of_the_time_map_to_todays_codes(name_map):
    # The treaty README's correspondence; today's names carry their codes in the World Bank file.
    wb = {r["Country Name"]: r["Country Code"] for r in rows(WB)}
    readme = {
        "Czech Republic": "Czechia",
        "Swaziland": "Eswatini",
        "The former Yugoslav Republic of Macedonia": "North Macedonia",
        "Netherlands": "Netherlands",
        "Turkey": "Turkiye",
        "Bolivia (Plurinational State of)": "Bolivia",
    }
    tip_names = {r["participant"] for r in rows(UNTC["untc_tip_2018"])}
    for old, new in readme.items():
        assert old in tip_names
        assert name_map.at[old, "iso3"] == wb[new], old


def test_european_union_is_a_participant_but_not_a_country(name_map):
    for path in UNTC.values():
        assert "European Union" in {r["participant"] for r in rows(path)}
    assert pd.isna(name_map.at["European Union", "iso3"])
    assert name_map.at["European Union", "entity_type"] == "regional_organisation"


def test_every_treaty_participant_but_the_eu_is_a_state(name_map):
    for path in UNTC.values():
        for r in rows(path):
            if r["participant"] != "European Union":
                assert name_map.at[r["participant"], "entity_type"] == "state", r["participant"]


# -- countries -----------------------------------------------------------------------------------


def test_population_keeps_exactly_the_non_aggregate_codes(built):
    wb_names = {r["Country Code"]: r["Country Name"] for r in rows(WB)}
    aggregates = reference_rows("wb_aggregates.csv")
    for r in aggregates:  # every listed aggregate is a World Bank code, under the World Bank's name
        assert wb_names[r["code"]] == r["wb_name"]
    assert {"WLD", "ARB", "EAS", "EUU", "HIC"} <= {r["code"] for r in aggregates}
    kept = set(built["population"]["iso3"])
    assert set(wb_names) - kept == {r["code"] for r in aggregates}
    assert len(kept) == 217 and "XKX" in kept


def test_universe_covers_every_code_any_dataset_uses(built):
    universe = set(built["countries"]["iso3"])
    used = {r["iso3"] for r in rows(KELLEY_DERIVED)} | {r["iso3"] for r in rows(LEG_EVIDENCE)}
    for path in GLOTIP.values():
        used |= {r["Iso3_code"] for r in rows(path) if r["Country"] and ISO3.match(r["Iso3_code"])}
    assert used <= universe
    names = built["country_names"].set_index("name")["iso3"]
    for path in [*UNTC.values(), *EVIDENCE.values()]:
        for r in rows(path):
            code = names[r["participant"]]
            assert pd.isna(code) or code in universe
    assert {"COK", "NIU", "VAT", "PSE"} <= universe  # UNTOC/TIP participants outside the World Bank file


def test_non_country_entries_of_dataunodc_are_exactly_the_reviewed_ones():
    odd = set()
    for sid, path in GLOTIP.items():
        for r in rows(path):
            if not (ISO3.match(r["Iso3_code"]) and r["Country"]):
                odd.add((r["Iso3_code"], r["Country"], sid))
    listed = {
        (r["code_as_given"], r["country_as_given"], r["source_id"])
        for r in reference_rows(bc.NON_COUNTRY_FILE)
    }
    assert odd == listed
    assert ("Aruba/Curacao", "", "glotip_2023") in odd and ("", "Sark", "glotip_2025") in odd


def test_names_and_regions_come_from_the_2025_release_first(built):
    countries = built["countries"].set_index("iso3")
    seen = {}
    for sid in ("glotip_2025", "glotip_2023"):
        for r in rows(GLOTIP[sid]):
            if r["Country"] and ISO3.match(r["Iso3_code"]) and r["Iso3_code"] not in seen:
                seen[r["Iso3_code"]] = (r["Country"], r["Region"], r["Subregion"], sid)
    for code, (name, region, subregion, sid) in seen.items():
        row = countries.loc[code]
        assert (row["name"], row["unodc_region"], row["unodc_subregion"], row["source_id"]) == (
            name,
            region,
            subregion,
            sid,
        )
    assert countries.at["NLD", "name"] == "Netherlands (Kingdom of the)"
    assert countries.at["PRK", "source_id"] == "glotip_2023"
    rest = countries.loc[sorted(set(countries.index) - set(seen))]
    assert (
        rest["unodc_region"].isna().all()
        and rest["source_id"].isin(["wb_population", "untc_tip_2018", "unsd_m49"]).all()
    )
    assert countries.at["PSE", "name"] == "State of Palestine"


def test_the_two_releases_agree_on_regions():
    regions = defaultdict(set)
    for path in GLOTIP.values():
        for r in rows(path):
            if r["Country"] and ISO3.match(r["Iso3_code"]):
                regions[r["Iso3_code"]].add((r["Region"], r["Subregion"]))
    assert {c: v for c, v in regions.items() if len(v) > 1} == {}


M49_FILE = "countries/unsd_m49_overview.csv"


def m49_rows() -> dict[str, dict[str, str]]:
    """The UNSD table by ISO alpha-3, read with the csv module (semicolon-separated, as received)."""
    with (RAW_DIR / M49_FILE).open(encoding="utf-8-sig", newline="") as handle:
        return {
            r["ISO-alpha3 Code"]: r for r in csv.DictReader(handle, delimiter=";") if r["ISO-alpha3 Code"]
        }


def test_m49_codes_and_un_regions_are_those_of_the_unsd_table(built):
    table = m49_rows()
    countries = built["countries"].set_index("iso3")
    listed = countries.index.intersection(list(table))
    assert len(listed) > 200
    for code in listed:
        row, source = countries.loc[code], table[code]
        assert int(row["m49"]) == int(source["M49 Code"])
        for column, unsd in (("un_region", "Region Name"), ("un_subregion", "Sub-region Name"),
                             ("un_intermediate_region", "Intermediate Region Name")):  # fmt: skip
            assert (row[column] if pd.notna(row[column]) else "") == source[unsd], (code, column)
    # Kelley's uncountrycode is not M49: the United States is 130 there, 840 in M49
    assert {r["uncountrycode"] for r in rows(KELLEY_PANEL) if r["country"] == "US"} == {"130"}
    assert int(countries.at["USA", "m49"]) == int(table["USA"]["M49 Code"]) != 130


def test_every_still_missing_code_or_region_is_named_in_the_caveats(built):
    import tipstats

    countries = built["countries"]
    caveats = " ".join(tipstats.describe("countries").caveats)
    no_m49 = countries.loc[countries["m49"].isna(), "iso3"]
    no_unodc = countries.loc[countries["unodc_region"].isna(), "iso3"]
    assert set(no_m49) == set(countries["iso3"]) - set(
        m49_rows()
    )  # missing exactly where UNSD lacks the code
    for code in [*no_m49, *no_unodc]:
        assert re.search(rf"\b{code}\b", caveats), f"{code} has a missing value the caveats do not name"


def test_names_from_the_world_bank_only_where_no_un_name_exists(built):
    table = m49_rows()
    countries = built["countries"].set_index("iso3")
    from_wb = countries[countries["source_id"] == "wb_population"]
    assert set(from_wb.index).isdisjoint(table)  # CHI, XKX: not in M49
    from_m49 = countries[countries["source_id"] == "unsd_m49"]
    assert len(from_m49) and all(
        countries.at[c, "name"] == table[c]["Country or Area"] for c in from_m49.index
    )
    assert not countries["name"].str.contains(r", (?:Fed|Rep|Dem)\.", regex=True).any()


@pytest.mark.parametrize("name", ["population", "convictions", "legislation_panel"])
def test_country_keyed_datasets_carry_the_name_and_unodc_region(built, name):
    frame, countries = built[name], built["countries"].set_index("iso3")
    assert list(frame.columns[:4]) == ["iso3", "country_name", "unodc_region", "unodc_subregion"]
    expected = countries.loc[frame["iso3"], ["name", "unodc_region", "unodc_subregion"]].to_numpy()
    got = frame[["country_name", "unodc_region", "unodc_subregion"]].to_numpy()
    assert pd.DataFrame(got).equals(pd.DataFrame(expected))


# -- the library and the checks on small frames -------------------------------------------------


def test_name_to_iso3_reports_every_unknown_name_with_its_row():
    mapping = pd.DataFrame({"name": ["Turkey", "European Union"], "iso3": ["TUR", None]})
    names = pd.Series(["Turkey", "Turkei", "European Union", None, "Atlantis"])
    with pytest.raises(DataValidationError) as info:
        name_to_iso3(names, file="f.csv", column="participant", mapping=mapping)
    assert [(f.file, f.row, f.column, f.value) for f in info.value.failures] == [
        ("f.csv", 3, "participant", "Turkei"),
        ("f.csv", 5, "participant", None),
        ("f.csv", 6, "participant", "Atlantis"),
    ]
    codes = name_to_iso3(names.iloc[[0, 2]], file="f.csv", column="participant", mapping=mapping)
    assert codes.iloc[0] == "TUR" and pd.isna(codes.iloc[1])


def test_name_to_iso3_refuses_a_mapping_with_a_spelling_twice():
    mapping = pd.DataFrame({"name": ["Congo", "Congo"], "iso3": ["COG", "COD"]})
    with pytest.raises(ValueError, match="twice"):
        name_to_iso3(pd.Series(["Congo"]), file="f", column="c", mapping=mapping)


def _reference(*entries):
    return pd.DataFrame(entries, columns=bc.REFERENCE_COLUMNS)


def test_name_map_failures_name_the_file_row_column_and_value():
    reference = _reference(
        ["Utopia", "UTO", "state", "paired_in_source", None],
        ["Oldland", "OLD", "state", "reviewed", "renamed"],
        ["Nowhere", "NOW", "state", "reviewed", "listed but never seen"],
    )
    occurrences = pd.DataFrame(
        {
            "name": ["Utopia", "Oldland", "Erewhon"],
            "source_id": ["glotip_2025", "untc_tip_2018", "untc_tip_2018"],
            "column": ["Country", "participant", "participant"],
            "index": [0, 4, 7],
        }
    )
    pairs = pd.DataFrame(
        {
            "name": ["Utopia"],
            "code": ["UTP"],
            "source_id": ["glotip_2025"],
            "code_column": ["Iso3_code"],
            "index": [0],
        }
    )
    failures = bc.name_map_failures(
        reference,
        occurrences,
        pairs,
        set(),
        {"untc_tip_2018": "tip.csv", "glotip_2025": "g.csv"},
        population_id="wb_population",
    )
    described = {(f.file, f.row, f.column, f.value) for f in failures}
    assert ("tip.csv", 9, "participant", "Erewhon") in described  # unknown spelling
    assert ("country_names.csv", 4, "name", "Nowhere") in described  # listed, never seen
    assert ("g.csv", 2, "Iso3_code", "UTP") in described  # source disagrees
    assert ("country_names.csv", 2, "basis", "Utopia") in described  # basis claims a pair that does not exist


def test_reference_without_reason_or_with_unknown_type_fails():
    reference = _reference(["Oldland", "OLD", "nation", "reviewed", None])
    failures = bc.name_map_failures(
        reference,
        pd.DataFrame(columns=["name", "source_id", "column", "index"]),
        pd.DataFrame(columns=["name", "code", "source_id", "code_column", "index"]),
        set(),
        {},
        population_id="wb_population",
    )
    assert {f.column for f in failures} == {"entity_type", "note"}


def test_report_member_states_checks_the_announced_number():
    text = "7. As at 9 June 2021, the following four Member States had submitted information on x: A, B and C. 8. Next"
    with pytest.raises(ValueError, match="says 4"):
        bc.report_member_states(text)
    ok = text.replace("four", "three")
    assert bc.report_member_states(ok) == ["A", "B", "C"]


def test_aggregate_list_must_match_the_world_bank_file():
    wb = pd.DataFrame({"Country Name": ["World", "Aruba"], "Country Code": ["WLD", "ABW"]})
    listed = pd.DataFrame(
        {
            "code": ["WLD", "XXX"],
            "wb_name": ["Whole world", "Nothing"],
            "grouping": ["world", "region"],
            "source_id": "wb_population",
        }
    )
    failures = bc.aggregate_failures(wb, listed, "agg.csv", "wb_population")
    assert {(f.row, f.column) for f in failures} == {(2, "wb_name"), (3, "code")}


def test_non_country_entries_must_be_listed():
    release = pd.DataFrame(
        {
            "Iso3_code": ["ABW", None, "ZZZ"],
            "Country": ["Aruba", "Sark", None],
            "Region": "r",
            "Subregion": "s",
        }
    )
    listed = pd.DataFrame(
        {"code_as_given": [None], "country_as_given": ["Sark"], "source_id": ["glotip_2025"], "reason": ["x"]}
    )
    failures = bc.non_country_failures({"glotip_2025": release}, listed, {"glotip_2025": "g.csv"}, "ref.csv")
    assert [(f.file, f.value) for f in failures] == [("g.csv", "'ZZZ' / ''")]
