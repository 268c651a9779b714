"""The writing stages: after loading, everything `sitegen build` does to put the site into
output/, each a named function that commands/build.py calls once and times.

    save caches -> plan -> cards -> render and publish (+ search) -> record

A watch session's full build (live/session.py) calls `locate`, and `open_caches` and `graph`
of the load stage, and renders and publishes with output.publish_site, as `publish` does; it reads
through its own reader, which keeps every file's input for the next rebuild, and leaves the
cards it has not cached to its settle step instead of drawing them first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.cache.bodies import save_markdown_cache
from sitegen.cache.documents import save_document_cache
from sitegen.cards.files import CardCache, Drawing
from sitegen.config.settings import SiteConfig, config_bytes
from sitegen.i18n.messages import MESSAGES_PATH
from sitegen.models import CardRoute
from sitegen.output.folder import check_output_location
from sitegen.output.manifest import (
    PageRecord,
    Plan,
    files_digest,
    frame,
    load_plan,
    save_plan,
    site_salt,
    whole_site,
)
from sitegen.output.publish import Handover, publish_site
from sitegen.problems import Problem
from sitegen.progress import Progress
from sitegen.render.pages import THEME_STATIC, THEME_TEMPLATES, iter_static
from sitegen.render.stylesheet import stylesheet_sources
from sitegen.search.index import edition_folders, index_search
from sitegen.search.shards import Scanned
from sitegen.site.graph import Site
from sitegen.stages.load import Loaded


def locate(config: SiteConfig, output: Path) -> list[Problem]:
    """Refuse an output folder whose replacement would destroy the site or a writer's files
    (the content, templates and static folders)."""
    protected = [config.content_path, config.templates_path, config.static_path]
    return check_output_location(config.root, output, protected)


def save_caches(config: SiteConfig, loaded: Loaded) -> list[Problem]:
    """What this build converted and parsed, for the next build: saved even when some files
    have errors, since the good ones need not be read again."""
    bodies_file, documents_file = loaded.stored or (None, None)
    problems: list[Problem] = []
    if loaded.bodies is not None:
        problems += save_markdown_cache(config.root, loaded.bodies, bodies_file)
    if loaded.entries is not None:
        problems += save_document_cache(config.root, config_bytes(config), loaded.entries,
                                        documents_file)
    return problems


def plan(config: SiteConfig, site: Site, output: Path, loaded: Loaded) -> Plan:
    """Which pages the last build left in `output` as this one would write them. The salt
    holds everything every page shows (config, templates, messages, the site's frame), so
    that a change to any of them renders every page again; the 404 pages also carry the
    stylesheet, so a change to it makes them again."""
    salt = site_salt(config_bytes(config),
                     [config.templates_path, THEME_TEMPLATES, MESSAGES_PATH], frame(site))
    carried = files_digest(stylesheet_sources([config.static_path, THEME_STATIC]))
    return load_plan(config.root, output, salt, loaded.digests,
                     whole_site(site, loaded.shapes), carried)


@dataclass(frozen=True, slots=True)
class Cards:
    """A build's share cards: where each is cached, those output/ keeps from the last build,
    and the drawing of the rest (perhaps by other processes while the pages render)."""

    cache: CardCache
    files: Mapping[str, Path]
    """Card page path -> its file in the card cache."""
    kept: list[PageRecord]
    drawing: Drawing


def cards(config: SiteConfig, site: Site, plan: Plan | None, persistent: bool) -> Cards:
    """Start on the cards: those the last build copied from an unchanged cached file stay in
    output/ unchecked; the rest are taken from the cache or drawn."""
    cache = CardCache.for_site(config, persistent=persistent)
    files = {route.path: cache.path(route.card) for route in site.cards}
    kept, to_copy = _kept_cards(plan, files, site.cards)
    return Cards(cache, files, kept, cache.draw(to_copy, len(site.routes)))


def _kept_cards(plan: Plan | None, files: Mapping[str, Path],
                cards: Sequence[CardRoute]) -> tuple[list[PageRecord], list[CardRoute]]:
    if plan is None or not plan.previous:
        return [], list(cards)
    kept, rest = plan.unchanged_copies([(route.path, files[route.path]) for route in cards])
    to_copy = {rel for rel, _ in rest}
    return kept, [route for route in cards if route.path in to_copy]


@dataclass(frozen=True, slots=True)
class Published:
    """Every file of the new site as written or kept, the problems, and whether the search
    index was made (a build without one must not be recorded as having it)."""

    written: list[PageRecord]
    problems: list[Problem]
    searched: bool


def publish(site: Handover[Site], env: jinja2.Environment, config: SiteConfig, output: Path,
            plan: Plan | None, drawn: Cards, progress: Progress | None,
            timings: dict[str, float]) -> Published:
    """Render every page the plan does not keep, copy the static files and cards, index the
    new site for search, and put it in place of `output` whole. The cards are drawn beside
    the rendering by other cores, so the pages render in this process alone then; the site
    is handed over so that nothing holds it while Pagefind runs."""
    editions = edition_folders(config.editions)

    def search(folder: Path, last: Path | None,
               scanned: Sequence[Scanned] | None) -> list[Problem]:
        """Shards whose pages the last build wrote exactly so keep its bundles."""
        return index_search(folder, reuse=last, scanned=scanned, editions=editions)

    static = [*iter_static(THEME_STATIC), *iter_static(config.static_path)]
    try:
        written, found = publish_site(site, env, output, static, search, progress, timings,
                                      plan, drawn.kept, later=drawn.drawing.batches,
                                      park=True, alone=drawn.drawing.beside)
    finally:
        drawn.drawing.stop()
    problems = [*drawn.cache.take_problems(), *found]
    return Published(written, problems, not any(p.path == "search" for p in found))


def record(config: SiteConfig, output: Path, plan: Plan | None, published: Published,
           drawn: Cards) -> list[Problem]:
    """Keep what the next build needs: the record of every page written (when it differs
    from the last), and only the cached cards the site still shows."""
    problems: list[Problem] = []
    if plan is not None and not plan.as_before(published.written, published.searched):
        problems += save_plan(config.root, output, published.written, published.searched)
    drawn.cache.prune(drawn.files.values())  # every card the site shows, copied or kept
    return problems
