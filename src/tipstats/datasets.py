"""The dataset registry: every public dataset, its topic (builder module) and its pandera model.

Titles, descriptions and caveats live on the model itself (``Config.title``,
``Config.description``, ``Config.metadata``), so each fact is written once.
This module imports nothing heavy: ``list_datasets()`` is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    name: str
    topic: str  # tipstats.pipeline.<topic> builds it; tipstats.schemas.<topic> holds its model
    model: str  # class name in tipstats.schemas.<topic>

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def model_class(self):
        import importlib

        return getattr(importlib.import_module(f"tipstats.schemas.{self.topic}"), self.model)


# Build order: a topic may use the outputs of the topics before it.
TOPICS = ("countries", "population", "treaty", "legislation", "glotip", "trust_fund", "sources")

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset("countries", "countries", "Countries"),
        Dataset("country_names", "countries", "CountryNames"),
        Dataset("population", "population", "Population"),
        Dataset("treaty_events", "treaty", "TreatyEvents"),
        Dataset("party_counts", "treaty", "PartyCounts"),
        Dataset("legislation", "legislation", "Legislation"),
        Dataset("legislation_panel", "legislation", "LegislationPanel"),
        Dataset("legislation_counts", "legislation", "LegislationCounts"),
        Dataset("glotip", "glotip", "Glotip"),
        Dataset("glotip_quarantine", "glotip", "GlotipQuarantine"),
        Dataset("victim_shares", "glotip", "VictimShares"),
        Dataset("exploitation_shares", "glotip", "ExploitationShares"),
        Dataset("convictions", "glotip", "Convictions"),
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


def get(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(DATASETS)
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}") from None
