"""The command that runs Pagefind over one shard, as a child that stops with the build, with
no Python between.

Pagefind's binary, found by the pagefind package's own lookup (`pagefind_command`), runs
under one runner per shard (sitegen.runtime.children: a killed build stops its indexer), the
runner a bare Python that loads only the standard library. Starting `python -m pagefind`
under `python -m sitegen.runtime.children` took two interpreters, 89 ms of CPU a shard (2.8
CPU s of a cold index at 10,000 articles, 32 shards); the binary under the bare runner takes
22 ms. One runner for the whole run, starting every shard's Pagefind, would save those 22 ms
but once, 0.7 CPU s of the 28 to 30 that indexing 10,000 articles costs: too little for what
it takes, a protocol between the build and the runner to start each command, route its
output, report its status and stop one that timed out, where a runner per shard is one pipe
and one process
the build already waits for, times out and stops like any other. Pagefind stays in the
build's process group, so a preview that pauses or stops its settle child's group pauses or
stops Pagefind too. Figures in bench/README.md.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from sitegen.runtime.children import child_command


def indexer_command(arguments: Sequence[str], background: bool = False) -> list[str]:
    """Pagefind with `arguments`, under the runner (run as a bare script: 22 ms of CPU a
    shard with Pagefind's binary, against 27 as `python -m sitegen.runtime.children`), at a
    lower priority in the `background`."""
    return child_command([*pagefind_command(), *arguments], background=background)


def pagefind_command() -> list[str]:
    """How to start Pagefind: its binary, found as the pagefind package finds it
    (PAGEFIND_BINARY_PATH, then the pagefind_bin packages, then PATH), so that no Python
    starts per shard only to look it up; or the package's own `python -m pagefind`, which
    says what is wrong, when that finds no file."""
    try:
        from pagefind.service import get_executable  # imports asyncio: only when indexing

        found = get_executable()
    except (ImportError, OSError):  # another `pagefind` module; pagefind_bin without its file
        found = None
    if found is None or not found.is_file():
        return [sys.executable, "-m", "pagefind"]
    return [str(found)]
