"""The content this repository ships validates, and its themes are the ones practitioners expect."""

from __future__ import annotations

from pathlib import Path

from generator.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_content_validates_without_errors() -> None:
    """Only advisory warnings: real reviews whose reviewers the sources do not name."""
    load = load_corpus(ROOT / "content", ROOT)
    assert [p.text() for p in load.problems if p.is_error] == []
    assert {p.message for p in load.problems} <= {"'reviewers' is missing"}


def test_shipped_content_is_substantial() -> None:
    corpus = load_corpus(ROOT / "content", ROOT).corpus
    assert len(corpus.reviews) >= 10 and len(corpus.briefings) >= 8
    assert {r.type for r in corpus.reviews.values()} == {"local", "national"}
    cited = {ref for b in corpus.briefings.values() for ref in b.reviews}
    assert cited and cited <= set(corpus.reviews)


def test_six_practice_themes_and_at_least_fifteen_topics() -> None:
    themes = load_corpus(ROOT / "content", ROOT).corpus.themes.values()
    practice = {t.id for t in themes if t.group == "practice"}
    assert practice == {"childs-daily-life", "reluctant-engagement", "critical-thinking", "changing-risk",
                        "information-sharing", "leadership-and-culture"}
    topics = [t for t in themes if t.group == "topic"]
    assert len(topics) >= 15
    assert all(t.summary and len(t.synonyms) >= 3 and len(t.body.split()) >= 80 for t in themes)
