"""Edit-to-reload latency of `sitegen serve`, measured as a writer experiences it.

For each corpus size: generate the corpus with bench/make_corpus.py, start
`sitegen serve` on it, listen on the live-reload event stream like an open browser tab, then
save an edited fact-check 20 times (and a template 5 times) and time each save to the
"reload" event, and read the rebuild's own milliseconds from the line `sitegen serve` prints
after it (the rest is the watcher's wait and the event's way out). Prints medians;
`--markdown` prints a table for bench/README.md.

    python bench/reload.py --sizes 1000 10000 [--edits 20] [--warm] [--pause S] [--markdown]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serving import start_serve
from tools import MAKE_CORPUS

CONFIG = """\
[site]
title = "Benchmark Desk"
base_url = "https://example.org/"
"""
TIMEOUT = 600.0


def make_site(folder: Path, count: int) -> Path:
    site = folder / f"site-{count}"
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(site / "content"), "--count",
                    str(count)], check=True, stdout=subprocess.DEVNULL)
    (site / "sitegen.toml").write_text(CONFIG, encoding="utf-8")
    (site / "templates").mkdir()
    return site


class Server:
    """`sitegen serve` in a child process, and one event-stream client on it."""

    def __init__(self, site: Path) -> None:
        self.process, url = start_serve(site, subprocess.DEVNULL)
        match = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
        assert match, f"no URL from sitegen serve: {url!r}"
        host, port, mount = match.group(1), int(match.group(2)), match.group(3)
        self.connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        self.connection.request("GET", f"{mount}__sitegen/events")
        self.stream = self.connection.getresponse()

    def wait_reload(self) -> None:
        while True:
            line = self.stream.readline()
            if not line:
                raise RuntimeError("the event stream closed")
            if line.strip() == b"event: reload":
                return

    def rebuild_ms(self, name: str) -> float:
        """The milliseconds of the next rebuild of `name`, as `sitegen serve` printed them."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            found = re.match(rf"rebuilt: {re.escape(name)}\b.* in (\d+) ms", line)
            if found:
                return float(found.group(1))
        raise RuntimeError("sitegen serve stopped")

    def stop(self) -> None:
        self.connection.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def time_edits(server: Server, path: Path, edits: int, change: str, name: str,
               pause: float = 0.3) -> tuple[list[float], list[float]]:
    """Milliseconds from each save to the reload event, and of each rebuild alone."""
    original = path.read_text(encoding="utf-8")
    timings, rebuilds = [], []
    try:
        for n in range(edits):
            text = original + change.format(n=n)
            started = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            server.wait_reload()
            timings.append((time.perf_counter() - started) * 1000)
            rebuilds.append(server.rebuild_ms(name))
            time.sleep(pause)  # a writer's moment between saves
    finally:
        path.write_text(original, encoding="utf-8")
    return timings, rebuilds


def measure(folder: Path, count: int, edits: int, warm: bool, verbose: bool = False,
            pause: float = 0.3) -> dict[str, float]:
    site = make_site(folder, count)
    if warm:  # the writer has built the site before: the build cache and share cards exist
        subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    server = Server(site)
    startup = time.perf_counter() - started
    try:
        article = sorted((site / "content").rglob("*.md"))[count // 2]
        body, rebuilds = time_edits(server, article, edits, "\nAn added sentence, edit {n}.\n",
                                    article.relative_to(site).as_posix(), pause)
        template = site / "templates" / "base.html"
        template.write_text('{% extends "theme/base.html" %}\n', encoding="utf-8")
        server.wait_reload()
        templates, _ = time_edits(server, template, max(3, edits // 4),
                                  "{{% block footer %}}Edit {n}{{% endblock %}}\n",
                                  "templates/base.html")
    finally:
        server.stop()
    if verbose:
        print("edits ms:", " ".join(f"{t:.0f}" for t in body), file=sys.stderr)
        print("rebuilds ms:", " ".join(f"{t:.0f}" for t in rebuilds), file=sys.stderr)
    return {"articles": count, "first build s": startup,
            "edit median ms": statistics.median(body), "edit max ms": max(body),
            "rebuild median ms": statistics.median(rebuilds),
            "template median ms": statistics.median(templates)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--warm", action="store_true",
                        help="build the site once before serving it, as a writer who has "
                             "built it before (caches filled; without it, the preview's "
                             "background work draws every share card during the edits)")
    parser.add_argument("--pause", type=float, default=0.3,
                        help="seconds between saves (default 0.3); from 2, the preview's "
                             "background settle starts between saves and each save stops it")
    parser.add_argument("--verbose", action="store_true",
                        help="print every edit's and every rebuild's milliseconds to stderr")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    try:
        rows = [measure(folder, size, args.edits, args.warm, args.verbose, args.pause)
                for size in args.sizes]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    columns = list(rows[0])
    if args.markdown:
        print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}\n")
        print("| " + " | ".join(columns) + " |")
        print("|" + " --- |" * len(columns))
    for row in rows:
        cells = [f"{row[c]:.0f}" if c != "first build s" else f"{row[c]:.1f}" for c in columns]
        print(("| " + " | ".join(cells) + " |") if args.markdown else "  ".join(
            f"{c}={v}" for c, v in zip(columns, cells, strict=True)))


if __name__ == "__main__":
    main()
