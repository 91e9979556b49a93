"""Benchmark related learning on the synthetic corpus (prints figures; not a test).

    .venv/bin/python bench/related.py [--sizes 500,5000]

For each size: reading the content with a warm cache (the baseline, a part of every build), then
what related learning adds to the site model for every live review and briefing, cold (key
terms computed) and warm (key terms from the disk cache, as on every build after the first),
with the ratio of each to the baseline. The model scores each item's matches when its page
first asks for them, so every item's are asked for here, as the build's pages do.
"""

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from common import SHARED, TODAY, corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator import bodies, related, sitemodel  # noqa: E402
from generator.commands import CACHE_FILE  # noqa: E402
from generator.corpus import load_corpus  # noqa: E402
from generator.ledger import read_ledger  # noqa: E402
from generator.settings import load_settings  # noqa: E402


def measure(n: int) -> dict:
    root = corpus(n, SHARED)
    settings = load_settings(root, today=dt.date.fromisoformat(TODAY))
    bodies.use_disk_cache(root / CACHE_FILE)
    load_corpus(settings.content_dir, settings.root)
    bodies.save_disk_cache()
    start = time.perf_counter()
    load = load_corpus(settings.content_dir, settings.root)  # warm, as in every build after the first
    baseline = time.perf_counter() - start
    ledger = read_ledger(settings.ledger_path, "retention.lock")[0]
    args = (load.corpus, ledger, settings.today, settings.windows)
    with mock.patch.object(sitemodel, "_related", lambda *a: ({}, {})):
        start = time.perf_counter()
        sitemodel.build_site_model(*args)
        model_only = time.perf_counter() - start
    times = {}
    with tempfile.TemporaryDirectory() as scratch:
        for run in ("cold", "warm"):
            related.use_disk_cache(Path(scratch) / "cache.sqlite")
            start = time.perf_counter()
            model = sitemodel.build_site_model(*args)
            for mapping in (model.related, model.uncited):  # scored on first use: every page uses its own
                for item_id in mapping:
                    mapping[item_id]
            times[run] = time.perf_counter() - start - model_only
            related.save_disk_cache()
    related.use_disk_cache(None)
    return dict(reviews=n, live=len(model.live), briefings=len(model.briefings), baseline=baseline, **times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,5000")
    args = ap.parse_args()
    rows = [measure(int(n)) for n in args.sizes.split(",")]
    print("Related learning (text and tags) for every live review and briefing, seconds")
    header = f"{'reviews':>7} {'live':>5} {'briefings':>9} {'read s':>8} {'cold s':>7} {'warm s':>7} {'cold x':>7} {'warm x':>7}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['reviews']:>7} {r['live']:>5} {r['briefings']:>9} {r['baseline']:>8.2f} {r['cold']:>7.2f} "
              f"{r['warm']:>7.2f} {r['cold'] / r['baseline']:>7.2f} {r['warm'] / r['baseline']:>7.2f}")
    print("read s: reading and judging the content (warm cache); cold/warm: what related learning adds, "
          "without and with the key terms cached; x: as a multiple of read s")


if __name__ == "__main__":
    main()
