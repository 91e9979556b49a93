"""What the site shows today: every review's state, listings, taxonomy groups and cross-links.

Built once from the corpus, the ledger and today's date, before any page is rendered. A
`Listing` is the one shape every list, feed and data file uses, whether it comes from a review
file or (for a retired review whose file is gone) from the ledger alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from . import vocab
from .fieldtypes import PublishedDate, slugify
from .ledger import LIVE, RETIRED, WITHDRAWN, Ledger
from .linking import citations
from .related import Learning, related_learning
from .model import Corpus
from .retention import EMBARGOED, Windows, carried_entries, dated_reviews, lifecycle, window_end

TAXONOMIES = ("themes", "regions", "harm", "years", "partnerships")


@dataclass(frozen=True)
class Listing:
    """A review as lists, feeds and data files show it; `record` is None for a ledger-only entry."""

    id: str
    title: str
    type: str
    status: str
    published: PublishedDate
    available_until: dt.date
    partnership: str
    regions: tuple[str, ...]
    themes: tuple[str, ...]
    harm: tuple[str, ...]
    record: Any = field(default=None, compare=False, repr=False)

    @property
    def url(self) -> str:
        return f"reviews/{self.id}/"

    @property
    def year(self) -> str:
        return str(self.published.year)

    @property
    def partnership_slug(self) -> str:
        return slugify(self.partnership) if self.partnership else ""

    @property
    def summary(self) -> str:
        return self.record.summary if self.record is not None and self.status == LIVE else ""

    def terms(self, taxonomy: str) -> tuple[str, ...]:
        """The ids this review is filed under in a taxonomy."""
        if taxonomy == "years":
            return (self.year,)
        if taxonomy == "partnerships":
            return (self.partnership_slug,) if self.partnership else ()
        return getattr(self, taxonomy)


@dataclass(frozen=True)
class SiteModel:
    """Everything page rendering needs, computed once; read-only."""

    corpus: Corpus
    today: dt.date
    listings: dict[str, Listing]  # every review shown anywhere: live ones newest first, then retired ones
    withdrawn: dict[str, str]  # id -> title, for the notice pages only (never shown)
    embargoed: dict[str, Listing]  # reviews dated in the future: never published, only previewed
    briefings: list  # published briefings, newest first
    groups: dict[str, dict[str, list[Listing]]]  # taxonomy -> term -> listings, newest first
    partnership_names: dict[str, str]  # slug -> name
    related: Mapping[str, list[str]]  # review id -> the live reviews most like it (scored on first use)
    uncited: Mapping[str, list[str]]  # briefing id -> live reviews most like it that it does not cite
    cited_by: dict[str, list]
    aliases: dict[str, str]  # former review id -> current id

    @property
    def live(self) -> list[Listing]:
        return [item for item in self.listings.values() if item.status == LIVE]

    def term_label(self, taxonomy: str, term: str) -> str:
        return term_label(self, taxonomy, term)

    def reviews_cited(self, briefing) -> list[Listing]:
        """The reviews a briefing draws on that the site shows (live or retired), each once under
        its current id: an embargoed or withdrawn one is never named, on its page or in its data."""
        ids = dict.fromkeys(self.aliases.get(r, r) for r in briefing.reviews)
        return [self.listings[i] for i in ids if i in self.listings]


def build_site_model(corpus: Corpus, ledger: Ledger, today: dt.date, windows: Windows) -> SiteModel:
    """The stages in order: states -> listings -> groups -> cross-links -> related learning."""
    return with_related(site_model_without_related(corpus, ledger, today, windows))


def site_model_without_related(corpus: Corpus, ledger: Ledger, today: dt.date, windows: Windows) -> SiteModel:
    """The model with `related` and `uncited` still empty: all the search documents need, so the
    web index can start while related learning (most of the model's time) is computed."""
    states = lifecycle(corpus, ledger, today, windows)
    listings, withdrawn, embargoed = _listings(corpus, ledger, states, windows)
    briefings = sorted((b for b in corpus.briefings.values() if b.published <= today),
                       key=lambda b: (-b.published.toordinal(), b.id))
    aliases = {**{a: e.id for e in ledger.entries.values() for a in e.aliases}, **corpus.aliases["reviews"]}
    shown = {**aliases, **{i: i for i in listings}}
    return SiteModel(
        corpus=corpus, today=today, listings=listings, withdrawn=withdrawn, embargoed=embargoed, briefings=briefings,
        groups=_groups(listings.values()),
        partnership_names={item.partnership_slug: item.partnership for item in listings.values() if item.partnership},
        related={}, uncited={}, cited_by=citations(briefings, shown), aliases=aliases)


def with_related(model: SiteModel) -> SiteModel:
    """The model with related learning over its live reviews and published briefings."""
    shown = {**model.aliases, **{i: i for i in model.listings}}
    related, uncited = _related([item.record for item in model.live], model.briefings, shown)
    return replace(model, related=related, uncited=uncited)


def _related(reviews: list, briefings: list, resolve: dict[str, str]):
    """Related learning over the live reviews (newest first) and published briefings."""
    learning = [Learning(r.id, "\n".join([r.title, r.summary, r.body]), r.themes, r.harm, r.regions, rank)
                for rank, r in enumerate(reviews)]
    notes = [Learning(b.id, "\n".join([b.title, b.summary, b.body]), b.themes) for b in briefings]
    cited = {b.id: {resolve.get(r, r) for r in b.reviews} for b in briefings}
    return related_learning(learning, notes, cited)


def _listings(corpus: Corpus, ledger: Ledger, states: dict[str, str], windows: Windows):
    listings, withdrawn, embargoed = [], {}, {}
    for review, entry in dated_reviews(corpus, ledger):
        state = states[review.id]
        if state == WITHDRAWN:
            withdrawn[review.id] = review.title
            continue
        listing = Listing(review.id, review.title, review.type, LIVE if state == EMBARGOED else state,
                          review.published, window_end(review, entry, windows), review.partnership or "",
                          review.regions, review.themes, review.harm, review)
        if state == EMBARGOED:
            embargoed[review.id] = listing  # as it will be listed on its day
        else:
            listings.append(listing)
    present = carried_entries(corpus, ledger)
    for entry in ledger.entries.values():
        if entry.id in present:
            continue
        if states.get(entry.id) == WITHDRAWN:
            withdrawn[entry.id] = entry.title
        elif states.get(entry.id) == RETIRED:
            listings.append(Listing(entry.id, entry.title, entry.type, RETIRED, entry.published, entry.available_until,
                                    entry.partnership, entry.regions, entry.themes, entry.harm))
    # live reviews first, newest first, then the catalogue records of retired ones: a reader opening
    # the top of a list finds learning, not a record with no content
    ordered = sorted(listings, key=lambda item: (item.status == RETIRED, -item.published.first_day.toordinal(), item.id))
    return {item.id: item for item in ordered}, withdrawn, embargoed


def _groups(listings) -> dict[str, dict[str, list[Listing]]]:
    groups: dict[str, dict[str, list[Listing]]] = {taxonomy: defaultdict(list) for taxonomy in TAXONOMIES}
    for item in listings:  # already newest first, so every group is too
        for taxonomy in TAXONOMIES:
            for term in item.terms(taxonomy):
                groups[taxonomy][term].append(item)
    return {taxonomy: dict(terms) for taxonomy, terms in groups.items()}


def term_label(model: SiteModel, taxonomy: str, term: str) -> str:
    """'london' -> 'London', 'sudi' -> 'Sudden unexpected death in infancy (SUDI)', ..."""
    if taxonomy == "themes":
        theme = model.corpus.themes.get(term)
        return theme.title if theme else term
    if taxonomy == "regions":
        return vocab.REGIONS.get(term, term)
    if taxonomy == "harm":
        return vocab.HARM[term][0] if term in vocab.HARM else term
    if taxonomy == "partnerships":
        return model.partnership_names.get(term, term)
    return term
