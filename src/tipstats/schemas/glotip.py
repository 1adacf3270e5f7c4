"""GLOTIP: the dataUNODC country dataset (two releases), GLOTIP text figures, and what tipstats derives.

Raw models check what the builder relies on (fixed vocabularies, the count syntax, unique figure ids).
Processed models: ``Glotip`` (tidy long form, both releases), ``GlotipQuarantine`` (every dropped row
with its reason), ``VictimShares`` and ``ExploitationShares`` (published and computed global shares),
``Convictions`` (country-year persons prosecuted and convicted, with population and a rate).
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from tipstats.facts import SUPPRESSED_FLAG, TIP_PROTOCOL_ADOPTED
from tipstats.schemas.base import (
    ISO3_PATTERN,
    ProcessedModel,
    RawModel,
    all_per_cell,
    field,
    raw_period_field,
    raw_year_field,
    years_in_text,
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

VICTIM_GROUPS = ["women", "girls", "men", "boys", "children", "women_and_girls"]
EXPLOITATION_FORMS = [
    "sexual_exploitation",
    "forced_labour",
    "other_forms",
    "forced_criminal_activity",
    "begging",
    "forced_marriage_organ_removal_other",
]
AMONG = ["all", "children", "girls", "boys", "women", "forced_labour"]
BASES = ["published", "computed"]
# Sets of groups (forms) that partition the victims they are shares of: when a set quotes every
# member with a number, the shares must add up to 100 within the source's rounding.
VICTIM_PARTITIONS = [("women", "girls", "men", "boys"), ("women", "men", "children")]
EXPLOITATION_PARTITIONS = [("sexual_exploitation", "forced_labour", "other_forms")]
# Published shares are whole per cent, each rounded: a complete set of up to 4 parts may be off by 1.5.
PUBLISHED_TOLERANCE = 1.5
COMPUTED_TOLERANCE = 1e-6
SET_KEY = ["basis", "edition", "release", "year_or_period", "source_url", "among"]


def partition_sum_ok(df: pd.DataFrame, member: str, partitions: list[tuple[str, ...]]) -> pd.Series:
    """True for every row unless it belongs to a complete partition whose shares do not add up to 100.

    Rows are grouped into sets by :data:`SET_KEY` (one source's quotation of one edition and period, or
    one computed year). A partition is checked in a set only when each of its members occurs exactly once
    there with a numeric share; the tolerance is 1.5 points for published and 1e-6 for computed shares.
    """
    ok = pd.Series(True, index=df.index)
    if df.empty:
        return ok
    keys = df[SET_KEY].astype(object).where(df[SET_KEY].notna(), "\x00")
    set_id = keys.astype(str).agg("\x1f".join, axis=1)
    for members in partitions:
        in_part = df[member].isin(members)
        part = df.loc[in_part, [member, "share", "basis"]].assign(set_id=set_id[in_part])
        stats = part.groupby("set_id").agg(
            n=(member, "size"),
            distinct=(member, "nunique"),
            numeric=("share", "count"),
            total=("share", "sum"),
            basis=("basis", "first"),
        )
        complete = (stats["n"] == len(members)) & (stats["distinct"] == len(members))
        complete &= stats["numeric"] == len(members)
        tolerance = stats["basis"].map({"published": PUBLISHED_TOLERANCE, "computed": COMPUTED_TOLERANCE})
        bad_sets = stats.index[complete & ((stats["total"] - 100).abs() > tolerance)]
        ok &= ~(in_part & set_id.isin(bad_sets))
    return ok


# -- quoted shares: which victims a text figure is a share of (the raw check and the builder) -----

VICTIM_QUANTITIES = [
    (r"share of detected victims: (?P<member>.+)", "all"),
    (r"(?:share of )?girls among detected child victims", "children"),
    (r"female share among detected victims of trafficking for forced labour", "forced_labour"),
]
VICTIM_LABELS = {
    "adult women": "women",
    "women": "women",
    "adult men": "men",
    "men": "men",
    "girls": "girls",
    "boys": "boys",
    "children": "children",
    "children (minors)": "children",
    "children (girls+boys)": "children",
    "women and girls": "women_and_girls",
    "female (women+girls)": "women_and_girls",
}
# groups implied by the quantity itself (no ": member" part)
VICTIM_IMPLIED = {"children": "girls", "forced_labour": "women_and_girls"}
EXPLOITATION_QUANTITIES = [
    (r"share (?:of detected victims )?by form: (?P<member>.+)", "all"),
    (r"share of detected (?P<among>girls|boys|women) trafficked for (?P<member>.+)", None),
]
FORM_LABELS = {
    "sexual exploitation": "sexual_exploitation",
    "forced labour": "forced_labour",
    "other purposes": "other_forms",
    "forced criminal activity": "forced_criminal_activity",
    "forced criminality": "forced_criminal_activity",
    "begging": "begging",
    "forced marriage, organ removal, other purposes": "forced_marriage_organ_removal_other",
}
assert set(VICTIM_LABELS.values()) <= set(VICTIM_GROUPS)
assert set(FORM_LABELS.values()) <= set(EXPLOITATION_FORMS)

_SHARE = r"(?P<share>\d{1,3}(?:\.\d+)?)"
_HEDGES = r"around|about|over|some|nearly|almost|more than|less than"
SHARE_FORMS = [
    re.compile(rf"^{_SHARE}$"),
    re.compile(rf"^(?P<qualifier>{_HEDGES})\s+{_SHARE}$"),
    re.compile(rf"^{_SHARE}\s+\((?P<qualifier>{_HEDGES})\)$"),
    re.compile(rf"^{_SHARE}\s+\((?P<remark>[^)]*)\)$"),
]


def parse_share(value: str, quote: str = "") -> tuple[float | None, str | None, str | None]:
    """(share, qualifier, remark) of a quoted share; share None for words or ranges.

    The qualifier is the hedge written with the value ('74 (around)', 'over 74'), or, failing that, a hedge
    written in the quote right before the same number and a per-cent sign ('some 59 per cent').

    >>> parse_share("74 (around)")
    (74.0, 'around', None)
    >>> parse_share("59", "accounting for some 59 per cent, while")
    (59.0, 'some', None)
    >>> parse_share("one out of three")
    (None, None, None)
    """
    text = value.strip()
    for pattern in SHARE_FORMS:
        m = pattern.match(text)
        if m:
            share = float(m["share"])
            qualifier = m.groupdict().get("qualifier")
            remark = m.groupdict().get("remark")
            if qualifier is None and quote:
                near = re.search(
                    rf"\b({_HEDGES})\s+{re.escape(m['share'])}\s*(?:per ?cent|percent|%|pc)",
                    quote,
                    flags=re.IGNORECASE,
                )
                if near:
                    qualifier = near.group(1).lower()
            return share, qualifier, remark
    return None, None, None


def _classify(quantity: str, patterns, labels, implied) -> tuple[str | None, str | None]:
    for pattern, among in patterns:
        m = re.fullmatch(pattern, quantity)
        if m is None:
            continue
        group_among = m.groupdict().get("among") or among
        member = m.groupdict().get("member")
        if member is None:
            return group_among, implied[group_among]
        return group_among, labels.get(member.strip())
    return None, None


def classify_share(quantity: str) -> tuple[str | None, str | None, str | None]:
    """(kind, among, member) of a text figure's quantity: kind 'group' (a victim group) or 'form' (a form
    of exploitation); among and member None when the quantity is not such a share; member None when it
    is, but names a group or form with no label.

    >>> classify_share("share of detected victims: adult women")
    ('group', 'all', 'women')
    >>> classify_share("share of detected boys trafficked for forced labour")
    ('form', 'boys', 'forced_labour')
    >>> classify_share("countries covered by the report")
    (None, None, None)
    """
    among, member = _classify(quantity, VICTIM_QUANTITIES, VICTIM_LABELS, VICTIM_IMPLIED)
    if among is not None:
        return "group", among, member
    among, member = _classify(quantity, EXPLOITATION_QUANTITIES, FORM_LABELS, {})
    if among is not None:
        return "form", among, member
    return None, None, None


def page_url(text: str) -> str | None:
    """The page address of a text figure's ``source_url`` cell (None where it holds a note instead)."""
    return text if re.match(r"^https?://", text) else None


