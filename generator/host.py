"""Runs MkDocs for the `build` and `serve` commands; with plugin.py, the only code importing MkDocs.

Flags the plugin cannot read from mkdocs.yml (`--today`) reach it through `plugin.overrides`,
so the precedence stays: statutory minimum, then mkdocs.yml, then command-line flags.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.commands.serve import serve
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from . import plugin

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
    """Live-reloading preview: rebuilds on every change to content/, mkdocs.yml or overrides/."""
    _logging()
    plugin.overrides.update(today=today)
    try:
        serve(str(root / CONFIG_FILE), livereload=True, dev_addr=address)
    except (Abort, ConfigurationError) as exc:
        raise BuildFailed(str(exc)) from None
