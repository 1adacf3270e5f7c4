"""A non-editable install ships the processed data: every dataset loads and validates from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tipstats.claims_audit.rules.base import RAW_INPUTS
from tipstats.paths import REPO_DIR

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("packaging")]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(REPO_DIR),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("tipstats-*.whl")
    return path


def test_wheel_contains_processed_data_and_metadata(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "tipstats/_data/processed/treaty_events.csv",
        "tipstats/_data/processed/datapackage.json",
        "tipstats/_data/processed/codebook.md",
        "tipstats/_data/reference/claims.csv",
        "tipstats/_data/raw/report/A-76-120.txt",
        "tipstats/_data/reference/non_claims.csv",
        *(f"tipstats/_data/raw/{path}" for paths in RAW_INPUTS.values() for path in paths),
        "tipstats/figures/tip.mplstyle",
        "tipstats/py.typed",
    ):
        assert expected in names


def test_installed_wheel_loads_every_dataset_outside_the_repository(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import tipstats, pathlib\n"
        f"assert pathlib.Path(tipstats.__file__).is_relative_to({str(site)!r}), tipstats.__file__\n"
        "for name in tipstats.list_datasets():\n"
        "    frame = tipstats.load(name)\n"
        "    assert len(frame) > 0, name\n"
        "from tipstats.claims_audit.registry import load_registry\n"
        "assert len(load_registry()) > 40  # the claims registry and the report text ship too\n"
        "print(len(tipstats.list_datasets()))\n"
    )
    # PYTHONPATH puts the unpacked wheel ahead of the editable checkout; cwd is outside the repository.
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 15
