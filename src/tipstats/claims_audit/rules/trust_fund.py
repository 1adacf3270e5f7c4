"""Rule kinds on the trust fund's statements: a quantity another source states, the fund's age, its calls.

``trust_fund`` holds what UNODC and others say about the fund (one row per statement, with its
date or period, qualifier and unit). The report's own rows never count.
"""

from __future__ import annotations

import re

import pandas as pd

from tipstats.claims_audit.registry import ORDINALS, Claim, date_bounds
from tipstats.claims_audit.rules.base import (
    NO_EVIDENCE,
    Verdict,
    claim_interval,
    compare,
    day,
    independent,
    num,
    rule_kind,
    statement_interval,
    strength_of,
    strongest,
    text,
    weak_support,
)
from tipstats.facts import USD_SCALE

AMOUNT_UNITS = ("USD", "USD million", "per cent", "fold", "years")
ORDINAL_WORDS = {n: word for word, n in ORDINALS.items()}


def row_bounds(row: pd.Series) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The dates a trust-fund row refers to: its day, month, year or period ('2011-2014': both years whole).

    Undated rows give (None, None).
    """
    when = text(row.get("date_or_period"))
    precision = text(row.get("date_precision"))
    if precision == "undated" or when.startswith("undated"):
        return None, None
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", when):
        return date_bounds(when)
    if pd.notna(row.get("date")):
        exact = pd.Timestamp(row["date"])
        return exact, exact
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", when)
    if years:
        return date_bounds(years[0])[0], date_bounds(years[-1])[1]
    if pd.notna(row.get("year")):
        return date_bounds(str(int(row["year"])))
    return None, None


def _scaled(value: float, unit: str, claim_unit: str) -> float | None:
    """``value`` in the claim's unit; None when the units cannot be compared (EUR against USD)."""
    if claim_unit in USD_SCALE:
        return value * USD_SCALE[unit] / USD_SCALE[claim_unit] if unit in USD_SCALE else None
    return value


def _dates_of(rows: pd.DataFrame) -> str:
    """The dates of ``rows`` (their day, month, year or period as the source gives it), '; '-separated."""
    return "; ".join(sorted({text(r["date_or_period"]) for _, r in rows.iterrows()} - {""}))


def _source_strength(rows) -> str:
    return strongest(strength_of(text(r.get("source_document"))) for r in rows)


