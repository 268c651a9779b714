"""Markdown -> HTML with one configured Python-Markdown instance, reused for every file.

Building a Markdown instance costs more than converting a short article, so a process makes one
and resets it between documents. Markdown is most of a build's time; see typography.py for why
typographic quotes do not come from `smarty`.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions.toc import slugify_unicode

from .typography import TypographyExtension

EXTENSIONS = ("tables", "footnotes", "fenced_code", "sane_lists", "toc")


class MarkdownRenderer:
    """Callable that converts one body; not thread-safe, make one per process or thread."""

    def __init__(self) -> None:
        self._md = Markdown(
            extensions=[*EXTENSIONS, TypographyExtension()],
            extension_configs={
                "toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
                # U+FE0E asks for the text glyph: phones otherwise draw the arrow as an emoji.
                "footnotes": {"BACKLINK_TEXT": "\u21a9\ufe0e"},
            },
            output_format="html",
        )

    def __call__(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)
