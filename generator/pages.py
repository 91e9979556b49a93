"""Every generated page, rendered from Jinja2 templates; no MkDocs here.

A `GeneratedPage` is the only Markdown MkDocs must convert (a review's or briefing's own body)
plus ready HTML before and after it: panels and lists are written as HTML once, never re-parsed
by Markdown, which keeps a build of thousands of pages close to a plain MkDocs build.
`redirects(model)` gives the HTML of every alias URL. Links inside generated HTML are relative
(each page knows its depth), so the site works from any folder or host.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from collections.abc import Mapping
from typing import Any, Iterable, Iterator, Sequence

import jinja2
from markupsafe import Markup

from . import kit, searchterms, vocab
from .bodies import published_markdown, render
from .feeds import briefings_by_publisher, briefings_by_theme, followed_feeds
from .ledger import LIVE, RETIRED
from .searchdocs import ENGLAND_WIDE, TYPE_LABELS, SearchItem, display_day, search_items, searchable
from .sitemodel import SiteModel, term_label

HOME_LATEST = 10
BROWSE_PAGE = 50  # items /browse/ lays out at once with JavaScript (at 5,000 reviews, all of them took a phone 2 s)
BODY_MARK = "<!--sg:body-->"
SEARCH_WORDS = 0  # every word: the index is fetched in chunks, so full text costs a phone little
SEARCH_FILTERS = ("theme", "region", "harm", "type", "year")  # Pagefind filter names, in display order


@dataclass(frozen=True)
class GeneratedPage:
    """One page, as ready HTML: MkDocs converts no Markdown of ours, it only lays the page out."""

    title: str
    body_html: str = ""  # the item's own body, converted and sanitised by bodies.render
    before: str = ""  # HTML before the body (the title, panels)
    after: str = ""  # HTML after it (lists, related reviews)
    meta: dict = field(default_factory=dict)  # page.meta: description, kind
    toc: tuple = ()  # the page's sections and the body's headings, in order, for the table of contents

    @property
    def html(self) -> str:
        return self.before + self.body_html + self.after
FILTERS = (("themes", "Theme"), ("regions", "Region"), ("harm", "Harm"), ("type", "Type"), ("year", "Year"))


def counted(number: int, noun: str, plural: str = "") -> str:
    """'1 review', '2 reviews', '3 harm categories': a count that says what it counts."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def term_count(taxonomy: str, reviews: int, briefings: int = 0) -> str:
    """What an index lists beside a term: its reviews and briefings in words, never a bare '0'
    beside a term that has items. A region counts its local reviews (national ones apply in all)."""
    noun = "local review" if taxonomy == "regions" else "review"
    parts = [counted(reviews, noun)] if reviews else []
    parts += [counted(briefings, "briefing")] if briefings else []
    return " and ".join(parts) or f"no {noun}s yet"


HOME_COUNTS = {"themes": ("theme", ""), "regions": ("region", ""), "harm": ("harm category", "harm categories"),
               "years": ("year", ""), "partnerships": ("partnership", "")}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("generator", "templates"), autoescape=True,
                             trim_blocks=False, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["md_heading"] = md_heading
    env.filters["counted"] = counted
    env.filters["age"] = lambda band: vocab.CHILD_AGES.get(band, band)
    env.globals.update(types=vocab.REVIEW_TYPES, formats=vocab.BRIEFING_FORMATS, day=display_day)
    return env


def md_heading(text: str) -> str:
    """Text safe inside a Markdown heading: characters Markdown would read as markup escaped."""
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def base_for(src_uri: str) -> str:
    """The relative path from a page's URL back to the site root (use_directory_urls)."""
    if src_uri == "index.md":
        return ""
    depth = src_uri.count("/") + (0 if src_uri.endswith("/index.md") else 1)
    return "../" * depth


def _render(template: str, src_uri: str, model: SiteModel, **context: Any) -> str:
    label = lambda taxonomy, term: term_label(model, taxonomy, term)  # noqa: E731
    return environment().get_template(template).render(base=base_for(src_uri), label=label, today=model.today,
                                                       **context)


def _page(html: str, title: str, markdown: str = "", **meta: Any) -> GeneratedPage:
    before, _, after = html.partition(BODY_MARK)
    body = render(markdown) if markdown.strip() else None
    toc = (*_headings(before), *(body.toc if body else ()), *_headings(after))
    return GeneratedPage(title, body.html if body else "", before, after, meta, toc)


