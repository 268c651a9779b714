"""Cited sources and the checked media as readers meet them, in Chromium at 375 and 1280 px,
light and dark; and the Nu checker and axe on every page kind of a site whose new fields
(citations, source ids, the media's path, alt, caption and credit) hold hostile values."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import horizontal_overflow, open_page, serving
from conftest import CONFIG, ScratchSite
from outside_tools import axe_script, axe_version
from PIL import Image
from test_accessibility import axe_violations, report
from test_validity import failures, vnu

HOSTILE = ('</script><script>alert(1)</script> <!-- "q" \'s\' &amp; \u2028 \U0001f600 '
           "\u05e2\u05d1\u05e8\u05d9\u05ea")
MEDIA_FILE = "images/it's(1)\"a\"<b>&\u00fc.png"
SOURCE_ID = "x:y.z-_"


def yaml_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028")


def picture() -> bytes:
    """A 640x400 picture, so the stamp has a photo to sit on."""
    image = Image.new("RGB", (640, 400), (120, 100, 70))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


FACTCHECK = f"""\
---
title: {yaml_text("T " + HOSTILE)}
claim: {yaml_text("C " + HOSTILE)}
claimant: {yaml_text("W " + HOSTILE)}
verdict: misleading
date: 2020-03-04
claim_date: 2020-03-01
claim_url: "https://example.com/speech"
summary: {yaml_text("S " + HOSTILE)}
media:
  src: {yaml_text("/" + MEDIA_FILE)}
  alt: {yaml_text("A " + HOSTILE)}
  caption: {yaml_text("K " + HOSTILE)}
  credit: {yaml_text("R " + HOSTILE)}
sources:
  - title: {yaml_text("First " + HOSTILE)}
    url: "https://example.com/a?b=<c>&d=\\"e\\""
    publisher: {yaml_text("P " + HOSTILE)}
  - title: {yaml_text("Second " + HOSTILE)}
    id: {yaml_text(SOURCE_ID)}
updates:
  - date: 2020-03-05
    note: {yaml_text("N " + HOSTILE)}
---
The first claim [@1]. The second [@{SOURCE_ID}; @1], again [@2].

Not citations: `[@"<b>"]`, \\[@1], [@1](https://example.com/x).

{"Filler to scroll. " * 200}

The analysis reads in English, as the page says it does: the figures in the claim were
checked against the published record, and each source below shows where a number comes
from. Where the record is silent, we say so, and we explain what would settle the question.
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> ScratchSite:
    site = ScratchSite(tmp_path_factory.mktemp("hostile") / "site")
    site.write("sitegen.toml", CONFIG)
    site.write("content/2020/a-claim.md", FACTCHECK)
    site.write("content/pages/about.md", f"---\ntitle: {yaml_text('About ' + HOSTILE)}\n---\n"
               "Mail [@desk].\n")
    site.write_bytes("static/" + MEDIA_FILE, picture())
    site.built()
    return site


@pytest.fixture(scope="module")
def hostile_url(hostile_site: ScratchSite) -> Iterator[str]:
    with serving(hostile_site.output) as url:
        yield url


def test_hostile_values_land_as_text(hostile_site: ScratchSite) -> None:
    page = hostile_site.html("2020/a-claim/")
    assert not page.select("script:not([type])"), "a value became a script"
    img = page.select_one(".checked-media img")
    assert img is not None and img["alt"].startswith("A </script><script>alert(1)</script>")
    assert img["src"] == "../../images/it%27s%281%29%22a%22%3Cb%3E&%C3%BC.png"
    links = [(a["href"], a["id"]) for a in page.select(".analysis .citation a")]
    assert links == [("#source-1", "cite-1-1"), ("#source-2", "cite-2-1"),
                     ("#source-1", "cite-1-2"), ("#source-2", "cite-2-2")]
    assert '[@"<b>"]' in page.select_one(".analysis").text


def test_nu_finds_nothing_on_any_page_kind_with_hostile_values(
        hostile_site: ScratchSite) -> None:
    assert failures(vnu(hostile_site.output), hostile_site.output) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["2020/a-claim/", "", "about/", "verdicts/misleading/"])
def test_axe_finds_nothing_with_hostile_values(browser: Any, hostile_url: str, path: str,
                                               scheme: str) -> None:
    axe = axe_script()
    page = open_page(browser, hostile_url + path, 375, scheme)
    violations = axe_violations(page, axe)
    page.close()
    assert violations == [], report(violations, axe_version(axe))


IN_VIEW = """s => { const r = document.querySelector(s).getBoundingClientRect();
                    return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; }"""


def scrolled_to(page: Any, selector: str) -> bool:
    """Waits for `selector` to be in view (the theme scrolls smoothly to a target; the wait
    is a bound, not a timing); False if it never is."""
    try:
        page.wait_for_function(IN_VIEW, arg=selector, timeout=10_000)
    except Exception:  # Playwright's TimeoutError
        return False
    return True


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_a_citation_goes_to_its_source_and_the_source_back(
        browser: Any, hostile_url: str, tmp_path: Path, width: int, scheme: str) -> None:
    page = open_page(browser, hostile_url + "2020/a-claim/", width, scheme)
    page.click("#cite-2-1")
    page.wait_for_function("location.hash === '#source-2'")
    assert scrolled_to(page, "#source-2")
    page.screenshot(path=str(tmp_path / f"source-{width}-{scheme}.png"))
    page.click("#source-2 a.source__backref[href='#cite-2-2']")
    page.wait_for_function("location.hash === '#cite-2-2'")
    assert scrolled_to(page, "#cite-2-2")
    page.screenshot(path=str(tmp_path / f"citation-{width}-{scheme}.png"))
    assert horizontal_overflow(page) == 0
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_checked_media_is_shown_with_the_verdict_on_it(
        browser: Any, hostile_url: str, tmp_path: Path, width: int, scheme: str) -> None:
    page = open_page(browser, hostile_url + "2020/a-claim/", width, scheme)
    page.locator(".checked-media").scroll_into_view_if_needed()
    shown = page.evaluate("""() => {
        const img = document.querySelector('.checked-media img');
        const stamp = document.querySelector('.checked-media__stamp .verdict');
        const i = img.getBoundingClientRect(), s = stamp.getBoundingClientRect();
        return {loaded: img.complete && img.naturalWidth === 640, alt: img.alt,
                imgWidth: i.width, viewport: innerWidth,
                on: s.left >= i.left && s.right <= i.right && s.top >= i.top
                    && s.bottom <= i.bottom,
                label: stamp.textContent.trim(),
                visible: getComputedStyle(stamp).visibility === 'visible' && s.width > 0};
    }""")
    page.screenshot(path=str(tmp_path / f"media-{width}-{scheme}.png"))
    assert shown["loaded"] and shown["alt"].startswith("A </script>")
    assert shown["on"] and shown["visible"] and shown["label"].lower() == "misleading"
    assert shown["imgWidth"] <= shown["viewport"]
    assert horizontal_overflow(page) == 0
    page.close()
