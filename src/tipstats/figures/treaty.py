"""Ratification: parties over time from the action dates, and the gap to the official counts after 2017.

The cumulative lines count, at each date, the participants whose action is known to precede it
(the dataset ``treaty_status``, through ``tipstats.analysis.treaty.party_windows``: one row per State,
the depositary's table first). An action known
only to a window (Palau) counts from the end of its window; the pale band above the line reaches
the count that also admits it from the start of its window. The dated counts of parties
(``party_counts``) are drawn as separate points, never joined to the line: after the UN Treaty
Collection table of January 2018 the rows know only the later accessions that sources document.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.dates import DateFormatter, YearLocator
from matplotlib.figure import Figure

from tipstats.analysis.treaty import (
    REPORT_SOURCE,
    count_at,
    cumulative_parties,
    known_vs_official,
    later_accessions,
    official_points,
    untc_last_action,
)
from tipstats.analysis.treaty import treaty_status as treaty_status_of
from tipstats.facts import TIP_PROTOCOL_IN_FORCE
from tipstats.figures import _claims
from tipstats.figures import style as S
from tipstats.figures._registry import figure

TREATY_LABELS = {
    "tip_protocol": "Trafficking Protocol",
    "som_protocol": "Smuggling Protocol",
    "untoc": "Convention (UNTOC)",
}
#: End labels on two lines where one would run over the other lines.
END_LABELS = {**TREATY_LABELS, "untoc": "Convention\n(UNTOC)"}
TREATY_COLOURS = {"tip_protocol": S.HIGHLIGHT, "som_protocol": S.DENIM, "untoc": S.CAMEL}
#: The claims of A/76/120 that date the reporting period (paragraph 4).
PERIOD_START_CLAIM, PERIOD_END_CLAIM = "p04_period_start", "p04_period_end"


def _load(name: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is not None:
        return frame
    import tipstats

    return tipstats.load(name)


def _status(treaty_status: pd.DataFrame | None, treaty_events: pd.DataFrame | None) -> pd.DataFrame:
    """The ``treaty_status`` rows: as given, else ``treaty_events`` as given resolved by its rule, else loaded."""
    if treaty_status is not None or treaty_events is None:
        return _load("treaty_status", treaty_status)
    return treaty_status_of(treaty_events)


def _source_ids(status: pd.DataFrame) -> list[str]:
    """Every source behind the rows, in the order of the rows."""
    return [sid for ids in status["source_ids"] for sid in str(ids).split(",")]


def _period(claims_registry: pd.DataFrame | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The report's reporting period (paragraph 4), from the claims registry."""
    claims = _claims.registry(claims_registry)
    return _claims.date(claims, PERIOD_START_CLAIM), _claims.date(claims, PERIOD_END_CLAIM)


def _draw_official(ax, points: pd.DataFrame, *, label_report: bool = True) -> list:
    """The dated counts: open diamonds (a bar spans a date known only to a month or a year); the
    report's own count (source ``a76120``) is a filled diamond, labelled. Returns the labels."""
    labels = []
    for _, row in points.iterrows():
        if row["date_latest"] > row["date_earliest"]:
            ax.plot(
                [row["date_earliest"], row["date_latest"]],
                [row["parties"]] * 2,
                color=S.DENIM,
                linewidth=1,
                label="_span",
            )
    ax.plot(
        points["x"], points["parties"].astype(float), linestyle="none", marker="D", markersize=4.5,
        markerfacecolor="white", markeredgecolor=S.DENIM, markeredgewidth=1.2, zorder=5, label="_official",
        gid="official-counts",
    )  # fmt: skip
    for _, row in points.loc[points["source_id"] == REPORT_SOURCE].iterrows():
        if not label_report:
            ax.plot(
                [row["x"]],
                [float(row["parties"])],
                marker="D",
                markersize=4.5,
                color=S.DENIM,
                zorder=6,
                label="_report",
            )
            continue
        labels.append(S.mark_point(
            ax, row["x"], float(row["parties"]), f"{int(row['parties'])} (A/76/120, {row['date_earliest'].day} {row['date_earliest']:%b %Y})",
            color=S.DENIM, marker="D", size=5, offset=(-5, 6), ha="right",
        ))  # fmt: skip
    return labels