_HEADING = re.compile(r'<h([23]) id="([^"<>]+)">([^<]*)<a class="headerlink"')  # the `heading` macro's, escaped


def _headings(html: str) -> list[dict]:
    """The table of contents entries of the page's own sections (the `heading` macro writes them),
    so a page's contents list every section, not only those of the body's Markdown."""
    return [{"level": int(level), "id": anchor, "name": name, "children": []}
            for level, anchor, name in _HEADING.findall(html)]


def render_pages(model: SiteModel, site_name: str = "Safeguarding learning repository",
                 site_url: str = "", merged_bundles: Sequence[str] = (),
                 preview: dict[str, str] | None = None) -> "SitePages":
    """Every generated page by its source path, e.g. `reviews/<id>.md`, each drawn when first
    asked for (SitePages). `merged_bundles`: the web index's further parts (webindex.py), which
    the search page merges with the first. `preview` (only `serve` passes it): review id -> a
    notice shown at the top of its page, for the reviews a build would not publish yet
    (preview_notices); their pages are added."""
    planned: dict[str, tuple] = {}
    for src_uri, template, title, meta, draw in _preview_pages(model, preview, site_url) if preview else ():
        planned[src_uri] = (template, title, {"hide": ["navigation"], **meta}, draw)
    previewed = set(planned)  # a preview page stands in for the page a build would make at its path
    for src_uri, template, title, meta, draw in _page_plan(model, site_name, site_url, merged_bundles):
        if src_uri in planned and src_uri not in previewed:
            raise PageClash(f"two pages would be written to {src_uri} ({planned[src_uri][1]!r} and {title!r}); "
                            "validate should have refused the content that makes the second: please report it")
        # the short nav lives in the tabs, so no page has an empty sidebar
        planned.setdefault(src_uri, (template, title, {"hide": ["navigation"], **meta}, draw))
    return SitePages(model, planned)


class PageClash(Exception):
    """Two pages planned at one path: one would silently replace the other (a list page, say)."""


class SitePages(Mapping):
    """Source path -> GeneratedPage. A page's title and metadata are known at once (`heading`);
    its HTML is drawn from its template on first use and kept. A build uses every page; the
    preview draws only the pages someone opens, which keeps a change to one file quick."""

    def __init__(self, model: SiteModel, planned: dict[str, tuple]):
        self._model, self._planned, self._drawn = model, planned, {}

    def heading(self, src_uri: str) -> tuple[str, dict]:
        """(title, meta) of a page, without drawing it."""
        _, title, meta, _ = self._planned[src_uri]
        return title, dict(meta)

    def __getitem__(self, src_uri: str) -> GeneratedPage:
        page = self._drawn.get(src_uri)
        if page is None:
            template, title, meta, draw = self._planned[src_uri]
            markdown, context = draw()
            page = self._drawn[src_uri] = _page(_render(template, src_uri, self._model, **context), title,
                                                markdown, **meta)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._planned)

    def __len__(self) -> int:
        return len(self._planned)


def _ready(markdown: str = "", **context: Any):
    """A page's drawing, for pages whose Markdown and context cost nothing to make."""
    return lambda: (markdown, context)


