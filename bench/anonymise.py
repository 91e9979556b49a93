"""The anonymisation guard: speed, false positives and recall (prints figures; not a test).

    .venv/bin/python bench/anonymise.py [--reviews 5000] [--shared PATH]

Scans what validate scans (every review's and briefing's body and free-text fields) in the
shipped content and in the synthetic corpus, and prints the findings (on this text every one
is a false positive: target 0), the time and throughput; then recall over
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
from generator.frontmatter import read_document  # noqa: E402
from generator.schema import KINDS  # noqa: E402
from generator.validate import _free_texts, validate_document  # noqa: E402


def scanned_texts(content: Path):
    """(file, text) for each body and free-text value validate hands to the guard."""
    for folder in ("reviews", "briefings"):
        for path in sorted((content / folder).glob("*.md")):
            doc, _ = read_document(path, path.name, folder)
            record, _ = validate_document(doc)
            values = {f.key: getattr(record, f.key) for f in KINDS[folder].fields}
            yield from ((path.name, text) for text, _, _ in _free_texts(doc, KINDS[folder], values))


def scan(label: str, content: Path) -> None:
    texts = list(scanned_texts(content))
    start = time.perf_counter()
    found = [(name, f.kind, f.text) for name, text in texts for f in find_identifiers(text)]
    seconds = time.perf_counter() - start
    size = sum(len(text) for _, text in texts)
    print(f"{label}: {len({n for n, _ in texts}):,} files, {size / 1e6:.1f} M characters scanned in {seconds:.2f} s "
          f"({size / 1e6 / seconds:.1f} M characters/s); findings (false positives): {len(found)}")
    for item in found[:10]:
        print("   ", *item)


def sentences() -> None:
    cases = ROOT / "tests" / "cases" / "anonymisation"
    rows = [line.split("\t") for line in (cases / "positives.txt").read_text().splitlines() if line[:1] != "#"]
    caught = sum([(f.kind, f.text) for f in find_identifiers(sentence)] == [(kind, text)] for kind, text, sentence in rows)
    negatives = [line for line in (cases / "negatives.txt").read_text().splitlines() if line and line[0] != "#"]
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