@rule_kind("statements", inputs=("trust_fund", "report_as_of"))
def statements(
    claim: Claim,
    *,
    trust_fund: pd.DataFrame,
    report_as_of: pd.Timestamp,
    quantities: list[str],
    window: list[str] | None = None,
    monotone: bool = False,
    note: str = "",
    context: list[str] | None = None,
) -> Verdict:
    """Compare a claim with every other statement of the same ``quantities`` dated within ``window``.

    ``window`` is ``[start, end]`` as partial dates (none: any date). With ``monotone`` (a
    cumulative total), statements before the window that exceed the claim refute it (a cumulative
    total cannot fall); earlier, smaller totals are shown as compatible. ``note`` is added to the
    explanation; the registry's ``data_needed`` says what would decide an open case.

    Two standards hold every verdict. *Same quantity*: only rows of ``quantities`` are compared;
    rows of the ``context`` quantities (another quantity: grant windows of one call, one window of
    a later call) are shown, never compared, so on them alone the verdict is ``not reproducible``.
    *Dated on or before the claim*: a statement first dated after the report (``report_as_of``,
    the end of its period) neither confirms nor refutes it; it is shown as later context.
    """
    tf = independent(trust_fund)
    as_of = pd.Timestamp(report_as_of)
    aside = tf[tf["quantity"].isin(context or [])]
    rows = tf[tf["quantity"].isin(quantities)].copy()
    bounds = (
        rows.apply(row_bounds, axis=1, result_type="expand") if len(rows) else pd.DataFrame(columns=[0, 1])
    )
    rows["_lo"], rows["_hi"] = (bounds[0], bounds[1]) if len(rows) else (None, None)
    lo, hi = (date_bounds(window[0])[0], date_bounds(window[1])[1]) if window else (None, None)
    in_window = rows[rows["_lo"].notna() & (rows["_lo"] <= hi) & (rows["_hi"] >= lo)] if window else rows
    later = in_window[in_window["_lo"].notna() & (in_window["_lo"] > as_of)]
    in_window = in_window[~in_window.index.isin(later.index)]
    iv = claim_interval(claim.reported_value, claim.comparator)
    count = claim.unit not in AMOUNT_UNITS

    def label(r) -> str:
        q = text(r["qualifier"])
        return (
            f"{(q + ' ') if q else ''}{num(r['value'])} {r['unit']} ({r['date_or_period']}, {r['figure_id']})"
        )

    results = []
    for _, r in in_window.iterrows():
        scaled = _scaled(float(r["value"]), str(r["unit"]), claim.unit)
        if scaled is None:
            continue
        results.append((r, compare(iv, statement_interval(scaled, r["qualifier"], count=count))))
    used = [r for r, _ in results]
    evidence = (
        "trust_fund: "
        + (", ".join(str(r["figure_id"]) for r in used) if used else "no row")
        + (f" (quantities {', '.join(quantities)})")
    )
    suffix = f"; {note}" if note else ""
    if len(later):
        suffix = (
            f"; dated after the report ({day(as_of)}), so neither confirming nor refuting it: "
            f"{'; '.join(label(r) for _, r in later.iterrows())}{suffix}"
        )
    if len(aside):
        suffix = (
            f"; context, another quantity ({', '.join(sorted(set(aside['quantity'])))}), not compared: "
            f"{'; '.join(label(r) for _, r in aside.iterrows())}{suffix}"
        )
    agree = [r for r, v in results if v == "agrees"]
    disagree = [r for r, v in results if v == "disagrees"]
    if agree:
        found = "; ".join(label(r) for r in agree)
        extra = f"; but {'; '.join(label(r) for r in disagree)}" if disagree else ""
        strength = _source_strength(agree)
        return Verdict("consistent", found, evidence,
                       f"{found} supports {claim.reported_text()}{extra}{weak_support(strength)}{suffix}",
                       float(agree[0]["value"]), strength, _dates_of(pd.DataFrame(agree + disagree)))  # fmt: skip
    if disagree:
        found = "; ".join(label(r) for r in disagree)
        return Verdict("differs", found, evidence, f"the other source gives {found}, not {claim.reported_text()}{suffix}",
                       float(disagree[0]["value"]), _source_strength(disagree), _dates_of(pd.DataFrame(disagree)))  # fmt: skip
    if monotone and lo is not None:
        earlier = rows[rows["_hi"].notna() & (rows["_hi"] < lo)]
        for _, r in earlier.iterrows():
            scaled = _scaled(float(r["value"]), str(r["unit"]), claim.unit)
            if scaled is not None and statement_interval(scaled, r["qualifier"], count=count).low >= iv.high:
                return Verdict(
                    "differs", label(r), evidence,
                    f"an earlier cumulative figure, {label(r)}, already exceeds {claim.reported_text()}{suffix}",
                    float(r["value"]), _source_strength([r]), text(r["date_or_period"]),
                )  # fmt: skip
        if not earlier.empty:
            suffix = f"; earlier totals {'; '.join(label(r) for _, r in earlier.iterrows())} are compatible{suffix}"
    outside = rows[~rows.index.isin(in_window.index)]
    seen = (
        f"; other dates only: {'; '.join(label(r) for _, r in outside.iterrows())}"
        if len(outside) and not monotone
        else ""
    )
    undecided = [r for r, v in results if v == "undecided"]
    if undecided:
        seen = f"; cannot decide: {'; '.join(label(r) for r in undecided)}" + seen
    period = f" for {window[0]} to {window[1]}" if window else ""
    shown = pd.concat([later, aside, outside]) if len(later) or len(aside) or len(outside) else rows.iloc[0:0]
    return Verdict("not reproducible", "not found", evidence,
                   f"no other source states this quantity{period}{seen}{suffix}; needs {claim.data_needed}", None,
                   NO_EVIDENCE, _dates_of(shown) if len(shown) else "")  # fmt: skip