def _page_plan(model: SiteModel, site_name: str, site_url: str, merged_bundles: Sequence[str]) -> Iterator[tuple]:
    """(src_uri, template, title, meta, draw) for every page: `draw()` gives the page's Markdown
    and template context, made only when the page is drawn."""
    yield from _review_pages(model, site_url)
    yield from _briefing_pages(model, site_url)
    yield from _taxonomy_pages(model)
    live = model.live
    numbers = {taxonomy: len(model.groups[taxonomy]) for taxonomy in model.groups}
    numbers.update(themes=len(model.corpus.themes), regions=len(vocab.REGIONS), harm=len(vocab.HARM))
    counts = {taxonomy: counted(numbers[taxonomy], *HOME_COUNTS[taxonomy]) for taxonomy in HOME_COUNTS}
    home = dict(description=HOME_DESCRIPTION, kind="home", hide=["navigation", "toc"])
    yield "index.md", "home.html.j2", site_name, home, _ready(
        live=live, briefings=model.briefings, counts=counts, latest=live[:HOME_LATEST],
        latest_briefings=model.briefings[:5])
    years = sorted(((year, len(items)) for year, items in model.groups["years"].items()), reverse=True)
    retired = sum(item.status == RETIRED for item in model.listings.values())
    yield "reviews/index.md", "reviews_index.html.j2", "Reviews", dict(kind="index"), _ready(
        live=live, retired=retired, years=years, latest=live[:20])
    yield "briefings/index.md", "briefings_index.html.j2", "Briefings", dict(kind="index"), _ready(
        briefings=model.briefings)
    yield "browse.md", "browse.html.j2", "Browse reviews and briefings", dict(
        kind="browse", hide=["navigation", "toc"]), lambda: ("", dict(
            **_browse(model), page_size=BROWSE_PAGE))
    yield "insights.md", "insights.html.j2", "Insights", dict(
        description="The reviews here by year, theme, harm category and region, and how long they took.",
        kind="insights", hide=["navigation", "toc"]), lambda: ("", _insights(model))
    yield "follow.md", "follow.html.j2", "Follow new learning", dict(
        description="Feeds that tell you when a review or briefing is published, by theme, region and partnership.",
        kind="follow", hide=["navigation", "toc"]), lambda: ("", dict(
            feeds=followed_feeds(model), sections=FOLLOW_SECTIONS))
    yield "pack.md", "pack.html.j2", "Session pack", dict(
        description="Briefings and reviews gathered for a training session, printed as one handout.",
        kind="pack", hide=["navigation", "toc"]), lambda: ("", dict(
            briefing_ids=[i for b in model.briefings for i in (b.id, *b.aliases)], site_name=site_name))
    yield "search.md", "search.html.j2", "Search", dict(kind="search", hide=["navigation", "toc"]), _ready(
        filters=SEARCH_FILTERS, everywhere=[TYPE_LABELS["national"], TYPE_LABELS["briefing"]],
        filter_ids=_search_filter_ids(model), abbreviations=_search_abbreviations(),
        merged_bundles=merged_bundles)


def _search_abbreviations() -> dict[str, str]:
    """Abbreviation -> its first long form, for the search page: a query that is one of them also
    asks for its long form, so 'DA' ranks domestic abuse first, not 'daily' (Pagefind matches
    the start of words, and two letters start many)."""
    return {short: forms[0] for short, forms in searchterms.abbreviations().items()}


def _search_filter_ids(model: SiteModel) -> dict[str, dict[str, str]]:
    """Filter name -> id -> the label the web index files it under: an address written with ids, as
    /browse/ and the command line take them (`?region=london`), filters the same as one with labels."""
    return {"theme": {t.id: t.title for t in model.corpus.themes.values()}, "region": dict(vocab.REGIONS),
            "harm": {h: names[0] for h, names in vocab.HARM.items()}, "type": dict(TYPE_LABELS)}


FOLLOW_SECTIONS = (
    ("all", "Everything", "Every review, or every briefing, as it is published."),
    ("themes", "By theme", "The reviews and briefings on one theme."),
    ("regions", "By region",
     "A region's local reviews, and the national reviews and briefings that apply in every region."),
    ("partnerships", "By partnership", "The reviews a safeguarding partnership published, and its briefings."),
)
HOME_DESCRIPTION = "Published child safeguarding practice reviews in England, and the learning from them."


def _insights(model: SiteModel) -> dict:
    from .insights import insights  # here, not at the top: insights counts with `counted`, from this module

    return insights(model, base_for("insights.md"))


def _review_pages(model: SiteModel, site_url: str) -> Iterator[tuple]:
    for item in model.listings.values():
        src_uri = f"reviews/{item.id}.md"
        if item.status == LIVE:
            yield _review_page(model, item, site_url)
        else:
            yield src_uri, "catalogue.html.j2", item.title, dict(kind="retired"), _ready(item=item)
    for review_id in model.withdrawn:
        yield f"reviews/{review_id}.md", "withdrawn.html.j2", "Review withdrawn", dict(kind="withdrawn"), _ready()


def preview_notices(model: SiteModel, unsynced: Iterable[str]) -> dict[str, str]:
    """What the preview says on a review's page when a build would not publish it as it is:
    embargoed (a future `published`), or not yet recorded in the ledger."""
    notices = {review_id: (f"Preview only. Embargoed until {display_day(item.published.first_day)}: "
                           "not on the public site until then.") for review_id, item in model.embargoed.items()
               if item.record is None or item.record.withdrawn_on is None}  # withdrawn too: never to be shown
    for review_id in unsynced:
        unrecorded = ("This review is not yet in retention.lock: run `python -m generator ledger sync` and "
                      "commit retention.lock to publish it")
        notices[review_id] = (notices[review_id] + " " + unrecorded + " on that day." if review_id in notices
                              else "Preview only. " + unrecorded + ".")
    return notices


