"""Documents -> Site: every page the site will have, the indexes behind them, cross-file checks.

The Site is the single answer to "which pages show this document" (see `Route.shows`), which is
what incremental rebuilds need; the full build and a future partial one read the same table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import corrections
from .cards import CardRoute, card_routes
from .config import SiteConfig
from .links import related_items, translation_groups
from .models import Document, FactCheck, Page, Verdict, date_sort_key
from .problems import Problem, did_you_mean, error, warning
from .routes import (
    NOT_FOUND_PATH,
    DataRoute,
    FactCheckRoute,
    FeedRoute,
    ListingRoute,
    MethodologyRoute,
    NotFoundRoute,
    Pager,
    PageRoute,
    Route,
    SearchRoute,
    Term,
    TermHead,
    TermIndexRoute,
)
from .urls import factcheck_path, output_file, page_path, paginated, term_path, term_slug

TERM_KINDS = ("claimants", "tags", "authors")
SEARCH_PATH = "search/"
DATA_FILES = {"sitemap": "sitemap.xml", "robots": "robots.txt", "claims-json": "claims.json",
              "claims-csv": "claims.csv"}
METHODOLOGY_SLUG = "methodology"
SORTED_BY_COUNT = ("claimants",)
"""Indexes that also come sorted by number of fact-checks; the page is a file, not a
folder, so no term's slug can ever take its address."""


@dataclass(frozen=True, slots=True)
class Site:
    """The whole site as values: documents, indexes and the routes that render them."""

    config: SiteConfig
    factchecks: tuple[FactCheck, ...]
    pages: tuple[Page, ...]
    terms: dict[str, tuple[Term, ...]]
    by_verdict: dict[str, tuple[FactCheck, ...]]
    routes: tuple[Route, ...]
    paths: dict[str, str] = field(repr=False)
    drafts: bool = False
    holders: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    """For each fact-check, the indexes of the routes that hold it: the pages to touch when
    it changes in place (swap.py). Fixed by placement, so a swap keeps it as it is."""
    cards: tuple[CardRoute, ...] = ()
    """Share cards (cards.py), written beside the pages they belong to."""
    card_paths: dict[str, str] = field(default_factory=dict, repr=False)
    """Source path -> site path of its card, for the fact-checks that have one."""

    def card_path(self, fc: FactCheck) -> str | None:
        """The site path of the fact-check's share card, when it has one."""
        return self.card_paths.get(fc.source_path)

    def path_of(self, document: Document) -> str:
        return self.paths[document.source_path]

    def term_path(self, kind: str, name: str) -> str:
        return term_path(kind, term_slug(name))

    def verdict(self, verdict_id: str) -> Verdict:
        found = self.config.verdict(verdict_id)
        assert found is not None, "validated documents only name declared verdicts"
        return found

    @property
    def menu(self) -> tuple[Page, ...]:
        """Pages with `menu:` in front matter, in that order: the site's main navigation."""
        listed = [p for p in self.pages if p.menu is not None]
        return tuple(sorted(listed, key=lambda p: (p.menu or 0, p.title)))

    @property
    def menu_links(self) -> list[tuple[str, str]]:
        """(site path, title) of each menu page, ready for a navigation loop."""
        return [(self.path_of(p), p.title) for p in self.menu]


def build_site(
    config: SiteConfig,
    documents: Iterable[Document],
    static_files: Sequence[str] = (),
    drafts: bool = False,
) -> tuple[Site | None, list[Problem]]:
    """Assemble the site; None when two outputs would land on the same URL."""
    visible = [d for d in documents if drafts or not d.draft]
    factchecks = tuple(sorted((d for d in visible if isinstance(d, FactCheck)), key=_newest_first))
    pages = tuple(sorted((d for d in visible if isinstance(d, Page)), key=lambda p: p.source_path))
    paths = {fc.source_path: factcheck_path(config.build.permalink, fc.slug, fc.date)
             for fc in factchecks}
    intro = next((p for p in pages if p.slug == METHODOLOGY_SLUG), None)
    paths.update({p.source_path: page_path(p.slug) for p in pages})
    translations, problems = translation_groups(factchecks, config.site.language)
    terms = {kind: _terms(kind, factchecks, problems) for kind in TERM_KINDS}
    by_verdict = {v.id: tuple(fc for fc in factchecks if fc.verdict == v.id)
                  for v in config.verdicts}
    routes = _routes(config, factchecks, pages, terms, by_verdict, paths, intro, translations)
    # A site's own static/robots.txt (or sitemap.xml, ...) replaces the generated one.
    routes = [r for r in routes if not (isinstance(r, DataRoute) and r.path in static_files)]
    problems += _missing_images([*factchecks, *pages], static_files, config.build.static_dir)
    cards, card_problems = card_routes(config, factchecks, paths)
    problems += card_problems
    clashes = _collisions(routes, static_files, config.build.static_dir)
    # Two pages on one path have their cards on one path too: say it once.
    problems += clashes or _collisions([*routes, *cards], static_files, config.build.static_dir)
    if any(p.is_error for p in problems):
        return None, problems
    site = Site(config, factchecks, pages, terms, by_verdict, tuple(routes), paths, drafts,
                _holders(routes), tuple(cards), {c.source_path: c.path for c in cards})
    return site, problems


