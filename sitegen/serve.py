"""The preview server: one output folder over HTTP, with live reload and a build-error overlay.

The builder swaps output/ whole (output.py), so a request only ever reads files that are
already in place and never waits on a rebuild. Every request resolves its path afresh from
`root`, which therefore always means the folder now at that path, never one swapped out.

HTML is given a small script at serve time (never on disk) that listens to an event stream:
"reload" after a rebuild, "errors" while the last rebuild failed. Pages in hidden tabs close
their stream, because browsers allow only six HTTP/1.1 connections per host and a newsroom
opens many tabs; a page that comes back compares the build it was served with the current one
and reloads if it missed a rebuild. The same comparison reloads every page after the server
restarts.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import json
import logging
import mimetypes
import os
import shutil
import socket
import socketserver
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePath
from typing import Any, Final
from urllib.parse import quote, unquote, unquote_to_bytes

from . import __version__

DEFAULT_PORT: Final = 8000
PORT_ATTEMPTS: Final = 50
"""With no port given, 8000 and then the next ports up to 8000 + 50 are tried."""

HEARTBEAT_SECONDS = 15.0
"""A comment line this often on an idle event stream, so dead clients are noticed."""
POLL_SECONDS = 0.5
"""How often an event stream checks whether its client hung up."""
QUEUE_LIMIT: Final = 32
"""Events waiting for one stream; a client this far behind is dropped and reconnects."""
SOCKET_TIMEOUT: Final = 30.0
"""Idle keep-alive connections and stalled writes give up after this long."""
STOP_SECONDS: Final = 2.0
"""How long stop() waits for request threads after closing their connections."""

INTERNAL: Final = "__sitegen/"
"""The folder, under the mount, of the live-reload script and the event stream."""
ALLOWED_METHODS: Final = ("GET", "HEAD")
PCHAR: Final = "/!$&'()*+,;=:@-._~"
"""Characters a URL path may hold unencoded (RFC 3986), kept as they are in Locations."""

_LOG = logging.getLogger(__name__)

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

LIVERELOAD_JS = """\
// sitegen preview: reloads this page after a rebuild and shows build errors over it.
(() => {
  "use strict";
  const MOUNT = %(mount)s;
  const EVENTS = %(events)s;
  const ASSET = /\\.(css|m?js|svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf|otf)$/i;
  let build = %(build)s;
  let source = null;
  let reloading = false;

  function sitePath(path) {
    if (path === "index.html") return "";
    return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
  }
  function ownPath() {
    let path = location.pathname;
    try { path = decodeURIComponent(path); } catch (e) { /* keep it encoded */ }
    return sitePath(path.startsWith(MOUNT) ? path.slice(MOUNT.length) : path.slice(1));
  }
  function isNotFoundPage() {
    const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    return nav.length > 0 && nav[0].responseStatus === 404;
  }
  function affected(changed) {
    if (changed === null) return true;
    const own = ownPath();
    return changed.some((path) => sitePath(path) === own || ASSET.test(path) ||
                                  (path === "404.html" && isNotFoundPage()));
  }
  function reload() {
    if (!reloading) { reloading = true; location.reload(); }
  }
  function styled(tag, css) {
    const element = document.createElement(tag);
    element.style.cssText = css;
    return element;
  }
  function showErrors(messages) {
    let overlay = document.getElementById("sitegen-overlay");
    if (messages.length === 0) {
      if (overlay) { overlay.remove(); reload(); }
      return;
    }
    if (!overlay) {
      overlay = styled("div", "position:fixed;top:0;left:0;right:0;z-index:2147483647;" +
        "max-height:100vh;overflow:auto;box-sizing:border-box;margin:0;padding:1rem 1.25rem;" +
        "background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #b00020;" +
        "box-shadow:0 2px 12px rgba(0,0,0,.3);font:16px/1.4 system-ui,sans-serif;" +
        "text-align:left;direction:ltr");
      overlay.id = "sitegen-overlay";
      overlay.setAttribute("role", "alert");
      const heading = styled("h2", "margin:0 0 .5rem;font:bold 1.25rem/1.3 system-ui," +
        "sans-serif;color:#b00020");
      heading.textContent = "Build failed";
      const pre = styled("pre", "margin:0;white-space:pre-wrap;overflow-wrap:anywhere;" +
        "font:14px/1.5 ui-monospace,monospace;color:#1a1a1a;background:none");
      overlay.append(heading, pre);
      (document.body || document.documentElement).appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = messages.join("\\n");
  }
  function connect() {
    if (source !== null) return;
    source = new EventSource(EVENTS);
    source.addEventListener("hello", (event) => {
      const hello = JSON.parse(event.data);
      if (hello.build !== build) { reload(); return; }
      if (!hello.errors) showErrors([]);
    });
    source.addEventListener("reload", (event) => {
      build = event.lastEventId;
      if (affected(JSON.parse(event.data))) reload();
    });
    source.addEventListener("errors", (event) => showErrors(JSON.parse(event.data)));
  }
  function disconnect() {
    if (source !== null) { source.close(); source = null; }
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) { disconnect(); } else { connect(); }
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && !document.hidden) connect();
  });
  if (!document.hidden) connect();
})();
"""
"""The live-reload client, filled in per request with the mount and the build it belongs to."""

NOT_FOUND_PAGE = """\
<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Not found</title>
<body>
<h1>Not found</h1>
<p>Nothing is published at <code>{path}</code>{hint}.</p>
</body>
</html>
"""


class PortInUseError(OSError):
    """The port asked for (or every port tried) is taken; the message says what to do."""

    def __init__(self, port: int, last: int | None = None) -> None:
        if last is None:
            message = (f"port {port} is already in use; stop the program using it "
                       "or choose another port")
        else:
            message = f"ports {port} to {last} are all in use; choose a free port"
        super().__init__(errno.EADDRINUSE, message)
        self.port = port
        self.last = last
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- values ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """One server-sent event; `data` is JSON on one line, `id` the build it brings."""

    name: str
    data: str
    id: str | None = None

    def encode(self) -> bytes:
        """Event and data first, so simple readers find the data on the line after the name."""
        lines = [f"event: {self.name}", f"data: {self.data}"]
        if self.id is not None:
            lines.append(f"id: {self.id}")
        return ("\n".join(lines) + "\n\n").encode("utf-8")


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
    base = Path(os.path.realpath(root))
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


# --- the event streams -------------------------------------------------------------------------


class _Stream:
    """The events waiting for one connected page; bounded, so a stalled page cannot hoard them."""

    def __init__(self, initial: Iterable[ServerEvent]) -> None:
        self._ready = threading.Condition()
        self._events: deque[ServerEvent] = deque(initial)
        self._closed = False

    def push(self, event: ServerEvent) -> bool:
        """Queue an event; False (and the stream closed) when the page has fallen too far behind."""
        with self._ready:
            if self._closed:
                return False
            if len(self._events) >= QUEUE_LIMIT:
                self._closed = True
            else:
                self._events.append(event)
            self._ready.notify()
            return not self._closed

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()

    def wait(self, timeout: float) -> list[ServerEvent] | None:
        """Everything queued (possibly nothing, after `timeout`), or None once closed."""
        with self._ready:
            if not self._events and not self._closed:
                self._ready.wait(timeout)
            if self._closed:
                return None
            events = list(self._events)
            self._events.clear()
            return events


class _EventHub:
    """The live-reload state of one server: open streams, the current errors, the build id.

    The build id is '<server>-<number of reloads>'. Pages learn it when served and compare it
    on every (re)connect, which is how they notice rebuilds they missed and server restarts.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: set[_Stream] = set()
        self._server = uuid.uuid4().hex[:8]
        self._reloads = 0
        self._errors: tuple[str, ...] = ()
        self._closed = False

    @property
    def build(self) -> str:
        with self._lock:
            return self._build()

    def _build(self) -> str:
        return f"{self._server}-{self._reloads}"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._streams)

    def connect(self) -> _Stream | None:
        """A new stream that starts with the greeting and the current errors; None once stopped.

        Both are taken under the same lock as broadcasts, so no event falls between them.
        """
        with self._lock:
            if self._closed:
                return None
            hello = json.dumps({"build": self._build(), "errors": bool(self._errors)})
            initial = [ServerEvent("hello", hello, self._build())]
            if self._errors:
                initial.append(ServerEvent("errors", json.dumps(list(self._errors))))
            stream = _Stream(initial)
            self._streams.add(stream)
            return stream

    def disconnect(self, stream: _Stream) -> None:
        stream.close()
        with self._lock:
            self._streams.discard(stream)

    def reload(self, changed: Collection[str] | None) -> None:
        with self._lock:
            self._reloads += 1
            data = "null" if changed is None else json.dumps(sorted(set(changed)))
            self._publish(ServerEvent("reload", data, self._build()))

    def show_errors(self, messages: Sequence[str]) -> None:
        """Broadcast only a change, so the builder may clear after every good build for free."""
        with self._lock:
            if tuple(messages) == self._errors:
                return
            self._errors = tuple(messages)
            self._publish(ServerEvent("errors", json.dumps(list(self._errors))))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            streams, self._streams = self._streams, set()
        for stream in streams:
            stream.close()

    def _publish(self, event: ServerEvent) -> None:
        for stream in list(self._streams):
            if not stream.push(event):
                self._streams.discard(stream)


