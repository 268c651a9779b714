"""Machine-readable outputs built as data in Python and serialised by real serialisers.

ClaimReview JSON-LD, Atom and RSS feeds, the sitemap, robots.txt and the claims exports. Nothing
here is string-templated: JSON comes from `json.dumps` (then made safe inside <script>), XML
from ElementTree, CSV from the csv module, so no value a writer types can break out of its place.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING, Any

from sitegen.models import Date, FactCheck
from sitegen.site.routes import (
    CorrectionsFeedRoute,
    DataRoute,
    FactCheckRoute,
    FeedRoute,
    Route,
    newest,
)
from sitegen.urls import absolute_url

if TYPE_CHECKING:
    from sitegen.site.graph import Site

ATOM_NS = "http://www.w3.org/2005/Atom"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                  "\u2028": "\\u2028", "\u2029": "\\u2029"}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""OWASP's list of the first characters that make a spreadsheet read a cell as a formula
(`-2+3+cmd|' /C calc'!A0` runs a program in old Excel)."""
_WHOLE_NUMBER = re.compile(r"-?[0-9]+").fullmatch
CSV_COLUMNS = ("url", "claim", "claimant", "claim_date", "verdict", "verdict_label", "rating",
               "published", "updated", "tags", "sources")


def json_for_script(data: Any) -> str:
    """JSON that cannot close or confuse the <script> element it is placed in."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group()], text)


def page_url(site: Site, fc: FactCheck) -> str:
    return absolute_url(site.config.site.base_url, site.path_of(fc))


def share_image(site: Site, fc: FactCheck) -> str | None:
    """The absolute URL of the article's own image, else of its share card, if any."""
    if fc.image is not None:
        if fc.image.startswith("/"):
            return absolute_url(site.config.site.base_url, fc.image[1:])
        return fc.image
    card = site.card_path(fc)
    return None if card is None else absolute_url(site.config.site.base_url, card)


def claim_review(site: Site, fc: FactCheck) -> dict[str, Any]:
    """schema.org ClaimReview as Google's guidelines and the Fact Check Explorer read it."""
    config = site.config
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url(site, fc),
        "claimReviewed": fc.claim,
        "datePublished": iso(fc.date),
    }
    modified = fc.last_modified  # a property that compares dates: asked once
    if modified != fc.date:
        review["dateModified"] = iso(modified)
    review["author"] = publisher(site)
    review["reviewRating"] = rating(site, fc)
    review["itemReviewed"] = claim_item(fc)
    if fc.summary:
        review["reviewBody"] = fc.summary
    review["headline"] = fc.title
    review["inLanguage"] = fc.lang or config.site.language
    image = share_image(site, fc)
    if image is not None:
        review["image"] = image
    return review


def publisher(site: Site) -> dict[str, Any]:
    pub = site.config.publisher
    org: dict[str, Any] = {"@type": "Organization",
                           "name": pub.name or site.config.site.title,
                           "url": pub.url or site.config.site.base_url}
    if pub.logo:
        org["logo"] = {"@type": "ImageObject", "url": pub.logo}
    return org


def rating(site: Site, fc: FactCheck) -> dict[str, Any]:
    """The verdict's label always; numbers only for verdicts on the true-false axis."""
    verdict = site.verdict(fc.verdict)
    value: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
    ratings = [v.rating for v in site.config.verdicts if v.rating is not None]
    if verdict.rating is not None and ratings:
        value.update(ratingValue=verdict.rating, bestRating=max(ratings),
                     worstRating=min(ratings))
    return value


def claim_item(fc: FactCheck) -> dict[str, Any]:
    author: dict[str, Any] = {"@type": "Organization" if fc.claimant_type == "organization"
                              else "Person", "name": fc.claimant}
    if fc.claimant_url:
        author["sameAs"] = fc.claimant_url
    claim: dict[str, Any] = {"@type": "Claim", "author": author}
    if fc.claim_date:
        claim["datePublished"] = iso(fc.claim_date)
    if fc.claim_url:
        claim["appearance"] = {"@type": "CreativeWork", "url": fc.claim_url}
    return claim


def iso(value: Date) -> str:
    return value.isoformat()


