"""The UN Voluntary Trust Fund for Victims of Trafficking: sourced figures next to the report's.

Every point keeps its qualifier: the marker says how the source bounds the number (a filled dot: as
stated; a triangle up: "more than", "over"; a hollow dot: "about", "close to", "some"; a triangle
down: "up to") and its label repeats the words. Blue points are the sourced UNODC figures (the
``trust_fund`` dataset); rust diamonds are what A/76/120 states (the claims registry). A figure
known only for a year or a period is drawn at its middle with a bar across the span.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.dates import DateFormatter, YearLocator
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tipstats.analysis.trust_fund import CALL_METRICS, call_rows, drawn_call_rows, in_unit, sourced_points
from tipstats.figures import _claims
from tipstats.figures import style as S
from tipstats.figures._registry import figure
from tipstats.report import REPORT_SOURCE_ID

SOURCED = S.DENIM
REPORT = S.HIGHLIGHT
LOWER_BOUNDS = ("more than", "over", "minimum")
UPPER_BOUNDS = ("up to", "maximum")
MARKER_KEY = (
    "Markers: filled, as stated; triangle up, 'more than' or 'over'; hollow, 'about', 'close to', 'some'; "
    "triangle down, 'up to'. Blue: UNODC and pages quoting it; rust diamonds: A/76/120."
)

#: The report's statements drawn in the overview, by panel (claims registry ids).
REPORT_CLAIMS = {
    "contributions": ["p77_cumulative_7_9m"],
    "in_year": ["p75_contributions_2020"],
    "grants": ["p75_grants_4_8m"],
    "projects": ["p75_projects_90"],
    "countries": ["p75_countries_50"],
    "victims": ["p74_victims_3500"],
}
TARGET_CLAIM = "p75_funding_target"
#: Overview panels: title, unit, and the dataset quantities drawn in each.
PANELS = {
    "contributions": (
        "Contributions, cumulative",
        "USD million",
        ["cumulative_contributions_since_inception"],
    ),
    "in_year": ("Contributions in the year", "USD million", ["contributions_received_in_year"]),
    "grants": (
        "Grants awarded, cumulative",
        "USD million",
        ["cumulative_grants_awarded_since_inception", "cumulative_grants_awarded_since_2011"],
    ),
    "projects": (
        "Projects funded, cumulative",
        "projects",
        ["cumulative_ngo_projects_funded", "cumulative_projects_funded"],
    ),
    "countries": ("Countries with projects, cumulative", "countries", ["cumulative_project_countries"]),
    "victims": ("Victims assisted per year", "persons", ["victims_assisted_per_year"]),
}


def _load(name: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is not None:
        return frame
    import tipstats

    return tipstats.load(name)


def marker_for(qualifier: object) -> tuple[str, bool]:
    """Marker and fill for a qualifier: ``("o", True)`` as stated, ``("^", True)`` a lower bound, ...

    >>> marker_for(None), marker_for("more than"), marker_for("close to"), marker_for("up to")
    (('o', True), ('^', True), ('o', False), ('v', True))
    """
    if not isinstance(qualifier, str) or not qualifier or qualifier == "exactly":
        return "o", True
    if qualifier in LOWER_BOUNDS:
        return "^", True
    if qualifier in UPPER_BOUNDS:
        return "v", True
    return "o", False


def report_points(claims: pd.DataFrame, claim_ids: list[str], unit: str) -> pd.DataFrame:
    """The report's values of ``claim_ids`` in ``unit``, placed at their reference date or period."""
    from tipstats.claims_audit.registry import date_bounds

    out = []
    for claim_id in claim_ids:
        row = _claims.claim(claims, claim_id)
        when = row["reference_date"] if isinstance(row["reference_date"], str) else None
        if when is not None:
            start, end = date_bounds(when)
        else:
            start, end = date_bounds(row["period_start"])[0], date_bounds(row["period_end"])[1]
        out.append(
            {
                "start": start, "end": end, "x": start + (end - start) / 2,
                "value": in_unit(float(row["reported_value"]), row["unit"], unit),
                "qualifier": row["comparator"], "claim_id": claim_id, "paragraph": row["paragraph"],
            }
        )  # fmt: skip
    return pd.DataFrame(out)


def _value_text(value: float, qualifier: object, unit: str) -> str:
    number = f"{value:,.2f}".rstrip("0").rstrip(".") if unit == "USD million" else f"{value:,.0f}"
    words = f"{qualifier} " if isinstance(qualifier, str) and qualifier not in ("exactly", "") else ""
    return f"{words}{number}"


