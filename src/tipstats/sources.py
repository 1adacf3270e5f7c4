"""The sources registry (``data/reference/sources.csv``) and the integrity of the raw files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from tipstats.errors import Failure
from tipstats.io import read_raw_csv
from tipstats.paths import REFERENCE_DIR

REGISTRY_FILE = "sources.csv"


def read_registry(reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """The registry as text columns, one row per source_id."""
    return read_raw_csv(Path(reference_dir) / REGISTRY_FILE, str(Path(reference_dir) / REGISTRY_FILE))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def integrity_failures(raw_dir: Path, registry: pd.DataFrame) -> list[Failure]:
    """Raw files whose bytes differ from the sha256 recorded in the registry, by name."""
    failures = []
    for row in registry.dropna(subset=["raw_path"]).itertuples(index=False):
        path = Path(raw_dir) / row.raw_path
        if not path.exists():
            failures.append(Failure(str(path), None, None, "raw file exists", None, kind="integrity"))
            continue
        actual = sha256_of(path)
        if actual != row.sha256:
            failures.append(
                Failure(
                    str(path),
                    None,
                    None,
                    f"sha256 equals the registry's {row.sha256[:12]}…",
                    actual[:12] + "…",
                    kind="integrity",
                )
            )
    return failures
