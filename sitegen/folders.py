"""Making the folders files are written into, each asked for once per run.

`mkdir(exist_ok=True)` is a system call even when the folder is there (0.1 ms on the bench
machine): a build writing 13,000 pages and 10,000 share cards into a few thousand folders
asks for each folder once. Its own module so a card drawer (a fresh process) can use it
without importing the rendering.
"""

from __future__ import annotations

from pathlib import Path


def ensure_dir(folder: Path, made: set[Path]) -> None:
    """Make `folder` (and its parents) unless this run has made or found it already."""
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.add(folder)
