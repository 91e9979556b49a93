"""The anonymisation guard: finds what could identify a child or family in published text.

Published reviews must never identify a child ("Child D", "Baby N"). This finds the details
that most often slip through when a report is edited for publication: UK postcodes, phone
numbers, e-mail addresses, NHS numbers (with their check digit), dates of birth, house-number
addresses and National Insurance numbers. validate.py turns each into an error at its line;
only the file's `allow:` list lets one through.

It is tuned for precision on review prose: freephone and helpline numbers (0800, 0808, 03..)
are not flagged, and a full date is a possible date of birth only when its sentence speaks of
birth, so publication and meeting dates pass. Every pattern has bounded repetition, so the scan
is linear in the text's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("postcode", "phone number", "e-mail address", "NHS number", "date of birth", "address",
         "National Insurance number")


@dataclass(frozen=True)
class Identifier:
    """A possible identifier: its kind, the exact text and where it is in the scanned text."""

    kind: str
    text: str
    start: int
    end: int


_AREAS = ("AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN "
          "EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK "
          "ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA "
          "TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE").split()
POSTCODE = re.compile(r"\b(?:GIR ?0AA|(?:" + "|".join(sorted(_AREAS, key=len, reverse=True)) +
                      r")[0-9][0-9A-Z]? ?[0-9][ABD-HJLNP-UW-Z]{2})\b")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b")
PHONE = re.compile(r"(?<![\w+])(?:\+44[ -]?(?:\(0\)[ -]?)?[1-9](?:[ -]?\d){8,9}"
                   r"|\(0\d{2,4}\)[ -]?\d(?:[ -]?\d){5,7}|0\d(?:[ -]?\d){8,9})(?![ -]?\d)")
NHS = re.compile(r"(?<![\d+])\d(?:[ -]?\d){9}(?![ -]?\d)")
NATIONAL_INSURANCE = re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?"
                                r"[A-D]\b")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
FULL_DATE = re.compile(r"\b(?:[0-3]?\d[/.-][01]?\d[/.-](?:19|20)\d\d|(?:19|20)\d\d-[01]\d-[0-3]\d"
                       r"|[0-3]?\d(?:st|nd|rd|th)? (?:" + _MONTHS + r")\.?,? (?:19|20)\d\d"
                       r"|(?:" + _MONTHS + r")\.? [0-3]?\d(?:st|nd|rd|th)?,? (?:19|20)\d\d)\b")
BIRTH = re.compile(r"\b(?:born|(?<!pre-)birth(?! (?:parents?|mothers?|fathers?|famil(?:y|ies)|relatives?|plans?|"
                   r"assessments?))|births|birthday|dob|d\.o\.b)\b", re.IGNORECASE)  # not a pre-birth assessment
_STREET_TYPES = ("Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Place|Court|Gardens|Grove|"
                 "Terrace|Hill|Park|Row|Square|Walk|Mews|View|Rise|Green|Parade|Vale|Wharf|Croft|Meadows|Yard")
ADDRESS = re.compile(r"\b(\d{1,4}[A-Za-z]?),? (?:(?:St\.?|[A-Z][a-z'\u2019-]{1,30}) ){1,3}(?:" + _STREET_TYPES + r")\b")
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)|\n\s*\n")  # a sentence or a clause
BIRTH_WINDOW = 60  # characters either side of a date, within its sentence


WINDOW_MARGIN = 200  # characters around a digit within which an identifier holding it can start or end


def find_identifiers(text: str) -> list[Identifier]:
    """Every possible identifier in `text`, by position; where two overlap, the first kind found
    (in the order below: the most specific first) is kept. Linear in the text's length."""
    kept: list[Identifier] = []
    if "@" in text:
        kept = list(_matches("e-mail address", EMAIL, text, [(0, len(text))]))
    windows = digit_windows(text)
    for finder in (_phones, _national_insurance, _nhs_numbers, _postcodes, _dates_of_birth, _addresses):
        kept = _merge(kept, finder(text, windows))
    return kept


def _merge(kept: list[Identifier], candidates) -> list[Identifier]:
    """`kept` with each candidate that overlaps none of it; both come sorted and non-overlapping,
    so one pass over the two suffices."""
    merged, index = [], 0
    for found in candidates:
        while index < len(kept) and kept[index].end <= found.start:
            merged.append(kept[index])
            index += 1
        if (merged and merged[-1].end > found.start) or (index < len(kept) and kept[index].start < found.end):
            continue
        merged.append(found)
    return merged + kept[index:]


def digit_windows(text: str) -> list[tuple[int, int]]:
    """Merged spans around every run of digits. Every identifier but an e-mail address holds a
    digit, and prose holds few, so the patterns need not be tried everywhere (5-10x faster)."""
    windows: list[tuple[int, int]] = []
    for match in _DIGITS.finditer(text):
        start, end = max(0, match.start() - WINDOW_MARGIN), min(len(text), match.end() + WINDOW_MARGIN)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


_DIGITS = re.compile(r"\d+")


def _matches(kind: str, pattern: re.Pattern, text: str, windows: list[tuple[int, int]]):
    for start, end in windows:  # pos/endpos, not slices: lookbehinds and \b still see the text around
        for match in pattern.finditer(text, start, end):
            yield Identifier(kind, match.group(), match.start(), match.end())


def _postcodes(text: str, windows: list[tuple[int, int]]):
    return _matches("postcode", POSTCODE, text, windows)


def _national_insurance(text: str, windows: list[tuple[int, int]]):
    return _matches("National Insurance number", NATIONAL_INSURANCE, text, windows)


def _phones(text: str, windows: list[tuple[int, int]]):
    """Landlines (01, 02), mobiles (07) and any +44 number; not freephone, non-geographic or premium
    numbers (03, 08, 09), which are organisations' and helplines' numbers, not a family's."""
    for found in _matches("phone number", PHONE, text, windows):
        digits = re.sub(r"\D", "", found.text)
        national = "0" + digits[2:].removeprefix("0") if digits.startswith("44") else digits
        if national[:2] in ("01", "02", "07") and len(national) in (10, 11):
            yield found


def _nhs_numbers(text: str, windows: list[tuple[int, int]]):
    for found in _matches("NHS number", NHS, text, windows):
        if nhs_check_digit_ok(re.sub(r"\D", "", found.text)):
            yield found


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's modulus-11 check: weights 10..2 on the first nine digits."""
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(digits[9])


def _dates_of_birth(text: str, windows: list[tuple[int, int]]):
    """A full date whose sentence speaks of birth within BIRTH_WINDOW characters."""
    for found in _matches("date of birth", FULL_DATE, text, windows):
        before = text[max(0, found.start - BIRTH_WINDOW):found.start]
        after = text[found.end:found.end + BIRTH_WINDOW]
        ends = list(_SENTENCE_END.finditer(before))
        before = before[ends[-1].end():] if ends else before
        end = _SENTENCE_END.search(after)
        after = after[:end.start()] if end else after
        if BIRTH.search(before) or BIRTH.search(after):
            yield found


def _addresses(text: str, windows: list[tuple[int, int]]):
    for found in _matches("address", ADDRESS, text, windows):
        number = ADDRESS.match(found.text).group(1)
        if not (len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2099):  # a year, not a house
            yield found
