"""Edit-to-reload latency of `sitegen serve`, measured as a writer experiences it.

For each corpus size: generate the corpus with ../shared/bench/make_corpus.py, start
`sitegen serve` on it, listen on the live-reload event stream like an open browser tab, then
save an edited fact-check 20 times (and a template 5 times) and time each save to the
"reload" event. Prints medians; `--markdown` prints a table for bench/README.md.

    python bench/reload.py --sizes 1000 10000 [--edits 20] [--warm] [--markdown]
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

ROOT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
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

    def stop(self) -> None:
        self.connection.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def time_edits(server: Server, path: Path, edits: int, change: str) -> list[float]:
    """Milliseconds from each save to the reload event."""
    original = path.read_text(encoding="utf-8")
    timings = []
    try:
        for n in range(edits):
            text = original + change.format(n=n)
            started = time.perf_counter()
            path.write_text(text, encoding="utf-8")
            server.wait_reload()
            timings.append((time.perf_counter() - started) * 1000)
            time.sleep(0.3)  # let the search index catch up, as between a writer's saves
    finally:
        path.write_text(original, encoding="utf-8")
    return timings


def measure(folder: Path, count: int, edits: int, warm: bool) -> dict[str, float]:
    site = make_site(folder, count)
    if warm:  # the writer has built the site before: the build cache and share cards exist
        subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    server = Server(site)
    startup = time.perf_counter() - started
    try:
        article = sorted((site / "content").rglob("*.md"))[count // 2]
        body = time_edits(server, article, edits, "\nAn added sentence, edit {n}.\n")
        template = site / "templates" / "base.html"
        template.write_text('{% extends "theme/base.html" %}\n', encoding="utf-8")
        server.wait_reload()
        templates = time_edits(server, template, max(3, edits // 4),
                               "{{% block footer %}}Edit {n}{{% endblock %}}\n")
    finally:
        server.stop()
    return {"articles": count, "first build s": startup,
            "edit median ms": statistics.median(body), "edit max ms": max(body),
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
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    try:
        rows = [measure(folder, size, args.edits, args.warm) for size in args.sizes]
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
