"""The editors' schema is never stricter than `validate`: an editor must never underline a file
that the check accepts. Every field of every kind is edited to each value of a broad pool (valid
and invalid, in the YAML forms people write), one edit per file; the whole corpus is validated
once, and the schema must accept every file that `validate` passed."""

from __future__ import annotations

from pathlib import Path

import jsonschema

from conftest import BRIEFING_FIELDS, REVIEW_FIELDS, THEMES, Project, front_matter
from test_exports import plain

from generator.corpus import load_corpus
from generator.exports import json_schema, theme_choices
from generator.frontmatter import read_document
from generator.schema import KINDS

VALUES = [
    None,  # the key left out
    '""', '"Text with: a colon"', "plain text", "'single quoted'", "|\n  A block\n  of text", "7", '"7"', "0", "-3",
    "7.5", "1e3", ".inf", "true", "yes", "no", "null", "~", "2026-03-05", '"2026-03-05"', "2026-03", '"2026-03"', "2026", "2026-02-30",
    "2025-12-31", "2026-11-20", "2026-11-23", "'05/03/2026'", "local", "national", "full", "improvements-only",
    "practice", "topic", "seven-minute", "[]", "[london]", "[london, london]", "[London]", "\n  - london",
    "[north-west, london]", "[neglect]", "[neglect, information-sharing]", "[information-sharing]", "[neglekt]",
    "[child-death-neglect]", "[kingsford-2026-child-a]", "[old-id]", '["A. Reviewer"]', '["A. Reviewer", ""]',
    "[0-2, 3-5]", "[under-1]", '["https://example.org/a.pdf"]', '"https://example.org/r.pdf"',
    "https://example.org/r.pdf", '"http://example.org/r"', '"ftp://example.org/r"', '"javascript:alert(1)"',
    '["a passage from the body"]', "{a: 1}", '"Kingsford Safeguarding Children Partnership"',
    '"A court order"', '"x"', "60", "1", "[professional curiosity]", '["professional curiosity", "curiosity"]',
]

BASELINES = {
    "reviews": [REVIEW_FIELDS, {**{k: v for k, v in REVIEW_FIELDS.items() if k not in ("partnership", "regions")},
                                "type": "national"}],
    "briefings": [BRIEFING_FIELDS],
    "themes": [{"title": '"Professional curiosity"', "group": "practice", "summary": '"Asking and checking."'}],
}


def edited_files(project: Project) -> list[Path]:
    files = []
    for folder, baselines in BASELINES.items():
        kind = KINDS[folder]
        for b, baseline in enumerate(baselines):
            for key in kind.keys:
                for v, value in enumerate(VALUES):
                    fields = {**baseline, key: value}
                    files.append(project.write(f"content/{folder}/edit-{b}-{key.replace('_', '-')}-{v}.md",
                                               front_matter(fields)))
    return files


def test_schema_accepts_every_file_validate_accepts(project: Project) -> None:
    project.review()  # the review the briefings cite
    files = edited_files(project)
    load = load_corpus(project.content, project.root)
    failed = {p.path for p in load.problems if p.is_error}
    themes = theme_choices(project.content)
    assert set(THEMES) <= set(themes)
    accepted = 0
    for file in files:
        shown = str(file.relative_to(project.root))
        if shown in failed:
            continue
        folder = file.parent.name
        doc, _ = read_document(file, shown, folder)
        errors = sorted(jsonschema.Draft202012Validator(json_schema(KINDS[folder], themes)).iter_errors(
            plain(doc.meta)), key=str)
        assert not errors, f"{shown} passes validate but the schema says: {errors[0].message}\n{file.read_text()}"
        accepted += 1
    assert accepted > 250 and len(failed) > 500  # both sides of the line are exercised
