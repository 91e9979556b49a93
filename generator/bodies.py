"""Markdown bodies to the HTML a page shows: bounded, rendered once, judged, then sanitised.

Bodies are converted here, with a fixed set of Python-Markdown extensions, and never by MkDocs:
so the HTML that validate judges is the HTML that is published, and `mkdocs.yml` (which a pull
request can edit) cannot change how a body is read. Python-Markdown is quadratic on some input
(each unclosed '[' or '<' scans to the end of its paragraph; each inline element it finds, a
`code` span, *emphasis*, a link, a tag, an entity, copies the rest of its paragraph) and recursive
on deep nesting, so `limit_problems` refuses such bodies in linear time before they reach it, and
the converter itself checks the texts it is about to parse inline (`_RescanGuard`).
"""

from __future__ import annotations

import hashlib
import html
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Callable

import markdown
import nh3
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from re import _constants as _sre  # the standard library's parser of regular expressions (Python 3.11+):
from re import _parser as _sre_parser  # QuickInline reads Markdown's patterns with it

from . import anonymise, characters, htmlcheck
from .cache import CacheSlot
from .frontmatter import INVISIBLE, invisible_pattern

EXTENSIONS = ("toc", "md_in_html", "attr_list", "tables", "admonition")
EXTENSION_CONFIGS = {"toc": {"permalink": True, "permalink_title": "Link to this section"},
                     "tables": {"use_align_attribute": True}}
MAX_BODY_CHARS = 500_000  # about 80,000 words: longer than any review; the full report is behind report_url
MAX_LINE_CHARS = 20_000
MAX_PARAGRAPH_WORK = 1_000_000  # characters Python-Markdown rescans in one paragraph (~0.25 s)
MAX_BODY_WORK = 4_000_000
MAX_PARAGRAPH_INLINE_WORK = 250_000_000  # inline marks x characters in one paragraph (~0.1-0.25 s)
MAX_BODY_INLINE_WORK = 1_000_000_000


def published_markdown(kind: str, body: str) -> str:
    """The Markdown a page converts: headings sit under the page's own title, so a review's or
    briefing's body using '# ' moves one level down, and a theme's text sits under 'About this theme'."""
    if kind == "themes" or _has_h1(body):
        return "\n".join("#" + line if line.startswith("#") else line for line in body.split("\n"))
    return body


def _has_h1(body: str) -> bool:
    """Whether a line starts '# ' or '#\t'; substring searches, 50 times faster than the regex
    ^#[ \t] over a whole body (asked for every body by validate, twice)."""
    return body.startswith(("# ", "#\t")) or "\n# " in body or "\n#\t" in body


class BodyTooComplex(Exception):
    """Python-Markdown could not, or should not, convert the body: nesting deeper than its recursion
    allows, or a text so dense with markup that parsing it would take seconds. `hint` says how to
    fix it; `token`, text from where it is (htmlcheck.locate finds its line), when known."""

    def __init__(self, message: str, hint: str = "flatten the deepest lists or quotes", token: str = ""):
        super().__init__(message)
        self.hint, self.token = hint, token


@dataclass(frozen=True)
class RenderedBody:
    """A body's sanitised HTML, its table of contents (Markdown's toc tokens, names escaped) and
    its visible text block by block (what search indexes)."""

    html: str
    toc: tuple[dict, ...]
    paragraphs: tuple[str, ...] = ()


@lru_cache(maxsize=16384)  # asked by the corpus (before judging in parallel) and by validate
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
    """Paragraphs (split at blank lines) whose markup would make Python-Markdown rescan them over and over."""
    paragraphs = body.split("\n\n")
    starts = list(accumulate((p.count("\n") + 2 for p in paragraphs), initial=0))  # line offset of each
    found = []
    for index, message, hint in costly_texts(paragraphs, "this paragraph", "the body"):
        if index is None:  # the body as a whole
            found.append((0, message, hint))
            continue
        blank = len(paragraphs[index]) - len(paragraphs[index].lstrip("\n"))  # after three newlines or more
        found.append((starts[index] + blank, message, hint))
    return found


@dataclass(frozen=True)
class Rescan:
    """One way Python-Markdown's inline pass goes over a text again and again: how to count it in
    linear time, its bounds (one text, all of them) and what to say when a text exceeds it."""

    work: Callable[[str], int]
    text_limit: int
    total_limit: int
    too_much: str  # completes "<this paragraph> ..."
    hint: str


