"""Related learning, computed once per build: for each live review the reviews most like it, and
for each briefing the reviews it does not cite yet that are most like it.

"Like" is two things added together, each scaled to the best candidate's score:
- the text: each item's key terms (its most frequent word stems, stop words out, as the search
  index stems them), weighted by how rare they are among all items' key terms;
- the tags: shared themes, harm and regions (linking.WEIGHTS).

Comparing every pair would be quadratic; instead each key term keeps a posting list of the items
that have it, and a term held by more than COMMON items is left out (it tells items apart no
better than the tags do, and it would make the lists long). Tags are scored for all reviews at
once, as binary digits in bit planes (`_TagScores`): a theme or region is shared by hundreds of
reviews at 5,000, too many to count one by one for every item. Key terms are cached on disk by
content hash, so an unchanged review costs nothing after its first build. Deterministic: ties go
to the newer review, then the id.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import multiprocessing
import os
from collections import Counter, defaultdict
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Iterable

from .cache import CacheSlot
from .linking import WEIGHTS
from .searchindex import STAMP, term_counts

KEY_TERMS = 30  # per item
COMMON = 200  # a key term of more items than this is left out
CANDIDATES = 50  # best by text and best by tags, each, before the two are combined
TEXT_SHARE = 2.0  # the text counts twice the tags: it finds what tags cannot tell apart
RELATED_COUNT, UNCITED_COUNT = 5, 3
PARALLEL_FROM, MAX_WORKERS = 1000, 4  # key terms of this many new texts are computed in worker processes

_disk = CacheSlot()
_recent: dict[str, list[str]] = {}  # the last call's key terms: the preview asks again after each change
use_disk_cache = _disk.use  # keep key terms in a file between runs (None: compute them each time)
save_disk_cache = _disk.save


@dataclass(frozen=True)
class Learning:
    """What related learning needs of a review or briefing: `rank` orders ties (0 is newest)."""

    id: str
    text: str
    themes: tuple[str, ...]
    harm: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    rank: int = 0


def key_terms(text: str) -> tuple[str, ...]:
    """The text's KEY_TERMS most frequent stems (ties alphabetical), from the cache when known."""
    return all_key_terms([text])[0]


def all_key_terms(texts: list[str]) -> list[tuple[str, ...]]:
    """`key_terms` of each text: the cached ones read, the others computed (on every core when
    there are many, as on a first build) and cached."""
    global _recent
    keys = ["terms:" + hashlib.sha256((STAMP + text).encode("utf-8", "surrogatepass")).hexdigest() for text in texts]
    found = [_recent.get(key) or _disk.get(key) for key in keys]
    missing = [n for n, terms in enumerate(found) if terms is None]
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(missing) >= PARALLEL_FROM and workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            computed = list(pool.map(_key_terms_now, [texts[n] for n in missing], chunksize=64))
    else:
        computed = [_key_terms_now(texts[n]) for n in missing]
    for n, terms in zip(missing, computed):
        found[n] = terms
        _disk.put(keys[n], terms)
    _recent = dict(zip(keys, found))
    return [tuple(terms) for terms in found]


def _key_terms_now(text: str) -> list[str]:
    words = ((stem, count) for stem, count in term_counts(text).items() if not stem.isdigit())  # years say little
    return [stem for stem, _ in heapq.nsmallest(KEY_TERMS, words, key=lambda p: (-p[1], p[0]))]


def related_learning(reviews: Iterable[Learning], briefings: Iterable[Learning] = (),
                     cited: dict[str, set[str]] | None = None) -> tuple[Mapping[str, list[str]], Mapping[str, list[str]]]:
    """({review id: related review ids}, {briefing id: uncited review ids}), best first. Each
    item's list is scored when first asked for (the preview asks for one page's), then kept."""
    reviews, briefings, cited = list(reviews), list(briefings), cited or {}
    everything = [*reviews, *briefings]
    terms = dict(zip((item.id for item in everything), all_key_terms([item.text for item in everything])))
    postings = _term_postings(reviews, terms)
    weights = _rarity(postings, len(reviews) + len(briefings))
    rank = {item.id: item.rank for item in reviews}
    order = [review.id for review in sorted(reviews, key=lambda r: (r.rank, r.id))]  # newest first
    position = {item_id: n for n, item_id in enumerate(order)}
    tags = _tag_bits(reviews, position)

    def best(item: Learning, exclude: set[str], count: int) -> list[str]:
        tag_scores = _TagScores(item, tags, order, position, exclude)
        scores = _combined(_text_scores(terms[item.id], postings, weights), tag_scores, exclude, rank)
        return _best(scores, rank, count)

    related = _Scored({r.id: r for r in reviews}, lambda r: best(r, {r.id}, RELATED_COUNT))
    uncited = _Scored({b.id: b for b in briefings}, lambda b: best(b, cited.get(b.id, set()), UNCITED_COUNT))
    return related, uncited


