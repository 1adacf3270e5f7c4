"""Reliability: determinism of the build, loading from a read-only copy without writing, the integrity
check of the raw files, all-or-nothing writes, and no network at run time.

Builds here run in fresh processes with different hash seeds, so output that depends on the order of a
set or a dict of strings would differ between them. Each such process runs under an audit hook that
stops any network use (``sys.addaudithook``), which the in-process socket block of ``conftest.py``
cannot see.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tipstats.cli import main
from tipstats.datasets import DATASETS
from tipstats.paths import RAW_DIR, REFERENCE_DIR, REPO_PROCESSED_DIR
from tipstats.publish import MARKER

# Run first in every child process: network use and (optionally) any write raise or are recorded.
GUARD = r"""
import json, os, sys
NETWORK = {"socket.connect", "socket.connectex", "socket.getaddrinfo", "socket.gethostbyname",
           "socket.gethostbyaddr", "socket.sendto", "urllib.Request", "http.client.connect"}
WRITE_EVENTS = {"os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink", "os.link",
                "os.truncate", "os.chmod", "os.utime", "shutil.rmtree", "shutil.copyfile", "shutil.move"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
WRITES = []
WATCH_WRITES = os.environ.get("GUARD_WRITES") == "1"
def _hook(event, args):
    if event in NETWORK:
        raise RuntimeError(f"network use at run time: {event} {args!r}")
    if not WATCH_WRITES:
        return
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & WRITE_FLAGS)
        if writing and not str(path).startswith(("/dev/", "/proc/")):
            WRITES.append(f"open {path} {mode or flags}")
    elif event in WRITE_EVENTS:
        WRITES.append(f"{event} {args[0] if args else ''}")
sys.addaudithook(_hook)
"""

BUILD = (
    GUARD
    + r"""
from tipstats.cli import main
sys.exit(main(sys.argv[1:]))
"""
)

LOAD_ALL = (
    GUARD
    + r"""
import tipstats
from tipstats.datasets import DATASETS
rows = {}
for name in DATASETS:
    rows[name] = len(tipstats.load(name))
    getattr(tipstats, f"load_{name}")()
info = tipstats.describe("population")
print(json.dumps({"rows": rows, "writes": WRITES, "described": info.name}))
"""
)


def run_python(code: str, *args: str, env: dict[str, str] | None = None, prefix: list[str] | None = None):
    return subprocess.run(
        [*(prefix or []), sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
    )


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def run_cli(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def expected_outputs() -> set[str]:
    return {spec.filename for spec in DATASETS.values()} | {"datapackage.json", "codebook.md", MARKER}


def shared_build(factory: pytest.TempPathFactory, seed: str) -> Path:
    """A build from data/raw in a fresh process with PYTHONHASHSEED=seed, made once per test session and
    shared by the xdist workers (a lock file serialises them; the build is atomic, so a folder with
    datapackage.json in it is complete)."""
    import fcntl

    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the folder all workers' base temps share
    out = root / f"tipstats-build-seed{seed}"
    with (root / f"tipstats-build-seed{seed}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "datapackage.json").exists():
            done = run_python(BUILD, "build", "--out-dir", str(out), env={"PYTHONHASHSEED": seed})
            assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    """Two builds from data/raw in two fresh processes with different hash seeds."""
    return shared_build(tmp_path_factory, "1"), shared_build(tmp_path_factory, "4242")


# -- determinism ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_builds_are_byte_identical(two_builds):
    first, second = two_builds
    a, b = files_of(first), files_of(second)
    assert set(a) == expected_outputs()
    assert a.keys() == b.keys()
    differ = sorted(name for name in a if a[name] != b[name])
    assert differ == [], f"files that differ between two builds: {differ}"


@pytest.mark.slow
def test_committed_processed_data_equal_a_fresh_build(two_builds):
    """data/processed is what `tipstats build` writes from data/raw today: nothing stale, nothing by hand."""
    fresh, committed = files_of(two_builds[0]), files_of(REPO_PROCESSED_DIR)
    assert sorted(committed) == sorted(fresh), "data/processed has other files than a build writes"
    differ = sorted(name for name in fresh if fresh[name] != committed[name])
    assert differ == [], f"data/processed differs from a fresh build in {differ}: run `make data`"


@pytest.mark.slow
def test_processed_text_is_plain_and_stable(two_builds):
    """No carriage returns, no byte-order mark, a final newline, and no build time or temp path inside."""
    for name, data in files_of(two_builds[0]).items():
        assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\n"), name
        assert str(two_builds[0]).encode() not in data, name  # the output folder's path leaks nowhere
        assert b"staging" not in data, name


# -- loading: read-only, no writes, no network --------------------------------------------------


def _demote() -> list[str]:
    """As root, chmod does not stop writes: run the loader as the unprivileged user 'nobody'.

    'nobody' keeps CAP_DAC_READ_SEARCH (read and traverse anything, write nothing it does not own), so the
    checkout and its .venv need not be readable by others (a `mktemp -d` clone is mode 0700).
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv"):
        return [
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search",
        ]  # fmt: skip
    return []


