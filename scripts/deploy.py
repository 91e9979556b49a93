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
it publishes, and the new build is refused if a review live there, still inside its window, is
not live in the new build's data under its id or the id it was renamed to (a withdrawal recorded
in retention.lock aside). A site that cannot be reached is said, and the build goes on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
    sys.path.insert(0, str(ROOT))
    from generator.retention import ConfigError
    from generator.settings import load_settings

    try:
        configured = load_settings(args.project).configured_today
    except ConfigError as exc:
        print(f"error: configuration error in mkdocs.yml: {exc}", file=sys.stderr)
        return 1
    if configured:
        print(f"error: mkdocs.yml sets today: {configured}; a deployed site is built on the real date "
              "(remove `today` from mkdocs.yml; it is for previews only)", file=sys.stderr)
        return 1
    compared = keeps_what_was_deployed(args.project, deployed)
    if compared is False:
        return 1
    online = None if compared else online_reviews(args.deployed_data or args.site_url.rstrip("/") + "/" + ONLINE_DATA)
    command = [sys.executable, "-m", "generator", "-C", str(args.project), "build", "--site-dir", str(args.site_dir),
               "--site-url", args.site_url]
    built = subprocess.run(command).returncode
    if built != 0:
        return built
    if online is not None and not keeps_what_is_online(args.project, args.site_dir, online):
        shutil.rmtree(args.site_dir, ignore_errors=True)  # nothing a later step could upload
        return 1
    record_deployed(args.project, deployed)
    return 0


def keeps_what_was_deployed(project: Path, deployed: Path) -> bool | None:
    """Whether the content keeps every review the last deployment published; None when there is no
    record to compare with (the first deployment, or the cache entry was lost) or a damaged one:
    said, and the site online is asked instead (`online_reviews`)."""
    from generator.ledger import read_ledger

    record, problems = read_ledger(deployed, str(deployed)) if deployed.is_file() else (None, [])
    if record is None:
        print(f"note: the record of the last deployment ({deployed}) {'cannot be read' if problems else 'is missing'}; "
              "this build is compared with the site online instead (the record is written again after this build)",
              file=sys.stderr)
        sys.stderr.writelines(f"{p.path}:{p.line}: {p.severity}: {p.message}\n" for p in problems)
        return None
    check = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "validate", "--quiet",
                            "--base-ledger", str(deployed.resolve())], capture_output=True, text=True)
    if check.returncode != 0:
        sys.stderr.write(check.stdout)
        print(f"error: the content does not pass validate against what the last deployment published "
              f"({deployed}): nothing was deployed, and the site stays as it was. Fix or restore what the errors "
              "name.", file=sys.stderr)
    return check.returncode == 0


def online_reviews(source: str) -> list[dict] | None:
    """The reviews the site online lists in its open data, or None (said) when it cannot be had:
    the first deployment, or the site unreachable; the pull-request check still guards every merge."""
    try:
        if "://" in source:
            with urllib.request.urlopen(source, timeout=FETCH_SECONDS) as response:
                data = response.read(ONLINE_DATA_BYTES + 1)
            if len(data) > ONLINE_DATA_BYTES:
                raise ValueError(f"more than {ONLINE_DATA_BYTES // 2**20} MB")
            text = data.decode("utf-8")
        else:
            text = Path(source).read_text(encoding="utf-8")
        reviews = json.loads(text)["reviews"]
        if not all(isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("status"), str)
                   and isinstance(r.get("available_until"), str) for r in reviews):
            raise ValueError("a review without id, status or available_until")
        for review in reviews:
            dt.date.fromisoformat(review["available_until"])
        return reviews
    except (OSError, urllib.error.URLError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        print(f"note: the site online's list of reviews ({source}) cannot be had ({exc}); this build is not "
              "compared with it (a first deployment has none)", file=sys.stderr)
        return None


def keeps_what_is_online(project: Path, site_dir: Path, online: list[dict]) -> bool:
    """Whether the new build still publishes, live, every review the site online publishes inside
    its window, under its id or the id it was renamed to; a withdrawal retention.lock records aside."""
    from generator.dates import today_in_london
    from generator.ledger import WITHDRAWN, read_ledger

    ledger = read_ledger(project / "retention.lock", "retention.lock")[0]
    known = ledger.known_ids() if ledger is not None else {}
    built = json.loads((site_dir / ONLINE_DATA).read_text(encoding="utf-8"))["reviews"]
    live = {review["id"] for review in built if review["status"] == "live"}
    today = today_in_london()
    lost = [review for review in online if review["status"] == "live"
            and dt.date.fromisoformat(review["available_until"]) >= today
            and not ((entry := known.get(review["id"])) is not None and (entry.status == WITHDRAWN or entry.id in live))]
    for review in lost:
        print(f"error: review '{review['id']}' is live on the site online until {review['available_until']}, and "
              "this build would no longer publish it", file=sys.stderr)
    if lost:
        print("error: nothing was deployed, and the site stays as it was: restore the review files and their "
              "retention.lock entries (a review may be removed inside its window only by a recorded withdrawal)",
              file=sys.stderr)
    return not lost


def record_deployed(project: Path, deployed: Path) -> None:
    """Keep what this deployment published: the ledger without the reviews still embargoed today
    (they appeared nowhere, and may still be withdrawn or postponed before their day) and without
    withdrawn ones (the pull-request check keeps them withdrawn; a maintainer who publishes one
    again, by hand, must not find every later deployment refused)."""
    from generator.dates import today_in_london
    from generator.ledger import WITHDRAWN, Ledger, read_ledger, write_ledger
    from generator.retention import not_yet_published

    ledger = read_ledger(project / "retention.lock", "retention.lock")[0]
    if ledger is None:
        return
    today = today_in_london()
    published = {key: entry for key, entry in ledger.entries.items()
                 if not not_yet_published(entry, today) and entry.status != WITHDRAWN}
    deployed.parent.mkdir(parents=True, exist_ok=True)
    write_ledger(Ledger(published), deployed)


if __name__ == "__main__":
    sys.exit(main())