def _preview_pages(model: SiteModel, notices: dict[str, str], site_url: str) -> Iterator[tuple]:
    """Review pages with their preview notice: a live one's page gains it; an embargoed one, which
    a build leaves out, gets its page as it will look on its day."""
    for review_id, notice in notices.items():
        item = model.listings.get(review_id) or model.embargoed.get(review_id)
        if item is not None and item.status == LIVE and item.record is not None:
            yield _review_page(model, item, site_url, notice)


def _review_page(model: SiteModel, item, site_url: str, notice: str = "") -> tuple:
    """A live review's page (with a preview notice only in `serve`)."""
    review = item.record

    def draw() -> tuple[str, dict]:
        markdown = published_markdown("reviews", review.body)
        permalink = permanent_address(site_url, item.url)
        entry = dict(id=item.id, kind="review", title=item.title, type=vocab.REVIEW_TYPES[review.type],
                     publisher=kit.review_publisher(review.type, review.partnership),
                     published=review.published.display(),
                     minutes=kit.reading_minutes(len(review.summary.split()) + len(review.body.split())),
                     summary=review.summary, key_points=[], questions=[], address=permalink,
                     report=review.report_url or "")
        briefings = model.cited_by.get(item.id, [])
        related = [model.listings[i] for i in model.related.get(item.id, []) if i in model.listings]
        return markdown, dict(
            r=review, item=item, briefings=briefings, notice=notice, permalink=permalink,
            # an embargoed review (previewed only) may be the first of its year or partnership: no page yet
            year_page=item.year in model.groups["years"],
            partnership_page=item.partnership_slug in model.groups["partnerships"],
            kit=_kit(entry, review.published.year, site_url), related=related,
            addresses=_printed(site_url, related, briefings))

    return f"reviews/{item.id}.md", "review.html.j2", item.title, dict(description=review.summary, kind="review"), draw


def _kit(entry: dict, year: int, site_url: str) -> dict:
    """What a page's session kit needs: its pack entry, citation, address and QR code (only when
    the address is a full one: a QR code of a bare path would lead nowhere)."""
    address = entry["address"]
    return dict(entry=entry, permalink=address, citation=kit.citation(entry["publisher"], entry["title"], year),
                qr=Markup(kit.qr_svg(address)) if site_url else "")


def permanent_address(site_url: str, path: str) -> str:
    """A page's full address to cite or print (a bare path when no site URL is configured)."""
    return f"{site_url.rstrip('/')}/{path}" if site_url else f"/{path}"


def _paths(reviews, briefings) -> list[str]:
    """The pages of these review listings and briefings, relative to the site root."""
    return [item.url for item in reviews] + [f"briefings/{b.id}/" for b in briefings]


def _printed(site_url: str, reviews: list, briefings: list = ()) -> dict[str, str]:
    """{page: permanent address} of the reviews and briefings a page lists, by page (a review and
    a briefing may share an id): printed under each item, so a list on paper still says where to
    find it (on screen each is a link)."""
    return {path: permanent_address(site_url, path) for path in _paths(reviews, briefings)}


def printed_addresses(model: SiteModel, site_url: str) -> list[str]:
    """The permanent address of every page that prints its QR code: live reviews and briefings."""
    return [permanent_address(site_url, path) for path in _paths(model.live, model.briefings)]


def _briefing_pages(model: SiteModel, site_url: str) -> Iterator[tuple]:
    for briefing in model.briefings:
        yield f"briefings/{briefing.id}.md", "briefing.html.j2", briefing.title, \
            dict(description=briefing.summary, kind="briefing"), \
            lambda briefing=briefing: _briefing(model, briefing, site_url)


