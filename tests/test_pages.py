"""Page generation as plain code: no MkDocs, just the site model and the templates."""

from __future__ import annotations

import json
import re
from itertools import chain
from pathlib import Path

import material

import datetime as dt

import pytest

from generator import htmlcheck, pages
from generator.corpus import load_corpus
from generator.ledger import read_ledger
from generator.pages import base_for, browse_code, render_pages, search_documents
from generator.searchdocs import search_items
from generator.retention import Windows
from generator.sitemodel import build_site_model

from conftest import Project


@pytest.mark.parametrize("src_uri, base", [("index.md", ""), ("browse.md", "../"), ("reviews/index.md", "../"),
                                           ("reviews/a-review.md", "../../")])
def test_relative_base(src_uri: str, base: str) -> None:
    assert base_for(src_uri) == base


def test_search_holds_the_text_the_page_shows_and_nothing_hidden(project: Project) -> None:
    """Search reads the sanitised HTML, not the Markdown: a comment, a link's definition or its
    title is not on the page, so it must not be found; entities are decoded, inline code is text."""
    project.review(body="## Key findings <!-- heading secret -->\n\nAgencies *did not* share the [referral][r] "
                        "&amp;lt; `x<y` 1 &lt; 2.\n\n<!-- hidden comment words -->\n\n[r]: https://x.org "
                        '"hidden title words"\n\n- first\n- second\n\n| a | b |\n|---|---|\n| c | d |\n')
    item = next(i for i in search_items(model_of(project)) if i.kind == "review")
    assert item.paragraphs == ("Key findings", "Agencies did not share the referral &lt; x<y 1 < 2.", "first",
                               "second", "a b", "c d")


def model_of(project: Project, today: str = "2026-11-23"):
    project.sync(today=today)
    ledger, _ = read_ledger(project.ledger, "retention.lock")
    corpus = load_corpus(project.content, project.root).corpus
    return build_site_model(corpus, ledger, dt.date.fromisoformat(today), Windows())


def test_related_reviews_rank_shared_themes_harm_and_region(project: Project) -> None:
    project.review("a-review", themes="[neglect]", harm="[neglect]", regions="[london]")
    project.review("same-theme-harm", themes="[neglect]", harm="[neglect]", regions="[north-east]")
    project.review("same-theme-region", themes="[neglect]", harm="[physical-abuse]", regions="[london]")
    project.review("unrelated", themes="[domestic-abuse]", harm="[physical-abuse]", regions="[north-east]")
    model = model_of(project)  # the same body in each: the tags decide
    assert model.related["a-review"][:2] == ["same-theme-harm", "same-theme-region"]


def test_withdrawn_page_and_search_documents_hold_no_case_details(project: Project) -> None:
    project.review("withdrawn-review", title='"Child W: SECRET"', withdrawn_on="2026-06-01",
                   withdrawn_reason='"Court order"')
    project.review("live-review", body="## Learning\n\nThe *referral* was not shared.\n")
    model = model_of(project)
    pages = render_pages(model)
    withdrawn = pages["reviews/withdrawn-review.md"]
    assert withdrawn.title == "Review withdrawn" and withdrawn.body_html == ""
    assert "SECRET" not in withdrawn.before + withdrawn.after
    documents = search_documents(model)
    assert [path for path in documents if path.startswith("reviews/")] == ["reviews/live-review/index.html"]
    assert all("SECRET" not in text for text in documents.values())
    assert "<p>The referral was not shared.</p>" in documents["reviews/live-review/index.html"]
    assert 'data-pagefind-filter="region" data-pagefind-ignore>London</span>' in documents[
        "reviews/live-review/index.html"]


def test_review_page_is_converted_body_inside_ready_html(project: Project) -> None:
    project.review(body="# Learning\n\nText.\n")
    page = render_pages(model_of(project))["reviews/kingsford-2026-child-a.md"]
    assert page.body_html == ('<h2 id="learning">Learning<a class="headerlink" href="#learning" '
                              'title="Link to this section">¶</a></h2>\n<p>Text.</p>')
    assert page.toc == tuple({"level": 2, "id": anchor, "name": name, "children": []} for anchor, name in [
        ("learning", "Learning"), ("briefings-that-draw-on-this-review", "Briefings that draw on this review"),
        ("related-reviews", "Related reviews"), ("support", "Where to get support")])  # the page's own sections too
    assert page.before.startswith("<h1>Child A: learning about information sharing</h1>")
    assert '<h2 id="related-reviews">' in page.after
    assert page.meta == {"description": "Agencies held pieces of the picture but did not share them.",
                         "kind": "review", "hide": ["navigation"]}


