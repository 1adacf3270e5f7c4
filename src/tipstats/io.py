"""Reading raw text files tolerantly, writing processed files deterministically and atomically."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tipstats.errors import DataValidationError, Failure

NA_VALUES = [""]
BOM = b"\xef\xbb\xbf"


DESCRIPTOR = "datapackage.json"


def descriptor_resources(path: Path) -> dict[str, dict[str, Any]]:
    """The resources of a ``datapackage.json`` by dataset name; a ValueError naming the file if it is broken."""
    try:
        resources = json.loads(Path(path).read_text(encoding="utf-8"))["resources"]
        return {r["name"]: r for r in resources}
    except (ValueError, KeyError, TypeError) as exc:  # truncated or hand-edited
        raise ValueError(
            f"{path}: not a readable descriptor ({type(exc).__name__}: {exc}); rebuild with `tipstats build`"
        ) from None


def decode_text(path: Path, label: str) -> str:
    """Bytes to text: UTF-8 with an optional byte-order mark; CRLF becomes LF.

    A byte that is not UTF-8 is reported with its row, never guessed at.
    """
    return decode_bytes(Path(path).read_bytes(), label)


def decode_bytes(data: bytes, label: str) -> str:
    """:func:`decode_text` for bytes already read (so a file is read, hashed and parsed from one read)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (len(BOM) if data.startswith(BOM) else 0)  # the codec counts after the BOM
        row = data[:start].count(b"\n") + 1
        bad = data[start : start + 4]
        raise DataValidationError(
            [Failure(label, row, None, "file is UTF-8 text", bad, kind="parse")]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_raw_csv(path: Path, label: str, *, min_rows: int = 1, delimiter: str = ",") -> pd.DataFrame:
    """Read a raw CSV exactly as text: every cell a string, empty cells missing.

    Harmless variations (byte-order mark, CRLF line ends, white space around header
    names, blank lines at the end) are normalised here so that they give the same
    processed bytes. Structural defects are reported with their spreadsheet row: a
    row with more or fewer cells than the header (a truncated or merged line), an
    unclosed quote, a blank line inside the file, an empty or repeated header name.
    ``delimiter``: the file's cell separator as received (the sources registry says it).
    """
    path = Path(path)
    if not path.exists():
        raise DataValidationError([Failure(label, None, None, "file exists", str(path), kind="parse")])
    return parse_raw_csv(path.read_bytes(), label, min_rows=min_rows, delimiter=delimiter)


def parse_raw_csv(data: bytes, label: str, *, min_rows: int = 1, delimiter: str = ",") -> pd.DataFrame:
    """:func:`read_raw_csv` for the bytes of a file."""
    try:
        text = decode_bytes(data, label)
    except DataValidationError as exc:
        raise DataValidationError([_locate_bad_byte(data, label, exc.failures[0], delimiter)]) from None
    if not text.strip():
        raise DataValidationError([Failure(label, None, None, "file is not empty", None, kind="parse")])
    check_csv_structure(text, label, delimiter=delimiter)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            sep=delimiter,
            keep_default_na=False,
            na_values=NA_VALUES,
            skipinitialspace=False,
        )
    except (
        pd.errors.ParserError,
        csv.Error,
        ValueError,
    ) as exc:  # pragma: no cover - structure checked above
        raise DataValidationError(
            [
                Failure(
                    label, _parser_row(str(exc)), None, "file parses as CSV", str(exc).strip(), kind="parse"
                )
            ]
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame) < min_rows:
        raise DataValidationError(
            [
                Failure(
                    label, None, None, f"file has at least {min_rows} data row(s)", len(frame), kind="parse"
                )
            ]
        )
    return frame


def _locate_bad_byte(data: bytes, label: str, failure: Failure, delimiter: str = ",") -> Failure:
    """The spreadsheet row and the column of the first byte that is not UTF-8 (a quoted cell may span lines)."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (len(BOM) if data.startswith(BOM) else 0)
    else:  # pragma: no cover - only called on bad bytes
        return failure
    before = data[:start].decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    records = list(
        csv.reader(io.StringIO(before + "\x00"), delimiter=delimiter)
    )  # the sentinel keeps a last empty cell visible
    if not records:
        return failure
    first_line = data.decode("utf-8-sig", errors="replace").split("\n", 1)[0]
    header = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
    position = len(records[-1]) - 1
    column = header[position].strip() if len(records) > 1 and position < len(header) else None
    return Failure(label, len(records), column, failure.check, failure.value, kind="parse")


def check_csv_structure(text: str, label: str, *, limit: int = 100, delimiter: str = ",") -> None:
    """Raise :class:`DataValidationError` for every row whose shape is wrong (up to ``limit``).

    Rows are records, as a spreadsheet numbers them (header = row 1), so a quoted cell that
    spans lines still counts as one row.
    """
    failures: list[Failure] = []
    reader = csv.reader(io.StringIO(text), strict=True, delimiter=delimiter)
    row = 0
    blank: int | None = None  # first blank row not yet followed by data
    try:
        header = next(reader)
        row = 1
        names = [name.strip() for name in header]
        for position, name in enumerate(names, start=1):
            if not name:
                failures.append(
                    Failure(label, 1, f"#{position}", "every header cell has a name", "", kind="parse")
                )
        for name in sorted({n for n in names if n and names.count(n) > 1}):
            failures.append(Failure(label, 1, name, "header names are unique", name, kind="parse"))
        width = len(header)
        for record in reader:
            row += 1
            if not record:
                blank = row if blank is None else blank
                continue
            if blank is not None:
                failures.append(
                    Failure(label, blank, None, "no blank line inside the file", None, kind="parse")
                )
                blank = None
            if len(record) != width and len(failures) < limit:
                failures.append(
                    Failure(
                        label, row, None, f"row has as many cells as the header ({width})", f"{len(record)} cells",
                        kind="parse",
                    )
                )  # fmt: skip
    except csv.Error as exc:
        failures.append(
            Failure(label, row + 1, None, "row is well-formed CSV (quotes closed)", str(exc), kind="parse")
        )
    if failures:
        raise DataValidationError(failures)


def _parser_row(message: str) -> int | None:
    import re

    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


# -- processed output -------------------------------------------------------------------------


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Deterministic CSV: LF line ends, ISO dates, no index, stable float text."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_json(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_atomically(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file beside it, then one rename."""

    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a folder; give a file name to write to")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        if temporary.parent.is_dir():
            temporary.unlink(missing_ok=True)


