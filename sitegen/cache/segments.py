"""A cache file of keyed strings that a build extends instead of writing again: the format of
bodies.py's and documents.py's files (the folder, the stamp line and writing a file whole
atomically are folder.py's, as for every cache).

Both caches (bodies.py: Markdown bodies, 70 MB at 10,000 articles; documents.py: what each
content file became) are a map from a key to a string. Writing such a file whole costs
a quarter of a second at that size, for a build that changed one article. So the file is a
header and then segments, each holding some entries: a build appends one segment with what
it added, and writes the file whole (atomically, through a temporary file) only when the
entries no build needs any more (deleted articles, old versions of edited bodies) have grown
to an eighth of it, when the file changed since it was loaded, or when there was none.

    stamp  header-line  segment*
    segment = length (8 bytes) | entries | digest (32 bytes)
    entry   = key (16 bytes) | size (4 bytes) | UTF-8 text

A segment's digest covers the one before it (the first's covers the stamp and header), so
a damaged byte anywhere, or segments dropped or mixed from two files, is found, and the
file is discarded with a notice: nothing in it is ever trusted unchecked. Later segments
override earlier ones. A build killed while appending leaves its segment cut short: the
segments before it are used, with a notice, and the next save writes the file whole.
Appends hold an exclusive lock and happen only while the file is still the one loaded, so
two builds saving at once cannot interleave their segments.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.cache.folder import (
    Stamped,
    cache_folder,
    notice,
    prepare,
    stamped,
)
from sitegen.folders import replace_file
from sitegen.problems import Problem

KEY_BYTES = 16
_ENTRY = struct.Struct(f">{KEY_BYTES}sI")
_LENGTH = struct.Struct(">Q")
_DIGEST_BYTES = 32
_COMPACT_AT = 8
"""Write the file whole when the entries no longer needed are 1/_COMPACT_AT of it."""


@dataclass(frozen=True, slots=True)
class FileState:
    """Where a cache file stood when it was loaded, for appending to it."""

    identity: tuple[int, int, int]
    """(inode, size, modification time) as loaded: an append needs the file unchanged."""
    chain: bytes
    """The digest of its last segment, which the next segment's digest covers."""
    held: int
    """Characters of entry text the file holds (some may no longer be needed)."""


@dataclass(frozen=True, slots=True)
class Stored:
    """A cache file's entries as loaded (empty when there was no usable file)."""

    entries: dict[bytes, str] = field(default_factory=dict)
    state: FileState | None = None
    """None when the file is not one to append to: missing, stale, damaged or cut short."""


def load_entries(root: Path, name: str, magic: bytes, header: bytes,
                 stale: str | None) -> tuple[Stored, list[Problem]]:
    """The entries of the cache file `name`, or none, with a notice when a file was there but
    not usable; `header` names what made them, and a file made otherwise is `stale` (None:
    expected to happen, discarded without a word)."""
    path = cache_folder(root) / name
    try:
        with path.open("rb") as file:
            stat = os.fstat(file.fileno())
            data = file.read()
    except FileNotFoundError:
        return Stored(), []
    except OSError as exc:
        return Stored(), [notice(path, root, f"could not be read ({exc.strerror}); building "
                                             "without it")]
    parsed = _parse(data, magic, header, stale)
    if parsed is None:
        return Stored(), []
    if isinstance(parsed, str):
        return Stored(), [notice(path, root, f"{parsed}; discarded, it is made again by this "
                                             "build")]
    entries, chain, held, end = parsed
    if end < len(data):  # a build stopped while appending: what came before is sound
        return Stored(entries), [notice(path, root, "ends in a part cut short (a build "
                                        "stopped while saving it); the rest is used")]
    identity = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return Stored(entries, FileState(identity, chain, held)), []


def save_entries(root: Path, name: str, magic: bytes, header: bytes,
                 entries: Mapping[bytes, str], consequence: str,
                 stored: Stored | None = None) -> list[Problem]:
    """Make the cache file hold `entries` (and perhaps some no longer needed): by appending
    what `stored` (the file as loaded) lacks, or by replacing the file atomically, so a
    build killed while saving leaves the old file or a part the next load sets aside."""
    path = cache_folder(root) / name
    try:
        prepare(root)
        if stored is not None and stored.state is not None and _extended(
                path, stored.entries, stored.state, entries):
            return []
        _replace(path, entries, magic, header)
    except OSError as exc:
        return [notice(path, root, f"could not be saved ({exc.strerror}); {consequence}")]
    return []


