"""The pages of a site as typed values: what each renders, with which template, at which path.

A template receives its route as `page`, so the fields below are the documented template
context (see docs/templates.md). `shows` names the documents a page displays: the link between
a changed file and the pages to render again.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import FactCheck, Page, Verdict

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
    template: str = "factcheck.html"

    @property
    def source_name(self) -> str:
        return self.factcheck.source_path

    @property
    def shows(self) -> tuple[str, ...]:
        return (self.factcheck.source_path, *(r.source_path for r in self.related))


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


@dataclass(frozen=True, slots=True)
class ListingRoute:
    """The home page, a verdict, claimant, tag or author listing: one page of it."""

    path: str
    kind: str
    verdict: Verdict | None
    term: Term | None
    items: tuple[FactCheck, ...]
    pager: Pager
    template: str = "listing.html"

    @property
    def source_name(self) -> str:
        return f"(the {self.kind} listing)"

    @property
    def shows(self) -> tuple[str, ...]:
        return tuple(fc.source_path for fc in self.items)


@dataclass(frozen=True, slots=True)
class TermIndexRoute:
    """All claimants (or tags, or authors), each with its verdict counts."""

    path: str
    kind: str
    terms: tuple[Term, ...]
    template: str = "terms.html"

    @property
    def source_name(self) -> str:
        return f"(the index of {self.kind})"

    @property
    def shows(self) -> tuple[str, ...]:
        return tuple(fc.source_path for t in self.terms for fc in t.items)


@dataclass(frozen=True, slots=True)
class MethodologyRoute:
    """The verdict scale explained; `intro` is content/pages/methodology.md when there is one."""

    path: str
    kind: str
    intro: Page | None
    template: str = "methodology.html"

    @property
    def source_name(self) -> str:
        return self.intro.source_path if self.intro else f"(the {self.kind} page)"

    @property
    def shows(self) -> tuple[str, ...]:
        return (self.intro.source_path,) if self.intro else ()


@dataclass(frozen=True, slots=True)
class NotFoundRoute:
    path: str
    template: str = "404.html"
    source_name: str = "(the 404 page)"
    shows: tuple[str, ...] = ()


Route = (
    FactCheckRoute | PageRoute | ListingRoute | TermIndexRoute | MethodologyRoute | NotFoundRoute
)
