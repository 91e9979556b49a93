"""The one declaration of every front-matter field of every kind of content.

Validation (validate.py), the frozen records (model.py), JSON Schema (jsonschema_export.py),
the `new` scaffolds (scaffold.py) and the field reference in docs/ are all derived from the
`KINDS` below; change a rule here and all of them follow. Rules that join two fields
(`initiated` not after `published`...) are named in `Field.rule` and checked in validate.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Mapping

from . import vocab
from .fieldtypes import Choice, Date, ListOf, PageName, Ref, Text, Url, WholeNumber


@dataclass(frozen=True)
class Requirement:
    """When a field must be given (for a list: hold at least one item).

    `when` = (key, value): required only if that key has that value; `unless` the opposite.
    `warn` makes absence a warning rather than an error.
    """

    always: bool = False
    when: tuple[str, str] | None = None
    unless: tuple[str, str] | None = None
    warn: bool = False
    warn_if_published_before: int | None = None  # older reviews may lack it: a warning, not an error

    def only_warns(self, values: Mapping[str, Any]) -> bool:
        """Absence is a warning: always, or because the review predates the rule's year."""
        published = values.get("published")
        return self.warn or bool(self.warn_if_published_before and published is not None
                                 and published.year < self.warn_if_published_before)

    def applies(self, values: Mapping[str, Any]) -> bool:
        if self.when:
            return values.get(self.when[0]) == self.when[1]
        if self.unless:
            return values.get(self.unless[0]) != self.unless[1]
        return self.always or self.warn

    def describe(self, is_list: bool, default: Any) -> str:
        """The contract's 'required' column, e.g. 'local: at least 1'."""
        yes = "at least 1" if is_list else "yes"
        if self.when:
            return f"{self.when[1]}: {yes}"
        if self.unless:
            return f"yes, unless `{self.unless[0]}: {self.unless[1]}`"
        if self.always:
            return yes
        if self.warn:
            return "no, but warned when missing"
        return f"no (default `{default}`)" if default not in (None, ()) else "no"


OPTIONAL = Requirement()
REQUIRED = Requirement(always=True)


@dataclass(frozen=True)
class Field:
    """One front-matter key: its type, when it is required, its default and its help text."""

    key: str
    type: Any
    required: Requirement = OPTIONAL
    default: Any = None
    help: str = ""
    rule: str = ""

    @property
    def is_list(self) -> bool:
        return isinstance(self.type, ListOf)

    @property
    def empty(self) -> Any:
        """The value a record holds when the key is absent."""
        if self.default is not None:
            return self.default
        return () if self.is_list else None


@dataclass(frozen=True)
class Kind:
    """A kind of content: its folder under content/, its singular name and its fields."""

    folder: str
    name: str
    fields: tuple[Field, ...]

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


_THEMES = ListOf(Ref("themes", "theme"), "theme ids")
_ALIASES = Field("aliases", ListOf(Ref("aliases", "former id"), "ids"),
                 help="former ids of this item; each old URL keeps working", rule="former ids")
_ALLOW = Field("allow", ListOf(Text(), "text"),
               help="exact passages the anonymisation guard may let through, each reviewed in the PR",
               rule="exact passages the anonymisation guard may let through")

_SCR = "a Serious Case Review or an LCSPR is `local`; the Panel's reviews are `national`"
_TYPE_ADVICE = tuple((word, _SCR) for word in ("scr", "serious-case-review", "serious case review", "lcspr",
                                                 "lscpr", "cspr", "child-safeguarding-practice-review"))

