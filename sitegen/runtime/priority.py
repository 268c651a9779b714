"""How much of the machine a process may take: lower priorities for work the build needs
last, the idle class for the preview's background work, and pausing a process group.

Domain code never renices, changes its scheduling class or sends SIGSTOP/SIGCONT itself: it
asks here. Every function does nothing (or returns False) where the system has no such
control or does not allow it: a process that cannot lower itself runs at the build's
priority, which changes only how fast the build is, never what it makes.
"""

from __future__ import annotations

import contextlib
import os
import signal

from sitegen.runtime.children import BACKGROUND_NICENESS

__all__ = ["BACKGROUND_NICENESS", "lower_priority", "lowest_priority", "pause_group",
           "resume_group", "signal_group"]


def lower_priority(niceness: int) -> None:
    """Run this process `niceness` lower (where the system has priorities and allows it)."""
    if niceness > 0 and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(niceness)


def lowest_priority() -> None:
    """Nice 19 and, where there is one, the idle scheduling class (Linux's SCHED_IDLE: a
    core only when nothing else wants it), for this process and the processes it starts."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, 0, 19)
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def pause_group(leader: int) -> bool:
    """Stop the process group `leader` leads, where it is (SIGSTOP): False if it is gone."""
    return signal_group(leader, signal.SIGSTOP)


def resume_group(leader: int) -> bool:
    """Let a group `pause_group` stopped go on (SIGCONT): False if it is gone."""
    return signal_group(leader, signal.SIGCONT)


def signal_group(leader: int, signum: signal.Signals) -> bool:
    """Send `signum` to the process group `leader` leads: False if there is none (any more)
    or it is not ours."""
    try:
        os.killpg(leader, signum)
    except (ProcessLookupError, PermissionError):
        return False
    return True
