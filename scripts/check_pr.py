#!/usr/bin/env python3
"""The pull-request check: judge a pull request's content by the target branch's rules.

    python scripts/check_pr.py --repo . --base origin/main --head HEAD [--out DIR] [--summary FILE]

A pull request must not change the rules it is judged by, so the check assembles a judging
project from the BASE commit (its generator/, mkdocs.yml with its windows, everything) and
takes from HEAD only the data: content/ and retention.lock. It then runs, with the base's own
code and the real date (no mkdocs.yml `today`):
  1. `validate --format github --base-ledger <base's retention.lock>`: annotations on the diff;
  2. a strict build of the site into OUT/site, for a preview artefact (only when 1 passed);
and writes a Markdown job summary: the result, the reviews the pull request adds, changes or
retires with their available-until dates (as `ledger sync` will record them, so a change made in a
file alone shows too), and any file it edits outside content/ and retention.lock (code,
configuration, workflows, editor settings, tests, docs), which were NOT used and need a
maintainer's review: each also gets a warning annotation, as does each retirement, withdrawal,
rename, moved publication date or change of partnership. Warnings and notices about files the
pull request does not touch are left out (counted in the summary); errors anywhere are kept,
since a change can break another file.
Exit status: 0 when the check passed, 1 when it failed, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = ("content", "retention.lock")  # all a pull request may bring; everything else comes from BASE


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True).stdout


def extract(repo: Path, ref: str, target: Path, *paths: str) -> None:
    """The files of `ref` (or only `paths` of it) into `target`, read from git's objects. Never
    `git archive`: it obeys the tree's own .gitattributes, so a pull request could hide a file from
    the check (export-ignore) or change its text (export-subst). Symbolic links are kept as links,
    made last so that nothing is written through one (the validator reports them; it never follows
    one); submodules have no content here and are left out."""
    files, links = [], []
    for record in git(repo, "ls-tree", "-r", "-z", ref, "--", *paths).split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, sha = meta.split()
        parts = os.fsdecode(name).split("/")
        if kind != b"blob" or any(part in ("", ".", "..", ".git") for part in parts):
            continue
        (links if mode == b"120000" else files).append((sha, target.joinpath(*parts), mode == b"100755"))
    entries = files + links
    blobs = blob_contents(repo, [sha for sha, _, _ in entries])
    for index, ((_, path, executable), data) in enumerate(zip(entries, blobs)):
        path.parent.mkdir(parents=True, exist_ok=True)
        if index >= len(files):
            os.symlink(os.fsdecode(data), path)
        else:
            path.write_bytes(data)
            os.chmod(path, 0o755 if executable else 0o644)


def blob_contents(repo: Path, shas: list[bytes]) -> list[bytes]:
    """Each blob's bytes, in order, from one `git cat-file --batch`."""
    if not shas:
        return []
    out = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], input=b"\n".join(shas) + b"\n",
                         check=True, capture_output=True).stdout
    blobs, at = [], 0
    for _ in shas:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        blobs.append(out[header_end + 1:header_end + 1 + size])
        at = header_end + 1 + size + 1
    return blobs


def judging_project(repo: Path, base: str, head: str, out: Path) -> Path:
    judge = out / "judge"
    shutil.rmtree(judge, ignore_errors=True)
    judge.mkdir(parents=True)
    extract(repo, base, judge)
    for name in DATA:
        path = judge / name
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink(missing_ok=True)
    extract(repo, head, judge, *DATA)
    return judge


