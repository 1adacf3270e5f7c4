"""Does the registry hold every quantitative statement of the report? The coverage check.

The report is read as one normalised text (:func:`tipstats.report.normalise`). A *quantitative
token* is a number (digits, with separators, a slash or a dash), a money amount, a number word
(cardinal or ordinal, ``thirty-sixth``, ``20th``), a vague quantifier over the States or
organisations that made submissions (``Most States``, ``the majority of responding States``,
``Several international organizations``) or a comparative the report leans on (``record``,
``below``, ``higher``). Each token must lie inside the quote of a registry row (found in the
paragraph the row names) or inside a match of a reviewed *non-claim* pattern
(``data/reference/non_claims.csv``: document symbols, footnote marks, paragraph numbers, titles,
each with its reason). :func:`uncovered` lists the tokens that lie in neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tipstats.claims_audit.registry import ORDINALS, WORD_NUMBERS
from tipstats.io import read_raw_csv
from tipstats.paths import REFERENCE_DIR
from tipstats.report import _paragraph_starts, normalise

NON_CLAIMS_FILE = "non_claims.csv"
NON_CLAIM_KINDS = (
    "paragraph number",
    "footnote mark",
    "document symbol",
    "title",
    "name",
    "hyperlink",
    "page furniture",
    "citation",
    "paragraph reference",
)

_WORDS = sorted(
    {*WORD_NUMBERS, *ORDINALS, "hundred", "thousand", "million", "billion"}, key=len, reverse=True
)
_NUMBER_WORD = r"(?:" + "|".join(_WORDS) + r")"
_SUBMITTERS = (
    r"(?:responding )?(?:Member States|States|countries|jurisdictions|submissions|responses|"
    r"(?:United Nations |international |intergovernmental )?(?:entities|organizations)|of them|of the organizations|"
    r"of the countries|of the United Nations entities|of the efforts|of the reported interventions|"
    r"other international networks|intergovernmental and international organizations)"
)
_VAGUE = r"(?:[Mm]ost|[Tt]he majority of|[Ss]everal|[Ss]ome|[Mm]any|[Nn]umerous|[Mm]ultiple|a few)"
TOKEN = re.compile(
    r"\$[\d.,]*\d(?: million)?"  # money
    r"|\d+(?:st|nd|rd|th)\b"  # 20th
    r"|\d[\d,./–-]*\d|\d"  # digits, separators, 2011/36, 2021–2025
    rf"|\b{_NUMBER_WORD}(?:-{_NUMBER_WORD})?(?:-ever)?\b"  # number words, thirty-sixth
    rf"|\b{_VAGUE} (?:of (?:the )?)?{_SUBMITTERS}\b"  # vague quantifiers over the submitters
    r"|\b(?:record|below|higher)\b",  # comparatives
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    paragraph: str

    def context(self, text: str, width: int = 50) -> str:
        return text[max(0, self.start - width) : self.end + width]


def paragraph_spans(raw: str) -> dict[str, tuple[int, int]]:
    """Where each numbered paragraph lies in the normalised text: ``{"5": (start, end)}``; ``"0"`` is
    the text before paragraph 1 (the summary)."""
    starts = sorted(_paragraph_starts(raw).items())
    spans: dict[str, tuple[int, int]] = {}
    offsets = [len(normalise(raw[:s])) + (1 if s else 0) for _, s in starts]
    total = len(normalise(raw))
    spans["0"] = (0, offsets[0] if offsets else total)
    for i, (number, _) in enumerate(starts):
        end = offsets[i + 1] if i + 1 < len(offsets) else total
        spans[str(number)] = (offsets[i], end)
    return spans


def tokens(raw: str) -> list[Token]:
    """Every quantitative token of the report, with the paragraph it lies in."""
    text = normalise(raw)
    spans = sorted(paragraph_spans(raw).items(), key=lambda kv: kv[1][0])
    found = []
    for m in TOKEN.finditer(text):
        paragraph = next((p for p, (lo, hi) in spans if lo <= m.start() < hi), "0")
        found.append(Token(m.start(), m.end(), m.group(), paragraph))
    return found


def _occurrences(text: str, needle: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out, at = [], text.find(needle, lo)
    while at != -1 and at + len(needle) <= hi:
        out.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    return out


def registry_spans(registry: pd.DataFrame, raw: str) -> dict[str, list[tuple[int, int]]]:
    """Per claim id, where its quote lies in the normalised text (inside its paragraph; a footnote's: anywhere)."""
    text = normalise(raw)
    spans = paragraph_spans(raw)
    out = {}
    for _, row in registry.iterrows():
        paragraph = str(row["paragraph"])
        quote = normalise(str(row["quote"]))
        if "footnote" in paragraph:
            lo, hi = 0, len(text)
        else:
            lo, hi = spans.get(re.match(r"\d+", paragraph).group(), (0, 0))
        out[str(row["claim_id"])] = _occurrences(text, quote, lo, hi)
    return out


def load_non_claims(path: Path | None = None) -> pd.DataFrame:
    """The reviewed list of non-claims (``data/reference/non_claims.csv``): pattern, kind, reason."""
    path = Path(path) if path is not None else REFERENCE_DIR / NON_CLAIMS_FILE
    frame = read_raw_csv(path, str(path))
    expected = ["paragraph", "pattern", "kind", "reason"]
    if list(frame.columns) != expected:
        raise ValueError(f"{path}: columns must be {expected}, not {list(frame.columns)}")
    bad = frame[~frame["kind"].isin(NON_CLAIM_KINDS) | frame["reason"].isna() | frame["pattern"].isna()]
    if len(bad):
        raise ValueError(
            f"{path}: rows {list(bad.index + 2)} need a pattern, a kind of {NON_CLAIM_KINDS} and a reason"
        )
    return frame


def non_claim_spans(non_claims: pd.DataFrame, raw: str) -> list[tuple[int, int, int]]:
    """(start, end, row index) of every match of every non-claim pattern, in its paragraph (``*``: anywhere)."""
    text = normalise(raw)
    spans = paragraph_spans(raw)
    out = []
    for index, row in non_claims.iterrows():
        lo, hi = (0, len(text)) if row["paragraph"] == "*" else spans[str(row["paragraph"])]
        for m in re.finditer(row["pattern"], text[lo:hi]):
            out.append((lo + m.start(), lo + m.end(), int(index)))
    return out


def uncovered(registry: pd.DataFrame, raw: str, non_claims: pd.DataFrame) -> list[Token]:
    """The quantitative tokens that no registry quote and no non-claim covers."""
    covered = [s for spans in registry_spans(registry, raw).values() for s in spans]
    covered += [(lo, hi) for lo, hi, _ in non_claim_spans(non_claims, raw)]
    return [t for t in tokens(raw) if not any(lo <= t.start and t.end <= hi for lo, hi in covered)]


def own_tokens(registry: pd.DataFrame, raw: str, non_claims: pd.DataFrame) -> dict[str, list[Token]]:
    """Per claim id, the tokens that only its quote covers (removing the row would leave them uncovered)."""
    spans = registry_spans(registry, raw)
    others = [(lo, hi) for lo, hi, _ in non_claim_spans(non_claims, raw)]
    all_tokens = tokens(raw)
    out = {}
    for claim_id, mine in spans.items():
        rest = others + [s for other, ss in spans.items() if other != claim_id for s in ss]
        out[claim_id] = [
            t
            for t in all_tokens
            if any(lo <= t.start and t.end <= hi for lo, hi in mine)
            and not any(lo <= t.start and t.end <= hi for lo, hi in rest)
        ]
    return out
