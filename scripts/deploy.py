#!/usr/bin/env python3
"""Build the site for deployment: the real date, absolute addresses, strict.

    python scripts/deploy.py --site-dir _site [--site-url URL]

Refuses (exit 1) when mkdocs.yml sets `today`: a deployed site built "as if" another day could
publish an embargoed review early or drop one still inside its window. Needs the site's address
(--site-url, else $SITE_URL), so the sitemap, canonical links, feeds and data are absolute. The
scheduled workflow runs this every morning, so embargoes lift and windows end on their day.

Nothing the last deployment published may be lost: after each successful build, the reviews it
published (retention.lock without those still embargoed) are kept in .deployed/retention.lock,
which the workflow carries to the next run, and the next build is refused unless
`validate --base-ledger` passes against it. That closes the gap between a pull request's check
and its merge: a review still embargoed on the day the check ran may have been published since,
and a pull request that removed it then (which was allowed) must not remove it now.

Without that record (the first deployment here, or the cache entry was evicted), the site online
is asked instead: its open data (SITE_URL/data/reviews.json, or --deployed-data) lists the reviews
it publishes, and `validate --base-ledger` runs against a record made of it (`record_from_online`),
with every rule a pull request is judged by. No site there yet (not found, no such host) is said,
and the build goes on; a site that answers with data this cannot read stops the deployment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.fieldtypes import parse_date  # noqa: E402
from generator.ledger import write_ledger  # noqa: E402
DEPLOYED = Path(".deployed") / "retention.lock"
ONLINE_DATA = "data/reviews.json"
FETCH_SECONDS = 30
ONLINE_DATA_BYTES = 64 * 2**20  # 5,000 synthetic reviews make 6 MB


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site-dir", type=Path, required=True)
    ap.add_argument("--site-url", default=os.environ.get("SITE_URL"))
    ap.add_argument("--project", type=Path, default=ROOT)
    ap.add_argument("--deployed-ledger", type=Path, default=None,
                    help=f"what the last deployment published (default: PROJECT/{DEPLOYED})")
    ap.add_argument("--deployed-data", default=None,
                    help=f"without that record, the open data of the site online (default: SITE_URL/{ONLINE_DATA}; "
                    "an address or a file)")
    args = ap.parse_args()
    deployed = args.deployed_ledger or args.project / DEPLOYED
    if not args.site_url:
        print("error: a deployment needs the site's address: pass --site-url or set SITE_URL", file=sys.stderr)
        return 1
    from generator.retention import ConfigError
    from generator.settings import load_settings

    try:
        settings = load_settings(args.project)
    except ConfigError as exc:
        print(f"error: configuration error in mkdocs.yml: {exc}", file=sys.stderr)
        return 1
    if settings.configured_today:
        print(f"error: mkdocs.yml sets today: {settings.configured_today}; a deployed site is built on the real date "
              "(remove `today` from mkdocs.yml; it is for previews only)", file=sys.stderr)
        return 1
    if not keeps_what_was_published(args.project, settings.ledger_path, deployed,
                                     args.deployed_data or args.site_url.rstrip("/") + "/" + ONLINE_DATA):
        return 1
    command = [sys.executable, "-m", "generator", "-C", str(args.project), "build", "--site-dir", str(args.site_dir),
               "--site-url", args.site_url]
    built = subprocess.run(command).returncode
    if built == 0:
        record_deployed(settings.ledger_path, deployed)
    return built


class Unreadable(Exception):
    """The site online answered, but not with open data this script can read."""


def keeps_what_was_published(project: Path, ledger_path: Path, deployed: Path, online_source: str) -> bool:
    """Whether the content keeps every review the last deployment published (its record), or,
    without a readable record, every review the site online publishes (its open data). No record
    and no site online (a first deployment): said, and the build goes on."""
    from generator.ledger import read_ledger

    ledger = read_ledger(ledger_path, ledger_path.name)[0]
    if ledger is None:  # validate reports it, at its line, in the build
        return True
    record, problems = read_ledger(deployed, str(deployed)) if deployed.is_file() else (None, [])
    if record is not None:
        return passes_against(project, for_a_deployment(record, ledger), deployed,
                              f"what the last deployment published ({deployed})")
    print(f"note: the record of the last deployment ({deployed}) {'cannot be read' if problems else 'is missing'}; "
          "this build is compared with the site online instead (the record is written again after this build)",
          file=sys.stderr)
    sys.stderr.writelines(f"{p.path}:{p.line}: {p.severity}: {p.message}\n" for p in problems)
    try:
        online = online_reviews(online_source)
    except Unreadable as exc:
        print(f"error: the site online's list of reviews ({online_source}) cannot be read: {exc}. Nothing was "
              "deployed, and the site stays as it was. Check the site's address; a maintainer may restore the record "
              f"of the last deployment ({DEPLOYED}) or pass --deployed-data with a copy of the site's data.",
              file=sys.stderr)
        return False
    if online is None:
        return True
    return passes_against(project, for_a_deployment(record_from_online(online, ledger), ledger), deployed,
                          f"what the site online publishes ({online_source})")


def for_a_deployment(record, ledger):
    """The record as `validate --base-ledger` should judge a deployment by. The pull-request check
    judged each merge against the ledger of its day, so what the ledger records since is taken as
    recorded: a withdrawal (its file may since have gone), a rename (a chain of them, the last
    file naming only the id before), an entry added or published since. What is left to find is
    what the deployment exists for: a review recorded then that the ledger no longer holds under
    any id, or holds with another type, date or window (a pull request checked while it was still
    embargoed may have removed it)."""
    from generator.ledger import WITHDRAWN, Ledger

    entries = dict(record.entries)
    known = ledger.known_ids()  # every id and former id the ledger holds now
    for key in list(entries):
        holder = known.get(key)
        if holder is not None and (holder.id != key or holder.status == WITHDRAWN):
            del entries[key]  # renamed since, or withdrawn since: judged as the ledger records it
            entries[holder.id] = holder
    for key, entry in ledger.entries.items():
        entries.setdefault(key, entry)  # recorded since: known, not new
    return Ledger(entries, record.path)


def passes_against(project: Path, base, deployed: Path, described: str) -> bool:
    """validate --base-ledger against `base`, written beside the record under a name a maintainer
    can read in validate's messages."""
    path = deployed.parent / "compared.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_ledger(base, path)
        check = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "validate", "--quiet",
                                "--base-ledger", str(path.resolve())], capture_output=True, text=True)
    finally:
        path.unlink(missing_ok=True)
    if check.returncode != 0:
        sys.stderr.write(check.stdout)
        print(f"error: the content does not pass validate against {described}: nothing was deployed, and the site "
              "stays as it was. Fix or restore what the errors name.", file=sys.stderr)
    return check.returncode == 0


