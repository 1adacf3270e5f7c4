"""Publishing a build: never over files tipstats did not write, and a complete folder at every instant.

The fault-injection tests run the publishing step in a child process and kill it (``os._exit``) at
each write, fsync and rename in turn, on both ways of putting the folder in place (the atomic
exchange and the two renames with recovery); the folder must then equal the old build or the new
one, byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tipstats.cli import main as cli_main
from tipstats.publish import (
    MARKER,
    OutputFolderError,
    leftovers,
    published_directory,
    recover,
    refuse_unless_replaceable,
)

REPO = Path(__file__).resolve().parents[1]
OLD = {"a.csv": b"old a\n", "b.csv": b"old b\n"}
NEW = {"a.csv": b"new a\n", "c.csv": b"new c\n"}


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def old_build(target: Path) -> dict[str, bytes]:
    with published_directory(target) as staging:
        for name, data in OLD.items():
            (staging / name).write_bytes(data)
    return files_of(target)


# -- which folders a build may replace ------------------------------------------------------------


def test_a_folder_with_other_files_is_refused_and_left_untouched(tmp_path):
    target = tmp_path / "thesis"
    target.mkdir()
    (target / "chapter1.tex").write_text("my thesis\n")
    refused = pytest.raises(OutputFolderError, match=r"thesis.*did not write.*chapter1\.tex")
    with refused, published_directory(target) as staging:
        (staging / "a.csv").write_bytes(b"x\n")
    assert files_of(target) == {"chapter1.tex": b"my thesis\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]  # no staging left


def test_the_cli_refuses_the_raw_folder_with_exit_2_before_any_work(tmp_path, capsys):
    raw = tmp_path / "raw"
    (raw / "treaty").mkdir(parents=True)
    (raw / "treaty" / "x.csv").write_text("a\n1\n")
    code = cli_main(["build", "--out-dir", str(raw)])
    err = capsys.readouterr().err
    assert code == 2 and "did not write" in err and "Traceback" not in err
    assert (raw / "treaty" / "x.csv").read_text() == "a\n1\n"


def test_the_site_builder_refuses_a_folder_it_did_not_write(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.md").write_text("mine\n")
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_site.py"), "--out", str(site)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2 and "did not write" in done.stderr and "Traceback" not in done.stderr
    assert files_of(site) == {"notes.md": b"mine\n"}


@pytest.mark.parametrize(
    ("command", "mine"),
    [
        (["figures"], "index.md"),  # a name of its own that anyone may also use
        (["figures"], "chapter1.tex"),
        (["analysis"], "manifest.txt"),
        (["analysis"], "chapter1.tex"),
    ],
)
def test_commands_that_write_files_refuse_a_folder_they_did_not_write(tmp_path, capsys, command, mine):
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / mine).write_text("my thesis\n")
    code = cli_main([*command, "--out-dir", str(folder)])
    err = capsys.readouterr().err
    assert code == 2 and "did not write" in err and "Traceback" not in err
    assert files_of(folder) == {mine: b"my thesis\n"}


def test_claims_output_is_written_whole_and_never_onto_a_folder(tmp_path, capsys):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "keep.md").write_text("mine\n")
    assert cli_main(["claims", "--format", "csv", "--output", str(folder)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert files_of(folder) == {"keep.md": b"mine\n"}
    target = folder / "claims.csv"
    assert cli_main(["claims", "--format", "csv", "--output", str(target)]) in (0, 1)
    assert target.read_text(encoding="utf-8").startswith("claim_id,")
    assert sorted(p.name for p in folder.iterdir()) == ["claims.csv", "keep.md"]  # no temporary left


def test_figures_rewrite_a_folder_that_holds_only_their_own_files(tmp_path):
    from tipstats.figures import write_all

    folder = tmp_path / "figures"
    first = write_all(folder, names=["trust_fund_calls"])
    before = {p.name: p.read_bytes() for p in first}
    again = write_all(folder, names=["trust_fund_calls"])
    assert {p.name: p.read_bytes() for p in again} == before


@pytest.mark.parametrize("state", ["missing", "empty", "marked", "only build files"])
def test_new_empty_marked_or_build_only_folders_are_replaced_whole(tmp_path, state):
    target = tmp_path / "out"
    if state != "missing":
        target.mkdir()
    if state == "marked":
        (target / MARKER).write_text("x")
        (target / "stale.csv").write_text("from a removed dataset\n")
    if state == "only build files":  # a build of before the marker existed
        (target / "a.csv").write_text("old\n")
    with published_directory(target, own_files=["a.csv", "c.csv"]) as staging:
        for name, data in NEW.items():
            (staging / name).write_bytes(data)
    assert files_of(target) == {**NEW, MARKER: (target / MARKER).read_bytes()}
    assert (target / MARKER).read_text().startswith("This folder was written by tipstats")


def test_an_error_during_the_build_leaves_the_old_folder_and_no_staging(tmp_path):
    target = tmp_path / "out"
    old = old_build(target)
    with pytest.raises(RuntimeError), published_directory(target) as staging:
        (staging / "a.csv").write_bytes(b"half\n")
        raise RuntimeError("boom")
    assert files_of(target) == old
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_read_only_folder_is_respected(tmp_path):
    target = tmp_path / "out"
    old = old_build(target)
    target.chmod(0o555)
    try:
        with pytest.raises(OutputFolderError, match="read-only"):
            refuse_unless_replaceable(target)
        assert files_of(target) == old
    finally:
        target.chmod(0o755)


def test_a_symlink_or_a_file_is_not_a_folder_to_replace(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "file").write_text("x")
    for name in ("link", "file"):
        with pytest.raises(OutputFolderError, match="not a folder"):
            refuse_unless_replaceable(tmp_path / name)


# -- leftovers of killed builds ---------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_staging_of_dead_builds_is_removed_and_a_live_build_is_left_alone(tmp_path):
    target = tmp_path / "out"
    old_build(target)
    dead = tmp_path / f".out.staging-{_dead_pid()}-0123abcd"
    live = tmp_path / f".out.staging-{os.getpid()}-4567abcd"
    legacy = tmp_path / ".out.staging-89abcdef"  # the naming of builds before the pid was recorded
    for folder in (dead, live, legacy):
        folder.mkdir()
        (folder / "big.csv").write_text("x\n")
    recover(target)
    assert [p.name for p, _, _ in leftovers(target)] == [live.name]


def test_recovery_puts_back_a_folder_set_aside_by_a_killed_build(tmp_path):
    target = tmp_path / "out"
    old = old_build(target)
    aside = tmp_path / f".out.old-{_dead_pid()}-0123abcd"
    os.replace(target, aside)
    recover(target)
    assert files_of(target) == old and not aside.exists()


# -- fault injection: a kill at each step of publishing ------------------------------------------

CHILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    import tipstats.publish as publish

    target, kind, at, exchange = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
    new = json.loads(sys.argv[5])
    calls = {"write": 0, "fsync": 0, "rename": 0}

    def step(name):
        calls[name] += 1
        if name == kind and calls[name] == at:
            os._exit(9)

    def wrap(name, function):
        def wrapped(*args, **kwargs):
            step(name)
            return function(*args, **kwargs)
        return wrapped

    publish.os.fsync = wrap("fsync", os.fsync)
    publish.os.replace = wrap("rename", os.replace)
    real_exchange = publish._exchange
    publish._exchange = wrap("rename", real_exchange) if exchange else (lambda a, b: step("rename") or False)
    real_write = Path.write_text
    Path.write_text = lambda self, *a, **k: (step("write"), real_write(self, *a, **k))[1]
    with publish.published_directory(target) as staging:
        for name, text in new.items():
            (staging / name).write_text(text)
    print(json.dumps(calls))
    """
)


