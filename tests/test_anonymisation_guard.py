"""The anonymisation guard inside validate: every possible identifier in a body or a free-text
field is an error at its line, and only the file's `allow:` list, quoting it, lets it through."""

from __future__ import annotations

import pytest

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


SHOWN = "as the page shows it"
HIDDEN_HINT = ("(the source hides it with markup, character references, invisible or look-alike characters; "
               "anonymise it, or quote it under allow: if it is not identifying)")
HIDDEN = [  # (as written in the source, kind, as the page shows it)
    ("07700&#32;900123", "phone number", "07700 900123"),
    ("07700&#x20;900123", "phone number", "07700 900123"),
    ("jo&#64;example.com", "e-mail address", "jo@example.com"),
    ("07700&nbsp;900123", "phone number", "07700 900123"),
    ("0770<span>0</span> 900123", "phone number", "07700 900123"),
    ("0770*0* 900123", "phone number", "07700 900123"),
    ("07700 _900123_", "phone number", "07700 900123"),
    ("jo\\@example\\.com", "e-mail address", "jo@example.com"),
    ("07700\\-900123", "phone number", "07700-900123"),
    ("07700\u00a0900123", "phone number", "07700 900123"),
    ("07700\u2009900123", "phone number", "07700 900123"),
    ("07700\u202f900123", "phone number", "07700 900123"),
    ("07700\u2013900123", "phone number", "07700-900123"),
    ("07700\u2014900123", "phone number", "07700-900123"),
    ("\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13", "phone number", "07700 900123"),
    ("\u0412\u04101 1\u0410\u0410", "postcode", "BA1 1AA"),  # Cyrillic letters only: no Latin word is mixed
    ("07700&#8203;900123", "phone number", "07700900123"),
    ("07700\n900123", "phone number", "07700 900123"),  # one line on the page
    ("[the family](mailto:jo&#64;example.com)", "e-mail address", "jo@example.com"),
    ("943&#32;476 5919", "NHS number", "943 476 5919"),
    ("QQ&#32;12 34 56 C", "National Insurance number", "QQ 12 34 56 C"),
    ("14 Acacia&nbsp;Avenue", "address", "14 Acacia Avenue"),
    ("KT1&nbsp;2AB", "postcode", "KT1 2AB"),
    ("07700<br>900123", "phone number", "07700 900123"),  # a line break on the page, read as one number
    ("07700  \n900123", "phone number", "07700 900123"),  # Markdown's hard line break
    ("[her](mailto:jo%40example.com)", "e-mail address", "jo@example.com"),  # the status bar decodes it
    ("[map](https://maps.example/?q=KT1+2AB)", "postcode", "KT1 2AB"),
    ("07700&nbsp;&nbsp;900123", "phone number", "07700 900123"),  # no-break spaces do not collapse: we do
    ("KT1\u00a0\u00a02AB", "postcode", "KT1 2AB"),
    ("0\u03327700 900123", "phone number", "07700 900123"),  # an underlined 0 is a 0
    ("\u0660\u0667\u0667\u0660\u0660 \u0669\u0660\u0660\u0661\u0662\u0663", "phone number", "07700 900123"),
    ("\u0966\u096d\u096d\u0966\u0966 \u096f\u0966\u0966\u0967\u0968\u0969", "phone number", "07700 900123"),
    ("jo@example\u3002com", "e-mail address", "jo@example.com"),  # an ideographic full stop
]


@pytest.mark.parametrize("written, kind, shown", HIDDEN, ids=[repr(h[0]) for h in HIDDEN])
def test_an_identifier_the_source_hides_is_found_in_the_text_the_page_shows(project: Project, written: str, kind: str,
                                                                           shown: str) -> None:
    file = project.review(body=f"## Learning\n\nIntro.\n\nThe GP wrote to the family: {written} on Monday.\n")
    result = project.validate()
    line = line_of(file, "The GP wrote")
    assert [text for text in result.lines if "possible" in text] == [
        f"{REVIEW}:{line}: error: possible {kind} '{shown}' {SHOWN} {HIDDEN_HINT}"]


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\u034f", "\U000e0020", "\u180e", "\u200e", "\u061c"]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_an_invisible_character_inside_a_number_or_address_hides_neither(project: Project, char: str) -> None:
    """The reader refuses the character itself; the guard still reports what it was hiding."""
    file = project.review(body=f"## Learning\n\nCall 07700 9{char}00123 or write to jo@exa{char}mple.com.\n")
    line = line_of(file, "Call 07700")
    result = project.validate()
    assert f"{REVIEW}:{line}: error: line contains an invisible character U+{ord(char):04X}" in result.stdout
    assert [text.split(" (")[0] for text in result.lines if "possible" in text] == [
        f"{REVIEW}:{line}: error: possible e-mail address 'jo@example.com' {SHOWN}",
        f"{REVIEW}:{line}: error: possible phone number '07700 900123' {SHOWN}"]


