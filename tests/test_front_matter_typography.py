# ruff: noqa: RUF001  (Russian quotation marks and text are the point of these tests)
"""Typographic quotes in the texts the front matter supplies, in the marks of the document's
language, wherever the text lands: the page, ClaimReview, feeds and the claims exports (which
carry the published text, as ClaimReview does)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import feedparser
from conftest import ScratchSite

FC = "content/2020/a-claim.md"


def claim_review(site: ScratchSite, rel: str) -> dict[str, Any]:
    script = site.html(rel).select_one('script[type="application/ld+json"]')
    assert script is not None
    data: dict[str, Any] = json.loads(script.string or "")
    return data


def test_front_matter_texts_get_typographic_quotes_everywhere_they_land(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write(FC, make_factcheck(
        title="'\"Crime\" rose -- 50%... said O''Brien'",
        claim="'The \"river\" isn''t long'",
        claimant="\"Jane O'Brien\"",
        summary="'It''s \"80 km\" -- not 100.'",
        sources="[{title: '\"Rivers\" of 2020', publisher: \"Map's Office\"}]",
        updates="[{date: 2020-03-05, note: 'Fixed a \"typo\".'}]"))
    site.built()
    page = site.html("2020/a-claim/")
    title = "\u201cCrime\u201d rose \u2013 50%\u2026 said O\u2019Brien"
    claim = "The \u201criver\u201d isn\u2019t long"
    h1 = page.select_one("h1")
    assert h1 is not None and h1.text == title
    assert page.select_one(".claim").text.strip() == claim
    assert page.select_one(".summary p").text == "It\u2019s \u201c80 km\u201d \u2013 not 100."
    assert page.select_one("#source-1").text.split(",")[0].strip() == "\u201cRivers\u201d of 2020"
    assert "Map\u2019s Office" in page.select_one("#source-1").text
    assert "Fixed a \u201ctypo\u201d." in page.select_one(".updates__list").text
    # a name is a page whose URL is made from it: kept as typed
    assert page.select_one(".claimant").text == "Jane O'Brien"
    review = claim_review(site, "2020/a-claim/")
    assert review["claimReviewed"] == claim
    feed = feedparser.parse(site.output.joinpath("atom.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].title == title
    exported = json.loads(site.output.joinpath("claims.json").read_text(encoding="utf-8"))
    assert claim in json.dumps(exported, ensure_ascii=False)
    rows = list(csv.DictReader(io.StringIO(
        site.output.joinpath("claims.csv").read_text(encoding="utf-8"))))
    assert claim in rows[0].values()


def test_a_russian_document_gets_russian_quotes_in_front_matter_and_body(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """One body in two languages: the Markdown cache keeps each language's conversion."""
    body = 'Он сказал: "это "правда"", а не \'слух\'.'
    site.write(FC, make_factcheck(body, lang="ru", title='\'"Газпром" -- в цифрах\''))
    site.write("content/2020/b-claim.md", make_factcheck(body, title="'\"Gazprom\" in figures'"))
    site.built()
    ru = site.html("2020/a-claim/")
    assert ru.select_one("h1").text == "\u00abГазпром\u00bb \u2013 в цифрах"
    assert "Он сказал: \u00abэто \u201eправда\u201c\u00bb, а не \u201eслух\u201c." in \
        ru.select_one(".analysis").text
    en = site.html("2020/b-claim/")
    assert en.select_one("h1").text == "\u201cGazprom\u201d in figures"
    assert "Он сказал: \u201cэто \u201cправда\u201d\u201d, а не \u2018слух\u2019." in \
        en.select_one(".analysis").text
    # and again from the caches
    site.built()
    assert "\u00abэто" in site.html("2020/a-claim/").select_one(".analysis").text
    assert "\u201cэто" in site.html("2020/b-claim/").select_one(".analysis").text
