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


def to_text_table(table: pd.DataFrame, width: int = 44) -> str:
    """A compact fixed-width table for the terminal (long cells cut), then counts by status."""
    cols = ["claim_id", "status", "reported", "computed"]
    cut = {c: table[c].map(lambda v: v if len(v) <= width else v[: width - 1] + "…") for c in cols}
    widths = {c: max(len(c), *(len(v) for v in cut[c])) if len(table) else len(c) for c in cols}
    lines = ["  ".join(c.ljust(widths[c]) for c in cols)]
    lines.append("  ".join("-" * widths[c] for c in cols))
    for i in range(len(table)):
        lines.append("  ".join(cut[c].iloc[i].ljust(widths[c]) for c in cols).rstrip())
    counts = status_counts(table)
    lines.append("")
    lines.append("; ".join(f"{s}: {n}" for s, n in counts.items() if n or s != FAILED))
    return "\n".join(lines) + "\n"


def render(table: pd.DataFrame, fmt: str) -> str:
    """The table in one of :data:`FORMATS`."""
    if fmt == "table":
        return to_text_table(table)
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(table.to_dict(orient="records"), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return to_markdown(table)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
