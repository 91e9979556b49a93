"""`mkdocs build` through the plugin: the same problems as `validate`, and nothing built on error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import Project


def mkdocs_build(project: Project, options: str = "      today: 2026-11-23\n") -> subprocess.CompletedProcess:
    project.write("mkdocs.yml", "site_name: T\ndocs_dir: content\nplugins:\n  - safeguarding:\n" + options)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project.root,
                          capture_output=True, text=True)


def test_build_fails_with_path_line_errors_and_writes_nothing(project: Project) -> None:
    project.review(theme="[neglect]")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert "content/reviews/kingsford-2026-child-a.md:12: error: unknown key 'theme' for a review " \
           "(did you mean 'themes'?)" in result.stderr
    assert "review published on 2026-03-05 is not in retention.lock" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project.root / "site").exists()


def test_build_succeeds_on_valid_content(project: Project) -> None:
    project.review(reviewers=None)
    project.sync()
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "warning: 'reviewers' is missing" in result.stderr  # content warnings are shown, never fatal
    assert (project.root / "site" / "themes" / "neglect" / "index.html").exists()


def test_window_below_minimum_fails_the_build(project: Project) -> None:
    result = mkdocs_build(project, "      local_window_years: 0\n")
    assert result.returncode == 1
    assert "local_window_years is 0; statutory guidance requires a whole number of at least 1" in result.stderr


def test_only_the_adapters_import_mkdocs() -> None:
    """The content model, rules and pages stay plain Python: a move off MkDocs replaces three files."""
    import ast

    package = Path(__file__).resolve().parent.parent / "generator"
    importing = set()
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name == "mkdocs" or name.startswith("mkdocs.") for name in names):
                importing.add(module.stem)
    assert importing == {"plugin", "host", "preview"}
