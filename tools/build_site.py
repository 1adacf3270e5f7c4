"""``make report``: a static site under reports/site/ that opens from the file system (no server, no network).

Pages (every link relative, the same navigation bar on each, notebook pages included):

* ``index.html``: which of the report's numbers hold up. The verdicts as charts (by status, by strength of
  evidence, by section of the report), the legends, a filter by status (a few lines of plain JavaScript; without
  it every claim shows), then every claim under the report's section and paragraph: its label, the report's
  sentence, the verdict, the evidence and explanation, and a link to the notebook that shows it. Each claim is
  addressable as ``index.html#<claim_id>``.
* ``figures.html``: every registered figure (``tipstats.figures.FIGURES``) in the order of the report's story,
  that is of the notebooks that show them (numbered in the report's order), with its title, its caption, the CSV
  of each dataset it draws and its notebook.
* ``data.html`` and ``datasets/<name>.html``: every registered dataset (``tipstats.datasets``) with its codebook
  entry, sources, caveats and downloads (CSV; xlsx, parquet and dta when ``make exports`` wrote them); the result
  tables that ``make tables`` lists in its manifest.
* ``notebooks.html`` and ``notebooks/<name>.html``: the executed notebooks (the cookbook among them), with the
  navigation bar and the site's narrow-screen rules added and the scripts that would load from the network
  removed.
* ``codebook.html``: the whole codebook.

Building twice gives byte-identical files. The site replaces ``--out`` whole, and only when it is new, empty
or written by an earlier build (``tipstats.publish``).

Usage: python tools/build_site.py [--reports reports] [--exports reports/exports] [--out reports/site]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import mistune

REPO = Path(__file__).resolve().parents[1]
E = html.escape

#: Formats of ``tipstats export`` the dataset pages offer beside the CSV, when ``make exports`` wrote them.
EXPORT_FORMATS = ("xlsx", "parquet", "dta")
EXPORT_NOTES = {
    "csv": "text, as in data/processed",
    "xlsx": "Excel: a sheet 'data' and a sheet 'columns'",
    "parquet": "Arrow/parquet, for R, Python, DuckDB",
    "dta": "Stata 118, with variable labels",
}
#: The navigation bar: (file at the site's root, text).
NAV = (
    ("index.html", "Claims"),
    ("figures.html", "Figures"),
    ("data.html", "Data"),
    ("notebooks.html", "Notebooks"),
    ("notebooks/07-cookbook.html", "Cookbook"),
    ("codebook.html", "Codebook"),
)
SITE_FILES = (
    "index.html", "figures.html", "data.html", "notebooks.html", "codebook.html", "style.css", "notebook.css",
    "filter.js", "figures", "notebooks", "data", "datasets", "tables",
)  # fmt: skip

CSS = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; max-width: 1100px; margin: 0 auto; padding: 0 1em 2em;
       color: #2d2d2d; line-height: 1.45; overflow-wrap: break-word; }
h1, h2, h3, h4 { font-weight: 600; line-height: 1.25; } h1 { font-size: 1.6em; }
a { color: #3d5a8a; }
img { max-width: 100%; height: auto; }
.site-nav { display: flex; flex-wrap: wrap; gap: 0.2em 1.1em; padding: 0.7em 0; border-bottom: 1px solid #ddd;
            margin-bottom: 1em; font-size: 0.95em; }
.site-nav a { text-decoration: none; } .site-nav a[aria-current] { font-weight: 700; color: #1d1d1d; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.88em; margin: 0.5em 0 1em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num, th.num { text-align: right; }
code { font-size: 0.92em; overflow-wrap: anywhere; }
td:first-child code { overflow-wrap: normal; white-space: nowrap; }
.muted { color: #5b5b5b; font-size: 0.9em; }
/* verdicts: one colour per status, used by the charts, the badges and the legend */
.reproduced { --c: #2c8465; } .consistent { --c: #4c6a9c; } .differs { --c: #b13507; }
.not-reproducible { --c: #8a8a8a; } .internal { --c: #6d3e91; } .failed { --c: #5b5b5b; }
.official-count { --c: #2c8465; } .primary-un-unodc-document { --c: #4c6a9c; } .secondary-page { --c: #c98a1b; }
.curation-label { --c: #d4722a; } .report-itself { --c: #6d3e91; } .none { --c: #b8b8b8; }
.badge { display: inline-block; padding: 0.05em 0.5em; border-radius: 0.8em; color: #fff; background: var(--c);
         font-weight: 600; font-size: 0.85em; white-space: nowrap; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; background: var(--c); vertical-align: -0.1em;
          margin-right: 0.35em; border-radius: 2px; }
.bar { display: flex; height: 1.6em; border-radius: 3px; overflow: hidden; margin: 0.3em 0; background: #eee; }
.bar span { background: var(--c); min-width: 2px; }
.chart { margin: 0.5em 0 1.5em; } .chart h3 { margin-bottom: 0.2em; }
.legend { list-style: none; padding: 0; margin: 0.4em 0; font-size: 0.92em; }
.legend li { margin: 0.25em 0; }
.sections { display: grid; grid-template-columns: minmax(8em, 18em) 1fr; gap: 0.2em 0.8em; align-items: center;
            font-size: 0.9em; }
.sections .bar { margin: 0; height: 1.2em; }
#filter { display: flex; flex-wrap: wrap; gap: 0.4em; margin: 1em 0 0.5em; }
#filter button { font: inherit; font-size: 0.9em; padding: 0.25em 0.7em; border: 1px solid #bbb; border-radius: 1em;
                 background: #fff; cursor: pointer; }
#filter button[aria-pressed='true'] { background: #2d2d2d; color: #fff; border-color: #2d2d2d; }
.report-section > h2 { border-top: 2px solid #2d2d2d; padding-top: 0.5em; margin-top: 1.8em; }
.paragraph > h4 { margin: 1.2em 0 0.3em; color: #5b5b5b; }
.claim { border-left: 4px solid var(--c); padding: 0.3em 0 0.3em 0.8em; margin: 0.6em 0 1em; }
.claim h5 { font-size: 1em; margin: 0 0 0.3em; } .claim h5 a { color: inherit; text-decoration: none; }
.claim blockquote { margin: 0.3em 0; padding: 0.3em 0.7em; background: #f6f6f3; font-style: italic; }
.claim dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.15em 0.8em; margin: 0.4em 0;
            font-size: 0.92em; }
.claim dt { color: #5b5b5b; } .claim dd { margin: 0; min-width: 0; }
@media (max-width: 600px) { .claim dl, .sections { grid-template-columns: 1fr; } .claim dt { margin-top: 0.3em; } }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr)); gap: 1.5em; }
.gallery figure { margin: 0; min-width: 0; } .gallery img { width: 100%; border: 1px solid #eee; }
figcaption h3 { font-size: 1em; margin: 0.4em 0 0.2em; } figcaption p { margin: 0.2em 0; font-size: 0.92em; }
"""

