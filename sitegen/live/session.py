"""Rebuilds after a change that render only the pages whose content changed.

A rebuild runs the same stages as a full build; what it adds is the last good build (a
`Snapshot`) and one rule: a page is rendered again exactly when its route differs from the
route at the same path in the last build. Routes are frozen values holding everything their
page shows (the fact-check, the related items, the listing's slice, the verdict counts), and
documents that did not change are the very same objects, so comparing them is cheap and the
rule cannot miss a page that a full build would write differently. What every page shows (the
navigation, the templates) changing means every page is rendered again.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, compress
from operator import attrgetter
from pathlib import Path
from types import MappingProxyType

import jinja2

from sitegen.cards.files import CardCache, not_yet_drawn
from sitegen.config.settings import CONFIG_NAME, SiteConfig, load_config
from sitegen.content.reread import Input, InputReader, Reading
from sitegen.live.settle_child import NO_GUARD, WriteGuard
from sitegen.models import FactCheck
from sitegen.output.folder import (
    commit_staged,
    discard_staged,
    stage_file,
    update_in_place,
    write_failure,
)
from sitegen.output.manifest import frame
from sitegen.output.publish import Handover, publish_site
from sitegen.problems import Problem, has_errors
from sitegen.render.pages import (
    THEME_STATIC,
    iter_static,
    make_environment,
    render_each,
    render_site,
)
from sitegen.runtime.detached import start_idle_child
from sitegen.runtime.memory import freeze_for_good
from sitegen.runtime.workers import in_this_thread
from sitegen.search.index import Indexer, edition_folders
from sitegen.site.cards import changed_cards, still_pending
from sitegen.site.graph import Site
from sitegen.site.routes import DataRoute, NotFoundRoute, Route
from sitegen.site.substitute import swap_document
from sitegen.stages.load import graph, open_caches
from sitegen.stages.write import locate
from sitegen.urls import output_file

StaticKey = tuple[int, int]  # size and modification time: enough to notice a replaced file


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The last good build, plus every content file as last read (good or not)."""

    config: SiteConfig
    inputs: Mapping[str, Input]
    site: Site | None
    static: Mapping[str, tuple[Path, StaticKey]]
    site_problems: tuple[Problem, ...] = ()
    """Warnings found across files by the last build of the graph, kept when a rebuild
    swaps a document in instead of building the graph again."""
    input_problems: tuple[Problem, ...] = ()
    """Every input's problems, kept up to date input by input (`_regathered`)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one (re)build did: the problems, and the site paths it wrote or removed."""

    problems: tuple[Problem, ...]
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    seconds: float = 0.0
    full: bool = False
    unsettled: bool = False
    """Pages changed, and the whole-site files and search index wait for `Session.settle`."""

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def changed(self) -> tuple[str, ...]:
        return self.written + self.removed


