"""The preview server for real over loopback: safe paths, headers, mounts, live reload, shutdown."""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sitegen.preview import PortInUseError, PreviewServer, SitePath, is_loopback, parse_target
from sitegen.preview import http as serve

SECRET = "TOP-SECRET-never-served-3f9a"
SCRIPT = '<script src="/__sitegen/livereload.js"></script>'
WAIT = 5.0
"""Upper bound for anything the tests wait on; a pass never waits this long."""


@dataclass(frozen=True)
class Reply:
    """One complete HTTP response, read back as bytes."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A small built site, a secret beside it, and symlinks that point out of the site."""
    site = tmp_path / "site"
    files = {
        "index.html": "<!doctype html><html><body><h1>Home</h1></body></html>\n",
        "a/b/index.html": "<!doctype html><html><body><h1>Deep page</h1></BODY></html>\n",
        "404.html": "<!doctype html><html><body><h1>Site 404 page</h1></body></html>\n",
        "style.css": "body { color: black; }\n",
        "data.json": '{"checks": 3}\n',
        "feed.xml": "<?xml version='1.0'?><feed/>\n",
        "notes.txt": "plain text\n",
        "app.js": "console.log(1);\n",
        "logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        "table.csv": "a,b\n1,2\n",
        "site.webmanifest": "{}\n",
        "search.wasm": "\0asm",
        "pagefind/wasm.en.pagefind": "binary",
        "fragment.html": "<p>no body element here</p>",
        "empty/.keep": "",
    }
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text(SECRET, encoding="utf-8")
    (site / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (site / "leakdir").symlink_to(tmp_path / "outside", target_is_directory=True)
    return site


@pytest.fixture
def server(root: Path) -> Iterator[PreviewServer]:
    """The preview server on any free loopback port, stopped after the test."""
    preview = PreviewServer(root, port=0)
    preview.start()
    yield preview
    preview.stop()


@pytest.fixture
def mounted(root: Path) -> Iterator[PreviewServer]:
    """The same site served under the mount /checks/, as for base_url https://x.org/checks/."""
    preview = PreviewServer(root, port=0, mount="/checks/")
    preview.start()
    yield preview
    preview.stop()


def fetch(server: PreviewServer, path: str, method: str = "GET", body: bytes | None = None,
          ) -> Reply:
    """Send `path` exactly as written (http.client does not normalise it) and read the reply."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


class EventStream:
    """An open text/event-stream, read one event at a time as (name, data)."""

    def __init__(self, server: PreviewServer, mount: str = "/") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
        self.conn.request("GET", f"{mount}__sitegen/events")
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.headers["Content-Type"] == "text/event-stream; charset=utf-8"

    def next(self) -> tuple[str, str] | None:
        """The next event, comments included as ('comment', text); None at end of stream."""
        fields: dict[str, str] = {}
        while True:
            line = self.response.readline().decode("utf-8")
            if not line:
                return None
            line = line.rstrip("\n")
            if line.startswith(":"):
                return "comment", line[1:].strip()
            if not line:
                if "event" in fields:
                    return fields["event"], fields.get("data", "")
                fields.clear()  # the retry: block
                continue
            name, _, value = line.partition(": ")
            fields[name] = value

    def event(self, name: str) -> str:
        """The data of the next event called `name`, skipping others."""
        while (item := self.next()) is not None:
            if item[0] == name:
                return item[1]
        raise AssertionError(f"the stream ended before a {name!r} event")

    def close(self) -> None:
        self.response.close()
        self.conn.close()


@pytest.fixture
def open_stream(server: PreviewServer) -> Iterator[Callable[[], EventStream]]:
    """Opens event streams on `server` whose greeting has arrived; all closed after the test."""
    streams: list[EventStream] = []

    def opener() -> EventStream:
        stream = EventStream(server)
        assert stream.next() is not None  # the hello: the stream is registered from here on
        streams.append(stream)
        return stream

    yield opener
    for stream in streams:
        stream.close()


def wait_for(condition: Callable[[], bool]) -> None:
    """Poll `condition` briefly until it holds; fail if it never does."""
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


# --- paths ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%252e%252e/secret.txt",
    "/a/..%2f..%2fsecret.txt",
    "/a/b/../../../secret.txt",
    "/..\\secret.txt",
    "/%5c..%5csecret.txt",
    "//etc/passwd",
    "/%2fetc/passwd",
    "/%00",
    "/index.html%00.txt",
    "/leak.txt",
    "/leakdir/",
    "/leakdir/index.html",
    "/%ff",
    "http://127.0.0.1/../secret.txt",
])
def test_traversal_attempts_never_reach_outside_root(server: PreviewServer, path: str) -> None:
    """Every spelling of a path out of the root is a 404 or 400 and never shows the secret."""
    for method in ("GET", "HEAD"):
        reply = fetch(server, path, method)
        assert reply.status in (400, 404), (method, path, reply.status)
        assert SECRET not in reply.text


def test_double_encoding_is_decoded_once_and_looked_up_literally() -> None:
    """'%252e%252e' decodes once to the literal name '%2e%2e', not to '..'."""
    assert parse_target("/%252e%252e/secret.txt", "/") == SitePath("%2e%2e/secret.txt", "")


def test_a_file_literally_named_like_an_encoding_is_served(server: PreviewServer,
                                                           root: Path) -> None:
    """A real file called '%2e%2e' is found by its once-encoded name, proving one decode."""
    (root / "%2e%2e").write_text("literal name", encoding="utf-8")
    assert fetch(server, "/%252e%252e").body == b"literal name"


def test_folder_serves_its_index(server: PreviewServer) -> None:
    """A folder URL with its slash serves the folder's index.html."""
    reply = fetch(server, "/a/b/")
    assert reply.status == 200
    assert "Deep page" in reply.text
    assert "Home" in fetch(server, "/").text


def test_folder_without_slash_redirects_permanently(server: PreviewServer) -> None:
    """'/a/b' redirects (301) to '/a/b/', keeping the query."""
    reply = fetch(server, "/a/b?x=1")
    assert reply.status == 301
    assert reply.headers["Location"] == "/a/b/?x=1"


def test_folder_without_index_is_not_listed(server: PreviewServer) -> None:
    """A folder with no index.html is a 404, never a directory listing."""
    reply = fetch(server, "/empty/")
    assert reply.status == 404
    assert ".keep" not in reply.text


def test_file_with_trailing_slash_is_not_found(server: PreviewServer) -> None:
    """'/style.css/' names a folder that does not exist."""
    assert fetch(server, "/style.css/").status == 404


def test_missing_page_gets_the_site_404_page(server: PreviewServer) -> None:
    """A missing address answers 404 with the body of the site's 404.html, script included."""
    reply = fetch(server, "/2099/no-such-check/")
    assert reply.status == 404
    assert "Site 404 page" in reply.text
    assert SCRIPT in reply.text
    assert reply.headers["Content-Type"] == "text/html; charset=utf-8"


def test_missing_page_without_404_page_gets_a_plain_page(server: PreviewServer,
                                                         root: Path) -> None:
    """Without 404.html the 404 is a small page that names the path, escaped."""
    (root / "404.html").unlink()
    reply = fetch(server, "/%3Cb%3Enope")
    assert reply.status == 404
    assert "&lt;b&gt;nope" in reply.text
    assert "<b>" not in reply.text


def test_a_missing_root_serves_404s_until_the_first_build(tmp_path: Path) -> None:
    """Serving a folder that does not exist yet gives 404s, not errors."""
    with PreviewServer(tmp_path / "not-built", port=0) as preview:
        reply = fetch(preview, "/")
    assert reply.status == 404
    assert "not been built" in reply.text


@pytest.mark.parametrize(("path", "expected"), [
    ("/", "text/html; charset=utf-8"),
    ("/style.css", "text/css; charset=utf-8"),
    ("/app.js", "text/javascript; charset=utf-8"),
    ("/data.json", "application/json; charset=utf-8"),
    ("/feed.xml", "application/xml; charset=utf-8"),
    ("/notes.txt", "text/plain; charset=utf-8"),
    ("/logo.svg", "image/svg+xml; charset=utf-8"),
    ("/table.csv", "text/csv; charset=utf-8"),
    ("/site.webmanifest", "application/manifest+json; charset=utf-8"),
    ("/search.wasm", "application/wasm"),
    ("/pagefind/wasm.en.pagefind", "application/octet-stream"),
])
def test_content_types_carry_a_charset_for_text(server: PreviewServer, path: str,
                                                expected: str) -> None:
    """Each kind of file is served with its own type, text types with charset=utf-8."""
    reply = fetch(server, path)
    assert reply.status == 200
    assert reply.headers["Content-Type"] == expected


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/"), ("GET", "/style.css"), ("GET", "/a/b"), ("GET", "/missing"),
    ("GET", "/../x"), ("GET", "/__sitegen/livereload.js"), ("HEAD", "/__sitegen/events"),
    ("POST", "/"), ("GET", "/%00"),
])
def test_every_response_is_uncacheable_and_unsniffable(server: PreviewServer, method: str,
                                                       path: str) -> None:
    """Every response, errors and redirects included, says no-store and nosniff."""
    reply = fetch(server, path, method)
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