def costly_texts(texts: list[str], subject: str, all_subject: str) -> list[tuple[int | None, str, str]]:
    """(index of the text, or None for all of them together, message, hint) for each bound the
    texts exceed; linear in their length. The texts joined bound each text, and their sum, from
    above, so texts of ordinary prose cost one scan."""
    found: list[tuple[int | None, str, str]] = []
    joined = "\n\n".join(texts)
    for rescan in RESCANS:
        if rescan.work(joined) <= rescan.text_limit:
            continue
        works = [rescan.work(text) for text in texts]
        over = [(i, f"{subject} {rescan.too_much}", rescan.hint)
                for i, work in enumerate(works) if work > rescan.text_limit]
        if not over and sum(works) > rescan.total_limit:
            over = [(None, f"{all_subject} {rescan.too_much}", rescan.hint)]
        found += over
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


# What starts a code span, emphasis, a link, a tag, an entity, an escape or a hard line break: measured on
# 80 KB paragraphs as the marks that cost; '(', '{', '!', '~' and ':' alone do not
INLINE_MARKS = ("`", "*", "_", "[", "]", "<", "&", "\\", "  \n")


def inline_work(text: str) -> int:
    """Inline marks x length: Python-Markdown copies the rest of a text for each inline element it
    finds in it (a placeholder in place of the element), so a long paragraph dense with `code`,
    *emphasis*, links, tags or entities costs their number times its length (160 KB of `code`: 9 s)."""
    return sum(map(text.count, INLINE_MARKS)) * len(text)  # str.count: a fifth of a regular expression's time


RESCANS = (
    Rescan(rescan_work, MAX_PARAGRAPH_WORK, MAX_BODY_WORK,
           "has too many unclosed '[', '(' or '<' for the Markdown converter",
           "close them, or escape each one with a backslash: \\["),
    Rescan(inline_work, MAX_PARAGRAPH_INLINE_WORK, MAX_BODY_INLINE_WORK,
           "holds too much inline markup for its length (`code`, *emphasis*, links, <tags>, &entities;): "
           "the Markdown converter would take seconds",
           "split it into shorter paragraphs, with a blank line between them"),
)


@dataclass(frozen=True)
class Verdict:
    """What in a body may not be published (nothing, when both fields are empty)."""

    findings: tuple[htmlcheck.Finding, ...] = ()
    unconvertible: str = ""  # why Python-Markdown could not convert it, if it could not
    hint: str = ""  # how to make it convertible
    token: str = ""  # where in the body the trouble is, when known (see htmlcheck.locate)
    shown: str = ""  # the text the page shows, kept only if the guard may find something in it (see _second_look)


FINGERPRINT = hashlib.sha256(repr((markdown.__version__, nh3.__version__, EXTENSIONS, EXTENSION_CONFIGS,
                                   Path(__file__).read_bytes(), INVISIBLE.pattern,
                                   *(Path(m.__file__).read_bytes() for m in (anonymise, characters, htmlcheck))))
                              .encode()).hexdigest()[:16]  # code or libraries changed: every entry is stale
_verdicts: dict[str, Verdict] = {}
_renders: dict[str, RenderedBody] = {}
_disk = CacheSlot()
use_disk_cache = _disk.use  # keep verdicts and rendered bodies in a file between runs (None: in memory only)
save_disk_cache = _disk.save


def _key(body: str) -> str:
    return FINGERPRINT + hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def judge(body: str) -> Verdict:
    """Whether `body` may be published: converted once, its HTML judged against the allow list
    and against a browser-grade parser (nh3's). Memoised by content, in memory and on disk; the
    verdict is stored apart from the HTML, so a warm `validate` reads only small entries."""
    key = _key(body)
    if not _known(key):
        _judge(body, key)
    return _verdicts[key]


def _known(key: str) -> bool:
    """Whether the verdict on `key` is in memory, after looking on disk."""
    if key not in _verdicts:
        cached = _disk.get("v" + key)
        if cached is not None:
            _verdicts[key] = Verdict(tuple(htmlcheck.Finding(*f) for f in cached["findings"]), cached["unconvertible"],
                                     cached["hint"], cached["token"], cached["shown"])
    return key in _verdicts


def render(body: str) -> RenderedBody:
    """What a page shows of a body: its sanitised HTML and table of contents (memoised likewise)."""
    key = _key(body)
    if key not in _renders:
        cached = _disk.get("h" + key)
        if cached is not None:
            _renders[key] = RenderedBody(cached["html"], tuple(cached["toc"]), tuple(cached["paragraphs"]))
        else:
            _judge(body, key)
    return _renders[key]


def _judge(body: str, key: str) -> None:
    verdict, rendered = judge_now(body)
    _remember(key, verdict, rendered)


def judge_now(body: str) -> tuple[Verdict, RenderedBody]:
    """The work itself, uncached: convert, check, sanitise, and compare what a browser would read."""
    try:
        markup, toc = convert(body)
    except BodyTooComplex as exc:
        return Verdict((), str(exc), exc.hint, exc.token), RenderedBody("", ())
    findings, reading = htmlcheck.judge(markup)
    clean = sanitise(markup)
    rendered = RenderedBody(clean, toc, visible_paragraphs(clean))
    sanitised_reading, shown = htmlcheck.read_shown(rendered.html)
    if not findings and reading != sanitised_reading:
        findings = [htmlcheck.MALFORMED]  # our parser and a browser's disagree: the sanitiser settles it
    return Verdict(tuple(findings), shown=_second_look(shown)), rendered


