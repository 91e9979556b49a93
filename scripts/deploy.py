#!/usr/bin/env python3
"""Build the site for deployment: the real date, absolute addresses, strict.

    python scripts/deploy.py --site-dir _site [--site-url URL]

Refuses (exit 1) when mkdocs.yml sets `today`: a deployed site built "as if" another day could
publish an embargoed review early or drop one still inside its window. Needs the site's address
(--site-url, else $SITE_URL), so the sitemap, canonical links, feeds and data are absolute. The
scheduled workflow runs this every morning, so embargoes lift and windows end on their day.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site-dir", type=Path, required=True)
    ap.add_argument("--site-url", default=os.environ.get("SITE_URL"))
    ap.add_argument("--project", type=Path, default=ROOT)
    args = ap.parse_args()
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
    command = [sys.executable, "-m", "generator", "-C", str(args.project), "build", "--site-dir", str(args.site_dir),
               "--site-url", args.site_url]
    return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
