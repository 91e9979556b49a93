"""What each command does, as plain functions of plain arguments that return results.

cli.py parses flags and prints; the plugin calls `check` too. Nothing here prints or exits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from . import bodies, kit, links, related, retention
from .corpus import LoadResult, file_stamp, load_corpus, shown_path
from .exports import scaffold
from .ledger import Ledger, LedgerEntry, read_ledger, write_ledger
from .model import Corpus
from .fieldtypes import ID_PATTERN, ID_RULE, slugify
from .problems import Problem, has_errors, sort_problems
from .schema import KIND_BY_NAME
from .settings import Settings


CACHE_FILE = ".cache/bodies.sqlite"  # git-ignored: judged bodies and key terms by content hash: a second run is quick


class CommandError(Exception):
    """A command that cannot do its job for a reason the user can fix (exit 1)."""


class UsageProblem(CommandError):
    """The arguments given cannot work (exit 2): a taken or invalid id, an unusable title."""


@dataclass
class CheckResult:
    """Everything `validate` found, and what it read to find it."""

    load: LoadResult
    ledger: Ledger | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def check(settings: Settings, base_ledger: Path | None = None, memo: dict | None = None) -> CheckResult:
    """Read and validate all content, then every retention rule; problems sorted, none skipped.
    `memo`: what was read before (the preview's), so only changed files are read again."""
    bodies.use_disk_cache(settings.root / CACHE_FILE)
    ledger, problems = _read_ledger(settings.ledger_path, settings.root, memo)
    load = load_corpus(settings.content_dir, settings.root, None if memo is None else memo.setdefault("content", {}),
                       recorded_reviews(ledger))
    bodies.save_disk_cache()
    problems += load.problems
    base = None
    if base_ledger is not None:
        base, found = _read_ledger(base_ledger, settings.root)
        problems += found
    if ledger is not None and (base_ledger is None or base is not None):
        problems += retention.check(load.corpus, ledger, settings.today, settings.windows, base)
        if not has_errors(problems):
            problems += retention.out_of_date(load.corpus, ledger, settings.today, settings.windows, base)
    return CheckResult(load, ledger, sort_problems(problems))


def problems_of(problems: list[Problem], files: tuple[Path, ...], root: Path) -> list[Problem]:
    """The problems of the named files only (paths as given, from the current folder)."""
    wanted = {shown_path(Path(file), root) for file in files}
    return [p for p in problems if p.path in wanted]


def _read_ledger(path: Path, root: Path, memo: dict | None = None) -> tuple[Ledger | None, list[Problem]]:
    if memo is None:
        return read_ledger(path, shown_path(path, root))
    stamp = (path, *file_stamp(path))
    if memo.get("ledger", (None,))[0] != stamp:
        memo["ledger"] = (stamp, read_ledger(path, shown_path(path, root)))
    ledger, problems = memo["ledger"][1]
    return ledger, list(problems)


@dataclass(frozen=True)
class SyncResult:
    written: bool
    changes: list[str]


def sync_ledger(settings: Settings) -> SyncResult:
    """Bring retention.lock up to date; refuses (CommandError) while any content has errors,
    because a file that cannot be read must never be mistaken for a deleted one."""
    result = check(settings)
    blocking = [p for p in result.problems if p.is_error and not fixed_by_sync(p)]
    if blocking or result.ledger is None:
        raise CommandError("retention.lock was not changed: fix these first\n"
                           + "".join(p.text() + "\n" for p in blocking))
    updated = retention.sync(result.load.corpus, result.ledger, settings.today, settings.windows)
    changes = describe_changes(result.ledger, updated)
    try:
        written = write_ledger(updated, settings.ledger_path)
    except OSError as exc:
        raise CommandError(f"cannot write {shown_path(settings.ledger_path, settings.root)}: {exc.strerror or exc}; "
                           "it was not changed") from None
    return SyncResult(written, changes)


def fixed_by_sync(problem: Problem) -> bool:
    return problem.hint == retention.SYNC_HINT


def describe_changes(before: Ledger, after: Ledger) -> list[str]:
    """One line per entry added, renamed, moved (an embargoed review's date), removed (one not yet
    published), or whose status or details changed, naming what changed; a change of partnership
    or type is spelled out, since it gives a review to another partnership or changes its window."""
    changes, successors = [], {}
    for key, entry in sorted(after.entries.items()):
        old = before.entries.get(key)
        renamed_from = [a for a in entry.aliases if a in before.entries and a not in after.entries]
        if old is None and renamed_from:
            old = before.entries[renamed_from[0]]
            successors[old.id] = key
            changes.append(f"renamed {old.id} -> {key}" + _details_changed(old, entry, {"id", "aliases"}))
        elif old is None:
            changes.append(f"added {key} ({entry.type}, available until {entry.available_until})")
        elif old.status != entry.status:
            changes.append(f"{entry.status} {key} on {entry.status_date}" + _details_changed(old, entry))
        elif old.published != entry.published:
            changes.append(f"moved {key} from {old.published} to {entry.published}" + _details_changed(old, entry))
        elif old != entry:
            changes.append(f"updated {key}" + _details_changed(old, entry))
    changes += [f"removed {key} (it was to be published on {old.published})"
                for key, old in sorted(before.entries.items()) if key not in after.entries and key not in successors]
    return changes


_SPELLED_OUT = ("partnership", "type")
_NOT_NAMED = {"status", "status_date", "published", "available_until", "reason", "line"}


def _details_changed(old: LedgerEntry, new: LedgerEntry, also_ignored: set[str] = frozenset()) -> str:
    """' (partnership changed from A to B; title, themes changed)', or '' when nothing else changed."""
    names = [f.name for f in fields(LedgerEntry) if f.name not in _NOT_NAMED | also_ignored
             and getattr(old, f.name) != getattr(new, f.name)]
    spelled = [f"{name} changed from {getattr(old, name) or 'none'} to {getattr(new, name) or 'none'}"
               for name in _SPELLED_OUT if name in names]
    others = [name for name in names if name not in _SPELLED_OUT]
    parts = spelled + ([f"{', '.join(others)} changed"] if others else [])
    return f" ({'; '.join(parts)})" if parts else ""


def retention_rows(settings: Settings) -> list[retention.RetentionRow]:
    """The retention report; content errors do not stop it, a damaged ledger does."""
    load, ledger = _corpus_and_ledger(settings)
    return retention.report(load.corpus, ledger, settings.today, settings.windows)


def _corpus_and_ledger(settings: Settings) -> tuple[LoadResult, Ledger]:
    """The content (bodies judged through the disk cache) and the ledger, for the commands that
    go on despite content errors; a ledger that cannot be read stops them (CommandError)."""
    ledger, problems = _read_ledger(settings.ledger_path, settings.root)
    if ledger is None:
        raise CommandError("".join(p.text() + "\n" for p in problems))
    bodies.use_disk_cache(settings.root / CACHE_FILE)
    load = load_corpus(settings.content_dir, settings.root, recorded_reviews=recorded_reviews(ledger))
    bodies.save_disk_cache()
    return load, ledger


def recorded_reviews(ledger: Ledger | None) -> frozenset[str]:
    """Every id and former id the ledger records: a briefing may cite one whose file is gone."""
    if ledger is None:
        return frozenset()
    return frozenset(key for entry in ledger.entries.values() for key in (entry.id, *entry.aliases))


def link_problems(settings: Settings, progress=None, fetcher=links.fetch) -> tuple[int, list[Problem]]:
    """Fetch every live review's report link: (links checked, problems). Content errors do not
    stop it (the links that can be read are checked); a damaged ledger does."""
    load, ledger = _corpus_and_ledger(settings)
    targets = links.link_targets(load.corpus, ledger, settings.today, settings.windows)
    try:
        found = links.check_links(targets, settings.today, fetcher, progress)
    except links.Offline as exc:
        raise CommandError(str(exc)) from None
    return len(targets), sort_problems(found)


def site_model(settings: Settings, corpus: Corpus, ledger: Ledger, with_related: bool = True):
    """What the site shows today; `with_related=False` leaves related learning to `add_related`."""
    from .sitemodel import site_model_without_related

    model = site_model_without_related(corpus, ledger, settings.today, settings.windows)
    return add_related(settings, model) if with_related else model


def add_related(settings: Settings, model):
    """The model with related learning, its key terms kept in the disk cache."""
    from .sitemodel import with_related

    related.use_disk_cache(settings.root / CACHE_FILE)
    model = with_related(model)
    related.save_disk_cache()
    return model


def prepare_qr_codes(settings: Settings, addresses: Iterable[str]) -> None:
    """Make (or find in the disk cache) the QR code of every address a page will print."""
    kit.use_disk_cache(settings.root / CACHE_FILE)
    for address in addresses:
        kit.qr_svg(address)
    kit.save_disk_cache()


SEARCH_CACHE = ".cache/search"  # git-ignored: the Whoosh index, updated by content fingerprint


def search_index(settings: Settings, announce=None):
    """The Whoosh index of today's live items, brought up to date (only what changed is written)."""
    from .searchdocs import search_items
    from .searchindex import SearchIndex

    load, ledger = _corpus_and_ledger(settings)
    failed = {p.path for p in load.problems if p.is_error}
    corpus = load.corpus
    if failed:  # a file with errors is not searchable until it is fixed; the rest still is
        corpus = Corpus.of({folder: [r for r in getattr(corpus, folder).values() if r.path not in failed]
                            for folder in ("reviews", "briefings", "themes")})
        if announce:
            announce(f"note: {len(failed)} file{'s' * (len(failed) != 1)} with errors left out of search "
                     "(`python -m generator validate` says why)")
    model = site_model(settings, corpus, ledger)
    index = SearchIndex(settings.root / SEARCH_CACHE)
    index.refresh(search_items(model), announce)
    return index


def suggest_themes(settings: Settings, file: Path) -> tuple[list[tuple[str, float]], tuple[str, ...]]:
    """Theme ids for the review in `file`, with scores, and the themes it already lists."""
    from .frontmatter import read_document

    doc, problems = read_document(file, shown_path(file, settings.root), "reviews")
    if doc is None:
        raise CommandError("".join(p.text() + "\n" for p in problems))
    texts = {key: getattr(doc.meta.get(key).value, "text", "") if doc.meta.get(key) else "" for key in ("title", "summary")}
    listed = doc.meta.get("themes")
    current = tuple(getattr(i, "text", "") for i in getattr(listed.value, "items", ())) if listed else ()
    index = search_index(settings)
    return index.suggest_themes(texts["title"], texts["summary"], doc.body), current


def new_item(settings: Settings, kind_name: str, title: str, item_id: str | None = None,
             extra: dict[str, str] | None = None) -> Path:
    """Write a commented scaffold for a new item; never overwrites a file."""
    kind = KIND_BY_NAME[kind_name]
    for label, text in (("title", title), *(extra or {}).items()):
        if text and not (text.isprintable() and 0 < len(text.strip()) <= 200):
            raise UsageProblem(f"--{label} must be 1-200 printable characters")
    item_id = item_id or slugify(title)
    if not ID_PATTERN.match(item_id):
        raise UsageProblem(f"'{item_id}' is not a valid id ({ID_RULE}); choose one with --id")
    path = settings.content_dir / kind.folder / f"{item_id}.md"
    values = {"title": json.dumps(title, ensure_ascii=False)}
    values.update({k: (json.dumps(v, ensure_ascii=False) if k == "partnership" else v)
                   for k, v in (extra or {}).items() if v})
    text = scaffold(kind, values)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # 'x': never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        raise UsageProblem(f"{shown_path(path, settings.root)} already exists; choose another --id") from None
    return path
