"""The command line: exit codes, output formats, scaffolds, schema; and no traceback, ever."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import Project

ROOT = Path(__file__).resolve().parents[1]


def broken(project: Project) -> None:
    project.review(theme="[neglect]", regions="[londn]")


def test_validate_reports_every_problem_in_one_run(project: Project) -> None:
    broken(project)
    project.briefing(reviews="[no-such-review]")
    result = project.validate()
    assert result.exit_code == 1
    assert result.lines == [
        "content/briefings/information-sharing-briefing.md:6: error: reviews: 'no-such-review' is not a review "
        "(add content/reviews/no-such-review.md or choose an existing review)",
        "content/reviews/kingsford-2026-child-a.md:4: error: review published on 2026-03-05 is not in "
        "retention.lock (run `python -m generator ledger sync` and commit retention.lock)",
        "content/reviews/kingsford-2026-child-a.md:6: error: regions: 'londn' is not a known region "
        "(did you mean 'london'?)",
        "content/reviews/kingsford-2026-child-a.md:12: error: unknown key 'theme' for a review (did you mean 'themes'?)",
    ]
    assert result.stderr == "6 files checked: 4 errors, 0 warnings\n"


def test_json_format(project: Project) -> None:
    broken(project)
    result = project.validate("--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert {"path": "content/reviews/kingsford-2026-child-a.md", "line": 12, "severity": "error",
            "message": "unknown key 'theme' for a review", "key": "theme", "hint": "did you mean 'themes'?"} in problems
    assert len(problems) == 3


def test_github_format(project: Project) -> None:
    broken(project)
    result = project.validate("--format", "github")
    assert result.exit_code == 1
    assert ("::error file=content/reviews/kingsford-2026-child-a.md,line=12,title=theme::"
            "unknown key 'theme' for a review (did you mean 'themes'?)") in result.lines
    assert all(line.startswith("::error file=") for line in result.lines)


def test_warnings_pass_unless_strict(project: Project) -> None:
    project.review(reviewers=None)
    project.sync()
    assert project.validate().exit_code == 0
    result = project.validate("--strict")
    assert result.exit_code == 1 and result.lines[0].endswith("warning: 'reviewers' is missing (the reviewer(s); "
                                                              "statutory guidance says they should be named, "
                                                              "e.g. reviewers: [...])")


@pytest.mark.parametrize("args", [["validate", "--today", "2026-02-30"], ["validate", "--format", "xml"],
                                  ["retention", "--today", "tomorrow"], ["new", "review"], ["nonsense"],
                                  ["ledger", "sync", "--today", "2026-13-01"], ["schema", "widget"]])
def test_usage_errors_exit_2(project: Project, args: list[str]) -> None:
    result = project.run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.stderr and "Traceback" not in result.stderr


def test_base_ledger_must_exist(project: Project) -> None:
    assert project.validate("--base-ledger", "missing.lock").exit_code == 2


@pytest.mark.parametrize("kind, args, folder", [
    ("review", ["--title", "Child B: a review", "--partnership", "Kingsford SCP"], "reviews"),
    ("review", ["--title", "National review: online harm", "--type", "national", "--id", "national-online"], "reviews"),
    ("briefing", ["--title", "Seven-minute briefing: neglect"], "briefings"),
    ("theme", ["--title", "Private fostering", "--group", "topic"], "themes"),
])
def test_new_scaffold_validates_once_filled_in(project: Project, kind, args, folder) -> None:
    result = project.run("new", kind, *args)
    assert result.exit_code == 0, result.stderr
    path = project.root / result.stdout.strip()
    assert path.parent == project.content / folder
    scaffold = path.read_text()
    assert "# title: " in scaffold and "# summary: " in scaffold  # every field is explained
    unfilled = project.validate()
    assert unfilled.exit_code == 1  # not yet filled in
    shown = path.relative_to(project.root).as_posix()
    if kind != "briefing":  # its instructions would be published as its words
        assert any(line.startswith(f"{shown}:") and "error: the template's instructions are still in the body "
                   "(replace them with your own text)" in line for line in unfilled.lines), unfilled.stdout
    if kind != "theme":
        assert any(line.startswith(f"{shown}:") and "warning: section '" in line and "' is empty (write it, or "
                   "remove the heading)" in line for line in unfilled.lines), unfilled.stdout
    fills = {"published: YYYY-MM-DD": "published: 2026-03-05", "regions: []": "regions: [london]",
             "themes: []": "themes: [neglect]", "harm: []": "harm: [neglect]", 'summary: ""': 'summary: "Done."',
             'report_url: "https://"': 'report_url: "https://example.org/r.pdf"', "reviewers: []": 'reviewers: ["R"]'}
    for placeholder, value in fills.items():
        scaffold = scaffold.replace(placeholder, value, 1)
    front, _, _ = scaffold.rpartition("\n---\n")
    path.write_text(front + "\n---\n\n## Learning\n\nThe agencies shared what they knew early.\n")
    project.sync()
    result = project.validate()
    assert (result.exit_code, result.stdout) == (0, "")


def test_new_never_overwrites(project: Project) -> None:
    path = project.review()
    before = path.read_bytes()
    result = project.run("new", "review", "--title", "x", "--id", "kingsford-2026-child-a")
    assert result.exit_code == 2
    assert "content/reviews/kingsford-2026-child-a.md already exists" in result.stderr
    assert path.read_bytes() == before


def test_new_rejects_a_bad_id(project: Project) -> None:
    result = project.run("new", "theme", "--title", "x", "--id", "Bad_Id")
    assert result.exit_code == 2 and "'Bad_Id' is not a valid id" in result.stderr
    result = project.run("new", "review", "--title", "Child \x80 D", "--id", "child-d")
    assert result.exit_code == 2 and "--title must be 1-200 printable characters" in result.stderr
    assert not (project.content / "reviews" / "child-d.md").exists()


def test_schema_command_prints_json_schema(project: Project) -> None:
    result = project.run("schema", "review")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == {"title", "type", "published", "themes", "summary"}
    everything = json.loads(project.run("schema").stdout)
    assert sorted(everything["$defs"]) == ["briefing", "review", "theme"]


def test_missing_content_folder_is_not_a_crash(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    result = project.validate()
    assert (result.exit_code, result.stderr) == (0, "4 files checked: 0 errors, 0 warnings\n")


def test_unknown_plugin_option_is_a_configuration_error(project: Project) -> None:
    project.write("mkdocs.yml", "site_name: T\nplugins:\n  - safeguarding:\n      local_window: 2\n")
    result = project.validate()
    assert result.exit_code == 2
    assert "unknown option(s) for the safeguarding plugin: local_window" in result.stderr


def test_module_and_console_script_run(project: Project) -> None:
    """`python -m generator` from the repository root, as the README says."""
    result = subprocess.run([sys.executable, "-m", "generator", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stderr


def test_wrong_project_folder_is_a_usage_error(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from generator.cli import cli

    result = CliRunner().invoke(cli, ["--project", str(tmp_path / "nowhere"), "validate"])
    assert result.exit_code == 2
    assert "no content folder at" in result.stderr
