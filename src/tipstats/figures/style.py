"""The shared figure style: palette, the ``tip.mplstyle`` sheet and the small helpers every figure uses.

The manner is Our World in Data's: a title that states the point, a subtitle that says what is
plotted, lines labelled at their ends instead of a legend, muted grey context with one highlighted
subject, a faint horizontal grid, a dashed labelled rule for events, a horizontal axis title at the
top left, and a source line under every chart that cites the ``sources`` registry.

Figures are plain :class:`matplotlib.figure.Figure` objects (never ``pyplot``), so they need no
backend, are garbage-collected like any object, and show once in a notebook (``%matplotlib inline``).

Every text the helpers add carries a ``gid`` (``"title"``, ``"subtitle"``, ``"source"``, ``"note"``,
``"axis-title"``, ``"end-label"``, ``"event-label"``, ``"period-label"``, ``"point-label"``) and every
rule a ``gid`` (``"event-rule"``, ``"period"``), so tests and users can find them with :func:`texts`.

>>> fig, ax = new_figure("Parties rose", "Number of parties", source_ids=[], sources=None)
>>> [t.get_text() for t in texts(fig, "title")]
['Parties rose']
"""

from __future__ import annotations

import contextlib
import re
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import blended_transform_factory

# -- colours (one place) ------------------------------------------------------------------------

#: OWID line order: Denim, Rusty Orange, Camel, Light Teal, Purple, Maroon (colour-blind checked by OWID).
PALETTE = ("#4c6a9c", "#b13507", "#996d39", "#2c8465", "#6d3e91", "#883039")
DENIM, RUSTY, CAMEL, TEAL, PURPLE, MAROON = PALETTE
#: The single highlighted subject.
HIGHLIGHT = RUSTY
#: Muted context lines and their labels.
CONTEXT = "#a6a6a6"
CONTEXT_LABEL = "#8c8c8c"
#: Annotations, event rules, notes, the source line.
ANNOTATION = "#5b5b5b"
#: Pale band for periods.
BAND = "#ece7dd"

STYLE_FILE = "tip.mplstyle"
#: Fixed layout, in inches, so titles and source lines sit at the same place on every figure.
TITLE_TOP_IN = 0.22
TITLE_SIZE = 13.0
SUBTITLE_SIZE = 9.5
SOURCE_SIZE = 7.5
LINE_IN = {TITLE_SIZE: 0.27, SUBTITLE_SIZE: 0.19, SOURCE_SIZE: 0.15}


def style_path() -> Path:
    """Path of the shipped ``tip.mplstyle``."""
    return Path(str(resources.files("tipstats.figures") / STYLE_FILE))


@contextlib.contextmanager
def style_context() -> Iterator[None]:
    """Apply the tipstats style inside a ``with`` block (drawing and saving)."""
    with mpl.rc_context(), matplotlib.style.context(str(style_path())):
        yield


def use_style() -> None:
    """Make the tipstats style the default for every figure drawn afterwards (for your own plots)."""
    matplotlib.style.use(str(style_path()))


