"""Finding things: what a dataset is (:class:`Description`, from ``describe(name)``) and where a word
occurs (:func:`search`, also ``tipstats search``).

>>> import tipstats
>>> hits = tipstats.search("convicted")
>>> "convictions" in set(hits["dataset"])
True
"""

from __future__ import annotations

import html
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


def terminal_width(default: int = 100) -> int:
    """The width to wrap to: the terminal's (``$COLUMNS`` first), else ``default``; never below 40."""
    return max(40, shutil.get_terminal_size((default, 24)).columns)


def _wrap(text: str, width: int, indent: str = "", hanging: str | None = None) -> str:
    hanging = indent if hanging is None else hanging
    return "\n".join(
        textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hanging, break_on_hyphens=False)
        or [indent.rstrip()]
    )


@dataclass(frozen=True)
class Description:
    """What dataset ``name`` is: prints as text wrapped to the terminal, renders as HTML in a notebook.

    Attributes: ``name``, ``title``, ``description``, ``as_of``, ``key`` (list), ``rows``, ``caveats``
    (list), ``columns`` (a DataFrame: name, dtype, unit, nullable, description) and ``sources`` (a
    DataFrame: source_id, citation, url, repository, commit, licence). ``to_dict()`` gives plain data.
    """

    name: str
    title: str
    description: str
    as_of: str
    key: list[str]
    rows: int
    caveats: list[str]
    columns: pd.DataFrame = field(repr=False)
    sources: pd.DataFrame = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain Python data (lists of dicts for columns and sources), for JSON or templates."""
        data = {k: getattr(self, k) for k in ("name", "title", "description", "as_of", "key", "rows")}
        data["caveats"] = list(self.caveats)
        data["columns"] = self.columns.to_dict("records")
        data["sources"] = [
            {k: (None if pd.isna(v) else v) for k, v in row.items()}
            for row in self.sources.to_dict("records")
        ]
        return data

    def text(self, width: int | None = None) -> str:
        """The description as plain text wrapped to ``width`` (default: the terminal's width)."""
        width = terminal_width() if width is None else width
        out = [_wrap(f"{self.name}: {self.title}", width), "", _wrap(self.description, width), ""]
        out += [_wrap(f"As of: {self.as_of}   Key: {', '.join(self.key)}   Rows: {self.rows}", width), ""]
        out.append("Columns:")
        name_width = max(len(n) for n in self.columns["name"])
        for col in self.columns.itertuples(index=False):
            unit = f" [{col.unit}]" if col.unit else ""
            head = f"  {col.name:<{name_width}}  "
            out.append(_wrap(f"{head}{col.dtype}{unit}: {col.description}", width, "", " " * len(head)))
        if self.caveats:
            out += ["", "Caveats:"] + [_wrap(c, width, "  - ", "    ") for c in self.caveats]
        out += ["", "Sources:"]
        for s in self.sources.itertuples(index=False):
            out.append(_wrap(f"[{s.source_id}] {s.citation} ({s.licence})", width, "  - ", "    "))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython's plain-text display
        printer.text(self.text(100))

    def _repr_html_(self) -> str:
        e = html.escape
        parts = [
            f"<div class='tipstats-description'><h3><code>{e(self.name)}</code>: {e(self.title)}</h3>",
            f"<p>{e(self.description)}</p>",
            f"<p><b>As of</b> {e(str(self.as_of))} &middot; <b>key</b> {e(', '.join(self.key))} &middot; "
            f"<b>rows</b> {self.rows}</p>",
            "<table><thead><tr><th>column</th><th>type</th><th>unit</th><th>description</th></tr></thead><tbody>",
        ]
        for col in self.columns.itertuples(index=False):
            parts.append(
                f"<tr><td><code>{e(col.name)}</code></td><td>{e(col.dtype)}</td><td>{e(col.unit)}</td>"
                f"<td>{e(col.description)}</td></tr>"
            )
        parts.append("</tbody></table>")
        if self.caveats:
            parts.append(
                "<p><b>Caveats</b></p><ul>" + "".join(f"<li>{e(c)}</li>" for c in self.caveats) + "</ul>"
            )
        items = []
        for s in self.sources.itertuples(index=False):
            link = f" <a href='{e(s.url)}'>{e(s.url)}</a>" if isinstance(s.url, str) else ""
            items.append(f"<li><code>{e(s.source_id)}</code>: {e(s.citation)}{link} ({e(s.licence)})</li>")
        parts.append("<p><b>Sources</b></p><ul>" + "".join(items) + "</ul></div>")
        return "".join(parts)


SOURCE_FIELDS = ("citation", "url", "repository", "commit", "licence")


def describe(name: str) -> Description:
    """Title, description, as-of, key, rows, columns, caveats and sources of dataset ``name``.

    >>> import tipstats
    >>> info = tipstats.describe("population")
    >>> list(info.columns["name"][:2])
    ['iso3', 'country_name']
    >>> print(info.text(60).splitlines()[0])
    population: Population by country and year (World Bank
    """
    from tipstats.loaders import load
    from tipstats.metadata import model_info, source_ids_in

    info = model_info(name)
    frame = load(name)
    registry = load("sources").set_index("source_id")
    used = [s for s in source_ids_in(frame) if s in registry.index]
    sources = registry.loc[used, list(SOURCE_FIELDS)].reset_index()
    columns = pd.DataFrame(info["columns"], columns=["name", "dtype", "unit", "nullable", "description"])
    return Description(
        name=name,
        title=info["title"],
        description=info["description"],
        as_of=str(info["as_of"]),
        key=info["key"],
        rows=len(frame),
        caveats=info["caveats"],
        columns=columns,
        sources=sources,
    )


SEARCH_COLUMNS = ["dataset", "column", "field", "text"]


def search(query: str) -> pd.DataFrame:
    """Datasets and columns whose name, title, description or caveats contain every word of ``query``.

    Case is ignored; a word matches the start of a word in the text ("convict" finds "convicted" and
    "convictions"). One row per match: ``dataset``, ``column`` (empty for the dataset itself), ``field``
    (name, title, description, caveat) and ``text``. Needs no data, only the models.

    >>> hits = search("prosecuted")
    >>> sorted(set(hits["dataset"]))
    ['convictions', 'glotip']
    >>> hits[hits["column"] != ""][["dataset", "column", "field"]].values.tolist()[:2]
    [['convictions', 'persons_prosecuted', 'name'], ['convictions', 'persons_prosecuted', 'description']]
    """
    from tipstats.datasets import list_datasets
    from tipstats.metadata import model_info

    words = [w for w in re.split(r"\s+", query.strip().lower()) if w]
    if not words:
        raise ValueError("search needs at least one word")
    patterns = [re.compile(r"(?<![a-z0-9])" + re.escape(w)) for w in words]

    def hit(text: str) -> bool:
        lowered = text.lower().replace("_", " ")
        return all(p.search(lowered) for p in patterns)

    rows = []
    for name in list_datasets():
        info = model_info(name)
        for label, text in (("name", name), ("title", info["title"]), ("description", info["description"])):
            if hit(text):
                rows.append((name, "", label, text))
        rows += [(name, "", "caveat", c) for c in info["caveats"] if hit(c)]
        for col in info["columns"]:
            for label in ("name", "description"):
                if hit(col[label]):
                    rows.append((name, col["name"], label, col[label]))
    return pd.DataFrame(rows, columns=SEARCH_COLUMNS)


def search_text(hits: pd.DataFrame, width: int | None = None) -> str:
    """``tipstats search``: one block per match, ``dataset.column (field)`` then the text, wrapped."""
    width = terminal_width() if width is None else width
    if hits.empty:
        return "no dataset or column matches"
    lines = []
    for row in hits.itertuples(index=False):
        where = f"{row.dataset}.{row.column}" if row.column else row.dataset
        lines.append(f"{where} ({row.field})")
        lines.append(_wrap(row.text, width, "    "))
    return "\n".join(lines)
