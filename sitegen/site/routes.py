"""The pages of a site as typed values: what each renders, with which template, at which path.

A template receives its route as `page`, so the fields below are the documented template
context (see docs/templates.md). `shows` names the documents a page displays: the link between
a changed file and the pages to render again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sitegen.models import Date, FactCheck, Page, Update, Verdict, date_sort_key

NOT_FOUND_PATH = "404.html"


@dataclass(frozen=True, slots=True)
class Term:
    """A claimant, tag or author, and the fact-checks that carry it (newest first)."""

    kind: str
    slug: str
    name: str
    path: str
    items: tuple[FactCheck, ...]
    url: str | None = None

    def verdict_counts(self, verdicts: tuple[Verdict, ...]) -> tuple[tuple[Verdict, int], ...]:
        """Counts in scale order, leaving out verdicts this term never received."""
        counts = {v.id: 0 for v in verdicts}
        for fc in self.items:
            counts[fc.verdict] += 1
        return tuple((v, counts[v.id]) for v in verdicts if counts[v.id])

    def head(self, verdicts: tuple[Verdict, ...]) -> TermHead:
        counts = tuple((v.id, n) for v, n in self.verdict_counts(verdicts))
        return TermHead(self.kind, self.slug, self.name, self.path, self.url, counts,
                        len(self.items), newest(self.items))


@dataclass(frozen=True, slots=True)
class TermHead:
    """What a listing page shows of its term: name, link, verdict counts; not every item.

    A listing's page 7 holds this instead of the whole Term, so editing an article on page 1
    leaves page 7's route equal to the last build's, and page 7 is not rendered again.
    """

    kind: str
    slug: str
    name: str
    path: str
    url: str | None
    counts: tuple[tuple[str, int], ...]
    total: int
    newest: Date | None = None

    def verdict_counts(self, verdicts: tuple[Verdict, ...]) -> tuple[tuple[Verdict, int], ...]:
        by_id = dict(self.counts)
        return tuple((v, by_id[v.id]) for v in verdicts if v.id in by_id)


def newest(items: Iterable[FactCheck]) -> Date | None:
    """The latest change among some fact-checks: a listing's last-modified date."""
    dates = [fc.last_modified for fc in items]
    return max(dates, key=date_sort_key) if dates else None