SHARE_UNITS = ("percent", "text")


def quoted_share_sets(figures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The text figures that are shares of a victim group ('group') or a form of exploitation ('form'),
    with the columns :func:`partition_sum_ok` needs (as ``published_shares`` gives them), on the index of
    ``figures``. Rows the builder rejects (unknown label, unit other than percent or text) are left out.
    """
    rows: dict[str, list[dict]] = {"group": [], "form": []}
    index: dict[str, list] = {"group": [], "form": []}
    for i, row in zip(figures.index, figures.itertuples(index=False), strict=True):
        kind, among, member = classify_share(str(row.quantity).strip())
        if member is None or row.unit not in SHARE_UNITS:
            continue
        share, _, _ = parse_share(str(row.value))
        rows[kind].append(
            {
                "basis": "published",
                "edition": row.edition,
                "release": None,
                "year_or_period": row.year_or_period,
                "source_url": page_url(str(row.source_url)),
                "among": among,
                kind: member,
                "share": share,
            }
        )
        index[kind].append(i)
    columns = [*SET_KEY, "share"]
    return {
        kind: pd.DataFrame(rows[kind], index=index[kind], columns=[*columns, kind]).astype(
            {"share": "float64"}
        )
        for kind in rows
    }


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
TEXT_FIGURE_FIRST_YEAR = TIP_PROTOCOL_ADOPTED.year
# A number in a value cell, with its sign: '-' before a number is a minus unless it joins two numbers
# (a range, '55-60'); '+25' is 25.
_RANGE_DASH = r"(?<=\d)\s*-\s*(?=\d)"
_SIGNED_NUMBER = r"(?<![\w.])(-?\d+(?:\.\d+)?)"


def value_numbers(values: pd.Series) -> pd.Series:
    """Every number written in each value cell, signed, as floats (one row per number, indexed by the
    cell's index and the number's position: ``str.extractall``).

    >>> value_numbers(pd.Series(["55-60", "about -44", "+25", "one in three"])).tolist()
    [55.0, 60.0, -44.0, 25.0]
    """
    text = values.astype("str").str.replace(_RANGE_DASH, " to ", regex=True)
    return text.str.extractall(_SIGNED_NUMBER)[0].astype("float64")


def _is_change(df: pd.DataFrame) -> pd.Series:
    """Per-cent figures that are changes ('change in number of ... vs previous year'), not shares."""
    return df["unit"].eq("percent") & df["quantity"].str.strip().str.startswith("change")


class RawTextFigures(RawModel):
    """``glotip/glotip_text_figures.csv``: figures from GLOTIP editions as quoted on web pages.

    Values are text by design (verbal figures are kept as written); the numbers written in them are
    checked by unit: a share in per cent is from 0 to 100, a change in per cent not below -100, a count
    (any other unit but 'text') not negative; a complete set of shares adds up to 100 within the
    source's rounding (the rule of the processed share datasets, :func:`partition_sum_ok`).
    """

    edition: Series[str] = raw_period_field(
        "edition",
        "GLOTIP edition.",
        first=TEXT_FIGURE_FIRST_YEAR,
        str_matches=r"^GLOTIP (19|20)\d{2}$",
    )
    figure_id: Series[str] = pa.Field(
        unique=True, str_matches=r"^g\d{2}_[a-z0-9_]+$", description="Figure id."
    )
    quantity: Series[str] = pa.Field(description="What the figure measures.")
    year_or_period: Series[str] = raw_period_field(
        "year_or_period",
        "Data year or period the figure refers to, as given ('2018', '2003-2006', '2018 or most recent').",
        first=TEXT_FIGURE_FIRST_YEAR,
    )
    value: Series[str] = pa.Field(description="The value as stated (text where verbal or a range).")
    unit: Series[str] = pa.Field(description="Unit of the value.")
    source_url: Series[str] = pa.Field(description="Address of the page quoted (or a note where none).")
    quote: Series[str] = pa.Field(description="Short excerpt of the page.")

    @pa.dataframe_check(error="year_or_period is not after the year of the edition that reports it")
    def period_not_after_edition(cls, df) -> Series[bool]:
        edition = pd.to_numeric(df["edition"].str.extract(r"(\d{4})$", expand=False), errors="coerce")
        years = years_in_text(df["year_or_period"])
        limit = edition.reindex(years.index.get_level_values(0)).to_numpy()
        ok = pd.Series((years.to_numpy() <= limit) | pd.isna(limit), index=years.index)
        return all_per_cell(ok, df.index)

    @pa.dataframe_check(error="value of a share in per cent is from 0 to 100")
    def share_within_0_100(cls, df) -> Series[bool]:
        share = df["unit"].eq("percent") & ~_is_change(df)
        numbers = value_numbers(df.loc[share, "value"])
        return all_per_cell(numbers.between(0, 100), df.index)

    @pa.dataframe_check(error="value of a change in per cent is not below -100")
    def change_not_below_minus_100(cls, df) -> Series[bool]:
        numbers = value_numbers(df.loc[_is_change(df), "value"])
        return all_per_cell(numbers.ge(-100), df.index)

    @pa.dataframe_check(error="value of a count is not negative")
    def count_not_negative(cls, df) -> Series[bool]:
        numbers = value_numbers(df.loc[~df["unit"].isin(["percent", "text"]), "value"])
        return all_per_cell(numbers.ge(0), df.index)

    @pa.dataframe_check(
        error="value: a complete set of shares (one page, GLOTIP report and period) does not add up to "
        "100 within the source's rounding"
    )
    def shares_add_to_100(cls, df) -> Series[bool]:
        ok = pd.Series(True, index=df.index)
        sets = quoted_share_sets(df)
        for kind, partitions in (("group", VICTIM_PARTITIONS), ("form", EXPLOITATION_PARTITIONS)):
            ok &= partition_sum_ok(sets[kind], kind, partitions).reindex(df.index, fill_value=True)
        return ok


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


# -- processed models ---------------------------------------------------------------------------

_RELEASE = "dataUNODC release date (workbook stamp): '2025-04-14' or '2023-05-30'."
_SOURCE_ROW = "Row of the raw CSV (header = row 1), for tracing a value back to the source file."


class Glotip(ProcessedModel):
    """The dataUNODC trafficking-in-persons country dataset in tidy long form, both releases."""

    release: Series[str] = field(_RELEASE, isin=list(RELEASES))
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

    release: Series[str] = field(_RELEASE, isin=list(RELEASES))
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


# -- shares -------------------------------------------------------------------------------------

_SHARE_DOC = {
    "basis": "'published': a share quoted from a GLOTIP edition; 'computed': tipstats' own computation "
    "from the 2025-04-14 dataUNODC release.",
    "edition": "GLOTIP edition quoted (published rows); missing for computed rows.",
    "year": "Data year, where the source gives a single year (computed: the data year); else missing.",
    "year_or_period": "Data year or period as given by the source (computed: the data year).",
    "among": "Which victims the share is of: 'all' detected victims, or a subgroup ('children', 'girls', "
    "'boys', 'women', 'forced_labour' = victims of trafficking for forced labour).",
    "share": "Share in per cent; missing where the source states it only in words or as a range "
    "(see value_as_given).",
    "qualifier": "The source's hedge on a numeric share ('around', 'over', 'about', 'some'), where it says so.",
    "value_as_given": "The value exactly as the source states it (published rows), e.g. '74 (around)', "
    "'one out of three', '55-60'.",
    "n_countries": "Computed rows: number of countries whose counts enter the year's shares.",
    "n_victims": "Computed rows: detected victims in this group (form) summed over those countries; the "
    "denominator of the share is the sum of n_victims over the set.",
    "release": "Computed rows: the dataUNODC release used.",
    "figure_id": "Published rows: `figure_id` in glotip_text_figures.csv.",
    "source_id": "Source of the row; key into `sources`.",
    "source_url": "Published rows: address of the page quoted (missing where the page has none).",
    "note": "How the value was read or computed, and conflicts with other rows.",
}


_SHARE_CAVEATS = [
    "Published rows come mostly from secondary pages quoting GLOTIP (news, NGO, library pages); each row "
    "names its page. Conflicting quotations are kept as separate rows, none is preferred.",
    "Verbal values ('one out of three', 'around half') and ranges ('55-60') keep share missing: no number "
    "is derived from words; the words are in value_as_given.",
    "GLOTIP's global shares are UNODC computations over the countries reporting in a year ('or most "
    "recent'); the computed rows use only countries with every cell of the set numeric in that year, so "
    "they differ from the published shares and are not comparable year to year (the panel changes).",
]


class _Shares(ProcessedModel):
    """The layout both share datasets follow; each names its category column (`group` or `form`)."""

    basis: Series[str] = field(_SHARE_DOC["basis"], isin=BASES)
    edition: Series[str] = field(_SHARE_DOC["edition"], nullable=True, str_matches=r"^GLOTIP \d{4}$")
    year: Series["Int64"] = field(_SHARE_DOC["year"], unit="year", nullable=True, ge=2000, le=2030)
    year_or_period: Series[str] = field(_SHARE_DOC["year_or_period"])
    among: Series[str] = field(_SHARE_DOC["among"], isin=AMONG)
    category: Series[str] = field("What the share is of; renamed `group` or `form` by each dataset.")
    share: Series[float] = field(_SHARE_DOC["share"], unit="per cent", nullable=True, ge=0, le=100)
    qualifier: Series[str] = field(_SHARE_DOC["qualifier"], nullable=True)
    value_as_given: Series[str] = field(_SHARE_DOC["value_as_given"], nullable=True)
    n_countries: Series["Int64"] = field(_SHARE_DOC["n_countries"], unit="countries", nullable=True, ge=1)
    n_victims: Series["Int64"] = field(_SHARE_DOC["n_victims"], unit="persons", nullable=True, ge=0)
    release: Series[str] = field(_SHARE_DOC["release"], nullable=True, isin=list(RELEASES))
    figure_id: Series[str] = field(_SHARE_DOC["figure_id"], nullable=True)
    source_id: Series[str] = field(_SHARE_DOC["source_id"], isin=["glotip_text_figures", "glotip_2025"])
    source_url: Series[str] = field(_SHARE_DOC["source_url"], nullable=True, str_matches=r"^https?://")
    note: Series[str] = field(_SHARE_DOC["note"], nullable=True)

    @pa.dataframe_check(
        error="published rows need edition, figure_id; computed rows need year, release, counts"
    )
    def basis_fields(cls, df) -> Series[bool]:
        return _basis_fields_ok(df)


class VictimShares(_Shares):
    """Global shares of detected victims by sex and age group: published (GLOTIP) and computed."""

    category: Series[str] = field(
        "Victim group: women (18 years or over), girls (0 to 17), men (18 or over), boys (0 to 17), children "
        "(girls and boys), women_and_girls.",
        isin=VICTIM_GROUPS,
        alias="group",
    )

    class Config:
        title = "Shares of detected trafficking victims by sex and age: published by GLOTIP and computed"
        description = (
            "Global shares of women, girls, men and boys (and children, women and girls) among detected "
            "trafficking victims. basis 'published': the figures of GLOTIP editions 2009-2024 as quoted "
            "on web pages (glotip_text_figures). basis 'computed': per data year from the dataUNODC "
            "2025-04-14 release, Detected trafficking victims, Dimension 'Total': women = Female x 18 years "
            "or over, girls = Female x 0 to 17, men = Male x 18 or over, boys = Male x 0 to 17, over the "
            "countries with all four cells numeric that year."
        )
        metadata = {
            "key": ["basis", "edition", "release", "year_or_period", "among", "group", "figure_id"],
            "as_of": "2025-04-14",
            "caveats": [
                *_SHARE_CAVEATS,
                "Computed: a country enters a year only if all four Sex x Age cells are present and numeric; "
                "countries with any '<5' cell or a missing cell that year are left out (note gives how many). "
                "Victims of sex 'Other'/'Unknown' or age 'Unknown' are outside the four groups.",
                "Quoted several ways, all kept: adult women 2004 as 74, 'around 74' (GLOTIP 2020) and 'over "
                "74' (GLOTIP 2022). Words only: GLOTIP 2018 'around half' adult women, GLOTIP 2014 'one in "
                "three' children.",
            ],
        }

    @pa.dataframe_check(error="a complete set of shares does not add up to 100 within the source's rounding")
    def sets_add_to_100(cls, df) -> Series[bool]:
        return partition_sum_ok(df, "group", VICTIM_PARTITIONS)


class ExploitationShares(_Shares):
    """Global shares of detected victims by form of exploitation: published (GLOTIP) and computed."""

    category: Series[str] = field(
        "Form of exploitation: sexual_exploitation, forced_labour, other_forms (GLOTIP 'other purposes', "
        "dataUNODC 'Other forms of exploitation'), and the sub-forms some quotations give separately: "
        "forced_criminal_activity, begging, forced_marriage_organ_removal_other.",
        isin=EXPLOITATION_FORMS,
        alias="form",
    )

    class Config:
        title = (
            "Shares of detected trafficking victims by form of exploitation: published by GLOTIP and computed"
        )
        description = (
            "Global shares of detected victims trafficked for sexual exploitation, forced labour and other "
            "forms (overall, or among girls, boys or women). basis 'published': the figures of GLOTIP "
            "editions 2009-2024 as quoted on web pages (glotip_text_figures). basis 'computed': per data year "
            "from the dataUNODC 2025-04-14 release, Detected trafficking victims 'by form of exploitation', "
            "Sex and Age 'Total', over the countries with all three forms numeric that year."
        )
        metadata = {
            "key": ["basis", "edition", "release", "year_or_period", "among", "form", "figure_id"],
            "as_of": "2025-04-14",
            "caveats": [
                *_SHARE_CAVEATS,
                "Computed: other_forms of a country-year is the sum of its 'Other forms of exploitation' rows "
                "with Sex and Age 'Total' (unlabelled sub-forms); a country enters a year only if its sexual "
                "exploitation, forced labour and every other-forms row are numeric. The file does not say "
                "whether one of those rows is ever itself a subtotal of the others, and the sums do not "
                "always agree with the age breakdown of other forms: read other_forms as approximate.",
                "Computed panels are small (one country in 2003 and 2004) and change every year.",
                "Known conflicts kept: GLOTIP 2012 sexual exploitation 48 per cent (ibtimes) vs 58 "
                "(hopeinitiatives); GLOTIP 2018 forced labour 'one out of three' vs 'around 34'.",
            ],
        }

    @pa.dataframe_check(error="a complete set of shares does not add up to 100 within the source's rounding")
    def sets_add_to_100(cls, df) -> Series[bool]:
        return partition_sum_ok(df, "form", EXPLOITATION_PARTITIONS)


def _basis_fields_ok(df: pd.DataFrame) -> pd.Series:
    published = (df["basis"] == "published") & df["edition"].notna() & df["figure_id"].notna()
    published &= df["release"].isna() & (df["source_id"] == "glotip_text_figures")
    computed = (df["basis"] == "computed") & df["year"].notna() & df["release"].notna()
    computed &= df["n_countries"].notna() & df["n_victims"].notna() & df["share"].notna()
    computed &= df["edition"].isna() & df["figure_id"].isna() & (df["source_id"] == "glotip_2025")
    return published | computed


# -- convictions --------------------------------------------------------------------------------


class Convictions(ProcessedModel):
    """Persons prosecuted and convicted per country and year (dataUNODC 2025-04-14), with population."""

    iso3: Series[str] = field("ISO 3166-1 alpha-3 code; present in `countries`.", str_matches=ISO3_PATTERN)
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
    release: Series[str] = field(_RELEASE, isin=["2025-04-14"])
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