def _briefing(model: SiteModel, briefing, site_url: str) -> tuple[str, dict]:
    """A briefing page's Markdown and context: the reviews it draws on (with their addresses, for
    print) and its session kit, whose key points and questions come from its published HTML."""
    cited = model.reviews_cited(briefing)
    markdown = published_markdown("briefings", briefing.body)
    body_html = render(markdown).html if markdown.strip() else ""
    points, questions = kit.key_points_and_questions(body_html)
    permalink = permanent_address(site_url, f"briefings/{briefing.id}/")
    entry = dict(id=briefing.id, kind="briefing", title=briefing.title, type=vocab.BRIEFING_FORMATS[briefing.format],
                 publisher=briefing.publisher, published=display_day(briefing.published),
                 minutes=briefing.duration_minutes or kit.reading_minutes(kit.words_in(body_html)),
                 summary=briefing.summary, key_points=points, questions=questions, address=permalink)
    similar = [model.listings[i] for i in model.uncited.get(briefing.id, [])]
    return markdown, dict(
        b=briefing, reviews=cited, permalink=permalink, kit=_kit(entry, briefing.published.year, site_url),
        addresses=_printed(site_url, [*cited, *similar]), similar=similar)


def search_facets(item: SearchItem) -> dict:
    """Pagefind filters and metadata of a search item (the filter names the search page offers).

    National reviews and briefings apply in every region: they carry every region, so a region
    filter keeps them (the page's "include national reviews and briefings" box takes them out),
    and England-wide, so that filter finds them alone. The summary is metadata too: shown in place
    of an excerpt that would only quote the "Also found by" line."""
    everywhere = item.kind == "briefing" or item.type == "national"
    regions = [ENGLAND_WIDE, *vocab.REGIONS.values()] if everywhere else list(item.region_labels)
    filters = {"type": [item.type_label], "year": [item.year] if item.year else [],
               "theme": list(item.theme_labels) if item.kind != "theme" else [],
               "region": regions, "harm": list(item.harm_labels)}
    meta = {"published": item.published, "kind": item.type_label, "summary": item.summary}
    return {"filters": {k: v for k, v in filters.items() if v}, "meta": {k: v for k, v in meta.items() if v}}


def search_documents(model: SiteModel, words: int = SEARCH_WORDS,
                     items: list[SearchItem] | None = None) -> dict[str, str]:
    """`{reviews/<id>/index.html: HTML}`: small documents that Pagefind indexes in place of the
    built pages (same URLs), so indexing can run while MkDocs is still rendering.

    Each holds the title, the summary, the body (its first `words` words; 0, the default: all of
    it) and the words the item is found by besides its own (searchdocs: region, partnership,
    themes' synonyms, abbreviations in both forms), for every live review, briefing and theme
    (`items`: the model's search items, when already made)."""
    template = environment().get_template("search_document.html.j2")
    return {f"{item.url}index.html": template.render(
        title=item.title, summary=item.summary, paragraphs=_capped(list(item.paragraphs), words),
        **_found_by_lines(item), **search_facets(item)) for item in (search_items(model) if items is None else items)}


def _found_by_lines(item: SearchItem) -> dict:
    """What closes a search document, after "Also found by:" (which the search page never quotes
    in an excerpt): the item's other words at half weight; its themes' names at full weight; and
    each abbreviation it uses weighted by how often (up to 10), since a review that says
    "non-accidental injury" twenty times is more about NAI than one that says it once."""
    shorts = {short for short, _ in item.abbreviations}
    names = {name.lower() for name in item.theme_words}
    others = [word for word in item.keywords if word not in shorts and word.lower() not in names]
    return dict(keywords=others, theme_words=item.theme_words,
                abbreviations=[(short, min(10, times)) for short, times in item.abbreviations])


VOCABULARY_WORDS = 20000  # most frequent first; a phone fetches the list only when a search finds nothing


def search_vocabulary(model: SiteModel, used: Counter | None = None) -> str:
    """`search/vocabulary.json` for the search page's zero-results help: every word of what search
    finds (titles, summaries, full text, theme names and synonyms), with the abbreviations,
    partnerships and regions, most used first, for did-you-mean; and each theme's, region's and harm
    category's name, address, other names and kind (to offer the pages whose names come close: a
    region with no local review of its own still has a page of the national reviews and briefings).
    `used`: how many items use each word, as searchdocs.searchable counted it while making the
    search documents (else counted here)."""
    counts = Counter(used if used is not None else searchable(model)[1])
    texts = [*searchterms.abbreviations(), *(f for forms in searchterms.abbreviations().values() for f in forms)]
    texts += [*model.partnership_names.values(), *vocab.REGIONS.values(), *(b.publisher or "" for b in model.briefings)]
    counts.update(word for text in texts for word in set(searchterms.normalise(text).split())
                  if len(word) > 2 and word.isalpha())
    words = [word for word, _ in sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:VOCABULARY_WORDS]]
    pages = [[t.title, f"themes/{t.id}/", list(t.synonyms), "theme"] for t in model.corpus.themes.values()]
    pages += [[name, f"regions/{region}/", [], "region"] for region, name in vocab.REGIONS.items()]
    pages += [[vocab.harm_label(harm), f"harm/{harm}/", [], "harm category"] for harm in vocab.HARM]
    return json.dumps({"words": words, "themes": pages}, ensure_ascii=False, separators=(",", ":"))


