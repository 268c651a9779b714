"""`sitegen serve` and `sitegen build --watch`: a build, then a rebuild per burst of changes.

Both are the same loop: the watcher hands over a batch of changed paths, the session brings
the output up to date, and one line says what happened. `serve` builds into a temporary
folder of its own, never into output/, so a preview (drafts included) cannot be deployed by
accident; it tells open pages to reload only once the new files are in place, and shows
build errors over the page until they are fixed. A failed rebuild waits for the next change.
"""

from __future__ import annotations

import contextlib
import queue
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

from sitegen.config.settings import CONFIG_NAME, SiteConfig, load_config
from sitegen.live.background import Settler
from sitegen.live.session import Outcome, Session, describe
from sitegen.live.watch import Batch, Watcher
from sitegen.preview import PortInUseError, PreviewServer, is_loopback
from sitegen.preview.folder import SITE, make_preview_folder, remove_preview_folder
from sitegen.problems import Problem, sort_problems


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
    with _stopped_by_signals():
        _live(session, config, options, out, err, on_outcome=lambda outcome: None)
    return 0


def serve(root: Path, host: str, port: int | None, options: LiveOptions, out: TextIO,
          err: TextIO) -> int:
    """Build into a private folder, serve it with live reload, rebuild on change.

    The signals are caught before the folder is made, so no way of stopping leaves it behind
    but SIGKILL, whose folder the next serve removes (preview/folder.py).
    """
    config, problems = load_config(root)
    if config is None:
        _print_problems(problems, err)
        return 1
    with _stopped_by_signals():
        return _serve(root, config, host, port, options, out, err)


def _serve(root: Path, config: SiteConfig, host: str, port: int | None, options: LiveOptions,
           out: TextIO, err: TextIO) -> int:
    folder = make_preview_folder()
    try:
        session = Session(root, folder / SITE, drafts=options.drafts, jobs=options.jobs,
                          cache=options.cache)
        server = PreviewServer(session.output, host=host, port=port,
                               mount=urlsplit(config.site.base_url).path or "/")
        try:
            server.start()
        except OSError as exc:
            print(f"sitegen: error: {_cannot_listen(host, port, exc)}", file=err, flush=True)
            return 1
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
        remove_preview_folder(folder)
    return 0


def _cannot_listen(host: str, port: int | None, exc: OSError) -> str:
    """Why the preview could not start, in the words of every other `sitegen:` error."""
    if isinstance(exc, PortInUseError):
        return str(exc)  # names the port and what to do
    where = host if port is None else f"{host} port {port}"
    return f"cannot listen on {where}: {exc.strerror or exc}; choose another --host or --port"


def _announce(server: PreviewServer, outcome: Outcome) -> None:
    """Errors go over every open page; success clears them, then reloads what changed.
    Only errors are sorted: sorting a big site's thousands of warnings first took 10 ms of
    every save before the reload went out."""
    errors = [] if outcome.ok else [
        p.format() for p in sort_problems(p for p in outcome.problems if p.is_error)]
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
    settler = Settler(session.settle_in_child)
    try:
        outcome = session.full()
        _print_outcome("built", outcome, "everything", out, err)
        on_outcome(outcome)
        on_ready()
        settler.saved(outcome.unsettled)  # share cards not yet drawn
        shown = frozenset(outcome.problems)
        while True:
            batch = set(_next_batch(batches))
            while not batches.empty():  # changes that came during the last rebuild
                batch |= batches.get_nowait()
            settler.saving()
            outcome = session.rebuild(batch)
            on_outcome(outcome)  # the reload first: the writer is waiting for the page
            settler.saved(outcome.unsettled)
            _print_outcome("rebuilt", outcome, describe(batch, root), out, err,
                           _worth_repeating(outcome, shown, batch, root))
            shown = frozenset(outcome.problems)
    except KeyboardInterrupt:
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            print("stopped", file=out, flush=True)
    finally:
        watcher.stop()
        settler.stop()
        session.close()


WAKE_SECONDS = 0.5
"""How often the main thread, waiting for changes, wakes to act on a stop signal."""


def _next_batch(batches: queue.Queue[Batch]) -> Batch:
    """The next batch of changes, waited for in slices: a signal the kernel delivers to another
    thread (the watcher's, the server's) does not wake a main thread blocked on a lock, so
    SIGTERM or SIGHUP would otherwise be acted on only after the next save, or never."""
    while True:
        try:
            return batches.get(timeout=WAKE_SECONDS)
        except queue.Empty:
            continue


def _worth_repeating(outcome: Outcome, shown: frozenset[Problem], batch: Batch | set[Path],
                     root: Path) -> list[Problem]:
    """What a rebuild prints: every error, the warnings of the files just saved, and warnings
    new since the last build; not the site's thousands of old warnings after every save."""
    saved = {_relative(path, root) for path in batch}
    return [p for p in outcome.problems
            if p.is_error or p.path in saved or p not in shown]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                     if hasattr(signal, name))
"""SIGTERM (a process manager, `kill`) and SIGHUP (the terminal closed) stop as cleanly as
Ctrl-C does: the default for both ends the process at once, leaving a preview's folder."""


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    previous = {number: signal.signal(number, _interrupt) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _print_outcome(verb: str, outcome: Outcome, what: str, out: TextIO, err: TextIO,
                   problems: list[Problem] | None = None) -> None:
    """The problems (all of them, unless given), then one line saying what was done."""
    _print_problems(outcome.problems if problems is None else problems, err)
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
