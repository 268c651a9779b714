"""Content files as a watched site last read them, re-read only when they change.

A preview session keeps every file's digest and what it became (`Input`); a rebuild reads
again only the files reported changed, and parses only those whose bytes differ. The first
read of a session goes over the cores (runtime/workers.py) and through the build cache.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from sitegen.cache.bodies import CachingRenderer, save_markdown_cache
from sitegen.cache.documents import Known, encode, entry_key, find, save_document_cache
from sitegen.cache.segments import Stored
from sitegen.config.settings import SiteConfig, config_bytes
from sitegen.content.files import SourceFile, is_source_path, list_sources, read_source
from sitegen.content.read import load_source
from sitegen.markup.convert import MarkdownRenderer, timed_out
from sitegen.models import Document
from sitegen.problems import Problem
from sitegen.runtime.workers import parallel_map


@dataclass(frozen=True, slots=True)
class Input:
    """One content file as last read: the digest of its bytes and what it became."""

    digest: str
    document: Document | None
    problems: tuple[Problem, ...]
    bodies: tuple[tuple[bytes, str], ...] = ()
    """The converted Markdown it used, under cache keys: the next build cache's share."""


@dataclass(frozen=True, slots=True)
class Reading:
    """Every content file after a read, and which of them differ from the previous read:
    a rebuild then looks only at those, not at all ten thousand inputs."""

    inputs: Mapping[str, Input]
    changed: frozenset[str]
    """Files added, removed or read to something new (a file saved unchanged is not here)."""


