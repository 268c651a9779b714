"""`sitegen serve` under load: many readers, many rebuilds, nothing broken, nothing leaked.

Starts `sitegen serve` on a generated site (bench/make_corpus.py) or on --site,
then runs CLIENTS threads, each with its own keep-alive connection, until REQUESTS requests
have been answered, while one fact-check is saved EDITS times, spread evenly over the load.
Every response is checked, not just counted:

- no 5xx, and every status is the one the address had before the load (200, 301, 404);
- every body is complete: as long as its Content-Length, every HTML page ends with </html>
  and carries the <title> it had before the load; other files keep their bytes;
- the edited page is never a mix of two saves (its first and last paragraphs name the same
  revision) and never goes back to an older save on the same connection.

Meanwhile the server's threads, open file descriptors and RSS are sampled from /proc (Linux),
and compared before, during and after the load.

    python bench/load.py [--articles 300] [--clients 50] [--requests 10000] [--edits 100]
    python bench/load.py --site DIR --edit content/2020/x.md ... --json   (the test's mode)
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import queue
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from serving import start_serve
from tools import MAKE_CORPUS

CONFIG = """\
[site]
title = "Load Desk"
base_url = "https://example.org/"
"""
TIMEOUT = 60.0
SETTLE_SECONDS = 30.0
"""How long the server may take, after the load, to get back to its baseline."""
REVISION = re.compile(rb"Revision (\d+) begins here\.")
REVISION_END = re.compile(rb"Revision (\d+) ends here\.")
TITLE = re.compile(rb"<title>(.*?)</title>", re.S)
EDITED_SHARE = 0.3
"""The share of requests that go to the page being edited, where a mix would show."""


# --- the server -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    seconds: float
    threads: int
    fds: int
    rss_kib: int


def sample(pid: int, started: float) -> Sample | None:
    """The server's threads, open descriptors and resident memory, from /proc."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return Sample(time.monotonic() - started, int(fields["Threads"]), fds,
                  int(fields["VmRSS"].split()[0]))


class Server:
    """`sitegen serve` in a child process: its address, and an event stream to hear reloads."""

    def __init__(self, site: Path) -> None:
        self.log = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed in stop)
        """Its stderr, in a file: every rebuild prints the site's warnings, and a pipe that
        nobody reads would fill up and stop the server mid-load."""
        self.process, url = start_serve(site, self.log)
        parts = urlsplit(url)
        if not parts.hostname or not parts.port:
            raise RuntimeError(f"sitegen serve did not start: {self.errors()}")
        self.host, self.port, self.mount = parts.hostname, parts.port, parts.path
        self.reloads: queue.Queue[bytes] = queue.Queue()
        self.lines: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        self.stream = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        self.stream.request("GET", f"{self.mount}__sitegen/events")
        response = self.stream.getresponse()
        threading.Thread(target=self._listen, args=(response,), daemon=True).start()

    def _drain(self) -> None:
        """Keep reading the server's output so a full pipe never blocks it."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def _listen(self, response: http.client.HTTPResponse) -> None:
        with contextlib.suppress(OSError, http.client.HTTPException, ValueError):
            while line := response.readline():
                if line.startswith(b"data: ") and self._after_reload:
                    self.reloads.put(line[6:].strip())
                self._after_reload = line.strip() == b"event: reload"

    _after_reload = False

    def errors(self) -> str:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        return self._stderr()

    def stop(self) -> str:
        """Stop the server as Ctrl-C does; its stderr (problems, warnings) is returned."""
        self.stream.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self._stderr()

    def _stderr(self) -> str:
        self.log.seek(0)
        text = self.log.read()
        self.log.close()
        return text.strip()


# --- what the site looks like before the load -------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What an address answered before the load: its status, and its title or bytes."""

    status: int
    title: bytes | None
    body: bytes | None


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, str]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read(), response.headers.get("Content-Type", "")


