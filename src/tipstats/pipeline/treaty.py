"""Build ``treaty_events`` and ``party_counts``.

Sources, and how each becomes rows:

* the three UNTC status tables: one row per participant, dates as stated;
* A/76/120 paragraph 5: the States it says acceded during its reporting period, with their days,
  parsed from the report text; and its count of parties with the date of footnote 1;
* the two evidence files: one row per State and file, dated by the narrowest evidence the file
  gives (entry into force minus 30 days, a stated month or year, or a reporting-period window
  read from the row's note); the other rows of that State are summarised in the note;
* the two counts files: one row per count, approximate wording kept as words;
* ``treaty_status``: one row per treaty and participant, resolved from the rows above by
  :func:`resolve_status` (the UNTC table first, then A/76/120, then the narrowest evidence).

Nothing else is added: the data stay as incomplete after 2017 as the sources are.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import pandas as pd

from tipstats import sources
from tipstats.countries import name_to_iso3
from tipstats.errors import DataValidationError, Failure, row_number
from tipstats.facts import (
    ENTRY_INTO_FORCE_DAYS,
    JOINING_ACTIONS,
    TIP_PROTOCOL_SIGNATURE_CLOSES,
    TIP_PROTOCOL_SIGNATURE_OPENS,
)
from tipstats.report import REPORT_SOURCE_ID, REPORT_SUBJECT, ReportTextError, paragraph_line

# Which sources the builder reads is asked of the registry, by raw model (and role ``treaty``).
PARTICIPANTS_MODEL = "treaty:RawParticipants"
EVIDENCE_MODEL = "treaty:RawEvidence"
COUNTS_MODEL = "treaty:RawPartyCounts"

MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_MONTH = "|".join(MONTHS)
_DAY_MONTH_YEAR = rf"(\d{{1,2}}) ({_MONTH}) (\d{{4}})"

COLUMNS = [
    "iso3",
    "participant",
    "treaty",
    "signature_date",
    "action_date",
    "action_type",
    "date_basis",
    "action_date_precision",
    "action_date_earliest",
    "action_date_latest",
    "source_id",
    "source_url",
    "note",
]
DATE_COLUMNS = ["signature_date", "action_date", "action_date_earliest", "action_date_latest"]
# Where each row came from, kept while the rules across sources run (not published).
ORIGIN = ["origin_file", "origin_row"]
# The evidence rows of a State whose compiler's note records a conflict, kept for ``treaty_status``
# (not published in ``treaty_events``: its note summarises the rows, not the compiler's notes).
NOTED_CONFLICTS = "noted_conflicts"

# The days a treaty was open for signature, where a source held here states them (the Protocol's
# article 16, in its UNTC record); the other two tables are checked against adoption only.
SIGNATURE_PERIODS = {"tip_protocol": (TIP_PROTOCOL_SIGNATURE_OPENS, TIP_PROTOCOL_SIGNATURE_CLOSES)}
# A note that records a disagreement between sources on purpose (then both values are kept).
CONFLICT_NOTED = "conflict"

# What each evidence_kind of the evidence files can tell. A kind not listed here fails the build,
# so that a new kind of evidence is reviewed before it is used.
DATING_KINDS = {"entry_into_force_date", "month", "year", "annual_report_statement"}
SUPPORT_KINDS = {
    "statement",
    "news",
    "speech",
    "press_release",
    "count_statement",
    "no_mention",
    "news_statement",
    "unts_participant_listing",
}
PARTY_LISTING_KINDS = {"reservation_listing"}
NOT_PARTY_KINDS = {"not_party_recommendation"}
KNOWN_KINDS = DATING_KINDS | SUPPORT_KINDS | PARTY_LISTING_KINDS | NOT_PARTY_KINDS
# Kinds whose quoted words describe the action itself (others quote plans, counts or listings).
ACTION_WORD_KINDS = {
    "month",
    "year",
    "annual_report_statement",
    "statement",
    "news",
    "speech",
    "press_release",
}
ACTION_WORDS = {
    "accession": re.compile(r"\b(?:acceded|acceding|accession)\b", re.IGNORECASE),
    "ratification": re.compile(r"\b(?:ratified|ratification)\b", re.IGNORECASE),
}
WINDOW = re.compile(rf"\b({_MONTH}) (\d{{4}}) - ({_MONTH}) (\d{{4}})\b")


# -- small date helpers ----------------------------------------------------------------------------


def partial_date_bounds(text: str) -> tuple[str, pd.Timestamp, pd.Timestamp]:
    """Precision and first/last day of an ISO date that may lack its day or month.

    >>> partial_date_bounds("2020-03")
    ('month', Timestamp('2020-03-01 00:00:00'), Timestamp('2020-03-31 00:00:00'))
    >>> partial_date_bounds("2024")[0], partial_date_bounds("2024")[2].date()
    ('year', datetime.date(2024, 12, 31))
    """
    parts = text.split("-")
    if len(parts) == 3:
        day = pd.Timestamp(text)
        return "day", day, day
    if len(parts) == 2:
        start = pd.Timestamp(f"{text}-01")
        return "month", start, start + pd.offsets.MonthEnd(0)
    if len(parts) == 1 and len(text) == 4:
        return "year", pd.Timestamp(f"{text}-01-01"), pd.Timestamp(f"{text}-12-31")
    raise ValueError(f"not an ISO date: {text!r}")


def day_month_year(text: str) -> pd.Timestamp:
    """'30 March 2020' -> Timestamp('2020-03-30')."""
    match = re.fullmatch(_DAY_MONTH_YEAR, text.strip())
    if not match:
        raise ValueError(f"not a date like '30 March 2020': {text!r}")
    day, month, year = match.groups()
    return pd.Timestamp(int(year), MONTHS[month], int(day))


def reporting_window(note: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The one 'Month YYYY - Month YYYY' window a note states, as first and last day; None if none.

    >>> [d.date().isoformat() for d in reporting_window("by convention: April 2019 - March 2020 (inference)")]
    ['2019-04-01', '2020-03-31']
    """
    found = WINDOW.findall(note or "")
    if len(found) != 1:
        return None
    m1, y1, m2, y2 = found[0]
    start = pd.Timestamp(int(y1), MONTHS[m1], 1)
    end = pd.Timestamp(int(y2), MONTHS[m2], 1) + pd.offsets.MonthEnd(0)
    return start, end


