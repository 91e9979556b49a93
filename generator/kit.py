"""The trainer's session kit: what a review or briefing page gives to take it into a session.

A plain citation, a QR code of the page's permanent address for print, and the page's entry in
a session pack: the facts /pack/ shows of it (kind, minutes, summary, key points and reflection
questions). All are made here at build time from the content; the browser only copies them and
arranges a pack (assets/kit.js), so a pack needs no server and no third party.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import segno

from .cache import CacheSlot

PANEL = "Child Safeguarding Practice Review Panel"
WORDS_A_MINUTE = 200  # a practitioner reading to understand, not skimming
NOT_KEY_POINTS = re.compile(r"further reading|where to (read|find|get)|references|resources|about this briefing|"
                            r"useful links|contacts?\b|(sources of|getting|further) (help|support)|help ?lines?", re.I)
QUESTIONS = re.compile(r"\bquestions?\b|\bfor reflection\b|^\s*reflect(ion|ions)?\s*$", re.I)


def citation(publisher: str, title: str, year: int) -> str:
    """'Publisher (Year) Title. Available at:', which the page's permanent address and the reader's
    date of access follow: the form UK guidance on citing a web page asks for."""
    title = title.rstrip(".")
    return f"{publisher} ({year}) {title}. Available at:" if publisher else f"{title} ({year}). Available at:"


def review_publisher(review_type: str, partnership: str) -> str:
    """Who published a review: its partnership, or the Panel for a national review."""
    return PANEL if review_type == "national" else partnership


def reading_minutes(words: int) -> int:
    """Minutes to read so many words at WORDS_A_MINUTE, at least 1: an agenda's estimate."""
    return max(1, math.ceil(words / WORDS_A_MINUTE))


QR_OPTIONS = dict(error="m", mask=0, micro=False)
SVG_OPTIONS = dict(scale=1, border=2, omitsize=True, svgclass="sg-qr__code", title="QR code")
QR_KEY = "q" + segno.__version__ + repr((QR_OPTIONS, SVG_OPTIONS))  # other options or version: made anew
_codes: dict[str, str] = {}
_disk = CacheSlot()
use_disk_cache = _disk.use  # keep QR codes in a file between builds (None: in memory only)
save_disk_cache = _disk.save


def qr_svg(address: str) -> str:
    """A QR code of an absolute address as inline SVG, for print, kept by address (in memory and
    in the disk cache): segno takes about 1.5 ms a code, which thousands of pages would pay on
    every build. The mask is fixed (any of the eight is valid and scans): choosing the best
    would cost five times as long."""
    code = _codes.get(address)
    if code is None:
        code = _disk.get(QR_KEY + address)
        if code is None:
            code = segno.make(address, **QR_OPTIONS).svg_inline(**SVG_OPTIONS)
            _disk.put(QR_KEY + address, code)
        _codes[address] = code
    return code


def words_in(html: str) -> int:
    """How many words a page's HTML shows (the text between its tags)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.words


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words = 0

    def handle_data(self, data: str) -> None:
        self.words += len(data.split())


class _Sections(HTMLParser):
    """A body's list items by the section they are in (text only). A section is named by its <h2>
    and, inside it, its <h3>, so "Questions for reflection" with an <h3> per audience stays a
    section of questions, and an <h3> "Further reading" is not a key point. A paragraph ending in
    a colon just before a list is kept as the list's first item: its items ("a robust analysis of
    the risks;") read as fragments without it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[tuple[str, str], list[str]]] = [(("", ""), [])]
        self._in: str | None = None  # "h2", "h3", "p" or "li" while inside one
        self._depth = 0  # nesting of lists inside an item: a nested list stays part of its item
        self._text: list[str] = []
        self._lead = ""  # the paragraph just read, if nothing has come after it

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("h2", "h3", "p") and self._in is None:
            self._in, self._text, self._lead = tag, [], ""
        elif tag in ("ul", "ol") and self._in is None:
            if self._lead.endswith(":"):
                self.sections[-1][1].append(self._lead)
            self._lead = ""
        elif tag == "li":
            if self._in is None:
                self._in, self._text, self._depth = "li", [], 0
            elif self._in == "li":
                self._depth += 1
                self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._in == "p":
            self._lead, self._in = " ".join("".join(self._text).split()), None
        elif tag in ("h2", "h3") and self._in == tag:
            heading = " ".join("".join(self._text).split())
            h2 = heading if tag == "h2" else self.sections[-1][0][0]
            self.sections.append(((h2, heading if tag == "h3" else ""), []))
            self._in = None
        elif tag == "li" and self._in == "li":
            if self._depth:
                self._depth -= 1
                self._text.append(" ")
            else:
                self.sections[-1][1].append(" ".join("".join(self._text).split()))
                self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._text.append(data)


def key_points_and_questions(body_html: str) -> tuple[list[str], list[str]]:
    """A briefing's key points (the list items of its sections, except reading lists) and its
    reflection questions (the items of a section whose heading speaks of questions or
    reflection), as plain text from the published HTML."""
    parser = _Sections()
    parser.feed(body_html)
    parser.close()
    points, questions = [], []
    for headings, items in parser.sections:
        if any(QUESTIONS.search(heading) for heading in headings):
            questions += items
        elif not any(NOT_KEY_POINTS.search(heading) for heading in headings):
            points += items
    return points, questions
