"""Web addresses a writer supplies (front matter, sitegen.toml) are valid URLs wherever they
land: percent-encoded as RFC 3986 asks, hosts in punycode, never encoded twice, and the text a
reader sees kept as the writer typed it."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ScratchSite
from hypothesis import given
from hypothesis import strategies as st
from test_structured_data import the_review
from test_validity import failures, vnu

from sitegen.cards import CardFonts, draw_card
from sitegen.models import ShareCard
from sitegen.urls import AddressError, web_address

UNRESERVED = r"A-Za-z0-9\-._~"
SUB_DELIMS = r"!$&'()*+,;="
PCT = r"%[0-9A-Fa-f]{2}"
PCHAR = rf"(?:[{UNRESERVED}{SUB_DELIMS}:@]|{PCT})"
RFC3986_URL = re.compile(
    rf"https?://(?:(?:[{UNRESERVED}{SUB_DELIMS}:]|{PCT})*@)?"
    rf"(?:\[[0-9A-Fa-f:.]+\]|(?:[{UNRESERVED}{SUB_DELIMS}]|{PCT})*)(?::[0-9]*)?"
    rf"(?:/{PCHAR}*)*(?:\?(?:{PCHAR}|[/?])*)?(?:#(?:{PCHAR}|[/?])*)?", re.IGNORECASE)
"""RFC 3986's grammar for an http(s) URI with an authority (appendix A), as one expression."""

BASE = "https://факты.example/проверки/"
BASE_ENCODED = "https://xn--80auyf2b.example/%D0%BF%D1%80%D0%BE%D0%B2%D0%B5%D1%80%D0%BA%D0%B8/"
PAGE = "2020/a-claim/"

WRITTEN = {
    "claim_url": "https://example.com/post?id=1&q=<x>",
    "claimant_url": "https://de.wikipedia.org/wiki/Straße_{x}",
    "image": 'https://bücher.example/img|1.png?v="2"',
    "source": "https://example.org/a b/100%/%41?x=^`#frag#2",
    "archive": "https://web.archive.org/web/2020/https://example.org/?a=1&b=<x>",
    "bare": "https://example.net/path\\x?y=[1]",
    "publisher": "https://example.org/about us",
    "logo": "https://example.org/logo<1>.png",
}
ENCODED = {
    "claim_url": "https://example.com/post?id=1&q=%3Cx%3E",
    "claimant_url": "https://de.wikipedia.org/wiki/Stra%C3%9Fe_%7Bx%7D",
    "image": "https://xn--bcher-kva.example/img%7C1.png?v=%222%22",
    "source": "https://example.org/a%20b/100%25/%41?x=%5E%60#frag%232",
    "archive": "https://web.archive.org/web/2020/https://example.org/?a=1&b=%3Cx%3E",
    "bare": "https://example.net/path%5Cx?y=%5B1%5D",
    "publisher": "https://example.org/about%20us",
    "logo": "https://example.org/logo%3C1%3E.png",
}

BODY_WRITTEN = {
    "link": "https://example.org/?a=1&b=<x>",
    "wiki": "https://de.wikipedia.org/wiki/Straße_{x}",
    "image": "https://example.org/chart|1.png",
    "autolink": "https://example.com/café?q=^",
}
BODY_ENCODED = {
    "link": "https://example.org/?a=1&b=%3Cx%3E",
    "wiki": "https://de.wikipedia.org/wiki/Stra%C3%9Fe_%7Bx%7D",
    "image": "https://example.org/chart%7C1.png",
    "autolink": "https://example.com/caf%C3%A9?q=%5E",
}
"""Addresses a writer pastes into the body's Markdown links, images and autolinks."""

CONFIG = f"""\
[site]
title = "Address Desk"
base_url = "{BASE}"
language = "en"

[publisher]
name = "Address Desk"
url = "{WRITTEN['publisher']}"
logo = "{WRITTEN['logo']}"
"""


def yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


FACTCHECK = f"""\
---
title: "A claim with awkward addresses"
claim: "The river is 100 km long."
claimant: "Jane Official"
verdict: false
date: 2020-03-04
claim_date: 2020-03-01
summary: "It is 80 km long."
claim_url: {yaml(WRITTEN['claim_url'])}
claimant_url: {yaml(WRITTEN['claimant_url'])}
image: {yaml(WRITTEN['image'])}
sources:
  - title: "The report"
    url: {yaml(WRITTEN['source'])}
    archive_url: {yaml(WRITTEN['archive'])}
  - {yaml(WRITTEN['bare'])}
---
The body cites [the report]({BODY_WRITTEN['link']}) and [a wiki]({BODY_WRITTEN['wiki']}),
and shows ![a chart]({BODY_WRITTEN['image']}); see also <{BODY_WRITTEN['autolink']}>.
"""


