"""Citations of the fact-check's sources in its body: Pandoc's `[@2]`, `[@tass]`, `[@2; @tass]`.

Converting is split in two so the Markdown cache stays right. The extension turns each
citation into a marker that keeps the keys as written (`<sup class="sitegen-citation"
data-cite="@2; @tass"></sup>`): that depends on the body's text alone, so the converted body
is cached by its text as before. `resolve` then links the markers to the sources of the
front matter, which can change while the body does not (a source's `id` renamed), and runs
on every read, cached body or not: one regular expression over the HTML.

A citation is a link to the source's entry in the numbered list (`#source-2`), with an id of
its own (`cite-2-1`: the first citation of source 2) that the list links back to, as
footnotes do.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

VERSION = "1"
"""Part of the build cache's header: change it whenever the marker changes."""

_KEY = r"@[^\s;\[\]]+"
CITATION = rf"\[({_KEY}(?:[ \t]*;[ \t]*{_KEY})*)\](?![(\[])"
"""A bracket of keys, each `@` and a key, separated by `;`; not a link's text (`[@x](url)`)."""
MARKER_CLASS = "sitegen-citation"
_MARKER = re.compile(rf'<sup class="{MARKER_CLASS}" data-cite="([^"]*)"></sup>')
CLASS = "citation"
"""The class of a resolved citation, which the sanitiser keeps and the theme styles."""


class _CitationPattern(InlineProcessor):
    # InlineProcessor's signature; the stubs give it Pattern's, hence the ignore
    def handleMatch(self, m: re.Match[str], data: str  # type: ignore[override]  # noqa: N802
                    ) -> tuple[ET.Element, int, int]:
        marker = ET.Element("sup", {"class": MARKER_CLASS, "data-cite": m.group(1)})
        return marker, m.start(0), m.end(0)


class CitationsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After `escape` (180), so `\[@2]` stays text; before `reference` (170), which would
        # take the bracket as a link to a reference named '@2'.
        md.inlinePatterns.register(_CitationPattern(CITATION, md), "citation", 175)


def keys_of(written: str) -> list[str]:
    """`@2; @tass` -> ['2', 'tass']."""
    return [part.strip()[1:] for part in written.split(";")]


@dataclass(frozen=True, slots=True)
class Resolved:
    """A body with its citations linked; per source number, how often it is cited; and the
    keys that name no source, in the order written."""

    html: str
    cited: Mapping[int, int]
    unknown: tuple[str, ...]


def resolve(body: str, numbers: Mapping[str, int]) -> Resolved:
    """Link every citation marker of `body` to its source: `numbers` maps each key a source
    answers to (its number, its id) to its number. An unknown key stays as written."""
    if MARKER_CLASS not in body:
        return Resolved(body, {}, ())
    cited: dict[int, int] = {}
    unknown: list[str] = []

    def link(match: re.Match[str]) -> str:
        written = html.unescape(match.group(1))
        links = []
        for key in keys_of(written):
            number = numbers.get(key)
            if number is None:
                unknown.append(key)
                return _as_written(written)
            cited[number] = cited.get(number, 0) + 1
            links.append(f'<a href="#source-{number}" id="cite-{number}-{cited[number]}">'
                         f"{number}</a>")
        return f'<sup class="{CLASS}">{", ".join(links)}</sup>'

    return Resolved(_MARKER.sub(link, body), cited, tuple(unknown))


def as_written(body: str) -> str:
    """Every citation marker back to its text (`[@2]`): for a page, which has no sources."""
    if MARKER_CLASS not in body:
        return body
    return _MARKER.sub(lambda match: _as_written(html.unescape(match.group(1))), body)


def _as_written(written: str) -> str:
    return html.escape(f"[{written}]", quote=False)

