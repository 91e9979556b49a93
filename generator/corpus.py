"""Read every content file, validate each, then link them: the first stages of the pipeline.

`load_corpus` reads like the pipeline: read -> validate -> link. Linking needs every record
(themes a review names, reviews a briefing cites, aliases that must not collide), so it runs
only after all files are read: never while reading one file.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from . import bodies
from .frontmatter import read_document
from .fieldtypes import slugify
from .model import Corpus
from .problems import Problem, did_you_mean, error
from .schema import KINDS
from .validate import validate_document


@dataclass(frozen=True)
class LoadResult:
    """The corpus, every problem found while building it, and how many files were read."""

    corpus: Corpus
    problems: list[Problem]
    files_read: int


def load_corpus(content_dir: Path, root: Path, memo: dict | None = None,
                recorded_reviews: frozenset[str] = frozenset()) -> LoadResult:
    """Read, validate and link everything under `content_dir`; paths in problems are relative to `root`.

    `memo` (the preview keeps one between rebuilds): each file's reading and validation, by the
    file's size, times and inode; an unchanged file is not read again. Linking always runs.
    `recorded_reviews`: the ledger's review ids, which a briefing may cite after a review's file
    is deleted at the end of its window (the review keeps its catalogue record)."""
    records: dict[str, list] = {folder: [] for folder in KINDS}
    problems: list[Problem] = []
    files = content_files(content_dir, root, problems)
    kept = memo if memo is not None else {}
    seen: dict[str, tuple] = {}
    for folder, found_files in files.items():
        for file, shown in found_files:
            stamp = (folder, *file_stamp(file))
            if shown in kept and kept[shown][0] == stamp:
                seen[shown] = kept[shown]
            else:
                doc, found = read_document(file, shown, folder)
                seen[shown] = (stamp, doc, found, None)
    fresh = [entry[1] for entry in seen.values() if entry[3] is None and entry[1] is not None]
    bodies.judge_all([bodies.published_markdown(d.kind, d.body) for d in fresh if not bodies.limit_problems(d.body)])
    for shown, (stamp, doc, found, validated) in seen.items():
        problems += found
        if doc is None:
            continue
        if validated is None:
            validated = validate_document(doc)
            seen[shown] = (stamp, doc, found, validated)
        record, invalid = validated
        records[doc.kind].append(record)
        problems += invalid
    if memo is not None:
        memo.clear()
        memo.update(seen)
    problems += link(records, recorded_reviews)
    return LoadResult(Corpus.of(records), problems, sum(len(found) for found in files.values()))


def file_stamp(file: Path) -> tuple:
    """What changes whenever a file's content may have: size, modification and change times, inode."""
    try:
        info = os.stat(file, follow_symlinks=False)
    except OSError:
        return (None,)  # read_document reports why it cannot be read
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


PUBLISHED_HINT = "only .md files directly in content/reviews/, content/briefings/ and content/themes/ are published"


def content_files(content_dir: Path, root: Path, problems: list[Problem]) -> dict[str, list[tuple[Path, str]]]:
    """The `.md` files of each content folder, sorted. Anything else under content/ is an error,
    reported once per entry without descending into it; no symbolic link is ever followed."""
    found: dict[str, list[tuple[Path, str]]] = {folder: [] for folder in KINDS}
    shown_content = shown_path(content_dir, root)
    if content_dir.is_symlink():
        problems.append(error(shown_content, 1, f"{shown_content} is a symbolic link; links are never followed",
                              hint="make it a real folder"))
        return found
    for entry in _entries(content_dir):
        shown = f"{shown_content}/{entry.name}"
        if entry.name in KINDS and entry.is_dir(follow_symlinks=False):
            found[entry.name] = _folder_files(Path(entry.path), shown, problems)
        else:
            problems.append(_not_published(entry, shown))
    return found


def _folder_files(folder: Path, shown_folder: str, problems: list[Problem]) -> list[tuple[Path, str]]:
    files = []
    for entry in _entries(folder):
        shown = f"{shown_folder}/{entry.name}"
        if entry.name.endswith(".md") and entry.is_file(follow_symlinks=False):
            files.append((Path(entry.path), shown))
        else:  # an .md that cannot be read is never mistaken for a deleted review: it is an error
            problems.append(_not_published(entry, shown))
    return files


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda e: e.name)


