"""File-system events -> batches of changed paths, for `serve` and `build --watch`.

watchdog reports every write, rename and temporary file an editor makes; a writer's save is
often five events. Events are filtered (editor leftovers, hidden folders, the output folder),
then collected until the burst is over, and handed over as one batch, so a burst of saves (or a
`git pull` of a thousand files) is one rebuild.

The burst is over sooner when it is known to be complete: on Linux every file written is
closed (inotify says so), and a file renamed into place is whole. Then a few milliseconds
without another event are enough, instead of the quiet period that a write still open, a file
just deleted (an editor may be about to rename the new version into its place) or an observer
that never reports closes (polling, other systems) needs. Waiting is most of what a writer
waits for after a save, so it matters: 5 ms instead of 30 ms.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from sitegen.content.files import is_ignored_name

QUIET_SECONDS = 0.03  # an editor's save is a burst of events within a few milliseconds
SETTLED_SECONDS = 0.005
"""How long to wait for another event once every file of the burst is complete."""
LONGEST_WAIT_SECONDS = 1.0
POLL_SECONDS = 0.5

Batch = frozenset[Path]
Event = tuple[Path, bool]
"""A changed path, and whether the change is complete (False: a write not yet closed, or the
path just vanished)."""


class _Collector(FileSystemEventHandler):
    def __init__(self, keep: Callable[[Path], bool], events: queue.Queue[Event],
                 gone: Callable[[Path], None], companions: bool) -> None:
        self.keep = keep
        self.events = events
        self.gone = gone
        self.companions = companions
        """The observer adds a 'modified' event for the folder of every file changed in it
        (inotify does): such an event tells nothing the file's own did not, and would make a
        rebuild list a folder of a thousand files again for nothing."""

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind in ("opened", "closed_no_write"):
            return
        if event.is_directory and kind == "modified" and self.companions:
            return
        if event.is_directory and kind in ("deleted", "moved"):
            self.gone(_path(event.src_path))
        source_complete = kind in ("closed", "attrib") or (
            event.is_directory and kind in ("created", "modified"))
        for raw, complete in ((event.src_path, source_complete),
                              (getattr(event, "dest_path", ""), True)):  # renamed into place
            if raw:
                path = _path(raw)
                if self.keep(path):
                    self.events.put((path, complete))


class Burst:
    """The paths of one burst of events, and when it is over. Time is passed in, so the rule
    is a plain value to test: over after QUIET_SECONDS without an event, or SETTLED_SECONDS
    when every path's last event said it is complete; never later than LONGEST_WAIT_SECONDS
    after the first event."""

    def __init__(self, now: float) -> None:
        self.paths: set[Path] = set()
        self.incomplete: set[Path] = set()
        self.started = now
        self.last = now

    def add(self, event: Event, now: float) -> None:
        path, complete = event
        self.paths.add(path)
        self.last = now
        if complete:
            self.incomplete.discard(path)
        else:
            self.incomplete.add(path)

    def remaining(self, now: float) -> float:
        """Seconds to wait for another event before the burst is over (0: it is over)."""
        quiet = QUIET_SECONDS if self.incomplete else SETTLED_SECONDS
        return max(0.0, min(self.last + quiet, self.started + LONGEST_WAIT_SECONDS) - now)


def _path(raw: str | bytes) -> Path:
    return Path(raw if isinstance(raw, str) else raw.decode())


class Watcher:
    """Watches a site's folders and files and calls `on_batch` with each burst of changes.

    `folders` are watched recursively; their parent folders too, shallowly, so a folder that
    is deleted and made again (a `git checkout`) is watched again.
    """

    def __init__(self, folders: Iterable[Path], files: Iterable[Path],
                 on_batch: Callable[[Batch], None], *, ignore: Iterable[Path] = (),
                 poll: bool = False) -> None:
        self.folders = [f.absolute() for f in folders]
        self.files = {f.absolute() for f in files}
        self.ignore = [p.absolute() for p in ignore]
        self.on_batch = on_batch
        self.observer: BaseObserver = (PollingObserver(timeout=POLL_SECONDS) if poll
                                       else Observer())
        self.events: queue.Queue[Event] = queue.Queue()
        self.handler = _Collector(self._relevant, self.events, self._gone,
                                  companions=_adds_folder_events(self.observer))
        self.watched: dict[Path, tuple[object, int]] = {}  # folder -> (watch, its inode)
        self.dead: set[Path] = set()  # watched folders seen deleted or moved away
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._batches, name="sitegen-watch", daemon=True)

    def start(self) -> None:
        parents = {f.parent for f in self.folders} | {f.parent for f in self.files}
        for parent in sorted(parents):
            if parent.is_dir():
                self.observer.schedule(self.handler, str(parent), recursive=False)
        for folder in self.folders:
            self._watch(folder)
        self.observer.start()
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.observer.stop()
        self.observer.join(timeout=5)
        self.thread.join(timeout=5)

    def _watch(self, folder: Path) -> None:
        """(Re)start watching `folder` if it is a different folder from the one watched: a
        folder made again after a delete has a new inode and its old watch is dead."""
        try:
            inode = folder.stat().st_ino if folder.is_dir() else -1
        except OSError:
            inode = -1
        current = self.watched.get(folder)
        if current is not None and current[1] == inode and folder not in self.dead:
            return
        self.dead.discard(folder)
        if current is not None:
            with contextlib.suppress(KeyError, ValueError):
                self.observer.unschedule(current[0])  # type: ignore[arg-type]
            del self.watched[folder]
        if inode != -1:
            watch = self.observer.schedule(self.handler, str(folder), recursive=True)
            self.watched[folder] = (watch, inode)

    def _gone(self, path: Path) -> None:
        if path in self.watched:
            self.dead.add(path)

    def _relevant(self, path: Path) -> bool:
        if path in self.files:
            return True
        if any(path.is_relative_to(ignored) for ignored in self.ignore):
            return False
        for folder in self.folders:
            if path == folder:
                return True
            if path.is_relative_to(folder):
                parts = path.relative_to(folder).parts
                return not any(is_ignored_name(part) for part in parts)
        return False

    def _batches(self) -> None:
        while not self.stopping.is_set():
            try:
                first = self.events.get(timeout=0.2)
            except queue.Empty:
                continue
            batch = self._collect(first)
            for folder in self.folders:
                if folder in batch:  # perhaps deleted and made again (a git checkout)
                    self._watch(folder)
            if not self.stopping.is_set():
                self.on_batch(frozenset(batch))

    def _collect(self, first: Event) -> set[Path]:
        """Gather events until the burst is over (see Burst)."""
        burst = Burst(time.monotonic())
        burst.add(first, burst.started)
        while (wait := burst.remaining(time.monotonic())) > 0:
            try:
                event = self.events.get(timeout=wait)
            except queue.Empty:
                break
            burst.add(event, time.monotonic())
        return burst.paths


def _adds_folder_events(observer: BaseObserver) -> bool:
    """Whether the observer is inotify's, which reports a folder as modified after every
    change of a file in it (and never otherwise: Linux has no 'modified' for folders)."""
    try:
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:  # not Linux
        return False
    return isinstance(observer, InotifyObserver)
