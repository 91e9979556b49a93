"""Editor support works as shipped: scaffolds point at the committed schema, VS Code maps each
schema to its folder and turns validate's lines into problems on their lines, and the pre-commit
hook runs validate on the content a commit changes."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import Project

ROOT = Path(__file__).resolve().parents[1]


def test_new_scaffolds_start_with_a_modeline_to_the_committed_schema(project: Project) -> None:
    for kind, folder in (("review", "reviews"), ("briefing", "briefings"), ("theme", "themes")):
        path = project.root / project.run("new", kind, "--title", f"A new {kind}").stdout.strip()
        first, modeline = path.read_text().splitlines()[:2]
        assert (first, modeline) == ("---", f"# yaml-language-server: $schema=../../schemas/{kind}.json")
        target = (ROOT / "content" / folder / modeline.split("=", 1)[1]).resolve()
        assert json.loads(target.read_text())["$id"].endswith(f"/{kind}.json")


def test_schema_write_creates_the_files_the_modelines_name(project: Project) -> None:
    result = project.run("schema", "--write")
    assert result.exit_code == 0
    assert result.lines == ["wrote schemas/review.json", "wrote schemas/briefing.json", "wrote schemas/theme.json",
                            "wrote docs/front-matter.md"]
    assert project.run("schema", "--write").stdout == ""  # nothing changed: nothing written
    assert json.loads((project.root / "schemas/review.json").read_text()) == json.loads(project.run("schema", "review").stdout)


def test_vscode_maps_each_schema_to_its_folder() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    mapping = settings["yaml.schemas"]
    assert mapping == {"./schemas/review.json": "content/reviews/*.md", "./schemas/briefing.json":
                       "content/briefings/*.md", "./schemas/theme.json": "content/themes/*.md"}
    for schema, pattern in mapping.items():
        assert (ROOT / schema).is_file() and list(ROOT.glob(pattern))


def test_vscode_task_turns_validate_lines_into_problems(project: Project) -> None:
    tasks = {t["label"]: t for t in json.loads((ROOT / ".vscode" / "tasks.json").read_text())["tasks"]}
    task = tasks["Check this file"]
    assert task["args"] == ["-m", "generator", "validate", "${relativeFile}"]
    pattern = task["problemMatcher"]["pattern"]
    matcher = re.compile(pattern["regexp"])
    path = project.review(reviewers=None, themes="[informaton-sharing]", published="2027-01-04")
    output = project.validate(str(path)).lines
    assert len(output) == 4  # the theme and the unrecorded embargo (errors), reviewers (warning), the embargo (info)
    for line in output:
        found = matcher.match(line)
        assert found, line
        assert found[pattern["file"]] == "content/reviews/kingsford-2026-child-a.md"
        assert int(found[pattern["line"]]) > 0 and found[pattern["severity"]] in ("error", "warning", "info")
    assert {matcher.match(line)[pattern["severity"]] for line in output} == {"error", "warning", "info"}


def test_pre_commit_hook_runs_validate_on_changed_content(project: Project) -> None:
    hook, = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("content/reviews/a.md", "content/reviews/notes.html", "retention.lock"))
    assert not any(files.search(p) for p in ("generator/cli.py", "mkdocs.yml", "docs/content/a.md"))
    assert hook["language"] == "system" and hook["pass_filenames"] is True
    command = shlex.split(hook["entry"])
    assert command[:4] == [".venv/bin/python", "-m", "generator", "validate"]
    run = lambda *names: subprocess.run([sys.executable, *command[1:], *names], cwd=project.root,  # noqa: E731
                                        capture_output=True, text=True)
    good = project.published()
    assert run(str(good.relative_to(project.root)), "retention.lock").returncode == 0
    project.write("content/reviews/notes.html", "<p>not published</p>")
    bad = run("content/reviews/notes.html")
    assert bad.returncode == 1 and bad.stdout.startswith("content/reviews/notes.html:1: error:")


def _yaml_example(markdown: str) -> str:
    block = re.search(r"```yaml\n(.*?)```", markdown, re.S)[1]
    return "\n".join(line[3:] if line.startswith("   ") else line for line in block.splitlines()) + "\n"


@pytest.mark.parametrize("guide", ["CONTRIBUTING.md", "docs/publishing.md"])
def test_the_guides_example_review_passes_the_check_as_written(project: Project, guide: str) -> None:
    """What a partnership pastes from the guide validates with no error (the ledger aside)."""
    example = _yaml_example((ROOT / guide).read_text(encoding="utf-8")).replace("...\n", "Text.\n")
    project.write("content/reviews/kingsford-2026-child-d.md", example)
    first = project.validate().lines
    assert [line.split(": ", 2)[1] for line in first] == ["error"] and "not in retention.lock" in first[0]
    assert project.sync().exit_code == 0
    result = project.validate()
    assert (result.exit_code, [line for line in result.lines if ": error: " in line]) == (0, [])
