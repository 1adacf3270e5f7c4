"""One rule per claim of A/76/120: a function of its input DataFrames that returns a :class:`Verdict`.

Every rule takes the claim (a :class:`~tipstats.claims.registry.Claim`, i.e. one registry row)
and the inputs it needs as keyword arguments; an input left as ``None`` is loaded with
``tipstats.load(name)`` (or, for ``report_text`` and ``convictions_verdicts``, read from the
report or computed by :func:`tipstats.analysis.convictions.verdicts`). Tests feed hand-made
inputs; :data:`RULES` maps each ``claim_id`` of the registry to its rule.

Statuses
--------
reproduced
    tipstats' own computation from data rows gives the reported value within the comparator.
consistent
    another source (a UNODC statement, an official count) gives the same value.
differs
    the data or another source give another value: both numbers are shown with the likely reason.
not reproducible
    no data at hand can confirm or refute it; the explanation names the data that would be needed.
internal
    checkable only against the report itself (dates, arithmetic, counts of what it lists), and it
    holds. An internal check that fails is ``differs``.

Tolerances (one place: :func:`claim_interval`, :func:`statement_interval`)
------------------------------------------------------------------------
The report rounds, so a reported value is read as the interval of values that round to it
(half up, so the upper end is open):

- ``exactly`` N: N +/- half a unit of its last written decimal (178 -> [177.5, 178.5);
  4.8 million -> [4.75, 4.85) million);
- ``about`` N: N +/- half a unit of its last non-zero digit (about 600 -> [550, 650); about 500
  -> [450, 550)), the precision the word signals;
- ``more than`` N: (N, inf); ``at least`` N: [N, inf); ``up to`` N: [0, N]; ``below`` N: [0, N).

Another source's number is read the same way from its own qualifier ("more than"; "close to",
"nearly" = just below; "some", "around" = about ...), except that an unqualified whole number of
things (32 projects, 3 grant windows) is exact. The claim holds when the other source's interval
lies inside the claim's, and differs when the two do not overlap; otherwise the comparison cannot
decide (``not reproducible``). Dates are compared by day (or by the month the report gives).
"Nearly tripled" and "higher before 2003" are decided by the convictions analysis
(:func:`tipstats.analysis.convictions.verdicts`: claim region 2.5-3.0, 95 % intervals); its
``inconclusive`` becomes ``not reproducible`` and its ``not reproduced`` becomes ``differs``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from tipstats.claims.registry import (
    MONTH_NAMES,
    ORDINALS,
    REPORT_SOURCE_ID,
    WORD_NUMBERS,
    Claim,
    date_bounds,
    format_number,
    normalise,
)
from tipstats.facts import (
    FIRST_ENTRY_INTO_FORCE_DAYS,
    FIRST_ENTRY_INTO_FORCE_INSTRUMENTS,
    JOINING_ACTIONS,
    TIP_PROTOCOL_ADOPTED,
    TIP_PROTOCOL_IN_FORCE,
    USD_SCALE,
)

STATUSES = ("reproduced", "consistent", "differs", "not reproducible", "internal")
FAILED = "failed"  # not a verdict: the computation raised (missing dataset, bad input)

INF = math.inf
TREATY = "tip_protocol"
# Instruments by which a State becomes a party (UNTC action types); signatures are not.
REGIONAL_ORGANISATIONS = ("European Union", "European Community")

MONTHS = {name: i + 1 for i, name in enumerate(MONTH_NAMES)}
FULL_DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")


@dataclass(frozen=True)
class Verdict:
    """The outcome of one rule: a status, what was computed, from what, and why."""

    status: str
    computed: str
    evidence: str
    explanation: str
    computed_value: float | str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; one of {', '.join(STATUSES)}")


# -- inputs ---------------------------------------------------------------------------------------


def _input(frame, name: str):
    """``frame`` if given, else the default input ``name``."""
    return frame if frame is not None else default_input(name)


def default_input(name: str):
    """Input ``name`` as the rules load it by default: a dataset, the report text, or the verdicts."""
    if name == "report_text":
        from tipstats.claims.registry import report_text

        return report_text()
    if name == "convictions_verdicts":
        from tipstats.analysis.convictions import verdicts

        return verdicts()
    import tipstats

    return tipstats.load(name)


def _independent(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows not taken from A/76/120 itself (the report cannot confirm itself)."""
    if "source_id" not in frame.columns:
        return frame
    return frame[frame["source_id"].astype("object") != REPORT_SOURCE_ID]


def _day(value) -> str:
    return "NA" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def _num(value: float) -> str:
    return format_number(float(value))


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


# -- intervals ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def contains(self, other: Interval) -> bool:
        low_ok = other.low > self.low or (other.low == self.low and (not self.low_open or other.low_open))
        high_ok = other.high < self.high or (
            other.high == self.high and (not self.high_open or other.high_open)
        )
        return low_ok and high_ok

    def overlaps(self, other: Interval) -> bool:
        if self.high < other.low or other.high < self.low:
            return False
        if self.high == other.low:
            return not (self.high_open or other.low_open)
        if other.high == self.low:
            return not (other.high_open or self.low_open)
        return True

    def __str__(self) -> str:
        lo = "(" if self.low_open else "["
        hi = ")" if self.high_open else "]"
        return f"{lo}{_num(self.low)}, {'inf' if self.high == INF else _num(self.high)}{hi}"


def half_unit(value: float | str, *, significant: bool = False) -> float:
    """Half a unit of the last decimal of ``value`` (``significant``: of its last non-zero digit).

    >>> half_unit("178"), half_unit("4.8"), half_unit("600", significant=True), half_unit(3500.0, significant=True)
    (0.5, 0.05, 50.0, 50.0)
    """
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else repr(value)
    d = Decimal(str(value))
    exponent = (d.normalize() if significant else d).as_tuple().exponent
    return float(Decimal(5) * Decimal(10) ** (exponent - 1))


def claim_interval(value: float | str, comparator: str) -> Interval:
    """The values a reported number stands for, given its comparator (see the module docstring).

    >>> str(claim_interval("178", "exactly")), str(claim_interval("500", "about"))
    ('[177.5, 178.5)', '[450, 550)')
    >>> str(claim_interval("3500", "more than"))
    '(3,500, inf)'
    """
    v = float(value)
    if isinstance(value, str) and not re.fullmatch(r"\d+(\.\d+)?", value):
        raise ValueError(f"not a number: {value!r}")
    # values that round to v: [v - h, v + h), half up
    if comparator == "exactly":
        h = half_unit(value)
        return Interval(v - h, v + h, high_open=True)
    if comparator == "about":
        h = half_unit(value, significant=True)
        return Interval(v - h, v + h, high_open=True)
    if comparator == "more than":
        return Interval(v, INF, low_open=True, high_open=True)
    if comparator == "at least":
        return Interval(v, INF, high_open=True)
    if comparator == "up to":
        return Interval(0.0, v)
    if comparator == "below":
        return Interval(0.0, v, high_open=True)
    raise ValueError(f"comparator {comparator!r} is not an interval")


QUALIFIER_COMPARATORS = {
    None: "exactly",
    "": "exactly",
    "exactly": "exactly",
    "more than": "more than",
    "over": "more than",
    "at least": "at least",
    "minimum": "at least",
    "about": "about",
    "around": "about",
    "some": "about",
    "approximately": "about",
    "estimated": "about",
    "up to": "up to",
    "maximum": "up to",
    "less than": "below",
    "below": "below",
}
JUST_BELOW = ("close to", "nearly", "almost")


