"""The settle child's side: how the preview's background work can be stopped at any moment.

A rebuild leaves the whole-site files, the search index and share cards not yet drawn to
`Session.settle`, run in a forked child (`Session.settle_in_child`) that settler.py starts once
saves pause and stops when the next save comes. For that to be safe and cheap:

- the child runs at the lowest priority there is (nice 19, and SCHED_IDLE on Linux: it gets a
  core only when nothing else wants it), and the Pagefind it starts inherits that;
- stopping it never leaves half a file: it dies at once unless it is writing a file, and then
  right after (`WriteGuard`), and the search index is made from a linked copy of the pages
  beside the output and swapped in whole (`index_beside`), never written into the live one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

from .output import swap_folder
from .problems import Problem
from .search import BUNDLE, Indexer

STAGING_KIND = "search"
"""Linked copies of the pages are made in `.OUTPUT.search-PID` beside the output folder; a
build's `output.recover_interrupted` removes any a killed child left, as `stale` does."""


class WriteGuard:
    """Lets a settle child be stopped by SIGTERM at any moment but while it writes a file;
    then it stops as soon as the file is in place. Dying takes its Pagefind with it (the
    child leads its own process group)."""

    def __init__(self) -> None:
        self._writing = False
        self._stop = False

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        self._writing = True
        try:
            yield
        finally:
            self._writing = False
            if self._stop:
                _die()

    def _on_signal(self, signum: int, frame: object) -> None:
        if self._writing:
            self._stop = True
        else:
            _die()


NO_GUARD = WriteGuard()
"""For a settle in the calling process (tests, a one-off): nothing stops it."""


def _die() -> None:
    os.killpg(0, signal.SIGKILL)


def lowest_priority() -> None:
    """Nice 19 and, where there is one, the idle scheduling class, for this process and the
    processes it starts."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, 0, 19)
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def index_beside(indexer: Indexer, output: Path, guard: WriteGuard = NO_GUARD) -> list[Problem]:
    """Pagefind over a linked copy of `output`'s pages, its bundle then swapped in whole.

    Indexed in place, a settle stopped half-way would leave an index half-written, and pages
    replaced while Pagefind reads them would be indexed from two moments. Hard links cost no
    copying; where the file system refuses them, the index is made in place as before."""
    remove_stale(output)
    staging = output.parent / f".{output.name}.{STAGING_KIND}-{os.getpid()}"
    try:
        try:
            _link_pages(output, staging)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            return indexer.index(output)
        problems = indexer.index(staging)
        if not problems and (staging / BUNDLE).is_dir():
            with guard.writing():
                swap_folder(staging / BUNDLE, output / BUNDLE)
        return problems
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _link_pages(output: Path, staging: Path) -> None:
    """Every file of `output` but its search bundle and hidden files (a page being written),
    hard-linked into `staging`: a consistent picture of the site that later rebuilds, which
    replace files rather than write into them, leave alone."""
    for folder, subfolders, files in os.walk(output):
        here = Path(folder)
        rel = here.relative_to(output)
        subfolders[:] = [d for d in subfolders
                         if not d.startswith(".") and (rel.parts or d != BUNDLE)]
        (staging / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            if not name.startswith("."):
                with contextlib.suppress(FileNotFoundError):  # removed by a rebuild just now
                    os.link(here / name, staging / rel / name)


def remove_stale(output: Path) -> None:
    """Remove the linked copies that settles stopped before they could (their process gone)."""
    for leftover in output.parent.glob(f".{output.name}.{STAGING_KIND}-*"):
        pid = leftover.name.rpartition("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
