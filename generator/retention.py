"""Statutory publication windows, each review's lifecycle, ledger sync and the retention checks.

Pure functions: "today" is always an argument and nothing here touches the disk (ledger.py
reads and writes). The rules are the contract's: a local review stays available for at least
1 year, a national one for at least 3; an entry of the ledger is never dropped once its review
is published. A review dated in the future (embargoed) is recorded when it is added, so that it
appears on its day with nothing left to do: until that day its entry follows its file (a new
date, a new type), and it goes if the file goes, for nothing of it was ever published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any, Iterable

from . import htmlcheck, textprints
from .characters import latin_form
from .dates import add_years
from .fieldtypes import ID_PATTERN, PublishedDate
from .ledger import LIVE, RETIRED, WITHDRAWN, Ledger, LedgerEntry
from .model import Corpus
from .problems import Problem, error, info, warning

EMBARGOED = "embargoed"
STATUTORY_MINIMUM_YEARS = {"local": 1, "national": 3}
MAXIMUM_WINDOW_YEARS = 100  # keeps available-until dates inside the calendar
SYNC_HINT = "run `python -m generator ledger sync` and commit retention.lock"
ALIAS_HINT = ("a former id belongs to the one review that was renamed from it; `ledger sync` records it: restore "
              "retention.lock from the target branch and sync")


class ConfigError(Exception):
    """A setting that the statutory rules do not allow (a window shorter than the minimum)."""


@dataclass(frozen=True)
class Windows:
    """How many years each type of review must stay available; never below the statutory minimum."""

    local: int = 1
    national: int = 3

    def __post_init__(self) -> None:
        for review_type, minimum in STATUTORY_MINIMUM_YEARS.items():
            years = getattr(self, review_type)
            if not isinstance(years, int) or isinstance(years, bool) or years < minimum:
                raise ConfigError(f"{review_type}_window_years is {years!r}; statutory guidance requires "
                                  f"a whole number of at least {minimum}")
            if years > MAXIMUM_WINDOW_YEARS:
                raise ConfigError(f"{review_type}_window_years is {years}; at most {MAXIMUM_WINDOW_YEARS}")

    def years(self, review_type: str) -> int:
        return getattr(self, review_type)


def available_until(published: PublishedDate, review_type: str, windows: Windows) -> dt.date:
    """Last day the review must stay available: published (a month-only date: its last day)
    plus the window in whole years."""
    return add_years(published.last_day, windows.years(review_type))


def is_embargoed(review: Any, today: dt.date) -> bool:
    return review.published is not None and review.published.first_day > today


def not_yet_published(entry: LedgerEntry, today: dt.date) -> bool:
    """An entry recorded for an embargoed review whose day has not come: nothing to keep yet."""
    return entry.published.first_day > today


def withdrawal_in_effect(review: Any, today: dt.date) -> bool:
    """Withdrawn from `withdrawn_on`, and only when the reason is recorded too."""
    return review.withdrawn_on is not None and bool(review.withdrawn_reason) and review.withdrawn_on <= today


def retirement_date(review: Any, until: dt.date) -> dt.date | None:
    """The day a review with `retire_on` becomes a catalogue record: never inside its window."""
    if review.retire_on is None:
        return None
    return max(review.retire_on, until + dt.timedelta(days=1))


def window_end(review: Any, entry: LedgerEntry | None, windows: Windows) -> dt.date:
    """The available-until date: as recorded in the ledger once published, else as computed."""
    return entry.available_until if entry else available_until(review.published, review.type, windows)


def dated_reviews(corpus: Corpus, ledger: Ledger) -> Iterable[tuple[Any, LedgerEntry | None]]:
    """Reviews whose id, type and publication date are valid (the others already have errors), each
    with its ledger entry, found under its id or a former id."""
    for review in corpus.reviews.values():
        if review.published is not None and review.type is not None and ID_PATTERN.match(review.id):
            yield review, ledger.find(review.id, review.aliases)


def status(review: Any | None, entry: LedgerEntry | None, today: dt.date, windows: Windows) -> str:
    """The lifecycle state today: embargoed, live, retired or withdrawn.

    The file, where it exists, is the truth, except that a withdrawal the ledger records is kept
    whatever the file says now; a review known only to the ledger is retired once its window has
    ended (its file was deleted) and keeps a recorded withdrawal.
    """
    if review is None:
        if not_yet_published(entry, today):  # its file went before its day: it never was published
            return EMBARGOED
        if entry.status == LIVE and entry.window_ended(today):
            return RETIRED
        return entry.status
    if is_embargoed(review, today):  # first: an unpublished review must leave no trace, not even a notice
        return EMBARGOED
    if withdrawal_in_effect(review, today) or (entry is not None and entry.status == WITHDRAWN):
        return WITHDRAWN  # once recorded, for good: a withdrawal is for a legal reason, and never undone by a file
    retire_day = retirement_date(review, window_end(review, entry, windows))
    return RETIRED if retire_day and today >= retire_day else LIVE


def _entry_for(review: Any, today: dt.date, windows: Windows, state: str, old: LedgerEntry | None) -> LedgerEntry:
    """A ledger entry describing `review` today; type, published and available-until are kept
    from `old` once recorded: they never change after publication (before it, they follow the file)."""
    old = _following_its_file(review, old, today, windows)
    if old is None:
        until = available_until(review.published, review.type, windows)
        old = LedgerEntry(review.id, review.title, review.type, review.published, until, LIVE,
                          review.published.first_day)
    aliases = tuple(sorted((set(old.aliases) | {old.id}) - {review.id}))  # renamed back: its id is no alias
    entry = replace(old, id=review.id, title=review.title, partnership=review.partnership or "",
                    regions=review.regions, themes=review.themes, harm=review.harm, aliases=aliases)
    if state == WITHDRAWN and not entry.withdrawn_text:  # once, from the text withdrawn; kept when the file goes
        entry = replace(entry, withdrawn_text=textprints.text_prints(review.body))
    if state in (entry.status, EMBARGOED):
        return entry
    if state == WITHDRAWN:
        return entry.with_status(WITHDRAWN, review.withdrawn_on, review.withdrawn_reason)
    if state == RETIRED:
        return entry.with_status(RETIRED, retirement_date(review, entry.available_until))
    return entry.with_status(LIVE, today)


def _following_its_file(review: Any, old: LedgerEntry | None, today: dt.date, windows: Windows) -> LedgerEntry | None:
    """An entry recorded before its publication day follows its file (type, date, window) until
    that day; a published one never does, even if its file moved on."""
    if old is None or not not_yet_published(old, today):
        return old
    return replace(old, type=review.type, published=review.published, status=LIVE, status_date=review.published.first_day,
                   available_until=available_until(review.published, review.type, windows))


def sync(corpus: Corpus, ledger: Ledger, today: dt.date, windows: Windows) -> Ledger:
    """The ledger brought up to date: new reviews added (an embargoed one too, to appear on its day),
    withdrawals and due retirements recorded, renamed reviews re-keyed with their former id kept.
    Never drops the entry of a published review; one whose file went before its day goes."""
    entries = dict(ledger.entries)
    for review, old in dated_reviews(corpus, ledger):
        if old is not None and old.id != review.id:
            if review.id in entries:
                old = entries[review.id]
            else:  # renamed: the entry moves to the new id and keeps the old one as an alias
                entries.pop(old.id, None)
        old = _following_its_file(review, old, today, windows)  # judged by its window as the file sets it now
        entries[review.id] = _entry_for(review, today, windows, status(review, old, today, windows), old)
    with_files = set(carried_entries(corpus, ledger)) | set(corpus.reviews)
    for key, entry in list(entries.items()):
        if key not in with_files and not_yet_published(entry, today):
            del entries[key]
        elif key not in with_files and entry.status == LIVE and entry.window_ended(today):
            entries[key] = entry.with_status(RETIRED, today)
    return Ledger(entries, ledger.path)


def carried_entries(corpus: Corpus, ledger: Ledger) -> dict[str, Any]:
    """Ledger entry id -> the review file that carries it: the review of that id or, for a
    renamed review without an entry of its own, the review listing that id as a former id."""
    carried: dict[str, Any] = {}
    for review in corpus.reviews.values():
        entry = ledger.find(review.id, review.aliases)
        if entry is not None:
            carried.setdefault(entry.id, review)
    return carried


def check(corpus: Corpus, ledger: Ledger, today: dt.date, windows: Windows,
          base: Ledger | None = None) -> list[Problem]:
    """Every retention rule of the contract, as problems (see README, 'Retention')."""
    problems = _check_reviews(corpus, ledger, today, windows) + _check_withdrawn_text(corpus, ledger, today)
    new = frozenset() if base is None else frozenset(
        e.id for e in ledger.entries.values()
        if e.id not in base.entries and not any(alias in base.entries for alias in e.aliases))
    problems += _check_entries(corpus, ledger, today, base) + _check_windows(ledger, windows, new)
    problems += _check_ledger_aliases(ledger)
    if base is not None:
        problems += check_against_base(ledger, base, today, carried_entries(corpus, ledger))
    return problems


def out_of_date(corpus: Corpus, ledger: Ledger, today: dt.date, windows: Windows,
                base: Ledger | None = None) -> list[Problem]:
    """A warning when `ledger sync` would change anything; an error, with `base`, for an entry the
    pull request changed into something sync would not write (a title, a partnership or a window
    edited by hand, which would outlive the file). Meaningful only for error-free content."""
    synced = sync(corpus, ledger, today, windows)
    if synced == ledger:
        return []
    edited = [] if base is None else _hand_edits(ledger, base, synced)
    return edited or [warning(ledger.path, 1, "retention.lock is out of date (titles, themes, retirements or "
                              "withdrawals have changed)", hint=SYNC_HINT)]


_FROM_THE_FILE = ("title", "type", "partnership", "published", "available_until", "regions", "themes", "harm", "aliases")


def _hand_edits(ledger: Ledger, base: Ledger, synced: Ledger) -> list[Problem]:
    problems = []
    for key, entry in ledger.entries.items():
        wanted = synced.entries.get(key)
        if wanted is None or base.entries.get(key) == entry:
            continue
        differ = [name for name in _FROM_THE_FILE if getattr(entry, name) != getattr(wanted, name)]
        if differ:
            problems.append(error(ledger.path, entry.line, f"'{key}': {', '.join(differ)} in {ledger.path} "
                                  f"differ{'s' * (len(differ) == 1)} from what `ledger sync` writes from its file",
                                  differ[0], SYNC_HINT))
    return problems


def _check_reviews(corpus: Corpus, ledger: Ledger, today: dt.date, windows: Windows) -> list[Problem]:
    problems = []
    former = former_ids(ledger)
    withdrawn = {_plain_title(e.title): e for e in ledger.entries.values() if e.status == WITHDRAWN}
    for review, entry in dated_reviews(corpus, ledger):
        problems += _check_retire_on(review, entry, windows) + _check_alias_entries(review, entry, ledger, corpus)
        problems += _check_former_ids_claimed(review, entry, former, ledger.path)
        twin = withdrawn.get(_plain_title(review.title)) if withdrawn else None
        if twin is not None and (entry is None or entry.id != twin.id):
            problems.append(error(review.path, review.line_of("title"), f"title is that of '{twin.id}', withdrawn on "
                                  f"{twin.status_date}: a withdrawn review is not published again under another id",
                                  "title", "if this is another review, give it its own title; publishing a withdrawn "
                                  "review again is a maintainer's decision (README, Retention)"))
        if review.withdrawn_on and review.withdrawn_on > today:
            problems.append(warning(review.path, review.line_of("withdrawn_on"),
                                    f"withdrawn_on ({review.withdrawn_on}) is in the future; the review "
                                    "stays live until then", "withdrawn_on"))
        problems += _embargo_notice(review, today)
        if entry is None:
            message = (f"review to be published on {review.published} is not in {ledger.path}: recorded now, it "
                       "appears on its day" if is_embargoed(review, today)
                       else f"review published on {review.published} is not in {ledger.path}")
            problems.append(error(review.path, review.line_of("published"), message, "published", SYNC_HINT))
            continue
        if not not_yet_published(entry, today):
            problems += _check_unchanged(review, entry, ledger.path)
        elif (entry.type, entry.published) != (review.type, review.published):  # sync before its day comes
            problems.append(error(review.path, review.line_of("published"),
                                  f"{ledger.path} records this review as a {entry.type} review to be published on "
                                  f"{entry.published}; its file says {review.type}, {review.published}",
                                  "published", SYNC_HINT))
    return problems


# A withdrawn review's text published again under another id and title (the title check misses
# it). Compared sentence by sentence as the pages show them (markup, paragraphs, lists and tables
# aside): an item holding half of a withdrawn review's long sentences, and at least 8, is refused,
# however much it adds. A partnership's reviews share a few set sentences ("This review was
# commissioned by..."), not half of one; with fewer than 8, a short withdrawn review made mostly
# of them would refuse its siblings (and ledger sync would not record the withdrawal).
REPEATED_SENTENCES = 8
REPEATED_SHARE = 0.5
OWNERS_KEPT = 8  # withdrawn reviews a sentence is counted for: many sharing one would make the check quadratic
_WITHDRAWN_HINT = ("publishing a withdrawn review again is a maintainer's decision (README, Retention); if this is "
                   "another review, write its own text")


def _check_withdrawn_text(corpus: Corpus, ledger: Ledger, today: dt.date) -> list[Problem]:
    """A review, briefing or theme that repeats most of a withdrawn review: of its file's text, if
    the file is here (withdrawn now or on a later day), and of the sentences the ledger keeps
    (withdrawn_text), judged apart. Only a review withdrawn now is not judged itself. Linear in
    the content's size: one set of sentences, one pass; one problem an item."""
    withdrawn = [review for review in corpus.reviews.values() if review.withdrawn_on is not None
                 or (entry := ledger.find(review.id, review.aliases)) is not None and entry.status == WITHDRAWN]
    owners: dict[bytes, set[str]] = {}  # a sentence's key -> the withdrawn reviews whose files hold it
    sizes: dict[str, int] = {}
    for review in withdrawn:
        sentences = textprints.long_sentences("reviews", review.body)
        sizes[review.id] = len(sentences)
        for key in sentences:
            holders = owners.setdefault(key, set())
            if len(holders) < OWNERS_KEPT:
                holders.add(review.id)
    kept = {entry.id: set(entry.withdrawn_text) for entry in ledger.entries.values()
            if entry.status == WITHDRAWN and entry.withdrawn_text}  # its file may be gone, or changed
    if not owners and not kept:
        return []
    exempt = {id(review) for review in withdrawn if status(review, ledger.find(review.id, review.aliases), today,
                                                           Windows()) == WITHDRAWN}
    problems = []
    items = [*(("reviews", r) for r in corpus.reviews.values()), *(("briefings", b) for b in corpus.briefings.values()),
             *(("themes", t) for t in corpus.themes.values())]
    for kind, item in items:
        if id(item) in exempt:
            continue
        sentences = textprints.long_sentences(kind, item.body)
        found: list[tuple[float, int, int, str, list[str]]] = []  # (share, count, size, what, sentences)
        shared: dict[str, list[str]] = {}
        for key, text in sentences.items():
            for owner in owners.get(key, ()):
                if owner != getattr(item, "id", None) or kind != "reviews":
                    shared.setdefault(owner, []).append(text)
        found += [(len(texts) / sizes[owner], len(texts), sizes[owner], f"of '{owner}'", texts)
                  for owner, texts in shared.items()]
        if kept:
            prints = {textprints.sentence_print(key): text for key, text in sentences.items()}
            for owner, sample in kept.items():
                texts = [prints[p] for p in sorted(sample & prints.keys())]
                if texts and not (kind == "reviews" and item.id == owner):
                    found.append((len(texts) / len(sample), len(texts), len(sample),
                                  f"that retention.lock keeps of '{owner}'", texts))
        over = [f for f in found if f[1] >= max(REPEATED_SENTENCES, REPEATED_SHARE * f[2])]
        if over:
            _, count, size, what, texts = max(over, key=lambda f: (f[0], f[1]))
            line = htmlcheck.locate_text([latin_form(texts[0])], item.body, item.body_line, latin_form)[0]
            problems.append(error(item.path, line, f"{count} of the {size} sentences {what}, which is withdrawn, are "
                                  "repeated here: a withdrawn review is not published again", hint=_WITHDRAWN_HINT))
    return problems


