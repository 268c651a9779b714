"""The preview server's security and transport rules beyond test_serve.py: request targets in
every encoding and form, proof that no file outside the root is opened, malformed requests,
read-only endpoints, headers on every kind of response, and what --host exposes."""

from __future__ import annotations

import http.client
import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from processes import Running

from sitegen.preview import PreviewServer, Served
from sitegen.preview import http as serve

if TYPE_CHECKING:
    from conftest import ScratchSite

WAIT = 5.0
SECRET = "SECRET-outside-the-root-81c2"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A built site with a folder without index, a secret beside it and links out of it."""
    site = tmp_path / "site"
    for rel, text in {
        "index.html": "<!doctype html><html><title>Home</title><body></body></html>\n",
        "404.html": "<!doctype html><html><title>Not here</title><body></body></html>\n",
        "a/index.html": "<!doctype html><html><title>A</title><body></body></html>\n",
        "style.css": "body {}\n",
        "app.js": "1;\n",
        "feed.xml": "<feed/>\n",
        "data.json": "{}\n",
        "logo.svg": "<svg/>\n",
        "notes.txt": "notes\n",
        "listing/one.html": "<p>one</p>\n",
        "listing/two.html": "<p>two</p>\n",
    }.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text(SECRET, encoding="utf-8")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (site / "leakdir").symlink_to(tmp_path / "outside", target_is_directory=True)
    return site


@pytest.fixture
def server(root: Path) -> Iterator[PreviewServer]:
    preview = PreviewServer(root, port=0)
    preview.start()
    yield preview
    preview.stop()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the server opens from now on (pages, 404.html), resolved."""
    paths: list[Path] = []
    real_open = Path.open

    def recording(self: Path, *args: Any, **kwargs: Any) -> Any:
        paths.append(self.resolve())
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", recording)
    return paths


def raw(server: PreviewServer, request: bytes) -> bytes:
    """Send bytes exactly as given and read the whole answer (the server closes after it)."""
    return raw_to(server.port, request)


def raw_to(port: int, request: bytes) -> bytes:
    """raw() to any port on 127.0.0.1, such as a `sitegen serve` process's."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as conn:
        conn.sendall(request)
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def status_and_headers(answer: bytes) -> tuple[int, dict[str, str]]:
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    assert head[0].startswith("HTTP/1.1 "), head[0]
    fields = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
    return int(head[0].split()[1]), {k.lower(): v for k, v in fields.items()}


TARGETS = [
    "/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2E%2e/secret.txt",
    "/.%2e/secret.txt", "/%2e./secret.txt", "/%252e%252e/secret.txt",
    "/%25252e%25252e/secret.txt", "/a/%2e%2e/%2e%2e/secret.txt", "/a/..%2f..%2fsecret.txt",
    "/..\\secret.txt", "/%5c..%5csecret.txt", "/..%5csecret.txt", "/%255c..%255csecret.txt",
    "/%c0%ae%c0%ae/secret.txt", "/%ef%bc%8e%ef%bc%8e/secret.txt", "/..;/secret.txt",
    "//etc/passwd", "///etc/passwd", "/%2fetc/passwd", "/etc/passwd", "/%2Fetc%2Fpasswd",
    "/C:/Windows/win.ini", "/c:%5cwindows%5cwin.ini", "/%5c%5cserver%5cshare",
    "/%00", "/index.html%00.txt", "/..%00/secret.txt", "/%2500", "/leak.txt",
    "/leakdir/", "/leakdir/index.html", "/leak.txt%2f", "/a/../leakdir/",
    "http://127.0.0.1/../secret.txt", "http://127.0.0.1/leak.txt", "file:///etc/passwd",
    "http://evil.example/%2e%2e/secret.txt", "*", "secret.txt", "../secret.txt",
    "/" + "a" * 300, "/" + "a/" * 3000, "/" + "%2e%2e/" * 50 + "etc/passwd",
]


def test_traversal_in_every_encoding_is_refused_and_opens_nothing_outside(
        server: PreviewServer, root: Path, opened: list[Path],
        caplog: pytest.LogCaptureFixture) -> None:
    """Every spelling of a way out (encoded, double-encoded, backslashes, absolute paths and
    URLs, NUL, symlinks, names too long) is 404 or 400, never shows the secret, opens no file
    outside the root and logs no failure."""
    base = root.resolve()
    with caplog.at_level(logging.WARNING, logger="sitegen.serve"):
        for target in TARGETS:
            for method in ("GET", "HEAD"):
                answer = raw(server, f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Connection: close\r\n\r\n".encode("latin-1"))
                status, _ = status_and_headers(answer)
                assert status in (400, 404), (method, target, status)
                assert SECRET.encode() not in answer
    assert base / "404.html" in opened  # the recorder sees what the server opens
    assert all(path.is_relative_to(base) for path in opened), opened
    assert [r.getMessage() for r in caplog.records] == []


def test_a_page_removed_between_lookup_and_open_is_404_not_500(
        server: PreviewServer, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild can remove a page after the server found it and before it opens it."""
    monkeypatch.setattr(serve, "locate",
                        lambda *args: Served(root / "gone" / "index.html", "index.html"))
    answer = raw(server, b"GET /gone/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert status_and_headers(answer)[0] == 404


@pytest.mark.parametrize("request_line", [
    b"GARBAGE", b"GET / HTTP/9.9", b"GET / HTTP/1.x", b"GET /", b"GET / HTTP/1.1 extra",
    b"<script>alert(1)</script>", b"GET /\x00 HTTP/1.1", b"GET /index.html",
], ids=["one-word", "http-9.9", "bad-version", "http-0.9", "four-words", "markup",
        "raw-nul", "http-0.9-page"])
def test_malformed_requests_get_a_status_line_and_safe_headers(
        server: PreviewServer, request_line: bytes) -> None:
    """Even a request line http.server cannot parse, or an HTTP/0.9 one, is answered with a
    status line, text/plain with a charset and nosniff: never a bare body a browser sniffs."""
    answer = raw(server, request_line + b"\r\n\r\n")
    status, headers = status_and_headers(answer)
    assert status in (200, 400, 404, 505)
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-type"].endswith("; charset=utf-8")


METHODS = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND",
           "MKCOL", "get", "FOO"]
