"""scripts/check_pr.py against a temporary git repository with a base and a head commit: the
pull request's content is judged by the base's own code, windows and date, never its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Project

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-23"
MKDOCS = ("site_name: PR check\ndocs_dir: content\ntheme:\n  name: material\nplugins:\n  - safeguarding:\n"
          "      search_index: false\n")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(project: Project) -> Project:
    """A repository whose main branch holds the generator, mkdocs.yml, themes, one published review."""
    shutil.copytree(ROOT / "generator", project.root / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    project.write("mkdocs.yml", MKDOCS)
    project.published()
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "-c", "user.name=T", "-c", "user.email=t@example.org", "add", "-A")
    git(project.root, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    git(project.root, "checkout", "-q", "-b", "pr")
    return project


def commit(project: Project, message: str) -> None:
    git(project.root, "add", "-A")
    git(project.root, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", message)


def check(project: Project, tmp_path: Path) -> tuple[subprocess.CompletedProcess, str, Path]:
    out, summary = tmp_path / "out", tmp_path / "summary.md"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_pr.py"), "--repo", str(project.root),
                             "--base", "main", "--head", "pr", "--out", str(out), "--summary", str(summary),
                             "--today", TODAY], capture_output=True, text=True)
    return result, summary.read_text() if summary.exists() else "", out


def test_a_good_pull_request_passes_with_a_summary_and_a_built_site(repo: Project, tmp_path: Path) -> None:
    repo.review("kingsford-2026-child-b", title='"Child B: learning"', published="2026-06-01")
    assert repo.sync().exit_code == 0
    commit(repo, "add child b")
    result, summary, out = check(repo, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary.startswith("## Pull request check: passed")
    assert "- added kingsford-2026-child-b (local, available until 2027-06-01)" in summary
    assert "Files outside content/" not in summary and "::warning" not in result.stdout
    assert (out / "site" / "reviews" / "kingsford-2026-child-b" / "index.html").is_file()


def test_a_review_missing_from_the_ledger_gets_the_lines_to_add(repo: Project, tmp_path: Path) -> None:
    repo.review("kingsford-2026-child-b", title='"Child B: ```learning```"', published="2026-06-01")
    commit(repo, "add child b, no ledger entry (as from GitHub's web editor)")
    before = (repo.root / "retention.lock").read_text()
    result, summary, out = check(repo, tmp_path)
    assert result.returncode == 1
    section = summary.split("### The ledger entry to add", 1)[1]
    assert "````diff\n--- retention.lock\n+++ retention.lock\n" in section  # a fence longer than any in the text
    added = [line[1:] for line in section.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added[:3] == ["  kingsford-2026-child-b:", '    title: "Child B: ```learning```"', "    type: local"]
    assert "    available_until: 2027-06-01" in added
    assert (repo.root / "retention.lock").read_text() == before  # the pull request's files are never changed
    (repo.root / "retention.lock").write_text(before.replace("reviews:\n", "reviews:\n" + "\n".join(added) + "\n", 1))
    commit(repo, "add the lines the check gave")
    result, summary, out = check(repo, tmp_path / "again")
    assert result.returncode == 0, summary


def test_a_pull_request_cannot_change_the_rules_it_is_judged_by(repo: Project, tmp_path: Path) -> None:
    (repo.content / "reviews" / "kingsford-2026-child-a.md").unlink()  # inside its window until 2027-03-05
    retention = repo.root / "generator" / "retention.py"
    code = retention.read_text()
    sabotaged = code.replace("    present = carried_entries(corpus, ledger)\n    problems = []\n", "    return []\n", 1)
    assert sabotaged != code
    retention.write_text(sabotaged)
    repo.write("mkdocs.yml", MKDOCS + "      today: 2099-01-01\n      local_window_years: 1\n")
    commit(repo, "quietly delete a review")
    result, summary, out = check(repo, tmp_path)
    assert result.returncode == 1
    assert ("::error file=retention.lock,line=5,title=content::content/reviews/kingsford-2026-child-a.md is gone, "
            "but this local review must stay available until 2027-03-05") in result.stdout
    assert summary.startswith("## Pull request check: failed")
    assert "- `generator/retention.py`\n- `mkdocs.yml`" in summary
    assert "retention.lock:5: error: content/reviews/kingsford-2026-child-a.md is gone" in summary
    assert not (out / "site").exists()


def test_a_maintainer_is_warned_of_files_outside_content_and_of_retirements(repo: Project, tmp_path: Path) -> None:
    repo.review("kingsford-2020-child-o", title='"Child O: old"', published="2020-01-10", reviewers=None)
    assert repo.sync().exit_code == 0
    commit(repo, "an old review, its window long over, with no reviewers named (a warning)")
    git(repo.root, "branch", "-f", "main", "pr")
    (repo.content / "reviews" / "kingsford-2020-child-o.md").unlink()  # another partnership's, perhaps
    assert repo.sync().exit_code == 0
    repo.write("reviews/kingsford-2026-child-d.md", "---\ntitle: saved outside content/\n---\n")
    repo.write(".vscode/tasks.json", "{}\n")
    commit(repo, "retire child o; a review in the wrong folder; an editor task")
    result, summary, _ = check(repo, tmp_path)
    assert result.returncode == 0, result.stdout + summary  # green: the warnings are what a maintainer sees
    assert ("::warning file=.vscode/tasks.json,title=outside content::.vscode/tasks.json is not content: it was "
            "not used by this check and a maintainer must review it") in result.stdout
    assert "::warning file=reviews/kingsford-2026-child-d.md,title=outside content::" in result.stdout
    assert ("::warning file=retention.lock,title=ledger::retired kingsford-2020-child-o on 2026-11-23: a maintainer "
            "should confirm the review's partnership asked for this") in result.stdout
    assert "- `.vscode/tasks.json`\n- `reviews/kingsford-2026-child-d.md`" in summary


def test_changes_made_in_files_alone_are_flagged_as_sync_will_record_them(repo: Project, tmp_path: Path) -> None:
    """A rename to another partnership and a withdrawal, made in the files with the ledger left as it
    was: deploy applies them all the same, so the maintainer is told, not only of the stale ledger."""
    repo.review("kingsford-2026-child-b", title='"Child B: learning"', published="2026-06-01")
    assert repo.sync().exit_code == 0
    commit(repo, "a second review")
    git(repo.root, "branch", "-f", "main", "pr")
    (repo.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    repo.review("otherton-2026-child-z", partnership='"Otherton Partnership"', aliases="[kingsford-2026-child-a]")
    repo.review("kingsford-2026-child-b", title='"Child B: learning"', published="2026-06-01",
                withdrawn_on="2026-11-01", withdrawn_reason='"Court order"')
    commit(repo, "rename and withdraw, ledger untouched")
    result, summary, _ = check(repo, tmp_path)
    assert result.returncode == 0, result.stdout + summary  # only "out of date": sync would do this
    flagged = [line.split("::", 2)[2] for line in result.stdout.splitlines() if "title=ledger::" in line]
    assert flagged == [
        "withdrawn kingsford-2026-child-b on 2026-11-01: a maintainer should confirm the review's partnership "
        "asked for this",
        "renamed kingsford-2026-child-a -> otherton-2026-child-z (partnership changed from Kingsford Safeguarding "
        "Children Partnership to Otherton Partnership): a maintainer should confirm the review's partnership asked "
        "for this"]
    assert "- renamed kingsford-2026-child-a -> otherton-2026-child-z" in summary


def test_an_embargoed_review_brought_forward_is_flagged(repo: Project, tmp_path: Path) -> None:
    repo.review("kingsford-2026-child-e", title='"Child E: learning"', published="2026-12-20")
    assert repo.sync().exit_code == 0
    commit(repo, "an embargoed review")
    git(repo.root, "branch", "-f", "main", "pr")
    repo.review("kingsford-2026-child-e", title='"Child E: learning"', published="2026-11-30")
    assert repo.sync().exit_code == 0
    commit(repo, "bring it forward")
    result, summary, _ = check(repo, tmp_path)
    assert result.returncode == 0, result.stdout + summary
    assert ("::warning file=retention.lock,title=ledger::moved kingsford-2026-child-e from 2026-12-20 to "
            "2026-11-30: a maintainer should confirm") in result.stdout


def test_removals_type_changes_and_deleted_briefings_are_flagged(repo: Project, tmp_path: Path) -> None:
    """Legitimate before a review's day, but another partnership's: a maintainer must see each."""
    repo.review("kingsford-2026-child-e", title='"Child E: learning"', published="2026-12-20")
    repo.review("national-2026-review-n", title='"Review N: learning"', published="2026-12-21", type="national")
    repo.briefing()
    assert repo.sync().exit_code == 0
    commit(repo, "two embargoed reviews and a briefing")
    git(repo.root, "branch", "-f", "main", "pr")
    (repo.content / "reviews" / "kingsford-2026-child-e.md").unlink()
    repo.review("national-2026-review-n", title='"Review N: learning"', published="2026-12-21", type="local")
    (repo.content / "briefings" / "information-sharing-briefing.md").unlink()
    assert repo.sync().exit_code == 0
    commit(repo, "remove one, shorten the other's window, delete the briefing")
    result, summary, _ = check(repo, tmp_path)
    assert result.returncode == 0, result.stdout + summary
    flagged = [line.split("::", 2)[2].split(": a maintainer")[0] for line in result.stdout.splitlines()
               if line.startswith("::warning")]
    assert flagged == ["updated national-2026-review-n (type changed from national to local)",
                       "removed kingsford-2026-child-e (it was to be published on 2026-12-20)",
                       "content/briefings/information-sharing-briefing.md is deleted or renamed: links to its address "
                       "break unless the new briefing lists its id under aliases:; a maintainer should confirm its "
                       "publisher asked for this"] + [
                       f"content/reviews/{name}.md, a review of Kingsford Safeguarding Children Partnership already on "
                       "the target branch, is changed or deleted (its text, title, or a retire_on or withdrawn_on that "
                       "takes effect later)" for name in ("kingsford-2026-child-e", "national-2026-review-n")], result.stdout


def test_a_pull_request_touching_two_partnerships_reviews_is_flagged(repo: Project, tmp_path: Path) -> None:
    """Editing another partnership's body or summary leaves no trace in the ledger: the files tell."""
    repo.review("otherton-2026-child-o", partnership='"Otherton Partnership"', published="2026-06-01")
    assert repo.sync().exit_code == 0
    commit(repo, "a review of another partnership")
    git(repo.root, "branch", "-f", "main", "pr")
    repo.review("otherton-2026-child-o", partnership='"Otherton Partnership"', published="2026-06-01",
                summary='"Otherton did everything right."')
    repo.review("kingsford-2026-child-b", published="2026-07-01")
    assert repo.sync().exit_code == 0
    commit(repo, "add mine, and edit theirs")
    result, summary, _ = check(repo, tmp_path)
    assert result.returncode == 0, result.stdout + summary
    assert ("::warning file=retention.lock,title=partnerships::this pull request changes reviews of 2 partnerships "
            "(Kingsford Safeguarding Children Partnership; Otherton Partnership): a maintainer should confirm each "
            "asked for its change") in result.stdout
    assert ("::warning file=content/reviews/otherton-2026-child-o.md,title=review changed::content/reviews/otherton-"
            "2026-child-o.md, a review of Otherton Partnership already on the target branch, is changed or deleted "
            "(its text, title, or a retire_on or withdrawn_on that takes effect later): a maintainer should confirm "
            "Otherton Partnership asked for this") in result.stdout  # a body edit alone leaves no trace elsewhere
    assert "file=content/reviews/kingsford-2026-child-b.md,title=review changed" not in result.stdout  # new: added


