"""Rendered files into output/: the whole site the first time, only what changed after.

Without a record of the last build (the first build, `--no-cache`, another output folder)
every page is rendered into a fresh folder that is swapped in whole (output.publish). With
one (manifest.Plan), a page whose fingerprint and file are as the last build left them stays
where it is, and so does a static file or share card whose source is unchanged; the rest is
written beside output/ and put into the standby copy of the site with the search index,
which is exchanged with output/ whole (sitegen.output.standby); the files of output/ that the new
site does not have are left out (pagefind/ is the search indexer's).
Either way each page is written in the worker that rendered it (no page's bytes cross
between processes or pile up in memory), and a template error leaves output/ as it was.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Generic, TypeVar

import jinja2

from sitegen.folders import Tree, scan
from sitegen.models import Document
from sitegen.output.folder import (
    MARKER,
    complete,
    copy_static,
    publish,
    publish_changes,
    real_folder,
    write_file,
)
from sitegen.output.manifest import PageRecord, Plan, file_fingerprint
from sitegen.output.standby import (
    bring_up,
    folder_of,
    make,
    match_index,
    put_in_place,
    save_record,
    take,
)
from sitegen.problems import Problem, has_errors, warning
from sitegen.progress import Progress
from sitegen.render.pages import RenderedFile, render_each
from sitegen.runtime.memory import give_back_memory
from sitegen.runtime.parked import BodyStore
from sitegen.runtime.workers import (
    effective_jobs,
    in_this_thread,
    render_jobs,
    requested_jobs,
)
from sitegen.search.index import BUNDLE, drop_index, tidy_index
from sitegen.search.shards import Scanned, scan_bytes, scan_page
from sitegen.site.graph import Site
from sitegen.site.routes import Route
from sitegen.site.substitute import swap_documents
from sitegen.urls import output_file

T = TypeVar("T")
R = TypeVar("R")

PARK_SHARE = 0.5
"""The share of a site's pages rendered again from which the bodies are stored in a file
(parked) while the pages render."""

Finish = Callable[[Path, Path | None, Sequence[Scanned] | None], list[Problem]]
"""The search index of a finished site folder: finish(folder, last output or None, what the
indexer needs of every HTML file, or None for it to read them)."""


class Handover(Generic[T]):
    """A value passed on once: `take` returns it and keeps no reference. The site graph is
    handed to publish_site this way so that, once the pages are rendered, nothing holds it
    while the search indexer runs (200 MB at 10,000 articles that Pagefind's memory would
    otherwise add to)."""

    def __init__(self, value: T) -> None:
        self._value: T | None = value

    def take(self) -> T:
        value, self._value = self._value, None
        if value is None:
            raise RuntimeError("handed over already")
        return value

    def read(self, look: Callable[[T], R]) -> R:
        """What `look` makes of the value, which stays here to be taken (`look` must keep
        no reference to it)."""
        if self._value is None:
            raise RuntimeError("handed over already")
        return look(self._value)


Later = Callable[[], Iterable[Sequence[tuple[str, Path]]]]
"""Static files still being made while the pages render (share cards drawn beside them), in
batches as they are made: called once the pages are rendered (in a whole new site, while
they are indexed: no such file is a page)."""


def publish_site(
    site: Handover[Site], env: jinja2.Environment, output: Path,
    static: Sequence[tuple[str, Path]], finish: Finish | None,
    progress: Progress | None = None, timings: dict[str, float] | None = None,
    plan: Plan | None = None, kept: Sequence[PageRecord] = (), later: Later | None = None,
    park: bool = False, alone: bool = False,
) -> tuple[list[PageRecord], list[Problem]]:
    """Render the site's routes and put them, the `static` files (output path, source),
    those `later` gives, and the search index into `output`. `kept` are files the caller
    found unchanged in output/ (share cards); it must be empty without a `plan` with a
    previous build. With `park`, the pages may be rendered from a copy of the site whose
    documents' bodies are in a file (see _for_renderers): only for a caller that hands the
    site over and keeps nothing of it. The pages render in as many processes as the
    command asked for and the free memory allows (runtime.workers.render_jobs), or,
    `alone`, in this one (share cards are drawn beside by the other cores). Returns every
    file of the new site as written or kept, and the problems."""
    times = timings if timings is not None else {}
    rest: Later = later if later is not None else tuple
    jobs = 1 if alone else render_jobs(requested_jobs())
    render = _Rendering(env, progress, jobs, times, park)
    if plan is not None and plan.previous:
        tree = scan(real_folder(output), skip=[BUNDLE, MARKER])
        if not tree.links:
            return _update(site, render, output, static, rest, finish, plan, kept, tree)
        written, problems = _replace(site, render, output, static, rest, finish, plan)
        return written, [_links_replaced(output, tree.links), *problems]
    return _replace(site, render, output, static, rest, finish, plan)


def _links_replaced(output: Path, links: Sequence[str]) -> Problem:
    """sitegen never makes a symbolic link in output/: one there leads elsewhere, and
    writing the changed pages through it would write outside the site."""
    shown = ", ".join(f"{output.name}/{link}" for link in links[:3])
    more = f" and {len(links) - 3} more" if len(links) > 3 else ""
    return warning(str(output), None, "output",
                   f"has symbolic links sitegen did not make ({shown}{more}); the whole site "
                   "was written again, and they were replaced by its own files",
                   "put the site where it should go with --output or a link to output/ "
                   "itself, not links inside it")


@dataclass(frozen=True)
class _Rendering:
    """How the pages are rendered: the same for a whole new site and for an update."""

    env: jinja2.Environment
    progress: Progress | None
    jobs: int
    """Processes to render in: set for the rendering's thread only, so that the search
    indexer's threads keep the command's count."""
    times: dict[str, float]
    park: bool

    def each(self, site: Handover[Site], keep: Callable[[Route, RenderedFile], R],
             folder: Path, chosen: Sequence[int] | None = None
             ) -> tuple[list[R], list[Problem]]:
        """render_each of the site's routes at the indexes `chosen` (default: every route),
        the site taken over: it is let go of on return. The bodies are parked beside
        `folder` when asked and most pages are rendered again in more than one process. A
        worker copies what it touches, so an edit's few hundred pages copy little and are
        not worth the 0.3 s of parking (at 10,000 articles); a config or template edit
        renders every page again."""
        total = site.read(lambda whole: len(whole.routes))
        count = total if chosen is None else len(chosen)
        park = (self.park and count >= PARK_SHARE * total
                and effective_jobs(self.jobs, count) > 1)
        with _for_renderers(site, folder, park, self.times) as rendered, \
                in_this_thread(self.jobs):
            routes = None if chosen is None else [rendered.routes[i] for i in chosen]
            return timed(self.times, "render", lambda: render_each(
                rendered, self.env, keep, self.progress, routes=routes))


@contextlib.contextmanager
def _for_renderers(site: Handover[Site], folder: Path, park: bool,
                   times: dict[str, float]) -> Iterator[Site]:
    """The site to render from while the block runs: the one handed over, or with `park` a
    copy whose documents hold their bodies as StoredBody values in a file beside `folder`
    (sitegen.runtime.parked), made before any worker is forked. The original, and with it
    every body's text, is let go of and its memory given back to the system first, so the
    renderers share no body to copy."""
    if not park:
        yield site.take()
        return
    with BodyStore(folder) as store:
        def stored(document: Document) -> Document:
            return replace(document, body_html=store.put(str(document.body_html)))

        def put_away() -> Site:
            parked = swap_documents(site.take(), stored)
            give_back_memory()
            return parked

        yield timed(times, "park bodies", put_away)


def _replace(
    site: Handover[Site], render: _Rendering, output: Path,
    static: Sequence[tuple[str, Path]], later: Later, finish: Finish | None, plan: Plan | None,
) -> tuple[list[PageRecord], list[Problem]]:
    """Every file into a fresh folder, swapped in whole."""
    written: list[PageRecord] = []
    times = render.times

    def fill(staging: Path) -> list[Problem]:
        made: set[Path] = set()

        def keep(route: Route, file: RenderedFile) -> PageRecord:
            path = write_file(staging, file, made)
            if plan is None:
                return PageRecord(path, "", 0, 0, scan=_scan(file))
            return plan.record(path, plan.fingerprint(route), staging / path, scan=_scan(file))

        records, problems = render.each(site, keep, staging.parent)
        written.extend(records)
        if has_errors(problems):
            return problems
        if plan is not None:
            plan.forget_shared()
        give_back_memory()
        complete(staging, static)

        def copy_cards() -> Sequence[tuple[str, Path]]:
            cards: list[tuple[str, Path]] = []
            for batch in later():  # each copied while the next is made
                copy_static(staging, batch)
                cards += batch
            return cards

        def take_cards() -> Sequence[tuple[str, Path]]:
            return timed(times, "cards taken", copy_cards)

        if finish is None:
            cards = take_cards()
        else:  # the cards are no HTML: taken and copied while the pages are indexed
            scans = _scans(staging, written, static)
            cards, found = _while_indexing(lambda: timed(times, "search", lambda: finish(
                staging, plan.output if plan is not None else None, scans)), take_cards)
            problems += found
        if plan is not None:
            written.extend(_static_records(plan, staging, [*static, *cards]))
            if not has_errors(problems):  # the next build changes its copy, not output/
                timed(times, "standby", lambda: make(staging, real_folder(output)))
        return problems

    problems = timed(times, "publish", lambda: publish(
        output, fill, lambda: sum(1 for record in written if record.page)))
    if plan is not None and not has_errors(problems):
        target = real_folder(output)
        save_record(target, folder_of(target), frozenset())
    return written, problems


def _update(
    site: Handover[Site], render: _Rendering, output: Path,
    static: Sequence[tuple[str, Path]], later: Later, finish: Finish | None, plan: Plan,
    kept: Sequence[PageRecord], tree: Tree,
) -> tuple[list[PageRecord], list[Problem]]:
    """The changed files only, rendered beside output/, then put with the search index into
    the standby copy of the site, which is exchanged with output/ whole (sitegen.output.standby)."""
    written: list[PageRecord] = []
    times = render.times
    found: list[Problem] = []

    def fill(staging: Path) -> list[Problem]:
        records, problems = _render_changed(site, render, staging, plan)
        written.extend(records)
        if has_errors(problems):
            return problems
        everything = [*static, *timed(times, "card wait", lambda: [
            file for batch in later() for file in batch])]
        unchanged, changed = plan.unchanged_copies(everything)
        written.extend(unchanged)
        copy_static(staging, changed)
        written.extend(_static_records(plan, staging, changed))
        written.extend(kept)
        return problems

    def put(staging: Path, target: Path) -> None:
        """What the new site does not have goes too: the last build's files it dropped, and
        files put into output/ by hand (a build replaces the folder's contents whole)."""
        changed = scan(staging, skip=[MARKER]).files
        removed = tree.files - {record.path for record in written}
        indexed = finish is None or _index_current(plan, written)
        if not (changed or removed or not indexed):
            tidy_index(target)  # nothing to change but the work folders of killed indexers
            return
        standby = take(target)
        behind = bring_up(standby, target, staging, changed, removed)
        found.extend(timed(times, "search", lambda: _search_standby(
            standby.folder, target, None if indexed else finish, written, static)))
        put_in_place(standby.folder, target, behind)

    problems = timed(times, "publish", lambda: publish_changes(output, fill, put))
    return written, problems + found


def _render_changed(site: Handover[Site], render: _Rendering, staging: Path,
                    plan: Plan) -> tuple[list[PageRecord], list[Problem]]:
    """Every page as kept or rendered into `staging`, and the rendering's problems. The
    site graph is let go of on return (see Handover); the fingerprints' memo of its
    tuples before the rendering, which may render from a copy (_for_renderers)."""
    made: set[Path] = set()
    records, chosen, fingerprints = timed(render.times, "fingerprints",
                                          lambda: site.read(lambda whole: _unchanged(whole, plan)))
    plan.forget_shared()

    def keep(route: Route, file: RenderedFile) -> PageRecord:
        path = write_file(staging, file, made)
        return plan.record(path, fingerprints[route.path], staging / path, scan=_scan(file))

    rendered, problems = render.each(site, keep, staging.parent, chosen)
    return records + rendered, problems


def _while_indexing(index: Callable[[], list[Problem]],
                    work: Callable[[], T]) -> tuple[T, list[Problem]]:
    """`work()` in this thread while `index()` runs in another, and both their results.
    The indexer's processes leave this one idle; copying ten thousand share cards after
    them cost 2 to 5 s of one core at the end of a build, cards still being drawn more."""
    from concurrent.futures import ThreadPoolExecutor  # only a build that indexes

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitegen-index") as pool:
        indexing = pool.submit(index)
        done = work()
        return done, indexing.result()


def _index_current(plan: Plan, written: Sequence[PageRecord]) -> bool:
    """The last build made an index, and no page changed since."""
    return plan.search and all(record.kept for record in written if record.page)


def _search_standby(standby: Path, output: Path, finish: Finish | None,
                    written: Sequence[PageRecord],
                    static: Sequence[tuple[str, Path]]) -> list[Problem]:
    """The standby's index made output/'s when it needs no `finish` (no page changed since
    the last build indexed them), else brought up to date (only changed shards are indexed
    again, the others kept or linked from output/); when that fails, no index rather than
    one that no longer matches."""
    if finish is None:
        match_index(output, standby)
        tidy_index(standby)
        return []
    give_back_memory()
    found = finish(standby, output, _scans(standby, written, static))
    if found:
        drop_index(standby)
    return found


def _scan(file: RenderedFile) -> Scanned | None:
    return scan_bytes(file.path, file.data) if file.path.endswith(".html") else None


def _scans(folder: Path, written: Sequence[PageRecord],
           static: Sequence[tuple[str, Path]]) -> list[Scanned] | None:
    """What the indexer needs of every HTML file of the new site: the pages' from the bytes
    written (or the last build's record of a page kept), so ten thousand pages are not read
    again; static HTML files are scanned. None when a page's is not known."""
    scans = []
    for record in written:
        if record.page and record.path.endswith(".html"):
            if record.scan is None:
                return None
            scans.append(record.scan)
    return scans + [scan_page(folder, rel) for rel, _ in static if rel.endswith(".html")]


def _unchanged(site: Site, plan: Plan) -> tuple[list[PageRecord], list[int],
                                                dict[str, str]]:
    """The pages left as they are, the indexes of the routes to render, and their
    fingerprints by path. Done here, not in the render workers: with nothing or little to
    render no worker is forked (a fork of the parent's whole site graph was most of a warm
    build's peak). Indexes, not routes: the routes are rendered from the site as handed to
    the renderers, which may be a copy (_for_renderers)."""
    records: list[PageRecord] = []
    chosen: list[int] = []
    fingerprints: dict[str, str] = {}
    for index, route in enumerate(site.routes):
        fingerprint = plan.fingerprint(route)
        record = plan.unchanged(output_file(route.path), fingerprint)
        if record is None:
            chosen.append(index)
            fingerprints[route.path] = fingerprint
        else:
            records.append(record)
    return records, chosen, fingerprints


def _static_records(plan: Plan, staging: Path,
                    static: Sequence[tuple[str, Path]]) -> list[PageRecord]:
    """What the next build needs to keep the copies just made."""
    records = []
    for rel, source in static:
        fingerprint = file_fingerprint(source)
        if fingerprint is not None:
            records.append(plan.record(rel, fingerprint, staging / rel, page=False))
    return records


def timed(timings: dict[str, float], name: str, stage: Callable[[], T]) -> T:
    """`stage()`, its wall time recorded under `name` (BuildResult.timings, which the
    benchmarks read)."""
    started = time.perf_counter()
    value = stage()
    timings[name] = time.perf_counter() - started
    return value