ENDPOINTS = ["/", "/a/", "/a", "/style.css", "/missing", "/__sitegen/events",
             "/__sitegen/events?x=1", "/__sitegen/livereload.js", "/__sitegen/other", "*"]


@pytest.mark.parametrize("method", METHODS)
def test_only_get_and_head_on_every_endpoint(server: PreviewServer, method: str) -> None:
    """Every other method, on pages, redirects, 404s and the server's own endpoints, is 405
    with Allow and nosniff; none of them opens an event stream."""
    for target in ENDPOINTS:
        answer = raw(server, f"{method} {target} HTTP/1.1\r\nContent-Length: 3\r\n\r\nx=1"
                     .encode())
        status, headers = status_and_headers(answer)
        assert (status, headers["allow"]) == (405, "GET, HEAD"), (method, target)
        assert headers["x-content-type-options"] == "nosniff"
    assert server.connections == 0


TEXTUAL = ("text/", "application/json", "application/xml", "image/svg+xml")


@pytest.mark.parametrize("request_text", [
    "GET / HTTP/1.1", "GET /a/ HTTP/1.1", "GET /style.css HTTP/1.1", "GET /app.js HTTP/1.1",
    "GET /feed.xml HTTP/1.1", "GET /data.json HTTP/1.1", "GET /logo.svg HTTP/1.1",
    "GET /notes.txt HTTP/1.1", "GET /a HTTP/1.1", "GET /missing HTTP/1.1",
    "GET /%00 HTTP/1.1", "POST / HTTP/1.1", "HEAD /__sitegen/events HTTP/1.1",
    "GET /__sitegen/livereload.js HTTP/1.1", "GET /listing/ HTTP/1.1",
])
def test_every_kind_of_response_is_nosniff_with_a_charset(server: PreviewServer,
                                                          request_text: str) -> None:
    """Pages, assets, redirects, 404s, 400s, 405s and the server's endpoints all say nosniff,
    and every textual type names its charset."""
    answer = raw(server, f"{request_text}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    _, headers = status_and_headers(answer)
    assert headers["x-content-type-options"] == "nosniff"
    kind = headers["content-type"]
    assert not kind.startswith(TEXTUAL) or kind.endswith("; charset=utf-8"), kind


@pytest.mark.parametrize("target", ["/listing/", "/listing/?C=M;O=D", "/a/../listing/"])
def test_a_folder_without_index_is_never_listed(server: PreviewServer, target: str) -> None:
    """A folder with files but no index.html is a 404 that names none of its files."""
    answer = raw(server, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Connection: close\r\n\r\n".encode())
    assert status_and_headers(answer)[0] == 404
    assert b"one.html" not in answer and b"two.html" not in answer


def test_a_root_without_index_is_not_listed(tmp_path: Path) -> None:
    """Even the root folder, before its index.html exists, is never listed."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "draft.html").write_text("<p>draft</p>")
    with PreviewServer(tmp_path / "site", port=0) as preview:
        answer = raw(preview, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert status_and_headers(answer)[0] == 404
    assert b"draft.html" not in answer


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


# --- what --host exposes ----------------------------------------------------------------------


def can_bind(host: str) -> bool:
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, 0))
    except OSError:
        return False
    return True


NETWORK_WARNING = ("warning: the preview is visible to the network on {host}; use --host "
                   "127.0.0.1 to keep it on this computer")


def listening_addresses(port: int) -> set[str]:
    """The local addresses listening on `port`, from Linux's /proc/net/tcp and tcp6."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net/tcp")
def test_serve_listens_on_loopback_only_by_default_without_a_warning(
        site: ScratchSite, running: Callable[[list[str], Path], Running]) -> None:
    """Without --host, `sitegen serve` listens on 127.0.0.1 alone and warns about nothing."""
    process = running(["serve", "--port", "0"], site.root)
    port = int(process.wait_for(r"serving http://127\.0\.0\.1:(\d+)/").group(1))
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, little-endian hex
    assert not any("warning: the preview is visible" in line for line in process.seen)


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_serve_on_another_host_warns_that_the_preview_is_visible(
        site: ScratchSite, running: Callable[[list[str], Path], Running], host: str) -> None:
    """--host 0.0.0.0 (or ::) serves, after one warning that names the host."""
    if not can_bind(host):
        pytest.skip(f"cannot listen on {host} here")
    process = running(["serve", "--host", host, "--port", "0"], site.root)
    process.wait_for(r"serving http://")
    assert NETWORK_WARNING.format(host=host) in process.seen


# --- DNS rebinding: the Host header ------------------------------------------------------------


DRAFT = """\
---
title: "A draft"
claim: "DRAFT-CLAIM-never-for-other-sites-5e1d"
claimant: "Jane Official"
verdict: false
date: 2020-03-05
draft: true
---
Not published yet.
"""
DRAFT_TEXT = b"DRAFT-CLAIM-never-for-other-sites-5e1d"
TARGETS_OF_A_PREVIEW = ["/", "/2020/a-draft/", "/__sitegen/events", "/__sitegen/livereload.js",
                        "/missing", "/2020/a-draft"]


def serving_drafts(site: ScratchSite, running: Callable[[list[str], Path], Running],
                   *options: str) -> tuple[Running, int]:
    """`sitegen serve --drafts` with a draft in the site; the process and its port."""
    site.write("content/2020/a-draft.md", DRAFT)
    process = running(["serve", "--port", "0", "--drafts", *options], site.root)
    port = int(process.wait_for(r"serving http://\S+:(\d+)/").group(1))
    return process, port


def ask(port: int, target: str, host: str | None, version: str = "HTTP/1.1") -> bytes:
    """One GET with exactly this Host line (None: no Host header at all)."""
    host_line = "" if host is None else f"Host: {host}\r\n"
    return raw_to(port, f"GET {target} {version}\r\n{host_line}Connection: close\r\n\r\n"
                  .encode("latin-1"))


def test_serve_refuses_rebinding_hosts_on_every_endpoint(
        site: ScratchSite, running: Callable[[list[str], Path], Running]) -> None:
    """A Host naming another site (as a DNS-rebinding page sends it), an empty Host or none at
    all gets a short plain-text refusal on pages, redirects, 404s and the live-reload endpoints,
    never a draft or an event stream."""
    _, port = serving_drafts(site, running)
    foreign = ["evil.example", f"evil.example:{port}", "EVIL.example.", "localhost.evil.example",
               f"127.0.0.1.nip.io:{port}", "vm", "[::1].evil.example", "127.0.0.1@evil.example",
               ""]
    for target in TARGETS_OF_A_PREVIEW:
        for host in foreign:
            answer = ask(port, target, host)
            status, headers = status_and_headers(answer)
            assert status in (400, 421), (target, host, status)
            assert headers["content-type"] == "text/plain; charset=utf-8"
            assert headers["connection"] == "close"
            assert DRAFT_TEXT not in answer and b"event:" not in answer
        status, headers = status_and_headers(ask(port, target, "evil.example"))
        assert status == 421
        for version in ("HTTP/1.0", "HTTP/1.1"):
            answer = ask(port, target, None, version)
            assert status_and_headers(answer)[0] == 400, (target, version)
            assert answer.endswith(b"Bad request: the request has no Host header.\n")
    answer = ask(port, "/2020/a-draft/", f"evil.example:{port}")
    assert answer.endswith(b"Misdirected request: this preview answers only to localhost, "
                           b"127.0.0.1, [::1] and the --host it was started with, "
                           + f"not 'evil.example:{port}'.\n".encode())


def test_serve_answers_every_loopback_spelling_of_its_host(
        site: ScratchSite, running: Callable[[list[str], Path], Running]) -> None:
    """localhost, *.localhost and loopback addresses, with or without the port, in any case,
    are answered: the draft page, and the event stream that reloads it."""
    _, port = serving_drafts(site, running)
    accepted = ["localhost", f"localhost:{port}", "LocalHost.", "preview.localhost",
                f"127.0.0.1:{port}", "127.0.0.1", "127.1.2.3", f"[::1]:{port}", "[::1]",
                "[::ffff:127.0.0.1]", "[0:0:0:0:0:0:0:1]", f"localhost:{port + 1}"]
    for host in accepted:
        answer = ask(port, "/2020/a-draft/", host)
        assert status_and_headers(answer)[0] == 200, host
        assert DRAFT_TEXT in answer
    assert status_and_headers(ask(port, "/2020/a-draft/", "localhost", "HTTP/1.0"))[0] == 200
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as conn:
        conn.sendall(f"GET /__sitegen/events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"
                     .encode())
        greeting = conn.recv(65536)
        while b"event: hello" not in greeting:
            greeting += conn.recv(65536)
    assert status_and_headers(greeting)[1]["content-type"].startswith("text/event-stream")


def test_serve_with_host_answers_that_name_too(
        site: ScratchSite, running: Callable[[list[str], Path], Running]) -> None:
    """`--host NAME` adds that name (not other names) to the ones the preview answers to."""
    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, None, socket.AF_INET)}
    except OSError:
        addresses = set()
    if "127.0.0.1" not in addresses and not any(can_bind(a) for a in addresses):
        pytest.skip(f"this machine's own name {name!r} cannot be listened on here")
    _, port = serving_drafts(site, running, "--host", name)
    address = sorted(addresses)[0]
    assert status_and_headers(ask_at(address, port, f"{name}:{port}"))[0] == 200
    assert status_and_headers(ask_at(address, port, name.upper()))[0] == 200
    assert status_and_headers(ask_at(address, port, "evil.example"))[0] == 421


