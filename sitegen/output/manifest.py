"""Pages of the last build kept as they are: a warm build renders only what changed.

Every page is a function of its route (a frozen value naming the documents it shows), of
what every page shows (the navigation, the drafts banner), of the templates and the config.
A page's fingerprint is a digest of all of that, with each document standing for the digest
of its file's bytes; a static file's or share card's is its source's path, size and
modification time. The page cache (sitegen.cache.pages) remembers, for the output folder,
each file's fingerprint and its size and modification time as written. A build whose route has
the same fingerprint, and whose file in output/ is still exactly as written, leaves that
file where it is instead of making it again (publish.py); anything else is made again. A
manifest that cannot be read, or an output folder sitegen did not make, is ignored (the build
makes everything, as without a cache): it is never trusted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.cache.bodies import RENDERER
from sitegen.cache.pages import StoredPages, load_pages, save_pages
from sitegen.models import Document
from sitegen.output.folder import MARKER
from sitegen.problems import Problem
from sitegen.search.shards import Page, Scanned
from sitegen.site.graph import Site
from sitegen.site.routes import DataRoute, NotFoundRoute, Route
from sitegen.version import __version__


@dataclass(frozen=True, slots=True)
class PageRecord:
    """A file as this build wrote it (or kept it)."""

    path: str
    fingerprint: str
    size: int
    mtime_ns: int
    kept: bool = False
    page: bool = True
    """A rendered page or data file, not a static file or share card copied."""
    scan: Scanned | None = None
    """For an HTML file, what the search indexer needs of it (shards.scan_bytes)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What a build may keep from the last one into `output`."""

    output: Path
    salt: str
    digests: Mapping[str, str]
    """Document source path -> digest of its file's bytes."""
    previous: Mapping[str, tuple[str, int, int]]
    """Output file -> (fingerprint, size, mtime_ns) as the last build wrote it."""
    search: bool
    """The last build made a search index."""
    whole: str = ""
    """A digest of every document and page path: what whole-site files (sitemap, claims
    exports) are made from, beyond their routes."""
    scans: Mapping[str, Scanned] = dataclasses.field(default_factory=dict)
    """HTML file -> the search indexer's scan of it as the last build wrote it."""
    carried: str = ""
    """A digest of the files the 404 pages carry inside them (render/stylesheet.py): a
    change to the stylesheet makes those again, and no other page."""
    _shared: dict[int, tuple[object, str]] = dataclasses.field(
        default_factory=dict, compare=False, repr=False)
    """Long tuples already fingerprinted, by identity, with the digest of their text: one
    listing's pages all hold the same tuple of its page paths, and fingerprinting it once per
    page was quadratic (2,500 pages of the all-articles listing at 50,000 articles)."""

    def fingerprint(self, route: Route) -> str:
        hasher = hashlib.blake2b(self.salt.encode(), digest_size=16)
        if isinstance(route, DataRoute):
            hasher.update(self.whole.encode())
        elif isinstance(route, NotFoundRoute):
            hasher.update(self.carried.encode())
        parts: list[str] = []
        _feed(parts, route, self.digests, self._shared)
        hasher.update("".join(parts).encode())
        return hasher.hexdigest()

    def forget_shared(self) -> None:
        """Let go of the long tuples memo once every page is fingerprinted: it holds the
        listings' tuples of documents, and through them the whole site graph."""
        self._shared.clear()

    def unchanged(self, path: str, fingerprint: str | None,
                  page: bool = True) -> PageRecord | None:
        """The last build's file at `path` (an output file path) when it was made from the same
        `fingerprint` and is still exactly as written: this build leaves it as it is."""
        known = self.previous.get(path)
        if fingerprint is None or known is None or known[0] != fingerprint:
            return None
        try:  # os.stat of a joined string: a Path per file cost 1.5 s at 50,000 articles
            stat = os.stat(os.path.join(self.output, path))
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != known[1:]:
            return None  # changed since it was written: make it again
        return PageRecord(path, fingerprint, stat.st_size, stat.st_mtime_ns, kept=True,
                          page=page, scan=self.scans.get(path))

    def unchanged_copies(self, copies: Sequence[tuple[str, Path]]
                         ) -> tuple[list[PageRecord], list[tuple[str, Path]]]:
        """Of copied files (output path, source), the records of those output/ has as the
        last build copied them from an unchanged source, and the ones to copy again."""
        kept, rest = [], []
        for rel, source in copies:
            record = self.unchanged(rel, file_fingerprint(source), page=False)
            if record is None:
                rest.append((rel, source))
            else:
                kept.append(record)
        return kept, rest

    def as_before(self, records: Sequence[PageRecord], search: bool) -> bool:
        """Whether a build left every file as the last one did: its record would be the same
        bytes again (4.8 MB of JSON at 10,000 articles), so it need not be written."""
        return (search == self.search and len(records) == len(self.previous)
                and all(record.kept for record in records))

    def record(self, path: str, fingerprint: str, written: Path, page: bool = True,
               scan: Scanned | None = None) -> PageRecord:
        stat = written.stat()
        return PageRecord(path, fingerprint, stat.st_size, stat.st_mtime_ns, page=page,
                          scan=scan)


def file_fingerprint(source: Path) -> str | None:
    """What a copied file (static, share card) is made from: its source as it is now; None
    when the source is gone (the copy is then made again, or reported missing)."""
    try:
        stat = os.stat(source)
    except OSError:
        return None
    return f"file:{source.absolute()}:{stat.st_size}:{stat.st_mtime_ns}"


