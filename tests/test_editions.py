# ruff: noqa: RUF001  (Russian and Hebrew text is the point of these tests)
"""Language editions: `[languages.CODE]` gives a site one edition per language, each with its
own home, listings, feeds, search, words and verdict labels, under its own URL prefix."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import ScratchSite
from corpus import TWO_EDITIONS

from sitegen import BuildOptions, Session, build

BASE = """\
[site]
title = "Checked"
base_url = "https://factcheck.test/"
language = "en"

[publisher]
name = "The Desk"

[languages.ru]
title = "Проверено"
description = "Проверки фактов."
"""

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def bilingual(site: ScratchSite, make_factcheck: Callable[..., str]) -> ScratchSite:
    """An English site with a Russian edition: one article translated, one only in Russian."""
    site.write("sitegen.toml", BASE)
    site.write("content/2021/bridge.md", make_factcheck(
        title='"The bridge"', claimant='"Ministry of Defence"', verdict="false",
        date="2021-06-01", tags="[transport]"))
    site.write("content/2021/most.md", make_factcheck(
        title='"Мост"', claimant='"Министерство обороны"', verdict="false",
        date="2021-06-02", tags="[транспорт]", lang="ru", translation_of="bridge",
        author='"Анна Петрова"', summary='"Мост короче."'))
    site.write("content/2021/dorogi.md", make_factcheck(
        title='"Дороги"', claimant='"Министерство обороны"', verdict="true",
        date="2021-06-03", lang="ru", summary='"Дороги новые."',
        updates='[{date: 2021-07-01, note: "Добавлен источник."}]'))
    site.write("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nUs.\n")
    site.write("content/pages/o-nas.md",
               "---\ntitle: О нас\nslug: o-nas\nmenu: 1\nlang: ru\n---\nМы.\n")
    return site


def links(page: BeautifulSoup, selector: str) -> list[str]:
    return [str(a["href"]) for a in page.select(selector)]


def test_each_edition_lists_only_its_own_fact_checks(bilingual: ScratchSite) -> None:
    bilingual.built()
    home, ru_home = bilingual.html(""), bilingual.html("ru/")
    assert [h.get_text(strip=True) for h in home.select(".card__title")] == [
        "The bridge", "A claim checked"]
    assert [h.get_text(strip=True) for h in ru_home.select(".card__title")] == ["Дороги", "Мост"]
    assert (bilingual.output / "ru/2021/most/index.html").is_file()
    assert not (bilingual.output / "2021/most").exists()
    ru_false = bilingual.html("ru/verdicts/false/")
    assert [h.get_text(strip=True) for h in ru_false.select(".card__title")] == ["Мост"]


def test_an_edition_speaks_its_language_and_links_within_itself(bilingual: ScratchSite) -> None:
    bilingual.built()
    page = bilingual.html("ru/2021/most/")
    assert page.html["lang"] == "ru"
    assert page.html["dir"] == "ltr"
    assert page.select_one(".site-title").get_text() == "Проверено"
    assert page.title.get_text().endswith("Проверено")
    # The default scale comes with Russian words; the badge says them.
    assert page.select_one(".verdict__label").get_text() == "Ложь"
    nav = {a.get_text(): a["href"] for a in page.select(".site-nav a")}
    assert nav == {"Проверки": "../../", "Вердикты": "../../verdicts/",
                   "Авторы заявлений": "../../claimants/", "Темы": "../../tags/",
                   "Поиск": "../../search/", "О нас": "../../o-nas/"}
    footer = links(page, ".site-footer a")
    assert "../../methodology/" in footer and "../../corrections/" in footer
    # Claimant and author pages of the edition, their slugs in Latin letters.
    assert links(page, "a.claimant") == ["../../claimants/ministerstvo-oborony/"]
    assert (bilingual.output / "ru/authors/anna-petrova/index.html").is_file()
    claimant = bilingual.html("ru/claimants/ministerstvo-oborony/")
    assert len(claimant.select(".card")) == 2
    english = bilingual.html("2021/bridge/")
    assert english.html["lang"] == "en"
    assert [a.get_text() for a in english.select(".site-nav a")][-1] == "About"


def test_the_language_switcher_leads_to_the_translation_or_the_home(
        bilingual: ScratchSite) -> None:
    bilingual.built()
    switcher = bilingual.html("ru/2021/most/").select(".editions a")
    assert [(a["hreflang"], a["lang"], a.get_text(), a["href"]) for a in switcher] == [
        ("en", "en", "English", "../../../2021/bridge/"), ("ru", "ru", "Русский", "./")]
    assert switcher[1]["aria-current"] == "true"
    untranslated = bilingual.html("ru/2021/dorogi/").select(".editions a")
    assert untranslated[0]["href"] == "../../../"
    alternates = {link["hreflang"]: link["href"] for link in
                  bilingual.html("").select('link[rel="alternate"][hreflang]')}
    assert alternates == {"en": "https://factcheck.test/", "ru": "https://factcheck.test/ru/"}
    english = bilingual.html("2021/bridge/")
    assert {a["hreflang"]: a["href"] for a in english.select('link[rel="alternate"][hreflang]')
            } == {"en": "https://factcheck.test/2021/bridge/",
                  "ru": "https://factcheck.test/ru/2021/most/"}


def test_each_edition_has_its_own_feeds_and_corrections(bilingual: ScratchSite) -> None:
    bilingual.built()
    ru = feedparser.parse((bilingual.output / "ru/atom.xml").read_bytes())
    assert ru.bozo == 0
    assert ru.feed.title == "Проверено"
    assert ru.feed.get("language") == "ru"
    assert [e.link for e in ru.entries] == ["https://factcheck.test/ru/2021/dorogi/",
                                            "https://factcheck.test/ru/2021/most/"]
    en = feedparser.parse((bilingual.output / "atom.xml").read_bytes())
    assert all("/ru/" not in e.link for e in en.entries)
    rss = feedparser.parse((bilingual.output / "ru/rss.xml").read_bytes())
    assert rss.feed.language == "ru" and len(rss.entries) == 2
    log = bilingual.html("ru/corrections/")
    assert [a["href"] for a in log.select("main a[href*='2021']")] == [
        "../2021/dorogi/#update-2021-07-01"]
    assert bilingual.html("corrections/").select("main a[href*='dorogi']") == []
    corrections = feedparser.parse((bilingual.output / "ru/corrections/atom.xml").read_bytes())
    assert [e.link for e in corrections.entries] == [
        "https://factcheck.test/ru/2021/dorogi/#update-2021-07-01"]


def test_machines_get_every_language_version(bilingual: ScratchSite) -> None:
    bilingual.built()
    root = ET.fromstring((bilingual.output / "sitemap.xml").read_bytes())
    alternates = {
        url.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href")
                                         for link in url.findall(f"{XHTML}link")}
        for url in root.findall(f"{SITEMAP}url")}
    pair = {"en": "https://factcheck.test/2021/bridge/", "ru": "https://factcheck.test/ru/2021/most/"}
    assert alternates["https://factcheck.test/2021/bridge/"] == pair
    assert alternates["https://factcheck.test/ru/2021/most/"] == pair
    assert alternates["https://factcheck.test/ru/"] == {"en": "https://factcheck.test/",
                                                      "ru": "https://factcheck.test/ru/"}
    assert alternates["https://factcheck.test/ru/2021/dorogi/"] == {}
    claims = json.loads((bilingual.output / "claims.json").read_text(encoding="utf-8"))
    reviews = {e["item"][0]["url"]: e["item"][0] for e in claims["dataFeedElement"]}
    russian = reviews["https://factcheck.test/ru/2021/most/"]
    assert russian["inLanguage"] == "ru"
    assert russian["reviewRating"]["alternateName"] == "Ложь"
    assert reviews["https://factcheck.test/2021/bridge/"]["reviewRating"]["alternateName"] == \
        "False"
    script = bilingual.html("ru/2021/most/").select_one('script[type="application/ld+json"]')
    assert json.loads(script.string)["reviewRating"]["alternateName"] == "Ложь"


def test_edition_settings_and_verdict_words(site: ScratchSite,
                                            make_factcheck: Callable[..., str]) -> None:
    site.write("sitegen.toml", TWO_EDITIONS + '[languages.he.messages]\nnav_search = "חיפוש"\n')
    site.write("content/2020/a-claim.md", make_factcheck(verdict="wrong"))
    site.write("content/2021/he.md", make_factcheck(
        title='"בדיקה"', slug="bdika", verdict="wrong", lang="he", claimant='"שר האוצר"'))
    result = site.built()
    warnings = [m for m in site.messages(result) if "languages.he" in m]
    assert any("1 verdict labels are shown in the main language in 'he'" in m
               for m in warnings), warnings
    page = site.html("ivrit/2020/bdika/")
    assert page.html["lang"] == "he" and page.html["dir"] == "rtl"
    assert page.select_one(".verdict__label").get_text() == "שגוי"
    assert page.select_one(".site-nav a[href$='search/']").get_text() == "חיפוש"
    assert page.select_one('link[rel="canonical"]')["href"] == \
        "https://factcheck.test/news/ivrit/2020/bdika/"
    methodology = site.html("ivrit/verdicts/")
    labels = [s.get_text() for s in methodology.select(".verdict__label")]
    assert labels == ["שגוי", "Right"]


def test_mistakes_in_languages_are_all_reported_with_lines(site: ScratchSite) -> None:
    site.write("sitegen.toml", """\
        [site]
        title = "Checked"
        language = "en"

        [languages.ru]
        titel = "Проверено"

        [languages.en]
        title = "Again"

        [languages.xx]
        prefix = "tags"

        [languages.uk]
        prefix = "ru"
        [languages.uk.verdicts.flase]
        label = "Неправда"
        """)
    result = site.check()
    assert site.errors(result) == [
        "sitegen.toml:6: languages.ru.titel: unknown setting (did you mean 'title'? allowed: "
        "title, description, name, direction, prefix, verdicts, messages)",
        "sitegen.toml:8: languages.en: 'en' is the main language ([site] language) (the main "
        "edition is set up under [site]; [languages] adds the others)",
        "sitegen.toml:12: languages.xx.prefix: 'tags' is a folder of the main edition; choose "
        "another, such as the language code",
        "sitegen.toml:11: languages.xx: 'name' is required: sitegen does not know what 'xx' "
        "calls itself (such as name = \"Kiswahili\", as readers of it write it)",
        "sitegen.toml:16: languages.uk.verdicts.flase: 'flase' is not a verdict of the scale "
        "(did you mean 'false'?)",
        "sitegen.toml:15: languages.uk.prefix: /ru/ is already the folder of 'ru' (give each "
        "edition its own prefix)",
    ]


def test_a_document_in_a_language_without_an_edition_is_an_error(
        bilingual: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    bilingual.write("content/2021/de.md", make_factcheck(lang="rus", slug="de"))
    result = bilingual.build()
    assert bilingual.errors(result) == [
        "content/2021/de.md:7: lang: 'rus' is not a language of this site's editions (en, ru) "
        "(did you mean 'ru'? or add [languages.rus] to sitegen.toml)"]
    # A regional code goes to the edition of its language.
    bilingual.write("content/2021/de.md", make_factcheck(lang="ru-RU", slug="de"))
    bilingual.built()
    assert (bilingual.output / "ru/2020/de/index.html").is_file()


def test_one_language_sites_keep_lang_as_a_mark_only(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Without [languages], `lang` marks a page's language and places nothing."""
    site.write("content/2021/fr.md", make_factcheck(lang="fr", slug="fr"))
    site.built()
    page = site.html("2020/fr/")
    assert page.html["lang"] == "fr"
    assert page.select(".editions") == []
    assert not (site.output / "fr").exists()