def styled(function: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorator: run a figure function inside :func:`style_context`."""
    import functools

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with style_context():
            return function(*args, **kwargs)

    return wrapper


# -- finding what a figure holds (tests, users) ----------------------------------------------------


def texts(fig: Figure, gid: str) -> list[Text]:
    """Every text artist of ``fig`` (figure or axes level) whose gid is ``gid``, in drawing order."""
    return [artist for artist in fig.findobj(Text) if artist.get_gid() == gid]


def artists(fig: Figure, gid: str) -> list[Any]:
    """Every artist of ``fig`` whose gid is ``gid``."""
    return [artist for artist in fig.findobj(lambda a: a.get_gid() == gid)]


# -- titles, axis titles, source line ---------------------------------------------------------------


def _wrap(text: str, width_in: float, size: float) -> str:
    # DejaVu Sans averages about 0.55 em per character.
    chars = max(20, int(width_in * 72 / (size * 0.55)))
    return "\n".join(textwrap.fill(part, chars) for part in text.split("\n"))


def add_title(fig: Figure, title: str, subtitle: str | None = None) -> float:
    """Title (the point, bold) and subtitle (what is plotted) at fixed figure coordinates, top left.

    Returns the height in inches that they take from the top of the figure.
    """
    width, height = fig.get_size_inches()
    left = 0.18 / width
    y_in = TITLE_TOP_IN
    title = _wrap(title, width - 0.4, TITLE_SIZE)
    fig.text(
        left, 1 - y_in / height, title, ha="left", va="top", fontsize=TITLE_SIZE, fontweight="bold",
        color="#1d1d1d", gid="title",
    )  # fmt: skip
    y_in += LINE_IN[TITLE_SIZE] * (title.count("\n") + 1) + 0.06
    if subtitle:
        subtitle = _wrap(subtitle, width - 0.4, SUBTITLE_SIZE)
        fig.text(
            left,
            1 - y_in / height,
            subtitle,
            ha="left",
            va="top",
            fontsize=SUBTITLE_SIZE,
            color=ANNOTATION,
            gid="subtitle",
        )
        y_in += LINE_IN[SUBTITLE_SIZE] * (subtitle.count("\n") + 1)
    return y_in


def axis_title(ax: Axes, text: str) -> Text:
    """The y-axis title: horizontal, above the axis at the top left (never rotated)."""
    ax.set_ylabel("")
    return ax.annotate(
        text, xy=(0, 1), xycoords="axes fraction", xytext=(0, 9), textcoords="offset points",
        ha="left", va="bottom", fontsize=8.5, color=ANNOTATION, gid="axis-title", annotation_clip=False,
    )  # fmt: skip


def _year(value: Any) -> str | None:
    match = re.search(r"\b(1[89]\d\d|20\d\d)\b", str(value)) if isinstance(value, str) else None
    return match.group(1) if match else None


def _strip_parentheses(text: str) -> str:
    return re.sub(r"\s*\([^()]*\)", "", text).strip()


def source_short(row: pd.Series | dict[str, Any]) -> str:
    """A short attribution for one row of the ``sources`` registry: ``"<producer> (<year>)"``.

    The name is the citation's author part where the citation starts with one (``"UNODC (2025), ..."``,
    ``"World Bank, World Development ..."``); for sources compiled by tipstats from many pages it is
    the producer (``"Various (UNTC, UNODC, ...)"`` gives ``"UNTC, UNODC, ..."``). The year is the
    citation's, else the year of ``date_published``, else of ``as_of``.

    >>> source_short({"citation": "UNODC (2025), UNODC Research - Data Portal", "producer": "UNODC"})
    'UNODC (2025)'
    >>> source_short({"citation": "World Bank, World Development Indicators, SP.POP.TOTL.",
    ...               "producer": "World Bank (WDI)", "date_published": "2026-03-06"})
    'World Bank (2026)'
    >>> source_short({"citation": "Compiled for tipstats from the pages named row by row.",
    ...               "producer": "Various (UNTC, UNODC); see source_url per row", "as_of": "2025"})
    'UNTC, UNODC (2025)'
    """
    get = row.get
    citation = str(get("citation") or "").strip()
    producer = str(get("producer") or "").strip()
    year = None
    match = re.match(r"^([^,(]+?)\s*\((\d{4})\)", citation)
    if match:
        name, year = match.group(1).strip(), match.group(2)
    elif citation and not citation.lower().startswith("compiled"):
        name = citation.split(",")[0].strip().rstrip(".")
    else:
        head = producer.split(";")[0].strip()
        various = re.match(r"^Various\s*\((.*)\)", head)
        if various:
            name = various.group(1).strip()
        else:
            acronym = re.search(r"\(([A-Z][A-Za-z]*[A-Z])\)", head)
            name = acronym.group(1) if acronym else _strip_parentheses(head).split(",")[0].strip()
    if year is None:
        for key in ("date_published", "as_of"):
            value = get(key)
            if isinstance(value, str) and _year(value):
                year = _year(value)
                break
    return f"{name} ({year})" if year else name


def source_text(source_ids: Iterable[str], sources: pd.DataFrame | None = None) -> str:
    """``"Source: A (2025); B (2018); tipstats <version>"`` for the given ``source_id`` values.

    ``sources`` is the ``sources`` dataset (default ``tipstats.load("sources")``). An id that is not in
    the registry raises ``KeyError``: a figure never cites a source the registry does not know.
    """
    from tipstats import __version__

    ids = list(dict.fromkeys(str(s) for s in source_ids if isinstance(s, str) and s))
    if ids and sources is None:
        import tipstats

        sources = tipstats.load("sources")
    parts: list[str] = []
    if ids:
        table = sources.set_index("source_id")
        unknown = [s for s in ids if s not in table.index]
        if unknown:
            raise KeyError(f"source_id not in the sources registry: {', '.join(unknown)}")
        rows = [table.loc[s].to_dict() for s in ids]
        shorts = [source_short(row) for row in rows]
        names = [short.rsplit(" (", 1)[0] for short in shorts]
        for row, short, name in zip(rows, shorts, names, strict=True):
            if names.count(name) > 1 and shorts.count(short) < names.count(name):
                # the same producer with different years: say which work each is
                title = re.split(r"[:(,]", str(row.get("title") or ""))[0].strip()
                title = " ".join(title.split()[:8])
                short = (
                    f"{name}, {title} ({short.rsplit(' (', 1)[1]}" if " (" in short else f"{name}, {title}"
                )
            if short not in parts:
                parts.append(short)
    label = "Sources" if len(parts) > 1 else "Source"
    body = "; ".join([*parts, f"tipstats {__version__}"])
    return f"{label}: {body}"


def add_source_line(
    fig: Figure, source_ids: Iterable[str], *, sources: pd.DataFrame | None = None, note: str | None = None
) -> float:
    """The source line under the chart (and an optional note above it), at fixed figure coordinates.

    Returns the height in inches that the footer takes from the bottom of the figure.
    """
    width, height = fig.get_size_inches()
    left = 0.18 / width
    text = _wrap(source_text(source_ids, sources), width - 0.4, SOURCE_SIZE)
    y_in = 0.12
    fig.text(
        left,
        y_in / height,
        text,
        ha="left",
        va="bottom",
        fontsize=SOURCE_SIZE,
        color=ANNOTATION,
        gid="source",
    )
    y_in += LINE_IN[SOURCE_SIZE] * (text.count("\n") + 1) + 0.04
    if note:
        note = _wrap(note, width - 0.4, SOURCE_SIZE)
        fig.text(
            left, y_in / height, note, ha="left", va="bottom", fontsize=SOURCE_SIZE, color=ANNOTATION,
            style="italic", gid="note",
        )  # fmt: skip
        y_in += LINE_IN[SOURCE_SIZE] * (note.count("\n") + 1) + 0.04
    return y_in


def new_figure(
    title: str,
    subtitle: str | None,
    *,
    source_ids: Iterable[str],
    sources: pd.DataFrame | None = None,
    note: str | None = None,
    nrows: int = 1,
    ncols: int = 1,
    width: float = 8.0,
    height: float = 5.0,
    left: float = 0.65,
    right: float = 1.35,
    xlabel_space: float = 0.4,
    wspace: float = 0.25,
    hspace: float = 0.45,
    **subplot_kw: Any,
) -> tuple[Figure, Any]:
    """A styled figure with its title, subtitle, source line (and note) in place, and its axes.

    ``right`` is the margin in inches kept free for the labels at the line ends. Returns
    ``(fig, ax)`` for one panel, ``(fig, array of axes)`` for several.
    """
    fig = Figure(figsize=(width, height))
    top_in = add_title(fig, title, subtitle) + 0.42  # room for the axis title above the axes
    bottom_in = add_source_line(fig, source_ids, sources=sources, note=note) + xlabel_space
    gridspec = {
        **subplot_kw.pop("gridspec_kw", {}),
        "left": left / width,
        "right": 1 - right / width,
        "top": 1 - top_in / height,
        "bottom": bottom_in / height,
        "wspace": wspace,
        "hspace": hspace,
    }
    axes = fig.subplots(nrows, ncols, gridspec_kw=gridspec, squeeze=True, **subplot_kw)
    return fig, axes


def _x(ax: Axes, x: Any) -> Any:
    """``x`` in the axis' numeric units (dates become matplotlib date numbers), for annotations."""
    if isinstance(x, (pd.Timestamp, np.datetime64)) or hasattr(x, "toordinal"):
        from matplotlib.dates import date2num

        return date2num(pd.Timestamp(x).to_pydatetime())
    return ax.convert_xunits(x)


