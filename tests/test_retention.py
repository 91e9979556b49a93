"""Retention scenarios through the command line, as a partnership's pull request would meet them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from generator.ledger import read_ledger
from generator import ledger as ledger_module

from generator.dates import add_years, today_in_london
from conftest import Project



def statuses(project: Project, today: str) -> dict[str, str]:
    return {row["id"]: row["status"] for row in project.retention(today)}


def test_published_review_must_be_in_ledger(project: Project) -> None:
    project.review()
    result = project.validate()
    assert result.exit_code == 1
    assert result.lines == ["content/reviews/kingsford-2026-child-a.md:4: error: review published on 2026-03-05 "
                            "is not in retention.lock (run `python -m generator ledger sync` and commit retention.lock)"]


def test_sync_records_what_a_catalogue_record_needs(project: Project) -> None:
    project.published()
    text = project.ledger.read_text()
    assert "  kingsford-2026-child-a:\n" in text
    for line in ('title: "Child A: learning about information sharing"', "type: local",
                 'partnership: "Kingsford Safeguarding Children Partnership"', "published: 2026-03-05",
                 "available_until: 2027-03-05", "regions: [london]", "themes: [information-sharing, neglect]",
                 "harm: [neglect]", "status: live", "status_date: 2026-03-05"):
        assert f"    {line}\n" in text
    assert project.validate().exit_code == 0


def test_deleting_inside_window_fails(project: Project) -> None:
    project.published()
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    result = project.validate(today="2027-03-05")  # the last day of the window
    assert result.exit_code == 1
    assert result.lines[0].startswith("retention.lock:5: error: content/reviews/kingsford-2026-child-a.md is gone, "
                                      "but this local review must stay available until 2027-03-05")
    before = project.ledger.read_bytes()
    assert project.sync(today="2027-03-05").exit_code == 1  # sync refuses too: nothing is retired early
    assert project.ledger.read_bytes() == before


def test_deleting_after_window_retires_and_keeps_entry(project: Project) -> None:
    project.published()
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    assert project.sync(today="2027-03-06").exit_code == 0
    text = project.ledger.read_text()
    assert "    status: retired\n    status_date: 2027-03-06\n" in text
    assert project.validate(today="2027-03-06").exit_code == 0
    assert statuses(project, "2027-03-06") == {"kingsford-2026-child-a": "retired"}


def test_type_change_after_publication_fails(project: Project) -> None:
    project.published()
    project.review(type="national", partnership=None)
    result = project.validate()
    assert result.exit_code == 1
    assert ("content/reviews/kingsford-2026-child-a.md:3: error: type is 'national' but retention.lock recorded "
            "'local' when it was published (the type of a published review cannot change: restore 'local')") in result.lines


def test_published_change_after_publication_fails(project: Project) -> None:
    project.published()
    project.review(published="2026-03-06")
    result = project.validate()
    assert result.exit_code == 1
    assert any(":4: error: published is '2026-03-06' but retention.lock recorded '2026-03-05'" in l for l in result.lines)


def test_national_window_is_three_years(project: Project) -> None:
    project.review(type="national", partnership=None, regions="[]", harm="[]")
    project.sync()
    assert project.retention("2026-11-23")[0]["available_until"] == "2029-03-05"


def test_an_embargoed_review_is_recorded_when_added_and_appears_on_its_day_with_nothing_to_do(project: Project) -> None:
    project.review(published="2026-12-01")
    unsynced = project.validate()
    assert unsynced.exit_code == 1 and any(
        "review to be published on 2026-12-01 is not in retention.lock: recorded now, it appears on its day" in line
        for line in unsynced.lines), unsynced.stdout
    assert project.sync().exit_code == 0 and "kingsford-2026-child-a" in project.ledger.read_text()
    assert statuses(project, "2026-11-23") == {"kingsford-2026-child-a": "embargoed"}
    assert project.validate(today="2026-12-01").exit_code == 0  # its day: nobody has to sync again
    assert statuses(project, "2026-12-01") == {"kingsford-2026-child-a": "live"}
    assert project.retention("2026-12-01")[0]["available_until"] == "2027-12-01"


def test_before_its_day_an_embargoed_reviews_entry_follows_its_file_and_may_go(project: Project) -> None:
    project.review(published="2026-12-01")
    assert project.sync().exit_code == 0
    base = project.root / "base.lock"
    base.write_bytes(project.ledger.read_bytes())
    project.review(published="2027-01-10")  # postponed: nothing was published, so the date may change
    assert project.validate().exit_code == 1  # the ledger still says 2026-12-01: sync
    assert project.sync().exit_code == 0 and "available_until: 2028-01-10" in project.ledger.read_text()
    assert project.validate("--base-ledger", str(base)).exit_code == 0
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()  # not to be published after all
    assert project.validate("--base-ledger", str(base)).exit_code == 1  # the ledger still records it
    assert project.sync().exit_code == 0 and "kingsford-2026-child-a" not in project.ledger.read_text()
    assert project.validate("--base-ledger", str(base)).exit_code == 0
    project.review(published="2026-11-01")  # once published, its entry is kept and never rewritten
    assert project.sync().exit_code == 0
    published = project.root / "published.lock"
    published.write_bytes(project.ledger.read_bytes())
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    assert project.validate("--base-ledger", str(published)).exit_code == 1
    assert project.sync().exit_code == 1


def test_withdrawal_is_recorded_and_file_may_then_go(project: Project) -> None:
    project.published()
    project.review(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"')
    assert project.sync().exit_code == 0
    text = project.ledger.read_text()
    assert '    status: withdrawn\n    status_date: 2026-06-01\n    reason: "Court order"\n' in text
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    assert project.validate().exit_code == 0
    assert statuses(project, "2026-11-23") == {"kingsford-2026-child-a": "withdrawn"}


def test_retire_on_takes_effect_only_after_window(project: Project) -> None:
    project.published()
    project.review(retire_on="2027-03-05")
    assert statuses(project, "2027-03-05") == {"kingsford-2026-child-a": "live"}
    assert statuses(project, "2027-03-06") == {"kingsford-2026-child-a": "retired"}
    project.sync(today="2027-03-06")
    assert "status: retired\n    status_date: 2027-03-06" in project.ledger.read_text()


def test_rename_keeps_entry_under_new_id_with_alias(project: Project) -> None:
    project.published()
    base = project.root / "base.lock"
    base.write_bytes(project.ledger.read_bytes())
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.review("kingsford-2026-child-a-review", aliases="[kingsford-2026-child-a]")
    result = project.sync()
    assert result.stdout == "renamed kingsford-2026-child-a -> kingsford-2026-child-a-review\n"
    text = project.ledger.read_text()
    assert "  kingsford-2026-child-a-review:\n" in text and "aliases: [kingsford-2026-child-a]" in text
    assert project.validate("--base-ledger", str(base)).exit_code == 0


class TestBaseLedger:
    """`--base-ledger`: the ledger on the target branch must survive the pull request."""

    def setup_base(self, project: Project) -> str:
        project.published()
        base = project.root / "base.lock"
        base.write_bytes(project.ledger.read_bytes())
        return str(base)

    def test_unchanged_passes(self, project: Project) -> None:
        assert project.validate("--base-ledger", self.setup_base(project)).exit_code == 0

    def test_removed_entry_fails(self, project: Project) -> None:
        base = self.setup_base(project)
        project.ledger.write_text("reviews: {}\n")
        (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
        result = project.validate("--base-ledger", base)
        assert result.exit_code == 1
        assert ("retention.lock:1: error: entry 'kingsford-2026-child-a' of base.lock (line 5) is missing "
                "(ledger entries are never removed: restore it; to rename a review, rename its file, list the old id "
                "under aliases: in it and run `ledger sync`)") in result.lines

    def test_rewritten_available_until_fails(self, project: Project) -> None:
        base = self.setup_base(project)
        project.ledger.write_text(project.ledger.read_text().replace("available_until: 2027-03-05",
                                                                     "available_until: 2026-12-01"))
        result = project.validate("--base-ledger", base)
        assert result.exit_code == 1
        assert any("available_until is '2026-12-01' but base.lock records '2027-03-05'" in l for l in result.lines)

    def test_a_window_shortened_by_hand_fails_even_for_a_new_entry(self, project: Project) -> None:
        project.published()  # recorded in this pull request: the base ledger has nothing to compare with
        project.ledger.write_text(project.ledger.read_text().replace("available_until: 2027-03-05",
                                                                     "available_until: 2027-01-01"))
        result = project.validate()
        assert result.exit_code == 1
        assert any(":5: error: 'kingsford-2026-child-a': available_until is 2027-01-01, but a local review must stay "
                   "available for at least 1 year from its publication (2026-03-05) (write available_until: "
                   "2027-03-05 or later; `ledger sync` records the date itself)" in line for line in result.lines), result.stdout
        project.ledger.write_text(project.ledger.read_text().replace("available_until: 2027-01-01",
                                                                     "available_until: 2028-01-01"))
        assert "available_until" not in project.validate().stdout  # kept longer: allowed

    def test_retired_inside_window_fails(self, project: Project) -> None:
        base = self.setup_base(project)
        project.ledger.write_text(project.ledger.read_text().replace("status: live", "status: retired"))
        result = project.validate("--base-ledger", base)
        assert result.exit_code == 1
        assert any("is retired before the end of its window (2027-03-05)" in l for l in result.lines)

    def test_damaged_base_is_reported_with_line(self, project: Project) -> None:
        self.setup_base(project)
        bad = project.root / "bad.lock"
        bad.write_text("reviews:\n  a-review:\n    title: [unclosed\n")
        result = project.validate("--base-ledger", str(bad))
        assert result.exit_code == 1
        assert result.lines[0].startswith("bad.lock:4: error: invalid YAML")


def edit_ledger(project: Project, **entries) -> None:
    """Edit retention.lock by hand, as a pull request may: entry id -> its new fields (dict) or None to drop it."""
    ledger = read_ledger(project.ledger, "retention.lock")[0]
    edited = dict(ledger.entries)
    for key, change in entries.items():
        key = key.replace("_", "-")
        if change is None:
            edited.pop(key)
        else:
            edited[key] = dataclasses.replace(edited.get(key) or edited[change.pop("like")], **change)
    ledger_module.write_ledger(ledger_module.Ledger(edited), project.ledger)


def keep_base(project: Project) -> str:
    """The target branch's ledger as it stands now."""
    base = project.root / "base.lock"
    base.write_bytes(project.ledger.read_bytes())
    return str(base)


