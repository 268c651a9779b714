"""Wide tables and code blocks in a body scroll inside their own box, reachable by keyboard.

A table of figures is wider than a phone; squeezing it breaks its words, so it scrolls
sideways in a box instead, and so does a long line of code. A box that scrolls must take
keyboard focus, or a reader without a pointer cannot scroll it (WCAG 2.1.1; axe-core's
scrollable-region-focusable). Without JavaScript the only way is `tabindex="0"` in the HTML.

Tables are wrapped in `<div class="table-scroll">` rather than restyled with
`display: block`, which makes some screen readers stop announcing them as tables.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

VERSION = "1"
"""Part of the build cache's header (via markup.EXTENSIONS): change it whenever this module's
output changes, so bodies converted before are converted again."""
WRAPPER_CLASS = "table-scroll"
_PRE_TAG = re.compile(r"<pre(?=[\s>])(?![^>]*\stabindex=)", re.IGNORECASE)


class TablesProcessor(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    parent[index] = _wrapped(child)


class CodeBlocksProcessor(Postprocessor):
    """Fenced code reaches the page as stashed raw HTML, never as a tree element, so its
    `<pre>` is found in the finished text; code text is escaped there and cannot match."""

    def run(self, text: str) -> str:
        return _PRE_TAG.sub('<pre tabindex="0"', text)


def _wrapped(table: ET.Element) -> ET.Element:
    """A focusable box holding the table; the table's tail text stays after the box."""
    wrapper = ET.Element("div", {"class": WRAPPER_CLASS, "tabindex": "0"})
    wrapper.tail, table.tail = table.tail, None
    wrapper.append(table)
    return wrapper


class ScrollablesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # Tables: after block parsing and typography (5). Code: after raw HTML is restored (30).
        md.treeprocessors.register(TablesProcessor(md), "sitegen-tables", 4)
        md.postprocessors.register(CodeBlocksProcessor(md), "sitegen-code-blocks", 5)
