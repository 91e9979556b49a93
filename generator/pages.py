"""The sources of every generated page, rendered from Jinja2 templates; no MkDocs here.

`render_pages(model)` returns `{src_uri: Markdown}` for MkDocs to render with the theme, and
`redirects(model)` the HTML of every alias URL. Links inside generated HTML are relative (each
page knows its depth), so the site works from any folder or host.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Iterator

import jinja2

from . import vocab
from .ledger import LIVE, RETIRED
from .sitemodel import SiteModel, term_label

HOME_LATEST = 10
FILTERS = (("themes", "Theme"), ("regions", "Region"), ("harm", "Harm"), ("type", "Type"), ("year", "Year"))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("generator", "templates"), autoescape=True,
                             trim_blocks=False, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters["md_heading"] = md_heading
    env.filters["age"] = lambda band: vocab.CHILD_AGES.get(band, band)
    env.globals.update(types=vocab.REVIEW_TYPES, formats=vocab.BRIEFING_FORMATS, day=display_day)
    return env


def md_heading(text: str) -> str:
    """Text safe inside a Markdown heading: characters Markdown would read as markup escaped."""
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def display_day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


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


def render_pages(model: SiteModel, site_name: str = "Safeguarding learning repository",
                 site_url: str = "") -> dict[str, str]:
    """Every generated page: `{src_uri: Markdown}`."""
    pages: dict[str, str] = {}
    for src_uri, template, context in _page_plan(model, site_name, site_url):
        pages[src_uri] = _render(template, src_uri, model, **context)
    return pages


def _page_plan(model: SiteModel, site_name: str, site_url: str) -> Iterator[tuple[str, str, dict]]:
    yield from _review_pages(model)
    yield from _briefing_pages(model, site_url)
    yield from _taxonomy_pages(model)
    live = model.live
    counts = {taxonomy: len(model.groups[taxonomy]) for taxonomy in model.groups}
    counts.update(themes=len(model.corpus.themes), regions=len(vocab.REGIONS), harm=len(vocab.HARM))
    yield "index.md", "home.md.j2", dict(site_name=site_name, live=live, briefings=model.briefings, counts=counts,
                                         latest=live[:HOME_LATEST], latest_briefings=model.briefings[:5])
    years = sorted(((year, len(items)) for year, items in model.groups["years"].items()), reverse=True)
    retired = sum(item.status == RETIRED for item in model.listings.values())
    yield "reviews/index.md", "reviews_index.md.j2", dict(live=live, retired=retired, years=years, latest=live[:20])
    yield "briefings/index.md", "briefings_index.md.j2", dict(briefings=model.briefings)
    yield "browse.md", "browse.md.j2", dict(items=live, filters=_filters(model))
    yield "search.md", "search.md.j2", {}


def _review_pages(model: SiteModel) -> Iterator[tuple[str, str, dict]]:
    for item in model.listings.values():
        src_uri = f"reviews/{item.id}.md"
        if item.status == LIVE:
            review = item.record
            yield src_uri, "review.md.j2", dict(
                r=review, item=item, body=review.body, search=search_facets(model, item),
                briefings=model.cited_by.get(item.id, []),
                related=[model.listings[i] for i in model.related.get(item.id, [])])
        else:
            yield src_uri, "catalogue.md.j2", dict(item=item)
    for review_id in model.withdrawn:
        yield f"reviews/{review_id}.md", "withdrawn.md.j2", {}


def _briefing_pages(model: SiteModel, site_url: str) -> Iterator[tuple[str, str, dict]]:
    for briefing in model.briefings:
        cited = [model.listings[i] for i in (model.aliases.get(r, r) for r in briefing.reviews) if i in model.listings]
        permalink = f"{site_url.rstrip('/')}/briefings/{briefing.id}/" if site_url else f"/briefings/{briefing.id}/"
        yield f"briefings/{briefing.id}.md", "briefing.md.j2", dict(
            b=briefing, body=briefing.body, reviews=cited, permalink=permalink,
            search={"filters": {"type": ["Briefing"], "theme": [model.term_label("themes", t) for t in briefing.themes],
                                "year": [str(briefing.published.year)]},
                    "meta": {"date": briefing.published.isoformat(), "kind": "Briefing"}})


def search_facets(model: SiteModel, item) -> dict:
    """Pagefind filters and metadata of a live review (see overrides/main.html)."""
    filters = {"type": [vocab.REVIEW_TYPES[item.type]], "year": [item.year],
               "theme": [model.term_label("themes", t) for t in item.themes],
               "region": [vocab.REGIONS[r] for r in item.regions] or ["England-wide"],
               "harm": [vocab.HARM[h][0] for h in item.harm]}
    return {"filters": {k: v for k, v in filters.items() if v},
            "meta": {"date": item.published.isoformat(), "kind": vocab.REVIEW_TYPES[item.type]}}


def _taxonomy_pages(model: SiteModel) -> Iterator[tuple[str, str, dict]]:
    all_terms = {"themes": list(model.corpus.themes), "regions": list(vocab.REGIONS), "harm": list(vocab.HARM),
                 "years": sorted(model.groups["years"], reverse=True),
                 "partnerships": sorted(model.groups["partnerships"], key=model.partnership_names.get)}
    briefings_by_theme: dict[str, list] = {}
    for briefing in model.briefings:
        for theme in briefing.themes:
            briefings_by_theme.setdefault(theme, []).append(briefing)
    for taxonomy, terms in all_terms.items():
        for term in terms:
            theme = model.corpus.themes.get(term) if taxonomy == "themes" else None
            yield f"{taxonomy}/{term}.md", "term.md.j2", dict(
                title=model.term_label(taxonomy, term), items=model.groups[taxonomy].get(term, []),
                description=theme.summary if theme else f"Reviews filed under {model.term_label(taxonomy, term)}.",
                summary=theme.summary if theme else "", intro=_demote(theme.body.strip()) if theme else "",
                briefings=briefings_by_theme.get(term, []) if theme else [],
                feed=f"feeds/themes/{term}.xml" if theme else "")
        yield f"{taxonomy}/index.md", "taxonomy.md.j2", _index_context(model, taxonomy, terms)


def _demote(markdown: str) -> str:
    """A theme's own '## ' headings sit under 'About this theme': one level down."""
    return "\n".join("#" + line if line.startswith("#") else line for line in markdown.splitlines())


_INDEX_TITLES = {"themes": ("Themes", "Reviews and briefings by theme: the Panel's six key practice themes and topics."),
                 "regions": ("Regions", "Reviews by English region. National reviews are England-wide."),
                 "harm": ("Harm", "Reviews by the kind of harm (the Panel's Annual Report 2020, Tables 2 and 3)."),
                 "years": ("Years", "Reviews by year of publication."),
                 "partnerships": ("Partnerships", "Local reviews by the safeguarding partnership that published them.")}


def _index_context(model: SiteModel, taxonomy: str, terms: list[str]) -> dict:
    counted = [(term, len(model.groups[taxonomy].get(term, []))) for term in terms]
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


def _filters(model: SiteModel) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The browse page's filter options: only values some live review has."""
    present = {key: set() for key, _ in FILTERS}
    for item in model.live:
        present["themes"].update(item.themes)
        present["regions"].update(item.regions)
        present["harm"].update(item.harm)
        present["type"].add(item.type)
        present["year"].add(item.year)
    labels = {"themes": lambda t: model.term_label("themes", t), "regions": vocab.REGIONS.get,
              "harm": vocab.harm_label, "type": vocab.REVIEW_TYPES.get, "year": str}
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
