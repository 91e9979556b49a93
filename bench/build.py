"""Benchmark the full site build against a plain MkDocs build (prints figures; not a test).

Run from the repository root:

    .venv/bin/python bench/build.py [--sizes 2000,5000] [--repeat 1] [--query neglect]

For each size N (corpus from ../shared/corpus/make_corpus.py, cached by common.py) it times, in
one run and alternating:
- `python -m generator build`: validation, every generated page, feeds, data, Pagefind index,
  cold (the project's .cache removed), warm (the same build again) and after one review's body
  changed (what a pull request usually brings);
- a plain `mkdocs build` of the same Markdown files with the same theme (Material), the same
  short nav and no plugins;
- the same with Material's own search plugin (what a user would otherwise pick): the baseline;
and prints wall seconds, peak memory (summed over the build's processes), CPU seconds and the
ratios (target: ours below 1.0x the search build). For the largest size it then serves the built
site on 127.0.0.1, opens /search/?q=QUERY in headless Chromium and adds up the bytes the
browser fetched to show the first page of results (as served, and gzip-compressed as a web
server would send them).
"""

import argparse
import functools
import gzip
import http.server
import os
import platform
import shutil
import sys
import threading
from pathlib import Path

from common import OUT, TODAY, corpus, run

NAV = "nav:\n  - Themes: themes/neglect.md\n"
THEME = "theme:\n  name: material\n  font: false\n"
SITE_YML = ("site_name: Bench\ndocs_dir: content\n" + THEME + NAV
            + f"plugins:\n  - safeguarding:\n      today: {TODAY}\n")