# -- the report ---------------------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


def report_accessions(text: str) -> pd.DataFrame:
    """States that A/76/120 (paragraph 5) says acceded to the Protocol, with the day it gives.

    The number the paragraph announces ('three States') must equal the number of States listed.

    >>> report_accessions("During the reporting period, two States acceded to the Protocol: "
    ...     "Ruritania (1 May 2020) and Freedonia (2 June 2020). Now")
      participant action_date action_type
    0   Ruritania  2020-05-01   accession
    1   Freedonia  2020-06-02   accession
    """
    from tipstats.pipeline.countries import number_from_text

    flat = _flat(text)
    match = re.search(r"(\w+) States? (acceded|ratified) to the Protocol: (.+?\(\d{1,2} \w+ \d{4}\))\.", flat)
    if not match:
        raise ReportTextError("A/76/120 paragraph 5: list of States that acceded not found", 5)
    expected = number_from_text(match.group(1))
    action_type = "accession" if match.group(2) == "acceded" else "ratification"
    items = re.findall(rf"(?:^|, | and )([^,()]+?) \({_DAY_MONTH_YEAR}\)", match.group(3))
    if len(items) != expected:
        raise ReportTextError(f"A/76/120 paragraph 5 announces {expected} States but lists {len(items)}", 5)
    return pd.DataFrame(
        {
            "participant": [name.strip() for name, *_ in items],
            "action_date": [day_month_year(f"{d} {m} {y}") for _, d, m, y in items],
            "action_type": action_type,
        }
    )


def report_party_count(text: str) -> dict:
    """The count of Protocol parties in A/76/120 paragraph 5, dated by its footnote 1.

    >>> report_party_count("the Protocol has 178 parties, and ... 1 Status of ratification as at 9 June 2021, ...")
    {'date': '2021-06-09', 'parties_as_given': '178', 'quote': 'the Protocol has 178 parties'}
    """
    flat = _flat(text)
    count = re.search(r"the Protocol has (\d+) parties", flat)
    footnote = re.search(rf"\b1 Status of ratification as at {_DAY_MONTH_YEAR}", flat)
    if not count or not footnote:
        raise ReportTextError("A/76/120: count of parties or its footnote date not found", 5)
    day = day_month_year(" ".join(footnote.groups()))
    return {"date": day.strftime("%Y-%m-%d"), "parties_as_given": count.group(1), "quote": count.group(0)}


# -- UNTC tables ------------------------------------------------------------------------------------


def events_from_untc(raw: pd.DataFrame, treaty: str, source_id: str, iso3: pd.Series) -> pd.DataFrame:
    """One row per participant of a UNTC table, dates as stated."""
    action = pd.to_datetime(raw["action_date"], format="%Y-%m-%d")
    has_action = action.notna()
    return pd.DataFrame(
        {
            "iso3": iso3,
            "participant": raw["participant"],
            "treaty": treaty,
            "signature_date": pd.to_datetime(raw["signature_date"], format="%Y-%m-%d"),
            "action_date": action,
            "action_type": raw["action_type"],
            "date_basis": has_action.map({True: "stated", False: "no_action"}),
            "action_date_precision": has_action.map({True: "day", False: "none"}),
            "action_date_earliest": action,
            "action_date_latest": action,
            "source_id": source_id,
            "source_url": pd.NA,
            "note": raw["untc_footnote"],
        }
    )


