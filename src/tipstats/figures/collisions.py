"""Where text collides in a figure: text on text, text on a plotted line, text on a marker.

The figure is drawn once with matplotlib's Agg renderer (at the PNG resolution of ``make figures``);
every text that is actually drawn is measured line by line by its ink (the glyphs' extent from the
renderer, not the font's full line height), and every plotted line (``Line2D`` and line collections
such as ``vlines``) is taken as its drawn path in display coordinates, widened by half its line width
and clipped to its axes as drawn. Markers are the convex outline of the marker path at its drawn size
(plus half its edge width). Bars count too: a text partly on a bar collides with it, a text wholly
inside a bar is that bar's label. Grid lines, ticks, spines and shaded bands are not obstacles.

>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(3, 2))
>>> ax = fig.subplots()
>>> _ = ax.plot([0, 1], [0.5, 0.5])
>>> _ = ax.text(0.5, 0.5, "on the line", ha="center", va="center")
>>> [c.kind for c in collisions(fig)]
['text-line']
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Affine2D

#: Overlaps thinner than this (display pixels at ``dpi``) are antialiasing, not a collision.
TOLERANCE_PX = 0.5


@dataclass(frozen=True)
class Collision:
    """Two things that overlap: ``kind`` is ``"text-text"``, ``"text-line"``, ``"text-marker"`` or ``"text-bar"``."""

    kind: str
    text: str
    other: str
    where: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.text!r} overlaps {self.other} ({self.where})"


@dataclass(frozen=True)
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def grown(self, pad: float) -> _Box:
        return _Box(self.x0 - pad, self.y0 - pad, self.x1 + pad, self.y1 + pad)

    def meets(self, other: _Box, tol: float = TOLERANCE_PX) -> bool:
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > tol
            and min(self.y1, other.y1) - max(self.y0, other.y0) > tol
        )

    def clipped(self, other: _Box | None) -> _Box | None:
        if other is None:
            return self
        box = _Box(
            max(self.x0, other.x0), max(self.y0, other.y0), min(self.x1, other.x1), min(self.y1, other.y1)
        )
        return box if box.x1 > box.x0 and box.y1 > box.y0 else None


def _inside(box: _Box, outer: _Box) -> bool:
    return box.x0 >= outer.x0 and box.x1 <= outer.x1 and box.y0 >= outer.y0 and box.y1 <= outer.y1


def _segment_meets_box(p: np.ndarray, q: np.ndarray, box: _Box) -> bool:
    """Whether segment ``p``-``q`` enters ``box`` (Liang-Barsky clipping)."""
    d = q - p
    t0, t1 = 0.0, 1.0
    for delta, start, low, high in ((d[0], p[0], box.x0, box.x1), (d[1], p[1], box.y0, box.y1)):
        if abs(delta) < 1e-12:
            if start < low or start > high:
                return False
            continue
        a, b = (low - start) / delta, (high - start) / delta
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
        if t0 > t1:
            return False
    return True


def _polygon_meets_box(points: np.ndarray, box: _Box) -> bool:
    """Separating-axis test of a convex polygon (its vertices) against an axis-aligned box."""
    if points[:, 0].max() <= box.x0 or points[:, 0].min() >= box.x1:
        return False
    if points[:, 1].max() <= box.y0 or points[:, 1].min() >= box.y1:
        return False
    corners = np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]])
    hull = _hull(points)
    for i in range(len(hull)):
        edge = hull[(i + 1) % len(hull)] - hull[i]
        normal = np.array([-edge[1], edge[0]])
        if not normal.any():
            continue
        a, b = hull @ normal, corners @ normal
        if a.max() <= b.min() or b.max() <= a.min():
            return False
    return True


def _hull(points: np.ndarray) -> np.ndarray:
    """Convex hull (monotone chain), counter-clockwise."""
    pts = sorted({(round(float(x), 6), round(float(y), 6)) for x, y in points})
    if len(pts) < 3:
        return np.array(pts, dtype=float)

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return np.array(lower[:-1] + upper[:-1], dtype=float)


@contextlib.contextmanager
def _recording_texts(drawn: list[Text]) -> Iterator[None]:
    original = Text.draw

    def draw(self, renderer):
        if self.get_visible() and self.get_text():
            drawn.append(self)
        return original(self, renderer)

    Text.draw = draw
    try:
        yield
    finally:
        Text.draw = original


def _ink_boxes(text: Text, renderer) -> list[_Box]:
    """One box per line of ``text``: the glyphs' extent, at the place the text is drawn."""
    if text.get_rotation() % 360 != 0:
        extent = text.get_window_extent(renderer)
        return [_Box(extent.x0, extent.y0, extent.x1, extent.y1)]
    _bbox, info, _ = text._get_layout(renderer)
    x, y = text.get_transform().transform(
        (float(text.convert_xunits(text._x)), float(text.convert_yunits(text._y)))
    )
    if not (np.isfinite(x) and np.isfinite(y)):
        return []
    boxes = []
    for entry in info:
        # matplotlib 3.11 gives (line, (w, h, d), (x, y)) per line, 3.9 (the lowest we allow) (line, (w, h), x, y)
        line, (dx, dy) = entry[0], (entry[2] if len(entry) == 3 else entry[2:4])
        clean, ismath = text._preprocess_math(line)
        if not clean.strip():
            continue
        width, height, descent = renderer.get_text_width_height_descent(
            clean, text._fontproperties, ismath=ismath
        )
        boxes.append(_Box(x + dx, y + dy - descent, x + dx + width, y + dy + height - descent))
    return boxes


