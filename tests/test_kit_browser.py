"""The trainer's session kit in a real browser: the session pack's address round trip, copy link
and cite this, print with QR codes that scan to the permanent address, feeds read as pages, and
the /pack/ and /follow/ pages through axe-core. The shipped content is built with a site URL
(a deployment's), so pages carry QR codes; it is served on 127.0.0.1."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from lxml import html
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from test_browser import ROOT, axe, browser, new_page, serve  # noqa: F401 - fixtures used by name

SITE_URL = "https://learning.example.org/"
BRIEFING = "seven-minute-neglect"
REVIEW = "bradford-2013-hamzah-khan"


@pytest.fixture(scope="module")
def deployed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("deployed-site")
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--site-url", SITE_URL,
                             "--site-dir", str(site_dir)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture(scope="module")
def deployed(deployed_dir: Path) -> Iterator[str]:
    yield from serve(deployed_dir)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811 - this module's page may use the clipboard
    page = new_page(browser, permissions=["clipboard-read", "clipboard-write"])
    yield page
    page.context.close()


def built(site_dir: Path, path: str) -> html.HtmlElement:
    return html.fromstring((site_dir / path / "index.html").read_text(encoding="utf-8"))


def scanned(png: bytes) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def clipboard(page: Page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def test_copy_link_and_cite_this_give_the_permanent_address(page: Page, deployed: str) -> None:
    page.goto(f"{deployed}/reviews/{REVIEW}/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_have_text(
        f"Link copied: {SITE_URL}reviews/{REVIEW}/")
    assert clipboard(page) == f"{SITE_URL}reviews/{REVIEW}/"
    page.get_by_text("Cite this").click()
    citation = page.locator(".sg-cite__text")
    expect(citation).to_be_visible()
    today = page.evaluate("new Date().toLocaleDateString('en-GB', {day: 'numeric', month: 'long', year: 'numeric'})")
    wanted = (f"Bradford Safeguarding Children Board (2013) Bradford serious case review into the death of Hamzah "
              f"Khan. Available at: {SITE_URL}reviews/{REVIEW}/ (Accessed: {today}).")
    assert " ".join(citation.inner_text().split()) == wanted
    page.get_by_role("button", name="Copy citation").click()
    expect(page.get_by_role("status").filter(has_text="Citation copied")).to_be_visible()
    assert clipboard(page) == wanted


def agenda(page: Page) -> list[str]:
    return page.locator(".sg-pack__agenda > li > a").all_inner_texts()


def test_a_session_pack_lives_in_its_address_and_prints_as_one_handout(page: Page, browser: Browser,  # noqa: F811
                                                                      deployed: str, deployed_dir: Path) -> None:
    briefing_page, review_page = built(deployed_dir, f"briefings/{BRIEFING}"), built(deployed_dir, f"reviews/{REVIEW}")
    briefing_title, review_title = briefing_page.findtext(".//h1"), review_page.findtext(".//h1")
    page.goto(f"{deployed}/briefings/{BRIEFING}/")
    page.get_by_role("button", name="Add to session pack").click()
    expect(page.get_by_role("status").filter(has_text="Added")).to_have_text("Added to your session pack (1 item).")
    page.goto(f"{deployed}/reviews/{REVIEW}/")
    page.get_by_role("button", name="Add to session pack").click()
    page.get_by_role("link", name="Open session pack (2 items)").click()
    page.wait_for_selector("#sg-pack[data-ready]")
    assert page.url == f"{deployed}/pack/?items={BRIEFING},{REVIEW}"
    assert agenda(page) == [briefing_title, review_title]
    minutes = page.locator(".sg-pack__minutes-input")
    expect(minutes.nth(0)).to_have_value("7")
    expect(page.locator(".sg-pack__agenda-meta").nth(0)).to_have_text(re.compile(r"^ · 7-minute briefing · +minutes$"),
                                                                       use_inner_text=True)
    expect(page.locator(".sg-pack__agenda-meta").nth(1)).to_have_text(re.compile(
        r" minutes? \(reading its page takes \d+ minutes?; the full report is longer\)$"), use_inner_text=True)
    review_minutes = int(minutes.nth(1).input_value())
    expect(page.locator(".sg-pack__total")).to_have_text(f"Total: {7 + review_minutes} minutes for 2 items.")
    items = page.locator(".sg-pack__item")
    questions = [li.text_content() for li in briefing_page.xpath("//h2[@id='questions-for-reflection']/following-sibling::ol[1]/li")]
    assert questions and items.nth(0).locator("h3:text('Questions for reflection') + ol > li").all_inner_texts() == questions
    assert items.nth(0).locator("h3:text('Key points') + ul > li").count() >= 4
    expect(items.nth(1).locator(".sg-pack__summary")).to_have_text(review_page.find_class("sg-summary")[0].text_content())
    report = review_page.xpath("//dt[.='Full report']/following-sibling::dd[1]/a/@href")[0]
    expect(items.nth(1).locator(".sg-pack__report a")).to_have_attribute("href", report)  # where to read it
    expect(items.nth(1).locator(".sg-pack__report")).to_have_text(f"Full report: {report}")
    assert items.nth(0).locator(".sg-pack__report").count() == 0  # a briefing is read here

    page.get_by_role("button", name=f"Move down: {briefing_title}").click()
    assert page.url == f"{deployed}/pack/?items={REVIEW},{BRIEFING}" and agenda(page) == [review_title, briefing_title]
    expect(page.get_by_role("button", name=f"Move up: {briefing_title}")).to_be_focused()  # focus follows the item
    page.get_by_role("button", name="Copy pack link").click()
    assert clipboard(page) == f"{deployed}/pack/?items={REVIEW},{BRIEFING}"

    fresh = new_page(browser)  # another browser, nothing stored: the address alone holds the pack
    try:
        fresh.goto(clipboard(page))
        fresh.wait_for_selector("#sg-pack[data-ready]")
        assert agenda(fresh) == [review_title, briefing_title]
    finally:
        fresh.context.close()

    page.emulate_media(media="print")
    for hidden in (".sg-pack__controls", ".sg-pack__item-controls", ".md-header", ".md-tabs", ".md-footer"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".sg-pack__printed")).to_be_visible()  # a handout says what it is, when and where from
    expect(page.locator(".sg-pack__printed")).to_have_text(re.compile(
        r"^Safeguarding learning repository · session pack printed \d{1,2} \w+ \d{4} · "
        + re.escape(f"{deployed}/pack/?items={REVIEW},{BRIEFING}") + "$"))
    codes = page.locator(".sg-pack__item figure.sg-qr svg")
    assert codes.count() == 2
    assert scanned(codes.nth(0).screenshot()) == [f"{SITE_URL}reviews/{REVIEW}/"]
    assert scanned(codes.nth(1).screenshot()) == [f"{SITE_URL}briefings/{BRIEFING}/"]
    printed_pages = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))
    assert 1 <= printed_pages <= 4, f"a pack of one briefing and one review printed on {printed_pages} A4 pages"
    page.emulate_media(media="screen")

    page.get_by_role("button", name=f"Remove: {review_title}").click()
    assert page.url == f"{deployed}/pack/?items={BRIEFING}" and agenda(page) == [briefing_title]
    expect(page.get_by_role("button", name=f"Remove: {briefing_title}")).to_be_focused()  # the next item's
    page.get_by_role("button", name="Empty the pack").click()
    expect(page.locator(".sg-pack__empty")).to_be_visible()
    assert page.url == f"{deployed}/pack/"
    for name in ("Copy pack link", "Print handout", "Empty the pack"):  # nothing to copy, print or empty
        expect(page.get_by_role("button", name=name)).to_be_disabled()
    expect(page.get_by_role("button", name="Undo")).to_be_focused()  # one press away from putting it back
    assert page.get_by_role("status").get_by_role("button").count() == 0  # a live region holds no control
    page.keyboard.press("Enter")
    assert page.url == f"{deployed}/pack/?items={BRIEFING}" and agenda(page) == [briefing_title]
    expect(page.get_by_role("status").filter(has_text="back")).to_have_text("The pack has its 1 item back.")
    expect(page.get_by_role("button", name=f"Remove: {briefing_title}")).to_be_focused()  # its first live button
    page.get_by_role("button", name="Empty the pack").click()


def test_a_trainer_sets_each_items_minutes_and_the_pack_keeps_them(page: Page, browser: Browser,  # noqa: F811
                                                                   deployed: str) -> None:
    page.goto(f"{deployed}/pack/?items={BRIEFING},{REVIEW}")
    page.wait_for_selector("#sg-pack[data-ready]")
    review = page.locator(".sg-pack__minutes-input").nth(1)
    review.fill("20")
    review.press("Tab")  # a change is taken when the field is left, as a keyboard user does
    assert page.url == f"{deployed}/pack/?items={BRIEFING},{REVIEW}&minutes={REVIEW}:20"
    expect(page.locator(".sg-pack__total")).to_have_text("Total: 27 minutes for 2 items.")
    expect(page.get_by_role("status")).to_have_text(re.compile(r": 20 minutes\. The pack has 2 items, 27 minutes in all\.$"))
    expect(page.locator(".sg-pack__item .sg-pack__section-minutes").nth(1)).to_have_text("20 minutes")
    page.get_by_role("button", name="Copy pack link").click()
    assert clipboard(page) == f"{deployed}/pack/?items={BRIEFING},{REVIEW}&minutes={REVIEW}:20"

    page.goto(f"{deployed}/pack/")  # this browser keeps them with its pack
    page.wait_for_selector("#sg-pack[data-ready]")
    expect(page.locator(".sg-pack__minutes-input").nth(1)).to_have_value("20")
    fresh = new_page(browser)  # and so does the link, in a browser that has no pack
    try:
        fresh.goto(f"{deployed}/pack/?items={REVIEW},{BRIEFING}&minutes={REVIEW}:20,{BRIEFING}:0,x:9,__proto__:5,{BRIEFING}:999")
        fresh.wait_for_selector("#sg-pack[data-ready]")
        expect(fresh.locator(".sg-pack__minutes-input").nth(0)).to_have_value("20")
        expect(fresh.locator(".sg-pack__minutes-input").nth(1)).to_have_value("7")  # 0 and 999 are not minutes
        expect(fresh.locator(".sg-pack__total")).to_have_text("Total: 27 minutes for 2 items.")
    finally:
        fresh.context.close()

    briefing = page.locator(".sg-pack__minutes-input").nth(0)
    for wrong in ("0", "241", "2.5", "-3"):
        briefing.fill(wrong)
        briefing.press("Tab")
        expect(briefing).to_have_value(wrong)  # what was typed stays, to be corrected (WCAG 3.3.1)
        expect(briefing).to_have_attribute("aria-invalid", "true")
        error = page.locator("#" + briefing.get_attribute("aria-describedby"))
        expect(error).to_have_text(" Give a whole number of minutes from 1 to 240; the pack keeps 7 minutes until then.")
        expect(page.get_by_role("status")).to_have_text(re.compile(r"neglect: Give a whole number of minutes"))
        expect(page.locator(".sg-pack__total")).to_have_text("Total: 27 minutes for 2 items.")
    briefing.fill("7")
    briefing.press("Tab")
    expect(briefing).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator(".sg-pack__minutes-error").first).to_be_hidden()
    review = page.locator(".sg-pack__minutes-input").nth(1)
    review.fill(str(int(page.locator(".sg-pack__minutes-hint").inner_text().split("takes ")[1].split()[0])))
    review.press("Tab")  # back to its own time: nothing is kept for it
    assert page.url == f"{deployed}/pack/?items={BRIEFING},{REVIEW}"

    review.fill("15")
    review.press("Tab")
    page.emulate_media(media="print")  # on paper the number, not a field
    expect(page.locator(".sg-pack__minutes-input").first).to_be_hidden()
    expect(page.locator(".sg-pack__agenda-meta").nth(1)).to_have_text(" · Local review · 15 minutes", use_inner_text=True)


@pytest.mark.parametrize("stored", ['not json', '[20, 30]', '"20"', 'null',
                                    '{"__proto__": 5, "%s": "<img src=x onerror=alert(1)>", "%s": 9999}' % (BRIEFING, REVIEW)])
def test_minutes_this_browser_kept_in_a_broken_or_hostile_form_are_ignored(page: Page, deployed: str, stored: str) -> None:
    """localStorage is this browser's, but another script or an old version may have written it."""
    page.goto(f"{deployed}/pack/")
    page.evaluate("""([pack, minutes]) => { localStorage.setItem('sg-session-pack', pack);
                                            localStorage.setItem('sg-session-pack-minutes', minutes); }""",
                  [f'["{BRIEFING}"]', stored])
    page.goto(f"{deployed}/pack/")
    page.wait_for_selector("#sg-pack[data-ready]")
    expect(page.locator(".sg-pack__minutes-input")).to_have_value("7")  # the briefing's own
    expect(page.locator(".sg-pack__total")).to_have_text("Total: 7 minutes for 1 item.")
    assert page.locator(".sg-pack__item img").count() == 0 and not page.evaluate("Object.prototype.constructor !== Object")


