"""The preview server: one output folder over HTTP, with live reload and a build-error overlay.

The builder swaps output/ whole (output/folder.py), so a request only ever reads files that are
already in place and never waits on a rebuild. Every request resolves its path afresh from
`root`, which therefore always means the folder now at that path, never one swapped out.

HTML is given a small script at serve time (never on disk) that listens to an event stream:
"reload" after a rebuild, "errors" while the last rebuild failed. Pages in hidden tabs close
their stream, because browsers allow only six HTTP/1.1 connections per host and a newsroom
opens many tabs; a page that comes back compares the build it was served with the current one
and reloads if it missed a rebuild. The same comparison reloads every page after the server
restarts.

This package replaces the single module sitegen/serve.py and re-exports its public API:
paths.py turns URLs into files, events.py holds the live-reload streams, hosts.py says which
Host names are answered, http.py answers requests (livereload.js is the script it serves), and
server.py runs it all as PreviewServer.
"""

from sitegen.preview.events import QUEUE_LIMIT, ServerEvent
from sitegen.preview.http import DEFAULT_PORT, PORT_ATTEMPTS, PortInUseError
from sitegen.preview.paths import (
    BadRequest,
    Internal,
    NotFound,
    Redirect,
    Served,
    SitePath,
    content_type,
    inject_script,
    is_loopback,
    locate,
    normalize_mount,
    parse_target,
)
from sitegen.preview.server import PreviewServer

__all__ = [
    "DEFAULT_PORT",
    "PORT_ATTEMPTS",
    "QUEUE_LIMIT",
    "BadRequest",
    "Internal",
    "NotFound",
    "PortInUseError",
    "PreviewServer",
    "Redirect",
    "Served",
    "ServerEvent",
    "SitePath",
    "content_type",
    "inject_script",
    "is_loopback",
    "locate",
    "normalize_mount",
    "parse_target",
]
