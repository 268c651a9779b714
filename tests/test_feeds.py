"""Feeds, the sitemap and robots.txt: parsed by the libraries readers and crawlers rely on."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import feedparser
import pytest
from conftest import ScratchSite
from search_bundles import page_counts

from sitegen.markup.typography import smarten_text

BASE = "https://factcheck.test/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE = ('</script><script>alert(1)</script> <!-- "q" \'s\' &amp; \u2028 \U0001f600 '
           "\u05e2\u05d1\u05e8\u05d9\u05ea")


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028")


def configure(site: ScratchSite, base_url: str = BASE, build: str = "") -> None:
    """Rewrite sitegen.toml from the fixture's config with another base_url and a [build] table."""
    text = site.root.joinpath("sitegen.toml").read_text(encoding="utf-8")
    text = text.replace(f'base_url = "{BASE}"', f'base_url = "{base_url}"')
    site.write("sitegen.toml", text + (f"\n[build]\n{build}\n" if build else ""))


def parse_feed(site: ScratchSite, rel: str) -> Any:
    """A feed of the output parsed by feedparser, which must find it well-formed."""
    parsed = feedparser.parse(site.output.joinpath(rel).read_bytes())
    assert not parsed.bozo, f"{rel}: {parsed.get('bozo_exception')}"
    return parsed


def text_of(entry: Any, name: str) -> str:
    """A field of a parsed entry as the text a reader sees (RSS descriptions are HTML)."""
    value: str = entry[name]
    return html.unescape(value) if entry[f"{name}_detail"].type == "text/html" else value


