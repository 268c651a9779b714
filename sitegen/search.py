"""The search index: Pagefind, run over the finished pages before they are swapped in.

Pagefind does full-text search in the browser from a static index, with no server and no
network at build or browse time; the `pagefind[bin]` package ships its indexer as a binary
we run with this Python. A missing or failing indexer costs the site its search, not its build.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from .problems import Problem, warning

BUNDLE = "pagefind"
TIMEOUT_SECONDS = 900
INSTALL_HINT = "install it with: pip install 'pagefind[bin]'"


def index_search(site_folder: Path) -> list[Problem]:
    """Index the fact-check pages of `site_folder` into site_folder/pagefind/."""
    if importlib.util.find_spec("pagefind") is None:
        return [warning("search", None, None, "search index not built: Pagefind is not installed",
                        INSTALL_HINT)]
    command = [sys.executable, "-m", "pagefind", "--site", str(site_folder),
               "--output-subdir", BUNDLE, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False,
                                timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [warning("search", None, None, f"search index not built: {exc}", INSTALL_HINT)]
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        return [warning("search", None, None,
                        "search index not built: Pagefind failed: " + " ".join(detail),
                        INSTALL_HINT)]
    return []
