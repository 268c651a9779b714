"""Spread a stage's work over the machine's cores with forked worker processes.

Markdown conversion and page rendering are pure Python, so threads would share one core. A
forked child starts with the parent's memory as it is (the config, the site graph, the
Markdown and Jinja environments, already built), so nothing but the results crosses between
processes: no pickling of the site, no start-up per worker. The parent takes a share of the
work itself while the children do theirs.

Fork is used where it is dependable: Linux. Elsewhere (macOS, where system libraries are not
fork-safe, and Windows, which has no fork) the work runs in this process, as with `--jobs 1`.

How many processes is not a parameter of the stages: the command sets it once for its run
(`configured(jobs)`, from `--jobs`), and the loops that spread work ask for it
(`parallel_map`, `requested_jobs`). A test sets `configured(1)` for a serial run. One thread
may ask for another count while a block runs (`in_this_thread`: a build renders alone
while share-card drawers take the other cores; a preview's rebuild uses its own `--jobs`)
without changing what the other threads (the search indexer's) are given.
"""

from __future__ import annotations

import contextlib
import copyreg
import io
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from types import MappingProxyType
from typing import IO, Any, TypeVar

from sitegen.runtime.memory import frozen_heap

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_JOB = 64
"""Below this many items per worker, forking costs more than it saves."""

_requested: int | None = None
"""The process count the running command asked for (`--jobs`); None: one per core."""
_this_thread = threading.local()
"""`in_this_thread`'s count, where one is set: as `own`, a tuple of one (None is a count)."""


@contextlib.contextmanager
def configured(jobs: int | None) -> Iterator[None]:
    """Spread work over up to `jobs` processes (None: one per core) while the block runs: a
    command's whole run. Process-wide, so that a thread the command starts (the search
    indexer's) asks the same; the count before is restored after, so one command or test
    leaves nothing to the next."""
    global _requested
    before, _requested = _requested, jobs
    own: tuple[int | None] | None = getattr(_this_thread, "own", None)
    _this_thread.own = None  # the calling thread too, whatever it was set to
    try:
        yield
    finally:
        _requested, _this_thread.own = before, own


@contextlib.contextmanager
def in_this_thread(jobs: int | None) -> Iterator[None]:
    """Spread this thread's work over up to `jobs` processes (None: one per core) while the
    block runs; other threads, and a process forked from one, keep the command's count."""
    before: tuple[int | None] | None = getattr(_this_thread, "own", None)
    _this_thread.own = (jobs,)
    try:
        yield
    finally:
        _this_thread.own = before


def requested_jobs() -> int | None:
    """The process count this thread was asked for (`in_this_thread`), else the running
    command's (`configured`); None: one per core."""
    own: tuple[int | None] | None = getattr(_this_thread, "own", None)
    return _requested if own is None else own[0]


