"""The report's own numbers, for the figures: read from the claims registry (``data/reference/claims.csv``).

A figure never types a number the report states: it asks the registry by ``claim_id``.
"""

from __future__ import annotations

import pandas as pd


def registry(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The claims registry indexed by ``claim_id`` (``frame`` if given, else the validated file).

    The validated file comes from the results cache while the registry, the report and the code are unchanged:
    validating it needs pandera, whose import is most of a second of every notebook's first figure.
    """
    if frame is None:
        from tipstats.cache import cached_frame

        frame = cached_frame("tipstats.claims_audit.registry.load_registry", _validated_registry)
    return frame.set_index("claim_id", drop=False)


def _validated_registry() -> pd.DataFrame:
    from tipstats.claims_audit.registry import load_registry

    return load_registry()


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
