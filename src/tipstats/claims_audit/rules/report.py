"""Rule kinds that check the report against itself: dates, arithmetic, ordinals, what a sentence lists.

Each kind reads the claim's quote (or the report text) with the patterns its registry row gives
in ``params``, and returns ``internal`` when the statement holds, ``differs`` when it does not.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from tipstats.claims_audit.registry import (
    MONTH_NAMES,
    ORDINALS,
    WORD_NUMBERS,
    Claim,
    date_bounds,
    normalise,
    number_value,
)
from tipstats.claims_audit.rules.base import (
    Interval,
    Verdict,
    claim_interval,
    day,
    internal,
    num,
    rule_kind,
    search,
)
from tipstats.facts import USD_SCALE
from tipstats.report import _paragraph_starts, paragraph_text

MONTHS = {name: i + 1 for i, name in enumerate(MONTH_NAMES)}
FULL_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")


def report_dates(text: str) -> list[pd.Timestamp]:
    """Every full date ('8 July 2021') written in the text, in order of appearance.

    >>> [str(d.date()) for d in report_dates("from 18 December 2019 to 8 July 2021.")]
    ['2019-12-18', '2021-07-08']
    """
    return [
        pd.Timestamp(year=int(y), month=MONTHS[m], day=int(d))
        for d, m, y in FULL_DATE.findall(normalise(text))
    ]


def number_word(word: str) -> int:
    """``'two'`` -> 2, ``'48'`` -> 48."""
    return int(word) if word.isdigit() else WORD_NUMBERS[word.lower()]


@rule_kind("anniversary_of_adoption", inputs=("protocol_adopted",))
def anniversary_of_adoption(claim: Claim, *, protocol_adopted: pd.Timestamp, pattern: str) -> Verdict:
    """'The year 2020 marked the twentieth anniversary': adoption year + the ordinal = the year.

    ``pattern`` finds the year (group 1) and the ordinal word (group 2) in the quote.
    """
    adopted = pd.Timestamp(protocol_adopted)
    m = search(pattern, claim.quote, f"pattern {pattern!r}")
    groups = m.groupdict()
    year_text, nth_text = (groups["year"], groups["ordinal"]) if groups else (m.group(1), m.group(2))
    year, nth = int(year_text), int(number_value(nth_text))
    computed = adopted.year + nth
    holds = computed == year == int(claim.value)
    return internal(
        holds, str(computed),
        f"quote; adoption of the Convention and Protocols {day(adopted)} (tipstats.facts.TIP_PROTOCOL_ADOPTED, "
        "UNTC 'Conclusion: New York, 15 November 2000' of XVIII-12-a)",
        f"{adopted.year} + {nth} = {computed}: the {nth_text} anniversary of the adoption falls in {year}",
        f"{adopted.year} + {nth} = {computed}, not {year}",
        computed,
    )  # fmt: skip


@rule_kind("period_start_year", inputs=("report_text",))
def period_start_year(claim: Claim, *, report_text: str, pattern: str, event: str, paragraph: str) -> Verdict:
    """The period starts with ``event``, whose year another ``paragraph`` gives (``pattern``, group 1)."""
    start = claim.date
    m = search(pattern, report_text, f"paragraph {paragraph}'s year of {event}")
    year = int(m.group(1))
    holds = start.year == year and day(start) == claim.period_start
    return internal(
        holds, f"{event} adopted in {year} (paragraph {paragraph})",
        f"A/76/120 paragraphs {paragraph} and {claim.paragraph}",
        f"the period starts on {day(start)}, 'since the adoption of {event}', which paragraph {paragraph} dates to {year}",
        f"the period starts in {start.year} but paragraph {paragraph} dates {event} to {year}",
        year,
    )  # fmt: skip


def where_dated(text: str, when: pd.Timestamp, words: int = 8) -> str:
    """Where the report writes the full date ``when``: its paragraph and the words before it.

    >>> where_dated("1. The Group met.\\n2. A study was published on 8 July 2021.", pd.Timestamp("2021-07-08"))
    "paragraph 2: 'A study was published on 8 July 2021'"
    """
    written = f"{when.day} {MONTH_NAMES[when.month - 1]} {when.year}"
    starts = sorted(_paragraph_starts(text).items())
    for number, _ in reversed(starts):
        body = paragraph_text(text, str(number))
        # the paragraph's own words: up to the first footnote rule, if any
        body = body.split("__________________")[0]
        if written in body:
            before = body[: body.index(written)].split(". ")[-1].split()
            lead = " ".join(before[-words:])
            return f"paragraph {number}: '{lead} {written}'"
    plain = normalise(text)
    if written in plain:
        before = plain[: plain.index(written)].split()[-words:]
        return f"outside the numbered paragraphs: '{' '.join(before)} {written}'"
    raise ValueError(f"{written} is not written in the text")


@rule_kind("period_end_latest_date", inputs=("report_text",))
def period_end_latest_date(claim: Claim, *, report_text: str) -> Verdict:
    """The period ends on the latest full date the report mentions (nothing reported lies after it).

    Which event that latest date is, is read from the text (:func:`where_dated`), not typed.
    """
    end = claim.date
    dates = report_dates(report_text)
    latest = max(dates)
    after = [d for d in dates if d > end]
    holds = not after and latest == end
    return internal(
        holds, f"latest full date in the report: {day(latest)} ({len(dates)} full dates)",
        "A/76/120 full text (every 'D Month YYYY' date)",
        f"no full date in the report is later than the period end {day(end)}; the latest, {day(latest)}, is in "
        f"{where_dated(report_text, latest)}",
        f"{len(after)} date(s) in the report fall after the period end {day(end)}: "
        + ", ".join(day(d) for d in sorted(set(after))),
        day(latest),
    )  # fmt: skip


@rule_kind("years_since_adoption", inputs=("protocol_adopted",))
def years_since_adoption(claim: Claim, *, protocol_adopted: pd.Timestamp) -> Verdict:
    """Years from the adoption of the Protocol to the claim's reference date, against the claim."""
    adopted = pd.Timestamp(protocol_adopted)
    ref = date_bounds(claim.reference_date)[1]
    years = (ref - adopted).days / 365.2425
    holds = claim_interval(claim.reported_value, claim.comparator).contains(Interval(years, years))
    return internal(
        holds, f"{years:.2f} years",
        f"adoption {day(adopted)} (TIP_PROTOCOL_ADOPTED) to the claim's reference date {day(ref)}",
        f"{day(adopted)} to {day(ref)} is {years:.2f} years, more than {num(claim.value)}",
        f"{day(adopted)} to {day(ref)} is only {years:.2f} years",
        round(years, 2),
    )  # fmt: skip


