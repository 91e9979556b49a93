"""Everything derived from the schema for people and editors: JSON Schema, scaffolds, field tables.

Each function reads `schema.KINDS` only, so the editor's schema, the `new` file and the docs
cannot drift from the validator. tests/test_exports.py holds docs/front-matter.md to this.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from .fieldtypes import ID_PATTERN, ListOf
from . import vocab
from .frontmatter import read_document
from .schema import KINDS, Field, Kind

SCHEMA_ID = "https://safeguarding-repository.example/schema/{name}.json"
SCHEMA_FOLDER = "schemas"  # committed, so editors and the scaffolds' modeline can point at it
FIELD_REFERENCE = "docs/front-matter.md"


def schema_file(kind: Kind) -> str:
    return f"{SCHEMA_FOLDER}/{kind.name}.json"


def generated_files(themes: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Every committed file derived from the schema and the themes, by its path from the root:
    `schema --write` writes them, and a test holds the committed copies to them."""
    files = {schema_file(kind): schema_json(kind, themes) for kind in KINDS.values()}
    files[FIELD_REFERENCE] = field_reference(themes)
    return files


def theme_choices(content_dir: Path) -> dict[str, tuple[str, str]]:
    """Theme id -> (title, group) of each readable theme file (for the editors' schema and the docs)."""
    themes = {}
    for theme_id, doc in _theme_documents(content_dir):
        title, group = (doc.meta.get(k) for k in ("title", "group"))
        if title is not None and group is not None:
            themes[theme_id] = (getattr(title.value, "text", ""), getattr(group.value, "text", ""))
    return themes


def theme_aliases(content_dir: Path) -> dict[str, str]:
    """Former theme id -> theme id, from each readable theme file's `aliases:` (a renamed theme's
    old id still names it, as its old address forwards)."""
    former = {}
    for theme_id, doc in _theme_documents(content_dir):
        aliases = doc.meta.get("aliases")
        for item in getattr(getattr(aliases, "value", None), "items", ()):
            if getattr(item, "text", ""):
                former.setdefault(item.text, theme_id)
    return former


def _theme_documents(content_dir: Path) -> Iterator[tuple[str, Any]]:
    """(id, document) of each theme file that can be read; no symbolic link is followed."""
    folder = content_dir / "themes"
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if path.is_symlink() or not path.is_file():
            continue
        doc, _ = read_document(path, path.name, "themes")
        if doc is not None:
            yield path.stem, doc


def json_schema(kind: Kind, themes: dict[str, Any] | None = None) -> dict[str, Any]:
    """JSON Schema (2020-12) of a kind's front matter; conditional requirements as if/then. With
    `themes`, theme ids are an enum: exactly what validate accepts (files in content/themes/)."""
    required = [f.key for f in kind.fields if f.required.always]
    properties = {f.key: _property(f, themes) for f in kind.fields}
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.format(name=kind.name),
        "title": f"Front matter of a {kind.name} (content/{kind.folder}/<id>.md; id: {ID_PATTERN.pattern})",
        "type": "object", "properties": properties, "required": required, "additionalProperties": False,
    }
    conditions = [_condition(f) for f in kind.fields if f.required.when or f.required.unless]
    if conditions:
        schema["allOf"] = conditions
    return schema


def _property(f: Field, themes: dict[str, Any] | None) -> dict[str, Any]:
    """One field's schema. An optional key left empty (`retire_on:`) is as if absent to validate,
    so the editor accepts null there too: the schema is never stricter than validate."""
    value = f.type.json_schema()
    if themes and f.key == "themes":
        value["items"] = {**value["items"], "enum": sorted(themes)}
    if f.required.always and f.is_list:
        value["minItems"] = 1
    schema = value if f.required.always else {"anyOf": [value, {"type": "null"}]}
    schema["description"] = f.help
    if f.default is not None:
        schema["default"] = f.default
    return schema


def _condition(f: Field) -> dict[str, Any]:
    then: dict[str, Any] = {"required": [f.key]}
    if f.is_list:
        then["properties"] = {f.key: {"minItems": 1}}
    if f.required.when:
        key, value = f.required.when
        return {"if": {"properties": {key: {"const": value}}, "required": [key]}, "then": then}
    key, value = f.required.unless
    return {"if": {"not": {"properties": {key: {"const": value}}, "required": [key]}}, "then": then}


