"""Find the content files and read their bytes; nothing is parsed here.

Keeping discovery apart from parsing lets a watcher or a cache decide what to re-read by
path and bytes alone.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.problems import Problem, error

MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_SOURCE_BYTES = 5_000_000
"""Bounds the memory one file can take before anything is parsed; the body has its own,
lower limit (front_matter.MAX_BODY_CHARS), and 100,000 tags or 10,000 sources still fit."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A content file as found: its path relative to the site folder, and its bytes."""

    path: str
    data: bytes
    digest: str = field(init=False, compare=False)
    """What says whether the file changed: for rebuilds, the caches, and the pages a warm
    build keeps. Computed once (a build asks for it more than once per file)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "digest", hashlib.blake2b(self.data, digest_size=16).hexdigest())


def is_ignored_name(name: str) -> bool:
    """Hidden files and the temporary files editors leave behind are never content."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))
        or name == "4913"
    )


def is_source_path(content_dir: Path, path: Path) -> bool:
    """Whether `path` is a content file as `list_sources` would find it (by name alone)."""
    if not path.is_relative_to(content_dir):
        return False
    parts = path.relative_to(content_dir).parts
    return bool(parts) and parts[-1].lower().endswith(MARKDOWN_SUFFIXES) and not any(
        is_ignored_name(part) for part in parts)


def list_sources(site_root: Path, content_dir: Path) -> tuple[list[str], list[Problem]]:
    """The content files' paths relative to the site folder, without reading them."""
    if not content_dir.is_dir():
        rel = _relative(site_root, content_dir)
        return [], [error(rel, None, None, "content folder not found",
                          "create it, or set [build] content_dir in sitegen.toml")]
    found, links = _walk(content_dir)
    problems = [error(_relative(site_root, link), None, None,
                      "is a link to a folder outside the site folder",
                      "copy the files into the site instead of linking to them")
                for link in links if not _resolves_inside(link, site_root)]
    return [_relative(site_root, path) for path in found], problems


def read_source(site_root: Path, rel: str) -> SourceFile | Problem:
    """One file's bytes; links leading out of the site are refused, not followed."""
    path = site_root / rel
    if path.is_symlink() and not _resolves_inside(path, site_root):
        return error(rel, None, None, "is a link to a file outside the site folder",
                     "copy the file into the site instead of linking to it")
    try:
        with path.open("rb") as file:
            data = file.read(MAX_SOURCE_BYTES + 1)
            size = os.fstat(file.fileno()).st_size
    except OSError as exc:
        return error(rel, None, None, f"cannot be read: {exc.strerror}")
    if len(data) > MAX_SOURCE_BYTES:
        return error(rel, None, None, f"is {max(size, len(data)):,} bytes; a content file may be "
                     f"at most {MAX_SOURCE_BYTES:,}", "split it into several articles, or link "
                     "to long documents instead of pasting them")
    return SourceFile(rel, data)


def _resolves_inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _walk(folder: Path) -> tuple[list[Path], list[Path]]:
    """Content files, and the linked folders that were not entered (links can loop)."""
    found: list[Path] = []
    links: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not is_ignored_name(d))
        links += [Path(dirpath) / d for d in dirnames if (Path(dirpath) / d).is_symlink()]
        for name in sorted(filenames):
            if name.lower().endswith(MARKDOWN_SUFFIXES) and not is_ignored_name(name):
                found.append(Path(dirpath) / name)
    return found, links


def static_link_problems(site_root: Path, static_dir: Path) -> list[Problem]:
    """Static files are published as they are: one linked from outside static/ (a key, a
    password file) is refused. render.iter_static skips the same links."""
    if not static_dir.is_dir():
        return []
    return [error(_relative(site_root, path), None, None,
                  "is a link to a file outside the static folder",
                  f"copy the file into {_relative(site_root, static_dir)}/ instead of linking "
                  "to it")
            for path in sorted(static_dir.rglob("*"))
            if path.is_symlink() and not _resolves_inside(path, static_dir)]


def _relative(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
