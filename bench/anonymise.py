"""The anonymisation guard: speed, false positives and recall (prints figures; not a test).

    .venv/bin/python bench/anonymise.py [--reviews 5000] [--shared PATH]

Scans every content file, whole (front matter and body), of the shipped content and of the
synthetic corpus (../shared/corpus/make_corpus.py, cached in bench/out/corpus-N/ by common.py).
Neither holds a real identifier, so every finding is a false positive: target 0. Prints the
files, characters, findings, time and throughput; then recall over
tests/cases/anonymisation/positives.txt and false positives over negatives.txt.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import SHARED, corpus  # noqa: E402

from generator.anonymise import find_identifiers  # noqa: E402

CASES = ROOT / "tests" / "cases" / "anonymisation"


def scan(label: str, content: Path) -> None:
    """Scan every .md file under `content` and print the figures and the first few findings."""
    texts = [(path, path.read_text(encoding="utf-8")) for path in sorted(content.rglob("*.md"))]
    start = time.perf_counter()
    found = [(path.name, f.kind, f.text) for path, text in texts for f in find_identifiers(text)]
    seconds = time.perf_counter() - start
    chars = sum(len(text) for _, text in texts)
    megabytes = sum(len(text.encode("utf-8")) for _, text in texts) / 1e6
    print(f"{label}: {len(texts):,} files scanned, {chars:,} characters ({megabytes:.1f} MB), "
          f"{seconds:.2f} s, {megabytes / seconds:.1f} MB/s; findings (false positives, target 0): {len(found)}")
    for item in found[:10]:
        print("   ", *item)


def lines(name: str) -> list[str]:
    return [line for line in (CASES / name).read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]


def sentences() -> None:
    """Recall: a positive counts only when it gives exactly its one finding, of its kind and text."""
    rows = [line.split("\t") for line in lines("positives.txt")]
    caught = sum([(f.kind, f.text) for f in find_identifiers(sentence)] == [(kind, text)]
                 for kind, text, sentence in rows)
    negatives = lines("negatives.txt")
    flagged = sum(bool(find_identifiers(sentence)) for sentence in negatives)
    print(f"recall: {caught}/{len(rows)} positive sentences caught exactly; "
          f"false positives: {flagged}/{len(negatives)} tricky negative sentences")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=5000)
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    scan("shipped content", ROOT / "content")
    scan(f"synthetic corpus ({args.reviews:,} reviews)", corpus(args.reviews, args.shared.resolve()) / "content")
    sentences()


if __name__ == "__main__":
    main()