@dataclass
class Session:
    """A watched site: the snapshot of its last good build and the tools reused between
    rebuilds (one Markdown renderer, one Jinja environment). Only `serve` and `build --watch`
    keep one; a plain build is a single pass of build.py."""

    root: Path
    output: Path
    drafts: bool = False
    search: bool = True
    jobs: int | None = None
    """Processes for a full build and for a template change's re-render (None: per core),
    set for the thread that calls `full` or `rebuild` (runtime.workers.in_this_thread): its
    search indexer's thread and its settle child keep one process per core, as before."""
    snapshot: Snapshot | None = None
    cache: bool = True
    """Start from the site's build cache, and save it after each full build."""
    reader: InputReader = field(init=False)
    env: jinja2.Environment | None = None
    indexer: Indexer = field(default_factory=lambda: Indexer(background=True))
    cards: CardCache | None = None
    pending_cards: frozenset[str] = frozenset()
    """Cards the first build left to `settle` because none was cached: drawing thousands
    would hold the first preview for minutes."""

    def __post_init__(self) -> None:
        self.reader = InputReader()

    def full(self) -> Outcome:
        """Build everything from scratch and swap it in whole, as `sitegen build` does."""
        with in_this_thread(self.jobs):
            return self._full()

    def _full(self) -> Outcome:
        started = time.perf_counter()
        config, problems = load_config(self.root)
        if config is None:  # every rebuild is a full one until sitegen.toml is fixed
            self.snapshot = None
            return Outcome(tuple(problems), seconds=time.perf_counter() - started, full=True)
        problems += locate(config, self.output)
        if has_errors(problems):
            return Outcome(tuple(problems), seconds=time.perf_counter() - started, full=True)
        self.env = make_environment(config.templates_path)
        if self.cache:
            stored, notices = open_caches(config, repair=True)
            problems += notices
            self.reader = InputReader(*stored) if stored else InputReader()
        inputs = self.reader.read(config, {}, None).inputs
        if self.cache:
            problems += self.reader.save_cache(config, inputs)
        snapshot = Snapshot(config, inputs, None, _static_map(config),
                            input_problems=tuple(_input_problems(inputs)))
        site, site_problems = self._site(snapshot)
        snapshot = replace(snapshot, site_problems=tuple(site_problems))
        problems += list(snapshot.input_problems) + site_problems
        if site is None or has_errors(problems):
            self.snapshot = snapshot
            return Outcome(tuple(problems), seconds=time.perf_counter() - started, full=True)
        finish = self.indexer.index if self.search else None
        self.cards = CardCache.for_site(config, persistent=self.cache)
        ready, pending = self.cards.split(site.cards)
        _, found = publish_site(Handover(site), self.env, self.output,
                                _static_files(snapshot.static) + ready, finish)
        problems += found
        if has_errors(problems):
            self.snapshot = snapshot
            return Outcome(tuple(problems), seconds=time.perf_counter() - started, full=True)
        self.pending_cards = frozenset(route.path for route in pending)
        self.snapshot = replace(snapshot, site=site)
        # The snapshot lives as long as the session: keep the collector from walking its
        # hundreds of thousands of objects on every rebuild (a 150 ms pause at 10k articles).
        freeze_for_good()
        return Outcome(tuple(problems), written=tuple(r.path for r in site.routes),
                       seconds=time.perf_counter() - started, full=True,
                       unsettled=bool(pending))

    def rebuild(self, changed: Collection[Path]) -> Outcome:
        """Bring the output up to date with the files now on disk, given what changed."""
        with in_this_thread(self.jobs):
            return self._rebuild(changed)

    def _rebuild(self, changed: Collection[Path]) -> Outcome:
        snapshot = self.snapshot
        if (snapshot is None or snapshot.site is None or self.env is None
                or (self.root / CONFIG_NAME).resolve() in {p.resolve() for p in changed}):
            return self.full()
        started = time.perf_counter()
        config = snapshot.config
        templates_changed = any(_under(p, config.templates_path) for p in changed)
        if templates_changed:
            self.env = make_environment(config.templates_path)
        reading = self.reader.read(config, snapshot.inputs, changed)
        inputs = reading.inputs
        candidate = replace(snapshot, inputs=inputs, static=_static_map(config),
                            input_problems=_regathered(snapshot, reading))
        site = _swapped(snapshot, candidate, reading.changed)
        if site is None:
            site, found = self._site(candidate)
            candidate = replace(candidate, site_problems=tuple(found))
        problems = [*candidate.input_problems, *candidate.site_problems]
        if site is None or has_errors(problems):
            self.snapshot = replace(candidate, site=snapshot.site, static=snapshot.static)
            return Outcome(tuple(problems), seconds=time.perf_counter() - started)
        touched = _touched(snapshot.site.routes, site.routes)
        routes = _changed_routes(snapshot.site, site, touched, force=templates_changed)
        if snapshot.static != candidate.static:  # the 404 pages carry the stylesheet
            routes += [r for r in site.routes if isinstance(r, NotFoundRoute) and r not in routes]
        made: set[Path] = set()  # pages are written by the workers that render them
        try:
            staged, render_problems = render_each(
                site, self.env, lambda route, file: stage_file(self.output, file, made),
                routes=routes)
        except OSError as exc:  # a full disk, a link leading out of the folder: nothing is
            # moved in, and the snapshot stays the last good one, so the next try renders
            return Outcome((*problems, write_failure(self.output, exc)),
                           seconds=time.perf_counter() - started)
        problems += render_problems
        if has_errors(render_problems):  # the others had none: a site's warnings are many
            discard_staged(staged)
            self.snapshot = replace(candidate, site=snapshot.site, static=snapshot.static)
            return Outcome(tuple(problems), seconds=time.perf_counter() - started)
        written_static, removed = _static_changes(snapshot, candidate, site)
        removed += _removed_files(snapshot.site, site, touched)
        cards, gone = changed_cards(snapshot.site.cards, site.cards)
        if self.cards is not None:
            written_static += self.cards.files(cards)
            problems += self.cards.take_problems()
        removed += gone
        self.pending_cards = still_pending(self.pending_cards, cards, gone)
        commit_staged(staged)
        update_in_place(self.output, [], written_static, removed)
        self.snapshot = replace(candidate, site=site)
        written = tuple(r.path for r in routes) + tuple(rel for rel, _ in written_static)
        return Outcome(tuple(problems), written=written, removed=tuple(removed),
                       seconds=time.perf_counter() - started, unsettled=bool(routes or removed))

    def settle(self, guard: WriteGuard = NO_GUARD) -> list[Problem]:
        """The work a rebuild leaves for later so that pages reload at once: the files made
        from the whole site (sitemap, claims exports, robots.txt), the search index, and the
        share cards the first build found no cached copy of. `guard` lets it be stopped
        between files (settle_child.py)."""
        snapshot = self.snapshot
        if snapshot is None or snapshot.site is None or self.env is None:
            return []
        site = snapshot.site
        data = [r for r in site.routes if isinstance(r, DataRoute)]
        files, problems = render_site(site, self.env, routes=data)
        with guard.writing():
            update_in_place(self.output, files, [], [])
        if self.search:  # safe to stop at any moment: see settle_child.py
            problems += self.indexer.index(self.output,
                                           editions=edition_folders(site.config.editions))
        for route in (r for r in site.cards if r.path in self.pending_cards):
            if self.cards is None:
                break
            with guard.writing():  # one by one: a stopped settle keeps the cards it drew
                update_in_place(self.output, [], self.cards.files([route]), [])
        return problems + (self.cards.take_problems() if self.cards is not None else [])

    def settle_in_child(self) -> int:
        """Run `settle` in a forked child at the lowest priority and return its process id.

        In a thread it would hold the GIL for most of a second at 10,000 articles (measured:
        a rebuild overlapping it took 500 ms instead of 100). A child of a fork shares the
        snapshot for free, and its work never slows the next rebuild. The child leads its own
        process group, so stopping it stops its Pagefind too; SIGTERM stops it between files
        (settle.WriteGuard).
        """
        def work() -> str:
            guard = WriteGuard()
            guard.install()
            # Looked up here, not before the fork: ten thousand stat calls in the parent's
            # thread would take the GIL from a rebuild starting at the same moment.
            self.pending_cards = not_yet_drawn(self.pending_cards, self.output)
            return "".join(p.format() + "\n" for p in self.settle(guard))

        return start_idle_child(work)

    def close(self) -> None:
        """Stop background work (the search indexer) before the output folder goes away."""
        self.indexer.cancel()

    def _site(self, snapshot: Snapshot) -> tuple[Site | None, list[Problem]]:
        """The site graph, made as `sitegen build` makes it (stages.load.graph)."""
        documents = [i.document for i in snapshot.inputs.values() if i.document is not None]
        site, problems = graph(snapshot.config, documents, list(snapshot.static), self.drafts)
        return (None if has_errors(problems) else site), problems


