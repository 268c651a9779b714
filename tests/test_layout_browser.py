"""The page frame in real Chromium, at a phone and a desktop width, light and dark: one content
width and left edge on every kind of page, a header that is one row on a desktop and a menu
button on a phone (opened without script), the home page's lead, and a 404 page that finds
its styles under any path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from browsing import VIEWPORT_HEIGHT, horizontal_overflow, open_page, serving
from conftest import CONFIG, ScratchSite

WIDTHS = [375, 1280]
SCHEMES = ["light", "dark"]
PAGE_KINDS = {
    "home": "",
    "fact-check": "2023/lindqvist-eastbrook-bus-ridership-recovered/",
    "verdict listing": "verdicts/likely-false/",
    "claimant": "claimants/mayor-priya-lindqvist/",
    "topic": "tags/economy/",
    "author": "authors/lena-marchetti/",
    "search": "search/",
    "plain page": "about/",
    "verdicts": "verdicts/",
    "claimants": "claimants/",
    "claimants by count": "claimants/by-count.html",
    "corrections": "corrections/",
    "methodology": "methodology/",
    "404": "no/such/page/",
}
"""Every kind of page of the example site."""
SECTIONS = 8
"""The example site's header: its title, five sections and three menu pages."""

FRAME_JS = """() => {
  const main = document.querySelector("main"), style = getComputedStyle(main);
  const box = main.getBoundingClientRect();
  const left = box.left + parseFloat(style.paddingLeft);
  return {left, width: main.clientWidth - parseFloat(style.paddingLeft)
                       - parseFloat(style.paddingRight),
          h1: document.querySelector("main h1").getBoundingClientRect().left,
          title: document.querySelector(".site-title").getBoundingClientRect().left,
          footer: document.querySelector(".site-footer p").getBoundingClientRect().left};
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_kind_has_one_content_width_and_left_edge(
        browser: Any, example_url: str, width: int, scheme: str) -> None:
    """The content's left edge and width are the same on every kind of page, and line up with
    the site title and the footer, so nothing jumps sideways between pages."""
    frames = {}
    for name, path in PAGE_KINDS.items():
        page = open_page(browser, example_url + path, width, scheme)
        frames[name] = page.evaluate(FRAME_JS)
        assert horizontal_overflow(page) <= 0, name
        page.close()
    home = frames["home"]
    for name, frame in frames.items():
        for edge in ("left", "h1", "title", "footer"):
            assert abs(frame[edge] - home["left"]) <= 0.5, (name, edge, frame, home)
        assert abs(frame["width"] - home["width"]) <= 0.5, (name, frame, home)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_on_a_phone_the_header_is_one_row_with_a_menu_button(
        browser: Any, example_url: str, scheme: str) -> None:
    """At 375 px the title and a Menu button share one row (the title and eight links once
    took three rows, 165 px); the sections are hidden until the button is pressed."""
    page = open_page(browser, example_url, 375, scheme)
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 64, header
    assert page.locator(".site-nav").is_hidden()
    summary = page.locator(".site-menu > summary")
    assert summary.is_visible() and summary.inner_text() == "Menu"
    title, button = page.locator(".site-title").bounding_box(), summary.bounding_box()
    assert title is not None and button is not None
    assert button["height"] >= 44 and abs(title["y"] + title["height"] / 2
                                          - button["y"] - button["height"] / 2) <= 4
    summary.click()
    links = page.locator(".site-nav a")
    assert links.count() == SECTIONS
    for index in range(SECTIONS):  # a list of tall targets, on the screen
        assert links.nth(index).is_visible()
        link = links.nth(index).bounding_box()
        assert link is not None and link["height"] >= 44 and link["x"] >= 0
        assert link["x"] + link["width"] <= 375
    page.close()


def test_the_menu_opens_by_keyboard_without_javascript(browser: Any, example_url: str) -> None:
    """With JavaScript off, Tab reaches the Menu button, Enter opens it, the next Tab is the
    first section, and Enter on the button again closes it."""
    context = browser.new_context(viewport={"width": 375, "height": VIEWPORT_HEIGHT},
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto(example_url)
    for _ in range(3):  # skip link, site title, then the menu button
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused == "SUMMARY"
    page.keyboard.press("Enter")
    assert page.locator(".site-menu").get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Fact-checks"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.locator(".site-menu").get_attribute("open") is None
    assert page.locator(".site-nav").is_hidden()
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_on_a_desktop_the_header_is_one_row(browser: Any, example_url: str,
                                            scheme: str) -> None:
    """At 1280 px the title and every section share one row, with no menu button; Tab goes
    from the title straight to the sections."""
    page = open_page(browser, example_url, 1280, scheme)
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 64, header
    assert page.locator(".site-menu > summary").is_hidden()
    tops = page.evaluate("""() => [...document.querySelectorAll(".site-title, .site-nav a")]
        .map(e => e.getBoundingClientRect()).map(r => r.top + r.height / 2)""")
    assert len(tops) == 1 + SECTIONS and max(tops) - min(tops) <= 4, tops
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Fact-checks"
    page.close()


EDITIONS_CONFIG = CONFIG + """
[languages.ru]
title = "Тестовая редакция"
"""


@pytest.fixture(scope="module")
def editions_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site with a Russian edition and two menu pages: the title, seven sections and the
    language switcher in the header."""
    site = ScratchSite(tmp_path_factory.mktemp("editions") / "site")
    site.write("sitegen.toml", EDITIONS_CONFIG)
    site.write("content/2020/a-claim.md", (
        "---\ntitle: \"A claim checked\"\nclaim: \"The river is 100 km long.\"\n"
        "claimant: \"Jane Official\"\nverdict: false\ndate: 2020-03-04\n"
        "summary: \"It is 80 km long.\"\n---\nThe body.\n"))
    site.write("content/pages/about.md", "---\ntitle: About us\nmenu: 1\n---\nUs.\n")
    site.write("content/pages/policy.md",
               "---\ntitle: Corrections policy\nmenu: 2\n---\nPolicy.\n")
    site.built()
    with serving(site.output) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_language_switcher_stays_in_the_header(browser: Any, editions_url: str,
                                                   width: int, scheme: str) -> None:
    """At 1280 px the switcher is on the first row with the title and the sections; on a
    phone it is visible without opening the menu, in a header of at most two rows."""
    page = open_page(browser, editions_url, width, scheme)
    switcher = page.locator(".editions a")
    assert switcher.count() == 2 and all(switcher.nth(i).is_visible() for i in range(2))
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    if width == 1280:
        tops = page.evaluate("""() => [...document.querySelectorAll(
            ".site-title, .site-nav a, .editions a")]
            .map(e => e.getBoundingClientRect()).map(r => r.top + r.height / 2)""")
        assert len(tops) == 10 and max(tops) - min(tops) <= 4, tops
        assert header["height"] <= 64
    else:
        assert header["height"] <= 100, header
        assert page.locator(".site-nav").is_hidden()
    assert horizontal_overflow(page) <= 0
    page.close()


