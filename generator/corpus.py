"""Read every content file, validate each, then link them: the first stages of the pipeline.

`load_corpus` reads like the pipeline: read -> validate -> link. Linking needs every record
(themes a review names, reviews a briefing cites, aliases that must not collide), so it runs
only after all files are read: never while reading one file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .frontmatter import read_document
from .model import Corpus
from .problems import Problem, did_you_mean, error, warning
from .schema import KINDS
from .validate import validate_document


@dataclass(frozen=True)
class LoadResult:
    """The corpus, every problem found while building it, and how many files were read."""

    corpus: Corpus
    problems: list[Problem]
    files_read: int


def load_corpus(content_dir: Path, root: Path) -> LoadResult:
    """Read, validate and link everything under `content_dir`; paths in problems are relative to `root`."""
    records: dict[str, list] = {folder: [] for folder in KINDS}
    problems: list[Problem] = []
    files = 0
    for folder in KINDS:
        for file, shown in content_files(content_dir / folder, root, problems):
            files += 1
            doc, found = read_document(file, shown, folder)
            problems += found
            if doc is not None:
                record, found = validate_document(doc)
                records[folder].append(record)
                problems += found
    problems += link(records)
    return LoadResult(Corpus.of(records), problems, files)


def content_files(folder: Path, root: Path, problems: list[Problem]) -> Iterable[tuple[Path, str]]:
    """The `.md` files of one content folder, sorted; anything else there is reported, not read."""
    if not folder.is_dir():
        return []
    found = []
    shown_folder = shown_path(folder, root)
    for path in sorted(folder.iterdir()):
        shown = f"{shown_folder}/{path.name}"
        if path.suffix == ".md" and path.is_file():
            found.append((path, shown))
        elif path.suffix == ".md":  # never mistaken for a deleted review: that could retire it
            problems.append(error(shown, 1, f"{shown} is not a readable file ({_kind_of(path)})",
                                  hint="replace it with the review's Markdown file"))
        elif not path.name.startswith("."):
            what = "folder" if path.is_dir() else "file"
            problems.append(warning(shown, 1, f"{what} ignored: only .md files directly in {folder.name}/ are read",
                                    hint="rename it to end in .md" if path.is_file() else "move its files up"))
    return found


def _kind_of(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return "a broken symbolic link"
    return "a folder" if path.is_dir() else "not a regular file"


def shown_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def link(records: dict[str, list]) -> list[Problem]:
    """Problems that need the whole corpus: aliases, and references between items."""
    problems: list[Problem] = []
    aliases = {folder: _check_aliases(items, problems) for folder, items in records.items()}
    themes = {t.id for t in records["themes"]}
    reviews = {r.id for r in records["reviews"]}
    for item in records["reviews"] + records["briefings"]:
        _check_refs(item, "themes", "theme", themes, aliases["themes"], problems, alias_allowed=False)
    for briefing in records["briefings"]:
        _check_refs(briefing, "reviews", "review", reviews, aliases["reviews"], problems, alias_allowed=True)
    return problems


def _check_aliases(items: list, problems: list[Problem]) -> dict[str, str]:
    """Map each former id to its item; report aliases that shadow an id or are claimed twice."""
    ids = {item.id: item for item in items}
    owners: dict[str, Any] = {}
    for item in items:
        for alias in item.aliases:
            line = item.line_of("aliases", alias)
            if alias in ids:
                other = ids[alias]
                message = ("an item may not list its own id as an alias" if other is item else
                           f"alias '{alias}' is the id of {other.path}; an alias may not shadow an id")
                problems.append(error(item.path, line, message, "aliases", "remove it from aliases"))
            elif alias in owners:
                problems.append(error(item.path, line, f"alias '{alias}' is also claimed by {owners[alias].path}",
                                      "aliases", "a former id can belong to one item only"))
            else:
                owners[alias] = item
    return {alias: item.id for alias, item in owners.items()}


def _check_refs(item: Any, key: str, noun: str, ids: set[str], aliases: dict[str, str],
                problems: list[Problem], alias_allowed: bool) -> None:
    for ref in getattr(item, key):
        line = item.line_of(key, ref)
        if ref in ids:
            continue
        if ref in aliases:
            if not alias_allowed:  # a theme is named by its file: filing under a former id would lose the item
                problems.append(error(item.path, line, f"{key}: '{ref}' is a former id of {noun} '{aliases[ref]}'",
                                      key, f"write '{aliases[ref]}'"))
            continue
        hint = did_you_mean(ref, ids) or f"add content/{key}/{ref}.md or choose an existing {noun}"
        problems.append(error(item.path, line, f"{key}: '{ref}' is not a {noun}", key, hint))