def test_every_id_around_a_body_is_one_a_body_may_not_use(project: Project) -> None:
    """The ids of the page around a body (our templates, our theme partials, Material's own) are
    reserved, so no body can be a second element with one of them (htmlcheck.PAGE_IDS)."""
    project.review()
    project.review("kingsford-2026-child-b")  # alike, and not cited: the briefing's "more reviews" section
    project.briefing()
    pages = render_pages(model_of(project))
    around = {uri: pages[uri].before + pages[uri].after for uri in ("reviews/kingsford-2026-child-a.md",
              "briefings/information-sharing-briefing.md", "themes/information-sharing.md")}
    theme = Path(htmlcheck.__file__).parent / "theme", Path(material.__file__).parent / "templates", Path("overrides")
    around.update({str(f): f.read_text() for folder in theme for f in folder.rglob("*.html")})
    ids = {(where, found) for where, html in around.items() for found in re.findall(r'\sid="([^"{]+)"', html)}
    assert ids and [(where, found) for where, found in sorted(ids) if not htmlcheck.is_reserved_id(found)] == []


def test_search_documents_cap_the_words_indexed(project: Project) -> None:
    body = "## Findings\n\n" + " ".join(f"word{i}" for i in range(1000)) + "\n\nLAST-PARAGRAPH\n"
    project.review(body=body)
    model = model_of(project)
    capped = search_documents(model, words=600)["reviews/kingsford-2026-child-a/index.html"]
    assert "word598" in capped and "word599" not in capped and "LAST-PARAGRAPH" not in capped
    assert "LAST-PARAGRAPH" in search_documents(model, words=0)["reviews/kingsford-2026-child-a/index.html"]


def test_briefing_publisher_on_page_in_lists_and_feed(project: Project) -> None:
    from generator.feeds import render_feeds

    project.review()
    project.briefing(publisher='"Kingsford Safeguarding Children Partnership"')
    model = model_of(project)
    pages = render_pages(model)
    page = pages["briefings/information-sharing-briefing.md"]
    assert "<dt>Publisher</dt><dd>Kingsford Safeguarding Children Partnership</dd>" in page.before
    assert "Kingsford Safeguarding Children Partnership · 7-minute briefing" in pages["briefings/index.md"].before
    feed = render_feeds(model, "Test")["feeds/briefings.xml"]
    assert "<author>\n      <name>Kingsford Safeguarding Children Partnership</name>" in feed
    from generator.feeds import render_data

    data = json.loads(render_data(model, "https://example.org")["data/reviews.json"])
    briefing = model.briefings[0]
    assert data["briefings"] == [{
        "id": "information-sharing-briefing", "title": briefing.title,
        "publisher": "Kingsford Safeguarding Children Partnership", "format": briefing.format,
        "duration_minutes": briefing.duration_minutes, "published": briefing.published.isoformat(),
        "themes": list(briefing.themes), "reviews": ["kingsford-2026-child-a"], "summary": briefing.summary,
        "url": "https://example.org/briefings/information-sharing-briefing/"}]


def test_open_data_is_exact_in_json_and_inert_in_a_spreadsheet(project: Project) -> None:
    import csv
    import io
    import json

    from generator.feeds import render_data

    project.review(title='"=HYPERLINK(\\"https://evil.example\\",\\"Click\\")"', partnership='"@SUM(A1:A9)"',
                   summary='"-2+3 <script>x</script>"', reviewers='["+A. Reviewer"]')
    data = render_data(model_of(project))
    record = json.loads(data["data/reviews.json"])["reviews"][0]
    assert record["title"] == '=HYPERLINK("https://evil.example","Click")' and record["partnership"] == "@SUM(A1:A9)"
    row = next(csv.DictReader(io.StringIO(data["data/reviews.csv"])))
    assert row["title"] == "'" + record["title"] and row["partnership"] == "'@SUM(A1:A9)"
    assert row["summary"] == "'-2+3 <script>x</script>" and row["reviewers"] == "'+A. Reviewer"
    assert row["id"] == "kingsford-2026-child-a" and row["published"] == "2026-03-05"  # ordinary cells unchanged


