"""retention.lock: the committed record of every review ever published; read, written, nothing more.

The file is a small YAML document we write ourselves, one block per review sorted by id with
keys in a fixed order, so the same ledger always gives the same bytes and a pull request's
diff shows exactly what changed. Reading reuses frontmatter.py, so a damaged ledger is
reported at its line like any content file. Writes are atomic: a temporary file, then rename.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from .fieldtypes import (ID_PATTERN, Choice, Date, Invalid, InvalidItems, ListOf, PageName, PublishedDate, Ref,
                         Text)
from .frontmatter import Mapping as YamlMapping
from .frontmatter import YamlProblem, load_mapping, read_text
from .problems import Problem, error
from . import vocab

LIVE, RETIRED, WITHDRAWN = "live", "retired", "withdrawn"
STATUSES = (LIVE, RETIRED, WITHDRAWN)
HEADER = """\
# retention.lock: every review ever published here, and how long it must stay available.
# Written by `python -m generator ledger sync`; commit it with the review. Entries are never
# removed: a review whose window has ended is marked retired and kept as a catalogue record.
"""


@dataclass(frozen=True)
class LedgerEntry:
    """What the ledger remembers of one published review: enough for a catalogue record."""

    id: str
    title: str
    type: str
    published: PublishedDate
    available_until: dt.date
    status: str
    status_date: dt.date
    partnership: str = ""
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    harm: tuple[str, ...] = ()
    reason: str = ""
    aliases: tuple[str, ...] = ()
    withdrawn_text: tuple[str, ...] = ()  # a withdrawn review's text, as short hashes (retention.text_prints)
    line: int = field(default=0, compare=False)

    def with_status(self, status: str, day: dt.date, reason: str = "") -> "LedgerEntry":
        return replace(self, status=status, status_date=day, reason=reason)

    def window_ended(self, today: dt.date) -> bool:
        """True from the day after available-until: only then may the review be retired."""
        return today > self.available_until


@dataclass(frozen=True)
class Ledger:
    """All entries by id; `path` is how the file is named in messages."""

    entries: dict[str, LedgerEntry]
    path: str = "retention.lock"

    def find(self, review_id: str, aliases: Iterable[str] = ()) -> LedgerEntry | None:
        """The entry for a review under its id, or under one of its former ids."""
        for key in (review_id, *aliases):
            if key in self.entries:
                return self.entries[key]
        return None

    def known_ids(self) -> dict[str, LedgerEntry]:
        """Every id and former id the ledger knows, to the entry that holds it."""
        known = {}
        for entry in self.entries.values():
            known.update({alias: entry for alias in entry.aliases})
        known.update(self.entries)
        return known


class _SentenceHash(Text):
    """One of `withdrawn_text`'s hashes: 10 lower-case hexadecimal digits (retention.text_prints)."""

    def parse(self, node) -> str:
        value = super().parse(node)
        if not re.fullmatch(r"[0-9a-f]{10}", value):
            raise Invalid(node.line, f"'{value[:40]}' is not a hash of 10 hexadecimal digits", RESTORE_HINT)
        return value


# Field types reused from the content schema, so the ledger obeys the same value rules.
_FIELDS = {
    "title": Text(1, 200), "type": Choice(tuple(vocab.REVIEW_TYPES), "review type"),
    "published": Date(allow_month=True), "available_until": Date(), "status": Choice(STATUSES, "status"),
    "status_date": Date(), "partnership": PageName(0, 200, "partnerships"), "reason": Text(0, 500),
    "regions": ListOf(Text()), "themes": ListOf(Text()), "harm": ListOf(Text()),
    "aliases": ListOf(Ref("aliases", "former id")), "withdrawn_text": ListOf(_SentenceHash()),
}
RESTORE_HINT = "restore it from git (`git checkout -- retention.lock`); only `ledger sync` writes it"
CONFLICT_HINT = ("take the target branch's retention.lock (`git checkout main -- retention.lock`), then run "
                 "`python -m generator ledger sync`: it adds your reviews again")
_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
_REQUIRED = ("title", "type", "published", "available_until", "status", "status_date")