@pytest.mark.parametrize(("written", "encoded"), [
    ("https://example.org/?a=1&b=<x>", "https://example.org/?a=1&b=%3Cx%3E"),
    ('https://x.org/{a} b|c\\d^e`f"g', "https://x.org/%7Ba%7D%20b%7Cc%5Cd%5Ee%60f%22g"),
    ("https://x.org/caf%C3%A9/café?q=é#é", "https://x.org/caf%C3%A9/caf%C3%A9?q=%C3%A9#%C3%A9"),
    ("https://x.org/100%/%zz/%2", "https://x.org/100%25/%25zz/%252"),
    ("https://x.org/a#b#c", "https://x.org/a#b%23c"),
    ("https://x.org/?", "https://x.org/?"),
    ("https://x.org#", "https://x.org#"),
    ("HTTPS://Bücher.Example:8443/x", "HTTPS://xn--bcher-kva.example:8443/x"),
    ("https://faß.de/", "https://xn--fa-hia.de/"),
    ("https://ann lee:p@x.org/", "https://ann%20lee:p@x.org/"),
    ("http://[2001:db8::1]:8080/a b", "http://[2001:db8::1]:8080/a%20b"),
    ("https://x.org/a;b=c/d:e@f?g=h&i=j+k/l?m", "https://x.org/a;b=c/d:e@f?g=h&i=j+k/l?m"),
])
def test_addresses_are_percent_encoded_where_rfc_3986_requires(written: str,
                                                               encoded: str) -> None:
    """Disallowed characters are encoded (non-ASCII as UTF-8, hosts in punycode as browsers map
    them), valid %XX escapes, delimiters and empty '?' or '#' are kept, a lone '%' is '%25'."""
    assert web_address(written) == encoded
    assert RFC3986_URL.fullmatch(encoded)


URL_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)


@given(URL_TEXT)
def test_any_path_query_and_fragment_become_a_valid_address_once(tail: str) -> None:
    """Whatever follows the host comes out as a URL RFC 3986 accepts, and encoding that
    again changes nothing (no escape is ever encoded twice)."""
    address = web_address("https://example.org/" + tail)
    assert RFC3986_URL.fullmatch(address), address
    assert web_address(address) == address


@pytest.mark.parametrize(("written", "message"), [
    ("https://a.org\\@b.org/", "has a backslash before the path"),
    ("https://a<b>.org/", "'a<b>.org' is not a valid domain name"),
    ("https://☃☃.org/", "'☃☃.org' is not a valid domain name"),
    ("https://a.org:80x/", "'a.org:80x' has no valid port number after its ':'"),
    ("https://a.org:70000/", "'a.org:70000' has no valid port number after its ':'"),
    ("http://[::1/", "cannot be read as a web address"),
    ("https://[example]/", "cannot be read as a web address"),
    ("https://[::1]x/", "'[::1]x' has more than a ':' and a port after its ']'"),
    ("https://[::1]80/", "'[::1]80' has more than a ':' and a port after its ']'"),
    ("https://[::1]:8x/", "'[::1]:8x' has no valid port number after its ':'"),
])
def test_addresses_no_encoding_can_mend_are_refused(written: str, message: str) -> None:
    """A broken host or port is refused with what is wrong, not encoded into another address."""
    with pytest.raises(AddressError) as raised:
        web_address(written)
    assert str(raised.value).startswith(message)


def test_broken_addresses_in_front_matter_are_errors_on_their_lines(site: ScratchSite) -> None:
    """Each unmendable address is an error naming the file, line and field, all in one run;
    an unclosed '[' no longer stops the build with a traceback."""
    site.write("content/2020/a-claim.md", """\
        ---
        title: "T"
        claim: "C"
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        claim_url: "http://[::1/speech"
        claimant_url: "https://a.org\\\\@b.org/"
        sources:
          - title: "S"
            url: "https://a.org:80x/"
          - "https://a<b>.org/"
        ---
        Body.
        """)
    errors = site.errors(site.build())
    path = "content/2020/a-claim.md"
    assert any(e.startswith(f"{path}:7: claim_url:") and "not a web address" in e
               for e in errors), errors
    assert any(e.startswith(f"{path}:8: claimant_url:") and "backslash" in e
               for e in errors), errors
    assert any(e.startswith(f"{path}:11: sources[1].url:") and "port" in e
               for e in errors), errors
    assert any(e.startswith(f"{path}:12: sources[2]:") and "domain name" in e
               for e in errors), errors


