"""The build is atomic: a build that fails or is killed half-way leaves the previous site intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import host
from generator.staging import StagedSite, recover

from conftest import Project
from test_site import build_fixture_site


@pytest.fixture
def built(project: Project) -> Path:
    result = build_fixture_site(project)
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    (site / "PREVIOUS-BUILD").write_text("kept")
    return site


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".site."))


def test_a_build_failing_half_way_leaves_the_previous_site(built: Path, project: Project, monkeypatch) -> None:
    import mkdocs.commands.build as mkdocs_build

    index = (built / "index.html").read_bytes()
    real_build_page, pages = mkdocs_build._build_page, []

    def failing_build_page(page, *args, **kwargs):
        pages.append(page)
        if len(pages) == 5:
            raise RuntimeError("disk full, half-way through the pages")
        return real_build_page(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", failing_build_page)
    with pytest.raises(RuntimeError, match="half-way"):
        host.build_site(project.root)
    assert len(pages) == 5
    assert (built / "PREVIOUS-BUILD").read_text() == "kept" and (built / "index.html").read_bytes() == index
    assert leftovers(built) == []


def test_a_failing_check_leaves_the_previous_site(built: Path, project: Project) -> None:
    project.review("broken", body="<script>x</script>\n")
    with pytest.raises(host.BuildFailed):
        host.build_site(project.root)
    assert (built / "PREVIOUS-BUILD").read_text() == "kept" and leftovers(built) == []


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_cleans_up(built: Path, project: Project) -> None:
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build"], cwd=project.root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any((p / "reviews").is_dir() for p in built.parent.glob(".site.building-*")):
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert leftovers(built), "the build was killed before it wrote anything: nothing was tested"
    assert (built / "PREVIOUS-BUILD").read_text() == "kept"
    assert subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project.root,
                          capture_output=True).returncode == 0
    assert not (built / "PREVIOUS-BUILD").exists() and (built / "index.html").is_file()
    assert leftovers(built) == []


def test_killed_between_the_two_renames_the_previous_site_comes_back(tmp_path: Path) -> None:
    site = tmp_path / "site"
    aside = tmp_path / ".site.previous-x"
    (aside / "site").mkdir(parents=True)
    (aside / "site" / "index.html").write_text("previous")
    recover(site)
    assert (site / "index.html").read_text() == "previous" and not aside.exists()


def test_commit_swaps_in_the_new_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old")
    staged = StagedSite(site)
    (staged.path / "new.html").write_text("new")
    staged.commit()
    assert sorted(p.name for p in site.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
