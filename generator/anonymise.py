"""The anonymisation guard: finds what could identify a child or family in published text.

Published reviews must never identify a child ("Child D", "Baby N"). This finds the details
that most often slip through when a report is edited for publication: UK postcodes, phone
numbers, e-mail addresses, NHS numbers (with their check digit), dates of birth, house-number
addresses and National Insurance numbers. validate.py turns each into an error at its line;
only the file's `allow:` list lets one through.

It is tuned for precision on review prose: freephone and helpline numbers (0800, 0808, 03..)
are not flagged, and a full date is a possible date of birth only when its sentence speaks of
birth, so publication and meeting dates pass. Every pattern has bounded repetition and no
nested unbounded quantifier, so the scan is linear in the text's length. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["KINDS", "Identifier", "find_identifiers"]

KINDS = ("postcode", "phone number", "e-mail address", "NHS number", "date of birth", "address",
         "National Insurance number")


@dataclass(frozen=True)
class Identifier:
    """A possible identifier: its kind (one of KINDS), the exact text and where it is in the text."""

    kind: str
    text: str
    start: int
    end: int


# Postcodes: the real area codes only (121 in the UK, plus GY, JE and IM), one optional space, in any
# case ("kt1 2ab" is as identifying); in lower or mixed case not an ordinal ("b2 3rd", "m1 2nd").
_AREAS = ("AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN "
          "EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK "
          "ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA "
          "TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE").split()
_POSTCODE = re.compile(r"\b(?:GIR ?0AA|(?:" + "|".join(sorted(_AREAS, key=len, reverse=True)) +
                       r")[0-9][0-9A-Z]?(?: ?- ?| )?[0-9][ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}(?: ?@ ?)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b")
# Digits may be separated by one space or hyphen; (?<!\d[ -]) and (?![ -]?\d): never part of a longer run.
# A phone number's groups also by a dot, a slash or a spaced dash (07700.900.123, 07700/900123,
# 07700 - 900123), and +44 written 0044.
_NOT_AFTER_DIGITS = r"(?<!\d[ -])"
_GROUPS = r"(?: ?[./-] ?| )?"  # between a phone number's digit groups: '07700 900123', '07700 - 900123'
_PHONE = re.compile(r"(?<![\w+./])(?<!\d[ ./-])(?:(?:\+|00[ ]?)44[ -]?(?:\(0\)[ -]?)?[1-9](?:" + _GROUPS + r"\d){8,9}"
                    r"|\(0\d{2,4}\)[ -]?\d(?:[ -]?\d){5,7}|0\d(?:" + _GROUPS + r"\d){8,9})(?!" + _GROUPS + r"\d)")
_NHS = re.compile(r"(?<![\d+])" + _NOT_AFTER_DIGITS + r"\d(?:[ -]?\d){9}(?![ -]?\d)")
_ISBN_BEFORE = re.compile(r"ISBN(?:[- ]?10)?:? ?$")  # an ISBN-10 passes the same modulus-11 check
# HMRC: first letter not D F I Q U V, second not D F I O Q U V, some pairs never issued; QQ is HMRC's
# specimen prefix, flagged too because a specimen in a published review is still a number to question.
_NATIONAL_INSURANCE = re.compile(r"\b(?:QQ|(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
                                 r"[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D]\b", re.IGNORECASE)
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec")
_FULL_DATE = re.compile(r"\b(?:[0-3]?\d[/.-][01]?\d[/.-](?:(?:19|20)\d\d|\d\d(?![/.-]?\d))|(?:19|20)\d\d-[01]\d-[0-3]\d"
                        r"|[0-3]?\d(?:st|nd|rd|th)?(?: of)? (?:" + _MONTHS + r")\.?,? (?:19|20)\d\d"
                        r"|(?:" + _MONTHS + r")\.? [0-3]?\d(?:st|nd|rd|th)?,? (?:19|20)\d\d)\b")
# Birth words; not a pre-birth assessment, birth parents or a birth plan, which reviews often date.
_BIRTH = re.compile(r"\b(?:born|(?<!pre-)(?<!pre )birth(?! (?:parents?|mothers?|fathers?|famil(?:y|ies)|"
                    r"relatives?|plans?|assessments?))|births|birthday|dob)\b|\bd\.o\.b\b\.?", re.IGNORECASE)
# Where a sentence, a Markdown block or a front-matter line ends; "Mr." or "Dr." does not end one.
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)[.!?;](?:\s|$)|\n[ \t]*\n"
                           r"|\n(?=[ \t]*(?:[-*+#>|]|\d{1,3}[.)] |[A-Za-z_]{1,40}:))")
# What may not lie between a birth word and its date: a sentence end, or a year the word may belong to
# ("born in 1990, she attended on 12 March 2021").
_BARRIER = re.compile(_SENTENCE_END.pattern + r"|\b(?:19|20)\d\d\b")
_BIRTH_WINDOW = 60  # characters either side of a date
_STREET_TYPES = ("Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Place|Court|Gardens|Grove|"
                 "Terrace|Hill|Park|Row|Square|Walk|Mews|View|Rise|Green|Parade|Vale|Wharf|Croft|Meadows|Yard|"
                 "Gate|Chase|Boulevard")
_ADDRESS = re.compile(r"\b(\d{1,4}[A-Za-z]?),? (?:(?:St\.?|[A-Z][a-z'\u2019-]{1,30}) ){1,3}(?:" + _STREET_TYPES +
                      r")\b")
_DIGITS = re.compile(r"\d+")
_WINDOW_MARGIN = 200  # characters around a digit within which an identifier holding it can start or end
_SERVICE = "service number"  # a helpline's number: not reported, but no NHS number may be read into it


def find_identifiers(text: str) -> list[Identifier]:
    """Every possible identifier in `text`, in order of position. Where two overlap, the kind found
    first below is kept: e-mail addresses, then phone numbers (so an 11-digit mobile is not also an
    NHS number), NI numbers, NHS numbers, postcodes, dates of birth, addresses. Linear time."""
    kept: list[Identifier] = []
    if "@" in text:
        kept = list(_matches("e-mail address", _EMAIL, text, [(0, len(text))]))
    windows = _digit_windows(text)
    for finder in (_phones, _national_insurance, _nhs_numbers, _postcodes, _dates_of_birth, _addresses):
        kept = _merge(kept, finder(text, windows))
    return [found for found in kept if found.kind != _SERVICE]


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


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """Merged spans around every run of digits. Every identifier but an e-mail address holds a
    digit, and prose holds few, so the patterns need not be tried everywhere (5-10x faster)."""
    windows: list[tuple[int, int]] = []
    for match in _DIGITS.finditer(text):
        start, end = max(0, match.start() - _WINDOW_MARGIN), min(len(text), match.end() + _WINDOW_MARGIN)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _matches(kind: str, pattern: re.Pattern, text: str, windows: list[tuple[int, int]]):
    for start, end in windows:  # pos/endpos, not slices: lookbehinds and \b still see the text around
        for match in pattern.finditer(text, start, end):
            yield Identifier(kind, match.group(), match.start(), match.end())


def _postcodes(text: str, windows: list[tuple[int, int]]):
    for found in _matches("postcode", _POSTCODE, text, windows):
        if found.text.isupper() or not _ORDINAL.search(found.text):
            yield found


def _national_insurance(text: str, windows: list[tuple[int, int]]):
    return _matches("National Insurance number", _NATIONAL_INSURANCE, text, windows)


def _phones(text: str, windows: list[tuple[int, int]]):
    """Landlines (01, 02) and mobiles (07), also written +44 or 0044. Freephone, non-geographic and premium
    numbers (03, 05, 08, 09) are organisations' and helplines' numbers, not a family's: they are
    kept as service numbers, so that no NHS number is read into one, and dropped at the end."""
    for found in _matches("phone number", _PHONE, text, windows):
        digits = re.sub(r"\D", "", found.text)
        international = found.text.startswith("+") or (found.text.startswith("00") and digits.startswith("0044"))
        national = "0" + digits[2 + 2 * (not found.text.startswith("+")):].removeprefix("0") if international else digits
        personal = national[:2] in ("01", "02", "07") and len(national) in (10, 11)
        yield found if personal else Identifier(_SERVICE, found.text, found.start, found.end)


def _nhs_numbers(text: str, windows: list[tuple[int, int]]):
    """Ten digits that pass the NHS modulus-11 check, unless they are an ISBN-10 or one digit repeated
    (every such run passes the check; forms use 999 999 9999 as a placeholder)."""
    for found in _matches("NHS number", _NHS, text, windows):
        digits = re.sub(r"\D", "", found.text)
        if _nhs_check_digit_ok(digits) and len(set(digits)) > 1 and \
                not _ISBN_BEFORE.search(text, max(0, found.start - 12), found.start):
            yield found


def _nhs_check_digit_ok(digits: str) -> bool:
    """The NHS number's modulus-11 check: weights 10..2 on the first nine digits, check digit
    11 - (sum mod 11), where 11 means 0 and 10 means no valid number."""
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(digits[9])


def _dates_of_birth(text: str, windows: list[tuple[int, int]]):
    """A full date with a birth word near it (_BIRTH_WINDOW characters) in the same sentence."""
    for found in _matches("date of birth", _FULL_DATE, text, windows):
        if _birth_word_near(text, found.start, found.end):
            yield found


def _birth_word_near(text: str, start: int, end: int) -> bool:
    """Whether a birth word ends before `start` or starts after `end`, with no barrier between."""
    window = max(0, start - _BIRTH_WINDOW)
    last = None
    for last in _BIRTH.finditer(text, window, start):
        pass
    if last and not _BARRIER.search(text, last.end(), start):
        return True
    first = _BIRTH.search(text, end, end + _BIRTH_WINDOW)
    return bool(first) and not _BARRIER.search(text, end, first.start())


def _addresses(text: str, windows: list[tuple[int, int]]):
    """A house number, one to three capitalised words and a street type; not a year (1900-2099)."""
    for found in _matches("address", _ADDRESS, text, windows):
        number = _ADDRESS.match(found.text).group(1)
        if not (len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2099):
            yield found
