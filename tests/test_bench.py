"""`make bench` (tools/bench.py): its quick mode runs and writes reports/bench.json with every key; the README's
performance table has the rows the bench renders. No timing is asserted: the machines are shared."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tipstats.datasets import list_datasets

REPO = Path(__file__).resolve().parents[1]


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench", REPO / "tools" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _bench_module()


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    run = subprocess.run(
        [sys.executable, str(REPO / "tools" / "bench.py"), "--quick", "--out", str(out)],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), run.stdout


def _is_figure(value: dict) -> bool:
    return (
        {"value", "baseline", "ratio", "unit"} <= set(value) and value["value"] > 0 and value["baseline"] > 0
    )


def test_quick_mode_writes_every_key_and_skips_the_slow_parts(quick):
    results, _ = quick
    assert set(results) == {
        "machine", "date", "repeat", "first_load", "warm_load", "import", "peak_memory", *bench.MAKE_KEYS,
        *bench.CLONE_KEYS,
    }  # fmt: skip
    for key in bench.CLONE_KEYS:
        assert results[key] == {"skipped": "--skip-clones"}
    assert results["repeat"] == 1
    for section in ("first_load", "warm_load", "import", "peak_memory"):
        assert set(results[section]) == set(bench.ENVS)
        assert results[section]["user_install"] == {"skipped": "--skip-user"}
    for key in bench.MAKE_KEYS:
        assert results[key] == {"skipped": "--skip-make"}
    first = results["first_load"]["development"]
    assert _is_figure(first) and first["ratio"] == pytest.approx(first["value"] / first["baseline"])
    assert _is_figure(results["import"]["development"]) and _is_figure(results["peak_memory"]["development"])


def test_quick_mode_times_the_warm_load_of_every_dataset(quick):
    results, _ = quick
    loads = results["warm_load"]["development"]
    assert [row["dataset"] for row in loads] == list_datasets()
    for row in loads:
        assert (
            row["rows"] > 0 and row["warm_ms"] > 0 and row["plain_read_csv_ms"] > 0 and row["uncached_ms"] > 0
        )
        assert row["ratio"] == pytest.approx(row["warm_ms"] / row["plain_read_csv_ms"])


def test_the_printed_table_has_a_row_per_figure(quick):
    results, stdout = quick
    for label, *_ in bench.table_rows(results):
        assert label.replace("`", "") in stdout


def _readme_rows(text: str) -> list[str]:
    block = text[text.index(bench.BEGIN) : text.index(bench.END)]
    rows = [line.split(" | ")[0].removeprefix("| ") for line in block.splitlines() if line.startswith("| ")]
    return rows[1:]  # below the header


def test_the_readme_table_has_the_rows_the_bench_renders(quick):
    """Rows, not numbers: the README holds the figures of the last full run (`tools/bench.py --readme`)."""
    results, _ = quick
    readme = _readme_rows((REPO / "README.md").read_text(encoding="utf-8"))
    assert readme == [label for label, *_ in bench.table_rows(results)]
    assert not any(
        "not measured" in line for line in (REPO / "README.md").read_text().splitlines() if "| " in line
    )


def test_readme_rewrites_only_the_block_between_the_markers(quick, tmp_path):
    results, _ = quick
    readme = tmp_path / "README.md"
    readme.write_text(f"# before\n\n{bench.BEGIN}\nold table\n{bench.END}\n\nafter\n", encoding="utf-8")
    bench.rewrite_readme(results, readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# before\n\n") and text.endswith("\n\nafter\n") and "old table" not in text
    assert bench.markdown_table(results) in text
    bench.rewrite_readme(results, readme)
    assert readme.read_text(encoding="utf-8") == text  # a second rewrite changes nothing
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no"):
        bench.rewrite_readme(results, readme)
    assert re.search(r"\| ratio \|", text)


def test_the_clone_comparison_sees_every_file_but_the_environment_and_stamps(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "reports" / "figures").mkdir(parents=True)
        (root / "reports" / "figures" / "f.svg").write_text("same")
        (root / ".venv").mkdir()
        (root / ".venv" / "pyvenv.cfg").write_text(f"home = {root}")  # differs, and is no output
    (b / "reports" / "figures" / "f.png").write_text("only in b")
    first, second = bench.tree_digests(a), bench.tree_digests(b)
    assert set(first) == {"reports/figures/f.svg"}
    assert {p for p in set(first) | set(second) if first.get(p) != second.get(p)} == {"reports/figures/f.png"}
