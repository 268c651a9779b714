"""Starting `sitegen serve` for a benchmark: shared by reload.py and load.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import IO


def start_serve(site: Path, stderr: int | IO[str]) -> tuple[subprocess.Popen[str], str]:
    """`sitegen serve` on a free port: the process (stdout piped, for the caller to keep
    reading) and the URL it printed, or "" when it stopped before serving."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", "0"],
        stdout=subprocess.PIPE, stderr=stderr, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"serving (http://\S+)", line)
        if found:
            return process, found.group(1)
    return process, ""
