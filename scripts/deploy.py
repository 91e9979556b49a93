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
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOYED = Path(".deployed") / "retention.lock"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site-dir", type=Path, required=True)
    ap.add_argument("--site-url", default=os.environ.get("SITE_URL"))
    ap.add_argument("--project", type=Path, default=ROOT)
    ap.add_argument("--deployed-ledger", type=Path, default=None,
                    help=f"what the last deployment published (default: PROJECT/{DEPLOYED})")
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
    if not keeps_what_was_deployed(args.project, deployed):
        return 1
    command = [sys.executable, "-m", "generator", "-C", str(args.project), "build", "--site-dir", str(args.site_dir),
               "--site-url", args.site_url]
    built = subprocess.run(command).returncode
    if built == 0:
        record_deployed(args.project, deployed)
    return built


def keeps_what_was_deployed(project: Path, deployed: Path) -> bool:
    """Whether the content keeps every review the last deployment published. No record (the first
    deployment, or the cache entry was lost) or a damaged one: said, and the build goes on without
    the comparison, as the pull-request check still guards every merge."""
    from generator.ledger import read_ledger

    record, problems = read_ledger(deployed, str(deployed)) if deployed.is_file() else (None, [])
    if record is None:
        print(f"note: the record of the last deployment ({deployed}) {'cannot be read' if problems else 'is missing'}; "
              "this build is not compared with it (it is written again after this build)", file=sys.stderr)
        sys.stderr.writelines(f"{p.path}:{p.line}: {p.severity}: {p.message}\n" for p in problems)
        return True
    check = subprocess.run([sys.executable, "-m", "generator", "-C", str(project), "validate", "--quiet",
                            "--base-ledger", str(deployed.resolve())], capture_output=True, text=True)
    if check.returncode != 0:
        sys.stderr.write(check.stdout)
        print(f"error: the content does not pass validate against what the last deployment published "
              f"({deployed}): nothing was deployed, and the site stays as it was. Fix or restore what the errors "
              "name.", file=sys.stderr)
    return check.returncode == 0


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
