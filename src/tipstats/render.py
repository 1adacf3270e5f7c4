"""The claims audit's table as text: for the terminal, Markdown, CSV and JSON (``tipstats claims --format``).

Presentation only: the verdicts come from :func:`tipstats.claims_audit.audit`. The HTML report
(``tools/build_site.py``) shows the same :data:`LEGEND` and :func:`summary_text`.
"""

from __future__ import annotations

import json

import pandas as pd

from tipstats.claims_audit import COLUMNS, status_counts, strength_counts, weak_consistent
from tipstats.claims_audit.rules import FAILED
from tipstats.claims_audit.rules.base import STRENGTH_LEGEND

FORMATS = ("table", "text", "csv", "json", "markdown")
#: The columns of the Markdown table (``quantity`` is in ``label``).
MARKDOWN_COLUMNS = [c for c in COLUMNS if c != "quantity"]
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


def summary_text(table: pd.DataFrame) -> str:
    """The audit in one paragraph, computed from the table (the README's summary is this text)."""
    counts = status_counts(table)
    weak = weak_consistent(table)
    differs = table[table["status"] == "differs"]
    examples = "; ".join(f"{r.label} ({r.claim_id})" for r in differs.itertuples())
    parts = [
        f"Of {len(table)} quantitative statements: {counts['reproduced']} reproduced from the data rows, "
        f"{counts['consistent']} consistent with an independent source ({len(weak)} of them resting only on a "
        f"secondary page or a curation label), {counts['internal']} checkable only against the report itself "
        f"(and they hold), {counts['differs']} differ from other sources"
        + (f" ({examples})" if examples else "")
        + f", and {counts['not reproducible']} cannot be reproduced from public data, each with the data it "
        "would need named"
    ]
    if counts[FAILED]:
        parts.append(f"; {counts[FAILED]} computation(s) failed")
    return "".join(parts) + "."


def to_markdown(table: pd.DataFrame) -> str:
    """The table as Markdown: counts by status and strength, the legends, then one row per claim with its quote."""
    counts = status_counts(table)
    lines = [
        "# Claims audit of report A/76/120",
        "",
        f"{len(table)} quantitative statements of the report, each with the report's own words, checked against "
        "the tipstats datasets (`tipstats claims`; registry `data/reference/claims.csv`; rules "
        "`tipstats.claims_audit.rules`).",
        "",
        summary_text(table),
        "",
        "## Statuses",
        "",
        "| status | claims | meaning |",
        "|---|---:|---|",
    ]
    lines += [f"| {s} | {n} | {LEGEND[s]} |" for s, n in counts.items() if n or s != FAILED]
    by_strength = strength_counts(table)
    by_strength = by_strength.loc[[s for s in by_strength.index if s != FAILED or by_strength.loc[s].sum()]]
    lines += [
        "",
        "## Strength of the evidence",
        "",
        "| strength | meaning |",
        "|---|---|",
    ]
    lines += [f"| {s} | {m} |" for s, m in STRENGTH_LEGEND.items()]
    lines += ["", "| status | " + " | ".join(by_strength.columns) + " | all |"]
    lines += ["|---|" + "---:|" * (len(by_strength.columns) + 1)]
    lines += [
        f"| {status} | " + " | ".join(str(v) for v in row) + f" | {sum(row)} |"
        for status, row in zip(by_strength.index, by_strength.to_numpy().tolist(), strict=True)
    ]
    weak = weak_consistent(table)
    if len(weak):
        lines += [
            "",
            f"'Consistent' resting only on a secondary page or a curation label: {', '.join(weak['claim_id'])}.",
        ]
    lines += [
        "",
        "Tolerance: a reported number stands for the values that round to it at the precision the report "
        "writes it (178 means 177.5-178.5; 'about 600' means 550-650); 'more than N' is checked as such. "
        "Evidence about another quantity is shown as context, never compared; a source dated after the report "
        "neither confirms nor refutes it. See the docstring of `tipstats.claims_audit.rules`.",
        "",
        "## Every claim",
        "",
        "| " + " | ".join(MARKDOWN_COLUMNS) + " |",
        "|" + "|".join("---" for _ in MARKDOWN_COLUMNS) + "|",
    ]
    lines += [
        "| " + " | ".join(_cell(v) for v in row) + " |"
        for row in table[MARKDOWN_COLUMNS].itertuples(index=False)
    ]
    return "\n".join(lines) + "\n"


def to_text(table: pd.DataFrame, width: int = 100) -> str:
    """One block per claim for reading in a terminal: label, the report's words, verdict, strength, why."""
    import textwrap

    blocks = []
    for r in table.itertuples(index=False):
        wrap = textwrap.TextWrapper(width=width, initial_indent="  ", subsequent_indent="  ")
        blocks.append(
            "\n".join(
                [
                    f"{r.claim_id}  {r.label}",
                    wrap.fill(f"\u201c{r.quote}\u201d"),
                    wrap.fill(f"reported {r.reported}; computed {r.computed}"),
                    wrap.fill(
                        f"{r.status.upper()} ({r.strength})"
                        + (f"; sources dated {r.source_dates}" if r.source_dates else "")
                    ),
                    wrap.fill(r.explanation),
                ]
            )
        )
    legend = ["Statuses:"] + [f"  {s}: {m}" for s, m in LEGEND.items()]
    legend += ["Strength of evidence:"] + [f"  {s}: {m}" for s, m in STRENGTH_LEGEND.items()]
    return "\n\n".join(blocks) + "\n\n" + "\n".join(legend) + "\n\n" + summary_text(table) + "\n"


TEXT_COLUMNS = ["claim_id", "status", "strength", "reported", "computed"]
MIN_WRAPPED = 12  # a wrapped column is never narrower than this


def _column_widths(natural: dict[str, int], width: int) -> dict[str, int]:
    """Widths that fit ``width``: claim_id, status and strength whole, reported and computed share the rest."""
    fixed = sum(w for c, w in natural.items() if c not in ("reported", "computed"))
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

    cols = [c for c in TEXT_COLUMNS if c in table.columns]  # a table of before the strength column
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
    if fmt == "text":
        return to_text(table)
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(table.to_dict(orient="records"), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return to_markdown(table)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


SUMMARY_START = "<!-- claims-summary:"
SUMMARY_END = "<!-- /claims-summary -->"


def with_summary(readme: str, table: pd.DataFrame) -> str:
    """``readme`` with the text between its claims-summary markers replaced by :func:`summary_text`."""
    start = readme.index(SUMMARY_START)
    body = readme.index("\n", start) + 1
    end = readme.index(SUMMARY_END, body)
    return readme[:body] + summary_text(table) + "\n" + readme[end:]


def write_readme_summary(path=None, table: pd.DataFrame | None = None) -> bool:
    """Rewrite the README's summary of the audit from the audit; True when the file changed."""
    from pathlib import Path

    from tipstats.claims_audit import audit
    from tipstats.paths import REPO_DIR

    path = Path(path) if path is not None else REPO_DIR / "README.md"
    old = path.read_text(encoding="utf-8")
    new = with_summary(old, audit() if table is None else table)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
