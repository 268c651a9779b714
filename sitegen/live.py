"""`sitegen serve` and `sitegen build --watch`: a build, then a rebuild per burst of changes.

Both are the same loop: the watcher hands over a batch of changed paths, the session brings
the output up to date, and one line says what happened. `serve` builds into a temporary
folder of its own, never into output/, so a preview (drafts included) cannot be deployed by
accident; it tells open pages to reload only once the new files are in place, and shows
build errors over the page until they are fixed. A failed rebuild waits for the next change.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from .config import CONFIG_NAME, SiteConfig, load_config
from .incremental import Outcome, Session, describe
from .preview import PreviewServer, is_loopback
from .problems import Problem, sort_problems
from .watch import Batch, Watcher


@dataclass(frozen=True, slots=True)
class LiveOptions:
    drafts: bool = False
    poll: bool = False
    jobs: int | None = None
    cache: bool = True


def watch_build(root: Path, output: Path | None, options: LiveOptions, out: TextIO,
                err: TextIO) -> int:
    """Build into output/, then keep it up to date until Ctrl-C."""
    config, problems = load_config(root)
    if config is None:
        _print_problems(problems, err)
        return 1
    session = Session(root, output or config.output_path, drafts=options.drafts,
                      jobs=options.jobs, cache=options.cache)
    _live(session, config, options, out, err, on_outcome=lambda outcome: None)
    return 0


def serve(root: Path, host: str, port: int | None, options: LiveOptions, out: TextIO,
          err: TextIO) -> int:
    """Build into a private folder, serve it with live reload, rebuild on change."""
    config, problems = load_config(root)
    if config is None:
        _print_problems(problems, err)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="sitegen-preview-"))
    try:
        session = Session(root, folder / "site", drafts=options.drafts, jobs=options.jobs,
                          cache=options.cache)
        server = PreviewServer(session.output, host=host, port=port,
                               mount=urlsplit(config.site.base_url).path or "/")
        server.start()
        try:
            if not is_loopback(host):
                print(f"warning: the preview is visible to the network on {host}; "
                      "use --host 127.0.0.1 to keep it on this computer", file=err)
            _live(session, config, options, out, err,
                  on_outcome=lambda outcome: _announce(server, outcome),
                  on_ready=lambda: print(f"serving {server.url} (Ctrl-C to stop)", file=out,
                                         flush=True))
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _announce(server: PreviewServer, outcome: Outcome) -> None:
    """Errors go over every open page; success clears them, then reloads what changed."""
    errors = [p.format() for p in sort_problems(outcome.problems) if p.is_error]
    server.show_errors(errors)
    if not errors and outcome.changed:
        server.reload(None if outcome.full else list(outcome.changed))


def _live(session: Session, config: SiteConfig, options: LiveOptions, out: TextIO,
          err: TextIO, on_outcome: Callable[[Outcome], None],
          on_ready: Callable[[], None] = lambda: None) -> None:
    """Watch, build once, then rebuild on every batch of changes until Ctrl-C.

    The watcher starts before the first build, so an edit made while it runs is not missed;
    a failed rebuild simply waits for the next change.
    """
    root = session.root
    batches: queue.Queue[Batch] = queue.Queue()
    watcher = Watcher([config.content_path, config.templates_path, config.static_path],
                      [root / CONFIG_NAME], batches.put, ignore=[session.output],
                      poll=options.poll)
    watcher.start()
    previous = signal.signal(signal.SIGTERM, _interrupt)
    settler = _Settler(session)
    try:
        outcome = session.full()
        _print_outcome("built", outcome, "everything", out, err)
        on_outcome(outcome)
        on_ready()
        if outcome.unsettled:  # share cards not yet drawn
            settler.request()
        while True:
            batch = set(batches.get())
            while not batches.empty():  # changes that came during the last rebuild
                batch |= batches.get_nowait()
            outcome = session.rebuild(batch)
            _print_outcome("rebuilt", outcome, describe(batch, root), out, err)
            on_outcome(outcome)
            if outcome.unsettled:
                settler.request()
    except KeyboardInterrupt:
        print("stopped", file=out, flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        watcher.stop()
        settler.stop()
        session.close()


SETTLE_DELAY_SECONDS = 0.5


class _Settler:
    """Keeps the whole-site files and search index up to date after rebuilds, in a forked
    child (Session.settle_in_child), one at a time, after half a second of quiet; a request
    that comes while one runs starts another afterwards, so the last change is settled."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.lock = threading.Lock()
        self.running = False
        self.again = False
        self.child: int | None = None
        self.stopped = False

    def request(self) -> None:
        with self.lock:
            if self.running:
                self.again = True
                return
            self.running = True
        threading.Thread(target=self._run, name="sitegen-settle", daemon=True).start()

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            child = self.child
        if child is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child, signal.SIGKILL)

    def _run(self) -> None:
        while True:
            time.sleep(SETTLE_DELAY_SECONDS)  # let a quick series of saves finish first
            if self._take_request():
                continue
            with self.lock:
                if self.stopped:
                    return
                self.child = self.session.settle_in_child()
            os.waitpid(self.child, 0)
            with self.lock:
                self.child = None
            if not self._take_request(finishing=True):
                return

    def _take_request(self, finishing: bool = False) -> bool:
        """Whether another request came meanwhile (and clear it); when `finishing` and none
        came, the thread ends and the next request starts a new one."""
        with self.lock:
            came = self.again
            self.again = False
            if finishing and not came:
                self.running = False
            return came


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (a process manager, `kill`) stops as cleanly as Ctrl-C does."""
    raise KeyboardInterrupt


def _print_outcome(verb: str, outcome: Outcome, what: str, out: TextIO, err: TextIO) -> None:
    _print_problems(outcome.problems, err)
    milliseconds = outcome.seconds * 1000
    if not outcome.ok:
        errors = sum(1 for p in outcome.problems if p.is_error)
        print(f"{what} changed: {errors} error{'s' if errors != 1 else ''}; "
              "the last good pages stay until it is fixed", file=err, flush=True)
        return
    pages = len(outcome.written)
    print(f"{verb}: {what} -> {pages} file{'s' if pages != 1 else ''} written, "
          f"{len(outcome.removed)} removed in {milliseconds:.0f} ms", file=out, flush=True)


def _print_problems(problems: tuple[Problem, ...] | list[Problem], err: TextIO) -> None:
    for problem in sort_problems(problems):
        print(problem.format(), file=err, flush=True)