def test_a_pack_address_with_unknown_or_hostile_ids_shows_what_it_can(page: Page, deployed: str) -> None:
    page.goto(f"{deployed}/pack/?items=no-such-item,%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E,{BRIEFING}")
    page.wait_for_selector("#sg-pack[data-ready]")
    assert page.url == f"{deployed}/pack/?items=no-such-item,{BRIEFING}"  # the hostile id is dropped
    expect(page.locator(".sg-pack__agenda-meta").first).to_have_text(" · not found")
    assert page.locator(".sg-pack__item img").count() == 0
    assert page.locator(".sg-pack__item h2").all_inner_texts()[1].endswith("Recognising and responding to neglect")


def test_a_briefing_prints_a_qr_code_of_its_address_and_the_addresses_of_its_reviews(page: Page, deployed: str) -> None:
    page.goto(f"{deployed}/briefings/{BRIEFING}/")
    expect(page.locator("figure.sg-qr")).to_be_hidden()  # on screen the address is a link and a button
    expect(page.locator(".sg-item__address").first).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".sg-kit")).to_be_hidden()
    expect(page.locator("figure.sg-qr figcaption")).to_have_text(f"Scan for this page, or type {SITE_URL}briefings/{BRIEFING}/")
    assert scanned(page.locator("figure.sg-qr svg").screenshot()) == [f"{SITE_URL}briefings/{BRIEFING}/"]
    assert page.locator("#reviews-this-briefing-draws-on + ul .sg-item__address").all_inner_texts() == [
        f"{SITE_URL}reviews/bradford-2013-hamzah-khan/", f"{SITE_URL}reviews/blackpool-2014-child-br/"]
    printed_links(page)


