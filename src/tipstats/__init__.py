"""tipstats: curated, validated statistics on trafficking in persons.

Every dataset is validated by its pandera model before it is returned, and every row
carries a ``source_id`` that points into the ``sources`` registry.

>>> import tipstats
>>> "treaty_events" in tipstats.list_datasets()
True

Heavy modules (pandera, matplotlib, statsmodels) are imported only when needed, so
``import tipstats`` costs little more than ``import pandas``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tipstats._loaders import *  # noqa: F403  (load_<name>() for every dataset; generated, imports nothing heavy)
from tipstats._loaders import __all__ as _loader_names

__version__ = "0.1.0"

# name -> "module:attribute"; resolved on first use (PEP 562) to keep the import light.
_LAZY = {
    "list_datasets": "tipstats.datasets:list_datasets",
    "load": "tipstats.loaders:load",
    "describe": "tipstats.loaders:describe",
    "parties_as_of": "tipstats.analysis.treaty:parties_as_of",
    "party_count_as_of": "tipstats.analysis.treaty:party_count_as_of",
    "party_count_range": "tipstats.analysis.treaty:party_count_range",
    "known_vs_official": "tipstats.analysis.treaty:known_vs_official",
    "aggregate": "tipstats.analysis.glotip:aggregate",
    "search": "tipstats.discover:search",
    "audit": "tipstats.claims_audit:audit",
    "claims": "tipstats.claims_audit:audit",  # the earlier name of audit(), kept as an alias
}

if TYPE_CHECKING:  # pragma: no cover
    from tipstats.analysis.glotip import aggregate
    from tipstats.analysis.treaty import (
        known_vs_official,
        parties_as_of,
        party_count_as_of,
        party_count_range,
    )
    from tipstats.claims_audit import audit
    from tipstats.claims_audit import audit as claims
    from tipstats.datasets import list_datasets
    from tipstats.discover import search
    from tipstats.loaders import describe, load


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        module, attr = _LAZY[name].split(":")
        value = getattr(importlib.import_module(module), attr)
    else:
        raise AttributeError(f"module 'tipstats' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "__version__",
    "aggregate",
    "audit",
    "claims",
    "describe",
    "known_vs_official",
    "list_datasets",
    "load",
    "parties_as_of",
    "party_count_as_of",
    "party_count_range",
    "search",
    *_loader_names,
]
