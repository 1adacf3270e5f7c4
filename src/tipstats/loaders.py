"""``load(name)`` and ``describe(name)``: validated DataFrames, never a write (``load_<name>()`` are in
the generated ``_loaders.py``)."""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from tipstats.datasets import get
from tipstats.io import DESCRIPTOR, descriptor_resources, promised_dtype, read_processed_csv, read_typed_csv
from tipstats.paths import processed_dir


def _descriptor_hashes(folder: Path) -> dict[str, str]:
    """sha256 of each dataset file as recorded by the build that validated it (datapackage.json)."""
    path = folder / DESCRIPTOR
    if not path.exists():
        return {}
    info = path.stat()
    return _parse_descriptor_hashes(str(path), (info.st_mtime_ns, info.st_size))


@cache
def _parse_descriptor_hashes(path: str, stamp: tuple[int, int]) -> dict[str, str]:
    resources = descriptor_resources(Path(path))
    return {name: str(r.get("hash", "")).removeprefix("sha256:") for name, r in resources.items()}


def _as_promised(frame: pd.DataFrame, kinds: dict[str, str], path: Path) -> pd.DataFrame:
    """Columns in the promised order, each with the dtype the model promises (what coercion would give)."""
    expected = list(kinds)
    if list(frame.columns) != expected:
        raise ValueError(f"{path}: columns {list(frame.columns)} differ from the model's {expected}")
    current = frame.dtypes
    for name, kind in kinds.items():
        target = promised_dtype(kind)
        if current[name] != target:
            try:
                frame[name] = frame[name].astype(target)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{path}: column {name!r} is not {kind} ({exc})") from None
    return frame


# Above this size the file is hashed in a second thread while pandas parses it (hashlib releases the GIL),
# so on two cores the hash costs no time; below it a thread costs more than it saves.
_HASH_BESIDE_BYTES = 1 << 20


def _sha256_beside(raw: bytes, work: Callable[[], Any]) -> tuple[str, Any]:
    """``(sha256 of raw, work())``, the two computed at once; an exception of ``work`` is returned, not
    raised, since whether it matters depends on the hash."""
    digest: list[str] = []

    def attempt() -> Any:
        try:
            return work()
        except (TypeError, ValueError) as exc:
            return exc

    if len(raw) < _HASH_BESIDE_BYTES:
        return hashlib.sha256(raw).hexdigest(), attempt()
    thread = threading.Thread(target=lambda: digest.append(hashlib.sha256(raw).hexdigest()), daemon=True)
    thread.start()
    try:
        result = attempt()
    finally:
        thread.join()
    return digest[0], result


@cache
def _load_validated(name: str, folder: str, stamp: tuple[int, int], mode: str) -> pd.DataFrame:
    spec = get(name)
    path = Path(folder) / spec.filename
    raw = path.read_bytes()  # read once: hashed and parsed from the same bytes
    recorded = _descriptor_hashes(Path(folder)).get(name) if mode != "full" else None
    if recorded:
        from tipstats._loaders import COLUMNS

        kinds = dict(COLUMNS[name])
        # The typed read starts before the hash is known; its result is used only if the hash matches.
        digest, frame = _sha256_beside(raw, lambda: read_typed_csv(raw, kinds))
        if digest == recorded:
            # The bytes are exactly those that passed the full pandera model when the build wrote them:
            # check the structure and dtypes with pandas alone (the promised dtypes are generated into
            # _loaders.py).
            if isinstance(frame, Exception):
                raise ValueError(f"{path}: {frame}") from None
            return _as_promised(frame, kinds, path)
    from tipstats.schemas.base import validate as validate_frame

    model = spec.model_class()
    frame = read_processed_csv(io.BytesIO(raw), model.to_schema())
    return validate_frame(model, frame, str(path))


def load(name: str, *, validate: str = "auto") -> pd.DataFrame:
    """Load dataset ``name`` as a DataFrame, validated by its pandera model.

    ``validate="auto"`` (default): when the file's SHA-256 equals the one recorded in
    ``datapackage.json`` by the build that validated it, only columns and dtypes are checked;
    any other file (edited, or from another build) is validated in full against the model.
    ``validate="full"`` always runs the full pandera model (every check, lazily).

    >>> import tipstats
    >>> events = tipstats.load("treaty_events")
    >>> {"iso3", "treaty", "action_date", "source_id"} <= set(events.columns)
    True
    """
    if validate not in {"auto", "full"}:
        raise ValueError(f"validate must be 'auto' or 'full', not {validate!r}")
    folder = processed_dir()
    if not folder.exists():  # a build killed between its two renames set the last one aside
        from tipstats.publish import recover

        recover(folder)
    path = folder / get(name).filename
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: run `make data` (or `tipstats build`) in a checkout, "
            "or install the package from a wheel that ships its data"
        )
    info = path.stat()
    # A shallow copy of the kept frame: under pandas 3's copy-on-write a change the caller makes (a cell, a
    # column, an in-place method) copies what it touches and never reaches the kept frame, and a deep copy
    # would cost a third of a plain read of glotip on every load, the first included.
    return _load_validated(name, str(folder), (info.st_mtime_ns, info.st_size), validate).copy(deep=False)


def describe(name: str):
    """What dataset ``name`` is: a :class:`~tipstats.discover.Description` (prints as text, renders as
    HTML in a notebook; attributes ``title``, ``columns``, ``caveats``, ``sources`` ...).

    >>> import tipstats
    >>> tipstats.describe("population").key
    ['iso3', 'year']
    """
    from tipstats.discover import describe as _describe

    return _describe(name)


def column_table(name: str) -> str:
    """A numpydoc-style table of the columns of ``name`` (for docstrings and ``tipstats info``)."""
    from tipstats.metadata import model_info

    info = model_info(name)
    width = max(len(c["name"]) for c in info["columns"])
    lines = []
    for col in info["columns"]:
        unit = f" [{col['unit']}]" if col["unit"] else ""
        lines.append(f"{col['name']:<{width}}  {col['dtype']}{unit}: {col['description']}")
    return "\n".join(lines)