def test_spaces_are_encoded_but_tabs_and_invisible_characters_refused(
        site: ScratchSite) -> None:
    """A space in a pasted address is %20 in the link; a no-break space is an error."""
    site.write("content/2020/a-claim.md", """\
        ---
        title: "T"
        claim: "C"
        claimant: "Jane Official"
        verdict: false
        date: 2020-03-04
        claim_url: "https://example.org/my report.pdf"
        claimant_url: "https://example.org/a\u00a0b"
        ---
        Body.
        """)
    errors = site.errors(site.build())
    assert len(errors) == 1, errors
    assert errors[0].startswith("content/2020/a-claim.md:8: claimant_url: contains a tab, "
                                "line break or invisible character")
    site.write("content/2020/a-claim.md",
               site.root.joinpath("content/2020/a-claim.md").read_text(encoding="utf-8")
               .replace("\nclaimant_url: \"https://example.org/a\u00a0b\"", ""))
    site.built()
    link = site.html(PAGE).select_one("a.claim-source")
    assert link is not None and link["href"] == "https://example.org/my%20report.pdf"


@pytest.fixture
def awkward(site: ScratchSite) -> ScratchSite:
    """A site whose base_url, publisher addresses and every address field of a fact-check
    hold characters RFC 3986 does not allow, built."""
    site.write("sitegen.toml", CONFIG)
    site.write("content/2020/a-claim.md", FACTCHECK)
    site.built()
    return site


def test_every_writer_address_is_encoded_in_the_page(awkward: ScratchSite) -> None:
    """Links, the share image and the publisher link carry the encoded address; the bare
    source's visible text is the address as the writer typed it."""
    page = awkward.html(PAGE)
    claim_link = page.select_one("a.claim-source")
    assert claim_link is not None and claim_link["href"] == ENCODED["claim_url"]
    sources = page.select("ol.sources__list > li")
    assert [a["href"] for a in sources[0].select("a")] == [ENCODED["source"], ENCODED["archive"]]
    bare = sources[1].select_one("a")
    assert bare is not None and bare["href"] == ENCODED["bare"]
    assert bare.get_text() == WRITTEN["bare"]
    image = page.find("meta", attrs={"property": "og:image"})
    assert image is not None and image["content"] == ENCODED["image"]
    assert page.find("a", href=ENCODED["publisher"]) is not None
    canonical = page.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == BASE_ENCODED + PAGE
    claimant = awkward.html("claimants/jane-official/")
    assert claimant.find("a", href=ENCODED["claimant_url"]) is not None


def review_addresses(review: dict[str, Any]) -> dict[str, Any]:
    claim = review["itemReviewed"]
    return {"url": review["url"], "claim_url": claim["appearance"]["url"],
            "claimant_url": claim["author"]["sameAs"], "image": review["image"],
            "publisher": review["author"]["url"], "logo": review["author"]["logo"]["url"]}


EXPECTED_REVIEW = {"url": BASE_ENCODED + PAGE, "claim_url": ENCODED["claim_url"],
                   "claimant_url": ENCODED["claimant_url"], "image": ENCODED["image"],
                   "publisher": ENCODED["publisher"], "logo": ENCODED["logo"]}


