"""The search index: Pagefind, run over the finished pages.

Pagefind does full-text search in the browser from a static index, with no server and no
network at build or browse time; the `pagefind[bin]` package ships its indexer as a binary
we run with this Python. A missing or failing indexer costs the site its search, not its build.
"""

from __future__ import annotations

import contextlib
import importlib.util
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .problems import Problem, warning

BUNDLE = "pagefind"
TIMEOUT_SECONDS = 900
TETHER_SECONDS = 10
"""How long the tether may take to stop the indexer once released."""
BACKGROUND_NICENESS = 10
INSTALL_HINT = "install it with: pip install 'pagefind[bin]'"


class Indexer:
    """Runs Pagefind, and can stop a run in progress: a preview that is shut down must not
    leave an indexer working on a folder that is being deleted. Pagefind runs tethered
    (sitegen.tether), so it also stops when the build that started it is killed."""

    def __init__(self, background: bool = False) -> None:
        self.background = background
        """Run the indexer at low CPU priority, so it never slows the rebuild a writer waits on."""
        self._lock = threading.Lock()
        self._running: subprocess.Popen[bytes] | None = None
        self._cancelled = False

    def index(self, site_folder: Path) -> list[Problem]:
        """Index the fact-check pages of `site_folder` into site_folder/pagefind/."""
        if importlib.util.find_spec("pagefind") is None:
            return [warning("search", None, None,
                            "search index not built: Pagefind is not installed", INSTALL_HINT)]
        pagefind = [sys.executable, "-m", "pagefind", "--site", str(site_folder),
                    "--output-subdir", BUNDLE, "--silent"]
        nice = ["--nice", str(BACKGROUND_NICENESS)] if self.background else []
        command = [sys.executable, "-m", "sitegen.tether", *nice, "--", *pagefind]
        with tempfile.TemporaryFile() as output:
            try:
                with self._lock:
                    if self._cancelled:
                        return []
                    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=output,
                                               stderr=subprocess.STDOUT)
                    self._running = process
                process.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                _release(process)
                return [warning("search", None, None,
                                "search index not built: Pagefind timed out", INSTALL_HINT)]
            except OSError as exc:
                return [warning("search", None, None, f"search index not built: {exc}",
                                INSTALL_HINT)]
            finally:
                with self._lock:
                    self._running = None
            _release(process)
            output.seek(0)
            text = output.read().decode("utf-8", errors="replace")
        if process.returncode != 0 and not self._cancelled:
            detail = text.strip().splitlines()[-3:]
            return [warning("search", None, None,
                            "search index not built: Pagefind failed: " + " ".join(detail),
                            INSTALL_HINT)]
        return []

    def cancel(self) -> None:
        """Stop the run in progress, if any, and refuse new ones."""
        with self._lock:
            self._cancelled = True
            running = self._running
        if running is not None:
            _release(running)


def _release(process: subprocess.Popen[bytes]) -> None:
    """Close the tether's stdin, which stops the indexer if it still runs (sitegen.tether);
    a tether that does not end in time is killed itself."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    try:
        process.wait(timeout=TETHER_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def index_search(site_folder: Path) -> list[Problem]:
    """One run of Pagefind over `site_folder`, for a one-off build."""
    return Indexer().index(site_folder)