@rule_kind("fund_anniversary", inputs=("trust_fund",))
def fund_anniversary(claim: Claim, *, trust_fund: pd.DataFrame, inception_event: str) -> Verdict:
    """The year = the fund's first year + the ordinal; the first year is that of the earliest statement.

    ``inception_event`` is the words of a source document that marks the fund's age (shown as context).
    """
    tf = independent(trust_fund)
    dated = tf.assign(_lo=[row_bounds(r)[0] for _, r in tf.iterrows()]).dropna(subset=["_lo"])
    first = dated.sort_values("_lo", kind="mergesort").iloc[0]
    year = pd.Timestamp(first["_lo"]).year
    tenth = year + 10
    holds = tenth == int(claim.value)
    inception = tf[tf["source_document"].astype(str).str.contains(inception_event, regex=False)]
    extra = (
        f"; UNODC event of {inception.iloc[0]['date_or_period']}: '{inception.iloc[0]['source_document'].split(chr(39))[1]}'"
        if len(inception)
        else ""
    )
    strength = strength_of(text(first["source_document"]))
    return Verdict(
        "consistent" if holds else "differs", str(tenth),
        f"trust_fund: {first['figure_id']} ({first['date_or_period']}) and the other dated rows",
        f"the earliest statement about the fund is dated {first['date_or_period']} ({first['source_document']}), "
        f"so its tenth year is {tenth}" + ("" if holds else f", not {int(claim.value)}") + extra
        + (weak_support(strength) if holds else ""),
        tenth, strength, text(first["date_or_period"]),
    )  # fmt: skip


def _calls(tf: pd.DataFrame) -> pd.DataFrame:
    """Rows about a numbered call (quantities ``callN_...``), with the call number and first date."""
    lows = [row_bounds(r)[0] for _, r in tf.iterrows()]
    return tf.assign(
        call=tf["quantity"].str.extract(r"^call(\d+)_", expand=False).astype("Float64"),
        _lo=lows,
        _year=[lo.year if lo is not None else None for lo in lows],
    ).dropna(subset=["call"])


@rule_kind("calls_documented", inputs=("trust_fund",))
def calls_documented(claim: Claim, *, trust_fund: pd.DataFrame) -> Verdict:
    """Calls for proposals with evidence dated on or before the reference date: 1..N, all of them.

    Dates are compared as dates: a row first dated after the reference day (a November 2021
    page for a report whose period ends in July 2021) does not count.
    """
    tf = independent(trust_fund)
    ref = date_bounds(claim.reference_date)[1]
    calls = _calls(tf)
    dated = calls["_lo"].notna()
    by_end_of_year = calls[dated & (pd.to_datetime(calls["_lo"]) <= ref)]
    numbers = sorted({int(c) for c in by_end_of_year["call"]})
    later = calls[dated & (pd.to_datetime(calls["_lo"]) > ref)]
    first_later = later.sort_values("_lo").iloc[0] if len(later) else None
    n = max(numbers) if numbers else 0
    holds = numbers == list(range(1, n + 1)) and n == int(claim.value)
    next_text = (
        f"; call {int(first_later['call'])} first appears {first_later['date_or_period']}"
        if first_later is not None
        else ""
    )
    first_rows = by_end_of_year.sort_values("_lo", kind="mergesort").drop_duplicates("call")
    by_call = dict(zip(first_rows["call"].astype(int), first_rows["date_or_period"], strict=True))
    listing = ", ".join(f"call {c} ({by_call[c]})" for c in numbers)
    strength = _source_strength([r for _, r in first_rows.iterrows()])
    dates = _dates_of(first_rows)
    words = f"sources dated on or before {day(ref)} document {listing}{next_text}"
    if holds:
        return Verdict("consistent", f"calls {', '.join(map(str, numbers))}", "trust_fund: quantities callN_* with a date",
                       words + weak_support(strength), n, strength, dates)  # fmt: skip
    unseen = [c for c in range(n + 1, int(claim.value) + 1)]
    if numbers == list(range(1, n + 1)) and n < int(claim.value) and first_later is not None:
        return Verdict(
            "not reproducible", f"calls {', '.join(map(str, numbers))}", "trust_fund: quantities callN_* with a date",
            f"{words}; call(s) {', '.join(map(str, unseen))} appear only in sources dated after {day(ref)}, which do "
            f"not date the launch; needs the UNVTF announcement of each call", n, strength, dates,
        )  # fmt: skip
    return Verdict("differs", f"calls {', '.join(map(str, numbers))}", "trust_fund: quantities callN_* with a date",
                   f"{words}; not {int(claim.value)} calls", n, strength, dates)  # fmt: skip


