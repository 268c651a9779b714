"""Run one command and measure it from outside: wall time, CPU time and peak memory of the
whole process tree (Linux /proc), for bench/run.py.

Memory is sampled, not taken from `ru_maxrss`: sitegen reads and renders in worker processes
and runs Pagefind as a child, so what a CI runner must hold is the sum over the tree at one
moment, which no single process's high-water mark shows. The sum is of PSS (proportional set
size): pages that forked workers share with their parent are counted once, not once per
process as a sum of RSS would. `ru_maxrss` of the largest single process is kept as a check.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")
INTERVAL = 0.05
"""Seconds between memory samples: short enough to catch Pagefind's peak, cheap at ~1 ms."""


@dataclass(frozen=True)
class Measurement:
    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User + system seconds of the process and every descendant it waited for."""
    tree_mb: float
    """Peak of the PSS summed over the whole process tree, in MB (10**6 bytes)."""
    main_mb: float
    """The same peak without the subtrees of a process with an argument named `apart*`
    (`python -m pagefind`, the `pagefind_extended` binary)."""
    max_rss_mb: float
    """The largest single process's peak RSS (wait4's ru_maxrss), in MB."""
    apart_cpu: float
    """CPU seconds of the `apart` subtrees, as last sampled: up to INTERVAL of it is missed."""
    load: float
    """The 1-minute load average just before the run: how busy the machine was."""


class RunFailedError(RuntimeError):
    """The measured command exited with an error; the message ends with its stderr."""


def measure(command: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None,
            apart: str = "pagefind") -> Measurement:
    """Run `command` to the end with its output discarded (kept for the error if it fails)."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, env=dict(env) if env else None,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=errors)
        sampler = _Sampler(process.pid, apart)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read()[-3000:].decode("utf-8", "replace")
            raise RunFailedError(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    return Measurement(wall=wall, cpu=usage.ru_utime + usage.ru_stime,
                       tree_mb=sampler.tree_peak / 1e6, main_mb=sampler.main_peak / 1e6,
                       max_rss_mb=usage.ru_maxrss * 1024 / 1e6,
                       apart_cpu=sum(sampler.apart_cpu.values()), load=load)


class _Sampler(threading.Thread):
    """Sums PSS over `root` and its descendants every INTERVAL seconds until stopped."""

    def __init__(self, root: int, apart: str) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.apart = apart
        self.tree_peak = 0
        self.main_peak = 0
        self.apart_cpu: dict[int, float] = {}
        """Seconds per apart subtree, by the pid at its top."""
        self._parents: dict[int, int] = {}
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(INTERVAL)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def sample(self) -> None:
        tree: dict[int, int | None] = {}  # pid -> top of its apart subtree, None if not apart
        children = self._children()
        pending: list[tuple[int, int | None]] = [(self.root, None)]
        while pending:
            pid, top = pending.pop()
            if top is None and any(Path(arg).name.startswith(self.apart)
                                   for arg in _arguments(pid)):
                top = pid
            tree[pid] = top
            pending.extend((child, top) for child in children.get(pid, ()))
        cpu: dict[int, float] = {}
        for pid, top in tree.items():
            if top is not None:
                cpu[top] = cpu.get(top, 0.0) + _cpu(pid)
        for top, seconds in cpu.items():
            self.apart_cpu[top] = max(self.apart_cpu.get(top, 0.0), seconds)
        total = main = 0
        for pid, top in tree.items():
            pss = _pss(pid)
            total += pss
            main += pss if top is None else 0
        self.tree_peak = max(self.tree_peak, total)
        self.main_peak = max(self.main_peak, main)

    def _children(self) -> dict[int, list[int]]:
        """Parent -> children for every process; a pid's parent is read once while it lives."""
        alive = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for gone in self._parents.keys() - alive:
            del self._parents[gone]
        for pid in alive - self._parents.keys():
            parent = _parent(pid)
            if parent is not None:
                self._parents[pid] = parent
        children: dict[int, list[int]] = {}
        for pid, parent in self._parents.items():
            children.setdefault(parent, []).append(pid)
        return children


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    return int(stat[stat.rindex(b")") + 2:].split()[1])  # after "pid (comm) state"


def _cpu(pid: int) -> float:
    """Seconds of the process and of the children it has waited for."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(b")") + 2:].split()
    return sum(int(value) for value in fields[11:15]) / _TICKS  # utime stime cutime cstime


def _arguments(pid: int) -> list[str]:
    """argv, read at each sample: a forked child has its parent's until it execs."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return raw.decode("utf-8", "replace").split("\0")


def _pss(pid: int) -> int:
    """Bytes; 0 for a process that is gone (or a zombie, which holds no memory)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0