def statement_interval(value: float, qualifier: str | None, *, count: bool = False) -> Interval:
    """The values another source's number stands for, from its own qualifier.

    With ``count`` (a number of things, not an amount), an unqualified whole number is exact: 3 grant
    windows are 3, not 2.5-3.5.

    >>> str(statement_interval(3500.0, "more than")), str(statement_interval(0.5, "close to"))
    ('(3,500, inf)', '[0.45, 0.5]')
    >>> str(statement_interval(3.0, None)), str(statement_interval(3.0, None, count=True))
    ('[2.5, 3.5)', '[3, 3]')
    """
    q = None if qualifier is None or (not isinstance(qualifier, str) and pd.isna(qualifier)) else qualifier
    value = float(f"{float(value):.12g}")  # no binary noise from unit conversions
    if q in JUST_BELOW:
        return Interval(value - half_unit(value, significant=True), value)
    if q not in QUALIFIER_COMPARATORS:
        raise ValueError(f"unknown qualifier {q!r}")
    if count and QUALIFIER_COMPARATORS[q] == "exactly" and value.is_integer():
        return Interval(value, value)
    return claim_interval(value, QUALIFIER_COMPARATORS[q])


def compare(claim_iv: Interval, evidence_iv: Interval) -> str:
    """``agrees`` (evidence inside the claim), ``disagrees`` (no overlap) or ``undecided``."""
    if claim_iv.contains(evidence_iv):
        return "agrees"
    if not claim_iv.overlaps(evidence_iv):
        return "disagrees"
    return "undecided"


# -- internal checks: the report against itself ------------------------------------------------


def _search(pattern: str, text: str, what: str) -> re.Match:
    match = re.search(pattern, normalise(text))
    if match is None:
        raise ValueError(f"{what} not found in the text")
    return match


def _internal(
    claim: Claim, holds: bool, computed: str, evidence: str, ok: str, bad: str, value=None
) -> Verdict:
    return Verdict("internal" if holds else "differs", computed, evidence, ok if holds else bad, value)


def _adoption_date() -> pd.Timestamp:
    return TIP_PROTOCOL_ADOPTED


def p02_twentieth_anniversary(claim: Claim, adopted: pd.Timestamp | None = None) -> Verdict:
    """2020 = adoption year + 20 ("twentieth anniversary"), adoption from ``TIP_PROTOCOL_ADOPTED``."""
    adopted = _adoption_date() if adopted is None else pd.Timestamp(adopted)
    m = _search(
        r"The year (\d{4}) marked the (\w+) anniversary",
        claim.quote,
        "'The year N marked the ... anniversary'",
    )
    year, nth = int(m.group(1)), ORDINALS[m.group(2)]
    computed = adopted.year + nth
    holds = computed == year == int(claim.value)
    return _internal(
        claim, holds, str(computed),
        f"quote; adoption of the Convention and Protocols {_day(adopted)} (tipstats.facts.TIP_PROTOCOL_ADOPTED, "
        "UNTC 'Conclusion: New York, 15 November 2000' of XVIII-12-a)",
        f"{adopted.year} + {nth} = {computed}: the {m.group(2)} anniversary of the adoption falls in {year}",
        f"{adopted.year} + {nth} = {computed}, not {year}",
        computed,
    )  # fmt: skip


def p04_period_start(claim: Claim, *, report_text: str | None = None) -> Verdict:
    """The period starts with the adoption of resolution 74/176, which paragraph 1 dates to 2019."""
    text = _input(report_text, "report_text")
    start = claim.date
    m = _search(
        r"The General Assembly, in (\d{4}), adopted resolution 74/176", text, "paragraph 1's year of 74/176"
    )
    year = int(m.group(1))
    holds = start.year == year and _day(start) == claim.period_start
    return _internal(
        claim, holds, f"resolution 74/176 adopted in {year} (paragraph 1)",
        "A/76/120 paragraphs 1 and 4",
        f"the period starts on {_day(start)}, 'since the adoption of resolution 74/176', which paragraph 1 dates to {year}",
        f"the period starts in {start.year} but paragraph 1 dates resolution 74/176 to {year}",
        year,
    )  # fmt: skip


def report_dates(text: str) -> list[pd.Timestamp]:
    """Every full date ('8 July 2021') written in the text, in order of appearance.

    >>> [str(d.date()) for d in report_dates("from 18 December 2019 to 8 July 2021.")]
    ['2019-12-18', '2021-07-08']
    """
    return [
        pd.Timestamp(year=int(y), month=MONTHS[m], day=int(d))
        for d, m, y in FULL_DATE.findall(normalise(text))
    ]


def p04_period_end(claim: Claim, *, report_text: str | None = None) -> Verdict:
    """The period ends on the latest full date the report mentions (nothing reported lies after it)."""
    text = _input(report_text, "report_text")
    end = claim.date
    dates = report_dates(text)
    latest = max(dates)
    after = [d for d in dates if d > end]
    holds = not after and latest == end
    return _internal(
        claim, holds, f"latest full date in the report: {_day(latest)} ({len(dates)} full dates)",
        "A/76/120 full text (every 'D Month YYYY' date)",
        f"no full date in the report is later than the period end {_day(end)}; the latest, {_day(latest)}, is the "
        "publication of the UNODC COVID-19 study (paragraph 37)",
        f"{len(after)} date(s) in the report fall after the period end {_day(end)}: "
        + ", ".join(_day(d) for d in sorted(set(after))),
        _day(latest),
    )  # fmt: skip


def _years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    return (end - start).days / 365.2425


def p05_more_than_20_years(claim: Claim, adopted: pd.Timestamp | None = None) -> Verdict:
    """Years from the adoption of the Protocol to the claim's reference date (paragraph 5: footnote 1's 9 June 2021)."""
    adopted = _adoption_date() if adopted is None else pd.Timestamp(adopted)
    ref = date_bounds(claim.reference_date)[1]
    years = _years_between(adopted, ref)
    holds = claim_interval(claim.reported_value, claim.comparator).contains(Interval(years, years))
    return _internal(
        claim, holds, f"{years:.2f} years",
        f"adoption {_day(adopted)} (TIP_PROTOCOL_ADOPTED) to the claim's reference date {_day(ref)}",
        f"{_day(adopted)} to {_day(ref)} is {years:.2f} years, more than {_num(claim.value)}",
        f"{_day(adopted)} to {_day(ref)} is only {years:.2f} years",
        round(years, 2),
    )  # fmt: skip


def p70_framework_20_years(claim: Claim, adopted: pd.Timestamp | None = None) -> Verdict:
    """The global framework (Convention and Protocol, adopted 2000) at the end of the reporting period."""
    return p05_more_than_20_years(claim, adopted=adopted)


def p38c_review_20_years(claim: Claim, adopted: pd.Timestamp | None = None) -> Verdict:
    """'In December 2020 ... the 20 years since the adoption': 2020 - adoption year."""
    adopted = _adoption_date() if adopted is None else pd.Timestamp(adopted)
    m = _search(r"In \w+ (\d{4}), .* in the (\d+) years since the adoption", claim.quote, "the review's year")
    year, n = int(m.group(1)), int(m.group(2))
    computed = year - adopted.year
    holds = computed == n == int(claim.value)
    return _internal(
        claim, holds, f"{year} - {adopted.year} = {computed}", f"quote; TIP_PROTOCOL_ADOPTED {_day(adopted)}",
        f"a review published in {year} covers {computed} years since the {adopted.year} adoption",
        f"{year} - {adopted.year} = {computed}, not {n}", computed,
    )  # fmt: skip


def _number_word(word: str) -> int:
    return int(word) if word.isdigit() else WORD_NUMBERS[word.lower()]


def _count_items(claim: Claim, items: list[str], word: str) -> Verdict:
    stated = _number_word(word)
    n = len(items)
    holds = n == stated == int(claim.value)
    listing = "; ".join(i.strip(' “”"') for i in items)
    return _internal(
        claim, holds, str(n), "quote (the items it names)",
        f"the sentence names {n} items for '{word}': {listing}",
        f"the sentence says '{word}' but names {n}: {listing}", n,
    )  # fmt: skip


def p49_two_thematic_areas(claim: Claim) -> Verdict:
    """'two thematic areas ...: “A” (thematic area 2) and “B” (thematic area 5)': count the quoted titles."""
    word = _search(r"identifying (\w+) thematic areas", claim.quote, "the number of areas").group(1)
    return _count_items(claim, re.findall(r"“[^”]+”", claim.quote), word)


