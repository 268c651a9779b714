"""`sitegen` run as a real process by the tests, its output read in the background."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

WAIT = 20.0


class Running:
    """A sitegen process whose output lines are read in the background, for waiting on."""

    def __init__(self, args: list[str], cwd: Path, temp: Path | None = None) -> None:
        """`temp`, when given, is the process's TMPDIR: where `serve` makes its folder."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if temp is not None:
            env["TMPDIR"] = str(temp)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", *args], cwd=cwd, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r}; saw: {self.seen}")

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=WAIT)

    def stop(self) -> None:
        """Stop it as a person or a process manager would (SIGTERM), so it cleans up after
        itself; SIGKILL only if it does not stop."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=WAIT)
        self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)
        if self.process.stdout is not None:
            self.process.stdout.close()