def errors(result) -> list[str]:
    return [line for line in result.lines if ": error: " in line]


def published_then_renamed(project: Project, new_id: str) -> None:
    """kingsford-2026-child-a published, then renamed to `new_id` (its file lists the old id) and synced."""
    project.published()
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.review(new_id, aliases="[kingsford-2026-child-a]")
    assert project.sync().exit_code == 0


class TestLedgerEditedByHand:
    """A pull request may edit retention.lock as text: what `ledger sync` would never write is refused."""

    def test_an_alias_in_the_ledger_alone_does_not_make_a_rename(self, project: Project) -> None:
        """Deleting another partnership's review and naming it as your own entry's former id is a removal."""
        project.published()
        base = keep_base(project)
        (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
        project.review("otherton-2026-child-z", partnership='"Otherton Partnership"')
        assert project.sync().exit_code == 1  # sync refuses: the file of a published review is gone
        edit_ledger(project, otherton_2026_child_z={"like": "kingsford-2026-child-a", "id": "otherton-2026-child-z",
                                                    "aliases": ("kingsford-2026-child-a",)},
                    kingsford_2026_child_a=None)
        result = project.validate("--base-ledger", base)
        assert result.exit_code == 1
        assert errors(result) == ["retention.lock:1: error: entry 'kingsford-2026-child-a' of base.lock (line 5) is "
                                  "missing (ledger entries are never removed: restore it; to rename a review, rename "
                                  "its file, list the old id under aliases: in it and run `ledger sync`)"]
        project.review("otherton-2026-child-z", partnership='"Otherton Partnership"', aliases="[kingsford-2026-child-a]")
        assert project.sync().exit_code == 0
        assert project.validate("--base-ledger", base).exit_code == 0  # a rename in the file: check_pr flags it

    def test_a_rename_cannot_take_over_an_entry_the_target_already_has(self, project: Project) -> None:
        project.published()
        project.review("kingsford-2026-child-b")
        assert project.sync().exit_code == 0
        base = keep_base(project)
        (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
        project.review("kingsford-2026-child-b", aliases="[kingsford-2026-child-a]")
        edit_ledger(project, kingsford_2026_child_a=None,
                    kingsford_2026_child_b={"aliases": ("kingsford-2026-child-a",)})
        assert "entry 'kingsford-2026-child-a' of base.lock (line 5) is missing" in project.validate(
            "--base-ledger", base).stdout

    def test_a_review_not_yet_published_is_recorded_live(self, project: Project) -> None:
        """Marked retired before its day, it would fail every deploy from that day: refused now."""
        project.review(published="2026-12-01")
        assert project.sync().exit_code == 0
        edit_ledger(project, kingsford_2026_child_a={"status": "retired"})
        result = project.validate()
        assert errors(result) == ["retention.lock:5: error: 'kingsford-2026-child-a' is to be published on "
                                  "2026-12-01 but is marked retired: a review not yet published is recorded live "
                                  "(run `python -m generator ledger sync` and commit retention.lock)"]
        assert project.sync().exit_code == 0 and project.validate().exit_code == 0

    @pytest.mark.parametrize("in_base", [True, False])
    def test_only_the_file_withdraws_a_review(self, project: Project, in_base: bool) -> None:
        """Marked withdrawn by hand, a later pull request could delete the file with no warning."""
        if in_base:
            project.published()
        else:
            project.review()
            assert project.sync().exit_code == 0
        base = keep_base(project) if in_base else None
        edit_ledger(project, kingsford_2026_child_a={"status": "withdrawn", "reason": "no reason"})
        result = project.validate(*(["--base-ledger", base] if base else []))
        assert "content/reviews/kingsford-2026-child-a.md:1: error: retention.lock records this review as withdrawn " \
               "on 2026-03-05, but its file does not record a withdrawal in effect: a withdrawn review is never " \
               "published again (write withdrawn_on: 2026-03-05 and withdrawn_reason in the file; a withdrawal " \
               "entered in retention.lock by hand is undone there, by a maintainer)" in errors(result)
        assert project.sync().exit_code == 1  # sync never undoes a withdrawal
        edit_ledger(project, kingsford_2026_child_a={"status": "live", "reason": ""})
        assert project.validate(*(["--base-ledger", base] if base else [])).exit_code == 0

    def test_a_withdrawal_is_never_undone_by_a_pull_request(self, project: Project) -> None:
        """Withdrawn for a legal reason: no edit of the file, the ledger or a new file publishes it again."""
        project.published()
        withdrawn = {"withdrawn_on": "2026-06-01", "withdrawn_reason": '"Court order"'}
        project.review(**withdrawn)
        assert project.sync().exit_code == 0
        base = keep_base(project)
        gone = "records this review as withdrawn on 2026-06-01, but its file does not record a withdrawal in effect"
        path = project.content / "reviews" / "kingsford-2026-child-a.md"
        for attempt in ({}, {**withdrawn, "withdrawn_on": "2027-01-01"}):  # lines removed; withdrawal put off
            project.review(**attempt)
            assert any(gone in line for line in errors(project.validate("--base-ledger", base)))
            assert project.sync().exit_code == 1
            assert statuses(project, "2026-11-23") == {"kingsford-2026-child-a": "withdrawn"}  # the site's notice stays
        path.unlink()  # withdrawn, then deleted: the usual way
        assert project.validate("--base-ledger", base).exit_code == 0
        project.review()  # the file comes back without its withdrawal
        assert any(gone in line for line in errors(project.validate("--base-ledger", base)))
        path.unlink()
        project.review("kingsford-2026-child-a-again", aliases="[kingsford-2026-child-a]")  # or under a new id
        assert any(gone in line for line in errors(project.validate("--base-ledger", base)))
        path = project.content / "reviews" / "kingsford-2026-child-a-again.md"
        path.unlink()
        edit_ledger(project, kingsford_2026_child_a={"status": "live", "reason": ""})  # or the ledger by hand
        assert "retention.lock:5: error: 'kingsford-2026-child-a' was withdrawn on 2026-06-01 (base.lock); a pull " \
               "request cannot publish it again (restore 'status: withdrawn' as base.lock records it)" in errors(
                   project.validate("--base-ledger", base))

    def test_a_withdrawn_review_copied_under_another_id_is_refused(self, project: Project) -> None:
        project.published(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"')
        (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
        project.review("kingsford-2026-child-a2", title='"child a -- learning about information sharing"')
        assert "content/reviews/kingsford-2026-child-a2.md:2: error: title is that of 'kingsford-2026-child-a', " \
               "withdrawn on 2026-06-01: a withdrawn review is not published again under another id (if this is " \
               "another review, give it its own title; publishing a withdrawn review again is a maintainer's " \
               "decision (README, Retention))" in errors(project.validate())

    WITHDRAWN_TEXT = "\n\n".join(f"Paragraph {n}: agencies in the borough held pieces of the picture and did not "
                                   f"share them when the family moved between addresses ({n}). The school saw a "
                                   f"change in the child's attendance in term {n} that nobody followed up."
                                   for n in range(1, 5))

    @pytest.mark.parametrize("kind", ["review", "briefing"])
    @pytest.mark.parametrize("form", ["capitals", "one paragraph", "list", "table", "html", "padded", "semicolons",
                                      "no spaces", "full-width stops", "small capitals"])
    def test_a_withdrawn_reviews_text_under_another_id_and_title_is_refused(self, project: Project, kind: str,
                                                                            form: str) -> None:
        """Copied as the page shows it, however it is laid out, and whatever is added around it."""
        project.published(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"',
                          body=f"## Learning\n\n{self.WITHDRAWN_TEXT}\n")
        paragraphs = self.WITHDRAWN_TEXT.split("\n\n")
        copied = {"capitals": self.WITHDRAWN_TEXT.upper().replace(":", " -"),
                  "one paragraph": "\n".join(paragraphs),
                  "list": "\n".join(f"- {p}" for p in paragraphs),
                  "table": "| A | B |\n|---|---|\n" + "\n".join(f"| {p} | x |" for p in paragraphs),
                  "html": "\n\n".join(f"<p>{p.replace('a', '&#97;', 1).replace('school', 'sch<span>oo</span>l')}</p>"
                                      for p in paragraphs),
                  "padded": "\n\n".join(f"Our own finding {n}, written for this review about a different family "
                                        "entirely." for n in range(20)) + "\n\n" + self.WITHDRAWN_TEXT,
                  "semicolons": self.WITHDRAWN_TEXT.replace(". ", "; "),
                  "no spaces": self.WITHDRAWN_TEXT.replace(". ", "."),
                  "full-width stops": self.WITHDRAWN_TEXT.replace(". ", "\uff0e"),
                  "small capitals": self.WITHDRAWN_TEXT.replace("o", "\u1d0f")}[form]
        body = f"## What we learnt\n\nA new opening.\n\n{copied}\n"
        if kind == "review":
            path = project.review("kingsford-2026-child-q", title='"Child Q: a new title"', body=body)
        else:
            path = project.briefing(body=body)
        message = "error: 8 of the 8 sentences of 'kingsford-2026-child-a', which is withdrawn, are repeated here: a " \
                  "withdrawn review is not published again (publishing a withdrawn review again is a maintainer's " \
                  "decision (README, Retention); if this is another review, write its own text)"
        found = [line for line in errors(project.validate()) if "withdrawn, are repeated" in line]
        assert found == [f"{path.relative_to(project.root)}:{found[0].split(':')[1]}: {message}"]
        line = int(found[0].split(":")[1])
        assert "ddress" in path.read_text().split("\n")[line - 1] or "PARAGRAPH 1" in path.read_text().split("\n")[line - 1]

    def test_a_withdrawn_reviews_text_is_kept_as_prints_and_a_copy_is_refused_once_its_file_is_gone(
            self, project: Project) -> None:
        """Withdrawn, then deleted (the usual way): the ledger keeps a sample of its sentences'
        hashes, never the text, and a copy is still found; nor may a pull request change the sample."""
        own = " ".join(f"Finding {n} of this review, written about the family that no other review here describes."
                       for n in range(40))
        project.published(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"',
                          body=f"## Learning\n\n{self.WITHDRAWN_TEXT}\n\n{own}\n")
        entry = read_ledger(project.ledger, "retention.lock")[0].entries["kingsford-2026-child-a"]
        assert len(entry.withdrawn_text) == 48 and all(len(p) == 10 for p in entry.withdrawn_text)  # every sentence
        assert "Finding" not in project.ledger.read_text() and "withdrawn_text: [" in project.ledger.read_text()
        (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
        assert project.sync().exit_code == 0
        assert read_ledger(project.ledger, "retention.lock")[0].entries["kingsford-2026-child-a"] == entry  # kept
        base = keep_base(project)
        path = project.review("kingsford-2026-child-q", title='"Child Q: a new title"',
                              body=f"## What we learnt\n\n{own.upper()}\n")
        found = [line for line in errors(project.validate()) if "withdrawn, are repeated" in line]
        assert len(found) == 1 and found[0].startswith(f"{path.relative_to(project.root)}:")
        assert "40 of the 48 sentences that retention.lock keeps of 'kingsford-2026-child-a', which is withdrawn, are " \
               "repeated here" in found[0]
        path.unlink()
        edit_ledger(project, kingsford_2026_child_a={"withdrawn_text": ()})
        assert "retention.lock:5: error: 'kingsford-2026-child-a': withdrawn_text differs from what base.lock " \
               "records (restore it as base.lock records it)" in errors(project.validate("--base-ledger", base))

    def test_set_sentences_shared_with_a_withdrawn_review_are_not_refused(self, project: Project) -> None:
        """A partnership's reviews share a few set sentences: not half of one."""
        own = "\n\n".join(f"Finding {n} of the withdrawn review, written about that family and no other one here."
                          for n in range(8))
        project.published(withdrawn_on="2026-12-01", withdrawn_reason='"Court order"',  # a withdrawal to come, too
                          body=f"## Learning\n\n{self.WITHDRAWN_TEXT}\n\n{own}\n")
        shared = "\n\n".join(self.WITHDRAWN_TEXT.split("\n\n")[:3])  # 6 of its 16 sentences
        project.review("kingsford-2026-child-q", title='"Child Q: a new title"', body=f"## Learning\n\n{shared}\n")
        assert not [line for line in errors(project.validate()) if "withdrawn" in line]

    def test_a_briefing_with_a_withdrawn_reviews_id_is_checked_and_sentences_count_for_each_owner(
            self, project: Project) -> None:
        """Sentences two withdrawn reviews share count for both: a copy of the second is found as
        its copy, though half of it is the first's too. One problem an item."""
        project.published(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"',
                          body=f"## Learning\n\n{self.WITHDRAWN_TEXT}\n")
        half = "\n\n".join(self.WITHDRAWN_TEXT.split("\n\n")[:2])
        own = "\n\n".join(f"Finding {n} of the second review, about its own family and nobody else's here. "
                          f"It goes on to say more about that family and the school it went to ({n})."
                          for n in range(3))
        project.review("kingsford-2026-child-b", title='"Child B: neglect"', withdrawn_on="2026-06-01",
                       withdrawn_reason='"Court order"', body=f"## Learning\n\n{half}\n\n{own}\n")
        project.briefing("kingsford-2026-child-a", body=f"## Learning\n\n{half}\n\n{own}\n")
        found = [line for line in errors(project.validate()) if "withdrawn, are repeated" in line]
        assert len(found) == 1 and found[0].startswith("content/briefings/kingsford-2026-child-a.md:")
        assert "10 of the 10 sentences of 'kingsford-2026-child-b'" in found[0]

    def test_a_copy_is_judged_by_the_file_and_by_what_the_ledger_keeps_apart(self, project: Project) -> None:
        """The withdrawn file cut down to one sentence the copy shares must not hide the copy from
        the sentences the ledger kept; a withdrawal set for a later day does not exempt a copy."""
        project.published(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"',
                          body=f"## Learning\n\n{self.WITHDRAWN_TEXT}\n")
        first = self.WITHDRAWN_TEXT.split("\n\n")[0]
        project.review(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"', body=f"## Learning\n\n{first}\n")
        path = project.review("kingsford-2026-child-q", title='"Child Q: a new title"', withdrawn_on="2099-01-01",
                              withdrawn_reason='"Later"', body=f"## Learning\n\n{self.WITHDRAWN_TEXT}\n")
        found = [line for line in errors(project.validate()) if "withdrawn, are repeated" in line]
        assert len(found) == 1 and found[0].startswith(f"{path.relative_to(project.root)}:")
        assert "8 of the 8 sentences that retention.lock keeps of 'kingsford-2026-child-a'" in found[0]

    def test_a_themes_text_is_judged_too(self, project: Project) -> None:
        from conftest import front_matter

        project.published(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"',
                          body=f"## Learning\n\n{self.WITHDRAWN_TEXT}\n")
        path = project.write("content/themes/neglect.md", front_matter(
            {"title": '"Neglect"', "group": "topic", "summary": '"About neglect."'}, f"## About\n\n{self.WITHDRAWN_TEXT}\n"))
        found = [line for line in errors(project.validate()) if "withdrawn, are repeated" in line]
        assert len(found) == 1 and found[0].startswith(f"{path.relative_to(project.root)}:")

    def test_a_withdrawal_that_strips_the_text_at_once_is_flagged(self, project: Project) -> None:
        """Withdrawn and emptied in one pull request, nothing of the text is kept: say so."""
        project.published(body=f"## Learning\n\n{self.WITHDRAWN_TEXT}\n")
        base = keep_base(project)
        project.review(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"', body="## Learning\n\nRemoved.\n")
        assert project.sync().exit_code == 0
        result = project.validate("--base-ledger", base)
        assert result.exit_code == 0
        assert "retention.lock:5: warning: 'kingsford-2026-child-a' is withdrawn with too little of its text for " \
               "retention.lock to keep (0 sentences)" in result.stdout + result.stderr

    def test_a_withdrawn_review_renamed_keeps_its_withdrawn_text(self, project: Project) -> None:
        """Withdrawn, its text then removed, then renamed: the hashes move with the entry."""
        project.published(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"',
                          body=f"## Learning\n\n{self.WITHDRAWN_TEXT}\n")
        project.review(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"', body="## Learning\n\nRemoved.\n")
        assert project.sync().exit_code == 0
        base = keep_base(project)
        (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
        project.review("kingsford-2026-child-a2", aliases="[kingsford-2026-child-a]", withdrawn_on="2026-06-01",
                       withdrawn_reason='"Court order"', body="## Learning\n\nRemoved.\n")
        assert project.sync().exit_code == 0
        assert not [line for line in errors(project.validate("--base-ledger", base)) if "withdrawn_text" in line]

    def test_a_partnerships_set_sentences_in_a_short_withdrawn_review_refuse_no_sibling(self, project: Project) -> None:
        """Five standard sentences of ten: a sibling that opens with them is not a copy."""
        standard = " ".join(f"This review was commissioned by the partnership under its standard terms, part {n}."
                            for n in range(5))
        own = " ".join(f"The withdrawn review's own finding number {n} about that family alone." for n in range(5))
        project.published(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"',
                          body=f"## Learning\n\n{standard}\n\n{own}\n")
        project.review("kingsford-2026-child-q", title='"Child Q: a sibling"',
                       body=f"## Learning\n\n{standard}\n\nIts own learning, about another family.\n")
        assert not [line for line in errors(project.validate()) if "withdrawn" in line]

    def test_withdrawn_text_is_recorded_only_as_sync_records_it(self, project: Project) -> None:
        """Hand-written hashes could make any live review's text refused."""
        project.published()
        base = keep_base(project)
        edit_ledger(project, kingsford_2026_child_a={"withdrawn_text": ("0123456789",)})
        assert "retention.lock:5: error: 'kingsford-2026-child-a': withdrawn_text is not what `ledger sync` records " \
               "from its file (remove it and run `ledger sync`: it is recorded with the withdrawal, from the withdrawn " \
               "review's file)" in errors(project.validate("--base-ledger", base))

    def test_a_review_renamed_back_keeps_only_its_other_former_ids(self, project: Project) -> None:
        published_then_renamed(project, "kingsford-2026-child-b")
        base = keep_base(project)
        (project.content / "reviews" / "kingsford-2026-child-b.md").unlink()
        project.review(aliases="[kingsford-2026-child-b]")
        assert project.sync().stdout == "renamed kingsford-2026-child-b -> kingsford-2026-child-a\n"
        assert "aliases: [kingsford-2026-child-b]\n" in project.ledger.read_text()
        assert project.validate("--base-ledger", base).exit_code == 0

    def test_a_former_id_cannot_be_claimed_by_another_review(self, project: Project) -> None:
        published_then_renamed(project, "kingsford-2026-child-a-review")
        project.review("kingsford-2026-child-a-review")  # the file forgets its former id; the ledger keeps it
        project.review("kingsford-2026-child-a", title='"Another review"')
        result = project.validate()
        assert "content/reviews/kingsford-2026-child-a.md:1: error: this review's id 'kingsford-2026-child-a' is a " \
               "former id of 'kingsford-2026-child-a-review' in retention.lock: its old links lead there (choose " \
               "another id (rename the file))" in errors(result)
        assert project.sync().exit_code == 1  # nothing is recorded for it
        (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
        project.review("kingsford-2026-child-c", aliases="[kingsford-2026-child-a]")
        result = project.validate()
        assert "content/reviews/kingsford-2026-child-c.md:12: error: alias 'kingsford-2026-child-a' is a former id " \
               "of 'kingsford-2026-child-a-review' in retention.lock: its old links lead there (remove it: an alias " \
               "is this review's own former id)" in errors(result)
        assert project.sync().exit_code == 1

    def test_a_former_id_is_never_lost(self, project: Project) -> None:
        published_then_renamed(project, "kingsford-2026-child-a-review")
        base = keep_base(project)
        project.review("kingsford-2026-child-a-review")
        edit_ledger(project, kingsford_2026_child_a_review={"aliases": ()})
        assert errors(project.validate("--base-ledger", base)) == [
            "retention.lock:5: error: 'kingsford-2026-child-a-review': former id 'kingsford-2026-child-a' is no "
            "longer recorded for it (old links to 'kingsford-2026-child-a' would break: restore it under aliases: "
            "in retention.lock and in the review's file)"]

    def test_a_ledger_alias_cannot_name_a_recorded_review_or_be_shared(self, project: Project) -> None:
        """Briefings' citations and the open data resolve former ids first: an alias would take them over."""
        project.published()
        project.review("kingsford-2026-child-b")
        project.review("kingsford-2026-child-c")
        assert project.sync().exit_code == 0
        edit_ledger(project, kingsford_2026_child_b={"aliases": ("kingsford-2026-child-a", "old-id")},
                    kingsford_2026_child_c={"aliases": ("old-id",)})
        lines = [line.split(" (")[0] for line in errors(project.validate())]
        assert "retention.lock:16: error: 'kingsford-2026-child-b' lists 'kingsford-2026-child-a' as a former id, " \
               "but 'kingsford-2026-child-a' is another review's entry" in lines
        assert "retention.lock:28: error: 'kingsford-2026-child-c' lists 'old-id' as a former id, but so does " \
               "'kingsford-2026-child-b'" in lines

    def test_a_record_without_its_file_cannot_be_rewritten(self, project: Project) -> None:
        project.published()
        (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
        assert project.sync(today="2027-06-01").exit_code == 0  # window ended, file gone: a catalogue record
        base = keep_base(project)
        edit_ledger(project, kingsford_2026_child_a={"title": "Something else", "partnership": "Otherton"})
        assert errors(project.validate("--base-ledger", base, today="2027-06-02")) == [
            "retention.lock:5: error: 'kingsford-2026-child-a' has no review file, but its title, partnership "
            "differ from base.lock (restore the entry as base.lock records it: a record without its file cannot "
            "change)"]

    def test_retiring_a_record_at_the_end_of_its_window_is_allowed(self, project: Project) -> None:
        project.published()
        base = keep_base(project)
        (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
        assert project.sync(today="2027-06-01").exit_code == 0
        assert project.validate("--base-ledger", base, today="2027-06-01").exit_code == 0

    def test_an_entry_edited_by_hand_away_from_its_file_is_refused(self, project: Project) -> None:
        """Left as an out-of-date warning, a hand-edited title or partnership would outlive the file
        (its catalogue record is then kept as the ledger says); a window is the configured one."""
        project.published()
        base = keep_base(project)
        edit_ledger(project, kingsford_2026_child_a={"title": "Kingsford failed this child", "partnership": "Otherton"})
        assert errors(project.validate("--base-ledger", base)) == [
            "retention.lock:5: error: 'kingsford-2026-child-a': title, partnership in retention.lock differ from what "
            "`ledger sync` writes from its file (run `python -m generator ledger sync` and commit retention.lock)"]
        assert project.sync().exit_code == 0 and project.validate("--base-ledger", base).exit_code == 0
        project.write("mkdocs.yml", "site_name: Test\ndocs_dir: content\nplugins:\n  - safeguarding:\n"
                                    "      local_window_years: 2\n")
        project.review("kingsford-2026-child-b")
        assert project.sync().exit_code == 0  # recorded until 2028-03-05
        edit_ledger(project, kingsford_2026_child_b={"available_until": dt.date(2027, 3, 5)})
        assert "retention.lock:16: error: 'kingsford-2026-child-b': available_until is 2027-03-05, but a local " \
               "review must stay available for at least 2 years from its publication (2026-03-05) as mkdocs.yml " \
               "sets (write available_until: 2028-03-05 or later; `ledger sync` records the date itself)" in errors(
                   project.validate("--base-ledger", base))
        project.review("kingsford-2026-child-c", title='"Child C: edited in the file, not yet synced"')
        edit_ledger(project, kingsford_2026_child_b={"available_until": dt.date(2028, 3, 5)})
        result = project.validate("--base-ledger", base)  # a file changed, the ledger not synced: a warning
        assert errors(result) == [] or all("is not in retention.lock" in line for line in errors(result))

    def test_a_new_entry_needs_its_review_file(self, project: Project) -> None:
        project.published()
        base = keep_base(project)
        edit_ledger(project, made_up_2026_review={"like": "kingsford-2026-child-a", "id": "made-up-2026-review",
                                                  "title": "Not checked by anything"})
        assert errors(project.validate("--base-ledger", base)) == [
            "retention.lock:16: error: 'made-up-2026-review' is new in this pull request but has no review file "
            "(add content/reviews/made-up-2026-review.md and run `ledger sync`, or remove this entry)"]


def test_sync_refuses_while_content_has_errors(project: Project) -> None:
    project.published()
    before = project.ledger.read_bytes()
    project.write("content/reviews/kingsford-2026-child-a.md", "---\ntitle: [broken\n---\n")
    result = project.sync(today="2027-06-01")  # window ended: a careless sync would retire it
    assert result.exit_code == 1
    assert "retention.lock was not changed: fix these first" in result.stderr
    assert "content/reviews/kingsford-2026-child-a.md:3: error: invalid YAML" in result.stderr
    assert project.ledger.read_bytes() == before


def test_damaged_ledger_is_an_error_with_its_line(project: Project) -> None:
    project.published()
    project.ledger.write_text(project.ledger.read_text().replace("published: 2026-03-05", "published: 2026-02-30"))
    result = project.validate()
    assert result.exit_code == 1
    assert result.lines == ["retention.lock:9: error: kingsford-2026-child-a: published: '2026-02-30' is not a real "
                            "date (write it as YYYY-MM-DD, e.g. 2024-03-05; YYYY-MM or YYYY if only the month or year is known)"]
    assert project.sync().exit_code == 1


def test_ledger_with_merge_conflict_says_how_to_resolve_it(project: Project) -> None:
    """Two pull requests adding reviews side by side conflict in retention.lock: the error names
    the first marker's line and the way out (the target's ledger, then sync), not a YAML error."""
    project.published()
    text = project.ledger.read_text()
    project.ledger.write_text(text.replace("reviews:\n", "reviews:\n<<<<<<< HEAD\n  mine-2026-a:\n    title: x\n"
                                           "=======\n  theirs-2026-b:\n    title: y\n>>>>>>> main\n", 1))
    result = project.validate()
    assert result.exit_code == 1
    assert result.lines == [f"retention.lock:{text.split(chr(10)).index('reviews:') + 2}: error: retention.lock has "
                            "git's conflict markers (take the target branch's retention.lock (`git checkout main -- "
                            "retention.lock`), then run `python -m generator ledger sync`: it adds your reviews again)"]


def test_ledger_yaml_error_says_to_restore_it(project: Project) -> None:
    """A hand edit that breaks the YAML: the line, and the advice that fits a file only sync writes."""
    project.published()
    project.ledger.write_text(project.ledger.read_text().replace("    type: local", "   type: local", 1))
    result = project.validate()
    assert result.exit_code == 1
    assert len(result.lines) == 1 and "error: invalid YAML" in result.lines[0], result.stdout
    assert result.lines[0].endswith("(restore it from git (`git checkout -- retention.lock`); only `ledger sync` "
                                    "writes it)"), result.lines[0]


def test_ledger_is_deterministic_and_sorted(project: Project) -> None:
    for letter in "cab":
        project.review(f"kingsford-2026-child-{letter}")
    project.sync()
    first = project.ledger.read_bytes()
    project.ledger.unlink()
    project.sync()
    assert project.ledger.read_bytes() == first
    ids = [l.strip().rstrip(":") for l in first.decode().splitlines() if l.startswith("  ") and not l.startswith("   ")]
    assert ids == sorted(ids) == ["kingsford-2026-child-a", "kingsford-2026-child-b", "kingsford-2026-child-c"]
    assert project.sync().stderr == "retention.lock: already up to date\n"


def test_ledger_write_is_atomic(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.published()
    before = project.ledger.read_bytes()
    project.review("kingsford-2026-child-b")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(ledger_module.os, "replace", crash)
    result = project.sync()
    assert result.exit_code == 1
    assert "cannot write retention.lock: disk full; it was not changed" in result.stderr
    assert project.ledger.read_bytes() == before
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".retention")] == []


def test_out_of_date_ledger_is_a_warning(project: Project) -> None:
    project.published()
    project.review(title='"Child A: a new title"')
    result = project.validate()
    assert result.exit_code == 0
    assert result.lines == ["retention.lock:1: warning: retention.lock is out of date (titles, themes, retirements "
                            "or withdrawals have changed) (run `python -m generator ledger sync` and commit "
                            "retention.lock)"]
    assert project.sync().stdout == "updated kingsford-2026-child-a (title changed)\n"


@pytest.mark.parametrize("option, value", [("local_window_years", 0), ("national_window_years", 2),
                                           ("local_window_years", "one")])
def test_window_below_statutory_minimum_is_a_configuration_error(project: Project, option: str, value) -> None:
    project.write("mkdocs.yml", f"site_name: T\ndocs_dir: content\nplugins:\n  - safeguarding:\n      {option}: {value}\n")
    result = project.validate()
    assert result.exit_code == 2
    assert f"configuration error in mkdocs.yml: {option} is {value!r}" in result.stderr


def test_longer_window_from_mkdocs_yml(project: Project) -> None:
    project.write("mkdocs.yml", "site_name: T\ndocs_dir: content\nplugins:\n  - safeguarding:\n"
                                "      local_window_years: 2\n      today: 2026-11-23\n")
    project.review()
    project.sync()
    rows = json.loads(project.run("retention", "--json", "--today", "2026-11-23").stdout)
    assert rows == [{"id": "kingsford-2026-child-a", "type": "local", "published": "2026-03-05",
                     "available_until": "2028-03-05", "days_left": 468, "status": "live"}]


def test_month_only_publication_counts_from_month_end(project: Project) -> None:
    project.review(published="2020-02")
    project.sync()
    row = project.retention("2026-11-23")[0]
    assert (row["published"], row["available_until"]) == ("2020-02", "2021-03-01")  # 29 Feb 2020 + 1 year


def test_year_only_publication_counts_from_the_years_last_day(project: Project) -> None:
    project.review(published="2016")
    assert project.sync().exit_code == 0
    row = project.retention("2026-11-23")[0]
    assert (row["published"], row["available_until"]) == ("2016", "2017-12-31")  # 31 December 2016 + 1 year
    assert "published: 2016" in project.ledger.read_text()


@pytest.mark.parametrize("written, message", [
    ("2016-13", "'2016-13' is not a real date"), ("16", "'16' is not a date"), ("1899", "'1899' is out of range")])
def test_a_year_only_date_must_be_a_year(project: Project, written: str, message: str) -> None:
    project.review(published=written)
    result = project.validate()
    assert result.exit_code == 1 and result.stdout.startswith(
        f"content/reviews/kingsford-2026-child-a.md:4: error: published: {message}"), result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_other_dates_still_need_the_day(project: Project) -> None:
    project.review(initiated="2016")
    result = project.validate()
    assert "'2016' gives only the year; this date needs the month and day too" in result.stdout


def test_retention_table(project: Project) -> None:
    project.published()
    result = project.run("retention", "--today", "2026-11-23")
    assert result.lines == [
        "id                      type   published   available_until  days_left  status",
        "kingsford-2026-child-a  local  2026-03-05  2027-03-05       102        live",
    ]


def test_ledger_only_entries_appear_in_report(project: Project) -> None:
    project.published()
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    ledger, problems = read_ledger(project.ledger, "retention.lock")
    assert problems == [] and list(ledger.entries) == ["kingsford-2026-child-a"]
    assert statuses(project, "2027-03-06") == {"kingsford-2026-child-a": "retired"}
    assert statuses(project, "2026-11-23") == {"kingsford-2026-child-a": "live"}


def test_lifecycle_covers_every_state(project: Project) -> None:
    from generator.corpus import load_corpus
    from generator.retention import Windows, lifecycle
    from conftest import day

    for name, changes in {"live": {}, "retired": {"retire_on": "2026-06-01", "published": "2025-03-05"},
                          "withdrawn": {"withdrawn_on": "2026-06-01", "withdrawn_reason": '"Court order"'},
                          "embargoed": {"published": "2027-01-01"}, "gone": {"published": "2024-01-02"}}.items():
        project.review(f"review-{name}", **changes)
    project.sync()
    (project.content / "reviews" / "review-gone.md").unlink()
    ledger, _ = read_ledger(project.ledger, "retention.lock")
    corpus = load_corpus(project.content, project.root).corpus
    assert lifecycle(corpus, ledger, day("2026-11-23"), Windows()) == {
        "review-live": "live", "review-retired": "retired", "review-withdrawn": "withdrawn",
        "review-embargoed": "embargoed", "review-gone": "retired"}


def test_today_in_mkdocs_yml_cannot_retire_a_review_inside_its_window(project: Project) -> None:
    """Replays the pull request that set `today: 2099-01-01` to delete reviews still inside their windows."""
    real_today = today_in_london()
    published = (real_today - dt.timedelta(days=30)).isoformat()
    project.review(published=published)
    assert project.run("ledger", "sync").exit_code == 0  # the real date: the review is live for a year
    base = project.root / "base.lock"
    base.write_bytes(project.ledger.read_bytes())
    # the pull request: delete the review, move "today" far beyond its window, sync, validate
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.write("mkdocs.yml", "site_name: T\ndocs_dir: content\nplugins:\n  - safeguarding:\n"
                                "      today: 2099-01-01\n")
    sync = project.run("ledger", "sync")
    assert sync.exit_code == 1 and project.ledger.read_bytes() == base.read_bytes()
    result = project.run("validate", "--base-ledger", str(base))
    assert result.exit_code == 1
    until = add_years(dt.date.fromisoformat(published), 1)
    assert (f"retention.lock:5: error: content/reviews/kingsford-2026-child-a.md is gone, but this local review must "
            f"stay available until {until}") in result.stdout
    assert (f"note: mkdocs.yml sets today: 2099-01-01, which is for previews only; checking against the real date, "
            f"{real_today} in London (use --today to judge another day)") in result.stderr


@pytest.mark.parametrize("sentence", ["Agencies held pieces of the picture, and did NOT share them: 12 times (see 3 1)",
                                      "Tabs\tand_underscores__and-dashes -- and {braces} and `code` and stars, twice",
                                      "The school\u2019s \u201cview\u201d \u2014 na\u00efve r\u00e9sum\u00e9 with "
                                      "\u0410 look-alike and \uff11\uff12 and more words to be long"])
def test_sentences_are_compared_as_the_guard_reads_them_on_the_fast_path_too(sentence: str) -> None:
    from generator.characters import latin_form, letters_and_digits
    from generator.textprints import long_sentences

    assert list(long_sentences("reviews", sentence)) == [letters_and_digits(latin_form(sentence)).encode()]


@pytest.mark.parametrize("value", ["[abc]", "[0123456789, not-a-hash]", "0123456789", "['<script>x</script>']"])
def test_a_damaged_withdrawn_text_is_an_error_at_its_line(project: Project, value: str) -> None:
    project.published()
    text = project.ledger.read_text()
    project.ledger.write_text(text.replace("    status: live\n", f"    status: live\n    withdrawn_text: {value}\n"))
    line = project.ledger.read_text().split("\n").index(f"    withdrawn_text: {value}") + 1
    result = project.validate()
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert [text for text in result.lines if "withdrawn_text" in text][0].startswith(f"retention.lock:{line}: error: ")
