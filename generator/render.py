"""Every file the generator adds to a site, as text: pages, redirects, feeds and open data.

One pure function over the site model, so a test can look at any output without MkDocs.
"""

from __future__ import annotations

from .feeds import render_data, render_feeds
from .pages import redirects, render_pages
from .sitemodel import SiteModel


def render_site(model: SiteModel, site_name: str, site_url: str = "") -> dict[str, str]:
    """`{path in the site's source tree: text}`; `.md` paths are pages MkDocs renders, the rest
    are copied as they are."""
    outputs = render_pages(model, site_name, site_url)
    outputs.update(redirects(model))
    outputs.update(render_feeds(model, site_name, site_url))
    outputs.update(render_data(model))
    return outputs