def events_from_report(
    accessions: pd.DataFrame, iso3: pd.Series, quote_date: str, report_id: str
) -> pd.DataFrame:
    """Rows for the States A/76/120 names, with the report as their source."""
    return pd.DataFrame(
        {
            "iso3": iso3.to_numpy(),
            "participant": accessions["participant"].to_numpy(),
            "treaty": "tip_protocol",
            "signature_date": pd.NaT,
            "action_date": accessions["action_date"].to_numpy(),
            "action_type": accessions["action_type"].to_numpy(),
            "date_basis": "stated",
            "action_date_precision": "day",
            "action_date_earliest": accessions["action_date"].to_numpy(),
            "action_date_latest": accessions["action_date"].to_numpy(),
            "source_id": report_id,
            "source_url": pd.NA,
            "note": f"A/76/120 paragraph 5; its footnote 1 gives the status of ratification as at {quote_date}.",
        }
    )


# -- evidence files -------------------------------------------------------------------------------


@dataclass
class Candidate:
    row: int  # spreadsheet row
    kind: str
    precision: str
    basis: str
    earliest: pd.Timestamp
    latest: pd.Timestamp

    @property
    def width(self) -> pd.Timedelta:
        return self.latest - self.earliest

    def describe(self) -> str:
        if self.precision == "day":
            return self.earliest.strftime("%Y-%m-%d")
        return f"{self.earliest:%Y-%m-%d} to {self.latest:%Y-%m-%d}"


def _candidate(index, row: pd.Series, label: str) -> tuple[Candidate | None, list[Failure]]:
    """The date window one evidence row gives (None for rows that date nothing), or its failure."""
    kind = row["evidence_kind"]
    where = row_number(index)

    def fail(column: str, check: str, value) -> tuple[None, list[Failure]]:
        return None, [Failure(label, where, column, check, value, "rule")]

    if kind == "entry_into_force_date":
        if pd.isna(row["date_as_given_iso"]) or pd.isna(row["implied_deposit_date_derived"]):
            return fail("implied_deposit_date_derived", "entry into force and deposit given", None)
        precision, force, _ = partial_date_bounds(row["date_as_given_iso"])
        deposit = pd.Timestamp(row["implied_deposit_date_derived"])
        if precision != "day" or force - pd.Timedelta(days=ENTRY_INTO_FORCE_DAYS) != deposit:
            check = f"implied deposit = entry into force ({row['date_as_given_iso']}) - {ENTRY_INTO_FORCE_DAYS} days"
            return fail("implied_deposit_date_derived", check, row["implied_deposit_date_derived"])
        return Candidate(where, kind, "day", "derived_entry_into_force_30_day_rule", deposit, deposit), []
    if kind in {"month", "year"}:
        if pd.isna(row["date_as_given_iso"]):
            return fail("date_as_given_iso", f"a {kind} is given", None)
        precision, start, end = partial_date_bounds(row["date_as_given_iso"])
        if precision != kind:
            return fail("date_as_given_iso", f"precision is {kind}", row["date_as_given_iso"])
        return Candidate(where, kind, kind, "stated", start, end), []
    if kind == "annual_report_statement":
        window = reporting_window(row["note"])
        if window is None:
            return fail("note", "note states one reporting-period window 'Month YYYY - Month YYYY'", None)
        return Candidate(where, kind, "window", "inferred_reporting_period", *window), []
    return None, []


def _action_type(rows: pd.DataFrame) -> tuple[object, str]:
    found: dict[str, int] = {}
    for index, row in rows.iterrows():
        if row["evidence_kind"] not in ACTION_WORD_KINDS:
            continue
        for action_type, pattern in ACTION_WORDS.items():
            if pattern.search(row["value_as_given_in_source"]):
                found.setdefault(action_type, row_number(index))
    if len(found) == 1:
        ((action_type, row),) = found.items()
        return action_type, f"Action type from the words of row {row}."
    if len(found) > 1:
        words = ", ".join(f"{k}: row {v}" for k, v in found.items())
        return pd.NA, f"Rows use different words for the action ({words})."
    return pd.NA, ""


def _row_summary(index, row: pd.Series) -> str:
    date = f", date {row['date_as_given_iso']}" if pd.notna(row["date_as_given_iso"]) else ""
    return f"row {row_number(index)} ({row['evidence_kind']}{date}): {row['value_as_given_in_source']}"


def _noted_summary(source_id: str, index, row: pd.Series) -> str:
    date = f", date {row['date_as_given_iso']}" if pd.notna(row["date_as_given_iso"]) else ""
    return f"{source_id} row {row_number(index)} ({row['evidence_kind']}{date}): {' '.join(str(row['note']).split())}"