def frame(site: Site) -> object:
    """What every page shows besides its own route: the navigation (each edition's) and the
    drafts banner."""
    return (tuple(tuple(view.menu_links) for view in site.views().values()), site.drafts)


def whole_site(site: Site, shapes: Mapping[str, str]) -> str:
    """What the whole-site files (DataRoutes: sitemap, robots.txt, claims.json, claims.csv)
    are made of beyond their routes: every page's path and every document's values but its
    body (cache.documents.shape_of). None of them shows a body, so a writer's edit to an analysis
    leaves them as they are; a data file that shows bodies must be a route that names its
    documents instead (like the feeds), or this digest must take the file digests."""
    hasher = hashlib.blake2b(digest_size=16)
    for route in site.routes:
        hasher.update(route.path.encode() + b"\0")
    documents: list[Document] = [*site.factchecks, *site.pages]
    for document in documents:
        shape = shapes.get(document.source_path)
        if not shape:  # not known: the whole-site files are made again
            return uuid.uuid4().hex
        hasher.update(f"{document.source_path}:{shape}\0".encode())
    return hasher.hexdigest()


def site_salt(config_bytes: bytes, template_folders: Sequence[Path], frame: object) -> str:
    """What every page depends on besides its route."""
    hasher = hashlib.blake2b(f"sitegen {__version__}\n".encode(), digest_size=16)
    hasher.update(RENDERER)
    hasher.update(config_bytes)
    for folder in template_folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
                    hasher.update(path.read_bytes())
    hasher.update(repr(frame).encode())
    return hasher.hexdigest()


def files_digest(files: Sequence[Path]) -> str:
    """A digest of some files' paths and bytes, a missing file counting as such."""
    hasher = hashlib.blake2b(digest_size=16)
    for file in files:
        hasher.update(file.as_posix().encode() + b"\0")
        hasher.update(file.read_bytes() if file.is_file() else b"(none)\0")
    return hasher.hexdigest()


def load_plan(root: Path, output: Path, salt: str, digests: Mapping[str, str],
              whole: str, carried: str = "") -> Plan:
    """The last build's record for `output`; an empty one when there is none or it cannot be
    used (another output folder, unreadable, an output folder sitegen did not make): then
    every page is rendered."""
    empty = Plan(output, salt, digests, {}, False, whole, carried=carried)
    if not (output / MARKER).is_file():
        return empty
    stored = load_pages(root, output)
    if stored is None:
        return empty
    try:
        previous = {str(k): (str(v[0]), int(v[1]), int(v[2]))
                    for k, v in stored.pages.items()}
        scans = {str(k): Scanned(Page(str(k), str(v[0]), bytes.fromhex(v[1])), bool(v[2]))
                 for k, v in stored.scans.items()}
    except (ValueError, KeyError, TypeError, IndexError):
        return empty
    return Plan(output, salt, digests, previous, stored.search, whole, scans, carried=carried)


def save_plan(root: Path, output: Path, records: Sequence[PageRecord],
              search: bool) -> list[Problem]:
    """Remember what this build wrote, for the next one (sitegen.cache.pages)."""
    return save_pages(root, output, StoredPages(
        search, {r.path: [r.fingerprint, r.size, r.mtime_ns] for r in records},
        {r.path: [r.scan.page.lang, r.scan.page.digest.hex(), r.scan.marked]
         for r in records if r.scan is not None}))


def _feed(out: list[str], value: object, digests: Mapping[str, str],
          shared: dict[int, tuple[object, str]]) -> None:
    """A route's value as text, structurally; a document stands for its file's digest. The
    parts are hashed together at the end (one update, not one per value: 13,000 routes of
    some fifty values each are fingerprinted on every warm build). A long tuple stands for a
    digest of its text, kept in `shared` by identity with the tuple itself, so an id is
    never taken for another tuple's."""
    if isinstance(value, _SCALARS):
        out.append(f"{type(value).__name__}:{value!r}\0")
    elif isinstance(value, Document):
        out.append(f"doc:{value.source_path}:{digests.get(value.source_path, '?')}\0")
    elif isinstance(value, (tuple, list)):
        long = isinstance(value, tuple) and len(value) > 8
        entry = shared.get(id(value)) if long else None
        if entry is not None and entry[0] is value:
            out.append(entry[1])
            return
        inner: list[str] = ["["]
        for item in value:
            _feed(inner, item, digests, shared)
        inner.append("]")
        text = "".join(inner)
        if long:  # kept as a digest: the texts of 3,400 listing pages' tuples were 5 MB
            text = "#" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest() + "\0"
            shared[id(value)] = (value, text)
        out.append(text)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(f"{type(value).__name__}(")
        for name in _field_names(type(value)):
            out.append(name + "=")
            _feed(out, getattr(value, name), digests, shared)
        out.append(")")
    elif isinstance(value, Mapping):
        out.append("{")
        for key in sorted(value, key=repr):
            _feed(out, key, digests, shared)
            _feed(out, value[key], digests, shared)
        out.append("}")
    else:  # an unknown kind of value: its repr, so a change still changes the fingerprint
        out.append(f"{type(value).__name__}:{value!r}\0")


_SCALARS = (str, int, float, bool, type(None), dt.date, enum.Enum)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(item.name for item in dataclasses.fields(cls))
