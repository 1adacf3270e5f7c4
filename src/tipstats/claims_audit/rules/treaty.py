"""Rule kinds on the treaty data: a party count at a date, an accession date, joinings in a period,
the entry into force.

Parties are counted by :func:`tipstats.analysis.treaty.party_windows` (``combine="bounds"``: what
every dated source allows together, the report's own rows left out) and
:func:`tipstats.analysis.treaty.party_counts`, the functions behind ``tipstats.parties_as_of`` and
the ratification figures.
"""

from __future__ import annotations

import pandas as pd

from tipstats.analysis.treaty import REPORT_SOURCE, party_counts, party_windows
from tipstats.claims_audit.registry import Claim, date_bounds
from tipstats.claims_audit.rules.base import (
    CURATION,
    NO_EVIDENCE,
    OFFICIAL,
    Verdict,
    day,
    independent,
    rule_kind,
    strength_of,
    strongest,
    text,
    weak_support,
)
from tipstats.facts import (
    FIRST_ENTRY_INTO_FORCE_DAYS,
    FIRST_ENTRY_INTO_FORCE_INSTRUMENTS,
    TIP_PROTOCOL_IN_FORCE,
)

TREATY = "tip_protocol"
# Regional economic integration organisations: article 17(1) does not count their instruments as additional.
REGIONAL_ORGANISATIONS = ("European Union", "European Community")
CLAIM_UNDER_TEST = "claim under test"  # party_counts' own mark for the report's number (kind)


def joining_windows(events: pd.DataFrame, treaty: str = TREATY) -> pd.DataFrame:
    """Per participant, the bounds of the date by which it became a party, from every independent dated row."""
    return party_windows(events, treaty, exclude_sources=[REPORT_SOURCE], combine="bounds")


def certain_and_possible(windows: pd.DataFrame, date: pd.Timestamp) -> tuple[int, int]:
    """(certainly a party by ``date``, possibly a party by then but not certainly)."""
    counts = party_counts(windows, [date]).iloc[0]
    return int(counts["known"]), int(counts["open"])


def official_counts(frame: pd.DataFrame, treaty: str = TREATY) -> pd.DataFrame:
    """Exact counts of parties from sources other than the report, ordered by date.

    ``when`` is the last day the count's date can mean (``date_latest``: the end of the month for
    '2021-01'), so a count is only used for dates by which it had certainly been made.
    """
    pc = independent(frame)
    pc = pc[(pc["treaty"] == treaty) & pc["parties"].notna()]
    pc = pc[~pc["kind"].astype(str).str.contains(CLAIM_UNDER_TEST, regex=False)].copy()
    if "date_latest" in pc.columns:
        pc["when"] = pd.to_datetime(pc["date_latest"])
    else:
        pc["when"] = [date_bounds(str(d))[1] for d in pc["date"]]
    return pc.sort_values(["when", "source_id"], kind="mergesort")


def _count_text(row) -> str:
    return f"{int(row['parties'])} ({row['date']}, {row['source_id']})"


def _window_text(r) -> str:
    when = day(r.earliest) if r.earliest == r.latest else f"{day(r.earliest)} to {day(r.latest)}"
    return f"{r.participant} ({when})"


def rows_by(windows: pd.DataFrame, date: pd.Timestamp, table: str) -> str:
    """How the treaty rows make up the parties at ``date``: the UNTC ``table``, then later evidence, by name."""
    from_table = windows["source_ids"].str.split(",").map(lambda ids: table in ids)
    certain = windows[windows["latest"] <= date]
    possible = windows[(windows["earliest"] <= date) & (windows["latest"] > date)]
    base = int((from_table & (windows["latest"] <= date)).sum())
    later = certain[~from_table.loc[certain.index]]
    out = f"treaty rows: {base} parties in the UNTC table ({table})"
    if len(later):
        out += f" + {len(later)} from later evidence: " + ", ".join(
            _window_text(r) for r in later.itertuples()
        )
    out += f" = {len(certain)} certainly by {day(date)}"
    if len(possible):
        out += f", {len(possible)} more possibly: " + ", ".join(
            _window_text(r) for r in possible.itertuples()
        )
    return out


