"""Data errors presented for a person: file, row, column, check and value.

Row numbers follow a spreadsheet: row 1 is the header, so the first data row is row 2.
"""

from __future__ import annotations

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


def row_number(index_label: Any) -> int | None:
    """Spreadsheet row of a positional index label (0-based data row)."""
    try:
        return int(index_label) + HEADER_ROWS + 1
    except (TypeError, ValueError):
        return None


def failures_from_schema_errors(exc: Any, file: str) -> list[Failure]:
    """Turn pandera's ``SchemaErrors.failure_cases`` into :class:`Failure` records."""
    cases = exc.failure_cases
    out: list[Failure] = []
    for case in cases.itertuples(index=False):
        column = getattr(case, "column", None)
        check = str(getattr(case, "check", ""))
        value = getattr(case, "failure_case", None)
        index = getattr(case, "index", None)
        if column is None or (isinstance(column, float)):
            column = None
        # pandera reports a missing/extra column with the column name as the failure case
        if check.startswith("column_in_") or "column_in_dataframe" in check:
            column, value = str(value), None
        try:
            import pandas as pd

            if pd.isna(value):
                value = None
        except (TypeError, ValueError):
            pass
        out.append(Failure(file=file, row=row_number(index), column=column, check=check, value=value))
    # a stable order makes error messages reproducible
    out.sort(key=lambda f: (f.row is not None, f.row or 0, f.column or "", f.check, str(f.value)))
    return out