def events_from_evidence(
    raw: pd.DataFrame, source_id: str, iso3: pd.Series, label: str
) -> tuple[pd.DataFrame, list[Failure]]:
    """One row per State of an evidence file, dated by the narrowest evidence the file gives.

    Rows of a State that only says it is not a party give no event. The note names the row the date
    comes from and summarises the others (with any date they give, so conflicts stay visible).
    """
    failures: list[Failure] = []
    for index, kind in raw["evidence_kind"][~raw["evidence_kind"].isin(KNOWN_KINDS)].items():
        failures.append(
            Failure(label, row_number(index), "evidence_kind", "a reviewed evidence kind", kind, "rule")
        )
    if failures:
        return pd.DataFrame(columns=[*COLUMNS, *ORIGIN, NOTED_CONFLICTS]), failures
    out = []
    for participant, rows in raw.groupby("participant", sort=False):
        kinds = set(rows["evidence_kind"])
        if kinds & NOT_PARTY_KINDS:
            if kinds - NOT_PARTY_KINDS - SUPPORT_KINDS:
                first = rows.index[0]
                failures.append(
                    Failure(
                        label,
                        row_number(first),
                        "evidence_kind",
                        "a State is either dated or said not to be a party",
                        participant,
                        "rule",
                    )
                )
            continue
        candidates, problems = [], []
        for index, row in rows.iterrows():
            candidate, found = _candidate(index, row, label)
            problems += found
            if candidate is not None:
                candidates.append(candidate)
        if problems:
            failures += problems
            continue
        listing = rows[rows["evidence_kind"].isin(PARTY_LISTING_KINDS)]
        if not candidates and listing.empty:
            failures.append(
                Failure(
                    label,
                    row_number(rows.index[0]),
                    "evidence_kind",
                    "the evidence dates an action or lists the State as a party",
                    participant,
                    "rule",
                )
            )
            continue
        action_type, type_note = _action_type(rows)
        if candidates:
            chosen = min(candidates, key=lambda c: (c.width, c.row))
            used = rows.loc[[i for i in rows.index if row_number(i) == chosen.row]].iloc[0]
            pieces = [f"Date from row {chosen.row} ({chosen.kind}): {used['value_as_given_in_source']}."]
            if chosen.basis == "derived_entry_into_force_30_day_rule":
                pieces.append(
                    f"Entry into force {used['date_as_given_iso']} minus {ENTRY_INTO_FORCE_DAYS} days."
                )
            if chosen.basis == "inferred_reporting_period":
                pieces.append(
                    "Window = the report's April-March reporting period, as the file's note infers it."
                )
            for other in candidates:
                if other is chosen:
                    continue
                agrees = other.earliest <= chosen.earliest and chosen.latest <= other.latest
                verdict = "consistent" if agrees else "CONFLICT"
                pieces.append(f"Row {other.row} ({other.kind}) gives {other.describe()}: {verdict}.")
            row_kwargs = {
                "action_date": chosen.earliest if chosen.precision == "day" else pd.NaT,
                "date_basis": chosen.basis,
                "action_date_precision": chosen.precision,
                "action_date_earliest": chosen.earliest,
                "action_date_latest": chosen.latest,
                "source_url": used["source_url"],
            }
            chosen_rows = {c.row for c in candidates}
            origin_row = chosen.row
        else:
            used = listing.iloc[0]
            pieces = [
                f"No date: row {row_number(listing.index[0])} ({used['evidence_kind']}) shows the State is a party: {used['value_as_given_in_source']}."
            ]
            row_kwargs = {
                "action_date": pd.NaT,
                "date_basis": "not_given",
                "action_date_precision": "none",
                "action_date_earliest": pd.NaT,
                "action_date_latest": pd.NaT,
                "source_url": used["source_url"],
            }
            chosen_rows = {row_number(listing.index[0])}
            origin_row = row_number(listing.index[0])
        others = [_row_summary(i, r) for i, r in rows.iterrows() if row_number(i) not in chosen_rows]
        if others:
            pieces.append("Other rows: " + "; ".join(others) + ".")
        if type_note:
            pieces.append(type_note)
        noted = rows[_noted(rows["note"])]
        out.append(
            {
                "iso3": iso3.loc[rows.index[0]],
                "participant": participant,
                "treaty": "tip_protocol",
                "signature_date": pd.NaT,
                "action_type": action_type,
                "source_id": source_id,
                "note": " ".join(pieces),
                "origin_file": label,
                "origin_row": origin_row,
                NOTED_CONFLICTS: "; ".join(_noted_summary(source_id, i, r) for i, r in noted.iterrows())
                or pd.NA,
                **row_kwargs,
            }
        )
    return pd.DataFrame(out, columns=[*COLUMNS, *ORIGIN, NOTED_CONFLICTS]), failures


# -- counts -------------------------------------------------------------------------------------