def online_reviews(source: str) -> list[dict] | None:
    """The reviews the site online lists in its open data; None (said) when there is no site there
    yet (not found, or no such host: a first deployment). Raises Unreadable for anything else."""
    try:
        if "://" in source:
            with urllib.request.urlopen(source, timeout=FETCH_SECONDS) as response:
                data = response.read(ONLINE_DATA_BYTES + 1)
        else:
            data = Path(source).read_bytes()
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 410):
            return _no_site(source, f"HTTP {exc.code}")
        raise Unreadable(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (socket.gaierror, ConnectionRefusedError)):
            return _no_site(source, str(exc.reason))
        raise Unreadable(str(exc.reason)) from None
    except FileNotFoundError:
        return _no_site(source, "no such file")
    except OSError as exc:
        raise Unreadable(str(exc)) from None
    if len(data) > ONLINE_DATA_BYTES:
        raise Unreadable(f"more than {ONLINE_DATA_BYTES // 2**20} MB")
    try:
        reviews = json.loads(data.decode("utf-8"))["reviews"]
        for review in reviews:
            if not all(isinstance(review.get(key), str) for key in ("id", "type", "status", "published",
                                                                    "available_until")):
                raise ValueError("a review without id, type, status, published or available_until")
            dt.date.fromisoformat(review["available_until"])
            if parse_date(review["published"], allow_month=True) is None:
                raise ValueError(f"a review published on {review['published']!r}")
        return reviews
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise Unreadable(f"{type(exc).__name__}: {str(exc)[:200]}") from None


def _no_site(source: str, why: str) -> None:
    print(f"note: there is no site online at {source} ({why}); this build is not compared with one (a first "
          "deployment has none)", file=sys.stderr)
    return None


def record_from_online(online: list[dict], ledger):
    """A record of the last deployment made from the site online's open data: each review live
    there, inside its window or not, with the type and dates the site shows (the rest of the
    ledger is added by `for_a_deployment`, as for a kept record)."""
    from generator.ledger import LIVE, Ledger, LedgerEntry

    entries = {}
    for review in online:
        if review["status"] != LIVE:
            continue
        published = parse_date(review["published"], allow_month=True)
        until = dt.date.fromisoformat(review["available_until"])
        entry = ledger.entries.get(review["id"]) or LedgerEntry(
            review["id"], str(review.get("title") or review["id"]), review["type"], published, until, LIVE,
            published.first_day, partnership=str(review.get("partnership") or ""))
        entries[review["id"]] = replace(entry, type=review["type"], published=published, available_until=until,
                                        status=LIVE, status_date=published.first_day, reason="")
    return Ledger(entries)


def record_deployed(ledger_path: Path, deployed: Path) -> None:
    """Keep what this deployment published: the ledger without the reviews still embargoed today
    (they appeared nowhere, and may still be withdrawn or postponed before their day) and without
    withdrawn ones (the pull-request check keeps them withdrawn; a maintainer who publishes one
    again, by hand, must not find every later deployment refused)."""
    from generator.dates import today_in_london
    from generator.ledger import WITHDRAWN, Ledger, read_ledger
    from generator.retention import not_yet_published

    ledger = read_ledger(ledger_path, ledger_path.name)[0]
    if ledger is None:
        return
    today = today_in_london()
    published = {key: entry for key, entry in ledger.entries.items()
                 if not not_yet_published(entry, today) and entry.status != WITHDRAWN}
    deployed.parent.mkdir(parents=True, exist_ok=True)
    write_ledger(Ledger(published), deployed)


if __name__ == "__main__":
    sys.exit(main())
