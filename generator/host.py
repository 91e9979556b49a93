"""Runs MkDocs for the `build` and `serve` commands; with plugin.py and preview.py, the only code
importing MkDocs.

Flags the plugin cannot read from mkdocs.yml (`--today`) reach it through `plugin.overrides`,
so the precedence stays: statutory minimum, then mkdocs.yml, then command-line flags.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import html
import logging
import os
import posixpath
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

from mkdocs.commands.build import build
from mkdocs.livereload import LiveReloadServer
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from . import plugin
from .corpus import file_stamp
from .preview import LivePages
from .problems import Problem

CONFIG_FILE = "mkdocs.yml"


class BuildFailed(Exception):
    """MkDocs stopped; what went wrong has already been logged."""


def _logging() -> None:
    """MkDocs' own messages, as `mkdocs build` shows them (its CLI sets this up, the API does not)."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_generator", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._generator = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def build_site(root: Path, site_dir: Path | None = None, today: dt.date | None = None,
               site_url: str | None = None) -> Path:
    """Validate, then build the site with MkDocs in strict mode; returns the site folder."""
    _logging()
    plugin.overrides.update(today=today)
    try:
        options = {"site_dir": str(site_dir.resolve())} if site_dir else {}
        if site_url:
            options["site_url"] = site_url
        config = load_config(str(root / CONFIG_FILE), strict=True, **options)
        config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does: an atomic build
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        raise BuildFailed(str(exc)) from None
    finally:
        plugin.overrides.clear()
    return Path(config.site_dir)


def serve_site(root: Path, today: dt.date | None = None, address: str = "127.0.0.1:8000") -> None:
    """Live-reloading preview. The first build writes the whole site; after a change to content/
    or retention.lock, only the changed files are read again and each page is drawn when it is
    asked for (preview.py); a change to mkdocs.yml or overrides/ rebuilds everything. A content
    problem never stops it: the last good pages stay served, with the problems over them
    (PreviewServer), and a reload never waits on a build that failed."""
    _logging()
    plugin.overrides.update(today=today)
    site_dir = tempfile.mkdtemp(prefix="safeguarding-preview-")
    try:
        config = load_config(str(root / CONFIG_FILE), site_dir=site_dir, dev_addr=address)
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        server = PreviewServer(builder=lambda: None, host=host, port=port, root=site_dir, mount_path=mount_path,
                               polling_interval=WATCH_SECONDS)
        server.build_delay = QUIET_SECONDS
        server.project, server.error_handler, serve_url = root.resolve(), server.error_page, server.url
        settings_seen = settings_stamp(root)

        def builder(reloaded=None) -> None:
            nonlocal settings_seen
            stamp = settings_stamp(root)
            if reloaded is None and server.live is not None and stamp == settings_seen:
                server.problems = server.live.refresh()
                return
            try:
                current = reloaded or load_config(str(root / CONFIG_FILE), site_dir=site_dir, dev_addr=address)
            except (Abort, ConfigurationError) as exc:  # a broken mkdocs.yml: said over the last good pages
                server.problems = [f"{CONFIG_FILE}: {exc}"]
                return
            settings_seen = stamp
            current.site_url = serve_url
            old = server.live
            with old.lock if old is not None else contextlib.nullcontext():  # no page of the old site is half drawn
                problems = preview_problems(current)
                if not problems and old is not None:
                    old.retire()
            server.problems = problems
            if not problems:
                server.live = LivePages(current, current.plugins["safeguarding"])
                keep_out_of_garbage_collection()

        server.builder = builder
        builder(config)
        for path in (config.docs_dir, config.config_file_path, root / "retention.lock", root / "overrides"):
            if Path(path).exists():
                server.watch(str(path))
        try:
            server.serve()
        except KeyboardInterrupt:
            logging.getLogger("mkdocs").info("Shutting down...")
        finally:
            server.shutdown()
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as exc:
        raise BuildFailed(str(exc)) from None
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
        plugin.overrides.clear()


def keep_out_of_garbage_collection() -> None:
    """After a full build: what it made (the theme's templates, the content read) lives as long
    as the preview, so the collector need not walk it again on every change. At 5,000 reviews the
    collector took about a third of each refresh."""
    gc.unfreeze()  # what an earlier full build left behind can go now
    gc.collect()
    gc.freeze()


WATCH_SECONDS = 0.2  # how often the preview looks for changed files (MkDocs: 0.5)
QUIET_SECONDS = 0.05  # how long it waits for more changes before rebuilding (MkDocs: 0.1)


