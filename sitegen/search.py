"""The search index: Pagefind, run over the finished pages.

Pagefind does full-text search in the browser from a static index, with no server and no
network at build or browse time; the `pagefind[bin]` package ships its indexer as a binary
we run with this Python. A missing or failing indexer costs the site its search, not its build.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path

from .problems import Problem, warning

BUNDLE = "pagefind"
TIMEOUT_SECONDS = 900
INSTALL_HINT = "install it with: pip install 'pagefind[bin]'"


class Indexer:
    """Runs Pagefind, and can stop a run in progress: a preview that is shut down must not
    leave an indexer working on a folder that is being deleted."""

    def __init__(self, background: bool = False) -> None:
        self.background = background
        """Run the indexer at low CPU priority, so it never slows the rebuild a writer waits on."""
        self._lock = threading.Lock()
        self._running: subprocess.Popen[str] | None = None
        self._cancelled = False

    def index(self, site_folder: Path) -> list[Problem]:
        """Index the fact-check pages of `site_folder` into site_folder/pagefind/."""
        if importlib.util.find_spec("pagefind") is None:
            return [warning("search", None, None,
                            "search index not built: Pagefind is not installed", INSTALL_HINT)]
        command = [sys.executable, "-m", "pagefind", "--site", str(site_folder),
                   "--output-subdir", BUNDLE, "--silent"]
        try:
            with self._lock:
                if self._cancelled:
                    return []
                process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True)
                if self.background:
                    _lower_priority(process.pid)
                self._running = process
            stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return [warning("search", None, None, "search index not built: Pagefind timed out",
                            INSTALL_HINT)]
        except OSError as exc:
            return [warning("search", None, None, f"search index not built: {exc}", INSTALL_HINT)]
        finally:
            with self._lock:
                self._running = None
        if process.returncode != 0 and not self._cancelled:
            detail = (stderr or stdout).strip().splitlines()[-3:]
            return [warning("search", None, None,
                            "search index not built: Pagefind failed: " + " ".join(detail),
                            INSTALL_HINT)]
        return []

    def cancel(self) -> None:
        """Stop the run in progress, if any, and refuse new ones."""
        with self._lock:
            self._cancelled = True
            if self._running is not None and self._running.poll() is None:
                self._running.kill()


def _lower_priority(pid: int) -> None:
    """Nice 10 (not preexec_fn, which is unsafe in a program with threads)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, pid, 10)


def index_search(site_folder: Path) -> list[Problem]:
    """One run of Pagefind over `site_folder`, for a one-off build."""
    return Indexer().index(site_folder)
