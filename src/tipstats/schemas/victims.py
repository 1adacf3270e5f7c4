"""Shares of detected victims by group and by form of exploitation: GLOTIP text figures and what
tipstats computes from the dataUNODC table.

Raw model ``RawTextFigures`` (figures quoted from GLOTIP editions); processed models ``VictimShares`` and
``ExploitationShares`` (published and computed global shares).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from tipstats.facts import TIP_PROTOCOL_ADOPTED
from tipstats.schemas.base import (
    ProcessedModel,
    RawModel,
    all_per_cell,
    field,
    raw_period_field,
    years_in_text,
)
from tipstats.schemas.glotip import RELEASES

# -- vocabularies (one place) -------------------------------------------------------------------

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


# -- raw model ----------------------------------------------------------------------------------

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
    (any other unit but 'text') not negative. That a complete set of quoted shares adds up to 100 needs
    the builder's reading of each quantity: ``tipstats.pipeline.victims.shares_sum_failures`` checks it.
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


# -- processed models ---------------------------------------------------------------------------

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
