"""The site's corrections log: every update across the site, newest first, page and feed."""

from __future__ import annotations

from collections.abc import Callable

import feedparser
from conftest import ScratchSite

from sitegen.urls import relative_url

UPDATES_A = ('\n  - date: 2020-04-01\n    note: "Fixed the length of the canal."'
             '\n  - date: 2020-06-01\n    note: "The survey came out."\n    verdict: false')
UPDATES_B = '\n  - date: 2020-05-01\n    note: "<b>Renamed</b> the river & its source."'


def corrected_site(site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write("content/2020/a-claim.md", make_factcheck(
        verdict="false", original_verdict="unclear", updates=UPDATES_A))
    site.write("content/2020/b-claim.md", make_factcheck(
        title='"Another claim"', claimant='"Bo Official"', date="2020-03-05", updates=UPDATES_B))
    site.write("content/2020/c-claim.md", make_factcheck(title='"Never corrected"'))


def test_log_lists_every_update_newest_first_linking_to_its_note(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Each entry names the article, the date and the note, and its link lands on the note."""
    corrected_site(site, make_factcheck)
    site.built()
    page = site.html("corrections/")
    entries = page.select(".corrections > li")
    assert [e.select_one("time")["datetime"] for e in entries] == [
        "2020-06-01", "2020-05-01", "2020-04-01"]
    assert [e.select_one(".correction__title").get_text() for e in entries] == [
        "A claim checked", "Another claim", "A claim checked"]
    assert " ".join(entries[0].select_one(".correction__change").get_text().split()) == (
        "From Unclear to False")
    assert entries[1].select_one(".correction__note").get_text() == (
        "<b>Renamed</b> the river & its source.")
    assert entries[1].select_one(".correction__note b") is None
    for entry in entries:
        href = entry.select_one(".correction__title a")["href"]
        target, anchor = href.split("#")
        assert target.startswith("../2020/")
        article = site.html(target.removeprefix("../"))
        assert article.select_one(f"#{anchor}") in article.select(".updates__list > li")
    assert "Never corrected" not in page.get_text()


def test_log_is_an_atom_feed(site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """feedparser reads one entry per update: id and link to the note, updated, the change."""
    corrected_site(site, make_factcheck)
    site.built()
    feed = feedparser.parse((site.output / "corrections/atom.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.title == "Test Desk: corrections and updates"
    assert feed.feed.updated == "2020-06-01T00:00:00Z"
    assert feed.feed.link == "https://factcheck.test/corrections/"
    assert [e.id for e in feed.entries] == [
        "https://factcheck.test/2020/a-claim/#update-2020-06-01",
        "https://factcheck.test/2020/b-claim/#update-2020-05-01",
        "https://factcheck.test/2020/a-claim/#update-2020-04-01"]
    assert [e.link for e in feed.entries] == [e.id for e in feed.entries]
    assert [e.updated for e in feed.entries] == [
        "2020-06-01T00:00:00Z", "2020-05-01T00:00:00Z", "2020-04-01T00:00:00Z"]
    first = feed.entries[0]
    assert first.title == "Verdict changed: A claim checked"
    assert first.summary == ("Verdict on the claim by Jane Official changed from Unclear to "
                             "False. The survey came out.")
    assert [t.term for t in first.tags] == ["false"]
    assert feed.entries[1].title == "Update: Another claim"
    assert feed.entries[1].summary == "<b>Renamed</b> the river & its source."
    home = site.html("")
    alternate = site.html("corrections/").select_one('link[type="application/atom+xml"]'
                                                     '[href="atom.xml"]')
    assert alternate is not None
    assert home.select_one('link[href="corrections/atom.xml"]') is None  # only on the log


def test_log_is_linked_from_every_page_and_in_the_sitemap(site: ScratchSite) -> None:
    """The footer links the log, the sitemap lists it; with no update yet, it says so."""
    site.built()
    for path in ("", "2020/a-claim/", "claimants/", "methodology/", "corrections/"):
        links = site.html(path).select(".site-footer a")
        assert [a["href"] for a in links if a.get_text() == "Corrections"] == [
            relative_url(path, "corrections/")], path
    sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://factcheck.test/corrections/</loc>" in sitemap
    assert "corrections/atom.xml" not in sitemap
    page = site.html("corrections/")
    assert page.select_one(".empty").get_text() == "No corrections or updates yet."
    feed = feedparser.parse((site.output / "corrections/atom.xml").read_bytes())
    assert feed.bozo == 0 and feed.entries == []


def test_a_corrections_page_introduces_the_log_instead_of_colliding(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """content/pages/corrections.md is the log's title and introduction, like methodology."""
    corrected_site(site, make_factcheck)
    site.write("content/pages/corrections.md",
               "---\ntitle: Our corrections\n---\nWe fix our *mistakes* in the open.\n")
    site.built()
    page = site.html("corrections/")
    assert page.select_one("h1").get_text() == "Our corrections"
    assert page.select_one(".page__body em").get_text() == "mistakes"
    assert len(page.select(".corrections > li")) == 3


def test_log_is_paginated_and_leaves_out_drafts(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A long log is split like listings; a draft's updates appear only with --drafts."""
    corrected_site(site, make_factcheck)
    site.write("content/2020/d-claim.md", make_factcheck(
        title='"Draft"', draft="true", updates='\n  - date: 2020-07-01\n    note: "Draft note."'))
    site.write("sitegen.toml", (site.root / "sitegen.toml").read_text() + "\n[build]\n"
               "page_size = 2\n")
    site.built()
    first, second = site.html("corrections/"), site.html("corrections/page/2/")
    assert len(first.select(".corrections > li")) == 2
    assert len(second.select(".corrections > li")) == 1
    assert second.select_one(".pager [rel=prev]")["href"] == "../../"
    assert "Draft note." not in first.get_text() + second.get_text()
    site.built(drafts=True)
    assert "Draft note." in site.html("corrections/").select_one(".correction__note").get_text()
