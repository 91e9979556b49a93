"""Fixtures as builders: a scratch project written into tmp_path, then one file added or broken."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings


from generator.cli import cli

# No per-example deadline: a shared CI machine is noisy, and speed is measured in bench/, not here.
settings.register_profile("repository", deadline=None, print_blob=True)
settings.load_profile("repository")

TODAY = "2026-11-23"

THEMES = {
    "information-sharing": ("Sharing information in a timely and appropriate way", "practice"),
    "critical-thinking": ("Critical thinking and challenge", "practice"),
    "domestic-abuse": ("Domestic abuse", "topic"),
    "neglect": ("Neglect", "topic"),
}

REVIEW_FIELDS = {
    "title": '"Child A: learning about information sharing"',
    "type": "local",
    "published": "2026-03-05",
    "partnership": '"Kingsford Safeguarding Children Partnership"',
    "regions": "[london]",
    "themes": "[information-sharing, neglect]",
    "harm": "[neglect]",
    "reviewers": '["A. Reviewer"]',
    "summary": '"Agencies held pieces of the picture but did not share them."',
    "report_url": '"https://example.org/reports/child-a.pdf"',
}

BRIEFING_FIELDS = {
    "title": '"Seven-minute briefing: information sharing"',
    "published": "2026-04-01",
    "themes": "[information-sharing]",
    "summary": '"What practitioners should share, when, and with whom."',
    "reviews": "[kingsford-2026-child-a]",
    "format": "seven-minute",
    "duration_minutes": "7",
}


def front_matter(fields: dict[str, str], body: str = "## Learning\n\nText.\n") -> str:
    """A content file from `key -> YAML text`; a value of None leaves the key out."""
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


class Project:
    """A scratch project: mkdocs.yml, four themes, and whatever a test adds."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.ledger = root / "retention.lock"
        self.write("mkdocs.yml", "site_name: Test\ndocs_dir: content\nplugins:\n  - safeguarding\n")
        for theme_id, (title, group) in THEMES.items():
            self.write(f"content/themes/{theme_id}.md",
                       front_matter({"title": f'"{title}"', "group": group, "summary": f'"About {title.lower()}."'}))
        (self.content / "reviews").mkdir()
        (self.content / "briefings").mkdir()

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def review(self, review_id: str = "kingsford-2026-child-a", body: str = "## Learning\n\nText.\n",
               **changes: str | None) -> Path:
        return self.write(f"content/reviews/{review_id}.md", front_matter({**REVIEW_FIELDS, **changes}, body))

    def published(self, **changes: str | None) -> Path:
        """A review published on 2026-03-05 (local: available until 2027-03-05), recorded in the ledger."""
        path = self.review(**changes)
        assert self.sync().exit_code == 0
        return path

    def briefing(self, briefing_id: str = "information-sharing-briefing", body: str = "## Learning\n\nText.\n",
                 **changes: str | None) -> Path:
        return self.write(f"content/briefings/{briefing_id}.md", front_matter({**BRIEFING_FIELDS, **changes}, body))

    def run(self, *args: str) -> Result:
        result = CliRunner().invoke(cli, ["--project", str(self.root), *args], catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    def validate(self, *args: str, today: str = TODAY) -> Result:
        return self.run("validate", "--today", today, *args)

    def sync(self, today: str = TODAY) -> Result:
        return self.run("ledger", "sync", "--today", today)

    def retention(self, today: str = TODAY) -> list[dict]:
        result = self.run("retention", "--json", "--today", today)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
