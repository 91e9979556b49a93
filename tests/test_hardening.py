"""Hostile and broken input found in review: each gives a clear error, never a traceback or a loss."""

from __future__ import annotations

import os
import stat

import pytest

from conftest import Project



def no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def test_alias_cannot_hide_a_deleted_review(project: Project) -> None:
    project.published()
    project.review("child-x", aliases="[other-old-id]")
    project.sync()
    base = project.root / "base.lock"
    base.write_bytes(project.ledger.read_bytes())
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.review("child-x", aliases="[kingsford-2026-child-a]")
    result = project.validate("--base-ledger", str(base))
    assert result.exit_code == 1
    assert any("content/reviews/kingsford-2026-child-a.md is gone" in line for line in result.lines)
    assert any("alias 'kingsford-2026-child-a' is the id of another review recorded" in line for line in result.lines)


def test_hand_written_withdrawal_is_refused(project: Project) -> None:
    project.published()
    base = project.root / "base.lock"
    base.write_bytes(project.ledger.read_bytes())
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.ledger.write_text(project.ledger.read_text().replace("status: live", "status: withdrawn"))
    result = project.validate("--base-ledger", str(base))
    assert result.exit_code == 1
    assert "lacks reason (a withdrawal is recorded with its reason)" in result.stdout
    project.ledger.write_text(project.ledger.read_text().replace("status: withdrawn",
                                                                 'status: withdrawn\n    reason: "x"'))
    result = project.validate("--base-ledger", str(base))
    assert result.exit_code == 1
    assert "is marked withdrawn, but its file does not record a withdrawal" in result.stdout


def test_empty_ledger_is_damage_not_a_fresh_start(project: Project) -> None:
    project.published(published="2024-01-05")
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.sync()  # retired, kept as a catalogue record
    project.ledger.write_text("")
    result = project.validate()
    assert result.exit_code == 1 and result.lines[0].startswith("retention.lock:1: error: retention.lock is empty")
    assert project.sync().exit_code == 1
    assert project.ledger.read_text() == ""


def test_unreadable_md_path_is_not_a_deletion(project: Project) -> None:
    project.published(published="2024-01-05")
    path = project.content / "reviews" / "kingsford-2026-child-a.md"
    path.unlink()
    path.mkdir()
    result = project.validate()
    assert result.exit_code == 1
    assert result.lines[0].startswith("content/reviews/kingsford-2026-child-a.md:1: error: content/reviews/kingsford-"
                                      "2026-child-a.md/ is a folder named like a content file; nothing in it is published")
    before = project.ledger.read_bytes()
    assert project.sync().exit_code == 1 and project.ledger.read_bytes() == before


@pytest.mark.parametrize("changes, message", [
    ({"summary": "[" * 200 + "]" * 200}, "values are nested too deeply"),
    ({"report_url": "'https://[::1/a'"}, "is not an http(s) web address"),
    ({"report_url": '"https://example.org/a\\tb"'}, "is not an http(s) web address"),
    ({"report_url": '"https://example.org:99999/"'}, "is not an http(s) web address"),
    ({"report_url": '"http://localhost:8000/report.pdf"'}, "points at localhost, which is not a public address"),
    ({"report_url": '"https://[::1]/report.pdf"'}, "points at ::1, which is not a public address"),
    ({"report_url": '"http://2130706433/"'}, "points at 2130706433, which is not a public address"),  # 127.0.0.1
    ({"report_url": '"http://192.168.0.10/report.pdf"'}, "points at 192.168.0.10, which is not a public address"),
    ({"report_url": '"http://%31%32%37.0.0.1/report.pdf"'}, "which is not a public address"),
    ({"published": "２０２６-03-05"}, "is not a date"),
    ({"title": "!!binary aGVsbG8="}, "YAML tag '!!binary' is not allowed"),
])
def test_hostile_values_are_errors(project: Project, changes: dict, message: str) -> None:
    project.review(**changes)
    result = project.validate()
    no_traceback(result)
    assert result.exit_code == 1 and message in result.stdout


def test_huge_number(project: Project) -> None:
    project.briefing(duration_minutes="9" * 5000)
    result = project.validate()
    no_traceback(result)
    assert "is not a whole number" in result.stdout


