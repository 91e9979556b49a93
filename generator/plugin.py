"""The MkDocs adapter: a few lines per hook, each delegating to plain code.

- on_config: read our options, add our theme templates, stylesheet and script, and check every
  content and retention rule; any error fails the build with the `validate` lines.
- on_files: replace the content files with the generated site (pages, redirects, feeds, data)
  and start Pagefind on the generator's search documents, in parts, in the background (webindex.py).
- on_page_markdown / on_page_content: give each generated page its title and metadata, no
  Markdown to convert, and its ready HTML (bodies converted and sanitised by bodies.py) and toc.
- on_startup / on_shutdown: a build (not a preview) is written to a staging folder beside
  site_dir and swapped in only when everything succeeded (staging.py).
- on_post_build: wait for Pagefind and publish its parts.
Nothing in the pipeline imports this module: a move to ProperDocs or Zensical replaces this file.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from . import commands
from .problems import format_text
from .pages import SEARCH_WORDS, PageClash, preview_notices, printed_addresses, search_documents
from .render import render_site
from .retention import ConfigError
from .searchdocs import searchable
from .settings import Settings, settings_from_options
from .staging import StagedSite
from .webindex import PART_BYTES, IndexFailed, WebIndexer, bundle_folders, split_documents

log = logging.getLogger("mkdocs.plugins.safeguarding")
overrides: dict[str, object] = {}  # command-line flags from host.py (`today`); they win over mkdocs.yml
last_errors: list = []  # the content errors that stopped the last build, for the preview's overlay (host.py)
PACKAGE = Path(__file__).parent
ASSETS = {"assets/safeguarding/site.css": PACKAGE / "assets" / "site.css",
          "assets/safeguarding/site.js": PACKAGE / "assets" / "site.js",
          "assets/safeguarding/kit.js": PACKAGE / "assets" / "kit.js"}
PLUGIN_ONLY = ("search_index", "search_words", "search_part_mb")
WEB_INDEX_CACHE = ".cache/pagefind"  # git-ignored: each part of the web search index, by content hash


NO_SITE_URL = ("safeguarding: warning: no site URL (set SITE_URL, `build --site-url`, or site_url in mkdocs.yml): "
               "no sitemap.xml is published, pages have no canonical link, feed and data links are relative and "
               "printed permanent links are bare paths, with no QR code. Fine for a preview; set it when deploying.")


class SafeguardingConfig(Config):
    """Options under `plugins: - safeguarding:` in mkdocs.yml (see settings.OPTIONS)."""

    local_window_years = opt.Type(int, default=1)
    national_window_years = opt.Type(int, default=3)
    today = opt.Optional(opt.Type((str, dt.date)))
    ledger = opt.Type(str, default="retention.lock")
    search_index = opt.Type(bool, default=True)
    search_words = opt.Type(int, default=SEARCH_WORDS)
    search_part_mb = opt.Type((int, float), default=PART_BYTES / 2**20)


class SafeguardingPlugin(BasePlugin[SafeguardingConfig]):
    """Checks, then generates, the safeguarding learning site; the logic lives elsewhere."""

    settings: Settings
    result: commands.CheckResult
    indexer: WebIndexer | None = None
    atomic = False  # set by on_startup for `build` and `gh-deploy`
    preview = False  # set by on_startup for `serve`: previews what a build would refuse or leave out
    unsynced: list[str] = []  # (preview) reviews not yet in the ledger
    staged: StagedSite | None = None
    built = False
    memo: dict  # (preview) each content file as read and validated, so a refresh reads only changes

    def on_startup(self, command: str, dirty: bool) -> None:
        self.atomic = command in ("build", "gh-deploy") and not dirty
        self.preview = command == "serve"
        self.memo = {}

    def on_config(self, config):
        last_errors.clear()
        if self.atomic:  # MkDocs writes into the staging folder; on_shutdown swaps it in
            self.staged, self.built, self.mkdocs_config = StagedSite(Path(config.site_dir)), False, config
            config.site_dir = str(self.staged.path)
        root = Path(config.config_file_path).parent
        options = {k: v for k, v in self.config.items() if v is not None and k not in PLUGIN_ONLY}
        try:
            self.settings = settings_from_options(root, Path(config.docs_dir), options, today=overrides.get("today"),
                                                  site_dir=Path(config.site_dir))
        except ConfigError as exc:
            raise PluginError(f"safeguarding: configuration error in mkdocs.yml: {exc}") from None
        if not self.config.search_part_mb > 0:
            raise PluginError("safeguarding: configuration error in mkdocs.yml: search_part_mb must be a positive "
                              f"number of megabytes (default {PART_BYTES // 2**20}), not {self.config.search_part_mb}")
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE / "theme"))
        config.extra_css.append("assets/safeguarding/site.css")
        config.extra_javascript.append("assets/safeguarding/site.js")
        config.extra_javascript.append("assets/safeguarding/kit.js")
        self.result = self._check()
        if not config.site_url:  # INFO, not WARNING: a strict preview build must still pass
            log.info(NO_SITE_URL)
        return config

    def _check(self) -> commands.CheckResult:
        result = commands.check(self.settings, memo=self.memo if self.preview else None)
        for problem in result.problems:
            if not problem.is_error:  # advisory (e.g. an older review without reviewers): shown, but
                log.info(problem.text())  # at INFO so `mkdocs build --strict` is not failed by it
        errors = [p for p in result.problems if p.is_error]
        if self.preview:  # a review not yet in the ledger is previewed, with a notice saying so
            pending = {p.path for p in errors if commands.fixed_by_sync(p)}
            self.unsynced = [r.id for r in result.load.corpus.reviews.values() if r.path in pending]
            errors = [p for p in errors if not commands.fixed_by_sync(p)]
        last_errors[:] = errors
        if errors:
            raise PluginError(f"{len(errors)} content problem(s); nothing was built:\n" + format_text(errors).rstrip())
        return result

    def on_files(self, files: Files, config) -> Files:
        self._generate(config, index=self.config.search_index)
        content = Path(config.docs_dir).resolve()
        for file in [f for f in files if f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(content)]:
            files.remove(file)  # nothing is copied from content/: only what the generator renders is published
        for file in self.page_files(config):
            files.append(file)
        for path, text in self.site.files.items():
            files.append(File.generated(config, path, content=text))
        return files

    def _generate(self, config, index: bool) -> None:
        """The site model and its pages (drawn when MkDocs asks for them), and with `index`,
        Pagefind started first on the search documents, in parts, in the background."""
        model = commands.site_model(self.settings, self.result.load.corpus, self.result.ledger, with_related=False)
        bundles: list[str] = getattr(self, "bundles", []) if self.preview else []  # a refresh keeps its index
        used_words = None
        if index:  # first, so Pagefind indexes while the pages are rendered
            items, used_words = searchable(model)
            parts = split_documents(search_documents(model, self.config.search_words, items),
                                    int(self.config.search_part_mb * 2**20))
            self.indexer = WebIndexer(parts, Path(config.site_dir), self.settings.root / WEB_INDEX_CACHE, log.info)
            bundles = bundle_folders(len(parts))
        self.bundles = bundles
        model = commands.add_related(self.settings, model)  # while Pagefind indexes
        if config.site_url:
            commands.prepare_qr_codes(self.settings, printed_addresses(model, config.site_url))
        preview = preview_notices(model, self.unsynced) if self.preview else None
        try:
            self.site = render_site(model, config.site_name, config.site_url or "", merged_bundles=bundles[1:],
                                    preview=preview, used_words=used_words)
        except PageClash as exc:
            raise PluginError(f"safeguarding: {exc}") from None

    def page_files(self, config) -> list[File]:
        """A MkDocs file for each generated page, and for the theme's stylesheet and script."""
        in_nav = set(nav_paths(config.nav))
        pages = [File.generated(config, src_uri, content="", inclusion=InclusionLevel.INCLUDED if src_uri in in_nav
                                else InclusionLevel.NOT_IN_NAV) for src_uri in self.site.pages]
        return pages + [File.generated(config, src_uri, abs_src_path=str(path)) for src_uri, path in ASSETS.items()]

    def refresh(self, config) -> None:
        """(serve) After a change to content/ or the ledger: check again, reading only the files
        that changed, and make the new model; pages are drawn when asked for. Raises PluginError,
        as a build would, and then keeps the last good site."""
        self.result = self._check()
        self._generate(config, index=False)

    def on_nav(self, nav, config, files):
        self.nav = nav  # kept for the preview, which draws pages one at a time (preview.py)
        return nav

    def on_env(self, env, config, files):
        self.env, self.files = env, files
        return env

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        self.set_heading(page)
        page.render = functools.partial(_nothing_to_convert, page)  # see below: MkDocs calls it next
        return ""  # bodies were converted once, by bodies.py, and judged as converted

    def set_heading(self, page) -> None:
        """A page's title and metadata, which the nav shows, without drawing the page."""
        title, meta = self.site.pages.heading(page.file.src_uri)  # Material writes both unescaped
        page.meta.update({k: html.escape(v) if isinstance(v, str) else v for k, v in meta.items()})
        if not page.is_homepage:  # the home page's tab shows the site's name alone, not "Name - Name"
            page.meta["title"] = html.escape(title)

    def on_page_content(self, html: str, page, config, files) -> str:
        generated = self.site.pages[page.file.src_uri]
        page.toc = get_toc(list(generated.toc))
        return generated.html

    def on_post_build(self, config) -> None:
        if not config.site_url:  # Material would write an empty urlset, which the sitemap schema refuses
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                (Path(config.site_dir) / name).unlink(missing_ok=True)
        if self.indexer is not None:
            indexer, self.indexer = self.indexer, None
            try:
                indexer.finish()
            except IndexFailed as exc:
                raise PluginError(f"safeguarding: Pagefind could not build the search index:\n{exc}") from None
        self.built = True

    def on_build_error(self, error) -> None:  # also called for strict mode's warnings, after on_post_build
        self.built = False
        if self.indexer is not None:
            self.indexer.cancel()
            self.indexer = None

    def on_shutdown(self) -> None:
        if self.staged is None:
            return
        if self.built:
            self.staged.commit()
        else:
            self.staged.discard()
            log.error("safeguarding: the build failed; the previous site was left as it was")
        self.mkdocs_config.site_dir = str(self.staged.target)  # for gh-deploy, which publishes it next
        self.staged = None


def _nothing_to_convert(page, config, files) -> None:
    """What MkDocs' Page.render leaves on a page whose Markdown is empty (ours all are: on_page_content
    gives the HTML), without building a Markdown converter with every configured extension for
    it: 0.5 ms a page, a second of a build at 2,000 reviews. No content, no toc, no anchors."""
    page.content, page.toc, page.present_anchor_ids, page.links_to_anchors = "", get_toc([]), set(), {}


def nav_paths(nav) -> list[str]:
    """Source paths named in mkdocs.yml's nav (the short nav: everything else is reached by links)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in nav_paths(item)]
    return []