FEATURED_CONFIG = CONFIG.replace('base_url = "https://factcheck.test/"',
                                 'base_url = "https://factcheck.test/news/"')


def _three_checks(site: ScratchSite, make_factcheck: Callable[..., str],
                  featured: str | None = None) -> None:
    for number, day in enumerate(("2021-01-01", "2022-01-01", "2023-01-01"), start=1):
        fields = {"featured": "true"} if featured == f"c{number}" else {}
        site.write(f"content/c{number}.md", make_factcheck(
            title=f'"Check number {number}"', date=day, slug=f"c{number}",
            summary=f'"The conclusion of check {number}."', **fields))


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_home_leads_with_the_latest_check_larger(
        browser: Any, site: ScratchSite, make_factcheck: Callable[..., str], width: int,
        scheme: str) -> None:
    """The latest fact-check comes first, across the whole frame and in a larger type than
    the cards after it; every card shows its conclusion; nothing is shown twice."""
    _three_checks(site, make_factcheck)
    site.built()
    with serving(site.output) as url:
        page = open_page(browser, url, width, scheme)
        lead = page.locator("main .lead")
        assert lead.locator("h2").inner_text() == "Check number 3"
        assert lead.locator(".card__summary").inner_text() == "The conclusion of check 3."
        cards = page.locator("main .cards .card")
        titles = [cards.nth(i).locator("h2").inner_text() for i in range(cards.count())]
        assert titles == ["Check number 2", "Check number 1", "A claim checked"]
        summaries = [cards.nth(i).locator(".card__summary").inner_text()
                     for i in range(cards.count())]
        assert summaries[:2] == ["The conclusion of check 2.", "The conclusion of check 1."]
        size = "e => parseFloat(getComputedStyle(e).fontSize)"
        assert (lead.locator("h2").evaluate(size)
                >= 1.2 * cards.first.locator("h2").evaluate(size))
        lead_box, first = lead.bounding_box(), cards.first.bounding_box()
        grid = page.locator("main .cards").bounding_box()
        assert lead_box is not None and first is not None and grid is not None
        assert lead_box["y"] + lead_box["height"] <= first["y"]
        assert abs(lead_box["width"] - grid["width"]) <= 0.5  # the frame's width
        assert lead_box["y"] < VIEWPORT_HEIGHT / 2  # its title in the first screen
        assert horizontal_overflow(page) <= 0
        page.close()