EMBARGO_TYPO_DAYS = 366


def _embargo_notice(review: Any, today: dt.date) -> list[Problem]:
    """A future publication date hides the review until then: say so, and warn when it is so far
    ahead that it is probably a typo (2062 for 2026)."""
    if not is_embargoed(review, today):
        return []
    day, line = review.published.first_day, review.line_of("published")
    notice = info(review.path, line, f"embargoed until {day}; it will appear on the site that day", "published")
    if (day - today).days <= EMBARGO_TYPO_DAYS:
        return [notice]
    return [notice, warning(review.path, line, f"published ({review.published}) is more than a year from today "
                            f"({today}); is it a typo?", "published", "check the year")]


def _check_alias_entries(review: Any, entry: LedgerEntry | None, ledger: Ledger, corpus: Corpus) -> list[Problem]:
    """A former id that is another recorded review's id would hide that review's page and entry
    (one whose file still exists is reported by corpus.link already)."""
    return [error(review.path, review.line_of("aliases", alias),
                  f"alias '{alias}' is the id of another review recorded in {ledger.path}", "aliases",
                  "an alias is this review's own former id; remove it")
            for alias in review.aliases if alias in ledger.entries and alias not in corpus.reviews
            and (entry is None or alias != entry.id)]


def _plain_title(title: str) -> str:
    """A title as compared: case, spacing and punctuation aside."""
    return " ".join("".join(c if c.isalnum() else " " for c in title.casefold()).split())