@rule_kind("party_count", inputs=("party_counts", "treaty_events"))
def party_count(
    claim: Claim, *, party_counts: pd.DataFrame, treaty_events: pd.DataFrame, table: str
) -> Verdict:
    """Dated official counts around the reference date, and how far the treaty rows (UNTC ``table`` and later) rebuild them."""
    counts = official_counts(party_counts)
    ref = date_bounds(claim.reference_date)[1]
    reported = int(claim.value)
    before, after = counts[counts["when"] <= ref], counts[counts["when"] > ref]
    if before.empty:
        raise ValueError("party_counts has no count on or before the reference date")
    last = before.iloc[-1]
    value = int(last["parties"])
    nxt = after.iloc[0] if not after.empty else None
    run = before[before["parties"] == value]
    # the unbroken run of counts equal to the last one, back from the reference date
    breaks = before[before["parties"] != value]
    if len(breaks):
        run = run[run["when"] > breaks["when"].max()]
    conflicting = breaks[breaks["when"] >= ref - pd.DateOffset(years=1)]
    windows = joining_windows(treaty_events)
    certain, possible = certain_and_possible(windows, ref)
    rows_text = rows_by(windows, ref, table)
    evidence = (
        "party_counts: "
        + "; ".join(_count_text(r) for _, r in run.iterrows())
        + (f"; next {_count_text(nxt)}" if nxt is not None else "")
        + f"; treaty_events ({', '.join(sorted(set(','.join(windows['source_ids']).split(','))))})"
    )
    computed = f"{value} (count of {last['date']}); rows: {certain}" + (
        f" to {certain + possible}" if possible else ""
    )
    later = f", next {int(nxt['parties'])} on {nxt['date']}" if nxt is not None else ""
    if value == reported:
        status = "consistent"
        explanation = f"independent counts give {value} from {run.iloc[0]['date']} to {last['date']}{later}; {rows_text}"
        if len(conflicting):
            explanation += "; conflicting: " + ", ".join(_count_text(r) for _, r in conflicting.iterrows())
    elif nxt is not None and value <= reported <= int(nxt["parties"]):
        status = "not reproducible"
        explanation = (
            f"the last count before {day(ref)} is {value} ({last['date']}){later}: {reported} lies between; "
            f"{rows_text}; needs the UNTC status as at {day(ref)}"
        )
    else:
        status = "differs"
        explanation = f"the last independent count before {day(ref)} is {value} ({last['date']}), not {reported}{later}; {rows_text}"
    strength = strongest(strength_of(text(r["kind"])) for _, r in run.iterrows())
    if status == "consistent":
        explanation += weak_support(strength)
    dates = "; ".join(str(d) for d in run["date"]) + (f"; {nxt['date']}" if nxt is not None else "")
    return Verdict(status, computed, evidence, explanation, value, strength, dates)


def row_strength(row) -> str:
    """The strength of a treaty row: UNTC's table is the official record; a derived day is curation's."""
    basis = text(row.get("date_basis"))
    if basis.startswith(("derived", "inferred")):
        return CURATION
    if text(row.get("source_id")).startswith("untc"):
        return OFFICIAL
    return strength_of(text(row.get("source_url")))


def every_source(evidence: pd.DataFrame, participant: str) -> str:
    """Every row of the raw evidence files on ``participant``: what it says, its date, whether the day is
    derived or stated, and its source, so that a conflict is never hidden in a note."""
    if evidence is None or "participant" not in evidence.columns:
        return ""
    rows = evidence[evidence["participant"] == participant]
    parts = []
    for _, r in rows.iterrows():
        said = text(r.get("value_as_given_in_source")).replace('"', "'")
        when = text(r.get("date_as_given_iso")) or "undated"
        derived = text(r.get("implied_deposit_date_derived"))
        url = text(r.get("source_url"))
        host = url.split("/")[2] if url.count("/") >= 2 else url
        item = f"{text(r.get('evidence_kind'))} {when}: {said[:140]} ({host}; {strength_of(url)})"
        if derived:
            item += f" -> deposit {derived}, derived (entry into force - 30 days), not stated"
        parts.append(item)
    return f"every source on {participant}: " + " | ".join(parts) if parts else ""