def test_export_ignore_cannot_hide_a_file_from_the_check(repo: Project, tmp_path: Path) -> None:
    """The pull request's files are read from git's objects, not by `git archive`, which obeys the
    pull request's own .gitattributes."""
    repo.review("kingsford-2026-child-x", published="2026-06-01")
    assert repo.sync().exit_code == 0
    repo.review("kingsford-2026-child-x", summary='"Lived at KT1 2AB."', published="2026-06-01")
    repo.write(".gitattributes", "content/reviews/kingsford-2026-child-x.md export-ignore\n")
    repo.write("content/.gitattributes", ".gitattributes export-ignore\n")
    commit(repo, "hide a review")
    result, summary, _ = check(repo, tmp_path)
    assert result.returncode == 1
    assert "::error file=content/reviews/kingsford-2026-child-x.md,line=" in result.stdout
    assert "::error file=content/.gitattributes,line=1" in result.stdout


@pytest.mark.parametrize("make", ["directory", "link to a directory", "link to a device"])
def test_a_ledger_that_is_not_a_file_is_an_error_not_a_traceback(repo: Project, tmp_path: Path, make: str) -> None:
    repo.ledger.unlink()
    if make == "directory":
        repo.write("retention.lock/x", "x\n")
    else:
        os.symlink("content" if make == "link to a directory" else "/dev/zero", repo.ledger)
    commit(repo, "a ledger that is not a file")
    result, summary, _ = check(repo, tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "::error file=retention.lock,line=1" in result.stdout and summary.startswith("## Pull request check: failed")


def test_text_from_the_pull_request_cannot_add_markup_to_the_summary(repo: Project, tmp_path: Path) -> None:
    repo.published(partnership='"Kingsford</li></ul><details><summary>Nothing to review</summary> [x](https://e.org)"')
    commit(repo, "a partnership name with markup")
    result, summary, _ = check(repo, tmp_path)
    assert "to Kingsford&lt;/li>&lt;/ul>&lt;details>&lt;summary>Nothing to review&lt;/summary> \\[x\\](https://e.org))" \
        in summary, summary
    assert "<details>" not in summary


def test_warnings_about_files_the_pull_request_does_not_touch_are_left_out(repo: Project, tmp_path: Path) -> None:
    repo.review("kingsford-2026-child-w", title='"Child W: no reviewers"', published="2026-05-01", reviewers=None)
    assert repo.sync().exit_code == 0
    commit(repo, "a review with a warning")
    git(repo.root, "branch", "-f", "main", "pr")
    repo.review("kingsford-2026-child-b", title='"Child B: learning"', published="2026-06-01", reviewers=None)
    assert repo.sync().exit_code == 0
    commit(repo, "add child b, also without reviewers")
    result, summary, _ = check(repo, tmp_path)
    assert result.returncode == 0
    warned = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    assert len(warned) == 1 and "file=content/reviews/kingsford-2026-child-b.md" in warned[0], warned
    assert "0 errors, 1 warning;" in summary and "(1 warning or notice about files this pull request does not " \
        "touch left out.)" in summary


def test_a_symlink_in_the_pull_request_is_reported_not_followed(repo: Project, tmp_path: Path) -> None:
    os.symlink("/proc/self/environ", repo.content / "reviews" / "environ.md")
    commit(repo, "a link")
    result, summary, _ = check(repo, tmp_path)
    assert result.returncode == 1
    assert "::error file=content/reviews/environ.md,line=1" in result.stdout and "is a symbolic link" in result.stdout


def deploy(project: Project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "deploy.py"), "--project", str(project.root),
                           "--site-dir", str(project.root / "_site"), *args], capture_output=True, text=True)


