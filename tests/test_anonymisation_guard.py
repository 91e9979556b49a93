"""The anonymisation guard inside validate: every possible identifier in a body or a free-text
field is an error at its line, and only the file's `allow:` list, quoting it, lets it through."""

from __future__ import annotations

from conftest import Project

REVIEW = "content/reviews/kingsford-2026-child-a.md"
HINT = "(anonymise it, or quote it under allow: if it is not identifying)"
BODY = ("## Learning\n\nThe family lived at KT1 2AB.\n\nChild A was born on 12/03/2021 and the GP\n"
        "called 07700 900123.\n\nThe strategy meeting on 14 April 2021 agreed a plan.\n")


def line_of(file, text: str) -> int:
    return next(number for number, line in enumerate(file.read_text().split("\n"), 1) if text in line)


def test_each_identifier_in_the_body_is_an_error_at_its_line(project: Project) -> None:
    file = project.review(body=BODY)
    result = project.validate()
    assert result.exit_code == 1
    assert [line for line in result.lines if "possible" in line] == [
        f"{REVIEW}:{line_of(file, 'KT1 2AB')}: error: possible postcode 'KT1 2AB' {HINT}",
        f"{REVIEW}:{line_of(file, '12/03/2021')}: error: possible date of birth '12/03/2021' {HINT}",
        f"{REVIEW}:{line_of(file, '07700 900123')}: error: possible phone number '07700 900123' {HINT}"]


def test_free_text_fields_are_checked_at_their_key_or_item_line(project: Project) -> None:
    file = project.review(summary='"Child A lived at 14 Acacia Avenue with her mother."',
                          reviewers='\n  - "Dr A. Reviewer"\n  - "b.reviewer@example.org"')
    result = project.validate()
    assert f"{REVIEW}:{line_of(file, 'summary:')}: error: possible address '14 Acacia Avenue' {HINT}" in result.lines
    assert (f"{REVIEW}:{line_of(file, 'b.reviewer@')}: error: possible e-mail address 'b.reviewer@example.org' "
            f"{HINT}") in result.lines


def test_allow_quoting_the_passage_lets_it_through_and_a_stale_entry_is_a_warning(project: Project) -> None:
    file = project.published(body="## Learning\n\nThe team met at the hospital, postcode NE1 4LP.\n",
                             allow='["hospital, postcode NE1 4LP", "SW1A 1AA"]')
    result = project.validate()
    assert result.exit_code == 0
    assert [line for line in result.lines if "allow" in line] == [
        f"{REVIEW}:{line_of(file, 'allow:')}: warning: allow: 'SW1A 1AA' lets nothing through (remove it: no possible identifier in this "
        "file is inside it)"]


def test_an_allow_entry_must_contain_the_identifier_to_let_it_through(project: Project) -> None:
    project.review(body="## Learning\n\nThe family lived at KT1 2AB.\n", allow='["KT1"]')
    result = project.validate()
    assert "possible postcode 'KT1 2AB'" in result.stdout


def test_review_facts_and_helplines_are_not_flagged(project: Project) -> None:
    project.published(body="## Learning\n\nPublished on 5 March 2026 after the panel met on 12/01/2026.\n\n"
                           "Call the NSPCC helpline on 0808 800 5000 or Childline on 0800 1111.\n")
    result = project.validate()
    assert result.exit_code == 0 and "possible" not in result.stdout


def test_briefings_are_guarded_too(project: Project) -> None:
    project.published()
    project.briefing(summary='"Contact the lead at lead@kingsford.example.org for the slides."')
    result = project.validate()
    assert ("content/briefings/information-sharing-briefing.md:5: error: possible e-mail address "
            f"'lead@kingsford.example.org' {HINT}") in result.lines


def test_themes_are_guarded_too_in_their_body_and_every_free_text_field(project: Project) -> None:
    """A theme has no allow: list, so its hint says to anonymise or remove the passage."""
    theme = project.write("content/themes/neglect.md", (
        '---\ntitle: "Neglect: call 07700 900123"\ngroup: topic\nsummary: "Write to lead@kingsford.example.org."\n'
        'synonyms: ["neglect", "KT1 2AB"]\n---\n\nChild A was born on 12/03/2021.\n'))
    result = project.validate()
    path, hint = "content/themes/neglect.md", ("(anonymise or remove it: a theme describes practice, never one "
                                                "family, so it has no allow: list)")
    assert result.exit_code == 1
    assert [line for line in result.lines if "possible" in line] == [
        f"{path}:2: error: possible phone number '07700 900123' {hint}",
        f"{path}:4: error: possible e-mail address 'lead@kingsford.example.org' {hint}",
        f"{path}:5: error: possible postcode 'KT1 2AB' {hint}",
        f"{path}:{line_of(theme, '12/03/2021')}: error: possible date of birth '12/03/2021' {hint}"]
