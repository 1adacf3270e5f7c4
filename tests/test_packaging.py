"""A non-editable install ships the processed data: every dataset loads and validates from any directory.

The wheel is built once per session. ``bare_venv`` is a fresh virtual environment into which ``pip install
<wheel>`` runs with no extras and no network: the wheel's required distributions (pandas, pandera, numpy
and what they need, nothing else) are linked from this environment into a folder on the new venv's path,
so pip finds them installed and adds only tipstats. matplotlib, statsmodels, pyarrow ... are absent there.
"""

from __future__ import annotations

import email
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tipstats.claims_audit.rules.base import RAW_INPUTS
from tipstats.paths import REPO_DIR

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("packaging")]


@pytest.fixture(scope="session")
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


def _requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        message = email.message_from_bytes(archive.read(name))
    return [Requirement(r) for r in message.get_all("Requires-Dist", [])]


def _closure(requirements: list[Requirement]) -> set[str]:
    """The distributions the requirements need without any extra, recursively (as installed here)."""
    seen: set[str] = set()
    todo = [r for r in requirements if r.marker is None or r.marker.evaluate({"extra": ""})]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        todo += [
            r
            for r in map(Requirement, metadata.requires(req.name) or [])
            if r.marker is None or r.marker.evaluate({"extra": ""})
        ]
    return seen