def p38e_two_position_papers(claim: Claim) -> Verdict:
    """'published two key position papers, “A” and “B”': count the quoted titles."""
    word = _search(r"published (\w+) key position papers", claim.quote, "the number of papers").group(1)
    return _count_items(claim, re.findall(r"“[^”]+”", claim.quote), word)


def p52_ecowas_three_instruments(claim: Claim) -> Verdict:
    """'three relevant instruments, namely, A; B and C': split the list after 'namely,'."""
    text = normalise(claim.quote)
    word = _search(r"adopted (\w+) relevant instruments", text, "the number of instruments").group(1)
    listing = text.split("namely,", 1)[1]
    items = [i.strip() for i in re.split(r";| and (?=the )", listing) if i.strip()]
    return _count_items(claim, items, word)


def p50_directive_2011(claim: Claim) -> Verdict:
    """'since 2011, when the European Union adopted its Directive 2011/36/EU': the number carries the year."""
    m = _search(
        r"since (\d{4}), when the European Union adopted its Directive ((\d{4})/\d+/EU)",
        claim.quote,
        "directive",
    )
    stated, numbered = int(m.group(1)), int(m.group(3))
    holds = stated == numbered == int(claim.value)
    return _internal(
        claim, holds, str(numbered), "quote (the year in the directive's number)",
        f"Directive {m.group(2)} carries the year {numbered}, as stated",
        f"the report gives {stated} but Directive {m.group(2)} carries {numbered}", numbered,
    )  # fmt: skip


def p63_ecosoc_resolution_2017(claim: Claim) -> Verdict:
    """'resolution 2017/18, in 2017': an ECOSOC resolution number starts with its year."""
    m = _search(r"resolution (\d{4})/\d+, in (\d{4})", claim.quote, "resolution")
    numbered, stated = int(m.group(1)), int(m.group(2))
    holds = stated == numbered == int(claim.value)
    return _internal(
        claim, holds, str(numbered), "quote (the year in the resolution's number)",
        f"resolution {m.group(0).split(',')[0].split()[-1]} carries the year {numbered}, as stated",
        f"the report gives {stated} but the resolution's number carries {numbered}", numbered,
    )  # fmt: skip


def p55_principals_meeting(claim: Claim, *, report_text: str | None = None) -> Verdict:
    """The principals' meeting date of paragraph 55 against the one paragraph 38(c) gives."""
    text = _input(report_text, "report_text")
    here = claim.date
    m = _search(
        r"endorsed at the principal-level meeting held on (\d{1,2} \w+ \d{4})", text, "paragraph 38(c)'s date"
    )
    other = report_dates(m.group(1))[0]
    holds = here == other
    return _internal(
        claim, holds, _day(other), "A/76/120 paragraphs 38(c) and 55",
        f"paragraph 38(c) gives the same date for the principal-level meeting, {_day(other)}",
        f"paragraph 55 says {_day(here)}, paragraph 38(c) says {_day(other)}", _day(other),
    )  # fmt: skip


def p75_below_target(claim: Claim) -> Verdict:
    """'$790,000 ... below the annual funding target of $1.5 million': compare the two amounts."""
    text = normalise(claim.quote)
    received = float(
        _search(r"received \$([\d,]+) in voluntary", text, "amount received").group(1).replace(",", "")
    )
    target = (
        float(_search(r"target of \$([\d.]+) million", text, "target").group(1)) * USD_SCALE["USD million"]
    )
    holds = received < target and math.isclose(target, claim.value * USD_SCALE["USD million"])
    share = received / target * 100
    return _internal(
        claim, holds, f"USD {_num(received)} = {share:.0f}% of USD {_num(target)}", "quote",
        f"USD {_num(received)} received is {share:.0f}% of the USD {_num(target)} target, below it",
        f"USD {_num(received)} is not below USD {_num(target)}", round(share, 1),
    )  # fmt: skip


def p80_third_appraisal(claim: Claim) -> Verdict:
    """'at four-year intervals; the first ... in 2013 ... 2021 presents a third opportunity'."""
    text = normalise(claim.quote)
    interval = _number_word(_search(r"at (\w+)-year intervals", text, "the interval").group(1))
    first = int(
        _search(r"first such appraisal had been undertaken in (\d{4})", text, "the first year").group(1)
    )
    m = _search(r"(\d{4}) presents a (\w+) opportunity", text, "the year and ordinal")
    year, stated = int(m.group(1)), ORDINALS[m.group(2)]
    years = list(range(first, year + 1, interval))
    computed = (year - first) / interval + 1
    holds = years[-1] == year and computed == stated == claim.value
    return _internal(
        claim, holds, f"appraisals {', '.join(map(str, years))}: number {computed:g}", "quote",
        f"{first} + {interval} + {interval} = {year}: the {m.group(2)} appraisal",
        f"from {first} every {interval} years, {year} is appraisal number {computed:g}, not {stated}",
        computed,
    )  # fmt: skip


def p07_member_states_48(claim: Claim, *, country_names: pd.DataFrame | None = None) -> Verdict:
    """Count the States the paragraph lists, and map each name to a code with ``country_names``."""
    from tipstats.countries import name_to_iso3

    mapping = _input(country_names, "country_names")
    text = normalise(claim.quote)
    m = _search(r"the following (\d+) Member States", text, "the stated number")
    stated = int(m.group(1))
    listing = text.split("trafficking in persons:", 1)[1].strip().rstrip(".")
    names = [n.strip() for n in re.split(r", (?![^()]*\))| and (?![^()]*\))", listing) if n.strip()]
    try:
        codes = name_to_iso3(pd.Series(names), file="A/76/120 paragraph 7", column="name", mapping=mapping)
        unknown: list[str] = []
    except Exception as exc:  # DataValidationError: names the mapping does not list
        unknown = [str(f.value) for f in getattr(exc, "failures", [])]
        if not unknown:
            raise
        known = pd.Series([n for n in names if n not in unknown])
        codes = name_to_iso3(known, file="A/76/120 paragraph 7", column="name", mapping=mapping)
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
    return _internal(
        claim, holds, f"{n} names, {distinct} distinct ISO3 codes",
        f"quote (the list); country_names ({n} spellings mapped: {', '.join(codes.dropna().astype(str))})",
        f"the paragraph lists {n} names, each a State with its own code ({distinct} distinct), as stated ({stated})",
        f"the paragraph says {stated} but lists {n} names" + (f" ({'; '.join(problems)})" if problems else ""),
        n,
    )  # fmt: skip


# -- treaty -------------------------------------------------------------------------------------


def joining_windows(events: pd.DataFrame, treaty: str = TREATY) -> pd.DataFrame:
    """Per participant: the earliest and latest date by which it became a party, from every dated row.

    A row bounds the date of the instrument by ``action_date_earliest``/``action_date_latest`` (or
    ``action_date`` for both when those are empty). Across rows, the earliest bound is the earliest
    any source allows and the latest bound the earliest date by which some source already shows a
    party. Rows of A/76/120 itself are left out, as are undated rows and signatures.
    """
    ev = _independent(events)
    ev = ev[ev["treaty"] == treaty].copy()
    action = ev["action_type"].astype("object")
    ev = ev[action.isna() | action.isin(JOINING_ACTIONS)]
    day = pd.to_datetime(ev["action_date"])
    earliest = pd.to_datetime(ev.get("action_date_earliest", day)).fillna(day)
    latest = pd.to_datetime(ev.get("action_date_latest", day)).fillna(day)
    ev = ev.assign(_earliest=earliest, _latest=latest)
    ev = ev[ev["_earliest"].notna() & ev["_latest"].notna()]
    ev["_who"] = ev["iso3"].astype("object").fillna(ev["participant"].astype("object"))
    grouped = ev.groupby("_who", sort=True)
    out = pd.DataFrame(
        {
            "participant": grouped["participant"].first(),
            "earliest": grouped["_earliest"].min(),
            "latest": grouped["_latest"].min(),
            "action_types": grouped["action_type"].agg(
                lambda s: "/".join(sorted(set(s.dropna().astype(str))))
            ),
            "source_ids": grouped["source_id"].agg(lambda s: ",".join(sorted(set(s.astype(str))))),
            "n_rows": grouped.size(),
        }
    )
    out.index.name = "who"
    return out.reset_index()


