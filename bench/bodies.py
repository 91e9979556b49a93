"""What judging and sanitising review bodies costs, stage by stage (prints figures; not a test).

    .venv/bin/python bench/bodies.py [--reviews 5000] [--shared PATH]

Over every review body of the synthetic corpus it times, in one process and one run: the
Markdown conversion every build pays anyway (Python-Markdown, the generator's extensions), the
limits check, the allow-list check (one parse), the nh3 sanitiser, the second parse that
compares what the sanitiser keeps and reads the text the page shows, and the anonymisation
guard's look at that text (bodies._second_look), and the text search indexes, block by block
(bodies.visible_paragraphs); each as seconds and as a ratio of the conversion.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import SHARED, corpus  # noqa: E402

from generator import bodies, htmlcheck  # noqa: E402
from generator.frontmatter import read_document  # noqa: E402


def timed(label, function, items, totals):
    start = time.perf_counter()
    results = [function(item) for item in items]
    totals[label] = time.perf_counter() - start
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=5000)
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    root = corpus(args.reviews, args.shared.resolve())
    files = sorted((root / "content" / "reviews").glob("*.md"))
    texts = [bodies.published_markdown("reviews", read_document(f, f.name, "reviews")[0].body) for f in files]
    totals = {}
    timed("limits (linear scan)", bodies.limit_problems, texts, totals)
    converted = timed("Markdown conversion", lambda t: bodies.convert(t)[0], texts, totals)
    timed("allow-list check (1 parse)", htmlcheck.judge, converted, totals)
    cleaned = timed("nh3 sanitiser", bodies.sanitise, converted, totals)
    shown = timed("differential + shown text", lambda h: htmlcheck.read_shown(h)[1], cleaned, totals)
    timed("guard on the shown text", bodies._second_look, shown, totals)
    timed("search text (blocks)", bodies.visible_paragraphs, cleaned, totals)
    size = sum(map(len, texts))
    print(f"{len(texts):,} review bodies, {size / 1e6:.1f} M characters (average {size // len(texts):,})")
    base = totals["Markdown conversion"]
    for label, seconds in totals.items():
        print(f"  {label:<28} {seconds:7.2f} s  {seconds / base:5.2f} x conversion")
    safety = sum(v for k, v in totals.items() if k not in ("Markdown conversion", "search text (blocks)"))
    print(f"  {'safety total':<28} {safety:7.2f} s  {safety / base:5.2f} x conversion "
          f"(the conversion itself moved from MkDocs to the generator: each body is converted once)")


if __name__ == "__main__":
    main()