def _extended(path: Path, old: Mapping[bytes, str], state: FileState,
              entries: Mapping[bytes, str]) -> bool:
    """Bring the file up to `entries` by appending one segment, when that is the thing to do;
    False when it must be written whole instead."""
    new = {key: text for key, text in entries.items() if old.get(key) != text}
    unused = sum(len(text) for key, text in old.items() if key not in entries or key in new)
    if unused * _COMPACT_AT >= state.held + sum(len(text) for text in new.values()):
        return False
    if not new:
        return True  # nothing to add, and little unused: the file stays as it is
    try:
        import fcntl  # POSIX: elsewhere (Windows) the file is always written whole
    except ImportError:
        return False
    segment = _segment(state.chain, b"".join(_entry_parts(new)))
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0))
    except (FileNotFoundError, OSError):  # OSError: a symbolic link (ELOOP), never followed
        return False
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        except OSError:
            return False  # a file system without locks: write it whole
        stat = os.fstat(descriptor)
        if (stat.st_ino, stat.st_size, stat.st_mtime_ns) != state.identity:
            return False  # another build saved since this one loaded it
        view = memoryview(segment)
        while view:
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)
    return True


def _replace(path: Path, entries: Mapping[bytes, str], magic: bytes, header: bytes) -> None:
    """The file written whole (folders.replace_file), entry by entry: joining a 70 MB cache in
    memory first was the top of a cold build's peak (the segment's length, which comes
    first, is counted beforehand)."""
    replace_file(path, _whole_file(entries, magic + header))


def _whole_file(entries: Mapping[bytes, str], head: bytes) -> Iterator[bytes]:
    """The file's bytes in parts: the head, then one segment holding every entry."""
    yield head
    if not entries:
        return
    prefix = _LENGTH.pack(_payload_length(entries))
    digest = hashlib.blake2b(_first_chain(head), digest_size=_DIGEST_BYTES)
    digest.update(prefix)
    yield prefix
    for part in _entry_parts(entries):
        digest.update(part)
        yield part
    yield digest.digest()


def _entry_parts(entries: Mapping[bytes, str]) -> Iterator[bytes]:
    for key in sorted(entries):
        text = entries[key].encode("utf-8")
        yield _ENTRY.pack(key, len(text))
        yield text


def _payload_length(entries: Mapping[bytes, str]) -> int:
    """The bytes _entry_parts will give, without encoding the (nearly all ASCII) texts."""
    return sum(_ENTRY.size + (len(text) if text.isascii() else len(text.encode("utf-8")))
               for text in entries.values())


def _first_chain(head: bytes) -> bytes:
    return hashlib.blake2b(head, digest_size=_DIGEST_BYTES).digest()


def _segment(chain: bytes, payload: bytes) -> bytes:
    prefix = _LENGTH.pack(len(payload))
    digest = hashlib.blake2b(chain, digest_size=_DIGEST_BYTES)
    digest.update(prefix)
    digest.update(payload)
    return prefix + payload + digest.digest()


Parsed = tuple[dict[bytes, str], bytes, int, int]
"""The entries, the last segment's digest, the bytes of text held, where the sound part ends."""


def _parse(data: bytes, magic: bytes, header: bytes, stale: str | None) -> Parsed | str | None:
    """The entries, or why the file cannot be used (`stale`, for another header, once its
    segments are checked: a damaged header is damage, not another version)."""
    found = stamped(data, magic)
    if found is Stamped.OTHER_VERSION:  # this cache in another format: an older sitegen's
        return stale
    if found is Stamped.FOREIGN:
        return "is not a sitegen cache file"
    line_end = data.find(b"\n", len(magic)) + 1
    if line_end == 0:
        return "is damaged (its header is cut short)"
    chain = _first_chain(data[:line_end])
    entries: dict[bytes, str] = {}
    held, offset, view = 0, line_end, memoryview(data)
    while offset + _LENGTH.size <= len(data):
        (length,) = _LENGTH.unpack_from(data, offset)
        end = offset + _LENGTH.size + length + _DIGEST_BYTES
        if end > len(data):
            break
        body = view[offset:end - _DIGEST_BYTES]
        digest = hashlib.blake2b(chain, digest_size=_DIGEST_BYTES)
        digest.update(body)
        if digest.digest() != data[end - _DIGEST_BYTES:end]:
            return "is damaged (its checksum does not match)"
        chain = data[end - _DIGEST_BYTES:end]
        try:
            held += _read_entries(data, offset + _LENGTH.size, end - _DIGEST_BYTES, entries)
        except (ValueError, struct.error):  # UnicodeDecodeError is a ValueError
            return "is damaged (an entry is cut short)"
        offset = end
    if data[len(magic):line_end] != header:
        return stale
    return entries, chain, held, offset


def _read_entries(data: bytes, start: int, stop: int, into: dict[bytes, str]) -> int:
    """The entries of one segment (its digest already checked) into `into`; their size."""
    offset, held = start, 0
    while offset < stop:
        key, size = _ENTRY.unpack_from(data, offset)
        offset += _ENTRY.size
        text = into[key] = data[offset:offset + size].decode("utf-8")
        held += len(text)
        offset += size
    if offset != stop:
        raise ValueError("an entry runs past its segment")
    return held

