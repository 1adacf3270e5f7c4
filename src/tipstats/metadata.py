"""The Frictionless ``datapackage.json`` and the human codebook, both generated from the models.

Nothing here is written by hand: titles, descriptions, caveats and keys come from each
model's ``Config``; columns, units and descriptions from its fields; sources from the
``source_id`` values in the data and the sources registry; hash and size from the bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tipstats import __version__
from tipstats.datasets import DATASETS, get
from tipstats.io import DESCRIPTOR, descriptor_resources, write_json, write_text  # noqa: F401  (re-exported)
from tipstats.sources import sha256_of

CODEBOOK = "codebook.md"


FRICTIONLESS_TYPES = {
    "str": "string",
    "string": "string",
    "float64": "number",
    "bool": "boolean",
    "boolean": "boolean",
}


def frictionless_type(dtype: str) -> str:
    if dtype.startswith("datetime64"):
        return "date"
    if dtype.lower().startswith(("int", "uint")):
        return "integer"
    return FRICTIONLESS_TYPES.get(dtype, "string")


def model_info(name: str) -> dict[str, Any]:
    """Title, description, key, caveats and as-of date of a dataset, from its model."""
    model = get(name).model_class()
    config = model.Config
    meta = dict(getattr(config, "metadata", None) or {})
    return {
        "name": name,
        "title": getattr(config, "title", None) or name,
        "description": " ".join((getattr(config, "description", None) or "").split()),
        "key": list(meta.get("key", [])),
        "caveats": list(meta.get("caveats", [])),
        "as_of": meta.get("as_of", ""),
        "columns": _column_docs(model),
    }


def source_ids_in(frame: pd.DataFrame) -> list[str]:
    ids: set[str] = set()
    for column in frame.columns:
        if column == "source_id" or column.endswith("_source_id"):
            ids.update(str(v) for v in frame[column].dropna().unique())
    return sorted(ids)


def _source_record(row: pd.Series) -> dict[str, str]:
    record = {"title": row["title"], "id": row["source_id"], "citation": row["citation"]}
    if isinstance(row.get("url"), str):
        record["path"] = row["url"]
    if isinstance(row.get("repository"), str):
        record["repository"] = f"{row['repository']}@{row.get('commit', '')}"
    record["licence"] = row["licence"]
    return record


def descriptor(out_dir: Path, datasets: dict[str, pd.DataFrame]) -> dict[str, Any]:
    registry = datasets["sources"].set_index("source_id", drop=False)
    resources = []
    for name, frame in datasets.items():
        info = model_info(name)
        path = out_dir / DATASETS[name].filename
        fields = []
        for col in info["columns"]:
            text = col["description"] + (f" Unit: {col['unit']}." if col["unit"] else "")
            spec: dict[str, Any] = {
                "name": col["name"],
                "type": frictionless_type(col["dtype"]),
                "description": text,
            }
            if spec["type"] == "date":
                spec["format"] = "%Y-%m-%d"
            constraints = {}
            if not col["nullable"]:
                constraints["required"] = True
            if col["unique"]:
                constraints["unique"] = True
            if constraints:
                spec["constraints"] = constraints
            fields.append(spec)
        schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
        if info["key"]:
            schema["primaryKey"] = info["key"]
        if "source_id" in frame.columns and name != "sources":
            schema["foreignKeys"] = [
                {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}}
            ]
        used = [s for s in source_ids_in(frame) if s in registry.index]
        resource = {
            "name": name,
            "path": DATASETS[name].filename,
            "title": info["title"],
            "description": info["description"],
            "as_of": str(info["as_of"]),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": path.stat().st_size,
            "hash": f"sha256:{sha256_of(path)}",
            "sources": [_source_record(registry.loc[s]) for s in used],
            "licenses": [
                {"name": "other", "title": t} for t in sorted({registry.loc[s, "licence"] for s in used})
            ],
            "schema": schema,
        }
        if info["caveats"]:
            resource["caveats"] = info["caveats"]
        resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": "tipstats",
        "title": "tipstats: curated statistics on trafficking in persons",
        "version": __version__,
        "description": (
            "Curated, validated datasets behind the UN Secretary-General's report A/76/120 (2021). "
            "Every row carries a source_id that points into the sources resource."
        ),
        "licenses": [
            {
                "name": "MIT",
                "title": "tipstats code and curation (the data keep their sources' terms; see each resource)",
            }
        ],
        "resources": resources,
    }


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook(datasets: dict[str, pd.DataFrame]) -> str:
    registry = datasets["sources"].set_index("source_id", drop=False)
    out = [
        "# tipstats codebook",
        "",
        "Generated from the pandera models by `tipstats build`; do not edit by hand.",
        "Row counts are those of this build. Units are given where a column measures something.",
        "",
        "| dataset | title | rows |",
        "|---|---|---|",
    ]
    for name, frame in datasets.items():
        out.append(f"| [`{name}`](#{name}) | {_cell(model_info(name)['title'])} | {len(frame)} |")
    for name, frame in datasets.items():
        info = model_info(name)
        out += ["", f"## {name}", "", f"**{info['title']}**", "", info["description"], ""]
        if info["as_of"]:
            out.append(f"- As of: {info['as_of']}")
        if info["key"]:
            out.append(f"- Key: {', '.join(f'`{k}`' for k in info['key'])}")
        out.append(f"- Rows: {len(frame)}; file `{DATASETS[name].filename}`")
        out += ["", "| column | type | unit | nullable | description |", "|---|---|---|---|---|"]
        for col in info["columns"]:
            out.append(
                f"| `{col['name']}` | {col['dtype']} | {_cell(col['unit'])} | "
                f"{'yes' if col['nullable'] else 'no'} | {_cell(col['description'])} |"
            )
        if info["caveats"]:
            out += ["", "Caveats:", ""] + [f"- {_cell(c)}" for c in info["caveats"]]
        used = [s for s in source_ids_in(frame) if s in registry.index]
        if used:
            out += ["", "Sources:", ""]
            for s in used:
                row = registry.loc[s]
                repo = (
                    f" Repository `{row['repository']}` at `{row['commit']}`."
                    if isinstance(row["repository"], str)
                    else ""
                )
                out.append(f"- `{s}`: {_cell(row['citation'])}{repo} Licence: {_cell(row['licence'])}.")
    return "\n".join(out) + "\n"


def write_metadata(out_dir: Path, datasets: dict[str, pd.DataFrame]) -> None:
    write_json(descriptor(out_dir, datasets), out_dir / DESCRIPTOR)
    write_text(codebook(datasets), out_dir / CODEBOOK)


def _column_docs(model: Any) -> list[dict[str, Any]]:
    # the models import pandera: only when metadata is asked for
    from tipstats.schemas.base import column_docs

    return column_docs(model)
