"""Rule kinds on the victim and exploitation shares: a share the report quotes, a share that rose more.

The report quotes shares of a GLOTIP edition (``edition``); ``victim_shares`` and
``exploitation_shares`` hold those quotations (basis ``published``) beside tipstats' own shares
from dataUNODC (basis ``computed``, another country set: context only).
"""

from __future__ import annotations

import pandas as pd

from tipstats.claims_audit.registry import Claim
from tipstats.claims_audit.rules.base import (
    NO_EVIDENCE,
    Verdict,
    claim_interval,
    compare,
    num,
    rule_kind,
    statement_interval,
    strength_of,
    strongest,
    text,
    weak_support,
)

# Groups that the computed shares give only as their parts (same countries, same denominator).
COMPUTED_PARTS = {"children": ("girls", "boys"), "women_and_girls": ("women", "girls")}


def published(frame: pd.DataFrame, column: str, value: str, edition: str, among: str = "all") -> pd.DataFrame:
    """The quotations of ``edition`` for ``column == value``, by year."""
    rows = frame[
        (frame["basis"] == "published")
        & (frame["edition"].astype("object") == edition)
        & (frame[column] == value)
        & (frame["among"] == among)
        & frame["share"].notna()
        & frame["year"].notna()
    ]
    return rows.sort_values(["year", "figure_id"], kind="mergesort")


def _computed(frame: pd.DataFrame, column: str, value: str, year: int) -> tuple[float, int] | None:
    """tipstats' own share for ``value`` in ``year`` (summing its parts where needed), and its country count."""
    rows = frame[(frame["basis"] == "computed") & (frame["among"] == "all") & (frame["year"] == year)]
    parts = COMPUTED_PARTS.get(value, (value,)) if column == "group" else (value,)
    own = rows[rows[column] == value]
    if len(own):
        return float(own["share"].iloc[0]), int(own["n_countries"].iloc[0])
    sub = rows[rows[column].isin(parts)]
    if sub[column].nunique() == len(parts) and sub["n_countries"].nunique() == 1:
        return float(sub["share"].sum()), int(sub["n_countries"].iloc[0])
    return None


@rule_kind("published_share", input_param="dataset")
def published_share(
    claim: Claim,
    *,
    frame: pd.DataFrame,
    dataset: str,
    column: str,
    value: str,
    edition: str,
    rise: bool = False,
) -> Verdict:
    """The share of ``value`` (in ``column`` of ``dataset``) that ``edition`` gives for its latest year.

    With ``rise``, the explanation adds the change since the edition's first year.
    """
    rows = published(frame, column, value, edition)
    if rows.empty:
        return Verdict(
            "not reproducible", "no published share", f"{dataset}: {edition}",
            f"no quotation of the {edition} share of {value}; needs the report's own figure", None, NO_EVIDENCE,
        )  # fmt: skip
    year = int(rows["year"].max())
    latest = rows[rows["year"] == year]
    iv = claim_interval(claim.reported_value, claim.comparator)
    results = {fid: compare(iv, statement_interval(float(s), q)) for fid, s, q in
               zip(latest["figure_id"], latest["share"], latest["qualifier"], strict=True)}  # fmt: skip
    shares = sorted(set(latest["share"].astype(float)))
    quoted = f"{edition}: {' / '.join(num(s) for s in shares)} per cent of detected victims in {year} ({len(latest)} quotation(s))"
    own = _computed(frame, column, value, year)
    if own is not None:
        quoted += (
            f"; tipstats' own computation from dataUNODC for {year}: {own[0]:.1f} per cent over "
            f"{own[1]} countries (another country set, context only)"
        )
    evidence = f"{dataset}: " + ", ".join(latest["figure_id"].astype(str)) + " (glotip_text_figures)"
    computed = f"{' / '.join(num(s) for s in shares)} per cent ({year})"
    outcomes = set(results.values())
    if outcomes == {"agrees"}:
        status, explanation = "consistent", f"{quoted}: {claim.reported_text()} holds"
    elif "agrees" not in outcomes and "undecided" not in outcomes:
        status = "differs"
        explanation = f"{quoted}, not {claim.reported_text()} (the report may round or quote another year)"
    else:
        status, explanation = (
            "not reproducible",
            f"{quoted}: the quotations disagree with each other or cannot decide",
        )
    strength = strongest(strength_of(text(u)) for u in latest.get("source_url", pd.Series(dtype=str)))
    if status == "consistent":
        explanation += weak_support(strength)
    if rise and status != "not reproducible":
        early, late = rows.iloc[0], latest.iloc[0]
        ratio = float(late["share"]) / float(early["share"])
        explanation += (
            f"; up from {num(early['share'])} per cent in {int(early['year'])} "
            f"(x{ratio:.1f}; 'exponentially' is the report's word, not a fitted curve)"
        )
    return Verdict(
        status, computed, evidence, explanation, shares[0], strength, f"{edition} (data year {year})"
    )


def _possessive(word: str) -> str:
    return word + ("'" if word.endswith("s") else "'s")


@rule_kind("share_rose_more", inputs=("victim_shares",))
def share_rose_more(
    claim: Claim, *, victim_shares: pd.DataFrame, group: str, than: str, edition: str
) -> Verdict:
    """``group``'s share rose more than ``than``'s between the first and last year ``edition`` shows."""
    series = {}
    for g in (group, than):
        rows = published(victim_shares, "group", g, edition).drop_duplicates("year")
        if rows["year"].nunique() < 2:
            return Verdict(
                "not reproducible", "no series", "victim_shares",
                f"no two years of the {edition} share of {g}; needs the report's chart data", None, NO_EVIDENCE,
            )  # fmt: skip
        series[g] = rows.set_index("year")["share"].astype(float)
    years = sorted(set(series[group].index) & set(series[than].index))
    y0, y1 = int(years[0]), int(years[-1])
    b0, b1 = series[group][y0], series[group][y1]
    g0, g1 = series[than][y0], series[than][y1]
    used = pd.concat([published(victim_shares, "group", g, edition) for g in (group, than)])
    strength = strongest(strength_of(text(u)) for u in used.get("source_url", pd.Series(dtype=str)))
    dates = f"{edition} (data years {int(used['year'].min())}-{int(used['year'].max())})"
    more_points = (b1 - b0) > (g1 - g0)
    more_ratio = (b1 / b0) > (g1 / g0)
    computed = f"{group} {num(b0)} -> {num(b1)}, {than} {num(g0)} -> {num(g1)} per cent ({y0}-{y1})"
    evidence = f"victim_shares: published {edition} {group} and {than} (glotip_text_figures)"
    detail = (
        f"{y0}-{y1}: {group} +{b1 - b0:g} points (x{b1 / b0:.1f}), {than} +{g1 - g0:g} points (x{g1 / g0:.1f}); "
        "'significantly' cannot be tested on published shares (no counts or errors)"
    )
    if more_points and more_ratio:
        return Verdict(
            "consistent", computed, evidence,
            f"{_possessive(group)} share rose more than {_possessive(than)} in points and ratio: {detail}"
            + weak_support(strength), b1 - b0, strength, dates,
        )  # fmt: skip
    if not more_points and not more_ratio:
        return Verdict(
            "differs",
            computed,
            evidence,
            f"{_possessive(group)} share did not rise more than {_possessive(than)}: {detail}",
            b1 - b0,
            strength,
            dates,
        )
    return Verdict(
        "not reproducible",
        computed,
        evidence,
        f"{_possessive(group)} rise is larger on one scale only: {detail}",
        b1 - b0,
        strength,
        dates,
    )