def test_a_hidden_identifier_already_reported_as_written_is_not_reported_again(project: Project) -> None:
    """Nor twice as the page shows it: an address is the link's text and its mailto: address."""
    file = project.review(body="## Learning\n\nCall 07700 900123 today.\n\nOr 07700&#32;900123 or 0770*0* 900123.\n\n"
                               "Write to [jo&#64;example.com](mailto:jo&#64;example.com) or <jo@example.com>.\n\n"
                               "Or [to her](mailto:her&#64;example.com) at "
                               "[her&#64;example.com](mailto:her@example.com)\n")
    result = project.validate()
    assert [text.split(" (")[0] for text in result.lines if "possible" in text] == [
        f"{REVIEW}:{line_of(file, 'Call 07700')}: error: possible phone number '07700 900123'",
        f"{REVIEW}:{line_of(file, 'Write to')}: error: possible e-mail address 'jo@example.com'",
        f"{REVIEW}:{line_of(file, 'Or [to her]')}: error: possible e-mail address 'her@example.com'"]


def test_allow_lets_a_hidden_identifier_through_quoted_as_written_or_as_shown(project: Project) -> None:
    project.published(body="## Learning\n\nThe hospital switchboard, 020&nbsp;7946&nbsp;0000, and its ward, "
                           "020&#32;7946&#32;0001, were called.\n",
                      allow='["switchboard, 020&nbsp;7946&nbsp;0000", "ward, 020 7946 0001"]')
    result = project.validate()
    assert result.exit_code == 0 and "possible" not in result.stdout and "allow" not in result.stdout


def test_a_free_text_field_is_read_as_the_page_shows_it(project: Project) -> None:
    full_width = "\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13"
    file = project.review(summary=f'"Call the family on {full_width}."',
                          reviewers='\n  - "A. Reviewer"\n  - "jo@example\u2013site.org"')
    result = project.validate()
    assert f"{REVIEW}:{line_of(file, 'summary:')}: error: possible phone number '07700 900123' {SHOWN} " \
           f"{HIDDEN_HINT}" in result.lines
    assert f"{REVIEW}:{line_of(file, 'jo@example')}: error: possible e-mail address 'jo@example-site.org' {SHOWN} " \
           f"{HIDDEN_HINT}" in result.lines


def test_a_theme_is_read_as_its_page_shows_it(project: Project) -> None:
    theme = project.write("content/themes/neglect.md", '---\ntitle: "Neglect"\ngroup: topic\nsummary: "Neglect."\n'
                                                        '---\n\nIntro.\n\nThe duty team is on 07700&#32;900123.\n')
    result = project.validate()
    assert [text.split(" (")[0] for text in result.lines if "possible" in text] == [
        f"content/themes/neglect.md:{line_of(theme, 'duty team')}: error: possible phone number '07700 900123' {SHOWN}"]


LOOKALIKE_HINT = ("(retype it in Latin letters: a letter of another alphabet drawn like a Latin one hides a name or a "
                  "number from the anonymisation guard and from search)")


def test_a_word_mixing_latin_with_cyrillic_or_greek_look_alikes_is_refused_at_its_line(project: Project) -> None:
    file = project.review(title='"Child A: \u03a1eter and the school"',
                          body="## Learning\n\nIntro.\n\nJ\u043ehn was seen.\n\nLater J&#1086;nes said so.\n")
    result = project.validate()
    assert [text for text in result.lines if "mixes" in text] == [
        f"{REVIEW}:{line_of(file, 'title:')}: error: '\u03a1eter' mixes Latin letters with Greek '\u03a1' (U+03A1) "
        f"{LOOKALIKE_HINT}",
        f"{REVIEW}:{line_of(file, 'hn was seen')}: error: 'J\u043ehn' mixes Latin letters with Cyrillic '\u043e' "
        f"(U+043E) {LOOKALIKE_HINT}",
        f"{REVIEW}:{line_of(file, 'Later J')}: error: 'J\u043enes' mixes Latin letters with Cyrillic '\u043e' "
        f"(U+043E) {LOOKALIKE_HINT}"]


def test_an_armenian_look_alike_is_refused_and_read_as_latin(project: Project) -> None:
    file = project.review(body="## Learning\n\nWrite to j\u0585@example.com today.\n")
    lines = project.validate().lines
    line = line_of(file, "Write to")
    assert f"{REVIEW}:{line}: error: 'j\u0585' mixes Latin letters with Armenian '\u0585' (U+0585) {LOOKALIKE_HINT}" in lines
    assert any(f"{REVIEW}:{line}: error: possible e-mail address 'jo@example.com' {SHOWN}" in text for text in lines)


def test_greek_notation_and_words_in_one_alphabet_are_not_refused(project: Project) -> None:
    project.published(body="## Learning\n\nShe was given 5 \u03bcg daily; \u03b2hCG and \u03b3GT were normal. "
                           "The interpreter spoke \u0420\u0443\u0441\u0441\u043a\u0438\u0439 and "
                           "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac.\n")
    result = project.validate()
    assert result.exit_code == 0 and "mixes" not in result.stdout