#: Added to each notebook page: the navigation bar, and the rules that keep the page inside a narrow screen.
NOTEBOOK_CSS = """
.site-nav { display: flex; flex-wrap: wrap; gap: 0.2em 1.1em; padding: 0.7em 1em; border-bottom: 1px solid #ddd;
            font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; font-size: 0.95em; background: #fff; }
.site-nav a { color: #3d5a8a; text-decoration: none; } .site-nav a[aria-current] { font-weight: 700; color: #1d1d1d; }
body.jp-Notebook { overflow-wrap: break-word; }
.jp-Cell, .jp-InputArea, .jp-OutputArea-child, .jp-InputArea-editor, .jp-OutputArea-output { min-width: 0; }
.jp-InputArea-editor, .jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow-x: auto; max-width: 100%; }
.jp-RenderedHTMLCommon table { display: block; overflow-x: auto; max-width: 100%; }
.jp-OutputArea-output img { max-width: 100%; height: auto; }
.jp-OutputArea-output pre { word-break: normal; overflow-wrap: anywhere; }
@media (max-width: 600px) {
  .jp-InputPrompt, .jp-OutputPrompt { display: none; }
  .jp-Notebook { padding: 0.5em; } .jp-Cell { padding: 0.2em 0; }
}
"""

#: The filter by status: the buttons are hidden until this runs, so without JavaScript every claim shows.
FILTER_JS = """\
(function () {
  var box = document.getElementById('filter');
  if (!box) { return; }
  var buttons = box.querySelectorAll('button');
  var claims = document.querySelectorAll('.claim');
  var count = document.getElementById('filter-count');
  function show(status) {
    var shown = 0;
    claims.forEach(function (claim) {
      var keep = status === 'all' || claim.dataset.status === status;
      claim.hidden = !keep;
      if (keep) { shown += 1; }
    });
    document.querySelectorAll('.paragraph, .subsection, .report-section').forEach(function (group) {
      group.hidden = !group.querySelector('.claim:not([hidden])');
    });
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.status === status)); });
    count.textContent = 'Showing ' + shown + ' of ' + claims.length + ' claims.';
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { show(b.dataset.status); }); });
  box.hidden = false;
  show('all');
})();
"""


