"""Rule kinds for a dated event of the report that another source dates: is it in the reported month?
What do other sources say of a date or period in words?"""

from __future__ import annotations

import re

import pandas as pd

from tipstats.claims_audit.registry import MONTH_NAMES, Claim, date_bounds
from tipstats.claims_audit.rules.base import (
    NO_EVIDENCE,
    Verdict,
    day,
    rule_kind,
    strength_of,
    strongest,
    text,
    weak_support,
)


@rule_kind("event_month", input_param="dataset")
def event_month(
    claim: Claim, *, frame: pd.DataFrame, dataset: str, column: str, pattern: str, date_column: str
) -> Verdict:
    """A row of ``dataset`` whose ``column`` matches ``pattern``: is its ``date_column`` within the reported month?"""
    rows = frame[frame[column].astype(str).str.contains(pattern, regex=True)].copy()
    rows["_day"] = pd.to_datetime(rows[date_column])
    rows = rows.dropna(subset=["_day"]).sort_values("_day", kind="mergesort")
    lo, hi = date_bounds(claim.reported_value)
    inside = rows[(rows["_day"] >= lo) & (rows["_day"] <= hi)]
    evidence = f"{dataset}: " + (
        "; ".join(f"{day(d)} ({t})" for d, t in zip(rows["_day"], rows[column], strict=True)) or "no row"
    )
    if not inside.empty:
        r = inside.iloc[0]
        strength = strength_of(r[column])
        return Verdict("consistent", day(r["_day"]), evidence,
                       f"'{r[column]}' is dated {day(r['_day'])}, within {claim.reported_value}" + weak_support(strength),
                       day(r["_day"]), strength, day(r["_day"]))  # fmt: skip
    if not rows.empty:
        r = rows.iloc[0]
        return Verdict("differs", day(r["_day"]), evidence,
                       f"'{r[column]}' is dated {day(r['_day'])}, not in {claim.reported_value}", day(r["_day"]),
                       strength_of(r[column]), day(r["_day"]))  # fmt: skip
    return Verdict(
        "not reproducible",
        "not found",
        evidence,
        "no dated source on this event; needs its official record",
        strength=NO_EVIDENCE,
    )


def mention_bounds(found: str, read: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The dates a source's words stand for: ``month`` ('Jan 2021', 'February 2021'), ``ddmmyy`` (an
    address's '020221'), ``period`` ('2020-2023': both years whole), ``day`` (ISO).

    >>> [day(d) for d in mention_bounds("Jan 2021", "month")], [day(d) for d in mention_bounds("020221", "ddmmyy")]
    (['2021-01-01', '2021-01-31'], ['2021-02-02', '2021-02-02'])
    >>> [day(d) for d in mention_bounds("2020-2023", "period")]
    ['2020-01-01', '2023-12-31']
    """
    if read == "month":
        m = re.fullmatch(r"([A-Za-z]{3})[a-z]* (\d{4})", found.strip())
        if m is None or m.group(1).lower() not in MONTH_ABBREVIATIONS:
            raise ValueError(f"not a month: {found!r}")
        return date_bounds(f"{m.group(2)}-{MONTH_ABBREVIATIONS[m.group(1).lower()]:02d}")
    if read == "ddmmyy":
        d, mth, y = found[:2], found[2:4], found[4:6]
        when = pd.Timestamp(f"20{y}-{mth}-{d}")
        return when, when
    if read == "period":
        years = re.findall(r"\d{4}", found)
        return date_bounds(years[0])[0], date_bounds(years[-1])[1]
    if read == "day":
        when = pd.Timestamp(found)
        return when, when
    raise ValueError(f"read must be month, ddmmyy, period or day, not {read!r}")


MONTH_ABBREVIATIONS = {name[:3].lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}


@rule_kind("source_mentions", inputs_list_param="mentions")
def source_mentions(claim: Claim, *, frames: dict, mentions: list[dict]) -> Verdict:
    """The date or period the report gives, against what other sources say of it in words.

    Each of ``mentions`` is ``{"input", "column", "pattern", "read", "says"}``: the rows of the input
    whose ``column`` matches ``pattern`` (group 1 is the date in the source's words, read as
    ``read``, see :func:`mention_bounds`); ``says`` names the source in words. Its strength is
    classed from the row (:func:`~.base.strength_of` on the column's text and address). A claim
    with a period (``period_start``/``period_end``) is compared as a period (same first and last
    year), a month or day as a date (the source's date inside the reported month). Every value is
    listed with its source; when sources disagree the strongest decides, and a tie is not
    reproducible.
    """
    if claim.period_start and claim.period_end:
        lo, hi = date_bounds(claim.period_start)[0], date_bounds(claim.period_end)[1]
        as_period = True
    else:
        lo, hi = date_bounds(claim.reported_value if claim.unit == "date" else claim.reference_date)
        as_period = False
    found = []
    for spec in mentions:
        frame = frames[spec["input"]]
        column = spec["column"]
        for _, row in frame.iterrows():
            cell = text(row.get(column))
            m = re.search(spec["pattern"], cell)
            if m is None:
                continue
            s_lo, s_hi = mention_bounds(m.group(1), spec.get("read", "month"))
            agrees = (
                (s_lo.year == lo.year and s_hi.year == hi.year) if as_period else (lo <= s_lo and s_hi <= hi)
            )
            described = " ".join(
                text(row.get(c)) for c in row.index if c in (column, "source_url", "kind", "source_document")
            )
            strength = strength_of(described if spec.get("strength") is None else spec["strength"])
            span = day(s_lo) if s_lo == s_hi else f"{day(s_lo)} to {day(s_hi)}"
            found.append((agrees, strength, f"'{m.group(1)}' = {span} ({spec['says']}; {strength})", span))
    if not found:
        return Verdict("not reproducible", "no mention", "; ".join(f"{s['input']}.{s['column']}" for s in mentions),
                       "no source in the data mentions it; needs " + text(claim.data_needed), strength=NO_EVIDENCE)  # fmt: skip
    listing = "; ".join(f for _, _, f, _ in found)
    evidence = ", ".join(sorted({f"{s['input']}.{s['column']}" for s in mentions}))
    dates = "; ".join(sorted({d for *_, d in found}))
    best = strongest(s for _, s, _, _ in found)
    best_rows = [a for a, s, _, _ in found if s == best]
    reported = f"{claim.period_start}-{claim.period_end}" if as_period else str(claim.reported_value)
    if all(best_rows) and best_rows:
        status = "consistent"
        against = [f for a, _, f, _ in found if not a]
        explanation = f"the strongest source ({best}) agrees with {reported}: {listing}"
        if against:
            explanation += f"; conflicting (weaker): {'; '.join(against)}"
        explanation += weak_support(best)
    elif not any(best_rows):
        status = "differs"
        explanation = f"the strongest source ({best}) gives another date than {reported}: {listing}"
    else:
        status = "not reproducible"
        explanation = f"sources of the same strength ({best}) disagree: {listing}"
    return Verdict(status, listing, evidence, explanation, None, best, dates)
