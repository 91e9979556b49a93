"""A real `mkdocs build` of a small fixture site: pages, cross-links, lifecycle, feeds, data."""

from __future__ import annotations

import csv
import gzip
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import Project
from generator.vocab import REGIONS

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_YML = """\
site_name: Test repository
docs_dir: content
use_directory_urls: true
theme:
  name: material
nav:
  - Home: index.md
  - Browse: browse.md
  - Themes: themes/index.md
plugins:
  - safeguarding:
      today: 2026-11-23
"""


def build_fixture_site(project: Project, search_part_mb: float | None = None) -> subprocess.CompletedProcess:
    """The fixture content, built; `search_part_mb` splits the web index into parts of that size."""
    parts = f"      search_part_mb: {search_part_mb}\n" if search_part_mb else ""
    project.write("mkdocs.yml", SITE_YML + parts)
    project.review("live-a", aliases="[old-live-a]", body="## Findings\n\nAgencies did not share the referral.\n")
    project.review("live-b", published="2025-06", regions="[north-east]", themes="[neglect]",
                   harm="[neglect, physical-abuse]", title='"Child B: neglect over years"')
    project.review("national-c", type="national", partnership=None, regions="[]", harm="[]",
                   themes="[information-sharing]", published="2024-02-01", title='"National review: sharing"')
    project.review("embargoed-d", published="2027-01-01", title='"Child D: SECRET-EMBARGO-TITLE"')
    project.review("retired-e", published="2024-01-10", retire_on="2025-06-01", title='"Child E: retired review"',
                   body="## Findings\n\nRETIRED-BODY-TEXT\n")
    project.review("withdrawn-f", withdrawn_on="2026-05-01", withdrawn_reason='"Court order"',
                   title='"Child F: SECRET-WITHDRAWN-TITLE"', partnership='"SECRET-PARTNERSHIP"')
    project.review("gone-g", published="2023-01-01", title='"Child G: file deleted after window"')
    project.review("hostile-h", title='"Child H </title><script>alert(1)</script> & co"',
                   summary='"Quote \\" then <b>bold</b> x\\"><script>alert(2)</script>"', partnership='"ロンドン"',
                   themes="[domestic-abuse]", regions="[south-west]", harm="[emotional-abuse]", published="2026-01-10")
    project.review("embargoed-withdrawn", published="2027-01-01", withdrawn_on="2026-11-01",
                   withdrawn_reason='"Court order"', title='"Child W: SECRET-EMBARGO-TITLE"')
    project.briefing(reviews="[old-live-a, national-c]")
    assert project.sync().exit_code == 0
    (project.content / "reviews" / "gone-g.md").unlink()
    assert project.sync().exit_code == 0  # records gone-g as retired
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project.root,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = Project(tmp_path_factory.mktemp("site") / "project")
    result = build_fixture_site(project)
    assert result.returncode == 0, result.stderr
    return project.root / "site"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_review_page_has_metadata_panel_and_cross_links(site: Path) -> None:
    html = page(site, "reviews/live-a")
    for text in ("Content warning", "0808 800 5000", "Kingsford Safeguarding Children Partnership", "London",
                 "5 March 2026", "Until at least 5 March 2027", "A. Reviewer", "Non-fatal neglect",
                 "https://example.org/reports/child-a.pdf", "Agencies did not share the referral."):
        assert text in html, text
    assert "../../briefings/information-sharing-briefing/" in links(html)  # briefings that draw on it
    assert "../../reviews/live-b/" in links(html)  # related: shares the neglect theme and harm
    assert "../../themes/neglect/" in links(html) and "../../regions/london/" in links(html)


def test_briefing_page_links_back_and_has_permanent_link(site: Path) -> None:
    html = page(site, "briefings/information-sharing-briefing")
    assert "../../reviews/live-a/" in links(html) and "../../reviews/national-c/" in links(html)
    assert "Permanent link" in html and "/briefings/information-sharing-briefing/" in html
    assert '<a class="headerlink" href="#learning"' in html  # an anchor on every heading


def test_term_pages_list_newest_first_with_counts(site: Path) -> None:
    html = page(site, "themes/neglect")
    assert "4 reviews" in html  # live-a, live-b, and the catalogue records of retired-e and gone-g
    order = [html.index(f"reviews/{i}/") for i in ("live-a", "live-b", "retired-e", "gone-g")]
    assert order == sorted(order)
    assert "Retired" in html
    assert "2 reviews" in page(site, "harm/neglect") or "4 reviews" in page(site, "harm/neglect")
    harm_index = page(site, "harm")
    assert harm_index.index("Deaths") < harm_index.index("Serious harm")
    assert "Kingsford Safeguarding Children Partnership" in page(site, "partnerships/kingsford-safeguarding-children-partnership")
    assert "reviews/live-b/" in page(site, "years/2025")


