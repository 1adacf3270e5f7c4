"""Signs of life for long commands (``tipstats build``, ``tipstats claims``): one status line on standard
error, rewritten in place, only when standard error is a terminal (never in a log, a pipe or a test).

A command opens :func:`shown`; the work inside calls :func:`step` (no-op when nothing is shown)::

    with progress.shown("tipstats claims", total=56):
        for claim in claims:
            progress.step(claim.claim_id)

>>> import io
>>> stream = io.StringIO()  # not a terminal: nothing is written
>>> with shown("tipstats build", stream=stream):
...     step("countries")
>>> stream.getvalue()
''
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TextIO

CLEAR = "\r\x1b[K"  # back to the start of the line, erase it


class Progress:
    """The status line of one command: ``label: [i/total] what``, written to ``stream``."""

    def __init__(self, label: str, stream: TextIO, total: int | None = None, width: int = 80):
        self.label, self.stream, self.total, self.width, self.done = label, stream, total, width, 0

    def step(self, what: str) -> None:
        self.done += 1
        count = f"[{self.done}/{self.total}] " if self.total else ""
        line = f"{self.label}: {count}{what}"
        if len(line) > self.width - 1:
            line = line[: self.width - 2] + "…"
        self.stream.write(CLEAR + line)
        self.stream.flush()

    def set_total(self, total: int) -> None:
        self.total, self.done = total, 0

    def close(self) -> None:
        self.stream.write(CLEAR)
        self.stream.flush()


_CURRENT: ContextVar[Progress | None] = ContextVar("tipstats_progress", default=None)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextlib.contextmanager
def shown(label: str, total: int | None = None, stream: TextIO | None = None) -> Iterator[Progress | None]:
    """Show the progress of the work inside when ``stream`` (default: standard error) is a terminal."""
    stream = sys.stderr if stream is None else stream
    if not _is_terminal(stream):
        yield None
        return
    import shutil

    progress = Progress(label, stream, total, shutil.get_terminal_size((80, 24)).columns)
    token = _CURRENT.set(progress)
    try:
        yield progress
    finally:
        _CURRENT.reset(token)
        progress.close()  # the line is erased: what the command prints next starts clean


def step(what: str) -> None:
    """One step of the work in progress (nothing when no progress is shown)."""
    progress = _CURRENT.get()
    if progress is not None:
        progress.step(what)


def expect(total: int) -> None:
    """The number of steps that follow (shown as ``[i/total]``)."""
    progress = _CURRENT.get()
    if progress is not None:
        progress.set_total(total)