def test_line_separator_is_reported_at_its_own_line(project: Project) -> None:
    project.review(title='"Child A\u2028second part"', harm="[neglectt]")
    result = project.validate()
    assert result.lines[0].startswith("content/reviews/kingsford-2026-child-a.md:2: error: line contains an "
                                      "invisible character U+2028 (LINE SEPARATOR)")


def test_control_character_is_reported_at_its_own_line(project: Project) -> None:
    project.review(summary='"a\x07b"')
    result = project.validate()
    assert result.lines == ["content/reviews/kingsford-2026-child-a.md:10: error: line contains an invisible "
                            "character U+0007 (a control character) (delete it; it often comes with text copied "
                            "from a PDF or a word processor)"]


def test_every_bad_item_and_key_is_reported(project: Project) -> None:
    project.review(themes="[info-sharing, dv, neglect, neglect]", child_ages="[under-1]\n~: x\ncolour: red")
    lines = project.validate().lines
    assert any("themes: 'neglect' is listed twice" in line for line in lines)
    assert any("themes: 'info-sharing' is not a theme" in line for line in lines)
    assert any("themes: 'dv' is not a valid id" in line for line in lines)
    assert any(":13: error: a key must be a plain word" in line for line in lines)
    assert any("unknown key 'colour'" in line for line in lines)


@pytest.mark.parametrize("mkdocs_yml, message", [
    ("plugins:\n  - safeguarding:\n      local_window_years: 8000\n", "local_window_years is 8000; at most 100"),
    ("plugins:\n  - safeguarding:\n      local_window_years: " + "9" * 30 + "\n", "at most 100"),
    ("plugins:\n  - safeguarding:\n      today: 2026-02-30\n", "mkdocs.yml cannot be read: day is out of range"),
    ("plugins:\n  - safeguarding:\n      today: 2026-11-23T10:00:00\n", "write a date as YYYY-MM-DD"),
    ("plugins:\n  - safeguarding:\n      ledger: 5\n", "ledger must be a file path, not 5"),
    ("docs_dir: [a]\n", "docs_dir must be a folder name, not ['a']"),
    ("plugins:\n  safeguarding:\n    local_window_years: 0\n", "local_window_years is 0"),
])
def test_configuration_errors_exit_2(project: Project, mkdocs_yml: str, message: str) -> None:
    project.review()
    project.write("mkdocs.yml", "site_name: T\n" + mkdocs_yml)
    result = project.validate()
    no_traceback(result)
    assert result.exit_code == 2 and message in result.stderr


def test_ledger_path_that_is_a_folder(project: Project) -> None:
    project.write("mkdocs.yml", "site_name: T\nplugins:\n  - safeguarding:\n      ledger: content\n")
    result = project.validate()
    no_traceback(result)
    assert result.exit_code == 1 and "content:1: error: content is not a regular file" in result.stdout


def test_ledger_in_missing_folder(project: Project) -> None:
    project.write("mkdocs.yml", "site_name: T\nplugins:\n  - safeguarding:\n      ledger: nowhere/r.lock\n")
    project.review()
    result = project.sync()
    no_traceback(result)
    assert result.exit_code == 1 and "cannot write nowhere/r.lock" in result.stderr


def test_sync_keeps_the_ledger_permissions(project: Project) -> None:
    project.published()
    os.chmod(project.ledger, 0o644)
    project.review(title='"Child A: renamed title"')
    project.sync()
    assert stat.S_IMODE(project.ledger.stat().st_mode) == 0o644


def test_unknown_ledger_keys_and_ids_are_errors(project: Project) -> None:
    project.published()
    text = project.ledger.read_text()
    project.ledger.write_text(text + "extra: 1\n")
    assert "unknown key 'extra' in the ledger" in project.validate().stdout
    project.ledger.write_text(text.replace("  kingsford-2026-child-a:", "  Bad_Id:"))
    assert "'Bad_Id' is not a valid review id" in project.validate().stdout


