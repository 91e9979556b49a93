"""The kinds of value a front-matter field can hold, each parsing itself from a YAML node.

A field type turns a `Scalar`/`Sequence` node into a Python value or raises `Invalid` with the
line and a hint; it also describes itself for the docs and for JSON Schema. Whether a field is
required, and rules across fields, belong to schema.py and validate.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import ipaddress
import re
import socket
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from .frontmatter import Mapping, Node, Scalar, Sequence
from .problems import did_you_mean

RESERVED_IDS = ("index",)  # <section>/index.md is the section's own list page: /reviews/, /themes/, /partnerships/...
ID_PATTERN = re.compile(r"^(?!index$)[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")  # any id but the reserved one
ID_RULE = "lower-case letters, digits and hyphens, 3-80 characters, not starting or ending with '-', and not 'index'"
MIN_YEAR, MAX_YEAR = 1900, 2999  # keeps available-until arithmetic far from datetime's year 9999
_DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")  # [0-9], not \d: no other scripts' digits
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_YEAR = re.compile(r"^([0-9]{4})$")


class Invalid(Exception):
    """A value that does not fit its field; carries the line to report."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


@dataclass(frozen=True, order=True)
class PublishedDate:
    """A publication date known to the day, or only to the month (`YYYY-MM`) or year (`YYYY`).

    A month- or year-only date sorts and embargoes by its first day, and its retention window
    counts from its last day (31 December for a year), so it is never removed early.
    """

    first_day: dt.date
    month_only: bool = False
    year_only: bool = False

    @property
    def approximate(self) -> bool:
        """Known only to the month or year: no day to count working days back from."""
        return self.month_only or self.year_only

    @property
    def last_day(self) -> dt.date:
        if self.year_only:
            return self.first_day.replace(month=12, day=31)
        if not self.month_only:
            return self.first_day
        days = calendar.monthrange(self.first_day.year, self.first_day.month)[1]
        return self.first_day.replace(day=days)

    @property
    def year(self) -> int:
        return self.first_day.year

    def isoformat(self) -> str:
        if self.year_only:
            return f"{self.first_day.year:04d}"
        return self.first_day.strftime("%Y-%m") if self.month_only else self.first_day.isoformat()

    def display(self) -> str:
        """'2016', 'March 2020' or '5 March 2020', as the site shows it."""
        day = self.first_day
        if self.year_only:
            return str(day.year)
        return day.strftime("%B %Y") if self.month_only else f"{day.day} {day.strftime('%B %Y')}"

    def __str__(self) -> str:
        return self.isoformat()


_DAY_FIRST = re.compile(r"^([0-3]?\d)[/.-]([01]?\d)[/.-](\d{4})$")


def _day_first(text: str) -> str:
    """'20/11/2026' (day first, as a British date is written) as '2026-11-20'; '' for anything else."""
    match = _DAY_FIRST.match(text)
    return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else ""


def parse_date(text: str, allow_month: bool = False) -> dt.date | PublishedDate | None:
    """`YYYY-MM-DD` (or, when allowed, `YYYY-MM` or `YYYY`) to a date; None if not a real date."""
    match = _DAY.match(text)
    try:
        if match:
            day = dt.date(*map(int, match.groups()))
            return PublishedDate(day) if allow_month else day
        match = _MONTH.match(text) if allow_month else None
        if match:
            return PublishedDate(dt.date(int(match[1]), int(match[2]), 1), month_only=True)
        match = _YEAR.match(text) if allow_month else None
        if match:
            return PublishedDate(dt.date(int(match[1]), 1, 1), year_only=True)
    except ValueError:
        return None
    return None


