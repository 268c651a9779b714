"""The heap: kept out of the collector's way while forked processes share it, and given back
to the system when a build is done with it.

Domain code never calls `gc.freeze` or the C library's allocator itself: it asks here, so that
every such trick is in one place and its measurements beside it (docs/performance.md).
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """The objects there are now left out of the collector's passes while workers run. A
    full collection writes into the header of every object it walks, and a page written in
    either process after the fork stops being shared. Measured at 10,000 articles: a render
    worker had copied 100 MB of the parent's 250 within four seconds of the fork; frozen,
    its copies grow only with what the pages touch (tree peak 470 MB instead of 485). Left
    frozen when something else froze objects first (a watch session's snapshot): unfreezing
    would thaw those too."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def freeze_for_good() -> None:
    """Collect, then keep every object alive now out of the collector's passes for the rest
    of the process: for a value that lives as long as the process (a watch session's
    snapshot: its hundreds of thousands of objects cost a 150 ms pause per rebuild at 10,000
    articles when the collector walked them)."""
    gc.collect()
    gc.freeze()


def give_back_memory() -> None:
    """Free what is no longer referenced and return the heap it held to the system (before
    the search indexer starts, so that a CI runner holds Pagefind beside a small build). The
    collector runs first: each rendered page leaves its Jinja context in a reference cycle,
    and the last few hold the whole graph until it does. Then the C library is asked to give
    back what CPython freed to it (the documents' many strings, bodies above all), which it
    otherwise keeps (glibc's malloc_trim; elsewhere nothing more to do)."""
    gc.collect()
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return
    trim(0)