def test_deploy_refuses_a_configured_today(project: Project) -> None:
    project.write("mkdocs.yml", MKDOCS + "      today: 2099-01-01\n")
    result = deploy(project, "--site-url", "https://example.test/")
    assert result.returncode == 1 and "mkdocs.yml sets today: 2099-01-01" in result.stderr
    assert not (project.root / "_site").exists()


def test_deploy_needs_the_site_address(project: Project) -> None:
    project.write("mkdocs.yml", MKDOCS)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "deploy.py"), "--project", str(project.root),
                             "--site-dir", str(project.root / "_site")], capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k != "SITE_URL"})
    assert result.returncode == 1 and "needs the site's address" in result.stderr


def test_deploy_builds_on_the_real_date_with_absolute_addresses(project: Project) -> None:
    project.write("mkdocs.yml", MKDOCS)
    project.review(published="2020-01-01", type="national", partnership=None, regions="[]", harm="[]")
    project.review("embargoed-review", published="2099-01-01", title='"Child Z: SECRET-FUTURE"')
    assert project.run("ledger", "sync").exit_code == 0  # the real date
    result = deploy(project, "--site-url", "https://example.test/learning/")
    assert result.returncode == 0, result.stderr
    site = project.root / "_site"
    assert "https://example.test/learning/reviews/kingsford-2026-child-a/" in (site / "sitemap.xml").read_text()
    assert not (site / "reviews" / "embargoed-review").exists()