@rule_kind("years_since_adoption_in_quote", inputs=("protocol_adopted",))
def years_since_adoption_in_quote(claim: Claim, *, protocol_adopted: pd.Timestamp, pattern: str) -> Verdict:
    """'In December 2020 ... the 20 years since the adoption': the year (group 1) - adoption year = N (group 2)."""
    adopted = pd.Timestamp(protocol_adopted)
    m = search(pattern, claim.quote, "the review's year")
    year, n = int(m.group(1)), int(m.group(2))
    computed = year - adopted.year
    holds = computed == n == int(claim.value)
    return internal(
        holds, f"{year} - {adopted.year} = {computed}", f"quote; TIP_PROTOCOL_ADOPTED {day(adopted)}",
        f"a review published in {year} covers {computed} years since the {adopted.year} adoption",
        f"{year} - {adopted.year} = {computed}, not {n}", computed,
    )  # fmt: skip


@rule_kind("items_listed")
def items_listed(
    claim: Claim, *, number: str, items: str, after: str | None = None, separator: str | None = None
) -> Verdict:
    """A number word and the items the sentence names for it: the count must match.

    ``number`` finds the word (group 1). ``items`` is ``"quoted"`` (every “...” title) or
    ``"listed"`` (the text after ``after``, split at ``separator``).
    """
    word = search(number, claim.quote, "the number").group(1)
    if items == "quoted":
        found = re.findall(r"“[^”]+”", claim.quote)
    elif items == "listed":
        listing = normalise(claim.quote).split(after, 1)[1]
        found = [i.strip() for i in re.split(separator, listing) if i.strip()]
    else:
        raise ValueError(f"items must be 'quoted' or 'listed', not {items!r}")
    stated, n = number_word(word), len(found)
    holds = n == stated == int(claim.value)
    listing = "; ".join(i.strip(' “”"') for i in found)
    return internal(
        holds, str(n), "quote (the items it names)",
        f"the sentence names {n} items for '{word}': {listing}",
        f"the sentence says '{word}' but names {n}: {listing}", n,
    )  # fmt: skip


