"""What a reader sees: every front-matter field lands in the right place, escaped."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup
from conftest import ScratchSite

FULL = """\
---
title: "Did the river double in length?"
claim: "The river is now 200 km long."
claimant: "Jane Official"
claimant_url: "https://en.wikipedia.org/wiki/Jane_Official"
claim_date: 2020-03-01
claim_url: "https://example.com/speech"
verdict: misleading
summary: "It is 100 km long; the figure counts a canal."
date: 2020-03-04
updated: 2020-03-06
author: [Ann Lee, Bo Chen]
tags: [rivers, geography]
sources:
  - title: "River survey 2019"
    url: "https://survey.example.org/2019"
    publisher: "National Survey"
    date: 2019-12-01
    archive_url: "https://archive.example.org/survey"
  - title: "Phone interview with a hydrologist"
    publisher: "Test Desk"
updates:
  - date: 2020-03-05
    note: "Corrected the canal's length."
  - date: 2020-03-06
    note: "New survey figures."
    verdict: misleading
---
The river *was* measured in "2019".
"""


def test_every_field_lands_in_its_place(site: ScratchSite) -> None:
    """Claim box, badge, summary, body, sources, updates, byline and tags show the front matter."""
    site.write("content/2020/river.md", FULL)
    site.built()
    page = site.html("2020/river/")
    box = page.select_one(".claim-box")
    assert box is not None
    assert box.select_one(".claim").get_text(strip=True) == "The river is now 200 km long."
    claimant = box.select_one("a.claimant")
    assert claimant.get_text(strip=True) == "Jane Official"
    assert claimant["href"] == "../../claimants/jane-official/"
    assert box.select_one(".claim-box__who time")["datetime"] == "2020-03-01"
    assert box.select_one("a.claim-source")["href"] == "https://example.com/speech"
    assert box.select_one(".verdict__label").get_text() == "Misleading"
    assert "false conclusion" in box.select_one(".verdict-meaning").get_text()
    summary = page.select_one(".summary p").get_text()
    assert summary == "It is 100 km long; the figure counts a canal."
    assert page.select_one(".analysis em").get_text() == "was"
    assert "\u201c2019\u201d" in page.select_one(".analysis p").get_text()
    assert page.select_one("h1").get_text() == "Did the river double in length?"


def test_sources_are_numbered_with_links_only_where_given(site: ScratchSite) -> None:
    """Sources form an ordered list; one without a URL is text, an archive link is added."""
    site.write("content/2020/river.md", FULL)
    site.built()
    items = site.html("2020/river/").select(".sources ol > li")
    assert [li["id"] for li in items] == ["source-1", "source-2"]
    first_links = [a["href"] for a in items[0].select("a")]
    assert first_links == ["https://survey.example.org/2019", "https://archive.example.org/survey"]
    assert "National Survey" in items[0].get_text()
    assert items[0].select_one("time")["datetime"] == "2019-12-01"
    assert items[1].select("a") == []
    assert "Phone interview with a hydrologist" in items[1].get_text()


def test_updates_newest_first_and_byline(site: ScratchSite) -> None:
    """The updates log lists the newest entry first; authors and dates are in the byline."""
    site.write("content/2020/river.md", FULL)
    site.built()
    page = site.html("2020/river/")
    entries = page.select(".updates li")
    assert [e.select_one("time")["datetime"] for e in entries] == ["2020-03-06", "2020-03-05"]
    assert entries[0].select_one(".verdict__label").get_text() == "Misleading"
    byline = page.select_one(".byline")
    assert [a.get_text() for a in byline.select("a")] == ["Ann Lee", "Bo Chen"]
    assert [t["datetime"] for t in byline.select("time")] == ["2020-03-04", "2020-03-06"]
    assert [a.get_text() for a in page.select(".tag-list a")] == ["rivers", "geography"]


def test_hostile_values_are_escaped_everywhere(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Markup in any front-matter field is shown as text, never interpreted, in every page."""
    evil = '<script>alert(1)</script>"&'
    fields = {
        "title": '"T <script>alert(1)</script>\\"&"',
        "claim": '"C <script>alert(1)</script>\\"&"',
        "claimant": '"W <img src=x onerror=alert(1)>"',
        "summary": '"S <b>bold</b>"',
        "tags": '["<i>tag</i>"]',
        "author": '"<u>A</u>"',
        "sources": '\n  - title: "<script>src</script>"\n    url: "https://x.org/?a=1&b=\\"2"',
    }
    site.write("content/2020/evil.md", make_factcheck(**fields))
    site.built()
    for rel in ("2020/evil/", "", "claimants/", "tags/", "verdicts/false/"):
        page = site.html(rel)
        scripts = page.find_all("script")
        assert [s.get("type") for s in scripts] in ([], ["application/ld+json"]), rel
        assert page.find("img") is None, rel
        assert page.find("i") is None and page.find("u") is None, rel
    page = site.html("2020/evil/")
    # as published: the quote is typographic (content/typeset.py), the markup is text
    assert page.select_one("h1").get_text() == "T " + evil.replace('"', "\u201d")
    assert page.select_one(".claim").get_text() == "C " + evil.replace('"', "\u201d")
    assert page.select_one(".summary p").get_text() == "S <b>bold</b>"
    assert page.select_one(".sources a")["href"] == "https://x.org/?a=1&b=%222"  # RFC 3986
    assert page.select_one(".sources a").get_text() == "<script>src</script>"
    assert page.select_one("meta[name=description]")["content"].startswith("False: W <img")


