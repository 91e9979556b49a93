"""Related learning (generator/related.py): text and tags together, briefings' uncited reviews,
deterministic, and key terms cached by content (a second build computes none)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import related
from generator.related import Learning, related_learning

FILLER = "The review considered the work of every agency with the family over two years. " * 3


def review(review_id: str, words: str, themes=("neglect",), harm=("neglect",), regions=("london",), rank=0):
    return Learning(review_id, f"{words}\n{FILLER}", tuple(themes), tuple(harm), tuple(regions), rank)


def corpus() -> list[Learning]:
    """Ten reviews alike in tags; two of them share distinctive words (a trampoline park, the lifeguard)."""
    items = [review(f"other-{n}", f"school attendance housing report number {n}", rank=n + 2) for n in range(8)]
    items.append(review("trampoline-a", "trampoline park lifeguard trampoline park lifeguard injury", rank=0))
    items.append(review("trampoline-b", "trampoline park lifeguard trampoline lifeguard supervision", rank=1))
    return items


@pytest.fixture(autouse=True)
def no_disk_cache():
    related.use_disk_cache(None)
    yield
    related.use_disk_cache(None)


def test_shared_distinctive_words_rank_first_when_tags_are_alike() -> None:
    found, _ = related_learning(corpus())
    assert found["trampoline-a"][0] == "trampoline-b" and found["trampoline-b"][0] == "trampoline-a"
    assert "trampoline-a" not in found["trampoline-a"]  # never itself
    assert all(len(ids) == related.RELATED_COUNT for ids in found.values())


def test_tags_decide_between_texts_that_are_alike() -> None:
    items = [review("a-review", "alike"), review("same-theme-harm", "alike", regions=("north-east",), rank=1),
             review("same-theme-region", "alike", harm=("physical-abuse",), rank=2),
             review("unrelated", "alike", ("domestic-abuse",), ("physical-abuse",), ("north-east",), rank=3)]
    found, _ = related_learning(items)
    assert found["a-review"] == ["same-theme-harm", "same-theme-region"]  # sharing nothing: not related


def test_a_briefing_gets_the_reviews_like_it_that_it_does_not_cite() -> None:
    briefing = Learning("trampoline-briefing", "trampoline park lifeguard supervision", ("neglect",))
    _, uncited = related_learning(corpus(), [briefing], {"trampoline-briefing": {"trampoline-a"}})
    assert uncited["trampoline-briefing"][0] == "trampoline-b"
    assert "trampoline-a" not in uncited["trampoline-briefing"]
    assert len(uncited["trampoline-briefing"]) == related.UNCITED_COUNT


def test_the_same_content_in_any_order_gives_the_same_links() -> None:
    items = corpus()
    first, _ = related_learning(items)
    random.Random(3).shuffle(items)
    assert related_learning(items)[0] == first


def test_key_terms_are_the_most_frequent_stems_without_stop_words_or_years() -> None:
    terms = related.key_terms("The babies and the baby: 2021, 2021, 2021. Bruising on a baby.")
    assert terms[:2] == ("babi", "bruis") and "the" not in terms and "2021" not in terms


def test_key_terms_come_from_the_disk_cache_on_the_second_build(tmp_path, monkeypatch) -> None:
    related.use_disk_cache(tmp_path / "cache.sqlite")
    first, _ = related_learning(corpus())
    related.save_disk_cache()
    related.use_disk_cache(tmp_path / "cache.sqlite")  # a new run: only the file is shared

    def no_counting(text):
        raise AssertionError("key terms were computed again")
    monkeypatch.setattr(related, "term_counts", no_counting)
    assert related_learning(corpus())[0] == first


def test_many_new_texts_get_the_same_key_terms_in_worker_processes(monkeypatch) -> None:
    texts = [item.text for item in corpus()] * 3
    alone = related.all_key_terms(texts)
    monkeypatch.setattr(related, "PARALLEL_FROM", 2)
    assert related.all_key_terms(texts) == alone


def test_a_damaged_key_term_cache_changes_nothing(tmp_path) -> None:
    expected, _ = related_learning(corpus())
    cache = tmp_path / "cache.sqlite"
    cache.write_bytes(b"\x00not a database" * 100)
    related.use_disk_cache(cache)
    assert related_learning(corpus())[0] == expected
    related.save_disk_cache()
    related.use_disk_cache(cache)  # rebuilt, and usable by the next run
    assert related.all_key_terms([corpus()[0].text]) == [related.key_terms(corpus()[0].text)]


@given(st.lists(st.tuples(st.sets(st.sampled_from("abcdef"), max_size=3), st.sets(st.sampled_from("xy"), max_size=2),
                          st.sets(st.sampled_from("nsw"), max_size=1)), min_size=1, max_size=60),
       st.data())
def test_tag_scores_in_bit_planes_are_what_counting_gives(tags, data) -> None:
    """The tag scores and their best candidates (ties newest first) equal a plain Counter's."""
    from collections import Counter

    from generator.linking import WEIGHTS
    from generator.related import _tag_bits, _TagScores

    reviews = [Learning(f"r{n}", "", tuple(sorted(t)), tuple(sorted(h)), tuple(sorted(r)), rank)
               for rank, (n, (t, h, r)) in enumerate(data.draw(st.permutations(list(enumerate(tags)))))]
    order = [r.id for r in sorted(reviews, key=lambda r: r.rank)]
    position = {item_id: n for n, item_id in enumerate(order)}
    bits = _tag_bits(reviews, position)
    item = data.draw(st.sampled_from(reviews))
    exclude = {item.id, *data.draw(st.sets(st.sampled_from(order), max_size=3))}
    counted = Counter()
    for key, weight in WEIGHTS:
        for value in getattr(item, key):
            counted.update({r.id: weight for r in reviews if value in getattr(r, key)})
    for item_id in exclude:
        counted.pop(item_id, None)
    count = data.draw(st.integers(1, 8))
    expected = sorted(counted, key=lambda i: (-counted[i], position[i]))[:count]
    scores = _TagScores(item, bits, order, position, exclude)
    assert list(scores.top(count).items()) == [(i, counted[i]) for i in expected]
    asked = data.draw(st.sets(st.sampled_from(order + ["not-a-review"])))
    assert scores.scores_of(asked) == {i: counted.get(i, 0) for i in asked}
