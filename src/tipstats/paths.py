"""Where things live: raw sources, the reviewed reference files, and the processed data."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# In a source checkout the package sits at <repo>/src/tipstats.
REPO_DIR = PACKAGE_DIR.parents[1]
# An installed wheel ships copies under tipstats/_data/ (see pyproject.toml): the processed data, the
# reviewed reference files and the report text, so that loading and the claims audit work anywhere.
SHIPPED_DIR = PACKAGE_DIR / "_data"


def _checkout_or_shipped(*parts: str) -> Path:
    checkout = REPO_DIR.joinpath("data", *parts)
    shipped = SHIPPED_DIR.joinpath(*parts)
    return shipped if not checkout.is_dir() and shipped.is_dir() else checkout


#: True in a source checkout (the raw sources are there); False in an installed package, which ships the
#: processed data, the reference files and the report text only: `tipstats build` and `validate` need a
#: checkout there, or ``--raw-dir``.
IN_CHECKOUT = (REPO_DIR / "pyproject.toml").is_file() and (REPO_DIR / "data" / "raw").is_dir()
RAW_DIR = _checkout_or_shipped("raw")
REFERENCE_DIR = _checkout_or_shipped("reference")
REPO_PROCESSED_DIR = REPO_DIR / "data" / "processed"
REPORTS_DIR = REPO_DIR / "reports"


def processed_dir() -> Path:
    """The folder the loaders read.

    Order: ``$TIPSTATS_DATA_DIR`` (a build of your own), the copy shipped inside an
    installed wheel, then the ``data/processed`` folder of a source checkout.
    """
    override = os.environ.get("TIPSTATS_DATA_DIR")
    if override:
        return Path(override)
    shipped = Path(str(resources.files("tipstats"))) / "_data" / "processed"
    if shipped.is_dir():
        return shipped
    return REPO_PROCESSED_DIR