def parties_by(windows: pd.DataFrame, date: pd.Timestamp) -> tuple[int, int]:
    """(certainly a party by ``date``, possibly a party by then but not certainly)."""
    certain = int((windows["latest"] <= date).sum())
    possible = int(((windows["earliest"] <= date) & (windows["latest"] > date)).sum())
    return certain, possible


CLAIM_UNDER_TEST = "claim under test"  # party_counts' own mark for the report's number (kind)


def _counts(party_counts: pd.DataFrame, treaty: str = TREATY) -> pd.DataFrame:
    """Exact counts of parties from sources other than the report, ordered by date.

    ``when`` is the last day the count's date can mean (``date_latest``: the end of the month for
    '2021-01'), so a count is only used for dates by which it had certainly been made.
    """
    pc = _independent(party_counts)
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
    when = _day(r.earliest) if r.earliest == r.latest else f"{_day(r.earliest)} to {_day(r.latest)}"
    return f"{r.participant} ({when})"


def rows_by(windows: pd.DataFrame, date: pd.Timestamp, table: str = "untc_tip_2018") -> str:
    """How the treaty rows make up the parties at ``date``: the UNTC table, then later evidence, by name."""
    from_table = windows["source_ids"].str.split(",").map(lambda ids: table in ids)
    certain = windows[windows["latest"] <= date]
    possible = windows[(windows["earliest"] <= date) & (windows["latest"] > date)]
    base = int((from_table & (windows["latest"] <= date)).sum())
    later = certain[~from_table.loc[certain.index]]
    text = f"treaty rows: {base} parties in the UNTC table ({table})"
    if len(later):
        text += f" + {len(later)} from later evidence: " + ", ".join(
            _window_text(r) for r in later.itertuples()
        )
    text += f" = {len(certain)} certainly by {_day(date)}"
    if len(possible):
        text += f", {len(possible)} more possibly: " + ", ".join(
            _window_text(r) for r in possible.itertuples()
        )
    return text


def p05_parties_178(
    claim: Claim, *, party_counts: pd.DataFrame | None = None, treaty_events: pd.DataFrame | None = None
) -> Verdict:
    """Dated official counts around 9 June 2021, and how far the row-level treaty data rebuild them."""
    counts = _counts(_input(party_counts, "party_counts"))
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
    windows = joining_windows(_input(treaty_events, "treaty_events"))
    certain, possible = parties_by(windows, ref)
    rows_text = rows_by(windows, ref)
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
            f"the last count before {_day(ref)} is {value} ({last['date']}){later}: {reported} lies between; "
            f"{rows_text}; needs the UNTC status as at {_day(ref)}"
        )
    else:
        status = "differs"
        explanation = f"the last independent count before {_day(ref)} is {value} ({last['date']}), not {reported}{later}; {rows_text}"
    return Verdict(status, computed, evidence, explanation, value)


def _accession(claim: Claim, events: pd.DataFrame | None, iso3: str) -> Verdict:
    ev = _independent(_input(events, "treaty_events"))
    ev = ev[(ev["treaty"] == TREATY) & (ev["iso3"].astype("object") == iso3)].copy()
    reported = claim.date
    if ev.empty:
        return Verdict(
            "not reproducible", "no row", "treaty_events",
            f"no treaty row for {iso3}; needs the UNTC depositary notification of its instrument", None,
        )  # fmt: skip
    day = pd.to_datetime(ev["action_date"])
    ev["_lo"] = pd.to_datetime(ev["action_date_earliest"]).fillna(day)
    ev["_hi"] = pd.to_datetime(ev["action_date_latest"]).fillna(day)
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
            when = _day(r["_lo"]) if r["_lo"] == r["_hi"] else f"{_day(r['_lo'])} to {_day(r['_hi'])}"
            basis = _text(r.get("date_basis"))
            parts.append(f"{when} ({r['source_id']}{'; ' + basis if basis else ''})")
        return "; ".join(parts)

    types = "/".join(sorted(set(ev["action_type"].dropna().astype(str)))) or "type not stated"
    evidence = (
        f"treaty_events {iso3}: {describe(ev)}" if not ev.empty else f"treaty_events {iso3}: no dated row"
    )
    if not same_day.empty:
        official = same_day["source_id"].astype(str).str.startswith("untc").any()
        status = "reproduced" if official else "consistent"
        explanation = f"{len(same_day)} source(s) give the day: {describe(same_day)}"
        if not containing.empty:
            explanation += f"; coarser evidence agrees ({describe(containing)})"
        if not other_days.empty or not excluding.empty:
            explanation += f"; conflicting: {describe(pd.concat([other_days, excluding]))}"
        explanation += f"; action: {types}"
        return Verdict(status, _day(reported), evidence, explanation, _day(reported))
    if not other_days.empty:
        explanation = f"the sources give {describe(other_days)}, not {_day(reported)}"
        return Verdict(
            "differs", describe(other_days), evidence, explanation, _day(other_days["_lo"].iloc[0])
        )
    if not containing.empty:
        widest = containing.iloc[0]
        explanation = (
            f"only coarser evidence: {describe(containing)} contains {_day(reported)}, but no source gives the day "
            f"(action: {types}); needs the UNTC depositary notification for {claim.quote.split(' (')[0]}"
        )
        if not excluding.empty:
            explanation += f"; conflicting: {describe(excluding)}"
        return Verdict(
            "not reproducible", f"{_day(widest['_lo'])} to {_day(widest['_hi'])}", evidence, explanation, None
        )
    explanation = f"the evidence ({describe(excluding)}) excludes {_day(reported)}"
    return Verdict("differs", describe(excluding), evidence, explanation, None)


def p05_accession_brunei(claim: Claim, *, treaty_events: pd.DataFrame | None = None) -> Verdict:
    """Brunei Darussalam, 30 March 2020."""
    return _accession(claim, treaty_events, "BRN")


def p05_accession_comoros(claim: Claim, *, treaty_events: pd.DataFrame | None = None) -> Verdict:
    """Comoros, 23 June 2020."""
    return _accession(claim, treaty_events, "COM")


def p05_accession_nepal(claim: Claim, *, treaty_events: pd.DataFrame | None = None) -> Verdict:
    """Nepal, 16 June 2020."""
    return _accession(claim, treaty_events, "NPL")


