"""The build cache: Markdown bodies already converted, kept between builds in the site folder.

Converting Markdown is nine tenths of a cold build, and an archive's bodies rarely change, so
`.sitegen-cache/markdown.bin` keeps each body's HTML under a digest of the body's text. The
key is the text alone; everything else that shapes the HTML (sitegen's and Markdown's
versions, the extensions) is written in the file's header, and a file with another header is
thrown away whole. Front matter is always read and checked again, so a cache can never hide
an error, and the cache holds nothing but strings: a file from elsewhere (a CI cache
restored on another runner, a damaged disk) is checked end to end with a digest and at worst
discarded with a notice. The cache is never needed: removing it only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import struct
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import markdown

from . import __version__
from .markup import EXTENSIONS
from .problems import Problem, warning
from .typography import VERSION as TYPOGRAPHY_VERSION

CACHE_DIR = ".sitegen-cache"
MARKDOWN_FILE = "markdown.bin"
MAGIC = b"sitegen markdown cache 1\n"
RENDERER = (f"sitegen {__version__}; Markdown {markdown.__version__}; "
            f"{' '.join(EXTENSIONS)}; typography {TYPOGRAPHY_VERSION}\n").encode()
KEY_BYTES = 16
_ENTRY = struct.Struct(f">{KEY_BYTES}sI")
_DIGEST_BYTES = 32
_TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
        b"# This folder is sitegen's build cache; removing it is safe (`sitegen clean`).\n")


def body_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=KEY_BYTES).digest()


def cache_folder(root: Path) -> Path:
    return root / CACHE_DIR


def load_markdown_cache(root: Path) -> tuple[dict[bytes, str], list[Problem]]:
    """The cached bodies, or none (with a notice when a file was there but not usable)."""
    return load_entries(root, MARKDOWN_FILE, MAGIC, RENDERER,
                        "was made by another version of sitegen or Markdown")


def save_markdown_cache(root: Path, entries: Mapping[bytes, str]) -> list[Problem]:
    return save_entries(root, MARKDOWN_FILE, MAGIC, RENDERER, entries,
                        "the next build converts every body again")


def load_entries(root: Path, name: str, magic: bytes, header: bytes,
                 stale: str | None) -> tuple[dict[bytes, str], list[Problem]]:
    """The entries of the cache file `name`, or none, with a notice when a file was there but
    not usable; `header` names what made them, and a file made otherwise is `stale` (None:
    expected to happen, discarded without a word)."""
    path = cache_folder(root) / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [_notice(path, root, f"could not be read ({exc.strerror}); building "
                                        "without it")]
    entries = _parse(data, magic, header, stale)
    if entries is None:
        return {}, []
    if isinstance(entries, str):
        return {}, [_notice(path, root, f"{entries}; discarded, it is made again by this build")]
    return entries, []


def save_entries(root: Path, name: str, magic: bytes, header: bytes,
                 entries: Mapping[bytes, str], consequence: str) -> list[Problem]:
    """Replace the cache file atomically, so a build killed while saving leaves the old one."""
    folder = cache_folder(root)
    path = folder / name
    temporary = folder / f".{name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        tag = folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_bytes(_TAG)
        _write(temporary, entries, magic, header)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return [_notice(path, root, f"could not be saved ({exc.strerror}); {consequence}")]
    return []


def clean(root: Path) -> bool:
    """Remove the cache folder; False when there was none."""
    folder = cache_folder(root)
    if not folder.is_dir():
        return False
    shutil.rmtree(folder)
    return True


@dataclass
class CachingRenderer:
    """A Markdown renderer that looks in the cache first, and remembers what it used, so the
    next cache holds exactly the bodies of this build (deleted articles drop out)."""

    render: Callable[[str], str]
    known: Mapping[bytes, str]
    hits: list[bytes] = field(default_factory=list)
    new: dict[bytes, str] = field(default_factory=dict)

    def __call__(self, text: str) -> str:
        key = body_key(text)
        html = self.known.get(key)
        if html is not None:
            self.hits.append(key)
            return html
        html = self.new.get(key)
        if html is None:
            html = self.new[key] = self.render(text)
        return html

    def take(self) -> tuple[list[bytes], dict[bytes, str]]:
        """What was used since the last call: cached keys, and newly converted bodies."""
        taken = (self.hits, self.new)
        self.hits, self.new = [], {}
        return taken


def _write(path: Path, entries: Mapping[bytes, str], magic: bytes, header: bytes) -> None:
    """The file, entry by entry, its digest computed on the way: joining a 70 MB cache in
    memory first (and copying it once more to append the digest) was the top of a cold
    build's peak."""
    digest = hashlib.blake2b(digest_size=_DIGEST_BYTES)
    with path.open("wb") as file:
        for part in _parts(entries, magic, header):
            file.write(part)
            digest.update(part)
        file.write(digest.digest())


def _parts(entries: Mapping[bytes, str], magic: bytes, header: bytes) -> Iterator[bytes]:
    yield magic
    yield header
    for key in sorted(entries):
        html = entries[key].encode("utf-8")
        yield _ENTRY.pack(key, len(html))
        yield html


def _parse(data: bytes, magic: bytes, header: bytes,
           stale: str | None) -> dict[bytes, str] | str | None:
    """The entries, or why the file cannot be used (`stale`, for another header)."""
    body, digest = data[:-_DIGEST_BYTES], data[-_DIGEST_BYTES:]
    if not data.startswith(magic):
        return "is not a sitegen cache file"
    if hashlib.blake2b(body, digest_size=_DIGEST_BYTES).digest() != digest:
        return "is damaged (its checksum does not match)"
    offset = len(magic)
    if not body.startswith(header, offset):
        return stale
    offset += len(header)
    entries: dict[bytes, str] = {}
    try:
        while offset < len(body):
            key, size = _ENTRY.unpack_from(body, offset)
            offset += _ENTRY.size
            entries[key] = body[offset:offset + size].decode("utf-8")
            offset += size
    except (struct.error, UnicodeDecodeError):
        return "is damaged (an entry is cut short)"
    if offset != len(body):
        return "is damaged (an entry is cut short)"
    return entries


def _notice(path: Path, root: Path, message: str) -> Problem:
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = str(path)
    return warning(shown, None, None, f"build cache {message}")
