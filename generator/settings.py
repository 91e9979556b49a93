"""Where settings come from, in one place: statutory minimum -> mkdocs.yml -> command-line flags.

Precedence, lowest first:
1. built-in defaults, which are the statutory minimum windows (1 year local, 3 national);
2. the plugin's options in `mkdocs.yml` (`local_window_years`, `national_window_years`,
   `today`, `ledger`), which may lengthen a window but never shorten it below the minimum;
3. command-line flags (`--today`, `--site-dir`).
Today is the real date in Europe/London when neither 2 nor 3 sets it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from .dates import today_in_london
from .fieldtypes import parse_date
from .retention import ConfigError, Windows

PLUGIN_NAME = "safeguarding"
CONFIG_FILE = "mkdocs.yml"
OPTIONS = {
    "local_window_years": "years a local review stays available (at least 1)",
    "national_window_years": "years a national review stays available (at least 3)",
    "today": "YYYY-MM-DD: build as if today were this date (previews, tests)",
    "ledger": "path of the retention ledger, relative to mkdocs.yml (default retention.lock)",
    "search_index": "true (default) or false: build the Pagefind search index (used by the plugin only)",
    "search_words": "words of each body the search index holds (default 0: all of them) (plugin only)",
    "search_part_mb": ("megabytes of search documents Pagefind indexes at once (default 12, about 600 MB of memory); "
                       "larger parts cost the build more memory and a first search fewer requests (plugin only)"),
}


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run; built by `load_settings` or by the plugin, nothing more."""

    root: Path
    content_dir: Path
    ledger_path: Path
    windows: Windows
    today: dt.date
    site_dir: Path
    configured_today: dt.date | None = None  # mkdocs.yml's `today`, whether or not it was applied


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its `!!python/name:` and `!ENV` tags: we need only our options."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def load_settings(root: Path, today: dt.date | None = None, site_dir: Path | None = None,
                  preview: bool = False) -> Settings:
    """Settings for the project at `root` (which holds mkdocs.yml); flags override the file.

    mkdocs.yml's `today` applies to previews (`build`, `serve`) only: the checks that keep the
    retention promise (validate, ledger sync, retention) use the real date unless a command-line
    flag says otherwise, so a pull request cannot move the date it is judged on."""
    config_path = root / CONFIG_FILE
    config = _read_config(config_path) if config_path.exists() else {}
    options = plugin_options(config)
    folders = {key: config.get(key, default) for key, default in (("docs_dir", "content"), ("site_dir", "site"))}
    for key, value in folders.items():
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{key} must be a folder name, not {value!r}")
    if not preview:
        options = {**options, "today": None}
    settings = settings_from_options(root, root / folders["docs_dir"], options, today,
                                     site_dir or root / folders["site_dir"])
    return replace(settings, configured_today=_configured_today(plugin_options(config)))


def settings_from_options(root: Path, content_dir: Path, options: dict[str, Any],
                          today: dt.date | None = None, site_dir: Path | None = None) -> Settings:
    """Apply the precedence above to already-read plugin options; used by the CLI and the plugin."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ConfigError(f"unknown option(s) for the {PLUGIN_NAME} plugin: {', '.join(unknown)}; "
                          f"known: {', '.join(OPTIONS)}")
    windows = Windows(local=options.get("local_window_years", 1),
                      national=options.get("national_window_years", 3))
    ledger = options.get("ledger", "retention.lock")
    if not isinstance(ledger, str) or not ledger:
        raise ConfigError(f"ledger must be a file path, not {ledger!r}")
    configured_today = _configured_today(options)  # checked even when a flag overrides it
    return Settings(root, content_dir, root / ledger, windows,
                    today or configured_today or today_in_london(), site_dir or root / "site")


def _configured_today(options: dict[str, Any]) -> dt.date | None:
    value = options.get("today")
    if value in (None, ""):
        return None
    day = parse_date(value.isoformat() if isinstance(value, dt.date) else str(value))
    if day is None or isinstance(value, dt.datetime):
        raise ConfigError(f"today is '{value}'; write a date as YYYY-MM-DD")
    return day


def _read_config(path: Path) -> dict[str, Any]:
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except OSError as exc:
        raise ConfigError(f"{path.name} cannot be read: {exc.strerror}") from None
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:  # ValueError: a date such as 2026-02-30
        raise ConfigError(f"{path.name} cannot be read: {exc}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path.name} is not a mapping of settings")
    return config


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """This plugin's options from the `plugins:` list of mkdocs.yml ({} when not configured)."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):  # MkDocs also accepts `plugins:` as a mapping
        plugins = [{name: options} for name, options in plugins.items()]
    for item in plugins:
        if isinstance(item, dict) and PLUGIN_NAME in item:
            options = item[PLUGIN_NAME] or {}
            if not isinstance(options, dict):
                raise ConfigError(f"the options of the {PLUGIN_NAME} plugin must be a mapping")
            return options
    return {}