def test_claim_review_and_claims_json_carry_encoded_addresses(awkward: ScratchSite) -> None:
    """The page's ClaimReview JSON-LD and claims.json hold only encoded addresses."""
    assert review_addresses(the_review(awkward, PAGE, BASE_ENCODED)) == EXPECTED_REVIEW
    feed = json.loads(awkward.output.joinpath("claims.json").read_text(encoding="utf-8"))
    assert feed["url"] == BASE_ENCODED
    assert review_addresses(feed["dataFeedElement"][0]["item"][0]) == EXPECTED_REVIEW


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_sitemap_and_csv_carry_encoded_addresses(awkward: ScratchSite) -> None:
    """Atom and RSS links, sitemap locations and the CSV's url column use the encoded base."""
    out = awkward.output
    atom = ET.parse(out / "atom.xml").getroot()
    entry_links = [link.get("href") for link in atom.iter(f"{ATOM}link")]
    assert BASE_ENCODED + PAGE in entry_links
    assert all(href and href.startswith(BASE_ENCODED) for href in entry_links), entry_links
    rss = ET.parse(out / "rss.xml").getroot()
    assert [item.findtext("link") for item in rss.iter("item")] == [BASE_ENCODED + PAGE]
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    locations = [loc.text or "" for loc in sitemap.iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert BASE_ENCODED + PAGE in locations
    assert all(RFC3986_URL.fullmatch(loc) for loc in locations), locations
    rows = list(csv.reader(io.StringIO(out.joinpath("claims.csv").read_text(encoding="utf-8"),
                                       newline="")))
    assert rows[1][0] == BASE_ENCODED + PAGE


def test_body_links_and_images_are_encoded_and_read_as_written(awkward: ScratchSite) -> None:
    """A Markdown link, image or autolink in the body carries the encoded address, as a
    front matter address does; the link's text (an autolink's included) reads as typed."""
    body = awkward.html(PAGE).find(class_="analysis") or awkward.html(PAGE)
    hrefs = {a["href"] for a in body.find_all("a", href=True)}
    sources = {img["src"] for img in body.find_all("img", src=True)}
    for name in ("link", "wiki", "autolink"):
        assert BODY_ENCODED[name] in hrefs, (name, hrefs)
        assert BODY_WRITTEN[name] not in hrefs
    assert BODY_ENCODED["image"] in sources, sources
    assert body.find("a", href=BODY_ENCODED["autolink"]).get_text() == BODY_WRITTEN["autolink"]
    for address in hrefs | sources:
        if address.startswith("http"):
            assert RFC3986_URL.fullmatch(address), address


def test_pages_with_awkward_addresses_pass_the_nu_checker(awkward: ScratchSite) -> None:
    """The Nu HTML Checker finds no bad URL (nor anything else) on any page of the site."""
    folder: Path = awkward.output
    assert failures(vnu(folder), folder) == []


def test_broken_addresses_in_the_config_are_errors_on_their_lines(site: ScratchSite) -> None:
    """base_url, publisher.url and publisher.logo are checked like front matter addresses: an
    unmendable host or port, or an unclosed '[', is an error on its line, not a traceback."""
    site.write("sitegen.toml", """\
        [site]
        title = "T"
        base_url = "https://a<b>.org/"

        [publisher]
        url = "https://a.org:99999/"
        logo = "http://[::1/logo.png"
        """)
    errors = site.errors(site.check())
    assert errors == [
        "sitegen.toml:3: site.base_url: 'a<b>.org' is not a valid domain name",
        "sitegen.toml:6: publisher.url: 'a.org:99999' has no valid port number after its ':'",
        "sitegen.toml:7: publisher.logo: must be an absolute http(s) URL, such as "
        "'https://example.org/'",
    ], errors


def test_share_cards_show_an_internationalised_host_in_its_own_letters(
        site: ScratchSite) -> None:
    """base_url's host is punycode in every URL, but the share card shows it as the newsroom
    typed it ('факты.example'), as browsers do."""
    config = site.root.joinpath("sitegen.toml").read_text(encoding="utf-8")
    assert 'base_url = "https://factcheck.test/"' in config
    site.write("sitegen.toml", config.replace('base_url = "https://factcheck.test/"',
                                              'base_url = "https://факты.example/"'))
    site.built()
    card = ShareCard("Test Desk", "факты.example", "The river is 100 km long.",
                     "Jane Official", "False", "#8b1a1a")
    drawn = site.output.joinpath("2020/a-claim/card.png").read_bytes()
    assert drawn == draw_card(card, CardFonts())


def test_an_image_path_is_encoded_and_one_a_link_would_misread_is_an_error(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A file path with non-ASCII letters or '<' becomes a valid, encoded absolute URL; a
    '#', '?' or '%' in it, which a link reads as a fragment, a query or an escape, is an
    error on the image line naming the character."""
    for name in ("фото<1>.jpg", "a#b.jpg", "a?b.jpg", "100%.jpg"):
        site.write_bytes(f"static/images/{name}", b"\xff\xd8\xff")
    site.write("content/2020/a-claim.md", make_factcheck(image='"/images/фото<1>.jpg"'))
    site.built()
    encoded = "https://factcheck.test/images/%D1%84%D0%BE%D1%82%D0%BE%3C1%3E.jpg"
    image = site.html(PAGE).find("meta", attrs={"property": "og:image"})
    assert image is not None and image["content"] == encoded
    assert the_review(site, PAGE)["image"] == encoded
    for n, name in enumerate(("a#b.jpg", "a?b.jpg", "100%.jpg")):
        site.write(f"content/2020/bad-{n}.md", make_factcheck(image=f'"/images/{name}"'))
    errors = site.errors(site.build())
    assert sorted(errors) == [
        f"content/2020/bad-{n}.md:7: image: '/images/{name}' has '{char}', which a link "
        f"reads as {what}, not as part of the file name (rename the file without '{char}')"
        for n, name, char, what in ((0, "a#b.jpg", "#", "the start of a fragment"),
                                    (1, "a?b.jpg", "?", "the start of a query"),
                                    (2, "100%.jpg", "%", "the start of an escape such as %20"))
    ], errors
