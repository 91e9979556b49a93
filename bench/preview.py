"""Benchmark the preview: from saving a file to the served page showing the change (prints
figures; not a test).

Run from the repository root:

    .venv/bin/python bench/preview.py [--sizes 2000,5000] [--repeat 3]

For each size N (corpus from ../shared/corpus/make_corpus.py, cached by common.py) it starts
`python -m generator serve` on the corpus, waits for the first build, then times, from the file
write to the served page containing the change (polled over HTTP every 10 ms, as a reloading
browser would fetch it):
- (a) a body edit, seen on the review's page;
- (b) a title edit, seen on the page of one of the review's themes (which lists it);
- (c) a new review (not yet in the ledger), seen on its own page.
Targets (issue 9): each under 1 s at 2,000 reviews and under 2 s at 5,000. The median of
`--repeat` tries is printed, with the slowest. Every file is put back afterwards.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from build import SITE_YML
from common import corpus


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def until_shown(url: str, text: str, started: float, limit: float = 120) -> float:
    """Seconds from `started` until `url` serves a page containing `text`."""
    while text not in fetch(url):
        if time.perf_counter() - started > limit:
            raise SystemExit(f"{url} did not show {text!r} within {limit} s")
        time.sleep(0.01)
    return time.perf_counter() - started


def write(path: Path, text: str) -> float:
    """Write like an editor saving a file; returns the moment of the write."""
    started = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    return started


def measure(n: int, repeat: int) -> dict:
    root = corpus(n, Path(__file__).resolve().parent.parent.parent / "shared")
    (root / "mkdocs.yml").write_text(SITE_YML)
    reviews = sorted((root / "content" / "reviews").glob("*.md"))
    body_file, title_file = reviews[n // 3], reviews[n // 2]
    originals = {path: path.read_text(encoding="utf-8") for path in (body_file, title_file)}
    theme = re.search(r"^themes: \[([a-z0-9-]+)", originals[title_file], re.M)[1]
    title = re.search(r'^title: "(.*)"$', originals[title_file], re.M)[1]
    address = f"127.0.0.1:{free_port()}"
    url = f"http://{address}/"
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "generator", "-C", str(root), "serve", "--address", address],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    new_files = []
    timings: dict[str, list[float]] = {"body": [], "title": [], "new": []}
    try:
        startup = until_shown(f"{url}reviews/{body_file.stem}/", "</html>", started, limit=900)
        for attempt in range(repeat):
            mark = f"Bench{n}x{attempt}x{os.getpid()}"
            timings["body"].append(until_shown(
                f"{url}reviews/{body_file.stem}/", mark,
                write(body_file, originals[body_file].rstrip("\n") + f"\n\nOne more sentence: {mark}.\n")))
            timings["title"].append(until_shown(
                f"{url}themes/{theme}/", mark,
                write(title_file, originals[title_file].replace(f'title: "{title}"', f'title: "{title} {mark}"'))))
            new_id = f"zz-bench-{attempt}-{os.getpid()}"
            new_file = root / "content" / "reviews" / f"{new_id}.md"
            new_files.append(new_file)
            text = re.sub(r'^title: ".*"$', f'title: "New review {mark}"', originals[body_file], count=1, flags=re.M)
            timings["new"].append(until_shown(f"{url}reviews/{new_id}/", mark, write(new_file, text)))
            time.sleep(0.5)  # let the watcher settle before the next try
    finally:
        server.terminate()
        server.wait(timeout=30)
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
        for path in new_files:
            path.unlink(missing_ok=True)
    return dict(reviews=n, startup=startup, **{k: (statistics.median(v), max(v)) for k, v in timings.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [measure(int(n), args.repeat) for n in args.sizes.split(",")]
    print(f"\nEdit to preview, from the file write to the served page showing it (median / slowest of {args.repeat}):")
    print(f"{'reviews':>8} {'first build':>12} {'(a) body':>14} {'(b) title on theme':>20} {'(c) new review':>16}")
    for row in rows:
        cells = [f"{row[k][0]:.2f} / {row[k][1]:.2f} s" for k in ("body", "title", "new")]
        print(f"{row['reviews']:>8} {row['startup']:>10.1f} s {cells[0]:>14} {cells[1]:>20} {cells[2]:>16}")
    print("targets: every edit under 1 s at 2,000 reviews and under 2 s at 5,000")


if __name__ == "__main__":
    main()