def inline(text: object) -> str:
    """Plain text as HTML, with `backticked` words as code (the models' descriptions and caveats use them)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", E(str(text)))


def file_size(path: Path) -> str:
    size = path.stat().st_size
    for unit in ("bytes", "KB", "MB"):
        if size < 1000 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError


def css_class(value: str) -> str:
    """A status or strength as a CSS class name ("not reproducible" -> "not-reproducible")."""
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")


def nav(depth: int, current: str | None) -> str:
    up = "../" * depth
    links = "".join(
        f"<a href='{up}{href}'" + (" aria-current='page'" if href == current else "") + f">{E(text)}</a>"
        for href, text in NAV
    )
    return f"<nav class='site-nav' aria-label='tipstats report'><a href='{up}index.html'><b>tipstats</b></a>{links}</nav>"


def page(title: str, body: str, *, depth: int = 0, current: str | None = None, script: bool = False) -> str:
    up = "../" * depth
    js = f"<script src='{up}filter.js'></script>" if script else ""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{E(title)}</title><link rel='stylesheet' href='{up}style.css'></head><body>\n"
        f"{nav(depth, current)}\n<main>\n{body}\n</main>{js}\n</body></html>\n"
    )


def table_html(header: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[int] = ()) -> str:
    """A table in its own horizontally scrolling box; cells are HTML already."""
    numeric = set(numeric)
    head = "".join(f"<th{' class=num' if i in numeric else ''}>{h}</th>" for i, h in enumerate(header))
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<div class='scroll'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


# -- the report's sections ---------------------------------------------------------------------------

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
HEADING_LINES = 6  # a heading never runs longer than this
_HEADING = re.compile(r"(?m)^[ \t]*(?P<mark>[IVX]+|[A-H])\.[ \t]+(?P<first>[A-Z].*)$")


@dataclass(frozen=True)
class Section:
    """A heading of the report (``number``: "III" or "III.A") and where its text starts."""

    number: str
    title: str
    start: int


def report_sections(text: str) -> list[Section]:
    """The report's headings (I., II., ... and their A., B., ...) in order, read from the report text.

    A heading runs over the lines that follow it up to the first line of spaces (in the text as extracted
    from the PDF, an empty line inside a heading is a line break of the layout; a line of spaces ends it). Only the next numeral (or letter)
    in sequence counts as a heading, so a line that happens to start with "C." inside a paragraph does not.
    """
    sections: list[Section] = []
    roman, letter = 0, 0
    for match in _HEADING.finditer(text):
        mark = match["mark"]
        if roman < len(ROMAN) and mark == ROMAN[roman]:
            roman, letter = roman + 1, 0
            number = mark
        elif roman and mark == "ABCDEFGH"[letter]:
            letter += 1
            number = f"{ROMAN[roman - 1]}.{mark}"
        else:
            continue
        lines = [match["first"]]
        rest = text[match.end() :]
        rest = rest[2:] if rest.startswith("\r\n") else rest[1:]  # the heading's own line ending
        for line in rest.splitlines()[:HEADING_LINES]:
            if line and not line.strip():
                break  # a line of spaces ends a heading
            lines.append(line)  # an empty line inside a heading is the layout's line break
        sections.append(Section(number, " ".join(" ".join(lines).split()), match.start()))
    return sections


def paragraph_number(paragraph: str) -> int:
    """The number a claim's paragraph starts with ("38(a)" and "38, footnote 2" are in paragraph 38)."""
    return int(re.match(r"\d+", str(paragraph)).group())


