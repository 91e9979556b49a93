"""Benchmark the command line's Whoosh search on the synthetic corpus (prints figures; not a test).

    .venv/bin/python bench/search.py [--sizes 500,5000] [--queries 200]

For each size: the search items (content read and judged, cached bodies), a full index from
nothing and, as the baseline in the same run, a full index of the same text by plain Whoosh
(StemmingAnalyzer, TEXT fields, default writer memory, the same worker processes), a refresh with nothing changed, an incremental update after one changed review, and
query latency (median and p95 over varied queries: plain, with facet counts, with facet filters). The index
is written to a scratch folder, never the corpus's own cache.
"""

import argparse
import dataclasses
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import SHARED, TODAY, corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator import bodies  # noqa: E402
from generator.commands import CACHE_FILE  # noqa: E402
from generator.settings import load_settings  # noqa: E402

WORDS = ["neglect", "injury", "NAI", "CCE", "domestic abuse", "information sharing", "health visitor", "school",
         "police", "referral", "mental health", "substance misuse", "\"child protection plan\"", "baby", "father",
         "exploitation", "London", "North West", "professional curiosity", "county lines", "SUDI", "safer sleep",
         "neglet", "escalation", "supervision", "housing", "GP", "missing", "self-harm", "disability"]


def items_of(root: Path):
    from generator.corpus import load_corpus
    from generator.ledger import read_ledger
    from generator.searchdocs import search_items
    from generator.sitemodel import build_site_model

    settings = load_settings(root, today=dt.date.fromisoformat(TODAY))
    bodies.use_disk_cache(root / CACHE_FILE)
    load = load_corpus(settings.content_dir, settings.root)
    bodies.save_disk_cache()
    ledger = read_ledger(settings.ledger_path, "retention.lock")[0]
    start = time.perf_counter()
    items = search_items(build_site_model(load.corpus, ledger, settings.today, settings.windows))
    return items, time.perf_counter() - start


def measure(n: int, shared: Path, queries: int, repeat: int = 1) -> dict:
    from generator.searchindex import SearchIndex

    items, items_time = items_of(corpus(n, shared))
    with tempfile.TemporaryDirectory() as scratch:
        fulls, baselines = [], []
        for run in range(repeat):  # ours and the baseline in turn, the best of each: a busy machine slows both
            folder = Path(scratch) / f"search-{run}"
            start = time.perf_counter()
            SearchIndex(folder).refresh(items)
            fulls.append(time.perf_counter() - start)
            baselines.append(plain_whoosh_index(items, Path(scratch) / f"plain-{run}"))
        full, baseline = min(fulls), min(baselines)
        start = time.perf_counter()
        unchanged = SearchIndex(folder).refresh(items)
        noop = time.perf_counter() - start
        changed = list(items)
        first = next(i for i, item in enumerate(changed) if item.kind == "review")
        changed[first] = dataclasses.replace(changed[first], title=changed[first].title + " (corrected)")
        index = SearchIndex(folder)
        start = time.perf_counter()
        one = index.refresh(changed)
        incremental = time.perf_counter() - start
        assert (one.changed, unchanged.changed) == (1, 0)
        rng = random.Random(7)
        times = {"plain": [], "counts": [], "filtered": []}
        for n_query in range(queries):
            text = " ".join(rng.sample(WORDS, rng.choice((1, 1, 2))))
            for kind, filters in (("plain", {}), ("counts", {}), ("filtered", {
                    "region": rng.choice(["london", "north-west", "south-east"]), "type": "local"})):
                start = time.perf_counter()
                index.search(text, filters, limit=10, facets=kind == "counts")
                times[kind].append((time.perf_counter() - start) * 1000)
        size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
    return dict(reviews=n, items=len(items), items_s=items_time, full_s=full, plain_s=baseline, noop_s=noop, one_s=incremental,
                size_mb=size, **{f"{kind}{p}": value for kind, values in times.items()
                                 for p, value in (("50", statistics.median(values)), ("95", _p95(values)))})


def plain_whoosh_index(items, folder: Path) -> float:
    """Seconds for Whoosh as it comes to index the same text on the same cores: the baseline."""
    import os

    import whoosh.index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    analyzer = StemmingAnalyzer()
    schema = Schema(key=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer, stored=True),
                    summary=TEXT(analyzer=analyzer, stored=True), body=TEXT(analyzer=analyzer),
                    keywords=TEXT(analyzer=analyzer))
    folder.mkdir()
    start = time.perf_counter()
    procs = min(os.cpu_count() or 1, 4)
    writer = whoosh.index.create_in(folder, schema).writer(procs=procs, multisegment=True, start_method="spawn")
    for item in items:
        writer.add_document(key=f"{item.kind}/{item.id}", title=item.title, summary=item.summary, body=item.body,
                            keywords="\n".join(item.keywords))
    writer.commit()
    return time.perf_counter() - start


def _p95(values):
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,5000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--repeat", type=int, default=1, help="full index and baseline in turn, N times; the best of each")
    args = ap.parse_args()
    rows = [measure(int(n), args.shared.resolve(), args.queries, args.repeat) for n in args.sizes.split(",")]
    header = (f"{'reviews':>7} {'items':>6} {'items s':>8} {'index s':>8} {'plain s':>8} {'ratio':>6} {'no-op s':>8} {'1 change s':>10} "
              f"{'MB':>6} {'q50 ms':>7} {'q95 ms':>7} {'count q50':>9} {'count q95':>9} {'filter q50':>10} "
              f"{'filter q95':>10}")
    print(f"Whoosh search, {args.queries} queries per size, each run plain, with facet counts, and with a "
          f"region and type filter (times in ms); full index and plain Whoosh: best of {args.repeat}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['reviews']:>7} {r['items']:>6} {r['items_s']:>8.2f} {r['full_s']:>8.2f} {r['plain_s']:>8.2f} "
              f"{r['full_s'] / r['plain_s']:>6.2f} {r['noop_s']:>8.2f} "
              f"{r['one_s']:>10.2f} {r['size_mb']:>6.1f} {r['plain50']:>7.1f} {r['plain95']:>7.1f} "
              f"{r['counts50']:>9.1f} {r['counts95']:>9.1f} {r['filtered50']:>10.1f} {r['filtered95']:>10.1f}")


if __name__ == "__main__":
    main()
