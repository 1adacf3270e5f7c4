"""uv.lock, the environment `make setup` installs, agrees with pyproject.toml (offline: no index is asked)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tipstats.paths import REPO_DIR

PYPROJECT = REPO_DIR / "pyproject.toml"
LOCK = REPO_DIR / "uv.lock"
UV = Path(sys.executable).with_name("uv")


def declared_requirements(pyproject: dict) -> set[tuple[str, str | None, frozenset[str]]]:
    """(name, extra, specifiers) of every requirement, the package's own extras (tipstats[all]) expanded."""
    project = pyproject["project"]
    own = canonicalize_name(project["name"])
    extras = project.get("optional-dependencies", {})

    def expand(extra: str, seen: frozenset[str] = frozenset()) -> list[Requirement]:
        out = []
        for text in extras[extra]:
            req = Requirement(text)
            if canonicalize_name(req.name) == own:
                for inner in sorted(req.extras - seen):
                    out += expand(inner, seen | {inner})
            else:
                out.append(req)
        return out

    rows = {
        (canonicalize_name(r.name), None, frozenset(map(str, r.specifier)))
        for r in map(Requirement, project["dependencies"])
    }
    for extra in extras:
        rows |= {
            (canonicalize_name(r.name), extra, frozenset(map(str, r.specifier)))
            for r in expand(extra, frozenset({extra}))
        }
    return rows


def locked_requirements(lock: dict, name: str) -> set[tuple[str, str | None, frozenset[str]]]:
    (package,) = [p for p in lock["package"] if p["name"] == name]
    rows = set()
    for req in package["metadata"]["requires-dist"]:
        marker = req.get("marker")
        extra = None
        if marker is not None:
            assert marker.startswith("extra == '") and marker.endswith("'"), marker
            extra = marker[len("extra == '") : -1]
        specifier = req.get("specifier")
        specs = frozenset(s.strip() for s in specifier.split(",")) if specifier else frozenset()
        rows.add((canonicalize_name(req["name"]), extra, specs))
    return rows


def test_the_lock_records_exactly_the_requirements_of_pyproject():
    pyproject = tomllib.loads(PYPROJECT.read_text())
    lock = tomllib.loads(LOCK.read_text())
    declared = declared_requirements(pyproject)
    locked = locked_requirements(lock, pyproject["project"]["name"])
    assert declared == locked, (
        f"uv.lock disagrees with pyproject.toml (run `make lock`): only in pyproject {sorted(declared - locked)}, "
        f"only in uv.lock {sorted(locked - declared)}"
    )
    assert lock["requires-python"] == pyproject["project"]["requires-python"]


def test_the_comparison_sees_a_changed_bound():
    pyproject = tomllib.loads(PYPROJECT.read_text())
    lock = tomllib.loads(LOCK.read_text())
    deps = pyproject["project"]["dependencies"]
    pyproject["project"]["dependencies"] = [d.replace("pandas>=", "pandas>=9") for d in deps]
    assert pyproject["project"]["dependencies"] != deps
    assert declared_requirements(pyproject) != locked_requirements(lock, pyproject["project"]["name"])


def uv_lock_check(project: Path) -> subprocess.CompletedProcess:
    # --offline: no index is asked; --no-build-isolation: the venv's hatchling reads the package's metadata.
    return subprocess.run(
        [str(UV), "lock", "--check", "--offline", "--no-build-isolation", "--python", sys.executable],
        cwd=project,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "UV_PYTHON_DOWNLOADS": "never",
            "VIRTUAL_ENV": str(Path(sys.executable).parents[1]),
        },
    )


@pytest.fixture
def project_copy(tmp_path):
    """The files uv reads to lock the project (its metadata), without the data."""
    for name in ("pyproject.toml", "uv.lock", "README.md"):
        shutil.copy(REPO_DIR / name, tmp_path / name)
    (tmp_path / "src" / "tipstats").mkdir(parents=True)
    shutil.copy(REPO_DIR / "src/tipstats/__init__.py", tmp_path / "src/tipstats/__init__.py")
    # the wheel's force-included data must exist for hatchling to read the metadata
    for folder in ("data/processed", "data/reference", "data/raw/report"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "data/raw/report/A-76-120.txt").write_text("")
    return tmp_path


@pytest.mark.skipif(not UV.exists(), reason="uv is installed by `make setup`")
def test_uv_lock_check_passes_on_the_repository():
    out = uv_lock_check(REPO_DIR)
    assert out.returncode == 0, out.stderr


@pytest.mark.skipif(not UV.exists(), reason="uv is installed by `make setup`")
def test_uv_lock_check_fails_when_pyproject_changes(project_copy):
    assert uv_lock_check(project_copy).returncode == 0
    pyproject = project_copy / "pyproject.toml"
    text = pyproject.read_text()
    assert '"pandas>=3.' in text
    pyproject.write_text(text.replace('"pandas>=3.', '"pandas>=9.', 1))
    out = uv_lock_check(project_copy)
    assert out.returncode != 0


def _pins(lines: str) -> set[str]:
    """``name==version`` of each pinned line (comments, markers' continuations and the project left out)."""
    out = set()
    for line in lines.splitlines():
        line = line.strip()
        if "==" not in line or line.startswith("#"):
            continue
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate():  # a package of another platform is not installed here
            (version,) = [s.version for s in req.specifier]
            out.add(f"{canonicalize_name(req.name)}=={version}")
    return out


@pytest.mark.skipif(not UV.exists(), reason="uv is installed by `make setup`")
def test_the_environment_holds_exactly_the_locked_versions():
    # what `make setup` installed into this interpreter's environment, against what uv.lock pins for it
    env = {**os.environ, "UV_OFFLINE": "1"}
    locked = subprocess.run(
        [str(UV), "export", "--frozen", "--extra", "dev", "--no-hashes", "--no-emit-project", "--no-header",
         "--project", str(REPO_DIR)],
        capture_output=True, text=True, env=env, check=True,
    ).stdout  # fmt: skip
    installed = subprocess.run(
        [str(UV), "pip", "freeze", "--python", sys.executable, "--exclude-editable"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout  # fmt: skip
    # uv itself is bootstrapped by pip from tools/uv-requirements.txt (hash-pinned there), and where the venv had
    # to get a pip from ensurepip, setuptools came with it: not the lock's (pip is, a dev dependency)
    installed_pins = {p for p in _pins(installed) if p.split("==")[0] not in {"uv", "setuptools"}}
    assert installed_pins == _pins(locked)
