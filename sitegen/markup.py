"""Markdown -> HTML with one configured Python-Markdown instance, reused for every file.

Building a Markdown instance costs more than converting a short article, so a process makes one
and resets it between documents. Markdown is most of a build's time; see typography.py for why
typographic quotes do not come from `smarty`.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode

from .scrollables import VERSION as SCROLLABLES_VERSION
from .scrollables import ScrollablesExtension
from .typography import TypographyExtension

EXTENSIONS = ("tables", "footnotes", "fenced_code", "sane_lists", "toc",
              f"scrollables {SCROLLABLES_VERSION}")
"""The extensions, by name (for the build cache's header): keep in step with __init__."""


class MarkdownRenderer:
    """Callable that converts one body; not thread-safe, make one per process or thread."""

    def __init__(self) -> None:
        # Extension objects, not names: a name makes Markdown scan every installed
        # package's entry points, 100 ms of a small site's build.
        self._md = Markdown(
            extensions=[
                TableExtension(),
                # U+FE0E asks for the text glyph: phones otherwise draw the arrow as an emoji.
                FootnoteExtension(BACKLINK_TEXT="\u21a9\ufe0e"),
                FencedCodeExtension(),
                SaneListExtension(),
                TocExtension(slugify=slugify_unicode, toc_depth="2-4"),
                TypographyExtension(),
                ScrollablesExtension(),
            ],
            output_format="html",
        )

    def __call__(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)
