"""The HTTP side of the preview: the threaded server, its request handler, and binding a port.

Every request is answered here, from paths.py's decisions and events.py's streams, with the
headers, 404 page and live-reload script injection that make the preview behave like the host.
The server keeps track of its connections, so PreviewServer.stop() can end and join them all.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import json
import logging
import os
import shutil
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, Final

from sitegen.preview.events import QUEUE_LIMIT as QUEUE_LIMIT  # re-exported beside the other limits
from sitegen.preview.events import _EventHub
from sitegen.preview.hosts import HostRule
from sitegen.preview.paths import (
    INTERNAL,
    TEXT,
    Internal,
    NotFound,
    Redirect,
    Served,
    SitePath,
    _encode,
    _inside,
    content_type,
    inject_script,
    locate,
    parse_target,
)
from sitegen.version import __version__

DEFAULT_PORT: Final = 8000
PORT_ATTEMPTS: Final = 50
"""With no port given, 8000 and then the next ports up to 8000 + 50 are tried."""

HEARTBEAT_SECONDS = 15.0
"""A comment line this often on an idle event stream, so dead clients are noticed."""
POLL_SECONDS = 0.5
"""How often an event stream checks whether its client hung up."""
SOCKET_TIMEOUT: Final = 30.0
"""Idle keep-alive connections and stalled writes give up after this long."""
ALLOWED_METHODS: Final = ("GET", "HEAD")

_LOG = logging.getLogger("sitegen.serve")
"""Still named for the old sitegen/serve.py, so logging settings made for it keep working."""

LIVERELOAD_JS: Final = resources.files("sitegen.preview").joinpath("livereload.js").read_text(
    encoding="utf-8")
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


# --- HTTP --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Settings:
    root: Path
    mount: str
    hosts: HostRule


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
    default_request_version = "HTTP/1.0"
    """What a request line without a version (or a malformed one) is answered as: with a status
    line and headers (nosniff, a charset), never as a bare HTTP/0.9 body."""
    server_version = f"sitegen-preview/{__version__}"
    sys_version = ""
    timeout = SOCKET_TIMEOUT
    disable_nagle_algorithm = True
    """Headers and body go out as two writes; with Nagle's algorithm the body would wait for
    the client's delayed ACK of the headers (40 ms on Linux) on every keep-alive request."""
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
        refused = self.server.settings.hosts.refusal(self.headers.get_all("Host") or [])
        if refused is not None:  # before any endpoint: a rebinding page gets nothing else
            self.close_connection = True
            self._plain(refused[0], refused[1] + ".\n")
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
                try:
                    self._file(found.file, found.name)
                except (FileNotFoundError, NotADirectoryError):
                    self._not_found(settings.mount + target.path)  # removed by a rebuild
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


# --- binding -----------------------------------------------------------------------------------


def bind(host: str, requested: int | None, settings: _Settings, hub: _EventHub) -> _HTTPServer:
    """A server bound to port `requested`, or with None to the first free one from DEFAULT_PORT."""
    if requested is None:
        ports = list(range(DEFAULT_PORT, DEFAULT_PORT + PORT_ATTEMPTS + 1))
    else:
        ports = [requested]
    family = _family(host)
    for port in ports:
        try:
            return _HTTPServer((host, port), family, settings, hub)
        except OSError as exc:
            if requested is None and exc.errno in (errno.EADDRINUSE, errno.EACCES):
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

