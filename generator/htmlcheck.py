"""What a body's HTML may contain, judged on the HTML that Markdown produced, not on its source.

Every route to markup (raw HTML, Markdown links and images, `{: attr_list }`, `md_in_html`,
entities, reference links) ends up as elements and attributes here, so one allow list judges
them all. The same list drives the nh3 sanitiser in bodies.py: anything the sanitiser would
remove is reported here first as an error, so a published page is exactly what was written.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
import urllib.parse
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from .characters import letters_and_digits

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
GENERIC_ATTRIBUTES = frozenset({"id", "title", "lang"})
ATTRIBUTES = {
    "a": {"href"}, "abbr": set(), "blockquote": {"cite"},
    "q": {"cite"}, "ol": {"start"}, "li": {"value"}, "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"}, "details": {"open"},
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
# No images yet: only the Markdown files are published, so an image would come from another
# address, which can change what it shows after the pull request was reviewed (on a site about
# child abuse) and learns who reads the page. Refused until images are published with the content.
IMAGE = ("an image (none are published yet: one from another address could show something else "
         "after review, and would tell that address who reads the page)")
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Ids the page around a body already uses. Two elements with one id break it: a script's
# getElementById and a label's `for` find the first (the body comes before the page's own sections),
# and a link to #support (the content warning's) would land in the body. Material's elements all
# start with '__' (__drawer, __search, __toc, __config, __consent, __palette_0, __nav_1...), ours with
# 'sg-'; the rest are the sections review.html.j2, briefing.html.j2 and term.html.j2 put around a body
# (test_pages checks this list against the pages).
RESERVED_ID_PREFIXES = ("__", "sg-")
PAGE_IDS = frozenset({"support", "related-reviews", "briefings-that-draw-on-this-review",  # a review's
                      "reviews-this-briefing-draws-on", "more-reviews-with-similar-learning",  # a briefing's
                      "briefings", "about-this-theme"})  # a theme's
RESERVED_ID_HINT = ("give it an id of its own, e.g. `## Support {: #support-offered }`: ids starting with '__' or "
                    "'sg-', and the ids of the page's own sections, are the page's")
ADMONITION_TYPES = frozenset({"note", "abstract", "info", "tip", "success", "question", "warning", "failure",
                              "danger", "bug", "example", "quote", "attention", "caution", "error", "hint",
                              "important", "seealso", "summary", "tldr", "todo", "check", "done", "faq", "help"})
CLASSES = {"a": {"headerlink"}, "p": {"admonition-title"}, "div": {"admonition", *ADMONITION_TYPES}}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")  # browsers drop tabs and newlines inside a URL, and trim spaces


@dataclass(frozen=True)
class Finding:
    """One thing in the HTML that may not be published; `token` is what to look for in the source."""

    message: str
    token: str
    hint: str = ""  # how to fix it, where the general advice (plain Markdown, no images) does not fit


def url_scheme(value: str) -> str:
    """The scheme a browser would see ('' for a relative URL): entities already decoded by the
    parser, whitespace and control characters removed as browsers remove them."""
    match = _SCHEME.match(_URL_IGNORED.sub("", value).lower())
    return match.group(1) if match else ""


class _Reader(HTMLParser):
    """What a document says, as a comparable list: start tags with their attributes, and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple | str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((tag, tuple(sorted((name, value or "") for name, value in attrs))))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.events.append(" ".join(data.split()))


class _Checker(_Reader):
    """Reads the document and notes everything outside the allow list."""

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[Finding] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag == "img":
            self.findings.append(Finding(IMAGE, "<img"))  # or `![` in Markdown (see _tokens)
            return
        if tag not in TAGS:
            self.findings.append(Finding(f"element <{tag}>", f"<{tag}"))
            return
        for name, value in attrs:
            found = check_attribute(tag, name, value or "")
            if value is not None:  # `name=` in the source: not the word in text or in a tag (`<style>`)
                found = [replace(f, token=name + "=") if f.token == name else f for f in found]
            self.findings += found

    handle_startendtag = handle_starttag

    def handle_pi(self, data: str) -> None:
        self.findings.append(Finding("processing instruction '<?'", "<?"))

    def unknown_decl(self, data: str) -> None:
        self.findings.append(Finding(f"markup '<![{data[:20]}'", "<!["))


