"""Every file the generator adds to a site, as text: pages, redirects, feeds and open data.

One pure function over the site model, so a test can look at any output without MkDocs. (The
search documents are made apart, by pages.search_documents, so indexing can start first.)
Nothing is drawn until it is asked for: a build asks for everything, the preview (serve) only
for what a reader opens, so a change to one file redraws one page, not thousands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .feeds import DATA_PATHS, feed_paths, render_data, render_feeds
from .pages import SitePages, redirects, render_pages, search_vocabulary
from .sitemodel import SiteModel

VOCABULARY_PATH = "search/vocabulary.json"


@dataclass(frozen=True)
class RenderedSite:
    """What the generator adds to a site; the MkDocs plugin only hands it over."""

    pages: SitePages  # src_uri (`reviews/<id>.md`) -> page for MkDocs to finish
    files: Mapping[str, str]  # path -> text copied as it is: redirects, feeds, open data, search help


class MadeFiles(Mapping):
    """Path -> text, where the texts of a group of paths (all feeds, the two data files) are made
    together, the first time any of them is asked for."""

    def __init__(self) -> None:
        self._group_of: dict[str, int] = {}
        self._makers: list[Callable[[], dict[str, str]]] = []
        self._made: dict[int, dict[str, str]] = {}

    def add(self, paths: Iterable[str], make: Callable[[], dict[str, str]]) -> None:
        self._group_of.update((path, len(self._makers)) for path in paths)
        self._makers.append(make)

    def __getitem__(self, path: str) -> str:
        group = self._group_of[path]
        if group not in self._made:
            made = self._makers[group]()
            expected = {p for p, g in self._group_of.items() if g == group}
            if set(made) != expected:  # the paths announced must be the paths made, or a link breaks
                raise RuntimeError(f"generated files differ from those announced: {sorted(set(made) ^ expected)}")
            self._made[group] = made
        return self._made[group][path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._group_of)

    def __len__(self) -> int:
        return len(self._group_of)


def render_site(model: SiteModel, site_name: str, site_url: str = "", merged_bundles: Sequence[str] = (),
                preview: dict[str, str] | None = None, used_words: Counter | None = None) -> RenderedSite:
    """Every page and file of the site, each made when first asked for; `used_words`: the search
    items' word counts if the search documents were made (else counted for the vocabulary)."""
    files = MadeFiles()
    made_redirects = redirects(model)
    files.add(made_redirects, lambda: made_redirects)
    files.add(feed_paths(model), lambda: render_feeds(model, site_name, site_url))
    files.add(DATA_PATHS, lambda: render_data(model, site_url))
    files.add([VOCABULARY_PATH], lambda: {VOCABULARY_PATH: search_vocabulary(model, used_words)})
    return RenderedSite(render_pages(model, site_name, site_url, merged_bundles, preview), files)