def _capped(paragraphs: list[str], words: int) -> list[str]:
    if words <= 0:
        return paragraphs
    kept, count = [], 0
    for paragraph in paragraphs:
        split = paragraph.split()
        kept.append(" ".join(split[: words - count]))
        count += len(split)
        if count >= words:
            break
    return kept


FEEDS_OF = {"themes": "feeds/themes/{}.xml", "partnerships": "feeds/partnerships/{}.xml"}
FOLLOW_WORDS = {"themes": "Follow this theme", "partnerships": "Follow this partnership"}


def _taxonomy_pages(model: SiteModel) -> Iterator[tuple]:
    all_terms = {"themes": list(model.corpus.themes), "regions": list(vocab.REGIONS), "harm": list(vocab.HARM),
                 "years": sorted(model.groups["years"], reverse=True),
                 "partnerships": sorted(model.groups["partnerships"], key=model.partnership_names.get)}
    briefings_of = {"themes": briefings_by_theme(model), "partnerships": briefings_by_publisher(model)}
    national = [item for item in model.listings.values() if item.type == "national"]
    for taxonomy, terms in all_terms.items():
        for term in terms:
            theme = model.corpus.themes.get(term) if taxonomy == "themes" else None
            title = model.term_label(taxonomy, term)
            if taxonomy == "regions":
                yield f"regions/{term}.md", "region.html.j2", title, dict(
                    description=f"Reviews and briefings that apply in {title}.", kind="term"), _ready(
                    title=title, items=model.groups["regions"].get(term, []), national=national,
                    briefings=model.briefings, feed=f"feeds/regions/{term}.xml")
                continue
            description = theme.summary if theme else f"Reviews filed under {title}."
            yield f"{taxonomy}/{term}.md", "term.html.j2", title, dict(description=description, kind="term"), \
                _ready(published_markdown("themes", theme.body) if theme else "",
                       title=title, items=model.groups[taxonomy].get(term, []), summary=theme.summary if theme else "",
                       intro=bool(theme and theme.body.strip()), briefings=briefings_of.get(taxonomy, {}).get(term, []),
                       feed=FEEDS_OF.get(taxonomy, "").format(term), follow=FOLLOW_WORDS.get(taxonomy, ""))
        context = _index_context(model, taxonomy, terms)
        yield f"{taxonomy}/index.md", "taxonomy.html.j2", context["title"], \
            dict(description=context["description"], kind="index"), _ready(**context)


_INDEX_TITLES = {"themes": ("Themes", "Reviews and briefings by theme: the Panel's six key practice themes and topics."),
                 "regions": ("Regions", "Reviews by English region. National reviews are England-wide."),
                 "harm": ("Harm", "Reviews by the kind of harm (the Panel's Annual Report 2020, Tables 2 and 3)."),
                 "years": ("Years", "Reviews by year of publication."),
                 "partnerships": ("Partnerships", "Local reviews by the safeguarding partnership that published them.")}


def _index_context(model: SiteModel, taxonomy: str, terms: list[str]) -> dict:
    briefings = Counter(theme for briefing in model.briefings for theme in briefing.themes) \
        if taxonomy == "themes" else Counter()
    counted = [(term, term_count(taxonomy, len(model.groups[taxonomy].get(term, [])), briefings[term]))
               for term in terms]
    if taxonomy == "themes":
        sections = [(vocab.THEME_GROUPS[g] + "s", [(t, c) for t, c in counted if model.corpus.themes[t].group == g])
                    for g in vocab.THEME_GROUPS]
    elif taxonomy == "harm":
        sections = [(title, [(t, c) for t, c in counted if vocab.harm_group(t) == group])
                    for group, title in vocab.HARM_GROUPS.items()]
    else:
        sections = [("", counted)]
    title, description = _INDEX_TITLES[taxonomy]
    return dict(title=title, description=description, sections=sections, taxonomy=taxonomy)


