"""When the preview's background work runs: after saves pause, and never beside a rebuild.

The settle (`Session.settle`, in a forked child: settle_child.py) makes the whole-site files, the
search index and the share cards not yet drawn. Pagefind over ten thousand pages is half a
minute of CPU; on two cores, running it beside the next rebuild slowed the reload a writer
waits for. So:

- it starts only once saves have paused (`QUIET_SECONDS` without one);
- a save stops a running settle at once (its work is stale by then), and a new one starts
  after the next pause;
- only once the output has waited `STALE_SECONDS` for a settle is a running one merely paused
  (SIGSTOP) while a save is rebuilt, and one started without waiting for a pause, so that a
  writer who never stops saving still gets a search index.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sitegen.runtime.priority import pause_group, resume_group, signal_group

QUIET_SECONDS = 2.0
"""No save for this long, and the settle starts: while a writer is at work the next save
usually comes sooner, and a settle that a save stops is work thrown away."""
STALE_SECONDS = 60.0
"""From this long without a settle, saves pause it instead of stopping it."""


@dataclass
class Schedule:
    """The rules above as plain values, with the time passed in (so tests need no clock)."""

    quiet: float = QUIET_SECONDS
    stale: float = STALE_SECONDS
    wanted: bool = False
    """The output changed since the last settle began."""
    last_save: float = 0.0
    unsettled_since: float | None = None
    """When the output first changed after the last settle that ran to its end."""

    def saving(self, now: float) -> None:
        self.last_save = now

    def saved(self, now: float, unsettled: bool) -> None:
        self.last_save = now
        if unsettled:
            self.wanted = True
            if self.unsettled_since is None:
                self.unsettled_since = now

    def pause_instead(self, now: float) -> bool:
        """A save met a running settle: True to pause it, False to stop it (and want
        another once saves pause)."""
        if self.overdue(now):
            return True
        self.wanted = True
        return False

    def started(self) -> None:
        self.wanted = False

    def finished(self, completed: bool) -> None:
        if completed and not self.wanted:
            self.unsettled_since = None

    def overdue(self, now: float) -> bool:
        return self.unsettled_since is not None and now - self.unsettled_since >= self.stale

    def due(self, now: float) -> bool:
        return self.wanted and (now - self.last_save >= self.quiet or self.overdue(now))

    def wait(self, now: float) -> float | None:
        """Seconds until a settle may be due (None: not until the output changes)."""
        if not self.wanted:
            return None
        until = self.last_save + self.quiet
        if self.unsettled_since is not None:
            until = min(until, self.unsettled_since + self.stale)
        return max(0.01, until - now)


class Settler:
    """Runs the settle child (`start` forks it and returns its pid) by the `Schedule`. The
    watch loop calls `saving` when a batch of changes arrives, before rebuilding, and `saved`
    once the rebuild is announced."""

    def __init__(self, start: Callable[[], int], cleanup: Callable[[], None] = lambda: None,
                 schedule: Schedule | None = None) -> None:
        self.start = start
        self.cleanup = cleanup
        self.schedule = schedule or Schedule()
        self.schedule.last_save = time.monotonic()
        self.changed = threading.Condition()
        self.child: int | None = None
        self.running = False
        """A settle is starting or running (`child` is known once it has started)."""
        self.paused = False
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="sitegen-settle", daemon=True)
        self.thread.start()

    def saving(self) -> None:
        """A save came: stop the running settle, or pause it if the output is long overdue."""
        with self.changed:
            self.schedule.saving(time.monotonic())
            if self.child is not None and not self.paused:
                self._interrupt(self.child)

    def saved(self, unsettled: bool) -> None:
        """The save is rebuilt and announced: resume a paused settle; `unsettled`: the output
        needs another one."""
        with self.changed:
            self.schedule.saved(time.monotonic(), unsettled)
            if self.paused and self.child is not None:
                resume_group(self.child)
            self.paused = False
            self.changed.notify()

    def stop(self) -> None:
        """Stop for good: kill a running settle, remove what it left."""
        with self.changed:
            self.stopped = True
            child = self.child
            self.changed.notify()
        if child is not None:
            _kill(child)
        self.thread.join(timeout=10)
        self.cleanup()

    def idle(self) -> bool:
        """No settle running and none wanted: the output is settled."""
        with self.changed:
            return not self.running and not self.schedule.wanted

    def _interrupt(self, child: int) -> None:
        if self.schedule.pause_instead(time.monotonic()):
            self.paused = pause_group(child)
        else:
            _signal(child, signal.SIGTERM)

    def _run(self) -> None:
        while True:
            with self.changed:
                while not self.stopped and not self.schedule.due(time.monotonic()):
                    self.changed.wait(self.schedule.wait(time.monotonic()))
                if self.stopped:
                    return
                self.schedule.started()
                self.running = True
                started = time.monotonic()
            try:
                child = self.start()  # outside the lock: it may look at the disk first
            except OSError:  # no process to be had: try again after the next pause
                with self.changed:
                    self.running = False
                    self.schedule.saved(time.monotonic(), unsettled=True)
                continue
            with self.changed:
                self.child = child
                if self._is_stopped():  # stop() came while it was starting
                    _kill(child)
                elif self.schedule.last_save > started:  # so did a save
                    self._interrupt(child)
            _, status = os.waitpid(child, 0)
            with self.changed:
                self.child = None
                self.running = False
                self.paused = False
                self.schedule.finished(os.waitstatus_to_exitcode(status) == 0)
                self.changed.notify()

    def _is_stopped(self) -> bool:
        return self.stopped


def _kill(child: int) -> None:
    """The child and its process group (which it may not have made yet)."""
    signal_group(child, signal.SIGKILL)
    _signal(child, signal.SIGKILL)


def _signal(pid: int, signum: signal.Signals) -> bool:
    try:
        os.kill(pid, signum)
    except (ProcessLookupError, PermissionError):
        return False
    return True

