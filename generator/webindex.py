"""The web search index (Pagefind), built in parts of bounded size and cached by content hash.

Pagefind holds every page it indexes in memory until it writes the bundle: about 50 times the
size of the documents it reads (measured: 2.0 GB for the 41 MB of search documents of 2,000
synthetic reviews, 0.97 GB for half of them). So the documents are split by a stable hash of
their path into parts of at most `PART_BYTES`, indexed one after another, and the search page
merges the parts in the browser (pagefind.js `mergeIndex`, which sums filter counts and ranks
all results together). Each part's bundle is kept in the project's cache folder under the hash
of its documents and Pagefind's version: an edit re-indexes one part, and an unchanged site none.

The split is a pure function (`split_documents`); `WebIndexer` runs Pagefind on a background
thread, so indexing overlaps the rendering of the pages. Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path
from typing import Callable

PART_BYTES = 12 * 2**20  # of search documents: about 600 MB of Pagefind's memory per part
BUNDLE = "pagefind/"  # the primary part: pagefind.js, its WebAssembly and the first part's index
MERGED_FILES = ("pagefind-entry.json",)  # with *.pf_meta and the index, fragment and filter folders
MERGED_FOLDERS = ("index", "fragment", "filter")
MANIFEST = "manifest.json"  # written last: a cached part without it (or with a file missing) is rebuilt
SCRATCH = ".part-"  # a part being written; one a killed build left behind goes after a day (none takes that long)
SCRATCH_KEPT_SECONDS = 24 * 3600
# Pagefind closes an index chunk once it holds this many word locations (its default: 20,000). A
# search fetches, from every part, the whole metadata and the chunk that holds each query word:
# smaller chunks make the chunk cheaper and the metadata (which lists them) dearer. Measured at
# 5,000 reviews (9 parts), averaged over 30 query words: 267 KB fetched at 20,000, 164 at 8,000,
# 148 at 5,000, 155 at 3,000. Pagefind reads it from an environment variable it calls unstable:
# tests/test_webindex.py checks that it still does.
INDEX_CHUNK_LOCATIONS = 5000
CHUNK_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"


class IndexFailed(Exception):
    """Pagefind stopped with an error; the message holds its output."""


def split_documents(documents: dict[str, str], part_bytes: int = PART_BYTES) -> list[dict[str, str]]:
    """The documents in parts of about `part_bytes` each (never empty). A document's part depends
    only on its path and the number of parts, so an edit changes one part and leaves the rest cached."""
    total = sum(len(text.encode("utf-8")) for text in documents.values())
    count = max(1, -(-total // max(1, part_bytes)))
    parts: list[dict[str, str]] = [{} for _ in range(count)]
    for path in sorted(documents):
        parts[_bucket(path, count)][path] = documents[path]
    return [part for part in parts if part]


def _bucket(path: str, count: int) -> int:
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest(), "big") % count


def bundle_folders(parts: int) -> list[str]:
    """Where each part is published, relative to the site root: the first is the primary bundle."""
    return [BUNDLE] + [f"{BUNDLE}part-{number}/" for number in range(2, parts + 1)]


def part_key(documents: dict[str, str], version: str) -> str:
    """The cache key of one part: its documents (paths and text) and the Pagefind that indexes them."""
    digest = hashlib.sha256(f"pagefind {version}\n".encode())
    for path in sorted(documents):
        digest.update(f"{len(path)}:{path}{len(documents[path])}:".encode())
        digest.update(documents[path].encode("utf-8"))
    return digest.hexdigest()[:32]


def pagefind_version() -> str:
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return metadata.version("pagefind")


class WebIndexer:
    """Indexes the parts on a background thread (Pagefind at low priority, so MkDocs' own thread
    keeps a core), reusing cached parts; `finish` waits, then copies every part into the site."""

    def __init__(self, parts: list[dict[str, str]], site_dir: Path, cache_dir: Path,
                 report: Callable[[str], None] = lambda message: None):
        self.parts, self.site_dir, self.cache_dir, self.report = parts, site_dir, cache_dir, report
        version = f"{pagefind_version()}, chunks of {INDEX_CHUNK_LOCATIONS}"
        self.keys = [part_key(part, version) for part in parts]
        self.reused = 0
        self.error: str | None = None
        self.process: subprocess.Popen | None = None
        self.cancelled = threading.Event()
        self.thread = threading.Thread(target=self._index_all, name="pagefind", daemon=True)
        self.thread.start()

    def _index_all(self) -> None:
        try:
            for number, (part, key) in enumerate(zip(self.parts, self.keys), start=1):
                if self.cancelled.is_set():
                    return
                if _complete(self.cache_dir / key):
                    self.reused += 1
                    continue
                self.report(f"search index: part {number} of {len(self.parts)} ({len(part)} pages)")
                self._index(part, self.cache_dir / key)
        except (OSError, IndexFailed) as exc:
            self.error = str(exc)

    def _index(self, documents: dict[str, str], target: Path) -> None:
        """Pagefind over `documents`, written to a temporary folder and renamed to `target` once whole."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="safeguarding-search-") as source, \
                tempfile.TemporaryDirectory(prefix=SCRATCH, dir=self.cache_dir) as scratch:
            for path, text in documents.items():
                file = Path(source) / path
                file.parent.mkdir(parents=True, exist_ok=True)
                file.write_text(text, encoding="utf-8")
            if self.cancelled.is_set():
                return
            output = Path(scratch) / "bundle"
            command = [sys.executable, "-m", "pagefind", "--site", source, "--output-path", str(output), "--silent"]
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                            env={**os.environ, CHUNK_VARIABLE: str(INDEX_CHUNK_LOCATIONS)},
                                            preexec_fn=_lower_priority if os.name == "posix" else None)
            if self.cancelled.is_set():  # cancelled while starting: `cancel` may have missed this process
                self.process.kill()
            log, _ = self.process.communicate()
            if self.cancelled.is_set():
                return
            if self.process.returncode != 0:
                raise IndexFailed(log)
            files = {str(f.relative_to(output)): f.stat().st_size for f in output.rglob("*") if f.is_file()}
            (output / MANIFEST).write_text(json.dumps(files, sort_keys=True), encoding="utf-8")
            shutil.rmtree(target, ignore_errors=True)
            output.rename(target)

    def finish(self) -> None:
        """Wait for the index, then publish every part and forget cached parts this site no longer has."""
        self.thread.join()
        if self.error is not None:
            raise IndexFailed(self.error)
        for folder, key in zip(bundle_folders(len(self.parts)), self.keys):
            _publish(self.cache_dir / key, self.site_dir / folder, primary=folder == BUNDLE)
        now = time.time()
        for stale in self.cache_dir.iterdir():
            if stale.name.startswith(SCRATCH):  # another build may be writing it: only a day-old one goes
                if now - stale.lstat().st_mtime > SCRATCH_KEPT_SECONDS:
                    shutil.rmtree(stale, ignore_errors=True)
            elif stale.name not in self.keys:
                shutil.rmtree(stale, ignore_errors=True)

    def cancel(self) -> None:
        self.cancelled.set()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        self.thread.join()