def default_jobs() -> int:
    """The cores this process may run on (a CI runner's quota, not the host's core count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user's counts): how a build
    tells a folder left by a killed run from one another run is still writing."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def render_jobs(requested: int | None) -> int:
    """Processes to render with: `requested` when given (`requested_jobs()`, for a caller
    that renders with what the command asked); otherwise one per core, fewer when
    the machine has too little memory free for them. A forked renderer touches most of the
    parent's heap as it renders (every document shows in some listing, and touching an
    object writes its reference count), so each comes to hold nearly a copy of it: at
    10,000 articles a full re-render peaked at 480 MB over two processes (470 with the
    collector kept off the parent's objects, frozen_heap) against 360 MB in one, which took
    30% longer; the Markdown bodies are 71 MB of that heap and some 120 MB of that peak,
    so a build parks them in a file for such a rendering (sitegen.runtime.parked): 354 MB. So as
    many as half the available memory holds copies of this process's, at least one:
    a small CI runner renders a large site alone rather than running out of memory, a
    roomy machine uses every core."""
    if requested is not None:
        return requested
    jobs = default_jobs()
    resident, available = resident_bytes(), available_bytes()
    if resident and available is not None:
        jobs = max(1, min(jobs, available // 2 // resident))
    return jobs


def resident_bytes() -> int | None:
    """This process's resident memory (Linux, where workers are forked), or None."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def available_bytes() -> int | None:
    """The memory the system can give without swapping (Linux's MemAvailable), or None."""
    try:
        with open("/proc/meminfo", "rb") as meminfo:
            for line in meminfo:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def effective_jobs(requested: int | None, items: int) -> int:
    """How many processes to use for `items` pieces of work when `requested` were asked for
    (None: one per core)."""
    jobs = default_jobs() if requested is None else max(1, requested)
    if not can_fork():
        return 1
    return max(1, min(jobs, items // MIN_ITEMS_PER_JOB))


class WorkerError(RuntimeError):
    """A worker process failed: the message carries its traceback."""


Work = Callable[[Sequence[T], int], list[R]]
"""work(share, scale) returns one result per item of `share`, in order. `scale` is the
number of processes sharing the work in this process (which may report progress, as
`done * scale`), or 0 in the others (which must stay quiet: the terminal is the parent's)."""


def parallel_map(work: Work[T, R], items: Sequence[T], jobs: int | None = None) -> list[R]:
    """`work(items)`, computed in up to `jobs` processes (None: as many as the command asked
    for, `requested_jobs`), results in the order of `items`.

    Items are dealt round-robin (item i to worker i % jobs) so that every worker gets a
    like share of a folder's big and small files. Results must be picklable.
    """
    count = effective_jobs(requested_jobs() if jobs is None else jobs, len(items))
    if count == 1:
        return work(items, 1)
    with frozen_heap():
        children = [_spawn(work, items[k::count]) for k in range(1, count)]
        try:
            shares: list[list[R]] = [work(items[0::count], count)]
        finally:
            collected: list[list[R]] = [_collect(pid, reader) for pid, reader in children]
    shares += collected
    results: list[R] = [None] * len(items)  # type: ignore[list-item]
    for k, share in enumerate(shares):
        results[k::count] = share
    return results


def _spawn(work: Work[T, R], share: Sequence[T]) -> tuple[int, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid != 0:
        os.close(writer)
        return pid, reader
    # The child: compute, send, and leave without running the parent's exit handlers or
    # flushing its buffers (they belong to the parent).
    code = 1
    try:
        os.close(reader)
        with os.fdopen(writer, "wb") as stream:
            try:
                results = work(share, 0)
            except OSError as exc:  # a full disk, a folder it may not write: raised in the parent
                stream.write(_dumps_error(exc))
            except BaseException:  # every failure goes back to the parent
                stream.write(_dumps((False, traceback.format_exc())))
            else:
                # Pickled into the pipe as it goes (the parent unpickles as it reads): half of
                # ten thousand documents is 50 MB of pickle that is never held whole. A value
                # that cannot be pickled stops the stream, which the parent reports as a
                # worker that died.
                _dump((True, results), stream)
        code = 0
    finally:
        os._exit(code)


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    _dump(value, buffer)
    return buffer.getvalue()


def _dump(value: object, stream: IO[bytes]) -> None:
    """Pickle, with read-only mappings (the models' field-to-line maps) sent as copies."""
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    table: dict[type, Callable[[Any], Any]] = {**copyreg.dispatch_table}
    table[MappingProxyType] = _reduce_proxy
    pickler.dispatch_table = table
    pickler.dump(value)


def _dumps_error(exc: OSError) -> bytes:
    """The error itself, so the parent raises it as if it had met it (the build turns it into
    one clear problem); its traceback where the error cannot be pickled."""
    try:
        return _dumps((None, exc))
    except Exception:
        return _dumps((False, "".join(traceback.format_exception(exc))))


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Callable[..., Any],
                                                               tuple[Any, ...]]:
    return read_only, (dict(proxy),)


def read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """Rebuilds a read-only mapping on the receiving side (pickle needs a named function)."""
    return MappingProxyType(mapping)


def _collect(pid: int, reader: int) -> list[R]:
    """The worker's results, unpickled as they arrive: its whole payload (tens of MB when
    it read half of ten thousand articles) is never held beside what it becomes."""
    with os.fdopen(reader, "rb") as stream:
        try:
            ok, value = pickle.load(stream)
        except (EOFError, pickle.UnpicklingError):  # nothing, or half, was sent
            ok = value = None
            died = True
        else:
            died = False
    _, status = os.waitpid(pid, 0)
    if died:
        raise WorkerError(f"a worker process died ({_describe_status(status)}); "
                          "try again with --jobs 1 to see the error")
    if ok is None:
        raise value
    if not ok:
        raise WorkerError(f"a worker process failed:\n{value}")
    result: list[R] = value
    return result


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