def test_deploy_refuses_to_lose_what_the_last_deployment_published(project: Project) -> None:
    """A review still embargoed when a pull request removing it was checked may have been published
    by the time it is merged: the deployment compares with what it last published."""
    project.write("mkdocs.yml", MKDOCS)
    project.review(published="2020-01-01", type="national", partnership=None, regions="[]", harm="[]")
    project.review("embargoed-review", published="2099-01-01", title='"Child Z: SECRET-FUTURE"')
    assert project.run("ledger", "sync").exit_code == 0
    assert deploy(project, "--site-url", "https://example.test/").returncode == 0
    recorded = (project.root / ".deployed" / "retention.lock").read_text()
    assert "kingsford-2026-child-a:" in recorded and "embargoed-review" not in recorded  # never shown: may still go
    (project.content / "reviews" / "embargoed-review.md").unlink()
    assert project.run("ledger", "sync").exit_code == 0
    assert deploy(project, "--site-url", "https://example.test/").returncode == 0  # removed before its day
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.ledger.write_text("reviews: {}\n")  # as a pull request checked before its day may
    shutil.rmtree(project.root / "_site")
    result = deploy(project, "--site-url", "https://example.test/")
    assert result.returncode == 1
    assert "entry 'kingsford-2026-child-a' of " in result.stderr and "is missing" in result.stderr
    assert "nothing was deployed, and the site stays as it was" in result.stderr
    assert not (project.root / "_site").exists()