def sitemap(site: ScratchSite) -> dict[str, str | None]:
    """loc -> lastmod (None when missing) of every entry of sitemap.xml."""
    root = ET.fromstring(site.output.joinpath("sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP_NS}urlset"
    entries: dict[str, str | None] = {}
    for url in root.findall(f"{SITEMAP_NS}url"):
        loc = url.findtext(f"{SITEMAP_NS}loc")
        assert loc is not None and loc not in entries
        entries[loc] = url.findtext(f"{SITEMAP_NS}lastmod")
    return entries


def output_file(site: ScratchSite, url: str, base: str = BASE) -> Path:
    """The output file an absolute URL of the site is served from."""
    assert url.startswith(base), url
    rel = unquote(url[len(base):])
    return site.output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def public_pages(site: ScratchSite, base: str = BASE) -> set[str]:
    """Absolute URLs of every HTML page written, except the 404 page and search."""
    urls = set()
    for path in site.output.rglob("*.html"):
        rel = path.relative_to(site.output).as_posix()
        if rel in ("404.html", "search/index.html"):
            continue
        rel = rel.removesuffix("index.html")
        urls.add(unquote(base) + rel)
    return urls


def dated(make_factcheck: Callable[..., str], title: str, date: str, **fields: str) -> str:
    return make_factcheck(title=yaml_text(title), date=date, **fields)


def test_site_feeds_hold_the_latest_factchecks(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """atom.xml and rss.xml at the root hold the newest feed_size fact-checks, linked absolutely."""
    configure(site, build="feed_size = 2")
    site.write("content/2020/a-claim.md", dated(make_factcheck, "Oldest", "2020-01-01"))
    site.write("content/2021/middle.md", dated(make_factcheck, "Middle", "2021-06-01"))
    site.write("content/2022/newest.md", dated(make_factcheck, "Newest", "2022-02-03"))
    site.built()
    atom, rss = parse_feed(site, "atom.xml"), parse_feed(site, "rss.xml")
    assert atom.version == "atom10"
    assert rss.version == "rss20"
    for parsed in (atom, rss):
        assert parsed.feed.title == "Test Desk"
        assert [e.title for e in parsed.entries] == ["Newest", "Middle"]
        assert [e.link for e in parsed.entries] == [BASE + "2022/newest/", BASE + "2021/middle/"]
        assert [tuple(e.published_parsed[:3]) for e in parsed.entries] == [
            (2022, 2, 3), (2021, 6, 1)]


def test_feeds_default_to_twenty_entries(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Without feed_size, a site feed holds the 20 newest fact-checks."""
    for day in range(1, 23):
        site.write(f"content/2021/c{day}.md",
                   dated(make_factcheck, f"Check {day}", f"2021-01-{day:02d}"))
    site.built()
    for rel in ("atom.xml", "rss.xml", "claimants/jane-official/atom.xml"):
        titles = [e.title for e in parse_feed(site, rel).entries]
        assert titles == [f"Check {day}" for day in range(22, 2, -1)], rel


def test_atom_entry_has_verdict_dates_and_authors(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """An Atom entry has a verdict category, a summary led by the label, dates and authors."""
    site.write("content/2020/a-claim.md", make_factcheck(
        verdict="misleading", date="2020-03-04", updated="2020-03-06", author="[Ann Lee, Bo Chen]",
        summary='"It counts a canal."',
        updates='\n  - date: 2020-03-08\n    note: "New figures."'))
    site.built()
    (entry,) = parse_feed(site, "atom.xml").entries
    assert entry.id == BASE + "2020/a-claim/"
    assert entry.link == BASE + "2020/a-claim/"
    verdicts = [t for t in entry.tags if t.get("label") == "Misleading"]
    assert [t.term for t in verdicts] == ["misleading"]
    assert entry.summary.startswith("Misleading")
    assert "The river is 100 km long." in entry.summary
    assert tuple(entry.published_parsed[:3]) == (2020, 3, 4)
    assert tuple(entry.updated_parsed[:3]) == (2020, 3, 8)
    assert [a.name for a in entry.authors] == ["Ann Lee", "Bo Chen"]


def test_rss_item_has_verdict_and_date(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """An RSS item names the verdict in a category and at the start of its description."""
    site.write("content/2020/a-claim.md", make_factcheck(verdict="partially-true",
                                                         date="2020-03-04"))
    site.built()
    (item,) = parse_feed(site, "rss.xml").entries
    assert [t.term for t in item.tags] == ["Partially true"]
    assert item.summary.startswith("Partially true")
    assert item.id == BASE + "2020/a-claim/"
    assert tuple(item.published_parsed[:3]) == (2020, 3, 4)


def typeset(text: str) -> str:
    """A front-matter text as published: with typographic quotes (content/typeset.py)."""
    return smarten_text(text, "en")


def write_hostile(site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write("content/2020/a-claim.md", make_factcheck(
        title=yaml_text("T " + HOSTILE), claim=yaml_text("C " + HOSTILE),
        claimant=yaml_text("W " + HOSTILE), summary=yaml_text("S " + HOSTILE),
        tags=f"[{yaml_text('G ' + HOSTILE)}]"))
    site.built()


def test_hostile_values_round_trip_in_atom_feeds(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Markup, entities, U+2028, emoji and RTL in Atom titles, claims and claimants stay exact."""
    write_hostile(site, make_factcheck)
    claimant_feeds = list(site.output.glob("claimants/w-*/atom.xml"))
    tag_feeds = list(site.output.glob("tags/g-*/atom.xml"))
    assert len(claimant_feeds) == len(tag_feeds) == 1
    feeds = ["atom.xml", *(p.relative_to(site.output).as_posix()
                           for p in claimant_feeds + tag_feeds)]
    for rel in feeds:
        (entry,) = parse_feed(site, rel).entries
        assert text_of(entry, "title") == typeset("T " + HOSTILE), rel
        summary = text_of(entry, "summary")
        assert summary.startswith("False: W " + HOSTILE), rel
        assert "\u201c" + typeset("C " + HOSTILE) + "\u201d" in summary, rel
        assert summary.endswith(typeset("S " + HOSTILE)), rel
        content = html.unescape(entry.content[0].value)
        assert "<p>" + typeset("C " + HOSTILE) + "</p>" in content, rel
        assert "G " + HOSTILE in [t.term for t in entry.tags], rel
    assert parse_feed(site, feeds[1]).feed.title.endswith("W " + HOSTILE)
    assert parse_feed(site, feeds[2]).feed.title.endswith("G " + HOSTILE)


def test_hostile_values_round_trip_in_the_rss_feed(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """An RSS reader gets the hostile title and the claim text exactly, never as markup."""
    write_hostile(site, make_factcheck)
    (item,) = parse_feed(site, "rss.xml").entries
    assert text_of(item, "title") == typeset("T " + HOSTILE)
    description = text_of(item, "description")
    assert description.startswith("False: W " + HOSTILE), description
    assert "\u201c" + typeset("C " + HOSTILE) + "\u201d" in description
    assert description.endswith(typeset("S " + HOSTILE))


def test_claimant_and_tag_feeds_hold_only_their_factchecks(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """claimants/<slug>/atom.xml and tags/<slug>/atom.xml hold only that claimant's or tag's."""
    site.write("content/2020/a-claim.md", dated(make_factcheck, "Jane on water", "2020-01-01",
                                                tags="[water]"))
    site.write("content/2020/b.md", dated(make_factcheck, "Jane on roads", "2020-02-01",
                                          tags="[roads]"))
    site.write("content/2020/c.md", dated(make_factcheck, "Bob on water", "2020-03-01",
                                          claimant='"Bob Builder"', tags="[water, roads]"))
    site.write("content/2020/d.md", dated(make_factcheck, "Zed alone", "2020-04-01",
                                          claimant='"Zed"'))
    site.built()
    expected = {
        "claimants/jane-official/atom.xml": ["Jane on roads", "Jane on water"],
        "claimants/bob-builder/atom.xml": ["Bob on water"],
        "claimants/zed/atom.xml": ["Zed alone"],
        "tags/water/atom.xml": ["Bob on water", "Jane on water"],
        "tags/roads/atom.xml": ["Bob on water", "Jane on roads"],
    }
    for rel, titles in expected.items():
        parsed = parse_feed(site, rel)
        assert [e.title for e in parsed.entries] == titles, rel
        assert all(e.link.startswith(BASE) for e in parsed.entries), rel
        page = BASE + rel.removesuffix("atom.xml")
        assert any(link.href == page for link in parsed.feed.links), rel


def test_listing_pages_link_feeds_that_exist(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Home, claimant and tag listings link an Atom feed; every feed link resolves to a file."""
    configure(site, build="page_size = 1")
    site.write("content/2020/a-claim.md", make_factcheck(tags="[water]"))
    site.write("content/2020/b.md", make_factcheck(
        title='"Two"', claimant=yaml_text("\u05e9\u05e8\u05d4 \U0001f600"), tags="[water]"))
    site.built()
    hebrew = site.output.glob("claimants/*/index.html")
    claimant_dirs = [p.parent.relative_to(site.output).as_posix() + "/" for p in hebrew]
    assert len(claimant_dirs) == 2
    own_feeds = {"": "atom.xml", "page/2/": "atom.xml", "tags/water/": "tags/water/atom.xml",
                 "tags/water/page/2/": "tags/water/atom.xml",
                 **{rel: rel + "atom.xml" for rel in claimant_dirs}}
    for rel, feed in own_feeds.items():
        links = site.html(rel).select('link[rel=alternate][type="application/atom+xml"]')
        targets = [unquote(urljoin(BASE + rel, link["href"])) for link in links]
        assert unquote(BASE + feed) in targets, rel
        for target in targets:
            assert output_file(site, target, unquote(BASE)).is_file(), (rel, target)


def test_sitemap_lists_every_public_page(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """sitemap.xml lists each HTML page but 404 and search, and each loc is a file of the output."""
    configure(site, build="page_size = 1")
    site.write("content/2020/b.md", make_factcheck(title='"Two"', tags="[water]",
                                                   claimant=yaml_text("\u05e9\u05e8\u05d4")))
    site.write("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nWho we are.\n")
    site.write("content/pages/methodology.md", "---\ntitle: How we rate\n---\nWe read.\n")
    site.built()
    entries = sitemap(site)
    assert {unquote(loc) for loc in entries} == public_pages(site)
    for loc in entries:
        assert output_file(site, loc).is_file(), loc
    for rel in ("2020/a-claim/", "2020/b/", "about/", "", "page/2/", "verdicts/",
                "verdicts/false/", "claimants/", "claimants/jane-official/", "tags/water/",
                "methodology/"):
        assert BASE + rel in entries, rel
    assert BASE + "404.html" not in entries
    assert BASE + "search/" not in entries


def test_sitemap_lastmod_is_the_latest_change(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A fact-check's lastmod is the latest of date, updated and its updates, as YYYY-MM-DD."""
    site.write("content/2020/a-claim.md", make_factcheck(date="2020-03-04"))
    site.write("content/2020/upd.md", make_factcheck(title='"Updated"', date="2020-03-04",
                                                     updated="2020-05-06"))
    site.write("content/2020/log.md", make_factcheck(
        title='"Logged"', date="2020-03-04T09:30:00", updated="2020-04-01",
        updates='\n  - date: 2020-06-07\n    note: "x"\n  - date: 2020-04-02\n    note: "y"'))
    site.write("content/pages/about.md", "---\ntitle: About\ndate: 2019-01-02\n---\nx\n")
    site.built()
    entries = sitemap(site)
    assert entries[BASE + "2020/a-claim/"] == "2020-03-04"
    assert entries[BASE + "2020/upd/"] == "2020-05-06"
    assert entries[BASE + "2020/log/"] == "2020-06-07"
    assert entries[BASE + "about/"] == "2019-01-02"
    assert entries[BASE] == "2020-06-07"
    assert entries[BASE + "claimants/jane-official/"] == "2020-06-07"


def test_every_sitemap_entry_has_a_lastmod(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Every page in the sitemap, listings and methodology included, has a YYYY-MM-DD lastmod."""
    site.write("content/pages/about.md", "---\ntitle: About\n---\nNo date here.\n")
    site.built()
    entries = sitemap(site)
    missing = sorted(loc for loc, lastmod in entries.items() if lastmod is None)
    assert missing == []
    for loc, lastmod in entries.items():
        assert lastmod is not None and len(lastmod) == 10 and lastmod[4] == "-", loc


def test_robots_points_at_the_sitemap_and_blocks_draft_builds(site: ScratchSite) -> None:
    """robots.txt names the absolute sitemap URL; a --drafts build says Disallow: /."""
    base = "https://factcheck.test/checks/"
    configure(site, base_url=base)
    site.built()
    lines = site.output.joinpath("robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {base}sitemap.xml" in lines
    assert "Disallow: /" not in lines
    site.built(drafts=True)
    lines = site.output.joinpath("robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Disallow: /" in lines
    assert f"Sitemap: {base}sitemap.xml" in lines


def test_static_robots_txt_replaces_the_generated_one(site: ScratchSite) -> None:
    """A site's own static/robots.txt is published as it is, without a collision error."""
    own = "User-agent: *\nDisallow: /private/\n"
    site.write("static/robots.txt", own)
    result = site.built()
    assert site.output.joinpath("robots.txt").read_text(encoding="utf-8") == own
    assert not [m for m in site.messages(result) if "robots" in m]
    assert site.output.joinpath("sitemap.xml").is_file()


def test_drafts_stay_out_of_feeds_sitemap_and_claims(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A draft fact-check is in no feed, not in the sitemap and not in claims.json or claims.csv."""
    site.write("content/2021/secret.md", make_factcheck(
        title='"Secret draft"', claim='"Secret claim"', claimant='"Shadow"', tags="[hidden]",
        date="2021-01-01", draft="true"))
    site.write("content/2021/public.md", make_factcheck(
        title='"Public"', tags="[hidden]", date="2021-01-02"))
    site.built()
    for rel in ("atom.xml", "rss.xml", "claimants/jane-official/atom.xml", "tags/hidden/atom.xml"):
        titles = [e.title for e in parse_feed(site, rel).entries]
        assert "Secret draft" not in titles and "Public" in titles, rel
    assert not site.output.joinpath("claimants/shadow").exists()
    assert BASE + "2021/secret/" not in sitemap(site)
    assert BASE + "2021/public/" in sitemap(site)
    for name in ("claims.json", "claims.csv", "sitemap.xml"):
        text = site.output.joinpath(name).read_text(encoding="utf-8")
        assert "Secret" not in text and "2021/secret/" not in text, name
        assert "2021/public/" in text, name


def test_base_url_path_prefixes_every_absolute_url(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """With base_url https://factcheck.test/checks/ feeds, sitemap and exports start with it."""
    base = "https://factcheck.test/checks/"
    configure(site, base_url=base)
    site.write("content/2020/a-claim.md", make_factcheck(tags="[water]"))
    site.built()
    for rel in ("atom.xml", "rss.xml", "claimants/jane-official/atom.xml", "tags/water/atom.xml"):
        parsed = parse_feed(site, rel)
        hrefs = [link.href for link in parsed.feed.links]
        hrefs += [link.href for e in parsed.entries for link in e.links]
        hrefs += [e.id for e in parsed.entries]
        assert hrefs and all(h.startswith(base) for h in hrefs), (rel, hrefs)
        assert [e.link for e in parsed.entries] == [base + "2020/a-claim/"], rel
    assert parse_feed(site, "atom.xml").feed.id == base
    entries = sitemap(site)
    assert base + "2020/a-claim/" in entries and base in entries
    assert {unquote(loc) for loc in entries} == public_pages(site, base)
    for loc in entries:
        assert output_file(site, loc, base).is_file(), loc
    claims = json.loads(site.output.joinpath("claims.json").read_text(encoding="utf-8"))
    assert [e["item"][0]["url"] for e in claims["dataFeedElement"]] == [base + "2020/a-claim/"]
    csv_text = site.output.joinpath("claims.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[1].startswith(base + "2020/a-claim/,")


def test_site_builds_without_search_when_pagefind_is_missing(
    site: ScratchSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the indexer the build succeeds with a warning, and only the index is missing."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pagefind" else real(name, *a))
    result = site.build()
    assert result.ok
    assert site.messages(result) == [
        "search: warning: search index not built: Pagefind is not installed "
        "(install it with: pip install 'pagefind[bin]')"]
    assert (site.output / "search" / "index.html").exists()
    assert not (site.output / "pagefind").exists()


def test_search_index_holds_only_factchecks(site: ScratchSite) -> None:
    """Pagefind indexes the fact-check pages only, not listings, indexes or plain pages."""
    site.built()
    assert page_counts(site.output) == {"en": 1}
