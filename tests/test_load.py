"""bench/load.py in small: `sitegen serve` answers a few hundred requests while a fact-check
is saved again and again, with no 5xx, no partial or mixed page, and nothing leaked.

The full load (50 clients, 10,000 requests, 100 saves) is `python bench/load.py`; its figures
are in bench/README.md. This is the same script, checking correctness, never timing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import ScratchSite

LOAD = Path(__file__).resolve().parent.parent / "bench" / "load.py"
MUST_BE_ZERO = ("server_errors", "wrong_status", "truncated", "wrong_title", "changed_bytes",
                "mixed", "went_back", "connection_errors")


@pytest.mark.skipif(not Path("/proc/self/status").exists(),
                    reason="the server's threads and descriptors are read from Linux's /proc")
def test_serve_under_load_while_saving_stays_correct_and_leaks_nothing(
        site: ScratchSite, make_factcheck: Callable[..., str], preview_temp: Path) -> None:
    """Eight clients, 400 requests, 5 saves of the page they read most: every answer complete
    and of one save, the last save served at the end, threads and descriptors back to where
    they were, and the preview's folder removed when it stops."""
    for number in range(8):
        site.write(f"content/2021/check-{number}.md", make_factcheck(
            title=f'"Check number {number}"', claimant=f'"Person {number % 3}"',
            tags=f"[topic-{number % 2}]", body="Paragraph. " * 100))
    finished = subprocess.run(
        [sys.executable, str(LOAD), "--site", str(site.root), "--edit",
         "content/2021/check-3.md", "--clients", "8", "--requests", "400", "--edits", "5",
         "--json"], capture_output=True, text=True, timeout=170, check=False,
        env={**os.environ, "TMPDIR": str(preview_temp)})
    assert finished.stdout, finished.stderr
    result = json.loads(finished.stdout)
    assert {key: result[key] for key in MUST_BE_ZERO} == dict.fromkeys(MUST_BE_ZERO, 0), (
        result["problems"])
    assert result["requests"] == 400
    assert "200" in result["statuses"]
    assert set(result["statuses"]) <= {"200", "301", "404"}
    assert result["edits_during_load"] == 5
    assert result["final_revision"] == 5
    assert result["after"]["threads"] <= result["baseline"]["threads"]
    assert result["after"]["fds"] <= result["baseline"]["fds"]
    assert result["peak"]["threads"] > result["baseline"]["threads"]  # the clients were served
    assert finished.returncode == 0, finished.stderr
    assert list(preview_temp.glob("sitegen-preview-*")) == []