def test_search_documents_carry_the_words_people_search_with(project: Project) -> None:
    project.write("content/themes/child-criminal-exploitation.md", '---\ntitle: "Child criminal exploitation"\n'
                  'group: topic\nsummary: "Children exploited by gangs."\nsynonyms: ["county lines", "cuckooing"]\n---\n')
    project.review(themes="[child-criminal-exploitation]", body="## Learning\n\nA non-accidental\ninjury was missed.\n")
    project.review("national-2026-review", type="national", partnership=None, regions=None, harm=None)
    documents = search_documents(model_of(project))
    local = documents["reviews/kingsford-2026-child-a/index.html"]
    keywords = local.split("Also found by: ", 1)[1].split(".</p>", 1)[0].split("; ")
    assert keywords == ["Local review", "London", "Kingsford Safeguarding Children Partnership", "Non-fatal neglect",
                        "local child safeguarding practice review", "child safeguarding practice review",
                        "non-accidental injury"]
    assert '<p data-pagefind-weight="2">Child criminal exploitation; county lines; cuckooing.</p>' in local
    weights = {short: int(weight) for weight, short in re.findall(r'<p data-pagefind-weight="(\d+)">([A-Z]+)</p>', local)}
    assert weights == {"CCE": 2, "CSPR": 1, "LCSPR": 1, "NAI": 1}
    assert local.index("Also found by:") < local.index("cuckooing.</p>") < local.index(">NAI</p>")
    national = documents["reviews/national-2026-review/index.html"]
    assert 'data-pagefind-filter="region" data-pagefind-ignore>England-wide</span>' in national
    assert 'Also found by: National review; England-wide.</p>\n<p data-pagefind-weight="2">Sharing information' in national
    theme = documents["themes/child-criminal-exploitation/index.html"]
    assert 'data-pagefind-filter="type" data-pagefind-ignore>Theme</span>' in theme
    assert "<h1>Child criminal exploitation</h1>" in theme and "county lines" in theme


def test_the_search_vocabulary_knows_every_word_of_what_search_finds_most_used_first(project: Project) -> None:
    from generator.pages import search_vocabulary
    from generator.searchdocs import searchable

    project.review(body="## Learning\n\nThe chronology was never shared. Chronology, CHRONOLOGY.\n")
    project.review("leeds-2026-child-b", body="## Learning\n\nA chronology and a genogram.\n")
    project.review("retired-2020-child-r", published="2020-01-10", retire_on="2021-06-01",
                   body="## Learning\n\nRETIREDWORDONLY.\n")
    project.briefing(body="## Learning\n\nSupervision matters.\n", publisher='"Leeds Safeguarding Partnership"')
    model = model_of(project)
    words = json.loads(search_vocabulary(model))["words"]
    # body words of live reviews and briefings count, once per item; a retired review's do not
    assert {"chronology", "genogram", "supervision", "leeds"} <= set(words)
    assert "retiredwordonly" not in words
    assert words.index("chronology") < words.index("genogram")  # two items use it, one uses "genogram"
    assert {"nai", "london", "neglect"} <= set(words)  # abbreviations, regions and themes' names besides
    items, used = searchable(model)
    assert search_vocabulary(model, used) == search_vocabulary(model)  # counted once, or again: the same list
    pages = {address: (name, kind) for name, address, _, kind in json.loads(search_vocabulary(model))["themes"]}
    assert pages["themes/neglect/"] == ("Neglect", "theme")  # what the zero-results help offers, by name
    assert pages["regions/west-midlands/"] == ("West Midlands", "region")  # no review of its own: a page all the same
    assert pages["harm/physical-abuse/"] == ("Non-fatal physical abuse", "harm category")


def test_search_documents_escape_front_matter_text(project: Project) -> None:
    project.review(title='"Child <img src=x onerror=alert(1)>"', summary='"<script>alert(2)</script>"',
                   partnership='"<svg onload=alert(3)>"')  # the partnership is in the keywords line
    document = search_documents(model_of(project))["reviews/kingsford-2026-child-a/index.html"]
    assert "<img" not in document and "<script>" not in document and "<svg" not in document
    assert "&lt;svg onload=alert(3)&gt;" in document.split("Also found by: ", 1)[1]
    assert "<h1>Child &lt;img src=x onerror=alert(1)&gt;</h1>" in document


@pytest.mark.parametrize("number, noun, plural, words", [
    (1, "review", "", "1 review"), (2, "review", "", "2 reviews"), (0, "briefing", "", "0 briefings"),
    (1, "harm category", "harm categories", "1 harm category"),
    (20, "harm category", "harm categories", "20 harm categories")])
def test_counts_say_what_they_count_in_the_right_number(number, noun, plural, words) -> None:
    from generator.pages import counted

    assert counted(number, noun, plural) == words


