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

import pandas as pd

from tipstats import sources
from tipstats.countries import name_to_iso3
from tipstats.errors import DataValidationError, Failure, row_number
from tipstats.facts import (
    TIP_PROTOCOL_SIGNATURE_CLOSES,
    TIP_PROTOCOL_SIGNATURE_OPENS,
)
from tipstats.report import REPORT_SUBJECT, ReportTextError, paragraph_line

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


def build(ctx) -> dict[str, pd.DataFrame]:
    from tipstats.pipeline.treaty_evidence import events_from_evidence
    from tipstats.pipeline.treaty_status import resolve_status, source_priority

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
        "treaty_status": resolve_status(events, source_priority(ctx.registry)),
        "party_counts": party_counts.drop(columns=ORIGIN),
    }
