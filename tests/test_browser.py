"""The built site in a real browser (Chromium through Playwright): search, facets, browse, aliases,
accessibility (axe-core), a 390 px phone, print, and screenshots for a person to look at.

Two sites are built once per module into temporary directories and served over HTTP on 127.0.0.1:
the shipped content (`mkdocs build` at the repository root) and the small fixture site of
test_site.py. Requests that leave 127.0.0.1 (Material's Google Fonts) are aborted, so the tests
need no network. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from conftest import Project
from test_site import build_fixture_site

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

REVIEW = "/reviews/national-2020-it-was-hard-to-escape/"  # the criminal-exploitation national review
BRIEFING = "/briefings/seven-minute-information-sharing/"
THEME = "/themes/neglect/"
NOT_LOCAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://")


# --- sites, servers, browser --------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port) until the generator is closed; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def shipped_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("shipped-site")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site_dir)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture(scope="module")
def shipped(shipped_dir: Path) -> Iterator[str]:
    yield from serve(shipped_dir)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = Project(tmp_path_factory.mktemp("fixture-site") / "project")
    result = build_fixture_site(project)
    assert result.returncode == 0, result.stderr
    yield from serve(project.root / "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
                    "Run `python3 tasks.py test`, which installs it.", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser: Browser, **options: object) -> Page:
    """A page in a fresh context that never leaves 127.0.0.1."""
    context = browser.new_context(**options)
    context.route(NOT_LOCAL, lambda route: route.abort())
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = new_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=1)
    yield page
    page.context.close()


def search_results(page: Page) -> list[str]:
    """Wait for the search page's results (site.js on pagefind.js) and return their links."""
    page.wait_for_function("""() => /^\\d+ results? /.test(document.getElementById('sg-search-status').textContent)
        && document.querySelectorAll('#sg-search-results > li a.sg-result__link').length > 0""")
    return page.locator("a.sg-result__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def page_html(site_dir: Path, url: str) -> str:
    return (site_dir / url.strip("/") / "index.html").read_text(encoding="utf-8")


# --- search -------------------------------------------------------------------------------------

def test_search_finds_the_criminal_exploitation_review(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/search/?q=exploitation")
    assert REVIEW in search_results(page)
    expect(page.locator("#sg-q")).to_have_value("exploitation")


@pytest.mark.parametrize(("query", "wanted"), [
    ("NAI", "/reviews/national-2021-the-myth-of-invisible-men/"),  # its text says only "non-accidental injury"
    ("county lines", "/themes/child-criminal-exploitation/"),  # a theme's synonym; theme pages are searchable
    ("LCSPR", "/reviews/cumbria-2022-leiland-james-corkill/"),
])
def test_web_search_understands_the_fields_words(page: Page, shipped: str, query: str, wanted: str) -> None:
    page.goto(f"{shipped}/search/?q={query}")
    assert wanted in search_results(page)


def test_search_theme_facet_narrows_results_and_shows_counts(page: Page, shipped: str, shipped_dir: Path) -> None:
    theme = "Child criminal exploitation"
    page.goto(f"{shipped}/search/?q=exploitation")
    search_results(page)
    message = page.locator("#sg-search-status")
    total = int(re.match(r"(\d+) results? for .exploitation.", message.inner_text()).group(1))
    page.locator("#sg-facets > summary").click()
    labels = page.locator('label[for^="sg-f-theme-"]')
    expect(labels.first).to_be_visible()
    counts = {re.sub(r" \(\d+\)$", "", text): text for text in labels.all_inner_texts()}
    assert all(re.search(r" \(\d+\)$", text) for text in counts.values()), counts  # every value shows a count
    expected = int(re.search(r"\((\d+)\)$", counts[theme]).group(1))
    assert 0 < expected < total

    page.locator(f'#sg-facets input[name="theme"][value="{theme}"]').check()
    expect(message).to_have_text(re.compile(rf"^{expected} results? for .exploitation. with the chosen filters"))
    assert f"theme={theme.replace(' ', '+')}" in page.url  # the address keeps the filter
    filtered = search_results(page)
    assert 0 < len(filtered) <= expected  # Pagefind shows the first page of results
    for url in filtered:  # each result's own page lists the theme in its metadata panel
        panel = re.search(r'<dl class="sg-meta">.*?</dl>', page_html(shipped_dir, url), re.S)
        assert panel and f">{theme}</a>" in panel.group(0), url


RECORD_FACET_LABELS = """
window.__facetLabels = [];
new MutationObserver(function () {
  document.querySelectorAll('label[for^="sg-f-"]').forEach(function (l) { window.__facetLabels.push(l.textContent); });
}).observe(document, { childList: true, subtree: true });
"""


def test_facet_counts_shown_are_only_ever_the_querys(page: Page, shipped: str) -> None:
    """Opening the filters with a query shows that query's counts at once: never the whole index's
    first (they would change under the reader's finger)."""
    page.add_init_script(RECORD_FACET_LABELS)
    page.goto(f"{shipped}/search/?q=exploitation")
    search_results(page)
    total = int(re.match(r"(\d+) results?", page.locator("#sg-search-status").inner_text()).group(1))
    page.locator("#sg-facets > summary").click()
    expect(page.locator('label[for^="sg-f-theme-"]').first).to_be_visible()
    page.wait_for_load_state("networkidle")
    seen = page.evaluate("window.__facetLabels")
    counts = [int(re.search(r"\((\d+)\)$", text).group(1)) for text in seen if re.search(r"\(\d+\)$", text)]
    assert counts and max(counts) <= total, (total, sorted(set(seen)))


def test_search_filters_and_more_results_keep_the_keyboards_place(page: Page, shipped: str) -> None:
    """Ticking a filter draws the filters again with new counts: focus stays on the box ticked.
    'Show more results' moves focus to the first new result, and the space kept for results
    while they load is given back once they are drawn."""
    page.goto(f"{shipped}/search/?q=child")
    first = search_results(page)
    expect(page.locator("#sg-search-results")).not_to_have_class(re.compile("sg-results--awaiting"))
    page.locator("#sg-more").focus()
    page.keyboard.press("Enter")
    expect(page.locator("a.sg-result__link").nth(len(first))).to_be_focused()
    page.locator("#sg-facets > summary").click()
    box = page.locator('#sg-facets input[name="type"]').first
    value = box.get_attribute("value")
    box.focus()
    page.keyboard.press("Space")
    expect(page.locator("#sg-search-status")).to_contain_text("with the chosen filters")
    expect(page.locator(f'#sg-facets input[name="type"][value="{value}"]')).to_be_focused()
    expect(page.locator(f'#sg-facets input[name="type"][value="{value}"]')).to_be_checked()


FOCUSED_BOX = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
    return {tag: e.tagName, text: (e.textContent || '').trim().slice(0, 40), left: r.left, right: r.right,
            visible: getComputedStyle(e).visibility !== 'hidden' && r.width > 0}; }"""


@pytest.mark.parametrize("path", ["", "browse/", "search/?q=neglect"])
def test_a_phone_keyboard_skips_to_the_content_and_never_tabs_into_the_closed_menu(phone: Page, shipped: str,
                                                                                  path: str) -> None:
    phone.goto(f"{shipped}/{path}")
    phone.wait_for_load_state("load")
    phone.keyboard.press("Tab")
    expect(phone.locator('a.md-skip[href="#sg-content"]')).to_be_focused()  # Material's own is hidden
    stops = []
    for _ in range(12):
        phone.keyboard.press("Tab")
        stops.append(phone.evaluate(FOCUSED_BOX))
    hidden = [stop for stop in stops if stop["right"] <= 0 or stop["left"] >= 390 or not stop["visible"]]
    assert not hidden, hidden  # every Tab stop is one the reader can see
    phone.goto(f"{shipped}/{path}")
    phone.wait_for_load_state("load")  # the scripts that take the menu button's keys have run
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")  # the skip link
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.closest('.md-content') !== null")  # in the content at once
    phone.goto(f"{shipped}/{path}")  # afresh: Material closes the menu a moment after the address's #hash changes
    phone.wait_for_load_state("load")
    menu = phone.locator('label.md-header__button[for="__drawer"]')
    menu.focus()
    expect(menu).to_have_attribute("aria-expanded", "false")
    phone.keyboard.press("Enter")
    expect(phone.locator("#__drawer")).to_be_checked()
    expect(phone.locator(".md-sidebar--primary")).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")  # a screen reader hears that it opened
    assert phone.evaluate("document.activeElement.closest('.md-sidebar--primary') !== null")  # focus starts in it
    for _ in range(15):  # and never reaches the page hidden under it (WCAG 2.4.11)
        phone.keyboard.press("Tab")
        assert phone.evaluate("document.activeElement.closest('.md-content, .md-footer, .md-sidebar--secondary, "
                              ".sg-header-search') === null"), phone.evaluate(FOCUSED_BOX)
    phone.keyboard.press("Escape")
    expect(phone.locator("#__drawer")).not_to_be_checked()
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert phone.evaluate("document.querySelectorAll('[inert]').length") == 0  # the page is usable again
    phone.keyboard.press(" ")
    expect(phone.locator("#__drawer")).to_be_checked()


def test_every_section_of_a_page_is_in_its_table_of_contents(page: Page, shipped: str) -> None:
    """The contents list the page's own sections too, not only those its Markdown body writes."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{shipped}/themes/neglect/")
    contents = page.locator("nav.md-nav--secondary a.md-nav__link").all_inner_texts()
    assert contents[:3] == ["Reviews", "Briefings", "About this theme"] and len(contents) > 3, contents
    page.goto(f"{shipped}/reviews/croydon-2024-baby-eva/")
    contents = page.locator("nav.md-nav--secondary a.md-nav__link").all_inner_texts()
    assert contents[-3:] == ["Briefings that draw on this review", "Related reviews", "Where to get support"]


def test_a_site_built_without_its_address_prints_the_pages_own_address(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/briefings/seven-minute-neglect/")
    page.emulate_media(media="print")
    expect(page.locator("a.sg-permalink")).to_have_text(f"{shipped}/briefings/seven-minute-neglect/")
    expect(page.locator("a.sg-permalink")).to_be_visible()
    expect(page.locator(".sg-item__address").first).to_have_text(re.compile("^" + re.escape(shipped) + "/reviews/"))


def test_an_abbreviation_searched_says_what_it_was_read_as(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/search/?q=da")
    search_results(page)
    expect(page.locator("#sg-search-status")).to_have_text(re.compile(
        r"^\d+ results for \u201cda\u201d \(also \u201cDA domestic abuse\u201d\)$"))


def test_header_search_box_submits_to_the_search_page(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/")
    page.locator("#sg-header-q").click()
    page.keyboard.type("neglect")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=neglect$"))
    assert search_results(page)
    expect(page.locator("#sg-header-q")).to_have_value("neglect")


# --- browse -------------------------------------------------------------------------------------

def test_browse_theme_filter_is_reachable_with_tab(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/browse/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "sg-filter-themes":
            break
    else:
        pytest.fail("40 presses of Tab from the top of /browse/ never reached #sg-filter-themes")


def browse_values(page: Page, name: str) -> list[list[str]]:
    """Each /browse/ item's values of one filter, read through the codes its script matches on."""
    return page.evaluate("""name => {
        const values = {};
        document.querySelectorAll(`select[name="${name}"] option[data-f]`).forEach(o => { values[o.dataset.f] = o.value; });
        return [...document.querySelectorAll("#sg-results > li")].map(
            li => [...li.dataset.f].filter(code => code in values).map(code => values[code]));
    }""", name)


def test_the_focus_ring_stands_out_on_white_and_on_the_header(page: Page, shipped: str) -> None:
    """WCAG 2.2 (1.4.11): what shows focus has 3:1 contrast with what is next to it. The yellow
    ring alone is 1.6:1 on white, so a near-black ring sits inside it."""
    page.goto(f"{shipped}{REVIEW}")
    page.wait_for_load_state("load")
    for _ in range(40):  # to a link in the content, on white
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.md-content') !== null && document.activeElement.localName === 'a'"):
            break
    ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, s.outlineColor, s.outlineWidth, s.boxShadow]; }""")
    assert ring[:3] == ["solid", "rgb(255, 191, 71)", "3px"], ring
    assert "rgb(11, 12, 12)" in ring[3] and "2px" in ring[3], ring


CONTRAST = """(element) => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (c) => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                             return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let back = element, background = "rgba(0, 0, 0, 0)";
  while (back && (background = getComputedStyle(back).backgroundColor) === "rgba(0, 0, 0, 0)") { back = back.parentElement; }
  const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(rgb(back ? background : "rgb(255, 255, 255)"))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_links_and_buttons_keep_their_contrast_when_hovered_or_focused(page: Page, shipped: str) -> None:
    """axe checks text at rest; a hovered or focused link or button must read as well (4.5:1)."""
    page.goto(f"{shipped}{REVIEW}")
    for target in (page.locator(".md-content p a").first, page.get_by_role("button", name="Copy link")):
        target.hover()
        page.wait_for_timeout(400)  # Material's colour transition
        assert target.evaluate(CONTRAST) >= 4.5, target
        page.mouse.move(0, 0)
        target.focus()
        page.wait_for_timeout(400)
        assert target.evaluate(CONTRAST) >= 4.5, target


OBSCURED = """() => { const e = document.activeElement, r = e.getBoundingClientRect();
    const covers = (selector) => { const c = document.querySelector(selector); if (!c || c.contains(e)) return false;
        const b = c.getBoundingClientRect(), s = getComputedStyle(c);
        return s.display !== 'none' && s.visibility !== 'hidden' && b.height > 0 &&
               r.top >= b.top && r.bottom <= b.bottom && r.left >= b.left && r.right <= b.right; };
    const onTop = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    return (covers('.md-header') || covers('.md-top')) && !(onTop && e.contains(onTop))
        ? (e.textContent || e.name || e.id).trim().slice(0, 40) : null; }"""


@pytest.mark.parametrize("path", ["browse/", REVIEW.lstrip("/"), "pack/?items=seven-minute-neglect,bradford-2013-hamzah-khan"])
def test_at_400_percent_zoom_the_header_never_hides_what_has_focus(browser: Browser, shipped: str, path: str) -> None:
    """WCAG 2.2, 2.4.11 (focus not obscured): at 320 by 256 CSS pixels, Tab down the page and
    Shift+Tab back up; the sticky header and "Back to top" never cover the focused element."""
    zoomed = new_page(browser, viewport={"width": 320, "height": 256})
    try:
        zoomed.goto(f"{shipped}/{path}")
        zoomed.wait_for_load_state("networkidle")
        hidden = []
        for key in ["Tab"] * 30 + ["Shift+Tab"] * 30:
            zoomed.keyboard.press(key)
            zoomed.wait_for_timeout(60)  # Material shows "Back to top" on scrolling up
            hidden.append(zoomed.evaluate(OBSCURED))
        assert [h for h in hidden if h] == []
    finally:
        zoomed.context.close()


@pytest.mark.parametrize("path", ["", "search/?q=neglect", "404.html"])
def test_each_search_landmark_has_a_name_of_its_own(page: Page, shipped: str, path: str) -> None:
    """A screen reader lists landmarks by name: two unnamed 'search' landmarks cannot be told apart."""
    page.goto(f"{shipped}/{path}")
    names = page.locator("[role=search]").evaluate_all("forms => forms.map(form => form.getAttribute('aria-label'))")
    assert len(names) >= 2 and all(names) and len(set(names)) == len(names), names
    if path.startswith("search/"):
        page.locator("details.sg-facets > summary").wait_for()
        snapshot = page.locator("details.sg-facets > summary").aria_snapshot()
        assert "\u25b8" not in snapshot, snapshot  # the disclosure's mark is not read as part of its name


def test_browse_filters_by_theme_with_the_keyboard(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/browse/")
    items = page.locator("#sg-results > li")
    total = items.count()
    is_briefing = [types == ["briefing"] for types in browse_values(page, "type")]
    briefings = sum(is_briefing)
    assert 0 < briefings < total
    expect(page.locator("#sg-status")).to_have_text(f"{total - briefings} reviews and {briefings} briefings")
    page.locator("#sg-filter-themes").focus()
    page.keyboard.type("Child criminal")  # the select's type-ahead picks the option
    expect(page.locator("#sg-filter-themes")).to_have_value("child-criminal-exploitation")

    expect(page).to_have_url(re.compile(r"/browse/\?themes=child-criminal-exploitation$"))
    matching = ["child-criminal-exploitation" in themes for themes in browse_values(page, "themes")]
    assert 0 < sum(matching) < total
    assert [item.is_visible() for item in items.all()] == matching
    shown_briefings = sum(m and b for m, b in zip(matching, is_briefing))
    expect(page.locator("#sg-status")).to_have_text(re.compile(
        rf"^{sum(matching) - shown_briefings} reviews? and {shown_briefings} briefings? match the filters$"))


@pytest.mark.parametrize("query", ["themes=neglect", "theme=neglect"])  # the search page's name too
def test_browse_filter_from_the_address_is_applied(page: Page, shipped: str, query: str) -> None:
    page.goto(f"{shipped}/browse/?{query}")
    expect(page.locator("#sg-filter-themes")).to_have_value("neglect")
    visible = [item.is_visible() for item in page.locator("#sg-results > li").all()]
    matching = ["neglect" in themes for themes in browse_values(page, "themes")]
    assert 0 < sum(visible) == min(sum(matching), 50)  # the first page of the matching items
    assert all(match for shown, match in zip(visible, matching) if shown)


def test_browse_with_nothing_matching_says_how_to_see_more(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/browse/?themes=neglect&type=national&year=2013")
    expect(page.locator("#sg-status")).to_have_text(
        "0 reviews and 0 briefings match the filters: choose \u201cAny\u201d in a filter to see more")


def test_search_takes_the_browse_pages_filter_names_too(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/search/?q=child&themes=neglect")
    search_results(page)
    expect(page.locator("#sg-search-status")).to_contain_text("with the chosen filters")


def test_browse_lists_every_review_without_javascript(browser: Browser, shipped: str, shipped_dir: Path) -> None:
    page = new_page(browser, java_script_enabled=False)
    try:
        page.goto(f"{shipped}/browse/")
        data = json.loads((shipped_dir / "data" / "reviews.json").read_text(encoding="utf-8"))
        reviews = sorted(f"reviews/{r['id']}" for r in data["reviews"] if r["status"] == "live")
        briefings = sorted(f"briefings/{path.stem}" for path in (ROOT / "content" / "briefings").glob("*.md"))
        listed = page.locator("#sg-results > li:visible > a").evaluate_all(
            "links => links.map(a => a.getAttribute('href').split('/').filter(Boolean).slice(-2).join('/'))")
        assert sorted(listed) == sorted(reviews + briefings)
        expect(page.locator("#sg-filters")).to_be_hidden()  # the filters need JavaScript, so they stay hidden
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def long_browse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """61 items: more than the 50 /browse/ lays out at once with JavaScript."""
    from test_site import SITE_YML

    project = Project(tmp_path_factory.mktemp("long-browse") / "project")
    project.write("mkdocs.yml", SITE_YML)
    for n in range(60):  # 55 on neglect, 5 on information sharing; newest first: 60 ... 01
        project.review(f"kingsford-2026-case-{n:02d}", title=f'"Case {n:02d}: learning"', published=f"2026-01-{1 + n // 3:02d}",
                       themes="[information-sharing]" if n % 12 == 0 else "[neglect]")
    project.briefing(reviews="[kingsford-2026-case-00]")
    assert project.sync().exit_code == 0
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project.root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    yield from serve(project.root / "site")


def test_browse_shows_a_long_list_a_page_at_a_time_and_all_of_it_without_javascript(
        page: Page, browser: Browser, long_browse: str) -> None:
    page.goto(f"{long_browse}/browse/")
    items = page.locator("#sg-results > li")
    more = page.locator("#sg-browse-more")
    assert items.count() == 61 and page.locator("#sg-results > li:visible").count() == 50
    expect(more).to_have_text("Show 11 more (50 of 61 shown)")
    expect(page.locator("#sg-status")).to_have_text("60 reviews and 1 briefing")
    more.focus()
    page.keyboard.press("Enter")
    assert page.locator("#sg-results > li:visible").count() == 61
    expect(items.nth(50).locator("a")).to_be_focused()  # the keyboard reads on from the first new item
    expect(more).to_be_hidden()

    page.select_option("#sg-filter-themes", "neglect")  # a new filter starts again at the first page
    expect(page.locator("#sg-status")).to_have_text("55 reviews and 0 briefings match the filters")
    assert page.locator("#sg-results > li:visible").count() == 50
    expect(more).to_have_text("Show 5 more (50 of 55 shown)")
    page.get_by_role("button", name="Clear filters").click()
    expect(more).to_have_text("Show 11 more (50 of 61 shown)")

    page.goto(f"{long_browse}/browse/?themes=information-sharing")  # from the address: 5 reviews and the briefing
    expect(page.locator("#sg-status")).to_have_text("5 reviews and 1 briefing match the filters")
    assert page.locator("#sg-results > li:visible").count() == 6
    expect(more).to_be_hidden()

    still = new_page(browser, java_script_enabled=False)
    try:
        still.goto(f"{long_browse}/browse/")
        assert still.locator("#sg-results > li:visible").count() == 61
        expect(still.locator("#sg-browse-more")).to_be_hidden()
    finally:
        still.context.close()


# --- aliases ------------------------------------------------------------------------------------

def test_alias_lands_on_the_review(page: Page, fixture_site: str) -> None:
    page.goto(f"{fixture_site}/reviews/old-live-a/")
    page.wait_for_url(f"{fixture_site}/reviews/live-a/")
    expect(page.locator("h1")).to_contain_text("Child A")
    page.goto(f"{fixture_site}/reviews/old-live-a/#findings")  # a trainer's link to a heading keeps its heading
    page.wait_for_url(f"{fixture_site}/reviews/live-a/#findings")
    expect(page.locator("#findings")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0


def test_a_pack_resolves_former_ids_and_shows_hostile_titles_retired_and_withdrawn_items_as_text(
        page: Page, fixture_site: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{fixture_site}/pack/?items=old-live-a,hostile-h,retired-e,withdrawn-f,information-sharing-briefing")
    page.wait_for_selector("#sg-pack[data-ready]")
    # the former id is replaced by the review's id now, in the address and in the agenda's links
    assert page.url == f"{fixture_site}/pack/?items=live-a,hostile-h,retired-e,withdrawn-f,information-sharing-briefing"
    links = page.locator(".sg-pack__agenda > li > a")
    assert links.first.evaluate("a => a.href") == f"{fixture_site}/reviews/live-a/"
    titles = links.all_inner_texts()
    assert titles[0].startswith("Child A") and titles[1] == "Child H </title><script>alert(1)</script> & co"
    metas = page.locator(".sg-pack__agenda-meta").all_inner_texts()
    assert metas[2] == metas[3] == " · no longer available"  # retired and withdrawn: their pages say why
    assert "SECRET-WITHDRAWN-TITLE" not in page.locator("#sg-pack").inner_text()
    hostile = page.locator(".sg-pack__item").nth(1)
    expect(hostile.locator(".sg-pack__summary")).to_have_text('Quote " then <b>bold</b> x"><script>alert(2)</script>')
    assert page.locator("#sg-pack script, #sg-pack b").count() == 0 and dialogs == []
    expect(page.locator(".sg-pack__total")).to_contain_text("for 5 items")


# --- accessibility ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


@pytest.mark.parametrize("url", ["/", REVIEW, BRIEFING, THEME, "/themes/", "/regions/london/", "/reviews/", "/browse/", "/insights/", "/404.html",
                                 "/search/?q=neglect"])
def test_no_serious_or_critical_axe_violations(page: Page, shipped: str, axe, url: str) -> None:
    page.goto(shipped + url)
    if url.startswith("/search/"):
        search_results(page)
    violations = [v for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    if violations:
        pytest.fail(f"{url}: serious or critical axe-core violations\n" + "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
                f"    {' '.join(node['target'])}: " + " / ".join(
                    line.strip() for line in node["failureSummary"].splitlines()[1:] if line.strip())
                for node in v["nodes"])
            for v in violations), pytrace=False)


# --- a 390 px phone -----------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", REVIEW, "/browse/"])
def test_no_horizontal_scroll_at_390px(phone: Page, shipped: str, url: str) -> None:
    phone.goto(shipped + url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    wide = phone.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 390.5 && getComputedStyle(e).display !== 'none')
        .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + e.getBoundingClientRect().right)""")
    assert width <= 390, f"{url}: scrollWidth {width}; wider than the screen: {wide}"


# --- print --------------------------------------------------------------------------------------

def test_print_hides_header_and_navigation(page: Page, shipped: str) -> None:
    page.emulate_media(media="print")
    page.goto(shipped + BRIEFING)
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".sg-header-search"):
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()


def seven_minute_briefings() -> list[str]:
    return sorted(p.stem for p in (ROOT / "content" / "briefings").glob("*.md")
                  if re.search(r"^format:\s*seven-minute\s*$", p.read_text(encoding="utf-8"), re.M))


def test_seven_minute_briefings_print_on_at_most_two_a4_pages(page: Page, shipped: str) -> None:
    pages = {}
    for briefing in seven_minute_briefings():
        page.goto(f"{shipped}/briefings/{briefing}/")
        pages[briefing] = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))
    assert pages and all(pages.values())
    assert {b: n for b, n in pages.items() if n > 2} == {}, f"A4 pages per seven-minute briefing: {pages}"


# --- screenshots for a person to look at ---------------------------------------------------------

def test_screenshots(page: Page, phone: Page, shipped: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {"home": "/", "review": REVIEW, "briefing": BRIEFING, "browse-filtered": "/browse/?themes=neglect",
             "search-results": "/search/?q=neglect", "search-abbreviation": "/search/?q=NAI"}
    for name, url in shots.items():
        page.goto(shipped + url)
        if name.startswith("search-"):
            search_results(page)
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    phone.goto(shipped + REVIEW)
    phone.screenshot(path=ARTIFACTS / "review-390px.png", full_page=True)
    assert all((ARTIFACTS / f"{name}.png").stat().st_size > 10_000 for name in [*shots, "review-390px"])


SHIPPED_REVIEWS = sorted(p.stem for p in (ROOT / "content" / "reviews").glob("*.md"))


@pytest.mark.parametrize("review", SHIPPED_REVIEWS)
def test_a_review_on_a_phone_shows_title_summary_and_learning_on_the_first_screen(phone: Page, shipped: str,
                                                                                  review: str) -> None:
    phone.goto(f"{shipped}/reviews/{review}/")
    phone.screenshot(path=ARTIFACTS / f"phone-first-screen-{review}.png")  # looked at
    box = phone.evaluate("""() => Object.fromEntries(['h1', '.sg-warning', '.sg-summary', '.sg-meta',
        '.sg-kit ~ h2'].map(s => {
        const r = document.querySelector('.md-content ' + s).getBoundingClientRect();
        return [s, {top: r.top, bottom: r.bottom, height: r.height}]; }))""")
    assert box[".sg-summary"]["bottom"] <= 844, box  # above the fold at 390 x 844
    assert box[".sg-kit ~ h2"]["bottom"] <= 844, box  # the learning starts on the first screen too
    headings = phone.locator(".md-content .sg-kit ~ h2").all_inner_texts()
    if any(h.startswith("Key learning") for h in headings):
        assert headings[0].startswith("Key learning"), headings
    assert box["h1"]["bottom"] < box[".sg-warning"]["top"] < box[".sg-summary"]["top"] < box[".sg-meta"]["top"]
    assert box[".sg-warning"]["height"] < 90, box  # the warning is short: its helplines are a link away
    for link in phone.locator(".sg-meta a:visible").all():  # the panel's links, the full report first: a finger's target
        assert link.bounding_box()["height"] >= 24, (link.inner_text(), link.bounding_box())
    if review != SHIPPED_REVIEWS[0]:
        return
    phone.get_by_role("link", name="Where to get support").click()
    assert "0808 800 5000" in phone.locator("#support + p").inner_text()


def test_the_header_shows_the_short_name_on_a_phone_and_the_full_name_wider(page: Page, phone: Page,
                                                                            shipped: str) -> None:
    script = """() => { const topic = document.querySelector('.md-header__topic .md-ellipsis');
        const shown = [...topic.children].filter(e => e.getBoundingClientRect().width > 1);
        return [shown.map(e => e.textContent), topic.scrollWidth <= topic.clientWidth]; }"""
    phone.goto(shipped + REVIEW)
    assert phone.evaluate(script) == [["Safeguarding learning"], True]
    page.goto(shipped + REVIEW)
    assert page.evaluate(script) == [["Safeguarding learning repository"], True]


# --- regressions found by looking at the screenshots -------------------------------------------

def test_browse_filter_labels_sit_above_their_own_selects(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/browse/")
    misplaced = []
    for select in page.locator("#sg-filters select").all():
        select_id = select.get_attribute("id")
        label, box = page.locator(f'label[for="{select_id}"]').bounding_box(), select.bounding_box()
        gap = box["y"] - (label["y"] + label["height"])
        if abs(label["x"] - box["x"]) > 2 or not 0 <= gap <= 16:
            misplaced.append(f"{select_id}: label at ({label['x']:.0f}, {label['y']:.0f}), "
                             f"select at ({box['x']:.0f}, {box['y']:.0f})")
    assert misplaced == []


def test_search_result_titles_are_plain_titles(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/search/?q=neglect")
    search_results(page)
    titles = page.locator("a.sg-result__link").all_inner_texts()
    assert [t for t in titles if t.rstrip().endswith("¶")] == []


@pytest.mark.parametrize("url", ["/", REVIEW, "/browse/"])
def test_pages_request_nothing_missing_from_the_site(page: Page, shipped: str, url: str) -> None:
    missing = []
    page.on("response", lambda response: response.status >= 400 and missing.append(f"{response.status} {response.url}"))
    page.goto(shipped + url, wait_until="networkidle")
    assert not missing, f"{url} asked the site for files it does not have: {missing}"


# --- a site built from hostile bodies, with validate's body check switched off ---------------------

HOSTILE_BUILD = ("import sys, generator.validate as v; v.body_problems = lambda doc: []; "
                 "from mkdocs.__main__ import cli; cli(['build', '--site-dir', sys.argv[1]])")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every vector of tests/hostile.py as its own review; only the sanitiser stands in the way."""
    import generator.validate
    from hostile import VECTORS

    project = Project(tmp_path_factory.mktemp("hostile-site") / "project")
    project.write("mkdocs.yml", "site_name: Hostile\ndocs_dir: content\ntheme:\n  name: material\nplugins:\n"
                                "  - safeguarding:\n      today: 2026-11-23\n      search_index: false\n")
    for name, (payload, _, _) in VECTORS.items():
        project.review(f"hostile-{name}", body=f"## Learning\n\nBefore the payload.\n\n{payload}\n\nAfter it.\n")
    checked = generator.validate.body_problems
    generator.validate.body_problems = lambda doc: []
    try:
        assert project.sync().exit_code == 0
    finally:
        generator.validate.body_problems = checked
    site = project.root / "site"
    result = subprocess.run([sys.executable, "-c", HOSTILE_BUILD, str(site)], cwd=project.root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    yield from serve(site)


def test_no_script_runs_on_pages_built_from_hostile_bodies(page: Page, hostile_site: str) -> None:
    from hostile import VECTORS

    ran, covered, live, lost = [], [], [], []
    for name in sorted(VECTORS):
        page.goto(f"{hostile_site}/reviews/hostile-{name}/", wait_until="load")
        if page.locator("text=After it.").count() != 1:  # the page and its body were really built and shown
            lost.append(name)
            continue
        content = page.locator("article")
        for element in content.locator("p, div, img, a:not([href]), span, details, summary").all()[:60]:
            for event in ("mouseover", "click", "focus", "toggle"):  # fires any handler that survived
                element.dispatch_event(event)
        page.keyboard.press("Tab")
        page.wait_for_timeout(50)
        if page.evaluate("window.__pwned") is not None:
            ran.append(name)
        live += [f"{name}: {a}" for a in page.evaluate("""() => [...document.querySelectorAll('article *')].flatMap(
            e => [...e.attributes].filter(a => a.name.startsWith('on') || a.name === 'style'
                 || /^\\s*(javascript|data):/i.test(a.value)).map(a => e.tagName + ' ' + a.name))""")]
        live += [f"{name}: an image" for _ in range(content.locator("img").count())]  # none loads from elsewhere
        if not page.evaluate("""() => { const w = document.querySelector('.sg-warning').getBoundingClientRect();
            const hit = document.elementFromPoint(w.left + w.width / 2, w.top + w.height / 2);
            return hit !== null && hit.closest('.sg-warning') !== null; }"""):
            covered.append(name)
    assert (ran, live, covered, lost) == ([], [], [], [])


# --- search quality on the web, zero results, regions -----------------------------------------

SEARCH_CASES = __import__("yaml").safe_load((Path(__file__).with_name("search_cases.yml")).read_text(encoding="utf-8"))


def settled_results(page: Page) -> list[str]:
    """The first results' item paths (folder/id) once the page has settled, or [] with no result."""
    page.wait_for_function("""() => {
        const box = document.getElementById('sg-search-status');
        if (!box) { return false; }
        const status = box.textContent;
        const shown = document.querySelectorAll('#sg-search-results > li').length;
        const count = parseInt(status, 10);
        return /results? for/.test(status) && (count === 0 ? !document.getElementById('sg-no-results').hidden
                                                            : shown >= Math.min(3, count));
    }""")
    links = page.locator("a.sg-result__link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [link.strip("/") for link in links]


@pytest.mark.parametrize("case", SEARCH_CASES, ids=[c["query"] for c in SEARCH_CASES])
def test_search_case_on_the_web(page: Page, shipped: str, case: dict) -> None:
    page.goto(f"{shipped}/search/?q={case['query']}")
    top3 = settled_results(page)[:3]
    if "suggest" in case:  # a misspelling: offered the right word, with or without results of its own
        suggestion = page.locator(".sg-no-results__suggestion a")
        expect(suggestion).to_have_text(case["suggest"])
        suggestion.click()
        page.wait_for_url(re.compile(r"\?q=" + re.escape(case["suggest"].replace(" ", "%20"))))
        top3 = settled_results(page)[:3]
    for wanted in case.get("top3", []):
        assert wanted in top3, f"{case['query']!r}: {wanted} not in the web's top 3 {top3}"


def test_web_search_with_no_results_offers_spelling_themes_and_browse(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/search/?q=neglet")
    assert settled_results(page) == []
    status = re.compile(r"^0 results for \u201cneglet\u201d Did you mean neglect\? \(\d+ results\)$")
    expect(page.locator("#sg-search-status")).to_have_text(status)  # the live region reads the suggestion out
    expect(page).to_have_title(re.compile(r"^0 results for \u201cneglet\u201d Did you mean neglect\? .* - Search - "))
    help_panel = page.locator("#sg-no-results")
    expect(help_panel.get_by_role("link", name="neglect", exact=True)).to_have_attribute("href", "?q=neglect")
    expect(help_panel.get_by_role("link", name="Neglect", exact=True)).to_have_attribute("href", "../themes/neglect/")
    expect(help_panel.get_by_role("link", name="browse every review and briefing")).to_have_attribute(
        "href", "../browse/")
    page.goto(f"{shipped}/search/?q=xyzzyplugh")  # nothing close: still the way to browse, read alone
    assert settled_results(page) == []
    expect(help_panel).to_have_text("Browse every review and briefing by theme, region, harm, type and year.")
    expect(help_panel.locator(".sg-no-results__suggestion")).to_have_count(0)


def test_a_region_with_no_review_of_its_own_is_offered_its_page(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/search/?q=West+Midlands")  # no local review there: its page lists what applies everywhere
    assert settled_results(page) == []
    row = page.locator("#sg-no-results li").filter(has=page.get_by_role("link", name="West Midlands", exact=True))
    expect(row).to_have_text("West Midlands (region)")
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/regions/west-midlands/$"))
    expect(page.locator("h1")).to_contain_text("West Midlands")


def test_web_filters_in_the_address_may_name_ids_as_browse_does(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/search/?q=exploitation&region=London&theme=Child+criminal+exploitation")
    by_label = settled_results(page)
    page.goto(f"{shipped}/search/?q=exploitation&region=london&theme=child-criminal-exploitation")
    assert settled_results(page) == by_label and "reviews/waltham-forest-2020-jaden-moodie" in by_label
    expect(page.locator("#sg-search-status")).to_contain_text("with the chosen filters")


def test_web_excerpts_quote_the_page_never_its_found_by_line(page: Page, shipped: str) -> None:
    for query in ("NAI", "CCE", "LCSPR", "London", "county lines"):
        page.goto(f"{shipped}/search/?q={query.replace(' ', '+')}")
        settled_results(page)
        excerpts = page.locator(".sg-result .sg-item__summary").all_inner_texts()
        assert excerpts and all(text.strip() for text in excerpts), query
        assert not any("Also found by" in text for text in excerpts), (query, excerpts)


def test_web_region_filter_keeps_national_reviews_and_briefings_until_unticked(page: Page, shipped: str) -> None:
    page.goto(f"{shipped}/search/?q=exploitation&region=London")
    found = settled_results(page)
    assert {"reviews/waltham-forest-2020-jaden-moodie", "reviews/national-2020-it-was-hard-to-escape",
            "briefings/seven-minute-child-criminal-exploitation"} <= set(found)
    keep = page.locator("#sg-everywhere")
    expect(keep).to_be_checked()
    keep.press("Space")  # with the keyboard
    expect(page.locator("#sg-search-status")).to_have_text(re.compile(r"^1 result for .exploitation. with the chosen"))
    assert settled_results(page) == ["reviews/waltham-forest-2020-jaden-moodie"]
    assert "everywhere=no" in page.url
    page.reload()  # the address keeps the choice
    assert settled_results(page) == ["reviews/waltham-forest-2020-jaden-moodie"]


def test_browse_lists_briefings_and_a_region_keeps_what_applies_everywhere(page: Page, shipped: str) -> None:
    status = page.locator("#sg-status")
    page.goto(f"{shipped}/browse/?type=briefing")
    visible = page.locator("#sg-results > li:not([hidden]) > a")
    assert visible.count() > 0 and all(h.startswith("../briefings/") for h in
                                       visible.evaluate_all("a => a.map(x => x.getAttribute('href'))"))
    expect(status).to_have_text(re.compile(rf"^0 reviews and {visible.count()} briefings? match the filters$"))
    page.goto(f"{shipped}/browse/?regions=london")
    hrefs = visible.evaluate_all("a => a.map(x => x.getAttribute('href'))")
    assert "../reviews/waltham-forest-2020-jaden-moodie/" in hrefs
    assert "../reviews/national-2020-it-was-hard-to-escape/" in hrefs and any("/briefings/" in h for h in hrefs)
    page.locator("#sg-everywhere").uncheck()
    london = london_local_reviews()
    assert len(london) >= 2 and "waltham-forest-2020-jaden-moodie" in london
    expect(status).to_have_text(f"{len(london)} reviews and 0 briefings match the filters")
    assert sorted(visible.evaluate_all("a => a.map(x => x.getAttribute('href'))")) == [
        f"../reviews/{review_id}/" for review_id in london]
    assert page.url.endswith("?regions=london&everywhere=no")
    expect(page.locator("#sg-everywhere-box")).to_be_visible()
    page.locator("#sg-filter-type").select_option("local")
    expect(page.locator("#sg-everywhere-box")).to_be_hidden()  # it means nothing for local reviews only


def london_local_reviews() -> list[str]:
    """The shipped local reviews from London, as the generator reads them."""
    from generator.corpus import load_corpus

    reviews = load_corpus(ROOT / "content", ROOT).corpus.reviews.values()
    return sorted(r.id for r in reviews if r.type == "local" and "london" in r.regions)


@pytest.fixture(scope="module")
def hostile_search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A review whose summary is markup-shaped text and whose body holds '<' and '&' as text."""
    from test_site import SITE_YML

    project = Project(tmp_path_factory.mktemp("hostile-search") / "project")
    project.write("mkdocs.yml", SITE_YML)
    project.review(summary='"<img src=x onerror=window.__pwned=1> was written here"',
                   body="## Learning\n\nThe zebra crossing: 1 < 2 & 3 > 2, said <b>nobody</b>.\n")
    assert project.sync().exit_code == 0
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project.root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    yield from serve(project.root / "site")


def test_search_excerpts_from_hostile_text_stay_text(page: Page, hostile_search_site: str) -> None:
    page.goto(f"{hostile_search_site}/search/?q=Kingsford")  # only in the found-by line: the summary stands in
    settled_results(page)
    excerpt = page.locator(".sg-result .sg-item__summary").first
    expect(excerpt).to_have_text("<img src=x onerror=window.__pwned=1> was written here")
    assert page.locator(".sg-result img").count() == 0
    page.goto(f"{hostile_search_site}/search/?q=zebra")  # in the text: quoted from it, marked, as text
    settled_results(page)
    expect(page.locator(".sg-result mark").first).to_have_text("zebra")
    assert "1 < 2 & 3 > 2" in page.locator(".sg-result .sg-item__summary").first.inner_text()
    assert page.locator(".sg-result b").count() == 0 and page.evaluate("window.__pwned") is None


def test_a_hostile_query_is_shown_as_text_in_the_zero_results_help(page: Page, shipped: str) -> None:
    query = "<img src=x onerror=window.__pwned=1>"
    page.goto(f"{shipped}/search/?q={query}&everywhere=<b>x</b>&region=<svg onload=window.__pwned=1>")
    assert settled_results(page) == []
    expect(page.locator("#sg-search-status")).to_contain_text(query)
    assert page.locator("#sg-no-results img, #sg-search-status img, main svg[onload]").count() == 0
    assert page.evaluate("window.__pwned") is None


# --- a web index in parts ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = Project(tmp_path_factory.mktemp("parted-site") / "project")
    result = build_fixture_site(project, search_part_mb=0.004)  # a few KB a part: several parts
    assert result.returncode == 0, result.stderr
    assert (project.root / "site" / "pagefind" / "part-3" / "pagefind-entry.json").is_file()
    yield from serve(project.root / "site")


def search_summary(page: Page, site: str, query: str) -> tuple[str, list[str], list[str]]:
    """The status line, the results (as a set) and the theme facet's labels with their counts."""
    page.goto(f"{site}/search/?q={query}")
    results = sorted(search_results(page))
    status = page.locator("#sg-search-status").inner_text()
    page.locator("#sg-facets > summary").click()
    expect(page.locator('label[for^="sg-f-theme-"]').first).to_be_visible()
    return status, results, sorted(page.locator('label[for^="sg-f-theme-"]').all_inner_texts())


@pytest.mark.parametrize("query", ["child", "referral", "neglect"])
def test_a_web_index_in_parts_finds_and_counts_what_one_index_does(page: Page, fixture_site: str,
                                                                     parted_site: str, query: str) -> None:
    whole = search_summary(page, fixture_site, query)
    assert whole[1], f"{query!r} finds nothing in the fixture: the comparison would prove nothing"
    assert search_summary(page, parted_site, query) == whole  # the first counts shown are the query's


# --- pages that do not move ----------------------------------------------------------------------

LAYOUT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (entry) { if (!entry.hadRecentInput) { window.__layoutShift += entry.value; } });
}).observe({ type: "layout-shift", buffered: true });
"""


def layout_shift(page: Page, url: str) -> float:
    """The cumulative layout shift of loading `url` until the page has settled (as Lighthouse counts it)."""
    page.add_init_script(LAYOUT_SHIFTS)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    return page.evaluate("window.__layoutShift")


@pytest.mark.parametrize("path", ["browse/", "browse/?themes=neglect", "search/", "search/?q=neglect",
                                  "search/?q=neglet", "reviews/", "themes/neglect/", "pack/",
                                  "pack/?items=seven-minute-changing-risk", "pack/?items=seven-minute-changing-risk,bradford-2013-hamzah-khan"])
def test_pages_do_not_move_while_they_load(page: Page, phone: Page, shipped: str, path: str) -> None:
    for viewer in (phone, page):
        shift = layout_shift(viewer, f"{shipped}/{path}")
        assert shift < 0.1, f"/{path} shifts by {shift:.3f} at {viewer.viewport_size['width']} px"