def _describe_text(text: Text) -> str:
    gid = text.get_gid()
    return f"{text.get_text()}" + (f" [{gid}]" if gid else "")


def _describe_artist(artist, fallback: str) -> str:
    label = str(artist.get_label() or "")
    gid = artist.get_gid()
    name = label if label and not label.startswith("_child") else fallback
    return f"{fallback} {name!r}" + (f" [{gid}]" if gid else "")


def _where(text: Text) -> str:
    ax = text.axes
    if ax is None:
        return "figure"
    title = ax.get_title(loc="left") or ax.get_title() or "untitled axes"
    return f"axes {title!r}"


def _clip_box(artist) -> _Box | None:
    if not artist.get_clip_on() or artist.get_clip_box() is None:
        return None
    box = artist.get_clip_box()
    return _Box(box.x0, box.y0, box.x1, box.y1)


def _finite_runs(vertices: np.ndarray) -> list[np.ndarray]:
    """The runs of finite vertices (a missing value breaks a drawn line)."""
    vertices = np.asarray(vertices, dtype=float).reshape(-1, 2)
    ok = np.isfinite(vertices).all(axis=1)
    runs, start = [], None
    for i, good in enumerate([*ok, False]):
        if good and start is None:
            start = i
        elif not good and start is not None:
            if i - start >= 2:
                runs.append(vertices[start:i])
            start = None
    return runs


def _strokes(fig: Figure, renderer) -> list[tuple[np.ndarray, float, _Box | None, str]]:
    """Every plotted line as (vertices in display coordinates, half width in px, clip box, name)."""
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for line in ax.get_lines():
            if not line.get_visible() or line.get_linestyle() in ("None", "none", "", " "):
                continue
            if line.get_linewidth() <= 0:
                continue
            path = line._get_transformed_path().get_fully_transformed_path()
            for run in _finite_runs(np.asarray(path.vertices, dtype=float)):
                out.append(
                    (
                        run,
                        renderer.points_to_pixels(line.get_linewidth()) / 2,
                        _clip_box(line),
                        _describe_artist(line, "line"),
                    )
                )
        for collection in ax.collections:
            if not isinstance(collection, LineCollection) or not collection.get_visible():
                continue
            transform = collection.get_transform()
            widths = np.atleast_1d(collection.get_linewidths())
            for i, segment in enumerate(collection.get_segments()):
                for run in _finite_runs(transform.transform(np.asarray(segment, dtype=float))):
                    out.append(
                        (
                            run,
                            renderer.points_to_pixels(float(widths[i % len(widths)])) / 2,
                            _clip_box(collection),
                            _describe_artist(collection, "lines"),
                        )
                    )
    return out


def _markers(fig: Figure, renderer) -> list[tuple[np.ndarray, float, _Box | None, str]]:
    """Every drawn marker as (outline in display coordinates, half edge width in px, clip box, name)."""
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for line in ax.get_lines():
            marker = line._marker
            if not line.get_visible() or not marker or line.get_markersize() <= 0:
                continue
            outline = marker.get_path().transformed(
                marker.get_transform() + Affine2D().scale(renderer.points_to_pixels(line.get_markersize()))
            )
            shape = np.concatenate([np.asarray(p) for p in outline.to_polygons(closed_only=False)] or [[]])
            if shape.size == 0:
                continue
            centres = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
            clip = _clip_box(line)
            for cx, cy in centres:
                if not (np.isfinite(cx) and np.isfinite(cy)):
                    continue
                if clip is not None and not (clip.x0 <= cx <= clip.x1 and clip.y0 <= cy <= clip.y1):
                    continue
                out.append(
                    (
                        shape + [cx, cy],
                        renderer.points_to_pixels(line.get_markeredgewidth()) / 2,
                        clip,
                        _describe_artist(line, "marker of"),
                    )
                )
    return out


