"""axe-core, the accessibility engine browsers' own audits use, finds nothing on the pages a
reader lands on, in the light and the dark colour scheme.

axe.min.js (from the axe-playwright-python package) is injected into each page of the example
site, served over HTTP as a host serves it, in Debian's Chromium. Every rule axe runs by
default counts, best practices included (landmarks, heading order, one h1, colour contrast).
A failure lists each rule id with its help text, and every offending node.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import HARD_FACTCHECK, PAGES, SEARCH_WAIT_MS, open_page, serving
from conftest import CONFIG, FACTCHECK, ScratchSite
from hostile_site import write_hostile_site
from outside_tools import axe_script, axe_version

SCHEMES = ["light", "dark"]
WIDTH = 375


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


def axe_violations(page: Any, axe: str) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now."""
    page.evaluate(axe)
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return found


def report(violations: list[dict[str, Any]], version: str) -> str:
    """Rule id, impact, help text and link, then each node: its selector, HTML and why."""
    lines = [f"axe-core {version}: {len(violations)} rule(s) violated"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                     f"<{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append(f"      {node['failureSummary']}".replace("\n", "\n      "))
    return "\n".join(lines)


def show_search_results(page: Any) -> None:
    """Start the search page's script and run a query, so its form, filters and results are
    checked too."""
    page.fill(".search__input", "energy", timeout=SEARCH_WAIT_MS)
    page.wait_for_selector(".search__result-link", timeout=SEARCH_WAIT_MS)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(browser: Any, example_url: str, axe: str, tmp_path: Path,
                                 name: str, scheme: str) -> None:
    """No axe violation on home, a fact-check, listings, search and 404, light and dark."""
    page = open_page(browser, example_url + PAGES[name], WIDTH, scheme)
    if name == "search":
        show_search_results(page)
    page.screenshot(path=str(tmp_path / f"{name.replace(' ', '-')}-{scheme}.png"),
                    full_page=True)
    violations = axe_violations(page, axe)
    page.close()
    assert violations == [], report(violations, axe_version(axe))


INDEXES = ["verdicts/", "methodology/", "claimants/", "tags/", "authors/", "corrections/",
           "about/"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations_on_indexes_and_pages(browser: Any, example_url: str, axe: str,
                                                     scheme: str) -> None:
    """The verdict index and the methodology page show every badge of the scale, so every
    verdict colour's contrast is checked here; and the other indexes and a plain page."""
    found = {}
    for path in INDEXES:
        page = open_page(browser, example_url + path, WIDTH, scheme)
        violations = axe_violations(page, axe)
        page.close()
        if violations:
            found[path] = report(violations, axe_version(axe))
    assert found == {}, "\n".join(f"{path}: {text}" for path, text in found.items())


ARABIC = """\
---
title: "هل طول النهر 100 كم؟"
claim: "طول النهر 100 كم."
claimant: "Jane Official"
verdict: false
date: 2020-03-05
lang: ar
translation_of: a-claim
summary: "طوله 80 كم."
---
النص.
"""


@pytest.fixture(scope="module")
def mixed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small English site with an Arabic translation of its fact-check, and a fact-check
    with wide tables, code and words longer than a phone is wide; built and served."""
    site = ScratchSite(tmp_path_factory.mktemp("mixed") / "site")
    site.write("sitegen.toml", CONFIG)
    site.write("content/2020/a-claim.md", FACTCHECK)
    site.write("content/2020/a-claim-ar.md", ARABIC)
    site.write("content/2020/hard.md", HARD_FACTCHECK)
    site.built()
    with serving(site.output) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ["2020/a-claim-ar/", "", "2020/hard/"])
def test_axe_finds_no_violations_across_languages_and_wide_content(
    browser: Any, mixed_url: str, axe: str, path: str, scheme: str
) -> None:
    """An Arabic (right-to-left) fact-check on an English site, the listing holding it, and a
    fact-check whose table and code scroll sideways at phone width (so must take focus)."""
    page = open_page(browser, mixed_url + path, WIDTH, scheme)
    violations = axe_violations(page, axe)
    page.close()
    assert violations == [], report(violations, axe_version(axe))


@pytest.fixture(scope="module")
def drafts_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site built with --drafts: the preview note on every page, a draft fact-check."""
    site = ScratchSite(tmp_path_factory.mktemp("drafts") / "site")
    site.write("sitegen.toml", CONFIG)
    site.write("content/2020/a-claim.md", FACTCHECK.replace("---\n", "---\ndraft: true\n", 1))
    site.built(drafts=True)
    with serving(site.output) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ["2020/a-claim/", ""])
def test_axe_finds_no_violations_in_a_drafts_build(browser: Any, drafts_url: str, axe: str,
                                                   path: str, scheme: str) -> None:
    """The preview note and draft banners of a --drafts build sit in landmarks and read well."""
    page = open_page(browser, drafts_url + path, WIDTH, scheme)
    assert page.locator(".preview-note").count() == 1
    violations = axe_violations(page, axe)
    page.close()
    assert violations == [], report(violations, axe_version(axe))


def test_axe_reports_what_it_finds(browser: Any, axe: str) -> None:
    """The harness fails where it should: low contrast and a nameless link are reported with
    their rule ids, nodes and help text."""
    page = browser.new_page()
    page.set_content('<!doctype html><html lang="en"><title>t</title><main><h1>t</h1>'
                     '<p style="color:#aaa;background:#fff">faint text</p>'
                     '<a href="/x"><svg width="9" height="9"></svg></a></main></html>')
    violations = axe_violations(page, axe)
    page.close()
    text = report(violations, axe_version(axe))
    assert {v["id"] for v in violations} >= {"color-contrast", "link-name"}, text
    assert "faint text" in text and "Elements must meet minimum color contrast" in text


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The hostile-values site (tests/hostile_site.py) served at its base path; with the
    site path of its one claimant's page."""
    site = ScratchSite(tmp_path_factory.mktemp("hostile") / "site")
    write_hostile_site(site)
    site.built()
    [claimant] = [p.name for p in (site.output / "claimants").iterdir() if p.is_dir()]
    with serving(site.output, "/news/") as url:
        yield url, f"claimants/{claimant}/"


HOSTILE_PAGES = ["", "CLAIMANT", "2020/a-claim/", "about/", "ru/", "no/such/page/",
                 "verdicts/false/", "tags/tag-x/", "verdicts/", "claimants/", "corrections/",
                 "methodology/", "search/"]
"""Every kind of page (search without a query: tests above run one)."""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_finds_no_violations_with_hostile_values(
    browser: Any, hostile_url: tuple[str, str], axe: str, width: int, scheme: str
) -> None:
    """Every kind of page (home with its lead, a claimant's scorecard, a fact-check, a menu
    page, the other edition, listings, indexes, search, the 404 page) with hostile values, at
    both widths; on a phone with the header's menu open as well."""
    url, claimant = hostile_url
    found = {}
    for path in (claimant if p == "CLAIMANT" else p for p in HOSTILE_PAGES):
        page = open_page(browser, url + path, width, scheme)
        violations = axe_violations(page, axe)
        if width == 375:
            page.click(".site-menu > summary")
            violations += axe_violations(page, axe)
        page.close()
        if violations:
            found[path] = report(violations, axe_version(axe))
    assert found == {}, "\n".join(f"{path}: {text}" for path, text in found.items())
