"""Raw inputs: which pandera model each raw file must satisfy, and reading them as text.

The file paths and model names come from the sources registry (``data/reference/sources.csv``,
columns ``raw_path`` and ``raw_model``); the models live beside the processed ones in ``schemas/<topic>.py``.
"""

from __future__ import annotations

import hashlib
import importlib
from collections import OrderedDict
from pathlib import Path

import pandas as pd

from tipstats.errors import DataValidationError, Failure
from tipstats.io import parse_raw_csv
from tipstats.schemas.base import validate
from tipstats.sources import read_registry, source_values


def raw_models(registry: pd.DataFrame) -> dict[str, str]:
    """source_id -> "topic:ModelName" for every source read as a CSV (the registry's ``raw_model``)."""
    return source_values(registry, "raw_model")


def raw_model(source_id: str, registry: pd.DataFrame | None = None):
    """The pandera model of ``source_id``'s raw file; ``registry`` defaults to the repository's."""
    name = raw_models(read_registry() if registry is None else registry)[source_id]
    topic, model = name.split(":")
    return getattr(importlib.import_module(f"tipstats.schemas.{topic}"), model)


# Validated raw frames of this process, keyed by (source_id, model, sha256 of the bytes): a file
# whose bytes did not change is parsed and validated once per process, however many builds
# read it (the test suite builds many times; one `tipstats build` reads each file once anyway).
# Only frames that validated are kept; failures carry the file's path, so they are recomputed.
_CACHE: OrderedDict[tuple[str, str, str], pd.DataFrame] = OrderedDict()
CACHE_SIZE = 48


_SHA: dict[tuple[int, int, int, int], str] = {}


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, remembered per (device, inode, size, modification time) in this process."""
    st = Path(path).stat()
    key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    if key not in _SHA:
        _SHA[key] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return _SHA[key]


def clear_cache() -> None:
    """Forget every validated raw frame (the next read parses and validates again)."""
    _CACHE.clear()
    _SHA.clear()


def read_raw(
    raw_dir: Path, source_id: str, raw_path: str, registry: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Read one raw CSV as text and validate it against its raw model (all failures at once).

    The model is the one ``registry`` (default: the repository's) names for ``source_id``.
    Returns a fresh copy: callers may change it freely.
    """
    registry = read_registry() if registry is None else registry
    path = Path(raw_dir) / raw_path
    label = str(path)
    if not path.is_file():
        raise DataValidationError([Failure(label, None, None, "file exists", str(path), kind="parse")])
    data = path.read_bytes()
    key = (source_id, raw_models(registry)[source_id], hashlib.sha256(data).hexdigest())
    frame = _CACHE.get(key)
    if frame is None:
        frame = validate(raw_model(source_id, registry), parse_raw_csv(data, label), label)
        _CACHE[key] = frame
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return frame.copy()


def read_text(raw_dir: Path, raw_path: str) -> str:
    from tipstats.io import decode_text

    path = Path(raw_dir) / raw_path
    return decode_text(path, str(path))