def _draw_lines(
    ax, status: pd.DataFrame, treaties: list[str], start: pd.Timestamp, at: str = "end"
) -> tuple[dict[str, pd.DataFrame], list]:
    """The cumulative line of each treaty, labelled at its end; returns the series and the end labels."""
    series = {}
    lines = []
    for treaty in treaties:
        steps = cumulative_parties(treaty=treaty, status=status)
        if steps.empty:
            continue
        series[treaty] = steps
        shown = steps.loc[steps["date"] >= start]
        before = steps.loc[steps["date"] < start]
        if len(before):
            shown = pd.concat([before.tail(1).assign(date=start), shown])
        colour = TREATY_COLOURS[treaty]
        (line,) = ax.plot(
            shown["date"], shown["known"], drawstyle="steps-post", color=colour, label=TREATY_LABELS[treaty],
            linewidth=2.6 if treaty == "tip_protocol" else 1.6, zorder=3 if treaty == "tip_protocol" else 2,
        )  # fmt: skip
        lines.append(line)
        if (shown["possible"] != shown["known"]).any():
            ax.fill_between(
                shown["date"], shown["known"], shown["possible"], step="post", color=colour, alpha=0.25,
                linewidth=0, label="_window", gid="window-band",
            )  # fmt: skip
    labels = [END_LABELS[t] for t in series]
    return series, S.label_line_ends(ax, lines, labels=labels, values=True, at=at)


@figure(
    "ratification_timeline",
    caption="Cumulative parties to the Trafficking in Persons Protocol, the Smuggling of Migrants Protocol and the "
    "Organized Crime Convention from the UN Treaty Collection action dates, with the dated counts of parties.",
    datasets=("treaty_status", "party_counts", "sources"),
    notebook="01-ratification",
)
def ratification_timeline(
    treaty_events: pd.DataFrame | None = None,
    party_counts: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    claims_registry: pd.DataFrame | None = None,
    treaty_status: pd.DataFrame | None = None,
) -> Figure:
    """Parties over time for the three treaties (known rows), with the official counts as points.

    The parties are the rows of ``treaty_status`` (default: the dataset); ``treaty_events``, when
    given instead, are resolved by the same rule."""
    status = _status(treaty_status, treaty_events)
    counts = _load("party_counts", party_counts)
    start = pd.Timestamp("2000-01-01")
    in_force = TIP_PROTOCOL_IN_FORCE
    tip = cumulative_parties(treaty="tip_protocol", status=status)
    at_force, latest_untc = count_at(tip, in_force), untc_last_action(status)
    at_untc = count_at(tip, latest_untc)
    fig, ax = S.new_figure(
        f"Trafficking Protocol parties rose from {at_force} in {in_force.year} to {at_untc} by {latest_untc.year}",
        "Cumulative number of parties (States and the European Union) by date of deposit of the instrument, from "
        "the UN Treaty Collection tables and later documented accessions; diamonds: dated counts of parties to "
        "the Trafficking in Persons Protocol (filled: A/76/120).",
        source_ids=[*_source_ids(status), *counts["source_id"].unique()],
        sources=sources,
        note="The tables end in January 2018 (the Convention: January 2014): later parties appear only where a "
        "source documents them, so after 2017 the lines can fall below the dated counts.",
        width=8.5,
        right=1.9,
    )
    _series, end_labels = _draw_lines(ax, status, ["untoc", "som_protocol", "tip_protocol"], start)
    _draw_official(ax, official_points(counts), label_report=False)
    S.add_event_rule(ax, in_force, f"Protocol in force\n({in_force.day} {in_force:%b %Y})")
    S.add_period(ax, *_period(claims_registry), "Reporting\nperiod")
    S.start_at_zero(ax)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.12)  # room for the event labels above the lines
    ax.set_xlim(start, max(pd.Timestamp("2025-12-31"), counts["date_latest"].max()))
    ax.xaxis.set_major_locator(YearLocator(5))
    S.axis_title(ax, "Parties")
    # each label at its own line's end: beside it, else above or below the end (a line that stops early)
    ends = [((-2, 5), "right", "bottom"), ((-2, -5), "right", "top"), ((2, 6), "left", "bottom")]
    S.clear_labels(fig, [(text, [*S.beside(5, (-6, 6, -12, 12)), *ends]) for text in end_labels], leader_pt=8)
    return fig


