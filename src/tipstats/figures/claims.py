"""The claims audit at a glance: verdicts by paragraph of A/76/120 and status (notebook 00).

Not a registered report figure (it draws the audit table, not a dataset): notebook
``00-claims-audit`` calls it. It only draws what :func:`tipstats.claims_audit.audit` returns.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from tipstats.figures import style as S
from tipstats.report import REPORT_SOURCE_ID

#: The notebook that shows the figure of this module (it is not in the registry of report figures).
NOTEBOOK = "00-claims-audit"

#: One colour per status (and grey for a failed computation), in the order the bars stack.
STATUS_COLOURS = {
    "reproduced": S.TEAL,
    "consistent": S.DENIM,
    "internal": S.CAMEL,
    "differs": S.RUSTY,
    "not reproducible": S.CONTEXT,
    "failed": S.MAROON,
}


def paragraph_number(paragraph: str) -> int:
    """``"38(a)"`` -> 38, ``"5, footnote 1"`` -> 5."""
    return int(re.match(r"\d+", str(paragraph)).group())


def verdicts_table(table: pd.DataFrame) -> pd.DataFrame:
    """Claims per paragraph (rows, in the report's order) and status (columns, :data:`STATUS_COLOURS` order)."""
    numbers = table["paragraph"].map(paragraph_number)
    counts = pd.crosstab(numbers, table["status"])
    counts = counts.reindex(columns=[s for s in STATUS_COLOURS if s in counts.columns]).fillna(0).astype(int)
    counts.index.name = "paragraph"
    return counts.sort_index()


@S.styled
def verdicts_by_paragraph(table: pd.DataFrame | None = None, sources: pd.DataFrame | None = None) -> Figure:
    """Stacked bars: the claims of each paragraph by status, so that one sees which parts of the report hold up."""
    if table is None:
        from tipstats.claims_audit import audit

        table = audit()
    counts = verdicts_table(table)
    held = int(table["status"].isin(["reproduced", "consistent", "internal"]).sum())
    inside = int((table["status"] == "internal").sum())
    fig, ax = S.new_figure(
        f"{held} of the report's {len(table)} quantitative statements hold up, {inside} of them only against itself",
        "Claims of A/76/120 by paragraph and verdict of the tipstats claims audit",
        source_ids=[REPORT_SOURCE_ID],
        sources=sources,
        note="'not reproducible': no public data at hand decide it (most are counts of the Member States' "
        "unpublished submissions).",
        width=10.0,
        height=4.8,
        right=0.3,
    )
    x = np.arange(len(counts))
    bottom = np.zeros(len(counts))
    for status in counts.columns:
        values = counts[status].to_numpy()
        ax.bar(
            x,
            values,
            bottom=bottom,
            color=STATUS_COLOURS[status],
            width=0.8,
            label=f"{status} ({values.sum()})",
        )
        bottom += values
    ax.set_xticks(x, [str(p) for p in counts.index], fontsize=6.5, rotation=90)
    ax.set_xlim(-0.6, len(counts) - 0.4)
    S.axis_title(ax, "Claims per paragraph")
    ax.set_xlabel("Paragraph of A/76/120")
    ax.legend(frameon=False, fontsize=8, loc="upper left", ncols=3)
    ax.set_ylim(0, bottom.max() * 1.25)
    return fig
