"""The terminal (issue 15, part 5): progress on a terminal only, tables that wrap or go wide, a quiet `make`."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd

from tipstats import progress
from tipstats.claims_audit import audit
from tipstats.claims_audit.registry import load_registry
from tipstats.paths import REPO_DIR
from tipstats.render import to_text_table


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_and_erased_at_the_end():
    stream = Terminal()
    registry = load_registry().head(3)
    with progress.shown("tipstats claims", stream=stream):
        table = audit(registry=registry)
    text = stream.getvalue()
    for i, claim_id in enumerate(registry["claim_id"], start=1):
        assert f"tipstats claims: [{i}/3] {claim_id}" in text
    assert text.endswith(progress.CLEAR) and len(table) == 3


def test_no_progress_when_standard_error_is_not_a_terminal():
    completed = subprocess.run(
        [sys.executable, "-m", "tipstats", "claims", "--format", "csv"],
        capture_output=True, text=True, cwd=REPO_DIR,
    )  # fmt: skip
    assert completed.returncode == 0 and completed.stderr == ""


def test_progress_of_a_build_names_its_steps(tmp_path):
    from tipstats.pipeline import build

    stream = Terminal()
    with progress.shown("tipstats build", stream=stream):
        build(out_dir=tmp_path / "out")
    text = stream.getvalue()
    assert "building countries" in text and "building sources" in text and "checking " in text
    assert "writing" in text


TABLE = pd.DataFrame(
    {
        "claim_id": ["p01_a", "p02_b"],
        "status": ["consistent", "differs"],
        "reported": ["178 parties", "2019"],
        "computed": [
            "the count of January 2021 gives 178; the rows name 173 plus five later accessions",
            "2020",
        ],
        "explanation": ["x", "y"],
    }
).assign(paragraph="5", quantity="q", evidence="e", see_also="01-ratification")


def test_the_table_wraps_to_the_width_and_keeps_every_word():
    text = to_text_table(TABLE, 50)
    assert max(len(line) for line in text.splitlines()) <= 50
    assert "…" not in text
    words = " ".join(TABLE["computed"]).split()
    assert [w for w in words if w not in text.split()] == []
    assert "--format markdown" in text


def test_the_wide_table_keeps_each_cell_on_one_line():
    text = to_text_table(TABLE, 50, wide=True)
    assert TABLE["computed"][0] in text.splitlines()[2]


def _step_makefile(tmp_path):
    """A makefile with the repository's `step` definition and one passing, one warning, one failing step."""
    text = (REPO_DIR / "Makefile").read_text(encoding="utf-8")
    start = text.index("ifeq ($(V),1)")
    end = text.index("endif", start) + len("endif")
    rules = (
        "SHELL := /bin/bash\n.SHELLFLAGS := -eu -o pipefail -c\n"
        + text[start:end]
        + "\nok:\n\t$(call step,quiet,echo noise; echo more noise >&2)\n"
        + "warn:\n\t$(call step,warned,echo noise; echo 'warning: a raw file differs')\n"
        + "bad:\n\t$(call step,broken,echo what went wrong; exit 3)\n"
    )
    path = tmp_path / "Makefile"
    path.write_text(rules, encoding="utf-8")
    return path


def _make(path, *args):
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(path), *args], capture_output=True, text=True
    )


def test_a_make_step_prints_one_line_and_its_output_only_when_it_fails(tmp_path):
    path = _step_makefile(tmp_path)
    ok = _make(path, "ok")
    assert ok.returncode == 0 and ok.stdout.split() == ["quiet", "ok"] and ok.stderr == ""
    warned = _make(path, "warn")
    assert warned.returncode == 0 and warned.stderr == "warning: a raw file differs\n"
    bad = _make(path, "bad")
    assert bad.returncode != 0 and bad.stdout.split() == ["broken", "bad"]
    assert "what went wrong" in bad.stderr and "make: broken bad failed (exit 3)" in bad.stderr
    verbose = _make(path, "ok", "V=1")
    assert "noise" in verbose.stdout and "more noise" in verbose.stderr


def test_the_notebook_runner_drops_the_kernel_transport_warning_and_passes_the_rest():
    from tipstats import notebooks

    log = io.BytesIO(
        b"[IPKernelApp] WARNING | Kernel is running over TCP without encryption. All communication ...\n"
        b"a real message from the kernel\n"
    )
    out = io.StringIO()
    notebooks._pass_on_kernel_stderr(log, out)
    assert out.getvalue() == "a real message from the kernel\n"


def test_running_a_notebook_prints_no_kernel_warnings(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("1 + 1")]
    source = tmp_path / "tiny.ipynb"
    nbformat.write(nb, source)
    done = subprocess.run(
        [sys.executable, "-m", "tipstats.notebooks", str(source), str(tmp_path / "out")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "without encryption" not in done.stderr and done.stderr.strip() == ""


def test_make_runs_one_job_per_core_even_where_the_openmp_thread_count_is_one():
    # nproc obeys OMP_NUM_THREADS, and the Makefile exports OMP_NUM_THREADS=1: a make started by a recipe
    # (`make bench`'s builds) or by a shell that sets it ran every step one after the other.
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "JOBS"}}
    out = subprocess.run(
        ["make", "--no-print-directory", "--eval", "print-jobs: ; @echo $(JOBS)", "print-jobs"],
        capture_output=True, text=True, cwd=REPO_DIR, env={**env, "OMP_NUM_THREADS": "1", "OMP_THREAD_LIMIT": "1"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == len(os.sched_getaffinity(0))