def decimal_year(date: pd.Timestamp) -> float:
    """``date`` on a year axis: the year, plus twelfths for the months before it and 365ths for the days.

    The same arithmetic places a count known to a month at ``year + (month - 1) / 12``, so a day and
    the month it falls in line up.

    >>> decimal_year(pd.Timestamp("2003-12-25")) == 2003 + (12 - 1) / 12 + 24 / 365
    True
    """
    return date.year + (date.month - 1) / 12 + (date.day - 1) / 365


# -- direct labels -----------------------------------------------------------------------------------


def _spread(positions: Sequence[float], gap: float) -> list[float]:
    """Move sorted positions apart so neighbours are at least ``gap`` apart, keeping the mean."""
    order = np.argsort(positions, kind="stable")
    ys = np.asarray(positions, dtype=float)[order]
    out = ys.copy()
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + gap)
    # centre the moved labels on their points: shift down by the mean displacement
    shift = (out - ys).mean() if len(out) > 1 else 0.0
    out -= shift
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + gap)
    result = np.empty_like(out)
    result[order] = out
    return result.tolist()


def label_line_ends(
    ax: Axes,
    lines: Sequence[Line2D] | None = None,
    *,
    labels: Sequence[str] | None = None,
    colors: Sequence[str] | None = None,
    values: bool = False,
    fmt: str = "{:,.0f}",
    gap_pt: float = 11.0,
    pad_pt: float = 5.0,
    at: str = "end",
) -> list[Text]:
    """Label each line at its last finite point, in the line's colour and bold, instead of a legend.

    ``lines`` defaults to every line of ``ax`` whose label does not start with ``_``; ``labels`` to
    their labels. With ``values=True`` the last value is written after the label. Labels that would
    overlap are moved apart vertically (at least ``gap_pt`` points). Any legend is removed.
    ``at="right"`` puts every label just outside the right edge of the axes (at the height of its
    line's last point), for lines that end at different dates.
    """
    if lines is None:
        lines = [line for line in ax.get_lines() if not str(line.get_label()).startswith("_")]
    lines = list(lines)
    if labels is None:
        labels = [str(line.get_label()) for line in lines]
    if colors is None:
        colors = [line.get_color() for line in lines]
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.autoscale_view()
    ends = []
    for line in lines:
        x = np.asarray(ax.convert_xunits(line.get_xdata()), dtype=float)
        y = np.asarray(line.get_ydata(), dtype=float)
        finite = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
        if finite.size == 0:
            ends.append(None)
            continue
        i = finite[-1]
        ends.append((x[i], y[i]))
    fig = ax.figure
    to_points = 72.0 / fig.dpi
    present = [k for k, end in enumerate(ends) if end is not None]
    y_pts = [ax.transData.transform(ends[k])[1] * to_points for k in present]
    spread = _spread(y_pts, gap_pt)
    placed: list[Text] = []
    for k, y_new, y_old in zip(present, spread, y_pts, strict=True):
        x_end, y_end = ends[k]
        text = labels[k]
        if values:
            text = f"{text} {fmt.format(y_end)}"
        if at == "right":
            xy, xycoords = (1.0, y_end), blended_transform_factory(ax.transAxes, ax.transData)
        else:
            xy, xycoords = (x_end, y_end), "data"
        placed.append(
            ax.annotate(
                text,
                xy=xy,
                xycoords=xycoords,
                xytext=(pad_pt, y_new - y_old),
                textcoords="offset points",
                ha="left",
                va="center",
                color=colors[k],
                fontweight="bold",
                fontsize=8.5,
                gid="end-label",
                annotation_clip=False,
            )  # fmt: skip
        )
    return placed


