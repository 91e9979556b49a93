"""Benchmark `generator validate` on the standard synthetic corpus (prints figures; not a test).

Run from the repository root:

    .venv/bin/python bench/validate.py [--sizes 500,2000,5000] [--repeat 3] [--shared PATH]

For each size N it builds, once, a project folder bench/out/corpus-N/ (gitignored) holding
content/ from ../shared/corpus/make_corpus.py, a minimal mkdocs.yml and a synced retention
ledger. The folder is rebuilt only when the corpus generator or its seeds change; delete
bench/out/ to force a rebuild. It then times `python -m generator -C DIR validate` as a child
process, interleaved with a baseline child that only reads every file and parses its front
matter with libyaml, and reports validate/baseline so figures compare across noisy machines.

Standard library only; POSIX only (os.wait4).
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
from pathlib import Path

from common import SHARED, TODAY, check, corpus, run

TARGET_REVIEWS, TARGET_SECONDS = 5000, 3.0
BASELINE = ("import yaml, pathlib; [yaml.load(p.read_text().split('---')[1], Loader=yaml.CSafeLoader)"
            " for p in pathlib.Path({dir!r}, 'content').rglob('*.md')]")


def measure(n, shared, repeat):
    root = corpus(n, shared)
    validate = [sys.executable, "-m", "generator", "-C", root, "validate", "--today", TODAY]
    baseline = [sys.executable, "-c", BASELINE.format(dir=str(root))]
    # Untimed warm-up: fills the page cache and checks both commands succeed before timing.
    check(validate, "validate")
    check(baseline, "baseline")
    v_times, b_times, peaks = [], [], []
    for _ in range(repeat):  # interleaved so machine noise hits both alike
        wall, peak, code, output, _ = run(validate)
        if code != 0:
            print(f"validate failed (exit {code}) on {root}:\n{output}", file=sys.stderr)
            sys.exit(1)
        v_times.append(wall)
        peaks.append(peak)
        wall, _, code, output, _ = run(baseline)
        if code != 0:
            print(f"baseline failed (exit {code}) on {root}:\n{output}", file=sys.stderr)
            sys.exit(1)
        b_times.append(wall)
    shutil.rmtree(root / ".cache", ignore_errors=True)  # once more with nothing cached: a fresh clone's CI run
    cold, cold_peak, _, _, _ = run(validate)
    files = sum(1 for _ in (root / "content").rglob("*.md"))
    return dict(reviews=n, files=files, best=min(v_times), median=statistics.median(v_times),
                peak=max(peaks), baseline=min(b_times), cold=cold, cold_peak=cold_peak)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,2000,5000", help="comma-separated review counts")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per size (default 3)")
    ap.add_argument("--shared", type=Path, default=SHARED,
                    help="the shared folder holding corpus/make_corpus.py (default: sibling of the repo)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.repeat < 1 or not sizes:
        ap.error("need at least one size and --repeat >= 1")

    rows = [measure(n, args.shared.resolve(), args.repeat) for n in sizes]

    print(f"validate --today {TODAY}: best/median of {args.repeat} runs after one warm-up; "
          f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs")
    print("baseline: read every content/*.md and parse its front matter with yaml.CSafeLoader (best run)")
    print("cold: the same with .cache/ deleted first (every body converted and judged, on every core)")
    header = f"{'reviews':>8} {'files':>7} {'best s':>8} {'median s':>9} {'peak MiB':>9} " \
             f"{'baseline s':>11} {'ratio':>6} {'reviews/s':>10} {'cold s':>7} {'cold MiB':>9}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['reviews']:>8,} {r['files']:>7,} {r['best']:>8.3f} {r['median']:>9.3f} {r['peak']:>9.1f} "
              f"{r['baseline']:>11.3f} {r['best'] / r['baseline']:>6.2f} {r['reviews'] / r['best']:>10,.0f} "
              f"{r['cold']:>7.2f} {r['cold_peak']:>9.1f}")

    print(f"target: {TARGET_REVIEWS:,} reviews validated in under {TARGET_SECONDS:g} s")
    hit = next((r for r in rows if r["reviews"] == TARGET_REVIEWS), None)
    if hit is None:
        print(f"  not measured: add {TARGET_REVIEWS} to --sizes")
    else:  # judged on the median, what a user typically waits, not the lucky best run
        verdict = "MET" if hit["median"] < TARGET_SECONDS else "NOT MET"
        print(f"  {verdict}: median {hit['median']:.3f} s (best {hit['best']:.3f} s)")


if __name__ == "__main__":
    main()
