# ruff: noqa: RUF001  (Russian text is the point of these tests)
"""A site with `language = "ru"`: every page kind speaks Russian, with Russian plural forms and
month names, and no word of the theme's English table is left on any page."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import quote

import feedparser
import pytest
from browsing import open_page, serving
from bs4 import BeautifulSoup, Tag
from conftest import ScratchSite
from outside_tools import axe_script, axe_version
from test_accessibility import axe_violations, report
from test_validity import failures, vnu

from sitegen.i18n import MESSAGES_PATH

CONFIG = """\
[site]
title = "Проверено"
base_url = "https://factcheck.test/"
language = "ru"
description = "Проверки фактов для тестов."

[publisher]
name = "Редакция проверок"
url = "https://factcheck.test/"

[build]
page_size = 10
"""

CLAIMANT_COUNTS = {"Дума": 1, "Минфин": 2, "Мэрия": 5, "Росстат": 11, "Губернатор": 21,
                   "Минздрав": 22, "Министерство обороны": 25}
"""Claimants by how many fact-checks quote them: every Russian plural form, twice over."""

FACTCHECK = """\
---
title: "Проверка номер {n}"
claim: "Заявление номер {n}."
claimant: "{claimant}"
verdict: {verdict}
date: {date}
claim_date: 2018-05-20
claim_url: "https://example.com/claim-{slug}"
summary: "Вывод номер {n}."
tags: [бюджет]
{extra}---
Текст проверки.
"""

DEIR = """\
author: ["Анна Петрова", "Иван Сидоров", "Олег Ким"]
claimant_url: "https://example.com/mo"
sources:
  - title: "Заявление ведомства"
    publisher: "Ведомство"
    url: "https://example.com/source"
    date: 2018-05-27
    archive_url: "https://web.archive.org/web/2018/https://example.com/source"
original_verdict: unclear
updates:
  - date: 2023-07-14
    note: "Появились новые данные."
    verdict: false
  - date: 2019-01-10
    note: "Исправлено название ведомства."
"""

CHANGED = """\
author: ["Анна Петрова"]
updates:
  - date: 2021-02-03
    note: "Вердикт пересмотрен."
    verdict: misleading
