"""The command line: parses flags, calls commands.py, prints, and maps outcomes to exit codes.

Exit codes: 0 success; 1 a content or check failure (problems printed as PATH:LINE lines);
2 a usage or configuration error. No content problem ever reaches the user as a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from urllib.parse import urlsplit

import click

from . import commands, vocab
from .exports import field_reference, generated_files, schema_json, theme_aliases, theme_choices
from .fieldtypes import parse_date
from .problems import FORMATTERS, did_you_mean, summary_line
from .retention import ConfigError
from .schema import KIND_BY_NAME
from .settings import Settings, load_settings


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        day = parse_date(str(value))
        if day is None:
            self.fail(f"'{value}' is not a real date; write it as YYYY-MM-DD", param, ctx)
        return day


DATE = DateType()
TODAY = click.option("--today", type=DATE, help="Judge as if today were this date (default: today in London).")


def _settings(ctx: click.Context, today: dt.date | None, need_content: bool = True, preview: bool = False) -> Settings:
    try:
        settings = load_settings(ctx.obj["root"], today=today, preview=preview)
    except ConfigError as exc:
        raise click.UsageError(f"configuration error in mkdocs.yml: {exc}") from None
    if settings.configured_today and today is None and need_content:
        click.echo(_today_note(settings, preview), err=True)
    if need_content and not settings.content_dir.is_dir():
        raise click.UsageError(f"no content folder at {settings.content_dir}: run from the repository root "
                               "or name it with --project")
    return settings


def _today_note(settings: Settings, preview: bool) -> str:
    configured = settings.configured_today.isoformat()
    if preview:
        return (f"warning: building as if today were {configured} (today: in mkdocs.yml); embargoes and windows "
                "are judged on that day: for previews only, never deploy this site")
    return (f"note: mkdocs.yml sets today: {configured}, which is for previews only; checking against the real "
            f"date, {settings.today.isoformat()} in London (use --today to judge another day)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "--project", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Project folder holding mkdocs.yml and content/ (default: the current folder).")
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Safeguarding learning repository: validate, publish and keep practice reviews."""
    ctx.obj = {"root": root}


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@TODAY
@click.option("--base-ledger", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The ledger on the target branch: nothing in it may be lost or rewritten.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--quiet", is_flag=True, help="Print errors only.")
@click.pass_context
def validate(ctx, files, today, base_ledger, fmt, strict, quiet):
    """Check every content file and the retention ledger; report every problem in one run.

    With FILES, the whole corpus is still read (references and the ledger need it), but only the
    problems of those files are printed and decide the exit code."""
    settings = _settings(ctx, today)
    result = commands.check(settings, base_ledger)
    problems = commands.problems_of(result.problems, files, settings.root) if files else result.problems
    shown = [p for p in problems if p.is_error] if quiet else problems
    click.echo(FORMATTERS[fmt](shown), nl=False)
    if fmt != "json":
        click.echo(summary_line(problems, len(files) if files else result.load.files_read), err=True)
    failed = any(p.is_error for p in problems) or (strict and any(p.severity == "warning" for p in problems))
    ctx.exit(1 if failed else 0)


class SiteUrl(click.ParamType):
    name = "URL"

    def convert(self, value, param, ctx):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            self.fail(f"'{value}' is not a site address such as https://example.org/reviews/", param, ctx)
        return value if value.endswith("/") else value + "/"


@cli.command(name="build")
@TODAY
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help="Where to build (default: site/).")
@click.option("--site-url", type=SiteUrl(), envvar="SITE_URL",
              help="The address the site is served from (default: $SITE_URL, else site_url in mkdocs.yml).")
@click.pass_context
def build_command(ctx, today, site_dir, site_url):
    """Validate, then build the site (MkDocs, strict) with its search index, feeds and data."""
    from . import host  # MkDocs is imported only by the commands that run it

    _settings(ctx, today, preview=True)
    try:
        site = host.build_site(ctx.obj["root"], site_dir, today, site_url)
    except host.BuildFailed as exc:
        click.echo(f"error: the site was not built: {exc}", err=True)
        ctx.exit(1)
    click.echo(f"site built in {site}; preview it with `python -m generator serve`", err=True)