def test_deploy_goes_on_without_a_damaged_record_and_writes_it_again(project: Project) -> None:
    project.write("mkdocs.yml", MKDOCS)
    project.published()
    record = project.write(".deployed/retention.lock", "reviews:\n  a-review: [unclosed\n")
    result = deploy(project, "--site-url", "https://example.test/")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"note: the record of the last deployment ({record}) cannot be read; this build is compared with the site " \
        f"online instead (the record is written again after this build)\n{record}:3: error: invalid YAML" in result.stderr
    assert "note: there is no site online at https://example.test/data/reviews.json (" in result.stderr  # no such host
    assert "kingsford-2026-child-a:" in record.read_text()  # written again after the build


def deployed_then_record_lost(project: Project, tmp_path: Path) -> Path:
    """Two reviews deployed, the site's open data kept as the site online serves it, and the
    record of the deployment lost: the site online's data, as a file."""
    project.write("mkdocs.yml", MKDOCS)
    project.published()
    project.published(review_id="kingsford-2026-child-b", title='"Child B: learning about neglect"')
    assert deploy(project, "--site-url", "https://example.test/").returncode == 0
    online = tmp_path / "reviews.json"
    shutil.copy(project.root / "_site" / "data" / "reviews.json", online)
    shutil.rmtree(project.root / ".deployed")
    return online


