"""Frozen records for reviews, briefings and themes, built from the schema, and the Corpus.

The record classes are generated from `schema.KINDS`, so a field declared there is a record
attribute here with no second list to keep in step. The Corpus holds every record and the
indexes the site needs; it is built once (corpus.py) and never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from types import MappingProxyType
from typing import Any, Mapping

from .schema import BRIEFING, REVIEW, THEME, Kind


@dataclass(frozen=True)
class Record:
    """What every content item has besides its declared fields: where it came from."""

    id: str
    path: str
    body: str = field(repr=False)
    body_line: int
    lines: Mapping[str, int] = field(repr=False, compare=False)
    item_lines: Mapping[str, Mapping[str, int]] = field(repr=False, compare=False)

    def line_of(self, key: str, item: str | None = None) -> int:
        """The line of `key` (or of one of its list items) in the file; 1 if absent."""
        if item is not None and item in self.item_lines.get(key, {}):
            return self.item_lines[key][item]
        return self.lines.get(key, 1)


class ReviewMixin:
    @property
    def is_local(self) -> bool:
        return self.type == "local"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


def _record_class(name: str, kind: Kind, *bases: type) -> type:
    fields = [(f.key, Any, field(default=f.empty)) for f in kind.fields]
    return make_dataclass(name, fields, bases=(*bases, Record), frozen=True,
                          namespace={"__doc__": f"A validated {kind.name}: fields as in schema.{kind.name.upper()}."})


Review = _record_class("Review", REVIEW, ReviewMixin)
Briefing = _record_class("Briefing", BRIEFING)
Theme = _record_class("Theme", THEME)
RECORD_CLASSES = {"reviews": Review, "briefings": Briefing, "themes": Theme}


@dataclass(frozen=True)
class Corpus:
    """Every record read from content/, with lookups by id, alias and taxonomy; read-only.

    It knows nothing of today's date: what is live, embargoed or retired is retention.py's job.
    """

    reviews: Mapping[str, Any]
    briefings: Mapping[str, Any]
    themes: Mapping[str, Any]
    aliases: Mapping[str, Mapping[str, str]]  # folder -> alias -> current id

    @classmethod
    def of(cls, records: Mapping[str, list]) -> "Corpus":
        by_id = {folder: MappingProxyType({r.id: r for r in sorted(items, key=lambda r: r.id)})
                 for folder, items in records.items()}
        aliases = {folder: MappingProxyType({a: r.id for r in items for a in r.aliases})
                   for folder, items in records.items()}
        return cls(by_id["reviews"], by_id["briefings"], by_id["themes"], MappingProxyType(aliases))

    def resolve(self, folder: str, id_or_alias: str) -> str | None:
        """The current id for an id or a former id, or None."""
        items = getattr(self, folder)
        if id_or_alias in items:
            return id_or_alias
        return self.aliases[folder].get(id_or_alias)
