"""The claims audit's table as text: for the terminal, Markdown, CSV and JSON (``tipstats claims --format``).

Presentation only: the verdicts come from :func:`tipstats.claims_audit.audit`. The HTML report
(``tools/build_site.py``) builds on :func:`to_markdown`'s legend.
"""

from __future__ import annotations

import json

import pandas as pd

from tipstats.claims_audit import COLUMNS, status_counts
from tipstats.claims_audit.rules import FAILED

FORMATS = ("table", "csv", "json", "markdown")
LEGEND = {
    "reproduced": "tipstats' own computation from data rows gives the reported value",
    "consistent": "another source (a UNODC statement, an official count) gives the same value",
    "differs": "the data or another source give another value (both shown, with the likely reason)",
    "not reproducible": "no data at hand decide it; the explanation names the data needed",
    "internal": "checkable only against the report itself (dates, arithmetic, what it lists), and it holds",
    FAILED: "the computation raised an error (not a verdict)",
}


def _cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def to_markdown(table: pd.DataFrame) -> str:
    """The table as Markdown: counts by status, the legend, then one row per claim."""
    counts = status_counts(table)
    lines = [
        "# Claims audit of report A/76/120",
        "",
        f"{len(table)} quantitative statements of the report, each checked against the tipstats datasets "
        "(`tipstats claims`; registry `data/reference/claims.csv`; rules `tipstats.claims_audit.rules`).",
        "",
        "| status | claims | meaning |",
        "|---|---:|---|",
    ]
    lines += [f"| {s} | {n} | {LEGEND[s]} |" for s, n in counts.items() if n or s != FAILED]
    lines += [
        "",
        "Tolerance: a reported number stands for the values that round to it at the precision the report "
        "writes it (178 means 177.5-178.5; 'about 600' means 550-650); 'more than N' is checked as such. "
        "See the docstring of `tipstats.claims_audit.rules`.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    lines += [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in table[COLUMNS].itertuples(index=False)
    ]
    return "\n".join(lines) + "\n"


TEXT_COLUMNS = ["claim_id", "status", "reported", "computed"]
MIN_WRAPPED = 12  # a wrapped column is never narrower than this


def _column_widths(natural: dict[str, int], width: int) -> dict[str, int]:
    """Widths that fit ``width``: claim_id and status whole, reported and computed share the rest."""
    fixed = natural["claim_id"] + natural["status"]
    room = max(2 * MIN_WRAPPED, width - fixed - 2 * (len(natural) - 1))
    wrapped = {c: natural[c] for c in ("reported", "computed")}
    if sum(wrapped.values()) > room:
        reported = max(
            MIN_WRAPPED, min(wrapped["reported"], room * wrapped["reported"] // sum(wrapped.values()))
        )
        wrapped = {"reported": reported, "computed": max(MIN_WRAPPED, room - reported)}
    return {**natural, **wrapped}


def to_text_table(table: pd.DataFrame, width: int | None = None, *, wide: bool = False) -> str:
    """The table for the terminal, then counts by status.

    Cells are never cut: ``reported`` and ``computed`` wrap within their columns so that every line fits
    ``width`` (default: the terminal's width). ``wide``: every cell whole on one line (for ``grep``).
    """
    import textwrap

    from tipstats.discover import terminal_width

    cols = TEXT_COLUMNS
    natural = {c: max(len(c), *(len(v) for v in table[c])) if len(table) else len(c) for c in cols}
    widths = natural if wide else _column_widths(natural, terminal_width() if width is None else width)
    lines = ["  ".join(c.ljust(widths[c]) for c in cols).rstrip()]
    lines.append("  ".join("-" * widths[c] for c in cols))
    for i in range(len(table)):
        cells = {
            c: [table[c].iloc[i]] if wide else (textwrap.wrap(table[c].iloc[i], widths[c]) or [""])
            for c in cols
        }
        for k in range(max(len(v) for v in cells.values())):
            parts = [(cells[c][k] if k < len(cells[c]) else "").ljust(widths[c]) for c in cols]
            lines.append("  ".join(parts).rstrip())
    counts = status_counts(table)
    lines.append("")
    summary = ["; ".join(f"{s}: {n}" for s, n in counts.items() if n or s != FAILED)]
    if not wide:
        summary.append("Each claim's evidence and explanation: --format markdown (or csv, json).")
        total = sum(widths.values()) + 2 * (len(cols) - 1)
        keep = {"--format markdown": "--format\xa0markdown"}  # an option and its value stay on one line
        for whole, joined in keep.items():
            summary = [text.replace(whole, joined) for text in summary]
        summary = [
            line.replace("\xa0", " ")
            for text in summary
            for line in textwrap.wrap(text, max(total, 40), break_on_hyphens=False)
        ]
    lines += summary
    return "\n".join(lines) + "\n"


def render(table: pd.DataFrame, fmt: str, *, wide: bool = False) -> str:
    """The table in one of :data:`FORMATS` (``wide``: the terminal table without wrapping)."""
    if fmt == "table":
        return to_text_table(table, wide=wide)
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(table.to_dict(orient="records"), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return to_markdown(table)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
