# ruff: noqa: RUF001  (Hebrew and Russian text is the point of these tests)
"""Editions in a real browser: a right-to-left edition laid out right to left, looked at by
the test (element positions, not only attributes), and search that stays in its edition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from browsing import SEARCH_WAIT_MS, box, horizontal_overflow, open_page, serving
from conftest import ScratchSite
from outside_tools import axe_script, axe_version
from test_accessibility import axe_violations, report
from test_validity import failures, vnu

HEBREW = """\
[site]
title = "Checked"
base_url = "https://factcheck.test/"
language = "en"

[languages.he]
title = "נבדק"
[languages.he.verdicts.false]
label = "לא נכון"
description = "הטענה אינה נכונה."
[languages.he.messages]
claim_label = "הטענה"
nav_factchecks = "בדיקות"
nav_search = "חיפוש"
sources_heading = "מקורות"

[languages.ru]
title = "Проверено"
"""


def hebrew_site(site: ScratchSite, make_factcheck: Callable[..., str]) -> ScratchSite:
    site.write("sitegen.toml", HEBREW)
    site.write("content/2021/gesher.md", make_factcheck(
        body="הגשר קצר יותר. Zebrafactor.\n\nמקור שני.", title='"האם הגשר הוא הארוך ביותר?"',
        slug="gesher", claim='"הגשר החדש הוא הארוך ביותר בארץ."',
        claimant='"שר התחבורה (Ministry of Transport)"', verdict="false",
        date="2021-06-01", lang="he", summary='"הגשר קצר יותר."',
        sources='[{title: "מרשם הגשרים", url: "https://factcheck.test/a"}, '
                '{title: "Bridge register", url: "https://factcheck.test/b"}]'))
    site.write("content/2021/most.md", make_factcheck(
        body="Мост короче. Zebrafactor.", title='"Мост самый длинный?"', slug="most",
        claimant='"Министерство транспорта"', date="2021-06-02", lang="ru",
        summary='"Мост короче."'))
    site.write("content/2021/bridge.md", make_factcheck(
        body="The bridge is shorter. Zebrafactor.", title='"Is the bridge the longest?"',
        slug="bridge", date="2021-06-03"))
    site.built()
    return site


def direction(page: Any, selector: str) -> str:
    return str(page.eval_on_selector(selector, "e => getComputedStyle(e).direction"))


def test_a_right_to_left_edition_is_laid_out_from_the_right(
        site: ScratchSite, make_factcheck: Callable[..., str], browser: Any) -> None:
    hebrew_site(site, make_factcheck)
    with serving(site.output) as url:
        page = open_page(browser, url + "he/2021/gesher/", 1000)
        try:
            page.screenshot(path=str(site.root / "rtl.png"), full_page=True)
            assert direction(page, "html") == "rtl"
            assert horizontal_overflow(page) <= 0
            main = box(page, "main")
            # The header starts at the right: the title right of the navigation.
            title, nav = box(page, ".site-title"), box(page, ".site-nav")
            assert title["x"] > nav["x"] + nav["width"] / 2
            # The headline and the claim box hug the right edge of the content column.
            heading = box(page, "h1")
            column_right = main["x"] + main["width"]
            padding = float(page.eval_on_selector(
                "main", "e => parseFloat(getComputedStyle(e).paddingRight)"))
            assert abs(heading["x"] + heading["width"] - (column_right - padding)) <= 2
            claim = box(page, ".claim-box")
            assert abs(claim["x"] + claim["width"] - (column_right - padding)) <= 2
            # The badge reads "לא נכון"; the claim box is mirrored: the claim first, at the
            # right, where a Hebrew reader starts, and the verdict after it, to its left.
            assert page.inner_text(".verdict--large .verdict__label") == "לא נכון"
            badge, said = box(page, ".verdict--large"), box(page, ".claim")
            assert said["x"] > badge["x"] + badge["width"]
            assert said["x"] + said["width"] > claim["x"] + claim["width"] * 0.75
            # The claimant's mixed-direction name is isolated, so its brackets stay its own.
            assert page.eval_on_selector(
                ".claimant bdi", "e => getComputedStyle(e).unicodeBidi") == "isolate"
            who = box(page, ".claimant bdi")
            assert who["x"] + who["width"] <= column_right - padding + 1
            # Numbered sources: numbers on the right, the list indented from the right.
            first = box(page, ".sources li")
            marker_side = page.eval_on_selector(
                ".sources li", "e => getComputedStyle(e).direction")
            assert marker_side == "rtl"
            assert first["x"] + first["width"] < column_right - padding
            # A Latin source title inside the RTL list keeps its own order.
            assert page.locator(".sources li").nth(1).inner_text().startswith("Bridge register")
        finally:
            page.close()
        english = open_page(browser, url + "2021/bridge/", 1000)
        try:
            assert direction(english, "html") == "ltr"
            title, nav = box(english, ".site-title"), box(english, ".site-nav")
            assert title["x"] < nav["x"]
            badge, said = box(english, ".verdict--large"), box(english, ".claim")
            assert said["x"] + said["width"] < badge["x"]
        finally:
            english.close()


def test_search_stays_in_its_edition(
        site: ScratchSite, make_factcheck: Callable[..., str], browser: Any) -> None:
    """The word is in all three articles; each edition's search finds its own only."""
    hebrew_site(site, make_factcheck)
    with serving(site.output) as url:
        for path, expected in (("ru/search/", "ru/2021/most/"), ("search/", "2021/bridge/"),
                               ("he/search/", "he/2021/gesher/")):
            page = open_page(browser, url + path, 1000)
            try:
                page.fill(".search__input", "Zebrafactor", timeout=SEARCH_WAIT_MS)
                page.wait_for_selector(".search__result-link", timeout=SEARCH_WAIT_MS)
                page.wait_for_timeout(300)  # let every result of the query arrive
                found = page.eval_on_selector_all(
                    ".search__result-link", "links => links.map(a => a.href)")
                assert found == [url + expected], path
            finally:
                page.close()


def test_editions_are_valid_and_accessible(
        site: ScratchSite, make_factcheck: Callable[..., str], browser: Any) -> None:
    """vnu over every page of a three-edition site, and axe on the pages the switcher and
    the right-to-left layout change, at a phone's width."""
    hebrew_site(site, make_factcheck)
    assert failures(vnu(site.output), site.output) == []
    axe = axe_script()
    with serving(site.output) as url:
        for path in ("he/2021/gesher/", "he/", "ru/2021/most/"):
            page = open_page(browser, url + path, 375)
            try:
                assert horizontal_overflow(page) <= 0, path
                violations = axe_violations(page, axe)
            finally:
                page.close()
            assert violations == [], path + "\n" + report(violations, axe_version(axe))
