"""A text as its sentences, for finding a withdrawn review's text published again.

A sentence is read from the text the page shows (bodies.shown_blocks: markup, lists, tables and
character references aside) and keyed by its letters and digits as the anonymisation guard reads
them (case, spacing, punctuation and look-alike letters aside). The ledger keeps a withdrawn
review's sentences as short hashes of those keys (`text_prints`), so a copy is still found once
its file is gone, and no sentence can be read back. retention.py judges the copies.
"""

from __future__ import annotations

import hashlib
import re

from . import bodies
from .characters import latin_form, letters_and_digits

LONG_SENTENCE = 50  # letters and digits
# Split after every mark that ends a sentence, spaces or none, in any script: joining sentences
# with a semicolon, another script's full stop or no space changes no sentence, so hides no copy.
# (Not commas or dashes: clauses are short and formulaic enough to be shared by chance.)
SENTENCE_END = re.compile("(?<=[.!?;\u3002\uff0e\u2024\uff1b\uff01\uff1f])\\s*")
_NOT_ALPHANUMERIC_ASCII = bytes(c for c in range(128) if not chr(c).isalnum())
_TYPOGRAPHY = str.maketrans("", "", "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00ab\u00bb\u00a3")
PRINTS_KEPT = 400  # sentences of a withdrawn text its ledger entry keeps, as hashes (a longer text: an even sample)


def text_prints(body: str) -> tuple[str, ...]:
    """A withdrawn review's text as the ledger keeps it once its file may go: the hashes of its long
    sentences (the smallest PRINTS_KEPT of a longer one), 10 hex digits each (no sentence can be
    read back from them)."""
    return tuple(sorted({sentence_print(key) for key in long_sentences("reviews", body)})[:PRINTS_KEPT])


def sentence_print(key: bytes) -> str:
    """A sentence's key as the ledger keeps it: 40 bits, enough to tell a review's sentences apart."""
    return hashlib.blake2b(key, digest_size=5).hexdigest()


def long_sentences(kind: str, body: str) -> dict[bytes, str]:
    """Each long sentence of the text the page shows, keyed by its letters and digits (case,
    spacing, punctuation and look-alike letters aside), first occurrence kept."""
    found: dict[bytes, str] = {}
    for block in bodies.shown_blocks(kind, body):
        if len(block) < LONG_SENTENCE:
            continue
        for sentence in SENTENCE_END.split(block):
            key = sentence_key(sentence)
            if len(key) >= LONG_SENTENCE:
                found.setdefault(key, sentence)
    return found


def sentence_key(sentence: str) -> bytes:
    """letters_and_digits(latin_form(sentence)) as UTF-8, by bytes.translate where the sentence is
    ASCII once typographic quotes and dashes are dropped (the same, 8 times faster)."""
    if not sentence.isascii():
        plain = sentence.translate(_TYPOGRAPHY)
        if not plain.isascii():
            return letters_and_digits(latin_form(sentence)).encode()
        sentence = plain
    return sentence.encode().lower().translate(None, _NOT_ALPHANUMERIC_ASCII)