def test_a_hand_written_ledger_entry_cannot_take_a_list_page(project: Project) -> None:
    """A retired entry with no file becomes a catalogue page: as `index`, or with a partnership named
    'Index', it would replace /reviews/ or /partnerships/ (a time bomb: it needs only its window to end)."""
    project.published()
    text = project.ledger.read_text()
    project.ledger.write_text(text.replace("  kingsford-2026-child-a:", "  index:"))
    assert "retention.lock:5: error: 'index' is not a valid review id" in project.validate().stdout
    project.ledger.write_text(text.replace('"Kingsford Safeguarding Children Partnership"', '"Index"'))
    assert ("retention.lock:8: error: kingsford-2026-child-a: partnership: 'Index' would have the address "
            "/partnerships/index/, which is the list of all partnerships") in project.validate().stdout


def test_suggestions(project: Project) -> None:
    project.review(regions="[yorkshire]", type="SCR")
    out = project.validate().stdout
    assert "did you mean 'yorkshire-and-the-humber'?" in out
    assert "a Serious Case Review or an LCSPR is `local`" in out
    project.write("content/reviews/chïld-c.md", "---\ntitle: x\n---\n")
    assert "rename the file to 'child-c.md'" in project.validate().stdout


def test_a_theme_written_by_its_title_is_shown_its_id(project: Project) -> None:
    project.review(themes="[Information sharing, Neglect?]")
    lines = project.validate().lines
    assert any("themes: 'Information sharing' is not a valid id (ids are lower-case" in line
               and line.endswith("written as an id: 'information-sharing')") for line in lines), lines
    assert any("'Neglect?' is not a valid id" in line and "written as an id: 'neglect'" in line for line in lines), lines


def test_a_review_retired_by_deleting_its_file_may_stay_cited_by_a_briefing(project: Project) -> None:
    from generator.pages import render_pages
    from test_pages import model_of

    project.published(published="2024-01-05")  # its year on the site is over
    project.briefing(reviews="[kingsford-2026-child-a]")
    assert project.sync().exit_code == 0
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    result = project.validate()
    assert "is not a review" not in result.stdout, result.stdout  # the ledger keeps its catalogue record
    assert project.sync().exit_code == 0
    assert project.validate().exit_code == 0
    assert [r["status"] for r in project.retention()] == ["retired"]
    briefing = render_pages(model_of(project))["briefings/information-sharing-briefing.md"].after
    assert "reviews/kingsford-2026-child-a/" in briefing  # listed, as a retired review's catalogue record

    project.briefing(reviews="[kingsford-2026-child-z]")  # a review nobody ever published is still an error
    assert "'kingsford-2026-child-z' is not a review" in project.validate().stdout


def test_search_keeps_a_briefing_that_cites_a_review_retired_by_deleting_its_file(project: Project) -> None:
    from conftest import TODAY

    project.published(published="2024-01-05")
    project.briefing(reviews="[kingsford-2026-child-a]")
    assert project.sync().exit_code == 0
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    assert project.sync().exit_code == 0 and project.validate().exit_code == 0
    result = project.run("search", "learning", "--type", "briefing", "--json", "--today", TODAY)
    assert "left out of search" not in result.stderr and "information-sharing-briefing" in result.stdout, result


def test_a_briefing_may_cite_a_retired_review_by_its_former_id(project: Project) -> None:
    project.published(published="2024-01-05")  # recorded as kingsford-2026-child-a
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.review("kingsford-2024-child-a", published="2024-01-05", aliases="[kingsford-2026-child-a]")  # renamed
    assert project.sync().exit_code == 0
    project.briefing(reviews="[kingsford-2026-child-a]")  # the former id: an alias counts
    assert project.validate().exit_code == 0
    (project.content / "reviews" / "kingsford-2024-child-a.md").unlink()  # retired at the end of its window
    assert project.sync().exit_code == 0
    result = project.validate()
    assert result.exit_code == 0, result.stdout


def test_a_date_written_day_first_is_shown_as_it_should_be_written(project: Project) -> None:
    project.review(published="20/11/2026")
    assert any(":4: error: published: '20/11/2026' is not a date (did you mean 2026-11-20? Dates are written "
               "YEAR-MONTH-DAY)" in line for line in project.validate().lines)
    project.review(published="31/02/2026")  # not a real day either way: the general hint
    assert any("'31/02/2026' is not a date (write it as YYYY-MM-DD" in line for line in project.validate().lines)
