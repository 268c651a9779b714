"""A fact-check's verdicts through its git history, checked against its `updates` log.

The updates log is what readers see, so it must tell the whole story: every time the
published verdict changed, an update says so. Git knows when the verdict really changed, so
`sitegen history PATH` prints the verdict at each commit, and `check --history` (or
`[build] check_history`) warns about changes in git that no update records.

Only published versions count: a verdict changed while the file was a draft was never shown
to readers. Versions are matched by verdict, not by date, since an update's date is when the
newsroom published the change, which may differ from when it was committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TextIO

from sitegen.config.settings import CONFIG_NAME, SiteConfig, load_config
from sitegen.content.files import SourceFile
from sitegen.content.front_matter import Record, Scalar, read_record
from sitegen.content.validate import validate_record
from sitegen.history.git import (
    GitError,
    Revision,
    file_revisions,
    open_repository,
    read_versions,
    tree_revisions,
)
from sitegen.markup.convert import MarkdownRenderer
from sitegen.models import FactCheck
from sitegen.problems import Problem, error, warning

_TRUE = ("true", "yes", "on")


@dataclass(frozen=True, slots=True)
class Version:
    """The file at one commit, or on disk and not committed yet (revision None)."""

    revision: Revision | None
    verdict: str | None
    draft: bool
    readable: bool = True

    @property
    def where(self) -> str:
        if self.revision is None:
            return "changes not committed yet"
        return f"commit {self.revision.short} ({self.revision.day})"


@dataclass(frozen=True, slots=True)
class Change:
    """The published verdict moving from `before` to `after` in `version`."""

    before: str
    after: str
    version: Version


def versions(path: str, revisions: Sequence[Revision], past: Sequence[bytes | None],
             on_disk: bytes | None) -> list[Version]:
    """Oldest first; the file on disk comes last when it differs from the newest commit."""
    found = [_version(path, revision, data)
             for revision, data in zip(reversed(revisions), reversed(past), strict=True)]
    if on_disk is not None:
        now = _version(path, None, on_disk)
        if not found or (now.verdict, now.draft) != (found[-1].verdict, found[-1].draft):
            found.append(now)
    return found


def _version(path: str, revision: Revision | None, data: bytes | None) -> Version:
    record = read_record(SourceFile(path, data)) if data is not None else None
    if not isinstance(record, Record):
        return Version(revision, None, False, readable=False)
    verdict, draft = record.meta.get("verdict"), record.meta.get("draft")
    return Version(
        revision,
        verdict.text.strip().lower() if isinstance(verdict, Scalar) and verdict.text else None,
        isinstance(draft, Scalar) and draft.text.strip().lower() in _TRUE,
    )


def published_changes(found: Sequence[Version]) -> tuple[Version | None, list[Change]]:
    """The first published version, and every change of the published verdict after it."""
    public = [v for v in found if v.readable and not v.draft and v.verdict]
    changes = [Change(a.verdict, b.verdict, b) for a, b in pairwise(public)
               if a.verdict and b.verdict and a.verdict != b.verdict]
    return (public[0] if public else None), changes


def unrecorded(fc: FactCheck, found: Sequence[Version]) -> list[Problem]:
    """Warnings for changes git shows and the updates log does not, matched in order."""
    if fc.draft:
        return []
    first, changes = published_changes(found)
    problems = []
    recorded = [u.verdict for u in reversed(fc.updates) if u.verdict]  # oldest first
    if (first is not None and fc.original_verdict and first.verdict != fc.original_verdict
            and _saw_publication(first, fc)):
        problems.append(warning(
            fc.source_path, fc.lines.get("original_verdict"), "original_verdict",
            f"is '{fc.original_verdict}', but the first published version in git has the "
            f"verdict '{first.verdict}' ({first.where})",
            "original_verdict is the verdict at publication"))
    next_update = 0
    for change in changes:
        match = next((i for i in range(next_update, len(recorded))
                      if recorded[i] == change.after), None)
        if match is not None:
            next_update = match + 1
            continue
        problems.append(warning(
            fc.source_path, fc.lines.get("updates", fc.lines.get("verdict")), "updates",
            f"the verdict changed from '{change.before}' to '{change.after}' in "
            f"{change.version.where}, but no update records it",
            f"add an update with 'verdict: {change.after}', the date it was published and a "
            "note saying why; `sitegen history` shows every change"))
    return problems


def _saw_publication(first: Version, fc: FactCheck) -> bool:
    """Whether git holds the version readers first saw: committed by the day after `date`.
    A site moved into git later starts its history with whatever verdict it had then."""
    if first.revision is None:
        return False
    published = dt.date(fc.date.year, fc.date.month, fc.date.day)
    return first.revision.day <= (published + dt.timedelta(days=1)).isoformat()


def site_history_problems(config: SiteConfig, factchecks: Sequence[FactCheck],
                          asked: bool) -> list[Problem]:
    """`check --history` and `[build] check_history`: every fact-check against git. Not
    being in git is an error when asked for on the command line, a warning from the config."""
    report = error if asked else warning
    field = "--history" if asked else "build.check_history"
    try:
        repo = open_repository(config.root)
    except GitError as exc:
        return [report(CONFIG_NAME, None, field, f"verdict history not checked: {exc}")]
    problems = []
    if repo.shallow:
        problems.append(warning(CONFIG_NAME, None, field,
                                "the git clone is shallow, so older verdict changes are not "
                                "seen", "fetch the full history (git fetch --unshallow)"))
    files = [(fc, config.root / fc.source_path) for fc in factchecks]
    known = tree_revisions(repo, config.content_path, [path for _, path in files])
    histories = [(fc, path, known.get(repo.relative(path), [])) for fc, path in files]
    blobs = iter(read_versions(repo, [r for _, _, revisions in histories for r in revisions]))
    for fc, path, revisions in histories:
        past = [next(blobs) for _ in revisions]
        problems += unrecorded(fc, versions(fc.source_path, revisions, past, _read(path)))
    return problems


def history_command(root: Path, path: Path, out: TextIO, err: TextIO) -> int:
    """`sitegen history PATH`: 2 for a path that is not a content file of the site."""
    config, problems = load_config(root)
    if config is None:
        for problem in problems:
            print(problem.format(), file=err)
        return 1
    if not path.is_file():
        print(f"sitegen: error: {path}: no such file", file=err)
        return 2
    if not path.resolve().is_relative_to(config.content_path.resolve()):
        print(f"sitegen: error: {path} is not in the content folder "
              f"({config.build.content_dir}/) of {root}", file=err)
        return 2
    rel = path.resolve().relative_to(config.root.resolve()).as_posix()
    record = read_record(SourceFile(rel, path.read_bytes()))
    if isinstance(record, list):
        document, problems = None, record
    else:
        document, problems = validate_record(record, config, MarkdownRenderer())
    for problem in problems:
        if problem.is_error:
            print(problem.format(), file=err)
    code = print_history(config, path, document if isinstance(document, FactCheck) else None,
                         out, err)
    return 1 if code == 0 and any(p.is_error for p in problems) else code


def print_history(config: SiteConfig, path: Path, fc: FactCheck | None, out: TextIO,
                  err: TextIO) -> int:
    """`sitegen history PATH`: the verdict at each commit that changed it, then what the
    updates log is missing. 0 when read (warnings allowed), 1 when git cannot say."""
    rel = path.resolve().relative_to(config.root.resolve()).as_posix()
    try:
        repo = open_repository(path.parent)
        revisions = file_revisions(repo, path)
    except GitError as exc:
        print(f"{rel}: error: {exc}", file=err)
        return 1
    if not revisions:
        print(f"{rel}: error: git has no commit of this file (commit it first: its history "
              "starts with its first commit)", file=err)
        return 1
    found = versions(rel, revisions, read_versions(repo, revisions), _read(path))
    print(f"{rel}: verdict in git, oldest first", file=out)
    for line in timeline(found):
        print(f"  {line}", file=out)
    if repo.shallow:
        print("  (a shallow clone: older commits are not here)", file=out)
    if fc is None:
        return 0
    problems = unrecorded(fc, found)
    for problem in problems:
        print(problem.format(), file=err)
    changes = len(published_changes(found)[1])
    missing = sum(1 for p in problems if p.field == "updates")
    print(f"{changes} published verdict change{'' if changes == 1 else 's'} in git; "
          + (f"{missing} not told by the updates log" if missing
             else "the updates log tells every one"), file=out)
    return 0


def timeline(found: Sequence[Version]) -> list[str]:
    """One line per version that changed the verdict or the draft flag (and the first)."""
    lines = []
    previous: tuple[str | None, bool, bool] | None = None
    for version in found:
        state = (version.verdict, version.draft, version.readable)
        if state == previous:
            continue
        previous = state
        revision = version.revision
        when = (f"{revision.day}  {revision.short}" if revision
                else "(not committed)".ljust(18))
        if not version.readable:
            verdict = "(front matter unreadable)"
        else:
            verdict = (version.verdict or "(no verdict)") + (" (draft)" if version.draft else "")
        subject = revision.subject if revision else ""
        lines.append(f"{when}  {verdict:<24} {subject}".rstrip())
    return lines


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
