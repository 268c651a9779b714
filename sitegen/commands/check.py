"""Loading a site, and `sitegen check`: everything up to the site graph, then every page
rendered in memory.

    config -> sources -> records -> models -> Site      (+ templates compiled and rendered)

Kept apart from build.py, the writing half (output folder, page reuse, search index, card
drawers), so that `sitegen check`, which writes nothing, imports none of it: a short command
must start fast (issue 5: 0.3 s), and tests/test_startup.py holds it to that.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.cache.bodies import load_markdown_cache
from sitegen.cache.documents import load_document_cache
from sitegen.cache.folder import guard_folder
from sitegen.cache.segments import Stored
from sitegen.config.settings import SiteConfig, config_bytes, load_config
from sitegen.content.files import static_link_problems
from sitegen.content.read import load_documents
from sitegen.problems import Problem, has_errors
from sitegen.progress import Progress
from sitegen.render.pages import (
    check_templates,
    iter_static,
    make_environment,
    render_each,
)
from sitegen.runtime.workers import configured
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


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a check or a build tells the person who ran it (sitegen.report prints it)."""

    problems: tuple[Problem, ...]
    pages: int = 0
    files: int = 0
    factchecks: int = 0
    seconds: float = 0.0
    output: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    kept: int = 0
    """Files kept from the last build (not rendered again)."""
    plain_pages: int = 0
    """Plain pages (about, corrections policy) in the site."""
    left_out: tuple[str, ...] = ()
    """Drafts checked but left out of the site: the summary says so, since the warnings
    about them are shown and would otherwise seem to be about what was counted."""

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def load(root: Path, drafts: bool = False, progress: Progress | None = None,
         cache: bool = False, history: bool = False, repair: bool = False) -> Loaded:
    """Config, content and the site graph; with `cache`, bodies converted by an earlier build
    are taken from the site's cache (saving this build's is the caller's choice); `history`
    (or `[build] check_history`) checks the verdicts in git against updates. `repair`: the
    caller is a build, which may remove what must not be in the cache folder."""
    config, problems = load_config(root)
    if config is None:
        return Loaded(None, None, tuple(problems))
    if cache:
        cache, notices = guard_folder(config.root, repair)
        problems += notices
    cached: dict[bytes, str] | None = None
    known: dict[bytes, str] | None = None
    stored: tuple[Stored, Stored] | None = None
    if cache:
        bodies_file, notices = load_markdown_cache(config.root)
        problems += notices
        documents_file, notices = load_document_cache(config.root, config_bytes(config))
        problems += notices
        stored = (bodies_file, documents_file)
        cached, known = bodies_file.entries, documents_file.entries
    read = load_documents(config, progress, cached, known)
    documents, digests = read.documents, read.digests
    problems += read.problems
    changed = read.bodies if cache and read.bodies != cached else None
    entries = read.entries if cache and read.entries != known else None
    static = [rel for rel, _ in iter_static(config.static_path)]
    problems += static_link_problems(config.root, config.static_path)
    site, site_problems = build_site(config, documents, static, drafts=drafts)
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


def check(root: Path, drafts: bool = False, jobs: int | None = None,
          cache: bool = True, history: bool = False) -> BuildResult:
    """Validate everything and render every page in memory, so a check passes only when a build
    would; write nothing (the cache is read, not updated). `jobs`: processes to work in (None:
    one per core)."""
    with configured(jobs):
        return _check(root, drafts, cache, history)


def _check(root: Path, drafts: bool, cache: bool, history: bool) -> BuildResult:
    started = time.perf_counter()
    loaded = load(root, drafts, cache=cache, history=history)
    problems = list(loaded.problems)
    if loaded.config is not None:
        env = make_environment(loaded.config.templates_path)
        problems += check_templates(env, loaded.config.templates_path)
        if loaded.site is not None and not has_errors(problems):
            problems += render_each(loaded.site, env, lambda route, file: None)[1]
    site = loaded.site
    return BuildResult(tuple(problems), factchecks=len(site.factchecks) if site else 0,
                       seconds=time.perf_counter() - started,
                       plain_pages=len(site.pages) if site else 0, left_out=loaded.left_out)