def _second_look(shown: str) -> str:
    """`shown` if validate's guard (free_text_problems) may find something in it: an invisible
    character, a word in mixed alphabets or a possible identifier, which it then compares with
    what the source says. Else '', as for most bodies, so a warm validate reads small verdicts."""
    if invisible_pattern(shown).search(shown) or characters.mixed_alphabet_words(shown) or \
            anonymise.find_identifiers(characters.latin_form(shown)):
        return shown
    return ""


def _remember(key: str, verdict: Verdict, rendered: RenderedBody) -> None:
    _verdicts[key], _renders[key] = verdict, rendered
    _disk.put("v" + key, {"findings": [[f.message, f.token, f.hint] for f in verdict.findings],
                          "unconvertible": verdict.unconvertible, "hint": verdict.hint, "token": verdict.token,
                          "shown": verdict.shown})
    _disk.put("h" + key, {"html": rendered.html, "toc": rendered.toc, "paragraphs": rendered.paragraphs})


PARALLEL_FROM = 200  # bodies to judge before a process pool pays for its start-up


def judge_all(texts: list[str]) -> None:
    """Judge, on every core, the bodies no cache holds yet; `judge` then finds them memoised.
    Conversion dominates a cold run and each body is independent."""
    keys = {_key(t): t for t in texts}
    missing = {k: t for k, t in keys.items() if not _known(k)}
    workers = min(os.cpu_count() or 1, 4)
    if len(missing) < PARALLEL_FROM or workers < 2:
        return
    context = multiprocessing.get_context("spawn")  # no fork: MkDocs' serve runs threads
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for key, (verdict, rendered) in zip(missing, pool.map(judge_now, missing.values(), chunksize=8)):
            _remember(key, verdict, rendered)


_converters = threading.local()  # one converter per thread, reset between bodies


