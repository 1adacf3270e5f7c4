"""Detected victims: shares by sex and age, and by form of exploitation, published and computed.

Each figure has two sides. Left: the global shares that GLOTIP editions published (as quoted in the
``glotip_text_figures`` source), by the data year they refer to; every quotation is a dot, and the
line joins the years where the quotations agree. Right: the same shares computed by tipstats from the
dataUNODC country data per year, with the number of countries behind each year in a strip below, so
the changing coverage is never hidden.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from tipstats.analysis.victims import (
    FORMS,
    VICTIM_GROUPS,
    agreed_line,
    computed_share,
    first_published,
    latest_published,
    published_points,
    with_children,
)
from tipstats.figures import _claims
from tipstats.figures import style as S
from tipstats.figures._registry import figure

#: The GLOTIP edition that A/76/120 (paragraph 38(a)) cites: its points carry their values.
REPORT_EDITION = "GLOTIP 2020"
#: A computed share this many points from the published one is named in the title.
DIFFERS_BY = 3.0
#: The report's statement on children's share (claims registry).
CHILDREN_CLAIM = "p38a_children_over_30"

VICTIM_LABELS = {"women": "Women", "men": "Men", "girls": "Girls", "boys": "Boys", "children": "Children"}
VICTIM_COLOURS = {
    "women": S.CONTEXT,
    "men": S.CONTEXT,
    "girls": S.DENIM,
    "boys": S.TEAL,
    "children": S.HIGHLIGHT,
}

FORM_LABELS = {
    "sexual_exploitation": "Sexual exploitation",
    "forced_labour": "Forced labour",
    "other_forms": "Other forms",
}
FORM_COLOURS = {"sexual_exploitation": S.HIGHLIGHT, "forced_labour": S.DENIM, "other_forms": S.CONTEXT}


def _load(name: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is not None:
        return frame
    import tipstats

    return tipstats.load(name)


def _editions_by_x(points: pd.DataFrame) -> dict[float, str]:
    out = {}
    for x, group in points.groupby("x"):
        years = sorted({e.removeprefix("GLOTIP ") for e in group["edition"].dropna()})
        out[float(x)] = ", ".join(years)
    return out


def _published_panel(ax, shares, member, members, labels, colours, report_edition) -> list:
    """Draw the published side; returns the value labels of the cited edition (to keep them clear)."""
    points, skipped = published_points(shares, member, members)
    lines = []
    values = []
    for name in members:
        mine = points.loc[points[member] == name]
        if mine.empty:
            continue
        colour = colours[name]
        bold = colour != S.CONTEXT
        line = agreed_line(mine.loc[mine["x_start"] == mine["x_end"]])
        (drawn,) = ax.plot(
            line["x"], line["share"], color=colour, linewidth=2.4 if colour == S.HIGHLIGHT else 1.6,
            label=labels[name], zorder=3 if bold else 2, marker="o", markersize=4,
        )  # fmt: skip
        lines.append(drawn)
        spans = mine.loc[mine["x_start"] < mine["x_end"]]
        for _, row in spans.iterrows():
            ax.plot(
                [row["x_start"], row["x_end"]],
                [row["share"]] * 2,
                color=colour,
                linewidth=1.2,
                label="_period",
            )
        ax.plot(
            mine["x"], mine["share"], linestyle="none", marker="o", markersize=4, color=colour, label="_quote"
        )
        if report_edition and bold:
            cited = mine.loc[mine["edition"] == report_edition].drop_duplicates(["x", "share"])
            for _, row in cited.iterrows():
                values.append(
                    S.mark_point(
                        ax,
                        row["x"],
                        row["share"],
                        f"{row['share']:g}%",
                        color=colour,
                        offset=(-4, 5),
                        ha="right",
                    )
                )
    S.label_line_ends(ax, lines, values=True, fmt="{:.0f}%")
    single = points.loc[points["x_start"] == points["x_end"]]
    ticks = sorted(single["x"].unique())
    ax.set_xticks(ticks, [f"{x:g}" for x in ticks])
    ax.tick_params(axis="x", labelsize=7.5)
    if not points.empty:
        ax.set_xlim(points["x_start"].min() - 1, points["x_end"].max() + 1)
    editions = _editions_by_x(points)
    words = "; ".join(f"{_x_words(points, x)}: {editions[x]}" for x in sorted(editions))
    ax.annotate(
        S._wrap(f"Editions quoted (data year: GLOTIP edition): {words}", 4.0, 7.0), xy=(0, 0),
        xycoords="axes fraction", xytext=(0, -22), textcoords="offset points", ha="left", va="top",
        fontsize=7.0, color=S.ANNOTATION, gid="editions", annotation_clip=False,
    )  # fmt: skip
    return values


def _x_words(points: pd.DataFrame, x: float) -> str:
    row = points.loc[points["x"] == x].iloc[0]
    if row["x_start"] == row["x_end"]:
        return f"{x:g}"
    return f"{row['x_start']:g}-{row['x_end']:g}"


def _computed_panel(ax, strip, shares, member, members, labels, colours) -> tuple[int, int]:
    computed = shares.loc[
        (shares["basis"] == "computed") & (shares["among"] == "all") & shares[member].isin(members)
    ]
    if member == "group":
        computed = with_children(computed)
    lines = []
    for name in members:
        mine = computed.loc[computed[member] == name].sort_values("year")
        if mine.empty:
            continue
        colour = colours[name]
        (drawn,) = ax.plot(
            mine["year"].astype(float), mine["share"].astype(float), color=colour, label=labels[name],
            linewidth=2.4 if colour == S.HIGHLIGHT else 1.6, zorder=3 if colour != S.CONTEXT else 2,
        )  # fmt: skip
        lines.append(drawn)
    S.label_line_ends(ax, lines, values=True, fmt="{:.0f}%")
    per_year = computed.groupby("year")["n_countries"].max().sort_index()
    strip.bar(per_year.index.astype(float), per_year.to_numpy(dtype=float), width=0.7, color=S.CONTEXT)
    strip.set_ylim(0, max(float(per_year.max()) if len(per_year) else 1, 1) * 1.15)
    strip.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    strip.set_title(
        "Countries behind each year", loc="left", fontsize=7.5, color=S.ANNOTATION, fontweight="normal"
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    if len(per_year):
        return int(per_year.min()), int(per_year.max())
    return 0, 0


def _shares_figure(
    shares: pd.DataFrame,
    sources: pd.DataFrame | None,
    *,
    member: str,
    members: tuple[str, ...],
    labels: dict[str, str],
    colours: dict[str, str],
    title: str,
    subtitle: str,
    note: str,
    report_edition: str | None,
    reference: tuple[float, str] | None = None,
) -> Figure:
    used = shares.loc[shares[member].isin(members) & (shares["among"] == "all")]
    _, skipped = published_points(shares, member, members)
    if skipped:
        note += (
            f" Not drawn: {len(skipped)} published quotation{'s' if len(skipped) > 1 else ''} given only in words, "
            "as a range or for an unstated period (listed in the notebook)."
        )
    fig, axes = S.new_figure(
        title, subtitle, source_ids=used["source_id"].unique(), sources=sources, note=note,
        nrows=2, ncols=2, width=10.5, height=6.6, right=1.5, wspace=0.62, hspace=0.35,
        gridspec_kw={"height_ratios": [4, 1]},
    )  # fmt: skip
    left, right, blank, strip = axes[0, 0], axes[0, 1], axes[1, 0], axes[1, 1]
    blank.set_visible(False)
    left.sharey(right)
    left.set_title("Published by GLOTIP editions (data year)", loc="left")
    right.set_title("Computed from dataUNODC country data", loc="left")
    values = _published_panel(left, shares, member, members, labels, colours, report_edition)
    _computed_panel(right, strip, shares, member, members, labels, colours)
    strip.sharex(right)
    for ax in (left, right):
        S.start_at_zero(ax)
        S.percent(ax)
    top = max(left.get_ylim()[1], right.get_ylim()[1])
    left.set_ylim(0, top)
    if reference is not None:
        value, text = reference
        for ax in (left, right):
            ax.axhline(value, color=S.ANNOTATION, linewidth=0.8, zorder=1.8, gid="reference-line")
        label = S.annotate(
            left, 0.0, value, text, xycoords=("axes fraction", "data"), xytext=(2, 2), textcoords="offset points",
            va="bottom", ha="left", gid="reference-label",
        )  # fmt: skip
        # the rule's label: at the left or the right end of the rule, above or below it
        places = [
            ((2, -2), "left", "top"), ((-2, 2), "right", "bottom", (1.0, value)),
            ((-2, -2), "right", "top", (1.0, value)),
        ]  # fmt: skip
        S.clear_labels(fig, [(label, places)])
    S.clear_labels(fig, [(text, [*S.around(4), *S.around(6, steps=(2, 3))]) for text in values])
    return fig


@figure(
    "victim_shares_by_edition",
    caption="Shares of women, men, girls and boys among detected victims: as published by GLOTIP editions "
    "(children passing 30 per cent) and as computed from the country data, with the countries behind each year.",
    datasets=("victim_shares", "sources"),
    notebook="04-victims",
)
def victim_shares_by_edition(
    victim_shares: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    claims_registry: pd.DataFrame | None = None,
    *,
    report_edition: str | None = REPORT_EDITION,
) -> Figure:
    """Published and computed shares of women, men, girls, boys and children among detected victims.

    The reference line is the report's threshold for children (A/76/120, paragraph 38(a): "over 30 per
    cent"), read from the claims registry.
    """
    shares = _load("victim_shares", victim_shares)
    claims = _claims.registry(claims_registry)
    row = _claims.claim(claims, CHILDREN_CLAIM)
    threshold = float(row["reported_value"])
    first = first_published(shares, "group", "children")
    latest = latest_published(shares, "group", "children")
    if first and latest:
        title = (
            f"GLOTIP's share of children among detected victims rose from {first[1]:g}% ({first[0]}) to "
            f"{latest[1]:g}% ({latest[0]})"
        )
        computed = computed_share(shares, "group", "children", int(latest[0]))
        if computed is not None and abs(round(computed[0]) - latest[1]) >= DIFFERS_BY:
            # the computed panel gives another value for the same year: say so, and why
            title += f"; the {computed[1]} countries reporting all four groups give {computed[0]:.0f}% for {latest[0]}"
    else:
        title = "Children's share of detected victims as GLOTIP published it"
    return _shares_figure(
        shares, sources, member="group", members=VICTIM_GROUPS, labels=VICTIM_LABELS, colours=VICTIM_COLOURS,
        title=title,
        subtitle="Share of women, men, girls and boys (and children: girls and boys) among detected victims of "
        "trafficking, in per cent. Left: global shares published by GLOTIP, by data year (each quotation a dot). "
        "Right: computed from the dataUNODC country data over the countries reporting all four groups that year.",
        note="The published shares are UNODC's over the countries reporting in each edition ('or most recent "
        "year'); the computed shares use a different, changing set of countries, so the two sides are not "
        "the same measure and neither side is a trend over a fixed set of countries.",
        report_edition=report_edition,
        reference=(threshold, f"{row['comparator']} {threshold:g} per cent\n(A/76/120, para. {row['paragraph']})"),
    )  # fmt: skip


@figure(
    "exploitation_shares_by_edition",
    caption="Shares of detected victims by form of exploitation: as published by GLOTIP editions (50 and 38 per "
    "cent in the 2020 edition) and as computed from the country data, with the countries behind each year.",
    datasets=("exploitation_shares", "sources"),
    notebook="04-victims",
)
def exploitation_shares_by_edition(
    exploitation_shares: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    *,
    report_edition: str | None = REPORT_EDITION,
) -> Figure:
    """Published and computed shares of detected victims by form of exploitation."""
    shares = _load("exploitation_shares", exploitation_shares)
    sexual = latest_published(shares, "form", "sexual_exploitation")
    labour = latest_published(shares, "form", "forced_labour")
    if sexual and labour and labour[1] > sexual[1]:
        title = f"Forced labour overtook sexual exploitation in the published shares ({labour[0]})"
    else:
        title = "Sexual exploitation and forced labour remain the main forms of exploitation detected"
    return _shares_figure(
        shares, sources, member="form", members=FORMS, labels=FORM_LABELS, colours=FORM_COLOURS,
        title=title,
        subtitle="Share of detected victims by form of exploitation, in per cent. Left: global shares published by "
        "GLOTIP, by data year (each quotation a dot; a bar spans a multi-year period). Right: computed from the "
        "dataUNODC country data over the countries reporting every form that year.",
        note="Published shares are UNODC's over the countries reporting in each edition; conflicting quotations "
        "of one edition are all drawn and the line breaks there. The computed shares use a changing set of "
        "countries: not a trend.",
        report_edition=report_edition,
    )  # fmt: skip