@rule_kind("call_year", inputs=("trust_fund",))
def call_year(claim: Claim, *, trust_fund: pd.DataFrame, call: int, note: str) -> Verdict:
    """The year of call number ``call``'s awards; ``note`` explains a mismatch."""
    tf = independent(trust_fund)
    rows = tf[tf["quantity"].str.startswith(f"call{call}_")]
    nth = ORDINAL_WORDS[call]
    years = sorted({lo.year for _, r in rows.iterrows() for lo in [row_bounds(r)[0]] if lo is not None})
    if not years:
        return Verdict(
            "not reproducible", "no dated row", "trust_fund",
            f"no dated statement on the {nth} call; needs its announcement",
        )  # fmt: skip
    holds = years == [int(claim.value)]
    awards = rows[rows["quantity"].str.contains("awarded|projects", regex=True)]
    listing = "; ".join(
        f"{r['quantity']} {num(r['value'])} ({r['date_or_period']})" for _, r in awards.iterrows()
    )
    return Verdict(
        "consistent" if holds else "differs", ", ".join(map(str, years)),
        "trust_fund: " + ", ".join(rows["figure_id"].astype(str)),
        f"UNODC dates the {nth} call's awards to {', '.join(map(str, years))} ({listing})"
        + ("" if holds else f", not {int(claim.value)}: {note}"),
        years[-1], _source_strength([r for _, r in rows.iterrows()]), _dates_of(rows),
    )  # fmt: skip


@rule_kind("call_launch", inputs=("trust_fund",))
def call_launch(claim: Claim, *, trust_fund: pd.DataFrame, call: int) -> Verdict:
    """Launch of call number ``call``: a row about that call dated before the launch refutes it."""
    tf = independent(trust_fund)
    rows = tf[tf["quantity"].str.startswith(f"call{call}_")]
    nth = ORDINAL_WORDS[call]
    dated = [(lo, r) for _, r in rows.iterrows() for lo in [row_bounds(r)[0]] if lo is not None]
    launch = claim.date
    if not dated:
        return Verdict("not reproducible", "no row", f"trust_fund: no call{call}_* row",
                       f"no source mentions the {nth} call; needs {claim.data_needed}")  # fmt: skip
    first_date, first = min(dated, key=lambda pair: pair[0])
    evidence = "trust_fund: " + ", ".join(str(r["figure_id"]) for _, r in dated)
    if first_date < launch:
        return Verdict(
            "differs", day(first_date), evidence,
            f"a {nth}-call figure ({first['quantity']}) is dated {day(first_date)}, before the reported launch "
            f"{day(launch)}", day(first_date), _source_strength([first]), day(first_date),
        )  # fmt: skip
    return Verdict(
        "not reproducible", f"first dated evidence {day(first_date)}", evidence,
        f"the earliest {nth}-call figure ({first['quantity']}, {day(first_date)}) comes after the reported launch "
        f"{day(launch)}, as it should; needs {claim.data_needed} for the day",
        day(first_date), NO_EVIDENCE, day(first_date),
    )  # fmt: skip
