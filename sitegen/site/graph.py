"""Documents -> Site: every page the site will have, the indexes behind them, cross-file checks.

The Site is the single answer to "which pages show this document" (see `Route.shows`), which is
what incremental rebuilds need; the full build and a future partial one read the same table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sitegen.config.editions import Edition
from sitegen.config.settings import SiteConfig
from sitegen.models import CardRoute, Document, FactCheck, Page, Verdict, date_sort_key
from sitegen.problems import Problem, did_you_mean, error, warning
from sitegen.site import corrections
from sitegen.site.cards import card_routes
from sitegen.site.collisions import collisions
from sitegen.site.home import featured_warnings, home_order
from sitegen.site.links import related_items, translation_groups
from sitegen.site.routes import (
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
from sitegen.urls import factcheck_path, page_path, paginated, term_path, term_slug

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
    """The whole site as values: documents, indexes and the routes that render them.

    A site with language editions is rendered through views (`view`): the same Site with the
    config as the edition sees it (its title, language, verdict labels and words) and its
    `prefix`, so a template on /ru/ says everything in Russian and links within /ru/."""

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
    it changes in place (substitute.py). Fixed by placement, so a swap keeps it as it is."""
    cards: tuple[CardRoute, ...] = ()
    """Share cards (site/cards.py plans them), written beside the pages they belong to."""
    card_paths: dict[str, str] = field(default_factory=dict, repr=False)
    """Source path -> site path of its card, for the fact-checks that have one."""
    prefix: str = ""
    """The URL prefix of the edition this view shows ('' for the main edition)."""

    def card_path(self, fc: FactCheck) -> str | None:
        """The site path of the fact-check's share card, when it has one."""
        return self.card_paths.get(fc.source_path)

    def path_of(self, document: Document) -> str:
        return self.paths[document.source_path]

    def term_path(self, kind: str, name: str) -> str:
        """A claimant's (tag's, author's) page in this edition."""
        return self.prefix + term_path(kind, term_slug(name, self.config.site.language))

    def verdict(self, verdict_id: str) -> Verdict:
        found = self.config.verdict(verdict_id)
        assert found is not None, "validated documents only name declared verdicts"
        return found

    @property
    def editions(self) -> tuple[Edition, ...]:
        return self.config.editions

    @property
    def edition(self) -> Edition:
        """The edition this view shows."""
        return next(e for e in self.config.editions if e.prefix == self.prefix)

    def edition_of(self, document: Document) -> Edition:
        """The edition a (validated, so placeable) document is published in."""
        edition = self.config.edition_for(document.lang)
        return self.config.main if edition is None else edition

    def language_of(self, document: Document) -> str:
        """The language a document is written in: its own `lang`, else the main language."""
        return document.lang or self.config.main.language

    def view(self, edition: Edition) -> Site:
        """This site as the pages of `edition` see it."""
        if edition.prefix == self.prefix:
            return self
        return replace(self, config=self.config.for_edition(edition), prefix=edition.prefix)

    def views(self) -> dict[str, Site]:
        """Prefix -> view, for every edition."""
        return {e.prefix: self.view(e) for e in self.config.editions}

    def edition_at(self, path: str) -> Edition:
        """The edition whose pages include the site path `path`."""
        return next((e for e in self.config.editions[1:] if e.holds(path)), self.config.main)

    def edition_links(self, route: Route) -> list[tuple[Edition, str]]:
        """Where the language switcher leads from `route`, edition by edition: to the same
        fact-check when it is translated into that edition's language, else to its home."""
        targets = {e.prefix: e.prefix for e in self.config.editions}
        if isinstance(route, FactCheckRoute):
            for other in route.translations:
                targets[self.edition_of(other).prefix] = self.path_of(other)
            targets[self.prefix] = route.path
        return [(e, targets[e.prefix]) for e in self.config.editions]

    @property
    def menu(self) -> tuple[Page, ...]:
        """Pages with `menu:` in front matter, in that order: this edition's main navigation."""
        here = self.edition
        listed = [p for p in self.pages if p.menu is not None and self.edition_of(p) is here]
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
    """Assemble the site; None when two outputs would land on the same URL or a document is
    in a language the site has no edition for."""
    visible = [d for d in documents if drafts or not d.draft]
    factchecks = tuple(sorted((d for d in visible if isinstance(d, FactCheck)), key=_newest_first))
    pages = tuple(sorted((d for d in visible if isinstance(d, Page)), key=lambda p: p.source_path))
    placed, problems = _place(config, [*factchecks, *pages])
    paths = {fc.source_path: placed[fc.source_path].prefix + factcheck_path(
        config.build.permalink, fc.slug, fc.date) for fc in factchecks}
    paths.update({p.source_path: placed[p.source_path].prefix + page_path(p.slug)
                  for p in pages})
    translations, found = translation_groups(factchecks, config.site.language)
    problems += found
    terms: dict[str, tuple[Term, ...]] = {kind: () for kind in TERM_KINDS}
    routes: list[Route] = []
    for edition in config.editions:
        members = _Members(tuple(fc for fc in factchecks if placed[fc.source_path] is edition),
                           tuple(p for p in pages if placed[p.source_path] is edition))
        own = {kind: _terms(kind, members.factchecks, problems, edition)
               for kind in TERM_KINDS}
        problems += featured_warnings(members.factchecks)
        routes += _routes(config.for_edition(edition), edition.prefix, members, own, paths,
                          translations)
        terms = {kind: terms[kind] + own[kind] for kind in TERM_KINDS}
    by_verdict = {v.id: tuple(fc for fc in factchecks if fc.verdict == v.id)
                  for v in config.verdicts}
    # A site's own static/robots.txt (or sitemap.xml, ...) replaces the generated one.
    routes += [DataRoute(path, kind) for kind, path in DATA_FILES.items()
               if path not in static_files]
    problems += _missing_images([*factchecks, *pages], static_files, config.build.static_dir)
    cards, card_problems = card_routes(config, factchecks, paths)
    problems += card_problems
    clashes = collisions(routes, static_files, config.build.static_dir)
    # Two pages on one path have their cards on one path too: say it once.
    problems += clashes or collisions([*routes, *cards], static_files, config.build.static_dir)
    if any(p.is_error for p in problems):
        return None, problems
    site = Site(config, factchecks, pages, terms, by_verdict, tuple(routes), paths, drafts,
                _holders(routes), tuple(cards), {c.source_path: c.path for c in cards})
    return site, problems


