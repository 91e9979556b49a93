"""Split a content file into front matter and body, keeping the line of every key and value.

PyYAML's `compose` gives nodes with line marks; we turn them into small `Scalar`, `Sequence`
and `Mapping` values that remember their line, and never let YAML turn text into dates or
numbers for us (schema.py parses each value itself, against the key's line). Anything that is
not a clean YAML mapping becomes a `Problem`, never an exception.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import yaml

from . import characters
from .problems import Problem, error, warning

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DELIMITER = re.compile(r"^---[ \t]*$", re.MULTILINE)
NEW_HINT = "start the file with front matter between two '---' lines; `python -m generator new` writes one"

NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
_PLAIN_TAGS = frozenset((NULL_TAG, STR_TAG, INT_TAG, SEQ_TAG, MAP_TAG))
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_INT = re.compile(r"^[-+]?[0-9]+$")


class _Loader(_BaseLoader):
    """Composes only: tags a plain scalar as null, int or text and nothing else, since every
    value is parsed by its field type (and YAML's own date and bool guesses would mislead)."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            if implicit[0] and value in _NULLS:
                return NULL_TAG
            return INT_TAG if implicit[0] and _INT.match(value) else STR_TAG
        return SEQ_TAG if kind is yaml.SequenceNode else MAP_TAG


@dataclass(frozen=True)
class Scalar:
    """A single YAML value as written: its text, line, and the tag YAML would give it."""

    text: str
    line: int
    tag: str

    @property
    def is_null(self) -> bool:
        return self.tag == NULL_TAG


@dataclass(frozen=True)
class Sequence:
    items: tuple["Node", ...]
    line: int


@dataclass(frozen=True)
class Entry:
    """One `key: value` pair; `line` is the key's line."""

    key: str
    line: int
    value: "Node"


@dataclass(frozen=True)
class Mapping:
    entries: dict[str, Entry]
    line: int

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)


Node = Union[Scalar, Sequence, Mapping]


@dataclass(frozen=True)
class Document:
    """A content file read from disk: its id, front matter and body; no validation yet."""

    path: str  # as shown in messages: relative to the project root, '/'-separated
    kind: str  # 'reviews', 'briefings' or 'themes': the folder it was found in
    id: str
    meta: Mapping
    body: str
    body_line: int  # the file line on which the body starts

    def line_of(self, key: str) -> int:
        entry = self.meta.get(key)
        return entry.line if entry else 1


class YamlProblem(Exception):
    """Raised inside this module only; always turned into a `Problem` before leaving it."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def read_document(file: Path, shown_path: str, kind: str) -> tuple[Document | None, list[Problem]]:
    """Read one content file; return the document (None if unusable) and every problem found."""
    text, problems = read_text(file, shown_path)
    if text is None:
        return None, problems
    try:
        meta_text, meta_line, body, body_line = split(text)
        meta, key_problems = load_mapping(meta_text, meta_line)
    except YamlProblem as exc:
        return None, problems + [error(shown_path, exc.line, exc.message, hint=exc.hint)]
    problems += [error(shown_path, d.line, d.message, hint=d.hint) for d in key_problems]
    problems += [error(shown_path, line, f"line contains {what}", "body", INVISIBLE_HINT)
                 for line, what in invisible_characters(body, body_line)[:20]]
    return Document(shown_path, kind, file.stem, meta, body, body_line), problems


MAX_FILE_BYTES = 20 * 1024 * 1024
_NO_FOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_text(file: Path, shown_path: str) -> tuple[str | None, list[Problem]]:
    """A file's text (see `decode`), or None with the reason it cannot be read."""
    raw, problems = read_regular_file(file, shown_path)
    if raw is None:
        return None, problems
    if b"\0" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\0")) + 1
        return None, [error(shown_path, line, "file contains a NUL byte: it is binary, not Markdown text",
                            hint="save it as plain UTF-8 text")]
    return decode(raw, shown_path)


