"""A page is indexed for the search page of the edition that publishes it: a fact-check in a
language the site has no edition for (`lang: ru` on an English site, a translation, or what
`sitegen new --lang ru` writes there) is found by the site's one search page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from browsing import RESULT_LINK, SEARCH_INPUT, SEARCH_WAIT_MS, open_page, serving
from conftest import ScratchSite
from search_bundles import manifest, page_counts

from sitegen.commands import new_factcheck

RUSSIAN = dict(title='"Водохранилище переполнено"', claim='"Водохранилище переполнено."',
               claimant='"Министерство"', lang="ru", body="Водохранилище заполнено на треть.")

PT_EDITION = """
[languages.pt]
title = "Verificado"
"""


def test_a_page_in_a_language_without_an_edition_is_in_the_main_index(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """On a one-language English site, a `lang: ru` fact-check is indexed with the English
    pages, the only index a search page loads, rather than in a Russian one none loads."""
    site.write("content/2020/ru.md", make_factcheck(**RUSSIAN))
    site.built()
    assert site.html("2020/ru/").select_one("html")["lang"] == "ru"  # the page says its language
    assert list(manifest(site.output)["languages"]) == ["en"]
    assert page_counts(site.output) == {"en": 2}


def test_a_regional_code_is_in_its_editions_index(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """`lang: pt-BR` goes to the `pt` edition, and is indexed with it, where the /pt/ search
    page looks, not under a `pt-br` of its own."""
    config = site.root / "sitegen.toml"
    config.write_text(config.read_text() + PT_EDITION)
    site.write("content/2020/pt.md", make_factcheck(title='"Represa cheia"', lang="pt"))
    site.write("content/2020/br.md", make_factcheck(title='"Represa vazia"', lang="pt-BR"))
    site.built()
    assert page_counts(site.output) == {"en": 1, "pt": 2}


def test_sitegen_new_in_another_language_is_found_by_the_sites_search(
        site: ScratchSite, browser: Any) -> None:
    """What `sitegen new --lang ru` writes on an English site builds, and typing a Russian
    word of it on /search/ lists it."""
    path = new_factcheck(site.root, "Водохранилище переполнено", "Министерство", None, None,
                         lang="ru")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    site.built()
    link = "/" + Path(path.relative_to(site.root / "content")).with_suffix("").as_posix() + "/"
    with serving(site.output) as url:
        page = open_page(browser, url + "search/", 1280)
        page.fill(SEARCH_INPUT, "Водохранилище", timeout=SEARCH_WAIT_MS)
        page.wait_for_selector(RESULT_LINK, timeout=SEARCH_WAIT_MS)
        found = page.eval_on_selector_all(RESULT_LINK, "links => links.map(a => a.pathname)")
        page.close()
    assert found == [link]
