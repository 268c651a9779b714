"""Every content file from bytes to a validated document, through the build's two caches.

A file whose path and bytes the documents cache knows (cache/documents.py) is not parsed
again: its document and problems come back as they were. The others are read, parsed and
validated over the cores (runtime/workers.py), their bodies converted unless the Markdown cache
has them (cache/bodies.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sitegen.cache.bodies import CachingRenderer
from sitegen.cache.documents import Known, encode, entry_key, find, shape_of
from sitegen.config.settings import SiteConfig
from sitegen.content.body import RenderMarkdown
from sitegen.content.files import SourceFile, list_sources, read_source
from sitegen.content.front_matter import read_record
from sitegen.content.validate import validate_record
from sitegen.markup.convert import MarkdownRenderer, timed_out
from sitegen.models import Document
from sitegen.problems import Problem
from sitegen.progress import Progress
from sitegen.runtime.workers import parallel_map


@dataclass(frozen=True, slots=True)
class Read:
    """Every content file read; all problems of all files, in file order."""

    documents: list[Document]
    problems: list[Problem]
    bodies: dict[bytes, str]
    """The Markdown cache for the next build: every body of this one."""
    digests: dict[str, str]
    """Content file -> digest of its bytes (what a kept page's fingerprint says of it), when
    the caches are used."""
    entries: dict[bytes, str]
    """The documents cache for the next build: every file of this one (when it was used)."""
    shapes: dict[str, str]
    """Content file -> digest of its document's values but its body (cache.documents.shape_of),
    when the documents cache is used."""


def load_documents(
    config: SiteConfig, progress: Progress | None = None,
    cached: Mapping[bytes, str] | None = None, known: Mapping[bytes, str] | None = None,
) -> Read:
    """Read every content file, in as many processes as the command asked for
    (runtime.workers). Bodies found in `cached` (the
    Markdown cache) are not converted again; files found in `known` (the documents cache)
    are not parsed again. This process reads a file only to look it up in `known`, and keeps
    none of its bytes: the files to parse are read by the workers that parse them, so ten
    thousand files' bytes are never held at once (70 MB of a cold build's peak)."""
    paths, problems = list_sources(config.root, config.content_path)
    bodies_known = cached if cached is not None else {}
    results: list[Known | None] = [None] * len(paths)
    digests: dict[str, str] = {}
    entries: dict[bytes, str] = {}
    shapes: dict[str, str] = {}
    kept = known or {}
    for at, rel in enumerate(paths if kept else ()):  # an empty cache has nothing to find
        source = read_source(config.root, rel)
        if not isinstance(source, SourceFile):
            continue  # its worker reports it
        digests[rel] = source.digest
        key = entry_key(rel, source.digest)
        hit = find(kept, key, bodies_known)
        if hit is not None:
            results[at], entries[key], shapes[rel] = hit, kept[key], hit.shape
    missing = [at for at, result in enumerate(results) if result is None]
    render = CachingRenderer(MarkdownRenderer(), bodies_known)

    def work(share: Sequence[str], scale: int) -> list[Loaded]:
        loaded = []
        for rel in share:
            loaded.append(_load(rel, config, render, bodies_known, encoding=known is not None))
            if progress and scale and (len(loaded) % 200 == 0 or len(loaded) == len(share)):
                progress("reading", min(len(missing), len(loaded) * scale), len(missing))
        return loaded

    converted: dict[bytes, str] = {}
    for at, (result, new, text, digest) in zip(
            missing, parallel_map(work, [paths[at] for at in missing]), strict=True):
        results[at] = result
        converted.update(new)
        if digest:
            digests[paths[at]] = digest
            if text:
                entries[entry_key(paths[at], digest)] = text
                shapes[paths[at]] = result.shape
    documents: list[Document] = []
    bodies: dict[bytes, str] = {}
    for done in results:
        assert done is not None
        problems += done.problems
        if done.document is not None:
            documents.append(done.document)
        for key in done.bodies:
            html = converted.get(key, bodies_known.get(key))
            if html is not None:
                bodies[key] = html
    return Read(documents, problems, bodies, digests if cached is not None else {}, entries,
                shapes)


Loaded = tuple[Known, dict[bytes, str], str, str]
"""One file as a worker sends it back: what it became, the bodies it converted, its
documents cache entry (when the cache is used) and the digest of the bytes it read ('' when
it could not be read)."""


def _load(rel: str, config: SiteConfig, render: CachingRenderer,
          bodies_known: Mapping[bytes, str], encoding: bool) -> Loaded:
    source = read_source(config.root, rel)
    if not isinstance(source, SourceFile):
        return Known(None, (source,), ()), {}, "", ""
    document, found = load_source(source, config, render)
    hits, new = render.take()
    if timed_out(found):  # never cached: converted again by the next build
        return Known(document, tuple(found), ()), {}, "", source.digest
    if not encoding:
        return Known(document, tuple(found), (*hits, *new)), new, "", source.digest
    result = Known(document, tuple(found), (*hits, *new), shape_of(document))
    used = {key: new.get(key) or bodies_known.get(key, "") for key in result.bodies}
    return result, new, encode(result, used), source.digest


def load_source(source: SourceFile, config: SiteConfig,
                render: RenderMarkdown) -> tuple[Document | None, list[Problem]]:
    """One file from bytes to a validated document: the unit a rebuild repeats per change."""
    record = read_record(source)
    if isinstance(record, list):
        return None, record
    return validate_record(record, config, render)