def section_of_paragraphs(numbers: Iterable[int]) -> dict[int, tuple[Section | None, Section | None]]:
    """For each paragraph number: the report's section and, when there is one, its lettered subsection."""
    from tipstats.report import _paragraph_starts, report_text

    text = report_text()
    starts = _paragraph_starts(text)
    sections = report_sections(text)
    out = {}
    for number in numbers:
        before = [s for s in sections if s.start <= starts[number]]
        top = next((s for s in reversed(before) if "." not in s.number), None)
        sub = next((s for s in reversed(before) if "." in s.number), None)
        if sub is not None and (top is None or not sub.number.startswith(f"{top.number}.")):
            sub = None
        out[number] = (top, sub)
    return out


# -- notebooks -----------------------------------------------------------------------------------------


def notebook_title(executed: Path) -> str:
    """The first Markdown heading of a notebook (its title), else its file name."""
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return executed.stem


_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\ssrc=\"https?://[^\"]*\"[^>]*>\s*</script>\n?")


def notebook_page(source_html: str, title: str, current: str) -> str:
    """An nbconvert page as a page of the site: title, navigation bar, narrow-screen rules, no network scripts."""
    out = _EXTERNAL_SCRIPT.sub("", source_html)
    out = re.sub(r"<title>.*?</title>", f"<title>{E(title)} · tipstats</title>", out, count=1, flags=re.S)
    if 'name="viewport"' not in out:
        out = out.replace(
            "<head>", "<head><meta name='viewport' content='width=device-width, initial-scale=1'>", 1
        )
    out = out.replace("</head>", "<link rel='stylesheet' href='../notebook.css'>\n</head>", 1)
    body = re.search(r"<body[^>]*>", out)
    if body is None:
        raise ValueError(f"{title}: the notebook page has no <body>")
    return out[: body.end()] + "\n" + nav(1, current) + out[body.end() :]


# -- the landing page: the claims -------------------------------------------------------------------


def stacked_bar(counts: dict[str, int], label: str) -> str:
    total = sum(counts.values())
    spans = "".join(
        f"<span class='{css_class(k)}' style='flex: {n} 1 0' title='{E(k)}: {n}'></span>"
        for k, n in counts.items()
        if n
    )
    return f"<div class='bar' role='img' aria-label='{E(label)}: {E(', '.join(f'{k} {n}' for k, n in counts.items() if n))} of {total}'>{spans}</div>"


def legend(counts: dict[str, int], meanings: dict[str, str], total: int) -> str:
    items = "".join(
        f"<li><span class='swatch {css_class(k)}'></span><b>{E(k)}</b>: {n} of {total} "
        f"({100 * n / total:.0f}%) — {E(meanings.get(k, ''))}</li>"
        for k, n in counts.items()
        if n or k in meanings
    )
    return f"<ul class='legend'>{items}</ul>"