def check_attribute(tag: str, name: str, value: str) -> list[Finding]:
    if name.startswith("on"):
        return [Finding(f"event handler '{name}' (it would run script)", name)]
    if name == "style":
        return [Finding("'style' attribute (it can restyle or cover the page)", "style")]
    if name == "class":
        return [Finding(f"class '{c}' on <{tag}>", c) for c in value.split()
                if c not in CLASSES.get(tag, ())]
    if name == "rel" and "opener" in value.lower().split():
        return [Finding("rel 'opener' (the linked page could take over this one)", "opener")]
    if name not in GENERIC_ATTRIBUTES and name not in ATTRIBUTES.get(tag, ()):
        return [Finding(f"attribute '{name}' on <{tag}>", name)]
    if name == "id" and is_reserved_id(value):
        return [Finding(f"id '{value}', which the page itself uses (a heading's id is made from its words)",
                        "#" + value, RESERVED_ID_HINT)]
    if name in URL_ATTRIBUTES:
        scheme = url_scheme(value)
        if scheme and scheme not in URL_SCHEMES:
            return [Finding(f"'{scheme}:' address (links are http, https, mailto or relative)", f"{scheme}:")]
    return []


def is_reserved_id(value: str) -> bool:
    """Whether an id in a body would be a second element with an id the page already has."""
    value = value.lower()
    return value.startswith(RESERVED_ID_PREFIXES) or value in PAGE_IDS


def check_html(markup: str) -> list[Finding]:
    """Everything in `markup` outside the allow list, in document order."""
    return judge(markup)[0]


def judge(markup: str) -> tuple[list[Finding], list[tuple | str]]:
    """Everything in `markup` outside the allow list, and its reading (see `reading`), in one parse."""
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    return checker.findings, checker.events


def reading(markup: str) -> list[tuple | str]:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return reader.events


BLOCKS = frozenset({"blockquote", "caption", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "h1", "h2",
                    "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "summary", "table", "tbody", "td", "tfoot",
                    "th", "thead", "tr", "ul"})
