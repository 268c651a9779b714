"""Which pages the search index holds, and how they are split into shards.

Pagefind holds a whole site in memory while it indexes (about 190 MB per 1,000 fact-checks),
and one run over ten thousand pages peaked at 1.6 to 1.9 GB. So the index is made of shards,
each a complete Pagefind bundle of a part of the pages, and the browser searches them as one
(Pagefind's mergeIndex; see theme/static/assets/search.js).

A page's shard must not depend on the rest of the site, or one added article would move
pages between every shard and a warm build would index everything again. So a page's shard
is found from a hash of its path alone: the pages of a language form a binary trie over the
bits of their hashes, and a node holding more than `max_pages` pages is split in two. An
added page changes the one shard it falls in (or splits it in two when it has grown too
big); every other shard keeps exactly its pages. A shard's name carries a digest of what it
indexes (each page's path and bytes, the Pagefind version), so a bundle whose name is
unchanged can be kept from the last build as it is. Bytes, not modification times: an edit
renders again the articles whose "related" block shows the edited one, byte for byte as
before, and they must not cost their shards a new index.

Shards never mix languages: Pagefind answers a search page in the language of its `<html
lang>`, and a bundle without that language would answer in another one instead. A page's
language here is its edition's (in_editions), the language of the search page that must
find it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

FORMAT = 2
"""The manifest's format, the bundle layout and how pages are digested (index_digest); part
of every shard's digest."""
MANIFEST = "shards.json"
KEY_BITS = 64
UNKNOWN_LANGUAGE = "unknown"
"""Pagefind's name for the language of a page without `lang`."""