def _draw_points(ax, points: pd.DataFrame, colour: str, unit: str, *, report: bool) -> list[tuple]:
    """Markers (and span bars) for ``points``; returns their labels for :func:`style.label_points`."""
    labels = []
    for _, row in points.iterrows():
        marker, filled = marker_for(row["qualifier"])
        if report:
            marker = {"o": "D"}.get(marker, marker)
        if row["end"] > row["start"]:
            ax.plot(
                [row["start"], row["end"]], [row["value"]] * 2, color=colour, linewidth=1.0, label="_span"
            )
        ax.plot(
            [row["x"]], [row["value"]], marker=marker, markersize=5.5, linestyle="none", zorder=5,
            markerfacecolor=colour if filled else "white", markeredgecolor=colour, markeredgewidth=1.2,
            label="_report" if report else "_sourced", gid="report-point" if report else "sourced-point",
        )  # fmt: skip
        text = _value_text(row["value"], row["qualifier"], unit)
        text += " (A/76/120)" if report else f" ({_when(row)})"
        labels.append((row["end"], row["value"], text, colour))
    return labels


def _when(row: pd.Series) -> str:
    start, end = row["start"], row["end"]
    if start == end:
        return f"{start:%b %Y}"
    if start.year == end.year and start.month == end.month:
        return f"{start:%b %Y}"
    if start.year == end.year:
        return f"{start.year}"
    return f"{start.year}-{end.year}"


@figure(
    "trust_fund_overview",
    caption="The trust fund over time: cumulative contributions, grants, projects and countries, contributions in the "
    "year against the annual target, and victims assisted, each sourced figure with its qualifier beside the report's.",
    datasets=("trust_fund", "sources"),
    notebook="05-trust-fund",
)
def trust_fund_overview(
    trust_fund: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    claims_registry: pd.DataFrame | None = None,
) -> Figure:
    """Six panels of the fund's sourced figures over time, with the report's statements marked."""
    figures_ = _load("trust_fund", trust_fund)
    claims = _claims.registry(claims_registry)
    target = _claims.claim(claims, TARGET_CLAIM)
    received = report_points(claims, REPORT_CLAIMS["in_year"], "USD million")
    target_value = in_unit(float(target["reported_value"]), target["unit"], "USD million")
    share = received["value"].iloc[0] / target_value if len(received) else np.nan
    title = (
        f"Contributions in {received['start'].iloc[0].year} reached {share:.0%} of the fund's annual target"
        if len(received)
        else "The trust fund's figures, as sourced and as the report states them"
    )
    undated = sum(sourced_points(figures_, quantities, unit)[1] for _t, unit, quantities in PANELS.values())
    note = MARKER_KEY + (
        f" Not drawn: {undated} undated figure{'s' if undated > 1 else ''} (see the notebook)."
        if undated
        else ""
    )
    fig, axes = S.new_figure(
        title,
        "UN Voluntary Trust Fund for Victims of Trafficking in Persons, Especially Women and Children: figures stated by "
        "UNODC pages and press releases (blue), with their qualifiers, and the figures A/76/120 states (rust), each "
        "at the date or period it refers to.",
        source_ids=[*figures_["source_id"].unique(), REPORT_SOURCE_ID],
        sources=sources,
        note=note,
        nrows=2,
        ncols=3,
        width=11.0,
        height=7.0,
        left=0.55,
        right=1.5,
        wspace=0.55,
        hspace=0.55,
        xlabel_space=0.35,
    )
    placed = []
    for ax, (key, (panel_title, unit, quantities)) in zip(axes.flat, PANELS.items(), strict=True):
        sourced, _undated = sourced_points(figures_, quantities, unit)
        report = report_points(claims, REPORT_CLAIMS[key], unit)
        labels = []
        if key == "in_year":
            _in_year_bars(ax, sourced, report, target, target_value)
        else:
            labels += _draw_points(ax, sourced, SOURCED, unit, report=False)
            labels += _draw_points(ax, report, REPORT, unit, report=True)
        ax.set_title(f"{panel_title} ({unit})", loc="left", fontsize=8.5)
        top = max([*(sourced["value"].tolist()), *(report["value"].tolist()), 0.0])
        if key == "in_year":
            top = max(top, target_value)
        ax.set_ylim(0, top * 1.3 or 1)
        both = pd.concat([sourced[["start", "end"]], report[["start", "end"]]])
        ax.set_xlim(both["start"].min() - pd.Timedelta(days=240), both["end"].max() + pd.Timedelta(days=240))
        span_years = (both["end"].max() - both["start"].min()).days / 365
        ax.xaxis.set_major_locator(YearLocator(1 if span_years < 6 else 2))
        ax.xaxis.set_major_formatter(DateFormatter("%Y"))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        placed += S.label_points(ax, labels, gid="point-label")
    # a label on a marker or a span: beside its point, higher or lower, else on another side
    S.clear_labels(fig, [(text, [*S.beside(6, (-7, 7, -14, 14)), *S.around(5)]) for text in placed])
    return fig


