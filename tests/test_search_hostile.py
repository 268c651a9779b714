"""Writers' text on the search page, in real Chromium: every field the index holds (title,
claim, claimant, topics, verdict label, summary, update notes, body) carries markup that
would run script if it were inserted as HTML. Typing queries and ticking every filter, the
page shows each as the writer wrote it, as text: no dialog opens, no element of theirs
exists, and an `&amp;` they typed reads `&amp;`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import (
    FILTER_BLOCK,
    FILTER_LABEL,
    RESULT_EXCERPT,
    RESULT_LINK,
    SEARCH_INPUT,
    SEARCH_WAIT_MS,
    open_page,
    serving,
)
from conftest import CONFIG, ROOT, ScratchSite
from outside_tools import axe_script, axe_version
from test_accessibility import report
from test_validity import failures, vnu

from sitegen.markup.typography import smarten_text


def hostile(field: str) -> str:
    """Markup that opens a dialog naming `field` if a browser ever parses it as HTML."""
    return f"<img src=x data-hostile onerror=alert('{field}')>"


TITLE = f"Quokkatitle {hostile('title')} Tom &amp; Jerry <b>bold</b>"
VERDICT_LABEL = f"Nonsense {hostile('verdict')}"
FIELDS = {
    "claim": f"Quokkaclaim {hostile('claim')} said",
    "claimant": f"Quokkaclaimant {hostile('claimant')}",
    "summary": f"Quokkasummary {hostile('summary')} ends",
    "topic": f"Quokkatopic {hostile('topic')}",
    "note": f"Quokkanote {hostile('note')} noted",
}
TYPESET = ("claim", "summary", "note")
"""The fields given typographic quotes (content/typeset.py); names are shown as typed."""


def published(text: str) -> str:
    """A front-matter text as the page shows it: `alert('x')` has curly quotes."""
    return smarten_text(text, "en")


BODY_TEXT = f"Quokkabody {hostile('body')} &amp; more"
"""The body as a reader sees it: written in the source as inline code, so that even with raw
HTML removed (allow_raw_html = false) the page's text is the markup itself."""

HOSTILE_CONFIG = CONFIG + f"""
[build]
allow_raw_html = false

[[verdicts]]
id = "nonsense"
label = "{VERDICT_LABEL}"
description = "Made up."
color = "#b3261e"
rating = 1

[[verdicts]]
id = "sound"
label = "Sound"
description = "Checks out."
color = "#1b7a3a"
rating = 2
"""

HOSTILE_FACTCHECK = f"""\
---
title: "{TITLE}"
claim: "{FIELDS['claim']}"
claimant: "{FIELDS['claimant']}"
verdict: nonsense
date: 2020-03-04
claim_date: 2020-03-01
claim_url: "https://example.com/speech"
summary: "{FIELDS['summary']}"
tags: ["{FIELDS['topic']}"]
updates:
  - date: 2020-03-06
    note: "{FIELDS['note']}"
---
The analysis starts here.

`{BODY_TEXT}`
"""

BYSTANDER = """\
---
title: "Quokkas are not hostile"
claim: "Quokkas smile."
claimant: "Zoo keeper"
verdict: sound
date: 2020-03-05
claim_date: 2020-03-01
claim_url: "https://example.com/zoo"
summary: "They do."
tags: ["Animals"]
---
Quokkatitle quokkaclaim quokkasummary quokkabody quokkanote, all in one body.
"""
"""A second fact-check with every query word, so a filter narrows something."""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = ScratchSite(tmp_path_factory.mktemp("hostile") / "site")
    site.write("sitegen.toml", HOSTILE_CONFIG)
    site.write("content/2020/hostile.md", HOSTILE_FACTCHECK)
    site.write("content/2020/bystander.md", BYSTANDER)
    site.built()
    with serving(site.output) as url:
        yield url


def nothing_ran(page: Any, dialogs: list[str]) -> None:
    """No writer's element made it into the page, and no dialog opened."""
    injected = page.evaluate(
        "[...document.querySelectorAll('[data-hostile], #search b, #search img')]"
        ".map(e => e.outerHTML)")
    assert injected == [], injected
    assert dialogs == [], dialogs


def searched(page: Any, query: str) -> None:
    """`query` typed into an emptied box, and its results shown."""
    page.fill(SEARCH_INPUT, "", timeout=SEARCH_WAIT_MS)
    page.wait_for_function(f"!document.querySelector('{RESULT_EXCERPT}')",
                           timeout=SEARCH_WAIT_MS)
    page.fill(SEARCH_INPUT, query)
    page.wait_for_function(
        "([selector, word]) => [...document.querySelectorAll(selector)]"
        ".some(e => e.textContent.toLowerCase().includes(word))",
        arg=[RESULT_EXCERPT, query.lower()], timeout=SEARCH_WAIT_MS)


