"""Shared by the benchmarks: the cached synthetic corpora and a child-process timer.

Corpora come from ../shared/corpus/make_corpus.py and are cached in bench/out/corpus-N/
(gitignored), rebuilt only when the generator script or its seeds change.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SHARED = HERE.parent.parent / "shared"
TODAY = "2026-11-22"  # every make_corpus date falls before this day
MKDOCS_YML = "site_name: Bench\ndocs_dir: content\nplugins:\n  - safeguarding\n"
# ru_maxrss is in KiB on Linux but in bytes on macOS.
RSS_PER_MIB = 1024 * 1024 if sys.platform == "darwin" else 1024


def run(cmd):
    """Run cmd to completion; return (wall seconds, peak RSS in MiB, exit code, combined output).

    Peak memory comes from os.wait4, which returns the rusage of exactly this child (and any
    grandchildren it waited for). That is more robust than the alternatives: RUSAGE_CHILDREN
    deltas keep the max over all earlier children, so a big run hides a smaller later one;
    an in-process wrapper changes the command being timed; and `/usr/bin/time -f %M` is GNU-only.
    """
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait
        out.seek(0)
        return wall, usage.ru_maxrss / RSS_PER_MIB, proc.returncode, out.read().decode(errors="replace")


def check(cmd, what):
    """Run cmd untimed; on a non-zero exit print its output and stop the benchmark."""
    _, _, code, output = run(cmd)
    if code != 0:
        print(f"{what} failed (exit {code}): {' '.join(map(str, cmd))}\n{output}", file=sys.stderr)
        sys.exit(1)
    return output


def corpus(n, shared):
    """The project folder for n reviews, generated and ledger-synced on first use."""
    make_corpus = shared / "corpus" / "make_corpus.py"
    digest = hashlib.sha256(make_corpus.read_bytes())
    for seed in sorted((shared / "seeds").glob("*.txt")):
        digest.update(seed.read_bytes())
    stamp = f"reviews={n} sha256={digest.hexdigest()}\n"
    root = OUT / f"corpus-{n}"
    if (root / ".stamp").is_file() and (root / ".stamp").read_text() == stamp:
        return root
    print(f"generating corpus of {n:,} reviews in {root} ...", file=sys.stderr)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    check([sys.executable, make_corpus, root / "content", "--reviews", str(n)], "make_corpus")
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    check([sys.executable, "-m", "generator", "-C", root, "ledger", "sync", "--today", TODAY], "ledger sync")
    (root / ".stamp").write_text(stamp)  # written last, so an interrupted build is redone
    return root
