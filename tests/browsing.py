"""Helpers shared by the browser tests: a built site served over loopback HTTP as a host would
serve it, pages opened at a width and colour scheme, and what a reader would notice on them.

The measurements run in the page (JavaScript through Playwright) so they see the laid-out page,
not the HTML source.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

VIEWPORT_HEIGHT = 800
SEARCH_WAIT_MS = 120_000
"""A bound, not a timing: Pagefind loads its WebAssembly and index on a search's first use,
which takes long on a loaded CI runner."""
SEARCH_INPUT = ".search__input"
RESULT_LINK = ".search__result-link"
RESULT_EXCERPT = ".search__excerpt"
SEARCH_MESSAGE = ".search__message"
MORE_RESULTS = ".search__more"
FILTER_BLOCK = ".search__filter"
FILTER_LABEL = ".search__filter-label"
"""What assets/search.js draws on the search page: the box, each result's link and excerpt,
the count, the button for more results, each filter (a <details>) and each value's label."""
MIN_TEXT_PX = 16.0
RUNNING_TEXT_WORDS = 8
"""A text of this many words or more is running text, which must be at least MIN_TEXT_PX."""

PAGES = {
    "home": "",
    "fact-check": "2023/lindqvist-eastbrook-bus-ridership-recovered/",
    "verdict listing": "verdicts/likely-false/",
    "claimant": "claimants/mayor-priya-lindqvist/",
    "search": "search/",
    "404": "no-such-page/",
}
"""The pages of the example site a reader lands on, by kind: the fact-check has an updates log
with a verdict change; the 404 is a missing address, answered with the site's 404 page."""

HARD_FACTCHECK = """\
---
title: "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft?"
claim: "https://example.com/a/very/long/address/that/has/no/spaces/at/all/and/goes/on/and/on/for/ever"
claimant: "Ministerialdirektorialverwaltungsausschussvorsitzendenstellvertreterin"
verdict: partially-false
date: 2020-03-04
claim_date: 2020-03-01
claim_url: "https://example.com/speech"
summary: "Pneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopicsilicovolcano."
tags: [Rechtsschutzversicherungsgesellschaftenzusammenschluss]
updates:
  - date: 2020-03-06
    verdict: partially-false
    note: "Changed."
sources:
  - title: "https://factcheck.test/reports/2020/03/an-address-used-as-a-title-with-no-spaces-anywhere"
    url: "https://factcheck.test/reports/2020/03/an-address-used-as-a-title-with-no-spaces-anywhere"
    archive_url: "https://web.archive.org/web/20200304000000/https://factcheck.test/reports/2020/03/x"
---
| Year | Electricity from renewables | Electricity from gas | Electricity from coal | Imports |
| --- | --- | --- | --- | --- |
| 2019 | 31.5 per cent of the total | 40.2 per cent of the total | 2.1 per cent | 6.0 per cent |

```
a_line_of_code_that_is_much_wider_than_any_phone_screen_and_must_scroll_inside_its_own_box()
```

Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordinthebody.
"""
"""A fact-check with everything that pushes a layout sideways: words longer than a phone is
wide, addresses as titles, a wide table, a long line of code."""


@contextlib.contextmanager
def serving(output: Path, mount: str = "/") -> Iterator[str]:
    """Serve a built site on loopback under `mount` (the path of its base_url, as its host
    would); yields the site's URL, ending in '/'.

    A missing path gets the site's 404.html with status 404, as static hosts do, so the
    not-found page is tested where a reader meets it, at an address of any depth.
    """
    handler = functools.partial(SiteHandler, directory=str(output), mount=mount)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{mount}"
    finally:
        server.shutdown()
        server.server_close()


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files under a mount path, quietly, with the site's own 404 page."""

    def __init__(self, *args: Any, mount: str, **kwargs: Any) -> None:
        self.mount = mount
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.mount):
            return str(Path(self.directory) / ".outside-the-mount")
        return super().translate_path("/" + path[len(self.mount):])

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def open_page(browser: Any, url: str, width: int, scheme: str = "light") -> Any:
    """A new page (own context, so a cold cache) at `width` x 800 in a colour scheme."""
    page = browser.new_page(viewport={"width": width, "height": VIEWPORT_HEIGHT},
                            color_scheme=scheme)
    page.goto(url)
    return page


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the screen (0 or less: no sideways scroll)."""
    return int(page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"))


SMALL_TEXT_JS = """([minPx, minWords]) => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!element || seen.has(element)) continue;
    seen.add(element);
    const own = [...element.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
      .map(n => n.textContent).join(" ").trim();
    if (own.split(/\\s+/).length < minWords) continue;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || style.visibility === "hidden") continue;
    const size = parseFloat(style.fontSize);
    if (size < minPx) found.push(`${element.tagName.toLowerCase()}.${element.className}` +
                                 ` (${size}px): ${own.slice(0, 60)}`);
  }
  return found;
}"""


def small_running_text(page: Any) -> list[str]:
    """Visible sentences (RUNNING_TEXT_WORDS words or more) set smaller than MIN_TEXT_PX.

    Short labels, dates and counts may be smaller; text a reader has to read may not.
    """
    found: list[str] = page.evaluate(SMALL_TEXT_JS, [MIN_TEXT_PX, RUNNING_TEXT_WORDS])
    return found


def box(page: Any, selector: str) -> dict[str, float]:
    """The first matching element's box in page coordinates; fails when there is none."""
    found = page.locator(selector).first.bounding_box(timeout=5000)
    assert found is not None, f"{selector} is not on the page or not visible"
    result: dict[str, float] = found
    return result


LAYOUT_SHIFT_INIT_JS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push(entry.value);
  }
}).observe({type: "layout-shift", buffered: true});
window.__firstBadge = null;
(function watch() {
  const badge = document.querySelector(".verdict");
  if (badge) window.__firstBadge = badge.getBoundingClientRect().toJSON();
  else requestAnimationFrame(watch);
})();
"""
"""Records layout shifts, and the first badge's box in the first frame that shows it (frames
wait for the render-blocking stylesheet, so this is the box a reader first sees)."""

SETTLED_JS = """async () => {
  await document.fonts.ready;
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const badge = document.querySelector(".verdict");
  return {
    first: window.__firstBadge,
    settled: badge ? badge.getBoundingClientRect().toJSON() : null,
    shift: window.__shifts.reduce((a, b) => a + b, 0),
  };
}"""


def open_watching_layout(browser: Any, url: str, width: int, scheme: str = "light") -> Any:
    """Like open_page, recording layout shifts and the first badge's box as first drawn."""
    page = browser.new_page(viewport={"width": width, "height": VIEWPORT_HEIGHT},
                            color_scheme=scheme)
    page.add_init_script(LAYOUT_SHIFT_INIT_JS)
    page.goto(url)
    return page


def badge_settling(page: Any) -> dict[str, Any]:
    """The first badge's box as first drawn and once fonts and styles settled, and the
    page's cumulative layout shift by then (Chromium's Layout Instability API)."""
    result: dict[str, Any] = page.evaluate(SETTLED_JS)
    return result
