#!/usr/bin/env python3
"""The two commands of the quick start: set everything up, then build the site or run the tests.

    python3 tasks.py site    # virtual environment + install + build the site into site/
    python3 tasks.py test    # virtual environment + install (+ Debian's chromium) + every test

Needs only Python 3.11+ on the machine (and, for the browser tests, root on Debian or Ubuntu
to install chromium, or chromium already installed). The virtual environment lives in .venv/
and is reinstalled only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".installed"


def run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT)
    if completed.returncode:
        sys.exit(completed.returncode)


def setup() -> None:
    """Create .venv and install the project with its test extras, once per pyproject.toml."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"creating {VENV.relative_to(ROOT)}/", flush=True)
        venv.create(VENV, with_pip=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[test]")
    STAMP.write_text(wanted)


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium (Playwright's own browser download is not used)."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
            print("+", " ".join(command), flush=True)
            if subprocess.run(command, env=env).returncode:
                sys.exit("could not install chromium; the browser tests need it")
        return
    sys.exit("the browser tests need chromium: run `sudo apt-get install chromium` (Debian/Ubuntu), then try again")


def site() -> None:
    setup()
    run(PYTHON, "-m", "generator", "build")
    print("\nThe site is in site/. Preview it with live reload: .venv/bin/python -m generator serve", flush=True)


def test() -> None:
    setup()
    ensure_chromium()
    run(PYTHON, "-m", "pytest", *sys.argv[2:])


TASKS = {"site": site, "test": test, "setup": setup}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(TASKS)}}} [pytest arguments]")
    TASKS[sys.argv[1]]()
