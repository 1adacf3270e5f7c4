"""``make report``: a static site under reports/site/ that opens from the file system (no server).

Index page: the claims verdict table with counts by status, the figure gallery with captions,
links to one page per executed notebook and to the codebook. Every link is relative.
Usage: python tools/build_site.py [--reports reports] [--out reports/site]
"""

from __future__ import annotations

import argparse
import html
import shutil
import sys
from pathlib import Path

import mistune

REPO = Path(__file__).resolve().parents[1]

CSS = """
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #2d2d2d; line-height: 1.45; }
h1, h2 { font-weight: 600; } a { color: #4c6a9c; }
table { border-collapse: collapse; width: 100%; font-size: 0.88em; margin: 1em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1.2em; }
.gallery figure { margin: 0; } .gallery img { width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #5b5b5b; }
.status { font-weight: 600; white-space: nowrap; }
.reproduced { color: #2c8465; } .consistent { color: #4c6a9c; } .differs { color: #b13507; }
.not-reproducible { color: #883039; } .internal { color: #6d3e91; }
nav a { margin-right: 1em; }
"""


def page(title: str, body: str, depth: int = 0) -> str:
    up = "../" * depth
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><link rel='stylesheet' href='{up}style.css'></head><body>"
        f"<nav><a href='{up}index.html'>tipstats</a><a href='{up}codebook.html'>Codebook</a></nav>\n"
        f"{body}\n</body></html>\n"
    )


def claims_section() -> str:
    from tipstats.claims_audit import audit

    table = audit()
    counts = table["status"].value_counts().sort_index()
    parts = ["<h2 id='claims'>Which of the report's numbers hold up?</h2>", "<p>"]
    parts.append(", ".join(f"<span class='status'>{html.escape(s)}</span>: {n}" for s, n in counts.items()))
    parts.append("</p><table><tr><th>claim</th><th>para.</th><th>reported</th><th>computed</th>")
    parts.append("<th>status</th><th>explanation</th></tr>")
    for row in table.itertuples(index=False):
        status = str(row.status)
        parts.append(
            f"<tr><td>{html.escape(str(row.claim_id))}</td><td>{html.escape(str(row.paragraph))}</td>"
            f"<td>{html.escape(str(row.reported))}</td><td>{html.escape(str(row.computed))}</td>"
            f"<td class='status {status.replace(' ', '-')}'>{html.escape(status)}</td>"
            f"<td>{html.escape(str(row.explanation))}</td></tr>"
        )
    parts.append("</table>")
    return "\n".join(parts)


def figure_captions() -> dict[str, str]:
    from tipstats.figures import FIGURES

    return {name: getattr(spec, "caption", "") for name, spec in FIGURES.items()}


SITE_FILES = ("index.html", "style.css", "codebook.html", "figures", "notebooks")


def build(reports: Path, out: Path) -> Path:
    """Write the site into ``out``: replaced whole, and only if empty, new or written by an earlier run."""
    from tipstats.publish import published_directory

    with published_directory(out, SITE_FILES) as staging:
        _write_site(reports, staging)
    return out / "index.html"


def _write_site(reports: Path, out: Path) -> None:
    (out / "figures").mkdir(parents=True)
    (out / "notebooks").mkdir()
    (out / "style.css").write_text(CSS)

    captions = figure_captions()
    gallery = ["<h2 id='figures'>Figures</h2><div class='gallery'>"]
    for png in sorted((reports / "figures").glob("*.png")):
        shutil.copyfile(png, out / "figures" / png.name)
        caption = captions.get(png.stem, "")
        gallery.append(
            f"<figure><a href='figures/{png.name}'><img src='figures/{png.name}' alt='{html.escape(caption or png.stem)}'>"
            f"</a><figcaption><b>{html.escape(png.stem)}</b>: {html.escape(caption)}</figcaption></figure>"
        )
    gallery.append("</div>")

    notebooks = ["<h2 id='notebooks'>Notebooks</h2><ul>"]
    for page_html in sorted((reports / "notebooks").glob("*.html")):
        shutil.copyfile(page_html, out / "notebooks" / page_html.name)
        notebooks.append(f"<li><a href='notebooks/{page_html.name}'>{html.escape(page_html.stem)}</a></li>")
    notebooks.append("</ul>")

    codebook_md = (REPO / "data" / "processed" / "codebook.md").read_text(encoding="utf-8")
    (out / "codebook.html").write_text(page("tipstats codebook", mistune.html(codebook_md)), encoding="utf-8")

    intro = (
        "<h1>tipstats: the numbers behind report A/76/120</h1>"
        "<p>Curated, validated statistics on trafficking in persons. Each claim of the UN Secretary-General's "
        "report A/76/120 (2021) is checked against the data; each figure is regenerated from the raw sources. "
        "See the <a href='codebook.html'>codebook</a> for every dataset, column, source and caveat.</p>"
    )
    body = "\n".join([intro, claims_section(), *gallery, *notebooks])
    (out / "index.html").write_text(page("tipstats", body), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=Path, default=REPO / "reports")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "site")
    args = parser.parse_args()
    from tipstats.publish import OutputFolderError

    try:
        print(build(args.reports, args.out))
    except OutputFolderError as exc:
        print(f"build_site: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
