"""Report A/76/120 as text: reading it, its numbered paragraphs, white space made comparable.

The text file (``data/raw/report/A-76-120.txt``) is the PDF's text as extracted: line breaks split
sentences and runs of spaces remain, so text is compared after :func:`normalise`. The claims
registry proves its quotes with :func:`paragraph_text`; the legislation builder reads paragraph 6
with it.
"""

from __future__ import annotations

import re
from pathlib import Path

from tipstats.errors import Failure
from tipstats.io import decode_text
from tipstats.paths import RAW_DIR

REPORT_SOURCE_ID = "a76120"
#: The sources registry's subject of the report (builders find its text by it).
REPORT_SUBJECT = "report"
REPORT_RAW_PATH = "report/A-76-120.txt"
# Dates are written in English words in the report and its sources ("8 July 2021", "August 2020").
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip
#: Lower-case month name -> month number.
MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}


def normalise(text: str) -> str:
    """Every run of white space (line breaks included) becomes one space; ends trimmed.

    >>> normalise("three States\\n\\nacceded  to the Protocol ")
    'three States acceded to the Protocol'
    """
    return " ".join(text.split())


def report_text(raw_dir: Path = RAW_DIR) -> str:
    """The text of A/76/120 as received (``data/raw/report/A-76-120.txt``)."""
    path = Path(raw_dir) / REPORT_RAW_PATH
    return decode_text(path, str(path))


def _paragraph_starts(text: str) -> dict[int, int]:
    """Offset of the start of each numbered paragraph (1, 2, ... in order) in ``text``."""
    starts: dict[int, int] = {}
    position, number = 0, 1
    while True:
        match = re.compile(rf"(?m)^[ \t]?{number}\. (?=[A-Z])").search(text, position)
        if match is None:
            return starts
        starts[number] = match.start()
        position, number = match.end(), number + 1


def paragraph_text(text: str, paragraph: str) -> str:
    """The normalised text of one paragraph (``"38(a)"`` gives paragraph 38; footnotes: the whole text).

    A paragraph runs from its number to the next paragraph's number, so page footers and
    footnotes printed inside it are included.
    """
    if "footnote" in paragraph:
        return normalise(text)
    number = int(re.match(r"\d+", paragraph).group())
    starts = _paragraph_starts(text)
    if number not in starts:
        raise KeyError(f"paragraph {number} not found in the report text")
    end = starts.get(number + 1, len(text))
    return normalise(text[starts[number] : end])


class ReportTextError(ValueError):
    """The report text does not say what a reader of it expects (``paragraph``: where it looked)."""

    def __init__(self, message: str, paragraph: int | None = None):
        super().__init__(message)
        self.paragraph = paragraph


def paragraph_line(text: str, number: int | None) -> int | None:
    """The line (1-based) on which paragraph ``number`` starts, or None."""
    if number is None:
        return None
    start = _paragraph_starts(text).get(number)
    return None if start is None else text.count("\n", 0, start) + 1


def text_failures(text: str, file: str) -> list[Failure]:
    """What makes ``text`` unusable as the report: no text, or no numbered paragraphs from 1.

    >>> [f.check for f in text_failures("", "A-76-120.txt")]
    ['has text: numbered paragraphs 1., 2., ...']
    >>> text_failures("1. The General Assembly ...", "A-76-120.txt")
    []
    """
    if not text.strip():
        return [Failure(file, None, None, "has text: numbered paragraphs 1., 2., ...", "empty", kind="parse")]
    if not _paragraph_starts(text):
        first = normalise(text)[:60]
        return [Failure(file, 1, None, "starts its numbered paragraphs with '1. '", first, kind="parse")]
    return []
