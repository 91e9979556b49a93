"""Lighthouse on the browse and search pages, served compressed as a real host would (prints figures; not a test).

Run from the repository root, after a build (the shipped site, or bench/build.py's sites):

    .venv/bin/python bench/pages.py [--site site] [--runs 3]

Installs Lighthouse with npm into bench/out/node the first time (the npm registry is all it
needs), serves the site on 127.0.0.1 with gzip, runs Lighthouse's mobile preset in Debian's
headless Chromium and prints, per page, the median performance score and cumulative layout
shift (targets: performance at least 95, layout shift under 0.1).
"""

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import subprocess
import threading
from pathlib import Path

from common import OUT

NODE = OUT / "node"
LIGHTHOUSE = NODE / "node_modules" / ".bin" / "lighthouse"
PAGES = ("browse/", "search/?q=neglect", "reviews/", "")
COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", "/")


class Compressing(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it (Pagefind's index files already are)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if Path(path).is_dir():
            path = str(Path(path) / "index.html")
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not wants or not self.path.split("?")[0].endswith(COMPRESSED) or not Path(path).is_file():
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def install():
    if not LIGHTHOUSE.exists():
        NODE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(NODE), "--no-audit", "--no-fund", "lighthouse@12"],
                       check=True, capture_output=True)


def lighthouse(url):
    chrome_flags = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run " \
                   "--disable-background-networking --disable-component-update --disable-sync"
    result = subprocess.run([str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json",
                             "--output-path=stdout", "--quiet", f"--chrome-flags={chrome_flags}"],
                            capture_output=True, text=True,
                            env={"CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium", "PATH": "/usr/bin:/bin"})
    report = json.loads(result.stdout)
    return (report["categories"]["performance"]["score"] * 100,
            report["audits"]["cumulative-layout-shift"]["numericValue"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", default="site", help="a built site folder (default: site)")
    ap.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is printed")
    args = ap.parse_args()
    install()
    handler = functools.partial(Compressing, directory=str(Path(args.site).resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    items = sum(1 for _ in Path(args.site, "reviews").glob("*/index.html"))
    print(f"{args.site}: {items} review pages; Lighthouse mobile preset, median of {args.runs}")
    print(f"{'page':<22} {'performance':>12} {'layout shift':>13}")
    try:
        for page in PAGES:
            runs = [lighthouse(base + page) for _ in range(args.runs)]
            print(f"{'/' + page:<22} {statistics.median(r[0] for r in runs):>12.0f} "
                  f"{statistics.median(r[1] for r in runs):>13.3f}")
    finally:
        server.shutdown()
    print("targets: performance at least 95, layout shift under 0.1")


if __name__ == "__main__":
    main()