"""

VERDICTS = ["true", "likely-true", "partially-true", "misleading", "partially-false",
            "likely-false", "false", "unclear"]


def verdict_of(n: int) -> str:
    """Verdicts spread over the scale; the two articles with a verdict history fixed."""
    return {87: "false", 86: "misleading"}.get(n, VERDICTS[n % 8])


def write_site(site: ScratchSite) -> None:
    site.write("sitegen.toml", CONFIG)
    n = 0
    for claimant, count in CLAIMANT_COUNTS.items():
        for _ in range(count):
            n += 1
            extra = DEIR if n == 87 else CHANGED if n == 86 else ""
            date = "2018-05-28" if n == 87 else f"2019-{1 + n % 12:02d}-{1 + n % 28:02d}"
            site.write(f"content/{n}.md", FACTCHECK.format(
                n=n, slug=n, claimant=claimant, verdict=verdict_of(n), date=date, extra=extra))
    site.write("content/87-uk.md", FACTCHECK.format(
        n="87 (укр.)", slug="87-uk", claimant="Міністерство оборони", verdict="false",
        date="2018-05-29", extra="lang: uk\ntranslation_of: \"87\"\n"))
    site.write("content/pages/about.md", "---\ntitle: О нас\nupdated: 2024-03-01\nmenu: 1\n"
               "---\nМы проверяем факты.\n")
    site.write("content/drafts/wip.md", FACTCHECK.format(
        n="черновик", slug="draft", claimant="Дума", verdict="unclear", date="2024-01-01",
        extra="draft: true\n"))


@pytest.fixture(scope="module")
def ru(tmp_path_factory: pytest.TempPathFactory) -> ScratchSite:
    site = ScratchSite(tmp_path_factory.mktemp("ru") / "site")
    write_site(site)
    site.built()
    result = site.build(drafts=True, output=site.root / "drafts-output")
    assert result.ok, [p.format() for p in result.problems]
    return site


def pages(output: Path) -> list[tuple[str, BeautifulSoup]]:
    return [(path.relative_to(output).as_posix(),
             BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib"))
            for path in sorted(output.rglob("*.html"))
            if not path.relative_to(output).as_posix().startswith("pagefind/")]


def text(tag: Tag | None) -> str:
    assert tag is not None
    return " ".join(tag.get_text().split())


def english_words() -> set[str]:
    """Every word of the theme's English table that the Russian table does not also use
    (such as 'JavaScript' and 'Atom', which Russian writes the same way)."""

    def words(path: Path) -> set[str]:
        found: set[str] = set()

        def walk(value: object) -> None:
            if isinstance(value, str):
                found.update(w.lower() for w in re.findall(r"[A-Za-z]{2,}", value)
                             if not re.fullmatch(r"\{\w+\}", w))
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        table = tomllib.loads(path.read_text(encoding="utf-8"))
        table.pop("default_scale", None)
        for item in table.values():
            walk(_strip_placeholders(item))
        return found

    return words(MESSAGES_PATH / "en.toml") - words(MESSAGES_PATH / "ru.toml")


def _strip_placeholders(value: object) -> object:
    if isinstance(value, str):
        return re.sub(r"\{\w+\}", " ", value)
    if isinstance(value, dict):
        return {k: _strip_placeholders(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_placeholders(v) for v in value]
    return value


def readable_text(soup: BeautifulSoup) -> str:
    """What a reader sees or hears: the text of the page (scripts aside) and the attributes
    read out or shown (titles, labels, descriptions)."""
    for script in soup.find_all(["script", "style"]):
        script.decompose()
    parts = [soup.get_text(" ")]
    for tag in soup.find_all(True):
        for name in ("aria-label", "title", "alt", "placeholder"):
            if tag.get(name):
                parts.append(str(tag[name]))
        kind = str(tag.get("name") or tag.get("property") or "")
        if tag.name == "meta" and kind.endswith(("title", "description", "site_name")):
            parts.append(str(tag["content"]))
    return " ".join(parts)


def test_no_english_interface_word_on_any_russian_page(ru: ScratchSite) -> None:
    """Every page of the site, drafts build included, scanned for every word of the English
    table: none is left."""
    vocabulary = english_words()
    assert {"fact", "checks", "sources", "claim", "verdict", "page", "of"} <= vocabulary
    scanned = 0
    for output in (ru.output, ru.root / "drafts-output"):
        for rel, soup in pages(output):
            found = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", readable_text(soup))}
            assert found & vocabulary == set(), rel
            scanned += 1
    assert scanned > 60


def test_every_page_says_it_is_in_russian(ru: ScratchSite) -> None:
    for rel, soup in pages(ru.output):
        html = soup.find("html")
        assert isinstance(html, Tag) and html.get("lang") in ("ru", "uk"), rel


def test_counts_take_every_russian_plural_form(ru: ScratchSite) -> None:
    counts = {text(li.select_one("bdi")): text(li.select_one(".term__count"))
              for li in ru.html("claimants/").select(".term")}
    assert counts == {
        "Дума": "1 проверка", "Минфин": "2 проверки", "Мэрия": "5 проверок",
        "Росстат": "11 проверок", "Губернатор": "21 проверка", "Минздрав": "22 проверки",
        "Министерство обороны": "25 проверок", "Міністерство оборони": "1 проверка",
    }


def test_a_fact_check_page_speaks_russian(ru: ScratchSite) -> None:
    page = ru.html("2018/87/")
    assert text(page.select_one(".kicker")) == "Проверка фактов"
    assert text(page.select_one("#claim-box-title")) == "Заявление и наш вердикт"
    labels = [text(p) for p in page.select(".claim-box__label")]
    assert labels == ["Заявление", "Наш вердикт"]
    assert text(page.select_one(".verdict__label")) == "Ложь"
    assert text(page.select_one(".verdict-meaning")) == \
        "Заявление не соответствует действительности."
    assert text(page.select_one(".verdict-history")) == \
        "До 14 июля 2023 вердикт был «Неясно»; см. обновления ниже."
    byline = text(page.select_one(".byline"))
    assert byline == ("Авторы: Анна Петрова, Иван Сидоров и Олег Ким · Опубликовано "
                      "28 мая 2018 · Обновлено 14 июля 2023")
    assert text(page.select_one(".claim-box__who")) == \
        "Министерство обороны, 20 мая 2018 · Где прозвучало заявление"
    assert [text(h) for h in page.select("h2[id]")] == [
        "Заявление и наш вердикт", "Наш вывод", "Обновления и исправления", "Источники",
        "Темы", "Похожие проверки"]
    updates = [text(li) for li in page.select(".updates__list li")]
    assert updates[0] == ("14 июля 2023: вердикт изменён с «Неясно» на Ложь. "
                          "Появились новые данные.")
    assert updates[1] == "10 января 2019: Исправлено название ведомства."
    source = text(page.select_one(".sources__list li"))
    assert source == ("Заявление ведомства, Ведомство, 27 мая 2018 (архивная копия "
                      "материала «Заявление ведомства»)")
    assert text(page.select_one(".translations")).startswith("На других языках:")
    assert page.select_one("title").get_text() == "Проверка номер 87 · Проверено"
    description = page.select_one('meta[name="description"]')["content"]
    assert description == ("Ложь. Министерство обороны: «Заявление номер 87.» "
                           "Вывод номер 87.")


def test_one_author_and_a_change_without_the_original_verdict(ru: ScratchSite) -> None:
    page = ru.html("2019/86/")
    assert text(page.select_one(".byline")).startswith("Автор: Анна Петрова · Опубликовано")
    assert text(page.select_one(".verdict-history")) == \
        "Вердикт изменён 3 февраля 2021; см. обновления ниже."
    assert text(page.select_one(".updates__list li")).startswith(
        "3 февраля 2021: вердикт изменён на Вводит в заблуждение.")


def test_a_translation_keeps_the_sites_interface_language(ru: ScratchSite) -> None:
    """A Ukrainian article on a Russian site: its text is marked uk, the theme's words ru."""
    page = ru.html("2018/87-uk/")
    assert page.find("html")["lang"] == "uk"
    kicker = page.select_one(".kicker")
    assert kicker["lang"] == "ru" and text(kicker) == "Проверка фактов"
    assert text(page.select_one(".byline")).startswith("Опубликовано 29 мая 2018")


