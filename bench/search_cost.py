"""What one search costs a reader: requests and bytes until the first results show, in
Chromium, for the sharded index against one Pagefind index over the same pages.

For each size: makes (or reuses) the corpus with bench/make_corpus.py and builds it once
(bench/search.py's built_site, share cards off), then for each shard size indexes the built
pages again (pagefind/ removed first, so every setting indexes the same pages), serves the
output folder over loopback HTTP and opens search addresses in a fresh Chromium context
(a cold cache), counting every response from the navigation until the first result's link
is on the page:

- a query, opened as its address (`/search/?q=vaccine+inflation`, as a shared link opens);
- the filters alone (`/search/?verdict=false`: every false claim, no words typed).

Bytes are the response bodies as served (this server compresses nothing; a host that
gzips the HTML, CSS and JavaScript sends fewer; Pagefind's own files are compressed
already). Each request is also put in a kind (page, script, wasm, entry, meta, filter,
index, fragment) so the table shows what each extra shard costs. Counts are exact and do
not depend on the machine's load; this is a measurement, not a timed test.

    python bench/search_cost.py [--sizes 1000 10000] [--shard-pages 500 1000 2000 0]
                                [--work DIR] [--markdown]

`--shard-pages 0` is one index over the whole site (what the sharded index is compared to).
Corpora and builds live under --work (default: a folder beside the repository, so none of
it lands in the repository).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import shutil
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from search import Quiet, built_site, environment, index_once, shard_count, table
from tools import ROOT

ADDRESSES = {"query": "search/?q=vaccine+inflation", "filters only": "search/?verdict=false"}
"""Two words of the corpus's vocabulary (hundreds of results, in every shard), and a
verdict every shard holds."""
RESULT = ".search__result-link"
WAIT_MS = 180_000
KINDS = ((re.compile(r"\.pf_fragment$"), "fragment"), (re.compile(r"\.pf_index$"), "index"),
         (re.compile(r"\.pf_filter$"), "filter"), (re.compile(r"\.pf_meta$"), "meta"),
         (re.compile(r"pagefind-entry\.json"), "entry"), (re.compile(r"wasm\."), "wasm"),
         (re.compile(r"shards\.json"), "manifest"), (re.compile(r"\.js$"), "script"))


@dataclass(frozen=True)
class Cost:
    requests: int
    bytes: int
    kinds: Counter[str]
    kind_bytes: Counter[str]


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def kind(url: str) -> str:
    path = url.split("?", 1)[0]
    return next((name for pattern, name in KINDS if pattern.search(path)), "page")


@contextmanager
def served(folder: Path) -> Iterator[str]:
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def first_results(browser: Any, url: str) -> Cost:
    """Every response from opening `url` in a cold context until a result's link shows."""
    context = browser.new_context()
    page = context.new_page()
    seen: list[tuple[str, int]] = []
    page.on("response", lambda response: seen.append((response.url, len(response.body()))))
    page.goto(url)
    page.wait_for_selector(RESULT, timeout=WAIT_MS)
    found = list(seen)
    context.close()
    kinds: Counter[str] = Counter()
    kind_bytes: Counter[str] = Counter()
    for address, size in found:
        kinds[kind(address)] += 1
        kind_bytes[kind(address)] += size
    return Cost(len(found), sum(size for _, size in found), kinds, kind_bytes)


def measure(output: Path, browser: Any) -> dict[str, Cost]:
    with served(output) as root:
        return {name: first_results(browser, root + path) for name, path in ADDRESSES.items()}


HEAD = ["articles", "shard pages", "shards", "search", "requests", "kB", "x requests",
        "x kB", "requests by kind"]


def rows_for(count: int, costs: dict[int, tuple[int, dict[str, Cost]]]) -> list[list[str]]:
    whole = costs.get(0)
    rows = []
    for pages, (shards, found) in costs.items():
        for name, cost in found.items():
            base = whole[1][name] if whole else None
            ratio_requests = f"{cost.requests / base.requests:.2f}" if base else "-"
            ratio_bytes = f"{cost.bytes / base.bytes:.2f}" if base else "-"
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(cost.kinds.items()))
            rows.append([str(count), str(pages or "all"), str(shards), name,
                         str(cost.requests), f"{cost.bytes / 1000:.0f}", ratio_requests,
                         ratio_bytes, kinds])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shard-pages", type=int, nargs="+", default=[500, 1000, 2000, 0],
                        help="most pages in a shard; 0: one index over the whole site")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--work", type=Path, default=ROOT.parent / f"{ROOT.name}-corpus")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = environment()
    rows: list[list[str]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or None, headless=True,
            args=["--no-sandbox", "--disable-gpu"])
        for count in args.sizes:
            output = built_site(args.work, count, args.seed, env)
            costs: dict[int, tuple[int, dict[str, Cost]]] = {}
            for pages in sorted(args.shard_pages, key=lambda p: p or 10**9):
                shutil.rmtree(output / "pagefind", ignore_errors=True)
                index_once(output, pages, args.jobs, env)
                costs[pages] = (shard_count(output), measure(output, browser))
                log(f"  [{count}, shards of {pages or 'all'}] "
                    + "; ".join(f"{name}: {cost.requests} requests, {cost.bytes / 1000:.0f} kB"
                                for name, cost in costs[pages][1].items()))
            rows += rows_for(count, costs)
        browser.close()
    print(table(HEAD, rows, args.markdown))


if __name__ == "__main__":
    main()