def former_ids(ledger: Ledger) -> dict[str, LedgerEntry]:
    """Every former id the ledger records (an alias, not an entry's own id), to the entry it leads to."""
    return {alias: entry for entry in ledger.entries.values() for alias in entry.aliases
            if alias not in ledger.entries}


def _check_former_ids_claimed(review: Any, entry: LedgerEntry | None, former: dict[str, LedgerEntry],
                              ledger_path: str) -> list[Problem]:
    """A renamed review's former id keeps leading to it: another review may not take it as its id
    or list it as its own former id (the old address would then serve a different review)."""
    claims = [(review.id, "id", f"this review's id '{review.id}'", "choose another id (rename the file)")]
    claims += [(alias, "aliases", f"alias '{alias}'", "remove it: an alias is this review's own former id")
               for alias in review.aliases]
    return [error(review.path, review.line_of(key_name, None if key_name == "id" else key), f"{what} is a former id "
                  f"of '{former[key].id}' in {ledger_path}: its old links lead there", key_name, hint)
            for key, key_name, what, hint in claims
            if key in former and (entry is None or former[key].id != entry.id)]


def _check_retire_on(review: Any, entry: LedgerEntry | None, windows: Windows) -> list[Problem]:
    until = window_end(review, entry, windows)
    if review.retire_on is None or review.retire_on >= until:
        return []
    return [error(review.path, review.line_of("retire_on"),
                  f"retire_on ({review.retire_on}) is before the review's available-until date ({until})",
                  "retire_on", f"a {review.type} review must stay available until {until}; set retire_on to "
                  f"{until} or later")]