@rule_kind("year_in_number")
def year_in_number(claim: Claim, *, pattern: str, label: str) -> Verdict:
    """'since 2011, when ... Directive 2011/36/EU': an instrument's number carries its year.

    ``pattern`` has the named groups ``stated`` (the year the sentence gives), ``name`` (the
    instrument's number) and ``numbered`` (the year in that number); ``label`` names the instrument.
    """
    m = search(pattern, claim.quote, label)
    stated, numbered = int(m.group("stated")), int(m.group("numbered"))
    holds = stated == numbered == int(claim.value)
    return internal(
        holds, str(numbered), f"quote (the year in the {label.lower()}'s number)",
        f"{label} {m.group('name')} carries the year {numbered}, as stated",
        f"the report gives {stated} but {label} {m.group('name')} carries {numbered}", numbered,
    )  # fmt: skip


@rule_kind("same_date_elsewhere", inputs=("report_text",))
def same_date_elsewhere(
    claim: Claim, *, report_text: str, pattern: str, paragraph: str, event: str
) -> Verdict:
    """The date of ``event`` here against the one another ``paragraph`` gives (``pattern``, group 1)."""
    here = claim.date
    m = search(pattern, report_text, f"paragraph {paragraph}'s date")
    other = report_dates(m.group(1))[0]
    holds = here == other
    return internal(
        holds, day(other), f"A/76/120 paragraphs {paragraph} and {claim.paragraph}",
        f"paragraph {paragraph} gives the same date for {event}, {day(other)}",
        f"paragraph {claim.paragraph} says {day(here)}, paragraph {paragraph} says {day(other)}", day(other),
    )  # fmt: skip


@rule_kind("amount_below_target")
def amount_below_target(claim: Claim, *, amount: str, target: str, target_unit: str) -> Verdict:
    """'$790,000 ... below the annual funding target of $1.5 million': compare the two amounts.

    ``amount`` and ``target`` find the two numbers (group 1); the target is in ``target_unit``.
    """
    quote = normalise(claim.quote)
    received = float(search(amount, quote, "amount received").group(1).replace(",", ""))
    goal = float(search(target, quote, "target").group(1)) * USD_SCALE[target_unit]
    holds = received < goal and math.isclose(goal, claim.value * USD_SCALE[claim.unit])
    share = received / goal * 100
    return internal(
        holds, f"USD {num(received)} = {share:.0f}% of USD {num(goal)}", "quote",
        f"USD {num(received)} received is {share:.0f}% of the USD {num(goal)} target, below it",
        f"USD {num(received)} is not below USD {num(goal)}", round(share, 1),
    )  # fmt: skip


@rule_kind("recurring_ordinal")
def recurring_ordinal(claim: Claim, *, interval: str, first: str, year: str) -> Verdict:
    """'at four-year intervals; the first ... in 2013 ... 2021 presents a third opportunity'.

    ``interval`` finds the interval word, ``first`` the first year (group 1 each), ``year`` the
    year and its ordinal (groups 1 and 2).
    """
    quote = normalise(claim.quote)
    every = number_word(search(interval, quote, "the interval").group(1))
    start = int(search(first, quote, "the first year").group(1))
    m = search(year, quote, "the year and ordinal")
    when, stated = int(m.group(1)), ORDINALS[m.group(2)]
    years = list(range(start, when + 1, every))
    computed = (when - start) / every + 1
    holds = years[-1] == when and computed == stated == claim.value
    return internal(
        holds, f"appraisals {', '.join(map(str, years))}: number {computed:g}", "quote",
        f"{start} + {every} + {every} = {when}: the {m.group(2)} appraisal",
        f"from {start} every {every} years, {when} is appraisal number {computed:g}, not {stated}",
        computed,
    )  # fmt: skip


