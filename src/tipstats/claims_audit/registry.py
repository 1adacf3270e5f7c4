"""The claims registry (``data/reference/claims.csv``): its pandera model, loading, and the quote check.

One row per quantitative statement of report A/76/120. The ``quote`` is the report's own
wording; :func:`quote_failures` proves that every quote occurs in the report text, in the
paragraph the row names. Line breaks in the text file split sentences and the PDF
extraction left runs of spaces, so both sides are compared after :func:`normalise`
(every run of white space becomes one space); nothing else is forgiven.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tipstats.errors import DataValidationError, Failure, row_number
from tipstats.io import read_raw_csv
from tipstats.paths import RAW_DIR, REFERENCE_DIR
from tipstats.report import (
    MONTH_NAMES,
    REPORT_RAW_PATH,
    REPORT_SOURCE_ID,
    normalise,
    paragraph_text,
    report_text,
)

REGISTRY_FILE = "claims.csv"

# What the report says about a number, and how a value is compared with it (see tipstats.claims_audit.rules).
COMPARATORS = (
    "exactly",  # equal at the precision the report states it (178; 4.8 million = 4.75-4.85 million)
    "at least",
    "more than",  # also the report's "over"
    "about",  # "approximately", "about": equal when rounded as the report rounded it
    "nearly N-fold",  # a ratio just below N: from N - 0.5 up to N
    "higher than",  # a comparison between two groups; reported_value is empty
    "below",
    "up to",
    # vague quantifiers: no number is stated (reported_value empty); what would decide them is named
    "most",  # also "the majority of"
    "many",  # also "numerous", "multiple"
    "several",
    "some",
    "a few",
)
#: The comparators that state no number.
VAGUE = ("most", "many", "several", "some", "a few")
UNITS = (
    "parties",
    "States",
    "countries",
    "Member States",
    "date",
    "year",
    "years",
    "per cent",
    "fold",
    "victims",
    "victims per year",
    "members",
    "calls",
    "projects",
    "organisations",
    "proposals",
    "instruments",
    "thematic areas",
    "position papers",
    "areas of action",
    "participants",
    "calls per year",
    "convictions per 100,000",
    "USD",
    "USD million",
    "ordinal",
    "jurisdictions",
    "entities",
    "submissions",
    "meetings",
    "sessions",
    "operations",
    "days",
    "period",
    "efforts",
)
NOTEBOOKS = (
    "00-claims-audit",
    "01-ratification",
    "02-legislation",
    "03-convictions-vs-legislation",
    "04-victims",
    "05-trust-fund",
)
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
# English number words, to read the report ("three States", "third opportunity", "nearly tripled").
WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90,
}  # fmt: skip
FOLDS = {"doubled": 2, "tripled": 3}


def number_value(word: str) -> int | float:
    """A number as the report writes it: digits, a number word, an ordinal, a compound, ``20th``.

    >>> number_value("48"), number_value("3,500"), number_value("thirty-sixth"), number_value("Fourteenth")
    (48, 3500, 36, 14)
    >>> number_value("20th"), number_value("seventy-sixth"), number_value("two")
    (20, 76, 2)
    """
    w = word.strip().lower()
    if re.fullmatch(r"\d+(st|nd|rd|th)", w):
        return int(w[:-2])
    if re.fullmatch(r"[\d,]+(\.\d+)?", w):
        number = float(w.replace(",", ""))
        return int(number) if number.is_integer() else number
    table = {**WORD_NUMBERS, **ORDINALS}
    if w in table:
        return table[w]
    parts = w.split("-")
    if len(parts) == 2 and parts[0] in WORD_NUMBERS and parts[1] in table and table[parts[1]] < 10:
        return WORD_NUMBERS[parts[0]] + table[parts[1]]
    raise ValueError(f"not a number: {word!r}")


PARAGRAPH = r"^\d{1,2}(\([a-z]\))?(, footnote \d{1,2})?$"


@dataclass(frozen=True)
class Claim:
    """One registry row, typed: what a rule receives."""

    claim_id: str
    paragraph: str
    quote: str
    quantity: str
    reported_value: str | None
    unit: str
    comparator: str
    reference_date: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    rule: str = "no_data"
    params: str | None = None
    data_needed: str | None = None
    origin: str = "issue"
    see_also: str = "00-claims-audit"
    source_id: str = REPORT_SOURCE_ID
    note: str | None = None

    @classmethod
    def from_row(cls, row: pd.Series) -> Claim:
        return cls(**{k: (None if pd.isna(v) else str(v)) for k, v in row.items()})

    def parameters(self) -> dict:
        """``params`` read as a JSON object (empty when there are none)."""
        if self.params is None:
            return {}
        value = json.loads(self.params)
        if not isinstance(value, dict):
            raise ValueError(f"{self.claim_id}: params must be a JSON object, not {self.params!r}")
        return value

    @property
    def value(self) -> float:
        """The reported number (not for dates)."""
        if self.reported_value is None or self.unit == "date":
            raise ValueError(f"{self.claim_id}: no numeric reported value")
        return float(self.reported_value)

    @property
    def date(self) -> pd.Timestamp:
        if self.unit != "date" or self.reported_value is None:
            raise ValueError(f"{self.claim_id}: not a date claim")
        return pd.Timestamp(self.reported_value)

    def reported_text(self) -> str:
        """``more than 3,500 victims per year``, ``2020-03-30``, ``nearly 3-fold``: the claim in words."""
        if self.reported_value is None:
            if self.comparator in VAGUE:
                return f"{self.comparator} {self.unit}"
            return "higher" if self.comparator == "higher than" else self.comparator
        if self.unit == "date":
            return self.reported_value
        value = format_number(float(self.reported_value))
        if self.comparator == "nearly N-fold":
            return f"nearly {value}-fold"
        if self.unit == "year":
            return value.replace(",", "")
        if self.unit == "ordinal":
            return f"number {value}"
        prefix = "" if self.comparator == "exactly" else f"{self.comparator} "
        if self.unit.startswith("USD"):
            return f"{prefix}USD {value}{' million' if self.unit == 'USD million' else ''}"
        return f"{prefix}{value} {self.unit}"


def value_written(quote: str, value: str | None, unit: str) -> bool:
    """Whether ``value`` is written in ``quote`` (digits, separators, a number word or a date in words).

    >>> value_written("more than 3,500 victims", "3500", "victims per year")
    True
    >>> value_written("Nepal (16 June 2020)", "2020-06-16", "date"), value_written("in March 2021", "2021-03", "date")
    (True, True)
    >>> value_written("2021 presents a third opportunity", "3", "ordinal"), value_written("178 parties", "179", "parties")
    (True, False)
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return True
    words = set(re.findall(r"[A-Za-z]+", quote.lower()))
    text = normalise(quote)
    if unit == "date":
        parts = [int(p) for p in str(value).split("-")]
        month = MONTH_NAMES[parts[1] - 1]
        written = f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
        return written in text
    number = float(value)
    forms = {str(value), format_number(number)}
    if any(re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|[.,]\d)", text) for f in forms):
        return True
    table = {**WORD_NUMBERS, **ORDINALS, **(FOLDS if unit == "fold" else {})}
    if any(table.get(w) == number for w in words):
        return True
    compounds = re.findall(r"\b[A-Za-z]+-[A-Za-z]+\b|\b\d+(?:st|nd|rd|th)\b", quote)
    for compound in compounds:
        try:
            if number_value(compound) == number:
                return True
        except ValueError:
            continue
    return False


