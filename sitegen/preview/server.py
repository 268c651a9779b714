"""PreviewServer: the one object the CLI and the builder use to run a preview.

It owns the lifecycle (bind, serve from a daemon thread, stop and join everything) and the
builder-facing calls, reload() and show_errors(); the HTTP details live in http.py, the
live-reload state in events.py and the URL rules in paths.py.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Final

from sitegen.preview.events import _EventHub
from sitegen.preview.hosts import HostRule
from sitegen.preview.http import _HTTPServer, _Settings, bind
from sitegen.preview.paths import _encode, normalize_mount

STOP_SECONDS: Final = 2.0
"""How long stop() waits for request threads after closing their connections."""


class PreviewServer:
    """Serves one folder over HTTP with live reload; the folder's files are swapped atomically by
    the builder.

    port None tries 8000, then the next ports up to 8050; port 0 takes any free port (tests);
    any other port is used as given, and PortInUseError says so when it is taken. `mount` is
    the URL path the site lives under (the path of base_url): '/' redirects there, and every
    other address outside it is 404. Only requests naming a loopback host, or `host` itself,
    are answered (hosts.py: DNS rebinding).
    """

    def __init__(self, root: Path, *, host: str = "127.0.0.1", port: int | None = None,
                 mount: str = "/") -> None:
        if port is not None and not 0 <= port <= 65535:
            raise ValueError(f"port must be between 0 and 65535, not {port}")
        self._settings = _Settings(Path(root).absolute(), normalize_mount(mount),
                                   HostRule.for_bind(host))
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
            httpd = bind(self._host, self._port, self._settings, self._hub)
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


def _url_host(host: str) -> str:
    """The host to print in the URL: a wildcard bind is opened locally, IPv6 goes in brackets."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host
