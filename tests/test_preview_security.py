"""The preview server's security and transport rules not covered in test_serve.py: request
targets in every encoding, absolute forms, what --host exposes, read-only endpoints, headers."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.preview import PreviewServer

WAIT = 5.0


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><html><title>Home</title></html>\n")
    (site / "a" / "index.html").write_text("<!doctype html><html><title>A</title></html>\n")
    return site


@pytest.fixture
def server(root: Path) -> Iterator[PreviewServer]:
    preview = PreviewServer(root, port=0)
    preview.start()
    yield preview
    preview.stop()


def test_responses_are_not_held_back_by_nagle(server: PreviewServer) -> None:
    """Connections are TCP_NODELAY: the body, written after the headers, goes out at once
    instead of waiting for the client's delayed ACK on every keep-alive request."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    try:
        conn.request("GET", "/a/")
        conn.getresponse().read()
        sockets = list(server._httpd._connections.values())  # type: ignore[union-attr]
        assert sockets
        assert all(s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for s in sockets)
    finally:
        conn.close()