# --- HTTP --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Settings:
    root: Path
    mount: str


class _HTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its connections, so stop() can end them and join them."""

    daemon_threads = True
    # SO_REUSEADDR lets a second server take a busy port on Windows; elsewhere it only skips
    # TIME_WAIT, which is what a quickly restarted preview wants.
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, address: tuple[str, int], family: int, settings: _Settings,
                 hub: _EventHub) -> None:
        self.address_family = family
        self.settings = settings
        self.hub = hub
        self._lock = threading.Lock()
        self._connections: dict[threading.Thread, socket.socket] = {}
        self._stopping = False
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's getfqdn(), a reverse DNS lookup that can take seconds."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            if self._stopping:
                self.shutdown_request(request)
                return
            thread = threading.Thread(target=self._serve_connection,
                                      args=(request, client_address),
                                      name="sitegen-preview-request", daemon=True)
            self._connections[thread] = request
        thread.start()

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self._lock:
                self._connections.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line in the log instead of socketserver's traceback on the terminal."""
        exc = sys.exc_info()[1]
        if exc is not None and not _is_disconnect(exc):
            _LOG.warning("preview server: connection from %s failed: %s", client_address[0], exc)

    def close_connections(self, timeout: float) -> None:
        """End every open connection (event streams and idle keep-alives) and join its thread."""
        with self._lock:
            self._stopping = True
            connections = dict(self._connections)
        for sock in connections.values():
            with contextlib.suppress(OSError):  # already closed by its own thread
                sock.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread in connections:
            thread.join(max(0.0, deadline - time.monotonic()))


