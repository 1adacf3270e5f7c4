"""The audit as people read it: the report's words, a readable label, the legends, and the README's summary."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import tipstats
from tipstats.claims_audit import COLUMNS
from tipstats.cli import main
from tipstats.figures.claims import verdicts_by_paragraph, verdicts_table
from tipstats.paths import REPO_DIR
from tipstats.render import render, summary_text, with_summary


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return tipstats.audit()


def test_csv_has_the_quote_the_strength_and_the_sources_dates(table, tmp_path):
    out = tmp_path / "claims.csv"
    assert main(["claims", "--format", "csv", "--output", str(out)]) == 0
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns) == COLUMNS
    assert {"quote", "label", "strength", "source_dates"} <= set(frame.columns)
    row = frame.set_index("claim_id").loc["p05_parties_178"]
    assert row["quote"] == "the Protocol has 178 parties" and row["strength"] == "primary UN/UNODC document"
    assert "2020-10-09" in row["source_dates"]


def test_markdown_and_text_show_the_reports_words_and_the_legends(table):
    md = render(table, "markdown")
    assert "| the Protocol has 178 parties |" in md and "¶5: parties to the Protocol" in md
    assert "## Statuses" in md and "## Strength of the evidence" in md
    assert "Consistent' resting only on a secondary page or a curation label: " in md
    text = render(table, "text")
    assert "\u201cthe Protocol has 178 parties\u201d" in text
    assert "Strength of evidence:" in text and "Statuses:" in text


def test_the_summary_is_computed_from_the_table(table):
    summary = summary_text(table)
    n = len(table)
    assert summary.startswith(f"Of {n} quantitative statements")
    changed = table.copy()
    changed.loc[changed["claim_id"] == "p05_parties_178", "status"] = "differs"
    assert summary_text(changed) != summary and "p05_parties_178" in summary_text(changed)


def test_the_readme_summary_is_the_audits(table):
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    assert with_summary(readme, table) == readme, "run tipstats.render.write_readme_summary()"
    assert summary_text(table) in readme


def test_the_committed_claims_report_is_the_audits(table):
    committed = (REPO_DIR / "reports" / "claims.md").read_text(encoding="utf-8")
    assert committed == render(table, "markdown"), "run make claims"


def test_the_figure_counts_every_claim_by_paragraph_and_status(table):
    counts = verdicts_table(table)
    assert int(counts.to_numpy().sum()) == len(table)
    assert list(counts.index) == sorted(counts.index)
    assert counts.loc[75].sum() == int(table["paragraph"].str.match(r"75\b").sum())
    fig = verdicts_by_paragraph(table)
    bars = [p for ax in fig.axes for p in ax.patches]
    assert sum(int(round(b.get_height())) for b in bars) == len(table)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.tell() > 1000
