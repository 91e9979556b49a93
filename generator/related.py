"""Related learning, computed once per build: for each live review the reviews most like it, and
for each briefing the reviews it does not cite yet that are most like it.

"Like" is two things added together, each scaled to the best candidate's score:
- the text: each item's key terms (its most frequent word stems, stop words out, as the search
  index stems them), weighted by how rare they are among all items' key terms;
- the tags: shared themes, harm and regions (linking.WEIGHTS).

Comparing every pair would be quadratic; instead each key term keeps a posting list of the items
that have it, and a term held by more than COMMON items is left out (it tells items apart no
better than the tags do, and it would make the lists long). Key terms are cached on disk by
content hash, so an unchanged review costs nothing after its first build. Deterministic: ties go
to the newer review, then the id.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .cache import DiskCache
from .linking import WEIGHTS
from .searchindex import STAMP, term_counts

KEY_TERMS = 30  # per item
COMMON = 200  # a key term of more items than this is left out
CANDIDATES = 50  # best by text and best by tags, each, before the two are combined
TEXT_SHARE = 2.0  # the text counts twice the tags: it finds what tags cannot tell apart
RELATED_COUNT, UNCITED_COUNT = 5, 3

_disk: DiskCache | None = None


@dataclass(frozen=True)
class Learning:
    """What related learning needs of a review or briefing: `rank` orders ties (0 is newest)."""

    id: str
    text: str
    themes: tuple[str, ...]
    harm: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    rank: int = 0


def use_disk_cache(path: Path | None) -> None:
    """Keep key terms in `path` between runs (None: compute them each time)."""
    global _disk
    _disk = DiskCache(path) if path else None


def save_disk_cache() -> None:
    if _disk is not None:
        _disk.save()


def key_terms(text: str) -> tuple[str, ...]:
    """The text's KEY_TERMS most frequent stems (ties alphabetical), from the cache when known."""
    key = "terms:" + hashlib.sha256((STAMP + text).encode("utf-8", "surrogatepass")).hexdigest()
    cached = _disk.get(key) if _disk else None
    if cached is None:
        counts = term_counts(text)
        words = ((stem, count) for stem, count in counts.items() if not stem.isdigit())  # years say little
        cached = [stem for stem, _ in heapq.nsmallest(KEY_TERMS, words, key=lambda p: (-p[1], p[0]))]
        if _disk:
            _disk.put(key, cached)
    return tuple(cached)


def related_learning(reviews: Iterable[Learning], briefings: Iterable[Learning] = (),
                     cited: dict[str, set[str]] | None = None) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({review id: related review ids}, {briefing id: uncited review ids}), best first."""
    reviews, briefings, cited = list(reviews), list(briefings), cited or {}
    terms = {item.id: key_terms(item.text) for item in (*reviews, *briefings)}
    postings = _term_postings(reviews, terms)
    weights = _rarity(postings, len(reviews) + len(briefings))
    tags = _tag_postings(reviews)
    rank = {item.id: item.rank for item in reviews}
    related = {}
    for review in reviews:
        scores = _combined(_text_scores(terms[review.id], postings, weights), _tag_scores(review, tags),
                           {review.id}, rank)
        related[review.id] = _best(scores, rank, RELATED_COUNT)
    uncited = {}
    for briefing in briefings:
        scores = _combined(_text_scores(terms[briefing.id], postings, weights), _tag_scores(briefing, tags),
                           cited.get(briefing.id, set()), rank)
        uncited[briefing.id] = _best(scores, rank, UNCITED_COUNT)
    return related, uncited


def _term_postings(reviews: list[Learning], terms: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    postings: dict[str, list[str]] = defaultdict(list)
    for review in reviews:
        for stem in terms[review.id]:
            postings[stem].append(review.id)
    return {stem: ids for stem, ids in postings.items() if len(ids) <= COMMON}


def _rarity(postings: dict[str, list[str]], total: int) -> dict[str, int]:
    """How many times a shared term counts (0 to 3): the rarer the term, the more it says; one in
    half the items, nothing. Whole numbers, so scores add up through Counter.update (C speed)."""
    return {stem: max(0, min(3, round(math.log(total / len(ids), 4)))) for stem, ids in postings.items()}


def _text_scores(stems: tuple[str, ...], postings: dict[str, list[str]], weights: dict[str, int]) -> Counter:
    scores: Counter = Counter()
    for stem in stems:
        ids = postings.get(stem)
        for _ in range(weights.get(stem, 0)):
            scores.update(ids)
    return scores


def _tag_postings(reviews: list[Learning]) -> dict[tuple[str, str], list[str]]:
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for review in reviews:
        for key, _ in WEIGHTS:
            for value in getattr(review, key):
                postings[key, value].append(review.id)
    return postings


def _tag_scores(item: Learning, postings: dict[tuple[str, str], list[str]]) -> Counter:
    scores: Counter = Counter()
    for key, weight in WEIGHTS:
        for value in getattr(item, key):
            for _ in range(weight):
                scores.update(postings.get((key, value), ()))
    return scores


def _combined(text: Counter, tags: Counter, exclude: set[str], rank: dict[str, int]) -> dict[str, float]:
    """Text and tag scores, each scaled to its best candidate, over the best candidates of each."""
    for scores in (text, tags):
        for item_id in exclude:
            scores.pop(item_id, None)
    best_text = dict(heapq.nsmallest(CANDIDATES, text.items(), key=lambda p: (-p[1], rank[p[0]])))
    best_tags = dict(heapq.nsmallest(CANDIDATES, tags.items(), key=lambda p: (-p[1], rank[p[0]])))
    top_text, top_tags = max(best_text.values(), default=0) or 1, max(best_tags.values(), default=0) or 1
    return {item_id: TEXT_SHARE * text.get(item_id, 0) / top_text + tags.get(item_id, 0) / top_tags
            for item_id in best_text.keys() | best_tags.keys()}


def _best(scores: dict[str, float], rank: dict[str, int], count: int) -> list[str]:
    return [item_id for item_id, _ in heapq.nsmallest(count, scores.items(),
                                                      key=lambda p: (-round(p[1], 9), rank[p[0]]))]
