"""What every rule kind shares: the verdict, the registration of kinds, inputs, tolerances, wording.

A *rule kind* is a function ``kind(claim, *, <inputs>, <params>) -> Verdict`` registered with
:func:`rule_kind`. Its inputs (datasets, the report text, the convictions verdicts) are named
when it is registered; every other keyword-only parameter is a parameter that the claims
registry gives in its ``params`` column (a JSON object). A claim of a known kind is a registry
row, not code.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from tipstats.claims_audit.registry import REPORT_SOURCE_ID, Claim, format_number, normalise

STATUSES = ("reproduced", "consistent", "differs", "not reproducible", "internal")
FAILED = "failed"  # not a verdict: the computation raised (missing dataset, bad input)
INF = math.inf

# Strength of a verdict's best evidence, strongest first ("report itself": the report checked against
# itself; "none": no evidence at all). See strength_of() for how a source is classed.
OFFICIAL = "official count"
PRIMARY = "primary UN/UNODC document"
SECONDARY = "secondary page"
CURATION = "curation label"
REPORT_ITSELF = "report itself"
NO_EVIDENCE = "none"
STRENGTHS = (OFFICIAL, PRIMARY, SECONDARY, CURATION, REPORT_ITSELF, NO_EVIDENCE)
#: What each strength means (the legend of the outputs).
STRENGTH_LEGEND = {
    OFFICIAL: "a count or date of the depositary or the data producer (UNTC status, UNTC table rows, dataUNODC)",
    PRIMARY: "a document of the UN or UNODC (report, press release, speech, web page)",
    SECONDARY: "a page of someone else (news, blog, mirror, another government's report)",
    CURATION: "a value written or derived during curation (a derived day, a label in a note), not stated by a source",
    REPORT_ITSELF: "the report checked against itself (its dates, arithmetic, lists)",
    NO_EVIDENCE: "no evidence at hand",
}
_SECONDARY_MARKS = (
    "blog", "repost", "mirror", "fundsforngos", "onu italia", "us mission", "cq researcher", "cqpress",
    "secondary", "humanrights.ch", "state.gov", "tip report", "news gazette", "africa-press", "vlex",
    "inview.nl", "overheid.nl", "iawj", "federalnewswire", "nepalnewsgazette", "khabarhub",
)  # fmt: skip
_CURATION_MARKS = ("derived", "inferred", "curat", "implied")
# tipstats' own computation from dataUNODC's country data (the convictions analysis) counts as the producer's data.
_OFFICIAL_MARKS = (
    "untc status", "count of rows", "untc table", "treaties.un.org", "untc_", "dataunodc",
    "tipstats.analysis.convictions",
)  # fmt: skip
_PRIMARY_MARKS = (
    "unodc",
    "un news",
    "united nations",
    "unis",
    "un press",
    "glotip",
    "icat",
    "ctoc/cop",
    "un.org",
)


def strength_of(description: str) -> str:
    """The strength class of a source from its description (kind, document, address or date basis).

    >>> strength_of("UNODC press release (opening of COP 10)"), strength_of("Blog repost of UN news item")
    ('primary UN/UNODC document', 'secondary page')
    >>> strength_of("UNTC status table header (mirrored by UNODC)"), strength_of("derived_entry_into_force_30_day_rule")
    ('official count', 'curation label')
    """
    d = str(description).lower()
    if any(m in d for m in _CURATION_MARKS):
        return CURATION
    if any(m in d for m in _OFFICIAL_MARKS):
        return OFFICIAL
    if any(m in d for m in _SECONDARY_MARKS):
        return SECONDARY
    if any(m in d for m in _PRIMARY_MARKS):
        return PRIMARY
    return SECONDARY


def strongest(strengths) -> str:
    """The strongest of several strength classes (``none`` for none)."""
    given = set(strengths)
    found = [s for s in STRENGTHS if s in given]
    return found[0] if found else NO_EVIDENCE


def weak_support(strength: str) -> str:
    """The words a 'consistent' adds when it rests only on secondary pages or curation labels."""
    if strength in (SECONDARY, CURATION):
        return f" (rests only on a {strength}: no UN/UNODC document or official count gives it)"
    return ""


@dataclass(frozen=True)
class Verdict:
    """The outcome of one rule: a status, what was computed, from what, why, and how strong its evidence is.

    ``strength`` is the class of the best evidence (:data:`STRENGTHS`; empty: the audit derives it,
    ``report itself`` for an internal check, ``none`` when nothing was found); ``source_dates``
    lists the dates of the sources used, as ``YYYY-MM-DD`` (or coarser), ``; ``-separated.
    """

    status: str
    computed: str
    evidence: str
    explanation: str
    computed_value: float | str | None = None
    strength: str = ""
    source_dates: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}; one of {', '.join(STATUSES)}")
        if self.strength and self.strength not in STRENGTHS:
            raise ValueError(f"unknown strength {self.strength!r}; one of {', '.join(STRENGTHS)}")


# -- rule kinds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleKind:
    """A registered rule kind: its function, the inputs it reads and the parameters it takes."""

    name: str
    function: Callable[..., Verdict]
    inputs: tuple[str, ...] = ()
    #: A parameter whose value names one more input (``"dataset"``: the dataset the claim is read from).
    input_param: str | None = None
    required: tuple[str, ...] = field(default=())
    optional: tuple[str, ...] = field(default=())
    #: A parameter holding a list of objects, each naming one more input by its ``"input"`` key.
    inputs_list_param: str | None = None

    def inputs_for(self, params: dict) -> list[str]:
        extra = [params[self.input_param]] if self.input_param and self.input_param in params else []
        if self.inputs_list_param and isinstance(params.get(self.inputs_list_param), list):
            for item in params[self.inputs_list_param]:
                name = item.get("input") if isinstance(item, dict) else None
                if name and name not in extra:
                    extra.append(name)
        return [*self.inputs, *extra]

    def parameter_problems(self, params: dict) -> list[str]:
        """What is wrong with ``params`` for this kind (unknown or missing names), in words."""
        known = (*self.required, *self.optional)
        problems = [
            f"unknown parameter {k!r} (takes {', '.join(known) or 'none'})" for k in params if k not in known
        ]
        problems += [f"missing parameter {k!r}" for k in self.required if k not in params]
        return problems

    def __call__(self, claim: Claim, inputs: dict, params: dict) -> Verdict:
        kwargs = dict(params)
        if self.input_param:
            kwargs["frame"] = inputs[params[self.input_param]]
        if self.inputs_list_param:
            kwargs["frames"] = {
                name: inputs[name] for name in self.inputs_for(params) if name not in self.inputs
            }
        kwargs.update({name: inputs[name] for name in self.inputs})
        return self.function(claim, **kwargs)


#: Raw files a rule may read as they were received (text columns), by input name: what a source says
#: in words that no processed dataset keeps (the address of a page, every conflicting row of an evidence file).
RAW_INPUTS: dict[str, tuple[str, ...]] = {
    "glotip_text_figures": ("glotip/glotip_text_figures.csv",),
    "treaty_evidence": (
        "treaty/tip_protocol_post2017_evidence.csv",
        "treaty/tip_protocol_post2017_evidence_five_states.csv",
    ),
}

#: Every rule kind by name (filled by the subject modules of :mod:`tipstats.claims_audit.rules`).
KINDS: dict[str, RuleKind] = {}


def rule_kind(
    name: str,
    *,
    inputs: tuple[str, ...] = (),
    input_param: str | None = None,
    inputs_list_param: str | None = None,
):
    """Register ``function`` as rule kind ``name``; its other keyword-only parameters are the kind's params."""

    def register(function: Callable[..., Verdict]) -> Callable[..., Verdict]:
        if name in KINDS:
            raise ValueError(f"rule kind {name!r} is registered twice")
        taken = {*inputs, "frame", "frames"}
        params = [
            p
            for p in inspect.signature(function).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name not in taken
        ]
        KINDS[name] = RuleKind(
            name,
            function,
            tuple(inputs),
            input_param,
            tuple(p.name for p in params if p.default is inspect.Parameter.empty),
            tuple(p.name for p in params if p.default is not inspect.Parameter.empty),
            inputs_list_param,
        )
        return function

    return register