@pytest.mark.skipif(not can_bind("0.0.0.0"), reason="cannot listen on 0.0.0.0 here")
def test_serve_on_every_interface_answers_addresses_but_not_names(
        site: ScratchSite, running: Callable[[list[str], Path], Running]) -> None:
    """With --host 0.0.0.0 a colleague's browser names this machine by its address, which
    cannot be rebound: any IP address is answered, a foreign name still is not."""
    _, port = serving_drafts(site, running, "--host", "0.0.0.0")
    assert status_and_headers(ask(port, "/2020/a-draft/", f"192.0.2.7:{port}"))[0] == 200
    assert status_and_headers(ask(port, "/2020/a-draft/", "[2001:db8::7]"))[0] == 200
    assert status_and_headers(ask(port, "/2020/a-draft/", "evil.example"))[0] == 421


def ask_at(address: str, port: int, host: str) -> bytes:
    """ask() over a connection to `address` instead of 127.0.0.1."""
    with socket.create_connection((address, port), timeout=WAIT) as conn:
        conn.sendall(f"GET /2020/a-draft/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                     .encode())
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def test_a_browser_whose_dns_was_rebound_gets_no_draft(
        site: ScratchSite, running: Callable[[list[str], Path], Running],
        browser: Any) -> None:
    """Real Chromium, with evil.example resolving to 127.0.0.1 as a rebinding attack makes it,
    opens the draft's address on that name and gets the refusal; on localhost, the draft."""
    from conftest import CHROMIUM_FLAGS, chromium_executable

    _, port = serving_drafts(site, running)
    rebound = browser.browser_type.launch(  # the shared browser's Playwright, another Chromium
        executable_path=chromium_executable(), headless=True,
        args=[*CHROMIUM_FLAGS, "--host-resolver-rules=MAP evil.example 127.0.0.1"])
    try:
        page = rebound.new_page()
        response = page.goto(f"http://evil.example:{port}/2020/a-draft/")
        assert response is not None and response.status == 421
        assert "Misdirected request" in page.inner_text("body")
        assert DRAFT_TEXT.decode() not in page.content()
        response = page.goto(f"http://localhost:{port}/2020/a-draft/")
        assert response is not None and response.status == 200
        assert DRAFT_TEXT.decode() in page.inner_text("body")
    finally:
        rebound.close()