def _in_year_bars(
    ax, sourced: pd.DataFrame, report: pd.DataFrame, target: pd.Series, target_value: float
) -> None:
    """Contributions received in a year: bars across the year, the annual target as a reference line."""
    for points, colour, is_report in ((sourced, SOURCED, False), (report, REPORT, True)):
        for _, row in points.iterrows():
            width = (row["end"] - row["start"]) * 0.8
            marker, filled = marker_for(row["qualifier"])
            ax.bar(
                row["x"], row["value"], width=width, color=colour if filled else "white", edgecolor=colour,
                linewidth=1.2, label="_report" if is_report else "_sourced",
                gid="report-bar" if is_report else "sourced-bar",
            )  # fmt: skip
            text = _value_text(row["value"], row["qualifier"], "USD million")
            text += "\n(A/76/120)" if is_report else ""
            S.annotate(ax, row["x"], row["value"], text, xytext=(0, 3), textcoords="offset points", ha="center",
                       va="bottom", color=colour, gid="report-label" if is_report else "sourced-label")  # fmt: skip
    ax.axhline(target_value, color=REPORT, linewidth=1.0, linestyle=(0, (4, 2)), gid="target-line")
    S.annotate(
        ax, 0.0, target_value, f"annual target {target_value:g} (A/76/120, para. {target['paragraph']})",
        xycoords=("axes fraction", "data"), xytext=(2, 3), textcoords="offset points", va="bottom", color=REPORT,
        gid="target-label",
    )  # fmt: skip


def _calls_note(rows: pd.DataFrame, claims: pd.DataFrame) -> str:
    """The note under the per-call figure: qualifiers, and where the report and the sources disagree."""
    parts = [
        "Digits in the bars: sub-grant programme 1 or 2. Bars with a white fill are bounded or rounded figures "
        "('about', 'close to', 'up to')."
    ]
    year = _claims.claim(claims, "p75_call4_year")
    projects = _claims.claim(claims, "p75_call4_projects_32")
    sourced = rows.loc[(rows["call"] == 4) & (rows["metric"] == "projects") & (rows["programme"] == "all")]
    if len(sourced):
        parts.append(
            f"A/76/120 dates the fourth call's {float(projects['reported_value']):g} projects to "
            f"{year['reported_value']}; the UNODC source dates them to {sourced['date_or_period'].iloc[0]}."
        )
    launch = _claims.date(claims, "p75_call5_launch")
    proposals = _claims.claim(claims, "p75_proposals_500")
    parts.append(
        f"The report's {proposals['comparator']} {float(proposals['reported_value']):g} proposals of "
        f"{proposals['period_start']} to {proposals['period_end']} are drawn at the fifth call, launched "
        f"{launch.day} {launch:%B %Y} (para. {_claims.claim(claims, 'p75_call5_launch')['paragraph']})."
    )
    return " ".join(parts)


CALL_REPORT = {
    "projects": [("p75_call4_projects_32", 4)],
    "proposals": [("p75_ngos_268", 4), ("p75_proposals_500", 5)],
}
PROGRAMME_OFFSET = {"all": 0.0, "sgp1": -0.21, "sgp2": 0.21}


