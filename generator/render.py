"""Every file the generator adds to a site, as text: pages, redirects, feeds and open data.

One pure function over the site model, so a test can look at any output without MkDocs. (The
search documents are made apart, by pages.search_documents, so indexing can start first.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .feeds import render_data, render_feeds
from .pages import GeneratedPage, redirects, render_pages, search_vocabulary
from .sitemodel import SiteModel


@dataclass(frozen=True)
class RenderedSite:
    """What the generator adds to a site; the MkDocs plugin only hands it over."""

    pages: dict[str, GeneratedPage]  # src_uri (`reviews/<id>.md`) -> page for MkDocs to finish
    files: dict[str, str]  # path -> text copied as it is: redirects, feeds, open data, search help


def render_site(model: SiteModel, site_name: str, site_url: str = "", merged_bundles: Sequence[str] = (),
                preview: dict[str, str] | None = None) -> RenderedSite:
    files = redirects(model)
    files.update(render_feeds(model, site_name, site_url))
    files.update(render_data(model, site_url))
    files["search/vocabulary.json"] = search_vocabulary(model)
    return RenderedSite(render_pages(model, site_name, site_url, merged_bundles, preview), files)
