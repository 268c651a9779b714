"""The search index alone: Pagefind over a built corpus, in shards and in one piece.

For each size: makes (or reuses) the corpus with bench/make_corpus.py, builds it
once (share cards off: only the pages matter here), then measures the indexer from outside
(bench/proctree.py: wall, CPU of the whole tree, Pagefind's CPU, peak PSS of the tree) in
three scenarios, round after round:

- cold: pagefind/ removed, every shard indexed;
- unchanged: indexed again in place with no page changed (what the preview's settle does
  after an edit that touched only listings);
- one edit: one fact-check page's bytes changed (its title, as an edit would), then indexed
  again in place: only that page's shard runs Pagefind.

`--shard-pages 0` is the old way, one Pagefind run over the whole site, for comparison.

`--browser` also opens the search page in Chromium (Playwright, from the test extra) after
the last cold index of each setting, and counts what a reader's first search costs: the
requests and bytes until the UI is ready, then until the first results of a query show, and
that wait in milliseconds (one sample: a rough figure, not a median).

    python bench/search.py [--sizes 1000 10000] [--repeat 3] [--shard-pages 500 0]
                           [--jobs N] [--browser] [--markdown]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from proctree import Measurement, measure
from tools import BENCH, MAKE_CORPUS, ROOT, sitegen_python

SITEGEN_TOML = """\
[site]
title = "Benchmark Desk"
base_url = "https://example.org/"

[build]
share_cards = false
"""
INDEX = """\
import sys
from pathlib import Path
from sitegen.runtime.workers import configured
from sitegen.search.index import Indexer
with configured({jobs}):
    problems = Indexer(shard_pages={pages}).index(Path(sys.argv[1]))
for problem in problems:
    print(problem.format(), file=sys.stderr)
sys.exit(1 if problems else 0)
"""
WHOLE_SITE = 10**9
"""--shard-pages 0: one shard, whatever the size."""
SCENARIOS = ("cold", "unchanged", "one edit")
QUERY = "vaccine inflation"
"""Two words of the corpus's vocabulary: hundreds of results, in every shard."""


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    env.pop("PYTHONSTARTUP", None)
    return env


def built_site(work: Path, count: int, seed: int, env: dict[str, str]) -> Path:
    """The corpus built once into its output/ (kept between runs of this script; a folder
    of its own, since bench/run.py cleans and edits its sites)."""
    site = work / "search-sites" / f"{count}-seed{seed}"
    if not (site / "content").is_dir():
        log(f"making the corpus of {count} articles (seed {seed})")
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(site / "content"), "--count",
                        str(count), "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    output = site / "output"
    config = site / "sitegen.toml"
    if not output.is_dir() or not config.exists() or config.read_text() != SITEGEN_TOML:
        config.write_text(SITEGEN_TOML, encoding="utf-8")
        log(f"building the {count}-article corpus once")
        subprocess.run([str(sitegen_python()), "-m", "sitegen", "build"], cwd=site, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return output


def index_once(output: Path, pages: int, jobs: int | None, env: dict[str, str]) -> Measurement:
    code = INDEX.format(jobs=jobs, pages=pages or WHOLE_SITE)
    return measure([str(sitegen_python()), "-c", code, str(output)], output.parent, env)


def shard_count(output: Path) -> int:
    data = json.loads((output / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    return sum(len(shards) for shards in data["languages"].values())


def measure_size(work: Path, count: int, args: argparse.Namespace, env: dict[str, str],
                 browsing: list[list[str]]) -> list[list[str]]:
    output = built_site(work, count, args.seed, env)
    article = sorted(output.glob("20*/*/index.html"))[count // 2]
    original = article.read_bytes()
    rows = []
    try:
        for pages in args.shard_pages:
            runs: dict[str, list[Measurement]] = {name: [] for name in SCENARIOS}
            for round_ in range(1, args.repeat + 1):
                shutil.rmtree(output / "pagefind", ignore_errors=True)
                for name in SCENARIOS:
                    if name == "one edit":
                        article.write_bytes(original.replace(
                            b"</h1>", f" (edit {round_})</h1>".encode(), 1))
                    result = index_once(output, pages, args.jobs, env)
                    runs[name].append(result)
                    log(f"  [{count}, shards of {pages or 'all'}, round {round_}] {name:<9}"
                        f" {result.wall:6.2f} s  cpu {result.cpu:6.2f} s (Pagefind"
                        f" {result.apart_cpu:6.2f})  tree {result.tree_mb:5.0f} MB"
                        f"  (load before {result.load:.2f})")
                article.write_bytes(original)
            shards = shard_count(output)
            if args.browser:
                shutil.rmtree(output / "pagefind", ignore_errors=True)
                index_once(output, pages, args.jobs, env)
                reader = first_search(output)
                log(f"  [{count}, shards of {pages or 'all'}] browser: {reader}")
                browsing.append([str(count), str(pages or "all"), str(shards),
                                 str(reader["ready requests"]), f"{reader['ready kB']:.0f}",
                                 str(reader["search requests"]),
                                 f"{reader['search kB']:.0f}", f"{reader['ms']:.0f}"])
            for name in SCENARIOS:
                done = runs[name]
                rows.append([str(count), str(pages or "all"), str(shards), name,
                             f"{statistics.median(r.wall for r in done):.2f}",
                             f"{statistics.median(r.cpu for r in done):.2f}",
                             f"{statistics.median(r.apart_cpu for r in done):.2f}",
                             f"{statistics.median(r.tree_mb for r in done):.0f}",
                             f"{max(r.load for r in done):.2f}"])
    finally:
        article.write_bytes(original)
    return rows


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def first_search(output: Path) -> dict[str, float]:
    """What the search page costs a reader with a cold cache: requests and kB (as served,
    uncompressed) until the UI is ready, then for the first query until results show."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(Quiet, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: list[int] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or None, headless=True,
                args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.on("response", lambda response: sizes.append(len(response.body())))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
            page.wait_for_selector(".search__input", timeout=120_000)
            page.wait_for_load_state("networkidle")
            ready = list(sizes)
            started = time.perf_counter()
            page.fill(".search__input", QUERY)
            page.wait_for_selector(".search__result-link", timeout=120_000)
            waited = (time.perf_counter() - started) * 1000
            page.wait_for_load_state("networkidle")
            searched = sizes[len(ready):]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"ready requests": len(ready), "ready kB": sum(ready) / 1000,
            "search requests": len(searched), "search kB": sum(searched) / 1000, "ms": waited}


BROWSER_HEAD = ["articles", "shard pages", "shards", "requests until ready", "kB until ready",
                f"requests for '{QUERY}'", "kB for it", "ms to first results"]
HEAD = ["articles", "shard pages", "shards", "index", "wall s", "CPU s", "Pagefind CPU s",
        "tree peak MB", "load before (max)"]


def table(head: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))
                     for r in [head, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shard-pages", type=int, nargs="+", default=[500, 0],
                        help="most pages in a shard; 0: the whole site in one run")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--browser", action="store_true",
                        help="also measure a first search in Chromium (needs playwright)")
    parser.add_argument("--work", type=Path, default=BENCH / ".work")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = parser.parse_args()
    env = environment()
    browsing: list[list[str]] = []
    rows = [row for count in args.sizes
            for row in measure_size(args.work, count, args, env, browsing)]
    print(table(HEAD, rows, args.markdown))
    if browsing:
        print("\n" + table(BROWSER_HEAD, browsing, args.markdown))


if __name__ == "__main__":
    main()