@pytest.fixture
def read_only_copy(two_builds):
    """A read-only copy of the processed data, in a folder the unprivileged user can read."""
    root = Path(tempfile.mkdtemp(prefix="tipstats-ro-"))
    data = root / "processed"
    shutil.copytree(two_builds[0], data)
    home = root / "home"
    home.mkdir()
    for path in [*data.rglob("*"), data, home, root]:
        mode = path.stat().st_mode
        path.chmod(
            mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) | stat.S_IRUSR | stat.S_IROTH | stat.S_IXOTH
        )
    yield data, home
    for path in [root, *root.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    shutil.rmtree(root)


@pytest.mark.slow
def test_loading_works_from_a_read_only_copy_and_writes_nothing(read_only_copy):
    data, home = read_only_copy
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in data.rglob("*") if p.is_file()}
    env = {
        "TIPSTATS_DATA_DIR": str(data),
        "GUARD_WRITES": "1",
        "HOME": str(home),
        "MPLCONFIGDIR": str(home / "mpl"),
        "PYTHONDONTWRITEBYTECODE": "1",  # the interpreter's own caches are not tipstats writing
    }
    done = run_python(LOAD_ALL, env=env, prefix=_demote())
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["writes"] == []
    assert set(report["rows"]) == set(DATASETS) and all(n > 0 for n in report["rows"].values())
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in data.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in home.iterdir()) == []


@pytest.mark.slow
def test_the_write_guard_and_the_read_only_copy_have_teeth(read_only_copy):
    """Control for the test above: a write into the copy is refused, and the guard records the attempt."""
    data, home = read_only_copy
    code = GUARD + (
        "try:\n"
        f"    open({str(data / 'population.csv')!r}, 'a').close()\n"
        "    refused = False\n"
        "except PermissionError:\n"
        "    refused = True\n"
        "print(json.dumps({'writes': WRITES, 'refused': refused}))\n"
    )
    done = run_python(code, env={"GUARD_WRITES": "1", "HOME": str(home)}, prefix=_demote())
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["refused"] is True
    assert len(report["writes"]) == 1 and "population.csv" in report["writes"][0]
    network = run_python(GUARD + "import socket\nsocket.getaddrinfo('example.org', 80)\n")
    assert network.returncode != 0 and "network use at run time" in network.stderr


def test_loaders_read_the_folder_named_by_tipstats_data_dir(tmp_path, monkeypatch):
    """TIPSTATS_DATA_DIR wins over the repository copy: a folder without the file is a clear error."""
    from tipstats import loaders
    from tipstats.paths import processed_dir

    monkeypatch.setenv("TIPSTATS_DATA_DIR", str(tmp_path))
    assert processed_dir() == tmp_path
    loaders._load_validated.cache_clear()
    with pytest.raises(FileNotFoundError, match=str(tmp_path / "population.csv")):
        loaders.load("population")
    assert list(tmp_path.iterdir()) == []  # and nothing was created there


# -- integrity: `tipstats validate` ------------------------------------------------------------------


