"""Every rule has a failing example: tests/cases/invalid/<kind>-<id>.md beside <kind>-<id>.expected.

Each case is copied into a clean scratch project as content/<kind>s/<id>.md, the ledger is
brought up to date for the valid parts (so only the case's own problems show) unless the case
brings its own `<name>.lock` (and `<name>.base.lock` for --base-ledger), and the exact
`validate` output lines must equal the .expected file. Set UPDATE_CASES=1 to rewrite the
.expected files, then read every diff before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.corpus import load_corpus
from generator.ledger import read_ledger, write_ledger
from generator.retention import Windows, sync

from conftest import Project, day, TODAY

CASES = Path(__file__).parent / "cases" / "invalid"
KIND_FOLDERS = {"review": "reviews", "briefing": "briefings", "theme": "themes"}


def _cases() -> list[Path]:
    return sorted(CASES.glob("*.md"))


def place_case(project: Project, case: Path) -> None:
    kind, _, item_id = case.stem.partition("-")
    shutil.copyfile(case, project.content / KIND_FOLDERS[kind] / f"{item_id}.md")


def record_published(project: Project) -> None:
    """Ledger entries for whatever parsed, as `ledger sync` would write once errors are fixed."""
    load = load_corpus(project.content, project.root)
    ledger, _ = read_ledger(project.ledger, "retention.lock")
    write_ledger(sync(load.corpus, ledger, day(TODAY), Windows()), project.ledger)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
def test_invalid_case(project: Project, case: Path) -> None:
    project.review()  # a valid review the cases may refer to
    place_case(project, case)
    ledger, base = case.with_suffix(".lock"), case.with_suffix(".base.lock")
    if ledger.exists():  # the case brings its own ledger (retention rules)
        shutil.copyfile(ledger, project.ledger)
    else:
        record_published(project)
    if base.exists():
        shutil.copyfile(base, project.root / "base.lock")
    result = project.validate(*(["--base-ledger", str(project.root / "base.lock")] if base.exists() else []))
    expected_file = case.with_suffix(".expected")
    if os.environ.get("UPDATE_CASES"):
        expected_file.write_text(result.stdout, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert result.lines == expected
    has_error = any(": error: " in line for line in expected)
    assert result.exit_code == (1 if has_error else 0)
    assert "Traceback" not in result.stdout + result.stderr


def test_every_case_has_expected_output() -> None:
    missing = [c.name for c in _cases() if not c.with_suffix(".expected").exists()]
    orphans = [e.name for e in CASES.glob("*.expected") if not e.with_suffix(".md").exists()]
    orphans += [f.name for f in CASES.glob("*.lock") if not CASES.joinpath(f.name.split(".")[0] + ".md").exists()]
    assert missing == [] and orphans == []


def test_base_project_is_clean(project: Project) -> None:
    """Guards the cases: their expected lines are the case's problems and nothing else."""
    project.review()
    record_published(project)
    result = project.validate()
    assert (result.exit_code, result.stdout) == (0, "")