def test_an_edit_in_an_edition_matches_a_full_build(
        bilingual: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    session = Session(bilingual.root, bilingual.output, search=False)
    assert session.full().ok
    for change in ({"verdict": "true"}, {"claimant": '"Минфин"'}, {"lang": "en"}):
        fields = {"title": '"Дороги"', "claimant": '"Министерство обороны"',
                  "verdict": "true", "date": "2021-06-03", "lang": "ru",
                  "summary": '"Дороги новые."'} | change
        path = bilingual.write("content/2021/dorogi.md", make_factcheck(**fields))
        assert session.rebuild([path]).ok
        assert session.settle() == []
        clean = tmp_path / f"clean-{len(change)}-{next(iter(change.values()))}"
        assert build(bilingual.root, BuildOptions(output=clean)).ok
        assert tree(bilingual.output) == tree(clean), change


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}


def test_a_translation_may_keep_its_originals_slug(
        bilingual: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """/2021/bridge/ and /ru/2021/bridge/: `translation_of: bridge` means the original."""
    bilingual.write("content/2021/most.md", make_factcheck(
        title='"Мост"', slug="bridge", claimant='"Министерство обороны"', verdict="false",
        date="2021-06-02", lang="ru", translation_of="bridge"))
    bilingual.built()
    russian = bilingual.html("ru/2021/bridge/")
    assert [a["href"] for a in russian.select(".translations a")] == ["../../../2021/bridge/"]
    english = bilingual.html("2021/bridge/")
    assert [a["href"] for a in english.select(".translations a")] == ["../../ru/2021/bridge/"]


def test_new_starts_an_article_in_an_edition(
        bilingual: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen new --lang ru`: the file says `lang: ru`, is named by Russian transliteration,
    and is previewed in the Russian edition."""
    from sitegen.cli import main

    args = ["new", "Пенсии выросли вдвое", "--claimant", "Минтруд", "--site",
            str(bilingual.root)]
    assert main([*args, "--lang", "rus"]) == 2
    assert "did you mean 'ru'? allowed: en, ru" in capsys.readouterr().err
    assert main([*args, "--lang", "ru"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.name == "pensii-vyrosli-vdvoye.md"
    text = path.read_text(encoding="utf-8")
    assert "\nlang: ru\n" in text
    assert 'title: "Пенсии выросли вдвое"' in text
    bilingual.built(drafts=True)
    page = bilingual.html(f"ru/{path.parent.name}/pensii-vyrosli-vdvoye/")
    assert page.html["lang"] == "ru"
    assert page.select_one(".claim").get_text(strip=True) == "Пенсии выросли вдвое"


def test_views_of_views_are_the_editions_own(bilingual: ScratchSite) -> None:
    """A template may ask any view for another edition's: it gets that edition's words."""
    from sitegen import load

    site = load(bilingual.root).site
    assert site is not None
    main, russian = site.editions
    ru = site.view(russian)
    assert ru.config.site.title == "Проверено"
    assert ru.verdict("false").label == "Ложь"
    back = ru.view(main)
    assert back.config.site.title == "Checked" and back.prefix == ""
    assert back.verdict("false").label == "False"
    assert back.config.messages.text("nav_search") == "Search"
    assert ru.view(russian) is ru


def test_each_edition_has_a_not_found_page_in_its_language(bilingual: ScratchSite) -> None:
    """/ru/404.html is served at any missing address under /ru/: its links start at the
    site's root path, not at its own folder."""
    bilingual.write("sitegen.toml", BASE.replace('base_url = "https://factcheck.test/"',
                                                 'base_url = "https://factcheck.test/news/"'))
    bilingual.built()
    page = bilingual.html("ru/404.html")
    assert page.html["lang"] == "ru"
    assert page.select_one("h1").get_text() == "Страница не найдена"
    assert [a["href"] for a in page.select("main a")] == ["/news/ru/", "/news/ru/claimants/"]
    assert page.select_one(".site-title")["href"] == "/news/ru/"
    assert page.select('link[rel="canonical"]') == []
    main = bilingual.html("404.html")
    assert [a["href"] for a in main.select("main a")] == ["/news/", "/news/claimants/"]
