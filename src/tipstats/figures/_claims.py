"""The report's own numbers, for the figures: read from the claims registry (``data/reference/claims.csv``).

A figure never types a number the report states: it asks the registry by ``claim_id``.
"""

from __future__ import annotations

import pandas as pd


def registry(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The claims registry indexed by ``claim_id`` (``frame`` if given, else the validated file)."""
    if frame is None:
        from tipstats.claims_audit.registry import load_registry

        frame = load_registry()
    return frame.set_index("claim_id", drop=False)


def claim(frame: pd.DataFrame, claim_id: str) -> pd.Series:
    """One registry row; ``KeyError`` naming the claim if the registry lacks it."""
    if claim_id not in frame.index:
        raise KeyError(f"claim {claim_id!r} is not in the claims registry")
    return frame.loc[claim_id]


def value(frame: pd.DataFrame, claim_id: str) -> float:
    """The reported number of a claim."""
    return float(claim(frame, claim_id)["reported_value"])


def date(frame: pd.DataFrame, claim_id: str) -> pd.Timestamp:
    """The reported date of a claim (unit ``date``)."""
    return pd.Timestamp(claim(frame, claim_id)["reported_value"])