def survey(server: Server, article: str) -> dict[str, Expected]:
    """Every page in the sitemap, a stylesheet, feeds, a redirect and a 404, as served now."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    try:
        _, sitemap, _ = fetch(conn, server.mount + "sitemap.xml")
        paths = [urlsplit(loc.decode()).path
                 for loc in re.findall(rb"<loc>(.*?)</loc>", sitemap)]
        paths += [server.mount + rel for rel in ("assets/sitegen.css", "atom.xml", "rss.xml",
                                                 "robots.txt", "no-such-page/")]
        paths.append(article.rstrip("/"))  # a folder without its slash: a redirect
        expected = {}
        for path in dict.fromkeys(paths):
            status, body, kind = fetch(conn, path)
            title = TITLE.search(body)
            if kind.startswith("text/html") and status != 301:
                expected[path] = Expected(status, title.group(1) if title else b"", None)
            else:
                stable = path.endswith((".css", ".txt")) or status == 301
                expected[path] = Expected(status, None, body if stable else None)
        return expected
    finally:
        conn.close()


# --- the load ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw; every count but `requests` and `statuses` must stay zero."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: int = 0
    wrong_status: int = 0
    truncated: int = 0
    wrong_title: int = 0
    changed_bytes: int = 0
    mixed: int = 0
    went_back: int = 0
    connection_errors: int = 0
    revisions_seen: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def fail(self, kind: str, detail: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if len(self.problems) < 20:
            self.problems.append(f"{kind}: {detail}")


class Load:
    def __init__(self, server: Server, expected: dict[str, Expected], article: str,
                 total: int, seed: int) -> None:
        self.server = server
        self.expected = expected
        self.article = article
        self.others = [p for p in expected if p != article]
        self.total = total
        self.lock = threading.Lock()
        self.issued = 0
        self.tally = Tally()
        self.seed = seed
        self.edits_during = 0
        """Saves made before the last request was answered."""

    def take(self) -> bool:
        with self.lock:
            if self.issued >= self.total:
                return False
            self.issued += 1
            return True

    @property
    def done(self) -> int:
        with self.lock:
            return self.tally.requests

    def client(self, number: int) -> None:
        rng = random.Random(self.seed * 1000 + number)
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=TIMEOUT)
        newest = -1
        try:
            while self.take():
                path = self.article if rng.random() < EDITED_SHARE else rng.choice(self.others)
                try:
                    status, body, length = self._get(conn, path)
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    with self.lock:
                        self.tally.requests += 1
                        self.tally.fail("connection_errors", f"{path}: {exc!r}")
                    continue
                with self.lock:
                    newest = self._check(path, status, body, length, newest)
        finally:
            conn.close()

    @staticmethod
    def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, int | None]:
        conn.request("GET", path)
        response = conn.getresponse()
        length = response.headers.get("Content-Length")
        try:
            body = response.read()
        except http.client.IncompleteRead as exc:
            body = exc.partial
        return response.status, body, int(length) if length is not None else None

    def _check(self, path: str, status: int, body: bytes, length: int | None,
               newest: int) -> int:
        tally, want = self.tally, self.expected[path]
        tally.requests += 1
        tally.statuses[status] += 1
        if status >= 500:
            tally.fail("server_errors", f"{path}: {status}")
        elif status != want.status:
            tally.fail("wrong_status", f"{path}: {status}, not {want.status}")
        if length is not None and len(body) != length:
            tally.fail("truncated", f"{path}: {len(body)} of {length} bytes")
        elif want.title is not None:
            title = TITLE.search(body)
            if not body.rstrip().endswith(b"</html>"):
                tally.fail("truncated", f"{path}: does not end with </html>")
            elif title is None or title.group(1) != want.title:
                tally.fail("wrong_title", f"{path}: {title.group(1) if title else None!r}")
        elif want.body is not None and body != want.body:
            tally.fail("changed_bytes", path)
        if path != self.article or status != 200:
            return newest
        begins, ends = REVISION.search(body), REVISION_END.search(body)
        if begins is None or ends is None or begins.group(1) != ends.group(1):
            tally.fail("mixed", f"{path}: begins {begins and begins.group(1)!r}, "
                                f"ends {ends and ends.group(1)!r}")
            return newest
        revision = int(begins.group(1))
        tally.revisions_seen.add(revision)
        if revision < newest:
            tally.fail("went_back", f"{path}: revision {revision} after {newest}")
        return max(newest, revision)


def revision_text(original: str, number: int) -> str:
    """The fact-check with its body framed by two paragraphs naming the save."""
    head, separator, body = original.partition("\n---\n")
    return (f"{head}{separator}\nRevision {number} begins here.\n\n{body.strip()}\n\n"
            f"Revision {number} ends here.\n")


def edit_during(load: Load, source: Path, original: str, edits: int) -> None:
    """Save `source` `edits` times, one save per 1/(edits + 1) of the requests answered, without
    waiting for the rebuilds: saves that come during a rebuild are one rebuild, as for a
    writer who saves quickly."""
    for number in range(1, edits + 1):
        while load.done < load.total * number // (edits + 1):
            time.sleep(0.002)
        if load.done < load.total:
            load.edits_during += 1
        save(source, revision_text(original, number))


def save(source: Path, text: str) -> None:
    """Save as most editors do: a new file renamed over the old one, so the server never
    reads half a save (an in-place write can be read half done, and is then an error until
    the rest of the write arrives)."""
    temporary = source.with_name(f".{source.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, source)


@contextlib.contextmanager
def sampling(pid: int, every: float) -> Iterator[list[Sample]]:
    samples: list[Sample] = []
    stop = threading.Event()
    started = time.monotonic()

    def run() -> None:
        while not stop.is_set():
            found = sample(pid, started)
            if found is not None:
                samples.append(found)
            stop.wait(every)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        stop.set()
        thread.join()


def back_to(pid: int, baseline: Sample) -> Sample | None:
    """Wait until the server has no more threads and descriptors than at the baseline (open
    connections close, a settle child is reaped); the last sample, at most SETTLE_SECONDS on."""
    deadline = time.monotonic() + SETTLE_SECONDS
    now = sample(pid, 0.0)
    while now is not None and (now.threads > baseline.threads or now.fds > baseline.fds):
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
        now = sample(pid, 0.0)
    return now


# --- one run ----------------------------------------------------------------------------------


def run(site: Path, edit: Path, clients: int, requests: int, edits: int,
        seed: int) -> dict[str, object]:
    original = edit.read_text(encoding="utf-8")
    save(edit, revision_text(original, 0))
    server = Server(site)
    try:
        article = _article_path(server, edit)
        expected = survey(server, article)
        baseline = sample(server.process.pid, 0.0)
        load = Load(server, expected, article, requests, seed)
        threads = [threading.Thread(target=load.client, args=(n,), daemon=True)
                   for n in range(clients)]
        started = time.monotonic()
        with sampling(server.process.pid, 0.05) as samples:
            for thread in threads:
                thread.start()
            edit_during(load, edit, original, edits)
            for thread in threads:
                thread.join()
            seconds = time.monotonic() - started
            final = _final_revision(server, article, edits)
            after = back_to(server.process.pid, baseline) if baseline else None
    finally:
        log = server.stop()
        edit.write_text(original, encoding="utf-8")
    tally = load.tally
    return {
        "clients": clients, "requests": tally.requests, "edits": edits,
        "seconds": round(seconds, 2), "requests_per_second": round(tally.requests / seconds),
        "statuses": dict(sorted(tally.statuses.items())),
        **{key: getattr(tally, key) for key in (
            "server_errors", "wrong_status", "truncated", "wrong_title", "changed_bytes",
            "mixed", "went_back", "connection_errors")},
        "edits_during_load": load.edits_during,
        "revisions_seen": len(tally.revisions_seen), "final_revision": final,
        "reloads_heard": server.reloads.qsize(),
        "baseline": asdict(baseline) if baseline else None,
        "peak": _peak(samples), "after": asdict(after) if after else None,
        "problems": tally.problems,
        "server_log_errors": [line for line in log.splitlines() if "Traceback" in line
                              or "error" in line.lower()][:10],
    }


def _article_path(server: Server, edit: Path) -> str:
    """The URL path of the edited fact-check: the sitemap entry ending in its file's name."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    try:
        _, sitemap, _ = fetch(conn, server.mount + "sitemap.xml")
    finally:
        conn.close()
    for loc in re.findall(rb"<loc>(.*?)</loc>", sitemap):
        path = urlsplit(loc.decode()).path
        if path.rstrip("/").endswith("/" + edit.stem):
            return path
    raise RuntimeError(f"{edit.name} is not in the sitemap")


