"""Build ``countries`` and ``country_names``.

``country_names`` is the reviewed file ``data/reference/country_names.csv`` checked against
every raw source: each spelling that occurs must be listed, each listed spelling must occur,
and wherever a source gives a code beside a name (dataUNODC, World Bank, Kelley's derived
file, the legislation evidence) the code must agree.

``countries`` is the universe of codes that any dataset uses: dataUNODC's codes (less the
reviewed non-country entries in ``glotip_non_country_codes.csv``), every World Bank code that
is not one of the reviewed aggregates in ``wb_aggregates.csv``, and, checked to be inside that
set, the codes of the Kelley files, the legislation evidence and the treaty participants.
"""

from __future__ import annotations

import re

import pandas as pd

from tipstats import sources
from tipstats.countries import CHECK as NAME_CHECK
from tipstats.countries import name_to_iso3
from tipstats.errors import DataValidationError, Failure, PartialBuild, row_number
from tipstats.report import REPORT_SUBJECT, ReportTextError
from tipstats.schemas.base import COUNTRY_COLUMNS
from tipstats.schemas.countries import ENTITY_TYPES, NAMES_SOURCE_ID

NAMES_FILE = "country_names.csv"
AGGREGATES_FILE = "wb_aggregates.csv"
NON_COUNTRY_FILE = "glotip_non_country_codes.csv"
REPORT_COLUMN = "paragraph 7"
# The sources read are asked of the registry: by subject, raw model and the roles name_column
# (where country names occur), code_column (a code beside the name in the same row) and release.
TREATY_SUBJECT = "treaty"
POPULATION_MODEL = "population:RawPopulation"
RELEASE_MODEL = "glotip:RawGlotip"
PARTICIPANTS_MODEL = "treaty:RawParticipants"
M49_MODEL = "countries:RawM49"
TIP_PROTOCOL = "tip_protocol"


def name_columns(registry: pd.DataFrame) -> list[tuple[str, str]]:
    """Where country names occur: (source_id, column)."""
    return list(sources.source_values(registry, "name_column").items())


