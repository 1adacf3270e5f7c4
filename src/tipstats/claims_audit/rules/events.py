"""Rule kind for a dated event of the report that another source dates: is it in the reported month?"""

from __future__ import annotations

import pandas as pd

from tipstats.claims_audit.registry import Claim, date_bounds
from tipstats.claims_audit.rules.base import Verdict, day, rule_kind


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
        return Verdict("consistent", day(r["_day"]), evidence,
                       f"'{r[column]}' is dated {day(r['_day'])}, within {claim.reported_value}", day(r["_day"]))  # fmt: skip
    if not rows.empty:
        r = rows.iloc[0]
        return Verdict("differs", day(r["_day"]), evidence,
                       f"'{r[column]}' is dated {day(r['_day'])}, not in {claim.reported_value}", day(r["_day"]))  # fmt: skip
    return Verdict(
        "not reproducible", "not found", evidence, "no dated source on this event; needs its official record"
    )