def read_regular_file(file: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file under MAX_FILE_BYTES. A symbolic link is never followed (it could
    publish /proc/self/environ), and a pipe or device is never read (it could hang or never end):
    both are refused on the open file itself, so nothing can be swapped in between check and read."""
    try:
        fd = os.open(file, _NO_FOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, [error(shown, 1, f"{shown} is a symbolic link; links are never followed",
                                hint="replace the link with the file itself")]
        return None, [error(shown, 1, f"cannot read {shown}: {exc.strerror}")]
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return None, [error(shown, 1, f"{shown} is not a regular file", hint="replace it with a text file")]
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(MAX_FILE_BYTES) if info.st_size < MAX_FILE_BYTES else b""
    if info.st_size >= MAX_FILE_BYTES or len(raw) >= MAX_FILE_BYTES:
        return None, [error(shown, 1, f"{shown} is {max(info.st_size, len(raw)) / 1024 / 1024:.1f} MB; "
                            f"files must be under {MAX_FILE_BYTES // 1024 // 1024} MB",
                            hint="keep the learning here and link the full report with report_url")]
    return raw, []


def decode(raw: bytes, shown_path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: UTF-8 only; a BOM or CRLF endings are tolerated with a warning."""
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        while raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        problems.append(warning(shown_path, 1, "file starts with a byte-order mark (BOM), which was ignored",
                                hint="save the file as UTF-8 without BOM"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, problems + [error(shown_path, line, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                                       hint="save the file with UTF-8 encoding")]
    if "\r" in text:
        line = text.count("\n", 0, text.index("\r")) + 1
        ending = "Windows (CRLF)" if "\r\n" in text else "carriage-return (CR)"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        problems.append(warning(shown_path, line, f"file has {ending} line endings, read as LF",
                                hint="save the file with LF line endings"))
    return text, problems


def split(text: str) -> tuple[str, int, str, int]:
    """Return (front matter text, its first line, body, body's first line), or raise."""
    if not text.strip():
        raise YamlProblem(1, "file is empty", NEW_HINT)
    first_line, _, rest = text.partition("\n")
    if first_line.rstrip() != "---":
        raise YamlProblem(1, "file does not start with front matter ('---' on the first line)", NEW_HINT)
    closing = _DELIMITER.search(rest)
    if closing is None:
        raise YamlProblem(1, "front matter opened on line 1 is never closed",
                          "add a line containing only '---' after the last key")
    meta_text = rest[: closing.start()]
    body_line = 2 + meta_text.count("\n") + 1
    return meta_text, 2, rest[closing.end() + 1:], body_line


def load_mapping(yaml_text: str, first_line: int, what: str = "front matter") -> tuple[Mapping, list[YamlProblem]]:
    """Parse YAML text that starts on file line `first_line` into a `Mapping`, or raise.

    A bad key (a duplicate, a key that is not a word) does not stop the reading: it is
    returned as a problem beside the mapping, so that every one is reported."""
    check_characters(yaml_text, first_line)
    try:
        root = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _yaml_problem(exc, first_line, yaml_text) from None
    if root is None:
        raise YamlProblem(max(first_line - 1, 1), f"{what} is empty", "add the required keys between the '---' lines")
    if not isinstance(root, yaml.MappingNode):
        found = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise YamlProblem(first_line + root.start_mark.line, f"{what} is {found}, not a mapping of keys",
                          "write one 'key: value' per line")
    key_problems: list[YamlProblem] = []
    return _Converter(first_line, what, key_problems).mapping(root, 0), key_problems


# Controls, line and paragraph separators, lone surrogates, noncharacters, and every character
# that shows nothing (bidi overrides and marks, zero-width spaces and joiners, soft hyphens...).
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
INVISIBLE = re.compile(f"[{_CONTROLS}{characters.INVISIBLE}]")
_INVISIBLE_BMP = re.compile(f"[{_CONTROLS}{characters.INVISIBLE_BMP}]")
INVISIBLE_HINT = "delete it; it often comes with text copied from a PDF or a word processor"


def invisible_characters(text: str, first_line: int) -> list[tuple[int, str]]:
    """(line, description) of each line's first control, bidi, zero-width or line-separator character:
    they are invisible in review, can reorder what a reader sees (U+202E), hide a phone number or a
    name from the anonymisation guard (U+200B between its digits), break the Atom feeds (XML allows
    no control characters) and, for U+2028, shift YAML's line numbers."""
    found, last_line = [], 0
    for match in invisible_pattern(text).finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        if line != last_line:
            found.append((line, _describe(match.group())))
            last_line = line
    return found


_UNNAMED = {"Cc": "a control character", "Cs": "a lone surrogate"}


def invisible_pattern(text: str) -> re.Pattern:
    """INVISIBLE, or the same without its characters beyond U+FFFF for a text that has none (most):
    the same answer, at a third of the cost (characters.has_astral)."""
    return INVISIBLE if characters.has_astral(text) else _INVISIBLE_BMP


def _describe(char: str) -> str:
    """'an invisible character U+200B (ZERO WIDTH SPACE)'; characters Unicode gives no name are
    named by what they are: a control character, a lone surrogate, a noncharacter (U+FFFE, U+FFFF,
    kept for a program's own use and never text) or an unassigned code point."""
    code = ord(char)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    unnamed = "a noncharacter" if noncharacter else _UNNAMED.get(unicodedata.category(char), "an unassigned character")
    return f"an invisible character U+{code:04X} ({unicodedata.name(char, unnamed)})"


def check_characters(text: str, first_line: int) -> None:
    """Invisible characters in front matter are refused at their real line (YAML counts U+2028,
    U+2029 and U+0085 as line breaks, which would shift every later line number)."""
    found = invisible_pattern(text).search(text)
    if found:
        line = first_line + text.count("\n", 0, found.start())
        raise YamlProblem(line, f"line contains {_describe(found.group())}", INVISIBLE_HINT)


def _yaml_problem(exc: yaml.YAMLError, first_line: int, yaml_text: str) -> YamlProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = first_line + mark.line if mark is not None else first_line
    source_lines = yaml_text.split("\n")
    source_line = source_lines[line - first_line] if 0 <= line - first_line < len(source_lines) else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    hint = "quote text that contains ': ' or starts with a special character"
    if re.search(r"\btabs?\b", str(problem)) or "\t" in source_line:
        hint = "indent with spaces, not tabs"
    elif any(words in str(problem) for words in _INDENTATION_PROBLEMS):
        hint = _indentation_hint(source_lines, line - first_line, first_line) or hint
    if "expected a single document" in str(exc):
        message, hint = "invalid YAML: a second '---' document inside the front matter", "remove the extra '---'"
    return YamlProblem(line, message, hint)


_INDENTATION_PROBLEMS = ("did not find expected key", "expected <block end>", "mapping values are not allowed")


def _indentation_hint(lines: list[str], index: int, first_line: int) -> str | None:
    """A line indented unlike the key before it is what PyYAML reports as a missing key or block
    end: say so, with both columns, before the usual advice on quoting."""
    if not 0 < index < len(lines) or not lines[index].strip():
        return None
    before = next((i for i in range(index - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")),
                  None)
    if before is None:
        return None
    column, before_column = (len(text) - len(text.lstrip(" ")) + 1 for text in (lines[index], lines[before]))
    if column == before_column:
        return None
    return (f"this line starts in column {column} and line {first_line + before} in column {before_column}: "
            "keys of the same mapping start in the same column; or quote text that contains ': '")


MAX_DEPTH = 8  # front matter is flat; the ledger nests three levels


class _Converter:
    """Nodes to values. A node met twice was reached through an alias: refused, which also
    stops 'billion laughs' alias bombs before anything is expanded; so are deep nesting and
    YAML tags such as !!binary, which front matter never needs."""

    def __init__(self, first_line: int, what: str, key_problems: list[YamlProblem]):
        self.first_line, self.what, self.key_problems = first_line, what, key_problems
        self.seen: set[int] = set()

    def value(self, node: yaml.Node, depth: int) -> Node:
        line = self.first_line + node.start_mark.line
        if id(node) in self.seen:
            raise YamlProblem(line, f"YAML anchors and aliases (&name, *name) are not allowed in {self.what}",
                              "write each value out in full")
        if depth > MAX_DEPTH:
            raise YamlProblem(line, f"values are nested too deeply ({MAX_DEPTH} levels at most)",
                              "front matter values are text or lists of text")
        if node.tag not in _PLAIN_TAGS:
            raise YamlProblem(line, f"YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed",
                              "remove the tag and write the value as plain text")
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if INVISIBLE.search(node.value):  # written as a YAML escape ("\x01", "\u202e"): seen only now
                self.key_problems.append(YamlProblem(line, f"value contains {_describe(INVISIBLE.search(node.value).group())}"
                                                     " (written as an escape)", "remove the escape"))
                return Scalar(INVISIBLE.sub("", node.value), line, node.tag)
            return Scalar(node.value, line, node.tag)
        if isinstance(node, yaml.SequenceNode):
            return Sequence(tuple(self.value(item, depth + 1) for item in node.value), line)
        return self.mapping(node, depth)

    def mapping(self, node: yaml.MappingNode, depth: int) -> Mapping:
        entries: dict[str, Entry] = {}
        for key_node, value_node in node.value:
            line = self.first_line + key_node.start_mark.line
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == NULL_TAG:
                self.key_problems.append(YamlProblem(line, "a key must be a plain word such as 'title'",
                                                     "check the indentation of this line"))
                continue
            value = self.value(value_node, depth + 1)
            key = key_node.value
            if key in entries:
                self.key_problems.append(YamlProblem(
                    line, f"duplicate key '{key}' (first on line {entries[key].line}); YAML would silently keep "
                    "only the last", "remove one of them"))
                continue
            entries[key] = Entry(key, line, value)
        return Mapping(entries, self.first_line + node.start_mark.line)
