"""The dataset registry: every public dataset, its subject (builder module) and its pandera model.

Titles, descriptions and caveats live on the model itself (``Config.title``,
``Config.description``, ``Config.metadata``), so each fact is written once.
This module imports nothing heavy: ``list_datasets()`` is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    name: str
    subject: str  # tipstats.pipeline.<subject> builds it; tipstats.schemas.<subject> holds its model
    model: str  # class name in tipstats.schemas.<subject>

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def model_class(self):
        import importlib

        return getattr(importlib.import_module(f"tipstats.schemas.{self.subject}"), self.model)


# Build order: a subject may use the outputs of the subjects before it.
SUBJECTS = (
    "countries",
    "population",
    "treaty",
    "legislation",
    "glotip",
    "victims",
    "convictions",
    "trust_fund",
    "sources",
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset("countries", "countries", "Countries"),
        Dataset("country_names", "countries", "CountryNames"),
        Dataset("population", "population", "Population"),
        Dataset("treaty_events", "treaty", "TreatyEvents"),
        Dataset("treaty_status", "treaty", "TreatyStatus"),
        Dataset("party_counts", "treaty", "PartyCounts"),
        Dataset("legislation", "legislation", "Legislation"),
        Dataset("legislation_panel", "legislation", "LegislationPanel"),
        Dataset("legislation_counts", "legislation", "LegislationCounts"),
        Dataset("glotip", "glotip", "Glotip"),
        Dataset("glotip_quarantine", "glotip", "GlotipQuarantine"),
        Dataset("victim_shares", "victims", "VictimShares"),
        Dataset("exploitation_shares", "victims", "ExploitationShares"),
        Dataset("convictions", "convictions", "Convictions"),
        Dataset("trust_fund", "trust_fund", "TrustFund"),
        Dataset("sources", "sources", "Sources"),
    ]
}


def list_datasets() -> list[str]:
    """Names of every dataset that :func:`tipstats.load` accepts.

    >>> from tipstats.datasets import list_datasets
    >>> list_datasets()[:3]
    ['countries', 'country_names', 'population']
    """
    return list(DATASETS)


def unknown_name_message(argument: str, value: object, accepted: list[str] | tuple[str, ...]) -> str:
    """``unknown <argument> 'x' (did you mean 'y'?); one of: a, b, c``, for any name from a fixed list.

    >>> unknown_name_message("dataset", "glotipp", ["glotip", "population"])
    "unknown dataset 'glotipp' (did you mean 'glotip'?); one of: glotip, population"
    """
    import difflib

    close = difflib.get_close_matches(str(value), list(accepted), n=1) if isinstance(value, str) else []
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {argument} {value!r}{hint}; one of: {', '.join(accepted)}"


def get(name: str) -> Dataset:
    """The registry entry of dataset ``name``; a KeyError naming the close match and every known dataset."""
    try:
        return DATASETS[name]
    except (KeyError, TypeError):
        raise KeyError(unknown_name_message("dataset", name, list(DATASETS))) from None