def claims_page(table, notebook_titles: dict[str, str]) -> str:
    from tipstats.claims_audit import status_counts
    from tipstats.claims_audit.rules import FAILED
    from tipstats.claims_audit.rules.base import STRENGTH_LEGEND
    from tipstats.render import LEGEND, summary_text

    total = len(table)
    by_status = {s: int(n) for s, n in status_counts(table).items() if n or s != FAILED}
    strength = table["strength"].value_counts()
    by_strength = {s: int(strength.get(s, 0)) for s in STRENGTH_LEGEND}
    numbers = sorted({paragraph_number(p) for p in table["paragraph"]})
    where = section_of_paragraphs(numbers)
    table = table.assign(para_number=[paragraph_number(p) for p in table["paragraph"]])
    table = table.sort_values("para_number", kind="stable")

    parts = [
        "<h1>Which of the report's numbers hold up?</h1>",
        "<p>Every quantitative statement of the UN Secretary-General's report A/76/120 (2021), <i>Improving "
        "the coordination of efforts against trafficking in persons</i>, checked against the tipstats datasets: "
        "each with the report's own sentence, the verdict, the evidence and the notebook that shows it.</p>",
        f"<p>{E(summary_text(table))}</p>",
        "<section id='summary'><div class='chart'><h3>Verdicts by status</h3>",
        stacked_bar(by_status, "verdicts by status"),
        legend(by_status, LEGEND, total),
        "</div><div class='chart'><h3>Strength of the best evidence</h3>",
        stacked_bar(by_strength, "verdicts by strength of evidence"),
        legend(by_strength, STRENGTH_LEGEND, total),
        "</div>",
    ]
    # one bar per section of the report: which parts of it hold up
    rows = []
    order = list(by_status)
    for top in dict.fromkeys(where[n][0] for n in numbers):
        in_section = table[[where[n][0] == top for n in table["para_number"]]]
        counts = in_section["status"].value_counts()
        name = f"{top.number}. {top.title}" if top else "Before the first section"
        rows.append(
            f"<span><a href='#section-{css_class(top.number if top else 'start')}'>{E(name)}</a> "
            f"<span class='muted'>({len(in_section)})</span></span>"
            + stacked_bar({s: int(counts.get(s, 0)) for s in order}, name)
        )
    parts += [
        "<div class='chart'><h3>Verdicts by section of the report</h3><div class='sections'>",
        *rows,
        "</div><p class='muted'>Each bar: the section's claims (their number in brackets) by status, colours as above.</p></div></section>",
        "<h2 id='claims'>Every claim, paragraph by paragraph</h2>",
        "<div id='filter' role='group' aria-label='show claims by status' hidden>",
        f"<button type='button' data-status='all' aria-pressed='true'>all ({total})</button>",
        *(
            f"<button type='button' data-status='{E(s)}' aria-pressed='false'>{E(s)} ({n})</button>"
            for s, n in by_status.items()
            if n
        ),
        "</div><p id='filter-count' class='muted' aria-live='polite'></p>",
    ]
    # section -> subsection (or None) -> paragraph -> claims, in the report's order
    tree: dict = {}
    for row in table.itertuples(index=False):
        top, sub = where[row.para_number]
        tree.setdefault(top, {}).setdefault(sub, {}).setdefault(row.para_number, []).append(row)
    for top, subs in tree.items():
        ident = css_class(top.number if top else "start")
        name = f"{top.number}. {top.title}" if top else "Before the first section"
        parts.append(f"<section class='report-section' id='section-{ident}'><h2>{E(name)}</h2>")
        for sub, paragraphs in subs.items():
            if sub is not None:
                parts.append(
                    f"<div class='subsection' id='section-{css_class(sub.number)}'>"
                    f"<h3>{E(sub.number.split('.')[-1])}. {E(sub.title)}</h3>"
                )
            for number, rows in paragraphs.items():
                parts.append(f"<div class='paragraph' id='paragraph-{number}'><h4>Paragraph {number}</h4>")
                parts += [claim_html(row, notebook_titles) for row in rows]
                parts.append("</div>")
            if sub is not None:
                parts.append("</div>")
        parts.append("</section>")
    return "\n".join(parts)


def claim_html(row, notebook_titles: dict[str, str]) -> str:
    status = str(row.status)
    details = [("reported", row.reported), ("computed", row.computed), ("evidence", row.evidence)]
    if row.source_dates:
        details.append(("sources dated", row.source_dates))
    details.append(("why", row.explanation))
    dl = "".join(f"<dt>{E(k)}</dt><dd>{E(str(v))}</dd>" for k, v in details if str(v))
    notebook = str(row.see_also)
    link = (
        f"<p class='muted'>Shown in the notebook <a href='notebooks/{E(notebook)}.html'>"
        f"{E(notebook_titles.get(notebook, notebook))}</a> · <a href='#{E(row.claim_id)}'>link to this claim</a> "
        f"(<code>{E(row.claim_id)}</code>)</p>"
    )
    return (
        f"<article class='claim {css_class(status)}' id='{E(row.claim_id)}' data-status='{E(status)}'>"
        f"<h5><a href='#{E(row.claim_id)}'>{E(str(row.label))}</a></h5>"
        f"<blockquote>\u201c{E(str(row.quote))}\u201d</blockquote>"
        f"<p><span class='badge {css_class(status)}'>{E(status)}</span> "
        f"<span class='muted'>evidence: {E(str(row.strength))}</span></p>"
        f"<dl>{dl}</dl>{link}</article>"
    )


