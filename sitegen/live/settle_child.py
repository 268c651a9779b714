"""The settle child's side: how the preview's background work can be stopped at any moment.

A rebuild leaves the whole-site files, the search index and share cards not yet drawn to
`Session.settle`, run in a forked child (`Session.settle_in_child`) that background.py starts once
saves pause and stops when the next save comes. For that to be safe and cheap:

- the child runs at the lowest priority there is (nice 19, and SCHED_IDLE on Linux: it gets a
  core only when nothing else wants it: sitegen.runtime.detached.start_idle_child), and the
  Pagefind it starts inherits that;
- stopping it never leaves half a file: it dies at once unless it is writing a file, and then
  right after (`WriteGuard`). The search indexer needs no guard: it writes each shard's
  bundle under a work folder, renames it into place and replaces its manifest last
  (search/index.py), so a reader sees the old index or the new one, and the next run removes what
  a stopped one left.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator


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

