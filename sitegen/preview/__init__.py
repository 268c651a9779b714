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

This package replaces the single module sitegen/serve.py and offers its public API:
paths.py turns URLs into files, events.py holds the live-reload streams, hosts.py says which
Host names are answered, http.py answers requests (livereload.js is the script it serves),
server.py runs it all as PreviewServer, and folder.py keeps a preview's temporary folder.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.preview.events import QUEUE_LIMIT, ServerEvent
    from sitegen.preview.folder import (
        OWNER_FILE,
        SITE,
        make_preview_folder,
        remove_orphans,
        remove_preview_folder,
    )
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
    "DEFAULT_PORT", "OWNER_FILE", "PORT_ATTEMPTS", "QUEUE_LIMIT", "SITE", "BadRequest", "Internal",
    "NotFound", "PortInUseError", "PreviewServer", "Redirect", "Served", "ServerEvent", "SitePath",
    "content_type", "inject_script", "is_loopback", "locate", "make_preview_folder",
    "normalize_mount", "parse_target", "remove_orphans", "remove_preview_folder",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "QUEUE_LIMIT": "sitegen.preview.events",
        "ServerEvent": "sitegen.preview.events",
        "OWNER_FILE": "sitegen.preview.folder",
        "SITE": "sitegen.preview.folder",
        "make_preview_folder": "sitegen.preview.folder",
        "remove_orphans": "sitegen.preview.folder",
        "remove_preview_folder": "sitegen.preview.folder",
        "DEFAULT_PORT": "sitegen.preview.http",
        "PORT_ATTEMPTS": "sitegen.preview.http",
        "PortInUseError": "sitegen.preview.http",
        "BadRequest": "sitegen.preview.paths",
        "Internal": "sitegen.preview.paths",
        "NotFound": "sitegen.preview.paths",
        "Redirect": "sitegen.preview.paths",
        "Served": "sitegen.preview.paths",
        "SitePath": "sitegen.preview.paths",
        "content_type": "sitegen.preview.paths",
        "inject_script": "sitegen.preview.paths",
        "is_loopback": "sitegen.preview.paths",
        "locate": "sitegen.preview.paths",
        "normalize_mount": "sitegen.preview.paths",
        "parse_target": "sitegen.preview.paths",
        "PreviewServer": "sitegen.preview.server",
    })
