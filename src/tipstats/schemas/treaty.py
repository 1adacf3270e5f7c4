"""Treaty status: the UN Treaty Collection tables, later evidence and dated counts of parties.

Raw models check what ``pipeline/treaty.py`` relies on; ``TreatyEvents``, ``TreatyStatus`` and ``PartyCounts`` are
what users are promised.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from tipstats.facts import (
    JOINING_ACTIONS,
    LATEST_SOURCE_DATE,
    TIP_PROTOCOL_ADOPTED,
    TREATIES,
    UNTC_ACTION_MARKS,
)
from tipstats.schemas.base import (
    ISO3_PATTERN,
    ISO_PARTIAL_DATE,
    ProcessedModel,
    RawModel,
    field,
    raw_date_field,
    raw_period_field,
)

# The Convention and both Protocols were adopted together by the General Assembly (A/76/120,
# paragraph 2), so the Protocol's adoption date bounds every date of the three tables.
TREATY_ADOPTED = TIP_PROTOCOL_ADOPTED
ACTION_TYPES = list(JOINING_ACTIONS)
DATE_BASES = [
    "stated",
    "derived_entry_into_force_30_day_rule",
    "inferred_reporting_period",
    "not_given",
    "no_action",
]
PRECISIONS = ["day", "month", "year", "window", "none"]
EVENT_SOURCES = [
    "untc_tip_2018",
    "untc_som_2018",
    "untc_untoc_2014",
    "a76120",
    "tip_evidence",
    "tip_evidence_five_states",
]
COUNT_SOURCES = ["tip_party_counts", "tip_party_counts_2018_2024", "a76120"]

CAVEATS = [
    "Incomplete after 2017: the TIP and Smuggling of Migrants Protocol tables are the UNTC status of "
    "mid-January 2018 (latest actions 2017-12-29 and 2017-09-19). Later events are only those that the "
    "report A/76/120 (Brunei Darussalam, Comoros, Nepal) and the two evidence files (Bangladesh, Brunei "
    "Darussalam, Comoros, Nepal, Andorra, Bhutan, Palau, Pakistan) document. The official counts "
    "(dataset `party_counts`: 178 in Oct 2020, 182 in Apr 2024) are higher than the rows can explain; "
    "`tipstats.known_vs_official` shows the gap.",
    "The Organized Crime Convention (untoc) table is a scrape of January 2014 (latest action "
    "2013-10-17): at least ten later parties are missing (179 parties in the scrape; the UNTC header of "
    "January 2018 gives 189). Its footnote markers were stripped by the scraper.",
    "Palau: the 2020 US TIP report says Palau acceded during its reporting period, without a date. The "
    "row records that window as the evidence file infers it (April 2019 - March 2020, by the State "
    "Department's April-March convention), never a day. Palau is most likely the fifth party that took "
    "the count from 173 (Oct 2018) to 178 (Oct 2020) besides Bangladesh, Brunei Darussalam, Comoros and "
    "Nepal; whether it was the 174th or 175th party, and so whether A/76/120's 'three States acceded' "
    "covers its whole reporting period, is unresolved.",
    "Pakistan's row is likewise a window (April 2022 - March 2023, the 2023 US TIP report's period); "
    "Nepal's second evidence row (a reservation listing) shows it is a party but gives no date.",
    "Comoros: UNODC Eastern Africa (23 July 2020, the date of entry into force) calls Comoros the "
    "'179th State Party', which conflicts with the counts of 178 in October 2020, January 2021 and in "
    "A/76/120 (June 2021); the 179 count is kept in `party_counts`.",
    "Comoros 17 vs 23 June 2020: a minister quoted in 2023 gives 17 June 2020 (probably a domestic act); "
    "A/76/120 and the Dutch treaty database's entry into force (23 July 2020, minus 30 days) give "
    "23 June 2020, which is used. The 17 June date is kept in the evidence row's note.",
    "Nepal's day (16 June 2020) rests on A/76/120 alone; the evidence gives only the year 2020. "
    "Bhutan: the Dutch treaty database's entry into force (22 March 2023) implies deposit on "
    "2023-02-20; a Bhutanese press release dates the hand-over of the instrument 21 March 2023 (kept "
    "in the note).",
    "Dates 'derived_entry_into_force_30_day_rule' are entry-into-force dates minus 30 days (art. 17(2) "
    "of the Protocol); the rule matched 36 of 36 parties checked against the UNTC table.",
    "Where several sources date the same State's action, every row is kept (one per source_id). "
    "The dataset `treaty_status` has one row per State (what `tipstats.parties_as_of` counts): the UNTC "
    "table first (the depositary's record), then A/76/120 (it cites the UNTC status as at 9 June 2021 and "
    "gives days), then the evidence row with the narrowest date bounds.",
    "Not parties: the evidence file on five States says Tonga (2023, 2024) and the Republic of the Congo (2024) were "
    "still not parties; they have no event rows. Congo and Uganda are 2018 signatories whose later "
    "status is unknown. The signature columns are final (signature closed on 12 December 2002).",
]


# -- raw ----------------------------------------------------------------------------------------


class RawParticipants(RawModel):
    """``treaty/*_participants.csv``: one row per participant of a UNTC status table."""

    participant: Series[str] = pa.Field(
        alias="participant", unique=True, description="Participant name as in the UNTC table."
    )
    signature_date: Series[str] = raw_date_field(
        "signature_date", "Date of signature.", earliest=TREATY_ADOPTED, nullable=True
    )
    action_date: Series[str] = raw_date_field(
        "action_date", "Date of deposit of the instrument.", earliest=TREATY_ADOPTED, nullable=True
    )
    action_type: Series[str] = pa.Field(
        alias="action_type", nullable=True, isin=ACTION_TYPES, description="Kind of instrument deposited."
    )
    source_signature_text: Series[str] = pa.Field(
        alias="source_signature_text", nullable=True, description="Signature cell as in the source."
    )
    source_action_text: Series[str] = pa.Field(
        alias="source_action_text", nullable=True, description="Action cell as in the source."
    )
    untc_footnote: Series[str] = pa.Field(alias="untc_footnote", nullable=True, description="UNTC end-note.")
    source: Series[str] = pa.Field(alias="source", description="Repository, file and commit.")
    source_as_of: Series[str] = pa.Field(alias="source_as_of", description="Status date of the table.")

    @pa.dataframe_check(error="action_type is given exactly when action_date is")
    def type_with_date(cls, df) -> Series[bool]:
        return df["action_date"].isna() == df["action_type"].isna()

    # The row's own text is the source: the ISO columns and the type must say what it says.
    @pa.dataframe_check(
        error="action_date and action_type are what source_action_text says ('d Mon yyyy' and its mark)"
    )
    def action_as_in_text(cls, df) -> Series[bool]:
        day, mark = _untc_cell(df["source_action_text"])
        said = mark.map(UNTC_ACTION_MARKS)
        empty = df["source_action_text"].isna() & df["action_date"].isna() & df["action_type"].isna()
        return empty | ((df["action_date"] == day) & (df["action_type"] == said)).fillna(False)

    @pa.dataframe_check(error="signature_date is what source_signature_text says ('d Mon yyyy')")
    def signature_as_in_text(cls, df) -> Series[bool]:
        day, mark = _untc_cell(df["source_signature_text"])
        empty = df["source_signature_text"].isna() & df["signature_date"].isna()
        return empty | ((df["signature_date"] == day) & (mark == "")).fillna(False)

    # A State signs, then ratifies; an instrument deposited before the signature cannot be true.
    @pa.dataframe_check(error="action_date on or after signature_date")
    def action_after_signature(cls, df) -> Series[bool]:
        both = df["action_date"].notna() & df["signature_date"].notna()
        return ~both | (df["action_date"] >= df["signature_date"]).fillna(False)


def _untc_cell(text: Series) -> tuple[Series, Series]:
    """A UNTC cell ('15 Aug 2014 a') as its ISO day ('2014-08-15') and its mark ('a'); missing if unreadable."""
    parts = text.astype("str").str.extract(r"^\s*(\d{1,2} [A-Z][a-z]{2} \d{4})\s*([A-Za-z]*)\s*$")
    day = pd.to_datetime(parts[0], format="%d %b %Y", errors="coerce").dt.strftime("%Y-%m-%d")
    return day.where(parts[0].notna()), parts[1]


class RawPartyCounts(RawModel):
    """``treaty/tip_protocol_party_counts*.csv``: dated counts of Protocol parties, with their page."""

    date: Series[str] = raw_date_field(
        "date", "Date of the count: YYYY, YYYY-MM or YYYY-MM-DD.", earliest=TREATY_ADOPTED, partial=True
    )
    parties: Series[str] = pa.Field(
        alias="parties",
        str_matches=r"^(?:[a-z]+(?: [a-z]+)* )?\d+$",
        description="Count as given: a number, or words and a number ('some 180').",
    )
    signatories: Series[str] = pa.Field(
        alias="signatories", nullable=True, str_matches=r"^\d+$", description="Signatories, where stated."
    )
    kind: Series[str] = pa.Field(alias="kind", description="Kind of source.")
    source_url_or_repo: Series[str] = pa.Field(alias="source_url_or_repo", description="Page or repository.")
    note: Series[str] = pa.Field(alias="note", nullable=True, description="Quote and remarks.")

    # one count per date in a file (the processed key is treaty, date, source_id)
    @pa.dataframe_check(error="duplicate (date)")
    def unique_date(cls, df) -> Series[bool]:
        return ~df.duplicated(["date"], keep=False)


class RawEvidence(RawModel):
    """``treaty/tip_protocol_post2017_evidence*.csv``: what other sources say about later actions."""

    participant: Series[str] = pa.Field(alias="participant", description="State as named by the compiler.")
    evidence_kind: Series[str] = pa.Field(
        alias="evidence_kind", str_matches=r"^[a-z_]+$", description="What kind of evidence the row is."
    )
    value_as_given_in_source: Series[str] = pa.Field(
        alias="value_as_given_in_source", description="Quote or value as in the source."
    )
    date_as_given_iso: Series[str] = raw_date_field(
        "date_as_given_iso", "Date in the source.", earliest=TREATY_ADOPTED, partial=True, nullable=True
    )
    implied_deposit_date_derived: Series[str] = raw_date_field(
        "implied_deposit_date_derived",
        "Entry into force minus 30 days (an inference).",
        earliest=TREATY_ADOPTED,
        nullable=True,
    )
    source_url: Series[str] = pa.Field(alias="source_url", description="Address of the page.")
    source_page_date: Series[str] = raw_period_field(
        "source_page_date",
        "Page date, as written ('2020-07-30', '2020 TIP Report', 'undated page').",
        first=TREATY_ADOPTED.year,
        nullable=True,
    )
    note: Series[str] = pa.Field(alias="note", nullable=True, description="Compiler's note.")

    # several rows per participant by design, but one page's statement of one kind only once
    @pa.dataframe_check(error="duplicate (participant, evidence_kind, source_url)")
    def unique_statement(cls, df) -> Series[bool]:
        return ~df.duplicated(["participant", "evidence_kind", "source_url"], keep=False)


# -- processed ----------------------------------------------------------------------------------


def _bound(**kwargs):
    return {"ge": TREATY_ADOPTED, "le": LATEST_SOURCE_DATE, **kwargs}


class _ActionDates(ProcessedModel):
    """The checks of an action's date against its signature, precision, bounds and basis
    (``treaty_events`` and ``treaty_status``)."""

    @pa.dataframe_check(error="action_date on or after signature_date")
    def action_after_signature(cls, df) -> Series[bool]:
        both = df["action_date"].notna() & df["signature_date"].notna()
        return ~both | (df["action_date"] >= df["signature_date"])

    @pa.dataframe_check(error="action_date_earliest on or before action_date_latest")
    def bounds_ordered(cls, df) -> Series[bool]:
        both = df["action_date_earliest"].notna() & df["action_date_latest"].notna()
        return ~both | (df["action_date_earliest"] <= df["action_date_latest"])

    @pa.dataframe_check(
        error="action_date, action_date_earliest and action_date_latest match action_date_precision"
    )
    def precision_matches_bounds(cls, df) -> Series[bool]:
        early, late, day = df["action_date_earliest"], df["action_date_latest"], df["action_date"]
        precision = df["action_date_precision"]
        has_bounds = early.notna() & late.notna()
        month_start = (
            early.dt.is_month_start
            & late.dt.is_month_end
            & (early.dt.to_period("M") == late.dt.to_period("M"))
        )
        year_span = early.dt.is_year_start & late.dt.is_year_end & (early.dt.year == late.dt.year)
        ok = pd.Series(False, index=df.index)
        ok |= (precision == "day") & day.notna() & (early == day) & (late == day)
        ok |= (precision == "month") & day.isna() & has_bounds & month_start
        ok |= (precision == "year") & day.isna() & has_bounds & year_span
        ok |= (precision == "window") & day.isna() & has_bounds & (early < late)
        ok |= (precision == "none") & day.isna() & early.isna() & late.isna()
        return ok

    @pa.dataframe_check(error="date_basis no_action has action_date_precision none and no action_type")
    def basis_matches_action(cls, df) -> Series[bool]:
        no_action = df["date_basis"] == "no_action"
        quiet = (df["action_date_precision"] == "none") & df["action_type"].isna()
        return ~no_action | quiet

    @pa.dataframe_check(error="date_basis matches action_date_precision")
    def basis_matches_precision(cls, df) -> Series[bool]:
        derived = df["date_basis"] == "derived_entry_into_force_30_day_rule"
        inferred = df["date_basis"] == "inferred_reporting_period"
        dateless = df["date_basis"].isin(["not_given", "no_action"])
        precision = df["action_date_precision"]
        return (
            (~derived | (precision == "day"))
            & (~inferred | (precision == "window"))
            & (~dateless | (precision == "none"))
        )


class TreatyEvents(_ActionDates):
    """One row per participant, treaty and source: signature and the instrument that made it a party."""

    iso3: Series[str] = field(
        "Code of the State (key into `countries`); missing only for the European Union.",
        nullable=True,
        str_matches=ISO3_PATTERN,
    )
    participant: Series[str] = field("Participant name exactly as in the source (UN names of the time).")
    treaty: Series[str] = field(
        "tip_protocol (Trafficking in Persons Protocol), som_protocol (Smuggling of Migrants Protocol) or "
        "untoc (UN Convention against Transnational Organized Crime).",
        isin=list(TREATIES),
    )
    signature_date: Series[pa.DateTime] = field(
        "Date of signature; missing if the participant did not sign or the source does not say.",
        **_bound(nullable=True),
    )
    action_date: Series[pa.DateTime] = field(
        "Day the instrument (ratification, accession, ...) was deposited, where the day is known; missing "
        "when only a month, a year or a window is known (see the bounds) or there is no action.",
        **_bound(nullable=True),
    )
    action_type: Series[str] = field(
        "ratification, accession, acceptance, approval, succession or formal confirmation, as the source "
        "says; missing when there is no action or the source does not name it.",
        nullable=True,
        isin=ACTION_TYPES,
    )
    date_basis: Series[str] = field(
        "How the action date is known: stated (by the source), derived_entry_into_force_30_day_rule "
        "(entry into force minus 30 days), inferred_reporting_period (a US TIP report's April-March "
        "reporting period, as the evidence file infers it), not_given (an action without a date) or "
        "no_action (signature only).",
        isin=DATE_BASES,
    )
    action_date_precision: Series[str] = field(
        "day, month, year, window or none: how precisely the source dates the action.", isin=PRECISIONS
    )
    action_date_earliest: Series[pa.DateTime] = field(
        "First day the action can have happened on (equals action_date for a known day).",
        **_bound(nullable=True),
    )
    action_date_latest: Series[pa.DateTime] = field(
        "Last day the action can have happened on (equals action_date for a known day).",
        **_bound(nullable=True),
    )
    source_id: Series[str] = field("Source of the row; key into `sources`.", isin=EVENT_SOURCES)
    source_url: Series[str] = field(
        "Address of the page the row's evidence comes from; missing where the source registry's entry is "
        "the reference (UNTC tables, A/76/120).",
        nullable=True,
    )
    note: Series[str] = field(
        "UNTC end-note, or which evidence row gives the date and what the other rows say.", nullable=True
    )

    class Config:
        title = "Treaty actions: signatures, ratifications and accessions (UNTOC and its two Protocols)"
        description = (
            "Who signed the UN Convention against Transnational Organized Crime, its Trafficking in Persons "
            "Protocol and its Smuggling of Migrants Protocol, and when each became a party, from the UN "
            "Treaty Collection tables (January 2018; Convention January 2014), the report A/76/120 and "
            "dated evidence on later accessions. Each date says how it is known and how precise it is."
        )
        metadata = {"key": ["treaty", "participant", "source_id"], "as_of": "2024", "caveats": CAVEATS}

    @pa.dataframe_check(error="duplicate (treaty, iso3, source_id)")
    def unique_iso3(cls, df) -> Series[bool]:
        return df["iso3"].isna() | ~df.duplicated(["treaty", "iso3", "source_id"], keep=False)


STATUSES = ["party", "signatory_only"]

STATUS_CAVEATS = [
    "Resolved from `treaty_events`, which keeps every source's row: the row used for a participant is "
    "a joining action of a UNTC table first (the depositary's record), then of A/76/120 (it cites the "
    "UNTC status as at 9 June 2021 and gives days), then the evidence row with the narrowest date "
    "bounds (tip_evidence before tip_evidence_five_states). The rule is the one `tipstats.parties_as_of` "
    "and the ratification figures count with; `source_ids` names every source and `note` their values.",
    "As incomplete after 2017 as `treaty_events` (see its caveats): a State that joined after the UNTC "
    "tables and that no other source here documents is missing, or shown as `signatory_only` when it had "
    "signed; `signatory_only` means that no source here records an instrument, not that none exists. "
    "States that no source lists at all (the evidence file on five States names Tonga as still not a "
    "party) have no row.",
    "`conflict` is about dates: the dated sources' bounds do not share a day, or a note records a "
    "conflict (the build's convention, also used by its cross-source rule), including the compiler's "
    "notes in the evidence files, which `treaty_events` does not publish (they are quoted here). A "
    "difference in the kind of action (A/76/120 'accession' against a news page's 'ratified') is named "
    "in `note` and `action_types` but not flagged.",
    "Nepal's day rests on A/76/120 alone; the other sources give the year or no date (see `note`).",
]


class TreatyStatus(_ActionDates):
    """One row per treaty and participant: its status and the one date used, resolved across sources."""

    iso3: Series[str] = field(
        "Code of the State (key into `countries`); missing only for the European Union.",
        nullable=True,
        str_matches=ISO3_PATTERN,
    )
    participant: Series[str] = field("Participant name as in the row used (UN names of the time).")
    treaty: Series[str] = field(
        "tip_protocol (Trafficking in Persons Protocol), som_protocol (Smuggling of Migrants Protocol) or "
        "untoc (UN Convention against Transnational Organized Crime).",
        isin=list(TREATIES),
    )
    status: Series[str] = field(
        "party (some source records a ratification, accession or other joining instrument, dated or "
        "not) or signatory_only (signed, and no source here records an instrument).",
        isin=STATUSES,
    )
    signature_date: Series[pa.DateTime] = field(
        "Date of signature, from the first source (in the order of preference) that gives one; missing "
        "if the participant did not sign or no source says.",
        **_bound(nullable=True),
    )
    action_type: Series[str] = field(
        "The instrument as the row used names it (ratification, accession, ...); missing for a "
        "signatory or when that source does not name it.",
        nullable=True,
        isin=ACTION_TYPES,
    )
    action_date: Series[pa.DateTime] = field(
        "The day used, where the row used gives a day; missing when it gives only a month, a year or a "
        "window (see the bounds), no date, or there is no action.",
        **_bound(nullable=True),
    )
    action_date_precision: Series[str] = field(
        "day, month, year, window or none: how precisely the row used dates the action.", isin=PRECISIONS
    )
    action_date_earliest: Series[pa.DateTime] = field(
        "First day the action can have happened on, by the row used (equals action_date for a day).",
        **_bound(nullable=True),
    )
    action_date_latest: Series[pa.DateTime] = field(
        "Last day the action can have happened on, by the row used (equals action_date for a day); a "
        "party counts as known at a date on or after it.",
        **_bound(nullable=True),
    )
    date_basis: Series[str] = field(
        "How the date used is known, as in `treaty_events`: stated, derived_entry_into_force_30_day_rule, "
        "inferred_reporting_period, not_given (a party without a date) or no_action (signatory).",
        isin=DATE_BASES,
    )
    source_id: Series[str] = field(
        "Source of the row used; key into `sources` (and, with treaty and participant, into "
        "`treaty_events`).",
        isin=EVENT_SOURCES,
    )
    source_url: Series[str] = field(
        "Address of the page of the row used; missing where the sources registry's entry is the "
        "reference (UNTC tables, A/76/120).",
        nullable=True,
    )
    source_ids: Series[str] = field(
        "Every source with a row for this treaty and participant, comma-separated and sorted (keys into "
        "`sources`).",
        str_matches=r"^[a-z0-9_]+(,[a-z0-9_]+)*$",
    )
    action_types: Series[str] = field(
        "Every kind of instrument the sources name, '/'-separated and sorted; missing when none names one.",
        nullable=True,
    )
    conflict: Series[bool] = field(
        "True when the sources' dates do not agree (the dated rows' bounds share no day: different days, "
        "or windows that do not meet) or a note of the sources records a conflict; `note` says which."
    )
    note: Series[str] = field(
        "Where several sources have a row: each source's value (date, precision, basis, action), the "
        "row used and why; any conflict, with the notes that record it. Missing for a single source "
        "without conflict.",
        nullable=True,
    )

    class Config:
        title = "Treaty status: one row per participant and treaty (UNTOC and its two Protocols)"
        description = (
            "Whether each participant of the UN Convention against Transnational Organized Crime, its "
            "Trafficking in Persons Protocol and its Smuggling of Migrants Protocol is a party or only a "
            "signatory, and the one date used for its instrument, resolved from the rows of "
            "`treaty_events` (one per source): the UN Treaty Collection table first, then A/76/120, then "
            "the narrowest later evidence. Each row names every source and flags sources whose dates "
            "conflict. Count the parties at a date with `action_date_latest`."
        )
        metadata = {"key": ["treaty", "participant"], "as_of": "2024", "caveats": STATUS_CAVEATS}

    @pa.dataframe_check(error="duplicate (treaty, iso3)")
    def unique_iso3(cls, df) -> Series[bool]:
        return df["iso3"].isna() | ~df.duplicated(["treaty", "iso3"], keep=False)

    @pa.dataframe_check(error="source_id is one of source_ids")
    def used_source_listed(cls, df) -> Series[bool]:
        listed = df["source_ids"].astype("str").str.split(",")
        return pd.Series([u in ids for u, ids in zip(df["source_id"], listed, strict=True)], index=df.index)

    @pa.dataframe_check(
        error="status signatory_only exactly when date_basis is no_action, and then a signature"
    )
    def status_matches_basis(cls, df) -> Series[bool]:
        signatory = df["status"] == "signatory_only"
        return (signatory == (df["date_basis"] == "no_action")) & (~signatory | df["signature_date"].notna())

    @pa.dataframe_check(error="a conflict has a note")
    def conflict_has_note(cls, df) -> Series[bool]:
        return ~df["conflict"] | df["note"].notna()


class PartyCounts(ProcessedModel):
    """Dated official (or quoted) counts of parties to a treaty."""

    date: Series[str] = field(
        "Date of the count as given: YYYY-MM-DD, or YYYY-MM / YYYY where the source gives no day.",
        str_matches=ISO_PARTIAL_DATE,
    )
    date_precision: Series[str] = field(
        "day, month or year: the precision of `date`.", isin=["day", "month", "year"]
    )
    date_earliest: Series[pa.DateTime] = field("First day `date` can mean.", **_bound())
    date_latest: Series[pa.DateTime] = field("Last day `date` can mean.", **_bound())
    treaty: Series[str] = field(
        "Treaty counted (tip_protocol: the Trafficking in Persons Protocol).", isin=list(TREATIES)
    )
    parties: Series["Int64"] = field(
        "Number of parties where the source gives an exact number; missing for approximate wording.",
        unit="parties",
        nullable=True,
        ge=0,
    )
    parties_as_given: Series[str] = field("The count in the source's words, e.g. '178' or 'some 180'.")
    qualifier: Series[str] = field(
        "The source's qualifying words ('some', 'over') where the count is approximate; missing for a "
        "plain number.",
        nullable=True,
    )
    signatories: Series["Int64"] = field(
        "Number of signatories, where the source states it.", unit="States", nullable=True, ge=0
    )
    kind: Series[str] = field("Kind of source (UNTC header, UN press release, news page, ...), as recorded.")
    source_id: Series[str] = field("Source of the row; key into `sources`.", isin=COUNT_SOURCES)
    source_url: Series[str] = field(
        "Address (or repository reference) of the page the count comes from, as recorded; missing for "
        "A/76/120 (see `sources`).",
        nullable=True,
    )
    note: Series[str] = field("Quote and remarks, as recorded.", nullable=True)

    class Config:
        title = "Dated counts of parties to the Trafficking in Persons Protocol"
        description = (
            "How many States (and the European Union) were parties to the Trafficking in Persons Protocol "
            "at dates from 2008 to 2025, as UN pages, press releases and other sources state it, including "
            "the 178 parties as at 9 June 2021 given by A/76/120. Put them next to the rows of "
            "`treaty_events` to see which parties the rows miss."
        )
        metadata = {
            "key": ["treaty", "date", "source_id"],
            "as_of": "2025-07",
            "caveats": [
                "Counts are as each page states them at its date; some pages are secondary (Wikipedia "
                "mirrors, news). Approximate wording ('some 180', 'over 180') is kept in "
                "`parties_as_given` and `qualifier` with `parties` missing.",
                "The 2021-06-09 count of 178 appears twice: as parsed from A/76/120 itself (source_id "
                "a76120) and as recorded in the counts file (source_id tip_party_counts, kind 'claim under "
                "test'). It is the report's claim, not an independent count.",
                "Comoros was called the '179th State Party' on 2020-07-23 (UNODC Eastern Africa), which "
                "conflicts with the 178 counts of October 2020 and later; both are kept.",
                "respect.international gives 171 parties as of September 2017, while the UNTC table has "
                "172 with dates up to 30 September 2017.",
            ],
        }

    @pa.dataframe_check(error="parties is given exactly when qualifier is missing")
    def exact_or_qualified(cls, df) -> Series[bool]:
        return df["parties"].isna() == df["qualifier"].notna()

    @pa.dataframe_check(error="date_earliest and date_latest match date and date_precision")
    def bounds_match_date(cls, df) -> Series[bool]:
        early, late = df["date_earliest"], df["date_latest"]
        starts = zip(early.dt.strftime("%Y-%m-%d"), late.dt.strftime("%Y-%m-%d"), df["date"], strict=True)
        same = pd.Series([a.startswith(d) and b.startswith(d) for a, b, d in starts], index=df.index)
        day = (df["date_precision"] == "day") & (early == late)
        month = (df["date_precision"] == "month") & early.dt.is_month_start & late.dt.is_month_end
        year = (df["date_precision"] == "year") & early.dt.is_year_start & late.dt.is_year_end
        return same & (day | month | year)