def test_listings_indexes_and_the_pager_speak_russian(ru: ScratchSite) -> None:
    home = ru.html("")
    assert text(home.select_one("h1")) == "Последние проверки"
    assert text(home.select_one(".pager__status")) == "Страница 1 из 9"
    assert [text(a) for a in home.select(".pager a")] == ["Более старые проверки"]
    assert home.select_one(".pager")["aria-label"] == "Страницы"
    assert [text(a) for a in home.select(".site-nav a")] == [
        "Проверки", "Вердикты", "Авторы заявлений", "Темы", "Поиск", "О нас"]
    assert text(home.select_one(".skip-link")) == "Перейти к содержанию"
    second = ru.html("page/2/")
    assert second.select_one("title").get_text() == \
        "Последние проверки (страница 2) · Проверено"
    verdict = ru.html("verdicts/false/")
    assert text(verdict.select_one("h1")) == "Вердикт: Ложь"
    claimant = ru.html("claimants/ministerstvo-oborony/")
    assert text(claimant.select_one("h1")) == "Заявления: Министерство обороны"
    assert text(claimant.select_one(".scorecard h2")) == \
        "Как мы оценили заявления: Министерство обороны"
    assert [text(th) for th in claimant.select(".scorecard__table thead th")] == [
        "Вердикт", "Проверки", "Доля"]
    assert "Ложь" in [text(th) for th in claimant.select(".scorecard__table tbody th")]
    assert [text(cell) for cell in claimant.select(".scorecard__table tfoot th, "
                                                   ".scorecard__table tfoot td")] == [
        "Всего", "25", "100 %"]
    assert text(ru.html("tags/").select_one("h1")) == "Темы"
    assert text(ru.html("authors/").select_one("h1")) == "Авторы проверок"
    assert text(ru.html("authors/anna-petrova/").select_one("h1")) == \
        "Проверки автора: Анна Петрова"
    claimants = ru.html("claimants/by-count.html")
    assert [text(a) for a in claimants.select(".sort a")] == [
        "По алфавиту", "Больше всего проверок"]
    verdicts = ru.html("verdicts/")
    assert text(verdicts.select_one("h1")) == "Проверки по вердиктам"
    expected = [sum(1 for n in range(1, 88) if verdict_of(n) == v) for v in VERDICTS]
    expected[VERDICTS.index("false")] += 1  # the Ukrainian translation
    assert expected == [10, 11, 11, 12, 11, 11, 12, 10]
    assert [text(s) for s in verdicts.select(".term__count")] == [
        "10 проверок", "11 проверок", "11 проверок", "12 проверок", "11 проверок",
        "11 проверок", "12 проверок", "10 проверок"]