def test_without_its_record_deploy_compares_with_the_site_online(project: Project, tmp_path: Path) -> None:
    """The record's cache entry can be evicted: the site online's open data stands in for it."""
    online = deployed_then_record_lost(project, tmp_path)
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.ledger.write_text(project.ledger.read_text().split("  kingsford-2026-child-a:")[0]
                              + "  kingsford-2026-child-b:" + project.ledger.read_text().split("  kingsford-2026-child-b:")[1])
    shutil.rmtree(project.root / "_site")
    result = deploy(project, "--site-url", "https://example.test/", "--deployed-data", str(online))
    assert result.returncode == 1
    assert "retention.lock:1: error: entry 'kingsford-2026-child-a' of " in result.stderr \
        and ".deployed/compared.lock (line 5) is missing" in result.stderr and "'kingsford-2026-child-b'" not in result.stderr  # still published
    assert f"error: the content does not pass validate against what the site online publishes ({online}): nothing " \
           "was deployed, and the site stays as it was" in result.stderr
    assert not (project.root / "_site").exists() and not (project.root / ".deployed" / "retention.lock").exists()


def test_without_its_record_deploy_accepts_a_rename_and_a_withdrawal(project: Project, tmp_path: Path) -> None:
    online = deployed_then_record_lost(project, tmp_path)
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.review("kingsford-2026-child-a-renamed", aliases="[kingsford-2026-child-a]")
    project.review("kingsford-2026-child-b", title='"Child B: learning about neglect"', withdrawn_on="2026-06-01",
                   withdrawn_reason='"Court order"')
    assert project.run("ledger", "sync").exit_code == 0
    result = deploy(project, "--site-url", "https://example.test/", "--deployed-data", str(online))
    assert result.returncode == 0, result.stderr
    assert (project.root / ".deployed" / "retention.lock").is_file()


@pytest.mark.parametrize("record", ["kept", "lost"])
def test_renames_and_a_withdrawal_recorded_since_the_last_deployment_are_deployed(project: Project, tmp_path: Path,
                                                                                 record: str) -> None:
    """Checked pull requests merged between two deployments: rename a to a2, a2 to a3 (its file
    names only a2), withdraw a3, delete its file. The ledger holds each step, judged at its pull
    request; the deployment takes them as recorded (the court order must reach the site). An
    alias written into the ledger alone is the pull-request check's to refuse
    (test_retention.TestLedgerEditedByHand)."""
    online = deployed_then_record_lost(project, tmp_path)
    if record == "kept":
        assert deploy(project, "--site-url", "https://example.test/").returncode == 0
    reviews = project.content / "reviews"
    (reviews / "kingsford-2026-child-a.md").unlink()
    project.review("kingsford-2026-child-a2", aliases="[kingsford-2026-child-a]")
    assert project.sync().exit_code == 0
    (reviews / "kingsford-2026-child-a2.md").unlink()
    project.review("kingsford-2026-child-a3", aliases="[kingsford-2026-child-a2]")
    assert project.sync().exit_code == 0
    shutil.rmtree(project.root / "_site")
    assert deploy(project, "--site-url", "https://example.test/", "--deployed-data", str(online)).returncode == 0
    project.review("kingsford-2026-child-a3", aliases="[kingsford-2026-child-a2]", withdrawn_on="2026-06-01",
                   withdrawn_reason='"Court order"')
    assert project.sync().exit_code == 0
    (reviews / "kingsford-2026-child-a3.md").unlink()
    assert project.sync().exit_code == 0
    result = deploy(project, "--site-url", "https://example.test/", "--deployed-data", str(online))
    assert result.returncode == 0, result.stderr