def read_ledger(path: Path, shown: str) -> tuple[Ledger | None, list[Problem]]:
    """Read retention.lock; a missing file is an empty ledger; a damaged one gives problems."""
    if not os.path.lexists(path):  # lexists: a broken link is refused below, never an empty ledger
        return Ledger({}, shown), []
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    if not text.strip():  # `ledger sync` always writes a header: an empty ledger has been damaged
        return None, problems + [error(shown, 1, f"{shown} is empty", hint=RESTORE_HINT)]
    try:
        root, duplicates = load_mapping(text, 1, "the ledger")
    except YamlProblem as exc:
        conflict = _CONFLICT.search(text)
        if conflict:  # two pull requests added reviews side by side: the usual way a ledger breaks
            line = text.count("\n", 0, conflict.start()) + 1
            return None, problems + [error(shown, line, f"{shown} has git's conflict markers", hint=CONFLICT_HINT)]
        return None, problems + [error(shown, exc.line, exc.message, hint=RESTORE_HINT)]
    problems += [error(shown, d.line, d.message, hint=d.hint) for d in duplicates]
    entries = _read_entries(root, shown, problems)
    return (Ledger(entries, shown) if not problems or all(not p.is_error for p in problems) else None), problems


def _read_entries(root: YamlMapping, shown: str, problems: list[Problem]) -> dict[str, LedgerEntry]:
    for key, entry in root.entries.items():
        if key != "reviews":
            problems.append(error(shown, entry.line, f"unknown key '{key}' in the ledger", hint=RESTORE_HINT))
    reviews = root.get("reviews")
    if reviews is None or not isinstance(reviews.value, YamlMapping):
        problems.append(error(shown, 1, "the ledger has no 'reviews:' mapping", hint=RESTORE_HINT))
        return {}
    entries = {}
    for review_id, entry in reviews.value.entries.items():
        if not ID_PATTERN.match(review_id):
            problems.append(error(shown, entry.line, f"'{review_id}' is not a valid review id", hint=RESTORE_HINT))
            continue
        parsed = _read_entry(review_id, entry, shown, problems)
        if parsed:
            entries[review_id] = parsed
    return entries


def _read_entry(review_id: str, entry, shown: str, problems: list[Problem]) -> LedgerEntry | None:
    if not isinstance(entry.value, YamlMapping):
        problems.append(error(shown, entry.line, f"entry '{review_id}' is not a mapping of keys", hint=RESTORE_HINT))
        return None
    values, before = {}, len(problems)
    for key, item in entry.value.entries.items():
        if key not in _FIELDS:
            problems.append(error(shown, item.line, f"unknown key '{key}' in entry '{review_id}'"))
            continue
        try:
            values[key] = _FIELDS[key].parse(item.value)
        except Invalid as exc:
            problems.append(error(shown, exc.line, f"{review_id}: {key}: {exc.message}", key, exc.hint))
        except InvalidItems as exc:
            problems += [error(shown, p.line, f"{review_id}: {key}: {p.message}", key) for p in exc.problems]
    missing = [key for key in _REQUIRED if key not in values]
    if values.get("status") == WITHDRAWN and not values.get("reason"):
        missing.append("reason (a withdrawal is recorded with its reason)")
    if missing and len(problems) == before:
        problems.append(error(shown, entry.line, f"entry '{review_id}' lacks {', '.join(missing)}",
                              hint=RESTORE_HINT))
    return None if len(problems) > before else LedgerEntry(id=review_id, line=entry.line, **values)


def render_ledger(ledger: Ledger) -> str:
    """The ledger as text: sorted by id, keys in a fixed order, empty values left out."""
    out = [HEADER, "reviews:\n"]
    for review_id in sorted(ledger.entries):
        out.append(_render_entry(ledger.entries[review_id]))
    if not ledger.entries:
        out[-1] = "reviews: {}\n"
    return "".join(out)


def _render_entry(e: LedgerEntry) -> str:
    rows = [("title", _quote(e.title)), ("type", e.type),
            ("partnership", _quote(e.partnership) if e.partnership else ""),
            ("published", e.published.isoformat()), ("available_until", e.available_until.isoformat()),
            ("regions", _list(e.regions)), ("themes", _list(e.themes)), ("harm", _list(e.harm)),
            ("status", e.status), ("status_date", e.status_date.isoformat()),
            ("reason", _quote(e.reason) if e.reason else ""), ("aliases", _list(e.aliases)),
            ("withdrawn_text", _list(e.withdrawn_text))]
    return f"  {e.id}:\n" + "".join(f"    {key}: {value}\n" for key, value in rows if value)


def _quote(text: str) -> str:
    """A YAML double-quoted string: JSON's escapes are valid YAML; every character YAML would
    refuse or read as a line break (controls, U+0085, U+2028...) is written as an escape."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in quoted)


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(items) + "]" if items else ""


def write_ledger(ledger: Ledger, path: Path) -> bool:
    """Write atomically (temporary file in the same folder, then rename); False if unchanged."""
    text = render_ledger(ledger)
    if path.exists() and path.read_text(encoding="utf-8", errors="replace") == text:
        return False
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".retention.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)  # mkstemp makes 0600; keep the ledger's own permissions
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
