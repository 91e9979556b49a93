"""The trainer's session kit as plain code: feeds to follow and how a browser shows them, citations,
QR codes and the session pack's entries. (What a person sees is in tests/test_browser.py.)"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lxml import etree, html

from generator.feeds import feed_paths, render_feeds
from generator.pages import render_pages

from conftest import Project
from test_pages import model_of

ATOM = "{http://www.w3.org/2005/Atom}"


def feeds_project(project: Project) -> None:
    project.review()  # Kingsford, London
    project.review("leeds-2026-child-b", title='"Child B: learning"', partnership='"Leeds Safeguarding Partnership"',
                   regions="[yorkshire-and-the-humber]", themes="[neglect]")
    project.review("national-2026-review", title='"A national review"', type="national", partnership=None, published="2026-05-01",
                   regions=None, themes="[domestic-abuse]", harm=None)
    project.briefing(publisher='"Leeds Safeguarding Partnership"', reviews="[leeds-2026-child-b]")


def entry_titles(feed: str) -> list[str]:
    return [e.findtext(f"{ATOM}title") for e in ET.fromstring(feed.split("\n", 2)[2]).iter(f"{ATOM}entry")]


def test_region_and_partnership_feeds_hold_what_their_pages_list(project: Project) -> None:
    feeds_project(project)
    model = model_of(project)
    feeds = render_feeds(model, "Test")
    assert sorted(feeds) == sorted(feed_paths(model))
    assert {"feeds/regions/london.xml", "feeds/regions/north-east.xml", "feeds/partnerships/leeds-safeguarding-partnership.xml",
            "feeds/partnerships/kingsford-safeguarding-children-partnership.xml", "feeds/feed.xsl"} <= set(feeds)
    briefing = "Seven-minute briefing: information sharing"
    assert entry_titles(feeds["feeds/regions/london.xml"]) == [
        "A national review", briefing, "Child A: learning about information sharing"]  # newest first
    assert entry_titles(feeds["feeds/regions/north-east.xml"]) == ["A national review", briefing]
    assert entry_titles(feeds["feeds/partnerships/leeds-safeguarding-partnership.xml"]) == [briefing, "Child B: learning"]
    assert entry_titles(feeds["feeds/partnerships/kingsford-safeguarding-children-partnership.xml"]) == [
        "Child A: learning about information sharing"]
    pages = render_pages(model)
    assert 'href="../../feeds/regions/london.xml"' in pages["regions/london.md"].before
    assert 'href="../../feeds/partnerships/leeds-safeguarding-partnership.xml"' in \
        pages["partnerships/leeds-safeguarding-partnership.md"].before


def test_the_follow_page_lists_every_feed_once(project: Project) -> None:
    feeds_project(project)
    model = model_of(project)
    page = html.fromstring(render_pages(model)["follow.md"].before)
    listed = [a.get("href").removeprefix("../") for a in page.xpath("//ul[@class='sg-feeds']/li/a")]
    assert sorted(listed) == sorted(p for p in feed_paths(model) if p.endswith(".xml"))
    assert [h.text_content().rstrip("¶") for h in page.xpath("//h2")] == [
        "How following works", "Everything", "By theme", "By region", "By partnership"]


def transformed(feed: str, stylesheet: str) -> html.HtmlElement:
    transform = etree.XSLT(etree.fromstring(stylesheet.encode()))
    return html.fromstring(str(transform(etree.fromstring(feed.encode()))))


def test_a_feed_names_its_stylesheet_which_shows_it_as_a_page(project: Project) -> None:
    project.review(title='"Child A: <script>alert(1)</script> & learning"')
    model = model_of(project)
    feeds = render_feeds(model, "Test")
    theme_feed = feeds["feeds/themes/neglect.xml"]
    assert theme_feed.split("\n")[1] == '<?xml-stylesheet type="text/xsl" href="../feed.xsl"?>'
    assert feeds["feeds/reviews.xml"].split("\n")[1] == '<?xml-stylesheet type="text/xsl" href="feed.xsl"?>'
    page = transformed(theme_feed, feeds["feeds/feed.xsl"])
    assert page.get("lang") == "en" and page.findtext(".//title") == "Test: Neglect (feed)"
    assert page.findtext(".//h1") == "Test: Neglect"
    assert not page.xpath("//span[@class='address']")  # no site URL: the reader copies the address bar
    assert "copy the address of this page from your browser" in page.xpath("//div[@class='about']")[0].text_content()
    assert page.xpath("//a[contains(., 'How to follow')]")[0].get("href") == "../../follow/"
    entries = page.xpath("//main//li/a")
    assert [(a.text, a.get("href")) for a in entries] == [
        ("Child A: <script>alert(1)</script> & learning", "../../reviews/kingsford-2026-child-a/")]
    assert not page.xpath("//script")  # the hostile title is text, not markup
    assert "Agencies held pieces of the picture" in page.xpath("//main//li/p")[0].text


def test_with_a_site_url_the_feed_page_gives_the_address_to_copy(project: Project) -> None:
    project.review()
    model = model_of(project)
    feeds = render_feeds(model, "Test", "https://learning.example.org/")
    page = transformed(feeds["feeds/reviews.xml"], feeds["feeds/feed.xsl"])
    assert page.xpath("//span[@class='address']")[0].text == "https://learning.example.org/feeds/reviews.xml"
    assert page.xpath("//a[contains(., 'How to follow')]")[0].get("href") == "https://learning.example.org/follow/"
