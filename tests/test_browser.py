"""The example site in a real browser (Playwright driving Debian's Chromium), as a reader sees it.

Each page a reader lands on is opened at a phone width and a desktop width, screenshotted into
the test's temp folder, and checked on what a person would notice: nothing overflows sideways,
the verdict badge is in the first screen, the claim box comes before the analysis, running
text is at least 16 px, and badges never move once drawn (no layout shift).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import (
    HARD_FACTCHECK,
    MIN_TEXT_PX,
    PAGES,
    SEARCH_WAIT_MS,
    VIEWPORT_HEIGHT,
    badge_settling,
    box,
    horizontal_overflow,
    open_page,
    open_watching_layout,
    serving,
    small_running_text,
)
from conftest import CONFIG, ScratchSite

DEIR_EZZOR = "2018/russia-deir-ezzor-shelling-deaths/"
WIDTHS = [375, 1280]
FIRST_SCREEN = {"home": ".card .verdict", "fact-check": ".claim-box .verdict",
                "verdict listing": ".listing__header .verdict", "claimant": ".scorecard__table"}
"""What shows the verdicts, which must be whole in the first screen: on a claimant page, the
chart of their verdicts (the cards with badges follow it)."""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_well(browser: Any, example_url: str, tmp_path: Path, name: str,
                         width: int) -> None:
    """No sideways scroll, badge in the first screen and steady, 16 px running text; the page
    is screenshotted (with search results on the search page) into the test's temp folder."""
    page = open_watching_layout(browser, example_url + PAGES[name], width)
    settled = badge_settling(page)
    assert settled["shift"] == 0, "something moved after the page was first drawn"
    if name in FIRST_SCREEN:
        verdicts = box(page, FIRST_SCREEN[name])
        assert verdicts["y"] >= 0 and verdicts["y"] + verdicts["height"] <= VIEWPORT_HEIGHT
        assert settled["first"] == settled["settled"], "the badge moved after the page was drawn"
    if name == "search":
        page.fill(".search__input", "energy", timeout=SEARCH_WAIT_MS)
        page.wait_for_selector(".search__excerpt", timeout=SEARCH_WAIT_MS)
    page.screenshot(path=str(tmp_path / f"{name.replace(' ', '-')}-{width}.png"), full_page=True)
    assert horizontal_overflow(page) <= 0
    assert small_running_text(page) == [], f"running text under {MIN_TEXT_PX} px"
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_factcheck_puts_claim_and_verdict_first(browser: Any, example_url: str,
                                                width: int) -> None:
    """The claim box (with the verdict) is above the summary, the updates and the analysis."""
    page = open_page(browser, example_url + PAGES["fact-check"], width)
    badge = box(page, ".claim-box .verdict")
    assert badge["y"] + badge["height"] <= VIEWPORT_HEIGHT
    assert page.locator(".claim-box .verdict__label").inner_text() == "Likely false"
    claim_box = box(page, ".claim-box")
    for below in (".summary", ".updates", ".analysis"):
        assert claim_box["y"] + claim_box["height"] <= box(page, below)["y"], below
    assert box(page, ".updates")["y"] < box(page, ".analysis")["y"]
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["claimants/", "verdicts/", "methodology/", "tags/", "about/"])
def test_indexes_do_not_overflow(browser: Any, example_url: str, width: int, path: str) -> None:
    """Indexes and plain pages fit the screen at phone and desktop widths, with styles applied."""
    page = open_page(browser, example_url + path, width)
    assert horizontal_overflow(page) <= 0
    assert small_running_text(page) == []
    skip_link = page.locator(".skip-link").bounding_box()
    assert skip_link is None or skip_link["y"] + skip_link["height"] <= 0 or skip_link["x"] < 0
    page.close()