def parse_count(text: str) -> tuple[object, object]:
    """'178' -> (178, NA); 'some 180' -> (NA, 'some'): a number only where the source is exact.

    >>> parse_count("178"), parse_count("over 180")
    ((178, <NA>), (<NA>, 'over'))
    """
    match = re.fullmatch(r"(?:([a-z]+(?: [a-z]+)*) )?(\d+)", text.strip())
    if not match:
        raise ValueError(f"not a count: {text!r}")
    words, number = match.groups()
    if words:
        return pd.NA, words
    return int(number), pd.NA


def counts_from_raw(raw: pd.DataFrame, source_id: str) -> pd.DataFrame:
    """One row per dated count of Protocol parties."""
    bounds = [partial_date_bounds(d) for d in raw["date"]]
    parsed = [parse_count(p) for p in raw["parties"]]
    return pd.DataFrame(
        {
            "date": raw["date"],
            "date_precision": [b[0] for b in bounds],
            "date_earliest": [b[1] for b in bounds],
            "date_latest": [b[2] for b in bounds],
            "treaty": "tip_protocol",
            "parties": pd.array([p[0] for p in parsed], dtype="Int64"),
            "parties_as_given": raw["parties"],
            "qualifier": [p[1] for p in parsed],
            "signatories": pd.to_numeric(raw["signatories"]).astype("Int64"),
            "kind": raw["kind"],
            "source_id": source_id,
            "source_url": raw["source_url_or_repo"],
            "note": raw["note"],
        }
    )


def count_from_report(text: str, report_id: str) -> pd.DataFrame:
    """The report's own count of parties, with the date of its footnote 1."""
    found = report_party_count(text)
    precision, start, end = partial_date_bounds(found["date"])
    return pd.DataFrame(
        {
            "date": [found["date"]],
            "date_precision": [precision],
            "date_earliest": [start],
            "date_latest": [end],
            "treaty": ["tip_protocol"],
            "parties": pd.array([int(found["parties_as_given"])], dtype="Int64"),
            "parties_as_given": [found["parties_as_given"]],
            "qualifier": [pd.NA],
            "signatories": pd.array([pd.NA], dtype="Int64"),
            "kind": ["UN report A/76/120, paragraph 5 and footnote 1 (the report under test)"],
            "source_id": [report_id],
            "source_url": [pd.NA],
            "note": [f'"{found["quote"]}"; footnote 1: "Status of ratification as at" {found["date"]}.'],
        }
    )


# -- builder ------------------------------------------------------------------------------------


def _known_codes_failures(
    events: pd.DataFrame, countries: pd.DataFrame, names: pd.DataFrame
) -> list[Failure]:
    failures = []
    known = set(countries["iso3"])
    for i, row in events[events["iso3"].notna() & ~events["iso3"].isin(known)].iterrows():
        failures.append(
            Failure(
                "treaty_events (processed)", row_number(i), "iso3", "iso3 in countries", row["iso3"], "rule"
            )
        )
    kinds = names.set_index("name")["entity_type"]
    for i, row in events[events["iso3"].isna()].iterrows():
        if kinds.get(row["participant"]) != "regional_organisation":
            check = "iso3 missing only for a regional organisation"
            failures.append(
                Failure("treaty_events (processed)", row_number(i), "iso3", check, row["participant"], "rule")
            )
    return failures


def signature_period_failures(raw: pd.DataFrame, treaty: str, label: str) -> list[Failure]:
    """Signatures outside the days ``treaty`` was open for signature (where a source states them)."""
    if treaty not in SIGNATURE_PERIODS:
        return []
    opens, closes = SIGNATURE_PERIODS[treaty]
    day = pd.to_datetime(raw["signature_date"], format="%Y-%m-%d", errors="coerce")
    outside = day.notna() & ((day < opens) | (day > closes))
    check = f"signature_date within the signature period {opens:%Y-%m-%d} to {closes:%Y-%m-%d} (article 16)"
    return [
        Failure(label, row_number(i), "signature_date", check, raw.at[i, "signature_date"], "rule")
        for i in raw.index[outside]
    ]


def _noted(notes: pd.Series) -> pd.Series:
    return notes.astype("object").fillna("").str.contains(CONFLICT_NOTED, case=False)


def conflicting_event_failures(events: pd.DataFrame) -> list[Failure]:
    """One State's action on one treaty dated by two sources in windows that do not meet.

    Each source keeps its row, but their dates must agree (their bounds overlap) unless a note
    records the disagreement. Every row of the State is named, at its raw file and row.
    """
    dated = events[events["iso3"].notna() & events["action_date_earliest"].notna()]
    failures = []
    for (treaty, iso3), rows in dated.groupby(["treaty", "iso3"], sort=True):
        if len(rows) < 2 or rows["action_date_earliest"].max() <= rows["action_date_latest"].min():
            continue
        if _noted(rows["note"]).any():
            continue
        windows = "; ".join(
            f"{r.source_id}: {r.action_date_earliest:%Y-%m-%d} to {r.action_date_latest:%Y-%m-%d}"
            for r in rows.itertuples()
        )
        check = f"one date for the action of {iso3} on {treaty} across sources ({windows}), or a note saying 'conflict'"
        for r in rows.itertuples():
            failures.append(
                Failure(
                    r.origin_file,
                    r.origin_row,
                    "action_date",
                    check,
                    f"{r.action_date_earliest:%Y-%m-%d}",
                    "rule",
                )
            )
    return failures