@pytest.fixture(scope="session")
def bare_venv(wheel, tmp_path_factory):
    """A fresh venv with ``pip install <wheel>`` (no extras, no index); its python and its bin folder."""
    root = tmp_path_factory.mktemp("bare")
    deps = root / "deps"
    deps.mkdir()
    needed = _closure(_requirements(wheel))
    for dist in metadata.distributions():
        if canonicalize_name(dist.metadata["Name"]) not in needed:
            continue
        base = Path(str(dist.locate_file("")))
        for top in {Path(str(f)).parts[0] for f in dist.files or []} - {".."}:
            if not (deps / top).exists() and (base / top).exists():
                (deps / top).symlink_to(base / top)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    (Path(site) / "tipstats_test_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(root), "PIP_NO_INDEX": "1"}
    out = subprocess.run(
        [python, "-m", "pip", "install", "--no-index", "--no-cache-dir", "--disable-pip-version-check", wheel],
        capture_output=True, text=True, env=env, cwd=root,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    return python, env, root


def _in_bare(bare_venv, code: str) -> subprocess.CompletedProcess:
    python, env, root = bare_venv
    return subprocess.run([python, "-c", code], capture_output=True, text=True, env=env, cwd=root)


def test_bare_install_has_no_extras_and_loads_every_dataset(bare_venv):
    out = _in_bare(
        bare_venv,
        "import importlib.util, pathlib, tipstats\n"
        "assert 'site-packages' in tipstats.__file__, tipstats.__file__\n"
        "absent = [m for m in ('matplotlib', 'statsmodels', 'scipy', 'pyarrow', 'xlsxwriter', 'nbclient')"
        " if importlib.util.find_spec(m) is None]\n"
        "print(' '.join(absent))\n"
        "for name in tipstats.list_datasets():\n"
        "    assert len(tipstats.load(name, validate='full')) > 0, name\n"
        "print(len(tipstats.list_datasets()))\n",
    )
    assert out.returncode == 0, out.stderr
    absent, count = out.stdout.split("\n")[:2]
    assert absent.split() == ["matplotlib", "statsmodels", "scipy", "pyarrow", "xlsxwriter", "nbclient"]
    assert int(count) >= 15


# Each optional feature, called in the bare install: the one line it must give.
OPTIONAL_CALLS = {
    "figures": ("import tipstats.figures", "tipstats.figures needs matplotlib", "figures"),
    "audit": (
        "import tipstats; tipstats.audit()",
        "the claims audit (tipstats.audit) needs statsmodels",
        "analysis",
    ),
    "models": (
        "from tipstats.analysis.convictions import cohort_rate_ratios; cohort_rate_ratios()",
        "needs statsmodels",
        "analysis",
    ),
    "export": ("import tipstats.export as e; e.export('exported', 'parquet')", "needs pyarrow", "export"),
    "notebooks": (
        "from tipstats.notebooks import execute; execute('x.ipynb', '.')",
        "needs nbformat",
        "notebooks",
    ),
}


@pytest.mark.parametrize("feature", sorted(OPTIONAL_CALLS))
def test_optional_feature_names_its_extra_in_the_api(bare_venv, feature):
    call, says, extra = OPTIONAL_CALLS[feature]
    out = _in_bare(
        bare_venv,
        f"from tipstats.optional import MissingDependency\ntry:\n    {call}\n"
        "except MissingDependency as exc:\n    print(exc)\nelse:\n    print('no error')\n",
    )
    assert out.returncode == 0, out.stderr
    line = out.stdout.strip()
    assert says in line and f"pip install 'tipstats[{extra}]'" in line and "\n" not in line, line


CLI_CALLS = {
    "figures": (["figures", "--out-dir", "figs"], "pip install 'tipstats[figures]'"),
    "claims": (
        ["claims"],
        "claims audit (tipstats.audit) needs statsmodels, which is not installed: pip install 'tipstats[analysis]'",
    ),
    "analysis": (["analysis", "--out-dir", "tables"], "pip install 'tipstats[analysis]'"),
    "build": (
        ["build"],
        "run it in a checkout (git clone, then `make data`), or give --raw-dir DIR and --out-dir DIR",
    ),
    "validate": (["validate"], "run it in a checkout (git clone, then `make data`), or give --raw-dir DIR"),
    "export parquet": (["export", "--format", "parquet", "exported"], "pip install 'tipstats[export]'"),
    "export xlsx": (["export", "--format", "xlsx", "exported"], "pip install 'tipstats[export]'"),
}


@pytest.mark.parametrize("command", sorted(CLI_CALLS))
def test_optional_feature_names_its_extra_on_the_command_line(bare_venv, command):
    python, env, root = bare_venv
    argv, says = CLI_CALLS[command]
    out = subprocess.run(
        [python.parent / "tipstats", *argv], capture_output=True, text=True, env=env, cwd=root
    )
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stderr.count("\n") == 1 and says in out.stderr, out.stderr
    assert out.stdout == ""
    assert not any((root / d).exists() for d in ("figs", "tables", "exported"))


def test_build_with_raw_dir_but_no_out_dir_writes_nothing_into_the_installation(bare_venv):
    python, env, root = bare_venv
    out = subprocess.run(
        [python.parent / "tipstats", "build", "--raw-dir", str(REPO_DIR / "data" / "raw")],
        capture_output=True, text=True, env=env, cwd=root,
    )  # fmt: skip
    assert out.returncode == 2 and "give --out-dir DIR" in out.stderr, out.stderr


def test_validate_with_the_checkout_raw_dir_passes_in_the_installed_package(bare_venv):
    """With --raw-dir, the installed package validates the raw files against its own shipped data."""
    python, env, root = bare_venv
    out = subprocess.run(
        [python.parent / "tipstats", "validate", "--raw-dir", str(REPO_DIR / "data" / "raw")],
        capture_output=True, text=True, env=env, cwd=root,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "all raw files and processed datasets are valid" in out.stdout


def test_the_core_features_work_without_any_extra(bare_venv, tmp_path):
    """search, info, aggregate and export to csv and Stata need nothing beyond pandas, pandera and numpy."""
    python, env, root = bare_venv
    tipstats_cli = python.parent / "tipstats"
    for argv in (["search", "convicted"], ["info", "glotip"], ["list"]):
        out = subprocess.run([tipstats_cli, *argv], capture_output=True, text=True, env=env, cwd=root)
        assert out.returncode == 0 and out.stdout, (argv, out.stderr)
    for fmt in ("csv", "dta"):
        target = tmp_path / fmt
        out = subprocess.run(
            [tipstats_cli, "export", "--format", fmt, "--datasets", "countries", str(target)],
            capture_output=True, text=True, env=env, cwd=root,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert (target / f"countries.{fmt}").stat().st_size > 0
    out = _in_bare(bare_venv, "import tipstats; print(len(tipstats.aggregate('unodc_region', year=2020)))")
    assert out.returncode == 0 and int(out.stdout) >= 5, out.stderr
