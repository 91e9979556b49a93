"""Property tests: date arithmetic, and 'ledger sync never drops an entry'."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st

from generator.dates import add_years, is_working_day, working_days_before
from generator.fieldtypes import PublishedDate
from generator.frontmatter import invisible_characters
from generator.ledger import LIVE, RETIRED, WITHDRAWN, Ledger, LedgerEntry, read_ledger, render_ledger
from generator.model import Corpus, Review
from generator.retention import Windows, available_until, status, sync

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))
years = st.integers(min_value=1, max_value=10)


@given(days, years)
def test_add_years_keeps_the_day_or_moves_29_february_to_1_march(day: dt.date, n: int) -> None:
    later = add_years(day, n)
    assert later.year == day.year + n
    if (day.month, day.day) == (2, 29) and later.month == 3:
        assert later.day == 1 and not _is_leap(later.year)
    else:
        assert (later.month, later.day) == (day.month, day.day)
    assert 365 * n <= (later - day).days <= 366 * n + 1


@given(days, years, years)
def test_add_years_is_monotonic(day: dt.date, a: int, b: int) -> None:
    assert (add_years(day, a) <= add_years(day, b)) == (a <= b)


@given(days)
def test_month_only_window_is_never_shorter_than_any_day_in_that_month(day: dt.date) -> None:
    month = PublishedDate(day.replace(day=1), month_only=True)
    for kind in ("local", "national"):
        assert available_until(month, kind, Windows()) >= available_until(PublishedDate(day), kind, Windows())


@given(days)
def test_national_window_outlasts_local(day: dt.date) -> None:
    published = PublishedDate(day)
    assert available_until(published, "national", Windows()) > available_until(published, "local", Windows())


@given(days, st.integers(min_value=1, max_value=20))
def test_working_days_before_counts_exactly(day: dt.date, count: int) -> None:
    earlier = working_days_before(day, count)
    assert is_working_day(earlier)
    between = [earlier + dt.timedelta(days=i) for i in range((day - earlier).days)]
    assert sum(map(is_working_day, between)) == count


def test_working_days_skip_england_bank_holidays() -> None:
    # Publishing Tuesday 2 January 2024: 29, 28, 27, 22, 21, 20, 19 December (1 Jan, 25-26 Dec are holidays).
    assert working_days_before(dt.date(2024, 1, 2), 7) == dt.date(2023, 12, 19)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


# --- ledger sync never drops an entry ---------------------------------------------------------

ids = st.text(alphabet="abcdefgh", min_size=3, max_size=5)


@st.composite
def entries(draw) -> LedgerEntry:
    published = PublishedDate(draw(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2026, 11, 1))))
    review_type = draw(st.sampled_from(["local", "national"]))
    state = draw(st.sampled_from([LIVE, RETIRED, WITHDRAWN]))
    title = draw(st.text(min_size=1, max_size=40).filter(  # any character front matter accepts, quotes and all
        lambda t: t.strip() == t and t and not invisible_characters(t, 1)))
    return LedgerEntry(draw(ids), title, review_type, published, available_until(published, review_type, Windows()),
                       state, published.first_day, reason="Court order" if state == WITHDRAWN else "",
                       aliases=tuple(sorted(set(draw(st.lists(ids, max_size=2))))))


@st.composite
def reviews(draw) -> object:
    review_id = draw(ids)
    published = PublishedDate(draw(st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2027, 6, 1))))
    withdrawn = draw(st.one_of(st.none(), st.dates(min_value=published.first_day, max_value=dt.date(2027, 6, 1))))
    return Review(id=review_id, path=f"content/reviews/{review_id}.md", body="", body_line=1, lines={}, item_lines={},
                  title="A review", type=draw(st.sampled_from(["local", "national"])), published=published,
                  partnership="P", regions=("london",), themes=("neglect",), harm=("neglect",), summary="S",
                  report_url="https://example.org", aliases=tuple(draw(st.lists(ids, max_size=2, unique=True))),
                  retire_on=draw(st.one_of(st.none(), st.dates(min_value=dt.date(2016, 1, 1)))),
                  withdrawn_on=withdrawn, withdrawn_reason="Court order" if withdrawn else None)


def test_an_entry_recorded_before_its_day_is_judged_by_the_window_its_file_sets_now() -> None:
    """Found by the property below: recorded while embargoed, then dated earlier, with a retire_on
    its new window allows. sync judged it by the recorded window (live), then by the new one
    (retired): one sync must do both."""
    published = PublishedDate(dt.date(2016, 2, 1))
    recorded = LedgerEntry("aaa", "A review", "local", published, dt.date(2017, 2, 1), LIVE, published.first_day)
    review = Review(id="aaa", path="content/reviews/aaa.md", body="", body_line=1, lines={}, item_lines={},
                    title="A review", type="local", published=PublishedDate(dt.date(2015, 1, 1)), partnership="P",
                    regions=("london",), themes=("neglect",), harm=("neglect",), summary="S",
                    report_url="https://example.org", retire_on=dt.date(2016, 1, 1))
    corpus = Corpus.of({"reviews": [review], "briefings": [], "themes": []})
    today = dt.date(2016, 1, 2)
    once = sync(corpus, Ledger({"aaa": recorded}), today, Windows())
    assert once.entries["aaa"].status == RETIRED and sync(corpus, once, today, Windows()) == once


@settings(max_examples=300, deadline=None)
@given(st.lists(entries(), max_size=8), st.lists(reviews(), max_size=8),
       st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2032, 1, 1)))
def test_sync_never_drops_a_published_reviews_entry(old_entries, review_list, today) -> None:
    ledger = Ledger({e.id: e for e in old_entries})
    corpus = Corpus.of({"reviews": list({r.id: r for r in review_list}.values()), "briefings": [], "themes": []})
    updated = sync(corpus, ledger, today, Windows())
    known = updated.known_ids()
    for entry in ledger.entries.values():
        if entry.published.first_day > today:  # recorded for an embargoed review: it follows its file until its day
            continue
        kept = known[entry.id]  # under its id, or as a former id of a renamed review
        assert (kept.type, kept.published, kept.available_until) == (entry.type, entry.published, entry.available_until)
        if entry.status == LIVE and kept.status == RETIRED:
            assert entry.window_ended(today)
    aliases = [a for r in corpus.reviews.values() for a in r.aliases]
    if len(aliases) == len(set(aliases)) and not set(aliases) & set(corpus.reviews):  # content that validates
        assert sync(corpus, updated, today, Windows()) == updated  # a second sync changes nothing


@settings(max_examples=100, deadline=None)
@given(st.lists(entries(), max_size=6))
def test_ledger_text_round_trips(tmp_path_factory, old_entries) -> None:
    ledger = Ledger({e.id: e for e in old_entries})
    path = tmp_path_factory.mktemp("ledger") / "retention.lock"
    path.write_text(render_ledger(ledger), encoding="utf-8")
    read, problems = read_ledger(path, "retention.lock")
    assert problems == [] and read == ledger


def test_status_of_a_ledger_only_entry() -> None:
    published = PublishedDate(dt.date(2024, 2, 29))
    entry = LedgerEntry("a-review", "T", "local", published, available_until(published, "local", Windows()),
                        LIVE, published.first_day)
    assert entry.available_until == dt.date(2025, 3, 1)
    assert status(None, entry, dt.date(2025, 3, 1), Windows()) == LIVE
    assert status(None, entry, dt.date(2025, 3, 2), Windows()) == RETIRED