def _final_revision(server: Server, article: str, last: int) -> int | None:
    """The revision the edited page shows once the last save is rebuilt (SETTLE_SECONDS at
    most): the last one, unless a save was lost."""
    deadline = time.monotonic() + SETTLE_SECONDS
    conn = http.client.HTTPConnection(server.host, server.port, timeout=TIMEOUT)
    try:
        while True:
            _, body, _ = fetch(conn, article)
            found = REVISION.search(body)
            revision = int(found.group(1)) if found else None
            if revision == last or time.monotonic() > deadline:
                return revision
            time.sleep(0.05)
    finally:
        conn.close()


def _peak(samples: list[Sample]) -> dict[str, int]:
    if not samples:
        return {}
    return {"threads": max(s.threads for s in samples), "fds": max(s.fds for s in samples),
            "rss_kib": max(s.rss_kib for s in samples)}


def make_site(folder: Path, count: int) -> Path:
    site = folder / f"site-{count}"
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(site / "content"), "--count",
                    str(count)], check=True, stdout=subprocess.DEVNULL)
    (site / "sitegen.toml").write_text(CONFIG, encoding="utf-8")
    return site


def markdown(result: dict[str, object]) -> str:
    """The figures as the table in bench/README.md."""
    base, peak, after = (result["baseline"], result["peak"], result["after"])
    assert isinstance(base, dict) and isinstance(peak, dict) and isinstance(after, dict)
    rows = [
        ("requests (clients)", f"{result['requests']} ({result['clients']})"),
        ("edits saved / during the load / reloads heard",
         f"{result['edits']} / {result['edits_during_load']} / {result['reloads_heard']}"),
        ("seconds, requests per second", f"{result['seconds']}, {result['requests_per_second']}"),
        ("statuses", ", ".join(f"{k}: {v}" for k, v in dict(result["statuses"]).items())),  # type: ignore[call-overload]
        ("5xx / wrong status / connection errors",
         f"{result['server_errors']} / {result['wrong_status']} / {result['connection_errors']}"),
        ("truncated / wrong title / changed bytes",
         f"{result['truncated']} / {result['wrong_title']} / {result['changed_bytes']}"),
        ("mixed saves / went back", f"{result['mixed']} / {result['went_back']}"),
        ("revisions seen, final revision served",
         f"{result['revisions_seen']}, {result['final_revision']}"),
        ("threads before / peak / after", f"{base['threads']} / {peak['threads']} / "
                                          f"{after['threads']}"),
        ("open fds before / peak / after", f"{base['fds']} / {peak['fds']} / {after['fds']}"),
        ("RSS MiB before / peak / after", f"{base['rss_kib'] / 1024:.0f} / "
                                          f"{peak['rss_kib'] / 1024:.0f} / "
                                          f"{after['rss_kib'] / 1024:.0f}"),
    ]
    return "\n".join(["| measure | value |", "| --- | --- |",
                      *(f"| {name} | {value} |" for name, value in rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--site", type=Path, help="an existing site folder (copied first)")
    parser.add_argument("--edit", help="with --site: the content file to save, relative")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--markdown", action="store_true", help="print a table for the README")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sitegen-load-"))
    try:
        if args.site:
            site = folder / "site"
            shutil.copytree(args.site, site, ignore=shutil.ignore_patterns("output", ".*"))
            edit = site / args.edit
        else:
            site = make_site(folder, args.articles)
            edit = sorted((site / "content").rglob("*.md"))[args.articles // 2]
        result = run(site, edit, args.clients, args.requests, args.edits, args.seed)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
    elif args.markdown:
        print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
              f"{platform.python_version()}; {args.articles if not args.site else 'given'} "
              "articles\n")
        print(markdown(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    keys = ("server_errors", "wrong_status", "truncated", "wrong_title", "changed_bytes",
            "mixed", "went_back", "connection_errors")
    failed = any(result[key] for key in keys) or result["final_revision"] != args.edits
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
