"""The anonymisation guard's detector: recall on positive sentences, precision on tricky negative
ones and on the shipped content, the NHS check digit, overlaps, and linear time on hostile input."""

from __future__ import annotations

import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import bodies
from generator.anonymise import KINDS, Identifier, find_identifiers
from generator.characters import latin_form, mixed_alphabet_words
from generator.frontmatter import split
from generator.htmlcheck import locate_text, read_shown

CASES = Path(__file__).parent / "cases" / "anonymisation"
ROOT = Path(__file__).resolve().parents[1]


def lines(name: str) -> list[str]:
    text = (CASES / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


POSITIVES = [tuple(line.split("\t")) for line in lines("positives.txt")]
NEGATIVES = lines("negatives.txt")


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_identifiers(text)]


def test_the_sets_are_large_enough_and_cover_every_kind() -> None:
    assert len(POSITIVES) >= 70 and len(NEGATIVES) >= 70
    assert all(len(row) == 3 for row in POSITIVES)
    assert {kind for kind, _, _ in POSITIVES} == set(KINDS)


@pytest.mark.parametrize("kind, text, sentence", POSITIVES, ids=[p[1] for p in POSITIVES])
def test_every_positive_is_found_exactly(kind: str, text: str, sentence: str) -> None:
    assert found(sentence) == [(kind, text)]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_negative_gives_a_finding(sentence: str) -> None:
    assert find_identifiers(sentence) == []


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "401-023-2137", "734 417 8001", "94 34 76 59 19"])
def test_an_nhs_number_passing_modulus_11_is_found_and_one_digit_changed_is_not(number: str) -> None:
    changed = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert found(f"The NHS number {number} was on the letter.") == [("NHS number", number)]
    assert found(f"The NHS number {changed} was on the letter.") == []


# check digit 10, a wrong one, one digit repeated
@pytest.mark.parametrize("digits", ["1234567890", "4010232130", "5555555555"])
def test_ten_digits_failing_modulus_11_are_not_an_nhs_number(digits: str) -> None:
    assert found(f"Reference {digits} was quoted.") == []


def test_a_mobile_number_is_one_phone_number_not_also_an_nhs_number() -> None:
    assert found("Call 07700 900 123 now.") == [("phone number", "07700 900 123")]
    assert found("Call 0161 496 0123 now.") == [("phone number", "0161 496 0123")]


def test_a_ten_digit_phone_number_passing_modulus_11_is_reported_once_as_a_phone_number() -> None:
    assert found("Ring 0169 771 237 today.") == [("phone number", "0169 771 237")]  # 0169771237 passes


def test_a_helpline_number_hides_no_nhs_number() -> None:  # 0800123409 passes modulus 11
    assert found("From abroad call +44 808 800 5000, or 0800 123 409 at home.") == []


def test_findings_come_in_order_of_position_and_point_at_the_text() -> None:
    text = "Child D, born 12/03/2021, lived at 14 Acacia Avenue, KT1 2AB; e-mail a@b.org, tel 07700 900123."
    results = find_identifiers(text)
    assert [(f.kind, text[f.start:f.end]) for f in results] == [
        ("date of birth", "12/03/2021"), ("address", "14 Acacia Avenue"), ("postcode", "KT1 2AB"),
        ("e-mail address", "a@b.org"), ("phone number", "07700 900123")]
    assert all(isinstance(f, Identifier) and f.text == text[f.start:f.end] for f in results)


def test_front_matter_dates_are_not_read_as_dates_of_birth() -> None:
    text = '---\ntitle: "Learning about birth"\npublished: 2023-01-13\n---\n\nBody.\n'
    assert find_identifiers(text) == []


# Hang guards: each unit repeated to a megabyte. Catastrophic backtracking would take minutes.
@pytest.mark.parametrize("unit", ["1", "1 ", "1-", "A1 ", "@a.", "a@a.", "a" * 70 + "@", "Aaaa ", "1 Aaaa ",
                                  "Aaaa 1 ", "12/", "0", "0 ", "+44 ", "[", "KT1 ", "D.O.B. ", "born 12/03/2021 ",
                                  "KT1 2AB 07700 900123 ", "14 Acacia Avenue ", "AB 12 "])