def _is_disconnect(exc: BaseException) -> bool:
    return isinstance(exc, ConnectionError | TimeoutError) or (
        isinstance(exc, OSError) and exc.errno in (errno.EPIPE, errno.ECONNRESET, errno.EBADF,
                                                   errno.ENOTCONN, errno.ESHUTDOWN))


class _Handler(BaseHTTPRequestHandler):
    """GET and HEAD only; every response is uncacheable and typed, nothing is logged per request."""

    protocol_version = "HTTP/1.1"
    server_version = f"sitegen-preview/{__version__}"
    sys_version = ""
    timeout = SOCKET_TIMEOUT
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a preview that prints every request buries the build's own messages."""

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.command not in ALLOWED_METHODS:
            self.close_connection = True  # any request body is left unread
            self._plain(405, "Method not allowed: the preview only reads.\n",
                        {"Allow": ", ".join(ALLOWED_METHODS)})
            return False
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (bad request lines, long headers) in this server's style."""
        self.close_connection = True
        self._plain(code, f"{message or self.responses.get(code, ('Error',))[0]}\n")

    def do_GET(self) -> None:
        self._guarded(self._respond)

    def do_HEAD(self) -> None:
        self._guarded(self._respond)

    def _guarded(self, respond: Callable[[], None]) -> None:
        """A failure is logged once and answered with 500 if nothing was sent yet."""
        self._started = False
        try:
            respond()
        except Exception as exc:
            self.close_connection = True
            if _is_disconnect(exc):
                return
            _LOG.warning("preview server: %s %s failed: %s", self.command, self.path, exc)
            if not self._started:
                with contextlib.suppress(OSError):
                    self._plain(500, "The preview server failed; see its log.\n")

    @property
    def _head(self) -> bool:
        return self.command == "HEAD"

    def _respond(self) -> None:
        settings = self.server.settings
        target = parse_target(self.path, settings.mount)
        if isinstance(target, SitePath):
            found = locate(settings.root, target, settings.mount)
            if isinstance(found, Served):
                self._file(found.file, found.name)
            elif isinstance(found, Redirect):
                self._redirect(found)
            else:
                self._not_found(found.path)
        elif isinstance(target, Internal):
            self._internal(target.name)
        elif isinstance(target, Redirect):
            self._redirect(target)
        elif isinstance(target, NotFound):
            self._not_found(target.path)
        else:
            self._plain(400, f"Bad request: {target.reason}.\n")

    def _internal(self, name: str) -> None:
        if name == "livereload.js":
            self._send(200, "text/javascript" + TEXT, self._livereload_js())
        elif name == "events":
            self._events()
        else:
            self._not_found(self.server.settings.mount + INTERNAL + name)

    def _livereload_js(self) -> bytes:
        mount = self.server.settings.mount
        return (LIVERELOAD_JS % {
            "mount": json.dumps(mount),
            "events": json.dumps(_encode(mount + INTERNAL + "events")),
            "build": json.dumps(self.server.hub.build),
        }).encode("utf-8")

    def _script_tag(self) -> bytes:
        src = escape(_encode(self.server.settings.mount + INTERNAL + "livereload.js"))
        return f'<script src="{src}"></script>'.encode()

    def _file(self, path: Path, name: str) -> None:
        """Typed by the name in the URL, so a symlink is served as what it claims to be."""
        kind = content_type(name)
        with path.open("rb") as file:
            if kind.startswith("text/html"):
                self._send(200, kind, inject_script(file.read(), self._script_tag()))
                return
            size = os.fstat(file.fileno()).st_size
            self._headers(200, kind, size)
            if not self._head:
                shutil.copyfileobj(file, self.wfile)

    def _not_found(self, path: str) -> None:
        """The site's own 404.html when it has one, as the host will serve it, else a plain page."""
        root = self.server.settings.root
        base = Path(os.path.realpath(root))
        page = _inside(base, base / "404.html")
        if page is not None and page.is_file():
            body = page.read_bytes()
        else:
            hint = "" if base.is_dir() else " (the site has not been built yet)"
            body = NOT_FOUND_PAGE.format(path=escape(path), hint=hint).encode("utf-8")
        self._send(404, "text/html" + TEXT, inject_script(body, self._script_tag()))

    def _redirect(self, redirect: Redirect) -> None:
        self._send(redirect.status, "text/plain" + TEXT,
                   f"Moved to {redirect.location}\n".encode(), {"Location": redirect.location})

    def _plain(self, status: int, text: str, extra: dict[str, str] | None = None) -> None:
        self._send(status, "text/plain" + TEXT, text.encode("utf-8"), extra)

    def _send(self, status: int, kind: str, body: bytes,
              extra: dict[str, str] | None = None) -> None:
        self._headers(status, kind, len(body), extra)
        if not self._head:
            self.wfile.write(body)

    def _headers(self, status: int, kind: str, length: int | None,
                 extra: dict[str, str] | None = None) -> None:
        self._started = True
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _events(self) -> None:
        """One page's event stream, held open until the page leaves or the server stops."""
        self.close_connection = True  # the body ends when the connection does
        if self._head:
            self._headers(200, "text/event-stream" + TEXT, None)
            return
        stream = self.server.hub.connect()
        if stream is None:
            self._plain(503, "The preview server is stopping.\n")
            return
        try:
            self._headers(200, "text/event-stream" + TEXT, None)
            self.wfile.write(b"retry: 1000\n\n")
            last_write = time.monotonic()
            while True:
                events = stream.wait(min(POLL_SECONDS, HEARTBEAT_SECONDS))
                if events is None or self._peer_gone():
                    return
                if events:
                    self.wfile.write(b"".join(event.encode() for event in events))
                    last_write = time.monotonic()
                elif time.monotonic() - last_write >= HEARTBEAT_SECONDS:
                    self.wfile.write(b": heartbeat\n\n")
                    last_write = time.monotonic()
        finally:
            self.server.hub.disconnect(stream)

    def _peer_gone(self) -> bool:
        """True once the page has hung up: its socket reads as end-of-file.

        A non-blocking peek rather than select(), which fails for descriptors above 1024.
        """
        sock: socket.socket = self.connection
        timeout = sock.gettimeout()
        try:
            sock.settimeout(0)
            return sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True
        finally:
            with contextlib.suppress(OSError):
                sock.settimeout(timeout)