_MARK = b"data-pagefind-body"
_AFTER_MARK = frozenset(b" \t\r\n\f=/>")
_LANG = re.compile(rb"""<html\b[^>]*?\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_HEAD = 4096
_SLUG = re.compile(r"[^a-z0-9-]+")


@dataclass(frozen=True, slots=True)
class Page:
    """An HTML file of the site as the indexer finds it."""

    path: str
    """Relative to the site folder, with '/' (`2021/slug/index.html`)."""
    lang: str
    """Lowercased, as Pagefind matches it; UNKNOWN_LANGUAGE when the page has none."""
    digest: bytes
    """SHA-256 of the file's bytes but its unindexed parts (index_digest; the fastest of
    hashlib's here, with the CPU's help)."""


@dataclass(frozen=True, slots=True)
class Shard:
    """Pages of one language indexed together into one Pagefind bundle."""

    lang: str
    label: str
    """'h' and the hash bits its pages share ('h' alone: the language's only shard)."""
    pages: tuple[Page, ...]
    digest: str

    @property
    def name(self) -> str:
        """The bundle's folder under pagefind/: it changes whenever what it indexes does."""
        return f"{language_slug(self.lang)}/{self.label}-{self.digest}"


@dataclass(frozen=True, slots=True)
class Scanned:
    page: Page
    marked: bool
    """The page has an element with `data-pagefind-body`."""


def find_pages(folder: Path, skip: str) -> list[Page]:
    """The pages Pagefind would index in `folder`, by its rule: when any page marks its
    content with `data-pagefind-body`, only the pages that do; otherwise every HTML page.
    The top-level folder `skip` (the search bundle) and hidden files are left out."""
    scanned = []
    for rel in _html_files(folder, skip):
        try:
            scanned.append(scan_page(folder, rel))
        except FileNotFoundError:  # removed since it was listed (the preview's live folder)
            continue
    return indexed(scanned)


def indexed(scanned: Iterable[Scanned]) -> list[Page]:
    """The pages Pagefind indexes of those scanned (see find_pages)."""
    found = list(scanned)
    marked = [s.page for s in found if s.marked]
    return marked if marked else [s.page for s in found]


def scan_page(folder: Path, rel: str) -> Scanned:
    return scan_bytes(rel, (folder / rel).read_bytes())


def scan_bytes(rel: str, data: bytes) -> Scanned:
    """What the indexer needs of a page: a build computes it from the bytes it writes, so a
    warm build need not read ten thousand pages again to see which shards changed."""
    return Scanned(Page(rel, page_language(data), index_digest(data)), has_body_mark(data))


UNINDEXED_START, UNINDEXED_END = b"<!--sitegen:unindexed-->", b"<!--/sitegen:unindexed-->"
_UNINDEXED = re.compile(re.escape(UNINDEXED_START) + rb"(.*?)" + re.escape(UNINDEXED_END),
                        re.S)
_IGNORED = re.compile(rb"\A\s*<[^>]*\sdata-pagefind-ignore[\s=/>]")
_READ_ANYWHERE = re.compile(rb"data-pagefind-(?!ignore)")


def index_digest(data: bytes) -> bytes:
    """SHA-256 of a page's bytes but the parts the theme marks as unindexed: a fact-check's
    related block changes whenever an article joins it or one in it is retitled, and at
    10,000 articles a new article changed the block on pages in nearly every shard (15 s of
    Pagefind for one article). A marked part is left out only when Pagefind cannot read it:
    its first element has `data-pagefind-ignore` and nothing in it carries another
    `data-pagefind-` attribute (filters and metadata are read wherever they are)."""
    if UNINDEXED_START not in data:
        return hashlib.sha256(data).digest()
    hasher, last = hashlib.sha256(), 0
    for part in _UNINDEXED.finditer(data):
        inner = part.group(1)
        if not _IGNORED.match(inner) or _READ_ANYWHERE.search(inner):
            continue
        hasher.update(data[last:part.start()] + UNINDEXED_START)
        last = part.end()
    hasher.update(data[last:])
    return hasher.digest()


def page_language(data: bytes) -> str:
    """The `lang` of the page's `<html>` element, lowercased."""
    found = _LANG.search(data, 0, _HEAD) or _LANG.search(data)
    if found is None:
        return UNKNOWN_LANGUAGE
    value = next(group for group in found.groups() if group is not None)
    text = value.decode("ascii", errors="replace").strip().lower()
    return text or UNKNOWN_LANGUAGE


def has_body_mark(data: bytes) -> bool:
    """`data-pagefind-body` as an attribute inside a tag, not merely mentioned in text."""
    start = 0
    while (at := data.find(_MARK, start)) >= 0:
        end = at + len(_MARK)
        if (data[at - 1:at].isspace() and (end == len(data) or data[end] in _AFTER_MARK)
                and data.rfind(b"<", 0, at) > data.rfind(b">", 0, at)):
            return True
        start = end
    return False


EditionFolders = Sequence[tuple[str, str]]
"""Each edition's folder prefix ('' for the main one, 'ru/') and language, as the indexer
needs them (sitegen.search.index.edition_folders)."""


def in_editions(pages: Iterable[Page], editions: EditionFolders) -> list[Page]:
    """Each page in the language of the edition whose folder holds it (the main edition holds
    every page outside the others'): that edition's search page must find it, and it loads
    the index of its own language only. A page's own `<html lang>` can be a language with no
    edition (a Russian fact-check on an English site, or `pt-BR` in the `pt` edition), whose
    index no search page would load. With no editions given, pages keep their own language."""
    found = list(pages)
    ordered = sorted(editions, key=lambda edition: len(edition[0]), reverse=True)
    if not any(prefix == "" for prefix, _ in ordered):
        return found
    return [replace(page, lang=next(lang for prefix, lang in ordered
                                    if page.path.startswith(prefix)).lower())
            for page in found]


def plan_shards(pages: Iterable[Page], max_pages: int, version: str) -> list[Shard]:
    """Every language's pages split into shards of at most `max_pages` (see the module's
    docstring), ordered by language and hash bits; `version` (Pagefind's) is part of each
    shard's digest, so a new Pagefind indexes every shard again."""
    by_lang: dict[str, list[tuple[int, Page]]] = defaultdict(list)
    for page in pages:
        by_lang[page.lang].append((page_key(page.path), page))
    shards = []
    for lang in sorted(by_lang):
        for bits, members in _split(sorted(by_lang[lang]), 0, "", max(1, max_pages)):
            ordered = tuple(sorted(members, key=lambda p: p.path))
            label = "h" + bits
            shards.append(Shard(lang, label, ordered, _digest(lang, label, ordered, version)))
    return shards


def page_key(path: str) -> int:
    """Where a page sits in the trie: a hash of its path alone."""
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=KEY_BITS // 8).digest(),
                          "big")