def printed_links(page: Page) -> None:
    """Every item of every list on the printed page says where it is: a title alone is a dead end on paper."""
    items = page.locator("ul.sg-list > li")
    assert items.count() >= 2
    for index in range(items.count()):
        item = items.nth(index)
        path = item.locator("a").first.evaluate("link => new URL(link.href).pathname")  # served here, not there
        expect(item.locator(".sg-item__address")).to_have_text(SITE_URL.rstrip("/") + path)


def test_a_printed_review_keeps_its_content_warning_and_the_addresses_of_its_lists(page: Page, deployed: str) -> None:
    page.goto(f"{deployed}/reviews/{REVIEW}/")
    page.emulate_media(media="print")
    expect(page.locator(".sg-warning")).to_be_visible()
    expect(page.locator(".sg-warning")).to_contain_text("Content warning: the abuse, serious harm or death of a child")
    assert page.locator("#related-reviews + ul .sg-item__address").count() >= 1
    assert page.locator("#briefings-that-draw-on-this-review + ul .sg-item__address").count() >= 1
    printed_links(page)


def test_a_feed_opened_in_the_browser_reads_as_a_page(page: Page, deployed: str, deployed_dir: Path) -> None:
    page.goto(f"{deployed}/feeds/themes/neglect.xml")
    if page.evaluate("document.documentElement.localName") == "feed":
        pytest.skip("this browser no longer runs XSLT (Chrome's planned removal); feed readers are unaffected")
    expect(page.locator("h1")).to_have_text("Safeguarding learning repository: Neglect")
    expect(page.locator(".address")).to_have_text(f"{SITE_URL}feeds/themes/neglect.xml")
    feed = (deployed_dir / "feeds" / "themes" / "neglect.xml").read_text(encoding="utf-8")
    assert page.locator("main li > a").count() == feed.count("<entry>") > 0
    expect(page.get_by_role("link", name="How to follow new learning, and every feed by theme, region and partnership")
           ).to_have_attribute("href", f"{SITE_URL}follow/")


