"""Text for users names sources and files of the repository, never the curation workspace."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tipstats.paths import RAW_DIR, REPO_DIR, REPO_PROCESSED_DIR

# What a user reads: the processed data and its documentation, the origin records, the audit.
USER_TEXT = [
    *sorted(REPO_PROCESSED_DIR.glob("*.csv")),
    REPO_PROCESSED_DIR / "codebook.md",
    REPO_PROCESSED_DIR / "datapackage.json",
    *sorted(RAW_DIR.rglob("*.meta.yml")),
    REPO_DIR / "reports" / "claims.md",
]
# a path that leaves the repository: the curation workspace, or any ../ climb
OUTSIDE = re.compile(r"(?<![\w/])(?:\.\./)+[\w.-]+|\bshared/sources/|pages corpus")
URL = re.compile(r"https?://[^\s\"',)]+(?: [^\s\"',)]+)*")


@pytest.mark.parametrize("path", USER_TEXT, ids=lambda p: str(Path(p).relative_to(REPO_DIR)))
def test_user_text_names_no_place_outside_the_repository(path):
    text = Path(path).read_text(encoding="utf-8")
    found = sorted({m.group(0) for m in OUTSIDE.finditer(text)})
    assert not found, f"{path} names places outside the repository: {found[:5]}"


def test_the_check_sees_a_workspace_path():
    assert OUTSIDE.search("as kept in shared/sources/treaty/x.csv")
    assert OUTSIDE.search("see ../shared/design/anchors.md")
    assert not OUTSIDE.search("data/raw/treaty/README.md and https://example.org/a/b")


def test_untc_addresses_are_valid_urls():
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(RAW_DIR.rglob("*.meta.yml")))
    addresses = re.findall(r"^url: (.+)$", text, flags=re.M)
    untc = [a.strip("'\"") for a in addresses if "treaties.un.org" in a]
    assert untc and all(" " not in a for a in untc), untc


@pytest.mark.parametrize("name", ["victim_shares", "exploitation_shares"])
def test_published_shares_say_what_kind_of_page_they_rest_on(built, name):
    from urllib.parse import urlsplit

    published = built[name][built[name]["basis"] == "published"]
    for row in published.itertuples():
        host = urlsplit(row.source_url).hostname if isinstance(row.source_url, str) else None
        un_hosted = host is not None and host.split(".")[-2:] in (
            ["un", "org"],
            ["unodc", "org"],
            ["unvienna", "org"],
        )
        assert ("UN-hosted page" in row.note) == un_hosted, (row.figure_id, host, row.note)
    if name == "victim_shares":  # the GLOTIP 2022 shares of women, men, girls and boys: a blog page
        blog = published[published["source_url"].astype("str").str.contains("epthinktank.eu", regex=False)]
        assert set(blog["edition"]) == {"GLOTIP 2022"}
        assert blog["note"].str.contains("secondary page (epthinktank.eu)", regex=False).all()
