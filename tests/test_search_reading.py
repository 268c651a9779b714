"""The search page as a reader uses it, in real Chromium at a phone and a desktop width, light
and dark: each result reads like a fact-check's card (the scale's badge, the title as a
link, the claimant and the date) with an excerpt free of the page's own labels; the filters
are the theme's, in the scale's order and the page's language, and work with no query; and
a search is an address that opens with its results and follows what the reader does."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import (
    FILTER_BLOCK,
    FILTER_LABEL,
    RESULT_EXCERPT,
    RESULT_LINK,
    SEARCH_INPUT,
    SEARCH_MESSAGE,
    SEARCH_WAIT_MS,
    horizontal_overflow,
    open_page,
    serving,
)
from conftest import ROOT, ScratchSite

from sitegen.config import DEFAULT_VERDICTS

WIDTHS = [375, 1280]
SCHEMES = ["light", "dark"]
SHOTS = Path(__file__).resolve().parent.parent.parent / "search-ui-shots"
"""Where a reader's view of each case is kept, outside the repository (when it exists)."""

CONFIG = """\
[site]
title = "Test Desk"
base_url = "https://factcheck.test/"
language = "en"

[languages.ru]
title = "Проверено"
"""


def factcheck(title: str, claimant: str, verdict: str, date: str, body: str,
              lang: str = "", extra: str = "") -> str:
    return f"""\
---
title: "{title}"
claim: "{title} said so"
claimant: "{claimant}"
verdict: {verdict}
date: {date}
claim_date: {date}
claim_url: "https://example.com/speech"
summary: "Summary of {title}."
tags: [Transport]
{f"lang: {lang}" if lang else ""}
{extra}
---
{body}
"""


ARTICLES = {
    "2021/bridge-cost.md": factcheck("Bridge cost", "Mayor Alba", "false", "2021-05-01",
                                     "The bridge cost less."),
    "2021/tunnel-length.md": factcheck("Tunnel length", "Mayor Alba", "false", "2021-06-01",
                                       "The tunnel is shorter."),
    "2021/bridge-opened.md": factcheck("Bridge opened", "Mayor Alba", "true", "2021-07-01",
                                       "The bridge opened on time."),
    "2021/bridge-toll.md": factcheck(
        "Bridge toll", "Council Bee", "misleading", "2021-08-01", "The bridge toll rose.",
        extra="updates:\n  - date: 2021-08-03\n    verdict: misleading\n"
              "    note: \"Rechecked the toll.\""),
    "2021/most.md": factcheck("Мост", "Министерство транспорта", "false", "2021-06-02",
                              "Мост короче.", lang="ru"),
}
"""Three claims by one claimant (two false), a fourth by another whose verdict changed,
and one in the Russian edition."""

MESSAGES = tomllib.loads((ROOT / "sitegen/theme/messages/en.toml").read_text("utf-8"))
RU_MESSAGES = tomllib.loads((ROOT / "sitegen/theme/messages/ru.toml").read_text("utf-8"))
UI_LABELS = ["claim_label", "claim_appeared", "verdict_label", "claim_box_heading",
             "summary_heading", "updates_heading", "topics_heading", "factcheck_kicker"]
"""The theme's words on a fact-check page, which no excerpt may show."""
SCALE = [verdict.id for verdict in DEFAULT_VERDICTS]
COLOURS = {verdict.id: verdict.color for verdict in DEFAULT_VERDICTS}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = ScratchSite(tmp_path_factory.mktemp("search-reading") / "site")
    site.write("sitegen.toml", CONFIG)
    for path, text in ARTICLES.items():
        site.write("content/" + path, text)
    site.built()
    with serving(site.output) as url:
        yield url


def wait_for_results(page: Any, count: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('{RESULT_LINK}').length === {count}"
                           f" && document.querySelector('{SEARCH_MESSAGE}').textContent",
                           timeout=SEARCH_WAIT_MS)


def titles(page: Any) -> list[str]:
    return sorted(a.text_content() for a in page.query_selector_all(RESULT_LINK))