_LABELS = {"type": "type", "published": "publication date"}


def _check_unchanged(review: Any, entry: LedgerEntry, ledger_path: str) -> list[Problem]:
    problems = []
    for key in ("type", "published"):
        if getattr(review, key) != getattr(entry, key):
            problems.append(error(review.path, review.line_of(key),
                                  f"{key} is '{getattr(review, key)}' but {ledger_path} recorded "
                                  f"'{getattr(entry, key)}' when it was published", key,
                                  f"the {_LABELS[key]} of a published review cannot change: "
                                  f"restore '{getattr(entry, key)}'"))
    return problems


def _check_entries(corpus: Corpus, ledger: Ledger, today: dt.date, base: Ledger | None = None) -> list[Problem]:
    """Ledger entries whose window is still open must have their file (or a recorded withdrawal);
    one new since `base` has its own error (check_against_base): it never had a file to restore."""
    present = carried_entries(corpus, ledger)
    problems = []
    for entry in ledger.entries.values():
        if not_yet_published(entry, today):
            if entry.id not in present:  # left, it would be missed on its day: sync takes it out
                problems.append(error(ledger.path, entry.line, f"'{entry.id}' is recorded to be published on "
                                      f"{entry.published}, but content/reviews/{entry.id}.md is gone", hint=SYNC_HINT))
            elif entry.status != LIVE:  # a time bomb: on its day the review would be found retired or withdrawn
                problems.append(error(ledger.path, entry.line, f"'{entry.id}' is to be published on {entry.published} "
                                      f"but is marked {entry.status}: a review not yet published is recorded live",
                                      "status", SYNC_HINT))
            continue
        if entry.status == WITHDRAWN and entry.id in present and not withdrawal_in_effect(present[entry.id], today):
            review = present[entry.id]
            problems.append(error(review.path, review.line_of("withdrawn_on"), f"{ledger.path} records this review as "
                                  f"withdrawn on {entry.status_date}, but its file does not record a withdrawal in "
                                  "effect: a withdrawn review is never published again", "withdrawn_on",
                                  f"write withdrawn_on: {entry.status_date} and withdrawn_reason in the file; a "
                                  f"withdrawal entered in {ledger.path} by hand is undone there, by a maintainer"))
        if entry.window_ended(today) or entry.status == WITHDRAWN:
            continue
        if entry.status == RETIRED:
            problems.append(error(ledger.path, entry.line, f"'{entry.id}' is marked retired but must stay "
                                  f"available until {entry.available_until}", hint="restore 'status: live'"))
        elif entry.id not in present and (base is None or entry.id in base.entries):
            problems.append(error(ledger.path, entry.line,
                                  f"content/reviews/{entry.id}.md is gone, but this {entry.type} review must stay "
                                  f"available until {entry.available_until}",
                                  hint="restore the file; to remove it for a legal reason, keep it and add "
                                  "withdrawn_on and withdrawn_reason"))
    return problems