def _holders(routes: Sequence[Route]) -> dict[str, tuple[int, ...]]:
    held: dict[str, list[int]] = defaultdict(list)
    for index, route in enumerate(routes):
        if isinstance(route, FactCheckRoute | ListingRoute | FeedRoute):
            for source_path in dict.fromkeys(route.shows):
                held[source_path].append(index)
    return {path: tuple(indexes) for path, indexes in held.items()}


def _newest_first(fc: FactCheck) -> tuple[tuple[int, int], str, str]:
    day, seconds = date_sort_key(fc.date)
    return ((-day, -seconds), fc.title, fc.source_path)


def _names(kind: str, fc: FactCheck) -> tuple[str, ...]:
    if kind == "claimants":
        return (fc.claimant,)
    return fc.tags if kind == "tags" else fc.authors


def _terms(kind: str, factchecks: Sequence[FactCheck], problems: list[Problem]) -> tuple[Term, ...]:
    """Group by slug, so 'Ministry of Health' and 'ministry of health' share one page."""
    grouped: dict[str, list[FactCheck]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for fc in factchecks:
        for name in _names(kind, fc):
            slug = term_slug(name)
            grouped[slug].append(fc)
            spellings[slug][name] += 1
    terms = []
    for slug, items in grouped.items():
        name = min(spellings[slug], key=lambda n: (-spellings[slug][n], n))
        problems += _spelling_warnings(kind, name, items, spellings[slug])
        url = next((fc.claimant_url for fc in items if fc.claimant_url), None)
        terms.append(Term(kind, slug, name, term_path(kind, slug), tuple(items),
                          url if kind == "claimants" else None))
    return tuple(sorted(terms, key=lambda t: (t.name.casefold(), t.slug)))


def _spelling_warnings(kind: str, name: str, items: Sequence[FactCheck],
                       spellings: Counter[str]) -> list[Problem]:
    if len(spellings) < 2:
        return []
    field_name = {"claimants": "claimant", "tags": "tags", "authors": "author"}[kind]
    return [
        warning(fc.source_path, fc.lines.get(field_name), field_name,
                f"'{other}' is listed with '{name}' ({spellings[name]} files) on one page",
                f"write it as '{name}' to keep the spelling consistent")
        for fc in items for other in _names(kind, fc)
        if other != name and term_slug(other) == term_slug(name)
    ]


def _routes(config: SiteConfig, factchecks: tuple[FactCheck, ...], pages: tuple[Page, ...],
            terms: dict[str, tuple[Term, ...]], by_verdict: dict[str, tuple[FactCheck, ...]],
            paths: dict[str, str], intro: Page | None,
            translations: dict[str, tuple[FactCheck, ...]]) -> list[Route]:
    size = config.build.page_size
    routes: list[Route] = []
    related = related_items(factchecks, terms)
    for fc in factchecks:
        routes.append(FactCheckRoute(paths[fc.source_path], fc, related[fc.source_path],
                                     translations.get(fc.source_path, ())))
    log_intro = next((p for p in pages if p.slug == corrections.CORRECTIONS_SLUG), None)
    routes += [PageRoute(paths[p.source_path], p) for p in pages
               if p is not intro and p is not log_intro]
    routes += _listing("home", "", None, None, factchecks, size)
    for verdict in config.verdicts:
        routes += _listing("verdict", f"verdicts/{verdict.id}/", verdict, None,
                           by_verdict[verdict.id], size)
    for kind, kind_terms in terms.items():
        heads = tuple(term.head(config.verdicts) for term in kind_terms)
        routes += _term_indexes(kind, heads)
        for term, head in zip(kind_terms, heads, strict=True):
            routes += _listing(kind, term.path, None, head, term.items, size)
    counts = tuple((v.id, len(by_verdict[v.id])) for v in config.verdicts)
    routes.append(MethodologyRoute("verdicts/", "verdicts", None, "verdicts.html", counts))
    routes.append(MethodologyRoute(page_path(METHODOLOGY_SLUG), "methodology", intro=intro))
    routes.append(NotFoundRoute(NOT_FOUND_PATH))
    routes.append(SearchRoute(SEARCH_PATH))
    routes += _feeds(config, factchecks, terms)
    routes += corrections.routes(factchecks, paths, log_intro, size, config.build.feed_size,
                                 config.messages.text("corrections_feed_title",
                                                      site=config.site.title))
    routes += [DataRoute(path, kind) for kind, path in DATA_FILES.items()]
    return routes


def _term_indexes(kind: str, heads: tuple[TermHead, ...]) -> list[TermIndexRoute]:
    """The index by name, and for claimants also by number of fact-checks (ties by name)."""
    if kind not in SORTED_BY_COUNT:
        return [TermIndexRoute(f"{kind}/", kind, heads)]
    orders = (("name", f"{kind}/"), ("count", f"{kind}/by-count.html"))
    by_count = tuple(sorted(heads, key=lambda head: -head.total))
    return [TermIndexRoute(orders[0][1], kind, heads, orders=orders),
            TermIndexRoute(orders[1][1], kind, by_count, order="count", orders=orders)]


def _feeds(config: SiteConfig, factchecks: tuple[FactCheck, ...],
           terms: dict[str, tuple[Term, ...]]) -> list[FeedRoute]:
    """Atom and RSS for the whole site; Atom for each claimant and each tag."""
    size = config.build.feed_size
    title = config.site.title
    feeds = [FeedRoute("atom.xml", "atom", title, "", factchecks[:size]),
             FeedRoute("rss.xml", "rss", title, "", factchecks[:size])]
    for kind, heading in (("claimants", "claimant_heading"), ("tags", "topic_heading")):
        feeds += [FeedRoute(f"{t.path}atom.xml", "atom",
                            f"{title}: {config.messages.text(heading, name=t.name)}", t.path,
                            t.items[:size]) for t in terms[kind]]
    return feeds


def _listing(kind: str, path: str, verdict: Verdict | None, term: TermHead | None,
             items: Sequence[FactCheck], size: int) -> list[ListingRoute]:
    count = max(1, -(-len(items) // size))
    page_paths = tuple(paginated(path, n) for n in range(1, count + 1))
    return [
        ListingRoute(page_paths[n - 1], kind, verdict, term, tuple(items[(n - 1) * size:n * size]),
                     Pager(n, count, page_paths))
        for n in range(1, count + 1)
    ]


def _missing_images(documents: Sequence[Document], static_files: Sequence[str],
                    static_dir: str) -> list[Problem]:
    """`image: /x.jpg` must name a file of static/, or every share of the page shows none."""
    present = set(static_files)
    problems = []
    for doc in documents:
        if doc.image is None or not doc.image.startswith("/") or doc.image[1:] in present:
            continue
        guess = did_you_mean(doc.image[1:], static_files)
        problems.append(error(doc.source_path, doc.lines.get("image"), "image",
                              f"'{doc.image}' is not a file in {static_dir}/",
                              f"did you mean '/{guess}'?" if guess else
                              f"put the file at {static_dir}{doc.image}, or give a full https:// "
                              "address"))
    return problems


@dataclass(frozen=True, slots=True)
class _Output:
    """One file the build would write, and who asked for it."""

    key: str
    """The output file, case-folded: deploy targets are often case-insensitive."""
    owner: str
    shown: str
    line: int | None = None
    field: str | None = None

    @property
    def is_generated(self) -> bool:
        return self.owner.startswith("(")


def _route_output(route: Route | CardRoute) -> _Output:
    key = output_file(route.path).casefold()
    document = route.factcheck if isinstance(route, FactCheckRoute) else (
        route.page if isinstance(route, PageRoute) else None)
    if document is not None and "slug" in document.lines:
        return _Output(key, route.source_name, route.path, document.lines["slug"], "slug")
    return _Output(key, route.source_name, route.path)


def _collisions(routes: Sequence[Route | CardRoute], static_files: Sequence[str],
                static_dir: str) -> list[Problem]:
    """Two things written to one file (or two differing only in case), or a file where
    another needs a folder, is an error naming both."""
    outputs = [_route_output(r) for r in routes]
    outputs += [_Output(s.casefold(), f"{static_dir}/{s}", s) for s in static_files]
    problems = []
    first: dict[str, _Output] = {}
    for output in outputs:
        earlier = first.setdefault(output.key, output)
        if earlier.owner != output.owner:
            problems.append(_collision(output, earlier, ""))
    folders: dict[str, _Output] = {}
    for output in first.values():
        parts = output.key.split("/")[:-1]
        for end in range(1, len(parts) + 1):
            folders.setdefault("/".join(parts[:end]), output)
    problems += [_collision(folders[key], output, " as a file")
                 for key, output in first.items() if key in folders]
    return problems


def _collision(output: _Output, other: _Output, how: str) -> Problem:
    """Told to the writer who can fix it: on a document rather than a generated page, on the
    `slug:` line when one was written."""
    if (output.is_generated and not other.is_generated) or (
            output.line is None and other.line is not None):
        output, other = other, output
    return error(output.owner, output.line, output.field,
                 f"would be written to /{output.shown}, which {other.owner} already uses{how}",
                 "give one of them a different slug or file name")