def coded_columns(registry: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Sources that give a code beside the name in the same row: (source_id, name column, code column)."""
    names = sources.source_values(registry, "name_column")
    return [(sid, names[sid], code) for sid, code in sources.source_values(registry, "code_column").items()]


def glotip_releases(registry: pd.DataFrame) -> list[str]:
    """The dataUNODC releases, newest first: the order of preference for names and regions."""
    releases = sources.source_values(registry, "release", raw_model=RELEASE_MODEL)
    return sorted(releases, key=releases.__getitem__, reverse=True)


REFERENCE_COLUMNS = ["name", "iso3", "entity_type", "basis", "note"]
BASES = ["paired_in_source", "treaty_readme", "reviewed", "wb_aggregate"]
CODE_RULE = re.compile(r"^[A-Z]{3}$")

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def number_from_text(word: str) -> int:
    """A count as the report writes it: digits, or a number word up to ten."""
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    raise ValueError(f"not a count: {word!r}")


def report_member_states(text: str) -> list[str]:
    """The Member States listed in paragraph 7 of A/76/120, in the report's order.

    The paragraph says how many it lists; a list of another length is an error. The list is
    split at ", " and at the last " and " (no name in the report's list ends in " and ...").

    >>> report_member_states("7. As at 9 June 2021, the following 3 Member States had submitted "
    ...     "information in response to a request: Albania, Bosnia and Herzegovina and Zimbabwe. 8. Most")
    ['Albania', 'Bosnia and Herzegovina', 'Zimbabwe']
    """
    flat = " ".join(text.split())
    match = re.search(
        r"\b7\. As at [^,]+, the following (\w+) Member States had submitted information[^:]*: (.+?)\. (?:\d+\. |$)",
        flat,
    )
    if not match:
        raise ReportTextError("paragraph 7 of A/76/120 (list of Member States) not found", 7)
    expected = number_from_text(match.group(1))
    head, _, last = match.group(2).rpartition(" and ")
    names = [*head.split(", "), last] if head else [last]
    if len(names) != expected:
        raise ReportTextError(f"paragraph 7 lists {len(names)} names, but says {expected}", 7)
    return [n.strip() for n in names]


# -- occurrences and code pairs ----------------------------------------------------------------


def name_occurrences(
    frames: dict[str, pd.DataFrame], columns: list[tuple[str, str]], report_names: list[str], report_id: str
) -> pd.DataFrame:
    """Every distinct (name, source) with the first row it occurs in: name, source_id, column, index.

    Empty cells are not spellings (dataUNODC leaves ``Country`` empty for its non-country codes).
    """
    parts = []
    for source_id, column in columns:
        values = frames[source_id][column].dropna()
        first = values[~values.duplicated()]
        parts.append(
            pd.DataFrame(
                {"name": first.to_numpy(), "source_id": source_id, "column": column, "index": first.index}
            )
        )
    parts.append(
        pd.DataFrame(
            {"name": report_names, "source_id": report_id, "column": REPORT_COLUMN, "index": pd.NA}
        ).drop_duplicates("name")
    )
    out = pd.concat(parts, ignore_index=True)
    return out.astype({"name": "str", "source_id": "str", "column": "str"})


def code_pairs(frames: dict[str, pd.DataFrame], columns: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Distinct (name, code) pairs that a source gives in one row: name, code, source_id, code_column, index.

    Rows without a name are left out (a code without a name is no evidence about a spelling).
    """
    parts = []
    for source_id, name_col, code_col in columns:
        frame = frames[source_id][[name_col, code_col]].dropna(subset=[name_col])
        first = frame[~frame.duplicated()]
        parts.append(
            pd.DataFrame(
                {
                    "name": first[name_col].to_numpy(),
                    "code": first[code_col].to_numpy(),
                    "source_id": source_id,
                    "code_column": code_col,
                    "index": first.index,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


# -- checks -----------------------------------------------------------------------------------


def _ref_failures(reference: pd.DataFrame, label: str) -> list[Failure]:
    failures: list[Failure] = []
    if list(reference.columns) != REFERENCE_COLUMNS:
        return [Failure(label, None, None, f"columns are {REFERENCE_COLUMNS}", list(reference.columns))]
    for i, value in reference["name"][reference["name"].duplicated(keep=False)].items():
        failures.append(Failure(label, row_number(i), "name", "each spelling is listed once", value, "rule"))
    for i, value in reference["name"][reference["name"].isna()].items():
        failures.append(Failure(label, row_number(i), "name", "not empty", value, "rule"))
    for column, allowed in [("basis", BASES), ("entity_type", ENTITY_TYPES)]:
        for i, value in reference[column][~reference[column].isin(allowed)].items():
            failures.append(Failure(label, row_number(i), column, f"isin({allowed})", value, "rule"))
    needs_note = reference["basis"].ne("paired_in_source") & reference["note"].isna()
    for i in reference.index[needs_note]:
        failures.append(
            Failure(
                label, row_number(i), "note", "a code not paired in a source states its reason", None, "rule"
            )
        )
    return failures


def name_map_failures(
    reference: pd.DataFrame,
    occurrences: pd.DataFrame,
    pairs: pd.DataFrame,
    aggregates: set[str],
    labels: dict[str, str],
    *,
    population_id: str,
    reference_label: str = NAMES_FILE,
) -> list[Failure]:
    """Every disagreement between the reviewed mapping and the raw sources.

    ``labels`` maps a source_id to the file name used in failures; ``population_id`` is the World
    Bank source, whose names of aggregates back the basis ``wb_aggregate``.
    """
    failures = _ref_failures(reference, reference_label)
    if failures:
        return failures
    listed = reference.set_index("name")
    # 1. every spelling that occurs is listed
    unknown = occurrences[~occurrences["name"].isin(listed.index)]
    for row in unknown.itertuples(index=False):
        failures.append(
            Failure(
                labels.get(row.source_id, row.source_id),
                row_number(row.index),
                row.column,
                NAME_CHECK,
                row.name,
                "rule",
            )
        )
    # 2. every listed spelling occurs somewhere
    stale = reference[~reference["name"].isin(set(occurrences["name"]))]
    for i, value in stale["name"].items():
        failures.append(
            Failure(reference_label, row_number(i), "name", "spelling occurs in a raw source", value, "rule")
        )
    # 3. codes given beside names agree
    known = pairs[pairs["name"].isin(listed.index)]
    for row in known.itertuples(index=False):
        iso3 = listed.at[row.name, "iso3"]
        entity = listed.at[row.name, "entity_type"]
        if pd.isna(row.code):
            ok = pd.isna(iso3)
        elif row.code in aggregates:
            ok = pd.isna(iso3) and entity in {"aggregate", "regional_organisation"}
        else:
            ok = iso3 == row.code
        if not ok:
            failures.append(
                Failure(
                    labels.get(row.source_id, row.source_id),
                    row_number(row.index),
                    row.code_column,
                    f"code agrees with country_names ({row.name!r} -> {iso3 if pd.notna(iso3) else 'no code'})",
                    row.code,
                    "rule",
                )
            )
    # 4. the stated basis is true
    paired = set(zip(known["name"], known["code"], strict=True))
    wb_aggregate_names = set(
        known.loc[(known["source_id"] == population_id) & known["code"].isin(aggregates), "name"]
    )
    for i, row in reference.iterrows():
        is_paired = pd.notna(row["iso3"]) and (row["name"], row["iso3"]) in paired
        if row["basis"] == "paired_in_source" and not is_paired:
            check = "basis paired_in_source: a source gives this spelling beside this code"
            failures.append(Failure(reference_label, row_number(i), "basis", check, row["name"], "rule"))
        elif row["basis"] != "paired_in_source" and is_paired:
            check = "basis is paired_in_source where a source gives this spelling beside this code"
            failures.append(Failure(reference_label, row_number(i), "basis", check, row["name"], "rule"))
        if row["basis"] == "wb_aggregate" and row["name"] not in wb_aggregate_names:
            check = "basis wb_aggregate: the World Bank gives this name to a listed aggregate"
            failures.append(Failure(reference_label, row_number(i), "basis", check, row["name"], "rule"))
    return failures


def country_names_from_reference(
    reference: pd.DataFrame, occurrences: pd.DataFrame, pairs: pd.DataFrame
) -> pd.DataFrame:
    """The processed ``country_names``: the reviewed rows, where each spelling occurs, and how it is known."""
    occurs = occurrences.groupby("name")["source_id"].agg(lambda s: ";".join(sorted(set(s))))
    paired_in = (
        pairs.dropna(subset=["code"])
        .groupby(["name", "code"])["source_id"]
        .agg(lambda s: ", ".join(sorted(set(s))))
    )
    notes = []
    for row in reference.itertuples(index=False):
        note = "" if pd.isna(row.note) else row.note
        if row.basis == "paired_in_source":
            given = f"Code given beside this spelling in {paired_in.get((row.name, row.iso3), '')}."
            note = f"{given} {note}".strip()
        notes.append(note)
    out = pd.DataFrame(
        {
            "name": reference["name"],
            "iso3": reference["iso3"],
            "entity_type": reference["entity_type"],
            "occurs_in": reference["name"].map(occurs),
            "note": notes,
            "source_id": NAMES_SOURCE_ID,
        }
    )
    return out.sort_values("name", key=lambda s: s.str.casefold(), kind="stable").reset_index(drop=True)


# -- countries ---------------------------------------------------------------------------------


def _glotip_entities(frame: pd.DataFrame) -> pd.DataFrame:
    """Distinct (Iso3_code, Country, Region, Subregion) of one release, with the first row of each."""
    cols = ["Iso3_code", "Country", "Region", "Subregion"]
    first = frame[cols][~frame[cols].duplicated()]
    return first.assign(index=first.index)


def non_country_failures(
    releases: dict[str, pd.DataFrame], listed: pd.DataFrame, labels: dict[str, str], reference_label: str
) -> list[Failure]:
    """dataUNODC entries that are not countries must be exactly the reviewed list.

    The rule: an entry is a country when its code is three capital letters and it has a Country name.
    """
    failures = []
    found = set()
    for source_id, frame in releases.items():
        entities = _glotip_entities(frame)
        bad = entities[
            ~entities["Iso3_code"].fillna("").str.fullmatch(CODE_RULE.pattern) | entities["Country"].isna()
        ]
        for row in bad.itertuples(index=False):
            key = (
                row.Iso3_code if pd.notna(row.Iso3_code) else "",
                row.Country if pd.notna(row.Country) else "",
                source_id,
            )
            found.add(key)
    expected = {
        (
            r.code_as_given if pd.notna(r.code_as_given) else "",
            r.country_as_given if pd.notna(r.country_as_given) else "",
            r.source_id,
        ): i
        for i, r in zip(listed.index, listed.itertuples(index=False), strict=True)
    }
    for key in sorted(found - set(expected)):
        check = f"non-country entry is listed in {NON_COUNTRY_FILE}"
        failures.append(
            Failure(labels.get(key[2], key[2]), None, "Iso3_code", check, f"{key[0]!r} / {key[1]!r}", "rule")
        )
    for key in sorted(set(expected) - found):
        check = "listed non-country entry occurs in the release"
        failures.append(
            Failure(reference_label, row_number(expected[key]), "code_as_given", check, key[0], "rule")
        )
    return failures


def aggregate_failures(
    wb: pd.DataFrame, aggregates: pd.DataFrame, label: str, population_id: str
) -> list[Failure]:
    """Every listed aggregate occurs in the World Bank file (source ``population_id``) under the listed name."""
    names = wb.drop_duplicates("Country Code").set_index("Country Code")["Country Name"]
    failures = []
    for i, row in aggregates.iterrows():
        if row["code"] not in names.index:
            failures.append(
                Failure(
                    label, row_number(i), "code", "code occurs in the World Bank file", row["code"], "rule"
                )
            )
        elif names[row["code"]] != row["wb_name"]:
            check = f"wb_name equals the World Bank's name ({names[row['code']]!r})"
            failures.append(Failure(label, row_number(i), "wb_name", check, row["wb_name"], "rule"))
    for i in aggregates.index[aggregates["code"].duplicated(keep=False)]:
        failures.append(
            Failure(
                label, row_number(i), "code", "each code is listed once", aggregates.at[i, "code"], "rule"
            )
        )
    for i in aggregates.index[aggregates["source_id"].ne(population_id)]:
        failures.append(
            Failure(
                label,
                row_number(i),
                "source_id",
                f"isin([{population_id!r}])",
                aggregates.at[i, "source_id"],
                "rule",
            )
        )
    return failures


def countries_from_sources(
    releases: dict[str, pd.DataFrame],
    wb: pd.DataFrame,
    aggregate_codes: set[str],
    untc_names: pd.DataFrame,
    *,
    population_id: str,
    untc_id: str,
    m49: pd.DataFrame | None = None,
    m49_id: str | None = None,
) -> pd.DataFrame:
    """One row per code: dataUNODC codes that are countries, and World Bank codes that are not aggregates.

    ``releases`` maps glotip source_ids (in order of preference) to raw frames; ``untc_names`` has
    columns iso3 and participant (UNTC TIP Protocol names, source ``untc_id``), used for a code
    dataUNODC lacks; ``wb`` is the World Bank file (source ``population_id``).
    """
    rows: dict[str, dict] = {}
    for source_id, frame in releases.items():
        entities = _glotip_entities(frame)
        good = entities[
            entities["Iso3_code"].fillna("").str.fullmatch(CODE_RULE.pattern) & entities["Country"].notna()
        ]
        for row in good.itertuples(index=False):
            if row.Iso3_code in rows:
                continue
            rows[row.Iso3_code] = {
                "iso3": row.Iso3_code,
                "name": row.Country,
                "unodc_region": row.Region,
                "unodc_subregion": row.Subregion,
                "source_id": source_id,
            }
    untc = untc_names.dropna(subset=["iso3"]).drop_duplicates("iso3").set_index("iso3")["participant"]
    wb_names = wb.drop_duplicates("Country Code").set_index("Country Code")["Country Name"]
    table = _m49_by_iso3(m49)
    for code, wb_name in wb_names.items():
        if code in aggregate_codes or code in rows:
            continue
        if code in untc.index:
            rows[code] = {"iso3": code, "name": untc[code], "source_id": untc_id}
        elif code in table.index:  # a UN name rather than the World Bank's ("Somalia, Fed. Rep.")
            rows[code] = {"iso3": code, "name": table.at[code, "Country or Area"], "source_id": m49_id}
        else:
            rows[code] = {"iso3": code, "name": wb_name, "source_id": population_id}
    out = pd.DataFrame(
        list(rows.values()), columns=["iso3", "name", "unodc_region", "unodc_subregion", "source_id"]
    )
    codes = out["iso3"]
    out.insert(2, "m49", pd.array(pd.to_numeric(codes.map(table["M49 Code"])), dtype="Int64"))
    for position, (column, source) in enumerate(M49_REGIONS.items(), start=3):
        out.insert(position, column, codes.map(table[source]).astype("str"))
    return out.sort_values("iso3").reset_index(drop=True)


def with_country_columns(frame: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the name and UNODC region of its ``iso3`` inserted after it (``COUNTRY_COLUMNS``).

    Every code of ``frame`` is in ``countries`` (the builders check it), so nothing is left unmatched.
    """
    lookup = countries.set_index("iso3")
    out = frame.copy()
    position = list(out.columns).index("iso3") + 1
    for offset, (column, source) in enumerate(COUNTRY_COLUMNS.items()):
        out.insert(position + offset, column, out["iso3"].map(lookup[source]).astype("str"))
    return out


# The UN geoscheme columns of ``countries`` and the M49 table's column each comes from.
M49_REGIONS = {
    "un_region": "Region Name",
    "un_subregion": "Sub-region Name",
    "un_intermediate_region": "Intermediate Region Name",
}


def _m49_by_iso3(m49: pd.DataFrame | None) -> pd.DataFrame:
    """The M49 table's rows that have an ISO alpha-3 code, indexed by it (empty without a table)."""
    columns = ["Country or Area", "M49 Code", *M49_REGIONS.values()]
    if m49 is None:
        return pd.DataFrame(columns=columns, dtype="str").rename_axis("ISO-alpha3 Code")
    return m49.dropna(subset=["ISO-alpha3 Code"]).set_index("ISO-alpha3 Code")[columns]


def ambiguous_glotip_failures(releases: dict[str, pd.DataFrame], labels: dict[str, str]) -> list[Failure]:
    """Within one release, one code must have one name, region and subregion."""
    failures = []
    for source_id, frame in releases.items():
        entities = _glotip_entities(frame).dropna(subset=["Iso3_code"])
        repeated = entities[entities["Iso3_code"].duplicated(keep=False)]
        for row in repeated.itertuples(index=False):
            check = "one Country/Region/Subregion per Iso3_code"
            failures.append(
                Failure(labels[source_id], row_number(row.index), "Iso3_code", check, row.Iso3_code, "rule")
            )
    return failures


def missing_code_failures(
    countries: pd.DataFrame, used: list[tuple[str, str, pd.Series]], labels: dict[str, str]
) -> list[Failure]:
    """Codes that another source uses but the universe lacks (nothing gives them a name)."""
    known = set(countries["iso3"])
    failures = []
    for source_id, column, codes in used:
        missing = codes.dropna()[~codes.dropna().isin(known)]
        for i, value in missing[~missing.duplicated()].items():
            check = "iso3 in countries (dataUNODC or World Bank code)"
            failures.append(
                Failure(labels.get(source_id, source_id), row_number(i), column, check, value, "rule")
            )
    return failures


# -- builder ------------------------------------------------------------------------------------


def build(ctx) -> dict[str, pd.DataFrame]:
    registry = ctx.registry
    names_in, coded = name_columns(registry), coded_columns(registry)
    report_id = sources.source_id(registry, subject=REPORT_SUBJECT)
    population_id = sources.source_id(registry, raw_model=POPULATION_MODEL)
    release_ids = glotip_releases(registry)
    needed = sorted({sid for sid, _ in names_in} | {sid for sid, *_ in coded})
    frames = {sid: ctx.raw(sid) for sid in needed}
    labels = {sid: str(ctx.raw_file(sid)) for sid in needed}
    reference_dir = ctx.reference_dir
    names_label = str(reference_dir / NAMES_FILE)
    aggregates_label = str(reference_dir / AGGREGATES_FILE)
    non_country_label = str(reference_dir / NON_COUNTRY_FILE)

    reference = ctx.reference(NAMES_FILE)
    aggregates = ctx.reference(AGGREGATES_FILE)
    non_country = ctx.reference(NON_COUNTRY_FILE)
    report_names = ctx.parse_text(report_id, report_member_states)

    occurrences = name_occurrences(frames, names_in, report_names, report_id)
    pairs = code_pairs(frames, coded)
    aggregate_codes = set(aggregates["code"])
    releases = {sid: frames[sid] for sid in release_ids}

    failures = aggregate_failures(frames[population_id], aggregates, aggregates_label, population_id)
    failures += non_country_failures(releases, non_country, labels, non_country_label)
    failures += ambiguous_glotip_failures(releases, labels)
    failures += name_map_failures(
        reference,
        occurrences,
        pairs,
        aggregate_codes,
        labels,
        population_id=population_id,
        reference_label=names_label,
    )
    if not failures:
        return _datasets(ctx, reference, occurrences, pairs, frames, labels, report_names, aggregate_codes)
    try:  # what the known names still give, for the later builders' rules (not published)
        partial = _datasets(
            ctx, reference, occurrences, pairs, frames, labels, report_names, aggregate_codes, unknown=[]
        )
    except Exception:  # nothing usable: the failures above are the report
        raise DataValidationError(failures) from None
    raise PartialBuild(failures, partial)


def _datasets(
    ctx, reference, occurrences, pairs, frames, labels, report_names, aggregate_codes, unknown=None
):
    """``countries`` and ``country_names``; with ``unknown`` (a list), names the mapping lacks are skipped."""
    registry = ctx.registry
    report_id = sources.source_id(registry, subject=REPORT_SUBJECT)
    population_id = sources.source_id(registry, raw_model=POPULATION_MODEL)
    untc_id = sources.source_id(registry, raw_model=PARTICIPANTS_MODEL, treaty=TIP_PROTOCOL)
    release_ids = glotip_releases(registry)
    names_in, coded = name_columns(registry), coded_columns(registry)
    releases = {sid: frames[sid] for sid in release_ids}

    def codes(values: pd.Series, file: str, column: str) -> pd.Series:
        return name_to_iso3(values, file=file, column=column, mapping=reference, failures=unknown)

    country_names = country_names_from_reference(reference, occurrences, pairs)
    untc_tip = frames[untc_id]
    untc_names = pd.DataFrame(
        {
            "participant": untc_tip["participant"],
            "iso3": codes(untc_tip["participant"], labels[untc_id], "participant"),
        }
    )
    m49_id = sources.source_id(registry, raw_model=M49_MODEL)
    countries = countries_from_sources(
        releases,
        frames[population_id],
        aggregate_codes,
        untc_names,
        population_id=population_id,
        untc_id=untc_id,
        m49=ctx.raw(m49_id),
        m49_id=m49_id,
    )

    # Codes used by other datasets (beside a name, outside dataUNODC and the World Bank, which make the
    # universe) and the treaty participants' names must all be in the universe.
    universe = {*release_ids, population_id}
    used: list[tuple[str, str, pd.Series]] = [
        (sid, code, frames[sid][code]) for sid, _, code in coded if sid not in universe
    ]
    treaty_ids = set(sources.source_ids(registry, subject=TREATY_SUBJECT))
    for sid, column in names_in:
        if sid in treaty_ids:
            used.append((sid, column, codes(frames[sid][column], labels[sid], column)))
    used.append(
        (
            report_id,
            REPORT_COLUMN,
            codes(pd.Series(report_names), report_id, REPORT_COLUMN),
        )
    )
    failures = missing_code_failures(countries, used, labels)
    if failures and unknown is None:
        raise DataValidationError(failures)
    return {"countries": countries, "country_names": country_names}
