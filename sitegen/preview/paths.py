"""URL paths to files, and the HTTP facts the preview server needs about them.

Everything here is decided from a request target and the folder on disk alone, with no socket
involved, so the rules that keep every spelling of a path inside the output folder, and the
Content-Types and script injection the server applies, can be read and tested on their own.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import socket
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Final
from urllib.parse import quote, unquote, unquote_to_bytes

INTERNAL: Final = "__sitegen/"
"""The folder, under the mount, of the live-reload script and the event stream."""
PCHAR: Final = "/!$&'()*+,;=:@-._~"
"""Characters a URL path may hold unencoded (RFC 3986), kept as they are in Locations."""

TEXT = "; charset=utf-8"
CONTENT_TYPES: Final = {
    ".html": "text/html" + TEXT,
    ".htm": "text/html" + TEXT,
    ".css": "text/css" + TEXT,
    ".js": "text/javascript" + TEXT,
    ".mjs": "text/javascript" + TEXT,
    ".json": "application/json" + TEXT,
    ".xml": "application/xml" + TEXT,
    ".rss": "application/rss+xml" + TEXT,
    ".atom": "application/atom+xml" + TEXT,
    ".txt": "text/plain" + TEXT,
    ".md": "text/markdown" + TEXT,
    ".svg": "image/svg+xml" + TEXT,
    ".csv": "text/csv" + TEXT,
    ".webmanifest": "application/manifest+json" + TEXT,
    ".wasm": "application/wasm",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    # Pagefind's index files: binary, whatever the system's MIME table says.
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
}
"""Fixed types for what a site holds, so a preview never depends on the machine's MIME table."""


# --- values ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Served:
    """A file to send: its real path (inside root), and the name the URL gave it."""

    file: Path
    name: str


@dataclass(frozen=True, slots=True)
class Redirect:
    status: int
    location: str


@dataclass(frozen=True, slots=True)
class NotFound:
    path: str


@dataclass(frozen=True, slots=True)
class BadRequest:
    reason: str


@dataclass(frozen=True, slots=True)
class Internal:
    """One of the server's own endpoints under {mount}__sitegen/."""

    name: str


@dataclass(frozen=True, slots=True)
class SitePath:
    """A decoded path inside the mount, checked segment by segment; `query` keeps its '?'."""

    path: str
    query: str


Target = SitePath | Redirect | NotFound | BadRequest | Internal
Lookup = Served | Redirect | NotFound


# --- addresses ---------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """True when only this machine can reach `host`, so the CLI can warn before exposing drafts.

    A name is loopback only if every address it resolves to is; a name that does not resolve
    is not, because a warning too many is cheaper than a newsroom's drafts on the network.
    """
    name = host.strip()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name.lower() == "localhost" or name.lower().endswith(".localhost"):
        return True
    literal = _loopback_literal(name)
    if literal is not None:
        return literal
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    return bool(infos) and all(_loopback_literal(str(info[4][0])) for info in infos)


def _loopback_literal(text: str) -> bool | None:
    """Whether an IP literal is loopback (IPv4-mapped IPv6 included); None if not a literal."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def normalize_mount(mount: str) -> str:
    """'/checks/' from 'checks', '/checks' or '/checks/'; decoded, as request paths are compared.

    The mount is a URL path such as `urlsplit(base_url).path`, so it is percent-decoded once.
    """
    decoded = unquote(mount.strip())
    segments = [s for s in decoded.split("/") if s]
    if (decoded.strip("/") != "/".join(segments) or any(c in decoded for c in "?#")
            or _bad_characters(decoded) or not all(_plain_segment(s) for s in segments)):
        raise ValueError(f"mount must be a plain URL path such as '/checks/', not {mount!r}")
    return "/" + "".join(s + "/" for s in segments)


def _bad_characters(text: str) -> bool:
    return any(ord(c) < 0x20 or ord(c) == 0x7F for c in text)


def _encode(path: str) -> str:
    return quote(path, safe=PCHAR)


# --- URL paths to files ------------------------------------------------------------------------


def parse_target(target: str, mount: str) -> Target:
    """What a request target names, decided from the URL alone; `mount` as normalize_mount makes.

    The path is percent-decoded exactly once: '%252e%252e' becomes the literal name '%2e%2e',
    looked up like any other. Dot segments, empty segments, backslashes and hidden names are
    refused instead of normalised, so no spelling of a path can climb out of the root.
    """
    raw, mark, query = target.partition("?")
    raw = raw.partition("#")[0]
    query = mark + query
    if not raw.startswith("/"):
        return BadRequest("the request target must be a path starting with '/'")
    try:
        path = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return BadRequest("the path is not valid UTF-8")
    if _bad_characters(path):
        return BadRequest("the path contains control characters")
    if mount != "/" and path in ("/", mount[:-1]):
        return Redirect(302 if path == "/" else 301, _encode(mount) + query)
    if not path.startswith(mount):
        return NotFound(path)
    rel = path[len(mount):]
    segments = rel.split("/")
    if any(not _plain_segment(s) for s in segments[:-1]) or (
            segments[-1] and not _plain_segment(segments[-1])):
        return NotFound(path)
    if rel.startswith(INTERNAL):
        return Internal(rel[len(INTERNAL):])
    return SitePath(rel, query)


def _plain_segment(segment: str) -> bool:
    """A name that means itself: not empty, not hidden or '..', no separator, no drive."""
    if not segment or segment.startswith(".") or "\\" in segment or "/" in segment:
        return False
    pure = PurePath(segment)
    return not pure.is_absolute() and not pure.drive and pure.name == segment


def locate(root: Path, site_path: SitePath, mount: str) -> Lookup:
    """The file a checked site path names, only if its real path (symlinks followed) is in root.

    A folder serves its index.html; a folder asked for without its trailing slash redirects,
    so the relative links inside its page resolve from the right place.
    """
    try:
        return _locate(Path(os.path.realpath(root)), site_path, mount)
    except OSError:  # a name or path too long for the file system: nothing is published there
        return NotFound(mount + site_path.path)


def _locate(base: Path, site_path: SitePath, mount: str) -> Lookup:
    rel = site_path.path
    parts = [p for p in rel.split("/") if p]
    real = _inside(base, base.joinpath(*parts))
    if real is None:
        return NotFound(mount + rel)
    if real.is_dir():
        if rel and not rel.endswith("/"):
            return Redirect(301, _encode(mount + rel + "/") + site_path.query)
        index = _inside(base, real / "index.html")
        if index is not None and index.is_file():
            return Served(index, "index.html")
        return NotFound(mount + rel)
    if parts and real.is_file() and not rel.endswith("/"):
        return Served(real, parts[-1])
    return NotFound(mount + rel)


def _inside(base: Path, candidate: Path) -> Path | None:
    real = Path(os.path.realpath(candidate))
    return real if real == base or real.is_relative_to(base) else None


def content_type(name: str) -> str:
    """The Content-Type for a file name; text types always say charset=utf-8."""
    suffix = PurePath(name).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, encoding = mimetypes.guess_type(name, strict=False)
    if guessed is None or encoding is not None:
        return "application/octet-stream"
    return guessed + TEXT if guessed.startswith("text/") else guessed


def inject_script(html: bytes, tag: bytes) -> bytes:
    """`tag` just before the last </body>, or at the end when the page has none."""
    at = html.lower().rfind(b"</body")
    return html + tag if at < 0 else html[:at] + tag + html[at:]
