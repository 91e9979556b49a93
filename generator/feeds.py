"""Atom feeds (reviews, briefings, one per theme, region and partnership) and open data
(reviews.json, reviews.csv).

Only live reviews appear in feeds; the data files add retired reviews as catalogue records
(no summary, no report link). Nothing embargoed or withdrawn is ever written: the site model
has already left those out. Every feed names feeds/feed.xsl, which a browser uses to show the
feed as a page that explains itself instead of raw XML.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from importlib import resources
from typing import Any, Iterable

from . import vocab
from .fieldtypes import slugify
from .ledger import LIVE
from .sitemodel import Listing, SiteModel

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 100
ET.register_namespace("", ATOM)


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


class FeedWriter:
    """Builds Atom documents whose links are absolute when `site_url` is set, else relative."""

    def __init__(self, site_name: str, site_url: str = ""):
        self.site_name, self.site_url = site_name, site_url.rstrip("/") + "/" if site_url else ""

    def link(self, feed_path: str, page: str) -> str:
        return self.site_url + page if self.site_url else "../" * feed_path.count("/") + page

    def entry_id(self, page: str) -> str:
        return self.site_url + page if self.site_url else "urn:safeguarding-repository:" + page.strip("/").replace("/", ":")

    def feed(self, path: str, title: str, entries: list[dict[str, Any]], today: dt.date) -> str:
        """An Atom document of the newest FEED_SIZE entries, styled for a browser by feed.xsl."""
        root = ET.Element(f"{{{ATOM}}}feed")
        _text(root, "title", title)
        _text(root, "id", self.entry_id(path))
        _text(root, "updated", _timestamp(max((e["updated"] for e in entries), default=today)))
        ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=self.link(path, path))
        ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", href=self.link(path, ""))
        author = ET.SubElement(root, f"{{{ATOM}}}author")
        _text(author, "name", self.site_name)
        for entry in entries[:FEED_SIZE]:
            self._entry(root, path, entry)
        ET.indent(root)
        stylesheet = "../" * (path.count("/") - 1) + "feed.xsl"
        return ('<?xml version="1.0" encoding="utf-8"?>\n'
                f'<?xml-stylesheet type="text/xsl" href="{stylesheet}"?>\n'
                + ET.tostring(root, encoding="unicode") + "\n")

    def _entry(self, root: ET.Element, path: str, entry: dict[str, Any]) -> None:
        element = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(element, "title", entry["title"])
        _text(element, "id", self.entry_id(entry["page"]))
        ET.SubElement(element, f"{{{ATOM}}}link", rel="alternate", href=self.link(path, entry["page"]))
        _text(element, "published", _timestamp(entry["updated"]))
        _text(element, "updated", _timestamp(entry["updated"]))
        _text(element, "summary", entry["summary"])
        if entry.get("author"):
            _text(ET.SubElement(element, f"{{{ATOM}}}author"), "name", entry["author"])
        for term, label in entry["categories"]:
            ET.SubElement(element, f"{{{ATOM}}}category", term=term, label=label)


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def review_entry(model: SiteModel, item: Listing) -> dict[str, Any]:
    return {"title": item.title, "page": item.url, "updated": item.published.first_day, "summary": item.summary,
            "categories": [(t, model.term_label("themes", t)) for t in item.themes]}


def briefing_entry(model: SiteModel, briefing: Any) -> dict[str, Any]:
    return {"title": briefing.title, "page": f"briefings/{briefing.id}/", "updated": briefing.published,
            "author": briefing.publisher,
            "summary": briefing.summary, "categories": [(t, model.term_label("themes", t)) for t in briefing.themes]}


STYLESHEET_PATH = "feeds/feed.xsl"


def followed_feeds(model: SiteModel) -> dict[str, list[tuple[str, str]]]:
    """The feeds a reader can follow, by kind: `{kind: [(path, label), ...]}` (the /follow/ page
    lists them; render_feeds writes exactly these)."""
    return {
        "all": [("feeds/reviews.xml", "All reviews"), ("feeds/briefings.xml", "All briefings")],
        "themes": [(f"feeds/themes/{t.id}.xml", t.title)
                   for t in sorted(model.corpus.themes.values(), key=lambda t: t.title.lower())],
        "regions": [(f"feeds/regions/{r}.xml", label) for r, label in vocab.REGIONS.items()],
        "partnerships": [(f"feeds/partnerships/{slug}.xml", model.partnership_names[slug])
                         for slug in sorted(model.groups["partnerships"], key=model.partnership_names.get)],
    }


def feed_paths(model: SiteModel) -> list[str]:
    """The path of every file render_feeds writes, known without writing them."""
    return [path for feeds in followed_feeds(model).values() for path, _ in feeds] + [STYLESHEET_PATH] \
        + list(former_theme_feeds(model))


DATA_PATHS = ("data/reviews.json", "data/reviews.csv")


def render_feeds(model: SiteModel, site_name: str, site_url: str = "") -> dict[str, str]:
    """`{path: text}`: the feeds of followed_feeds and their stylesheet. A theme's feed holds its
    reviews and briefings; a region's, what its page lists (its local reviews, and the national
    reviews and briefings that apply in every region); a partnership's, its reviews and the
    briefings it published."""
    writer = FeedWriter(site_name, site_url)
    live = model.live
    national = [i for i in live if i.type == "national"]
    by_publisher, by_theme = briefings_by_publisher(model), briefings_by_theme(model)
    chosen = {"feeds/reviews.xml": (live, []), "feeds/briefings.xml": ([], model.briefings)}
    for theme in model.corpus.themes.values():
        chosen[f"feeds/themes/{theme.id}.xml"] = (
            model.groups["themes"].get(theme.id, []), by_theme.get(theme.id, []))
    for region in vocab.REGIONS:
        local = [i for i in model.groups["regions"].get(region, []) if i.type != "national"]  # listed once
        chosen[f"feeds/regions/{region}.xml"] = (local + national, model.briefings)
    for slug in model.partnership_names:
        chosen[f"feeds/partnerships/{slug}.xml"] = (model.groups["partnerships"].get(slug, []),
                                                    by_publisher.get(slug, []))
    feeds = {STYLESHEET_PATH: feed_stylesheet()}
    for listed in followed_feeds(model).values():
        for path, label in listed:
            reviews, briefings = chosen[path]
            entries = [review_entry(model, i) for i in reviews if i.status == LIVE]
            entries += [briefing_entry(model, b) for b in briefings]
            entries.sort(key=lambda e: e["updated"], reverse=True)
            feeds[path] = writer.feed(path, f"{site_name}: {label}", entries, model.today)
    for former, current in former_theme_feeds(model).items():
        feeds[former] = feeds[current]
    return feeds


def former_theme_feeds(model: SiteModel) -> dict[str, str]:
    """A renamed theme's feed at each former id's address -> its feed: whoever followed the theme
    before it was renamed keeps getting its news (as the former id's page forwards to the new)."""
    return {f"feeds/themes/{alias}.xml": f"feeds/themes/{theme}.xml"
            for alias, theme in model.corpus.aliases["themes"].items() if theme in model.corpus.themes}


def briefings_by_theme(model: SiteModel) -> dict[str, list]:
    """Theme id -> the briefings that carry it, newest first."""
    carried: dict[str, list] = {}
    for briefing in model.briefings:
        for theme in dict.fromkeys(briefing.themes):
            carried.setdefault(theme, []).append(briefing)
    return carried


def briefings_by_publisher(model: SiteModel) -> dict[str, list]:
    """Partnership slug -> the briefings it published (its name as `publisher`, in any case or
    spacing that makes the same slug)."""
    published: dict[str, list] = {}
    for briefing in model.briefings:
        if briefing.publisher:
            published.setdefault(slugify(briefing.publisher), []).append(briefing)
    return published


def feed_stylesheet() -> str:
    """feeds/feed.xsl: shows a feed in a browser as a page saying what a feed is and listing its
    entries. Everything from the feed is copied as text (xsl:value-of), never as markup."""
    return (resources.files("generator") / "templates" / "feed.xsl").read_text(encoding="utf-8")


DATA_FIELDS = ("id", "title", "type", "status", "partnership", "regions", "themes", "harm", "published",
               "available_until", "initiated", "reviewers", "child_ages", "summary", "report_url", "url")


def data_record(item: Listing, site_url: str = "") -> dict[str, Any]:
    """One review as open data; a retired review keeps only what a catalogue record shows. Its
    `url` is absolute with a site URL, else relative to the data file (which sits in data/)."""
    live = item.status == LIVE
    record = item.record if live else None
    return {"id": item.id, "title": item.title, "type": item.type, "status": item.status,
            "partnership": item.partnership or None, "regions": list(item.regions), "themes": list(item.themes),
            "harm": list(item.harm), "published": item.published.isoformat(),
            "available_until": item.available_until.isoformat(),
            "initiated": record.initiated.isoformat() if record and record.initiated else None,
            "reviewers": list(record.reviewers) if record else [], "child_ages": list(record.child_ages) if record else [],
            "summary": record.summary if record else None, "report_url": record.report_url if record else None,
            "url": f"{site_url.rstrip('/')}/{item.url}" if site_url else f"../{item.url}"}


def briefing_record(briefing: Any, reviews: list[str], site_url: str = "") -> dict[str, Any]:
    """One published briefing as open data, with who wrote it and the reviews it draws on (as its
    page lists them: `SiteModel.reviews_cited`)."""
    url = f"briefings/{briefing.id}/"
    return {"id": briefing.id, "title": briefing.title, "publisher": briefing.publisher or None,
            "format": briefing.format, "duration_minutes": briefing.duration_minutes,
            "published": briefing.published.isoformat(), "themes": list(briefing.themes),
            "reviews": reviews, "summary": briefing.summary,
            "url": f"{site_url.rstrip('/')}/{url}" if site_url else f"../{url}"}


def render_data(model: SiteModel, site_url: str = "") -> dict[str, str]:
    """`{path: text}` for data/reviews.json (reviews, and the briefings drawn from them) and
    data/reviews.csv (reviews)."""
    records = [data_record(item, site_url) for item in model.listings.values()]
    document = {"generated_on": model.today.isoformat(), "count": len(records),
                "vocabularies": {"regions": vocab.REGIONS, "harm": {k: v[0] for k, v in vocab.HARM.items()}},
                "reviews": records, "briefings": [briefing_record(b, [r.id for r in model.reviews_cited(b)], site_url)
                              for b in model.briefings]}
    return dict(zip(DATA_PATHS, (json.dumps(document, ensure_ascii=False, indent=1) + "\n", _csv(records))))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run: one starting like a formula gets a leading quote (OWASP's
    advice for CSV injection). Only the CSV is changed; JSON and feeds keep the exact text."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _csv(records: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=DATA_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: spreadsheet_safe(";".join(v) if isinstance(v, list) else ("" if v is None else str(v)))
                         for k, v in record.items()})
    return out.getvalue()