def p05_three_accessions(
    claim: Claim, *, treaty_events: pd.DataFrame | None = None, party_counts: pd.DataFrame | None = None
) -> Verdict:
    """Which participants became parties within the reporting period, and what the counts say."""
    windows = joining_windows(_input(treaty_events, "treaty_events"))
    start, end = date_bounds(claim.period_start)[0], date_bounds(claim.period_end)[1]
    inside = windows[(windows["earliest"] >= start) & (windows["latest"] <= end)]
    maybe = windows[
        ~windows.index.isin(inside.index) & (windows["earliest"] <= end) & (windows["latest"] >= start)
    ]
    n_in, n_maybe = len(inside), len(maybe)
    reported = int(claim.value)

    def names(rows: pd.DataFrame) -> str:
        return ", ".join(_window_text(r) for r in rows.itertuples())

    counts = _counts(_input(party_counts, "party_counts"))
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
        rows_then = parties_by(windows, last_before["when"])[0]
        count_text = (
            f"; counts: {_count_text(last_before)} -> {_count_text(latest_inside)}, {gained} new parties "
            f"(the rows already give {rows_then} by {last_before['date']}); "
            f"rows dated in that interval: {len(joined)} ({names(joined)})"
        )
        if after is not None and not after.empty:
            count_text += f", next count {_count_text(after.iloc[0])}"
    evidence = f"treaty_events (sources {', '.join(sorted(set(','.join(windows['source_ids']).split(','))))}); party_counts"
    computed = f"{n_in} certain" + (f" + {n_maybe} possible" if n_maybe else "")
    period = f"{_day(start)} to {_day(end)}"
    base = f"within {period}: {names(inside) or 'none'}"
    if n_maybe:
        base += f"; possibly within (date only bounded): {names(maybe)}"
    base += count_text
    if n_in == reported and n_maybe == 0:
        return Verdict("consistent", computed, evidence, f"{n_in} States joined {base}", n_in)
    if n_in <= reported <= n_in + n_maybe:
        needed = ", ".join(maybe["participant"])
        return Verdict(
            "not reproducible", computed, evidence,
            f"{n_in} States certainly joined {base}; whether {needed} joined before {_day(start)} decides "
            f"(needs its UNTC deposit date)",
            n_in,
        )  # fmt: skip
    return Verdict("differs", computed, evidence, f"{computed} States joined {base}, not {reported}", n_in)


def p06_entry_into_force_2003(claim: Claim, *, treaty_events: pd.DataFrame | None = None) -> Verdict:
    """Article 17(1): the 90th day after the 40th instrument (an organisation's not counted as additional).

    Article 17 is quoted in the UNTC record (XVIII-12-a, 'Entry into force'). The condition that the
    Protocol cannot enter into force before the Convention is not checked (the Convention's date is
    not in the data).
    """
    ev = _input(treaty_events, "treaty_events")
    ev = ev[(ev["treaty"] == TREATY) & (ev["source_id"].astype("object") == "untc_tip_2018")]
    ev = ev[~ev["participant"].isin(REGIONAL_ORGANISATIONS) & ev["action_date"].notna()]
    dates = pd.to_datetime(ev["action_date"]).sort_values().reset_index(drop=True)
    if len(dates) < FIRST_ENTRY_INTO_FORCE_INSTRUMENTS:
        raise ValueError(f"only {len(dates)} dated instruments in the UNTC rows")
    fortieth = dates.iloc[FIRST_ENTRY_INTO_FORCE_INSTRUMENTS - 1]
    eif = fortieth + pd.Timedelta(days=FIRST_ENTRY_INTO_FORCE_DAYS)
    holds = eif.year == int(claim.value)

    return Verdict(
        "reproduced" if holds else "differs",
        _day(eif),
        f"treaty_events (untc_tip_2018): 40th instrument {_day(fortieth)}",
        f"40th instrument deposited {_day(fortieth)} + 90 days = {_day(eif)} (article 17(1)); "
        + ("year " + str(eif.year) + " as stated" if holds else f"year {eif.year}, not {int(claim.value)}")
        + f"; UNTC record: {_day(TIP_PROTOCOL_IN_FORCE)}",
        _day(eif),
    )


# -- legislation --------------------------------------------------------------------------------


def _legislation_by(legislation: pd.DataFrame, ref: pd.Timestamp) -> str:
    """Countries with a law dated by ``ref`` in the ``legislation`` dataset, per yardstick and together.

    A law of ``ref``'s year with no month is not counted (it may be later in the year).
    """
    leg = legislation[legislation["year"].notna()].copy()
    month = leg["month"].astype("Float64") if "month" in leg.columns else pd.Series(pd.NA, index=leg.index)
    year = leg["year"].astype("Int64")
    certain = ((year < ref.year) | ((year == ref.year) & (month <= ref.month))).fillna(False)
    parts = [
        f"{sub['iso3'].nunique()} {yardstick}"
        for yardstick, sub in leg[certain].groupby("yardstick", sort=True)
    ]
    union = leg.loc[certain, "iso3"].nunique()
    return f"other yardsticks: {union} countries with a law dated by {_day(ref)} in `legislation` ({', '.join(parts)})"


def _legislation_count(
    claim: Claim, legislation_counts: pd.DataFrame | None, legislation: pd.DataFrame | None, column: str
) -> Verdict:
    counts = _independent(_input(legislation_counts, "legislation_counts"))
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
        words = " ".join(w for w in (_text(r["qualifier"]), _num(r["share_percent"])) if w)
        context.append(f"{r['edition']}: {words} per cent ({r['count_id']}: '{r['definition']}')")
    leg = _input(legislation, "legislation")
    context.append(_legislation_by(leg, hi))
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
        )  # fmt: skip
    explanation = (
        f"no source other than the report gives the {claim.reference_date} count; nearest: "
        + "; ".join(context)
        + "; needs UNODC's GLOTIP 2020 country-by-country legislation assessment (as at August 2020)"
    )
    nearest = int(earlier.iloc[-1][column]) if not earlier.empty else None
    return Verdict(
        "not reproducible",
        "not found" + (f" (Aug 2018: {nearest})" if nearest else ""),
        evidence,
        explanation,
        nearest,
    )


def p06_countries_assessed(
    claim: Claim, *, legislation_counts: pd.DataFrame | None = None, legislation: pd.DataFrame | None = None
) -> Verdict:
    """181 countries assessed by GLOTIP 2020 (August 2020)."""
    return _legislation_count(claim, legislation_counts, legislation, "countries_assessed")


def p06_countries_with_legislation(
    claim: Claim, *, legislation_counts: pd.DataFrame | None = None, legislation: pd.DataFrame | None = None
) -> Verdict:
    """169 countries with dedicated legislation by August 2020."""
    return _legislation_count(claim, legislation_counts, legislation, "countries_with_legislation")


# -- convictions (the convictions analysis decides; this only maps its verdict) -------------------

CONVICTION_STATEMENTS = {
    "p06_convictions_nearly_tripled": "tripled_since_2003",
    "p06_rates_higher_before_2003": "higher_if_legislated_before_2003",
}
CONVICTION_STATUS = {
    "reproduced": "reproduced",
    "differs": "differs",
    "not reproduced": "differs",
    "inconclusive": "not reproducible",
}


def _conviction(claim: Claim, verdicts: pd.DataFrame | None) -> Verdict:
    table = _input(verdicts, "convictions_verdicts")
    statement = CONVICTION_STATEMENTS.get(claim.claim_id)
    rows = table[table["statement_id"] == statement] if statement else table.iloc[0:0]
    if "primary" in rows.columns:
        rows = rows[rows["primary"].astype(bool)]
    if rows.empty:
        return Verdict(
            "not reproducible", "no result", "tipstats.analysis.convictions.verdicts()",
            "the convictions analysis has no verdict for this statement; needs GLOTIP 2020's conviction series "
            "by legislation cohort (the chart's data)",
        )  # fmt: skip
    row = rows.iloc[0]
    status = CONVICTION_STATUS.get(str(row["verdict"]))
    if status is None:
        raise ValueError(f"unknown convictions verdict {row['verdict']!r}")
    computed = (
        f"{float(row['value']):.3g} (95% interval {float(row['ci_low']):.3g} to {float(row['ci_high']):.3g})"
    )
    evidence = (
        f"tipstats.analysis.convictions.verdicts(): {statement}, sample {row['sample']}, "
        f"{int(row['n_countries'])} countries, {int(row['n_obs'])} observations"
    )
    explanation = f"{row['measure']}: {row['explanation']}"
    if status == "not reproducible":
        explanation += " (the public country data cannot decide; GLOTIP 2020's own series would)"
    return Verdict(status, computed, evidence, explanation, float(row["value"]))


def p06_convictions_nearly_tripled(
    claim: Claim, *, convictions_verdicts: pd.DataFrame | None = None
) -> Verdict:
    """'nearly tripled since 2003': the convictions analysis' verdict (balanced panel)."""
    return _conviction(claim, convictions_verdicts)