def _check_ledger_aliases(ledger: Ledger) -> list[Problem]:
    """A former id leads to one review only, and never hides a recorded review's own id (briefings'
    citations and the open data resolve former ids first). `ledger sync` never writes either."""
    problems, holders = [], {}
    for entry in ledger.entries.values():
        for alias in entry.aliases:
            if alias in ledger.entries:
                problems.append(error(ledger.path, entry.line, f"'{entry.id}' lists '{alias}' as a former id, but "
                                      f"'{alias}' is another review's entry", "aliases", ALIAS_HINT))
            elif holders.setdefault(alias, entry.id) != entry.id:
                problems.append(error(ledger.path, entry.line, f"'{entry.id}' lists '{alias}' as a former id, but so "
                                      f"does '{holders[alias]}'", "aliases", ALIAS_HINT))
    return problems


def _check_windows(ledger: Ledger, windows: Windows = Windows(), new: frozenset[str] = frozenset()) -> list[Problem]:
    """No recorded window shorter than the statutory one: `ledger sync` never writes one, but the
    ledger is a text file a pull request may edit (a later date only keeps a review longer). An
    entry `new` in the pull request keeps the configured window, which may be longer; once
    recorded, the date never changes, whatever mkdocs.yml says later."""
    problems = []
    for entry in ledger.entries.values():
        if entry.type not in STATUTORY_MINIMUM_YEARS:
            continue  # an unknown type is reported where the ledger is read
        rule = windows if entry.id in new else Windows()
        years, minimum = rule.years(entry.type), available_until(entry.published, entry.type, rule)
        if entry.available_until < minimum:
            problems.append(error(ledger.path, entry.line, f"'{entry.id}': available_until is {entry.available_until}, "
                                  f"but a {entry.type} review must stay available for at least {years} "
                                  f"year{'s' * (years != 1)} from its publication ({entry.published})"
                                  + (" as mkdocs.yml sets" if entry.id in new else ""),
                                  "available_until", f"write available_until: {minimum} or later; `ledger sync` "
                                  "records the date itself"))
    return problems


