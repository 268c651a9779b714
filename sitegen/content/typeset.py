"""Typographic quotes, dashes and ellipses in the texts the front matter supplies.

A headline, a claim or a note is read as much as the body, and is typed with the same
straight quotes, so it gets what the body gets (markup/typography.py), in the quotation
marks of the document's language: curly quotes in English, guillemets in Russian. It is done once,
here, so every place a text lands (the page, cards, feeds, ClaimReview, the share card, the
claims exports) shows the one published text, each escaped by its own writer.

Names (claimant, authors, tags) are left as typed: each is a page with a URL made from it,
and the same name must make the same page whatever its quotes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sitegen.markup.typography import smarten_text
from sitegen.models import Media, Source

TEXT_FIELDS = ("title", "claim", "summary")


def typeset(values: dict[str, Any], lang: str) -> None:
    """The validated values of a fact-check or page, their texts made typographic."""
    for name in TEXT_FIELDS:
        if values.get(name):
            values[name] = smarten_text(values[name], lang)
    if values.get("sources"):
        values["sources"] = tuple(_source(source, lang) for source in values["sources"])
    if values.get("media"):
        values["media"] = _media(values["media"], lang)
    if values.get("updates"):
        values["updates"] = tuple(replace(update, note=smarten_text(update.note, lang))
                                  for update in values["updates"])


def _media(media: Media, lang: str) -> Media:
    return replace(media, alt=smarten_text(media.alt, lang),
                   caption=media.caption and smarten_text(media.caption, lang),
                   credit=media.credit and smarten_text(media.credit, lang))


def _source(source: Source, lang: str) -> Source:
    """A source's title and publisher; a bare address, its own title, stays as typed."""
    bare = source.url is not None and source.title.startswith(("http://", "https://"))
    title = source.title if bare else smarten_text(source.title, lang)
    publisher = source.publisher and smarten_text(source.publisher, lang)
    return replace(source, title=title, publisher=publisher)