def label_points(
    ax: Axes,
    points: Sequence[tuple[Any, float, str, str]],
    *,
    gap_pt: float = 9.5,
    pad_pt: float = 6.0,
    gid: str = "point-label",
    fontsize: float = 7.0,
) -> list[Text]:
    """Write a label to the right of each point ``(x, y, text, colour)``, moved apart so none overlap.

    The labels keep the order of their points' heights; a label moved away from its point keeps the
    point's colour, so the pairing stays readable without leader lines.
    """
    if not points:
        return []
    ax.autoscale_view()
    to_points = 72.0 / ax.figure.dpi
    xs = [_x(ax, p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    y_pts = [ax.transData.transform((x, y))[1] * to_points for x, y in zip(xs, ys, strict=True)]
    spread = _spread(y_pts, gap_pt)
    placed = []
    for x, y, y_old, y_new, point in zip(xs, ys, y_pts, spread, points, strict=True):
        placed.append(
            ax.annotate(
                point[2],
                xy=(x, y),
                xytext=(pad_pt, y_new - y_old),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=fontsize,
                color=point[3],
                gid=gid,
                annotation_clip=False,
            )  # fmt: skip
        )
    return placed


def add_event_rule(
    ax: Axes, x: Any, label: str, *, color: str = ANNOTATION, y: float = 0.99, ha: str = "left"
) -> tuple[Line2D, Text]:
    """A thin dashed vertical rule at ``x`` labelled at the top of the plot (an event: a date, a law)."""
    line = ax.axvline(x, color=color, linestyle=(0, (4, 3)), linewidth=0.9, zorder=1.5, gid="event-rule")
    x = _x(ax, x)
    offset = 3 if ha == "left" else -3
    text = ax.annotate(
        label, xy=(x, y), xycoords=blended_transform_factory(ax.transData, ax.transAxes),
        xytext=(offset, 0), textcoords="offset points", ha=ha, va="top", fontsize=7.5, color=color,
        gid="event-label", annotation_clip=False,
    )  # fmt: skip
    return line, text


def add_period(
    ax: Axes, start: Any, end: Any, label: str, *, y: float = 0.99, color: str = BAND
) -> tuple[Any, Text]:
    """A pale band from ``start`` to ``end`` (a period), labelled at the top of the plot."""
    band = ax.axvspan(start, end, color=color, linewidth=0, zorder=0.5, gid="period")
    start = _x(ax, start)
    text = ax.annotate(
        label, xy=(start, y), xycoords=blended_transform_factory(ax.transData, ax.transAxes),
        xytext=(-3, 0), textcoords="offset points", ha="right", va="top", fontsize=7.5, color=ANNOTATION,
        gid="period-label", annotation_clip=False,
    )  # fmt: skip
    return band, text


def mark_point(
    ax: Axes, x: Any, y: float, label: str, *, color: str = ANNOTATION, offset: tuple[float, float] = (4, 4),
    ha: str = "left", va: str = "bottom", marker: str = "o", size: float = 4.5, **text_kw: Any,
) -> Text:  # fmt: skip
    """A dot at ``(x, y)`` with its written value or name."""
    ax.plot([x], [y], marker=marker, markersize=size, color=color, linestyle="none", zorder=4, label="_point")
    x = _x(ax, x)
    return ax.annotate(
        label, xy=(x, y), xytext=offset, textcoords="offset points", ha=ha, va=va, fontsize=7.5, color=color,
        gid="point-label", annotation_clip=False, **text_kw,
    )  # fmt: skip


def annotate(ax: Axes, x: Any, y: float, text: str, **kw: Any) -> Text:
    """A plain annotation in annotation grey (an explanation placed on the chart)."""
    kw.setdefault("fontsize", 7.5)
    kw.setdefault("color", ANNOTATION)
    kw.setdefault("ha", "left")
    kw.setdefault("va", "center")
    return ax.annotate(text, xy=(_x(ax, x), y), gid=kw.pop("gid", "annotation"), annotation_clip=False, **kw)


def start_at_zero(ax: Axes) -> None:
    """Bars and areas start at 0: the lower y limit is 0 (the upper one is kept)."""
    ax.set_ylim(0, max(ax.get_ylim()[1], 0) or 1)


def thousands(ax: Axes, axis: str = "y") -> None:
    """Tick labels with thousands separators."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def percent(ax: Axes, axis: str = "y") -> None:
    """Tick labels as per cent (values already in 0..100)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: f"{v:.0f}%")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


# -- your own figure in the house style ------------------------------------------------------------


def plot_series(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    subtitle: str | None = None,
    label: str | None = None,
    sources: pd.DataFrame | None = None,
) -> Figure:
    """One series of ``frame`` (``y`` against ``x``, for example one country's rows) in the house style.

    The title, subtitle, axis title (``label``, default ``y`` in words) and the source line are placed
    as in the report's figures; the sources are the frame's ``source_id`` columns. Missing values (a
    suppressed '<5' count) are gaps in the line, not zeros.
    """
    ids = [
        v for c in frame.columns if c == "source_id" or c.endswith("_source_id") for v in frame[c].dropna()
    ]
    data = frame.sort_values(x)
    with style_context():
        fig, ax = new_figure(title, subtitle, source_ids=ids, sources=sources, right=0.4)
        values = pd.to_numeric(data[y], errors="coerce").astype("float64")
        ax.plot(data[x], values, marker="o", markersize=3.5, color=PALETTE[0])
        axis_title(ax, label or y.replace("_", " "))
        start_at_zero(ax)
        thousands(ax)
    return fig


# -- keeping labels clear of each other, of lines and of markers -------------------------------------

#: A place for an annotation: offset in points from its anchor, horizontal and vertical alignment,
#: and optionally a new anchor (in the annotation's own coordinates).
Placement = tuple[Any, ...]


def around(pad: float = 4.0, steps: Sequence[int] = (1, 2, 3)) -> list[Placement]:
    """Places around an anchor, nearest first: right, left, above, below, then the diagonals, at
    ``pad`` points, then twice and three times as far."""
    out: list[Placement] = []
    for k in steps:
        d = pad * k
        out += [
            ((d, 0), "left", "center"), ((-d, 0), "right", "center"), ((0, d), "center", "bottom"),
            ((0, -d), "center", "top"), ((d, d), "left", "bottom"), ((-d, d), "right", "bottom"),
            ((d, -d), "left", "top"), ((-d, -d), "right", "top"),
        ]  # fmt: skip
    return out


def beside(pad: float, steps: Sequence[float], side: str = "left") -> list[Placement]:
    """Places at the same side of the anchor (``"left"``: the text starts ``pad`` points to its right),
    moved up or down by each of ``steps`` points, nearest first."""
    dx, ha = (pad, "left") if side == "left" else (-pad, "right")
    return [((dx, dy), ha, "center") for dy in sorted(steps, key=lambda v: (abs(v), -v))]


def clear_labels(
    fig: Figure, labels: Sequence[tuple[Text, Sequence[Placement]]], *, leader_pt: float = 0
) -> None:
    """Move each annotation that collides with a text, a plotted line, a marker or a bar to the first of
    its places where it collides with nothing (:mod:`tipstats.figures.collisions`).

    The labels are settled in the order given, each against everything already in the figure. A label
    that no place clears keeps the place with the fewest collisions (the overlap test then names it).
    With ``leader_pt`` > 0, a label moved more than that many points from its anchor gets a thin leader
    in its colour, so the pairing stays clear. Call it last, once the axes limits are final.
    """
    from tipstats.figures.collisions import Scene

    with Scene(fig) as scene:
        for text, places in labels:
            start = (tuple(text.xyann), text.get_ha(), text.get_va(), tuple(text.xy))
            best, fewest = start, len(scene.hits(text))
            for place in places if fewest else []:
                _move(text, place)
                hits = len(scene.hits(text))
                if hits < fewest:
                    best, fewest = place, hits
                if not hits:
                    break
            _move(text, best)
            scene.measure(text)
            if leader_pt and best is not start and np.hypot(*best[0]) > leader_pt:
                add_leader(text)


def add_leader(text: Text, linewidth: float = 0.6) -> None:
    """A thin line in the label's colour from its anchor to the near edge of the text."""
    from matplotlib.patches import FancyArrowPatch

    props = {
        "arrowstyle": "-",
        "color": text.get_color(),
        "linewidth": linewidth,
        "shrinkA": 0.5,
        "shrinkB": 1.5,
    }
    text.arrowprops = props
    text._arrow_relpos = {"left": (0.0, 0.5), "right": (1.0, 0.5)}.get(text.get_ha(), (0.5, 0.5))
    text.arrow_patch = FancyArrowPatch((0, 0), (1, 1), **props)
    text.arrow_patch.set_figure(text.get_figure())


def _move(text: Text, place: Placement) -> None:
    (dx, dy), ha, va = place[:3]
    if len(place) > 3:
        text.xy = place[3]
    text.xyann = (dx, dy)
    text.set_ha(ha)
    text.set_va(va)


# -- saving ------------------------------------------------------------------------------------------

SVG_METADATA = {"Date": None, "Creator": None}
PNG_METADATA = {"Software": None}


def save(fig: Figure, stem: Path | str, *, png_dpi: int = 150) -> list[Path]:
    """Write ``<stem>.svg`` and ``<stem>.png``, byte-identical from run to run (same environment).

    SVG: fixed ``svg.hashsalt`` (from the style), no date, no creator; glyphs as paths.
    PNG: no ``Software`` chunk. Returns the two paths.
    """
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    svg, png = stem.with_suffix(".svg"), stem.with_suffix(".png")
    with style_context():
        fig.savefig(svg, format="svg", metadata=SVG_METADATA)
        fig.savefig(png, format="png", metadata=PNG_METADATA, dpi=png_dpi)
    return [svg, png]
