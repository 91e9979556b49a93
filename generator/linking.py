"""Cross-links computed once for the whole site: the briefings citing a review, and how much each
shared tag counts when related learning compares reviews (related.py)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Mapping

WEIGHTS = (("themes", 3), ("harm", 2), ("regions", 1))


def citations(briefings: Iterable[Any], resolve: Mapping[str, str]) -> dict[str, list[Any]]:
    """Review id -> briefings that draw on it (a briefing may cite a review by a former id)."""
    cited: dict[str, list[Any]] = defaultdict(list)
    for briefing in sorted(briefings, key=lambda b: (-b.published.toordinal(), b.id)):
        for reference in briefing.reviews:
            review_id = resolve.get(reference, reference)
            cited[review_id].append(briefing)
    return dict(cited)