@dataclass(frozen=True, slots=True)
class _Members:
    """The documents of one edition."""

    factchecks: tuple[FactCheck, ...]
    pages: tuple[Page, ...]

    def page(self, slug: str) -> Page | None:
        return next((p for p in self.pages if p.slug == slug), None)


def _place(config: SiteConfig, documents: Sequence[Document]) -> tuple[dict[str, Edition],
                                                                       list[Problem]]:
    """Source path -> the edition each document is published in, by its `lang`; a `lang`
    with no edition is an error when the site has editions (on a one-language site it only
    marks the page's language)."""
    placed: dict[str, Edition] = {}
    problems: list[Problem] = []
    codes = [e.language for e in config.editions]
    for doc in documents:
        edition = config.edition_for(doc.lang)
        if edition is None:
            edition = config.main
            if len(codes) > 1:
                guess = did_you_mean(doc.lang or "", codes)
                problems.append(error(
                    doc.source_path, doc.lines.get("lang"), "lang",
                    f"'{doc.lang}' is not a language of this site's editions "
                    f"({', '.join(codes)})",
                    (f"did you mean '{guess}'? " if guess else "")
                    + f"or add [languages.{doc.lang}] to sitegen.toml"))
        placed[doc.source_path] = edition
    return placed, problems


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