def settings_stamp(root: Path) -> list[tuple]:
    """Size and times of mkdocs.yml and every file under overrides/, and the day: when these
    change, the preview builds everything again (they change the rules and the theme, and a new
    day can lift an embargo or end a window)."""
    found = [("today", dt.date.today().isoformat()), (CONFIG_FILE, *file_stamp(root / CONFIG_FILE))]
    for folder, _, names in os.walk(root / "overrides"):  # os.walk follows no link
        found += [(os.path.join(folder, name), *file_stamp(Path(folder) / name)) for name in sorted(names)]
    return found


def preview_problems(config) -> list[Problem | str]:
    """Build the preview; [] when it worked, else what to show over the last good pages: the
    content problems as `validate` prints them, or the error that stopped MkDocs."""
    try:
        build(config, serve_url=config.site_url)
        return []
    except Abort:
        return list(plugin.last_errors) or ["the build failed; the terminal says why"]
    except Exception as exc:  # noqa: BLE001 - anything at all: the preview must keep answering
        return [f"the build failed: {type(exc).__name__}: {exc}"]


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, which draws a page when it is asked for (after a refresh) and
    shows the last build's problems on every page."""

    problems: list[Problem | str] = []  # content problems, or what else stopped the build
    project = Path(".")  # the project's root, which problem paths are relative to
    live: LivePages | None = None  # the pages since the last good build

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if not (path + "/").startswith(self.mount_path) or path.startswith("/livereload/"):
            return super()._serve_request(environ, start_response)
        with self._epoch_cond:  # as MkDocs does before serving: never while a refresh or build runs
            self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
        live = self.live  # read after the wait: the pages of the build that just ended
        if live is not None:
            wanted = posixpath.normpath("/" + path[len(self.mount_path):]).lstrip("/")
            for candidate in (wanted + "/index.html" if path.endswith("/") else wanted, wanted + "/index.html"):
                live.draw(candidate.lstrip("/"))
        return super()._serve_request(environ, start_response)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        if not self.problems:
            return content
        body = content.find(b">", content.find(b"<body")) + 1
        return content[:body] + problems_overlay(self.problems, self.project).encode() + content[body:]

    def error_page(self, code: int) -> bytes | None:
        """The site's own 404 page; with no good page to show (the first build failed), a page of
        the problems that reloads."""
        if not self.problems:
            if code != 404 or self.live is None:
                return None
            self.live.draw("404.html")
            missing = Path(self.root) / "404.html"
            return self._inject_js_into_html(missing.read_bytes(), self._visible_epoch) if missing.is_file() else None
        page = ("<!doctype html><html lang=en><head><title>Preview: problems to fix</title></head><body>"
                + problems_overlay(self.problems, self.project, over_a_page=False) + "</body></html>")
        return LiveReloadServer._inject_js_into_html(self, page.encode(), self._visible_epoch)


def problems_overlay(problems: list[Problem | str], root: Path, over_a_page: bool = True) -> str:
    """The problems as a banner over the page (or alone, before any build has worked), each
    `PATH:LINE` a link to the file."""
    items = "".join(f"<li>{_linked(problem, root)}</li>" for problem in problems)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    shown = "This page is from the last good build" if over_a_page else "Nothing could be built yet"
    return (f'<div id="sg-preview-problems" role="alert" style="{OVERLAY_STYLE}">'
            f"<p><strong>Preview: {count} to fix.</strong> {shown}; "
            f"it updates when the files are fixed.</p><ul>{items}</ul></div>")


OVERLAY_STYLE = ("position:fixed;left:0;right:0;bottom:0;z-index:10000;max-height:60vh;overflow:auto;"
                 "margin:0;padding:1em 1.5em;background:#fff;color:#1a1a1a;border-top:6px solid #b00020;"
                 "font:15px/1.5 ui-monospace,monospace;box-shadow:0 -4px 12px rgba(0,0,0,.3)")


def _linked(problem: Problem | str, root: Path) -> str:
    """A problem's `PATH:LINE: error: ...` line with `PATH:LINE` opening the file at that line in
    VS Code (the editor the repository's tasks are for: a browser will not open a file:// link
    from an http page), paths being relative to the project's root; any other message as text."""
    if isinstance(problem, str):
        return html.escape(problem)
    location = f"{problem.path}:{problem.line}"
    rest = problem.text()[len(location) + 2:]
    target = f"vscode://file{quote((root / problem.path).resolve().as_posix())}:{problem.line}"
    return (f'<a href="{html.escape(target)}" title="Open in VS Code at line {problem.line}">'
            f'{html.escape(location)}</a>: {html.escape(rest)}')