@rule_kind("states_listed", inputs=("country_names",))
def states_listed(claim: Claim, *, country_names: pd.DataFrame, number: str, after: str) -> Verdict:
    """Count the States the paragraph lists (after ``after``), and map each name to a code.

    ``number`` finds the stated number (group 1); every name must be a State of ``country_names``
    with its own code.
    """
    from tipstats.countries import name_to_iso3

    mapping = country_names
    quote = normalise(claim.quote)
    stated = int(search(number, quote, "the stated number").group(1))
    listing = quote.split(after, 1)[1].strip().rstrip(".")
    names = [n.strip() for n in re.split(r", (?![^()]*\))| and (?![^()]*\))", listing) if n.strip()]
    where = f"A/76/120 paragraph {claim.paragraph}"
    try:
        codes = name_to_iso3(pd.Series(names), file=where, column="name", mapping=mapping)
        unknown: list[str] = []
    except Exception as exc:  # DataValidationError: names the mapping does not list
        unknown = [str(f.value) for f in getattr(exc, "failures", [])]
        if not unknown:
            raise
        known = pd.Series([n for n in names if n not in unknown])
        codes = name_to_iso3(known, file=where, column="name", mapping=mapping)
    types = (
        mapping.set_index("name")["entity_type"] if "entity_type" in mapping.columns else pd.Series(dtype=str)
    )
    not_states = [n for n in names if n not in unknown and types.get(n, "state") != "state"]
    distinct = codes.dropna().nunique()
    n = len(names)
    holds = n == stated == int(claim.value) and not unknown and not not_states and distinct == n
    problems = []
    if unknown:
        problems.append(f"not in country_names: {', '.join(unknown)}")
    if not_states:
        problems.append(f"not States: {', '.join(not_states)}")
    if distinct != n - len(unknown):
        problems.append(f"{n - len(unknown) - distinct} duplicate code(s)")
    return internal(
        holds, f"{n} names, {distinct} distinct ISO3 codes",
        f"quote (the list); country_names ({n} spellings mapped: {', '.join(codes.dropna().astype(str))})",
        f"the paragraph lists {n} names, each a State with its own code ({distinct} distinct), as stated ({stated})",
        f"the paragraph says {stated} but lists {n} names" + (f" ({'; '.join(problems)})" if problems else ""),
        n,
    )  # fmt: skip


# -- arithmetic, the same thing said twice, dates inside the reporting period --------------------------


def _values(match: re.Match) -> dict[str, int | float]:
    """The named groups of ``match`` as numbers (digits, number words, ordinals)."""
    return {k: number_value(v) for k, v in match.groupdict().items() if v is not None}


def safe_eval(expression: str, values: dict[str, int | float]):
    """Evaluate ``expression`` (names, numbers, + - * /, comparisons, and/or) over ``values``; nothing else.

    >>> safe_eval("end - start == n", {"end": 2030, "start": 2020, "n": 10})
    True
    >>> safe_eval("__import__('os')", {})
    Traceback (most recent call last):
    ...
    ValueError: not allowed in an arithmetic check: Call
    """
    import ast
    import operator

    binary = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
    compare = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
               ast.Gt: operator.gt, ast.GtE: operator.ge}  # fmt: skip

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise ValueError(f"unknown name {node.id!r} in {expression!r}")
            return values[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in binary:
            return binary[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.Compare) and all(type(o) in compare for o in node.ops):
            left, result = ev(node.left), True
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = ev(right_node)
                result = result and compare[type(op)](left, right)
                left = right
            return result
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And | ast.Or):
            parts = [ev(v) for v in node.values]
            return all(parts) if isinstance(node.op, ast.And) else any(parts)
        raise ValueError(f"not allowed in an arithmetic check: {type(node).__name__}")

    return ev(ast.parse(expression, mode="eval"))