def _complete(folder: Path) -> bool:
    """Whether a cached part holds every file its manifest names, at the size it was written, each
    a plain file inside the part (no symbolic link, no name that climbs out of it)."""
    try:
        if folder.is_symlink():
            return False
        files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return bool(files) and all(_plain_file(folder, name, size) for name, size in files.items())
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def _plain_file(folder: Path, name: str, size: int) -> bool:
    parts = Path(name).parts
    if Path(name).is_absolute() or not parts or ".." in parts:
        return False
    path = folder.joinpath(*parts)
    return not any(folder.joinpath(*parts[:i]).is_symlink() for i in range(1, len(parts) + 1)) \
        and path.is_file() and path.stat().st_size == size


def _publish(cached: Path, target: Path, primary: bool) -> None:
    """Copy a cached part into the site: all of it for the primary bundle; for a merged part only
    what `mergeIndex` reads (its entry, metadata and index chunks), not a second copy of the scripts."""
    files = json.loads((cached / MANIFEST).read_text(encoding="utf-8"))
    for name in files:
        top = name.split("/", 1)[0]
        if primary or top in MERGED_FILES or top in MERGED_FOLDERS or top.endswith(".pf_meta"):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached / name, target / name)


def _lower_priority() -> None:
    """Pagefind yields the CPU to MkDocs' single thread and takes what is left: on two cores
    the two then overlap instead of slowing each other down (measured in bench/build.py)."""
    os.nice(10)