def test_a_megabyte_of_repetition_is_scanned_in_linear_time(unit: str) -> None:
    text = unit * (1_000_000 // len(unit))
    start = time.perf_counter()
    find_identifiers(text)
    assert time.perf_counter() - start < 30, "a hang guard (catastrophic backtracking takes minutes), not a speed test"


def test_shipped_content_gives_no_finding() -> None:
    files = sorted((ROOT / "content").rglob("*.md"))
    assert files
    findings = [(path.name, f.kind, f.text) for path in files
                for f in find_identifiers(path.read_text(encoding="utf-8"))]
    assert findings == []


def test_the_text_the_shipped_pages_show_gives_no_finding() -> None:
    """The judge keeps a body's shown text only when the guard may find something in it."""
    files = sorted((ROOT / "content").rglob("*.md"))
    kept = [path.name for path in files
            if bodies.judge_now(bodies.published_markdown(path.parent.name, split(path.read_text())[2]))[0].shown]
    assert kept == []


@pytest.mark.parametrize("body, shown", [
    ("Call 07700&#32;900123.", "Call 07700 900123."),
    ("0770<span>0</span> 900123 and 0770*0*\n900123", "07700 900123 and 07700 900123"),
    ("| a | b |\n|--|--|\n| 0770 | 0900123 |", "a\n\nb\n\n0770\n\n0900123"),  # cells apart, as on the page
    ("One<br>two  three\u00a0four\n\n- 01234\n- 567890", "One\ntwo three\u00a0four\n\n01234\n\n567890"),
    ("    07700\n    900123", "07700\n900123"),  # a code block keeps its lines
    ('07<a href="mailto:jo&#64;example.com" title="Tel 0770">700</a> 900123',
     "07700 900123\n\nmailto:jo@example.com\n\nTel 0770"),  # addresses and titles after the text
])
def test_the_shown_text_is_what_a_browser_shows(body: str, shown: str) -> None:
    assert read_shown(bodies.render(body).html)[1] == shown


def test_the_judge_keeps_the_shown_text_only_when_there_may_be_something_in_it() -> None:
    assert bodies.judge_now("Plain text, 12 words, published 2026.")[0].shown == ""
    assert bodies.judge_now("Call 07700&#32;900123.")[0].shown == "Call 07700 900123."
    assert bodies.judge_now("J\u043ehn.")[0].shown == "J\u043ehn."
    assert bodies.judge_now("Child&#8203;A.")[0].shown == "Child\u200bA."


@pytest.mark.parametrize("written, read", [
    ("\uff10\uff17\uff17\uff10\uff10\u00a0900123", "07700 900123"), ("07700\u2013900\u2212123", "07700-900-123"),
    ("j\u200b\u043e\u00ad@\u0435x\u0430mple.com", "jo@example.com"), ("jo\\@example.com", "jo@example.com"),
    ("\u0392\u0391\u0031 \u0031\u0391\u0391", "BA1 1AA"),
])
def test_latin_form_reads_text_as_the_patterns_do(written: str, read: str) -> None:
    assert latin_form(written) == read


EVERY_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())  # what str.split splits at


@given(st.text(alphabet=EVERY_SPACE + "ab0\u0660\u0967\u0301-", max_size=40))
def test_latin_form_makes_each_run_of_space_one_space_and_every_digit_ascii(text: str) -> None:
    """latin_form joins words with str.split, which splits at every Unicode space: the result must
    be what the regular expressions it replaced gave, once every other space has become a space or
    been dropped; another script's digit is its ASCII digit."""
    expected = "".join("" if c in "\x0b\x0c\x1c\x1d\x1e\x1f\x85\u0301" else " " if c.isspace() and c not in " \t\n\r" else c
                       for c in unicodedata.normalize("NFKC", text))
    expected = re.sub(r"(?![0-9])\d", lambda match: str(unicodedata.decimal(match.group())), expected)
    if "  " in expected or "\n" in expected or "\t" in expected or "\r" in expected:
        expected = re.sub(r"[ \t\n\r\f\v]{2,}|[\t\n\r\f\v]", " ", expected)
    assert latin_form(text) == expected


@pytest.mark.parametrize("unit", ["J\u043ehn ", "0\u00a0", "07700\u200b9\n", "0<b>7</b>\u2013", "jo\\@x.\n"])
def test_the_text_as_shown_is_read_and_located_in_linear_time(unit: str) -> None:
    text = unit * (500_000 // len(unit))
    start = time.perf_counter()
    mixed_alphabet_words(text)
    find_identifiers(latin_form(text))
    locate_text([f"07700 90012{n}" for n in range(20)], text, 1, latin_form)
    assert time.perf_counter() - start < 10, "a guard against quadratic time, not a speed test"
