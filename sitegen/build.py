"""The coordinator: a short script of named stages, each taking the last one's value.

    load (config, sources, records, models, site)  ->  render  ->  write

`sitegen check` is `load` plus a template check. Nothing is written until every stage has
succeeded, so problems found anywhere leave output/ as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import jinja2

from .cache import CachingRenderer, load_markdown_cache, save_markdown_cache
from .cards import CardCache
from .config import CONFIG_NAME, SiteConfig, load_config
from .history import site_history_problems
from .markup import MarkdownRenderer
from .messages import MESSAGES_PATH
from .models import Document
from .output import check_output_location, complete, publish, write_file
from .parallel import parallel_map
from .problems import Problem, has_errors
from .records import read_record
from .render import (
    THEME_STATIC,
    THEME_TEMPLATES,
    Progress,
    RenderedFile,
    check_templates,
    iter_static,
    make_environment,
    render_each,
)
from .reuse import PageRecord, Plan, frame, load_plan, save_plan, site_salt, whole_site
from .routes import Route
from .search import index_search, keep_index
from .site import Site, build_site
from .sources import SourceFile, find_sources, static_link_problems
from .validate import RenderMarkdown, validate_record

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False
    output: Path | None = None
    jobs: int | None = None
    """Processes for reading and rendering; None: one per core."""
    cache: bool = True
    """Reuse and update the site's build cache (.sitegen-cache/)."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """The result of loading: a Site when there were no errors, and every problem found."""

    config: SiteConfig | None
    site: Site | None
    problems: tuple[Problem, ...]
    bodies: Mapping[bytes, str] | None = None
    """The build cache's next contents, when it was used and has changed."""
    digests: Mapping[str, str] = field(default_factory=dict)
    """Content file -> digest of its bytes, when the cache is used (for keeping pages)."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    problems: tuple[Problem, ...]
    pages: int = 0
    files: int = 0
    factchecks: int = 0
    seconds: float = 0.0
    output: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    kept: int = 0
    """Files kept from the last build (not rendered again)."""

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def load_documents(
    config: SiteConfig, progress: Progress | None = None, jobs: int | None = 1,
    cached: Mapping[bytes, str] | None = None,
) -> tuple[list[Document], list[Problem], dict[bytes, str], dict[str, str]]:
    """Read, parse and validate every content file, in up to `jobs` processes; all problems
    of all files are kept, in file order. Bodies found in `cached` are not converted again;
    the third value is the cache for the next build: every body of this one; the fourth, each
    file's digest (what a kept page's fingerprint says of a document)."""
    sources, problems = find_sources(config.root, config.content_path)
    known = cached if cached is not None else {}
    render = CachingRenderer(MarkdownRenderer(), known)

    def work(share: Sequence[SourceFile], scale: int) -> list[Loaded1]:
        loaded = []
        for source in share:
            loaded.append((*load_source(source, config, render), *render.take()))
            if progress and scale and (len(loaded) % 200 == 0 or len(loaded) == len(share)):
                progress("reading", min(len(sources), len(loaded) * scale), len(sources))
        return loaded

    documents: list[Document] = []
    bodies: dict[bytes, str] = {}
    for document, found, hits, new in parallel_map(work, sources, jobs):
        problems += found
        if document is not None:
            documents.append(document)
        bodies.update((key, known[key]) for key in hits)
        bodies.update(new)
    digests = {source.path: source.digest for source in sources} if cached is not None else {}
    return documents, problems, bodies, digests


Loaded1 = tuple[Document | None, list[Problem], list[bytes], dict[bytes, str]]
"""One file as a worker sends it back: the document, its problems, and the cached bodies
it used and the new ones it converted."""


def load_source(source: SourceFile, config: SiteConfig,
                render: RenderMarkdown) -> tuple[Document | None, list[Problem]]:
    """One file from bytes to a validated document: the unit a rebuild repeats per change."""
    record = read_record(source)
    if isinstance(record, list):
        return None, record
    return validate_record(record, config, render)


def load(root: Path, drafts: bool = False, progress: Progress | None = None,
         jobs: int | None = 1, cache: bool = False, history: bool = False) -> Loaded:
    """Config, content and the site graph; with `cache`, bodies converted by an earlier build
    are taken from the site's cache (saving this build's is the caller's choice); `history`
    (or `[build] check_history`) checks the verdicts in git against updates."""
    config, problems = load_config(root)
    if config is None:
        return Loaded(None, None, tuple(problems))
    cached: dict[bytes, str] | None = None
    if cache:
        cached, notices = load_markdown_cache(config.root)
        problems += notices
    documents, found, bodies, digests = load_documents(config, progress, jobs, cached)
    problems += found
    changed = bodies if cache and bodies != cached else None
    static = [rel for rel, _ in iter_static(config.static_path)]
    problems += static_link_problems(config.root, config.static_path)
    site, site_problems = build_site(config, documents, static, drafts=drafts)
    problems += site_problems
    if site is not None and (history or config.build.check_history):
        problems += site_history_problems(config, site.factchecks, asked=history)
    if has_errors(problems):
        site = None
    return Loaded(config, site, tuple(problems), changed, digests)


def check(root: Path, drafts: bool = False, jobs: int | None = None,
          cache: bool = True, history: bool = False) -> BuildResult:
    """Validate everything and render every page in memory, so a check passes only when a build
    would; write nothing (the cache is read, not updated)."""
    started = time.perf_counter()
    loaded = load(root, drafts, jobs=jobs, cache=cache, history=history)
    problems = list(loaded.problems)
    if loaded.config is not None:
        env = make_environment(loaded.config.templates_path)
        problems += check_templates(env, loaded.config.templates_path)
        if loaded.site is not None and not has_errors(problems):
            problems += render_each(loaded.site, env, lambda route, file: None, jobs=jobs)[1]
    count = len(loaded.site.factchecks) if loaded.site else 0
    return BuildResult(tuple(problems), factchecks=count,
                       seconds=time.perf_counter() - started)


def build(root: Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None) -> BuildResult:
    """Load, render and write the site; on any error output/ is left untouched."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    loaded = _timed(timings, "load", lambda: load(
        root, options.drafts, progress, options.jobs, options.cache))
    problems = list(loaded.problems)
    config, site = loaded.config, loaded.site
    if config is None:
        return BuildResult(tuple(problems), seconds=time.perf_counter() - started)
    output = options.output if options.output is not None else config.output_path
    protected = [config.content_path, config.templates_path, config.static_path]
    refused = check_output_location(config.root, output, protected)
    if not refused and loaded.bodies is not None:  # even when some files have errors
        problems += save_markdown_cache(config.root, loaded.bodies)
    problems += refused
    if site is None or has_errors(problems):
        return BuildResult(tuple(problems), seconds=time.perf_counter() - started)
    env = make_environment(config.templates_path)
    cache = CardCache.for_site(config, persistent=options.cache)
    cards = _timed(timings, "cards", lambda: cache.files(site.cards, options.jobs))
    problems += cache.take_problems()
    static = [*iter_static(THEME_STATIC), *iter_static(config.static_path), *cards]
    plan = _plan(config, site, output, loaded.digests) if options.cache else None

    def search(staging: Path) -> list[Problem]:
        """Shards whose pages the last build wrote exactly so keep its bundles."""
        return index_search(staging, reuse=plan.output if plan is not None else None,
                            jobs=options.jobs)

    written, found = publish_site(site, env, output, static, search, progress,
                                  options.jobs, timings, plan)
    problems += found
    if has_errors(problems):
        return BuildResult(tuple(problems), seconds=time.perf_counter() - started)
    if plan is not None:
        searched = not any(p.path == "search" for p in found)
        problems += save_plan(config.root, output, written, searched)
    cache.prune(path for _, path in cards)
    pages = sum(1 for record in written if record.path.endswith(".html"))
    return BuildResult(tuple(problems), pages=pages, files=len(written),
                       factchecks=len(site.factchecks),
                       seconds=time.perf_counter() - started, output=output, timings=timings,
                       kept=sum(1 for record in written if record.kept))


