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
import threading
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SHARED = HERE.parent.parent / "shared"
TODAY = "2026-11-22"  # every make_corpus date falls before this day
MKDOCS_YML = "site_name: Bench\ndocs_dir: content\nplugins:\n  - safeguarding\n"
# ru_maxrss is in KiB on Linux but in bytes on macOS.
RSS_PER_MIB = 1024 * 1024 if sys.platform == "darwin" else 1024


class Finished(NamedTuple):
    wall: float  # seconds
    peak: float  # MiB
    code: int
    output: str
    cpu: float  # seconds of CPU (user and system) of the command and every process it waited for


def run(cmd) -> Finished:
    """Run cmd to completion: its wall time, peak memory, exit code, combined output and CPU time.

    Peak memory is the largest sum of the resident memory of the command and every process it
    started, sampled 20 times a second from /proc (a build runs Pagefind beside MkDocs: what the
    machine must hold is their sum). Where /proc is missing (macOS) it falls back to os.wait4's
    ru_maxrss, the largest single process.
    """
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeMemory(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait
        out.seek(0)
        peak = sampler.peak_mib or usage.ru_maxrss / RSS_PER_MIB
        return Finished(wall, peak, proc.returncode, out.read().decode(errors="replace"),
                        usage.ru_utime + usage.ru_stime)


class TreeMemory:
    """Samples the summed RSS of a process and its descendants on a thread until `stop`."""

    def __init__(self, pid, every=0.05):
        self.pid, self.every, self.peak_mib = pid, every, 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        if Path("/proc/self/stat").exists():
            self.thread.start()

    def _sample(self):
        page = os.sysconf("SC_PAGE_SIZE")
        while not self.done.wait(self.every):
            parents = {}
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    try:
                        stat = (entry / "stat").read_text()
                        rss_pages = int((entry / "statm").read_text().split()[1])
                    except (OSError, IndexError, ValueError):
                        continue
                    parents[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), rss_pages)
            tree = {self.pid}
            for _ in range(8):  # descendants, a generation at a time
                tree |= {pid for pid, (parent, _) in parents.items() if parent in tree}
            total = sum(parents[pid][1] for pid in tree if pid in parents)
            self.peak_mib = max(self.peak_mib, total * page / 2**20)

    def stop(self):
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()


def check(cmd, what):
    """Run cmd untimed; on a non-zero exit print its output and stop the benchmark."""
    _, _, code, output, _ = run(cmd)
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
