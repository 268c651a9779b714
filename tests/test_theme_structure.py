"""What assistive technology relies on, in the HTML of every page the theme writes: a skip
link to the main landmark, the landmarks, one h1, headings in order, the page's language and
the language of passages in another one, and links whose text makes sense on its own.

Checked on parsed HTML (every page of the example site, and scratch sites for languages); the
browser tests check the same pages as they are drawn, axe-core as a screen reader meets them.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ScratchSite

GENERIC_LINK_TEXT = {"here", "click here", "read more", "more", "link", "this", "continue"}


def example_pages(output: Path) -> list[tuple[str, BeautifulSoup]]:
    """Every HTML page of a built site (Pagefind's bundle aside), parsed, by relative path."""
    pages = []
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        if not rel.startswith("pagefind/"):
            pages.append((rel, BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")))
    return pages


def heading_levels(soup: BeautifulSoup) -> list[int]:
    return [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def test_every_page_has_landmarks_skip_link_and_one_h1(example_output: Path) -> None:
    """Skip link first, pointing at <main>; banner, main, navigation and footer; one h1; the
    headings never skip a level; the page says its language."""
    for rel, soup in example_pages(example_output):
        html = soup.find("html")
        assert isinstance(html, Tag) and html.get("lang"), rel
        focusable = soup.body.find(["a", "button", "input"]) if soup.body else None
        assert isinstance(focusable, Tag) and "skip-link" in focusable.get("class", []), rel
        target = str(focusable["href"]).removeprefix("#")
        main = soup.find("main")
        assert isinstance(main, Tag) and main.get("id") == target, rel
        assert len(soup.find_all("main")) == 1, rel
        header, footer = soup.body.find("header", recursive=False), soup.find("footer")
        assert header is not None and footer is not None, rel
        assert soup.select("header nav[aria-label]"), rel
        levels = heading_levels(soup)
        assert levels.count(1) == 1 and levels[0] == 1, (rel, levels)
        skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert skips == [], (rel, levels)


def test_reading_needs_no_javascript(example_output: Path) -> None:
    """Only the search page runs scripts; elsewhere the only script is JSON-LD data."""
    for rel, soup in example_pages(example_output):
        scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
        if rel == "search/index.html":
            assert scripts, "the search page starts Pagefind"
        else:
            assert scripts == [], rel
        # the one picture: the checked media a writer gives (`media:`), never the theme's
        assert soup.select("img:not(.checked-media__image), picture, iframe, "
                           "link[rel=preload], [style*=url]") == [], rel


def link_text(link: Tag) -> str:
    """What a screen reader announces for a link: its aria-label, or its whole text."""
    label = link.get("aria-label")
    return str(label) if label else " ".join(link.get_text(" ").split())


def test_link_text_makes_sense_alone(example_output: Path) -> None:
    """No 'click here' links; and on any page, one link text never leads to two pages, so a
    list of the page's links (as screen readers offer) is unambiguous."""
    for rel, soup in example_pages(example_output):
        targets: dict[str, set[str]] = defaultdict(set)
        for link in soup.select("a[href]"):
            text = link_text(link)
            assert text, (rel, str(link)[:120])
            assert text.lower() not in GENERIC_LINK_TEXT, (rel, text)
            targets[text.lower()].add(str(link["href"]).split("#")[0])  # a page is one place
        ambiguous = {text: hrefs for text, hrefs in targets.items() if len(hrefs) > 1}
        assert ambiguous == {}, rel


def test_pager_links_say_where_they_lead(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """'Newer' alone means nothing in a screen reader's list of links; the pager says what."""
    site.write("sitegen.toml", site.root.joinpath("sitegen.toml").read_text(encoding="utf-8")
               + "\n[build]\npage_size = 1\n")
    for n in (2, 3):
        site.write(f"content/2020/claim-{n}.md", make_factcheck(date=f"2020-03-0{n + 4}"))
    site.built()
    middle = site.html("page/2/")
    assert [link_text(a) for a in middle.select(".pager a")] == [
        "Newer fact-checks", "Older fact-checks"]
    assert middle.select_one(".pager")["aria-label"] == "Pages"


def write_translated(site: ScratchSite, make_factcheck: Callable[..., str], lang: str) -> None:
    site.write(f"content/2020/a-claim-{lang}.md", make_factcheck(
        title='"Проверка"', claim='"Река длиной 100 км."', lang=lang, translation_of="a-claim",
        date="2020-03-05", body="Текст."))


def lang_of(tag: Tag) -> str | None:
    """The language in force at a tag: its own lang, or its nearest ancestor's."""
    for node in [tag, *tag.parents]:
        if isinstance(node, Tag) and node.get("lang"):
            return str(node["lang"])
    return None


def test_page_in_another_language_marks_the_themes_words(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A fact-check in Russian on an English site: the page is Russian, the writer's text
    inherits that, and the theme's own words (navigation, labels, verdict) say they are English."""
    write_translated(site, make_factcheck, "ru")
    site.built()
    page = site.html("2020/a-claim-ru/")
    assert page.find("html")["lang"] == "ru"
    for selector in ("h1", ".claim", ".analysis", ".summary p"):
        assert lang_of(page.select_one(selector)) == "ru", selector
    for selector in (".skip-link", ".site-nav", ".site-footer", ".kicker", ".byline",
                     "#claim-box-title", ".claim-box__label", ".claim-box__verdict .verdict",
                     ".verdict-meaning", "#summary-title", ".claim-box__who"):
        assert lang_of(page.select_one(selector)) == "en", selector
    original = site.html("2020/a-claim/")
    marked = original.select("[lang]")
    assert marked[0].name == "html" and marked[0]["lang"] == "en"
    assert {t["lang"] for t in marked[1:]} == {"ru"}  # the translation's link and related card


def test_listing_marks_cards_in_another_language(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """On an English listing, a Russian fact-check's title and claim carry lang="ru"; the
    English card and the badges carry nothing."""
    write_translated(site, make_factcheck, "ru")
    site.built()
    home = site.html("")
    russian, english = home.select(".card")
    assert lang_of(russian.select_one(".card__title a")) == "ru"
    assert lang_of(russian.select_one("q")) == "ru"
    assert lang_of(russian.select_one(".verdict")) == "en"
    assert english.select("[lang]") == []


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_theme_words_keep_their_direction(
    site: ScratchSite, make_factcheck: Callable[..., str], lang: str, direction: str
) -> None:
    """An Arabic fact-check is right to left, and the English navigation inside it left to
    right, each said with dir next to lang."""
    write_translated(site, make_factcheck, lang)
    site.built()
    page = site.html(f"2020/a-claim-{lang}/")
    assert page.find("html")["dir"] == direction
    header = page.select_one(".site-header")
    assert (header["lang"], header["dir"]) == ("en", "ltr")
