"""The web search index in parts (webindex.py): the split, the cache, and a real build in parts."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Project
from generator.webindex import (BUNDLE, INDEX_CHUNK_LOCATIONS, WebIndexer, _complete, bundle_folders, part_key,
                                split_documents)
from test_site import build_fixture_site

DOCUMENTS = {f"reviews/r{n:03}/index.html": f"<p>review {n} " + "word " * (n % 7 * 40) + "</p>" for n in range(120)}


def test_every_document_is_in_exactly_one_part_and_parts_respect_the_size() -> None:
    size = sum(len(t) for t in DOCUMENTS.values())
    parts = split_documents(DOCUMENTS, size // 4)
    assert 3 <= len(parts) <= 5 and all(parts)
    merged = {path: text for part in parts for path, text in part.items()}
    assert merged == DOCUMENTS and sum(len(p) for p in parts) == len(DOCUMENTS)
    assert split_documents(DOCUMENTS, size * 2) == [DOCUMENTS]  # small enough: one part, as before
    assert split_documents({}, 100) == []


def test_an_edit_changes_one_part_and_no_other() -> None:
    size = sum(len(t) for t in DOCUMENTS.values())
    before = split_documents(DOCUMENTS, size // 4)
    edited = dict(DOCUMENTS, **{"reviews/r007/index.html": "<p>review 7, edited</p>"})
    after = split_documents(edited, size // 4)
    assert len(after) == len(before)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if part_key(a, "1") != part_key(b, "1")]
    assert len(changed) == 1 and "reviews/r007/index.html" in after[changed[0]]


def test_part_key_depends_on_paths_text_and_pagefind_version() -> None:
    part = {"a/index.html": "x", "b/index.html": "y"}
    assert part_key(part, "1.5.2") == part_key(dict(reversed(part.items())), "1.5.2")
    assert part_key(part, "1.5.2") != part_key(part, "1.5.3")
    assert part_key(part, "1") != part_key({"a/index.html": "xb/index.html", "": "y"}, "1")  # no ambiguous joins
    assert part_key(part, "1") != part_key({"a/index.html": "x", "b/index.html": "z"}, "1")


def test_bundle_folders_put_the_first_part_where_pagefind_js_lives() -> None:
    assert bundle_folders(1) == [BUNDLE]
    assert bundle_folders(3) == ["pagefind/", "pagefind/part-2/", "pagefind/part-3/"]


def test_a_cached_part_with_a_missing_or_changed_file_is_not_complete(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "a.pf_index").write_bytes(b"12345")
    (tmp_path / "manifest.json").write_text(json.dumps({"index/a.pf_index": 5}))
    assert _complete(tmp_path)
    (tmp_path / "index" / "a.pf_index").write_bytes(b"123")
    assert not _complete(tmp_path)
    (tmp_path / "index" / "a.pf_index").unlink()
    assert not _complete(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    assert not _complete(tmp_path)


def test_pagefind_still_closes_index_chunks_at_the_size_we_set(tmp_path: Path) -> None:
    """Smaller chunks than Pagefind's default (20,000 word locations) make a search fetch less; the
    size is set through a variable Pagefind calls unstable, so a Pagefind that ignores it fails here."""
    words = [f"w{a}{b}" for a in "abcdefghij" for b in "klmnopqrst"]  # 100 distinct words
    locations = 3 * INDEX_CHUNK_LOCATIONS  # with the default size, all in one chunk
    text = " ".join(words * (locations // len(words) // 6))
    documents = {f"reviews/r{n}/index.html": f"<html><body><main><p>{text}</p></main></body></html>"
                 for n in range(6)}
    indexer = WebIndexer([documents], tmp_path / "site", tmp_path / "cache")
    indexer.finish()
    chunks = list((tmp_path / "site" / BUNDLE / "index").glob("*.pf_index"))
    assert 3 <= len(chunks) <= 4, len(chunks)


# --- a real build in parts ----------------------------------------------------------------------

PART_MB = 0.004  # a few KB: the fixture's nine search documents fall into several parts


def entries(site: Path) -> dict[str, dict]:
    return {folder: json.loads((site / folder / "pagefind-entry.json").read_text())
            for folder in bundle_folders(len(list((site / "pagefind").glob("part-*"))) + 1)}


def indexed_parts(result: subprocess.CompletedProcess) -> list[str]:
    return re.findall(r"search index: part (\d+) of \d+", result.stderr)


@pytest.fixture(scope="module")
def parted(tmp_path_factory) -> Project:
    project = Project(tmp_path_factory.mktemp("parted") / "project")
    result = build_fixture_site(project, search_part_mb=PART_MB)
    assert result.returncode == 0, result.stderr
    return project


def test_a_build_in_parts_indexes_every_page_once_and_the_search_page_merges_them(parted: Project) -> None:
    site = parted.root / "site"
    found = entries(site)
    assert len(found) >= 3
    assert sum(entry["languages"]["en"]["page_count"] for entry in found.values()) == 5 + 4  # as in one part
    assert (site / "pagefind" / "pagefind.js").is_file()
    for folder in list(found)[1:]:  # merged parts carry their index, not a second copy of the scripts
        assert not (site / folder / "pagefind.js").exists() and not (site / folder / "wasm.en.pagefind").exists()
        assert list((site / folder).glob("*.pf_meta")) and list((site / folder / "fragment").iterdir())
    search = (site / "search" / "index.html").read_text(encoding="utf-8")
    merge = re.search(r'data-merge="([^"]*)"', search).group(1).split()
    assert merge == [f"../{folder}" for folder in list(found)[1:]]


def test_an_unchanged_rebuild_reuses_every_part_and_an_edit_reindexes_one(parted: Project) -> None:
    before = entries(parted.root / "site")
    again = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=parted.root,
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert indexed_parts(again) == [] and entries(parted.root / "site") == before
    review = parted.content / "reviews" / "live-b.md"
    review.write_text(review.read_text().replace("## Learning", "## Learning\n\nA NEWWORD here."))
    edited = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=parted.root,
                            capture_output=True, text=True)
    assert edited.returncode == 0, edited.stderr
    assert len(indexed_parts(edited)) == 1
    cached = [p for p in (parted.root / ".cache" / "pagefind").iterdir() if not p.name.startswith(".")]
    assert len(cached) == len(before)  # the edited part's old bundle was dropped from the cache


def test_a_damaged_cached_part_is_indexed_again(parted: Project) -> None:
    cache = parted.root / ".cache" / "pagefind"
    victim = next(p for p in sorted(cache.iterdir()) if not p.name.startswith("."))
    next((victim / "index").iterdir()).unlink()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=parted.root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(indexed_parts(result)) == 1 and _complete(victim)


def test_a_cached_part_naming_a_file_outside_it_or_a_link_is_not_complete(tmp_path: Path) -> None:
    part = tmp_path / "part"
    (part / "index").mkdir(parents=True)
    (tmp_path / "secret").write_bytes(b"12345")
    (part / "manifest.json").write_text(json.dumps({"../secret": 5}))
    assert not _complete(part)
    (part / "manifest.json").write_text(json.dumps({str(tmp_path / "secret"): 5}))
    assert not _complete(part)
    (part / "index" / "a.pf_index").symlink_to(tmp_path / "secret")
    (part / "manifest.json").write_text(json.dumps({"index/a.pf_index": 5}))
    assert not _complete(part)
    (part / "index" / "a.pf_index").unlink()
    (part / "index").rmdir()
    (part / "index").symlink_to(tmp_path)
    (part / "manifest.json").write_text(json.dumps({"index/secret": 5}))
    assert not _complete(part)


@pytest.mark.parametrize("value", ["0", "-3"])
def test_a_part_size_that_is_not_positive_is_a_clear_configuration_error(project: Project, value: str) -> None:
    project.write("mkdocs.yml", f"site_name: T\ndocs_dir: content\nplugins:\n  - safeguarding:\n"
                                f"      search_part_mb: {value}\n")
    project.published()
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project.root, capture_output=True, text=True)
    assert result.returncode == 1
    assert "search_part_mb must be a positive number of megabytes" in result.stderr
    assert "Traceback" not in result.stderr and not (project.root / "site").exists()


def test_scratch_a_killed_build_left_goes_after_a_day_and_a_fresh_one_stays(parted: Project) -> None:
    import os
    import time

    cache = parted.root / ".cache" / "pagefind"
    left, fresh = cache / ".part-killed", cache / ".part-writing"
    for folder in (left, fresh):
        (folder / "bundle").mkdir(parents=True)
        (folder / "bundle" / "pagefind.js").write_text("half written")
    day_old = time.time() - 25 * 3600
    os.utime(left, (day_old, day_old))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=parted.root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not left.exists() and fresh.is_dir()  # another build may still be writing the fresh one