def test_head_sends_the_headers_of_get_without_a_body(server: PreviewServer) -> None:
    """HEAD answers like GET, with the same length and no body."""
    for path in ("/style.css", "/a/b/", "/missing"):
        get, head = fetch(server, path), fetch(server, path, "HEAD")
        assert head.status == get.status
        assert head.body == b""
        assert head.headers["Content-Length"] == str(len(get.body))
        assert head.headers["Content-Type"] == get.headers["Content-Type"]


@pytest.mark.parametrize("path", ["/", "/style.css", "/__sitegen/events",
                                  "/__sitegen/livereload.js"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "PROPFIND"])
def test_only_get_and_head_are_allowed(server: PreviewServer, path: str, method: str) -> None:
    """Any other method is 405 with an Allow header, the live-reload endpoints included."""
    reply = fetch(server, path, method, body=b"x=1")
    assert reply.status == 405
    assert reply.headers["Allow"] == "GET, HEAD"


def test_requests_are_not_logged(server: PreviewServer, capfd: pytest.CaptureFixture[str]) -> None:
    """Serving pages, 404s and bad requests prints nothing."""
    for path in ("/", "/missing", "/%00", "/../x"):
        fetch(server, path)
    fetch(server, "/", "POST")
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_a_failing_handler_is_logged_once_without_a_traceback(
        server: PreviewServer, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    """An error inside a handler answers 500 and logs one line, with no traceback printed."""

    def broken(html: bytes, tag: bytes) -> bytes:
        raise RuntimeError("injection exploded")

    monkeypatch.setattr(serve, "inject_script", broken)
    with caplog.at_level(logging.WARNING, logger="sitegen.serve"):
        reply = fetch(server, "/")
    assert reply.status == 500
    messages = [r.getMessage() for r in caplog.records if r.name == "sitegen.serve"]
    assert len(messages) == 1
    assert "injection exploded" in messages[0]
    assert all(r.exc_info is None for r in caplog.records)
    assert "Traceback" not in capfd.readouterr().err


# --- live reload script --------------------------------------------------------------------------


def test_reload_script_is_injected_when_served_and_absent_on_disk(server: PreviewServer,
                                                                  root: Path) -> None:
    """Served HTML carries the script just before </body>; the file on disk never does."""
    body = fetch(server, "/a/b/").text
    assert SCRIPT + "</BODY>" in body
    assert body.count(SCRIPT) == 1
    assert "livereload" not in (root / "a/b/index.html").read_text(encoding="utf-8")


def test_reload_script_is_appended_to_html_without_a_body_tag(server: PreviewServer) -> None:
    """A fragment with no </body> gets the script at its end."""
    assert fetch(server, "/fragment.html").text.endswith(SCRIPT)


def test_reload_script_is_not_injected_into_other_types(server: PreviewServer) -> None:
    """CSS, JSON and XML are served byte for byte."""
    assert fetch(server, "/style.css").body == b"body { color: black; }\n"
    assert fetch(server, "/feed.xml").body == b"<?xml version='1.0'?><feed/>\n"


def test_reload_script_endpoint_serves_the_client(server: PreviewServer) -> None:
    """The script listens to the mount's event stream and builds the overlay with textContent."""
    reply = fetch(server, "/__sitegen/livereload.js")
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert 'new EventSource(EVENTS)' in reply.text
    assert 'const EVENTS = "/__sitegen/events"' in reply.text
    assert '"sitegen-overlay"' in reply.text
    assert "Build failed" in reply.text
    assert "innerHTML" not in reply.text


def test_unknown_internal_address_is_not_found(server: PreviewServer) -> None:
    """Only the script and the stream exist under __sitegen/."""
    assert fetch(server, "/__sitegen/other").status == 404


# --- mount ---------------------------------------------------------------------------------------


def test_mount_serves_the_site_under_its_path(mounted: PreviewServer) -> None:
    """Under mount /checks/, '/checks/a/b/' is a/b/index.html with a script from the mount."""
    reply = fetch(mounted, "/checks/a/b/")
    assert reply.status == 200
    assert "Deep page" in reply.text
    assert '<script src="/checks/__sitegen/livereload.js"></script>' in reply.text
    assert mounted.url == f"http://127.0.0.1:{mounted.port}/checks/"


def test_root_redirects_to_the_mount(mounted: PreviewServer) -> None:
    """'/' redirects (302) to the mount, and the mount without its slash (301) too."""
    reply = fetch(mounted, "/")
    assert (reply.status, reply.headers["Location"]) == (302, "/checks/")
    reply = fetch(mounted, "/checks")
    assert (reply.status, reply.headers["Location"]) == (301, "/checks/")


def test_paths_outside_the_mount_are_not_found(mounted: PreviewServer) -> None:
    """'/a/b/' outside the mount is 404, served with the site's 404 page."""
    reply = fetch(mounted, "/a/b/")
    assert reply.status == 404
    assert "Site 404 page" in reply.text
    assert fetch(mounted, "/checksum").status == 404


def test_folder_redirect_under_the_mount_keeps_the_mount(mounted: PreviewServer) -> None:
    """'/checks/a/b' redirects to '/checks/a/b/'."""
    assert fetch(mounted, "/checks/a/b").headers["Location"] == "/checks/a/b/"


def test_mount_events_live_under_the_mount(mounted: PreviewServer) -> None:
    """The event stream of a mounted site is at {mount}__sitegen/events."""
    stream = EventStream(mounted, "/checks/")
    try:
        assert stream.event("hello")
        mounted.reload(None)
        assert stream.event("reload") == "null"
    finally:
        stream.close()


@pytest.mark.parametrize(("given", "normal"), [
    ("/", "/"), ("", "/"), ("checks", "/checks/"), ("/checks", "/checks/"),
    ("/a/b/", "/a/b/"), ("/fact%20checks/", "/fact checks/"),
])
def test_mounts_are_normalised(root: Path, given: str, normal: str) -> None:
    """A mount gets both slashes and is decoded once, like request paths."""
    assert PreviewServer(root, mount=given).mount == normal


@pytest.mark.parametrize("bad", ["/../x/", "/a//b/", "/a?b/", "/a\\b/", "/.hidden/"])
def test_unsafe_mounts_are_refused(root: Path, bad: str) -> None:
    """A mount that is not a plain path is a ValueError, not a surprise at request time."""
    with pytest.raises(ValueError, match="mount"):
        PreviewServer(root, mount=bad)


# --- event stream --------------------------------------------------------------------------------


def test_reload_reaches_an_open_page(open_stream: Callable[[], EventStream],
                                     server: PreviewServer) -> None:
    """reload(['a/b/']) sends a 'reload' event whose data is the JSON list of site paths."""
    stream = open_stream()
    server.reload(["a/b/"])
    assert json.loads(stream.event("reload")) == ["a/b/"]
    server.reload()
    assert stream.event("reload") == "null"


def test_reload_reaches_every_tab(open_stream: Callable[[], EventStream],
                                  server: PreviewServer) -> None:
    """Every open stream gets the same event."""
    streams = [open_stream() for _ in range(5)]
    assert server.connections == 5
    server.reload(["", "2018/slug/"])
    for stream in streams:
        assert json.loads(stream.event("reload")) == ["", "2018/slug/"]


def test_errors_are_sent_then_cleared(open_stream: Callable[[], EventStream],
                                      server: PreviewServer) -> None:
    """show_errors sends the messages as a JSON list, untouched; show_errors([]) sends []."""
    stream = open_stream()
    message = "content/x.md:3: verdict: unknown <b>"
    server.show_errors([message])
    assert json.loads(stream.event("errors")) == [message]
    server.show_errors([])
    assert json.loads(stream.event("errors")) == []


def test_a_page_opened_during_errors_gets_them_at_once(server: PreviewServer) -> None:
    """A stream opened while errors stand receives them right after its greeting."""
    server.show_errors(["content/x.md:3: verdict: unknown <b>"])
    stream = EventStream(server)
    try:
        hello = stream.next()
        assert hello is not None and hello[0] == "hello"
        assert json.loads(hello[1])["errors"] is True
        assert stream.next() == ("errors", json.dumps(["content/x.md:3: verdict: unknown <b>"]))
    finally:
        stream.close()


def test_clearing_no_errors_sends_nothing(open_stream: Callable[[], EventStream],
                                          server: PreviewServer) -> None:
    """show_errors([]) with nothing shown is silent, so the builder can call it every time."""
    stream = open_stream()
    server.show_errors([])
    server.reload(["a/b/"])
    assert stream.next() == ("reload", '["a/b/"]')


def test_single_string_arguments_are_refused(server: PreviewServer) -> None:
    """A bare string is a mistake for a list of paths or messages, not a list of characters."""
    with pytest.raises(TypeError):
        server.reload("a/b/")
    with pytest.raises(TypeError):
        server.show_errors("content/x.md:3: broken")


def test_idle_streams_get_a_heartbeat(open_stream: Callable[[], EventStream],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An idle stream receives a comment line, so a dead client shows up as a failed write."""
    monkeypatch.setattr(serve, "HEARTBEAT_SECONDS", 0.05)
    stream = open_stream()
    assert stream.next() == ("comment", "heartbeat")


def test_hello_names_the_build_and_reload_advances_it(server: PreviewServer) -> None:
    """Each reload carries a new build id, which later greetings repeat."""
    first = EventStream(server)
    try:
        before = json.loads(first.event("hello"))["build"]
        server.reload(["a/b/"])
        first.event("reload")
    finally:
        first.close()
    second = EventStream(server)
    try:
        after = json.loads(second.event("hello"))["build"]
    finally:
        second.close()
    assert after != before
    assert after in fetch(server, "/__sitegen/livereload.js").text


def test_events_endpoint_answers_head_without_streaming(server: PreviewServer) -> None:
    """HEAD on the event stream returns its headers and ends."""
    reply = fetch(server, "/__sitegen/events", "HEAD")
    assert reply.status == 200
    assert reply.body == b""
    assert server.connections == 0


def test_disconnected_pages_are_dropped_and_threads_return(root: Path) -> None:
    """Closed streams are dropped, later reloads do not raise, and stop() leaves no thread."""
    baseline = threading.active_count()
    preview = PreviewServer(root, port=0)
    preview.start()
    streams = [EventStream(preview) for _ in range(4)]
    for stream in streams:
        stream.event("hello")
    assert preview.connections == 4
    for stream in streams:
        stream.close()
    wait_for(lambda: preview.connections == 0)
    preview.reload(["a/b/"])
    preview.show_errors(["content/x.md:1: title: missing"])
    assert fetch(preview, "/").status == 200
    preview.stop()
    assert threading.active_count() == baseline
    preview.reload(None)  # after stop: nothing listens, nothing fails


def test_stop_ends_open_streams_promptly(root: Path) -> None:
    """stop() closes a live stream (the client sees its end) and returns with threads joined."""
    baseline = threading.active_count()
    preview = PreviewServer(root, port=0)
    preview.start()
    stream = EventStream(preview)
    idle = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=WAIT)
    idle.request("GET", "/style.css")
    idle.getresponse().read()  # a keep-alive connection left open
    stream.event("hello")
    preview.stop()
    assert stream.next() is None
    stream.close()
    idle.close()
    assert threading.active_count() == baseline


def test_a_stalled_page_is_dropped_instead_of_queueing_forever(root: Path) -> None:
    """A stream more than QUEUE_LIMIT events behind is closed; the page reconnects itself."""
    hub = serve._EventHub()
    stream = hub.connect()
    assert stream is not None
    for number in range(serve.QUEUE_LIMIT + 1):
        hub.reload([f"{number}/"])
    assert hub.count == 0
    assert stream.wait(0) is None


# --- binding -------------------------------------------------------------------------------------


def test_busy_explicit_port_raises_port_in_use(root: Path) -> None:
    """An explicit port that another program holds is a PortInUseError naming the port."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        preview = PreviewServer(root, port=port)
        with pytest.raises(PortInUseError, match=f"port {port} is already in use") as caught:
            preview.start()
    assert caught.value.port == port
    preview.stop()


def test_default_port_moves_past_a_busy_8000(root: Path) -> None:
    """With no port given and 8000 taken, the server takes the next free port up to 8050."""
    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", serve.DEFAULT_PORT))
        except OSError:
            held_elsewhere = True  # already busy: the server must move past it all the same
        else:
            held_elsewhere = False
            taken.listen()
        if held_elsewhere and not _port_busy(serve.DEFAULT_PORT):
            pytest.skip("port 8000 can be neither bound nor found busy here")
        with PreviewServer(root) as preview:
            assert serve.DEFAULT_PORT < preview.port <= serve.DEFAULT_PORT + serve.PORT_ATTEMPTS
            assert preview.url == f"http://127.0.0.1:{preview.port}/"
            assert fetch(preview, "/").status == 200


def _port_busy(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_url_before_start_needs_a_known_port(root: Path) -> None:
    """An explicit port is known at once; a chosen one only after start()."""
    assert PreviewServer(root, port=8123, mount="/checks/").url == "http://127.0.0.1:8123/checks/"
    with pytest.raises(RuntimeError):
        _ = PreviewServer(root).url


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("::ffff:127.0.0.1", True), ("0.0.0.0", False), ("::", False),
    ("", False), ("192.168.1.20", False), ("10.0.0.1", False),
])
def test_is_loopback(host: str, loopback: bool) -> None:
    """Only addresses this machine alone can reach count as loopback."""
    assert is_loopback(host) is loopback


def test_symlinks_inside_the_root_are_followed(server: PreviewServer, root: Path) -> None:
    """A symlink that stays inside the site is served like the file it points to."""
    os.symlink(root / "style.css", root / "alias.css")
    assert fetch(server, "/alias.css").body == b"body { color: black; }\n"


def test_a_wildcard_host_serves_loopback_and_prints_a_usable_url(root: Path) -> None:
    """Bound to 0.0.0.0 the server still answers, and its URL names 127.0.0.1."""
    with PreviewServer(root, host="0.0.0.0", port=0) as preview:
        assert preview.url == f"http://127.0.0.1:{preview.port}/"
        assert fetch(preview, "/").status == 200


# --- the client in a real browser ----------------------------------------------------------------



def open_page(browser: Any, preview: PreviewServer, path: str) -> Any:
    """A page at `path`, connected to the event stream, with a marker that a reload would drop."""
    before = preview.connections
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{preview.port}{path}")
    wait_for(lambda: preview.connections > before)
    page.evaluate("window.sitegenMarker = true")
    return page


def reloaded(page: Any) -> bool:
    return bool(page.evaluate("window.sitegenMarker === undefined"))


def test_browser_reloads_only_the_pages_that_changed(browser: Any,
                                                     mounted: PreviewServer) -> None:
    """Under a mount, reload(['a/b/']) reloads /checks/a/b/ and leaves /checks/ alone."""
    home = open_page(browser, mounted, "/checks/")
    deep = open_page(browser, mounted, "/checks/a/b/")
    mounted.reload(["a/b/"])
    deep.wait_for_function("window.sitegenMarker === undefined", timeout=WAIT * 1000)
    wait_for(lambda: mounted.connections == 2)  # the reloaded page is back
    assert not reloaded(home)
    mounted.reload(None)
    home.wait_for_function("window.sitegenMarker === undefined", timeout=WAIT * 1000)
    home.close()
    deep.close()


def test_browser_shows_errors_as_text_and_reloads_when_cleared(browser: Any,
                                                               server: PreviewServer) -> None:
    """The overlay lists the messages as text (markup stays text) and clearing reloads."""
    page = open_page(browser, server, "/a/b/")
    message = "content/x.md:3: verdict: unknown <b>bold</b>"
    server.show_errors([message, "content/y.md:1: title: missing"])
    overlay = page.wait_for_selector("#sitegen-overlay[role=alert]", timeout=WAIT * 1000)
    assert overlay.query_selector("h2").inner_text() == "Build failed"
    assert overlay.query_selector("pre").inner_text() == (
        message + "\ncontent/y.md:1: title: missing")
    assert overlay.query_selector("b") is None
    later = browser.new_page()
    later.goto(f"http://127.0.0.1:{server.port}/")
    later.wait_for_selector("#sitegen-overlay", timeout=WAIT * 1000)
    later.close()
    server.show_errors([])
    page.wait_for_function("window.sitegenMarker === undefined", timeout=WAIT * 1000)
    page.wait_for_load_state()
    assert page.query_selector("#sitegen-overlay") is None
    page.close()


def test_browser_reloads_after_the_server_restarts(browser: Any, root: Path) -> None:
    """A page whose server comes back (a new build id) reloads once it reconnects."""
    first = PreviewServer(root, port=0)
    first.start()
    port = first.port
    page = open_page(browser, first, "/")
    first.stop()
    with PreviewServer(root, port=port):
        page.wait_for_function("window.sitegenMarker === undefined", timeout=WAIT * 1000)
    page.close()


def test_ipv6_loopback_is_served_with_brackets_in_the_url(root: Path) -> None:
    """Bound to ::1 the server answers over IPv6 and its URL brackets the address."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    with PreviewServer(root, host="::1", port=0) as preview:
        assert preview.url == f"http://[::1]:{preview.port}/"
        conn = http.client.HTTPConnection("::1", preview.port, timeout=WAIT)
        conn.request("GET", "/a/b/")
        assert conn.getresponse().status == 200
        conn.close()


def test_a_server_starts_only_once(root: Path) -> None:
    """start() after stop() is an error rather than a half-working server."""
    preview = PreviewServer(root, port=0)
    preview.start()
    preview.stop()
    preview.stop()
    with pytest.raises(RuntimeError):
        preview.start()
