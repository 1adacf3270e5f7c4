"""``load(name)``, ``load_<name>()`` and ``describe(name)``: validated DataFrames, never a write."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from tipstats.datasets import get
from tipstats.io import read_processed_csv
from tipstats.paths import processed_dir
from tipstats.schemas.base import validate


@cache
def _load_validated(name: str, folder: str) -> pd.DataFrame:
    spec = get(name)
    model = spec.model_class()
    path = Path(folder) / spec.filename
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: run `make data` (or `tipstats build`) in a checkout, "
            "or install the package from a wheel that ships its data"
        )
    frame = read_processed_csv(path, model.to_schema())
    return validate(model, frame, str(path))


def load(name: str) -> pd.DataFrame:
    """Load dataset ``name`` as a DataFrame, validated by its pandera model.

    >>> import tipstats
    >>> events = tipstats.load("treaty_events")
    >>> {"iso3", "treaty", "action_date", "source_id"} <= set(events.columns)
    True
    """
    return _load_validated(name, str(processed_dir())).copy()


def describe(name: str) -> dict[str, Any]:
    """Title, description, as-of, key, columns, caveats and sources of dataset ``name``.

    >>> import tipstats
    >>> info = tipstats.describe("population")
    >>> [c["name"] for c in info["columns"]][:2]
    ['iso3', 'year']
    """
    from tipstats.metadata import model_info, source_ids_in

    info = model_info(name)
    frame = load(name)
    sources = load("sources").set_index("source_id")
    used = [s for s in source_ids_in(frame) if s in sources.index]
    info["rows"] = len(frame)
    fields = ("citation", "url", "repository", "commit", "licence")
    info["sources"] = [
        {"source_id": s, **{f: None if pd.isna(sources.loc[s, f]) else sources.loc[s, f] for f in fields}}
        for s in used
    ]
    return info


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


def named_loader(name: str) -> Callable[[], pd.DataFrame]:
    """``load_<name>``: the same as ``load(name)``, with a docstring that tables every column."""
    from tipstats.metadata import model_info

    get(name)
    info = model_info(name)

    def loader() -> pd.DataFrame:
        return load(name)

    loader.__name__ = loader.__qualname__ = f"load_{name}"
    caveats = "\n".join(f"- {c}" for c in info["caveats"])
    indented = "\n".join("    " + line for line in column_table(name).splitlines())
    loader.__doc__ = f"{info['title']}.\n\n{info['description']}\n\nColumns\n-------\n{indented}\n" + (
        f"\nCaveats\n-------\n{caveats}\n" if caveats else ""
    )
    return loader