def p06_rates_higher_before_2003(
    claim: Claim, *, convictions_verdicts: pd.DataFrame | None = None
) -> Verdict:
    """'higher in countries that had enacted legislation before 2003': the analysis' verdict."""
    return _conviction(claim, convictions_verdicts)


def p06_recent_increases(claim: Claim, *, convictions_verdicts: pd.DataFrame | None = None) -> Verdict:
    """'the latter had nevertheless recorded significant recent increases': not tested by the analysis."""
    return _conviction(claim, convictions_verdicts)


# -- victims ------------------------------------------------------------------------------------

EDITION = "GLOTIP 2020"  # the edition paragraph 38(a) quotes


def _published(frame: pd.DataFrame, column: str, value: str, among: str = "all") -> pd.DataFrame:
    rows = frame[
        (frame["basis"] == "published")
        & (frame["edition"].astype("object") == EDITION)
        & (frame[column] == value)
        & (frame["among"] == among)
        & frame["share"].notna()
        & frame["year"].notna()
    ]
    return rows.sort_values(["year", "figure_id"], kind="mergesort")


# Groups that the computed shares give only as their parts (same countries, same denominator).
COMPUTED_PARTS = {"children": ("girls", "boys"), "women_and_girls": ("women", "girls")}


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


def _share_claim(claim: Claim, frame: pd.DataFrame, column: str, value: str, name: str) -> Verdict:
    rows = _published(frame, column, value)
    if rows.empty:
        return Verdict(
            "not reproducible", "no published share", f"{name}: {EDITION}",
            f"no quotation of the {EDITION} share of {value}; needs the report's own figure",
        )  # fmt: skip
    year = int(rows["year"].max())
    latest = rows[rows["year"] == year]
    iv = claim_interval(claim.reported_value, claim.comparator)
    results = {fid: compare(iv, statement_interval(float(s), q)) for fid, s, q in
               zip(latest["figure_id"], latest["share"], latest["qualifier"], strict=True)}  # fmt: skip
    shares = sorted(set(latest["share"].astype(float)))
    quoted = f"{EDITION}: {' / '.join(_num(s) for s in shares)} per cent of detected victims in {year} ({len(latest)} quotation(s))"
    own = _computed(frame, column, value, year)
    if own is not None:
        quoted += (
            f"; tipstats' own computation from dataUNODC for {year}: {own[0]:.1f} per cent over "
            f"{own[1]} countries (another country set, context only)"
        )
    evidence = f"{name}: " + ", ".join(latest["figure_id"].astype(str)) + " (glotip_text_figures)"
    outcomes = set(results.values())
    if outcomes == {"agrees"}:
        return Verdict("consistent", f"{' / '.join(_num(s) for s in shares)} per cent ({year})", evidence,
                       f"{quoted}: {claim.reported_text()} holds", shares[0])  # fmt: skip
    if "agrees" not in outcomes and "undecided" not in outcomes:
        return Verdict("differs", f"{' / '.join(_num(s) for s in shares)} per cent ({year})", evidence,
                       f"{quoted}, not {claim.reported_text()} (the report may round or quote another year)", shares[0])  # fmt: skip
    return Verdict("not reproducible", f"{' / '.join(_num(s) for s in shares)} per cent ({year})", evidence,
                   f"{quoted}: the quotations disagree with each other or cannot decide", shares[0])  # fmt: skip


def p38a_children_over_30(claim: Claim, *, victim_shares: pd.DataFrame | None = None) -> Verdict:
    """Children's share of detected victims in GLOTIP 2020 (its latest data year)."""
    frame = _input(victim_shares, "victim_shares")
    verdict = _share_claim(claim, frame, "group", "children", "victim_shares")
    first = _published(frame, "group", "children")
    if len(first) and verdict.status != "not reproducible":
        early = first.iloc[0]
        late = first[first["year"] == first["year"].max()].iloc[0]
        ratio = float(late["share"]) / float(early["share"])
        verdict = Verdict(
            verdict.status, verdict.computed, verdict.evidence,
            verdict.explanation + f"; up from {_num(early['share'])} per cent in {int(early['year'])} "
            f"(x{ratio:.1f}; 'exponentially' is the report's word, not a fitted curve)",
            verdict.computed_value,
        )  # fmt: skip
    return verdict


def p38a_boys_share_rose(claim: Claim, *, victim_shares: pd.DataFrame | None = None) -> Verdict:
    """Boys' share rose more than girls' between the first and last year GLOTIP 2020 shows."""
    frame = _input(victim_shares, "victim_shares")
    series = {}
    for group in ("boys", "girls"):
        rows = _published(frame, "group", group).drop_duplicates("year")
        if rows["year"].nunique() < 2:
            return Verdict(
                "not reproducible", "no series", "victim_shares",
                f"no two years of the {EDITION} share of {group}; needs the report's chart data",
            )  # fmt: skip
        series[group] = rows.set_index("year")["share"].astype(float)
    years = sorted(set(series["boys"].index) & set(series["girls"].index))
    y0, y1 = int(years[0]), int(years[-1])
    b0, b1 = series["boys"][y0], series["boys"][y1]
    g0, g1 = series["girls"][y0], series["girls"][y1]
    more_points = (b1 - b0) > (g1 - g0)
    more_ratio = (b1 / b0) > (g1 / g0)
    computed = f"boys {_num(b0)} -> {_num(b1)}, girls {_num(g0)} -> {_num(g1)} per cent ({y0}-{y1})"
    evidence = "victim_shares: published " + EDITION + " boys and girls (glotip_text_figures)"
    detail = (
        f"{y0}-{y1}: boys +{b1 - b0:g} points (x{b1 / b0:.1f}), girls +{g1 - g0:g} points (x{g1 / g0:.1f}); "
        "'significantly' cannot be tested on published shares (no counts or errors)"
    )
    if more_points and more_ratio:
        return Verdict(
            "consistent",
            computed,
            evidence,
            f"boys' share rose more than girls' in points and ratio: {detail}",
            b1 - b0,
        )
    if not more_points and not more_ratio:
        return Verdict(
            "differs", computed, evidence, f"boys' share did not rise more than girls': {detail}", b1 - b0
        )
    return Verdict(
        "not reproducible", computed, evidence, f"boys' rise is larger on one scale only: {detail}", b1 - b0
    )


def p38a_sexual_exploitation_50(claim: Claim, *, exploitation_shares: pd.DataFrame | None = None) -> Verdict:
    """Share of detected victims trafficked for sexual exploitation, GLOTIP 2020."""
    return _share_claim(
        claim,
        _input(exploitation_shares, "exploitation_shares"),
        "form",
        "sexual_exploitation",
        "exploitation_shares",
    )


def p38a_forced_labour_38(claim: Claim, *, exploitation_shares: pd.DataFrame | None = None) -> Verdict:
    """Share of detected victims trafficked for forced labour, GLOTIP 2020."""
    return _share_claim(
        claim,
        _input(exploitation_shares, "exploitation_shares"),
        "form",
        "forced_labour",
        "exploitation_shares",
    )


# -- trust fund ---------------------------------------------------------------------------------

MONEY = USD_SCALE
AMOUNT_UNITS = ("USD", "USD million", "per cent", "fold", "years")


def _row_bounds(row: pd.Series) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The dates a trust-fund row refers to: its day, month, year or period ('2011-2014': both years whole).

    Undated rows give (None, None).
    """
    text = _text(row.get("date_or_period"))
    precision = _text(row.get("date_precision"))
    if precision == "undated" or text.startswith("undated"):
        return None, None
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        return date_bounds(text)
    if pd.notna(row.get("date")):
        day = pd.Timestamp(row["date"])
        return day, day
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
    if years:
        return date_bounds(years[0])[0], date_bounds(years[-1])[1]
    if pd.notna(row.get("year")):
        return date_bounds(str(int(row["year"])))
    return None, None


def _scaled(value: float, unit: str, claim_unit: str) -> float | None:
    """``value`` in the claim's unit; None when the units cannot be compared (EUR against USD)."""
    if claim_unit in MONEY:
        return value * MONEY[unit] / MONEY[claim_unit] if unit in MONEY else None
    return value