@figure(
    "ratification_gap",
    caption="Trafficking in Persons Protocol parties since 2016: the parties the rows can date against the dated "
    "counts, each later accession labelled with how its date is known, the reporting period and paragraph 5 marked.",
    datasets=("treaty_status", "party_counts", "sources"),
    notebook="01-ratification",
)
def ratification_gap(
    treaty_events: pd.DataFrame | None = None,
    party_counts: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    claims_registry: pd.DataFrame | None = None,
    treaty_status: pd.DataFrame | None = None,
) -> Figure:
    """Known parties against the dated counts after the UNTC table ends, with each later accession named.

    The parties are the rows of ``treaty_status`` (default: the dataset); ``treaty_events``, when
    given instead, are resolved by the same rule."""
    status = _status(treaty_status, treaty_events)
    counts = _load("party_counts", party_counts)
    start = pd.Timestamp("2016-01-01")
    table = known_vs_official("tip_protocol", counts=counts, status=status)
    numeric = table.loc[table["parties"].notna()].sort_values(["date_latest", "source_id"])
    report = numeric.loc[numeric["source_id"] == REPORT_SOURCE]
    latest = numeric.tail(1)
    untc_end = untc_last_action(status)
    title = "After 2017 the dated rows fall short of the counts of parties"
    if len(report) and len(latest):
        r, last = report.iloc[0], latest.iloc[0]
        head = (
            f"Dated rows match the report's {int(r['parties'])} parties"
            if r["gap"] == 0
            else f"Dated rows name {int(r['known_parties'])} of the report's {int(r['parties'])} parties"
        )
        if last["gap"] > 0:
            title = f"{head}, but miss {int(last['gap'])} of {int(last['parties'])} by {pd.Timestamp(last['date_latest']).year}"
        else:
            title = head
    approximate = counts.loc[(counts["treaty"] == "tip_protocol") & counts["parties"].isna()]
    words = "; ".join(
        f"'{a}' ({d})" for a, d in zip(approximate["parties_as_given"], approximate["date"], strict=True)
    )
    fig, ax = S.new_figure(
        title,
        "Parties to the Trafficking in Persons Protocol: the line counts the parties whose deposit is dated by the "
        f"UN Treaty Collection table (to {untc_end:%B %Y}), A/76/120 or later evidence (band: an accession known only "
        "to a window); diamonds: dated counts of parties.",
        source_ids=[*_source_ids(status), *counts["source_id"].unique()],
        sources=sources,
        note=(f"Approximate counts not drawn: {words}. " if words else "")
        + "An accession that no source dates is missing from the line: the gap to a count is the number of "
        "parties the rows cannot name.",
        width=8.5,
        height=5.6,
        right=1.5,
    )
    _series, end_labels = _draw_lines(ax, status, ["tip_protocol"], start)
    points = official_points(counts)
    points = points.loc[points["date_latest"] >= start]
    report_labels = _draw_official(ax, points)
    for _, row in latest.iterrows():
        if pd.notna(row["gap"]) and row["gap"] > 0:
            x = pd.Timestamp(row["date_latest"])
            ax.annotate(
                "", xy=(x, float(row["parties"])), xytext=(x, float(row["known_parties"])),
                arrowprops={"arrowstyle": "<->", "color": S.ANNOTATION, "linewidth": 0.9, "shrinkA": 1, "shrinkB": 1},
                gid="gap",
            )  # fmt: skip
            S.annotate(ax, x, (float(row["parties"]) + float(row["known_parties"])) / 2, f"gap {int(row['gap'])}",
                       xytext=(4, 0), textcoords="offset points", gid="gap-label")  # fmt: skip
    S.add_event_rule(ax, untc_end, f"UNTC table ends\n({untc_end.day} {untc_end:%b %Y})", ha="right")
    S.add_period(ax, *_period(claims_registry), "Reporting\nperiod")
    tip = cumulative_parties(treaty="tip_protocol", status=status)
    later = later_accessions(None, untc_end, status=status)
    low = 5 * ((count_at(tip, start) - len(later) - 4) // 5)
    top = max(float(points["parties"].max()) if len(points) else 0.0, float(tip["possible"].max())) + 3
    ax.set_ylim(low, top)
    numbers = _label_later(ax, later, tip)
    ax.set_xlim(start, max(pd.Timestamp("2025-12-31"), counts["date_latest"].max()))
    ax.xaxis.set_major_locator(YearLocator(1))
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    S.axis_title(ax, "Parties (the axis does not start at 0)")
    S.clear_labels(
        fig,
        [
            *[(text, S.beside(5, (-6, 6, -12, 12))) for text in end_labels],
            *[
                (text, [((-5, 12), "right", "bottom"), ((5, 6), "left", "bottom"), *S.around(6)])
                for text in report_labels
            ],
            *[(text, S.around(3)) for text in numbers],
        ],
        leader_pt=8,
    )
    return fig


def _label_later(ax, later: pd.DataFrame, tip: pd.DataFrame) -> list:
    """Each later accession: a numbered dot where the line steps, and a numbered list in the lower right.
    Returns the numbers at the dots."""
    numbers = []
    for n, (_, row) in enumerate(later.iterrows(), start=1):
        x = pd.Timestamp(row["action_date_latest"])
        y = count_at(tip, x, "known")
        colour = S.HIGHLIGHT if row["source_id"] == REPORT_SOURCE else S.ANNOTATION
        ax.plot(
            [x], [y], marker="o", markersize=3.5, color=colour, linestyle="none", zorder=4, label="_later"
        )
        numbers.append(S.annotate(ax, x, y, str(n), xytext=(-4, 0), textcoords="offset points", ha="right",
                                  color=colour, fontsize=7, fontweight="bold", gid="accession-number"))  # fmt: skip
        ax.annotate(
            f"{n}  {row['label']}", xy=(0.99, 0.03), xycoords="axes fraction",
            xytext=(0, 10 * (len(later) - n)), textcoords="offset points", ha="right", va="bottom",
            fontsize=7, color=colour, gid="accession-label", annotation_clip=False,
        )  # fmt: skip
    return numbers