def test_a_review_the_ledger_no_longer_holds_under_any_id_is_not_deployed(project: Project, tmp_path: Path) -> None:
    """What the deployment is for: a pull request checked while a review was still embargoed may
    have removed it and its entry; once published, the deployment refuses to lose it."""
    from test_retention import edit_ledger

    online = deployed_then_record_lost(project, tmp_path)
    shutil.rmtree(project.root / "_site")
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    edit_ledger(project, kingsford_2026_child_a=None)
    result = deploy(project, "--site-url", "https://example.test/", "--deployed-data", str(online))
    assert result.returncode == 1 and "entry 'kingsford-2026-child-a' of " in result.stderr, result.stderr
    assert not (project.root / "_site").exists()


@pytest.mark.parametrize("record", ["kept", "lost"])
def test_a_review_withdrawn_then_deleted_between_two_deployments_is_deployed(project: Project, tmp_path: Path,
                                                                            record: str) -> None:
    """Two pull requests, each checked, merged before the next deployment: withdraw, then delete.
    The deployment takes the withdrawal as recorded (a court order must reach the site)."""
    online = deployed_then_record_lost(project, tmp_path)
    if record == "kept":
        assert deploy(project, "--site-url", "https://example.test/").returncode == 0
    project.review(withdrawn_on="2026-06-01", withdrawn_reason='"Court order"')
    assert project.sync().exit_code == 0
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    assert project.sync().exit_code == 0
    result = deploy(project, "--site-url", "https://example.test/", "--deployed-data", str(online))
    assert result.returncode == 0, result.stderr
    assert "Review withdrawn" in (project.root / "_site" / "reviews" / "kingsford-2026-child-a" / "index.html").read_text()


def test_a_longer_window_does_not_block_a_deployment_for_a_review_published_since(project: Project) -> None:
    """Recorded while embargoed with the window of the day, published since, then the window made
    longer: its entry keeps the window it was published with, and the deployment goes ahead."""
    project.write("mkdocs.yml", MKDOCS)
    project.review("embargoed-then-published", published="2026-12-02", title='"Child E: published since"')
    assert project.run("ledger", "sync", "--today", "2026-12-01").exit_code == 0
    assert deploy(project, "--site-url", "https://example.test/").returncode == 0  # embargoed then: not recorded
    project.write("mkdocs.yml", MKDOCS + "      local_window_years: 2\n")
    assert project.run("ledger", "sync").exit_code == 0
    result = deploy(project, "--site-url", "https://example.test/")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("data", ["<!doctype html><title>Not found</title>", '{"reviews": [{"id": "x"}]}',
                                  '{"reviews": {"id": "x"}}', "[" * 100000 + "]" * 100000,
                                  '{"reviews": [{"id": "x", "type": "local", "status": "live", "published": "2026-02-30", '
                                  '"available_until": "2027-03-05"}]}'])
def test_without_its_record_deploy_stops_on_data_it_cannot_read(project: Project, tmp_path: Path, data: str) -> None:
    """A site that answers with something else than its open data may hide a loss: stop, and say so."""
    online = deployed_then_record_lost(project, tmp_path)
    online.write_text(data)
    shutil.rmtree(project.root / "_site")
    result = deploy(project, "--site-url", "https://example.test/", "--deployed-data", str(online))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"error: the site online's list of reviews ({online}) cannot be read: " in result.stderr
    assert not (project.root / "_site").exists()