@pytest.mark.parametrize("path", [f"/pack/?items={BRIEFING},{REVIEW}", "/follow/", f"/reviews/{REVIEW}/"])
def test_kit_pages_pass_axe(page: Page, deployed: str, axe, path: str) -> None:  # noqa: F811
    page.goto(deployed + path)
    if path.startswith("/pack/"):
        page.wait_for_selector("#sg-pack[data-ready]")
    violations = [v for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_on_a_phone_the_packs_buttons_are_targets_a_finger_can_take_and_the_details_end_cleanly(
        browser: Browser, deployed: str) -> None:  # noqa: F811
    """WCAG 2.2's minimum target (24 px) for the pack's item buttons; a briefing's details panel,
    run as one line on a phone, ends with its last entry, not a separator left by the hidden link."""
    phone = new_page(browser, viewport={"width": 390, "height": 844})
    phone.goto(f"{deployed}/pack/?items={BRIEFING},{REVIEW}")
    buttons = phone.locator(".sg-pack__item-controls .md-button")
    expect(buttons.first).to_be_visible()
    heights = [box["height"] for box in (b.bounding_box() for b in buttons.all()) if box]
    assert heights and min(heights) >= 24, heights
    phone.goto(f"{deployed}/briefings/{BRIEFING}/")
    details = phone.locator(".sg-meta").inner_text()
    assert not details.rstrip().endswith("·") and "Themes" in details, details
    phone.close()
