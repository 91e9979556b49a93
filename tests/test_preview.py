"""The preview (`python -m generator serve`): content problems over the last good pages, in a
real browser, and a server that keeps answering while the content is wrong."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import TODAY, Project
from generator.host import problems_overlay
from test_browser import browser, page  # noqa: F401 - the fixtures

SITE_YML = "site_name: Preview test\ndocs_dir: content\ntheme:\n  name: material\nplugins:\n  - safeguarding\n"


def test_the_overlay_links_each_problem_to_its_file_and_escapes_everything(tmp_path: Path) -> None:
    overlay = problems_overlay(["content/reviews/x.md:7: error: themes: '<script>alert(1)</script>' is not a theme",
                                "the build failed: <b>odd</b>"], tmp_path)
    assert f'<a href="{(tmp_path / "content/reviews/x.md").as_uri()}">content/reviews/x.md:7</a>' in overlay
    assert "<script>" not in overlay and "&lt;script&gt;" in overlay and "&lt;b&gt;odd" in overlay
    assert "2 problems to fix" in overlay


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Project, str]]:
    project = Project(tmp_path / "project")
    project.write("mkdocs.yml", SITE_YML)
    project.published()
    address = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--today", TODAY, "--address", address],
                              cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://{address}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                get(f"{url}/reviews/kingsford-2026-child-a/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the preview did not start"
                time.sleep(0.3)
        yield project, url
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_content_error_shows_over_the_last_good_page_and_goes_when_fixed(page: Page, preview) -> None:  # noqa: F811
    project, url = preview
    review = project.content / "reviews" / "kingsford-2026-child-a.md"
    good = review.read_text(encoding="utf-8")
    page.goto(f"{url}/reviews/kingsford-2026-child-a/")
    title = page.locator("h1").first.inner_text()
    expect(page.locator("#sg-preview-problems")).to_have_count(0)

    review.write_text(good.replace("themes: [", "themes: [no-such-theme, "), encoding="utf-8")
    overlay = page.locator("#sg-preview-problems")  # the live reload brings it in, without a click
    expect(overlay).to_be_visible(timeout=60000)
    expect(overlay).to_contain_text("content/reviews/kingsford-2026-child-a.md:")
    expect(overlay).to_contain_text("'no-such-theme' is not a theme")
    assert overlay.locator("a").first.get_attribute("href") == review.resolve().as_uri()
    assert page.locator("h1").first.inner_text() == title  # the last good page, still there
    started = time.monotonic()
    assert "sg-preview-problems" in get(f"{url}/", timeout=10)  # a reload answers at once: it never hangs
    assert time.monotonic() - started < 5

    review.write_text(good, encoding="utf-8")
    expect(page.locator("#sg-preview-problems")).to_have_count(0, timeout=60000)
    expect(page.locator("h1").first).to_have_text(title)
