"""Raw inputs: which pandera model each raw file must satisfy, and reading them as text.

The file paths come from the sources registry (``data/reference/sources.csv``,
column ``raw_path``); the models live beside the processed ones in ``schemas/<subject>.py``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

from tipstats.errors import DataValidationError, Failure
from tipstats.io import parse_raw_csv
from tipstats.schemas.base import validate

# source_id -> "subject:ModelName"
RAW_MODELS: dict[str, str] = {
    "untc_tip_2018": "treaty:RawParticipants",
    "untc_som_2018": "treaty:RawParticipants",
    "untc_untoc_2014": "treaty:RawParticipants",
    "tip_party_counts": "treaty:RawPartyCounts",
    "tip_party_counts_2018_2024": "treaty:RawPartyCounts",
    "tip_evidence": "treaty:RawEvidence",
    "tip_evidence_five_states": "treaty:RawEvidence",
    "kelley_panel": "legislation:RawKelleyPanel",
    "kelley_by_country": "legislation:RawKelleyByCountry",
    "kelley_fig6_3": "legislation:RawKelleyFigure63",
    "legislation_evidence_2014_2021": "legislation:RawLegislationEvidence",
    "glotip_2025": "glotip:RawGlotip",
    "glotip_2023": "glotip:RawGlotip",
    "glotip_text_figures": "victims:RawTextFigures",
    "us_tip_law_enforcement": "convictions:RawUsTipLawEnforcement",
    "us_tip_law_enforcement_2022_2023": "convictions:RawUsTipLawEnforcementQuoted",
    "wb_population": "population:RawPopulation",
    "unvtf_figures": "trust_fund:RawTrustFund",
}


def raw_model(source_id: str):
    subject, name = RAW_MODELS[source_id].split(":")
    return getattr(importlib.import_module(f"tipstats.schemas.{subject}"), name)


def read_raw(raw_dir: Path, source_id: str, raw_path: str) -> pd.DataFrame:
    """Read one raw CSV as text and validate it against its raw model (all failures at once).

    The build context keeps what this returns, so each file is read once per build.
    """
    path = Path(raw_dir) / raw_path
    label = str(path)
    if not path.is_file():
        raise DataValidationError([Failure(label, None, None, "file exists", str(path), kind="parse")])
    return validate(raw_model(source_id), parse_raw_csv(path.read_bytes(), label), label)


def read_text(raw_dir: Path, raw_path: str) -> str:
    from tipstats.io import decode_text

    path = Path(raw_dir) / raw_path
    return decode_text(path, str(path))
