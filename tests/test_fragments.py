"""Fragments made once per rendering (badges, cards): every page is the page rendered on its
own, and nothing made for one rendering, edition or page shows on another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

import jinja2
from bs4 import BeautifulSoup
from conftest import ScratchSite
from corpus import TWO_EDITIONS

from sitegen import Session, load
from sitegen.i18n import Message, Messages
from sitegen.render import (
    Fragments,
    RenderedFile,
    make_environment,
    remember,
    render_each,
    render_route,
)

CONFIG = TWO_EDITIONS + "\n[build]\npage_size = 2\n"


def varied_site(site: ScratchSite, make_factcheck: Callable[..., str]) -> ScratchSite:
    """Cards at many depths, in two editions, with drafts and a claim in another language."""
    site.write("sitegen.toml", CONFIG)
    for number in range(7):
        site.write(f"content/{2019 + number % 3}/claim-{number}.md", make_factcheck(
            title=f'"Claim number {number}"', verdict="wrong" if number % 2 else "right",
            claimant=f'"Speaker {number % 2}"', date=f"{2019 + number % 3}-03-0{number + 1}",
            tags=f"[topic-{number % 3}, shared]", author='"Ann Writer"'))
    site.write("content/2020/a-claim.md", make_factcheck(verdict="right"))
    site.write("content/2021/draft.md", make_factcheck(
        title='"A draft"', draft="true", verdict="wrong", claimant='"Speaker 0"',
        tags="[shared]"))
    site.write("content/2021/he.md", make_factcheck(
        title='"בדיקה"', slug="bdika", verdict="wrong", lang="he", claimant='"שר האוצר"'))
    site.write("content/2021/he-too.md", make_factcheck(
        title='"בדיקה שנייה"', slug="bdika-2", verdict="right", lang="he",
        claimant='"שר האוצר"'))
    return site


def test_every_page_is_the_page_rendered_on_its_own(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Rendering the whole site with shared fragments gives, page for page, the bytes each
    page gets when rendered alone with none made before it."""
    varied_site(site, make_factcheck)
    for drafts in (False, True):
        loaded = load(site.root, drafts=drafts)
        assert loaded.site is not None, loaded.problems
        env = make_environment(loaded.site.config.templates_path)
        shared, problems = render_each(loaded.site, env, lambda route, file: file)
        assert not problems
        views = loaded.site.views()
        alone = {}
        for route in loaded.site.routes:
            view = views[loaded.site.edition_at(route.path).prefix]
            made = render_route(view, env, route)
            assert isinstance(made, RenderedFile)
            alone[made.path] = made.data
        assert {file.path: file.data for file in shared} == alone
        assert len(alone) > 40


def test_each_card_links_to_its_fact_check_from_its_own_page(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    varied_site(site, make_factcheck)
    site.built()
    titled: dict[str, str] = {}
    pages: dict[str, BeautifulSoup] = {}
    for path in site.output.rglob("index.html"):
        rel = path.relative_to(site.output).parent.as_posix()
        url = "https://factcheck.test/news/" + ("" if rel == "." else rel + "/")
        pages[url] = site.html(path.relative_to(site.output).as_posix())
        heading = pages[url].select_one("article.factcheck h1")
        if heading is not None:
            titled[heading.get_text()] = url
    cards = 0
    for url, page in pages.items():
        for link in page.select(".card__title a"):
            assert urljoin(url, str(link["href"])) == titled[link.get_text()], (url, link)
            cards += 1
    assert cards > 50


def test_each_edition_shows_its_own_verdict_words(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    varied_site(site, make_factcheck)
    site.built()
    main = site.html("verdicts/wrong/")
    assert {s.get_text() for s in main.select(".verdict__label")} == {"Wrong"}
    hebrew = site.html("ivrit/")
    assert {s.get_text() for s in hebrew.select(".card .verdict__label")} == {"שגוי", "Right"}


def test_a_preview_rebuild_shows_the_edit_on_every_card(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """Fragments last one rendering: a rebuild after an edit never shows the card as the
    first build made it."""
    varied_site(site, make_factcheck)
    output = tmp_path / "preview"
    session = Session(site.root, output, search=False)
    assert not [p for p in session.full().problems if p.is_error]
    site.write("content/2019/claim-0.md", make_factcheck(
        title='"Claim renamed"', verdict="wrong", claimant='"Speaker 0"',
        date="2019-03-01", tags="[topic-0, shared]", author='"Ann Writer"'))
    session.rebuild([site.root / "content/2019/claim-0.md"])
    for listing in ("tags/shared", "claimants/speaker-0", "authors/ann-writer",
                    "verdicts/wrong", "verdicts/right", "2019/claim-3"):
        cards = [card for path in sorted((output / listing).rglob("index.html"))
                 for card in BeautifulSoup(path.read_text(encoding="utf-8"),
                                           "html.parser").select(".card")]
        titles = [link.get_text() for card in cards for link in card.select(".card__title a")]
        assert "Claim number 0" not in titles, listing
        renamed = [card for card in cards if "Claim renamed" in card.get_text()]
        labels = [label.get_text() for card in renamed for label in card.select(".verdict__label")]
        assert labels == ([] if listing == "verdicts/right" else ["Wrong"]), listing


def test_remember_makes_a_block_once_per_key() -> None:
    env = jinja2.Environment(autoescape=True)
    env.globals["remember"] = remember
    template = env.from_string(
        '{% for n in numbers %}{% call remember("n", n % 2) %}<b>{{ n }}</b>{% endcall %}'
        "{% endfor %}")
    assert template.render(numbers=[1, 2, 3, 4], fragments=Fragments()) == \
        "<b>1</b><b>2</b><b>1</b><b>2</b>"
    assert template.render(numbers=[1, 2, 3, 4]) == "<b>1</b><b>2</b><b>3</b><b>4</b>"


def test_the_least_recently_used_fragment_goes_first() -> None:
    fragments = Fragments(kept=2)
    made: list[str] = []

    def maker(name: str) -> Callable[[], str]:
        def make() -> str:
            made.append(name)
            return f"<p>{name}</p>"
        return make

    for name in ("a", "b", "a", "c", "b", "a"):
        assert fragments.remember((name,), maker(name)) == f"<p>{name}</p>"
    assert made == ["a", "b", "c", "b", "a"]  # c pushed b out, b pushed a out


def test_dates_are_written_once_each_and_apart_by_style() -> None:
    messages = Messages("en", {
        "months": Message("en", items=tuple(f"Month{n}" for n in range(1, 13))),
        "months_short": Message("en", items=tuple(f"M{n}" for n in range(1, 13))),
        "date_long": Message("en", text="{day} {month} {year}"),
        "date_short": Message("en", text="{month} {day}, {year}"),
    })
    day = dt.date(2020, 3, 4)
    assert messages.date(day) == "4 Month3 2020"
    assert messages.date(day, "short") == "M3 4, 2020"
    assert messages.date(day) == "4 Month3 2020"
    assert messages.date(dt.date(2021, 12, 31)) == "31 Month12 2021"
    assert messages.date(None) == ""
