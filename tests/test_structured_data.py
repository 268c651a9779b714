"""What crawlers and aggregators read: ClaimReview JSON-LD, Open Graph tags, claims exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import extruct
from bs4 import BeautifulSoup
from conftest import ScratchSite

from sitegen.markup.typography import smarten_text

BASE = "https://factcheck.test/"
def typeset(text: str) -> str:
    """A front-matter text as published: with typographic quotes (content/typeset.py)."""
    return smarten_text(text, "en")


HOSTILE = ('</script><script>alert(1)</script> <!-- "q" \'s\' &amp; \u2028 \U0001f600 '
           "\u05e2\u05d1\u05e8\u05d9\u05ea")
CSV_HEADER = ["url", "claim", "claimant", "claim_date", "verdict", "verdict_label", "rating",
              "published", "updated", "tags", "sources"]

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
updates:
  - date: 2020-03-09
    note: "New survey figures."
---
The river was measured in 2019.
"""


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028")


def configure(site: ScratchSite, base_url: str = BASE, extra: str = "") -> None:
    """Rewrite sitegen.toml from the fixture's config with another base_url and more settings."""
    text = site.root.joinpath("sitegen.toml").read_text(encoding="utf-8")
    text = text.replace(f'base_url = "{BASE}"', f'base_url = "{base_url}"')
    site.write("sitegen.toml", text + "\n" + extra)


def extract(site: ScratchSite, rel: str, base_url: str = BASE) -> dict[str, Any]:
    """JSON-LD and Open Graph of a built page, extracted the way crawlers do."""
    path = site.output / rel
    if rel == "" or rel.endswith("/"):
        path = path / "index.html"
    data: dict[str, Any] = extruct.extract(path.read_text(encoding="utf-8"),
                                           base_url=base_url + rel,
                                           syntaxes=["json-ld", "opengraph"], uniform=True)
    return data


def claim_reviews(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in data["json-ld"] if item.get("@type") == "ClaimReview"]


def the_review(site: ScratchSite, rel: str, base_url: str = BASE) -> dict[str, Any]:
    reviews = claim_reviews(extract(site, rel, base_url))
    assert len(reviews) == 1, reviews
    return reviews[0]


def opengraph(site: ScratchSite, rel: str) -> dict[str, Any]:
    found = extract(site, rel)["opengraph"]
    assert len(found) == 1, found
    og: dict[str, Any] = found[0]
    return og


def meta(page: BeautifulSoup, name: str) -> str | None:
    tag = page.find("meta", attrs={"name": name}) or page.find("meta", attrs={"property": name})
    return None if tag is None else str(tag["content"])


def test_claim_review_carries_every_field_of_the_front_matter(site: ScratchSite) -> None:
    """The ClaimReview holds the URL, claim, dates, publisher, rating, claim details and summary."""
    text = site.root.joinpath("sitegen.toml").read_text(encoding="utf-8")
    site.write("sitegen.toml", text.replace(
        "[publisher]\n", '[publisher]\nlogo = "https://factcheck.test/logo.png"\n'))
    site.write("content/2020/river.md", FULL)
    site.built()
    review = the_review(site, "2020/river/")
    assert review["@context"] in ("https://schema.org", "http://schema.org")
    assert review["url"] == "https://factcheck.test/2020/river/"
    assert review["claimReviewed"] == "The river is now 200 km long."
    assert review["datePublished"] == "2020-03-04"
    assert review["dateModified"] == "2020-03-09"
    assert review["author"] == {
        "@type": "Organization", "name": "Test Desk Org", "url": "https://factcheck.test/",
        "logo": {"@type": "ImageObject", "url": "https://factcheck.test/logo.png"}}
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Misleading",
                                      "ratingValue": 4, "bestRating": 7, "worstRating": 1}
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Jane Official",
                   "sameAs": "https://en.wikipedia.org/wiki/Jane_Official"},
        "datePublished": "2020-03-01",
        "appearance": {"@type": "CreativeWork", "url": "https://example.com/speech"},
    }
    assert review["reviewBody"] == "It is 100 km long; the figure counts a canal."
    assert review["inLanguage"] == "en"


