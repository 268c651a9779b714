"""File-system events -> batches of changed paths, for `serve` and `build --watch`.

watchdog reports every write, rename and temporary file an editor makes; a writer's save is
often five events. Events are filtered (editor leftovers, hidden folders, the output folder),
then collected until the folder has been quiet for a moment, and handed over as one batch, so a
burst of saves (or a `git pull` of a thousand files) is one rebuild.
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

from .sources import is_ignored_name

QUIET_SECONDS = 0.03  # an editor's save is a burst of events within a few milliseconds
LONGEST_WAIT_SECONDS = 1.0
POLL_SECONDS = 0.5

Batch = frozenset[Path]


class _Collector(FileSystemEventHandler):
    def __init__(self, keep: Callable[[Path], bool], events: queue.Queue[Path],
                 gone: Callable[[Path], None]) -> None:
        self.keep = keep
        self.events = events
        self.gone = gone

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type in ("deleted", "moved"):
            self.gone(_path(event.src_path))
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                path = _path(raw)
                if self.keep(path):
                    self.events.put(path)


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
        self.events: queue.Queue[Path] = queue.Queue()
        self.handler = _Collector(self._relevant, self.events, self._gone)
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

    def _collect(self, first: Path) -> set[Path]:
        """Gather events until the folder is quiet, but never wait longer than a second."""
        batch = {first}
        deadline = time.monotonic() + LONGEST_WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                batch.add(self.events.get(timeout=QUIET_SECONDS))
            except queue.Empty:
                break
        return batch
