"""Markdown bodies to the HTML a page shows: bounded, rendered once, judged, then sanitised.

Bodies are converted here, with a fixed set of Python-Markdown extensions, and never by MkDocs:
so the HTML that validate judges is the HTML that is published, and `mkdocs.yml` (which a pull
request can edit) cannot change how a body is read. Python-Markdown is quadratic on some input
(each unclosed '[' or '<' scans to the end of its paragraph) and recursive on deep nesting, so
`limit_problems` refuses such bodies in linear time before they reach it.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

import markdown
import nh3

from . import htmlcheck

EXTENSIONS = ("toc", "md_in_html", "attr_list", "tables", "admonition")
EXTENSION_CONFIGS = {"toc": {"permalink": True, "permalink_title": "Link to this section"},
                     "tables": {"use_align_attribute": True}}
MAX_BODY_CHARS = 500_000  # about 80,000 words: longer than any review; the full report is behind report_url
MAX_LINE_CHARS = 20_000
MAX_PARAGRAPH_WORK = 1_000_000  # characters Python-Markdown rescans in one paragraph (~0.25 s)
MAX_BODY_WORK = 4_000_000


_H1 = re.compile(r"^#[ \t]", re.MULTILINE)


def published_markdown(kind: str, body: str) -> str:
    """The Markdown a page converts: headings sit under the page's own title, so a review's or
    briefing's body using '# ' moves one level down, and a theme's text sits under 'About this theme'."""
    if kind == "themes" or _H1.search(body):
        return "\n".join("#" + line if line.startswith("#") else line for line in body.split("\n"))
    return body


class BodyTooComplex(Exception):
    """Python-Markdown could not convert the body (nesting deeper than its recursion allows)."""


@dataclass(frozen=True)
class RenderedBody:
    """A body's sanitised HTML and its table of contents (Markdown's toc tokens, names escaped)."""

    html: str
    toc: tuple[dict, ...]


def limit_problems(body: str) -> list[tuple[int, str, str]]:
    """(line offset, message, hint) for each limit the body exceeds; linear in its length."""
    if len(body) > MAX_BODY_CHARS:
        return [(0, f"the body is {len(body):,} characters long; at most {MAX_BODY_CHARS:,} are allowed",
                 "keep the learning here and link the full report with report_url")]
    found = []
    for number, line in enumerate(body.split("\n")):
        if len(line) > MAX_LINE_CHARS:
            found.append((number, f"line is {len(line):,} characters long; at most {MAX_LINE_CHARS:,} are allowed",
                          "break it into paragraphs"))
    if found:
        return found
    return _markup_work_problems(body)


def _markup_work_problems(body: str) -> list[tuple[int, str, str]]:
    """Paragraphs whose unclosed brackets would make Python-Markdown rescan them over and over."""
    total, found, start = 0, [], 0
    for paragraph in body.split("\n\n"):
        work = rescan_work(paragraph)
        total += work
        if work > MAX_PARAGRAPH_WORK:
            found.append((body.count("\n", 0, start), "this paragraph has too many unclosed '[', '(' or '<' "
                          "for the Markdown converter", "close them, or escape each one with a backslash: \\["))
        start += len(paragraph) + 2
    if not found and total > MAX_BODY_WORK:
        found.append((0, "the body has too many unclosed '[', '(' or '<' for the Markdown converter",
                      "close them, or escape each one with a backslash: \\["))
    return found


_BRACKETS = re.compile(r"[\[\]()<>]")
_CLOSES = {"]": "[", ")": "("}


def rescan_work(text: str) -> int:
    """How many characters Markdown's inline patterns scan in `text`: from each '[' or '(' to its
    closing bracket (or the end), and from each '<' to the next '>' (or the end)."""
    work, opens, angles = 0, {"[": [], "(": []}, []
    for match in _BRACKETS.finditer(text):  # only the brackets: prose is skipped at C speed
        char, index = match.group(), match.start()
        if char in opens:
            opens[char].append(index)
        elif char in _CLOSES:
            if opens[_CLOSES[char]]:
                work += index - opens[_CLOSES[char]].pop()
        elif char == "<":
            angles.append(index)
        elif angles:
            work += index * len(angles) - sum(angles)
            angles.clear()
    unclosed = opens["["] + opens["("] + angles
    return work + len(text) * len(unclosed) - sum(unclosed)


_cache: dict[str, tuple[str, tuple[dict, ...]]] = {}


def convert(body: str) -> tuple[str, tuple[dict, ...]]:
    """The unsanitised HTML and toc tokens Python-Markdown makes of `body` (memoised by content,
    as validate and the page renderer both need it); raises BodyTooComplex."""
    key = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
    if key not in _cache:
        converter = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIGS)
        try:
            markup = converter.convert(body)
        except RecursionError:
            raise BodyTooComplex("lists, quotes or emphasis are nested too deeply to convert") from None
        _cache[key] = (markup, tuple(_safe_toc(converter.toc_tokens)))
    return _cache[key]


def _safe_toc(tokens: list[dict]) -> list[dict]:
    """Toc entries as plain, escaped text (the theme prints their names without escaping)."""
    return [{"level": t["level"], "id": t["id"], "name": html.escape(html.unescape(t["name"]), quote=False),
             "children": _safe_toc(t["children"])} for t in tokens]


def sanitise(markup: str) -> str:
    """The second line of defence: nh3 keeps only the allow list that validate enforces."""
    return nh3.clean(markup, tags=set(htmlcheck.TAGS), clean_content_tags={"script", "style"},
                     attributes={"*": set(htmlcheck.GENERIC_ATTRIBUTES),
                                 **{tag: set(names) for tag, names in htmlcheck.ATTRIBUTES.items()}},
                     url_schemes=set(htmlcheck.URL_SCHEMES), strip_comments=True, link_rel=None,
                     allowed_classes={tag: set(names) for tag, names in htmlcheck.CLASSES.items()})


def render(body: str) -> RenderedBody:
    """What a page shows of a body: converted once, then sanitised."""
    markup, toc = convert(body)
    return RenderedBody(sanitise(markup), toc)
