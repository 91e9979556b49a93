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
    leeds = html.fromstring(pages["partnerships/leeds-safeguarding-partnership.md"].before)
    assert leeds.xpath("//a[@href='../../feeds/partnerships/leeds-safeguarding-partnership.xml']")
    # the partnership's page lists the briefing it published, as its feed does
    assert leeds.xpath("//a[@href='../../briefings/information-sharing-briefing/']")
    kingsford = pages["partnerships/kingsford-safeguarding-children-partnership.md"].before
    assert "briefings/information-sharing-briefing/" not in kingsford


def test_a_renamed_themes_former_feed_address_still_serves_its_feed(project: Project) -> None:
    project.review(themes="[neglect-and-deprivation]")
    neglect = project.content / "themes" / "neglect.md"
    text = neglect.read_text().replace("title:", "aliases: [neglect]\ntitle:", 1)
    neglect.unlink()
    project.write("content/themes/neglect-and-deprivation.md", text)
    model = model_of(project)
    feeds = render_feeds(model, "Test")
    assert sorted(feeds) == sorted(feed_paths(model))
    assert feeds["feeds/themes/neglect.xml"] == feeds["feeds/themes/neglect-and-deprivation.xml"]
    assert entry_titles(feeds["feeds/themes/neglect.xml"]) == ["Child A: learning about information sharing"]
    follow = html.fromstring(render_pages(model)["follow.md"].before)  # followed under the theme's id now only
    assert not follow.xpath("//a[contains(@href, 'themes/neglect.xml')]")


def test_the_follow_page_lists_every_feed_once(project: Project) -> None:
    feeds_project(project)
    model = model_of(project)
    page = html.fromstring(render_pages(model)["follow.md"].before)
    listed = [a.get("href").removeprefix("../") for a in page.xpath("//ul[@class='sg-feeds']/li/a")]
    assert sorted(listed) == sorted(p for p in feed_paths(model) if p.endswith(".xml"))
    themes = len(list((project.content / "themes").glob("*.md")))
    assert len(listed) == 2 + themes + 9 + 2  # everything (reviews, briefings), themes, England's regions, partnerships
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
    assert " ".join(page.xpath("//main//li/div[@class='meta']")[0].text_content().split()) == "Published 5 March 2026"


def test_with_a_site_url_the_feed_page_gives_the_address_to_copy(project: Project) -> None:
    project.review()
    model = model_of(project)
    feeds = render_feeds(model, "Test", "https://learning.example.org/")
    page = transformed(feeds["feeds/reviews.xml"], feeds["feeds/feed.xsl"])
    assert page.xpath("//span[@class='address']")[0].text == "https://learning.example.org/feeds/reviews.xml"
    assert page.xpath("//a[contains(., 'How to follow')]")[0].get("href") == "https://learning.example.org/follow/"


# --- citations, QR codes and pack entries ----------------------------------------------------------

def test_a_citation_names_publisher_year_and_title_or_puts_the_year_after_a_title_alone() -> None:
    from generator.kit import citation, review_publisher

    assert citation("Leeds Safeguarding Partnership", "Child B: learning.", 2026) == \
        "Leeds Safeguarding Partnership (2026) Child B: learning. Available at:"
    assert citation(None, "A briefing", 2025) == "A briefing (2025). Available at:"
    assert review_publisher("national", "") == "Child Safeguarding Practice Review Panel"
    assert review_publisher("local", "Leeds Safeguarding Partnership") == "Leeds Safeguarding Partnership"


def test_key_points_and_questions_come_from_the_published_lists() -> None:
    from generator.kit import key_points_and_questions

    body = ("<h2>What reviews found</h2><ul><li>Share <em>early</em> &amp; often.</li>"
            "<li>Record it<ul><li>in the file</li></ul></li></ul><p>Not a point.</p>"
            "<h2>Questions for reflection</h2><ol><li>Who knew?</li></ol>"
            "<h2>Further reading</h2><ul><li>A report</li></ul><h2>Reflect</h2><ul><li>Why?</li></ul>")
    assert key_points_and_questions(body) == (["Share early & often.", "Record it in the file"], ["Who knew?", "Why?"])
    assert key_points_and_questions("<p>No lists at all.</p>") == ([], [])


def test_a_lists_lead_in_sentence_is_kept_as_its_first_point() -> None:
    """'Agencies should provide:' then 'a robust analysis of the risks;' reads as a fragment alone."""
    from generator.kit import key_points_and_questions

    body = ("<h2>What good practice looks like</h2><p>Some context.</p><p>Agencies should <em>provide</em>:</p>"
            "<ul><li>a robust analysis of the risks;</li><li>support for the victim.</li></ul>"
            "<p>A paragraph, not a lead-in.</p><ul><li>Share early.</li></ul>"
            "<p>Ends with a colon:</p><h3>But a heading comes first</h3><ul><li>Record it.</li></ul>")
    assert key_points_and_questions(body)[0] == ["Agencies should provide:", "a robust analysis of the risks;",
                                                 "support for the victim.", "Share early.", "Record it."]


