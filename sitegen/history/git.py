"""Read a content file's past versions from git: which commits touched it, and its bytes then.

Two git processes whatever the number of files: one `git log --name-status` (following
renames) and one `git cat-file --batch` for every past version. Paths are passed and read
NUL-separated, so names with spaces or non-ASCII letters arrive as they are.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

_RECORD = "\x01"


class GitError(Exception):
    """Git cannot answer: not installed, not a repository, or a command failed."""


@dataclass(frozen=True, slots=True)
class Revision:
    """One commit that changed a file, and the file's path (from the repository's top) then."""

    commit: str
    date: str
    """Committer date, ISO 8601."""
    subject: str
    path: str

    @property
    def short(self) -> str:
        return self.commit[:7]

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True, slots=True)
class Repository:
    top: Path
    shallow: bool
    """A shallow clone (CI checkouts often are) holds only the latest commits."""
    empty: bool = False

    def relative(self, path: Path) -> str:
        """A path as git names it: from the repository's top, with '/'."""
        return path.resolve().relative_to(self.top).as_posix()


def open_repository(folder: Path) -> Repository:
    """The git repository holding `folder`, or GitError saying why there is none."""
    if shutil.which("git") is None:
        raise GitError("git is not installed (it is needed to read the history of files)")
    try:
        top = _git(folder, "rev-parse", "--show-toplevel").strip()
    except GitError:
        raise GitError(f"{folder} is not in a git repository") from None
    shallow = _git(folder, "rev-parse", "--is-shallow-repository").strip() == "true"
    try:
        _git(folder, "rev-parse", "--verify", "HEAD")
    except GitError:
        return Repository(Path(top).resolve(), shallow, empty=True)  # no commit yet
    return Repository(Path(top).resolve(), shallow)


def file_revisions(repo: Repository, path: Path) -> list[Revision]:
    """Every commit that changed one file, newest first, across renames (`--follow`)."""
    name = repo.relative(path)
    if repo.empty:
        return []
    output = _git(repo.top, "log", "--follow", *_LOG_FORMAT, "--", name)
    return _track(_commits(output), [name]).get(name, [])


def tree_revisions(repo: Repository, folder: Path,
                   files: Iterable[Path]) -> dict[str, list[Revision]]:
    """For each of `files` (all under `folder`), the commits that changed it, newest first,
    from one log of the whole folder; renames inside the folder are followed."""
    names = [repo.relative(f) for f in files]
    if repo.empty:
        return {}
    output = _git(repo.top, "log", "-M", *_LOG_FORMAT, "--", repo.relative(folder))
    return _track(_commits(output), names)


def read_versions(repo: Repository, revisions: Sequence[Revision]) -> list[bytes | None]:
    """The file's bytes at each revision (None where git has no such blob), in one process."""
    if not revisions:
        return []
    request = "".join(f"{r.commit}:{r.path}\n" for r in revisions).encode("utf-8")
    data = _run(repo.top, ["cat-file", "--batch"], request)
    versions: list[bytes | None] = []
    position = 0
    for _ in revisions:
        end = data.index(b"\n", position)
        header = data[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":
            versions.append(None)  # "<name> missing", or not a file at that commit
            continue
        size = int(header[2])
        versions.append(data[position:position + size])
        position += size + 1
    return versions


_LOG_FORMAT = ("--topo-order", "-z", "--name-status", f"--format={_RECORD}%H%x00%cI%x00%s")


def _commits(output: str) -> list[tuple[str, str, str, list[list[str]]]]:
    """(hash, date, subject, [[status, path, (new path)], ...]) for each commit, newest first."""
    commits = []
    for chunk in output.split(_RECORD)[1:]:
        fields = chunk.split("\0")
        commit, date, subject = fields[:3]
        tokens = [t.strip("\n") for t in fields[3:]]
        tokens = [t for t in tokens if t]
        changes: list[list[str]] = []
        index = 0
        while index < len(tokens):
            status = tokens[index]
            width = 3 if status[:1] in ("R", "C") else 2
            changes.append(tokens[index:index + width])
            index += width
        commits.append((commit, date, subject, changes))
    return commits


def _track(commits: list[tuple[str, str, str, list[list[str]]]],
           names: Iterable[str]) -> dict[str, list[Revision]]:
    """Walk from the newest commit back, following each file to its older names."""
    tracking = {name: name for name in names}  # name at this point in history -> name now
    found: dict[str, list[Revision]] = {}
    for commit, date, subject, changes in commits:
        for change in changes:
            status, path = change[0][:1], change[-1]
            current = tracking.get(path)
            if current is None or status == "D":
                continue
            found.setdefault(current, []).append(Revision(commit, date, subject, path))
            del tracking[path]
            if status == "R":
                tracking[change[1]] = current  # older commits know it by its old name
            elif status not in ("A", "C"):
                tracking[path] = current
    return found


def _git(folder: Path, *args: str) -> str:
    return _run(folder, list(args), None).decode("utf-8", errors="replace")


def _run(folder: Path, args: list[str], stdin: bytes | None) -> bytes:
    environment = {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat"}
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(folder), *args],
                              input=stdin, capture_output=True, env=environment, check=False,
                              timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} failed: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout
