"""Absolute addresses when the site URL is known (`build --site-url`, $SITE_URL): a complete
sitemap, a canonical link on every page, absolute feed links and ids, absolute data URLs and
printed permanent links; without one, a warning, no sitemap, and links relative to their file."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import Project
from test_site import build_fixture_site

SITE_URL = "https://example.test/learning/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Project, Path, Path]:
    project = Project(tmp_path_factory.mktemp("addresses") / "project")
    result = build_fixture_site(project)
    assert result.returncode == 0, result.stderr
    assert "no site URL" in result.stderr
    absolute = project.root / "site-absolute"
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-url", SITE_URL.rstrip("/"),
                             "--site-dir", str(absolute)], cwd=project.root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return project, project.root / "site", absolute


def pages(site: Path) -> dict[str, str]:
    """URL path -> HTML of every page MkDocs rendered (not the alias redirects, not the 404 page)."""
    found = {}
    for file in site.rglob("index.html"):
        html = file.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' not in html and "pagefind" not in file.parts:
            found[file.parent.relative_to(site).as_posix().removeprefix(".") + "/"] = html
    return {path.lstrip("/") if path != "/" else "": html for path, html in found.items()}


def test_sitemap_lists_every_page_by_its_absolute_address(built) -> None:
    _, _, site = built
    locs = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert sorted(locs) == sorted(SITE_URL + path for path in pages(site))
    assert "https://example.test/learning/reviews/live-a/" in locs


def test_every_page_has_its_canonical_link(built) -> None:
    _, _, site = built
    missing = [path for path, html in pages(site).items()
               if f'<link rel="canonical" href="{SITE_URL}{path}">' not in html]
    assert missing == []


def test_feeds_links_and_ids_are_absolute(built) -> None:
    _, _, site = built
    for feed in (site / "feeds").rglob("*.xml"):
        root = ET.parse(feed).getroot()
        hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
        ids = [element.text for element in root.iter(f"{ATOM}id")]
        assert all(h.startswith(SITE_URL) for h in hrefs + ids), feed
    reviews = ET.parse(site / "feeds" / "reviews.xml").getroot()
    assert reviews.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "feeds/reviews.xml"


def test_data_urls_are_absolute_and_lead_to_pages(built) -> None:
    _, _, site = built
    known = pages(site)
    for record in json.loads((site / "data" / "reviews.json").read_text())["reviews"]:
        assert record["url"].startswith(SITE_URL) and record["url"][len(SITE_URL):] in known


def test_printed_permanent_links_are_full_addresses(built) -> None:
    _, _, site = built
    known = pages(site)
    for path in ("reviews/live-a/", "briefings/information-sharing-briefing/"):
        assert f'<a class="sg-permalink" href="{SITE_URL}{path}">{SITE_URL}{path}</a>' in known[path]


def test_without_a_site_url_no_sitemap_and_data_urls_resolve_from_the_data_file(built) -> None:
    _, site, _ = built
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    base = "https://anywhere.example/some/folder/data/reviews.json"
    for record in json.loads((site / "data" / "reviews.json").read_text())["reviews"]:
        path = urlsplit(urljoin(base, record["url"])).path.removeprefix("/some/folder/")
        assert (site / path / "index.html").is_file(), record["url"]


@pytest.mark.parametrize("url", ["example.org", "ftp://example.org/", "https://example.org/?q=1"])
def test_a_bad_site_url_is_a_usage_error(tmp_path, url: str) -> None:
    project = Project(tmp_path / "project")
    result = project.run("build", "--site-url", url)
    assert result.exit_code == 2 and "is not a site address" in result.stderr
