"""Hostile files under content/ and in place of the ledger: each is a clear PATH:LINE error, read
without following links, without hanging and in bounded memory; nothing else is published."""

from __future__ import annotations

import os

import pytest

from conftest import Project

REVIEW = "content/reviews/kingsford-2026-child-a.md"
PUBLISHED_HINT = ("only .md files directly in content/reviews/, content/briefings/ and content/themes/ are "
                  "published")


def errors(result) -> list[str]:
    assert "Traceback" not in result.stdout + result.stderr
    return [line for line in result.lines if ": error: " in line]


@pytest.mark.parametrize("relative", ["content/evil.html", "content/index.md", "content/.hidden.md",
                                      "content/briefings/notes.txt"])
def test_any_other_file_under_content_is_an_error(project: Project, relative: str) -> None:
    project.published()
    project.write(relative, "<script>window.__pwned=1</script>")
    result = project.validate()
    assert result.exit_code == 1
    assert errors(result) == [f"{relative}:1: error: {relative} is not published ({PUBLISHED_HINT}; remove it or "
                              "move it there)"]


def test_a_review_in_a_sub_folder_is_an_error_not_a_silent_omission(project: Project) -> None:
    project.published()
    project.write("content/reviews/2026/child-b.md", "---\ntitle: x\n---\n")
    project.write("content/assets/logo.svg", "<svg/>")
    result = project.validate()
    assert errors(result) == [
        f"content/assets:1: error: content/assets/ is a folder; nothing in it is published (1 file) ({PUBLISHED_HINT}"
        ": move its files there, or remove it)",
        f"content/reviews/2026:1: error: content/reviews/2026/ is a folder; nothing in it is published (1 file) "
        f"({PUBLISHED_HINT}: move its files there, or remove it)"]


def test_a_folder_named_like_a_review_is_an_error(project: Project) -> None:
    project.published()
    (project.content / "reviews" / "child-z.md").mkdir()
    result = project.validate()
    assert result.exit_code == 1
    assert errors(result)[0].startswith("content/reviews/child-z.md:1: error: content/reviews/child-z.md/ is a "
                                        "folder named like a content file; nothing in it is published (0 files)")


def test_symlinks_are_never_followed(project: Project) -> None:
    project.published()
    os.symlink("/proc/self/environ", project.content / "reviews" / "environ.md")
    os.symlink(project.content / "themes", project.content / "reviews" / "linked-folder.md")
    os.symlink("/etc", project.content / "briefings" / "etc")
    result = project.validate()
    link = "is a symbolic link; links are never followed (replace the link with the file itself)"
    assert errors(result) == [f"content/briefings/etc:1: error: content/briefings/etc {link}",
                              f"content/reviews/environ.md:1: error: content/reviews/environ.md {link}",
                              f"content/reviews/linked-folder.md:1: error: content/reviews/linked-folder.md {link}"]


def test_content_folder_itself_as_a_symlink_is_an_error(project: Project) -> None:
    project.published()
    real = project.root / "real-content"
    project.content.rename(real)
    os.symlink(real, project.content)
    result = project.validate()
    assert result.exit_code == 1
    assert "content:1: error: content is a symbolic link; links are never followed (make it a real folder)" \
        in result.lines


def test_a_pipe_named_like_a_review_does_not_hang(project: Project) -> None:
    project.published()
    os.mkfifo(project.content / "reviews" / "pipe.md")
    result = project.validate()
    assert errors(result) == ["content/reviews/pipe.md:1: error: content/reviews/pipe.md is not a regular file "
                              "(remove it)"]


@pytest.mark.parametrize("make, message", [
    (lambda path: os.mkfifo(path), "retention.lock:1: error: retention.lock is not a regular file "
                                   "(replace it with a text file)"),
    (lambda path: os.symlink("/dev/zero", path), "retention.lock:1: error: retention.lock is a symbolic link; "
                                                 "links are never followed (replace the link with the file itself)"),
    (lambda path: os.symlink("/nonexistent/ledger", path), "retention.lock:1: error: retention.lock is a symbolic "
                                                           "link; links are never followed (replace the link with the "
                                                           "file itself)"),
])
def test_a_ledger_that_is_not_a_regular_file_is_refused(project: Project, make, message: str) -> None:
    project.published()
    project.ledger.unlink()
    make(project.ledger)
    result = project.validate()
    assert result.exit_code == 1 and message in result.lines
    assert project.sync().exit_code == 1  # and sync never replaces it with a fresh, empty ledger
    assert os.path.islink(project.ledger) or not project.ledger.is_file()