def generator(judge: Path, *args: str) -> subprocess.CompletedProcess:
    """The base's own generator (`python -m` finds judge/generator first), never the head's."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SITE_URL")}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=judge, env=env,
                          capture_output=True, text=True)


def synced_ledger(judge: Path, today: list[str]) -> str | None:
    """retention.lock as `ledger sync` (the base's code) writes it from the pull request's files, or
    None when sync refuses (content errors). A change made in a file alone (a withdrawal, a rename)
    takes effect on deploy even if the pull request leaves the ledger as it was, so this, not the
    pull request's ledger, says what the pull request does. The judging copy is left as it was."""
    lock = judge / "retention.lock"
    if lock.is_symlink() or (lock.exists() and not lock.is_file()):
        return None  # validate reports it; never read or written through a link
    before = lock.read_bytes() if lock.exists() else None
    synced = generator(judge, "ledger", "sync", *today).returncode == 0
    after = lock.read_text(encoding="utf-8") if synced and lock.exists() else None
    if before is None:
        lock.unlink(missing_ok=True)
    else:
        lock.write_bytes(before)
    return after


def ledger_changes(judge: Path, base_lock: Path, synced: str | None,
                   reviews_changed: list[str]) -> tuple[list[str], dict[str, str]]:
    """What the pull request does to retention.lock once synced, in `ledger sync`'s words, and the
    partnership of each review whose file it changes (as the target branch records it, else as
    the pull request does), both via the base's code."""
    sys.path.insert(0, str(judge))
    from generator.commands import describe_changes
    from generator.ledger import Ledger, read_ledger

    after_path = judge / "retention.lock"
    if synced is not None:
        after_path = judge.parent / "synced-retention.lock"
        after_path.write_text(synced, encoding="utf-8")
    before = read_ledger(base_lock, "base")[0] if base_lock.exists() else Ledger({}, "base")
    after = read_ledger(after_path, "retention.lock")[0] if after_path.is_file() and not after_path.is_symlink() \
        else None
    owners = {key: entry.partnership for ledger in (after, before) if ledger is not None for key in reviews_changed
              for entry in [ledger.entries.get(key)] if entry is not None and entry.partnership}
    return (describe_changes(before, after) if before is not None and after is not None else []), owners


def ledger_suggestion(judge: Path, validation: str, synced: str | None) -> str:
    """When the ledger entry is what is missing (a partnership working in GitHub's web editor cannot
    run `ledger sync`), the lines to add to retention.lock, as a diff; '' when sync is not needed or
    cannot run."""
    if "ledger sync" not in validation or synced is None:
        return ""
    lock = judge / "retention.lock"
    before = lock.read_text(encoding="utf-8", errors="replace") if lock.is_file() else ""
    return "".join(difflib.unified_diff(before.splitlines(True), synced.splitlines(True), "retention.lock",
                                        "retention.lock"))


def fenced(text: str, info: str = "") -> list[str]:
    """A code block no line of `text` can close: untrusted text cannot escape into Markdown."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, *text.splitlines(), fence]


def summary(passed: bool, validation: str, changes: list[str], rule_files: list[str], built: bool,
            ledger_diff: str = "", untouched: int = 0) -> str:
    errors = validation.count("::error ")
    warnings = validation.count("::warning ")
    lines = [f"## Pull request check: {'passed' if passed else 'failed'}", "",
             f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}; judged by the "
             "target branch's generator and mkdocs.yml, on today's real date."
             + (f" ({untouched} warning{'s' * (untouched != 1)} or notice{'s' * (untouched != 1)} about files "
                "this pull request does not touch left out.)" if untouched else "")]
    if rule_files:
        lines += ["", "### :warning: Files outside content/ and retention.lock: a maintainer must review them", "",
                  "This pull request edits the files below. They were **not** used to judge it (the target "
                  "branch's were), and they take effect only once merged. A review is published only from "
                  "`content/reviews/`:", ""]
        lines += [f"- `{name}`" for name in rule_files]
    lines += ["", "### Reviews this pull request adds, changes or retires", ""]
    lines += [f"- {_markdown_text(change)}" for change in changes] or ["- none"]
    if validation.strip():
        lines += ["", "### Problems", "", *fenced("\n".join(_plain(line) for line in validation.splitlines()[:100]))]
    if ledger_diff:
        lines += ["", "### The ledger entry to add", "",
                  "`retention.lock` does not record this pull request's reviews yet. Run "
                  "`python -m generator ledger sync` and commit `retention.lock`, or, in GitHub's web editor, "
                  "open `retention.lock` on your branch and add the lines marked `+` where shown:", "",
                  *fenced(ledger_diff, "diff")]
    lines += ["", "The built site is attached as the `site-preview` artefact." if built else
              "The site was not built: fix the errors first."]
    return "\n".join(lines) + "\n"


_MARKUP = re.compile(r"([\\`*_\[\]|~])")


def _markdown_text(text: str) -> str:
    """Text from the pull request (a title, a partnership) as literal Markdown: no tag, link or
    emphasis of its own can fold away or disguise the lines after it."""
    return _MARKUP.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


def _parsed(annotation: str) -> tuple[str, dict[str, str], str]:
    """`::KIND PROPS::MESSAGE` as (kind, its properties, message), all decoded."""
    head, _, message = annotation.partition("::")[2].partition("::")
    kind, _, props = head.partition(" ")
    fields = dict(p.split("=", 1) for p in props.split(",") if "=" in p)
    return kind, {k: _decoded(v) for k, v in fields.items()}, _decoded(message)


def _decoded(text: str) -> str:
    return text.replace("%2C", ",").replace("%3A", ":").replace("%0A", " ").replace("%25", "%")


def own_annotations(validation: str, changed: set[str]) -> tuple[str, int]:
    """The annotations a pull request's author should see: every error, and the warnings and
    notices about the files it changes; and how many others were left out."""
    kept, left = [], 0
    for line in validation.splitlines(keepends=True):
        if line.startswith(("::warning ", "::notice ")) and _parsed(line)[1].get("file", "") not in changed:
            left += 1
        else:
            kept.append(line)
    return "".join(kept), left


FLAGGED = ("retired ", "withdrawn ", "live ", "renamed ", "moved ", "removed ")
SPELLED_OUT = ("partnership changed", "type changed")


def maintainer_annotations(rule_files: list[str], changes: list[str], briefings_gone: list[str] = (),
                           partnerships: list[str] = (), edited: list[tuple[str, str]] = ()) -> str:
    """Warnings a maintainer must not miss under a green tick: files outside the content the check
    judged; retirements, withdrawals, renames, removals and moved publication dates (perhaps of
    another partnership's review); a review given to another partnership or another type;
    briefings deleted or renamed, whose addresses trainers link to; each review file already on the
    target branch that is changed or deleted (a body or summary edit, or a retire_on or
    withdrawn_on for a later day, leaves no trace in the ledger), naming its partnership; and
    review files of more than one partnership changed at once."""
    lines = [f"::warning file={_property(name)},title=outside content::{_data(name)} is not content: it was not "
             "used by this check and a maintainer must review it\n" for name in rule_files]
    lines += [f"::warning file=retention.lock,title=ledger::{_data(change)}: a maintainer should confirm the "
              "review's partnership asked for this\n" for change in changes
              if change.startswith(FLAGGED) or any(words in change for words in SPELLED_OUT)]
    lines += [f"::warning file={_property(name)},title=briefing::{_data(name)} is deleted or renamed: links to its "
              "address break unless the new briefing lists its id under aliases:; a maintainer should confirm its "
              "publisher asked for this\n" for name in briefings_gone]
    lines += [f"::warning file={_property(name)},title=review changed::{_data(name)}, a review of "
              f"{_data(owner or 'no partnership')} already on the target branch, is changed or deleted (its text, "
              "title, or a retire_on or withdrawn_on that takes effect later): a maintainer should confirm "
              f"{_data(owner or 'its publisher')} asked for this\n" for name, owner in edited]
    if len(partnerships) > 1:  # a partnership publishes its own reviews: one pull request, one partnership
        lines.append(f"::warning file=retention.lock,title=partnerships::this pull request changes reviews of "
                     f"{len(partnerships)} partnerships ({_data('; '.join(partnerships))}): a maintainer should "
                     "confirm each asked for its change\n")
    return "".join(lines)


def _data(text: str) -> str:
    """A workflow command's message: a file name from a pull request cannot end it or start another."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _plain(annotation: str) -> str:
    """`::error file=F,line=L,title=T::MESSAGE` as `F:L: error: MESSAGE`."""
    kind, fields, message = _parsed(annotation)
    return f"{fields.get('file', '')}:{fields.get('line', '')}: {kind}: {message}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=Path("."))
    ap.add_argument("--base", required=True, help="the target branch's commit (e.g. origin/main)")
    ap.add_argument("--head", required=True, help="the pull request's commit")
    ap.add_argument("--out", type=Path, default=None, help="where to put the judging project and the site")
    ap.add_argument("--summary", type=Path, default=os.environ.get("GITHUB_STEP_SUMMARY"),
                    help="append the Markdown summary here (default: $GITHUB_STEP_SUMMARY, else stdout)")
    ap.add_argument("--today", help="judge as if today were this date (tests only)")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="check-pr-"))
    try:
        merge_base = git(args.repo, "merge-base", args.base, args.head).decode().strip()
        judge = judging_project(args.repo, args.base, args.head, out)
        changed = git(args.repo, "diff", "--name-only", merge_base, args.head).decode().splitlines()
        briefings_gone = git(args.repo, "diff", "--name-only", "--no-renames", "--diff-filter=D", merge_base,
                             args.head, "--", "content/briefings/").decode().splitlines()
        recorded_files_changed = git(args.repo, "diff", "--name-only", "--no-renames", "--diff-filter=MD", merge_base,
                                     args.head, "--", "content/reviews/").decode().splitlines()
    except (subprocess.CalledProcessError, OSError, ValueError) as exc:
        print(f"error: could not prepare the check: {exc}", file=sys.stderr)
        return 2
    rule_files = [name for name in changed if not name.startswith("content/") and name != "retention.lock"]
    base_lock = judge / "target-branch-retention.lock"  # named so in messages
    base_lock.write_bytes(git(args.repo, "show", f"{args.base}:retention.lock")
                          if git(args.repo, "ls-tree", "--name-only", args.base, "retention.lock").strip() else b"")
    today = ["--today", args.today] if args.today else []
    ledger_flag = ["--base-ledger", str(base_lock)] if base_lock.stat().st_size else []
    validation = generator(judge, "validate", "--format", "github", *ledger_flag, *today)
    annotations, untouched = own_annotations(validation.stdout, set(changed) | {"retention.lock"})
    synced = synced_ledger(judge, today)
    reviews_changed = [Path(name).stem for name in changed if name.startswith("content/reviews/")]
    changes, owners = ledger_changes(judge, base_lock, synced, reviews_changed)
    edited = [(name, owners.get(Path(name).stem, "")) for name in recorded_files_changed]
    flagged = maintainer_annotations(rule_files, changes, briefings_gone, sorted(set(owners.values())), edited)
    sys.stdout.write(annotations + flagged)
    sys.stderr.write(validation.stderr)
    built = False
    if validation.returncode == 0:
        build = generator(judge, "build", "--site-dir", str(out / "site"), *today)
        sys.stderr.write(build.stderr)
        built = build.returncode == 0
    passed = validation.returncode == 0 and built
    suggestion = ledger_suggestion(judge, validation.stdout, synced) if validation.returncode else ""
    text = summary(passed, annotations, changes, rule_files, built, suggestion, untouched)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