def as_datetime(value: Date) -> dt.datetime:
    """Dates become midnight UTC; naive times are taken as UTC, so feeds are deterministic."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = _xml_text(text)
    return element


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _rfc3339(value: Date) -> str:
    return as_datetime(value).isoformat().replace("+00:00", "Z")


def _summary(site: Site, fc: FactCheck) -> str:
    label = site.verdict(fc.verdict).label
    text = f"{label}: {fc.claimant} said \u201c{fc.claim}\u201d"
    return f"{text} {fc.summary}" if fc.summary else text


def _atom_head(site: Site, title: str, path: str, page_path: str, updated: Date) -> ET.Element:
    """The feed element with everything but its entries (shared by every Atom feed)."""
    base = site.config.site.base_url
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": site.config.site.language})
    _sub(feed, "id", absolute_url(base, page_path))
    _sub(feed, "title", title)
    _sub(feed, "updated", _rfc3339(updated))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=absolute_url(base, path))
    _sub(feed, "link", rel="alternate", type="text/html", href=absolute_url(base, page_path))
    _sub(_sub(feed, "author"), "name", site.config.publisher.name or site.config.site.title)
    _sub(feed, "generator", "sitegen")
    return feed


def atom_feed(site: Site, route: FeedRoute) -> bytes:
    feed = _atom_head(site, route.title, route.path, route.page_path,
                      route.last_modified or _site_epoch(site))
    for fc in route.items:
        _atom_entry(site, feed, fc)
    return _xml_bytes(feed)


def _atom_entry(site: Site, feed: ET.Element, fc: FactCheck) -> None:
    base = site.config.site.base_url
    url = page_url(site, fc)
    verdict = site.verdict(fc.verdict)
    entry = _sub(feed, "entry", **{"xml:base": url})
    _sub(entry, "id", url)
    _sub(entry, "title", fc.title)
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    _sub(entry, "published", _rfc3339(fc.date))
    _sub(entry, "updated", _rfc3339(fc.last_modified))
    for name in fc.authors:
        _sub(_sub(entry, "author"), "name", name)
    _sub(entry, "category", term=verdict.id, label=verdict.label,
         scheme=absolute_url(base, "verdicts/"))
    for tag in fc.tags:
        _sub(entry, "category", term=tag, scheme=absolute_url(base, "tags/"))
    _sub(entry, "summary", _summary(site, fc), type="text")
    content = (f"<p><strong>Verdict: {escape(verdict.label)}</strong></p>"
               f"<blockquote><p>{escape(fc.claim)}</p><p>\u2014 {escape(fc.claimant)}</p>"
               f"</blockquote>{fc.body_html}")
    _sub(entry, "content", content, type="html")


def corrections_feed(site: Site, route: CorrectionsFeedRoute) -> bytes:
    """The corrections log as Atom: one entry per update, linked to its place in the article.

    An entry's id is the article's URL with the update's anchor, so it stays the same when
    later updates are added; its `updated` is the update's date."""
    base = site.config.site.base_url
    feed = _atom_head(site, route.title, route.path, route.page_path,
                      route.last_modified or _site_epoch(site))
    for entry in route.entries:
        update = entry.update
        url = absolute_url(base, entry.path) + "#" + update.anchor
        item = _sub(feed, "entry")
        _sub(item, "id", url)
        kind = "corrections_verdict_changed" if update.verdict else "corrections_update"
        _sub(item, "title", f"{site.config.messages.text(kind)}: {entry.title}")
        _sub(item, "link", rel="alternate", type="text/html", href=url)
        _sub(item, "updated", _rfc3339(update.date))
        if update.verdict:
            verdict = site.verdict(update.verdict)
            _sub(item, "category", term=verdict.id, label=verdict.label,
                 scheme=absolute_url(base, "verdicts/"))
        _sub(item, "summary", _change_text(site, entry.claimant, update.verdict,
                                           update.previous_verdict, update.note), type="text")
    return _xml_bytes(feed)


def _change_text(site: Site, claimant: str, verdict: str | None, previous: str | None,
                 note: str) -> str:
    if verdict is None:
        return note
    now = site.verdict(verdict).label
    if previous:
        return site.config.messages.text("feed_verdict_changed_from", claimant=claimant,
                                         was=site.verdict(previous).label, verdict=now, note=note)
    return site.config.messages.text("feed_verdict_changed", claimant=claimant, verdict=now,
                                     note=note)


def rss_feed(site: Site, route: FeedRoute) -> bytes:
    base = site.config.site.base_url
    rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS})
    channel = _sub(rss, "channel")
    _sub(channel, "title", route.title)
    _sub(channel, "link", absolute_url(base, route.page_path))
    _sub(channel, "description", site.config.site.description or route.title)
    _sub(channel, "language", site.config.site.language)
    _sub(channel, "lastBuildDate",
         format_datetime(as_datetime(route.last_modified or _site_epoch(site))))
    _sub(channel, "atom:link", rel="self", type="application/rss+xml",
         href=absolute_url(base, route.path))
    _sub(channel, "generator", "sitegen")
    for fc in route.items:
        item = _sub(channel, "item")
        _sub(item, "title", fc.title)
        _sub(item, "link", page_url(site, fc))
        _sub(item, "guid", page_url(site, fc), isPermaLink="true")
        _sub(item, "pubDate", format_datetime(as_datetime(fc.date)))
        # RSS defines <description> as HTML: escape the text so readers show it, never run it.
        _sub(item, "description", escape(_summary(site, fc)))
        _sub(item, "category", site.verdict(fc.verdict).label)
    return _xml_bytes(rss)