def test_a_huge_file_is_refused_without_reading_it(project: Project) -> None:
    project.published()
    with open(project.content / "reviews" / "huge.md", "wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    result = project.validate()
    assert errors(result) == ["content/reviews/huge.md:1: error: content/reviews/huge.md is 21.0 MB; files must be "
                              "under 20 MB (keep the learning here and link the full report with report_url)"]


def test_a_binary_file_is_refused_at_its_nul_byte(project: Project) -> None:
    project.published()
    project.write("content/reviews/binary.md", b"---\ntitle: x\n\x00\x01\x02\xff")
    result = project.validate()
    assert errors(result) == ["content/reviews/binary.md:3: error: file contains a NUL byte: it is binary, not "
                              "Markdown text (save it as plain UTF-8 text)"]


def test_non_utf8_is_refused_at_its_line(project: Project) -> None:
    project.published()
    project.write("content/reviews/latin1.md", "---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    result = project.validate()
    assert errors(result) == ["content/reviews/latin1.md:2: error: byte 0xe9 is not valid UTF-8 (save the file with "
                              "UTF-8 encoding)"]


def test_thousands_of_files_are_all_read(project: Project) -> None:
    for number in range(1500):
        project.review(f"review-{number:04d}", body="## Learning\n\nText.\n")
    assert project.sync().exit_code == 0
    result = project.validate()
    assert result.exit_code == 0 and "1504 files checked: 0 errors" in result.stderr  # 1,500 reviews, 4 themes


@pytest.mark.parametrize("title, what", [
    ('"Child \\x01 A"', "U+0001 (a control character) (written as an escape)"),
    ('"Child \\0 A"', "U+0000 (a control character) (written as an escape)"),
    ('"Child \\u202e A"', "U+202E (RIGHT-TO-LEFT OVERRIDE) (written as an escape)"),
])
def test_control_characters_written_as_yaml_escapes_are_refused(project: Project, title: str, what: str) -> None:
    project.review(title=title)
    result = project.validate()
    assert f"{REVIEW}:2: error: value contains an invisible character {what} (remove the escape)" in result.lines


INVISIBLE_IN_A_NUMBER = [("\u200b", "ZERO WIDTH SPACE"), ("\u200c", "ZERO WIDTH NON-JOINER"),
                         ("\u200d", "ZERO WIDTH JOINER"), ("\u2060", "WORD JOINER"), ("\u00ad", "SOFT HYPHEN"),
                         ("\u034f", "COMBINING GRAPHEME JOINER"), ("\U000e0020", "TAG SPACE"),
                         ("\u180e", "MONGOLIAN VOWEL SEPARATOR"), ("\u200e", "LEFT-TO-RIGHT MARK"),
                         ("\u061c", "ARABIC LETTER MARK"), ("\u3164", "HANGUL FILLER")]


@pytest.mark.parametrize("char, name", INVISIBLE_IN_A_NUMBER)
def test_zero_width_and_format_characters_in_the_body_are_refused_at_their_line(
        project: Project, char: str, name: str) -> None:
    """They show nothing, so they can hide a number from the anonymisation guard: '07700 9\u200b00123'."""
    file = project.review(body=f"## Learning\n\nText.\n\nThe GP called 07700 9{char}00123.\n")
    line = file.read_text().split("\n").index(f"The GP called 07700 9{char}00123.") + 1
    result = project.validate()
    assert f"{REVIEW}:{line}: error: line contains an invisible character U+{ord(char):04X} ({name}) " \
           "(delete it; it often comes with text copied from a PDF or a word processor)" in result.lines


@pytest.mark.parametrize("char, name", INVISIBLE_IN_A_NUMBER[:3])
def test_zero_width_characters_in_front_matter_are_refused_at_their_line(project: Project, char: str,
                                                                         name: str) -> None:
    project.review(summary=f'"Call the family on 07700 9{char}00123."')
    result = project.validate()
    assert result.lines[0] == (f"{REVIEW}:10: error: line contains an invisible character U+{ord(char):04X} "
                               f"({name}) (delete it; it often comes with text copied from a PDF or a word processor)")


@pytest.mark.parametrize("char, name", [("\ufffe", "a noncharacter"), ("\uffff", "a noncharacter"),
                                        ("\x85", "a control character")])
def test_unnamed_invisible_characters_are_described_as_what_they_are(project: Project, char: str, name: str) -> None:
    """U+FFFE and U+FFFF are noncharacters (never text), not lone surrogates."""
    file = project.review(body=f"## Learning\n\nText {char} here.\n")
    line = file.read_text().split("\n").index(f"Text {char} here.") + 1
    result = project.validate()
    assert f"{REVIEW}:{line}: error: line contains an invisible character U+{ord(char):04X} ({name}) " \
           "(delete it; it often comes with text copied from a PDF or a word processor)" in result.lines


def test_a_lone_surrogate_escape_is_a_yaml_error(project: Project) -> None:
    project.review(title='"Child \\ud800 A"')
    assert project.validate().lines[0].startswith(f"{REVIEW}:2: error: invalid YAML: found invalid Unicode character")


def test_raw_bidi_override_in_a_title_is_refused_at_its_line(project: Project) -> None:
    project.review(title='"Child A \u202egnp.exe"')
    result = project.validate()
    assert result.exit_code == 1
    assert result.lines[0].startswith(f"{REVIEW}:2: error: line contains an invisible character U+202E "
                                      "(RIGHT-TO-LEFT OVERRIDE)")


def test_control_characters_in_the_body_are_refused_at_their_lines(project: Project) -> None:
    file = project.review(body="## Learning\n\nText.\n\nBell \x07 here and \x1b[31m there.\n")
    line = file.read_text().split("\n").index("Bell \x07 here and \x1b[31m there.") + 1
    result = project.validate()
    assert errors(result)[-1] == (f"{REVIEW}:{line}: error: line contains an invisible character U+0007 (a control "
                                  "character) (delete it; it often comes with text copied from a PDF or a word "
                                  "processor)")