def all_schemas(themes: dict[str, Any] | None = None) -> dict[str, Any]:
    """One document holding every kind's schema under `$defs`."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": {kind.name: json_schema(kind, themes) for kind in KINDS.values()}}


def schema_json(kind: Kind | None, themes: dict[str, Any] | None = None) -> str:
    return json.dumps(json_schema(kind, themes) if kind else all_schemas(themes), indent=2) + "\n"


def field_table(kind: Kind) -> str:
    """The Markdown table of a kind's fields, in the contract's columns."""
    rows = ["| key | type | required | rule |", "|---|---|---|---|"]
    for f in kind.fields:
        rows.append(f"| {f.key} | {f.type.describe()} | {f.required.describe(f.is_list, f.default)} | "
                    f"{f.rule or f.help} |")
    return "\n".join(rows) + "\n"


def field_reference(themes: dict[str, tuple[str, str]] | None = None) -> str:
    """docs/front-matter.md: every kind's table and every id a field may take, generated
    (`python -m generator schema --markdown`, which reads the themes from content/themes/)."""
    parts = ["# Front matter reference\n",
             "Generated from `generator/schema.py` by `python -m generator schema --markdown`; "
             "a test fails when this file and the schema disagree.\n",
             f"An item's id is its file name without `.md`, matching `{ID_PATTERN.pattern}`. Dates are "
             "`YYYY-MM-DD` (a review's `published` may be `YYYY-MM` or `YYYY`). Lists may be inline `[a, b]` "
             "or blocks. Unknown keys are errors.\n"]
    for kind in KINDS.values():
        parts.append(f"## {kind.name.capitalize()} (`content/{kind.folder}/<id>.md`)\n")
        parts.append(field_table(kind))
    parts.append(vocabulary_tables(themes or {}))
    return "\n".join(parts)


def vocabulary_tables(themes: dict[str, tuple[str, str]]) -> str:
    """The ids of regions, harm categories (grouped as the Panel groups them) and themes."""
    parts = ["## Ids\n", "### Regions (`regions:`)\n", "| id | region |", "|---|---|"]
    parts += [f"| `{key}` | {name} |" for key, name in vocab.REGIONS.items()]
    parts += ["", "### Harm categories (`harm:`), the Panel's Annual Report 2020, Tables 2 and 3\n",
              "| id | category | group |", "|---|---|---|"]
    parts += [f"| `{key}` | {vocab.harm_label(key)} | {vocab.HARM_GROUPS[vocab.harm_group(key)]} |" for key in vocab.HARM]
    if themes:
        parts += ["", "### Themes (`themes:`), the files in `content/themes/`\n", "| id | theme | group |",
                  "|---|---|---|"]
        parts += [f"| `{key}` | {title} | {vocab.THEME_GROUPS.get(group, group)} |"
                  for key, (title, group) in sorted(themes.items(), key=lambda kv: (kv[1][1], kv[0]))]
    return "\n".join(parts) + "\n"


def scaffold(kind: Kind, values: dict[str, str]) -> str:
    """A complete, commented new file: given values filled in, every other field explained."""
    lines = ["---", f"# yaml-language-server: $schema=../../{schema_file(kind)}"]
    for f in kind.fields:
        lines.append(f"# {f.key}: {f.help} [{f.required.describe(f.is_list, f.default)}]")
        if f.key in values:
            lines.append(f"{f.key}: {values[f.key]}")
        elif _needed(f, values):
            lines.append(f"{f.key}: {_placeholder(f)}")
        else:
            lines.append(f"# {f.key}: {_placeholder(f)}")
    lines += ["---", "", _BODIES[kind.name], ""]
    return "\n".join(lines)


def _needed(f: Field, values: dict[str, str]) -> bool:
    """Fields the author must fill in: required always, or required for the values given."""
    return f.required.always or f.required.warn or (bool(f.required.when) and f.required.applies(values)) \
        or bool(f.required.unless and f.required.applies(values))


def _placeholder(f: Field) -> str:
    if isinstance(f.type, ListOf):
        return "[]"
    return f.type.example()


# The scaffolds' instructions to the writer: validate refuses a body that still holds one.
SCAFFOLD_INSTRUCTIONS = ("Write the learning here: what happened, the findings and the recommendations.",
                         "Say in a few sentences what this theme covers and why it matters to practitioners.")
_BODIES = {
    "review": "## Background\n\n" + SCAFFOLD_INSTRUCTIONS[0] + " Never identify the child or family: use "
              "'Child D', 'Baby N'.\n\n## Key findings\n\n## Recommendations",
    "briefing": "## Why this matters\n\n## What the reviews found\n\n## What to do differently\n\n"
                "## Questions for reflection",
    "theme": SCAFFOLD_INSTRUCTIONS[1],
}
