"""Raw inputs: which pandera model each raw file must satisfy, and reading them as text.

The file paths and model names come from the sources registry (``data/reference/sources.csv``,
columns ``raw_path`` and ``raw_model``); the models live beside the processed ones in ``schemas/<subject>.py``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

from tipstats.errors import DataValidationError, Failure
from tipstats.io import parse_raw_csv
from tipstats.schemas.base import validate
from tipstats.sources import read_registry, source_values


def raw_models(registry: pd.DataFrame) -> dict[str, str]:
    """source_id -> "subject:ModelName" for every source read as a CSV (the registry's ``raw_model``)."""
    return source_values(registry, "raw_model")


def raw_model(source_id: str, registry: pd.DataFrame | None = None):
    """The pandera model of ``source_id``'s raw file; ``registry`` defaults to the repository's."""
    name = raw_models(read_registry() if registry is None else registry)[source_id]
    subject, model = name.split(":")
    return getattr(importlib.import_module(f"tipstats.schemas.{subject}"), model)


def delimiter(source_id: str, registry: pd.DataFrame) -> str:
    """The cell separator of a raw CSV as received (the registry's ``delimiter``; a comma if empty)."""
    rows = registry.loc[registry["source_id"] == source_id]
    if "delimiter" not in registry.columns or rows.empty or pd.isna(rows["delimiter"].iloc[0]):
        return ","
    return str(rows["delimiter"].iloc[0])


def read_raw(
    raw_dir: Path, source_id: str, raw_path: str, registry: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Read one raw CSV as text and validate it against its raw model (all failures at once).

    The model is the one ``registry`` (default: the repository's) names for ``source_id``. The build
    context keeps what this returns, so each file is read once per build.
    """
    registry = read_registry() if registry is None else registry
    path = Path(raw_dir) / raw_path
    label = str(path)
    if not path.is_file():
        raise DataValidationError([Failure(label, None, None, "file exists", str(path), kind="parse")])
    frame = parse_raw_csv(path.read_bytes(), label, delimiter=delimiter(source_id, registry))
    return validate(raw_model(source_id, registry), frame, label)


def read_raw_passing(
    raw_dir: Path, source_id: str, raw_path: str, registry: pd.DataFrame | None = None
) -> tuple[pd.DataFrame | None, list[Failure]]:
    """Like :func:`read_raw`, but the rows that fail are set aside instead of failing the file.

    Returns ``(rows, failures)``: the rows that pass the raw model, with their original index (so
    that ``row_number(index)`` still names the spreadsheet row), and every failure. ``rows`` is
    None when the file as a whole is unusable (missing, not readable as CSV, a column missing: a
    failure with no row), or when the remaining rows still fail a check of the whole table.
    """
    try:
        return read_raw(raw_dir, source_id, raw_path, registry), []
    except DataValidationError as exc:
        failures = exc.failures
    if any(f.row is None or f.kind == "parse" for f in failures):  # no table to take rows from
        return None, failures
    registry = read_registry() if registry is None else registry
    path = Path(raw_dir) / raw_path
    frame = parse_raw_csv(path.read_bytes(), str(path), delimiter=delimiter(source_id, registry))
    bad = {f.row - 2 for f in failures}  # spreadsheet row -> position (header = row 1)
    rows = frame.drop(index=[i for i in frame.index if i in bad])
    try:
        return raw_model(source_id, registry).validate(rows, lazy=True), failures
    except Exception:  # a check of the whole table still fails without the bad rows
        return None, failures


def read_text(raw_dir: Path, raw_path: str) -> str:
    from tipstats.io import decode_text

    path = Path(raw_dir) / raw_path
    return decode_text(path, str(path))
