"""The coordinator: a short script of named stages, each taking the last one's value.

    load (config, sources, records, models, site)  ->  render  ->  write

Loading, and `sitegen check` (load plus every page rendered in memory), are in
sitegen.commands.check. Nothing is written until every stage has succeeded, so problems found
anywhere leave output/ as it was.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.cache.bodies import save_markdown_cache
from sitegen.cache.documents import save_document_cache
from sitegen.cards.files import CardCache
from sitegen.commands.check import BuildResult, load
from sitegen.config.settings import SiteConfig, config_bytes
from sitegen.i18n.messages import MESSAGES_PATH
from sitegen.models import CardRoute
from sitegen.output.folder import check_output_location
from sitegen.output.manifest import (
    PageRecord,
    Plan,
    frame,
    load_plan,
    save_plan,
    site_salt,
    whole_site,
)
from sitegen.output.publish import Handover, publish_site, timed
from sitegen.problems import Problem, has_errors
from sitegen.progress import Progress
from sitegen.render.pages import (
    THEME_STATIC,
    THEME_TEMPLATES,
    iter_static,
    make_environment,
)
from sitegen.runtime.workers import configured
from sitegen.search.index import edition_folders, index_search
from sitegen.search.shards import Scanned
from sitegen.site.graph import Site


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False
    output: Path | None = None
    jobs: int | None = None
    """Processes for reading and rendering; None: one per core."""
    cache: bool = True
    """Reuse and update the site's build cache (.sitegen-cache/)."""


def build(root: Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None) -> BuildResult:
    """Load, render and write the site; on any error output/ is left untouched."""
    with configured(options.jobs):  # every stage asks runtime.workers how many processes
        return _build(root, options, progress)


def _build(root: Path, options: BuildOptions, progress: Progress | None) -> BuildResult:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    loaded = timed(timings, "load", lambda: load(
        root, options.drafts, progress, options.cache, repair=True))
    problems = list(loaded.problems)
    config, site = loaded.config, loaded.site
    if config is None:
        return BuildResult(tuple(problems), seconds=time.perf_counter() - started,
                           output=options.output)
    output = options.output if options.output is not None else config.output_path
    protected = [config.content_path, config.templates_path, config.static_path]
    refused = check_output_location(config.root, output, protected)
    bodies_file, documents_file = loaded.stored or (None, None)
    if not refused and loaded.bodies is not None:  # even when some files have errors
        problems += save_markdown_cache(config.root, loaded.bodies, bodies_file)
    if not refused and loaded.entries is not None:
        problems += save_document_cache(config.root, config_bytes(config), loaded.entries,
                                        documents_file)
    digests, shapes, left_out = loaded.digests, loaded.shapes, loaded.left_out
    # the caches' contents (tens of MB at 10,000 articles) go before rendering
    del loaded, bodies_file, documents_file
    problems += refused
    if site is None or has_errors(problems):
        return BuildResult(tuple(problems), seconds=time.perf_counter() - started,
                           output=output)
    env = make_environment(config.templates_path)
    cache = CardCache.for_site(config, persistent=options.cache)
    plan = _plan(config, site, output, digests, shapes) if options.cache else None
    card_files = {route.path: cache.path(route.card) for route in site.cards}
    kept, to_copy = _kept_cards(plan, card_files, site.cards)
    pages, factchecks = len(site.routes), len(site.factchecks)
    drawing = timed(timings, "cards", lambda: cache.draw(to_copy, pages))
    static = [*iter_static(THEME_STATIC), *iter_static(config.static_path)]
    graph = Handover(site)
    del site  # publish_site lets go of it once the pages are rendered (see Handover)

    def search(folder: Path, last: Path | None,
               scanned: Sequence[Scanned] | None) -> list[Problem]:
        """Shards whose pages the last build wrote exactly so keep its bundles."""
        return index_search(folder, reuse=last, scanned=scanned,
                            editions=edition_folders(config.editions))

    try:  # drawn beside the rendering, the cards leave the rendering to this process
        written, found = publish_site(graph, env, output, static, search, progress,
                                      timings, plan, kept, later=drawing.batches, park=True,
                                      alone=drawing.beside)
    finally:
        drawing.stop()
    problems += cache.take_problems()
    problems += found
    if has_errors(problems):
        return BuildResult(tuple(problems), seconds=time.perf_counter() - started,
                           output=output)
    searched = not any(p.path == "search" for p in found)
    if plan is not None and not plan.as_before(written, searched):
        problems += save_plan(config.root, output, written, searched)
    cache.prune(card_files.values())  # every card the site shows, copied or kept
    made = [record for record in written if record.page]
    return BuildResult(tuple(problems), pages=sum(1 for r in made if r.path.endswith(".html")),
                       files=len(made), factchecks=factchecks,
                       seconds=time.perf_counter() - started, output=output, timings=timings,
                       kept=sum(1 for record in made if record.kept), left_out=left_out)


def _kept_cards(plan: Plan | None, files: Mapping[str, Path],
                cards: Sequence[CardRoute]) -> tuple[list[PageRecord], list[CardRoute]]:
    """The share cards output/ has as the last build copied them from an unchanged cached
    file (left there, not checked again), and the cards to take from the cache."""
    if plan is None or not plan.previous:
        return [], list(cards)
    kept, rest = plan.unchanged_copies([(route.path, files[route.path]) for route in cards])
    to_copy = {rel for rel, _ in rest}
    return kept, [route for route in cards if route.path in to_copy]


def _plan(config: SiteConfig, site: Site, output: Path, digests: Mapping[str, str],
          shapes: Mapping[str, str]) -> Plan:
    salt = site_salt(config_bytes(config),
                     [config.templates_path, THEME_TEMPLATES, MESSAGES_PATH], frame(site))
    return load_plan(config.root, output, salt, digests, whole_site(site, shapes))