def test_key_points_and_questions_read_subsections_and_leave_out_help_and_contacts() -> None:
    from generator.kit import key_points_and_questions

    body = ("<h2>Questions for reflection</h2><h3>For managers</h3><ol><li>What do you ask?</li></ol>"
            "<h3>For practitioners</h3><ol><li>Who else knows?</li></ol>"
            "<h2>Reflective practice in supervision</h2><ul><li>Supervision names the risk.</li></ul>"
            "<h3>Further reading</h3><ul><li>A report</li></ul>"
            "<h2>Key contacts</h2><ul><li>MASH 0300 000</li></ul>"
            "<h2>Sources of support</h2><ul><li>NSPCC helpline</li></ul>"
            "<h2>Family support</h2><ul><li>Offer help early.</li></ul>")
    assert key_points_and_questions(body) == (["Supervision names the risk.", "Offer help early."],
                                              ["What do you ask?", "Who else knows?"])


def pack_entry(page_html: str) -> dict:
    import json

    return json.loads(html.fromstring(page_html).xpath("//script[@class='sg-pack-entry']")[0].text)


def test_review_and_briefing_pages_carry_their_kit(project: Project) -> None:
    project.review(body="## Learning\n\n" + "word " * 450 + "\n")
    project.briefing(publisher='"Kingsford Safeguarding Children Partnership"',
                     body="## What reviews found\n\n- Share early.\n\n## Questions for reflection\n\n1. Who knew?\n")
    model = model_of(project)
    pages = render_pages(model, site_url="https://learning.example.org/")
    review = pages["reviews/kingsford-2026-child-a.md"].before
    address = "https://learning.example.org/reviews/kingsford-2026-child-a/"
    assert pack_entry(review) == {
        "id": "kingsford-2026-child-a", "kind": "review", "title": "Child A: learning about information sharing",
        "type": "Local review", "publisher": "Kingsford Safeguarding Children Partnership", "published": "5 March 2026",
        "minutes": 3, "summary": "Agencies held pieces of the picture but did not share them.", "key_points": [],
        "questions": [], "address": address,  # 10 + 451 words at 200 a minute
        "report": "https://example.org/reports/child-a.pdf"}  # the pack says where to read the review itself
    tree = html.fromstring(review)
    assert " ".join(tree.xpath("//p[@class='sg-cite__text']")[0].text_content().split()) == (
        "Kingsford Safeguarding Children Partnership (2026) Child A: learning about information sharing. "
        f"Available at: {address} (Accessed: 23 November 2026).")
    figure = tree.xpath("//figure[contains(@class, 'sg-qr')]")[0]
    assert figure.xpath("./svg[@class='sg-qr__code']") and address in figure.findtext("figcaption")
    briefing = pages["briefings/information-sharing-briefing.md"].before
    entry = pack_entry(briefing)
    assert (entry["kind"], entry["minutes"], entry["key_points"], entry["questions"]) == (
        "briefing", 7, ["Share early."], ["Who knew?"])
    cited = html.fromstring(pages["briefings/information-sharing-briefing.md"].html).xpath("//span[contains(@class, 'sg-item__address')]")
    assert [span.text for span in cited] == [address]  # printed beside the review it draws on
    plain = render_pages(model)["reviews/kingsford-2026-child-a.md"].before  # no site URL: no QR code
    assert not html.fromstring(plain).xpath("//figure[contains(@class, 'sg-qr')]")
    assert pack_entry(plain)["address"] == "/reviews/kingsford-2026-child-a/"


def test_a_hostile_title_stays_text_in_the_pack_entry(project: Project) -> None:
    project.review(title='"Child A: </script><script>alert(1)</script>"')
    page = render_pages(model_of(project))["reviews/kingsford-2026-child-a.md"].before
    assert "</script><script>" not in page.split('class="sg-pack-entry">', 1)[1].split("</script>", 1)[0]
    assert pack_entry(page)["title"] == "Child A: </script><script>alert(1)</script>"
    assert len(html.fromstring(page).xpath("//script")) == 1


def test_the_pack_page_knows_which_ids_are_briefings(project: Project) -> None:
    project.review()
    project.briefing(aliases="[old-briefing]")
    root = html.fromstring(render_pages(model_of(project))["pack.md"].before)
    assert root.get_element_by_id("sg-pack").get("data-briefings") == "information-sharing-briefing old-briefing"