@dataclass(frozen=True, slots=True)
class Pager:
    number: int
    count: int
    paths: tuple[str, ...]

    @property
    def previous(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.paths[self.number] if self.number < self.count else None


@dataclass(frozen=True, slots=True)
class FactCheckRoute:
    path: str
    factcheck: FactCheck
    related: tuple[FactCheck, ...]
    translations: tuple[FactCheck, ...] = ()
    template: str = "factcheck.html"

    @property
    def source_name(self) -> str:
        return self.factcheck.source_path

    @property
    def shows(self) -> tuple[str, ...]:
        return (self.factcheck.source_path, *(r.source_path for r in self.related),
                *(t.source_path for t in self.translations))

    in_sitemap = True

    @property
    def last_modified(self) -> Date | None:
        return self.factcheck.last_modified


@dataclass(frozen=True, slots=True)
class PageRoute:
    path: str
    page: Page
    template: str = "page.html"

    @property
    def source_name(self) -> str:
        return self.page.source_path

    @property
    def shows(self) -> tuple[str, ...]:
        return (self.page.source_path,)

    in_sitemap = True

    @property
    def last_modified(self) -> Date | None:
        return self.page.updated or self.page.date


@dataclass(frozen=True, slots=True)
class ListingRoute:
    """The home page, a verdict, claimant, tag or author listing: one page of it."""

    path: str
    kind: str
    verdict: Verdict | None
    term: TermHead | None
    items: tuple[FactCheck, ...]
    pager: Pager
    template: str = "listing.html"
    lead: FactCheck | None = None
    """On the home page's first page: the fact-check shown first and larger (site/home.py),
    which `items` then leaves out."""

    @property
    def source_name(self) -> str:
        return f"(the {self.kind} listing)"

    @property
    def shows(self) -> tuple[str, ...]:
        lead = (self.lead.source_path,) if self.lead else ()
        return (*lead, *(fc.source_path for fc in self.items))

    in_sitemap = True

    @property
    def last_modified(self) -> Date | None:
        """The lead is on the page too: its change is the page's change."""
        return newest((self.lead, *self.items) if self.lead else self.items)


@dataclass(frozen=True, slots=True)
class TermIndexRoute:
    """All claimants (or tags, or authors), each with its verdict counts.

    `order` is "name" (A to Z) or "count" (most fact-checks first; the claimants index has
    both, as two pages linking each other, so sorting needs no script)."""

    path: str
    kind: str
    terms: tuple[TermHead, ...]
    template: str = "terms.html"
    shows: tuple[str, ...] = ()  # names and counts only: no document's own content
    order: str = "name"
    orders: tuple[tuple[str, str], ...] = ()
    """(order, site path) of every ordering of this index, for the sort links."""

    @property
    def source_name(self) -> str:
        return f"(the index of {self.kind}, by {self.order})"

    in_sitemap = True

    @property
    def last_modified(self) -> Date | None:
        dates = [t.newest for t in self.terms if t.newest is not None]
        return max(dates, key=date_sort_key) if dates else None


@dataclass(frozen=True, slots=True)
class MethodologyRoute:
    """The verdict scale explained; `intro` is content/pages/methodology.md when there is one."""

    path: str
    kind: str
    intro: Page | None
    template: str = "methodology.html"
    counts: tuple[tuple[str, int], ...] = ()
    """(verdict id, number of fact-checks) in scale order: part of the page, so a change
    to any count makes this route differ from the last build's."""

    def count(self, verdict_id: str) -> int:
        return dict(self.counts).get(verdict_id, 0)

    @property
    def source_name(self) -> str:
        return self.intro.source_path if self.intro else f"(the {self.kind} page)"

    @property
    def shows(self) -> tuple[str, ...]:
        return (self.intro.source_path,) if self.intro else ()

    in_sitemap = True

    @property
    def last_modified(self) -> Date | None:
        return (self.intro.updated or self.intro.date) if self.intro else None


@dataclass(frozen=True, slots=True)
class NotFoundRoute:
    path: str
    template: str = "404.html"
    source_name: str = "(the 404 page)"
    shows: tuple[str, ...] = ()
    in_sitemap: bool = False
    last_modified: Date | None = None


@dataclass(frozen=True, slots=True)
class SearchRoute:
    """The search page; its index is made by Pagefind after the pages are written."""

    path: str
    template: str = "search.html"
    source_name: str = "(the search page)"
    shows: tuple[str, ...] = ()
    in_sitemap: bool = False
    last_modified: Date | None = None


@dataclass(frozen=True, slots=True)
class FeedRoute:
    """An Atom or RSS feed of the newest fact-checks of a listing (the site, a claimant, a tag)."""

    path: str
    format: str
    title: str
    page_path: str
    items: tuple[FactCheck, ...]
    template: None = None
    in_sitemap: bool = False

    @property
    def source_name(self) -> str:
        return f"(the feed /{self.path})"

    @property
    def shows(self) -> tuple[str, ...]:
        return tuple(fc.source_path for fc in self.items)

    @property
    def last_modified(self) -> Date | None:
        return newest(self.items)


@dataclass(frozen=True, slots=True)
class Correction:
    """One entry of the site's corrections log: an update, and the fact-check it was made to.

    Only fields that decide a fact-check's placement (see substitute.py) are copied here, so a
    route holding corrections changes exactly when the log would read differently."""

    source_path: str
    path: str
    title: str
    claimant: str
    update: Update


def newest_correction(entries: Iterable[Correction]) -> Date | None:
    dates = [entry.update.date for entry in entries]
    return max(dates, key=date_sort_key) if dates else None


@dataclass(frozen=True, slots=True)
class CorrectionsRoute:
    """A page of the corrections log: every update across the site, newest first.
    `intro` is content/pages/corrections.md when there is one."""

    path: str
    entries: tuple[Correction, ...]
    pager: Pager
    intro: Page | None = None
    template: str = "corrections.html"
    in_sitemap: bool = True
    kind: str = "corrections"

    @property
    def source_name(self) -> str:
        return self.intro.source_path if self.intro else "(the corrections log)"

    @property
    def shows(self) -> tuple[str, ...]:
        intro = (self.intro.source_path,) if self.intro else ()
        return (*intro, *dict.fromkeys(e.source_path for e in self.entries))

    @property
    def last_modified(self) -> Date | None:
        return newest_correction(self.entries)


@dataclass(frozen=True, slots=True)
class CorrectionsFeedRoute:
    """The corrections log as an Atom feed, for readers and monitors of the IFCN code."""

    path: str
    title: str
    page_path: str
    entries: tuple[Correction, ...]
    empty_since: Date | None = None
    """For a feed with no entry yet, the site's newest change: its `updated` date."""
    template: None = None
    in_sitemap: bool = False

    @property
    def source_name(self) -> str:
        return f"(the feed /{self.path})"

    @property
    def shows(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.source_path for e in self.entries))

    @property
    def last_modified(self) -> Date | None:
        return newest_correction(self.entries) or self.empty_since


@dataclass(frozen=True, slots=True)
class DataRoute:
    """A file made from the whole site in Python: sitemap, robots.txt, claims.json/.csv."""

    path: str
    kind: str
    template: None = None
    in_sitemap: bool = False
    shows: tuple[str, ...] = ()
    last_modified: Date | None = None

    @property
    def source_name(self) -> str:
        return f"(the generated /{self.path})"


Route = (
    FactCheckRoute | PageRoute | ListingRoute | TermIndexRoute | MethodologyRoute | NotFoundRoute
    | SearchRoute | FeedRoute | DataRoute | CorrectionsRoute | CorrectionsFeedRoute
)
HtmlRoute = (
    FactCheckRoute | PageRoute | ListingRoute | TermIndexRoute | MethodologyRoute | NotFoundRoute
    | SearchRoute | CorrectionsRoute
)
