"""Cross-links computed once for the whole site: related reviews, and briefings citing a review.

Related reviews share themes, harm and regions (weighted in that order). Counting is done with
posting lists and `Counter.update`, so 5,000 reviews take about a second, not the quadratic
time of comparing every pair. A later issue refines relatedness with text similarity.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from typing import Any, Iterable, Mapping

WEIGHTS = (("themes", 3), ("harm", 2), ("regions", 1))
RELATED_COUNT = 5


def related_reviews(reviews: Iterable[Any], count: int = RELATED_COUNT) -> dict[str, list[str]]:
    """For each review id, the ids of up to `count` reviews sharing most themes, harm and regions
    (ties: the newer first, then by id)."""
    reviews = list(reviews)
    order = {r.id: rank for rank, r in enumerate(sorted(reviews, key=_newest_first))}
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for review in reviews:
        for key, _ in WEIGHTS:
            for value in getattr(review, key):
                postings[key, value].append(review.id)
    related = {}
    for review in reviews:
        scores: Counter[str] = Counter()
        for key, weight in WEIGHTS:
            for value in getattr(review, key):
                for _ in range(weight):
                    scores.update(postings[key, value])
        del scores[review.id]
        best = heapq.nsmallest(count, scores.items(), key=lambda item: (-item[1], order[item[0]]))
        related[review.id] = [review_id for review_id, _ in best]
    return related


def citations(briefings: Iterable[Any], resolve: Mapping[str, str]) -> dict[str, list[Any]]:
    """Review id -> briefings that draw on it (a briefing may cite a review by a former id)."""
    cited: dict[str, list[Any]] = defaultdict(list)
    for briefing in sorted(briefings, key=lambda b: (-b.published.toordinal(), b.id)):
        for reference in briefing.reviews:
            review_id = resolve.get(reference, reference)
            cited[review_id].append(briefing)
    return dict(cited)


def _newest_first(review: Any) -> tuple:
    return (-review.published.first_day.toordinal(), review.id)