def _site_epoch(site: Site) -> Date:
    """The 'updated' of an empty feed: the newest fact-check of the site, or a fixed date."""
    return newest(site.factchecks) or dt.date(1970, 1, 1)


def sitemap_xml(site: Site) -> bytes:
    """Every page, with its translations as hreflang alternates (each page lists all of its
    language versions, itself included, as search engines ask).

    Written as text, not through ElementTree: thirteen thousand entries of two fixed
    elements cost a third of a second as a tree, and the sitemap is made again whenever an
    article's front matter changes. Every value is a URL from absolute_url (percent-encoded)
    or an ISO date, escaped here all the same."""
    base = site.config.site.base_url
    site_changed = _site_epoch(site)  # undated pages (indexes, empty listings) change with it
    homes = [(e.language, e.prefix) for e in site.editions] if len(site.editions) > 1 else []
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n"
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             f'xmlns:xhtml="{XHTML_NS}">\n']
    for route in site.routes:
        if not route.in_sitemap:
            continue
        modified = as_datetime(route.last_modified or site_changed).date().isoformat()
        parts.append(f"  <url>\n    <loc>{_xml_escape(absolute_url(base, route.path))}</loc>"
                     f"\n    <lastmod>{modified}</lastmod>\n")
        for lang, path in _alternates(site, route, homes):
            parts.append(f'    <xhtml:link rel="alternate" hreflang="{_xml_escape(lang)}" '
                         f'href="{_xml_escape(absolute_url(base, path))}" />\n')
        parts.append("  </url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def _xml_escape(text: str) -> str:
    """Text or an attribute value (in double quotes) as XML, as ElementTree writes it."""
    return escape(_xml_text(text), quote=False).replace('"', "&quot;")


def _alternates(site: Site, route: Route,
                homes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(language, site path) of every language version of the page at `route`."""
    if isinstance(route, FactCheckRoute) and route.translations:
        return [(site.language_of(fc), site.path_of(fc))
                for fc in (route.factcheck, *route.translations)]
    if any(route.path == prefix for _, prefix in homes):
        return homes
    return []


def robots_txt(site: Site) -> bytes:
    """Points crawlers at the sitemap; a drafts build asks them to stay away entirely."""
    rule = "Disallow: /" if site.drafts else "Allow: /"
    sitemap = absolute_url(site.config.site.base_url, "sitemap.xml")
    return f"User-agent: *\n{rule}\n\nSitemap: {sitemap}\n".encode()


def claims_json(site: Site) -> bytes:
    """Every ClaimReview as a schema.org DataFeed, the form fact-check aggregators ingest."""
    elements = []
    views = site.views()
    for fc in site.factchecks:
        review = claim_review(views[site.edition_of(fc).prefix], fc)
        review.pop("@context")
        published = review["datePublished"]
        elements.append({"@type": "DataFeedItem", "dateCreated": published,
                         "dateModified": review.get("dateModified", published),
                         "item": [review]})
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": site.config.site.title,
        "url": site.config.site.base_url,
        "dateModified": iso(_site_epoch(site)),
        "dataFeedElement": elements,
    }
    # No indent: json's C encoder only runs without one, 5-10x faster on 10,000 reviews.
    return (json.dumps(feed, ensure_ascii=False) + "\n").encode("utf-8")


def claims_csv(site: Site) -> bytes:
    """One row per fact-check, RFC 4180 (CRLF, quotes doubled)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    views = site.views()
    for fc in site.factchecks:
        verdict = views[site.edition_of(fc).prefix].verdict(fc.verdict)
        writer.writerow([_cell(v) for v in (
            page_url(site, fc), fc.claim, fc.claimant,
            iso(fc.claim_date) if fc.claim_date else "", verdict.id, verdict.label,
            "" if verdict.rating is None else str(verdict.rating), iso(fc.date),
            iso(fc.last_modified) if fc.last_modified != fc.date else "",
            "; ".join(fc.tags), str(len(fc.sources)),
        )])
    return buffer.getvalue().encode("utf-8")


def _cell(value: str) -> str:
    """Every cell, whatever its column, as OWASP advises: one a spreadsheet would run as a
    formula gets a leading ' that keeps it text. A whole number is left as it is: a verdict's
    `rating` may be negative on a newsroom's own scale, '-2' is minus two to every
    spreadsheet, never a formula, and a quote would make the column text."""
    if value.startswith(_CSV_FORMULA) and not _WHOLE_NUMBER(value):
        return "'" + value
    return value


def render_data(site: Site, route: Route) -> bytes:
    """The bytes of a route that is not a Jinja template."""
    if isinstance(route, FeedRoute):
        return atom_feed(site, route) if route.format == "atom" else rss_feed(site, route)
    if isinstance(route, CorrectionsFeedRoute):
        return corrections_feed(site, route)
    assert isinstance(route, DataRoute)
    makers = {"sitemap": sitemap_xml, "robots": robots_txt, "claims-json": claims_json,
              "claims-csv": claims_csv}
    return makers[route.kind](site)
