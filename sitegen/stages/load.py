"""The first stage, loading: everything up to the site graph.

    config -> sources -> records -> models -> Site

Shared by `sitegen check` (which then renders every page in memory) and `sitegen build`;
kept apart from the writing stages (stages/write.py: output folder, page reuse, search
index, card drawers), so that `sitegen check`, which writes nothing, imports none of them: a
short command must start fast (0.3 s), and tests/test_startup.py holds it to that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.cache.bodies import load_markdown_cache
from sitegen.cache.documents import load_document_cache
from sitegen.cache.folder import guard_folder
from sitegen.cache.segments import Stored
from sitegen.config.settings import SiteConfig, config_bytes, load_config
from sitegen.content.files import static_link_problems
from sitegen.content.read import load_documents
from sitegen.models import Document
from sitegen.problems import Problem, has_errors
from sitegen.progress import Progress
from sitegen.render.pages import iter_static
from sitegen.site.graph import Site, build_site


@dataclass(frozen=True, slots=True)
class Loaded:
    """The result of loading: a Site when there were no errors, and every problem found."""

    config: SiteConfig | None
    site: Site | None
    problems: tuple[Problem, ...]
    bodies: Mapping[bytes, str] | None = None
    """The Markdown cache's next contents, when it was used and has changed."""
    digests: Mapping[str, str] = field(default_factory=dict)
    """Content file -> digest of its bytes, when the cache is used (for keeping pages)."""
    entries: Mapping[bytes, str] | None = None
    """The documents cache's next contents, when it was used and has changed."""
    shapes: Mapping[str, str] = field(default_factory=dict)
    """Content file -> digest of its document but the body, when the cache is used."""
    stored: tuple[Stored, Stored] | None = None
    """The Markdown and documents cache files as loaded (saving appends to them)."""
    left_out: tuple[str, ...] = ()
    """The drafts read, checked and left out of the site (no --drafts), by source path."""


def load(root: Path, drafts: bool = False, progress: Progress | None = None,
         cache: bool = False, history: bool = False, repair: bool = False) -> Loaded:
    """Config, content and the site graph; with `cache`, bodies converted by an earlier build
    are taken from the site's cache (saving this build's is the caller's choice); `history`
    (or `[build] check_history`) checks the verdicts in git against updates. `repair`: the
    caller is a build, which may remove what must not be in the cache folder."""
    config, problems = load_config(root)
    if config is None:
        return Loaded(None, None, tuple(problems))
    stored: tuple[Stored, Stored] | None = None
    if cache:
        stored, notices = open_caches(config, repair)
        problems += notices
    cached, known = (stored[0].entries, stored[1].entries) if stored else (None, None)
    read = load_documents(config, progress, cached, known)
    documents, digests = read.documents, read.digests
    problems += read.problems
    changed = read.bodies if stored and read.bodies != cached else None
    entries = read.entries if stored and read.entries != known else None
    static = [rel for rel, _ in iter_static(config.static_path)]
    site, site_problems = graph(config, documents, static, drafts)
    problems += site_problems
    if site is not None and (history or config.build.check_history):
        from sitegen.history.verdicts import (
            site_history_problems,  # runs git: only for a check that asks
        )

        problems += site_history_problems(config, site.factchecks, asked=history)
    if has_errors(problems):
        site = None
    left_out = () if drafts else tuple(sorted(d.source_path for d in documents if d.draft))
    return Loaded(config, site, tuple(problems), changed, digests, entries, read.shapes,
                  stored, left_out)


def graph(config: SiteConfig, documents: Sequence[Document], static: Sequence[str],
          drafts: bool) -> tuple[Site | None, list[Problem]]:
    """The site graph of the documents read, with the problems found across files: the
    static folder's too (a link out of it is refused). A build and a watch session both make
    their graph here, so a preview refuses exactly what a build refuses."""
    problems = static_link_problems(config.root, config.static_path)
    site, site_problems = build_site(config, documents, static, drafts=drafts)
    return site, problems + site_problems


def open_caches(config: SiteConfig, repair: bool) -> tuple[tuple[Stored, Stored] | None,
                                                           list[Problem]]:
    """The Markdown and documents cache files as an earlier build or session left them, or
    None when the cache folder may not be used (see guard_folder; `repair`: the caller
    writes, and may remove what must not be in the folder). A damaged or outdated file is a
    notice and an empty cache, never an error."""
    usable, problems = guard_folder(config.root, repair)
    if not usable:
        return None, problems
    bodies_file, notices = load_markdown_cache(config.root)
    problems += notices
    documents_file, notices = load_document_cache(config.root, config_bytes(config))
    return (bodies_file, documents_file), problems + notices
