"""`validate FILE...` checks one partnership's files in the context of the whole corpus; `--quiet`
prints errors only; a future publication date is an info line, and a far one a warning."""

from __future__ import annotations

from conftest import Project

REVIEW = "content/reviews/kingsford-2026-child-a.md"


def test_named_files_print_only_their_problems(project: Project) -> None:
    project.published()
    project.review("other-review", reviewers=None, themes="[informaton-sharing]")
    mine = project.review("my-review", reviewers=None, published="2026-11-01")
    assert project.sync().exit_code == 1  # other-review's error blocks the ledger for everyone
    result = project.validate(str(mine))
    assert [line.split(": ", 2)[:2] for line in result.lines] == [
        ["content/reviews/my-review.md:1", "warning"], ["content/reviews/my-review.md:4", "error"]]
    assert "1 file checked: 1 error, 1 warning" in result.stderr
    assert result.exit_code == 1  # not in the ledger yet


def test_quiet_hides_warnings_and_a_clean_named_file_passes(project: Project) -> None:
    file = project.published(reviewers=None)
    result = project.validate(str(file), "--quiet")
    assert result.exit_code == 0 and result.stdout == ""
    assert "1 file checked: 0 errors, 1 warning" in result.stderr


def test_a_named_file_that_does_not_exist_is_a_usage_error(project: Project) -> None:
    project.published()
    result = project.validate("content/reviews/no-such-review.md")
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_embargo_is_an_info_line_and_a_far_date_a_warning(project: Project) -> None:
    project.review(published="2026-12-01")
    project.review("typo-review", published="2062-03-15")
    assert project.sync().exit_code == 0  # recorded now, to appear on its day
    result = project.validate()
    assert result.exit_code == 0
    assert f"{REVIEW}:4: info: embargoed until 2026-12-01; it will appear on the site that day" in result.lines
    assert ("content/reviews/typo-review.md:4: warning: published (2062-03-15) is more than a year from today "
            "(2026-11-23); is it a typo? (check the year)") in result.lines
    assert project.validate("--strict", str(project.content / "reviews" / "kingsford-2026-child-a.md")).exit_code == 0


def test_info_lines_are_notices_in_github_format(project: Project) -> None:
    project.review(published="2026-12-01")
    assert project.sync().exit_code == 0
    result = project.validate("--format", "github")
    assert result.stdout.startswith(f"::notice file={REVIEW},line=4,title=published::embargoed until 2026-12-01")


def test_a_partnership_is_written_one_way(project: Project) -> None:
    """A look-alike name (same page, other spelling) would retitle another partnership's page."""
    project.review()
    project.review("kingsford-2026-child-b")
    project.review("kingsford-2026-child-x", partnership='"KINGSFORD SAFEGUARDING CHILDREN PARTNERSHIP!!"')
    project.sync()
    result = project.validate()
    assert [line for line in result.lines if "partnership" in line] == [
        "content/reviews/kingsford-2026-child-x.md:5: error: partnership 'KINGSFORD SAFEGUARDING CHILDREN "
        "PARTNERSHIP!!' is written 'Kingsford Safeguarding Children Partnership' in other reviews, which share its "
        "page (partnerships/kingsford-safeguarding-children-partnership/) (write it 'Kingsford Safeguarding Children "
        "Partnership', as most reviews do)"]