class Scene:
    """A figure measured once at ``dpi``: its texts' ink boxes, plotted lines and markers.

    ``hits(text)`` re-measures one text (after moving it) against everything else, so a label can
    be tried at several places without drawing the figure again. Use it as a context manager: the
    figure is held at ``dpi`` inside the block and gets its own resolution back afterwards.
    """

    def __init__(self, fig: Figure, *, dpi: float = 150) -> None:
        self.fig, self.dpi, self._old_dpi = fig, dpi, fig.dpi
        if not isinstance(fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(fig)
        drawn: list[Text] = []
        fig.set_dpi(dpi)
        try:
            self.renderer = fig.canvas.get_renderer()
            with _recording_texts(drawn):
                fig.draw(self.renderer)
        except BaseException:
            fig.set_dpi(self._old_dpi)
            raise
        self.texts = list(dict.fromkeys(drawn))
        self.boxes = {id(t): _ink_boxes(t, self.renderer) for t in self.texts}
        self.strokes = _strokes(fig, self.renderer)
        self.markers = _markers(fig, self.renderer)
        self.bars = _bars(fig)

    def __enter__(self) -> Scene:
        return self

    def __exit__(self, *exc) -> None:
        self.fig.set_dpi(self._old_dpi)

    def measure(self, text: Text) -> None:
        """Measure ``text`` again where it now is (after a change of offset or alignment)."""
        if hasattr(text, "update_positions"):
            text.update_positions(self.renderer)
        self.boxes[id(text)] = _ink_boxes(text, self.renderer)
        if text not in self.texts:
            self.texts.append(text)

    def hits(self, text: Text, *, others: list[Text] | None = None) -> list[Collision]:
        """What ``text`` overlaps where it now is: texts (``others``, default every other text), lines, markers."""
        self.measure(text)
        mine = self.boxes[id(text)]
        found: list[Collision] = []
        for other in self.texts if others is None else others:
            if other is text:
                continue
            if any(a.meets(b) for a in mine for b in self.boxes.get(id(other), [])):
                found.append(
                    Collision("text-text", _describe_text(text), repr(_describe_text(other)), _where(text))
                )
        found += self._hits_lines(text, mine)
        return found

    def _hits_lines(self, text: Text, mine: list[_Box]) -> list[Collision]:
        found = []
        hit_lines = set()
        for vertices, half, clip, name in self.strokes:
            if name in hit_lines:
                continue
            for box in mine:
                area = box.grown(half - TOLERANCE_PX).clipped(clip)
                if area is None:
                    continue
                if any(
                    _segment_meets_box(p, q, area) for p, q in zip(vertices[:-1], vertices[1:], strict=True)
                ):
                    hit_lines.add(name)
                    found.append(Collision("text-line", _describe_text(text), name, _where(text)))
                    break
        hit_markers = set()
        for outline, half, _clip, name in self.markers:
            if name in hit_markers:
                continue
            if any(_polygon_meets_box(outline, box.grown(half - TOLERANCE_PX)) for box in mine):
                hit_markers.add(name)
                found.append(Collision("text-marker", _describe_text(text), name, _where(text)))
        for bar, name in self.bars:
            if any(box.meets(bar) for box in mine) and not all(_inside(box, bar) for box in mine):
                found.append(Collision("text-bar", _describe_text(text), name, _where(text)))
                break
        return found

    def collisions(self) -> list[Collision]:
        """Every overlap: each pair of texts once, then each text against the lines and markers."""
        found: list[Collision] = []
        for i, text in enumerate(self.texts):
            found += self.hits(text, others=self.texts[i + 1 :])
        return found


def _bars(fig: Figure) -> list[tuple[_Box, str]]:
    """Every drawn bar (of ``ax.bar``) as its box in display coordinates."""
    out = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for container in ax.containers:
            if not isinstance(container, BarContainer):
                continue
            for patch in container.patches:
                if not patch.get_visible():
                    continue
                extent = patch.get_window_extent()
                if extent.width > 0 and extent.height > 0:
                    out.append(
                        (_Box(extent.x0, extent.y0, extent.x1, extent.y1), _describe_artist(patch, "bar"))
                    )
    return out


def collisions(fig: Figure, *, dpi: float = 150) -> list[Collision]:
    """Every overlap in ``fig`` of two texts, of a text and a plotted line, of a text and a marker.

    ``dpi`` is the resolution the figure is measured at (that of the PNG ``make figures`` writes).
    The figure keeps its own resolution afterwards.
    """
    with Scene(fig, dpi=dpi) as scene:
        return scene.collisions()
