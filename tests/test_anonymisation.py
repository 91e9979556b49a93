"""The anonymisation guard's detector: recall on positive sentences, precision on tricky negative
ones and on the shipped content, the NHS check digit, and linear time on hostile input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.anonymise import find_identifiers, nhs_check_digit_ok

CASES = Path(__file__).parent / "cases" / "anonymisation"
ROOT = Path(__file__).resolve().parents[1]


def lines(name: str) -> list[str]:
    return [line for line in (CASES / name).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


POSITIVES = [tuple(line.split("\t")) for line in lines("positives.txt")]
NEGATIVES = lines("negatives.txt")


def test_the_sets_are_large_enough() -> None:
    assert len(POSITIVES) >= 60 and len(NEGATIVES) >= 60
    assert {kind for kind, _, _ in POSITIVES} == {"postcode", "phone number", "e-mail address", "NHS number",
                                                  "date of birth", "address", "National Insurance number"}


@pytest.mark.parametrize("kind, text, sentence", POSITIVES, ids=[p[1] for p in POSITIVES])
def test_every_positive_is_found_exactly(kind: str, text: str, sentence: str) -> None:
    assert [(f.kind, f.text) for f in find_identifiers(sentence)] == [(kind, text)]


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_negative_gives_a_finding(sentence: str) -> None:
    assert find_identifiers(sentence) == []


def test_shipped_content_gives_no_finding() -> None:
    found = [(path.name, f.kind, f.text) for path in sorted((ROOT / "content").rglob("*.md"))
             for f in find_identifiers(path.read_text(encoding="utf-8").split("\n---\n", 1)[-1])]
    assert found == []


@pytest.mark.parametrize("digits, valid", [("9434765919", True), ("9434765918", False), ("4010232137", True),
                                           ("1234567890", False), ("0000000000", True)])
def test_nhs_modulus_11(digits: str, valid: bool) -> None:
    assert nhs_check_digit_ok(digits) is valid


def test_a_mobile_number_is_one_phone_number_not_also_an_nhs_number() -> None:
    found = find_identifiers("Call 07700 900 123 now.")
    assert [(f.kind, f.text) for f in found] == [("phone number", "07700 900 123")]


def test_positions_point_at_the_text() -> None:
    text = "Lived at KT1 2AB; e-mail a@b.org."
    assert [text[f.start:f.end] for f in find_identifiers(text)] == ["KT1 2AB", "a@b.org"]


@pytest.mark.parametrize("unit", ["1", "1 ", "A1 ", "@a.", "Aaaa ", "12/", "0", "a" * 70 + "@", "[", "KT1 ",
                                  "KT1 2AB 07700 900123 ", "born 12/03/2021 ", "14 Acacia Avenue "])
def test_a_megabyte_of_repetition_is_scanned_in_linear_time(unit: str) -> None:
    text = unit * (1_000_000 // len(unit))
    start = time.perf_counter()
    find_identifiers(text)
    assert time.perf_counter() - start < 20, "a guard against catastrophic backtracking, not a speed test"
