"""The HTML report in a real browser: headless Chromium loads the index, every image has loaded,
every internal link resolves, and a screenshot is saved under reports/."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tipstats.paths import REPORTS_DIR

SITE = REPORTS_DIR / "site"
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


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


def test_site_was_built():
    assert (SITE / "index.html").exists(), "run `make report` (part of `make all`) first"


def test_index_loads_with_every_image_and_link(browser):
    index = SITE / "index.html"
    browser.get(index.as_uri())
    assert "tipstats" in browser.title
    images = browser.find_elements("tag name", "img")
    assert images, "the gallery shows no image"
    for img in images:
        width = browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img)
        assert width and width > 0, img.get_attribute("src")
    links = [a.get_attribute("href") for a in browser.find_elements("tag name", "a")]
    internal = [href for href in links if href and href.startswith("file://")]
    assert len(internal) >= 3
    for href in internal:
        target = Path(unquote(urlparse(href).path))
        assert target.exists(), f"broken link: {href}"
    table_rows = browser.find_elements("css selector", "#claims ~ table tr")
    assert len(table_rows) > 10, "the claims verdict table is missing"
    browser.save_screenshot(str(REPORTS_DIR / "screenshot-site.png"))
    assert (REPORTS_DIR / "screenshot-site.png").stat().st_size > 0


def test_every_notebook_page_and_codebook_open(browser):
    pages = sorted((SITE / "notebooks").glob("*.html")) + [SITE / "codebook.html"]
    assert len(pages) >= 6
    for page in pages:
        browser.get(page.as_uri())
        assert browser.find_elements("tag name", "h1") or browser.find_elements("tag name", "h2"), page.name