def test_a_region_page_lists_its_local_reviews_then_what_applies_everywhere(site: Path) -> None:
    html = page(site, "regions/london")
    local, national, briefings = (html.index(f'id="{anchor}"') for anchor in ("local-reviews", "national-reviews",
                                                                              "briefings"))
    assert local < national < briefings
    assert html.index("reviews/live-a/") < national  # a London review, under local
    assert national < html.index("reviews/national-c/") < briefings  # England-wide: on every region page
    assert briefings < html.index("briefings/information-sharing-briefing/")
    count = re.search(r'<p class="sg-count">([^<]+)</p>', html).group(1)
    assert re.fullmatch(r"\d+ local reviews? from London, and 1 national review and 1 briefing that apply in "
                        r"every region, newest first\.", count), count
    assert re.search(r'id="national-reviews">National reviews \(1\)', html)
    elsewhere = page(site, "regions/east-midlands")
    assert "No local reviews from East Midlands yet." in elsewhere and "reviews/national-c/" in elsewhere


def counts_beside_links(html: str) -> dict[str, str]:
    return dict(re.findall(r'<a href="[^"]+">([^<]+)</a> <span class="sg-count">([^<]+)</span>', html))


def test_home_counts_say_what_they_count(site: Path) -> None:
    counts = counts_beside_links(page(site, ""))
    assert counts["All reviews, with filters"] == "4 reviews" and counts["Briefings"] == "1 briefing"
    assert counts["By region"] == "9 regions" and counts["By harm"] == "20 harm categories"
    assert re.fullmatch(r"\d+ themes", counts["By theme"]) and counts["By partnership"] == "2 partnerships"
    assert 'href="pack/">session pack</a>' in page(site, "")  # trainers find it from the home page


def test_the_theme_index_counts_briefings_and_never_shows_zero_beside_items(site: Path) -> None:
    counts = counts_beside_links(page(site, "themes"))
    assert counts["Sharing information in a timely and appropriate way"] == "4 reviews and 1 briefing"
    assert counts["Domestic abuse"] == "1 review" and counts["Critical thinking and challenge"] == "no reviews yet"
    assert not any(re.match(r"0\b", words) for words in counts.values())
    regions = counts_beside_links(page(site, "regions"))
    assert regions["London"] == "3 local reviews" and regions["North West"] == "no local reviews yet"


def test_index_sentences_use_the_right_number(site: Path) -> None:
    assert "4 reviews are published here, and 2 retired reviews are kept as catalogue records." in page(site, "reviews")
    assert counts_beside_links(page(site, "reviews"))["2025"] == "1 review"
    assert "<p>1 briefing distils the learning" in page(site, "briefings")


def test_retention_reads_as_one_short_sentence(site: Path) -> None:
    assert "<dt>Available</dt><dd>Until at least 5 March 2027</dd>" in page(site, "reviews/live-a")
    assert "<dt>Available</dt><dd>Still available (it had to stay published until 30 June 2026)</dd>" in page(site, "reviews/live-b")


def test_the_short_name_in_the_header_is_text(tmp_path: Path) -> None:
    project = Project(tmp_path / "project")
    project.write("mkdocs.yml", SITE_YML + 'extra:\n  short_name: "<b id=injected>S</b>"\n')
    project.review()
    assert project.sync().exit_code == 0
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project.root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = page(project.root / "site", "reviews/kingsford-2026-child-a")
    assert '<span class="sg-name-short">&lt;b id=injected&gt;S&lt;/b&gt;</span>' in html
    assert "<b id=injected>" not in html


def test_embargoed_review_is_nowhere(site: Path) -> None:
    assert not (site / "reviews" / "embargoed-d").exists()
    assert not (site / "reviews" / "embargoed-withdrawn").exists()  # not even a withdrawal notice
    for file in site.rglob("*"):
        if file.suffix in (".html", ".xml", ".json", ".csv"):
            assert "SECRET-EMBARGO-TITLE" not in file.read_text(encoding="utf-8", errors="replace"), file


