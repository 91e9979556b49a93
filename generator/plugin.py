"""The MkDocs adapter: a few lines per hook, each delegating to plain code.

- on_config: read our options, add our theme templates, stylesheet and script, and check every
  content and retention rule; any error fails the build with the `validate` lines.
- on_files: replace the content files with the generated site (pages, redirects, feeds, data).
- on_post_build: index the built pages with Pagefind.
Nothing in the pipeline imports this module: a move to ProperDocs or Zensical replaces this file.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from . import commands
from .problems import format_text
from .render import render_site
from .retention import ConfigError
from .schema import KINDS
from .settings import Settings, settings_from_options
from .sitemodel import build_site_model

log = logging.getLogger("mkdocs.plugins.safeguarding")
overrides: dict[str, object] = {}  # command-line flags from host.py (`today`); they win over mkdocs.yml
PACKAGE = Path(__file__).parent
ASSETS = {"assets/safeguarding/site.css": PACKAGE / "assets" / "site.css",
          "assets/safeguarding/site.js": PACKAGE / "assets" / "site.js"}
MARKDOWN_EXTENSIONS = ("toc", "md_in_html", "attr_list", "tables")


class SafeguardingConfig(Config):
    """Options under `plugins: - safeguarding:` in mkdocs.yml (see settings.OPTIONS)."""

    local_window_years = opt.Type(int, default=1)
    national_window_years = opt.Type(int, default=3)
    today = opt.Optional(opt.Type((str, dt.date)))
    ledger = opt.Type(str, default="retention.lock")
    search_index = opt.Type(bool, default=True)


class SafeguardingPlugin(BasePlugin[SafeguardingConfig]):
    """Checks, then generates, the safeguarding learning site; the logic lives elsewhere."""

    settings: Settings
    result: commands.CheckResult

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        options = {k: v for k, v in self.config.items() if v is not None and k != "search_index"}
        try:
            self.settings = settings_from_options(root, Path(config.docs_dir), options, today=overrides.get("today"),
                                                  site_dir=Path(config.site_dir))
        except ConfigError as exc:
            raise PluginError(f"safeguarding: configuration error in mkdocs.yml: {exc}") from None
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE / "theme"))
        config.extra_css.append("assets/safeguarding/site.css")
        config.extra_javascript.append("assets/safeguarding/site.js")
        config.markdown_extensions.extend(e for e in MARKDOWN_EXTENSIONS if e not in config.markdown_extensions)
        config.mdx_configs.setdefault("toc", {}).setdefault("permalink", True)  # an anchor on every heading
        self.result = self._check()
        return config

    def _check(self) -> commands.CheckResult:
        result = commands.check(self.settings)
        for problem in result.problems:
            if not problem.is_error:  # advisory (e.g. an older review without reviewers): shown, but
                log.info(problem.text())  # at INFO so `mkdocs build --strict` is not failed by it
        if not result.ok:
            errors = [p for p in result.problems if p.is_error]
            raise PluginError(f"{len(errors)} content problem(s); nothing was built:\n" + format_text(errors).rstrip())
        return result

    def on_files(self, files: Files, config) -> Files:
        model = build_site_model(self.result.load.corpus, self.result.ledger, self.settings.today,
                                 self.settings.windows)
        outputs = render_site(model, config.site_name, config.site_url or "")
        for file in [f for f in files if f.src_uri.split("/")[0] in KINDS or f.src_uri in outputs]:
            files.remove(file)  # content sources are rendered through our templates instead
        in_nav = set(_nav_paths(config.nav))
        for src_uri, text in outputs.items():
            inclusion = InclusionLevel.INCLUDED if src_uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src_uri, content=text, inclusion=inclusion))
        for src_uri, path in ASSETS.items():
            files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        return files

    def on_post_build(self, config) -> None:
        if self.config.search_index:
            index_with_pagefind(Path(config.site_dir))


def _nav_paths(nav) -> list[str]:
    """Source paths named in mkdocs.yml's nav (the short nav: everything else is reached by links)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in _nav_paths(item)]
    return []


def index_with_pagefind(site_dir: Path) -> None:
    """Run the Pagefind binary (from the `pagefind[bin]` package) over the built site."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        raise PluginError(f"safeguarding: Pagefind failed to index {site_dir}:\n{completed.stdout}{completed.stderr}")