@pytest.mark.parametrize("taxonomy, reviews, briefings, words", [
    ("themes", 0, 1, "1 briefing"), ("themes", 3, 1, "3 reviews and 1 briefing"), ("themes", 1, 0, "1 review"),
    ("themes", 0, 0, "no reviews yet"), ("regions", 1, 0, "1 local review"), ("regions", 0, 0, "no local reviews yet"),
    ("harm", 2, 0, "2 reviews")])
def test_an_index_never_shows_a_bare_zero_beside_a_term_with_items(taxonomy, reviews, briefings, words) -> None:
    from generator.pages import term_count

    assert term_count(taxonomy, reviews, briefings) == words


def test_an_older_review_known_by_year_and_without_harm_is_published_as_such(project: Project) -> None:
    from generator.feeds import render_data

    project.review("scr-2016-child-s", published="2016", harm=None, title='"Serious Case Review: Child S"')
    model = model_of(project)
    page = render_pages(model)["reviews/scr-2016-child-s.md"].before
    assert '<dt>Published</dt><dd><a href="../../years/2016/">2016</a></dd>' in page
    assert "<dt>Available</dt><dd>Still available (it had to stay published until 31 December 2017)</dd>" in page
    assert "<dt>Harm</dt>" not in page
    record = [r for r in json.loads(render_data(model)["data/reviews.json"])["reviews"] if r["id"] == "scr-2016-child-s"]
    assert record[0]["published"] == "2016" and record[0]["harm"] == []


def test_browse_codes_are_distinct_single_characters_that_need_no_escaping() -> None:
    codes = [browse_code(n) for n in range(2000)]  # far more values than any vocabulary holds
    assert len(set(codes)) == len(codes) and all(len(code) == 1 for code in codes)
    assert not set("".join(codes)) & set("\"'&<> \t\n`\\")
    assert codes[:3] == ["0", "1", "2"] and all(ord(code) < 0xD800 for code in codes)  # no surrogates



def test_a_briefing_names_only_the_reviews_the_site_shows_under_their_current_ids(project: Project) -> None:
    from generator.feeds import render_data

    project.review("kingsford-2026-child-a", aliases="[old-child-a]")
    project.review("kingsford-2027-child-d", published="2027-01-01", title='"Child D: SECRET-EMBARGO"')
    project.review("kingsford-2026-child-f", withdrawn_on="2026-05-01", withdrawn_reason='"Court order"')
    project.briefing(reviews="[old-child-a, kingsford-2027-child-d, kingsford-2026-child-f, kingsford-2026-child-a]")
    model = model_of(project)
    data = json.loads(render_data(model)["data/reviews.json"])
    assert data["briefings"][0]["reviews"] == ["kingsford-2026-child-a"]  # once, by its id; never embargoed or withdrawn
    page = render_pages(model)["briefings/information-sharing-briefing.md"]
    assert "child-d" not in page.html + page.before + page.after and "child-f" not in page.after


def test_two_pages_at_one_path_stop_the_build(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validate refuses what would make one (an id 'index'); should anything slip past, the later
    page must not silently replace a list page."""
    project.review()
    model = model_of(project)
    plan = pages._page_plan
    monkeypatch.setattr(pages, "_page_plan", lambda *args: chain(plan(*args), [("reviews/index.md", "page.html",
                                                                                  "Impostor", {}, None)]))
    with pytest.raises(pages.PageClash, match=r"two pages would be written to reviews/index.md \('Reviews' and "
                                               r"'Impostor'\)"):
        pages.render_pages(model)


def test_browse_lists_reviews_and_briefings_together_newest_first(project: Project) -> None:
    project.review("old-review", published="2019-05-01")
    project.review("new-review", published="2026-02-01")
    project.briefing("middle-briefing", published="2023-03-01")
    html = render_pages(model_of(project))["browse.md"].before
    order = [html.index(f"/{name}/") for name in ("new-review", "middle-briefing", "old-review")]
    assert order == sorted(order)


def test_lists_put_live_reviews_before_retired_catalogue_records(project: Project) -> None:
    project.review("older-live", published="2024-06-01", type="national", partnership=None, regions="[]")
    project.review("newer-retired", published="2025-01-01", retire_on="2026-01-01")
    model = model_of(project)
    assert [item.id for item in model.listings.values()] == ["older-live", "newer-retired"]
    html = render_pages(model)["themes/neglect.md"].before
    assert html.index("/older-live/") < html.index("/newer-retired/")