class InputReader:
    """Reads content files for a session: one Markdown renderer (through the build cache)
    reused for every file it reads."""

    def __init__(self, bodies_file: Stored | None = None,
                 documents_file: Stored | None = None) -> None:
        self.bodies_file = bodies_file
        self.documents_file = documents_file
        """The caches' files as loaded (None without a cache): saving appends to them."""
        self.renderer = CachingRenderer(MarkdownRenderer(),
                                        bodies_file.entries if bodies_file else {})
        self.documents: Mapping[bytes, str] = documents_file.entries if documents_file else {}
        """The documents cache (cache/documents.py): files read by an earlier build or session."""

    def read(self, config: SiteConfig, previous: Mapping[str, Input],
             changed: Collection[Path] | None) -> Reading:
        """Every content file, re-read only when new or reported changed, re-parsed only when
        its bytes differ: a save that changes nothing costs one hash."""
        content = config.content_path.absolute()
        if (changed is not None and previous and content.is_dir()
                and config.build.content_dir not in previous
                and not any(p.absolute() == content for p in changed)):
            return self._update(config, previous, changed)
        inputs = self._list_and_read(config, previous, changed)
        differ = {rel for rel, new in inputs.items() if previous.get(rel) is not new}
        return Reading(inputs, frozenset(differ | (previous.keys() - inputs.keys())))

    def _list_and_read(self, config: SiteConfig, previous: Mapping[str, Input],
                       changed: Collection[Path] | None) -> Mapping[str, Input]:
        """The whole content folder listed again: the first read, or the folder itself
        changed (made again by a checkout, say)."""
        paths, listing_problems = list_sources(config.root, config.content_path)
        root = config.root.absolute()
        touched = None if changed is None else {
            p.absolute().relative_to(root).as_posix() for p in changed
            if p.absolute().is_relative_to(root)}
        inputs: dict[str, Input] = {}
        unread: list[str] = []
        for rel in paths:
            old = previous.get(rel)
            if old is not None and touched is not None and rel not in touched:
                inputs[rel] = old
            else:
                unread.append(rel)
                inputs[rel] = Input("", None, ())  # keeps the listing's order
        inputs.update(self._read_many(config, unread, previous))
        if listing_problems:
            inputs[config.build.content_dir] = Input("", None, tuple(listing_problems))
        return MappingProxyType(inputs)

    def _update(self, config: SiteConfig, previous: Mapping[str, Input],
                changed: Collection[Path]) -> Reading:
        """Update the changed files, and list again only the folders that changed (listing
        all ten thousand files of the content folder was most of a one-edit rebuild)."""
        inputs = dict(previous)
        root, content = config.root.absolute(), config.content_path.absolute()
        looked_at: set[str] = set()  # every file read, dropped or listed again
        for path in changed:
            absolute = path.absolute()
            if not absolute.is_relative_to(content):
                continue
            rel = absolute.relative_to(root).as_posix()
            looked_at.update(self._update_one(config, inputs, previous, absolute, rel))
        differ = frozenset(rel for rel in looked_at if inputs.get(rel) is not previous.get(rel))
        return Reading(MappingProxyType(inputs), differ)  # order is irrelevant: the graph sorts

    def _update_one(self, config: SiteConfig, inputs: dict[str, Input],
                    previous: Mapping[str, Input], absolute: Path, rel: str) -> set[str]:
        """One reported path: a file saved, added or removed, or a folder (or what was one)
        listed again. Returns the files it read or dropped."""
        is_file = absolute.is_file()
        if is_file and rel in inputs:  # the usual save
            inputs[rel] = self._read_one(config, rel, previous.get(rel))
            return {rel}
        looked_at = set()
        if rel in inputs:  # a file deleted, or replaced by a folder of the same name
            del inputs[rel]
            looked_at.add(rel)
        known_below = [k for k in inputs if k.startswith(rel + "/")]
        if known_below or absolute.is_dir():  # a folder, or a file that replaced one
            looked_at.update(self._relist(config, inputs, previous, absolute, known_below))
        if is_file and is_source_path(config.content_path.absolute(), absolute):
            inputs[rel] = self._read_one(config, rel, previous.get(rel))
            looked_at.add(rel)
        return looked_at

    def _relist(self, config: SiteConfig, inputs: dict[str, Input],
                previous: Mapping[str, Input], folder: Path, known: list[str]) -> set[str]:
        """Bring one folder's files in `inputs` in line with the disk: new ones read, gone
        ones dropped (the folder itself may be gone: a deleted or renamed year). Returns the
        files it read or dropped."""
        below = config.root / folder.relative_to(config.root.absolute())  # as the full build
        present = list_sources(config.root, below)[0] if folder.is_dir() else []
        gone = set(known) - set(present)
        for rel in gone:
            inputs.pop(rel, None)
        added = [rel for rel in present if rel not in inputs]
        for rel in added:
            inputs[rel] = self._read_one(config, rel, previous.get(rel))
        return gone.union(added)

    def _read_many(self, config: SiteConfig, rels: Sequence[str],
                   previous: Mapping[str, Input]) -> dict[str, Input]:
        """`_read_one` for many files, over the cores; an unchanged file keeps its very
        Input object (a worker's copy would be equal but not identical, and the rebuild
        relies on identity to skip unchanged documents cheaply)."""
        def work(share: Sequence[str], scale: int) -> list[Input]:
            return [self._read_one(config, rel, previous.get(rel)) for rel in share]

        read = parallel_map(work, rels)
        found: dict[str, Input] = {}
        for rel, new in zip(rels, read, strict=True):
            old = previous.get(rel)
            found[rel] = old if old is not None and old.digest == new.digest else new
        return found

    def _read_one(self, config: SiteConfig, rel: str, old: Input | None) -> Input:
        source = read_source(config.root, rel)
        if not isinstance(source, SourceFile):
            return Input("", None, (source,))
        digest = source.digest
        if old is not None and old.digest == digest:
            return old
        known = find(self.documents, entry_key(rel, digest), self.renderer.known)
        if known is not None:
            return Input(digest, known.document, known.problems, tuple(
                (key, self.renderer.known[key]) for key in known.bodies
                if key in self.renderer.known))
        document, problems = load_source(source, config, self.renderer)
        hits, new = self.renderer.take()
        if timed_out(problems):  # never cached: converted again when next read
            return Input(digest, document, tuple(problems))
        bodies = tuple((key, self.renderer.known[key]) for key in hits) + tuple(new.items())
        return Input(digest, document, tuple(problems), bodies)

    def save_cache(self, config: SiteConfig, inputs: Mapping[str, Input]) -> list[Problem]:
        """Both caches as this read left them; each file only when it changed."""
        bodies = {key: html for i in inputs.values() for key, html in i.bodies}
        problems = [] if bodies == self.renderer.known else save_markdown_cache(
            config.root, bodies, self.bodies_file)
        entries = {}
        for rel, read in inputs.items():
            if not read.digest or timed_out(read.problems):
                continue  # not read (unreadable, or the listing's own problems), or timed out
            key = entry_key(rel, read.digest)
            entries[key] = self.documents.get(key) or encode(
                Known(read.document, read.problems, tuple(k for k, _ in read.bodies)), bodies)
        if entries != self.documents:
            problems += save_document_cache(config.root, config_bytes(config), entries,
                                            self.documents_file)
        return problems