def test_date_modified_only_for_updated_factchecks(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """dateModified is left out of a fact-check that was never updated and set from `updated`."""
    site.write("content/2020/a-claim.md", make_factcheck(date="2020-03-04"))
    site.write("content/2020/later.md", make_factcheck(title='"Later"', date="2020-03-04",
                                                       updated="2020-04-01"))
    site.built()
    assert "dateModified" not in the_review(site, "2020/a-claim/")
    assert the_review(site, "2020/later/")["dateModified"] == "2020-04-01"


def test_rating_label_matches_the_badge_for_every_verdict(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """alternateName is the label on the page; numbers only for verdicts that have a rating."""
    expected = {"true": ("True", 7), "likely-true": ("Likely true", 6),
                "partially-true": ("Partially true", 5), "misleading": ("Misleading", 4),
                "partially-false": ("Partially false", 3), "likely-false": ("Likely false", 2),
                "false": ("False", 1), "unclear": ("Unclear", None)}
    for verdict in expected:
        site.write(f"content/2020/{verdict}.md",
                   make_factcheck(title=yaml_text(f"Rated {verdict}"), verdict=verdict))
    site.built()
    for verdict, (label, value) in expected.items():
        rel = f"2020/{verdict}/"
        rating = the_review(site, rel)["reviewRating"]
        shown = site.html(rel).select(".claim-box .verdict__label")
        assert [s.get_text() for s in shown] == [label], rel
        assert rating["alternateName"] == label, rel
        if value is None:
            assert rating == {"@type": "Rating", "alternateName": label}, rel
        else:
            assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (
                value, 7, 1), rel


def test_custom_scale_sets_best_and_worst_rating(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A newsroom's own scale gives the numbers; its unrated verdict gets only a label."""
    scale = "".join(
        f'[[verdicts]]\nid = "{vid}"\nlabel = "{label}"\ndescription = "d"\ncolor = "#333333"\n'
        + (f"rating = {rating}\n" if rating else "") + "\n"
        for vid, label, rating in (("correct", "Correct", 10), ("half", "Half right", 5),
                                   ("wrong", "Wrong", 2), ("satire", "Satire", None)))
    configure(site, extra=scale)
    site.write("content/2020/a-claim.md", make_factcheck(verdict="half"))
    site.write("content/2020/joke.md", make_factcheck(title='"Joke"', verdict="satire"))
    site.built()
    assert the_review(site, "2020/a-claim/")["reviewRating"] == {
        "@type": "Rating", "alternateName": "Half right", "ratingValue": 5, "bestRating": 10,
        "worstRating": 2}
    assert the_review(site, "2020/joke/")["reviewRating"] == {
        "@type": "Rating", "alternateName": "Satire"}
    label = site.html("2020/joke/").select_one(".claim-box .verdict__label").get_text()
    assert label == "Satire"


def test_claimant_type_and_language(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """claimant_type makes the claim's author an Organization; `lang` sets inLanguage."""
    site.write("content/2020/a-claim.md", make_factcheck(claimant='"Ministry of Rivers"',
                                                         claimant_type="organisation",
                                                         lang="he"))
    site.write("content/2020/person.md", make_factcheck(title='"Person"', claimant='"Bo"'))
    site.built()
    org = the_review(site, "2020/a-claim/")
    assert org["itemReviewed"]["author"] == {"@type": "Organization",
                                             "name": "Ministry of Rivers"}
    assert org["inLanguage"] == "he"
    person = the_review(site, "2020/person/")
    assert person["itemReviewed"]["author"] == {"@type": "Person", "name": "Bo"}
    assert person["inLanguage"] == "en"


def test_hostile_values_round_trip_and_never_run(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Markup, comments, quotes, entities, U+2028, emoji and RTL text come back exactly, inert."""
    site.write("content/2020/evil.md", make_factcheck(
        title=yaml_text("T " + HOSTILE), claim=yaml_text("C " + HOSTILE),
        claimant=yaml_text("W " + HOSTILE), summary=yaml_text("S " + HOSTILE),
        tags=f"[{yaml_text('G ' + HOSTILE)}]"))
    site.built()
    review = the_review(site, "2020/evil/")
    assert review["claimReviewed"] == typeset("C " + HOSTILE)
    assert review["itemReviewed"]["author"]["name"] == "W " + HOSTILE
    assert review["reviewBody"] == typeset("S " + HOSTILE)
    og = opengraph(site, "2020/evil/")
    assert og["og:title"] == typeset("T " + HOSTILE)
    assert typeset("C " + HOSTILE) in og["og:description"]
    page = site.html("2020/evil/")
    scripts = page.find_all("script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    raw = scripts[0].string
    assert not any(c in raw for c in "<>&\u2028\u2029"), raw
    terms = [*site.output.glob("claimants/w-*/index.html"),
             *site.output.glob("tags/g-*/index.html")]
    listings = ["", "tags/", "claimants/",
                *(p.parent.relative_to(site.output).as_posix() + "/" for p in terms)]
    assert len(listings) == 5
    for rel in listings:
        assert site.html(rel).find_all("script") == [], rel


def test_only_factcheck_pages_carry_a_claim_review(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Each fact-check page has one ClaimReview (related cards add none); other pages have none."""
    site.write("content/2020/river.md", FULL)
    site.write("content/2020/second.md", make_factcheck(title='"Second"', tags="[rivers]"))
    site.write("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nWho we are.\n")
    site.built()
    assert site.html("2020/river/").select(".related .card")
    for rel in ("2020/river/", "2020/second/", "2020/a-claim/"):
        assert len(site.html(rel).select('script[type="application/ld+json"]')) == 1, rel
        assert the_review(site, rel)["url"] == BASE + rel
    for rel in ("", "about/", "claimants/", "claimants/jane-official/", "tags/rivers/",
                "authors/ann-lee/", "verdicts/", "verdicts/misleading/", "methodology/",
                "search/", "404.html"):
        assert claim_reviews(extract(site, rel)) == [], rel


def test_open_graph_and_twitter_tags_of_a_factcheck(site: ScratchSite) -> None:
    """og:title is the title, og:description has verdict and claim, og:url is the canonical URL."""
    site.write("content/2020/river.md", FULL)
    site.built()
    og = opengraph(site, "2020/river/")
    page = site.html("2020/river/")
    canonical = page.select_one("link[rel=canonical]")["href"]
    assert canonical == "https://factcheck.test/2020/river/"
    assert og["og:title"] == "Did the river double in length?"
    assert og["og:url"] == canonical
    assert og["@type"] == "article"
    assert "Misleading" in og["og:description"]
    assert "The river is now 200 km long." in og["og:description"]
    assert og["og:image"] == "https://factcheck.test/2020/river/card.png"  # the share card
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:image") == og["og:image"]
    assert meta(page, "twitter:title") == "Did the river double in length?"


def test_image_becomes_an_absolute_og_and_twitter_image(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """An image path or URL is given to og:image and twitter:image as an absolute URL."""
    configure(site, base_url="https://factcheck.test/checks/")
    site.write("content/2020/a-claim.md", make_factcheck(image="/images/x.jpg"))
    site.write_bytes("static/images/x.jpg", b"\xff\xd8\xff")
    site.write("content/2020/cdn.md", make_factcheck(title='"CDN"',
                                                     image="https://cdn.example.net/p.jpg"))
    site.built()
    for rel, image in (("2020/a-claim/", "https://factcheck.test/checks/images/x.jpg"),
                       ("2020/cdn/", "https://cdn.example.net/p.jpg")):
        page = site.html(rel)
        assert meta(page, "og:image") == image, rel
        assert meta(page, "twitter:image") == image, rel
        assert meta(page, "twitter:card") == "summary_large_image", rel


def test_base_url_path_prefixes_page_urls(site: ScratchSite) -> None:
    """With base_url https://factcheck.test/checks/ ClaimReview, canonical and og:url keep it."""
    base = "https://factcheck.test/checks/"
    configure(site, base_url=base)
    site.write("content/2020/river.md", FULL)
    site.built()
    expected = base + "2020/river/"
    assert the_review(site, "2020/river/", base)["url"] == expected
    page = site.html("2020/river/")
    assert page.select_one("link[rel=canonical]")["href"] == expected
    assert meta(page, "og:url") == expected
    for rel in ("", "claimants/jane-official/", "methodology/"):
        listing = site.html(rel)
        assert listing.select_one("link[rel=canonical]")["href"] == base + rel, rel
        assert meta(listing, "og:url") == base + rel, rel


def test_listings_are_websites_in_open_graph(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Home, claimant and tag listings say og:type website and have their own og:url and title."""
    site.write("content/2020/a-claim.md", make_factcheck(tags="[rivers]"))
    site.built()
    for rel, title in (("", "Latest fact-checks"),
                       ("claimants/jane-official/", "Claims by Jane Official"),
                       ("tags/rivers/", "Topic: rivers")):
        og = opengraph(site, rel)
        assert og["@type"] == "website", rel
        assert og["og:url"] == BASE + rel, rel
        assert og["og:title"] == title, rel


def test_claims_json_is_a_datafeed_of_the_page_reviews(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """claims.json has one DataFeedItem per fact-check, newest first, holding the page's review."""
    site.write("content/2020/river.md", FULL)
    site.write("content/2020/a-claim.md", make_factcheck(date="2020-02-01"))
    site.write("content/2021/newest.md", make_factcheck(title='"Newest"', date="2021-01-02",
                                                        claim=yaml_text("N " + HOSTILE)))
    site.write("content/2019/oldest.md", make_factcheck(title='"Oldest"', date="2019-05-05",
                                                        verdict="unclear"))
    site.built()
    feed = json.loads(site.output.joinpath("claims.json").read_text(encoding="utf-8"))
    assert feed["@type"] == "DataFeed"
    elements = feed["dataFeedElement"]
    assert [e["@type"] for e in elements] == ["DataFeedItem"] * 4
    urls = [e["item"][0]["url"] for e in elements]
    rels = ["2021/newest/", "2020/river/", "2020/a-claim/", "2019/oldest/"]
    assert urls == [BASE + rel for rel in rels]
    for element, rel in zip(elements, rels, strict=True):
        assert len(element["item"]) == 1
        on_page = dict(the_review(site, rel))
        on_page.pop("@context")
        assert element["item"][0] == on_page, rel
        assert "@context" not in element["item"][0]
    assert elements[0]["item"][0]["claimReviewed"] == typeset("N " + HOSTILE)


def read_csv(site: ScratchSite) -> tuple[bytes, list[list[str]]]:
    data = site.output.joinpath("claims.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return data, rows


def test_claims_csv_rows_round_trip(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """claims.csv has the documented header and one RFC 4180 row per fact-check, CRLF-ended."""
    claim = 'Line one, with "quotes"\nline two'
    site.write("content/2020/river.md", FULL)
    site.write("content/2020/a-claim.md", make_factcheck(date="2020-02-01"))
    site.write("content/2021/tricky.md", make_factcheck(
        title='"Tricky"', claim=yaml_text(claim), claimant=yaml_text('Smith, "Jr"'),
        claim_date="2020-12-30", date="2021-01-02", verdict="unclear"))
    site.built()
    data, rows = read_csv(site)
    assert rows[0] == CSV_HEADER
    assert len(rows) == 4
    assert data.endswith(b"\r\n")
    assert data.count(b"\r\n") == 4
    tricky = dict(zip(CSV_HEADER, rows[1], strict=True))
    assert tricky["url"] == BASE + "2021/tricky/"
    assert (tricky["claim"], tricky["claimant"]) == (typeset(claim), 'Smith, "Jr"')
    assert (tricky["claim_date"], tricky["verdict"], tricky["verdict_label"]) == (
        "2020-12-30", "unclear", "Unclear")
    assert (tricky["rating"], tricky["published"], tricky["updated"]) == ("", "2021-01-02", "")
    river = dict(zip(CSV_HEADER, rows[2], strict=True))
    assert river["url"] == BASE + "2020/river/"
    assert (river["verdict"], river["verdict_label"], river["rating"]) == (
        "misleading", "Misleading", "4")
    assert (river["published"], river["updated"]) == ("2020-03-04", "2020-03-09")
    assert "rivers" in river["tags"] and "geography" in river["tags"]
    assert rows[3][0] == BASE + "2020/a-claim/"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's list of first characters that make a spreadsheet read a cell as a formula."""


def test_claims_csv_neutralises_every_formula_character_in_every_column(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """Each of = + - @ tab and CR starting a claim, claimant, tag or verdict label (the cells
    a newsroom writes) gets a leading apostrophe; our own whole numbers (a negative rating)
    stay numbers; no other cell can start with one."""
    payload = "2+3+cmd|' /C calc'!A0"
    scale = "".join(
        f'[[verdicts]]\nid = "v{n}"\nlabel = {json.dumps(start + "SUM(1)")}\n'
        f'description = "d"\ncolor = "#333333"\nrating = {n - 3}\n\n'
        for n, start in enumerate(FORMULA_STARTS))
    configure(site, extra=scale)
    for n, start in enumerate(FORMULA_STARTS):
        site.write(f"content/2020/f{n}.md", make_factcheck(
            title=f'"F{n}"', claim=yaml_text(start + payload),
            claimant=yaml_text(start + f"Claimant {n}"), tags=json.dumps([start + "tag"]),
            verdict=f"v{n}", date=f"2020-01-{n + 1:02d}"))
    site.write("content/2020/a-claim.md", make_factcheck(claim=yaml_text("-" + payload),
                                                         verdict="v2", date="2019-01-01"))
    site.built()
    _, rows = read_csv(site)
    by_verdict = {row[4]: dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:-1]}
    for n, start in enumerate(FORMULA_STARTS):
        row = by_verdict[f"v{n}"]
        assert row["verdict_label"] == "'" + start + "SUM(1)", start
        assert row["rating"] == str(n - 3)
        if start.strip():  # front matter text is stripped: a leading tab or CR is dropped
            assert (row["claim"], row["claimant"], row["tags"]) == (
                "'" + start + typeset(payload), f"'{start}Claimant {n}", f"'{start}tag")
    assert rows[-1][1] == "'" + typeset("-" + payload)
    for row in rows[1:]:
        for name, cell in zip(CSV_HEADER, row, strict=True):
            assert not cell.startswith(FORMULA_STARTS) or cell.lstrip("-").isdigit(), (
                name, cell)


def test_claims_csv_neutralises_spreadsheet_formulas(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A cell starting with =, + or @ gets a leading apostrophe so spreadsheets keep it as text."""
    formula = '=HYPERLINK("http://x","y")'
    site.write("content/2020/a-claim.md", make_factcheck(
        claim=yaml_text(formula), claimant='"+44 Campaign"', tags='["@handle"]'))
    site.built()
    _, rows = read_csv(site)
    row = dict(zip(CSV_HEADER, rows[1], strict=True))
    assert row["claim"] == "'" + typeset(formula)
    assert row["claimant"] == "'+44 Campaign"
    assert row["tags"] == "'@handle"
    assert row["verdict"] == "false"
    assert the_review(site, "2020/a-claim/")["claimReviewed"] == typeset(formula)
