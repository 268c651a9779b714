"""Web addresses in a body's Markdown links and images, made valid URLs as front matter's are.

A writer pastes an address from a browser's address bar into a body just as into `sources`:
`[the report](https://example.org/?a=1&b=<x>)`, a path with 'é' or '{id}'. Escaping makes
such an href safe in HTML, but it is still not a URL (the Nu checker rejects the page, and
some readers' browsers and feed readers mangle it). The links Markdown made are encoded here
by the same rule as every other address a writer supplies (`urls.web_address`); the text the
reader sees stays as written. An address no encoding can mend (a broken host) is left as it
is: the body is the writer's, and the link fails as the writer would see it fail.

Raw HTML (`<a href>` typed in a body) is the writer's markup and is not rewritten.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from sitegen.urls import AddressError, web_address

VERSION = 1
"""Part of the Markdown cache's header: bodies converted before this step are converted
again."""
_ATTRIBUTE = {"a": "href", "img": "src"}


class AddressesProcessor(Treeprocessor):
    def run(self, root: Element) -> None:
        for element in root.iter():
            name = _ATTRIBUTE.get(element.tag)
            value = element.get(name) if name is not None else None
            if name is None or value is None or not value.lower().startswith(("http://",
                                                                              "https://")):
                continue
            try:
                element.set(name, web_address(value))
            except AddressError:
                continue


class AddressesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # After inline parsing (20), which makes the links; before serialisation.
        md.treeprocessors.register(AddressesProcessor(md), "sitegen-addresses", 3)
