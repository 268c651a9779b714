"""The private folder a preview builds into, and the removal of those their previews left.

A preview of 10,000 articles is hundreds of MB in the temporary folder. `serve` removes its
own on every clean stop (Ctrl-C, SIGTERM, SIGHUP), but one killed outright cannot, so each
`serve` first removes the folders of previews that are gone. Removing another user's work is
the one thing this must never do, so a folder goes only when it is provably a preview's and
provably orphaned: its name and the owner file inside it agree on the owning process, the
folder belongs to this user and is no symlink, and that process no longer exists. A process id
alone could be reused, so the owner is the pid together with the process's start time where
the system tells it (Linux's /proc); elsewhere a live pid keeps the folder, and on Windows,
which has no safe way to ask, nothing is removed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Final

PREFIX: Final = "sitegen-preview-"
OWNER_FILE: Final = "owner"
SITE: Final = "site"
"""The built site, inside the folder; removed first, so an interrupted removal keeps the owner
file and the next serve finishes it."""

_NAME = re.compile(re.escape(PREFIX) + r"(\d+)-(\d+)-[A-Za-z0-9_]+")
UNKNOWN_START: Final = 0
"""Recorded where the system cannot tell when a process started."""


def make_preview_folder() -> Path:
    """A new folder owned by this process, after removing those whose previews are gone."""
    remove_orphans(Path(tempfile.gettempdir()))
    pid = os.getpid()
    start = _start_time(pid) or UNKNOWN_START
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{pid}-{start}-"))
    (folder / OWNER_FILE).write_text(_owner_text(pid, start), encoding="utf-8")
    return folder


def remove_preview_folder(folder: Path) -> None:
    """The site first and the owner file last (see SITE)."""
    shutil.rmtree(folder / SITE, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)


def remove_orphans(temp: Path) -> list[Path]:
    """Remove every preview folder directly in `temp` whose owner is gone; the ones removed."""
    if sys.platform == "win32":
        return []
    removed = []
    with contextlib.suppress(OSError), os.scandir(temp) as entries:
        for entry in entries:
            match = _NAME.fullmatch(entry.name)
            if match and _orphaned(Path(entry.path), int(match[1]), int(match[2])):
                remove_preview_folder(Path(entry.path))
                removed.append(Path(entry.path))
    return removed


def _orphaned(folder: Path, pid: int, start: int) -> bool:
    """True only when `folder` is provably a preview's and its owning process is gone."""
    try:
        info = folder.lstat()
        owner = (folder / OWNER_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    if not (stat.S_ISDIR(info.st_mode) and mine and owner == _owner_text(pid, start)):
        return False
    return pid != os.getpid() and not _running(pid, start)


def _running(pid: int, start: int) -> bool:
    """Whether the process that made a folder may still be running; True when unsure."""
    if start != UNKNOWN_START and Path("/proc/self/stat").exists():
        return _start_time(pid) == start
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, as another user's process
    return True


def _start_time(pid: int) -> int | None:
    """When the process started, in clock ticks since boot (Linux); None if unknown or gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = text.rpartition(")")[2].split()  # the command name may hold spaces and ')'
    try:
        return int(fields[19])  # field 22 of stat(5), counted after the name
    except (IndexError, ValueError):
        return None


def _owner_text(pid: int, start: int) -> str:
    return f"sitegen preview\npid {pid}\nstarted {start}\n"