def check_against_base(ledger: Ledger, base: Ledger, today: dt.date, carried: dict[str, Any]) -> list[Problem]:
    """Compare with the target branch's ledger: nothing removed, nothing recorded rewritten, no
    former id lost, no review withdrawn inside its window unless its file records the withdrawal,
    and nothing new recorded without a file to judge."""
    problems = []
    known = ledger.known_ids()
    for entry in base.entries.values():
        if not_yet_published(entry, today):
            continue  # an embargoed review's entry follows its file until its day: nothing was published
        current = successor(entry, ledger, base, carried, known)
        if current is None:
            problems.append(error(ledger.path, 1, f"entry '{entry.id}' of {base.path} (line {entry.line}) "
                                  "is missing", hint=MISSING_HINT))
            continue
        for key in ("type", "published", "available_until"):
            if getattr(entry, key) != getattr(current, key):
                problems.append(error(ledger.path, current.line,
                                      f"'{current.id}': {key} is '{getattr(current, key)}' but {base.path} "
                                      f"records '{getattr(entry, key)}'", key, f"restore '{getattr(entry, key)}'"))
        if entry.status == LIVE and current.status == RETIRED and not entry.window_ended(today):
            problems.append(error(ledger.path, current.line, f"'{current.id}' is retired before the end of its "
                                  f"window ({entry.available_until})", hint="restore 'status: live'"))
        review = carried.get(current.id)
        if entry.status == WITHDRAWN and current.status != WITHDRAWN:
            problems.append(error(ledger.path, current.line, f"'{current.id}' was withdrawn on {entry.status_date} "
                                  f"({base.path}); a pull request cannot publish it again",
                                  hint=f"restore 'status: withdrawn' as {base.path} records it"))
        problems += _check_prints(entry, current, carried.get(current.id), ledger.path, base.path)
        if entry.status != WITHDRAWN and current.status == WITHDRAWN and len(current.withdrawn_text) < REPEATED_SENTENCES:
            problems.append(warning(ledger.path, current.line, f"'{current.id}' is withdrawn with too little of its "
                                    f"text for retention.lock to keep ({len(current.withdrawn_text)} sentences): a copy "
                                    "of it published later could not be found", "withdrawn_text",
                                    "withdraw it with its text as published, then remove the text in a later pull "
                                    "request (ledger sync keeps a hash of each sentence with the withdrawal)"))
        if entry.status != WITHDRAWN and current.status == WITHDRAWN and not (
                review is not None and withdrawal_in_effect(review, today)):
            problems.append(error(ledger.path, current.line, f"'{current.id}' is marked withdrawn, but its file "
                                  "does not record a withdrawal", hint="keep the review file in this pull request "
                                  "and add withdrawn_on and withdrawn_reason to it; then run `ledger sync`"))
        problems += _check_former_ids_kept(entry, current, known, ledger.path)
        if review is None:
            problems += _check_record_unchanged(entry, current, base.path, ledger.path)
    for current in ledger.entries.values():
        if current.id not in base.entries and current.withdrawn_text:  # new here, or renamed (kept its hashes)
            former = next((base.entries[alias] for alias in current.aliases if alias in base.entries), None)
            problems += _check_prints(former, current, carried.get(current.id), ledger.path, base.path)
    return problems + _check_new_entries(ledger, base, today, carried)


