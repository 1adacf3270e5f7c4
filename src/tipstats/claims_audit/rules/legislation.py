"""Rule kind on the legislation data: a count of countries (assessed, with legislation) at a date."""

from __future__ import annotations

import pandas as pd

from tipstats.claims_audit.registry import Claim, date_bounds
from tipstats.claims_audit.rules.base import (
    NO_EVIDENCE,
    PRIMARY,
    Verdict,
    claim_interval,
    compare,
    day,
    independent,
    num,
    rule_kind,
    statement_interval,
    text,
)

NOT_IN_LINE_FLAG = "partial_or_not_in_line_by_us_yardstick"


def not_in_line(legislation: pd.DataFrame) -> pd.DataFrame:
    """Rows that their own source marks as not in line with the Protocol (or only partly)."""
    flags = legislation["flags"].astype("object").fillna("") if "flags" in legislation.columns else None
    if flags is None:
        return legislation.iloc[0:0]
    return legislation[flags.str.contains(NOT_IN_LINE_FLAG, regex=False)]


def _legislation_by(legislation: pd.DataFrame, ref: pd.Timestamp) -> str:
    """Countries with a law dated by ``ref`` in the ``legislation`` dataset, per yardstick and together.

    A law of ``ref``'s year with no month is not counted (it may be later in the year). Rows that
    their source marks as not in line with the Protocol are left out of a count set beside "in
    line with the Protocol", and named (the yardstick-mismatch warning).
    """
    mismatched = not_in_line(legislation)
    leg = legislation[legislation["year"].notna() & ~legislation.index.isin(mismatched.index)].copy()
    month = leg["month"].astype("Float64") if "month" in leg.columns else pd.Series(pd.NA, index=leg.index)
    year = leg["year"].astype("Int64")
    certain = ((year < ref.year) | ((year == ref.year) & (month <= ref.month))).fillna(False)
    parts = [
        f"{sub['iso3'].nunique()} {yardstick}"
        for yardstick, sub in leg[certain].groupby("yardstick", sort=True)
    ]
    union = leg.loc[certain, "iso3"].nunique()
    out = f"other yardsticks: {union} countries with a law dated by {day(ref)} in `legislation` ({', '.join(parts)})"
    if len(mismatched):
        names = ", ".join(
            f"{r['country']} ({text(r['assessment_in_source'])[:60]})"
            if "assessment_in_source" in r
            else str(r["iso3"])
            for _, r in mismatched.sort_values("iso3").iterrows()
        )
        out += (
            f"; warning, another yardstick: {len(mismatched)} row(s) that the source marks as not (fully) in line "
            f"with the Protocol are left out: {names}"
        )
    return out


@rule_kind("legislation_count", inputs=("legislation_counts", "legislation"))
def legislation_count(
    claim: Claim, *, legislation_counts: pd.DataFrame, legislation: pd.DataFrame, column: str
) -> Verdict:
    """The ``column`` count of ``legislation_counts`` at the claim's reference date, with the nearest context."""
    counts = independent(legislation_counts)
    lo, hi = date_bounds(claim.reference_date)
    dated = counts.copy()
    dated["_date"] = pd.to_datetime(dated["reference_date"])
    same = dated[(dated["_date"] >= lo) & (dated["_date"] <= hi) & dated[column].notna()]
    earlier = dated[(dated["_date"] < lo) & dated["countries_assessed"].notna()].sort_values("_date")
    context = []
    if not earlier.empty:
        e = earlier.iloc[-1]
        context.append(
            f"{e['edition']}: {int(e['countries_with_legislation'])} of {int(e['countries_assessed'])} assessed "
            f"({e['date_or_period']})"
        )
    other = dated[(dated["reference_year"] == lo.year) & dated["share_percent"].notna()]
    for _, r in other.iterrows():
        words = " ".join(w for w in (text(r["qualifier"]), num(r["share_percent"])) if w)
        context.append(f"{r['edition']}: {words} per cent ({r['count_id']}: '{r['definition']}')")
    context.append(_legislation_by(legislation, hi))
    evidence = (
        "legislation_counts (" + ", ".join(sorted(set(counts["count_id"].astype(str)))) + "); legislation"
    )
    if not same.empty:
        row = same.iloc[0]
        value = int(row[column])
        iv = claim_interval(claim.reported_value, claim.comparator)
        verdict = compare(iv, statement_interval(float(value), row["qualifier"], count=True))
        status = {"agrees": "consistent", "disagrees": "differs"}.get(verdict, "not reproducible")
        return Verdict(
            status, str(value), evidence,
            f"{row['edition']} ({row['date_or_period']}): {value}; " + "; ".join(context), value,
            PRIMARY, text(row["date_or_period"]),
        )  # fmt: skip
    explanation = (
        f"no source other than the report gives the {claim.reference_date} count; nearest: "
        + "; ".join(context)
        + f"; needs {claim.data_needed}"
    )
    nearest = int(earlier.iloc[-1][column]) if not earlier.empty else None
    return Verdict(
        "not reproducible",
        "not found" + (f" (Aug 2018: {nearest})" if nearest else ""),
        evidence,
        explanation,
        nearest,
        NO_EVIDENCE,
        text(earlier.iloc[-1]["date_or_period"]) if not earlier.empty else "",
    )