@rule_kind("accession_date", inputs=("treaty_events", "treaty_evidence"))
def accession_date(
    claim: Claim, *, treaty_events: pd.DataFrame, treaty_evidence: pd.DataFrame, iso3: str
) -> Verdict:
    """The day the report gives for ``iso3``'s instrument, against every independent treaty row.

    The explanation lists every row of the raw evidence files on the participant (``treaty_evidence``):
    one evidence file collapses into one ``treaty_events`` row, and a conflict (another day, another
    count) must stay visible. A day derived from an entry-into-force date is said to be derived,
    and its strength is a curation label.
    """
    ev = independent(treaty_events)
    ev = ev[(ev["treaty"] == TREATY) & (ev["iso3"].astype("object") == iso3)].copy()
    reported = claim.date
    if ev.empty:
        return Verdict(
            "not reproducible", "no row", "treaty_events",
            f"no treaty row for {iso3}; needs the UNTC depositary notification of its instrument", None, NO_EVIDENCE,
        )  # fmt: skip
    sources = every_source(treaty_evidence, str(ev["participant"].iloc[0]))
    tail = f"; {sources}" if sources else ""
    action_day = pd.to_datetime(ev["action_date"])
    ev["_lo"] = pd.to_datetime(ev["action_date_earliest"]).fillna(action_day)
    ev["_hi"] = pd.to_datetime(ev["action_date_latest"]).fillna(action_day)
    ev = ev[ev["_lo"].notna() & ev["_hi"].notna()]
    days = ev[ev["_lo"] == ev["_hi"]]
    coarse = ev[ev["_lo"] != ev["_hi"]]
    same_day = days[days["_lo"] == reported]
    other_days = days[days["_lo"] != reported]
    containing = coarse[(coarse["_lo"] <= reported) & (coarse["_hi"] >= reported)]
    excluding = coarse[(coarse["_lo"] > reported) | (coarse["_hi"] < reported)]

    def describe(rows: pd.DataFrame) -> str:
        parts = []
        for _, r in rows.iterrows():
            when = day(r["_lo"]) if r["_lo"] == r["_hi"] else f"{day(r['_lo'])} to {day(r['_hi'])}"
            basis = text(r.get("date_basis"))
            parts.append(f"{when} ({r['source_id']}{'; ' + basis if basis else ''})")
        return "; ".join(parts)

    types = "/".join(sorted(set(ev["action_type"].dropna().astype(str)))) or "type not stated"
    evidence = (
        f"treaty_events {iso3}: {describe(ev)}" if not ev.empty else f"treaty_events {iso3}: no dated row"
    )
    dates = "; ".join(
        sorted(
            {
                day(r["_lo"]) if r["_lo"] == r["_hi"] else f"{day(r['_lo'])} to {day(r['_hi'])}"
                for _, r in ev.iterrows()
            }
        )
    )
    if not same_day.empty:
        official = same_day["source_id"].astype(str).str.startswith("untc").any()
        status = "reproduced" if official else "consistent"
        strength = strongest(row_strength(r) for _, r in same_day.iterrows())
        explanation = f"{len(same_day)} source(s) give the day: {describe(same_day)}"
        if strength == CURATION:
            explanation += " (the day is derived during curation, not stated by any source)"
        if not containing.empty:
            explanation += f"; coarser evidence agrees ({describe(containing)})"
        if not other_days.empty or not excluding.empty:
            explanation += f"; conflicting: {describe(pd.concat([other_days, excluding]))}"
        explanation += f"; action: {types}{weak_support(strength)}{tail}"
        return Verdict(status, day(reported), evidence, explanation, day(reported), strength, dates)
    if not other_days.empty:
        explanation = f"the sources give {describe(other_days)}, not {day(reported)}{tail}"
        strength = strongest(row_strength(r) for _, r in other_days.iterrows())
        return Verdict(
            "differs",
            describe(other_days),
            evidence,
            explanation,
            day(other_days["_lo"].iloc[0]),
            strength,
            dates,
        )
    if not containing.empty:
        widest = containing.iloc[0]
        explanation = (
            f"only coarser evidence: {describe(containing)} contains {day(reported)}, but no source gives the day "
            f"(action: {types}); needs the UNTC depositary notification for {claim.quote.split(' (')[0]}"
        )
        if not excluding.empty:
            explanation += f"; conflicting: {describe(excluding)}"
        strength = strongest(row_strength(r) for _, r in containing.iterrows())
        return Verdict(
            "not reproducible", f"{day(widest['_lo'])} to {day(widest['_hi'])}", evidence, explanation + tail, None,
            strength, dates,
        )  # fmt: skip
    explanation = f"the evidence ({describe(excluding)}) excludes {day(reported)}{tail}"
    strength = strongest(row_strength(r) for _, r in excluding.iterrows())
    return Verdict("differs", describe(excluding), evidence, explanation, None, strength, dates)


