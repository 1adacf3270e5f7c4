"""The contributor's guide and the README say where things are: their paths and names must be true.

CONTRIBUTING.md's tour names at most five files in order, and its table of rooms must match the tree
(every room exists, every module under ``src/tipstats`` is in a room). Every ``tipstats.<name>`` that
README.md, CONTRIBUTING.md or CHANGELOG.md names must be importable.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONTRIBUTING = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
PACKAGE = REPO / "src" / "tipstats"
SUBJECT_PLACEHOLDER = "<subject>"


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def _subjects() -> list[str]:
    from tipstats.datasets import SUBJECTS

    return list(SUBJECTS)


def _room_paths() -> list[str]:
    """Every path of the rooms table's first column (``a``, ``b`` in one cell are two paths)."""
    rows = [line for line in _section(CONTRIBUTING, "The rooms").splitlines() if line.startswith("| `")]
    paths = []
    for row in rows:
        first = row.split("|")[1]
        cell_paths = re.findall(r"`([^`]+)`", first)
        base = cell_paths[0].rsplit("/", 1)[0] + "/" if "/" in cell_paths[0] else ""
        paths += [p if "/" in p or not base else base + p for p in cell_paths]
    return paths


def _expand(path: str) -> list[Path]:
    if SUBJECT_PLACEHOLDER not in path:
        return [REPO / path]
    return [REPO / path.replace(SUBJECT_PLACEHOLDER, subject) for subject in _subjects()]


def test_the_tour_follows_one_dataset_through_at_most_five_files_that_exist():
    tour = _section(CONTRIBUTING, "A tour")
    steps = re.findall(r"^\d+\. `([^`]+)`", tour, re.M)
    assert 1 < len(steps) <= 5
    for step in steps:
        assert (REPO / step).is_file(), step


def test_every_room_of_the_table_exists():
    paths = _room_paths()
    assert paths
    for path in paths:
        found = [p for p in _expand(path) if p.exists()]
        assert found, path  # a room with a subject placeholder exists for at least one subject


def test_every_module_of_the_package_is_in_a_room():
    rooms = [p.rstrip("/") for p in _room_paths()]
    patterns = [re.escape(room).replace(re.escape(SUBJECT_PLACEHOLDER), r"[a-z_]+") for room in rooms]
    unhoused = []
    for module in sorted(PACKAGE.rglob("*.py")):
        relative = module.relative_to(REPO).as_posix()
        if module.name == "__init__.py" and module.parent == PACKAGE or module.name == "__main__.py":
            continue  # the package itself and ``python -m tipstats``
        if not any(re.fullmatch(pattern + r"(/.*)?", relative) for pattern in patterns):
            unhoused.append(relative)
    assert unhoused == []


def _named(text: str) -> set[str]:
    return set(re.findall(r"`(tipstats(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?:\(|`)", text))


def _documents() -> dict[str, str]:
    return {
        name: (REPO / name).read_text(encoding="utf-8")
        for name in ("README.md", "CONTRIBUTING.md", "CHANGELOG.md")
    }


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


_RETIRED = re.compile(r"`(tipstats[\w.]*)` (?:is renamed|is now)|moved from `(tipstats[\w.]*)`")


def _retired(text: str) -> set[str]:
    """Names a document says were renamed or moved away ("`a` is renamed `b`", "moved from `a`")."""
    return {old or moved for old, moved in _RETIRED.findall(text.replace("\n  ", " "))}


@pytest.mark.parametrize("document", list(_documents()))
def test_every_public_name_the_documents_give_is_importable(document):
    text = _documents()[document]
    retired = _retired(text)
    missing = sorted(name for name in _named(text) - retired if not _resolves(name))
    assert missing == []
    assert sorted(name for name in retired if _resolves(name)) == []  # what is said to be gone is gone


def test_the_name_finder_sees_calls_and_plain_names():
    assert _named("`tipstats.load(name)` and `tipstats.analysis.treaty` and tipstats.x") == {
        "tipstats.load",
        "tipstats.analysis.treaty",
    }
    assert not _resolves("tipstats.treaty.party_rows")
    assert _retired(
        "`tipstats.build` is renamed `tipstats.pipeline`; moved from `tipstats.figures.x` to"
    ) == {
        "tipstats.build",
        "tipstats.figures.x",
    }