def excerpts(page: Any) -> list[str]:
    return [e.text_content() for e in page.query_selector_all(RESULT_EXCERPT)]


def test_search_shows_every_indexed_field_as_text(browser: Any, hostile_url: str) -> None:
    """A query for each field's word lists the article with its title, and an excerpt with
    that field's markup, as literal text; nothing a writer wrote runs or becomes an element."""
    page = open_page(browser, hostile_url + "search/", 1280)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    wanted = {"Quokkatitle": published(TITLE), "Quokkabody": BODY_TEXT,
              **{value.split()[0]: published(value) if name in TYPESET else value
                 for name, value in FIELDS.items()}}
    for word, literal in wanted.items():
        searched(page, word)
        nothing_ran(page, dialogs)
        assert any(literal in text for text in excerpts(page)), (word, excerpts(page))
        titles = [a.text_content() for a in page.query_selector_all(RESULT_LINK)]
        assert published(TITLE) in titles, titles
    nothing_ran(page, dialogs)
    page.close()


def test_filters_show_writers_values_as_text_and_filter(browser: Any, hostile_url: str) -> None:
    """The claimant, topic and verdict filters read exactly as written, and ticking each one
    narrows the results to the hostile article, with nothing run."""
    page = open_page(browser, hostile_url + "search/", 1280)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    searched(page, "Quokkatitle")
    page.wait_for_function(
        f"document.querySelectorAll('{RESULT_LINK}').length === 2", timeout=SEARCH_WAIT_MS)
    for block in page.locator(FILTER_BLOCK).all():
        block.locator("summary").click()
    labels = [text.strip() for text in page.locator(FILTER_LABEL).all_text_contents()]
    for literal in (FIELDS["claimant"], FIELDS["topic"], VERDICT_LABEL):
        assert f"{literal} (1)" in labels, labels
    nothing_ran(page, dialogs)
    for literal in (FIELDS["claimant"], FIELDS["topic"], VERDICT_LABEL):
        label = page.locator(FILTER_LABEL).filter(has_text=literal)
        label.locator("input").check()
        page.wait_for_function(
            f"document.querySelectorAll('{RESULT_LINK}').length === 1", timeout=SEARCH_WAIT_MS)
        assert [a.text_content() for a in page.query_selector_all(RESULT_LINK)] == [
            published(TITLE)]
        nothing_ran(page, dialogs)
        label.locator("input").uncheck()
        page.wait_for_function(
            f"document.querySelectorAll('{RESULT_LINK}').length === 2", timeout=SEARCH_WAIT_MS)
    page.close()


HTML_SINKS = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser",
              "createContextualFragment", "srcdoc")


def test_the_search_script_writes_no_html() -> None:
    """assets/search.js builds the page from text and elements only: none of the ways a
    script turns a string into HTML appears in it, so no later change brings one back
    unnoticed."""
    script = (ROOT / "sitegen/theme/static/assets/search.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines()
                     if not line.lstrip().startswith("//"))
    assert [sink for sink in HTML_SINKS if sink in code] == []


def drawn_search_page(browser: Any, url: str, scheme: str) -> Any:
    """The search page with writers' values everywhere search.js puts them: results for a
    query, every filter open, a value of each ticked by the address."""
    page = open_page(browser, url + "search/?q=Quokkatitle", 375, scheme)
    page.wait_for_function(
        f"document.querySelectorAll('{RESULT_LINK}').length === 2", timeout=SEARCH_WAIT_MS)
    for block in page.locator(FILTER_BLOCK).all():
        block.locator("summary").click()
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_drawn_search_page_with_hostile_values(
        browser: Any, hostile_url: str, scheme: str) -> None:
    page = drawn_search_page(browser, hostile_url, scheme)
    page.evaluate(axe_script())
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    page.close()
    assert violations == [], report(violations, axe_version(axe_script()))


def test_nu_finds_nothing_in_the_drawn_search_page_with_hostile_values(
        browser: Any, hostile_url: str, tmp_path: Path) -> None:
    """What search.js drew, serialized as the browser holds it, is valid HTML too."""
    page = drawn_search_page(browser, hostile_url, "light")
    markup = page.evaluate("'<!DOCTYPE html>\\n' + document.documentElement.outerHTML")
    page.close()
    (tmp_path / "search.html").write_text(markup, encoding="utf-8")
    assert failures(vnu(tmp_path), tmp_path) == []