def test_skip_link_appears_on_focus(browser: Any, example_url: str) -> None:
    """The first Tab shows the skip link, which moves focus to the main content."""
    page = open_page(browser, example_url + DEIR_EZZOR, 1280)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    link = box(page, ".skip-link")
    assert link["y"] >= 0 and link["x"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.close()


def test_search_finds_a_factcheck_and_filters_by_verdict(browser: Any, example_url: str) -> None:
    """Typing a query on the search page lists matching fact-checks; a verdict filter narrows."""
    page = open_page(browser, example_url + "search/", 1280)
    page.fill(".search__input", "energy", timeout=SEARCH_WAIT_MS)
    page.wait_for_selector(".search__result-link", timeout=SEARCH_WAIT_MS)
    titles = sorted(a.inner_text() for a in page.query_selector_all(".search__result-link"))
    assert titles == [
        "Did renewables produce nearly half of the country\u2019s electricity last year?",
        "Have household energy bills doubled in a year?"]
    verdict_block = page.locator(".search__filter", has_text="Verdict")
    verdict_block.locator("summary").click()
    verdict_block.get_by_text("Likely true").click()
    page.wait_for_function(
        "document.querySelectorAll('.search__result-link').length === 1",
        timeout=SEARCH_WAIT_MS)
    remaining = [a.inner_text() for a in page.query_selector_all(".search__result-link")]
    assert remaining == titles[:1]
    page.close()


SEARCH_ASSETS = ["assets/search.js"]


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_make_no_requests_beyond_html_and_css(browser: Any, example_url: str,
                                                    name: str) -> None:
    """With a cold cache, a page loads with one HTML and one CSS request: no favicon, font,
    image or script. The search page adds its script, and then only the index's files; the
    404 page carries its styles (it is served at any address), so it is one request."""
    page = browser.new_page(viewport={"width": 1280, "height": VIEWPORT_HEIGHT})
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("response", lambda response: response.ok or failed.append(response.url))
    page.goto(example_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    expected_failures = [example_url + PAGES[name]] if name == "404" else []
    assert failed == expected_failures
    fetched = [r.removeprefix(example_url) for r in requests]
    assert fetched[0] == PAGES[name]
    if name == "404":
        assert fetched[1:] == []
    elif name == "search":
        assets = fetched[1:2 + len(SEARCH_ASSETS)]
        assert sorted(assets) == sorted(["assets/sitegen.css", *SEARCH_ASSETS]), fetched
        assert all(r.startswith("pagefind/") for r in fetched[len(assets) + 1:]), fetched
    else:
        assert fetched[1:] == ["assets/sitegen.css"]
    page.close()


def test_theme_css_is_one_small_file(example_output: Path) -> None:
    """The theme's whole stylesheet is one file: under 7 KB as a reader downloads it
    (gzipped, as every static host serves CSS) and under 24 KB uncompressed. The budget was
    20 KB uncompressed until issue 23 gave the search filters, the header menu, the home
    page's lead, the scorecard table, citations and the checked media their styles."""
    css = sorted(p.relative_to(example_output).as_posix() for p in example_output.rglob("*.css")
                 if not p.is_relative_to(example_output / "pagefind"))
    assert css == ["assets/sitegen.css"]
    stylesheet = (example_output / "assets/sitegen.css").read_text(encoding="utf-8")
    assert len(stylesheet.encode()) < 24_000
    assert len(gzip.compress(stylesheet.encode())) < 7_000
    assert "@font-face" not in stylesheet and "url(" not in stylesheet  # system fonts, no images


def test_text_is_set_in_system_fonts(browser: Any, example_url: str) -> None:
    """Body text uses the system's own font (nothing to download), and so does search."""
    page = open_page(browser, example_url + PAGES["fact-check"], 1280)
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith("system-ui")
    assert page.evaluate("document.fonts.size") == 0
    page.close()


FOCUS_JS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  let behind = element, background = "rgba(0, 0, 0, 0)";
  while (behind && /rgba\\(.*, 0\\)$|transparent/.test(background)) {
    background = getComputedStyle(behind).backgroundColor;
    behind = behind.parentElement;
  }
  return {what: element.outerHTML.slice(0, 80), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), color: style.outlineColor, background};
}"""


def luminance(css_color: str) -> float:
    """WCAG relative luminance of an rgb()/rgba() colour as getComputedStyle gives it."""
    channels = [float(c) / 255 for c in re.findall(r"[\d.]+", css_color)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_always_visible(browser: Any, example_url: str, scheme: str) -> None:
    """Every element Tab reaches on a fact-check shows a solid outline of 2 px or more, in a
    colour that stands out from what is behind it (3:1, WCAG 1.4.11)."""
    page = open_page(browser, example_url + PAGES["fact-check"], 1280, scheme)
    links = page.evaluate("document.querySelectorAll('a[href]').length")
    for _ in range(links):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        assert focus["style"] == "solid" and focus["width"] >= 2, focus
        assert contrast(focus["color"], focus["background"]) >= 3, focus
    page.close()


def test_print_keeps_the_verdict_and_shows_source_addresses(browser: Any,
                                                           example_url: str) -> None:
    """On paper: no navigation, the verdict badge black on white with a border (colour alone
    is lost on a grey printer), and each source's address written out after its title."""
    page = open_page(browser, example_url + PAGES["fact-check"], 1280)
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    badge = page.locator(".claim-box .verdict").evaluate(
        "e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor,"
        " s.borderTopStyle]; }")
    assert badge == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "solid"]
    after = page.locator(".sources a[href^=http]").first.evaluate(
        "e => getComputedStyle(e, '::after').content")
    assert after.startswith('" (') and "http" in after
    page.close()


@pytest.mark.parametrize(("motion", "scrolling"), [("reduce", "auto"),
                                                   ("no-preference", "smooth")])
def test_reduced_motion_turns_off_smooth_scrolling(browser: Any, example_url: str, motion: str,
                                                   scrolling: str) -> None:
    """A reader who asked for less motion gets jumps, not animated scrolling, to anchors."""
    page = browser.new_page(reduced_motion=motion)
    page.goto(example_url + PAGES["fact-check"])
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == scrolling
    page.close()


@pytest.fixture(scope="module")
def hard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site whose fact-check has everything that pushes a layout sideways: words longer than
    a phone is wide, addresses as titles, a wide table, a long code line."""
    site = ScratchSite(tmp_path_factory.mktemp("hard") / "site")
    site.write("sitegen.toml", CONFIG)
    site.write("content/2020/hard.md", HARD_FACTCHECK)
    site.built()
    with serving(site.output) as url:
        yield url


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", ["2020/hard/", "", "claimants/", "tags/"])
def test_long_words_and_wide_content_never_push_the_page_sideways(
    browser: Any, hard_url: str, tmp_path: Path, path: str, width: int
) -> None:
    """At phone widths, long words wrap and tables and code scroll inside their own box; the
    page itself never scrolls sideways, and the badge stays in the first screen."""
    page = open_page(browser, hard_url + path, width)
    page.screenshot(path=str(tmp_path / f"hard-{width}.png"), full_page=True)
    assert horizontal_overflow(page) <= 0
    if path != "tags/":  # the topic index shows names and counts, no badges
        badge = box(page, ".verdict")
        assert badge["y"] + badge["height"] <= VIEWPORT_HEIGHT
        assert badge["x"] >= 0 and badge["x"] + badge["width"] <= width
    page.close()
