"""Markdown bodies already converted, kept between builds in the site's cache folder.

Converting Markdown is nine tenths of a cold build, and an archive's bodies rarely change, so
`.sitegen-cache/markdown.bin` keeps each body's HTML under a digest of the body's text. The
key is the text alone; everything else that shapes the HTML (sitegen's and Markdown's
versions, the extensions) is written in the file's header, and a file with another header is
thrown away whole. Front matter is always read and checked again, so a cache can never hide
an error, and the cache holds nothing but strings: a file from elsewhere (a CI cache
restored on another runner, a damaged disk) is checked end to end with digests and at worst
discarded with a notice (segments.py: the file format, extended by each build rather than
written again). The cache is never needed: removing it only costs time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import markdown

from sitegen.cache.folder import BODIES_FILE, stamp
from sitegen.cache.segments import KEY_BYTES, Stored, load_entries, save_entries
from sitegen.markup.convert import EXTENSIONS
from sitegen.markup.typography import ENGLISH, quotes_for
from sitegen.markup.typography import VERSION as TYPOGRAPHY_VERSION
from sitegen.problems import Problem
from sitegen.version import __version__

MAGIC = stamp("markdown", 2)
RENDERER = (f"sitegen {__version__}; Markdown {markdown.__version__}; "
            f"{' '.join(EXTENSIONS)}; typography {TYPOGRAPHY_VERSION}\n").encode()


def body_key(text: str, lang: str | None = None) -> bytes:
    """A body's key: its text, and the language when its quotation marks are not English
    (« » in Russian), so English bodies keep the keys they had."""
    quotes = quotes_for(lang)
    marks = "" if quotes == ENGLISH else "".join((*quotes.double, *quotes.nested)) + "\0"
    return hashlib.blake2b((marks + text).encode("utf-8"), digest_size=KEY_BYTES).digest()


def load_markdown_cache(root: Path) -> tuple[Stored, list[Problem]]:
    """The cached bodies, or none (with a notice when a file was there but not usable)."""
    return load_entries(root, BODIES_FILE, MAGIC, RENDERER,
                        "was made by another version of sitegen or Markdown")


def save_markdown_cache(root: Path, entries: Mapping[bytes, str],
                        stored: Stored | None = None) -> list[Problem]:
    """`entries` into the cache; `stored` is the file as loaded, to append to."""
    return save_entries(root, BODIES_FILE, MAGIC, RENDERER, entries,
                        "the next build converts every body again", stored)


@dataclass
class CachingRenderer:
    """A Markdown renderer that looks in the cache first, and remembers what it used, so the
    next cache holds exactly the bodies of this build (deleted articles drop out)."""

    render: Callable[[str, str | None], str]
    known: Mapping[bytes, str]
    hits: list[bytes] = field(default_factory=list)
    new: dict[bytes, str] = field(default_factory=dict)

    def __call__(self, text: str, lang: str | None = None) -> str:
        key = body_key(text, lang)
        html = self.known.get(key)
        if html is not None:
            self.hits.append(key)
            return html
        html = self.new.get(key)
        if html is None:
            html = self.new[key] = self.render(text, lang)
        return html

    def take(self) -> tuple[list[bytes], dict[bytes, str]]:
        """What was used since the last call: cached keys, and newly converted bodies."""
        taken = (self.hits, self.new)
        self.hits, self.new = [], {}
        return taken