# -- figures ---------------------------------------------------------------------------------------------


def figure_title(svg: Path) -> str:
    """The figure's title as drawn (the text of the group with id ``title`` that the house style writes)."""
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    root = ET.parse(svg, parser=parser).getroot()
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        if group.get("id") == "title":
            lines = [node.text.strip() for node in group.iter() if node.tag is ET.Comment and node.text]
            return " ".join(lines)
    return ""


def figures_in_story_order():
    """The registered figures in the order of the report's story: by the notebook that shows them (numbered in
    the report's order), then in the registry's order."""
    from tipstats.figures import FIGURES

    registered = list(FIGURES.values())
    return sorted(registered, key=lambda spec: (spec.notebook, registered.index(spec)))


def gallery_page(reports: Path, out: Path, notebook_titles: dict[str, str]) -> str:
    parts = [
        "<h1>Figures</h1>",
        "<p>Every figure of the library, in the order of the report's story, regenerated from the processed "
        "datasets by <code>make figures</code>. Each links to the data it draws (CSV) and to the notebook that "
        "shows it; click a figure for its SVG.</p>",
    ]
    current = None
    for spec in figures_in_story_order():
        png, svg = reports / "figures" / f"{spec.name}.png", reports / "figures" / f"{spec.name}.svg"
        if not (png.is_file() and svg.is_file()):
            raise FileNotFoundError(f"{png} or {svg} is missing: run `make figures`")
        for path in (png, svg):
            shutil.copyfile(path, out / "figures" / path.name)
        if spec.notebook != current:
            if current is not None:
                parts.append("</div>")
            current = spec.notebook
            title = notebook_titles.get(spec.notebook, spec.notebook)
            parts.append(f"<h2 id='{E(spec.notebook)}'>{E(title)}</h2><div class='gallery'>")
        title = figure_title(svg) or spec.name
        data = ", ".join(
            f"<a href='data/{E(d)}.csv'>{E(d)}.csv</a> (<a href='datasets/{E(d)}.html'>about</a>)"
            for d in spec.datasets
        )
        parts.append(
            f"<figure id='{E(spec.name)}'><a href='figures/{E(svg.name)}'>"
            f"<img src='figures/{E(png.name)}' alt='{E(title)}'></a><figcaption>"
            f"<h3>{E(title)}</h3><p>{E(spec.caption)}</p>"
            f"<p class='muted'>Data: {data} · notebook: <a href='notebooks/{E(spec.notebook)}.html'>"
            f"{E(notebook_titles.get(spec.notebook, spec.notebook))}</a> · <code>{E(spec.name)}</code></p>"
            "</figcaption></figure>"
        )
    if current is not None:
        parts.append("</div>")
    return "\n".join(parts)


# -- data ------------------------------------------------------------------------------------------------


def dataset_downloads(name: str, processed: Path, exports: Path, out: Path) -> list[tuple[str, str]]:
    """Copy the dataset's files into ``out/data``; (format, file name) for each."""
    files = [("csv", processed / f"{name}.csv")]
    files += [(fmt, exports / fmt / f"{name}.{fmt}") for fmt in EXPORT_FORMATS]
    done = []
    for fmt, path in files:
        if path.is_file():
            shutil.copyfile(path, out / "data" / path.name)
            done.append((fmt, path.name, file_size(path)))
    return done


def download_links(downloads: list[tuple[str, str, str]], up: str, notes: bool = True) -> str:
    return " · ".join(
        f"<a href='{up}data/{E(file)}' download>{E(fmt)}</a> <span class='muted'>({E(size)}"
        + (f"; {E(EXPORT_NOTES[fmt])}" if notes else "")
        + ")</span>"
        for fmt, file, size in downloads
    )