def _check_prints(recorded: LedgerEntry | None, current: LedgerEntry, review: Any, ledger_path: str,
                  base_path: str) -> list[Problem]:
    """withdrawn_text, once recorded, never changes; it is recorded only as `ledger sync` records it,
    from the withdrawn file (written by hand, it could make any live review's text refused)."""
    if recorded is not None and recorded.withdrawn_text:
        if current.withdrawn_text == recorded.withdrawn_text:
            return []
        return [error(ledger_path, current.line, f"'{current.id}': withdrawn_text differs from what {base_path} "
                      "records", "withdrawn_text", f"restore it as {base_path} records it")]
    if not current.withdrawn_text or (review is not None and current.status == WITHDRAWN
                                      and textprints.text_prints(review.body) == current.withdrawn_text):
        return []
    return [error(ledger_path, current.line, f"'{current.id}': withdrawn_text is not what `ledger sync` records from "
                  "its file", "withdrawn_text", "remove it and run `ledger sync`: it is recorded with the withdrawal, "
                  "from the withdrawn review's file")]


MISSING_HINT = ("ledger entries are never removed: restore it; to rename a review, rename its file, list the old id "
                "under aliases: in it and run `ledger sync`")


def successor(entry: LedgerEntry, ledger: Ledger, base: Ledger, carried: dict[str, Any],
              known: dict[str, LedgerEntry]) -> LedgerEntry | None:
    """The entry that records the base entry's review now: the same id or, for a renamed review, the
    new entry whose review file lists the old id under `aliases:`. An alias written into the ledger
    alone never counts: that would let one review's entry stand in for another's. `known`: the
    ledger's known_ids(), made once for every base entry."""
    if entry.id in ledger.entries:
        return ledger.entries[entry.id]
    holder = known.get(entry.id)
    review = carried.get(holder.id) if holder is not None else None
    if holder is not None and holder.id not in base.entries and review is not None and entry.id in review.aliases:
        return holder
    return None