def _swapped(old: Snapshot, new: Snapshot, changed: Collection[str]) -> Site | None:
    """The last site with edited fact-checks swapped in, when nothing else changed.
    `changed` names the inputs that differ (the reader knows them), so a save costs a look
    at one input, not at all ten thousand."""
    site = old.site
    if site is None or old.static != new.static:
        return None
    for rel in sorted(changed):
        before, after = old.inputs.get(rel), new.inputs.get(rel)
        if before is None or after is None:  # a file added or removed
            return None
        if not (isinstance(before.document, FactCheck) and isinstance(after.document, FactCheck)):
            return None
        site = swap_document(site, before.document, after.document)
        if site is None:
            return None
    return site


def _regathered(old: Snapshot, reading: Reading) -> tuple[Problem, ...]:
    """The inputs' problems: the last read's, those of the changed inputs replaced. Walking
    all ten thousand inputs for them took 4 ms of every save."""
    stale = {id(p) for rel in reading.changed if (before := old.inputs.get(rel)) is not None
             for p in before.problems}
    kept = [p for p in old.input_problems if id(p) not in stale] if stale else []
    fresh = [p for rel in sorted(reading.changed)
             if (after := reading.inputs.get(rel)) is not None for p in after.problems]
    return (tuple(kept) if stale else old.input_problems) + tuple(fresh)