def _not_published(entry: os.DirEntry, shown: str) -> Problem:
    if entry.is_symlink():
        return error(shown, 1, f"{shown} is a symbolic link; links are never followed",
                     hint="replace the link with the file itself")
    if entry.is_dir(follow_symlinks=False):
        what = "a folder named like a content file" if entry.name.endswith(".md") else "a folder"
        count = sum(1 for _ in _walk_files(Path(entry.path)))
        return error(shown, 1, f"{shown}/ is {what}; nothing in it is published ({count} file{'s' * (count != 1)})",
                     hint=PUBLISHED_HINT + ": move its files there, or remove it")
    if not entry.is_file(follow_symlinks=False):
        return error(shown, 1, f"{shown} is not a regular file", hint="remove it")
    return error(shown, 1, f"{shown} is not published", hint=PUBLISHED_HINT + "; remove it or move it there")


def _walk_files(folder: Path) -> Iterable[str]:
    for _, _, names in os.walk(folder):  # os.walk never follows links by default
        yield from names


def shown_path(path: Path, root: Path) -> str:
    """`path` relative to `root` for messages; links are not resolved (a linked folder keeps its name)."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return path.as_posix()


def link(records: dict[str, list], recorded_reviews: frozenset[str] = frozenset()) -> list[Problem]:
    """Problems that need the whole corpus: aliases, and references between items. A briefing may
    cite a review the ledger records though its file is gone (retired at the end of its window:
    its catalogue record stays, and the briefing lists it as retired); retention.py judges the
    deletion itself."""
    problems: list[Problem] = []
    aliases = {folder: _check_aliases(items, problems) for folder, items in records.items()}
    themes = {t.id for t in records["themes"]}
    reviews = {r.id for r in records["reviews"]} | recorded_reviews
    hints: dict[tuple[str, str], str] = {}  # one search of the ids per unknown reference, however often it is made
    for item in records["reviews"] + records["briefings"]:
        _check_refs(item, "themes", "theme", themes, aliases["themes"], problems, False, hints)
    for briefing in records["briefings"]:
        _check_refs(briefing, "reviews", "review", reviews, aliases["reviews"], problems, True, hints)
    return problems + _partnership_spellings(records["reviews"])


def _partnership_spellings(reviews: list) -> list[Problem]:
    """One partnership, one spelling: names that share a page (the same slug) but are written
    differently would give that page whichever name came last, so a look-alike could retitle
    another partnership's page. Reviews spelling it unlike most others are errors (on a tie, all)."""
    spellings: dict[str, Counter] = {}
    for review in reviews:
        if review.partnership:
            spellings.setdefault(slugify(review.partnership), Counter())[review.partnership] += 1
    problems = []
    for review in reviews:
        counts = spellings.get(slugify(review.partnership), Counter()) if review.partnership else Counter()
        if len(counts) < 2:
            continue
        (usual, most), (_, runner_up) = counts.most_common(2)
        if review.partnership == usual and most > runner_up:
            continue
        others = ", ".join(repr(name) for name in sorted(counts) if name != review.partnership)
        hint = f"write it '{usual}', as most reviews do" if most > runner_up else \
            "write it the same way in every review of this partnership"
        problems.append(error(review.path, review.line_of("partnership"), f"partnership '{review.partnership}' is "
                              f"written {others} in other reviews, which share its page "
                              f"(partnerships/{slugify(review.partnership)}/)", "partnership", hint))
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
                problems: list[Problem], alias_allowed: bool, hints: dict[tuple[str, str], str]) -> None:
    for ref in getattr(item, key):
        line = item.line_of(key, ref)
        if ref in ids:
            continue
        if ref in aliases:
            if not alias_allowed:  # a theme is named by its file: filing under a former id would lose the item
                problems.append(error(item.path, line, f"{key}: '{ref}' is a former id of {noun} '{aliases[ref]}'",
                                      key, f"write '{aliases[ref]}'"))
            continue
        if (key, ref) not in hints:
            hints[key, ref] = did_you_mean(ref, ids) or f"add content/{key}/{ref}.md or choose an existing {noun}"
        hint = hints[key, ref]
        problems.append(error(item.path, line, f"{key}: '{ref}' is not a {noun}", key, hint))