def conflicting_count_failures(counts: pd.DataFrame) -> list[Failure]:
    """Two exact counts of parties to one treaty on the same day that differ, unless a note says 'conflict'."""
    exact = counts[(counts["date_precision"] == "day") & counts["parties"].notna()]
    failures = []
    for (treaty, date), rows in exact.groupby(["treaty", "date"], sort=True):
        if rows["parties"].nunique() < 2 or _noted(rows["note"]).any():
            continue
        values = "; ".join(f"{r.source_id}: {r.parties}" for r in rows.itertuples())
        check = f"one count of parties to {treaty} on {date} across sources ({values}), or a note saying 'conflict'"
        for r in rows.itertuples():
            failures.append(Failure(r.origin_file, r.origin_row, "parties", check, str(r.parties), "rule"))
    return failures


# -- one row per treaty and participant -------------------------------------------------------------

#: Which source's row ``treaty_status`` uses for a participant, lowest first: a UNTC table (the
#: depositary's own record), then A/76/120 (it cites the UNTC status as at 9 June 2021 and gives
#: days), then the evidence files; between evidence rows the narrowest date bounds win first.
SOURCE_PRIORITY = {
    "untc_tip_2018": 0,
    "untc_som_2018": 0,
    "untc_untoc_2014": 0,
    REPORT_SOURCE_ID: 1,
    "tip_evidence": 2,
    "tip_evidence_five_states": 3,
}
STATUS_COLUMNS = [
    "iso3",
    "participant",
    "treaty",
    "status",
    "signature_date",
    "action_type",
    "action_date",
    "action_date_precision",
    "action_date_earliest",
    "action_date_latest",
    "date_basis",
    "source_id",
    "source_url",
    "source_ids",
    "action_types",
    "conflict",
    "note",
]
PREFERENCE_WORDS = {
    0: "the UNTC table, the depositary's record, comes first",
    1: "A/76/120 comes after a UNTC table and before the evidence files",
    2: "no UNTC table or A/76/120 row: the evidence row with the narrowest date bounds",
    3: "no UNTC table or A/76/120 row: the evidence row with the narrowest date bounds",
}


def _joined(frame: pd.DataFrame, keys: list[str], column: str, sep: str) -> pd.Series:
    """Per group of ``keys``, the distinct values of ``column``, sorted and joined by ``sep``."""
    values = frame[[*keys, column]].dropna().drop_duplicates()
    values = values.assign(**{column: values[column].astype(str)}).sort_values([*keys, column])
    several = values.duplicated(keys, keep=False)  # most groups have one value: no Python per group
    one = values[~several].set_index(keys)[column]
    return pd.concat([one, values[several].groupby(keys, sort=False)[column].agg(sep.join)])


def _source_value(row) -> str:
    """What one source's row says: '2020-06-16 (day, stated, accession)'."""
    if row.date_basis == "no_action":
        when = "signature only"
        if pd.notna(row.signature_date):
            when += f" ({row.signature_date:%Y-%m-%d})"
        return when
    if pd.isna(row.lo_) or pd.isna(row.hi_):
        when = "a party, no date"
    elif row.lo_ == row.hi_:
        when = f"{row.lo_:%Y-%m-%d}"
    else:
        when = f"{row.lo_:%Y-%m-%d} to {row.hi_:%Y-%m-%d}"
    details = [str(row.action_date_precision), str(row.date_basis)]
    if pd.notna(row.action_type):
        details.append(str(row.action_type))
    return f"{when} ({', '.join(details)})"


def _status_note(rows: pd.DataFrame, used: str, priority: int, dates_conflict: bool) -> object:
    """The note of one participant: each source's value, the row used and why, any conflict."""
    pieces = []
    values = "; ".join(f"{r.source_id}: {_source_value(r)}" for r in rows.itertuples())
    pieces.append(f"Source{'s' if len(rows) > 1 else ''}: {values}.")
    if len(rows) > 1:
        pieces.append(f"Used: {used} ({PREFERENCE_WORDS[priority]}).")
        types = sorted(set(rows.loc[rows["joining_"], "action_type"].dropna().astype(str)))
        if len(types) > 1:
            pieces.append(f"The sources name different actions ({', '.join(types)}).")
    if dates_conflict:
        pieces.append("CONFLICT: the sources' dates do not meet.")
    noted = [str(n) for n in rows[NOTED_CONFLICTS].dropna()]
    noted += [
        f"{r.source_id}: {r.note}" for r in rows.itertuples() if CONFLICT_NOTED in str(r.note or "").lower()
    ]
    if noted:
        pieces.append("CONFLICT recorded in the notes: " + "; ".join(n.rstrip(". ") for n in noted) + ".")
    return " ".join(pieces)


