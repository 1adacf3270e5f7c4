"""The notebooks: stored clean, quoting the report verbatim, and executing headless with their figures.

Each notebook is executed here with only the datasets that ``mk/datasets.mk`` declares for it (a
data folder holding just those files), so a notebook that reads an undeclared dataset fails, and
``make notebooks`` can never miss a dependency. Any cell error fails the test.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest

from tipstats import figures, notebooks
from tipstats.claims_audit.registry import NOTEBOOKS, normalise, paragraph_text, report_text
from tipstats.datasets import list_datasets
from tipstats.paths import processed_dir

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
PATHS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]-*.ipynb"))  # every notebook `make notebooks` runs
# The topic notebooks (one per subject of the report) quote the report and close with its claims; the
# cookbook (tests/test_cookbook.py) holds short recipes and draws one figure of its own.
TOPIC_PATHS = [p for p in PATHS if p.stem != notebooks.COOKBOOK]
OWN_IMAGES = {notebooks.COOKBOOK: 1}
MAKE_FRAGMENT = REPO / "mk" / "datasets.mk"


def declared_datasets() -> dict[str, set[str]]:
    """``reports/notebooks/<name>.ipynb: ... $(call datasets,a b c)`` lines of the make fragment."""
    text = MAKE_FRAGMENT.read_text().replace("\\\n", " ")
    out = {}
    for match in re.finditer(r"^reports/notebooks/([\w-]+)\.ipynb:(.*)$", text, re.M):
        names = re.search(r"\$\(call datasets,([^)]*)\)", match.group(2))
        out[match.group(1)] = set(names.group(1).split()) if names else set()
    return out


def test_there_is_one_notebook_per_topic_and_the_make_fragment_knows_each():
    assert [p.stem for p in TOPIC_PATHS] == list(NOTEBOOKS)
    assert [p.stem for p in PATHS] == sorted([*NOTEBOOKS, notebooks.COOKBOOK])
    declared = declared_datasets()
    assert set(declared) == {*NOTEBOOKS, notebooks.COOKBOOK}
    for name, datasets in declared.items():
        assert datasets and datasets <= set(list_datasets()), name


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_is_stored_clean_with_kernel_python3(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert "MPLBACKEND" not in "".join(c.source for c in code)


@pytest.mark.parametrize("path", TOPIC_PATHS, ids=lambda p: p.stem)
def test_notebook_opens_with_the_report_quoted_verbatim(path):
    nb = nbformat.read(path, as_version=4)
    intro = nb.cells[0]
    assert intro.cell_type == "markdown"
    quotes = re.findall(r"^> (.+) \(A/76/120, para\. ([^)]+\)?)\)$", intro.source, re.M)
    assert quotes, "the first cell quotes the report"
    text = report_text()
    for quote, paragraph in quotes:
        assert normalise(quote) in paragraph_text(text, paragraph), (paragraph, quote[:60])


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_opens_and_closes_with_the_shared_helpers(path):
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0].count("tipstats.notebooks.setup()") == 1 and "set_option" not in "".join(code)
    assert code[1].startswith("tipstats.notebooks.print_caveats([")  # the shared opening, not a copied loop
    if path.stem == notebooks.COOKBOOK:  # recipes, not claims
        assert not any("tipstats.audit(" in c for c in code)
    elif path.stem == "00-claims-audit":  # the whole audit, not one notebook's share of it
        assert any("tipstats.audit()" in c for c in code)
    else:  # the computed-against-reported table, one library call (the values are not typed)
        assert code[-1].startswith(f'tipstats.audit(notebook="{path.stem}"')


#: Figures whose notebook is integrated in another change: each must still be missing there (so the entry goes as
#: soon as the notebook shows it).
def test_every_figure_is_shown_by_the_notebook_it_names():
    for name, spec in figures.FIGURES.items():
        source = "".join(c.source for c in nbformat.read(NOTEBOOK_DIR / f"{spec.notebook}.ipynb", 4).cells)
        assert f"figures.{name}(" in source, name


def _restricted_data_dir(tmp_path: Path, datasets: set[str]) -> Path:
    """A data folder with only ``datasets`` (links to the processed files)."""
    folder = tmp_path / "data"
    folder.mkdir()
    source = processed_dir()
    for name in datasets:
        os.symlink(source / f"{name}.csv", folder / f"{name}.csv")
    return folder


def _images(nb) -> int:
    return sum(
        "image/png" in output.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


@pytest.mark.slow
@pytest.mark.xdist_group("notebooks")
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_executes_with_its_declared_data_and_shows_its_figures(path, tmp_path):
    datasets = declared_datasets()[path.stem]
    env = notebooks.kernel_env()
    env["TIPSTATS_DATA_DIR"] = str(_restricted_data_dir(tmp_path, datasets))
    env["MPLBACKEND"] = "Agg"  # the runner must remove it, or every figure would vanish
    executed = notebooks.execute(path, tmp_path / "out", env=env)
    nb = nbformat.read(executed, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    # no clock times in the file (nbclient records each cell's start and end): two runs give the same bytes
    assert [c.metadata.get("execution") for c in nb.cells if "execution" in c.metadata] == []
    from tipstats.figures import claims as claims_figure

    expected = [name for name, spec in figures.FIGURES.items() if spec.notebook == path.stem]
    if path.stem == claims_figure.NOTEBOOK:  # the audit's own figure, drawn from the verdicts table
        expected.append("verdicts_by_paragraph")
    expected += ["own figure"] * OWN_IMAGES.get(path.stem, 0)
    assert _images(nb) == len(expected)
    html = notebooks.to_html(executed)
    assert html.read_text(encoding="utf-8").count("data:image/png;base64") >= len(expected)


def test_the_opening_lists_every_caveat_of_each_dataset_under_its_title():
    import tipstats

    text = notebooks.caveats_text(["trust_fund", "party_counts"])
    blocks = text.split("\n\n")
    for block, name in zip(blocks, ["trust_fund", "party_counts"], strict=True):
        info = tipstats.describe(name)
        assert block.startswith(f"{name}: {info.title} (as of {info.as_of}; {info.rows} rows)")
        assert [line[4:] for line in block.strip().splitlines()[1:]] == info.caveats


def test_setup_sets_the_shared_display_options():
    import pandas as pd

    with pd.option_context("display.width", 80, "display.max_colwidth", 50):
        notebooks.setup()
        assert (pd.get_option("display.width"), pd.get_option("display.max_colwidth")) == (160, 90)


def test_kernel_environment_drops_mplbackend():
    env = notebooks.kernel_env({"MPLBACKEND": "Agg", "OTHER": "1"})
    assert "MPLBACKEND" not in env and env["OTHER"] == "1"


@pytest.mark.slow
@pytest.mark.xdist_group("notebooks")
def test_a_failing_cell_fails_the_run_and_writes_nothing(tmp_path):
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    source = tmp_path / "broken.ipynb"
    nbformat.write(nb, source)
    with pytest.raises(CellExecutionError, match="ZeroDivisionError"):
        notebooks.execute(source, tmp_path / "out")
    assert not (tmp_path / "out" / "broken.ipynb").exists()
    assert notebooks.main([str(source), str(tmp_path / "out")]) == 1


def test_the_opening_of_a_notebook_imports_no_validation_library():
    # every notebook starts with print_caveats; with pandera (and hypothesis, which it imports) that opening
    # cost most of a second of each notebook's run
    import subprocess
    import sys

    from tipstats.datasets import list_datasets

    names = list(list_datasets())
    code = (
        f"import sys, tipstats.notebooks as n; n.print_caveats({names!r}); "
        "sys.exit(1 if 'pandera' in sys.modules else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_setup_in_a_kernel_shows_whole_figures_as_make_figures_saves_them():
    from matplotlib_inline.config import InlineBackend

    backend = InlineBackend.instance()
    before = dict(backend.print_figure_kwargs)
    try:
        backend.print_figure_kwargs = {"bbox_inches": "tight"}  # the inline backend's default
        notebooks.setup()
        assert backend.print_figure_kwargs == {"bbox_inches": None}
    finally:
        backend.print_figure_kwargs = before
