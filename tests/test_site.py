"""The HTML report (issue 15, part 3): in a real browser (headless Chromium) at 1280 and 400 px, every page
fits the screen's width (tables scroll inside their box), has the navigation bar and a viewport, and every
link and image resolves; the filter by status hides the other claims; every claim of the audit is on the
landing page with its sentence, label, verdict and notebook; the gallery follows the report's story and every
registered figure and dataset has its page. Without the browser: building twice gives the same bytes, and the
report's sections are read from its text."""

from __future__ import annotations

import html
import importlib.util
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

import tipstats
from tipstats.paths import REPORTS_DIR

REPO = Path(__file__).resolve().parents[1]
SITE = REPORTS_DIR / "site"
WIDTHS = (1280, 400)
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _builder():
    spec = importlib.util.spec_from_file_location("build_site", REPO / "tools" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_site"] = module
    spec.loader.exec_module(module)
    return module


build_site = _builder()


def site_pages() -> list[Path]:
    return sorted(SITE.rglob("*.html"))


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver

    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if not (chromium and driver_path):
        pytest.fail("chromium and chromedriver are missing: `make test` installs them (Debian packages)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,2000",
    ):  # fmt: skip
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=options, service=service)
    yield driver
    driver.quit()


def _at_width(driver, width: int) -> None:
    """A viewport ``width`` CSS pixels wide (a desktop window, or a phone held upright at 400)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
    )


#: Elements that reach past the right edge of the screen without a scrolling box (overflow-x auto or scroll,
#: itself on the screen) around them: text a reader could neither see nor scroll to.
CLIPPED = """
var width = document.documentElement.clientWidth, found = [];
document.querySelectorAll('body *').forEach(function (e) {
  var box = e.getBoundingClientRect();
  if (box.width === 0 || box.right <= width + 0.5) { return; }
  for (var a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    var overflow = getComputedStyle(a).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && a.getBoundingClientRect().right <= width + 0.5) { return; }
  }
  if (found.length < 5) { found.push(e.tagName + ' ' + (e.innerText || '').slice(0, 40)); }
});
return found;
"""


def _ids_in(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    return {html.unescape(m[1]) for m in re.findall(r"\bid=(['\"])(.*?)\1", text, flags=re.S)}


def _claims(driver) -> list[dict]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.claim')).map(function (c) {"
        "  return {id: c.id, status: c.dataset.status, shown: c.offsetParent !== null, text: c.innerText}; });"
    )


def test_site_was_built():
    assert (SITE / "index.html").exists(), "run `make report` (part of `make all`) first"
    assert len(site_pages()) >= 6 + len(tipstats.list_datasets())


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_width_has_the_navigation_and_resolves_every_link_and_image(browser, width):
    _at_width(browser, width)
    nav_targets = {SITE / href for href, _text in build_site.NAV}
    checked_links = 0
    for page in site_pages():
        browser.get(page.as_uri())
        where = f"{page.relative_to(SITE)} at {width} px"
        scroll, client = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"{where}: the page scrolls sideways ({scroll} > {client} px)"
        clipped = browser.execute_script(CLIPPED)
        assert clipped == [], f"{where}: content past the screen's edge with no box to scroll it: {clipped}"
        assert browser.find_elements("css selector", "meta[name='viewport']"), where
        nav = browser.find_elements("css selector", "nav.site-nav a")
        targets = {Path(unquote(urlparse(a.get_attribute("href")).path)) for a in nav}
        assert nav_targets <= targets, f"{where}: the navigation bar misses {nav_targets - targets}"
        for img in browser.find_elements("tag name", "img"):
            loaded = browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img)
            assert loaded and loaded > 0, f"{where}: image {img.get_attribute('src')} did not load"
        if width != WIDTHS[0]:
            continue  # the links are the same at every width
        hrefs = browser.execute_script(
            "return Array.from(document.querySelectorAll('a[href]')).map(function (a) { return a.href; })"
        )
        for href in hrefs:
            url = urlparse(href)
            if url.scheme != "file":
                continue
            target = Path(unquote(url.path))
            assert target.is_file(), f"{where}: broken link {href}"
            if url.fragment and target.suffix == ".html":
                ids = _ids_in(target)  # a browser tries the fragment as written, then decoded
                assert url.fragment in ids or unquote(url.fragment) in ids, f"{where}: no anchor for {href}"
            checked_links += 1
        scripts = [s.get_attribute("src") for s in browser.find_elements("css selector", "script[src]")]
        assert all(urlparse(s).scheme == "file" for s in scripts), f"{where}: a script from the network"
    if width == WIDTHS[0]:
        assert checked_links > 100
    browser.get((SITE / "index.html").as_uri())
    browser.save_screenshot(str(REPORTS_DIR / f"screenshot-site-{width}.png"))


def test_the_landing_page_shows_every_claim_with_its_sentence_label_verdict_and_notebook(browser):
    from tipstats.render import LEGEND

    _at_width(browser, 1280)
    browser.get((SITE / "index.html").as_uri())
    audit = tipstats.audit()
    claims = {c["id"]: c for c in _claims(browser)}
    assert set(claims) == set(audit["claim_id"]), "every claim of the audit, and only those, has its anchor"
    for row in audit.itertuples(index=False):
        text = " ".join(claims[row.claim_id]["text"].split())
        assert claims[row.claim_id]["status"] == row.status
        for part in (row.label, row.quote, row.status, row.explanation):
            assert " ".join(str(part).split()) in text, (row.claim_id, part)
        link = browser.find_element("css selector", f"[id='{row.claim_id}'] a[href$='{row.see_also}.html']")
        assert link.text.strip()
    summary = " ".join(browser.find_element("id", "summary").text.split())
    for status, meaning in LEGEND.items():
        if (audit["status"] == status).any():
            n = int((audit["status"] == status).sum())
            assert f"{status}: {n} of {len(audit)}" in summary and " ".join(meaning.split()) in summary
    bars = browser.find_elements("css selector", "#summary .bar")
    assert len(bars) >= 2 + 7, "a bar by status, one by strength and one per section of the report"
    # a claim's anchor brings it into view
    first = audit["claim_id"].iloc[-1]
    browser.get((SITE / "index.html").as_uri() + f"#{first}")
    top = browser.execute_script(f"return document.getElementById('{first}').getBoundingClientRect().top")
    assert 0 <= top < 1000


def test_the_filter_by_status_hides_the_other_claims(browser):
    audit = tipstats.audit()
    counts = audit["status"].value_counts()
    for width in WIDTHS:
        _at_width(browser, width)
        browser.get((SITE / "index.html").as_uri())
        assert all(c["shown"] for c in _claims(browser))
        for status, n in counts.items():
            browser.find_element("css selector", f"#filter button[data-status='{status}']").click()
            claims = _claims(browser)
            shown = [c for c in claims if c["shown"]]
            assert len(shown) == n and {c["status"] for c in shown} == {status}, (status, width)
            assert len(claims) == len(audit)
            # a paragraph none of whose claims is shown is hidden with its heading
            empty = browser.execute_script(
                "return Array.from(document.querySelectorAll('.paragraph')).filter(function (p) {"
                "  return p.offsetParent !== null && !p.querySelector('.claim:not([hidden])'); }).length"
            )
            assert empty == 0
            assert f"Showing {n} of {len(audit)}" in browser.find_element("id", "filter-count").text
        browser.find_element("css selector", "#filter button[data-status='all']").click()
        assert all(c["shown"] for c in _claims(browser))


def test_the_gallery_follows_the_story_and_links_each_figure_to_its_data_and_notebook(browser):
    from tipstats.figures import FIGURES

    _at_width(browser, 1280)
    browser.get((SITE / "figures.html").as_uri())
    shown = [f.get_attribute("id") for f in browser.find_elements("css selector", "figure")]
    assert sorted(shown) == sorted(FIGURES), "every registered figure, and only those"
    notebooks = [FIGURES[name].notebook for name in shown]
    assert notebooks == sorted(notebooks), "in the order of the notebooks (the report's story)"
    # ratification, legislation, convictions, victims, trust fund
    story = ["ratification", "legislation", "convictions", "victims", "trust-fund"]
    firsts = [next(i for i, nb in enumerate(notebooks) if word in nb) for word in story]
    assert firsts == sorted(firsts)
    for name in shown:
        figure = browser.find_element("id", name)
        title = figure.find_element("tag name", "h3").text
        assert title and title != name
        assert FIGURES[name].caption in figure.text
        hrefs = {
            a.get_attribute("href").rsplit("/", 2)[-2:][-1] for a in figure.find_elements("tag name", "a")
        }
        assert {f"{d}.csv" for d in FIGURES[name].datasets} <= hrefs
        assert f"{FIGURES[name].notebook}.html" in hrefs


def test_each_dataset_page_has_its_codebook_entry_and_downloads(browser):
    _at_width(browser, 1280)
    for name in tipstats.list_datasets():
        info = tipstats.describe(name)
        browser.get((SITE / "datasets" / f"{name}.html").as_uri())
        text = browser.find_element("tag name", "main").text
        for column in info.columns.itertuples(index=False):
            assert column.name in text, (name, column.name)
        for caveat in info.caveats:
            assert " ".join(caveat.replace("`", "").split())[:60] in " ".join(text.split()), name
        for source in info.sources["source_id"]:
            assert source in text, (name, source)
        downloads = {
            Path(unquote(urlparse(a.get_attribute("href")).path)).name
            for a in browser.find_elements("css selector", "a[download]")
        }
        # the dev environment has the export extra: xlsx and parquet are there beside the CSV
        assert {f"{name}.csv", f"{name}.xlsx", f"{name}.parquet"} <= downloads, name
        csv = (SITE / "data" / f"{name}.csv").read_bytes()
        assert csv == (tipstats.paths.processed_dir() / f"{name}.csv").read_bytes()


def test_notebook_pages_keep_their_content_and_the_cookbook_is_one(browser):
    sources = sorted((REPORTS_DIR / "notebooks").glob("*.html"))
    assert {p.name for p in sources} == {p.name for p in (SITE / "notebooks").glob("*.html")}
    for source in sources:
        browser.get((SITE / "notebooks" / source.name).as_uri())
        assert browser.find_elements("tag name", "h1"), source.name
        cells = browser.find_elements("css selector", ".jp-Cell")
        assert len(cells) == source.read_text(encoding="utf-8").count('<div class="jp-Cell ')
    browser.get((SITE / "index.html").as_uri())
    browser.find_element("link text", "Cookbook").click()
    assert "One row per State" in browser.find_element("tag name", "body").text


# -- without the browser ----------------------------------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_building_twice_gives_byte_identical_files(tmp_path):
    first = build_site.build(REPORTS_DIR, tmp_path / "first")
    second = build_site.build(REPORTS_DIR, tmp_path / "second")
    a, b = _files(first.parent), _files(second.parent)
    assert a.keys() == b.keys() and len(a) > 50
    assert [name for name in a if a[name] != b[name]] == []
    # and over an earlier build of its own
    build_site.build(REPORTS_DIR, tmp_path / "first")
    assert _files(tmp_path / "first") == a


def test_the_sections_of_the_report_are_read_from_its_text():
    from tipstats.report import report_text

    sections = build_site.report_sections(report_text())
    numbers = [s.number for s in sections]
    assert [n for n in numbers if "." not in n] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert [n for n in numbers if n.startswith("III.")] == ["III.A", "III.B", "III.C", "III.D", "III.E"]
    # the PDF's text breaks this one with an empty line
    assert sections[numbers.index("III.B")].title.endswith("and other international organizations")
    second = sections[numbers.index("II")]
    # a heading over several lines is read whole, up to the line of spaces
    assert second.title.startswith("Status of ratification of the Protocol") and second.title.endswith(
        "against Transnational Organized Crime"
    )


def test_a_line_that_looks_like_a_heading_out_of_sequence_is_not_one():
    text = (
        " I. Introduction \n \n1. First paragraph.\n"
        " C. Not a heading: C comes before A and B\n \n"
        "II. Second part\n\nwhich goes on \n \n A. Its first part\n \n III. Third\n"
    )
    sections = build_site.report_sections(text)
    assert [(s.number, s.title) for s in sections] == [
        ("I", "Introduction"),
        ("II", "Second part which goes on"),
        ("II.A", "Its first part"),
        ("III", "Third"),
    ]


def test_a_newly_registered_figure_appears_in_the_gallery_under_its_notebook(tmp_path, monkeypatch):
    from tipstats.figures import FIGURES, FigureSpec

    reports = tmp_path / "reports"
    shutil.copytree(REPORTS_DIR / "figures", reports / "figures")
    out = tmp_path / "site"
    (out / "figures").mkdir(parents=True)
    existing = next(iter(FIGURES.values()))
    for suffix in (".png", ".svg"):
        shutil.copyfile(
            reports / "figures" / f"{existing.name}{suffix}", reports / "figures" / f"zz_new{suffix}"
        )
    new = FigureSpec(
        "zz_new", existing.function, "A new figure.", ("convictions",), "03-convictions-vs-legislation"
    )
    monkeypatch.setitem(FIGURES, "zz_new", new)
    page = build_site.gallery_page(reports, out, {})
    order = re.findall(r"<figure id='([^']+)'", page)
    assert "zz_new" in order and (out / "figures" / "zz_new.png").is_file()
    assert [FIGURES[n].notebook for n in order] == sorted(FIGURES[n].notebook for n in order)
    # a registered figure whose files were not drawn is an error, not a silent gap
    (reports / "figures" / "zz_new.png").unlink()
    with pytest.raises(FileNotFoundError, match="make figures"):
        build_site.gallery_page(reports, out, {})