BROWSE_CODES = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%()*+,-./:;=?@[]^_{|}~"


def browse_code(number: int) -> str:
    """The `number`th one-character code: plain ASCII first, then letters from U+0100 on (never a
    quote, ampersand, angle bracket or space, so a code needs no escaping in an attribute)."""
    return BROWSE_CODES[number] if number < len(BROWSE_CODES) else chr(0x100 + number - len(BROWSE_CODES))


def _browse(model: SiteModel) -> dict[str, Any]:
    """The browse page's filters and items. Every filter value has a one-character code and each item
    lists its codes in one attribute (`data-f`): the names of its themes, regions and harm took a
    quarter of the page's compressed size at 5,000 reviews, and that size is what a phone waits for.
    The first code marks what applies everywhere (national reviews, briefings): a region keeps it."""
    filters = _filters(model)
    numbers = iter(range(1, 1 << 20))
    codes = {key: {value: browse_code(next(numbers)) for value, _ in options} for key, _, options in filters}

    def coded(themes: Iterable[str], regions: Iterable[str], harm: Iterable[str], kind: str, year: str) -> str:
        values = chain((("themes", t) for t in themes), (("regions", r) for r in regions),
                       (("harm", h) for h in harm), (("type", kind), ("year", year)))
        return "".join(chain([browse_code(0)] if kind in ("national", "briefing") else [],
                             (codes[key][value] for key, value in values)))

    items = [(item, coded(item.themes, item.regions, item.harm, item.type, item.year)) for item in model.live]
    briefings = [(b, coded(b.themes, (), (), "briefing", str(b.published.year))) for b in model.briefings]
    entries = sorted([("review", item, code, item.published.first_day) for item, code in items]  # newest first,
                     + [("briefing", b, code, b.published) for b, code in briefings],  # briefings among reviews
                     key=lambda entry: entry[3], reverse=True)
    return dict(filters=filters, codes=codes, everywhere=browse_code(0), items=items, briefings=briefings,
                entries=[entry[:3] for entry in entries])


def _filters(model: SiteModel) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The browse page's filter options: only values some live review or briefing has (every region
    once a national review or a briefing is live: it applies there)."""
    present = {key: set() for key, _ in FILTERS}
    for item in model.live:
        present["themes"].update(item.themes)
        present["regions"].update(item.regions)
        present["harm"].update(item.harm)
        present["type"].add(item.type)
        present["year"].add(item.year)
    for briefing in model.briefings:
        present["themes"].update(briefing.themes)
        present["type"].add("briefing")
        present["year"].add(str(briefing.published.year))
    if model.briefings or "national" in present["type"]:  # they apply in every region: each region lists them
        present["regions"].update(vocab.REGIONS)
    labels = {"themes": lambda t: model.term_label("themes", t), "regions": vocab.REGIONS.get,
              "harm": vocab.harm_label, "type": TYPE_LABELS.get, "year": str}
    options = []
    for key, title in FILTERS:
        values = sorted(present[key], reverse=key == "year", key=None if key == "year" else labels[key])
        options.append((key, title, [(value, labels[key](value)) for value in values]))
    return options


def redirects(model: SiteModel) -> dict[str, str]:
    """`{path: html}` for every former id of a review, briefing or theme: the old URL keeps working."""
    pages = {}
    kinds = (("reviews", model.aliases), ("briefings", model.corpus.aliases["briefings"]),
             ("themes", model.corpus.aliases["themes"]))
    for folder, aliases in kinds:
        for alias, current in aliases.items():
            if not _is_shown(model, folder, current):
                continue  # embargoed: nothing to send the reader to yet
            title = "Review withdrawn" if current in model.withdrawn else _title_of(model, folder, current)
            pages[f"{folder}/{alias}/index.html"] = environment().get_template("redirect.html.j2").render(
                target=f"../{current}/", title=title)
    return pages


def _is_shown(model: SiteModel, folder: str, item_id: str) -> bool:
    if folder == "reviews":
        return item_id in model.listings or item_id in model.withdrawn
    if folder == "briefings":
        return any(b.id == item_id for b in model.briefings)
    return True


def _title_of(model: SiteModel, folder: str, item_id: str) -> str:
    if folder == "reviews":
        return model.listings[item_id].title if item_id in model.listings else "Review"
    return getattr(model.corpus, folder)[item_id].title
