"""Build ``sources``: the registry, checked against the source_ids that the datasets cite."""

from __future__ import annotations

import pandas as pd

from tipstats.errors import DataValidationError, Failure
from tipstats.sources import REGISTRY_FILE


def build(ctx) -> dict[str, pd.DataFrame]:
    registry = ctx.registry.copy()
    registry["bytes"] = pd.array(registry["bytes"].astype("Float64").round(), dtype="Int64")
    known = set(registry["source_id"])
    failures = []
    for name, frame in ctx.outputs.items():
        for column in [c for c in frame.columns if c == "source_id" or c.endswith("_source_id")]:
            for value in sorted(set(frame[column].dropna()) - known):
                failures.append(
                    Failure(
                        name, None, column, f"value is a source_id in {REGISTRY_FILE}", value, kind="rule"
                    )
                )
    if failures:
        raise DataValidationError(failures)
    return {"sources": registry.sort_values("source_id").reset_index(drop=True)}