def dataset_page(
    info, downloads: list[tuple[str, str, str]], figures: list, notebook_titles: dict[str, str]
) -> str:
    e = E
    cols = table_html(
        ["column", "type", "unit", "may be empty", "description"],
        (
            [f"<code>{e(c.name)}</code>", e(str(c.dtype)), e(str(c.unit or "")), "yes" if c.nullable else "no",
             inline(c.description)]
            for c in info.columns.itertuples(index=False)
        ),
    )  # fmt: skip
    sources = []
    for s in info.sources.itertuples(index=False):
        url = s.url if isinstance(s.url, str) and s.url else ""
        link = f" <a href='{e(url)}'>{e(url)}</a>" if url else ""
        licence = f" ({e(str(s.licence))})" if isinstance(s.licence, str) and s.licence else ""
        sources.append(f"<li><code>{e(s.source_id)}</code>: {e(str(s.citation))}{link}{licence}</li>")
    drawn = "".join(
        f"<li><a href='../figures.html#{e(f.name)}'>{e(f.name)}</a>: {e(f.caption)}</li>" for f in figures
    )
    parts = [
        f"<h1><code>{e(info.name)}</code>: {e(info.title)}</h1>",
        f"<p>{inline(info.description)}</p>",
        f"<p><b>Rows</b> {info.rows} · <b>key</b> {e(', '.join(info.key))} · <b>as of</b> {e(str(info.as_of))}</p>",
        f"<h2>Download</h2><p>{download_links(downloads, '../')}</p>",
        "<h2>Columns</h2>",
        cols,
        "<h2>Caveats</h2>",
        "<ul>" + "".join(f"<li>{inline(c)}</li>" for c in info.caveats) + "</ul>"
        if info.caveats
        else "<p>None.</p>",
        f"<h2>Sources</h2><ul>{''.join(sources)}</ul>" if sources else "<h2>Sources</h2><p>None named.</p>",
    ]
    if drawn:
        parts.append(f"<h2>Figures drawn from it</h2><ul>{drawn}</ul>")
    return "\n".join(parts)


def result_tables(reports: Path, out: Path) -> list[tuple[str, int, list[str]]]:
    """Copy the result tables that ``make tables`` lists in its manifest; (name, rows, columns) of each."""
    import pandas as pd

    manifest = reports / "tables" / "manifest.txt"
    if not manifest.is_file():
        return []
    found = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        path = REPO / line.strip() if not Path(line.strip()).is_absolute() else Path(line.strip())
        if not path.is_file():
            path = reports / "tables" / Path(line.strip()).name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        shutil.copyfile(path, out / "tables" / path.name)
        found.append((path.stem, len(frame), list(frame.columns)))
    return found


def data_page(rows: list[tuple], tables: list[tuple[str, int, list[str]]]) -> str:
    parts = [
        "<h1>Data</h1>",
        "<p>Every dataset of tipstats, curated and validated from the raw sources, with its codebook entry, "
        "sources, caveats and downloads. The same files come from <code>tipstats export --format "
        "csv|parquet|xlsx|dta DIR</code>; the whole codebook is <a href='codebook.html'>one page</a>.</p>",
        table_html(
            ["dataset", "what it is", "rows", "download"],
            (
                [
                    f"<a href='datasets/{E(info.name)}.html'><code>{E(info.name)}</code></a>",
                    E(info.title),
                    str(info.rows),
                    download_links(downloads, "", notes=False),
                ]
                for info, downloads in rows
            ),
            numeric=[2],
        ),  # fmt: skip
    ]
    if tables:
        parts += [
            "<h2 id='tables'>Result tables</h2>",
            "<p>The convictions analysis as tables (<code>make tables</code>, <code>tipstats analysis</code>).</p>",
            table_html(
                ["table", "rows", "columns"],
                (
                    [
                        f"<a href='tables/{E(name)}.csv' download><code>{E(name)}.csv</code></a>",
                        str(n),
                        ", ".join(f"<code>{E(c)}</code>" for c in columns),
                    ]
                    for name, n, columns in tables
                ),
                numeric=[1],
            ),  # fmt: skip
        ]
    return "\n".join(parts)


