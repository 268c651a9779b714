"""The build cache's folder, `.sitegen-cache/` in the site: what is in it, and what every cache
in it does the same way, so that no cache invents its own way to be trusted or lost.

    .sitegen-cache/
        CACHEDIR.TAG    tells backup tools the folder is a cache
        markdown.bin    bodies.py: Markdown bodies converted, by a digest of their text
        documents.bin   documents.py: what each content file became
        pages.json      pages.py: every file the last build wrote into the output folder
        cards/          cards.py: share cards drawn, by a digest of what each shows

Each cache file starts with a stamp line, `sitegen WHAT cache VERSION` (`stamp`); a file
with this cache's stamp but another version was made by another sitegen and is a miss,
anything else is damage, and either way the cache starts empty: a cache is never needed,
and what is in it is never trusted unchecked. Files are written whole through a temporary
file renamed over the old one (`folders.replace_file`), so a build killed while saving leaves the
old file or the new one. A build makes the folder and its tag when it first saves
(`prepare`), refuses symbolic links in it (`guard_folder`), and reports a cache it could
not read or save as a warning that says what the next build will cost (`notice`).
"""

from __future__ import annotations

import enum
import os
import shutil
from pathlib import Path

from sitegen.folders import scan
from sitegen.problems import Problem, warning

CACHE_DIR = ".sitegen-cache"
BODIES_FILE = "markdown.bin"
DOCUMENTS_FILE = "documents.bin"
PAGES_FILE = "pages.json"
CARDS_FOLDER = "cards"
TAG_FILE = "CACHEDIR.TAG"
_TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
        b"# This folder is sitegen's build cache; removing it is safe (`sitegen clean`).\n")


class Stamped(enum.Enum):
    """What a cache file's first line says it is."""

    CURRENT = "this cache, in this version"
    OTHER_VERSION = "this cache, made by another version of sitegen"
    FOREIGN = "not this cache at all"


def cache_folder(root: Path) -> Path:
    return root / CACHE_DIR


def stamp(what: str, version: int) -> bytes:
    """The first line of a cache file: which cache it is and its format's version. A format
    change raises the version, so an older sitegen's file is a clean miss, never misread."""
    return f"sitegen {what} cache {version}\n".encode()


def stamped(data: bytes, expected: bytes) -> Stamped:
    if data.startswith(expected):
        return Stamped.CURRENT
    family = expected.rstrip(b"\n").rpartition(b" ")[0] + b" "
    return Stamped.OTHER_VERSION if data.startswith(family) else Stamped.FOREIGN


def prepare(root: Path) -> Path:
    """The cache folder, made (with its tag) if it is not there; OSError when it cannot be."""
    folder = cache_folder(root)
    folder.mkdir(exist_ok=True)
    tag = folder / TAG_FILE
    if not tag.exists():
        tag.write_bytes(_TAG)
    return folder


def notice(path: Path, root: Path, message: str) -> Problem:
    """A warning about a cache file (`message` says what the build does without it)."""
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = str(path)
    return warning(shown, None, None, f"build cache {message}")


def guard_folder(root: Path, repair: bool) -> tuple[bool, list[Problem]]:
    """Whether the cache folder may be used, and what was wrong with it. sitegen makes no
    symbolic link in it: one there (the folder itself, or anything in it, say from a CI
    cache restored from another branch) would have a build write its caches, or publish a
    share card, through it, outside the site. A build (`repair`) removes such links, never
    what they lead to, and goes on; a check, which writes nothing, does without the cache."""
    folder = cache_folder(root)
    links = ([folder] if folder.is_symlink()
             else [folder / rel for rel in scan(folder).links] if folder.is_dir() else [])
    if not links:
        return True, []
    shown = ", ".join(_shown(root, link) for link in links[:3])
    more = f" and {len(links) - 3} more" if len(links) > 3 else ""
    if not repair:
        return False, [warning(CACHE_DIR, None, None, f"not used: it has symbolic links "
                               f"sitegen did not make ({shown}{more})",
                               "sitegen build removes them (never what they lead to)")]
    for link in links:
        link.unlink()
    return True, [warning(CACHE_DIR, None, None, f"removed symbolic links sitegen did not make "
                          f"({shown}{more}); the cache is written only inside the site",
                          "nothing they led to was touched")]


def _shown(root: Path, link: Path) -> str:
    return f"{link.relative_to(root).as_posix()} -> {os.readlink(link)}"


def clean(root: Path) -> str | None:
    """Remove the cache folder, and say what was removed; None when there was none. A cache
    folder that is a symbolic link is removed as a link: what it leads to is not touched."""
    folder = cache_folder(root)
    if folder.is_symlink():
        target = os.readlink(folder)
        folder.unlink()
        return f"removed the link {folder} (it led to {target}, which was left as it was)"
    if not folder.is_dir():
        return None
    shutil.rmtree(folder)
    return f"removed {folder}"