def _check_former_ids_kept(entry: LedgerEntry, current: LedgerEntry, known: dict[str, LedgerEntry],
                           ledger_path: str) -> list[Problem]:
    """Every id a recorded review was known by still leads to it: old links and citations keep working."""
    return [error(ledger_path, current.line, f"'{current.id}': former id '{former}' is no longer recorded for it",
                  "aliases", f"old links to '{former}' would break: restore it under aliases: in {ledger_path} "
                  "and in the review's file")
            for former in (entry.id, *entry.aliases) if former not in known or known[former].id != current.id]


def _check_record_unchanged(entry: LedgerEntry, current: LedgerEntry, base_path: str,
                            ledger_path: str) -> list[Problem]:
    """A review known only to the ledger (its file gone) is a record nobody may rewrite: the one change
    allowed is sync's, retiring it at the end of its window (checked above)."""
    retired_now = entry.status == LIVE and current.status == RETIRED
    ignored = {"line", "status", "status_date"} if retired_now else {"line"}
    changed = [f.name for f in fields(LedgerEntry) if f.name not in ignored
               and getattr(entry, f.name) != getattr(current, f.name)]
    return [error(ledger_path, current.line, f"'{current.id}' has no review file, but its {', '.join(changed)} "
                  f"differ{'s' * (len(changed) == 1)} from {base_path}", changed[0],
                  f"restore the entry as {base_path} records it: a record without its file cannot change")] if changed else []


def _check_new_entries(ledger: Ledger, base: Ledger, today: dt.date, carried: dict[str, Any]) -> list[Problem]:
    """An entry new in the pull request comes from a review file (`ledger sync` writes it from one): a
    hand-written one would publish a record nothing has checked."""
    return [error(ledger.path, entry.line, f"'{entry.id}' is new in this pull request but has no review file",
                  hint=f"add content/reviews/{entry.id}.md and run `ledger sync`, or remove this entry")
            for entry in ledger.entries.values()
            if entry.id not in base.entries and entry.id not in carried and not not_yet_published(entry, today)]


@dataclass(frozen=True)
class RetentionRow:
    """One line of the `retention` report."""

    id: str
    type: str
    published: str
    available_until: str
    days_left: int
    status: str


def report(corpus: Corpus, ledger: Ledger, today: dt.date, windows: Windows) -> list[RetentionRow]:
    """Every review, from its file or (file gone) from the ledger, soonest window end first."""
    rows = []
    for review, entry in dated_reviews(corpus, ledger):
        until = window_end(review, entry, windows)
        rows.append(RetentionRow(review.id, review.type, review.published.isoformat(), until.isoformat(),
                                 (until - today).days, status(review, entry, today, windows)))
    present = carried_entries(corpus, ledger)
    for entry in (e for e in ledger.entries.values() if e.id not in present):
        rows.append(RetentionRow(entry.id, entry.type, entry.published.isoformat(),
                                 entry.available_until.isoformat(), (entry.available_until - today).days,
                                 status(None, entry, today, windows)))
    return sorted(rows, key=lambda r: (r.available_until, r.id))



def lifecycle(corpus: Corpus, ledger: Ledger, today: dt.date, windows: Windows) -> dict[str, str]:
    """Every review id, from its file or the ledger alone, to its state today: what the site renders
    (embargoed: nothing; live: the page; retired: a catalogue record; withdrawn: a bare notice)."""
    return {row.id: row.status for row in report(corpus, ledger, today, windows)}
