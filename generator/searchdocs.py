"""What search finds: one `SearchItem` per live review, briefing and theme, shared by the web
index (pages.search_documents, for Pagefind) and the command line's Whoosh index (searchindex).

Each item holds its own text (title, summary, the body as plain paragraphs) and the words it is
found by besides: region names (national reviews are England-wide), the partnership, the harm
categories, its themes' titles and synonyms, and the abbreviations it uses in both forms
(searchterms). Only live items: nothing embargoed, retired or withdrawn is searchable.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from . import bodies, searchterms, vocab
from .sitemodel import SiteModel

ENGLAND_WIDE = "England-wide"
TYPE_LABELS = {**vocab.REVIEW_TYPES, "briefing": "Briefing", "theme": "Theme"}


@dataclass(frozen=True)
class SearchItem:
    id: str
    kind: str  # review, briefing or theme
    url: str  # relative to the site root, e.g. reviews/<id>/
    title: str
    summary: str
    paragraphs: tuple[str, ...]
    type: str  # local, national, briefing or theme
    year: str
    published: str  # as the site shows it
    partnership: str
    themes: tuple[str, ...]
    harm: tuple[str, ...]
    regions: tuple[str, ...]
    keywords: tuple[str, ...]
    theme_labels: tuple[str, ...] = ()
    region_labels: tuple[str, ...] = ()
    harm_labels: tuple[str, ...] = ()
    theme_words: tuple[str, ...] = ()  # its themes' titles and synonyms
    abbreviations: tuple[tuple[str, int], ...] = ()  # each abbreviation it uses (either form) and how often
    published_on: str = ""  # as the front matter writes it (YYYY-MM-DD, YYYY-MM or YYYY): for machines

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything search holds of the item changes (for incremental indexes)."""
        text = "\x1f".join([self.kind, self.url, self.title, self.summary, self.body, self.type, self.year,
                            self.published, self.partnership, *self.themes, "|", *self.harm, "|", *self.regions,
                            "|", *self.keywords])
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def display_day(day) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def search_items(model: SiteModel) -> list[SearchItem]:
    """Every live review, then every published briefing, then every theme."""
    return searchable(model)[0]


def searchable(model: SiteModel) -> tuple[list[SearchItem], Counter]:
    """The search items, and for each word of their text (three letters or more) how many items
    use it: the did-you-mean list, counted in the same pass over the text."""
    themes = model.corpus.themes
    items, used = [], Counter()

    def found_by(texts: list[str], item_themes: list) -> tuple[list[str], tuple[str, ...], tuple]:
        """The words an item is found by besides its own, its themes' names, and its abbreviations
        with how often it uses each (the text is read once for all three and for its words)."""
        names = searchterms.theme_words(item_themes)
        counts, words = searchterms.abbreviations_and_words("\n".join([*texts, *names]))
        used.update(words)  # every word, in C; what is not a word is dropped once, at the end
        return searchterms.keywords(texts, item_themes, counts), tuple(names), tuple(sorted(counts.items()))

    for listing in model.live:
        record = listing.record
        paragraphs = bodies.shown_blocks("reviews", record.body)
        regions = tuple(vocab.REGIONS[r] for r in listing.regions) or (ENGLAND_WIDE,)
        harm = tuple(vocab.HARM[h][0] for h in listing.harm if h in vocab.HARM)
        words = [vocab.REVIEW_TYPES[listing.type], *regions, listing.partnership, *harm, _review_kind(listing)]
        found, names, counts = found_by([listing.title, listing.summary, *paragraphs, *words],
                                        [themes[t] for t in listing.themes if t in themes])
        items.append(SearchItem(listing.id, "review", listing.url, listing.title, listing.summary, paragraphs,
                                listing.type, listing.year, listing.published.display(), listing.partnership,
                                listing.themes, listing.harm, listing.regions, _unique(words + found),
                                _titles(listing.themes, themes), regions, harm, names, counts,
                                listing.published.isoformat()))
    for briefing in model.briefings:
        paragraphs = bodies.shown_blocks("briefings", briefing.body)
        words = [vocab.BRIEFING_FORMATS.get(briefing.format, "briefing"), "briefing", briefing.publisher or ""]
        found, names, counts = found_by([briefing.title, briefing.summary, *paragraphs],
                                        [themes[t] for t in briefing.themes if t in themes])
        items.append(SearchItem(briefing.id, "briefing", f"briefings/{briefing.id}/", briefing.title,
                                briefing.summary, paragraphs, "briefing", str(briefing.published.year),
                                display_day(briefing.published), briefing.publisher or "", briefing.themes, (), (),
                                _unique(words + found), _titles(briefing.themes, themes), (), (), names, counts,
                                briefing.published.isoformat()))
    for theme in themes.values():
        paragraphs = bodies.shown_blocks("themes", theme.body)
        # its own names only: a theme page that mentions an injury in passing must not rank for "NAI"
        found, names, counts = found_by([], [theme])
        text_words = set(searchterms.normalise("\n".join([theme.summary, *paragraphs])).split())
        text_words -= set(searchterms.normalise("\n".join(names)).split())  # counted by found_by
        used.update(text_words)
        items.append(SearchItem(theme.id, "theme", f"themes/{theme.id}/", theme.title, theme.summary, paragraphs,
                                "theme", "", "", "", (theme.id,), (), (), _unique(["theme", *found]), (), (), (),
                                names, counts))
    return items, Counter({word: n for word, n in used.items() if len(word) > 2 and word.isalpha()})


SERIOUS_CASE_REVIEWS_UNTIL = 2019  # Working Together 2018 replaced SCRs; the first LCSPRs appeared in 2019


def _review_kind(listing) -> str:
    """What practitioners call this kind of review, so the abbreviation finds it too."""
    if listing.type == "national":
        return "national review"
    if listing.published.year < SERIOUS_CASE_REVIEWS_UNTIL:
        return "serious case review"
    return "local child safeguarding practice review"


def _titles(ids: tuple[str, ...], themes) -> tuple[str, ...]:
    return tuple(themes[t].title if t in themes else t for t in ids)


def _unique(words: list[str]) -> tuple[str, ...]:
    return tuple(searchterms.distinct(words))
