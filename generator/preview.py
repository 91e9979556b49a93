"""The preview's pages, drawn when a reader asks for them (`serve`; with host.py and plugin.py,
the only code importing MkDocs).

The first build writes the whole site. After a change to content/ or the ledger, `refresh` asks
the plugin to check again (reading only the files that changed) and to make the new model, and
marks every page and file out of date; nothing is drawn yet. A request then draws the page it
asks for, with MkDocs' own page steps and the same theme, nav and plugin hooks as a build, so a
page in the preview is byte for byte the page `build` writes. A change therefore costs one
check and one page, not a rebuild of thousands. The search index stays the one built at start.
"""

from __future__ import annotations

import threading
from pathlib import Path

from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from . import plugin as safeguarding
from .problems import Problem

PAGE, THEME_TEMPLATE, EXTRA_TEMPLATE, GENERATED = "page", "theme", "extra", "generated"


class LivePages:
    """What the preview serves after its first good build: every output path, and which of them
    are out of date since the last refresh (drawn, under a lock, on their next request)."""

    def __init__(self, config, plugin: safeguarding.SafeguardingPlugin):
        self.config, self.plugin = config, plugin
        self.files, self.nav, self.env = plugin.files, plugin.nav, plugin.env
        self.lock = threading.Lock()
        self.targets = self._targets(self.files)
        self.stale: set[str] = set()  # the first build wrote everything

    def refresh(self) -> list[Problem | str]:
        """Check the content again and make the new site, drawn later page by page; [] when it
        worked, else the problems, with the last good pages kept as they were."""
        with self.lock:
            kept = self.plugin.result, self.plugin.site, self.plugin.unsynced
            try:
                self.plugin.refresh(self.config)
                theme = [f for f in self.files if not f.generated_by]  # the theme's files; ours are made again
                files = Files(theme + self.plugin.page_files(self.config))
                set_exclusions(files, self.config)
                nav = self._navigation(files)
                targets = self._targets(files)
            except Exception as exc:  # noqa: BLE001 - anything at all: the preview must keep answering
                self.plugin.result, self.plugin.site, self.plugin.unsynced = kept  # all or nothing
                if isinstance(exc, (Abort, PluginError)):  # content problems: plugin.last_errors has them
                    return list(safeguarding.last_errors) or ["the preview could not be refreshed; the terminal says why"]
                return [f"the preview could not be refreshed: {type(exc).__name__}: {exc}"]
            for gone in self.targets.keys() - targets.keys():  # a page renamed or removed: no stale copy
                (Path(self.config.site_dir) / gone).unlink(missing_ok=True)
            self.files, self.nav, self.targets, self.stale = files, nav, targets, set(targets)
            return []

    def retire(self) -> None:
        """A full build replaced these pages (call with the lock held): draw nothing more."""
        self.stale = set()

    def _navigation(self, files: Files):
        """The nav, made from the pages it names: the others get their MkDocs page when drawn
        (`_page`), as making thousands of pages would cost more than the change itself."""
        named = None if self.config.nav is None else set(safeguarding.nav_paths(self.config.nav))
        shown = files if named is None else Files([f for f in files if f.src_uri in named])
        return self.config.plugins.on_nav(get_navigation(shown, self.config), config=self.config, files=files)

    def _page(self, file) -> Page:
        return file.page if file.page is not None else Page(None, file, self.config)

    def _targets(self, files: Files) -> dict[str, tuple[str, object]]:
        """Output path (relative to site_dir) -> how it is drawn."""
        targets: dict[str, tuple[str, object]] = {}
        for file in self._pages(files):
            targets[file.dest_uri] = (PAGE, file)
        for name in self.config.theme.static_templates:
            targets[name] = (THEME_TEMPLATE, name)
            if name == "sitemap.xml":
                targets[name + ".gz"] = (THEME_TEMPLATE, name)
        for name in self.config.extra_templates:
            targets[name] = (EXTRA_TEMPLATE, name)
        for path in self.plugin.site.files:
            targets[path] = (GENERATED, path)
        return targets

    def _pages(self, files: Files | None = None):
        """The pages a preview serves (drafts too, as MkDocs' serve does)."""
        return (self.files if files is None else files).documentation_pages(inclusion=InclusionLevel.is_in_serve)

    def draw(self, path: str) -> None:
        """Bring the output at `path` (relative to site_dir) up to date, if it is a known one."""
        if path not in self.stale:  # read without the lock: a set lookup, and a refresh holds it
            return
        with self.lock:
            if path not in self.stale:
                return
            kind, what = self.targets[path]
            self._headings()
            if kind == PAGE:
                page = self._page(what)
                _populate_page(page, self.config, self.files)
                _build_page(page, self.config, self._pages(), self.nav, self.env, excluded=what.inclusion.is_excluded())
                self.stale.discard(path)
                return
            for file in self._pages():  # a template may list every page (the sitemap does)
                self._page(file)
            if kind == THEME_TEMPLATE:
                _build_theme_template(what, self.env, self.files, self.config, self.nav)
                self.stale -= {what, what + ".gz"}
            elif kind == EXTRA_TEMPLATE:
                _build_extra_template(what, self.files, self.config, self.nav)
            else:
                target = Path(self.config.site_dir) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.plugin.site.files[path].encode("utf-8"))  # as MkDocs writes it
            self.stale.discard(path)

    def _headings(self) -> None:
        """The titles and metadata of the pages the nav names, as a build's first pass sets them:
        every page shows them in its nav and its previous and next links."""
        for page in self.nav.pages:
            if page.markdown is None:  # not read since the refresh: read as a build's first pass does
                page.read_source(self.config)
                self.plugin.set_heading(page)