def test_listings_group_by_verdict_claimant_tag_and_author(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Each fact-check appears on its verdict, claimant, tag and author pages, newest first."""
    site.write("content/2020/river.md", FULL)
    site.write("content/2021/b.md", make_factcheck(title='"Second"', date="2021-01-01",
                                                  tags="[rivers]", author="Ann Lee"))
    site.built()

    def titles(rel: str) -> list[str]:
        return [a.get_text() for a in site.html(rel).select(".card__title a")]

    # Same date: the tie is broken by title, so the order never depends on the file system.
    assert titles("") == ["Second", "A claim checked", "Did the river double in length?"]
    assert titles("verdicts/misleading/") == ["Did the river double in length?"]
    assert titles("claimants/jane-official/") == titles("")
    assert titles("tags/rivers/") == ["Second", "Did the river double in length?"]
    assert titles("authors/ann-lee/") == ["Second", "Did the river double in length?"]
    assert titles("authors/bo-chen/") == ["Did the river double in length?"]


def test_claimants_index_counts_verdicts(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """The claimants index shows each claimant with a count per verdict received."""
    site.write("content/2021/b.md", make_factcheck(title='"Second"', verdict="true"))
    site.write("content/2021/c.md", make_factcheck(title='"Third"', claimant="Other Person"))
    site.built()
    terms = site.html("claimants/").select(".term")
    assert [t.select_one(".term__name").get_text() for t in terms] == [
        "Jane Official", "Other Person"]
    counts = [(li.select_one(".verdict__label").get_text(), li.select_one(".counts__n").get_text())
              for li in terms[0].select(".counts li")]
    assert counts == [("True", "1"), ("False", "1")]


def test_listings_paginate(site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A listing longer than page_size continues on /page/2/ with prev/next links."""
    site.write("sitegen.toml", site.root.joinpath("sitegen.toml").read_text()
               + "\n[build]\npage_size = 2\n")
    for day in range(1, 5):
        site.write(f"content/2021/c{day}.md",
                   make_factcheck(title=f'"Check {day}"', date=f"2021-02-0{day}"))
    site.built()
    first, second, third = site.html(""), site.html("page/2/"), site.html("page/3/")
    assert [a.get_text() for a in first.select(".card__title a")] == ["Check 4", "Check 3"]
    assert [a.get_text() for a in third.select(".card__title a")] == ["A claim checked"]
    assert first.select_one(".pager a[rel=next]")["href"] == "page/2/"
    assert second.select_one(".pager a[rel=prev]")["href"] == "../../"
    assert site.html("claimants/jane-official/page/2/").select(".card")


def test_base_url_with_a_path(site: ScratchSite) -> None:
    """Absolute URLs keep base_url's path; relative links still reach the right files."""
    text = site.root.joinpath("sitegen.toml").read_text()
    site.write("sitegen.toml", text.replace('base_url = "https://factcheck.test/"',
                                            'base_url = "https://factcheck.test/checks"'))
    site.built()
    page = site.html("2020/a-claim/")
    assert page.select_one("link[rel=canonical]")["href"] == (
        "https://factcheck.test/checks/2020/a-claim/")
    not_found = site.html("404.html")
    assert not_found.select_one(".site-title")["href"] == "/checks/"


def test_every_internal_link_resolves(site: ScratchSite) -> None:
    """No page links to a file that the build did not write (checked across the whole site)."""
    site.write("content/2020/river.md", FULL)
    site.write("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nWho we are.\n")
    site.built()
    broken = _broken_links(site)
    assert broken == []


def _broken_links(site: ScratchSite) -> list[str]:
    import posixpath
    from urllib.parse import unquote, urlsplit

    broken = []
    for html_file in site.output.rglob("*.html"):
        if html_file.name == "404.html":
            continue
        rel_dir = html_file.parent.relative_to(site.output).as_posix()
        soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html5lib")
        for tag in soup.select("a[href], link[href]"):
            href = tag["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith("#"):
                continue
            target = posixpath.normpath(posixpath.join(rel_dir, unquote(parts.path)))
            path = site.output / target
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{html_file.relative_to(site.output)} -> {href}")
    return broken


def test_plain_pages_and_methodology(site: ScratchSite) -> None:
    """Pages render from content/pages/; methodology shows the intro and every verdict."""
    site.write("content/pages/about.md", "---\ntitle: About us\nmenu: 1\n---\nWe *check*.\n")
    site.write("content/pages/methodology.md", "---\ntitle: How we rate\n---\nWe read.\n")
    site.built()
    about = site.html("about/")
    assert about.select_one("h1").get_text() == "About us"
    assert about.select_one(".page__body em").get_text() == "check"
    assert [a.get_text() for a in about.select(".site-nav a")][-1] == "About us"
    method = site.html("methodology/")
    assert method.select_one("h1").get_text() == "How we rate"
    labels = [s.get_text() for s in method.select(".scale .verdict__label")]
    assert labels == ["True", "Likely true", "Partially true", "Misleading", "Partially false",
                      "Likely false", "False", "Unclear"]
    assert site.html("404.html").select_one("h1").get_text() == "Page not found"


def test_badge_carries_an_icon_not_only_colour(site: ScratchSite) -> None:
    """Every badge has its label as text and an icon whose shape depends on the verdict."""
    site.built()
    method = site.html("methodology/")
    shapes = {}
    for badge in method.select(".scale .verdict"):
        label = badge.select_one(".verdict__label").get_text()
        shapes[label] = str(badge.select_one("svg path")["d"])
    assert shapes["True"] != shapes["False"] != shapes["Unclear"]
    assert shapes["Misleading"] not in (shapes["True"], shapes["False"])


def test_template_override_by_name_and_by_block(site: ScratchSite) -> None:
    """A site template replaces the theme's; `extends "theme/..."` changes just one block."""
    site.write("templates/base.html", """\
        {% extends "theme/base.html" %}
        {% block footer %}<p id="custom-footer">Our footer</p>{% endblock %}
        """)
    site.write("templates/404.html", """\
        {% extends "base.html" %}
        {% block content %}<h1>Lost?</h1>{% endblock %}
        """)
    site.built()
    page = site.html("2020/a-claim/")
    assert page.select_one("#custom-footer").get_text() == "Our footer"
    assert page.select_one(".claim-box") is not None
    assert site.html("404.html").select_one("h1").get_text() == "Lost?"
    assert site.html("404.html").select_one("#custom-footer") is not None


def test_related_factchecks_share_claimant_or_tag(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Related fact-checks favour the same claimant, then shared tags; unrelated ones stay out."""
    site.write("content/2020/a-claim.md", make_factcheck(tags="[water]"))
    site.write("content/2021/same.md", make_factcheck(title='"Same claimant"', date="2021-01-01"))
    site.write("content/2021/tag.md", make_factcheck(title='"Same tag"', claimant="Bob",
                                                    tags="[water]", date="2021-01-02"))
    site.write("content/2021/none.md", make_factcheck(title='"Unrelated"', claimant="Zed",
                                                     date="2021-01-03"))
    site.built()
    related = [a.get_text() for a in site.html("2020/a-claim/").select(".related .card__title a")]
    assert related == ["Same claimant", "Same tag"]


def test_example_site_builds_without_warnings() -> None:
    """The repository's own example site builds cleanly, so the README's first command works."""
    import shutil
    import tempfile
    from pathlib import Path

    from sitegen import BuildOptions, build

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        result = build(root, BuildOptions(output=Path(tmp) / "out"))
        assert [p.format() for p in result.problems] == []
        assert result.factchecks >= 5
        shutil.rmtree(Path(tmp) / "out")


def test_python_error_in_a_template_is_reported_not_raised(site: ScratchSite) -> None:
    """An error raised while a site template runs is a located problem, not a traceback."""
    site.write("templates/404.html", "{% extends 'base.html' %}\n{% block content %}\n"
               "{{ 1 // 0 }}\n{% endblock %}\n")
    result = site.build()
    assert site.messages(result) == [
        "templates/404.html:3: template error: integer division or modulo by zero "
        "(while rendering /404.html)"]


def test_translations_link_each_other_with_hreflang(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """`translation_of` links both pages with hreflang alternates and a visible link."""
    site.write("content/2020/a-claim-ru.md", make_factcheck(
        title='"Проверка"', lang="ru", translation_of="a-claim"))
    site.built()
    original, translation = site.html("2020/a-claim/"), site.html("2020/a-claim-ru/")
    expected = {"en": "https://factcheck.test/2020/a-claim/",
                "ru": "https://factcheck.test/2020/a-claim-ru/"}
    for page in (original, translation):
        links = page.select("link[rel=alternate][hreflang]")
        assert {link["hreflang"]: link["href"] for link in links} == expected
    assert original.select_one(".translations a")["href"] == "../a-claim-ru/"
    assert translation.select_one(".translations a").get_text() == "A claim checked"
    assert translation.select_one("html")["lang"] == "ru"


def test_translation_of_an_unknown_slug_is_an_error(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A translation must name an existing fact-check's slug; the nearest one is suggested."""
    site.write("content/2020/b.md", make_factcheck(lang="ru", translation_of="a-clam"))
    result = site.build()
    assert site.errors(result) == [
        "content/2020/b.md:8: translation_of: no fact-check has the slug 'a-clam' "
        "(did you mean 'a-claim'? known slugs: a-claim, b)"]