def test_the_other_pages_speak_russian(ru: ScratchSite) -> None:
    methodology = ru.html("methodology/")
    assert text(methodology.select_one("h1")) == "Как мы оцениваем заявления"
    assert text(methodology.select_one(".scale a")) == "Проверки с вердиктом «Правда»"
    corrections = ru.html("corrections/")
    assert text(corrections.select_one("h1")) == "Исправления и обновления"
    changes = [text(p) for p in corrections.select(".correction__change")]
    assert "Был «Неясно», стал Ложь" in changes
    assert "Теперь Вводит в заблуждение" in changes
    not_found = BeautifulSoup((ru.output / "404.html").read_text("utf-8"), "html5lib")
    assert text(not_found.select_one("h1")) == "Страница не найдена"
    search = ru.html("search/")
    assert text(search.select_one(".search__fallback")) == (
        "Для поиска нужен JavaScript. Проверки можно также просматривать по вердиктам, "
        "по авторам заявлений или по темам.")
    about = ru.html("about/")
    assert text(about.select_one(".page__updated")) == "Последнее обновление: 1 марта 2024"
    drafts = BeautifulSoup((ru.root / "drafts-output" / "index.html").read_text("utf-8"),
                           "html5lib")
    assert text(drafts.select_one(".preview-note")) == \
        "Предпросмотр с черновиками: эту сборку нельзя публиковать."
    assert "Черновик" in [text(s) for s in drafts.select(".draft-tag")]


def test_feeds_speak_russian(ru: ScratchSite) -> None:
    corrections = feedparser.parse((ru.output / "corrections" / "atom.xml").read_bytes())
    assert corrections.feed.title == "Проверено: исправления и обновления"
    titles = [entry.title for entry in corrections.entries]
    assert "Вердикт изменён: Проверка номер 87" in titles
    assert "Обновление: Проверка номер 87" in titles
    summaries = [entry.summary for entry in corrections.entries]
    assert ("Вердикт по заявлению (Министерство обороны) изменён с «Неясно» на «Ложь». "
            "Появились новые данные.") in summaries
    claimant = feedparser.parse(
        (ru.output / "claimants" / "duma" / "atom.xml").read_bytes())
    assert claimant.feed.title == "Проверено: Заявления: Дума"


def test_every_russian_page_is_valid_html(ru: ScratchSite) -> None:
    """The Nu HTML Checker over every page of the Russian site, drafts build included: the
    translated words keep the markup valid (no warnings either)."""
    for output in (ru.output, ru.root / "drafts-output"):
        assert failures(vnu(output), output) == []


@pytest.mark.parametrize("path", ["2018/87/", "claimants/ministerstvo-oborony/", "page/2/"])
def test_axe_finds_no_violations_on_russian_pages(browser: Any, ru: ScratchSite,
                                                  path: str) -> None:
    """A Russian fact-check, a claimant's scorecard and a listing with its pager, in a real
    browser: the translated labels keep every landmark, name and contrast rule."""
    axe = axe_script()
    with serving(ru.output) as url:
        page = open_page(browser, url + quote(path), 375, "light")
        violations = axe_violations(page, axe)
        page.close()
    assert violations == [], report(violations, axe_version(axe))
