"""The preview (`python -m generator serve`): content problems over the last good pages, in a
real browser, and a server that keeps answering while the content is wrong."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
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
    target = f"vscode://file{(tmp_path / 'content/reviews/x.md').resolve().as_posix()}:7"  # a browser opens no file://
    assert f'<a href="{target}" title="Open in VS Code at line 7">content/reviews/x.md:7</a>' in overlay
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
    assert re.fullmatch(f"vscode://file{re.escape(review.resolve().as_posix())}:[0-9]+",
                        overlay.locator("a").first.get_attribute("href"))
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
    project.review("kingsford-2027-child-z", published="2027-02-01", title='"Child Z: not yet"',
                   partnership='"Newtown Safeguarding Partnership"')  # its year and partnership have no page yet
    settings = settings_from_options(project.root, project.content, {}, today=__import__("datetime").date(2026, 11, 23))
    model = site_model(settings, load_corpus(project.content, project.root).corpus, read_ledger(project.ledger, "retention.lock")[0])
    built = render_pages(model)
    notices = preview_notices(model, ["kingsford-2026-child-a"])
    previewed = render_pages(model, preview=notices)
    assert "reviews/kingsford-2027-child-z.md" not in built  # a build leaves an embargoed review out
    assert set(previewed) - set(built) == {"reviews/kingsford-2027-child-z.md"}
    assert "Embargoed until 1 February 2027: not on the public site until then." in \
        previewed["reviews/kingsford-2027-child-z.md"].before
    embargoed = previewed["reviews/kingsford-2027-child-z.md"].before
    assert "years/2027/" not in embargoed and "partnerships/newtown" not in embargoed  # no link to a page not built
    assert "1 February 2027" in embargoed and "Newtown Safeguarding Partnership" in embargoed
    assert 'href="../../years/2026/"' in built["reviews/kingsford-2026-child-a.md"].before
    assert "ledger sync" in previewed["reviews/kingsford-2026-child-a.md"].before
    assert "ledger sync" not in built["reviews/kingsford-2026-child-a.md"].before
    assert {k: v for k, v in previewed.items() if k not in notices and not k.startswith("reviews/kingsford-202")} == \
        {k: v for k, v in built.items() if k not in notices and not k.startswith("reviews/kingsford-202")}


def test_the_preview_shows_an_embargoed_and_an_unsynced_review_with_a_notice(page: Page, preview) -> None:  # noqa: F811
    project, url = preview
    project.review("kingsford-2027-child-z", published="2027-02-01", title='"Child Z: not yet"',
                   partnership='"Newtown Safeguarding Partnership"')  # its year and partnership have no page yet
    project.review("kingsford-2026-child-n", published="2026-06-01", title='"Child N: new today"')
    page.goto(f"{url}/reviews/kingsford-2026-child-a/")
    deadline = time.monotonic() + 60
    while True:  # the live reload rebuilds with both new files (a rebuild started by the first may still run)
        try:
            if "not yet in retention.lock" in get(f"{url}/reviews/kingsford-2026-child-n/") and \
                    "Embargoed until" in get(f"{url}/reviews/kingsford-2027-child-z/"):
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "the new reviews were never previewed"
        time.sleep(0.5)
    page.goto(f"{url}/reviews/kingsford-2027-child-z/")
    expect(page.locator(".sg-preview-notice")).to_have_text(
        "Preview only. Embargoed until 1 February 2027: not on the public site until then. This review is not yet "
        "in retention.lock: run `python -m generator ledger sync` and commit retention.lock to publish it on that day.")
    expect(page.locator("#sg-preview-problems")).to_have_count(0)  # recorded by a sync, like any new review
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


LIVERELOAD = re.compile(rb"<script>\s*var livereload = function\(epoch, requestId\).*?</script>(?=</body>)", re.S)


def test_every_page_the_preview_draws_is_the_page_build_writes(tmp_path: Path) -> None:
    """After a change, the preview draws each page when asked; each must be, byte for byte, what
    `build` writes for the same content (every page kind: review, national, retired, withdrawn,
    briefing, redirect, theme, region, harm, year, partnership, indexes, feeds, data, 404)."""
    from generator.host import build_site
    from test_site import build_fixture_site

    project = Project(tmp_path / "project")
    assert build_fixture_site(project).returncode == 0
    settings = project.root / "mkdocs.yml"  # a nav entry without a title shows the page's own
    settings.write_text(settings.read_text(encoding="utf-8").replace("- Browse: browse.md", "- browse.md"),
                        encoding="utf-8")
    address = f"127.0.0.1:{free_port()}"
    url = f"http://{address}/"
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--address", address],
                              cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"{url}reviews/live-a/", "Agencies did not share", server)
        live_a = project.content / "reviews" / "live-a.md"
        live_a.write_text(live_a.read_text(encoding="utf-8") + "\nEDITED-IN-THE-PREVIEW\n", encoding="utf-8")
        project.review("live-b", published="2025-06", regions="[north-east]", themes="[neglect]",
                       harm="[neglect, physical-abuse]", title='"Child B: RETITLED in the preview"')
        wait_for(f"{url}themes/neglect/", "RETITLED in the preview", server)
        built = build_site(project.root, tmp_path / "built", site_url=url)
        compared = 0
        for file in sorted(p for p in built.rglob("*") if p.is_file()):
            relative = file.relative_to(built).as_posix()
            if relative.startswith("pagefind/") or relative == "sitemap.xml.gz":
                continue  # the search index is the one built at start; the gzip header names its folder
            with urllib.request.urlopen(url + relative, timeout=10) as response:
                served = LIVERELOAD.sub(b"", response.read())
            if relative == "sitemap.xml":  # the preview adds the pages of embargoed reviews, with notices
                served = re.sub(rb"<url>\s*<loc>[^<]*embargoed-d/</loc>.*?</url>\s*", b"", served, flags=re.S)
            assert served == file.read_bytes(), f"{relative} differs between the preview and build"
            compared += 1
        assert compared > 60
        assert b"EDITED-IN-THE-PREVIEW" in (built / "reviews" / "live-a" / "index.html").read_bytes()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(url + "no/such/page/", timeout=10)
        assert missing.value.code == 404 and b"<h1>Page not found</h1>" in missing.value.read()  # the site's own page
    finally:
        server.terminate()
        server.wait(timeout=20)


def wait_for(url: str, text: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if text in get(url):
                return
        except OSError:
            pass
        assert server.poll() is None and time.monotonic() < deadline, f"{url} never showed {text!r}"
        time.sleep(0.2)


def test_a_refresh_draws_nothing_until_a_page_is_asked_for(project: Project, tmp_path: Path) -> None:
    """The preview reads the changed file only, and redraws a page only when it is requested."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from generator.preview import LivePages

    project.write("mkdocs.yml", SITE_YML)
    path = project.published()
    project.review("kingsford-2026-child-b", title='"Child B: another"')
    assert project.sync().exit_code == 0
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url="http://127.0.0.1:1/")
    live = LivePages(config, config.plugins["safeguarding"])
    site = tmp_path / "site"
    child_b = site / "reviews" / "kingsford-2026-child-b" / "index.html"
    before = child_b.read_bytes()
    path.write_text(path.read_text(encoding="utf-8").replace("Text.", "Changed text."), encoding="utf-8")
    assert live.refresh() == []
    assert "reviews/kingsford-2026-child-a/index.html" in live.stale and "index.html" in live.stale
    assert "Changed text." not in (site / "reviews/kingsford-2026-child-a/index.html").read_text(encoding="utf-8")
    live.draw("reviews/kingsford-2026-child-a/index.html")
    assert "Changed text." in (site / "reviews/kingsford-2026-child-a/index.html").read_text(encoding="utf-8")
    assert "reviews/kingsford-2026-child-a/index.html" not in live.stale
    assert child_b.read_bytes() == before and "reviews/kingsford-2026-child-b/index.html" in live.stale

    path.write_text(path.read_text(encoding="utf-8").replace("themes: [", "themes: [no-such-theme, "), encoding="utf-8")
    problems = live.refresh()
    assert [p.path for p in problems] == ["content/reviews/kingsford-2026-child-a.md"]
    assert "Changed text." in (site / "reviews/kingsford-2026-child-a/index.html").read_text(encoding="utf-8")

    path.write_text(path.read_text(encoding="utf-8").replace("no-such-theme, ", ""), encoding="utf-8")
    new = project.review("kingsford-2026-child-c", title='"Child C: new"')  # not in the ledger yet
    assert live.refresh() == []
    live.draw("reviews/kingsford-2026-child-c/index.html")
    drawn = site / "reviews/kingsford-2026-child-c/index.html"
    assert "Child C: new" in drawn.read_text(encoding="utf-8") and "ledger sync" in drawn.read_text(encoding="utf-8")
    new.unlink()  # a page that is no longer made is removed at once, never served stale
    assert live.refresh() == [] and not drawn.exists()


