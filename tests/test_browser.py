"""The example site in a real browser (Playwright driving Debian's Chromium), as a reader sees it.

Checked at a phone width and a desktop width: nothing overflows sideways, the verdict badge is
in the first screen, the claim box comes before the analysis, and body text is at least 16 px.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitegen.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
DEIR_EZZOR = "2018/russia-deir-ezzor-shelling-deaths/"
WIDTHS = [375, 1280]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site built into a temp folder and served over HTTP on loopback."""
    output = tmp_path_factory.mktemp("browser") / "out"
    result = build(ROOT, BuildOptions(output=output))
    assert result.ok, [p.format() for p in result.problems]
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass



def _open(browser: Any, url: str, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(url)
    return page


def _overflow(page: Any) -> int:
    return int(page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.mark.parametrize("width", WIDTHS)
def test_factcheck_page_reads_well(browser: Any, served: str, width: int) -> None:
    """Badge in the first screen, claim box above the analysis, no sideways scroll, 16 px text."""
    page = _open(browser, served + DEIR_EZZOR, width)
    badge = page.locator(".claim-box .verdict").bounding_box()
    assert badge is not None and badge["y"] + badge["height"] <= 800
    assert page.locator(".claim-box .verdict__label").inner_text() == "Unclear"
    claim_box = page.locator(".claim-box").bounding_box()
    analysis = page.locator(".analysis").bounding_box()
    assert claim_box["y"] + claim_box["height"] <= analysis["y"]
    assert _overflow(page) <= 0
    size = page.locator(".analysis p").first.evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 16
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["", "claimants/", "verdicts/", "methodology/", "tags/"])
def test_listing_pages_do_not_overflow(browser: Any, served: str, width: int, path: str) -> None:
    """Listings and indexes fit the screen at phone and desktop widths, with styles applied."""
    page = _open(browser, served + path, width)
    assert _overflow(page) <= 0
    skip_link = page.locator(".skip-link").bounding_box()
    assert skip_link is None or skip_link["y"] + skip_link["height"] <= 0 or skip_link["x"] < 0
    page.close()


def test_skip_link_appears_on_focus(browser: Any, served: str) -> None:
    """The first Tab shows the skip link, which moves focus to the main content."""
    page = _open(browser, served + DEIR_EZZOR, 1280)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0
    page.close()


def test_search_finds_a_factcheck_and_filters_by_verdict(browser: Any, served: str) -> None:
    """Typing a query on the search page lists matching fact-checks; a verdict filter narrows."""
    page = _open(browser, served + "search/", 1280)
    page.fill(".pagefind-ui__search-input", "energy")
    page.wait_for_selector(".pagefind-ui__result-link")
    titles = sorted(a.inner_text() for a in page.query_selector_all(".pagefind-ui__result-link"))
    assert titles == ["Did renewables produce nearly half of the country's electricity last year?",
                      "Have household energy bills doubled in a year?"]
    verdict_block = page.locator(".pagefind-ui__filter-block", has_text="Verdict")
    verdict_block.locator("summary").click()
    verdict_block.get_by_text("Likely true").click()
    page.wait_for_function(
        "document.querySelectorAll('.pagefind-ui__result-link').length === 1")
    remaining = [a.inner_text() for a in page.query_selector_all(".pagefind-ui__result-link")]
    assert remaining == titles[:1]
    page.close()


def test_pages_make_no_requests_beyond_html_and_css(browser: Any, served: str) -> None:
    """A fact-check page loads with one HTML and one CSS request: no favicon, font or script."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served + DEIR_EZZOR)
    page.wait_for_load_state("networkidle")
    assert [r.removeprefix(served) for r in requests] == [DEIR_EZZOR, "assets/sitegen.css"]
    page.close()