def address(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def shot(page: Any, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


RESULT_JS = """items => items.map(item => {
  const badge = item.querySelector('.search__result-verdict .verdict');
  const link = item.querySelector('.search__result-title a');
  const style = link && getComputedStyle(link);
  return {
    verdict: badge ? badge.querySelector('.verdict__label').textContent : null,
    verdictColour: badge ? getComputedStyle(badge).backgroundColor : null,
    icon: badge ? !!badge.querySelector('svg.verdict__icon') : false,
    title: link ? link.textContent : null,
    href: link ? link.getAttribute('href') : null,
    underlined: style ? style.textDecorationLine.includes('underline') : false,
    meta: (item.querySelector('.search__result-meta') || {}).textContent || null,
  };
})"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_result_shows_badge_title_link_claimant_and_date(
        browser: Any, site_url: str, width: int, scheme: str) -> None:
    page = open_page(browser, site_url + "search/?q=bridge", width, scheme)
    wait_for_results(page, 3)
    shot(page, f"results-{width}-{scheme}")
    found = {r["title"]: r for r in page.eval_on_selector_all(".search__result", RESULT_JS)}
    assert set(found) == {"Bridge cost", "Bridge opened", "Bridge toll"}
    assert found["Bridge cost"] == {
        "verdict": "False", "verdictColour": css_rgb(COLOURS["false"]), "icon": True,
        "title": "Bridge cost", "href": "/2021/bridge-cost/", "underlined": True,
        "meta": "Mayor Alba · 1 May 2021"}
    assert found["Bridge toll"]["verdict"] == "Misleading"
    assert found["Bridge toll"]["meta"] == "Council Bee · 1 August 2021"
    assert horizontal_overflow(page) <= 0
    page.close()


def test_an_excerpt_holds_the_writers_words_and_none_of_the_pages_labels(
        browser: Any, site_url: str) -> None:
    """The excerpt of a short fact-check spans its whole indexed text: title, claim, claimant,
    summary, update note and analysis are there; the claim box's labels, the verdict's
    description, the headings and the update's verdict line are not."""
    page = open_page(browser, site_url + "search/?q=toll", 1280)
    wait_for_results(page, 1)
    text = page.text_content(RESULT_EXCERPT)
    for words in ("Bridge toll said so", "Council Bee", "Summary of Bridge toll.",
                  "Rechecked the toll.", "The bridge toll rose."):
        assert words in text, (words, text)
    labels = [MESSAGES[key].split("{")[0].strip() for key in UI_LABELS]
    scale_words = [v.description for v in DEFAULT_VERDICTS] + ["Misleading", "False"]
    assert [label for label in labels + scale_words if label and label in text] == [], text
    page.close()


def filter_labels(page: Any, group: str) -> list[str]:
    return [text.strip() for text in page.locator(
        f".search__filter--{group} {FILTER_LABEL}").all_text_contents()]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_filters_are_the_themes_in_scale_order_and_browse_without_a_query(
        browser: Any, site_url: str, width: int, scheme: str) -> None:
    """With nothing typed, ticking a claimant and a verdict lists every such claim; the
    verdicts are listed truest first with their badges; the boxes, panels and the button
    to clear are drawn by the theme, not left to the browser's defaults."""
    page = open_page(browser, site_url + "search/", width, scheme)
    page.wait_for_selector(FILTER_BLOCK, timeout=SEARCH_WAIT_MS)
    for block in page.locator(FILTER_BLOCK).all():
        block.locator("summary").click()
    verdicts = page.eval_on_selector_all(
        ".search__filter--verdict input", "boxes => boxes.map(b => b.value)")
    assert verdicts == [v for v in SCALE if v in ("true", "misleading", "false")]
    assert filter_labels(page, "verdict") == ["True (1)", "Misleading (1)", "False (2)"]
    badges = page.locator(".search__filter--verdict .verdict svg.verdict__icon").count()
    assert badges == 3
    page.locator(f".search__filter--claimant {FILTER_LABEL}", has_text="Mayor Alba") \
        .locator("input").check()
    page.locator(f".search__filter--verdict {FILTER_LABEL}", has_text="False") \
        .locator("input").check()
    wait_for_results(page, 2)
    newest_first = [a.text_content() for a in page.query_selector_all(RESULT_LINK)]
    assert newest_first == ["Tunnel length", "Bridge cost"]
    assert address(page) == {"claimant": ["Mayor Alba"], "verdict": ["false"]}
    assert page.input_value(SEARCH_INPUT) == ""
    shot(page, f"filters-{width}-{scheme}")
    looks = page.evaluate("""() => {
      const body = getComputedStyle(document.body);
      const box = getComputedStyle(document.querySelector('.search__filter-box'));
      const clear = getComputedStyle(document.querySelector('.search__clear'));
      const panel = getComputedStyle(document.querySelector('.search__filter'));
      const root = getComputedStyle(document.documentElement);
      return {accent: box.accentColor, themeAccent: root.getPropertyValue('--accent').trim(),
              clearFont: clear.fontFamily, bodyFont: body.fontFamily,
              clearSize: parseFloat(clear.fontSize), clearColour: clear.color,
              link: root.getPropertyValue('--link').trim(), panel: panel.backgroundColor,
              surface: root.getPropertyValue('--surface').trim()};
    }""")
    assert looks["clearFont"] == looks["bodyFont"] and looks["clearSize"] >= 16
    assert looks["accent"] == css_rgb(looks["themeAccent"])
    assert looks["clearColour"] == css_rgb(looks["link"])
    assert looks["panel"] == css_rgb(looks["surface"])
    page.click(".search__clear")
    page.wait_for_function(f"!document.querySelector('{RESULT_LINK}')", timeout=SEARCH_WAIT_MS)
    assert address(page) == {}
    assert horizontal_overflow(page) <= 0
    page.close()


def css_rgb(hex_colour: str) -> str:
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.parametrize(("width", "scheme"), [(375, "dark"), (1280, "light")])
def test_a_search_is_an_address_that_opens_with_its_results(
        browser: Any, site_url: str, width: int, scheme: str) -> None:
    """/search/?q=bridge&verdict=false opens with the word typed, the box ticked, its filter
    open and the results; the address then follows what the reader types and ticks."""
    page = open_page(browser, site_url + "search/?q=bridge&verdict=false", width, scheme)
    wait_for_results(page, 1)
    assert titles(page) == ["Bridge cost"]
    assert page.input_value(SEARCH_INPUT) == "bridge"
    assert page.is_checked(".search__filter--verdict input[value=false]")
    assert page.eval_on_selector(".search__filter--verdict", "d => d.open")
    page.fill(SEARCH_INPUT, "tunnel")
    page.wait_for_function(f"(document.querySelector('{RESULT_LINK}') || {{}})"
                           ".textContent === 'Tunnel length'", timeout=SEARCH_WAIT_MS)
    assert titles(page) == ["Tunnel length"]
    assert address(page) == {"q": ["tunnel"], "verdict": ["false"]}
    page.uncheck(".search__filter--verdict input[value=false]")
    page.wait_for_function("!location.search.includes('verdict')", timeout=SEARCH_WAIT_MS)
    assert address(page) == {"q": ["tunnel"]}
    page.reload()
    wait_for_results(page, 1)
    assert page.input_value(SEARCH_INPUT) == "tunnel"
    page.close()


def test_an_address_with_markup_is_shown_as_text_and_runs_nothing(
        browser: Any, site_url: str) -> None:
    """Values in a shared address are the sender's, not the site's: a query and a filter
    value with markup are typed into the box or ignored, never parsed."""
    dialogs: list[str] = []
    hostile = "<img src=x data-hostile onerror=alert(1)>"
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(site_url + "search/?" + "&".join(
        f"{key}={value}" for key, value in (("q", hostile), ("claimant", hostile),
                                            ("verdict", "nonexistent"))))
    page.wait_for_selector(FILTER_BLOCK, timeout=SEARCH_WAIT_MS)
    page.wait_for_function(f"document.querySelector('{SEARCH_MESSAGE}').textContent",
                           timeout=SEARCH_WAIT_MS)
    assert page.input_value(SEARCH_INPUT) == hostile
    assert page.eval_on_selector_all("input:checked", "boxes => boxes.length") == 0
    assert page.query_selector("[data-hostile]") is None and dialogs == []
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_russian_editions_filters_and_results_are_in_russian(
        browser: Any, site_url: str, width: int) -> None:
    page = open_page(browser, site_url + "ru/search/?verdict=false", width)
    wait_for_results(page, 1)
    headings = [t.strip() for t in page.locator(".search__filter-name").all_text_contents()]
    assert headings == [RU_MESSAGES[f"search_filter_{group}"]
                        for group in ("verdict", "claimant", "topic")]
    assert page.text_content(".search__clear") == RU_MESSAGES["search_clear"]
    false = RU_MESSAGES["default_scale"]["false"]["label"]
    assert page.text_content(".search__result .verdict__label") == false
    assert filter_labels(page, "verdict") == [f"{false} (1)"]
    assert page.text_content(".search__result-meta") == "Министерство транспорта · 2 июня 2021"
    shot(page, f"ru-{width}")
    page.close()
