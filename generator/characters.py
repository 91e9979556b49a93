"""Characters that hide text from a reader or a check: invisible ones, look-alike letters, other
spaces and dashes.

A reader sees '07700 900123' whether its digits were typed as digits or full-width digits, with a
no-break space, an en dash or a zero-width space between them; the anonymisation guard's patterns
see only the first. The reader refuses invisible characters (frontmatter.INVISIBLE); `latin_form`
gives text as the patterns read it, whatever characters wrote it; `mixed_alphabet_words` finds
words spelled with another alphabet's letters ('Jоhn' with a Cyrillic 'о'), which no pattern
should have to guess at. Standard library only; everything here is linear in the text's length.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["INVISIBLE", "INVISIBLE_BMP", "describe_letter", "has_astral", "latin_form", "letters_and_digits",
           "mixed_alphabet_words", "visible"]

# Characters that show nothing: Unicode's format characters (zero-width spaces and joiners, soft
# hyphen, bidi marks and overrides, tag characters...) and its other default-ignorable code points
# (U+034F, the Hangul fillers), but not the format characters that draw a sign (U+0600..0605).
# The reader refuses them (frontmatter.INVISIBLE); the guard drops any that reach a page.
INVISIBLE_BMP = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                 "\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\ufffb")
_INVISIBLE_ASTRAL = "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e00ff\U000e01f0-\U000e0fff"
INVISIBLE = INVISIBLE_BMP + _INVISIBLE_ASTRAL
# Variation selectors choose how the character before them looks (an emoji's colour): not refused,
# but dropped before matching like everything else that is not a glyph of its own.
_UNSEEN_BMP = f"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{INVISIBLE_BMP}\ufe00-\ufe0f"
_UNSEEN = f"{_UNSEEN_BMP}{_INVISIBLE_ASTRAL}\U000e0100-\U000e01ef"
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# Unicode's dashes (category Pd, as NFKC leaves them, bar U+10EAD), the minus sign and the hyphen bullet.
_DASHES = ("\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2e17\u2e1a\u2e3a\u2e3b"
           "\u2e40\u2e5d\u301c\u3030\u30a0")
# Cyrillic and Greek letters drawn like a Latin letter in common fonts.
_CYRILLIC_LOOKALIKES = {"А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
                        "С": "C", "Т": "T", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ү": "Y", "Ԛ": "Q",
                        "Ԝ": "W", "Ӏ": "I", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y",
                        "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
                        "ԁ": "d", "ү": "y"}
_GREEK_LOOKALIKES = {"Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
                     "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ϒ": "Y", "α": "a",
                     "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j"}
# Armenian letters drawn like a Latin one.
_ARMENIAN_LOOKALIKES = {"օ": "o", "ս": "u", "ց": "g", "ո": "n", "հ": "h", "զ": "q", "Տ": "S", "Օ": "O"}
# Latin letters of phonetics, and small capitals, drawn like a plain letter (NFKC leaves them).
_LATIN_LOOKALIKES = {"ı": "i", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʋ": "v", **{small: small_capital for small, small_capital
                     in zip("ᴀʙᴄᴅᴇɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", "ABCDEGHIJKLMNOPRSTUVWYZ")}}  # small capitals read as capitals
# A backslash goes too: Markdown shows one it does not read as an escape ('jo\\@example.com'); an
# ideographic full stop is read as a dot ('jo@example。com').
_AS_LATIN = {**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_DASHES, "-"), **_CYRILLIC_LOOKALIKES,
             **_GREEK_LOOKALIKES, **_ARMENIAN_LOOKALIKES, **_LATIN_LOOKALIKES, "\\": "", "\u3002": "."}
# What `visible` drops and `latin_form` drops or changes (one pass, a call per change), with the
# ranges beyond U+FFFF for a text that has such characters, without them for any other.
_DROPPED = {True: re.compile(f"[{_UNSEEN}]"), False: re.compile(f"[{_UNSEEN_BMP}]")}
_NOT_LATIN = {astral: re.compile(f"[{unseen}{re.escape(''.join(_AS_LATIN))}]")
              for astral, unseen in ((True, _UNSEEN), (False, _UNSEEN_BMP))}
# A Latin word may hold no Cyrillic or Armenian letter at all, and no Greek letter drawn like a Latin one:
# other Greek letters are notation ('μg', 'βhCG', 'γGT' in a medical history).
_SPOOFING = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f\u0531-\u058f"
                       + "".join(_GREEK_LOOKALIKES) + "]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_WORD = re.compile(r"\w+")


def has_astral(text: str) -> bool:
    """Whether `text` holds a character beyond U+FFFF (an emoji, a tag character). Only then need a
    pattern hold ranges there: Python's regex engine tries each such range at every character,
    which made scanning a body for invisible characters three times slower."""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) > 2 * len(text)


def visible(text: str) -> str:
    """The characters a reader sees: compatibility forms folded (NFKC: full-width digits, ligatures,
    most spaces) and every character that shows nothing dropped."""
    text = unicodedata.normalize("NFKC", text)
    return _DROPPED[has_astral(text)].sub("", text)


_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # a decimal digit of another script: Arabic-Indic, Devanagari...


def latin_form(text: str) -> str:
    """`visible(text)` as the guard's patterns read it: every space one space, every dash a hyphen,
    every look-alike letter the Latin letter it looks like, every digit an ASCII digit, no
    backslash and no combining mark (an underlined '0' is a 0); and every run of spaces, line
    breaks or tabs one space, as a browser shows a value wrapped in YAML ('KT1' at a line's end,
    '2AB' at the next one's start) and as a reader reads a number split by <br>, across two table
    cells or by two no-break spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _NOT_LATIN[has_astral(text)].sub(lambda match: _AS_LATIN.get(match.group(), ""), text)
    if not text.isascii():
        text = _OTHER_DIGIT.sub(lambda match: str(unicodedata.decimal(match.group())), _COMBINING.sub("", text))
    return _one_space(text) if "  " in text or "\n" in text or "\t" in text or "\r" in text else text


def _one_space(text: str) -> str:
    """Each run of spaces, tabs and line breaks other than a single space as one space, as the
    expression '[ \\t\\n\\r\\f\\v]{2,}|[\\t\\n\\r\\f\\v]' would, four times faster. str.split also
    splits at Unicode's other spaces, U+001C..001F and U+0085: `latin_form` has already made those
    a space or dropped them."""
    words = text.split()
    if not words:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + " ".join(words) + (" " if text[-1].isspace() else "")


def mixed_alphabet_words(text: str) -> list[tuple[str, str]]:
    """(word, its first foreign letter) for each distinct word of `visible(text)` that mixes Latin
    letters with a Cyrillic letter or a Greek look-alike: homoglyph spoofing, or a slip no reader
    would see. A fast search first: most texts hold no such letter at all."""
    if not _SPOOFING.search(text):
        return []
    found: dict[str, str] = {}
    for match in _WORD.finditer(visible(text)):
        word = match.group()
        foreign = _SPOOFING.search(word)
        if foreign and _LATIN_LETTER.search(word) and word not in found:
            found[word] = foreign.group()
    return list(found.items())


_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def letters_and_digits(text: str) -> str:
    """Only the letters and digits of `text`, case folded: '07700 900123' and '07700-900123' agree."""
    return _NOT_ALPHANUMERIC.sub("", text.casefold())


def describe_letter(char: str) -> str:
    """'Cyrillic 'о' (U+043E)', to name a look-alike letter in a message."""
    alphabet = unicodedata.name(char, "").split(" ")[0].capitalize() or "a letter"
    return f"{alphabet} '{char}' (U+{ord(char):04X})"
