"""The heap: kept out of the collector's way while forked processes share it, given back to
the system when a build is done with it, and kept by a process that would otherwise give
it back and fault it in again for every piece of work (`keeping_freed_memory`).

Domain code never calls `gc.freeze` or the C library's allocator itself: it asks here, so that
every such trick is in one place and its measurements beside it (docs/performance.md).
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator, Mapping


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


KEPT_FREE = {"MALLOC_MMAP_THRESHOLD_": str(8 << 20), "MALLOC_TRIM_THRESHOLD_": str(16 << 20)}
"""glibc's malloc told to take blocks under 8 MB from the heap (a card's largest, its
canvas, is under 1 MB; RGBA at that size 3 MB) and to give the heap's top back to the system
only when more than 16 MB of it is free (`keeping_freed_memory`). Both are needed: setting
either stops glibc adjusting the other as it goes, and keeping only a pad at the top
(MALLOC_TOP_PAD_) left a canvas mapped afresh for many cards."""


def keeping_freed_memory(environment: Mapping[str, str]) -> dict[str, str]:
    """`environment` for a process that allocates and frees the same few megabytes over and
    over (a share-card drawer: canvas, bands, the PNG), telling glibc's malloc to keep what
    it frees for the next piece of work (KEPT_FREE, read when the process starts; other C
    libraries ignore it). A setting the environment has already is left as it is.

    By default glibc maps a large block afresh until one that large has been freed, and
    gives the heap's top back whenever more than twice the largest freed block is free
    there; whether a drawer then faults the same pages in again for every card depends on
    where its few long-lived objects happen to lie. One drawer of a cold build faulted 2.6
    to 3.9 million pages for its 5,000 cards and its twin a few thousand (10,000 articles),
    3.7 to 7.0 s of system time; 2,000 of those cards drawn alone faulted 875,000 pages, 3.2 to
    3.9 s of system time, and 6,100 (0.6 to 1.1 s) with these settings, at the same peak
    memory (docs/performance.md)."""
    return {**KEPT_FREE, **environment}
