"""The treaty evidence files: one ``treaty_events`` row per State and file, dated by the narrowest evidence.

Each row of an evidence file says one thing about a State (an entry into force, a month, a year, a
US TIP report's reporting period, a statement, a listing); :func:`events_from_evidence` turns a
State's rows into one dated event and says in its note what the other rows give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from tipstats.errors import Failure, row_number
from tipstats.facts import ENTRY_INTO_FORCE_DAYS
from tipstats.pipeline.treaty import (
    COLUMNS,
    NOTED_CONFLICTS,
    ORIGIN,
    _noted,
    partial_date_bounds,
    reporting_window,
)

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
