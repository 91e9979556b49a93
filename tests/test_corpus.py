"""Linking needs the whole corpus: aliases, references between items, indexes for the site."""

from __future__ import annotations

from generator.corpus import load_corpus
from generator.ledger import read_ledger
from generator.linking import citations
from generator.retention import Windows
from generator.sitemodel import build_site_model

from conftest import TODAY, Project, day


def test_alias_claimed_by_two_reviews(project: Project) -> None:
    project.review("kingsford-2026-child-a", aliases="[old-child-a]")
    project.review("kingsford-2026-child-b", aliases="[old-child-a]")
    problems = [p.text() for p in load_corpus(project.content, project.root).problems]
    assert problems == ["content/reviews/kingsford-2026-child-b.md:12: error: alias 'old-child-a' is also claimed "
                        "by content/reviews/kingsford-2026-child-a.md (a former id can belong to one item only)"]


def test_briefing_may_cite_a_review_by_its_former_id(project: Project) -> None:
    project.review("kingsford-2026-child-a-renamed", aliases="[kingsford-2026-child-a]")
    project.briefing()
    load = load_corpus(project.content, project.root)
    assert load.problems == []
    briefing = load.corpus.briefings["information-sharing-briefing"]
    cited_by = citations(load.corpus.briefings.values(), load.corpus.aliases["reviews"])
    assert cited_by["kingsford-2026-child-a-renamed"] == [briefing]


def test_theme_named_by_former_id_is_an_error_with_the_new_id(project: Project) -> None:
    project.write("content/themes/neglect.md", '---\ntitle: "Neglect"\ngroup: topic\nsummary: "S."\n'
                                               'aliases: [child-neglect]\n---\n')
    project.review(themes="[child-neglect]")
    problems = [p.text() for p in load_corpus(project.content, project.root).problems]
    assert problems == ["content/reviews/kingsford-2026-child-a.md:7: error: themes: 'child-neglect' is a former "
                        "id of theme 'neglect' (write 'neglect')"]


def test_block_list_errors_point_at_the_item_line(project: Project) -> None:
    project.review(themes="\n  - neglect\n  - informaton-sharing")
    problems = [p.text() for p in load_corpus(project.content, project.root).problems]
    assert problems == ["content/reviews/kingsford-2026-child-a.md:9: error: themes: 'informaton-sharing' is not "
                        "a theme (did you mean 'information-sharing'?)"]


def test_stray_files_are_errors_not_read(project: Project) -> None:
    project.write("content/reviews/notes.txt", "draft")
    problems = [p.text() for p in load_corpus(project.content, project.root).problems]
    assert problems == ["content/reviews/notes.txt:1: error: content/reviews/notes.txt is not published (only .md "
                        "files directly in content/reviews/, content/briefings/ and content/themes/ are published; "
                        "remove it or move it there)"]


def test_indexes_group_reviews_newest_first(project: Project) -> None:
    project.review("review-older", published="2024-05-01", regions="[london, north-east]")
    project.review("review-newer", published="2025-02", regions="[london]")
    project.sync()
    corpus = load_corpus(project.content, project.root).corpus
    ledger, _ = read_ledger(project.ledger, "retention.lock")
    by_region = build_site_model(corpus, ledger, day(TODAY), Windows()).groups["regions"]
    assert [r.id for r in by_region["london"]] == ["review-newer", "review-older"]
    assert [r.id for r in by_region["north-east"]] == ["review-older"]
    assert corpus.resolve("reviews", "review-newer") == "review-newer"
    assert corpus.reviews["review-newer"].published.display() == "February 2025"


def test_an_unknown_reference_made_many_times_is_looked_up_once(project: Project, monkeypatch) -> None:
    """The 'did you mean' search runs over every id: once per unknown reference, not per citing
    file, so 40 briefings citing one missing review stay linear in the content's size."""
    from generator import corpus

    calls = []
    monkeypatch.setattr(corpus, "did_you_mean", lambda word, choices: calls.append(word) or "")
    for n in range(40):
        project.briefing(f"briefing-{n}", reviews="[no-such-review]")
    problems = load_corpus(project.content, project.root).problems
    assert sum("'no-such-review' is not a review" in p.message for p in problems) == 40
    assert calls == ["no-such-review"]