@rule_kind("arithmetic", inputs=("report_text",))
def arithmetic(
    claim: Claim,
    *,
    report_text: str,
    pattern: str,
    holds: str,
    says: str = "",
    elsewhere: str | None = None,
    paragraph: str | None = None,
) -> Verdict:
    """Numbers the quote states, checked against each other: ``holds`` is an expression over ``pattern``'s groups.

    ``pattern`` has named groups (digits, number words or ordinals: ``thirty-sixth``, ``20th``);
    ``holds`` is an expression such as ``"end - start == n"`` (``+ - * /``, comparisons, ``and``).
    ``elsewhere`` (with ``paragraph``) adds the named groups of a pattern found in that paragraph of
    the report (the four thematic areas a 'fifth' follows). ``says`` puts the check in words.
    """
    m = search(pattern, claim.quote, "the numbers of the check")
    values = _values(m)
    if elsewhere is not None:
        if paragraph is None:
            raise ValueError("'elsewhere' needs 'paragraph'")
        values.update(
            _values(search(elsewhere, paragraph_text(report_text, paragraph), f"paragraph {paragraph}"))
        )
    result = bool(safe_eval(holds, values))
    shown = ", ".join(f"{k} = {v:g}" for k, v in values.items())
    text = f"{says}: " if says else ""
    return internal(
        result, shown, "quote (its own numbers)" + (f" and paragraph {paragraph}" if elsewhere else ""),
        f"{text}{holds} holds with {shown}",
        f"{text}{holds} fails with {shown}", shown,
    )  # fmt: skip


def canonical(value: str) -> str:
    """A captured value made comparable: a date in words -> ISO, a number word -> digits, else lower case.

    >>> canonical("15 December 2020"), canonical("October 2020"), canonical("four"), canonical("Tenth")
    ('2020-12-15', '2020-10', '4', '10')
    """
    text = normalise(value)
    full = report_dates(text)
    if full and FULL_DATE.fullmatch(text):
        return day(full[0])
    m = re.fullmatch(r"(" + "|".join(MONTHS) + r") (\d{4})", text)
    if m:
        return f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    try:
        return f"{number_value(text):g}"
    except ValueError:
        return text.lower()


@rule_kind("same_elsewhere", inputs=("report_text",))
def same_elsewhere(
    claim: Claim, *, report_text: str, pattern: str, elsewhere: str, paragraph: str, what: str
) -> Verdict:
    """What the quote says (``pattern``, group 1) against what ``paragraph`` says of it (``elsewhere``, group 1).

    Both are compared after :func:`canonical` (dates, number words). ``what`` names the thing.
    """
    here = search(pattern, claim.quote, "the value here").group(1)
    there = search(elsewhere, paragraph_text(report_text, paragraph), f"paragraph {paragraph}'s value").group(
        1
    )
    holds = canonical(here) == canonical(there)
    return internal(
        holds, f"paragraph {paragraph}: '{there}'", f"A/76/120 paragraphs {claim.paragraph} and {paragraph}",
        f"paragraph {paragraph} gives the same {what}: '{there}' = '{here}'",
        f"paragraph {claim.paragraph} gives '{here}' for {what}, paragraph {paragraph} '{there}'",
        canonical(there),
    )  # fmt: skip


def reporting_period(report_text: str, paragraph: str = "4") -> tuple[pd.Timestamp, pd.Timestamp]:
    """The reporting period as ``paragraph`` writes it: its first and last full date."""
    dates = report_dates(paragraph_text(report_text, paragraph))
    if len(dates) < 2:
        raise ValueError(f"paragraph {paragraph} does not give the period's two dates")
    return dates[0], dates[-1]


@rule_kind("date_in_period", inputs=("report_text",))
def date_in_period(claim: Claim, *, report_text: str, context: str) -> Verdict:
    """An event the report gives as one of the period's (``context``: its words) is dated inside the period.

    The period is paragraph 4's; the claim's date (a day, a month or a year) must lie within it,
    or, for a year or month, overlap it (the explanation says which).
    """
    start, end = reporting_period(report_text)
    when = claim.reported_value if claim.unit == "date" else claim.reference_date
    lo, hi = date_bounds(when)
    inside = lo >= start and hi <= end
    overlaps = lo <= end and hi >= start
    period = f"{day(start)} to {day(end)}"
    span = day(lo) if lo == hi else f"{day(lo)} to {day(hi)}"
    return internal(
        overlaps, span, "A/76/120 paragraph 4 (the period) and the quote",
        f"'{context}': {when} lies {'inside' if inside else 'partly inside'} the reporting period {period}",
        f"'{context}', but {when} lies outside the reporting period {period}", span,
    )  # fmt: skip
