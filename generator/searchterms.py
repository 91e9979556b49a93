"""The field's vocabulary for search, shared by the web index (Pagefind) and Whoosh.

Practitioners search with abbreviations (NAI, CCE, SUDI) and with their own words for a theme
("county lines" for child criminal exploitation). So every page carries, besides its own text,
its themes' titles and synonyms and, for each abbreviation it uses in either form, both forms:
"NAI" then finds a review that only ever says "non-accidental injury", and the other way round.
The abbreviations live in one maintained file, `abbreviations.yml`, beside this module.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

ABBREVIATIONS_FILE = Path(__file__).with_name("abbreviations.yml")


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, tuple[str, ...]]:
    """Abbreviation -> its long forms (the first is the one shown), from abbreviations.yml."""
    data = yaml.safe_load(ABBREVIATIONS_FILE.read_text(encoding="utf-8"))
    table = {}
    for short, longs in data.items():
        if not (isinstance(short, str) and re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", short)
                and isinstance(longs, list) and longs and all(isinstance(t, str) and t.strip() for t in longs)):
            raise ValueError(f"{ABBREVIATIONS_FILE.name}: '{short}' needs upper-case letters and a list of long forms")
        table[short] = tuple(" ".join(t.split()) for t in longs)
    return table


_PUNCTUATION = str.maketrans({c: " " for c in "-‐–—.,;:!?()[]{}\"'‘’“”/\\*_#>`|"})


def _words(text: str) -> str:
    """Text with punctuation as spaces, so `split` finds the words and `in` compares phrases."""
    return text.translate(_PUNCTUATION)


def normalise(text: str) -> str:
    """Lower case, punctuation as spaces: for comparing phrases as words."""
    return _words(text).lower()


@lru_cache(maxsize=1)
def _lookup() -> tuple[frozenset[str], tuple[tuple[str, str, frozenset[str]], ...]]:
    table = abbreviations()
    phrases = dict.fromkeys((" " + " ".join(_words(long).lower().split()) + " ", short)
                            for short, forms in table.items() for long in forms)  # alike once normalised: once
    return frozenset(table), tuple((phrase, short, frozenset(phrase.split())) for phrase, short in phrases)


def abbreviation_counts(text: str) -> dict[str, int]:
    """How often the text uses each abbreviation, as written (in capitals) or in a long form."""
    return abbreviations_and_words(text)[0]


def abbreviations_and_words(text: str) -> tuple[dict[str, int], set[str]]:
    """How often the text uses each abbreviation, as written (in capitals) or in a long form, and
    the text's distinct words (lower case). Linear in the text: a few passes over it in C, then a
    count per long form whose words all occur in it (most long forms have a word the text never
    uses, and are skipped)."""
    shorts, phrases = _lookup()
    spaced = _words(text)
    written = spaced.split()
    counts = Counter({short: written.count(short) for short in shorts.intersection(written)})  # as written, in C
    lowered = spaced.lower().split()
    present = set(lowered)
    normalised = None
    for phrase, short, needed in phrases:
        if needed <= present:
            normalised = normalised or " " + " ".join(lowered) + " "
            times = normalised.count(phrase)
            if times:
                counts[short] += times
    return dict(counts), present


def theme_words(themes: Iterable[Any]) -> list[str]:
    """Its themes' titles and synonyms: words a page is found by besides its own."""
    return distinct(word for theme in themes for word in (theme.title, *theme.synonyms))


def keywords(texts: Iterable[str], themes: Iterable[Any], counts: dict[str, int] | None = None) -> list[str]:
    """The words a page is found by besides its own: its themes' titles and synonyms, and each
    abbreviation it uses (in its text or its themes' words; `counts` if already counted) with its
    first long form."""
    words = theme_words(themes)
    found = counts if counts is not None else abbreviation_counts("\n".join([*texts, *words]))
    table = abbreviations()
    for short in sorted(found):
        words += [short, table[short][0]]
    return distinct(words)


def distinct(words: Iterable[str]) -> list[str]:
    """Each non-empty word or phrase once, ignoring case, in first-seen order."""
    seen, unique = set(), []
    for word in words:
        if word and word.lower() not in seen:
            seen.add(word.lower())
            unique.append(word)
    return unique


def long_forms(word: str) -> tuple[str, ...]:
    """The long forms of an abbreviation typed in any case ('nai'), or ()."""
    return abbreviations().get(word.upper(), ())