def default_input(name: str):
    """Input ``name`` as the audit loads it when not given: a dataset, the report text, the verdicts, a fact."""
    if name == "report_text":
        from tipstats.claims_audit.registry import report_text

        return report_text()
    if name == "convictions_verdicts":
        from tipstats.analysis.convictions import verdicts

        return verdicts()  # computed once per data change (the tables and notebook 03 share it)
    if name == "protocol_adopted":
        from tipstats.facts import TIP_PROTOCOL_ADOPTED

        return TIP_PROTOCOL_ADOPTED
    if name == "report_as_of":
        from tipstats.claims_audit.registry import report_text
        from tipstats.claims_audit.rules.report import reporting_period

        return reporting_period(report_text())[1]
    if name in RAW_INPUTS:
        from tipstats.io import read_raw_csv
        from tipstats.paths import RAW_DIR

        frames = [read_raw_csv(RAW_DIR / path, str(RAW_DIR / path)) for path in RAW_INPUTS[name]]
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    import tipstats

    return tipstats.load(name)


# -- wording --------------------------------------------------------------------------------------


def independent(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows not taken from A/76/120 itself (the report cannot confirm itself)."""
    if "source_id" not in frame.columns:
        return frame
    return frame[frame["source_id"].astype("object") != REPORT_SOURCE_ID]


def day(value) -> str:
    return "NA" if value is None or pd.isna(value) else str(pd.Timestamp(value).date())


def num(value: float) -> str:
    return format_number(float(value))


def text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def search(pattern: str, where: str, what: str) -> re.Match:
    """The first match of ``pattern`` in ``where`` (white space normalised); ValueError naming ``what``."""
    match = re.search(pattern, normalise(where))
    if match is None:
        raise ValueError(f"{what} not found in the text")
    return match


def internal(holds: bool, computed: str, evidence: str, ok: str, bad: str, value=None) -> Verdict:
    """A check of the report against itself: ``internal`` when it holds, else ``differs``."""
    return Verdict(
        "internal" if holds else "differs", computed, evidence, ok if holds else bad, value, REPORT_ITSELF
    )


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
        return f"{lo}{num(self.low)}, {'inf' if self.high == INF else num(self.high)}{hi}"


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
    """The values a reported number stands for, given its comparator (see :mod:`tipstats.claims_audit.rules`).

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


# -- statements no dataset covers -------------------------------------------------------------------


@rule_kind("no_data")
def no_data(claim: Claim) -> Verdict:
    """No tipstats dataset covers the statement: the registry's ``data_needed`` says what would."""
    return Verdict(
        "not reproducible",
        "no data",
        "none of the tipstats datasets covers it",
        f"needs {claim.data_needed}",
        strength=NO_EVIDENCE,
    )