def convert(body: str) -> tuple[str, tuple[dict, ...]]:
    """The unsanitised HTML and toc tokens Python-Markdown makes of `body`; raises BodyTooComplex.
    A converter is made once per thread and reset for each body: making one with its extensions
    costs 0.8 ms of the 5.9 a 17 KB body takes (the output is the same, tested on the corpus)."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(extensions=list(EXTENSIONS),
                                                             extension_configs=EXTENSION_CONFIGS)
        converter.treeprocessors.register(_RescanGuard(converter), "rescan_guard", 21)  # before 'inline' (20)
        converter.treeprocessors.register(QuickInline(converter), "inline", 20)  # in place of Markdown's own
    converter.reset()
    try:
        markup = converter.convert(body)
    except BaseException as exc:
        _converters.markdown = None  # stopped half-way (reset() keeps the block parser's state): a fresh one next
        if isinstance(exc, RecursionError):
            raise BodyTooComplex("lists, quotes or emphasis are nested too deeply to convert") from None
        raise
    return markup, tuple(_safe_toc(converter.toc_tokens))


class QuickInline(InlineProcessor):
    """Python-Markdown's inline pass, which tries each of its 14 patterns on every text: here a
    pattern is not tried on a text that holds none of the literal prefixes every match of it starts
    with ('`', '[', '<', '&', '*' or '_', "  \\n"...), read from the pattern's own regular expression.
    The HTML is the same (tested against Markdown's own pass); a 17 KB body converts in about 3.5 ms,
    not 5.3. A pattern whose expression has no such prefix is always tried."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.prefixes: dict[re.Pattern, frozenset[str] | None] = {}  # by the expression itself: one rebuilt is read again
        for pattern in md.inlinePatterns:
            self._prefixes_of(pattern.getCompiledRegExp())

    def _prefixes_of(self, expression: re.Pattern) -> frozenset[str] | None:
        if expression not in self.prefixes:
            self.prefixes[expression] = literal_prefixes(expression.pattern, expression.flags)
        return self.prefixes[expression]

    def _InlineProcessor__applyPattern(self, pattern, data, patternIndex, startIndex=0):
        prefixes = self._prefixes_of(pattern.getCompiledRegExp())
        if prefixes is not None and not any(prefix in data for prefix in prefixes):
            return data, False, 0  # what Markdown's own pass returns when the pattern finds nothing
        return super()._InlineProcessor__applyPattern(pattern, data, patternIndex, startIndex)


def literal_prefixes(expression: str, flags: int = 0) -> frozenset[str] | None:
    """Texts one of which starts every match of the regular expression, or None when it has no
    such literal start (then any text may match), or ignores case. Zero-width assertions before
    the start are skipped, which only makes the prefixes less demanding."""
    try:
        parsed = _sre_parser.parse(expression, flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        return _prefixes(parsed)
    except (re.error, TypeError, ValueError, IndexError, AttributeError, RecursionError):  # unknown: always try it
        return None


def _prefixes(items) -> frozenset[str] | None:
    prefix = ""
    for op, argument in items:
        if op is _sre.LITERAL:
            prefix += chr(argument)
            continue
        if prefix:  # what follows only makes the match longer
            break
        if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
            continue  # zero-width: the match still starts with what comes next
        if op is _sre.SUBPATTERN:
            return None if argument[1] & re.IGNORECASE else _prefixes(argument[-1])
        if op is _sre.BRANCH:
            branches = [_prefixes(branch) for branch in argument[1]]
            return None if None in branches else frozenset().union(*branches)
        if op in _REPEATS and argument[0] >= 1:
            return _prefixes(argument[2])
        if op is _sre.IN and argument and all(kind is _sre.LITERAL for kind, _ in argument):
            return frozenset(chr(code) for _, code in argument)
        return None
    return frozenset([prefix]) if prefix else None


_REPEATS = tuple(getattr(_sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_sre, name))


class _RescanGuard(Treeprocessor):
    """Between Markdown's block and inline passes: refuses the body when a text the inline pass is
    about to parse exceeds the bounds `limit_problems` sets. That check splits the source at blank
    lines, which is every text Markdown parses inline but one: the content of an md_in_html element
    parsed as a span (`<p markdown="1">`) runs across blank lines (100 KB of them: 8 minutes)."""

    def run(self, root) -> None:
        texts = [text for element in root.iter() for text in (element.text, element.tail)
                 if text and not isinstance(text, AtomicString)]  # AtomicString: code, never parsed inline
        for index, message, hint in costly_texts(texts, "this passage", "the body")[:1]:
            token = next((line.strip() for line in texts[index].split("\n") if line.strip()), "") \
                if index is not None else ""
            raise BodyTooComplex(message, f"{hint}; the Markdown inside an HTML element (markdown=\"1\") is one "
                                 "passage, blank lines and all", token[:40])


def _safe_toc(tokens: list[dict]) -> list[dict]:
    """Toc entries as plain, escaped text (the theme prints their names without escaping)."""
    return [{"level": t["level"], "id": t["id"], "name": html.escape(html.unescape(t["name"]), quote=False),
             "children": _safe_toc(t["children"])} for t in tokens]


_PERMALINK = re.compile(r'<a class="headerlink"(?:[^>"]|"[^"]*")*>[^<]*</a>')
_BLOCK_TAG = re.compile(r'<(?:/?(?:p|li|h[1-6]|tr|table|thead|tbody|tfoot|blockquote|pre|d[ltd]|div|[uo]l|details|'
                        r'summary|caption|figure|figcaption)|hr|br)\b(?:[^>"]|"[^"]*")*>')
_TAG = re.compile(r'</?[a-zA-Z](?:[^>"]|"[^"]*")*>')
_CELL_END = re.compile(r"</t[dh]>")  # a table row is one block, its cells apart


def visible_paragraphs(clean: str) -> tuple[str, ...]:
    """The text a reader sees in sanitised HTML, one string per block (paragraph, list item,
    heading, table row), entities decoded: so search holds what the page shows and nothing else (no
    comment, no link definition, no section mark). In nh3's output a comment is gone and every
    '<' or '>' in text is escaped, so a '<' always starts a tag and '>' ends it outside quotes."""
    blocks = _BLOCK_TAG.split(_CELL_END.sub(" ", _PERMALINK.sub("", clean)))
    return tuple(text for text in (" ".join(html.unescape(_TAG.sub("", block)).split()) for block in blocks) if text)


def shown_blocks(kind: str, body: str) -> tuple[str, ...]:
    """The body's text as its page shows it, block by block, from the render the page uses (cached
    with it): Markdown's syntax, comments and link definitions are not text a reader sees."""
    if limit_problems(body):  # never converted: validate refuses it, and converting could take long
        return ()
    return render(published_markdown(kind, body)).paragraphs


def sanitise(markup: str) -> str:
    """The second line of defence: nh3 keeps only the allow list that validate enforces."""
    return nh3.clean(markup, tags=set(htmlcheck.TAGS), clean_content_tags={"script", "style"},
                     attributes={"*": set(htmlcheck.GENERIC_ATTRIBUTES),
                                 **{tag: set(names) for tag, names in htmlcheck.ATTRIBUTES.items()}},
                     url_schemes=set(htmlcheck.URL_SCHEMES), strip_comments=True, link_rel=None,
                     allowed_classes={tag: set(names) for tag, names in htmlcheck.CLASSES.items()})