# Whitespace a browser collapses to one space (not U+00A0: a no-break space shows), bar a lone space.
_WHITESPACE = re.compile(r"[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _Shown(_Reader):
    """The reading and the text a reader sees: whitespace collapsed as a browser does (kept in
    <pre>), each block and cell apart, then every link's address (decoded: '%40' is '@' in the
    status bar) and title (shown on hover, printed). A list whose numbers are written (start, value)
    shows them before its items ('<ol start="12"><li>Acacia Avenue' shows '12. Acacia Avenue'); a
    list Markdown numbers from 1 is read without them ('1. Family Court' is not an address)."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self.attributes: list[str] = []  # after the text: inside it, they would split the words around a link
        self.pre = 0
        # each open list's next number, and whether its numbers were written (start, value); None: bulleted
        self.lists: list[tuple[int, bool] | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        self._break(tag, 1)
        if tag in ("ol", "ul"):
            start = _number(dict(attrs).get("start")) if tag == "ol" else None
            self.lists.append(None if tag == "ul" else (1, False) if start is None else (start, True))
        elif tag == "li" and self.lists and self.lists[-1] is not None:
            number, explicit = self.lists[-1]
            value = _number(dict(attrs).get("value"))
            number, explicit = (number, explicit) if value is None else (value, True)
            if explicit:  # no full stop: '12 Acacia Avenue' reads as the address it shows
                self.pieces.append(f"{number} ")
            self.lists[-1] = (number + 1, explicit)
        self.attributes += [value if name == "title" else urllib.parse.unquote_plus(value) for name, value in attrs
                            if value and (name == "title" or name == "href" and not value.startswith("#"))]

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        self._break(tag, -1)
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()

    def _break(self, tag: str, step: int) -> None:
        self.pre += step if tag == "pre" else 0
        if tag in BLOCKS or tag == "br":
            self.pieces.append("\n" if tag == "br" else "\n\n")

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        if self.pre <= 0 and ("  " in data or not data.isprintable()):  # else nothing to collapse: skip the pass
            data = _WHITESPACE.sub(" ", data) if data.strip(" \t\n\r\f") else " "  # often a line between tags
        self.pieces.append(data)

    def text(self) -> str:
        text = "".join(self.pieces) + "".join("\n\n" + value for value in self.attributes)
        return _BLANK_LINES.sub("\n\n", "\n".join(line.strip(" \t") for line in text.split("\n"))).strip()


_LIST_NUMBER = re.compile(r"[ \t\n\f\r]*([+-]?[0-9]+)")
_LARGEST_LIST_NUMBER = 2**31 - 1  # what browsers keep; a larger number is not read


def _number(value: str | None) -> int | None:
    """A list's start or an item's value as a browser reads it (leading ASCII digits, a sign
    allowed: start="+943" shows 943), or None."""
    digits = _LIST_NUMBER.match(value or "")
    return int(digits.group(1)) if digits and abs(int(digits.group(1))) <= _LARGEST_LIST_NUMBER else None


def read_shown(markup: str) -> tuple[list[tuple | str], str]:
    """The reading of `markup` (see `reading`) and the text it shows a reader, in one parse: the
    anonymisation guard reads what the page shows, not its source, where markup, character
    references or escapes can split a number ('0770<span>0</span> 900123', '07700&#32;900123')."""
    reader = _Shown()
    reader.feed(markup)
    reader.close()
    return reader.events, reader.text()


MALFORMED = Finding("HTML that browsers read differently from how it is written (a malformed comment or tag)",
                    "<!")


def locate(findings: list[Finding], source: str, first_line: int) -> list[tuple[int, Finding]]:
    """The source line of each finding, found by its token (entities decoded, spaces dropped, case
    folded, as the browser reads it). Findings come in document order, so a token is looked for
    after the previous finding's place, and each of its occurrences serves once: a repeated
    problem points at each of its lines in turn. Out of order (a reference link's address is
    defined further down), the token's next unused occurrence; all used, its first; none, the
    body's first line. Used only to point at a line: the judgement was made on the HTML."""
    if not findings:
        return []
    lines = [re.sub(r"\s+", "", html.unescape(line)).lower() for line in source.split("\n")]
    located, after_previous, after_token = [], (0, 0), {}
    for finding in findings:
        groups = _tokens(re.sub(r"\s+", "", finding.token).lower())
        found = (_earliest(lines, groups, lambda t: max(after_previous, after_token.get(t, (0, 0))))
                 or _earliest(lines, groups, lambda t: after_token.get(t, (0, 0)))
                 or _earliest(lines, groups, lambda t: (0, 0)))
        place = (0, 0)
        if found is not None:
            place, token = found
            end = (place[0], place[1] + len(token))
            after_token[token] = max(after_token.get(token, (0, 0)), end)
            after_previous = max(after_previous, end)
        located.append((first_line + place[0], finding))
    return located


_TAG = re.compile(r"<[^<>\n]*>")


def locate_text(passages: list[str], source: str, first_line: int, form) -> list[int]:
    """The source line of each passage of the text a page shows, in `form` (a function both the
    passages and each source line, tags removed, references and an address's %-escapes decoded,
    are put in): the first line holding it; else the line where its letters and digits start in
    the source's, read across lines (markup or a line break inside it), or without its first word
    (a list item's number); else the body's first
    line. Only to point at a line."""
    lines = [form(urllib.parse.unquote(html.unescape(_TAG.sub("", line)))) for line in source.split("\n")]
    skeletons = [letters_and_digits(line) for line in lines]
    ends, joined = list(itertools.accumulate(len(s) for s in skeletons)), "".join(skeletons)
    located = []
    for passage in passages:
        number = next((n for n, line in enumerate(lines) if passage in line), None)
        if number is None:  # else read across lines; a list item's number is not in its line's text
            skeletons = (letters_and_digits(passage), letters_and_digits(passage.partition(" ")[2]))
            at = next((at for skeleton in skeletons if skeleton and (at := joined.find(skeleton)) >= 0), -1)
            number = bisect.bisect_right(ends, at) if at >= 0 else 0
        located.append(first_line + number)
    return located


def _tokens(token: str) -> list[tuple[str, ...]]:
    """What may stand for `token` in the source, in groups by preference (the earliest of a group
    wins): an image is `<img` or Markdown's `![`; an attribute `name=` may be written bare (md_in_html
    writes `<div markdown="1" onclick>` back as `onclick="onclick"`); an id `#value` is written
    `{: #value }`, `id="value"` or is the heading whose words made it (`## Related reviews`)."""
    if token == "<img":
        return [("<img", "![")]
    if token.startswith("#") and len(token) > 1:  # an id: `{: #id }`, `id="id"`, or the heading `## Words` it came from
        value = token[1:]
        return [(token, f'id="{value}', f"id='{value}", "#" + value.replace("-", "")), (value,)]
    if token.endswith("=") and len(token) > 1:
        return [(token,), (token[:-1],)]
    return [(token,)]


def _earliest(lines: list[str], groups: list[tuple[str, ...]], start_of) -> tuple[tuple[int, int], str] | None:
    for group in groups:
        found = [(place, token) for token in group if (place := _find(lines, token, start_of(token))) is not None]
        if found:
            return min(found)
    return None


def _find(lines: list[str], token: str, start: tuple[int, int]) -> tuple[int, int] | None:
    """(line, column) of the first `token` at or after `start`."""
    number, column = start
    for index in range(number, len(lines)):
        found = lines[index].find(token, column if index == number else 0)
        if found >= 0:
            return index, found
    return None