class _Scored(Mapping):
    """Item id -> its best matches, scored on first use and kept (the result does not depend on
    which items were scored before)."""

    def __init__(self, items: dict[str, Learning], score):
        self._items, self._score, self._done = items, score, {}

    def __getitem__(self, item_id: str) -> list[str]:
        found = self._done.get(item_id)
        if found is None:
            found = self._done[item_id] = self._score(self._items[item_id])
        return found

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


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


def _tag_bits(reviews: list[Learning], position: dict[str, int]) -> dict[tuple[str, str], int]:
    """Each tag's reviews as the bits of one integer, bit n for the n-th newest review."""
    bits: dict[tuple[str, str], int] = defaultdict(int)
    for review in reviews:
        for key, _ in WEIGHTS:
            for value in getattr(review, key):
                bits[key, value] |= 1 << position[review.id]
    return bits


class _TagScores:
    """Every review's tag score for one item (the weights of the themes, harm and regions they
    share), held as binary digits in bit planes: plane k has bit n set when review n's score has
    digit k. Adding a tag is a few operations on whole integers, in C, where a Counter would count
    each of the hundreds of reviews a theme or region holds at 5,000 reviews one by one."""

    def __init__(self, item: Learning, bits: dict[tuple[str, str], int], order: list[str],
                 position: dict[str, int], exclude: set[str]):
        self.order, self.position = order, position
        planes: list[int] = []
        for key, weight in WEIGHTS:
            for value in getattr(item, key):
                tagged = bits.get((key, value), 0)
                for digit in range(weight.bit_length()):
                    if weight >> digit & 1:
                        _add(planes, tagged, digit)
        excluded = 0
        for item_id in exclude:
            if item_id in position:
                excluded |= 1 << position[item_id]
        self.planes = [plane & ~excluded for plane in planes]

    def top(self, count: int = CANDIDATES) -> dict[str, int]:
        """The `count` best scores, ties newest first (as `_top` orders a Counter's)."""
        best: dict[str, int] = {}
        everyone = 0
        for plane in self.planes:
            everyone |= plane
        for score in range((1 << len(self.planes)) - 1, 0, -1):
            if len(best) >= count or not everyone:
                break
            exact = everyone
            for digit, plane in enumerate(self.planes):
                exact &= plane if score >> digit & 1 else ~plane
            everyone &= ~exact
            while exact and len(best) < count:
                lowest = exact & -exact
                best[self.order[lowest.bit_length() - 1]] = score
                exact ^= lowest
        return best

    def scores_of(self, item_ids) -> dict[str, int]:
        """The scores of a few reviews (0 for one that shares nothing): each plane read once."""
        wanted = {self.position[item_id]: item_id for item_id in item_ids if item_id in self.position}
        mask = 0
        for bit in wanted:
            mask |= 1 << bit
        scores = dict.fromkeys(item_ids, 0)
        for digit, plane in enumerate(self.planes):
            hits = plane & mask
            while hits:
                lowest = hits & -hits
                scores[wanted[lowest.bit_length() - 1]] += 1 << digit
                hits ^= lowest
        return scores


def _add(planes: list[int], bits: int, digit: int) -> None:
    """Add 2**digit to the score of every review in `bits`: binary addition, carrying upwards."""
    carry = bits
    while carry:
        while len(planes) <= digit:
            planes.append(0)
        planes[digit], carry = planes[digit] ^ carry, planes[digit] & carry
        digit += 1


def _combined(text: Counter, tags: "_TagScores", exclude: set[str], rank: dict[str, int]) -> dict[str, float]:
    """Text and tag scores, each scaled to its best candidate, over the best candidates of each."""
    for item_id in exclude:
        text.pop(item_id, None)
    best_text, best_tags = _top(text, rank), tags.top()
    top_text, top_tags = max(best_text.values(), default=0) or 1, max(best_tags.values(), default=0) or 1
    candidates = best_text.keys() | best_tags.keys()
    tag_scores = tags.scores_of(candidates)
    return {item_id: TEXT_SHARE * text.get(item_id, 0) / top_text + tag_scores[item_id] / top_tags
            for item_id in candidates}


def _top(scores: Counter, rank: dict[str, int], count: int = CANDIDATES) -> dict[str, int]:
    """The `count` best scores, ties newest first: two sorts with keys Python does not have to call
    for each of the thousands of entries a theme brings at 5,000 reviews (sorting is stable)."""
    newest_first = sorted(scores, key=rank.__getitem__)
    return {item_id: scores[item_id] for item_id in sorted(newest_first, key=scores.__getitem__, reverse=True)[:count]}


def _best(scores: dict[str, float], rank: dict[str, int], count: int) -> list[str]:
    return [item_id for item_id, _ in heapq.nsmallest(count, scores.items(),
                                                      key=lambda p: (-round(p[1], 9), rank[p[0]]))]