def resolve_status(events: pd.DataFrame) -> pd.DataFrame:
    """One row per treaty and participant (``treaty_status``) from rows like ``treaty_events``.

    ``status`` is ``party`` when some row records a joining action (dated or not) and
    ``signatory_only`` otherwise. The row used (``source_id``) is a joining row if there is one,
    chosen by :data:`SOURCE_PRIORITY`, then the narrowest date bounds (an undated action is the
    least precise), then the source id; its action, date, precision, bounds, basis and page are
    the participant's. ``signature_date`` is the first signature a row gives, in the same order.
    ``source_ids`` lists every source with a row, ``action_types`` every joining action they name.
    ``conflict`` is true when the dated joining rows' bounds do not share a day, or a note (or the
    compiler's note of an evidence row, column ``noted_conflicts`` of the builder's rows) records a
    conflict; the ``note`` names each source's value when there are several.

    Columns the rows may lack (``action_type``, ``action_date``, ``action_date_precision``,
    ``signature_date``, ``source_url``, ``note``) count as not stated.

    >>> day = pd.Timestamp
    >>> events = pd.DataFrame({"treaty": ["tip_protocol"] * 2, "participant": ["Aland"] * 2,
    ...     "iso3": ["AAA"] * 2, "source_id": ["a76120", "tip_evidence"], "date_basis": ["stated"] * 2,
    ...     "action_date": [day("2020-06-16"), pd.NaT], "action_date_precision": ["day", "year"],
    ...     "action_date_earliest": [day("2020-06-16"), day("2020-01-01")],
    ...     "action_date_latest": [day("2020-06-16"), day("2020-12-31")]})
    >>> resolve_status(events)[["participant", "status", "source_id", "source_ids", "conflict"]].values.tolist()
    [['Aland', 'party', 'a76120', 'a76120,tip_evidence', False]]
    """
    frame = events.copy()
    optional = ("action_type", "action_date", "action_date_precision", "signature_date", "source_url", "note")
    for column in (*optional, NOTED_CONFLICTS):
        if column not in frame.columns:
            frame[column] = pd.NA
    unknown = set(frame["source_id"].astype(str)) - set(SOURCE_PRIORITY)
    if unknown:
        raise ValueError(f"no preference defined for source(s) {sorted(unknown)}")
    for column in ("action_date", "signature_date", "action_date_earliest", "action_date_latest"):
        frame[column] = pd.to_datetime(frame[column])
    frame["note"] = frame["note"].astype("object").where(frame["note"].notna(), None)
    frame[NOTED_CONFLICTS] = (
        frame[NOTED_CONFLICTS].astype("object").where(frame[NOTED_CONFLICTS].notna(), None)
    )
    action = frame["action_type"].astype("object")
    frame["joining_"] = (frame["date_basis"] != "no_action") & (action.isna() | action.isin(JOINING_ACTIONS))
    frame["who_"] = frame["iso3"].astype("object").fillna(frame["participant"].astype("object"))
    frame["priority_"] = frame["source_id"].map(SOURCE_PRIORITY).astype("int64")
    width = (frame["action_date_latest"] - frame["action_date_earliest"]).dt.days.astype("float64")
    frame["width_"] = width.fillna(float("inf"))  # an undated action is the least precise
    frame["lo_"] = frame["action_date_earliest"].fillna(frame["action_date"])
    frame["hi_"] = frame["action_date_latest"].fillna(frame["action_date"])
    frame = frame.sort_values(
        ["treaty", "who_", "joining_", "priority_", "width_", "source_id"],
        ascending=[True, True, False, True, True, True],
        kind="stable",
    )
    keys = ["treaty", "who_"]
    every = frame.groupby(keys, sort=False)
    chosen = frame.drop_duplicates(keys).set_index(keys)
    by_priority = frame.sort_values([*keys, "priority_", "source_id"], kind="stable").groupby(
        keys, sort=False
    )
    joining = frame[frame["joining_"]]
    dated = joining[joining["lo_"].notna() & joining["hi_"].notna()].groupby(keys, sort=False)
    dates_conflict = (dated["lo_"].max() > dated["hi_"].min()).reindex(chosen.index, fill_value=False)
    frame["noted_"] = _noted(frame["note"]) | frame[NOTED_CONFLICTS].notna()
    noted = frame.groupby(keys, sort=False)["noted_"].any()
    out = pd.DataFrame(
        {
            "iso3": chosen["iso3"],
            "participant": chosen["participant"],
            "treaty": chosen.index.get_level_values("treaty"),
            "status": chosen["joining_"].map({True: "party", False: "signatory_only"}),
            "signature_date": by_priority["signature_date"].first().reindex(chosen.index),
            "action_type": chosen["action_type"],
            "action_date": chosen["action_date"],
            "action_date_precision": chosen["action_date_precision"],
            "action_date_earliest": chosen["lo_"],
            "action_date_latest": chosen["hi_"],
            "date_basis": chosen["date_basis"],
            "source_id": chosen["source_id"],
            "source_url": chosen["source_url"],
            "source_ids": _joined(frame, keys, "source_id", ",").reindex(chosen.index),
            "action_types": _joined(joining, keys, "action_type", "/").reindex(chosen.index),
            "conflict": (dates_conflict | noted.reindex(chosen.index, fill_value=False)).astype(bool),
        },
        index=chosen.index,
    )
    out["note"] = pd.Series(pd.NA, index=chosen.index, dtype="object")
    several = every.size() > 1
    for key in out.index[several.reindex(out.index, fill_value=False) | out["conflict"]]:
        rows = every.get_group(key).sort_values(["priority_", "source_id"], kind="stable")
        used = chosen.loc[key]
        out.at[key, "note"] = _status_note(
            rows, used["source_id"], int(used["priority_"]), bool(dates_conflict.loc[key])
        )
    out = out.reset_index(drop=True).sort_values(["treaty", "participant"], kind="stable")
    return out[STATUS_COLUMNS].reset_index(drop=True)


