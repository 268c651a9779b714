"""Verdicts through git history: `sitegen history PATH`, `check --history`, `check_history`.

Each test makes a real git repository in tmp with commits that change the verdict.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ScratchSite

from sitegen import check
from sitegen.cli import main

FC = "content/2020/a-claim.md"


def _git_or_skip() -> None:
    if shutil.which("git") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("history tests must run in CI: git is not installed")
        pytest.skip("git is not installed")


class Repo:
    """The scratch site as a git repository, committed with fixed dates and names."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, date: str = "2020-01-01T12:00:00+00:00") -> str:
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_AUTHOR_NAME": "Ed Itor", "GIT_AUTHOR_EMAIL": "ed@example.org",
               "GIT_COMMITTER_NAME": "Ed Itor", "GIT_COMMITTER_EMAIL": "ed@example.org",
               "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True,
                              text=True, check=True)
        return done.stdout

    def commit(self, message: str, day: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=f"{day}T12:00:00+00:00")
        return self.git("rev-parse", "--short=7", "HEAD").strip()


@pytest.fixture
def repo(site: ScratchSite) -> Repo:
    _git_or_skip()
    return Repo(site.root)


def history(site: ScratchSite, path: str, capsys: pytest.CaptureFixture[str]
            ) -> tuple[int, list[str], list[str]]:
    code = main(["history", "--site", str(site.root), str(site.root / path)])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_history_lists_every_verdict_with_its_commit_date_across_a_rename(
    site: ScratchSite, repo: Repo, make_factcheck: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One line per verdict, with date, short hash and subject; edits that keep the verdict
    are left out; a rename is followed; the updates log is compared and found complete."""
    site.write(FC, make_factcheck(verdict="unclear"))
    first = repo.commit("Publish the river check", "2020-03-04")
    site.write(FC, make_factcheck(body="Better wording.", verdict="unclear"))
    repo.commit("Reword", "2020-03-05")
    site.write(FC, make_factcheck(
        body="Better wording.", verdict="false", original_verdict="unclear",
        updates='\n  - date: 2020-04-01\n    note: "The survey settled it."\n    verdict: false'))
    second = repo.commit("River: verdict now false", "2020-04-02")
    repo.git("mv", FC, "content/2020/river.md")
    repo.commit("Rename the river check", "2020-04-03")
    code, out, err = history(site, "content/2020/river.md", capsys)
    assert (code, err) == (0, [])
    assert out == [
        "content/2020/river.md: verdict in git, oldest first",
        f"  2020-03-04  {first}  unclear                  Publish the river check",
        f"  2020-04-02  {second}  false                    River: verdict now false",
        "1 published verdict change in git; the updates log tells every one",
    ]


def test_history_shows_uncommitted_changes_and_what_updates_miss(
    site: ScratchSite, repo: Repo, make_factcheck: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    site.write(FC, make_factcheck(verdict="unclear"))
    first = repo.commit("Publish", "2020-03-04")
    site.write(FC, make_factcheck(verdict="false"))
    code, out, err = history(site, FC, capsys)
    assert code == 0
    assert out[1:] == [
        f"  2020-03-04  {first}  unclear                  Publish",
        "  (not committed)     false",
        "1 published verdict change in git; 1 not told by the updates log",
    ]
    assert err == [
        f"{FC}:5: warning: updates: the verdict changed from 'unclear' to 'false' in changes "
        "not committed yet, but no update records it (add an update with 'verdict: false', "
        "the date it was published and a note saying why; `sitegen history` shows every "
        "change)"]


def test_check_history_warns_about_a_change_no_update_records(
    site: ScratchSite, repo: Repo, make_factcheck: Callable[..., str]
) -> None:
    """A committed verdict change without an update is a warning naming the commit; a plain
    check does not read git; `[build] check_history = true` makes check and build read it."""
    site.write(FC, make_factcheck(verdict="unclear"))
    repo.commit("Publish", "2020-03-04")
    site.write(FC, make_factcheck(verdict="false"))
    changed = repo.commit("Quietly change the verdict", "2020-04-02")
    expected = [
        f"{FC}:5: warning: updates: the verdict changed from 'unclear' to 'false' in commit "
        f"{changed} (2020-04-02), but no update records it (add an update with 'verdict: "
        "false', the date it was published and a note saying why; `sitegen history` shows "
        "every change)"]
    assert site.messages(check(site.root)) == []
    assert site.messages(check(site.root, history=True)) == expected
    site.write("sitegen.toml", (site.root / "sitegen.toml").read_text()
               + "\n[build]\ncheck_history = true\n")
    assert site.messages(check(site.root)) == expected
    assert site.messages(site.build()) == expected


def test_recorded_changes_and_draft_edits_are_not_warned_about(
    site: ScratchSite, repo: Repo, make_factcheck: Callable[..., str]
) -> None:
    """Verdicts changed while the file was a draft were never published; every published
    change has its update; so nothing is reported."""
    site.write(FC, make_factcheck(verdict="true", draft="true"))
    repo.commit("Draft", "2020-03-01")
    site.write(FC, make_factcheck(verdict="unclear", draft="true"))
    repo.commit("Draft again", "2020-03-02")
    site.write(FC, make_factcheck(verdict="unclear"))
    repo.commit("Publish", "2020-03-04")
    first_change = '\n  - date: 2020-04-01\n    note: "New data."\n    verdict: misleading'
    second_change = '\n  - date: 2020-05-01\n    note: "Back to false."\n    verdict: false'
    updates = second_change + first_change
    site.write(FC, make_factcheck(verdict="misleading", original_verdict="unclear",
                                  updates=first_change))
    repo.commit("Misleading", "2020-04-01")
    site.write(FC, make_factcheck(verdict="false", original_verdict="unclear", updates=updates))
    repo.commit("False", "2020-05-01")
    assert site.messages(check(site.root, history=True)) == []


def test_original_verdict_is_checked_against_the_first_published_version(
    site: ScratchSite, repo: Repo, make_factcheck: Callable[..., str]
) -> None:
    site.write(FC, make_factcheck(verdict="misleading"))
    first = repo.commit("Publish", "2020-03-04")
    site.write(FC, make_factcheck(
        verdict="false", original_verdict="unclear",
        updates='\n  - date: 2020-04-01\n    note: "New data."\n    verdict: false'))
    repo.commit("Change", "2020-04-01")
    assert site.messages(check(site.root, history=True)) == [
        f"{FC}:7: warning: original_verdict: is 'unclear', but the first published version in "
        f"git has the verdict 'misleading' (commit {first} (2020-03-04)) (original_verdict is "
        "the verdict at publication)"]


def test_outside_git_history_says_so_with_exit_code_one(
    site: ScratchSite, capsys: pytest.CaptureFixture[str]
) -> None:
    """No repository: a clear message and exit 1 for `history`, an error for `check
    --history`, a warning when the setting asks (a copy of the site may be outside git)."""
    _git_or_skip()
    code, out, err = history(site, FC, capsys)
    assert (code, out) == (1, [])
    assert err == [f"{FC}: error: {site.root / 'content/2020'} is not in a git repository"]
    assert main(["check", "--history", "--site", str(site.root)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"sitegen.toml: --history: verdict history not checked: {site.root} is not in a git "
        "repository")
    site.write("sitegen.toml", (site.root / "sitegen.toml").read_text()
               + "\n[build]\ncheck_history = true\n")
    assert site.messages(check(site.root)) == [
        f"sitegen.toml: warning: build.check_history: verdict history not checked: "
        f"{site.root} is not in a git repository"]


def test_untracked_missing_and_outside_files(
    site: ScratchSite, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file git never saw is exit 1 with a hint; a missing file or one outside content/
    is a usage error (exit 2)."""
    code, out, err = history(site, FC, capsys)
    assert (code, out) == (1, [])
    assert err == [f"{FC}: error: git has no commit of this file (commit it first: its history "
                   "starts with its first commit)"]
    code, _, err = history(site, "content/2020/nope.md", capsys)
    assert code == 2 and err == [f"sitegen: error: {site.root / 'content/2020/nope.md'}: no "
                                 "such file"]
    code, _, err = history(site, "sitegen.toml", capsys)
    assert code == 2 and "is not in the content folder (content/)" in err[0]


def test_bad_check_history_setting_is_reported(site: ScratchSite) -> None:
    site.write("sitegen.toml", (site.root / "sitegen.toml").read_text()
               + '\n[build]\ncheck_history = "yes"\n')
    assert [m.split(": ", 1)[1] for m in site.messages(site.build())] == [
        "build.check_history: must be true or false, not str ('yes')"]


def test_a_site_moved_into_git_later_is_not_warned_about_its_original_verdict(
    site: ScratchSite, repo: Repo, make_factcheck: Callable[..., str]
) -> None:
    """A file first committed long after its publication date: git never saw the verdict
    readers first read, so original_verdict cannot be checked against it."""
    site.write(FC, make_factcheck(
        verdict="false", original_verdict="unclear", date="2019-01-01", claim_date="2019-01-01",
        updates='\n  - date: 2019-04-01\n    note: "New data."\n    verdict: false'))
    repo.commit("Move the desk into git", "2020-03-04")
    assert site.messages(check(site.root, history=True)) == []