def test_a_featured_check_leads_instead_of_the_latest(
        browser: Any, site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """`featured: true` on an older check puts it first; the latest follows among the cards."""
    _three_checks(site, make_factcheck, featured="c1")
    site.built()
    with serving(site.output) as url:
        page = open_page(browser, url, 1280)
        assert page.locator("main .lead h2").inner_text() == "Check number 1"
        cards = page.locator("main .cards .card h2")
        assert [cards.nth(i).inner_text() for i in range(cards.count())] == [
            "Check number 3", "Check number 2", "A claim checked"]
        page.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_404_page_is_styled_when_served_at_another_path_than_base_url(
        browser: Any, site: ScratchSite, width: int, scheme: str) -> None:
    """output/ served at the root while base_url has a path (/news/): a missing address deep
    in the site gets the 404 page with the theme's styles and no failed request but its own."""
    site.write("sitegen.toml", FEATURED_CONFIG)
    site.built()
    with serving(site.output, "/") as url:
        page = browser.new_page(viewport={"width": width, "height": VIEWPORT_HEIGHT},
                                color_scheme=scheme)
        failed: list[str] = []
        page.on("response", lambda response: response.ok or failed.append(response.url))
        page.goto(url + "some/missing/page/")
        page.wait_for_load_state("networkidle")
        assert failed == [url + "some/missing/page/"]
        assert page.locator("h1").inner_text() == "Page not found"
        styled = page.evaluate("""() => ({
            font: getComputedStyle(document.body).fontFamily,
            header: getComputedStyle(document.querySelector(".site-header")).backgroundColor,
            body: getComputedStyle(document.body).backgroundColor})""")
        assert styled["font"].startswith("system-ui"), styled
        assert styled["header"] != styled["body"], styled  # the header's own surface
        assert page.locator(".site-menu > summary").is_visible() == (width == 375)
        page.close()


NEWSROOM_BASE = """{% extends "theme/base.html" %}
{% block stylesheet %}{{ super() }}<link rel="stylesheet" \
href="{{ url('assets/newsroom.css') }}">{% endblock %}
"""
NEWSROOM_404 = """{% extends "theme/404.html" %}
{% block stylesheet %}{{ super() }}<link rel="stylesheet" \
href="{{ stylesheet_data('assets/newsroom.css') }}">{% endblock %}
"""
NEWSROOM_CSS = ":root { --frame: 64rem; --measure: 42rem; --gutter: 1.25rem; }\n"


def test_the_documented_restyle_moves_every_pages_frame(browser: Any,
                                                        site: ScratchSite) -> None:
    """docs/templates.md's own stylesheet after the theme's, linked from base.html and
    carried by 404.html, narrows the frame of a listing, an article and the 404 page alike."""
    site.write("templates/base.html", NEWSROOM_BASE)
    site.write("templates/404.html", NEWSROOM_404)
    site.write("static/assets/newsroom.css", NEWSROOM_CSS)
    site.built()
    with serving(site.output) as url:
        for path in ("", "2020/a-claim/", "no/such/page/"):
            page = open_page(browser, url + path, 1280)
            frame = page.evaluate(FRAME_JS)
            assert frame["width"] == 64 * 16 - 2 * 1.25 * 16, (path, frame)
            assert frame["left"] == (1280 - 64 * 16) / 2 + 1.25 * 16, (path, frame)
            page.close()


def test_a_long_site_title_wraps_beside_the_menu_button(browser: Any,
                                                        site: ScratchSite) -> None:
    """On a phone a title too long for one line wraps in its own space: the Menu button
    stays on the title's row, at the end, never pushed under it."""
    site.write("sitegen.toml", CONFIG.replace('title = "Test Desk"',
                                              'title = "The Independent Fact-Checking Desk '
                                              'of the Northern Counties"'))
    site.built()
    with serving(site.output) as url:
        page = open_page(browser, url, 375)
        title = page.locator(".site-title").bounding_box()
        button = page.locator(".site-menu > summary").bounding_box()
        assert title is not None and button is not None
        assert title["height"] > 30  # wrapped
        assert button["y"] < title["y"] + title["height"]  # on the same row
        assert button["x"] >= title["x"] + title["width"]
        assert button["x"] + button["width"] <= 375 - 16 + 0.5
        page.close()