@cli.command()
@TODAY
@click.option("--address", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.pass_context
def serve(ctx, today, address):
    """Live-reloading preview of the site while you edit content."""
    from . import host

    _settings(ctx, today, preview=True)
    try:
        host.serve_site(ctx.obj["root"], today, address)
    except host.BuildFailed:
        ctx.exit(1)


@cli.command(name="retention")
@TODAY
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def retention_command(ctx, today, as_json):
    """Every review: type, published, available-until, days left and status."""
    rows = _run(lambda: commands.retention_rows(_settings(ctx, today)))
    if as_json:
        click.echo(json.dumps([asdict(r) for r in rows], indent=2))
        return
    header = ("id", "type", "published", "available_until", "days_left", "status")
    table = [header] + [tuple(str(getattr(r, h)) for h in header) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@cli.group()
def ledger():
    """The retention ledger, retention.lock."""


@ledger.command()
@TODAY
@click.pass_context
def sync(ctx, today):
    """Add newly published reviews; record withdrawals and due retirements. Never drops an entry."""
    settings = _settings(ctx, today)
    result = _run(lambda: commands.sync_ledger(settings))
    for line in result.changes:
        click.echo(line)
    click.echo(f"{settings.ledger_path.name}: {'updated' if result.written else 'already up to date'}", err=True)


@cli.command()
@click.argument("kind", type=click.Choice(sorted(KIND_BY_NAME)))
@click.option("--title", required=True, help="The item's title.")
@click.option("--id", "item_id", help="The id (file name); default: made from the title.")
@click.option("--type", "review_type", type=click.Choice(["local", "national"]), help="Review type.")
@click.option("--partnership", help="Publishing partnership (local reviews).")
@click.option("--group", type=click.Choice(["practice", "topic"]), help="Theme group.")
@click.pass_context
def new(ctx, kind, title, item_id, review_type, partnership, group):
    """Write a complete, commented scaffold for a new review, briefing or theme."""
    extra = {"review": {"type": review_type or "local", "partnership": partnership},
             "theme": {"group": group or "topic"}}.get(kind, {})
    settings = _settings(ctx, None, need_content=False)
    path = _run(lambda: commands.new_item(settings, kind, title, item_id, extra))
    click.echo(path.relative_to(settings.root) if path.is_relative_to(settings.root) else path)


@cli.command()
@click.argument("kind", type=click.Choice(sorted(KIND_BY_NAME)), required=False)
@click.option("--markdown", is_flag=True, help="Print the field reference (docs/front-matter.md) instead.")
@click.option("--write", is_flag=True,
              help="Write schemas/*.json and docs/front-matter.md (after adding a theme or changing the schema).")
@click.pass_context
def schema(ctx, kind, markdown, write):
    """JSON Schema (2020-12) of the front matter, for editors (theme ids from content/themes/)."""
    settings = _settings(ctx, None, need_content=False)
    themes = theme_choices(settings.content_dir)
    if write:
        for name, text in generated_files(themes).items():
            path = settings.root / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                click.echo(f"wrote {name}")
        return
    click.echo(field_reference(themes) if markdown else schema_json(KIND_BY_NAME[kind] if kind else None, themes),
               nl=False)


@cli.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--theme", help="Only items with this theme id.")
@click.option("--region", help="Only items in this region id (national reviews and briefings apply in every "
                                "region, so they stay in).")
@click.option("--harm", help="Only reviews with this harm category id.")
@click.option("--type", "item_type", type=click.Choice(["local", "national", "briefing", "theme"]),
              help="Only this kind of item.")
@click.option("--year", help="Only items published in this year (YYYY).")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list of {id, kind, title, type, published (YYYY-MM-DD, YYYY-MM or YYYY), score, url}.")
@TODAY
@click.pass_context
def search(ctx, words, theme, region, harm, item_type, year, limit, as_json, today):
    """Ranked full-text search over live reviews, briefings and themes.

    WORDS may hold "a phrase", AND, OR and NOT; abbreviations (NAI, CCE) find their long forms too."""
    if not " ".join(words).strip():
        raise click.BadParameter("give the words to search for", param_hint="WORDS")
    settings = _settings(ctx, today)
    theme = theme_aliases(settings.content_dir).get(theme, theme) if theme else theme  # a former id names it too
    _known("--theme", theme, theme_choices(settings.content_dir))
    _known("--region", region, vocab.REGIONS)
    _known("--harm", harm, vocab.HARM)
    if year is not None and not (len(year) == 4 and year.isdigit()):
        raise click.BadParameter(f"'{year}' is not a year; write it as YYYY", param_hint="--year")
    index = _run(lambda: commands.search_index(settings, lambda line: click.echo(line, err=True)))
    text = " ".join(words)
    results = index.search(text, {"theme": theme, "region": region, "harm": harm, "type": item_type, "year": year},
                           limit, facets=not as_json)
    if as_json:
        click.echo(json.dumps([{"id": h.id, "kind": h.kind, "title": h.title, "type": h.type,
                                "published": h.published_on, "score": h.score, "url": h.url} for h in results.hits],
                              indent=2))
        return
    if not results.hits:
        click.echo(f"No results for {text!r}." + (f" Did you mean: {results.suggestion}?" if results.suggestion else ""))
        ctx.exit(0)
    shown = len(results.hits)
    click.echo(f"{results.total} result{'s' * (results.total != 1)} for {text!r}"
               + (f", the first {shown}" if shown < results.total else "") + ":")
    for n, hit in enumerate(results.hits, 1):
        label = {"local": "local review", "national": "national review"}.get(hit.type, hit.type)
        when = f" · {hit.published}" if hit.published else ""
        click.echo(f"\n{n}. {hit.title}\n   {label}{when} · /{hit.url} · score {hit.score:.2f}")
        if hit.snippet:
            click.echo("   " + hit.snippet)
    if results.suggestion:
        click.echo(f"\nDid you mean: {results.suggestion}?")
    if results.facets:
        click.echo("")
        for name, pairs in results.facets.items():
            click.echo(f"{name}: " + ", ".join(f"{value} ({count})" for value, count in pairs[:8]))


def _known(option: str, value: str | None, ids) -> None:
    """A filter naming no known id finds nothing: say so, with the closest id, instead of '0 results'."""
    if value is not None and value not in ids:
        hint = did_you_mean(value, ids) or f"use one of: {', '.join(sorted(ids))}"
        raise click.BadParameter(f"'{value}' is not a known id; {hint}", param_hint=option)


@cli.command(name="suggest-themes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(1, 50), default=8, show_default=True)
@click.pass_context
def suggest_themes_command(ctx, file, limit):
    """Propose theme ids for a review from its text, with scores (0-1). Never edits the file."""
    settings = _settings(ctx, None)
    suggestions, current = _run(lambda: commands.suggest_themes(settings, file))
    if not suggestions:
        click.echo("no theme suggested: the text shares too little with the themes and the other reviews")
        return
    for theme, score in suggestions[:limit]:
        click.echo(f"{score:.2f}  {theme}" + ("  (already listed)" if theme in current else ""))


@cli.command(name="check-links")
@TODAY
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True,
              help="markdown: a table for a job summary.")
@click.pass_context
def check_links_command(ctx, today, fmt):
    """Fetch every live review's report_url. A report gone inside its statutory window is an error;
    gone after it, moved, or refused to a robot is a warning."""
    settings = _settings(ctx, today)
    show_progress = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show_progress:
            click.echo(f"\rchecked {done} of {total} addresses", err=True, nl=done == total)

    checked, problems = _run(lambda: commands.link_problems(settings, progress))
    click.echo(FORMATTERS[fmt](problems), nl=False)
    if fmt != "json":
        errors = sum(p.is_error for p in problems)
        click.echo(f"{checked} report link{'s' * (checked != 1)} checked: {errors} error{'s' * (errors != 1)}, "
                   f"{len(problems) - errors} warning{'s' * (len(problems) - errors != 1)}", err=True)
    ctx.exit(1 if any(p.is_error for p in problems) else 0)


def _run(action):
    """Run a command; a CommandError is printed as it is and exits 1 (2 for a usage problem)."""
    try:
        return action()
    except commands.UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    except commands.CommandError as exc:
        click.echo(f"error: {exc}".rstrip(), err=True)
        sys.exit(1)


def main() -> None:
    """Entry point. The last guard: an unforeseen failure is one readable line, never a traceback."""
    try:
        cli(prog_name="python -m generator", standalone_mode=True)
    except OSError as exc:
        click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - a bug: say so plainly, with what to report
        click.echo(f"error: unexpected {type(exc).__name__}: {exc}. This is a bug in the generator; please "
                   "report it with the command you ran (set GENERATOR_DEBUG=1 for the traceback).", err=True)
        if os.environ.get("GENERATOR_DEBUG"):
            raise
        sys.exit(1)