def language_slug(lang: str) -> str:
    """A folder name for a language code (`pt-BR` -> `pt-br`)."""
    return _SLUG.sub("_", lang.lower()) or UNKNOWN_LANGUAGE


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the browser reads first: the bundles to search, by language."""

    version: str
    bundles: Mapping[str, tuple[str, ...]]
    """Language -> bundle folders under pagefind/ (with a trailing '/'), the first one the
    primary: its pagefind.js and WebAssembly serve the others."""

    @property
    def names(self) -> frozenset[str]:
        return frozenset(b.rstrip("/") for bundles in self.bundles.values() for b in bundles)


def manifest_bytes(shards: Sequence[Shard], version: str) -> bytes:
    """shards.json: each language's bundles, in trie order (the first is the primary)."""
    languages: dict[str, list[dict[str, object]]] = defaultdict(list)
    for shard in shards:
        languages[shard.lang].append({"bundle": shard.name + "/", "pages": len(shard.pages)})
    data = {"format": FORMAT, "pagefind": version, "languages": dict(sorted(languages.items()))}
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


def read_manifest(path: Path) -> Manifest | None:
    """The manifest at `path`; None when there is none or it cannot be used (another format,
    damaged, a bundle name that leaves the folder): then nothing is kept from it."""
    try:
        data = json.loads(path.read_bytes())
        if data["format"] != FORMAT:
            return None
        bundles = {str(lang): tuple(str(entry["bundle"]) for entry in entries)
                   for lang, entries in data["languages"].items()}
        manifest = Manifest(str(data["pagefind"]), bundles)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not all(_safe_name(name) for name in manifest.names):
        return None
    return manifest


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 2 and all(p and not p.startswith(".") and p != ".." for p in parts)


def _split(keyed: list[tuple[int, Page]], depth: int, bits: str,
           max_pages: int) -> Iterator[tuple[str, list[Page]]]:
    if len(keyed) <= max_pages or depth >= KEY_BITS:
        yield bits, [page for _, page in keyed]
        return
    shift = KEY_BITS - 1 - depth
    zero = [item for item in keyed if not (item[0] >> shift) & 1]
    one = [item for item in keyed if (item[0] >> shift) & 1]
    for half, bit in ((zero, "0"), (one, "1")):
        if half:
            yield from _split(half, depth + 1, bits + bit, max_pages)


def _digest(lang: str, label: str, pages: Sequence[Page], version: str) -> str:
    hasher = hashlib.blake2b(f"{FORMAT}\0{version}\0{lang}\0{label}\0".encode(),
                             digest_size=8)
    for page in pages:
        hasher.update(page.path.encode() + b"\0" + page.digest)
    return hasher.hexdigest()


def _html_files(folder: Path, skip: str) -> Iterator[str]:
    """Relative paths of the regular `.html` files under `folder`, in a stable order."""
    stack = [""]
    while stack:
        prefix = stack.pop()
        try:
            entries = sorted(os.scandir(folder / prefix), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or (not prefix and entry.name == skip):
                continue
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append(rel + "/")
            elif entry.name.endswith(".html") and entry.is_file(follow_symlinks=False):
                yield rel