def format_number(value: float) -> str:
    """Digits with thousands separators, no trailing ``.0``.

    >>> format_number(3500.0), format_number(4.8), format_number(790000)
    ('3,500', '4.8', '790,000')
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) < 1000 else f"{value:,.2f}"


def date_bounds(text: str | None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last day of a partial ISO date.

    >>> [str(d.date()) for d in date_bounds("2021-04")]
    ['2021-04-01', '2021-04-30']
    >>> [str(d.date()) for d in date_bounds("2020")]
    ['2020-01-01', '2020-12-31']
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None, None
    text = str(text)
    if re.fullmatch(r"\d{4}", text):
        return pd.Timestamp(f"{text}-01-01"), pd.Timestamp(f"{text}-12-31")
    if re.fullmatch(r"\d{4}-\d{2}", text):
        start = pd.Timestamp(f"{text}-01")
        return start, start + pd.offsets.MonthEnd(0)
    day = pd.Timestamp(text)
    return day, day


def quote_failures(registry: pd.DataFrame, text: str, file: str = REGISTRY_FILE) -> list[Failure]:
    """Rows whose quote is not in the report (or not in the paragraph they name), one Failure each."""
    whole = normalise(text)
    failures = []
    for index, row in registry.iterrows():
        quote = normalise(str(row["quote"]))
        if quote not in whole:
            failures.append(
                Failure(file, row_number(index), "quote", "occurs verbatim in A/76/120", row["quote"])
            )
            continue
        try:
            inside = quote in paragraph_text(text, str(row["paragraph"]))
        except KeyError:
            inside = False
        if not inside:
            failures.append(
                Failure(
                    file,
                    row_number(index),
                    "paragraph",
                    "the quote occurs in this paragraph",
                    row["paragraph"],
                )
            )
    return failures


def rule_failures(registry: pd.DataFrame, file: str = REGISTRY_FILE) -> list[Failure]:
    """Rows whose ``rule`` is not a known kind or whose ``params`` do not fit it, one Failure each."""
    from tipstats.claims_audit.rules import KINDS

    failures = []
    for index, row in registry.iterrows():
        kind = KINDS.get(str(row["rule"]))
        if kind is None:
            failures.append(
                Failure(file, row_number(index), "rule", f"one of {', '.join(sorted(KINDS))}", row["rule"])
            )
            continue
        raw = row["params"]
        try:
            params = {} if pd.isna(raw) else json.loads(raw)
        except json.JSONDecodeError as exc:
            failures.append(Failure(file, row_number(index), "params", f"a JSON object ({exc.msg})", raw))
            continue
        if not isinstance(params, dict):
            failures.append(Failure(file, row_number(index), "params", "a JSON object", raw))
            continue
        for problem in kind.parameter_problems(params):
            failures.append(Failure(file, row_number(index), "params", f"rule {kind.name}: {problem}", raw))
    return failures


def validate_registry(frame: pd.DataFrame, file: str = REGISTRY_FILE) -> pd.DataFrame:
    """Validate a registry frame with :class:`~tipstats.claims_audit.registry_model.ClaimsRegistry` and the rule kinds (all failures at once)."""
    from tipstats.claims_audit.registry_model import ClaimsRegistry
    from tipstats.schemas.base import validate

    frame = validate(ClaimsRegistry, frame, file)
    failures = rule_failures(frame, file)
    if failures:
        raise DataValidationError(failures)
    return frame


def load_registry(
    path: Path | None = None, *, text: str | None = None, check_quotes: bool = True
) -> pd.DataFrame:
    """Read and validate the registry; with ``check_quotes``, also prove every quote against the report.

    Raises :class:`~tipstats.errors.DataValidationError` listing every failing row.
    """
    packaged = path is None and text is None and check_quotes
    path = Path(path) if path is not None else REFERENCE_DIR / REGISTRY_FILE
    # the same files read again in one process (each figure asks for the registry) are not validated again
    key = (
        (str(path.resolve()), _file_state(path), _file_state(RAW_DIR / REPORT_RAW_PATH))
        if text is None
        else None
    )
    if key is not None and (key, check_quotes) in _LOADED:
        return _LOADED[key, check_quotes].copy(deep=False)
    if packaged:
        # validated once per change of the registry, the report or the code, and kept in the results cache:
        # read back, it needs no pandera (whose import is most of a second of every notebook)
        from tipstats.cache import cached_frame

        frame = cached_frame(REGISTRY_CACHE_NAME, lambda: _validated(path, None, True))
    else:
        frame = _validated(path, text, check_quotes)
    if key is not None:
        _LOADED[key, check_quotes] = frame
    return frame.copy(deep=False)


#: The name of the validated packaged registry in the results cache (:mod:`tipstats.cache`).
REGISTRY_CACHE_NAME = "tipstats.claims_audit.registry.load_registry"


def _validated(path: Path, text: str | None, check_quotes: bool) -> pd.DataFrame:
    frame = validate_registry(read_raw_csv(path, str(path)), str(path))
    if check_quotes:
        failures = quote_failures(frame, report_text() if text is None else text, str(path))
        if failures:
            raise DataValidationError(failures)
    return frame


#: Registries validated in this process, by file and the state of the file and of the report's text.
_LOADED: dict[tuple, pd.DataFrame] = {}


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size