def test_an_unchanged_file_is_not_read_again(project: Project, monkeypatch) -> None:
    from generator import corpus

    project.published()
    project.review("kingsford-2026-child-b", title='"Child B: another"')
    read = []
    real = corpus.read_document
    monkeypatch.setattr(corpus, "read_document", lambda file, *args: read.append(file.name) or real(file, *args))
    memo: dict = {}
    first = corpus.load_corpus(project.content, project.root, memo)
    assert len(read) == first.files_read == 6  # four themes, two reviews
    read.clear()
    again = corpus.load_corpus(project.content, project.root, memo)
    assert read == [] and again.corpus.reviews.keys() == first.corpus.reviews.keys() and again.problems == first.problems
    project.review("kingsford-2026-child-b", title='"Child B: retitled"')
    (project.content / "themes" / "neglect.md").unlink()
    changed = corpus.load_corpus(project.content, project.root, memo)
    assert read == ["kingsford-2026-child-b.md"]
    assert changed.corpus.reviews["kingsford-2026-child-b"].title == "Child B: retitled"
    assert "neglect" not in changed.corpus.themes and "content/themes/neglect.md" not in memo
    assert any("'neglect' is not a theme" in p.message for p in changed.problems)


def test_a_broken_mkdocs_yml_is_shown_and_the_preview_keeps_answering(preview) -> None:
    project, url = preview
    settings = project.root / "mkdocs.yml"
    good = settings.read_text(encoding="utf-8")
    settings.write_text(good + "theme: [unclosed\n", encoding="utf-8")
    deadline = time.monotonic() + 60
    while "sg-preview-problems" not in get(f"{url}/", timeout=10):
        assert time.monotonic() < deadline, "the broken mkdocs.yml was never reported"
        time.sleep(0.3)
    assert "mkdocs.yml" in get(f"{url}/reviews/kingsford-2026-child-a/", timeout=10)
    settings.write_text(good, encoding="utf-8")
    wait_gone = time.monotonic() + 90
    while "sg-preview-problems" in get(f"{url}/", timeout=10):
        assert time.monotonic() < wait_gone, "the problem stayed after mkdocs.yml was fixed"
        time.sleep(0.3)
