"""The home page's lead (`featured: true`), each card's conclusion, the header's menu and the
404 page's own stylesheet, read from the built HTML (the same in Chromium:
tests/test_layout_browser.py)."""

from __future__ import annotations

import base64
from collections.abc import Callable

from conftest import ScratchSite

from sitegen import Session


def _checks(site: ScratchSite, make_factcheck: Callable[..., str],
            featured: tuple[str, ...] = ()) -> None:
    for number, day in enumerate(("2021-01-01", "2022-01-01", "2023-01-01"), start=1):
        fields = {"featured": "true"} if f"c{number}" in featured else {}
        site.write(f"content/c{number}.md", make_factcheck(
            title=f'"Check {number}"', date=day, slug=f"c{number}",
            summary=f'"Conclusion {number}."', **fields))


def _home(site: ScratchSite, path: str = "") -> tuple[str | None, list[str]]:
    page = site.html(path)
    lead = page.select_one("main .lead h2")
    return (lead.get_text() if lead else None,
            [h.get_text() for h in page.select("main .cards .card h2")])


def test_the_latest_check_leads_and_is_not_repeated(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Without `featured`, the newest fact-check leads page 1, with its badge, claim and
    conclusion, and the cards list the others, newest first."""
    _checks(site, make_factcheck)
    site.built()
    assert _home(site) == ("Check 3", ["Check 2", "Check 1", "A claim checked"])
    lead = site.html("").select_one("main .lead")
    assert lead.select_one(".verdict--large .verdict__label").get_text() == "False"
    assert lead.select_one(".card__summary").get_text() == "Conclusion 3."
    assert lead.select_one("a")["href"] == "2023/c3/"


def test_cards_show_the_conclusion_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Every card with a `summary` shows it; one without shows no empty paragraph."""
    _checks(site, make_factcheck)
    site.write("content/bare.md", make_factcheck(title='"Bare"', date="2019-01-01",
                                                 summary=None))
    site.built()
    cards = {c.select_one("h2").get_text(): c for c in site.html("").select(".cards .card")}
    assert cards["Check 1"].select_one(".card__summary").get_text() == "Conclusion 1."
    assert cards["A claim checked"].select_one(".card__summary").get_text() == (
        "It is 80 km long.")
    assert cards["Bare"].select_one(".card__summary") is None
    claimant = site.html("claimants/jane-official/").select_one(".card .card__summary")
    assert claimant is not None  # on every listing, not only home


def test_a_featured_check_leads_the_first_page_only(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """`featured: true` on an older check puts it first on page 1 (once); page 2 has no lead;
    every fact-check is still on exactly one page of the listing."""
    site.write("sitegen.toml", (site.root / "sitegen.toml").read_text() + "\n[build]\n"
               "page_size = 2\n")
    _checks(site, make_factcheck, featured=("c1",))
    site.built()
    assert _home(site) == ("Check 1", ["Check 3"])
    assert _home(site, "page/2/") == (None, ["Check 2", "A claim checked"])


def test_several_featured_the_latest_leads_and_the_others_are_warned(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """With two checks featured, the newer leads; the other gets a warning on its
    `featured:` line saying which one leads, and is listed by its date."""
    _checks(site, make_factcheck, featured=("c1", "c2"))
    result = site.built()
    assert _home(site) == ("Check 2", ["Check 3", "Check 1", "A claim checked"])
    warnings = [m for m in site.messages(result) if "featured" in m]
    assert warnings == [
        "content/c1.md:9: warning: featured: another fact-check is featured too, and the "
        "latest of them leads the home page: content/c2.md (remove 'featured: true' from the "
        "ones that should not lead; this one is listed by its date)"]


def test_featured_must_be_true_or_false(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A `featured` that is not a yes/no is an error at its line, naming what is allowed."""
    site.write("content/c1.md", make_factcheck(featured='"on the front page"'))
    result = site.build()
    assert not result.ok
    assert site.errors(result) == [
        "content/c1.md:7: featured: must be true or false, not 'on the front page'"]


def test_featured_on_a_page_is_a_fact_check_field(site: ScratchSite) -> None:
    """`featured` on a plain page is reported as a fact-check field."""
    site.write("content/pages/about.md", "---\ntitle: About\nfeatured: true\n---\nUs.\n")
    result = site.build()
    assert [e for e in site.errors(result) if "featured" in e] == [
        "content/pages/about.md:3: featured: is a fact-check field, and this file is a "
        "plain page (move the file out of content/pages/ to make it a fact-check)"]


def test_the_header_menu_is_a_details_element_holding_the_navigation(
        site: ScratchSite) -> None:
    """The sections are a <nav> inside a <details> whose <summary> says Menu, so it opens
    without script; the current section is marked."""
    site.built()
    header = site.html("").select_one("header.site-header")
    menu = header.select_one("details.site-menu")
    assert menu.select_one("summary").get_text() == "Menu" and not menu.has_attr("open")
    nav = menu.select_one("nav.site-nav")
    assert nav["aria-label"] == "Main"
    assert nav.select_one('[aria-current="page"]').get_text() == "Fact-checks"


def _carried_css(site: ScratchSite) -> str:
    [link] = site.html("404.html").select('link[rel="stylesheet"]')
    prefix = "data:text/css;base64,"
    assert link["href"].startswith(prefix)
    return base64.b64decode(link["href"][len(prefix):]).decode("utf-8")


def test_the_404_page_carries_the_published_stylesheet(site: ScratchSite) -> None:
    """The 404 page links no file (it is served at any address): it carries the stylesheet
    the site publishes, the site's own static/assets/sitegen.css when there is one, and a
    warm build picks up a change to it."""
    site.built()
    published = (site.output / "assets/sitegen.css").read_text(encoding="utf-8")
    assert _carried_css(site) == published
    assert site.html("").select_one('link[rel="stylesheet"]')["href"] == "assets/sitegen.css"
    site.write("static/assets/sitegen.css", "body { color: rebeccapurple; }\n")
    site.built()
    assert _carried_css(site) == "body { color: rebeccapurple; }\n"


def test_a_preview_rebuild_refreshes_the_404_pages_stylesheet(site: ScratchSite) -> None:
    """In `serve` / `build --watch`, saving static/assets/sitegen.css renders the 404 page
    again with the new styles."""
    session = Session(site.root, site.output, search=False)
    assert session.full().ok
    changed = site.write("static/assets/sitegen.css", "main { margin: 0; }\n")
    outcome = session.rebuild([changed])
    assert outcome.ok and "404.html" in outcome.written
    assert _carried_css(site) == "main { margin: 0; }\n"
