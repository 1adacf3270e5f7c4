"""Legislation: countries by level of criminalisation (Kelley), with UNODC's published counts beside them."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tipstats.analysis.legislation import LEVELS, level_counts
from tipstats.facts import TIP_PROTOCOL_IN_FORCE
from tipstats.figures import style as S
from tipstats.figures._registry import figure
from tipstats.report import REPORT_SOURCE_ID

LEVEL_COLOURS = {2: S.HIGHLIGHT, 1: S.CAMEL, 0: S.CONTEXT}

YARDSTICK_NOTE = (
    "Two yardsticks: Kelley codes full criminalisation (every form of trafficking, adults and children, "
    "significant penalties) for 180 countries up to 2014; UNODC counts countries whose legislation "
    "criminalises trafficking in line with the Protocol among those it assesses. The two counts are not "
    "comparable point for point."
)


def _load(name: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is not None:
        return frame
    import tipstats

    return tipstats.load(name)


def _count_x(row: pd.Series) -> float:
    """Position of a published count on the year axis: the month where the source gives one."""
    date = row.get("reference_date")
    if pd.notna(date):
        return date.year + (date.month - 1) / 12
    return float(row["reference_year"])


def _count_label(row: pd.Series) -> str:
    qualifier = f"{row['qualifier']} " if isinstance(row.get("qualifier"), str) else ""
    if pd.notna(row.get("countries_with_legislation")):
        value = f"{qualifier}{int(row['countries_with_legislation'])}"
        if pd.notna(row.get("countries_assessed")):
            value += f" of {int(row['countries_assessed'])}"
    else:
        value = f"{qualifier}{row['share_percent']:g}%"
    where = [row["edition"]] if isinstance(row.get("edition"), str) else []
    if row.get("source_id") == REPORT_SOURCE_ID:
        where.append("A/76/120")
    return f"{value} ({', '.join([row['date_or_period'], *where])})"


@figure(
    "legislation_counts",
    caption="Countries with full, partial or no criminalisation per year (Kelley coding, 2000-2014), with "
    "UNODC's published counts of countries with legislation as separately labelled points.",
    datasets=("legislation_panel", "legislation_counts", "sources"),
    notebook="02-legislation",
)
def legislation_counts(
    legislation_panel: pd.DataFrame | None = None,
    legislation_counts: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
) -> Figure:
    """Countries by level of criminalisation per year (Kelley), and UNODC's published counts as points."""
    panel = _load("legislation_panel", legislation_panel)
    counts = _load("legislation_counts", legislation_counts)
    by_level = level_counts(panel)
    full = by_level.loc[by_level["level"] == 2].set_index("year")["countries"]
    first, last = int(full.index.min()), int(full.index.max())
    numeric = counts.loc[counts["countries_with_legislation"].notna()].copy()
    shares = counts.loc[counts["countries_with_legislation"].isna() & counts["share_percent"].notna()]
    source_ids = [*panel["source_id"].unique(), *counts["source_id"].unique()]
    share_text = "; ".join(_count_label(r) for _, r in shares.sort_values("reference_year").iterrows())
    note = YARDSTICK_NOTE + (f" UNODC also states shares: {share_text}." if share_text else "")
    fig, ax = S.new_figure(
        f"Countries with full criminalisation rose from {full.loc[first]} in {first} to {full.loc[last]} in {last}",
        "Number of countries by level of criminalisation of trafficking in persons (Kelley coding: full, partial, "
        f"none), {first}-{last}; diamonds: UNODC's published counts of countries with legislation.",
        source_ids=source_ids,
        sources=sources,
        note=note,
        right=1.1,
        height=5.4,
    )
    for level in (0, 1, 2):
        series = by_level.loc[by_level["level"] == level]
        ax.plot(
            series["year"], series["countries"], color=LEVEL_COLOURS[level], label=LEVELS[level],
            linewidth=2.6 if level == 2 else 1.6, zorder=3 if level == 2 else 2,
        )  # fmt: skip
    S.label_line_ends(ax, values=True)
    in_force = TIP_PROTOCOL_IN_FORCE
    S.add_event_rule(ax, S.decimal_year(in_force), f"Protocol in force\n({in_force.day} {in_force:%b %Y})")
    numeric["x"] = numeric.apply(_count_x, axis=1)
    numeric = numeric.sort_values("x")
    for i, (_, row) in enumerate(numeric.iterrows()):
        S.mark_point(
            ax, row["x"], float(row["countries_with_legislation"]), _count_label(row), color=S.DENIM,
            marker="D", offset=(-6, 6 + 9 * (i % 2)), ha="right", va="bottom",
        )  # fmt: skip
    ax.set_xlim(first - 0.5, max(last, *(numeric["x"].tolist() or [last])) + 0.5)
    S.start_at_zero(ax)
    ax.set_ylim(0, max(ax.get_ylim()[1], 200))
    S.axis_title(ax, "Countries")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    return fig