PLAIN_YML = "site_name: Bench\ndocs_dir: content\n" + THEME + NAV + "plugins: []\n"
MATERIAL_SEARCH_YML = "site_name: Bench\ndocs_dir: content\n" + THEME + NAV + "plugins:\n  - search\n"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def measure(n, repeat):
    root = corpus(n, Path(__file__).resolve().parent.parent.parent / "shared")
    (root / "mkdocs.yml").write_text(SITE_YML)
    (root / "mkdocs-plain.yml").write_text(PLAIN_YML)
    (root / "mkdocs-search.yml").write_text(MATERIAL_SEARCH_YML)
    ours_dir, plain_dir, search_dir = OUT / f"site-{n}", OUT / f"plain-{n}", OUT / f"material-search-{n}"
    ours = [sys.executable, "-m", "generator", "-C", root, "build", "--site-dir", ours_dir]
    plain = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", root / "mkdocs-plain.yml", "-d", plain_dir]
    search = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", root / "mkdocs-search.yml", "-d", search_dir]
    results = {"cold": [], "warm": [], "edit": [], "plain": [], "search": []}
    edited = sorted((root / "content" / "reviews").glob("*.md"))[n // 2]
    original = edited.read_text(encoding="utf-8")
    for _ in range(repeat):
        shutil.rmtree(root / ".cache", ignore_errors=True)  # cold: no judged bodies, no search index parts
        for name, command in (("cold", ours), ("warm", ours), ("edit", ours), ("plain", plain), ("search", search)):
            if name == "edit":  # a pull request's usual change: one review's body
                edited.write_text(original.rstrip("\n") + "\n\nOne more sentence of learning.\n", encoding="utf-8")
            try:
                wall, peak, code, output, cpu = run(command)
            finally:
                edited.write_text(original, encoding="utf-8")
            if code != 0:
                print(f"{name} build failed (exit {code}):\n{output[-3000:]}", file=sys.stderr)
                sys.exit(1)
            results[name].append((wall, peak, cpu))
    pages = sum(1 for _ in ours_dir.rglob("index.html"))
    index_bytes = sum(f.stat().st_size for f in (ours_dir / "pagefind").rglob("*") if f.is_file())
    parts = 1 + sum(1 for _ in (ours_dir / "pagefind").glob("part-*"))
    return dict(reviews=n, pages=pages, parts=parts, index_mb=index_bytes / 2**20, site=ours_dir,
                **{name: min(values) for name, values in results.items()})


def search_bytes(site, query):
    """Bytes fetched by a browser to show the first page of results for `query`."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=CHROMIUM_FLAGS)
            page = browser.new_page()
            page.on("response", lambda r: fetched.append(r))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={query}")
            page.wait_for_selector("#sg-search-results a.sg-result__link", timeout=30000)
            page.wait_for_load_state("networkidle")
            bodies = [(r.url, r.body()) for r in fetched if r.status == 200]
            results = page.locator("#sg-search-results > li").count()
            browser.close()
    finally:
        server.shutdown()
    def sent(url, body):  # Pagefind's index files are gzipped already; the rest a server would compress
        return len(body) if "/pagefind/" in url and not url.endswith(".js") or url.endswith(".png") \
            else len(gzip.compress(body))
    raw = sum(len(b) for _, b in bodies)
    compressed = sum(sent(u, b) for u, b in bodies)
    shared = sum(sent(u, b) for u, b in bodies if "/assets/" in u)  # cached from any earlier page of the site
    kinds: dict[str, int] = {}
    for url, body in bodies:
        kinds[kind_of(url)] = kinds.get(kind_of(url), 0) + sent(url, body)
    return dict(requests=len(bodies), raw=raw, compressed=compressed, results=results, warm=compressed - shared,
                kinds=kinds)


KINDS = (("pf_meta", "Pagefind metadata"), ("pagefind-entry", "Pagefind metadata"), ("pf_index", "index chunks"),
         ("pf_fragment", "result fragments"), ("pf_filter", "filters"), ("wasm.", "Pagefind WebAssembly"),
         ("/pagefind/", "Pagefind scripts"), ("/assets/safeguarding/", "this site's CSS and scripts"),
         ("/assets/", "Material's CSS, scripts and icon"))


def kind_of(url: str) -> str:
    """What a fetched file is, for the breakdown of the search bytes (the first matching KINDS entry)."""
    return next((name for part, name in KINDS if part in url), "the search page")


def print_search_bytes(query: str, reviews: int, fetched: dict) -> None:
    print(f"search '{query}' at {reviews:,} reviews: {fetched['results']} results shown, "
          f"{fetched['requests']} requests, {fetched['raw'] / 1024:.0f} KB as served here, "
          f"{fetched['compressed'] / 1024:.0f} KB gzip-compressed from an empty cache, "
          f"{fetched['warm'] / 1024:.0f} KB after any other page of the site (target: under 300 KB)")
    print("  of which: " + ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in
                                     sorted(fetched["kinds"].items(), key=lambda item: -item[1])))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2000,5000")
    ap.add_argument("--repeat", type=int, default=1, help="builds per size; the best is reported")
    ap.add_argument("--query", default="neglect", help="one-word query for the search-bytes figure")
    ap.add_argument("--search-only", action="store_true", help="only the search bytes, on the site already built")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.search_only:  # measure the search bytes on the site the last full run built
        site = OUT / f"site-{sizes[-1]}"
        print_search_bytes(args.query, sizes[-1], search_bytes(site, args.query))
        return
    rows = [measure(n, args.repeat) for n in sizes]
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
          f"best of {args.repeat}; today {TODAY}")
    builds = ("cold", "warm", "edit", "plain", "search")
    header = (f"{'reviews':>8} {'pages':>7} " + " ".join(f"{b + ' s':>8} {b + ' MiB':>10}" for b in builds)
              + " " + " ".join(f"{b + '/search':>12}" for b in builds[:3]) + f" {'parts':>6} {'index MiB':>10}")
    print(header)
    print("-" * len(header))
    for r in rows:
        search = r["search"][0]
        print(f"{r['reviews']:>8,} {r['pages']:>7,} " + " ".join(f"{r[b][0]:>8.1f} {r[b][1]:>10.0f}" for b in builds)
              + " " + " ".join(f"{r[b][0] / search:>12.2f}" for b in builds[:3])
              + f" {r['parts']:>6} {r['index_mb']:>10.1f}")
    print("CPU seconds (user and system, every process of the build; on this machine's "
          f"{os.cpu_count()} CPUs no build can take less wall time than its CPU seconds / {os.cpu_count()}):")
    for r in rows:
        print(f"{r['reviews']:>8,} reviews: " + ", ".join(f"{b} {r[b][2]:.1f}" for b in builds)
              + f"; cold/search {r['cold'][2] / r['search'][2]:.2f}")
    print("ours: cold, an empty .cache (no judged bodies, no index parts); warm, the same build again, nothing "
          "changed; edit, one review's body changed. Peak memory: the largest sum over the build's processes "
          "(MkDocs and Pagefind run side by side).")
    print("targets: ours below 1.0x Material's search build (every generated page, feeds, data and the "
          "full-text Pagefind index included); peak memory under 1 GiB at 2,000 and 2 GiB at 5,000")
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        print("search bytes not measured: no chromium here (`python3 tasks.py test` installs it, or "
              "`sudo apt-get install chromium`)")
        return
    print_search_bytes(args.query, rows[-1]["reviews"], search_bytes(rows[-1]["site"], args.query))


if __name__ == "__main__":
    main()
