"""Reading raw text files tolerantly, writing processed files deterministically and atomically."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from tipstats.errors import DataValidationError, Failure

NA_VALUES = [""]


def decode_text(path: Path, label: str) -> str:
    """Bytes to text: UTF-8 with an optional byte-order mark; CRLF becomes LF.

    A byte that is not UTF-8 is reported with its row, never guessed at.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.start + 4]
        raise DataValidationError(
            [Failure(label, row, None, "file is UTF-8 text", bad, kind="parse")]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_raw_csv(path: Path, label: str, *, min_rows: int = 1) -> pd.DataFrame:
    """Read a raw CSV exactly as text: every cell a string, empty cells missing.

    Harmless variations (byte-order mark, CRLF line ends, white space around header
    names) are normalised here so that they give the same processed bytes.
    """
    if not path.exists():
        raise DataValidationError([Failure(label, None, None, "file exists", str(path), kind="parse")])
    text = decode_text(path, label)
    if not text.strip():
        raise DataValidationError([Failure(label, None, None, "file is not empty", None, kind="parse")])
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_values=NA_VALUES,
            skipinitialspace=False,
        )
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
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


def write_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@contextlib.contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``target`` whole.

    On any error the staging folder is removed and ``target`` is left as it was, so a
    failed build never publishes half its outputs.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex[:8]
    staging = target.parent / f".{target.name}.staging-{token}"
    backup = target.parent / f".{target.name}.old-{token}"
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        os.replace(target, backup)
    try:
        os.replace(staging, target)
    except BaseException:
        if backup.exists():
            os.replace(backup, target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


# -- processed input --------------------------------------------------------------------------


def read_processed_csv(path: Path, schema: Any) -> pd.DataFrame:
    """Read a processed CSV with the dtypes its pandera schema promises (before validation)."""
    dtypes: dict[str, str] = {}
    dates: list[str] = []
    bools: list[str] = []
    for name, column in schema.columns.items():
        kind = str(column.dtype)
        if kind.startswith("datetime64"):
            dates.append(name)
            dtypes[name] = "str"
        elif kind in {"bool", "boolean"}:
            bools.append(name)
            dtypes[name] = "str"
        elif kind.lower().startswith(("int", "uint")):
            dtypes[name] = "Int64"
        elif kind.startswith("float"):
            dtypes[name] = "float64"
        else:
            dtypes[name] = "str"
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=NA_VALUES)
    for name in dates:
        if name in frame:
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    for name in bools:
        if name in frame:
            frame[name] = frame[name].map({"True": True, "False": False}).astype("boolean")
    return frame