@pytest.mark.parametrize("reference, name", [("&#8203;", "U+200B (ZERO WIDTH SPACE)"),
                                             ("&zwj;", "U+200D (ZERO WIDTH JOINER)"),
                                             ("&#x202E;", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
                                             ("&shy;", "U+00AD (SOFT HYPHEN)")])
def test_an_invisible_character_written_as_a_character_reference_is_refused(project: Project, reference: str,
                                                                             name: str) -> None:
    file = project.review(body=f"## Learning\n\nIntro.\n\nChild{reference} A was seen.\n")
    result = project.validate()
    assert (f"{REVIEW}:{line_of(file, 'was seen')}: error: line contains an invisible character {name} written as a "
            "character reference (delete it; it often comes with text copied from a PDF or a word processor)"
            ) in result.lines


def test_a_number_split_across_table_cells_is_read_as_the_row_shows_it(project: Project) -> None:
    project.review(body="## Learning\n\n| Phone | |\n|---|---|\n| 07700 | 900123 |\n")
    assert any("possible phone number '07700 900123' as the page shows it" in line for line in project.validate().lines)


@pytest.mark.parametrize("field, value", [("summary", '|\n  They lived at KT1\n  2AB in Kingsford.'),
                                          ("summary", '"Her number was 07700\\n900123 then."'),
                                          ("title", '"Child Z 07700\\t900123"')])
def test_a_value_wrapped_or_tabbed_is_read_as_the_browser_shows_it(project: Project, field: str, value: str) -> None:
    """A browser shows a line break or a tab in a value as a space: 'KT1' and '2AB' meet."""
    project.review(**{field: value})
    assert any(f": error: possible " in line and "as the page shows it" in line for line in project.validate().lines)


def test_the_id_former_ids_and_report_address_are_guarded(project: Project) -> None:
    """Each is shown: the id in the citation and permanent link, a former id as its own redirect
    page, the report's address as the link and in print (decoded, as the status bar shows it)."""
    project.review("child-d-07700900123", aliases="[child-d-kt12ab]",
                   report_url='"https://example.org/reports/child-d%40example.com.pdf"')
    found = [line.split(": error: ")[1].split(" (")[0] for line in project.validate().lines if "possible" in line]
    assert found == ["possible phone number '07700900123'",
                     "possible e-mail address 'child-d@example.com.pdf' as the page shows it",
                     "possible postcode 'kt12ab'"], found


def test_an_allow_list_is_bounded_and_read_in_linear_time(project: Project) -> None:
    """Thousands of identifiers against every passage took 43 s with 50 passages; and at most 50 are read."""
    allow = "[" + ", ".join(f'"nothing here {n}"' for n in range(51)) + "]"
    project.review(body=("Tel 07700 900123. " * 10 + "\n") * 1750, allow=allow)
    result = project.validate()
    assert any(": error: allow: lists 51 passages; at most 50 are read (anonymise the text instead: an exception is "
               "for a few passages a reviewer can check)" in line for line in result.lines), result.stdout


@pytest.mark.parametrize("body", ["## Date of birth\n\n14/03/2019\n",
                                  "| Child | DOB |\n|---|---|\n| D | 14/03/2019 |\n"])
def test_a_date_under_a_birth_heading_or_column_is_a_possible_date_of_birth(project: Project, body: str) -> None:
    """As the page shows it, a heading or a table's header runs on into the date below it."""
    project.review(body="## Learning\n\n" + body)
    assert any("error: possible date of birth '14/03/2019' as the page shows it" in line
               for line in project.validate().lines)


@pytest.mark.parametrize("written, kind, shown", [
    ('<ol start="12" markdown>\n<li>Acacia Avenue</li>\n</ol>\n', "address", "12 Acacia Avenue"),
    ('<ol start="11" markdown>\n<li>Before</li>\n<li>Acacia Avenue</li>\n</ol>\n', "address", "12 Acacia Avenue"),
    ('<ol>\n<li value="12">Acacia Avenue</li>\n</ol>\n', "address", "12 Acacia Avenue"),
    ('<ol start="+943" markdown>\n<li>476 5919</li>\n</ol>\n', "NHS number", "943 476 5919"),  # as browsers read it
    ('<ol>\n<li value=" +943">476 5919</li>\n</ol>\n', "NHS number", "943 476 5919")])
def test_a_numbered_list_item_is_read_with_the_number_the_browser_shows(project: Project, written: str, kind: str,
                                                                        shown: str) -> None:
    file = project.review(body=f"## Learning\n\nIntro.\n\nWhere the family lived:\n\n{written}\nMore.\n")
    result = project.validate()
    anchor = shown.split(" ", 1)[1]
    assert [text for text in result.lines if "possible" in text] == [
        f"{REVIEW}:{line_of(file, anchor)}: error: possible {kind} '{shown}' {SHOWN} {HIDDEN_HINT}"]


def test_an_ordinary_numbered_list_is_not_read_as_addresses(project: Project) -> None:
    project.review(body="## Learning\n\nIntro.\n\n1. Family Court judges found the threshold met.\n"
                        "2. Kingsford Park Primary School\n3. Dr Sarah Hill\n\n"
                        '<ol markdown>\n<li>Elm Grove Academy</li>\n</ol>\n')
    assert not [text for text in project.validate().lines if "possible" in text]