REVIEW = Kind("reviews", "review", (
    Field("title", Text(1, 200), REQUIRED, help="the report's title"),
    Field("type", Choice(tuple(vocab.REVIEW_TYPES), "review type", _TYPE_ADVICE), REQUIRED,
          help="local (including pre-2019 Serious Case Reviews) or national",
          rule="a Serious Case Review (the pre-2019 local kind) is `local`"),
    Field("published", Date(allow_month=True), REQUIRED,
          help="date first published; a future date is an embargo",
          rule="date first published; a future date is an embargo"),
    Field("partnership", PageName(1, 200, "partnerships"), Requirement(when=("type", "local")),
          help="the publishing safeguarding partnership"),
    Field("regions", ListOf(Choice(tuple(vocab.REGIONS), "region"), "region ids"),
          Requirement(when=("type", "local")), help="English regions the review concerns",
          rule="national: may be empty (England-wide)"),
    Field("themes", _THEMES, REQUIRED, help="theme ids (files in content/themes/)",
          rule="each must be a file in content/themes/"),
    Field("harm", ListOf(Choice(tuple(vocab.HARM), "harm category"), "harm ids"),
          Requirement(when=("type", "local"), warn_if_published_before=2019),
          help="harm categories (Annual Report 2020, Tables 2 and 3)",
          rule="a review published before 2019 (an SCR added afterwards) may leave it out, with a warning, "
               "where the public facts name no harm category"),
    Field("reviewers", ListOf(Text(1, 200), "names"), Requirement(warn=True),
          help="the reviewer(s); statutory guidance says they should be named",
          rule="statutory guidance: the reviewer(s) should be named"),
    Field("summary", Text(1, 1000), REQUIRED, help="plain text shown in lists and search results",
          rule="plain text, shown in lists and search results"),
    Field("report_url", Url(), Requirement(unless=("publication", "improvements-only")),
          help="the full report", rule="the full report"),
    Field("publication", Choice(tuple(vocab.PUBLICATION), "publication"), default="full",
          help="`improvements-only` where only the improvements to be made are published"),
    Field("initiated", Date(), help="date of the decision to initiate the review",
          rule="not after `published`"),
    Field("sent_to_panel", Date(), help="date a copy was sent to the Panel and the Secretary of State",
          rule="warned when later than 7 working days (England) before `published`"),
    Field("child_ages", ListOf(Choice(tuple(vocab.CHILD_AGES), "age band"), "age bands"),
          help="age bands of the children: " + ", ".join(vocab.CHILD_AGES)),
    Field("retire_on", Date(), help="date after which the page may become a catalogue record",
          rule="must not be before the review's available-until date"),
    Field("withdrawn_on", Date(), help="date the review was withdrawn for a legal reason (a court order)",
          rule="with `withdrawn_reason`, always together"),
    Field("withdrawn_reason", Text(1, 500), help="why the review was withdrawn",
          rule="with `withdrawn_on`, always together"),
    _ALIASES,
    _ALLOW,
))

BRIEFING = Kind("briefings", "briefing", (
    Field("title", Text(1, 200), REQUIRED, help="the briefing's title"),
    Field("published", Date(), REQUIRED, help="date published"),
    Field("themes", _THEMES, REQUIRED, help="theme ids (files in content/themes/)"),
    Field("summary", Text(1, 1000), REQUIRED, help="plain text shown in lists and search results"),
    Field("reviews", ListOf(Ref("reviews", "review"), "review ids"),
          help="ids of the reviews this briefing draws on", rule="each must exist (an alias counts)"),
    Field("publisher", Text(1, 200), help="the partnership or body that wrote the briefing",
          rule="the partnership or body that wrote the briefing"),
    Field("format", Choice(tuple(vocab.BRIEFING_FORMATS), "format"), default="practice",
          help="seven-minute, practice or thematic"),
    Field("duration_minutes", WholeNumber(1, 240), help="how long the briefing takes to deliver"),
    _ALIASES,
    _ALLOW,
))

THEME = Kind("themes", "theme", (
    Field("title", Text(1, 200), REQUIRED, help="the theme's name"),
    Field("group", Choice(tuple(vocab.THEME_GROUPS), "theme group"), REQUIRED,
          help="practice: one of the Panel's six key practice themes; topic: anything else",
          rule="`practice`: the Panel's six key practice themes"),
    Field("summary", Text(1, 1000), REQUIRED, help="what the theme covers, in plain text"),
    Field("synonyms", ListOf(Text(1, 100), "text"),
          help="other words people search with", rule="other words people search with"),
    _ALIASES,
))

KINDS: dict[str, Kind] = {kind.folder: kind for kind in (REVIEW, BRIEFING, THEME)}
KIND_BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS.values()}