def _statements(
    claim: Claim,
    trust_fund: pd.DataFrame | None,
    quantities: tuple[str, ...],
    *,
    window: tuple[str, str] | None,
    needed: str,
    agree_status: str = "consistent",
    note: str = "",
    monotone: bool = False,
) -> Verdict:
    """Compare a claim with every other statement of the same quantity dated within ``window``.

    With ``monotone`` (a cumulative total), statements before the window that exceed the claim
    refute it (a cumulative total cannot fall); earlier, smaller totals are shown as compatible.
    """
    tf = _independent(_input(trust_fund, "trust_fund"))
    rows = tf[tf["quantity"].isin(quantities)].copy()
    bounds = (
        rows.apply(_row_bounds, axis=1, result_type="expand") if len(rows) else pd.DataFrame(columns=[0, 1])
    )
    rows["_lo"], rows["_hi"] = (bounds[0], bounds[1]) if len(rows) else (None, None)
    lo, hi = (date_bounds(window[0])[0], date_bounds(window[1])[1]) if window else (None, None)
    in_window = rows[rows["_lo"].notna() & (rows["_lo"] <= hi) & (rows["_hi"] >= lo)] if window else rows
    iv = claim_interval(claim.reported_value, claim.comparator)

    def label(r) -> str:
        q = _text(r["qualifier"])
        return f"{(q + ' ') if q else ''}{_num(r['value'])} {r['unit']} ({r['date_or_period']}, {r['figure_id']})"

    results = []
    for _, r in in_window.iterrows():
        scaled = _scaled(float(r["value"]), str(r["unit"]), claim.unit)
        if scaled is None:
            continue
        results.append(
            (r, compare(iv, statement_interval(scaled, r["qualifier"], count=claim.unit not in AMOUNT_UNITS)))
        )
    used = [r for r, _ in results]
    evidence = (
        "trust_fund: "
        + (", ".join(str(r["figure_id"]) for r in used) if used else "no row")
        + (f" (quantities {', '.join(quantities)})")
    )
    suffix = f"; {note}" if note else ""
    agree = [r for r, v in results if v == "agrees"]
    disagree = [r for r, v in results if v == "disagrees"]
    if agree:
        text = "; ".join(label(r) for r in agree)
        extra = f"; but {'; '.join(label(r) for r in disagree)}" if disagree else ""
        return Verdict(agree_status, "; ".join(label(r) for r in agree), evidence,
                       f"{text} supports {claim.reported_text()}{extra}{suffix}", float(agree[0]["value"]))  # fmt: skip
    if disagree:
        text = "; ".join(label(r) for r in disagree)
        return Verdict("differs", text, evidence, f"the other source gives {text}, not {claim.reported_text()}{suffix}",
                       float(disagree[0]["value"]))  # fmt: skip
    if monotone and lo is not None:
        earlier = rows[rows["_hi"].notna() & (rows["_hi"] < lo)]
        for _, r in earlier.iterrows():
            scaled = _scaled(float(r["value"]), str(r["unit"]), claim.unit)
            if (
                scaled is not None
                and statement_interval(scaled, r["qualifier"], count=claim.unit not in AMOUNT_UNITS).low
                >= iv.high
            ):
                return Verdict(
                    "differs", label(r), evidence,
                    f"an earlier cumulative figure, {label(r)}, already exceeds {claim.reported_text()}{suffix}",
                    float(r["value"]),
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
    return Verdict("not reproducible", "not found", evidence,
                   f"no other source states this{period}{seen}{suffix}; needs {needed}", None)  # fmt: skip


def p74_victims_3500(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    """More than 3,500 victims assisted each year (statements of 2021)."""
    return _statements(claim, trust_fund, ("victims_assisted_per_year",), window=("2021", "2021"),
                       needed="UNVTF annual reports of victims assisted")  # fmt: skip


def p75_tenth_anniversary(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    """2020 = the fund's first year + 10; the first year is that of the earliest statement about the fund."""
    tf = _independent(_input(trust_fund, "trust_fund"))
    dated = tf.assign(_lo=[_row_bounds(r)[0] for _, r in tf.iterrows()]).dropna(subset=["_lo"])
    first = dated.sort_values("_lo", kind="mergesort").iloc[0]
    year = pd.Timestamp(first["_lo"]).year
    tenth = year + 10
    holds = tenth == int(claim.value)
    inception = tf[tf["source_document"].astype(str).str.contains("Years Since Inception", regex=False)]
    extra = (
        f"; UNODC event of {inception.iloc[0]['date_or_period']}: '{inception.iloc[0]['source_document'].split(chr(39))[1]}'"
        if len(inception)
        else ""
    )
    return Verdict(
        "consistent" if holds else "differs", str(tenth),
        f"trust_fund: {first['figure_id']} ({first['date_or_period']}) and the other dated rows",
        f"the earliest statement about the fund is dated {first['date_or_period']} ({first['source_document']}), "
        f"so its tenth year is {tenth}" + ("" if holds else f", not {int(claim.value)}") + extra,
        tenth,
    )  # fmt: skip


def p75_five_calls(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    """Calls for proposals with evidence by the end of the report's year (quantities named ``callN_``)."""
    tf = _independent(_input(trust_fund, "trust_fund"))
    ref = date_bounds(claim.reference_date)[1]
    calls = tf.assign(
        call=tf["quantity"].str.extract(r"^call(\d+)_", expand=False).astype("Float64"),
        _lo=[_row_bounds(r)[0] for _, r in tf.iterrows()],
        _year=[_row_bounds(r)[0].year if _row_bounds(r)[0] is not None else None for _, r in tf.iterrows()],
    ).dropna(subset=["call"])
    by_end_of_year = calls[(calls["_year"].notna()) & (calls["_year"].astype("float") <= ref.year)]
    numbers = sorted({int(c) for c in by_end_of_year["call"]})
    later = calls[calls["_year"].notna() & (calls["_year"].astype("float") > ref.year)]
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
    return Verdict(
        "consistent" if holds else "differs", f"calls {', '.join(map(str, numbers))}",
        "trust_fund: quantities callN_* with a date", f"sources dated up to {ref.year} document {listing}{next_text}"
        + ("" if holds else f"; not {int(claim.value)} calls"), n,
    )  # fmt: skip


def p75_call4_year(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    """The year of the fourth call's awards: the report says 2019, UNODC's announcements say 2020."""
    tf = _independent(_input(trust_fund, "trust_fund"))
    rows = tf[tf["quantity"].str.startswith("call4_")]
    years = sorted({_row_bounds(r)[0].year for _, r in rows.iterrows() if _row_bounds(r)[0] is not None})
    if not years:
        return Verdict(
            "not reproducible",
            "no dated row",
            "trust_fund",
            "no dated statement on the fourth call; needs its announcement",
        )
    holds = years == [int(claim.value)]
    awards = rows[rows["quantity"].str.contains("awarded|projects", regex=True)]
    listing = "; ".join(
        f"{r['quantity']} {_num(r['value'])} ({r['date_or_period']})" for _, r in awards.iterrows()
    )
    return Verdict(
        "consistent" if holds else "differs", ", ".join(map(str, years)),
        "trust_fund: " + ", ".join(rows["figure_id"].astype(str)),
        f"UNODC dates the fourth call's awards to {', '.join(map(str, years))} ({listing})"
        + ("" if holds else f", not {int(claim.value)}: the report probably dates the call (its launch), the sources "
           "the grants; no launch date of the fourth call is in the data"),
        years[-1],
    )  # fmt: skip


def p75_call4_projects_32(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("call4_projects_awarded",), window=None,
                       needed="the UNVTF fourth-call award list", note="the source dates the awards to 2020, the report to 2019")  # fmt: skip


def p75_call4_countries_24(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("call4_project_countries",), window=None,
                       needed="the UNVTF fourth-call award list", note="the source dates the awards to 2020, the report to 2019")  # fmt: skip


def p75_projects_90(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("cumulative_ngo_projects_funded", "cumulative_projects_funded"),
                       window=("2021-01", "2021-07"), needed="the UNVTF list of funded projects", monotone=True)  # fmt: skip


def p75_countries_50(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("cumulative_project_countries",), window=("2021-01", "2021-07"),
                       needed="the UNVTF list of funded projects by country (as at mid-2021); the later "
                       "'over 60 countries' (2023) cannot bound a 2021 cumulative count", monotone=True)  # fmt: skip


def p75_grants_4_8m(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("cumulative_grants_awarded_since_inception", "cumulative_grants_awarded_since_2011"),
                       window=("2021-01", "2021-07"), needed="UNVTF financial statements", monotone=True)  # fmt: skip


def p75_ngos_268(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("call4_applicant_ngos",), window=("2020", "2020"),
                       needed="the UNVTF 2020 call statistics")  # fmt: skip


def p75_countries_64(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("call4_applicant_countries",), window=("2020", "2020"),
                       needed="the UNVTF 2020 call statistics")  # fmt: skip


_CALL5_NOTE = (
    "the only other figure is the fifth call's result (ONU Italia, 9 Nov 2021), probably one window only, "
    "while the report counts proposals of the first half of 2021"
)


def p75_proposals_500(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("call5_applications_received", "proposals_received_2021_h1"),
                       window=("2021", "2021"), needed="the UNVTF 2021 call statistics", note=_CALL5_NOTE)  # fmt: skip


def p75_countries_88(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("call5_applicant_countries", "proposal_countries_2021_h1"),
                       window=("2021", "2021"), needed="the UNVTF 2021 call statistics", note=_CALL5_NOTE)  # fmt: skip


def p75_contributions_2020(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("contributions_received_in_year",), window=("2020", "2020"),
                       needed="the UNVTF annual report 2020 or UNODC's financial statements (contributions by year)")  # fmt: skip


def p75_funding_target(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("annual_funding_target",), window=None,
                       needed="a UNVTF statement of its annual funding target (the 2017 pledges of 'nearly "
                       "USD 1.5 million' are another quantity)")  # fmt: skip


def p75_call5_launch(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    """Launch of the fifth call: no source gives it; a fifth-call row dated before it would refute it."""
    tf = _independent(_input(trust_fund, "trust_fund"))
    rows = tf[tf["quantity"].str.startswith("call5_")]
    dated = [(lo, r) for _, r in rows.iterrows() for lo in [_row_bounds(r)[0]] if lo is not None]
    launch = claim.date
    if not dated:
        return Verdict("not reproducible", "no row", "trust_fund: no call5_* row",
                       "no source mentions the fifth call; needs the UNVTF announcement of the fifth call")  # fmt: skip
    first_date, first = min(dated, key=lambda pair: pair[0])
    evidence = "trust_fund: " + ", ".join(str(r["figure_id"]) for _, r in dated)
    if first_date < launch:
        return Verdict(
            "differs", _day(first_date), evidence,
            f"a fifth-call figure ({first['quantity']}) is dated {_day(first_date)}, before the reported launch "
            f"{_day(launch)}", _day(first_date),
        )  # fmt: skip
    return Verdict(
        "not reproducible", f"first dated evidence {_day(first_date)}", evidence,
        f"the earliest fifth-call figure ({first['quantity']}, {_day(first_date)}) comes after the reported launch "
        f"{_day(launch)}, as it should; needs the UNVTF announcement of the fifth call for the day",
        _day(first_date),
    )  # fmt: skip


def p76_three_calls_per_year(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("call4_grant_windows_operated",), window=("2020", "2020"),
                       needed="the UNVTF grant-cycle rules",
                       note="the source counts grant windows operated under the fourth call in 2020")  # fmt: skip


def p77_cumulative_7_9m(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("cumulative_contributions_since_inception",), window=("2021-04", "2021-04"),
                       needed="UNVTF financial statements as at April 2021", monotone=True)  # fmt: skip


def p77_member_states_32(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("cumulative_contributing_member_states",), window=("2021-04", "2021-04"),
                       needed="the UNVTF donor list as at April 2021", monotone=True)  # fmt: skip


def p77_private_34(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    return _statements(claim, trust_fund, ("cumulative_contributors_second_category",), window=("2021-04", "2021-04"),
                       needed="the UNVTF donor list as at April 2021", monotone=True,
                       note="the April 2020 source is cut after '33 pri[...]'")  # fmt: skip


# -- dated events confirmed by other sources ------------------------------------------------------


def _event_month(
    claim: Claim, frame: pd.DataFrame, column: str, pattern: str, date_column: str, name: str
) -> Verdict:
    """A dated row whose ``column`` matches ``pattern``: is its date within the reported month?"""
    rows = frame[frame[column].astype(str).str.contains(pattern, regex=True)].copy()
    rows["_day"] = pd.to_datetime(rows[date_column])
    rows = rows.dropna(subset=["_day"]).sort_values("_day", kind="mergesort")
    lo, hi = date_bounds(claim.reported_value)
    inside = rows[(rows["_day"] >= lo) & (rows["_day"] <= hi)]
    evidence = f"{name}: " + (
        "; ".join(f"{_day(d)} ({t})" for d, t in zip(rows["_day"], rows[column], strict=True)) or "no row"
    )
    if not inside.empty:
        r = inside.iloc[0]
        return Verdict("consistent", _day(r["_day"]), evidence,
                       f"'{r[column]}' is dated {_day(r['_day'])}, within {claim.reported_value}", _day(r["_day"]))  # fmt: skip
    if not rows.empty:
        r = rows.iloc[0]
        return Verdict("differs", _day(r["_day"]), evidence,
                       f"'{r[column]}' is dated {_day(r['_day'])}, not in {claim.reported_value}", _day(r["_day"]))  # fmt: skip
    return Verdict(
        "not reproducible", "not found", evidence, "no dated source on this event; needs its official record"
    )


def p61_cop10_october_2020(claim: Claim, *, party_counts: pd.DataFrame | None = None) -> Verdict:
    """COP 10 in October 2020: the UNODC press release at its opening, in ``party_counts``."""
    return _event_month(
        claim, _input(party_counts, "party_counts"), "kind", r"COP 10\b", "date", "party_counts"
    )


def p62_crime_congress_march_2021(claim: Claim, *, trust_fund: pd.DataFrame | None = None) -> Verdict:
    """Fourteenth Crime Congress in March 2021: a UNODC speech at a Congress event, in ``trust_fund``."""
    tf = _input(trust_fund, "trust_fund")
    return _event_month(claim, tf, "source_document", r"14th UN Crime Congress", "date", "trust_fund")


# -- statements no dataset covers -------------------------------------------------------------------


def _no_data(claim: Claim, needed: str) -> Verdict:
    return Verdict(
        "not reproducible", "no data", "none of the tipstats datasets covers it", f"needs {needed}"
    )


def p32_rescued_600(claim: Claim) -> Verdict:
    return _no_data(
        claim, "INTERPOL's published results of Operations Turquesa II and Weka (victims rescued)"
    )


def p38c_six_areas(claim: Claim) -> Verdict:
    return _no_data(claim, "the Inter-Agency Coordination Group's joint plan of action (December 2020)")


def p54_icat_28_members(claim: Claim) -> Verdict:
    return _no_data(claim, "the Inter-Agency Coordination Group's membership list as at 2021 (icat.un.org)")


def p56_side_event_100(claim: Claim) -> Verdict:
    return _no_data(claim, "the Coordination Group's record of its October 2020 side event (attendance)")


RULES: dict[str, Callable[..., Verdict]] = {
    name: obj
    for name, obj in dict(globals()).items()
    if re.fullmatch(r"p\d{2}[a-z]?_[a-z0-9_]+", name) and callable(obj)
}