@figure(
    "trust_fund_calls",
    caption="The trust fund's calls for proposals: projects awarded, grants and proposals received per call as UNODC "
    "sources state them (sub-programmes apart), with the report's fourth-call and 2020-21 figures marked.",
    datasets=("trust_fund", "sources"),
    notebook="05-trust-fund",
)
def trust_fund_calls(
    trust_fund: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    claims_registry: pd.DataFrame | None = None,
) -> Figure:
    """Projects, grants and proposals per call for proposals (bars), with the report's figures as diamonds."""
    figures_ = _load("trust_fund", trust_fund)
    claims = _claims.registry(claims_registry)
    rows = call_rows(figures_)
    rows = drawn_call_rows(rows)
    best = {
        m: rows.loc[rows["metric"] == m].sort_values(["value", "call"], ascending=[False, True]).head(1)
        for m in CALL_METRICS
    }
    if len(best["projects"]) and len(best["proposals"]):
        p, q = best["projects"].iloc[0], best["proposals"].iloc[0]
        title = (
            f"Call {p['call']} funded the most projects ({p['value']:g}); call {q['call']} drew the most "
            f"proposals ({q['value']:g})"
        )
    else:
        title = "The trust fund's calls for proposals"
    fig, axes = S.new_figure(
        title,
        "UN Voluntary Trust Fund for Victims of Trafficking in Persons: figures per call for proposals as UNODC pages "
        "state them (bars; where only sub-programmes 1 and 2 are reported, their bars stand side by side, never "
        "added), and the figures A/76/120 gives (rust diamonds). Calls without a bar have no sourced figure.",
        source_ids=[*figures_["source_id"].unique(), REPORT_SOURCE_ID],
        sources=sources,
        note=_calls_note(rows, claims),
        ncols=3,
        width=11.0,
        height=5.2,
        left=0.55,
        right=0.4,
        wspace=0.3,
    )
    last_call = int(max(rows["call"].max() if len(rows) else 1, 1))
    labels = []
    for ax, (metric, (panel_title, _s)) in zip(axes.flat, CALL_METRICS.items(), strict=True):
        mine = rows.loc[rows["metric"] == metric]
        for _, row in mine.iterrows():
            x = row["call"] + PROGRAMME_OFFSET.get(row["programme"], 0.0)
            _marker, filled = marker_for(row["qualifier"])
            width = 0.4 if row["programme"] != "all" else 0.62
            ax.bar(x, row["value"], width=width, color=SOURCED if filled else "white", edgecolor=SOURCED,
                   linewidth=1.1, label="_sourced", gid="sourced-bar")  # fmt: skip
            number = _value_text(row["value"], None, row["unit"])
            words = f"{row['qualifier']}\n" if isinstance(row["qualifier"], str) else ""
            value_label = S.annotate(ax, x, row["value"], f"{words}{number}", xytext=(0, 2), textcoords="offset points",
                                     ha="center", va="bottom", color=SOURCED, fontsize=6.5, gid="sourced-label")  # fmt: skip
            # side by side bars: a label that meets its neighbour's moves to its own side
            side = (
                [((-1, 2), "right", "bottom")] if row["programme"] == "sgp1" else [((1, 2), "left", "bottom")]
            )
            labels.append((value_label, [*side, *S.around(3)]))
            if row["programme"] != "all":
                S.annotate(ax, x, 0, row["programme"].removeprefix("sgp"), xytext=(0, 2), textcoords="offset points",
                           ha="center", va="bottom", color="white" if filled else SOURCED, fontsize=6.5,
                           fontweight="bold", gid="programme-label")  # fmt: skip
        for claim_id, call in CALL_REPORT.get(metric, []):
            row = _claims.claim(claims, claim_id)
            value = float(row["reported_value"])
            marker, filled = marker_for(row["comparator"])
            ax.plot([call + 0.32], [value], marker="D" if marker == "o" else marker, markersize=6, linestyle="none",
                    markerfacecolor=REPORT if filled else "white", markeredgecolor=REPORT, markeredgewidth=1.2,
                    zorder=5, label="_report", gid="report-point")  # fmt: skip
            words = f"{row['comparator']} " if row["comparator"] != "exactly" else ""
            report_label = S.annotate(ax, call + 0.32, value, f"{words}{value:,.0f}\n(A/76/120)", xytext=(5, 0),
                                      textcoords="offset points", color=REPORT, fontsize=6.5, gid="report-label")  # fmt: skip
            labels.append((report_label, [((-5, 0), "right", "center"), *S.around(5)]))
        ax.set_title(panel_title, loc="left", fontsize=8.5)
        ax.set_xticks(range(1, last_call + 1), [f"Call {c}" for c in range(1, last_call + 1)])
        ax.tick_params(axis="x", labelsize=7)
        ax.set_xlim(0.4, last_call + 0.9)
        S.start_at_zero(ax)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.2)
        ax.yaxis.set_major_locator(MaxNLocator(4))
    S.clear_labels(fig, labels)
    return fig