# --- the server --------------------------------------------------------------------------------


class PreviewServer:
    """Serves one folder over HTTP with live reload; the folder's files are swapped atomically by
    the builder.

    port None tries 8000, then the next ports up to 8050; port 0 takes any free port (tests);
    any other port is used as given, and PortInUseError says so when it is taken. `mount` is
    the URL path the site lives under (the path of base_url): '/' redirects there, and every
    other address outside it is 404.
    """

    def __init__(self, root: Path, *, host: str = "127.0.0.1", port: int | None = None,
                 mount: str = "/") -> None:
        if port is not None and not 0 <= port <= 65535:
            raise ValueError(f"port must be between 0 and 65535, not {port}")
        self._settings = _Settings(Path(root).absolute(), normalize_mount(mount))
        self._host = host
        self._port = port
        self._hub = _EventHub()
        self._lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._bound_port: int | None = None
        self._stopped = False

    @property
    def root(self) -> Path:
        return self._settings.root

    @property
    def mount(self) -> str:
        """The mount as a decoded URL path with both slashes, e.g. '/checks/'."""
        return self._settings.mount

    @property
    def port(self) -> int:
        """The port being served (after start), or the one asked for."""
        port = self._bound_port if self._bound_port is not None else self._port
        if not port:
            raise RuntimeError("the port is chosen when the server starts; call start() first")
        return port

    @property
    def url(self) -> str:
        """Where to open the site, e.g. 'http://127.0.0.1:8000/factcheck/'."""
        return f"http://{_url_host(self._host)}:{self.port}{_encode(self.mount)}"

    @property
    def connections(self) -> int:
        """How many pages are listening for reloads right now."""
        return self._hub.count

    def start(self) -> None:
        """Bind and serve from a daemon thread; returns as soon as the port is bound."""
        with self._lock:
            if self._httpd is not None or self._stopped:
                raise RuntimeError("a PreviewServer starts once; make a new one to serve again")
            httpd = self._bind()
            self._httpd = httpd
            self._bound_port = int(httpd.server_address[1])
            self._thread = threading.Thread(target=httpd.serve_forever,
                                            kwargs={"poll_interval": 0.05},
                                            name="sitegen-preview", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Close every event stream and connection, stop serving and join all threads."""
        with self._lock:
            httpd, thread = self._httpd, self._thread
            self._thread = None
            self._stopped = True
        self._hub.close()
        if httpd is None or thread is None:
            return
        httpd.shutdown()
        httpd.server_close()
        httpd.close_connections(STOP_SECONDS)
        thread.join(STOP_SECONDS)

    def reload(self, changed: Collection[str] | None = None) -> None:
        """Tell open pages the new files are in place; `changed` site paths, or None for all.

        Call it after the swap: a page reloads when its own path (e.g. '2018/slug/') is listed,
        when the list is None, or when a listed file is a stylesheet, script, image or font.
        """
        if isinstance(changed, str):
            raise TypeError("reload() takes a collection of site paths, not one string")
        self._hub.reload(changed)

    def show_errors(self, messages: Sequence[str]) -> None:
        """Show a failed rebuild's problems over every page, now and on pages opened later.

        show_errors([]) clears the overlay and reloads the pages that showed it; when nothing
        was shown it does nothing, so the builder can call it after every good build.
        """
        if isinstance(messages, str):
            raise TypeError("show_errors() takes a sequence of messages, not one string")
        self._hub.show_errors(messages)

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _bind(self) -> _HTTPServer:
        if self._port is None:
            ports = list(range(DEFAULT_PORT, DEFAULT_PORT + PORT_ATTEMPTS + 1))
        else:
            ports = [self._port]
        family = _family(self._host)
        for port in ports:
            try:
                return _HTTPServer((self._host, port), family, self._settings, self._hub)
            except OSError as exc:
                if self._port is None and exc.errno in (errno.EADDRINUSE, errno.EACCES):
                    continue
                if exc.errno == errno.EADDRINUSE:
                    raise PortInUseError(port) from exc
                raise
        raise PortInUseError(ports[0], ports[-1])


def _family(host: str) -> int:
    """The address family to bind `host` with: IPv6 for IPv6 literals and names resolving so."""
    try:
        return socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:
        pass
    if not host:
        return socket.AF_INET
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return int(infos[0][0]) if infos else socket.AF_INET


def _url_host(host: str) -> str:
    """The host to print in the URL: a wildcard bind is opened locally, IPv6 goes in brackets."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host
