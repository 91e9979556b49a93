"""An atomic site folder: a build is written beside its target and swapped in only when complete.

A build that fails or is killed half-way leaves the previous site exactly as it was: readers of a
deployed folder, and the next deployment, never see a half-written site. Leftovers of a killed
build are cleared (or, if it died between the two renames, the previous site restored) by the
next build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class StagedSite:
    """A temporary folder next to `target`; `commit` swaps it in, `discard` throws it away."""

    def __init__(self, target: Path):
        self.target = Path(os.path.abspath(target))
        self.target.parent.mkdir(parents=True, exist_ok=True)
        recover(self.target)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.building-", dir=self.target.parent))

    def commit(self) -> None:
        previous = None
        if os.path.lexists(self.target):
            previous = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.previous-", dir=self.target.parent))
            os.rename(self.target, previous / "site")
        os.rename(self.path, self.target)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def recover(target: Path) -> None:
    """Clear what a killed build left beside `target`; restore the previous site if the build died
    after moving it aside and before moving the new one in."""
    for leftover in sorted(target.parent.glob(f".{target.name}.previous-*")):
        if not os.path.lexists(target) and (leftover / "site").is_dir():
            os.rename(leftover / "site", target)
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in target.parent.glob(f".{target.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
