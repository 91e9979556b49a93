"""Problems found in content, and the three ways they are printed.

Every stage of the pipeline reports what is wrong as a `Problem` that carries the file and line
from the moment of parsing, so a partnership sees `PATH:LINE: error: MESSAGE` for every problem
in one run. Formatting lives here; deciding the exit code lives in `cli.py`.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass
from typing import Iterable, Sequence

ERROR = "error"
WARNING = "warning"
INFO = "info"  # worth knowing, never a failure, not even with --strict (an embargo, say)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at one line; nothing more.

    `hint` says how to fix it ("did you mean 'themes'?"); `key` is the front-matter key at
    fault, when there is one.
    """

    path: str
    line: int
    severity: str
    message: str
    key: str = ""
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self) -> str:
        """The `PATH:LINE: error: MESSAGE (HINT)` line that editors and people read."""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}: {self.severity}: {self.message}{hint}"


def error(path: str, line: int, message: str, key: str = "", hint: str = "") -> Problem:
    return Problem(path, line, ERROR, message, key, hint)


def warning(path: str, line: int, message: str, key: str = "", hint: str = "") -> Problem:
    return Problem(path, line, WARNING, message, key, hint)


def info(path: str, line: int, message: str, key: str = "", hint: str = "") -> Problem:
    return Problem(path, line, INFO, message, key, hint)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean ...?' hint for the closest choice, or '' when none is close."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close and len(word) >= 3:  # 'yorkshire' -> 'yorkshire-and-the-humber'
        close = [c for c in choices if c.startswith(word.lower()) or word.lower() in c.split("-")][:1]
    return f"did you mean '{close[0]}'?" if close else ""


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line, errors before warnings at one line."""
    order = {ERROR: 0, WARNING: 1, INFO: 2}
    return sorted(set(problems), key=lambda p: (p.path, p.line, order[p.severity], p.message))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


def format_text(problems: Sequence[Problem]) -> str:
    return "".join(p.text() + "\n" for p in problems)


def format_json(problems: Sequence[Problem]) -> str:
    return json.dumps([asdict(p) for p in problems], indent=2) + "\n"


def format_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands, so each problem is annotated on the PR's diff."""
    lines = []
    for p in problems:
        title = _escape_property(f"{p.key}" if p.key else "content")
        body = _escape_data(p.message + (f" ({p.hint})" if p.hint else ""))
        file = _escape_property(p.path)
        command = "notice" if p.severity == INFO else p.severity
        lines.append(f"::{command} file={file},line={p.line},title={title}::{body}\n")
    return "".join(lines)


def format_markdown(problems: Sequence[Problem]) -> str:
    """A Markdown table for a job summary. Messages quote untrusted content, so every character
    Markdown or HTML would act on is escaped: a value cannot become a link, an image or markup."""
    if not problems:
        return "No problems found.\n"
    rows = ["| File | Line | Severity | Problem |", "|---|---|---|---|"]
    for p in problems:
        message = p.message + (f" ({p.hint})" if p.hint else "")
        rows.append(f"| {_escape_markdown(p.path)} | {p.line} | {p.severity} | {_escape_markdown(message)} |")
    return "\n".join(rows) + "\n"


def _escape_markdown(text: str) -> str:
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+!|~:])", r"\\\1", text)


def summary_line(problems: Sequence[Problem], files_checked: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    return (f"{files_checked} file{'s' * (files_checked != 1)} checked: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github, "markdown": format_markdown}