def slugify(text: str) -> str:
    """'Kingsford Safeguarding Children Partnership' -> 'kingsford-safeguarding-children-partnership'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    if len(slug) < 3:  # nothing left in ASCII (a name in another script): a stable id from its bytes
        slug = (slug + "-" if slug else "") + "n" + hashlib.sha1(text.encode()).hexdigest()[:10]
    return slug


def _scalar(node: Node, what: str) -> Scalar:
    if isinstance(node, Scalar):
        return node
    found = "a list" if isinstance(node, Sequence) else "a set of keys"
    raise Invalid(node.line, f"expected {what}, found {found}")


@dataclass(frozen=True)
class Text:
    """Plain text of bounded length."""

    min_length: int = 1
    max_length: int | None = None

    def parse(self, node: Node) -> str:
        value = _scalar(node, "text").text.strip()
        if len(value) < self.min_length:
            raise Invalid(node.line, "is empty", "write the text after the colon")
        if self.max_length and len(value) > self.max_length:
            raise Invalid(node.line, f"is {len(value)} characters long; at most {self.max_length} allowed",
                          "shorten it")
        return value

    def describe(self) -> str:
        return f"text, {self.min_length}-{self.max_length} chars" if self.max_length else "text"

    def json_schema(self) -> dict[str, Any]:
        # validate reads any scalar as its text (`title: 2026` is the title "2026"), so an editor must too
        schema: dict[str, Any] = {"type": ["string", "number", "boolean"], "minLength": self.min_length}
        if self.max_length:
            schema["maxLength"] = self.max_length
        return schema

    def example(self) -> str:
        return '""'


@dataclass(frozen=True)
class PageName(Text):
    """Text that also names a page of its own at /<section>/<slug>/ (a partnership's). A name whose
    slug is a reserved id ('Index') would put that page over the section's list of all its pages."""

    section: str = ""

    def parse(self, node: Node) -> str:
        value = super().parse(node)
        if value and slugify(value) in RESERVED_IDS:
            raise Invalid(node.line, f"'{value}' would have the address /{self.section}/{slugify(value)}/, "
                          f"which is the list of all {self.section}", "write the full name, e.g. "
                          "'Kingsford Safeguarding Children Partnership'")
        return value


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of ids (regions, harm categories, review types...)."""

    choices: tuple[str, ...]
    noun: str = "value"
    advice: tuple[tuple[str, str], ...] = ()  # (written value, hint): common mistakes and their fix

    def parse(self, node: Node) -> str:
        value = _scalar(node, f"a {self.noun}").text.strip()
        if value not in self.choices:
            hint = dict(self.advice).get(value.lower()) or did_you_mean(value, self.choices) \
                or f"use one of: {', '.join(self.choices)}"
            raise Invalid(node.line, f"'{value}' is not a known {self.noun}", hint)
        return value

    def describe(self) -> str:
        if len(self.choices) <= 5:
            quoted = [f"`{c}`" for c in self.choices]
            return ", ".join(quoted[:-1]) + " or " + quoted[-1]
        return f"{self.noun} id"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}

    def example(self) -> str:
        return self.choices[0]


@dataclass(frozen=True)
class Date:
    """A real calendar date, `YYYY-MM-DD`, or also `YYYY-MM` or `YYYY` where `allow_month` (a
    publication date known only to the month or year)."""

    allow_month: bool = False

    def parse(self, node: Node) -> dt.date | PublishedDate:
        text = _scalar(node, "a date").text.strip()
        value = parse_date(text, self.allow_month)
        if value is None:
            looks_right = _DAY.match(text) or (self.allow_month and (_MONTH.match(text) or _YEAR.match(text)))
            message = f"'{text}' is not a real date" if looks_right else f"'{text}' is not a date"
            if not self.allow_month and _MONTH.match(text):
                message = f"'{text}' gives only the month; this date needs the day too"
            if not self.allow_month and _YEAR.match(text):
                message = f"'{text}' gives only the year; this date needs the month and day too"
            hint = "write it as YYYY-MM-DD, e.g. 2024-03-05" + (
                "; YYYY-MM or YYYY if only the month or year is known" if self.allow_month else "")
            written_as = _day_first(text)
            if written_as and parse_date(written_as) is not None:  # 20/11/2026, as a British date is written
                hint = f"did you mean {written_as}? Dates are written YEAR-MONTH-DAY"
            raise Invalid(node.line, message, hint)
        year = value.year
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise Invalid(node.line, f"'{text}' is out of range", f"give a year from {MIN_YEAR} to {MAX_YEAR}")
        return value

    def describe(self) -> str:
        return "date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`)" if self.allow_month else "date (`YYYY-MM-DD`)"

    def json_schema(self) -> dict[str, Any]:
        if self.allow_month:
            return {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                    "minimum": MIN_YEAR, "maximum": MAX_YEAR}  # `published: 2016` is a number to an editor
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

    def example(self) -> str:
        return "YYYY-MM-DD"


@dataclass(frozen=True)
class Url:
    """An absolute http(s) address on the public internet."""

    def parse(self, node: Node) -> str:
        value = _scalar(node, "a web address").text.strip()
        if not _is_web_address(value):
            raise Invalid(node.line, f"'{value}' is not an http(s) web address",
                          "give the full address, starting https://")
        host = urlsplit(value).hostname
        if not is_public_host(host):
            raise Invalid(node.line, f"'{value}' points at {host}, which is not a public address",
                          "give the address where the public can read it, starting https://")
        return value

    def describe(self) -> str:
        return "http(s) URL"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "pattern": "^https?://[^\\s/]+"}

    def example(self) -> str:
        return '"https://"'


def _is_web_address(value: str) -> bool:
    if any(c.isspace() or not c.isprintable() for c in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv4 reached from IPv6 through a gateway: judged as that IPv4


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is on the public internet: not loopback, private (10/8, 172.16/12,
    192.168/16, fc00::/7), link-local (169.254/16, where cloud metadata answers; fe80::/10),
    shared, reserved, unspecified or multicast, nor an IPv4 one of those written as IPv6."""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    elif address.version == 6 and address in _NAT64:
        address = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.is_global and not address.is_multicast


def is_public_host(host: str | None) -> bool:
    """False for `localhost` (and its subdomains) and for an address literal that is not public,
    in any form a browser reads as one (127.1, 2130706433, 0x7f.0.0.1, %31%32%37.0.0.1); True for
    any other name, which only resolving can judge (check-links does)."""
    host = unquote(host or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return is_public(ipaddress.ip_address(host.split("%")[0]))
    except ValueError:
        pass
    if re.fullmatch(r"[0-9a-fx.]+", host):  # the shorthand IPv4 forms inet_aton and browsers accept
        try:
            return is_public(ipaddress.IPv4Address(socket.inet_aton(host)))
        except OSError:
            pass
    return True


@dataclass(frozen=True)
class WholeNumber:
    minimum: int
    maximum: int

    def parse(self, node: Node) -> int:
        text = _scalar(node, "a whole number").text.strip()
        hint = f"write a number from {self.minimum} to {self.maximum}"
        if not re.fullmatch(r"[+-]?[0-9]{1,9}", text):
            raise Invalid(node.line, f"'{text}' is not a whole number", hint)
        if not self.minimum <= int(text) <= self.maximum:
            raise Invalid(node.line, f"{int(text)} is out of range", hint)
        return int(text)

    def describe(self) -> str:
        return f"whole number {self.minimum}-{self.maximum}"

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["integer", "string"], "pattern": "^[+-]?[0-9]{1,9}$",  # "7", quoted, is 7 to validate
                "minimum": self.minimum, "maximum": self.maximum}

    def example(self) -> str:
        return str(self.minimum)


@dataclass(frozen=True)
class Ref:
    """An id of another item (a theme, a review) or a former id; existence is checked once
    the whole corpus is read (corpus.py), never while reading one file."""

    kind: str  # 'themes' or 'reviews'
    noun: str

    def parse(self, node: Node) -> str:
        value = _scalar(node, f"a {self.noun} id").text.strip()
        if value in RESERVED_IDS:
            raise Invalid(node.line, f"'{value}' is reserved: it is the address of a section's list page "
                          "(/reviews/, /themes/...), never of an item", "remove it: no item has this id")
        if not ID_PATTERN.match(value):
            written_as_id = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")  # a title written for its id
            guess = f"; written as an id: '{written_as_id}'" if ID_PATTERN.match(written_as_id) else ""
            raise Invalid(node.line, f"'{value}' is not a valid id", f"ids are {ID_RULE}{guess}")
        return value

    def describe(self) -> str:
        return f"{self.noun} id"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": ID_PATTERN.pattern}

    def example(self) -> str:
        return ""


@dataclass(frozen=True)
class ListOf:
    """A YAML list, inline `[a, b]` or as a block; items parsed by `item`, duplicates refused."""

    item: Any
    noun_plural: str = ""

    def parse(self, node: Node) -> tuple:
        if isinstance(node, Scalar):
            raise Invalid(node.line, "expected a list", f"write it as a list: [{node.text}]")
        if isinstance(node, Mapping):
            raise Invalid(node.line, "expected a list, found a set of keys", "write it as [a, b]")
        values, seen, problems = [], set(), []
        for item in node.items:
            try:
                value = self.item.parse(item)
            except Invalid as exc:
                problems.append(exc)
                continue
            if value in seen:
                problems.append(Invalid(item.line, f"'{value}' is listed twice", "remove the repeat"))
                continue
            seen.add(value)
            values.append(value)
        if problems:
            raise InvalidItems(problems, tuple(values))
        return tuple(values)

    def describe(self) -> str:
        return f"list of {self.noun_plural or self.item.describe() + 's'}"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.json_schema(), "uniqueItems": True}

    def example(self) -> str:
        return "[]"


class InvalidItems(Exception):
    """Some list items were invalid: each is reported at its own line; the valid ones are kept
    in `values`, so that they can still be checked against the corpus."""

    def __init__(self, problems: list[Invalid], values: tuple = ()):
        super().__init__(f"{len(problems)} invalid items")
        self.problems, self.values = problems, values


def item_lines(node: Node) -> dict[str, int]:
    """The line of each item of a list node, by its text (for cross-reference errors)."""
    if not isinstance(node, Sequence):
        return {}
    return {item.text.strip(): item.line for item in reversed(node.items) if isinstance(item, Scalar)}