def test_deploy_keeps_the_ledger_mkdocs_yml_names(project: Project, tmp_path: Path) -> None:
    project.write("mkdocs.yml", MKDOCS + "      ledger: records/ledger.lock\n")
    project.ledger = project.root / "records" / "ledger.lock"
    project.ledger.parent.mkdir()
    project.published()
    assert project.ledger.is_file()
    assert deploy(project, "--site-url", "https://example.test/").returncode == 0
    assert "kingsford-2026-child-a:" in (project.root / ".deployed" / "retention.lock").read_text()
    (project.content / "reviews" / "kingsford-2026-child-a.md").unlink()
    project.ledger.write_text("reviews: {}\n")
    result = deploy(project, "--site-url", "https://example.test/")
    assert result.returncode == 1 and "entry 'kingsford-2026-child-a' of " in result.stderr, result.stderr


def test_the_workflows_call_these_scripts_with_least_privilege() -> None:
    import yaml

    workflows = {p.name: yaml.safe_load(p.read_text()) for p in (ROOT / ".github" / "workflows").glob("*.yml")}
    pr, deploy_workflow = workflows["pull-request.yml"], workflows["deploy.yml"]
    assert pr["permissions"] == {"contents": "read"} and "pull_request_target" not in pr[True]
    runs = [step.get("run", "") for step in pr["jobs"]["check"]["steps"]]
    assert any(run.startswith("python scripts/check_pr.py") for run in runs)
    checkout = pr["jobs"]["check"]["steps"][0]["with"]
    assert checkout["ref"] == "${{ github.event.pull_request.base.sha }}" and checkout["persist-credentials"] is False
    assert deploy_workflow[True]["schedule"] and deploy_workflow[True]["push"] == {"branches": ["main"]}
    runs = [step.get("run", "") for step in deploy_workflow["jobs"]["build"]["steps"]]
    assert any(run.startswith("python scripts/deploy.py") for run in runs)
    cached = [step for step in deploy_workflow["jobs"]["build"]["steps"] if step.get("uses", "").startswith("actions/cache@")]
    code = "generator-cache-${{ hashFiles('generator/**', 'pyproject.toml') }}-"
    assert cached and cached[0]["with"]["path"] == ".cache" and cached[0]["with"]["restore-keys"] == code
    assert cached[0]["with"]["key"] == code + "${{ github.run_id }}"  # new code: an empty cache, none carried on
    assert cached[1]["with"] == {"path": ".deployed", "key": "deployed-ledger-${{ github.run_id }}",
                                 "restore-keys": "deployed-ledger-"}  # whatever the code: what was published
    # a pull request's run may save a cache into its own scope (its workflow file is its own) and
    # restores from that scope first: the check never restores one, so nothing it made is trusted
    assert not [step for step in pr["jobs"]["check"]["steps"] if step.get("uses", "").startswith("actions/cache")]
    weekly = workflows["check-links.yml"]
    assert weekly["permissions"] == {"contents": "read"} and weekly[True]["schedule"]
    step = weekly["jobs"]["check-links"]["steps"][-1]["run"]
    assert "python -m generator check-links --format markdown" in step and "GITHUB_STEP_SUMMARY" in step
    assert step.rstrip().endswith('exit "$status"')  # the summary is written, and a dead link still fails


def test_an_unknown_commit_is_a_clear_error_not_a_traceback(repo: Project, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_pr.py"), "--repo", str(repo.root),
                             "--base", "no-such-branch", "--head", "pr", "--out", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.startswith("error: could not prepare the check:")
    assert "Traceback" not in result.stderr


def test_a_file_name_cannot_break_the_warning_that_names_it() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_pr", ROOT / "scripts" / "check_pr.py")
    check_pr = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_pr)
    name = "docs/a,title=x::b%0A.md"
    warning = check_pr.maintainer_annotations([name], [])
    assert warning.count("\n") == 1 and warning.startswith("::warning file=docs/a%2Ctitle=x%3A%3Ab%250A.md,")
    assert check_pr._parsed(warning.rstrip("\n"))[1]["file"] == name  # read back as written
    assert check_pr.own_annotations(warning, {name}) == (warning, 0)  # its own file: kept