def publish_site(
    site: Site, env: jinja2.Environment, output: Path, static: Sequence[tuple[str, Path]],
    finish: Callable[[Path], list[Problem]] | None, progress: Progress | None = None,
    jobs: int | None = None, timings: dict[str, float] | None = None,
    plan: Plan | None = None,
) -> tuple[list[PageRecord], list[Problem]]:
    """Render every page straight into a fresh folder, each in the worker that made it (no
    page's bytes cross between processes or pile up in memory), add the static files and the
    search index, and swap the folder in; on a template error output/ stays as it was.
    With a `plan`, pages (and the search index) that the last build already wrote exactly
    so are linked from it instead of made again. Returns the files written and the problems."""
    times = timings if timings is not None else {}
    written: list[PageRecord] = []

    def fill(staging: Path) -> list[Problem]:
        made: set[Path] = set()
        fingerprints: dict[str, str] = {}  # per worker: a page not kept is fingerprinted once

        def reuse(route: Route) -> PageRecord | None:
            assert plan is not None
            fingerprints[route.path] = plan.fingerprint(route)
            return plan.keep(route, fingerprints[route.path], staging)

        def keep(route: Route, file: RenderedFile) -> PageRecord:
            path = write_file(staging, file, made)
            if plan is None:
                return PageRecord(path, "", 0, 0)
            fingerprint = fingerprints.pop(route.path, None) or plan.fingerprint(route)
            return plan.record(route, fingerprint, staging / path)

        records, problems = _timed(times, "render", lambda: render_each(
            site, env, keep, progress, jobs=jobs,
            reuse=reuse if plan is not None and plan.previous else None))
        written.extend(records)
        if has_errors(problems):
            return problems
        complete(staging, static)
        if finish is not None and not _search_kept(plan, records, staging):
            problems += _timed(times, "search", lambda: finish(staging))
        return problems

    problems = _timed(times, "publish", lambda: publish(output, fill, lambda: len(written)))
    return written, problems


def _search_kept(plan: Plan | None, records: Sequence[PageRecord], staging: Path) -> bool:
    """The last build's search index linked into `staging`, when no page changed since."""
    if plan is None or not plan.search or not all(r.kept for r in records):
        return False
    return keep_index(plan.output, staging)


def _plan(config: SiteConfig, site: Site, output: Path, digests: Mapping[str, str]) -> Plan:
    salt = site_salt((config.root / CONFIG_NAME).read_bytes(),
                     [config.templates_path, THEME_TEMPLATES, MESSAGES_PATH], frame(site))
    return load_plan(config.root, output, salt, digests, whole_site(site, digests))


def _timed(timings: dict[str, float], name: str, stage: Callable[[], T]) -> T:
    started = time.perf_counter()
    value = stage()
    timings[name] = time.perf_counter() - started
    return value
