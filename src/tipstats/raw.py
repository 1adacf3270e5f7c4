"""Raw inputs: which pandera model each raw file must satisfy, and reading them as text.

The file paths come from the sources registry (``data/reference/sources.csv``,
column ``raw_path``); the models live beside the processed ones in ``schemas/<topic>.py``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

from tipstats.io import read_raw_csv
from tipstats.schemas.base import validate

# source_id -> "topic:ModelName"
RAW_MODELS: dict[str, str] = {
    "untc_tip_2018": "treaty:RawParticipants",
    "untc_som_2018": "treaty:RawParticipants",
    "untc_untoc_2014": "treaty:RawParticipants",
    "tip_party_counts": "treaty:RawPartyCounts",
    "tip_party_counts_r2": "treaty:RawPartyCounts",
    "tip_evidence": "treaty:RawEvidence",
    "tip_evidence_r2": "treaty:RawEvidence",
    "kelley_panel": "legislation:RawKelleyPanel",
    "kelley_by_country": "legislation:RawKelleyByCountry",
    "kelley_fig6_3": "legislation:RawKelleyFigure63",
    "legislation_evidence_r2": "legislation:RawLegislationEvidence",
    "glotip_2025": "glotip:RawGlotip",
    "glotip_2023": "glotip:RawGlotip",
    "glotip_text_figures": "glotip:RawTextFigures",
    "us_tip_law_enforcement": "glotip:RawUsTipLawEnforcement",
    "us_tip_law_enforcement_r2": "glotip:RawUsTipLawEnforcementRound2",
    "wb_population": "population:RawPopulation",
    "unvtf_figures": "trust_fund:RawTrustFund",
}


def raw_model(source_id: str):
    topic, name = RAW_MODELS[source_id].split(":")
    return getattr(importlib.import_module(f"tipstats.schemas.{topic}"), name)


def read_raw(raw_dir: Path, source_id: str, raw_path: str) -> pd.DataFrame:
    """Read one raw CSV as text and validate it against its raw model (all failures at once)."""
    path = Path(raw_dir) / raw_path
    label = str(path)
    frame = read_raw_csv(path, label)
    return validate(raw_model(source_id), frame, label)


def read_text(raw_dir: Path, raw_path: str) -> str:
    from tipstats.io import decode_text

    path = Path(raw_dir) / raw_path
    return decode_text(path, str(path))
