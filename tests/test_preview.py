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
from generator.problems import error
from test_browser import browser, page  # noqa: F401 - the fixtures

SITE_YML = "site_name: Preview test\ndocs_dir: content\ntheme:\n  name: material\nplugins:\n  - safeguarding\n"


def test_the_overlay_links_each_problem_to_its_file_and_escapes_everything(tmp_path: Path) -> None:
    overlay = problems_overlay([error("content/reviews/x.md", 7, "themes: '<script>alert(1)</script>' is not a theme"),
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


def test_preview_notices_add_pages_and_change_no_other(project: Project) -> None:
    from generator.commands import site_model
    from generator.corpus import load_corpus
    from generator.ledger import read_ledger
    from generator.pages import preview_notices, render_pages
    from generator.settings import settings_from_options

    project.published()
    project.review("kingsford-2027-child-z", published="2027-02-01", title='"Child Z: not yet"')
    settings = settings_from_options(project.root, project.content, {}, today=__import__("datetime").date(2026, 11, 23))
    model = site_model(settings, load_corpus(project.content, project.root).corpus, read_ledger(project.ledger, "retention.lock")[0])
    built = render_pages(model)
    notices = preview_notices(model, ["kingsford-2026-child-a"])
    previewed = render_pages(model, preview=notices)
    assert "reviews/kingsford-2027-child-z.md" not in built  # a build leaves an embargoed review out
    assert set(previewed) - set(built) == {"reviews/kingsford-2027-child-z.md"}
    assert "Embargoed until 1 February 2027: not on the public site until then." in \
        previewed["reviews/kingsford-2027-child-z.md"].before
    assert "ledger sync" in previewed["reviews/kingsford-2026-child-a.md"].before
    assert "ledger sync" not in built["reviews/kingsford-2026-child-a.md"].before
    assert {k: v for k, v in previewed.items() if k not in notices and not k.startswith("reviews/kingsford-202")} == \
        {k: v for k, v in built.items() if k not in notices and not k.startswith("reviews/kingsford-202")}


def test_the_preview_shows_an_embargoed_and_an_unsynced_review_with_a_notice(page: Page, preview) -> None:  # noqa: F811
    project, url = preview
    project.review("kingsford-2027-child-z", published="2027-02-01", title='"Child Z: not yet"')
    project.review("kingsford-2026-child-n", published="2026-06-01", title='"Child N: new today"')
    page.goto(f"{url}/reviews/kingsford-2026-child-a/")
    deadline = time.monotonic() + 60
    while True:  # the live reload rebuilds with both new files
        try:
            get(f"{url}/reviews/kingsford-2026-child-n/")
            get(f"{url}/reviews/kingsford-2027-child-z/")
            break
        except OSError:
            assert time.monotonic() < deadline, "the new reviews were never previewed"
            time.sleep(0.5)
    page.goto(f"{url}/reviews/kingsford-2027-child-z/")
    expect(page.locator(".sg-preview-notice")).to_have_text(
        "Preview only. Embargoed until 1 February 2027: not on the public site until then.")
    expect(page.locator("h1")).to_have_text("Child Z: not yet")
    page.goto(f"{url}/reviews/kingsford-2026-child-n/")
    expect(page.locator(".sg-preview-notice")).to_contain_text("not yet in retention.lock")
    expect(page.locator(".sg-preview-notice")).to_contain_text("python -m generator ledger sync")
    expect(page.locator("#sg-preview-problems")).to_have_count(0)  # not a problem in the preview
    page.goto(f"{url}/reviews/kingsford-2026-child-a/")
    expect(page.locator(".sg-preview-notice")).to_have_count(0)


def test_with_no_good_build_yet_the_overlay_says_so(tmp_path: Path) -> None:
    overlay = problems_overlay([error("content/reviews/x.md", 7, "bad")], tmp_path, over_a_page=False)
    assert "Nothing could be built yet" in overlay and "last good build" not in overlay
