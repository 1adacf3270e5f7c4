"""The notebooks' shared opening, and running them headless (``make notebooks``).

In a notebook::

    import tipstats.notebooks
    tipstats.notebooks.setup()                                   # the display options every notebook uses
    tipstats.notebooks.print_caveats(["treaty_events", "party_counts"])  # what each dataset is, and its caveats

From the shell (the executed ``.ipynb``, then its HTML page)::

    python -m tipstats.notebooks notebooks/01-ratification.ipynb reports/notebooks
    python -m tipstats.notebooks --to-html reports/notebooks/01-ratification.ipynb
    python -m tipstats.notebooks --html notebooks/01-ratification.ipynb reports/notebooks   # both at once

The kernel is ``python3`` started from this interpreter, in the notebook's own folder. ``MPLBACKEND``
is removed from the kernel's environment: with it set (for example to ``Agg``) ipykernel does not
install its inline backend and every figure silently disappears from the executed notebook.
A cell that raises stops the run with a non-zero exit, and nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path

KERNEL = "python3"
COOKBOOK = (
    "07-cookbook"  # notebooks/07-cookbook.ipynb: short recipes, no claims (the others are one per topic)
)
TIMEOUT = 300  # seconds per cell; the notebooks are meant to run in well under a minute each
DISPLAY_OPTIONS = {"display.max_colwidth": 90, "display.width": 160}  # quotes and explanations stay readable


#: How a notebook shows a figure: the whole figure as drawn, as ``make figures`` saves it. (The inline backend's
#: default, ``bbox_inches="tight"``, crops to the ink, which costs a second draw of every figure.)
INLINE_FIGURE_KWARGS: dict[str, object] = {"bbox_inches": None}


def setup() -> None:
    """Set the pandas display options that every notebook shares (:data:`DISPLAY_OPTIONS`), and in a notebook
    the inline figures' options (:data:`INLINE_FIGURE_KWARGS`)."""
    import pandas as pd

    for option, value in DISPLAY_OPTIONS.items():
        pd.set_option(option, value)
    # in a kernel after `%matplotlib inline` (never imported here: a plain process stays without IPython)
    if "matplotlib_inline.config" in sys.modules:
        from matplotlib_inline.config import InlineBackend

        InlineBackend.instance().print_figure_kwargs = dict(INLINE_FIGURE_KWARGS)


def caveats_text(names: Iterable[str]) -> str:
    """Each dataset's title, as-of date and row count, then its caveats, one block per dataset.

    Read from the data package's descriptor (written from the models by the build), not from the models:
    a notebook's opening then needs no validation library (pandera's import is most of a second).

    >>> print(caveats_text(["countries"]).splitlines()[0])  # doctest: +ELLIPSIS
    countries: ... rows)
    """
    from tipstats.io import DESCRIPTOR, descriptor_resources
    from tipstats.loaders import describe, load
    from tipstats.paths import processed_dir

    path = processed_dir() / DESCRIPTOR
    resources = descriptor_resources(path) if path.is_file() else {}
    blocks = []
    for name in names:
        if "as_of" in resources.get(name, {}):
            info = resources[name]
            title, as_of, caveats = info["title"], info["as_of"], info.get("caveats", [])
            rows = len(load(name))
        else:  # a data folder without the build's descriptor: from the models
            described = describe(name)
            title, as_of, caveats, rows = described.title, described.as_of, described.caveats, described.rows
        lines = [f"{name}: {title} (as of {as_of}; {rows} rows)"]
        lines += [f"  - {caveat}" for caveat in caveats]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def print_caveats(names: Iterable[str]) -> None:
    """Print :func:`caveats_text` of ``names``: the opening of every notebook."""
    print(caveats_text(names))


def kernel_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the kernel: ``base`` (default: this process's), without ``MPLBACKEND``."""
    env = dict(os.environ if base is None else base)
    env.pop("MPLBACKEND", None)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


#: Lines a kernel writes to standard error that say nothing about the notebook (the runner's kernel
#: listens on the loopback interface only), dropped from what the runner passes on.
KERNEL_NOISE = ("Kernel is running over TCP without encryption",)


def _pass_on_kernel_stderr(log, stream=None) -> None:
    """What the kernel wrote to standard error, without :data:`KERNEL_NOISE`, to ``stream``."""
    stream = sys.stderr if stream is None else stream
    log.seek(0)
    for line in log.read().decode("utf-8", "replace").splitlines(keepends=True):
        if not any(noise in line for noise in KERNEL_NOISE):
            stream.write(line)


def execute(
    source: Path, out_dir: Path, *, timeout: int = TIMEOUT, env: dict[str, str] | None = None
) -> Path:
    """Run ``source`` top to bottom and write the executed notebook to ``out_dir/<name>.ipynb``.

    Raises :class:`nbclient.exceptions.CellExecutionError` on the first failing cell (nothing written).
    """
    from tipstats.optional import require

    nbformat = require("nbformat", "running notebooks (tipstats.notebooks)")
    NotebookClient = require("nbclient", "running notebooks (tipstats.notebooks)").NotebookClient

    source = Path(source)
    nb = nbformat.read(source, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=KERNEL,
        allow_errors=False,
        record_timing=False,  # each cell's start and end times would make every run's file differ
        resources={"metadata": {"path": str(source.parent.resolve())}},
    )
    import tempfile

    with tempfile.TemporaryFile() as kernel_log:
        try:
            client.execute(env=kernel_env(env), stderr=kernel_log)
        finally:
            _pass_on_kernel_stderr(kernel_log)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / source.name
    tmp = target.with_name(f".{target.name}.tmp")
    nbformat.write(nb, tmp)
    os.replace(tmp, target)
    return target


def to_html(executed: Path) -> Path:
    """Write ``<executed>.html`` next to an executed notebook (images embedded, no server needed)."""
    from tipstats.optional import require

    nbformat = require("nbformat", "notebook pages (tipstats.notebooks)")
    HTMLExporter = require("nbconvert", "notebook pages (tipstats.notebooks)").HTMLExporter

    executed = Path(executed)
    nb = nbformat.read(executed, as_version=4)
    body, _resources = HTMLExporter(template_name="lab").from_notebook_node(nb)
    target = executed.with_suffix(".html")
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tipstats.notebooks", description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path("reports/notebooks"))
    parser.add_argument("--to-html", action="store_true", help="only convert an executed notebook to HTML")
    parser.add_argument("--html", action="store_true", help="also write the executed notebook's HTML page")
    parser.add_argument("--timeout", type=int, default=TIMEOUT)
    args = parser.parse_args(argv)
    if args.to_html:
        print(to_html(args.notebook))
        return 0
    from nbclient.exceptions import CellExecutionError

    try:
        executed = execute(args.notebook, args.out_dir, timeout=args.timeout)
        print(executed)
        if args.html:
            print(to_html(executed))
    except CellExecutionError as exc:
        print(f"{args.notebook}: a cell failed\n{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
