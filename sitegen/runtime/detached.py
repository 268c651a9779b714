"""Forked processes that work beside this one without being its workers: a folder removed
without waiting for it, and the preview's background work at the lowest priority.

Domain code never forks: it hands the work to a function here. Both need a fork (the
preview's child starts with the session's snapshot as it is, for free); where there is none,
the folder is removed in this process, and a preview has no background child.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from sitegen.runtime.priority import lowest_priority


def remove_in_background(folder: Path) -> None:
    """Delete `folder` in a detached grandchild (never waited for, never a zombie); where
    there is no fork, here and now."""
    if not hasattr(os, "fork"):
        shutil.rmtree(folder, ignore_errors=True)
        return
    child = os.fork()
    if child == 0:
        try:
            if os.fork() == 0:
                os.setsid()
                shutil.rmtree(folder, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def start_idle_child(work: Callable[[], str]) -> int:
    """Run `work` in a forked child at the lowest priority and return the child's process
    id. The child leads its own process group (so that stopping the group stops what it
    started), writes what `work` returns to standard error and exits with status 0, or 1 if
    `work` raised, without running the parent's exit handlers or flushing its buffers (they
    belong to the parent)."""
    pid = os.fork()
    if pid != 0:
        return pid
    code = 1
    try:
        os.setpgrp()
        lowest_priority()
        messages = work()
        os.write(2, messages.encode("utf-8"))  # no print(): its lock may be held at fork
        code = 0
    finally:
        os._exit(code)
