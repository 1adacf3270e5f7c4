"""The registry of figures: stable name -> function, caption, datasets and the notebook that shows it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from tipstats.figures.style import styled


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the library.

    ``name`` is the stable name (also the file stem in ``reports/figures/``); ``caption`` one line on
    what the figure shows; ``datasets`` the datasets it draws from (directly or through the analysis);
    ``notebook`` the notebook that shows it.
    """

    name: str
    function: Callable[..., Figure]
    caption: str
    datasets: tuple[str, ...]
    notebook: str


FIGURES: dict[str, FigureSpec] = {}


def figure(name: str, *, caption: str, datasets: tuple[str, ...], notebook: str):
    """Register a figure function under ``name``; it runs inside the tipstats style."""

    def decorate(function: Callable[..., Figure]) -> Callable[..., Figure]:
        if name in FIGURES:
            raise ValueError(f"figure name {name!r} is registered twice")
        wrapped = styled(function)
        wrapped.figure_name = name  # type: ignore[attr-defined]
        FIGURES[name] = FigureSpec(name, wrapped, caption, tuple(datasets), notebook)
        return wrapped

    return decorate
