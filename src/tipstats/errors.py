"""Data errors presented for a person: file, row, column, check and value.

Row numbers follow a spreadsheet: row 1 is the header, so the first data row is row 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

HEADER_ROWS = 1


@dataclass(frozen=True)
class Failure:
    file: str
    row: int | None
    column: str | None
    check: str
    value: Any
    kind: str = "schema"  # schema | integrity | parse | rule

    def as_line(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{value} fails {self.check}"


class DataValidationError(Exception):
    """One or more failures found while reading, building or validating data."""

    def __init__(self, failures: Iterable[Failure]):
        self.failures = list(failures)
        super().__init__(self.summary())

    def summary(self, limit: int = 50) -> str:
        files = sorted({f.file for f in self.failures})
        lines = [f"{len(self.failures)} data failure(s) in {', '.join(files)}:"]
        lines += ["  " + f.as_line() for f in self.failures[:limit]]
        if len(self.failures) > limit:
            lines.append(f"  ... and {len(self.failures) - limit} more")
        return "\n".join(lines)

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([asdict(f) for f in self.failures])


class PartialBuild(DataValidationError):
    """A builder's failures, with what it could still build from the rows that passed.

    The outputs are not published; they let the builders that read them run their own rules, so
    that one build lists every problem at once (an unknown country does not hide a date problem).
    """

    def __init__(self, failures: Iterable[Failure], outputs: dict):
        super().__init__(failures)
        self.outputs = outputs


def row_number(index_label: Any) -> int | None:
    """Spreadsheet row of a positional index label (0-based data row)."""
    try:
        return int(index_label) + HEADER_ROWS + 1
    except (TypeError, ValueError):
        return None


# pandera's names for structural checks, said for a person
CHECK_WORDS = {
    "column_in_dataframe": "column is in the file (it is missing)",
    "column_in_schema": "column is one the model expects (it is extra or renamed)",
    "not_nullable": "cell is not empty",
    "field_uniqueness": "value is unique in its column",
}
_EXCEPTION_TEXT = re.compile(r"^[A-Za-z]*(Error|Exception)\(")


def _words(check: str) -> str:
    if check in CHECK_WORDS:
        return CHECK_WORDS[check]
    if check.startswith("coerce_dtype("):
        return f"value converts to {check[len('coerce_dtype(') : -1]}"
    return check


def _mentioned(columns: Iterable[str], text: str) -> list[str]:
    """The column names that a check's message names, longest first, without overlaps."""
    spans: list[tuple[int, int, str]] = []
    for name in sorted(set(columns), key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", text):
            if all(match.end() <= a or match.start() >= b for a, b, _ in spans):
                spans.append((match.start(), match.end(), name))
    return [name for _, _, name in sorted(spans)]


def failures_from_schema_errors(exc: Any, file: str) -> list[Failure]:
    """Turn pandera's ``SchemaErrors.failure_cases`` into :class:`Failure` records, one per problem.

    - a missing or extra column is reported by its name;
    - a row-level check of the whole frame (e.g. a duplicate key) gives one failure per row, not
      one per cell, naming the columns its message mentions and their values;
    - follow-on noise is dropped: a check that could not run because a column is missing or a
      value did not convert (pandera reports the exception text as the "value").
    """
    import pandas as pd

    cases = exc.failure_cases
    has_root_cause = bool(
        cases["check"].astype(str).str.startswith(("column_in_dataframe", "coerce_dtype(")).any()
    ) if len(cases) else False  # fmt: skip
    out: list[Failure] = []
    frame_checks: dict[tuple[int, str], dict[str, Any]] = {}
    coerce_failed: set[tuple[Any, Any]] = set()
    for case in cases.itertuples(index=False):
        context = str(getattr(case, "schema_context", ""))
        column = getattr(case, "column", None)
        check = str(getattr(case, "check", ""))
        value = getattr(case, "failure_case", None)
        index = getattr(case, "index", None)
        if not isinstance(column, str):
            column = None
        try:
            if pd.isna(index):
                index = None
        except (TypeError, ValueError):
            pass
        try:
            if pd.isna(value):
                value = None
        except (TypeError, ValueError):
            pass
        if check.startswith("column_in_"):
            out.append(Failure(file=file, row=None, column=str(value), check=_words(check), value=None))
            continue
        if index is None and isinstance(value, str) and _EXCEPTION_TEXT.match(value) and has_root_cause:
            continue
        if check.startswith("coerce_dtype("):
            coerce_failed.add((column, index))
        elif check.startswith("dtype(") and (column, index) in coerce_failed:
            continue
        if context == "DataFrameSchema" and index is not None:
            frame_checks.setdefault((int(index), check), {})[column] = value
            continue
        out.append(Failure(file=file, row=row_number(index), column=column, check=_words(check), value=value))
    for (index, check), cells in frame_checks.items():
        named = _mentioned([c for c in cells if c], check)
        if named:
            column = ", ".join(named)
            values = [cells[c] for c in named]
            value = values[0] if len(values) == 1 else ", ".join(str(v) for v in values)
        else:
            column, value = None, ", ".join(f"{c}={v}" for c, v in cells.items() if c)
        out.append(Failure(file=file, row=row_number(index), column=column, check=check, value=value))
    # a stable order makes error messages reproducible
    out.sort(key=lambda f: (f.row is not None, f.row or 0, f.column or "", f.check, str(f.value)))
    return out