def test_withdrawn_review_is_a_bare_notice_and_listed_nowhere(site: Path) -> None:
    html = page(site, "reviews/withdrawn-f")
    assert "Review withdrawn" in html
    for file in site.rglob("*"):
        if file.suffix in (".html", ".xml", ".json", ".csv"):
            text = file.read_text(encoding="utf-8", errors="replace")
            assert "SECRET-WITHDRAWN-TITLE" not in text and "SECRET-PARTNERSHIP" not in text, file


def test_retired_reviews_are_catalogue_records(site: Path) -> None:
    html = page(site, "reviews/retired-e")
    assert "Retired." in html and "Child E: retired review" in html
    assert "RETIRED-BODY-TEXT" not in html and "example.org/reports" not in html
    gone = page(site, "reviews/gone-g")  # built from the ledger: its file is deleted
    assert "Child G: file deleted after window" in gone and "Retired." in gone


def test_the_not_found_page_offers_search_and_browse(site: Path) -> None:
    from lxml import html as lxml_html

    page_404 = lxml_html.fromstring((site / "404.html").read_text())
    assert page_404.xpath("string(//h1)") == "Page not found"
    form = page_404.xpath("//form[@role='search' and .//input[@name='q']]")
    assert [f.get("action") for f in form] == ["/search/", "/search/"]  # the header's and the page's own
    assert "Browse every review and briefing" in [a.text_content() for a in page_404.xpath("//a[@href='/browse/']")]
    assert page_404.xpath("//a[text()='home page']/@href") == ["/"]


def test_alias_redirects(site: Path) -> None:
    html = (site / "reviews" / "old-live-a" / "index.html").read_text()
    assert 'http-equiv="refresh" content="0; url=../live-a/"' in html


def test_feeds_parse_and_hold_only_live_items(site: Path) -> None:
    reviews = ET.parse(site / "feeds" / "reviews.xml").getroot()
    ids = [e.find(f"{ATOM}link").get("href") for e in reviews.iter(f"{ATOM}entry")]
    assert ids == ["../reviews/live-a/", "../reviews/hostile-h/", "../reviews/live-b/", "../reviews/national-c/"]
    theme = ET.parse(site / "feeds" / "themes" / "neglect.xml").getroot()
    titles = [e.find(f"{ATOM}title").text for e in theme.iter(f"{ATOM}entry")]
    assert titles == ["Child A: learning about information sharing", "Child B: neglect over years"]
    briefings = ET.parse(site / "feeds" / "briefings.xml").getroot()
    assert len(list(briefings.iter(f"{ATOM}entry"))) == 1