def _registry_paths() -> dict[str, str]:
    with (REFERENCE_DIR / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return {row["source_id"]: row["raw_path"] for row in csv.DictReader(handle) if row["raw_path"]}


def sections(text: str) -> dict[str, list[str]]:
    """Section title -> file lines under it, from the failure table of tipstats.cli."""
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line and not line.startswith(" ") and line.endswith("):"):
            current = line.rsplit(" (", 1)[0]
            out[current] = []
        elif current and line.startswith("  ") and not line.startswith("    "):
            out[current].append(line.strip())
    return out


INTEGRITY = "Raw files whose bytes differ from the sources registry (sha256)"


@pytest.mark.slow
def test_validate_passes_on_the_repository_raw_files_and_a_fresh_build(two_builds):
    code, out, err = run_cli("validate", "--processed-dir", two_builds[0])
    assert code == 0, out + err
    assert "valid" in out


@pytest.mark.slow
def test_validate_names_a_raw_file_whose_bytes_changed_apart_from_schema_failures(tmp_path, two_builds):
    paths = _registry_paths()
    # a change the schema accepts (line ends swapped) and a change it rejects (a count made negative)
    harmless = paths["kelley_fig6_3"]
    original = (RAW_DIR / harmless).read_bytes()
    swapped = original.replace(b"\r\n", b"\n") if b"\r\n" in original else original.replace(b"\n", b"\r\n")
    broken = paths["us_tip_law_enforcement"]
    text = (RAW_DIR / broken).read_text(encoding="utf-8")
    bad = text.replace('"2003","7992"', '"2003","-7992"', 1)
    assert bad != text
    from test_bad_input import raw_folder

    raw = raw_folder(tmp_path / "raw", {harmless: swapped, broken: bad.encode()})

    code, out, err = run_cli("validate", "--raw-dir", raw, "--processed-dir", two_builds[0])

    assert code == 1
    assert "Traceback" not in out + err
    found = sections(out)
    assert sorted(found[INTEGRITY]) == sorted([str(raw / harmless), str(raw / broken)])
    schema_files = [f for title, files in found.items() if title != INTEGRITY for f in files]
    assert schema_files == [str(raw / broken)]  # the harmless change is an integrity finding only
    assert "'-7992'" in out


@pytest.mark.slow
def test_validate_names_a_damaged_processed_file(tmp_path, two_builds):
    processed = tmp_path / "processed"
    shutil.copytree(two_builds[0], processed)
    target = processed / "population.csv"
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("population")] = "-1"
    lines[1] = ",".join(cells) + "\n"
    target.write_text("".join(lines), encoding="utf-8")
    code, out, _ = run_cli("validate", "--processed-dir", processed)
    assert code == 1
    assert str(target) in out and "-1" in out
    assert INTEGRITY not in out  # the raw files are intact


# -- all or nothing -------------------------------------------------------------------------------


def test_a_crash_while_writing_leaves_the_previous_output(tmp_path, monkeypatch):
    """Not only validation failures: an error half-way through writing publishes nothing either."""
    import pandas as pd

    import tipstats.metadata
    import tipstats.pipeline

    out = tmp_path / "out"
    out.mkdir()
    (out / "old.csv").write_bytes(b"old\n")
    (out / MARKER).write_bytes(b"an earlier build\n")
    written = []

    def broken(staging, datasets):
        written.extend(p.name for p in Path(staging).iterdir())
        (Path(staging) / "half-written.json").write_text("{")
        raise OSError("disk full")

    # the builders are replaced by one tiny dataset: this test is about the writing step
    monkeypatch.setattr(tipstats.pipeline, "validate_raw", lambda ctx: [])
    monkeypatch.setattr(
        tipstats.pipeline, "run_builders", lambda ctx: {"population": pd.DataFrame({"x": [1]})}
    )
    monkeypatch.setattr(tipstats.metadata, "write_metadata", broken)
    code, _, err = run_cli("build", "--out-dir", out)
    assert written == ["population.csv"]  # the crash came after a file was written to the staging folder
    assert code == 2 and "disk full" in err and "Traceback" not in err
    assert files_of(out) == {"old.csv": b"old\n", MARKER: b"an earlier build\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.slow
def test_loading_in_process_needs_no_network(two_builds, monkeypatch):
    """In this process sockets are blocked (conftest.py): every dataset still loads."""
    import tipstats
    from tipstats import loaders

    monkeypatch.setenv("TIPSTATS_DATA_DIR", str(two_builds[0]))
    loaders._load_validated.cache_clear()
    try:
        assert all(len(tipstats.load(name)) > 0 for name in DATASETS)
    finally:
        loaders._load_validated.cache_clear()


# -- signals and pipes ------------------------------------------------------------------------------


@pytest.mark.slow
def test_ctrl_c_during_a_build_prints_one_line_exits_130_and_publishes_nothing(tmp_path):
    import signal
    import time

    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "tipstats", "build", "--out-dir", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not any(tmp_path.glob(".out.staging-*")) and time.monotonic() < deadline and build.poll() is None:
        time.sleep(0.05)  # wait until the build is publishing or past the imports
    time.sleep(0.3)
    build.send_signal(signal.SIGINT)
    _, err = build.communicate(timeout=120)
    assert build.returncode == 130, err
    assert err.strip().splitlines()[-1] == "tipstats: interrupted" and "Traceback" not in err
    assert not out.exists() or (out / "datapackage.json").is_file()  # nothing half-published
    assert list(tmp_path.glob(".out.*")) == []  # the interrupted build removed its staging


def test_a_closed_pipe_ends_the_command_quietly():
    lister = subprocess.Popen(
        [sys.executable, "-m", "tipstats", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    lister.stdout.close()  # the reader has gone before the output came, as `tipstats list | head -0`
    err = lister.stderr.read().decode()
    lister.wait(timeout=60)
    assert (lister.returncode, err) == (141, "")