def _input_problems(inputs: Mapping[str, Input]) -> list[Problem]:
    return list(chain.from_iterable(map(attrgetter("problems"), inputs.values())))


def _under(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _static_map(config: SiteConfig) -> Mapping[str, tuple[Path, StaticKey]]:
    """Output path -> (source file, fingerprint); the site's static files win over the theme's."""
    found: dict[str, tuple[Path, StaticKey]] = {}
    for rel, path in [*iter_static(THEME_STATIC), *iter_static(config.static_path)]:
        stat = path.stat()
        found[rel] = (path, (stat.st_size, stat.st_mtime_ns))
    return MappingProxyType(found)


def _static_files(static: Mapping[str, tuple[Path, StaticKey]]) -> list[tuple[str, Path]]:
    return [(rel, path) for rel, (path, _) in static.items()]


def _changed_routes(old: Site, new: Site, touched: list[int] | None,
                    force: bool) -> list[Route]:
    """The routes whose page would come out differently from the last build's (whole-site
    files aside: `settle` makes those once saves pause); `touched` is `_touched` of both."""
    if force or frame(old) != frame(new):
        changed = list(new.routes)
    elif touched is not None:  # the usual edit: the same pages in the same order
        changed = [new.routes[i] for i in touched if old.routes[i] != new.routes[i]]
    else:
        previous = {route.path: route for route in old.routes}
        changed = [r for r in new.routes if _differs(previous.get(r.path), r)]
    return [r for r in changed if not isinstance(r, DataRoute)]


def _touched(old: Sequence[Route], new: Sequence[Route]) -> list[int] | None:
    """The positions whose route is not the very same object as before, when both builds
    have the same pages in the same order (None otherwise). The scan is done in C: a route
    the rebuild did not touch is the same object, and at 10,000 articles there are some
    twenty thousand routes to look at on every save."""
    if len(old) != len(new):
        return None
    touched = list(compress(range(len(new)), map(operator.is_not, old, new)))
    if any(old[i].path != new[i].path for i in touched):
        return None
    return touched


def _differs(before: Route | None, after: Route) -> bool:
    return before is not after and before != after


def _removed_files(old: Site, new: Site, touched: list[int] | None) -> list[str]:
    if touched is not None:  # the same pages as before
        return []
    current = {r.path for r in new.routes}  # output_file() is one-to-one on paths
    return [output_file(r.path) for r in old.routes if r.path not in current]


def _static_changes(old: Snapshot, new: Snapshot,
                    site: Site) -> tuple[list[tuple[str, Path]], list[str]]:
    """Static files to copy (new or changed) and to delete (gone, and not now a page)."""
    copy = [(rel, path) for rel, (path, key) in new.static.items()
            if rel not in old.static or old.static[rel][1] != key or old.static[rel][0] != path]
    gone = [rel for rel in old.static if rel not in new.static]
    if gone:
        pages = {output_file(r.path) for r in site.routes}
        gone = [rel for rel in gone if rel not in pages]
    return copy, gone


def describe(changed: Iterable[Path], root: Path) -> str:
    """'content/x.md' or 'content/x.md and 3 more': what a rebuild line says changed."""
    names = sorted({_display(p, root) for p in changed if _worth_naming(p)})
    if not names:
        return "nothing"
    return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


def _worth_naming(path: Path) -> bool:
    """Files, not the folders around them nor the temporary files editors rename away."""
    if path.is_dir():
        return False
    return path.exists() or path.suffix.lower() in (".md", ".markdown", ".toml", ".html")


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