def _publish_in_child(target: Path, kind: str, at: int, exchange: bool) -> subprocess.CompletedProcess:
    new = {name: data.decode() for name, data in NEW.items()}
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(target), kind, str(at), "1" if exchange else "0", json.dumps(new)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def _step_counts(tmp_path: Path, exchange: bool) -> dict[str, int]:
    target = tmp_path / "count"
    old_build(target)
    done = _publish_in_child(target, "none", 0, exchange)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("exchange", [True, False], ids=["atomic exchange", "two renames"])
def test_a_kill_at_any_step_of_publishing_leaves_the_old_or_the_new_folder(tmp_path, exchange):
    counts = _step_counts(tmp_path, exchange)
    assert counts["write"] >= len(NEW) and counts["fsync"] >= len(NEW) and counts["rename"] >= 1
    outcomes = set()
    for kind, total in counts.items():
        for at in range(1, total + 1):
            target = tmp_path / f"{kind}-{at}"
            old = old_build(target)
            killed = _publish_in_child(target, kind, at, exchange)
            assert killed.returncode == 9, (kind, at, killed.stderr)
            if exchange:  # no recovery needed: the folder was complete at every instant
                assert target.is_dir(), (kind, at)
            recover(target)  # what the next build, load or validate does first
            found = files_of(target)
            found.pop(MARKER, None)
            old.pop(MARKER, None)
            assert found in (old, NEW), (kind, at, found)
            outcomes.add("new" if found == NEW else "old")
            assert leftovers(target) == [], (kind, at)  # the dead build's staging is gone
    assert outcomes == {"old", "new"}  # the kills fell both before and after the switch