def _terms(kind: str, factchecks: Sequence[FactCheck], problems: list[Problem],
           edition: Edition) -> tuple[Term, ...]:
    """Group by slug, so 'Ministry of Health' and 'ministry of health' share one page."""
    grouped: dict[str, list[FactCheck]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for fc in factchecks:
        for name in _names(kind, fc):
            slug = term_slug(name, edition.language)
            grouped[slug].append(fc)
            spellings[slug][name] += 1
    terms = []
    for slug, items in grouped.items():
        name = min(spellings[slug], key=lambda n: (-spellings[slug][n], n))
        problems += _spelling_warnings(kind, name, items, spellings[slug], edition.language)
        url = next((fc.claimant_url for fc in items if fc.claimant_url), None)
        terms.append(Term(kind, slug, name, edition.prefix + term_path(kind, slug), tuple(items),
                          url if kind == "claimants" else None))
    return tuple(sorted(terms, key=lambda t: (t.name.casefold(), t.slug)))


def _spelling_warnings(kind: str, name: str, items: Sequence[FactCheck],
                       spellings: Counter[str], lang: str) -> list[Problem]:
    if len(spellings) < 2:
        return []
    field_name = {"claimants": "claimant", "tags": "tags", "authors": "author"}[kind]
    return [
        warning(fc.source_path, fc.lines.get(field_name), field_name,
                f"'{other}' is listed with '{name}' ({spellings[name]} files) on one page",
                f"write it as '{name}' to keep the spelling consistent")
        for fc in items for other in _names(kind, fc)
        if other != name and term_slug(other, lang) == term_slug(name, lang)
    ]


def _routes(config: SiteConfig, prefix: str, members: _Members,
            terms: dict[str, tuple[Term, ...]], paths: dict[str, str],
            translations: dict[str, tuple[FactCheck, ...]]) -> list[Route]:
    """Every page of one edition; `config` is as the edition sees it, `prefix` its folder."""
    size = config.build.page_size
    factchecks, pages = members.factchecks, members.pages
    intro, log_intro = members.page(METHODOLOGY_SLUG), members.page(corrections.CORRECTIONS_SLUG)
    routes: list[Route] = []
    related = related_items(factchecks, terms, config.site.language)
    for fc in factchecks:
        routes.append(FactCheckRoute(paths[fc.source_path], fc, related[fc.source_path],
                                     translations.get(fc.source_path, ())))
    routes += [PageRoute(paths[p.source_path], p) for p in pages
               if p is not intro and p is not log_intro]
    lead, home = home_order(factchecks)
    routes += _with_lead(_listing("home", prefix, None, None, home, size), lead)
    by_verdict = {v.id: tuple(fc for fc in factchecks if fc.verdict == v.id)
                  for v in config.verdicts}
    for verdict in config.verdicts:
        routes += _listing("verdict", f"{prefix}verdicts/{verdict.id}/", verdict, None,
                           by_verdict[verdict.id], size)
    for kind, kind_terms in terms.items():
        heads = tuple(term.head(config.verdicts) for term in kind_terms)
        routes += _term_indexes(kind, heads, prefix)
        for term, head in zip(kind_terms, heads, strict=True):
            routes += _listing(kind, term.path, None, head, term.items, size)
    counts = tuple((v.id, len(by_verdict[v.id])) for v in config.verdicts)
    routes.append(MethodologyRoute(f"{prefix}verdicts/", "verdicts", None, "verdicts.html",
                                   counts))
    routes.append(MethodologyRoute(prefix + page_path(METHODOLOGY_SLUG), "methodology",
                                   intro=intro))
    routes.append(SearchRoute(prefix + SEARCH_PATH))
    # The main edition's is the one every host serves; /ru/404.html is for hosts that serve
    # the nearest one (Cloudflare Pages, a web server configured per folder).
    routes.append(NotFoundRoute(prefix + NOT_FOUND_PATH))
    routes += _feeds(config, prefix, factchecks, terms)
    routes += corrections.routes(factchecks, paths, log_intro, size, config.build.feed_size,
                                 config.messages.text("corrections_feed_title",
                                                      site=config.site.title), prefix)
    return routes


def _term_indexes(kind: str, heads: tuple[TermHead, ...], prefix: str) -> list[TermIndexRoute]:
    """The index by name, and for claimants also by number of fact-checks (ties by name)."""
    if kind not in SORTED_BY_COUNT:
        return [TermIndexRoute(f"{prefix}{kind}/", kind, heads)]
    orders = (("name", f"{prefix}{kind}/"), ("count", f"{prefix}{kind}/by-count.html"))
    by_count = tuple(sorted(heads, key=lambda head: -head.total))
    return [TermIndexRoute(orders[0][1], kind, heads, orders=orders),
            TermIndexRoute(orders[1][1], kind, by_count, order="count", orders=orders)]


def _feeds(config: SiteConfig, prefix: str, factchecks: tuple[FactCheck, ...],
           terms: dict[str, tuple[Term, ...]]) -> list[FeedRoute]:
    """Atom and RSS for the edition; Atom for each claimant and each tag."""
    size = config.build.feed_size
    title = config.site.title
    feeds = [FeedRoute(f"{prefix}atom.xml", "atom", title, prefix, factchecks[:size]),
             FeedRoute(f"{prefix}rss.xml", "rss", title, prefix, factchecks[:size])]
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


def _with_lead(pages: list[ListingRoute], lead: FactCheck | None) -> list[ListingRoute]:
    """The home listing with its lead (home_order put it first) out of page 1's cards."""
    if lead is None:
        return pages
    return [replace(pages[0], lead=lead, items=pages[0].items[1:]), *pages[1:]]


def _missing_images(documents: Sequence[Document], static_files: Sequence[str],
                    static_dir: str) -> list[Problem]:
    """`image: /x.jpg` must name a file of static/, or every share of the page shows none."""
    present = set(static_files)
    problems = []
    for doc in documents:
        media = doc.media.src if isinstance(doc, FactCheck) and doc.media else None
        for name, path in (("image", doc.image), ("media", media)):
            if path is None or not path.startswith("/") or path[1:] in present:
                continue
            guess = did_you_mean(path[1:], static_files)
            problems.append(error(doc.source_path, doc.lines.get(name),
                                  "media.src" if name == "media" else name,
                                  f"'{path}' is not a file in {static_dir}/",
                                  f"did you mean '/{guess}'?" if guess else
                                  f"put the file at {static_dir}{path}"
                                  + ("" if name == "media" else ", or give a full https:// "
                                     "address")))
    return problems