def write_text(text: str, path: Path) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all (:func:`write_atomically`)."""
    write_atomically(text.encode("utf-8"), path)


# -- processed input --------------------------------------------------------------------------


_STR = pd.StringDtype(na_value=float("nan"))  # pandas 3's default `str` dtype
_INT = pd.Int64Dtype()
_FLOAT = np.dtype("float64")


def schema_kinds(schema: Any) -> dict[str, str]:
    """The dtype name each column of a pandera schema promises (``str(column.dtype)``), in column order.

    Strings are named ``str`` whatever their storage: pandas 3 stores them with pyarrow when it is
    installed and in Python otherwise, and the generated column table must not depend on that.
    """
    kinds = {name: str(column.dtype) for name, column in schema.columns.items()}
    return {name: "str" if kind.startswith(("string", "str")) else kind for name, kind in kinds.items()}


def promised_dtype(kind: str) -> Any:
    """The pandas dtype a column of dtype name ``kind`` has once loaded (what pandera's coercion gives)."""
    if kind.startswith(("string", "str")):
        return _STR
    if kind == "boolean":
        return pd.BooleanDtype()
    return pd.api.types.pandas_dtype(kind)


def _read_plan(kinds: dict[str, str]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Dtype objects per column (strings are resolved once, not per read), date and boolean columns."""
    dtypes: dict[str, Any] = {}
    dates: list[str] = []
    bools: list[str] = []
    for name, kind in kinds.items():
        if kind.startswith("datetime64"):
            dates.append(name)
            dtypes[name] = _STR
        elif kind in {"bool", "boolean"}:
            bools.append(name)
            dtypes[name] = _STR
        elif kind.lower().startswith(("int", "uint")):
            dtypes[name] = _INT
        elif kind.startswith("float"):
            dtypes[name] = _FLOAT
        else:
            dtypes[name] = _STR
    return dtypes, dates, bools


def read_processed_csv(path: Any, schema: Any) -> pd.DataFrame:
    """Read a processed CSV (a path or a binary buffer) with the dtypes its pandera schema promises."""
    return read_typed_csv(path, schema_kinds(schema))


# pandas 3.1 parses a large file on several threads when it reads it from a path, not from a buffer. The
# loader parses the very bytes it hashed (never a second read of the file, which could differ), so a large
# file's bytes are handed to pandas as an anonymous in-memory file (Linux memfd), read through its path.
# Only with pyarrow strings: Python string objects are built under the GIL, so threads gain nothing there.
_MEMFD_MIN_BYTES = 5 << 20


def _read_csv_bytes(data: bytes, **options: Any) -> pd.DataFrame:
    """``pd.read_csv`` of ``data``: through an in-memory file's path when large and possible, else a buffer."""
    if len(data) >= _MEMFD_MIN_BYTES and _STR.storage == "pyarrow" and hasattr(os, "memfd_create"):
        try:
            fd = os.memfd_create("tipstats-read", os.MFD_CLOEXEC)
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                view, written = memoryview(data), 0
                while written < len(data):
                    written += os.write(fd, view[written:])
                path = f"/proc/self/fd/{fd}"
                if os.path.getsize(path) == len(data):  # /proc is mounted and shows this file
                    return pd.read_csv(path, **options)
            finally:
                os.close(fd)
    return pd.read_csv(io.BytesIO(data), **options)


def read_typed_csv(path: Any, kinds: dict[str, str]) -> pd.DataFrame:
    """Read a processed CSV with the dtypes named by ``kinds`` (column -> dtype name); needs pandas only.

    ``path``: a path, a binary buffer (read from its current position) or the file's bytes.
    """
    dtypes, dates, bools = _read_plan(kinds)
    if not isinstance(path, bytes | bytearray):
        path = path.read() if hasattr(path, "read") else Path(path).read_bytes()
    text = []
    if _STR.storage == "pyarrow":
        # With pyarrow, pandas' own inference builds string columns about twice as fast as an explicit
        # `str` dtype; a text column it reads as anything else (all numbers, all True/False, all empty,
        # or a mix of those across parts) is read again below as text, so no cell is ever reinterpreted.
        text = [name for name, dtype in dtypes.items() if dtype is _STR and name not in dates + bools]
        dtypes = {name: dtype for name, dtype in dtypes.items() if name not in text}
    frame = _read_csv_bytes(path, dtype=dtypes, keep_default_na=False, na_values=NA_VALUES)
    again = [name for name in text if name in frame and frame[name].dtype != _STR]
    if again:
        as_text = pd.read_csv(
            io.BytesIO(path), usecols=again, dtype=_STR, keep_default_na=False, na_values=NA_VALUES
        )
        for name in again:
            frame[name] = as_text[name]
    for name in dates:
        if name in frame:
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    for name in bools:
        if name in frame:
            frame[name] = frame[name].map({"True": True, "False": False}).astype("boolean")
    return frame
