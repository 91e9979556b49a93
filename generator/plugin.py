"""The MkDocs adapter: a few lines per hook, each delegating to plain code.

Today it checks the configuration and every content and retention rule before MkDocs builds
anything, so `mkdocs build` fails with the same `PATH:LINE: error:` lines as `validate`.
Page generation will hang off `on_files` (issue 3). Nothing in the pipeline imports this module:
a move to ProperDocs or Zensical replaces only this file.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from . import commands
from .problems import format_text
from .retention import ConfigError
from .settings import Settings, settings_from_options

log = logging.getLogger("mkdocs.plugins.safeguarding")


class SafeguardingConfig(Config):
    """Options under `plugins: - safeguarding:` in mkdocs.yml (see settings.OPTIONS)."""

    local_window_years = opt.Type(int, default=1)
    national_window_years = opt.Type(int, default=3)
    today = opt.Optional(opt.Type((str, dt.date)))
    ledger = opt.Type(str, default="retention.lock")


class SafeguardingPlugin(BasePlugin[SafeguardingConfig]):
    """Validates content and retention before a build; raises one PluginError listing every error."""

    settings: Settings

    def on_config(self, config):
        root = Path(config.config_file_path).parent
        options = {key: value for key, value in self.config.items() if value is not None}
        try:
            self.settings = settings_from_options(root, Path(config.docs_dir), options,
                                                  site_dir=Path(config.site_dir))
        except ConfigError as exc:
            raise PluginError(f"safeguarding: configuration error in mkdocs.yml: {exc}") from None
        self._check()
        return config

    def _check(self) -> None:
        result = commands.check(self.settings)
        for problem in result.problems:
            if not problem.is_error:  # advisory (e.g. an older review without reviewers): shown, but
                log.info(problem.text())  # at INFO so `mkdocs build --strict` is not failed by it
        if not result.ok:
            errors = [p for p in result.problems if p.is_error]
            raise PluginError(f"{len(errors)} content problem(s); nothing was built:\n"
                              + format_text(errors).rstrip())