# -- the site ----------------------------------------------------------------------------------------------


def build(reports: Path, out: Path, exports: Path | None = None) -> Path:
    """Write the site into ``out``: replaced whole, and only if empty, new or written by an earlier run."""
    from tipstats.publish import MARKER, published_directory, refuse_unless_replaceable

    refuse_unless_replaceable(out, {*SITE_FILES, MARKER})  # before any work
    exports = reports / "exports" if exports is None else exports
    with published_directory(out, SITE_FILES) as staging:
        _write_site(reports, exports, staging)
    return out / "index.html"


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def _write_site(reports: Path, exports: Path, out: Path) -> None:
    from tipstats.claims_audit import audit
    from tipstats.datasets import list_datasets
    from tipstats.discover import describe
    from tipstats.paths import processed_dir

    processed = processed_dir()

    for folder in ("figures", "notebooks", "data", "datasets", "tables"):
        (out / folder).mkdir(parents=True)
    _write(out / "style.css", CSS.lstrip())
    _write(out / "notebook.css", NOTEBOOK_CSS.lstrip())
    _write(out / "filter.js", FILTER_JS)

    executed = sorted((reports / "notebooks").glob("*.html"))
    titles = {p.stem: notebook_title(p.with_suffix(".ipynb")) for p in executed}
    for source in executed:
        current = f"notebooks/{source.name}" if f"notebooks/{source.name}" in dict(NAV) else "notebooks.html"
        _write(
            out / "notebooks" / source.name,
            notebook_page(source.read_text(encoding="utf-8"), titles[source.stem], current),
        )
    items = "".join(
        f"<li><a href='notebooks/{E(p.name)}'>{E(titles[p.stem])}</a> <span class='muted'>({E(p.stem)})</span></li>"
        for p in executed
    )
    _write(
        out / "notebooks.html",
        page(
            "Notebooks · tipstats",
            "<h1>Notebooks</h1><p>Each notebook, executed by <code>make notebooks</code>, starts with the report's "
            f"words it reproduces and ends with computed against reported values.</p><ul>{items}</ul>",
            current="notebooks.html",
        ),
    )

    table = audit()
    _write(
        out / "index.html",
        page(
            "Which numbers hold up? · tipstats", claims_page(table, titles), current="index.html", script=True
        ),
    )
    _write(
        out / "figures.html",
        page("Figures · tipstats", gallery_page(reports, out, titles), current="figures.html"),
    )

    from tipstats.figures import FIGURES

    rows = []
    for name in list_datasets():
        info = describe(name)
        downloads = dataset_downloads(name, processed, exports, out)
        drawn = [f for f in figures_in_story_order() if name in f.datasets]
        _write(
            out / "datasets" / f"{name}.html",
            page(
                f"{name} · tipstats",
                dataset_page(info, downloads, drawn, titles),
                depth=1,
                current="data.html",
            ),
        )
        rows.append((info, downloads))
    missing = {d for spec in FIGURES.values() for d in spec.datasets} - set(list_datasets())
    if missing:
        raise ValueError(f"figures name datasets that are not registered: {sorted(missing)}")
    _write(
        out / "data.html",
        page("Data · tipstats", data_page(rows, result_tables(reports, out)), current="data.html"),
    )

    codebook_md = (processed / "codebook.md").read_text(encoding="utf-8")
    codebook_html = re.sub(r"<table>", "<div class='scroll'><table>", mistune.html(codebook_md))
    codebook_html = codebook_html.replace("</table>", "</table></div>")
    # the codebook's table of contents links to each dataset's heading (#name): give the headings their ids
    codebook_html = re.sub(r"<h2>([a-z0-9_]+)</h2>", r"<h2 id='\1'>\1</h2>", codebook_html)
    _write(out / "codebook.html", page("Codebook · tipstats", codebook_html, current="codebook.html"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=Path, default=REPO / "reports")
    parser.add_argument("--exports", type=Path, default=None, help="default: <reports>/exports")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "site")
    args = parser.parse_args()
    from tipstats.publish import OutputFolderError

    try:
        print(build(args.reports, args.out, args.exports))
    except OutputFolderError as exc:
        print(f"build_site: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