@rule_kind("accessions_in_period", inputs=("treaty_events", "party_counts"))
def accessions_in_period(claim: Claim, *, treaty_events: pd.DataFrame, party_counts: pd.DataFrame) -> Verdict:
    """Which participants became parties within the claim's period, and what the counts say."""
    windows = joining_windows(treaty_events)
    start, end = date_bounds(claim.period_start)[0], date_bounds(claim.period_end)[1]
    inside = windows[(windows["earliest"] >= start) & (windows["latest"] <= end)]
    maybe = windows[
        ~windows.index.isin(inside.index) & (windows["earliest"] <= end) & (windows["latest"] >= start)
    ]
    n_in, n_maybe = len(inside), len(maybe)
    reported = int(claim.value)

    def names(rows: pd.DataFrame) -> str:
        return ", ".join(_window_text(r) for r in rows.itertuples())

    counts = official_counts(party_counts)
    before = counts[counts["when"] <= start]
    after = counts[counts["when"] >= end]
    last_before = before.iloc[-1] if not before.empty else None
    inside_counts = counts[(counts["when"] > start) & (counts["when"] < end)]
    count_text = ""
    if last_before is not None and not inside_counts.empty:
        latest_inside = inside_counts.iloc[-1]
        gained = int(latest_inside["parties"]) - int(last_before["parties"])
        joined = windows[
            (windows["latest"] > last_before["when"]) & (windows["earliest"] <= latest_inside["when"])
        ]
        rows_then = certain_and_possible(windows, last_before["when"])[0]
        count_text = (
            f"; counts: {_count_text(last_before)} -> {_count_text(latest_inside)}, {gained} new parties "
            f"(the rows already give {rows_then} by {last_before['date']}); "
            f"rows dated in that interval: {len(joined)} ({names(joined)})"
        )
        if not after.empty:
            count_text += f", next count {_count_text(after.iloc[0])}"
    evidence = f"treaty_events (sources {', '.join(sorted(set(','.join(windows['source_ids']).split(','))))}); party_counts"
    computed = f"{n_in} certain" + (f" + {n_maybe} possible" if n_maybe else "")
    period = f"{day(start)} to {day(end)}"
    base = f"within {period}: {names(inside) or 'none'}"
    if n_maybe:
        base += f"; possibly within (date only bounded): {names(maybe)}"
    base += count_text
    used = pd.concat([inside, maybe])
    strength = strongest(
        strength_of(sid) if not sid.startswith("untc") else OFFICIAL
        for ids in used["source_ids"] for sid in ids.split(",")
    ) if len(used) else NO_EVIDENCE  # fmt: skip
    dates = "; ".join(_window_text(r).split(" (", 1)[1].rstrip(")") for r in used.itertuples())
    if n_in == reported and n_maybe == 0:
        return Verdict(
            "consistent", computed, evidence, f"{n_in} States joined {base}", n_in, strength, dates
        )
    if n_in <= reported <= n_in + n_maybe:
        needed = ", ".join(maybe["participant"])
        return Verdict(
            "not reproducible", computed, evidence,
            f"{n_in} States certainly joined {base}; whether {needed} joined before {day(start)} decides "
            f"(needs its UNTC deposit date)",
            n_in, strength, dates,
        )  # fmt: skip
    return Verdict(
        "differs",
        computed,
        evidence,
        f"{computed} States joined {base}, not {reported}",
        n_in,
        strength,
        dates,
    )


@rule_kind("entry_into_force", inputs=("treaty_events",))
def entry_into_force(claim: Claim, *, treaty_events: pd.DataFrame, table: str) -> Verdict:
    """Article 17(1): the 90th day after the 40th instrument of the UNTC ``table`` (an organisation's not counted).

    Article 17 is quoted in the UNTC record (XVIII-12-a, 'Entry into force'). The condition that the
    Protocol cannot enter into force before the Convention is not checked (the Convention's date is
    not in the data).
    """
    ev = treaty_events[
        (treaty_events["treaty"] == TREATY) & (treaty_events["source_id"].astype("object") == table)
    ]
    ev = ev[~ev["participant"].isin(REGIONAL_ORGANISATIONS) & ev["action_date"].notna()]
    dates = pd.to_datetime(ev["action_date"]).sort_values().reset_index(drop=True)
    if len(dates) < FIRST_ENTRY_INTO_FORCE_INSTRUMENTS:
        raise ValueError(f"only {len(dates)} dated instruments in the UNTC rows")
    fortieth = dates.iloc[FIRST_ENTRY_INTO_FORCE_INSTRUMENTS - 1]
    eif = fortieth + pd.Timedelta(days=FIRST_ENTRY_INTO_FORCE_DAYS)
    holds = eif.year == int(claim.value)
    return Verdict(
        "reproduced" if holds else "differs",
        day(eif),
        f"treaty_events ({table}): 40th instrument {day(fortieth)}",
        f"40th instrument deposited {day(fortieth)} + 90 days = {day(eif)} (article 17(1)); "
        + ("year " + str(eif.year) + " as stated" if holds else f"year {eif.year}, not {int(claim.value)}")
        + f"; UNTC record: {day(TIP_PROTOCOL_IN_FORCE)}",
        day(eif),
        OFFICIAL,
        day(fortieth),
    )