def build(ctx) -> dict[str, pd.DataFrame]:
    names = ctx.outputs["country_names"]
    countries = ctx.outputs["countries"]
    failures: list[Failure] = []
    parts = []

    def codes(values: pd.Series, label: str, column: str) -> pd.Series:
        # unknown names are collected, so that the file's other problems are found in the same run
        return name_to_iso3(values, file=label, column=column, mapping=names, failures=failures)

    report_id = sources.source_id(ctx.registry, subject=REPORT_SUBJECT)
    report_label = str(ctx.raw_file(report_id))
    try:
        for sid, treaty in sources.source_values(
            ctx.registry, "treaty", raw_model=PARTICIPANTS_MODEL
        ).items():
            raw, label = ctx.raw(sid), str(ctx.raw_file(sid))
            failures += signature_period_failures(raw, treaty, label)
            part = events_from_untc(raw, treaty, sid, codes(raw["participant"], label, "participant"))
            parts.append(part.assign(origin_file=label, origin_row=[row_number(i) for i in raw.index]))
        accessions = ctx.parse_text(report_id, report_accessions)
        report_line = paragraph_line(ctx.text(report_id), 5)
        parts.append(
            events_from_report(
                accessions,
                codes(accessions["participant"], report_label, "paragraph 5"),
                ctx.parse_text(report_id, report_party_count)["date"],
                report_id,
            ).assign(origin_file=report_label, origin_row=report_line)
        )
        for sid in sources.source_ids(ctx.registry, raw_model=EVIDENCE_MODEL):
            raw, label = ctx.raw(sid), str(ctx.raw_file(sid))
            events, problems = events_from_evidence(
                raw, sid, codes(raw["participant"], label, "participant"), label
            )
            failures += problems
            parts.append(events)
    except DataValidationError as exc:
        failures += exc.failures
    if failures:
        raise DataValidationError(failures)

    events = pd.concat(
        [p.astype({c: "datetime64[ns]" for c in DATE_COLUMNS}) for p in parts], ignore_index=True
    )
    events = events.sort_values(["treaty", "participant", "source_id"], kind="stable").reset_index(drop=True)
    failures = _known_codes_failures(events, countries, names) + conflicting_event_failures(events)

    counts = []
    for sid in sources.source_ids(ctx.registry, raw_model=COUNTS_MODEL):
        raw, label = ctx.raw(sid), str(ctx.raw_file(sid))
        counts.append(
            counts_from_raw(raw, sid).assign(origin_file=label, origin_row=[row_number(i) for i in raw.index])
        )
    report_count = ctx.parse_text(report_id, count_from_report, report_id)
    counts.append(report_count.assign(origin_file=report_label, origin_row=report_line))
    party_counts = pd.concat(counts, ignore_index=True)
    failures += conflicting_count_failures(party_counts)
    if failures:
        raise DataValidationError(failures)
    party_counts = party_counts.sort_values(
        ["treaty", "date_earliest", "date", "source_id"], kind="stable"
    ).reset_index(drop=True)
    return {
        "treaty_events": events[COLUMNS],
        "treaty_status": resolve_status(events),
        "party_counts": party_counts.drop(columns=ORIGIN),
    }