def test_open_data(site: Path) -> None:
    data = json.loads((site / "data" / "reviews.json").read_text())
    by_id = {r["id"]: r for r in data["reviews"]}
    assert sorted(by_id) == ["gone-g", "hostile-h", "live-a", "live-b", "national-c", "retired-e"]
    assert by_id["retired-e"]["status"] == "retired" and by_id["retired-e"]["summary"] is None
    assert by_id["live-b"]["published"] == "2025-06" and by_id["live-b"]["available_until"] == "2026-06-30"
    rows = list(csv.DictReader((site / "data" / "reviews.csv").open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [r["id"] for r in data["reviews"]]
    assert next(r for r in rows if r["id"] == "live-b")["harm"] == "neglect;physical-abuse"


class BrowseList(HTMLParser):
    """The browse page as its script reads it: each option's code, and each item's link and codes."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[tuple[str, str], str] = {}
        self.items: list[dict] = []
        self.select = ""
        self.in_list = False
        self.everywhere = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "select":
            self.select = attributes["name"]
        elif tag == "option" and attributes["value"]:
            self.codes[(self.select, attributes["value"])] = attributes["data-f"]
        elif tag == "ul" and attributes.get("id") == "sg-results":
            self.in_list, self.everywhere = True, attributes["data-everywhere"]
        elif tag == "li" and self.in_list:
            self.items.append({"codes": set(attributes["data-f"])})  # one character each
        elif tag == "a" and self.in_list:
            self.items[-1]["href"] = attributes["href"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self.in_list = False

    def values(self, item: dict, name: str) -> set[str]:
        return {value for (select, value), code in self.codes.items() if select == name and code in item["codes"]}


def test_browse_lists_every_live_review_without_javascript(site: Path) -> None:
    browse = BrowseList()
    browse.feed(page(site, "browse"))
    by_href = {item["href"]: item for item in browse.items}
    assert sorted(by_href) == ["../briefings/information-sharing-briefing/", "../reviews/hostile-h/",
                               "../reviews/live-a/", "../reviews/live-b/", "../reviews/national-c/"]
    assert len(set(browse.codes.values()) | {browse.everywhere}) == len(browse.codes) + 1  # no two share a code
    assert all(len(code) == 1 for code in browse.codes.values())
    assert {value for select, value in browse.codes if select == "regions"} == set(REGIONS)  # national: everywhere
    assert [sorted(browse.values(item, "type")) for item in browse.items].count(["briefing"]) == 1
    live_a = by_href["../reviews/live-a/"]
    assert browse.values(live_a, "themes") == {"information-sharing", "neglect"}
    assert browse.values(live_a, "regions") == {"london"} and browse.everywhere not in live_a["codes"]
    assert browse.everywhere in by_href["../reviews/national-c/"]["codes"]
    assert browse.everywhere in by_href["../briefings/information-sharing-briefing/"]["codes"]


def test_pagefind_indexes_reviews_and_briefings_with_filters(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 5 + 4  # 4 live reviews, 1 briefing and the 4 themes
    fragments = [gzip.decompress(f.read_bytes()) for f in (site / "pagefind" / "fragment").iterdir()]
    live_a = next(json.loads(f[f.index(b"{"):]) for f in fragments if b'"/reviews/live-a/"' in f)
    assert live_a["filters"]["theme"] == ["Sharing information in a timely and appropriate way", "Neglect"]
    assert live_a["filters"]["region"] == ["London"]
    assert live_a["meta"]["title"] == "Child A: learning about information sharing"
    assert "Agencies did not share the referral." in live_a["content"]
    assert "Content warning" not in live_a["content"] and "Related reviews" not in live_a["content"]


def test_every_internal_link_resolves(site: Path) -> None:
    broken = []
    for file in site.rglob("*.html"):
        if "pagefind" in file.parts or file.name == "404.html":  # 404 uses root-relative links by design
            continue
        for href in links(file.read_text(encoding="utf-8")):
            if href.startswith(("http", "mailto:", "#", "data:")) or "://" in href:
                continue
            target = (file.parent / href.split("#")[0].split("?")[0]).resolve()
            if not (target.exists() or (target / "index.html").exists()):
                broken.append(f"{file.relative_to(site)} -> {href}")
    assert broken == []


def test_build_command_applies_today_and_reports_problems(project: Project) -> None:
    project.write("mkdocs.yml", SITE_YML.replace("      today: 2026-11-23\n", ""))
    project.review()
    project.review("future-review", published="2026-12-01")
    project.sync()
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--today", "2026-11-23", "--site-dir",
                             "out"], cwd=project.root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (project.root / "out" / "reviews" / "kingsford-2026-child-a" / "index.html").exists()
    assert not (project.root / "out" / "reviews" / "future-review").exists()  # embargoed on --today
    project.review(theme="[neglect]")
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--today", "2026-11-23"],
                            cwd=project.root, capture_output=True, text=True)
    assert result.returncode == 1
    assert "content/reviews/kingsford-2026-child-a.md:12: error: unknown key 'theme'" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_previews_the_site(project: Project) -> None:
    import socket
    import time
    import urllib.request

    project.write("mkdocs.yml", SITE_YML)
    project.review()
    project.sync()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--address", f"127.0.0.1:{port}"],
                              cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        html = ""
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/reviews/kingsford-2026-child-a/", timeout=2) as r:
                    html = r.read().decode()
                break
            except OSError:
                time.sleep(0.25)
        assert "Child A: learning about information sharing" in html
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_hostile_text_is_escaped_everywhere(site: Path) -> None:
    for file in site.rglob("*"):
        if file.suffix in (".html", ".xml") and "pagefind" not in file.parts:
            text = file.read_text(encoding="utf-8")
            assert "<script>alert(" not in text, file
    html = page(site, "reviews/hostile-h")
    assert "<title>Child H &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co - " in html
    assert 'content="Quote &#34; then &lt;b&gt;bold&lt;/b&gt;' in html or 'content="Quote &quot; then' in html


def test_a_browser_tab_names_each_page_once(site: Path) -> None:
    assert "<title>Test repository</title>" in (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Reviews - Test repository</title>" in page(site, "reviews")
    assert "<title>Page not found - Test repository</title>" in (site / "404.html").read_text(encoding="utf-8")


def test_partnership_without_ascii_letters_gets_its_own_page(site: Path) -> None:
    html = page(site, "reviews/hostile-h")
    slug = re.search(r'href="../../partnerships/([^"/]+)/"', html).group(1)
    assert slug.startswith("n") and len(slug) == 11
    assert "ロンドン" in page(site, f"partnerships/{slug}")
