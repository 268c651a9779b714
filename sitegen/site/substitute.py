"""Put an edited fact-check into an existing Site without building the graph again.

Most saves change what an article says, not where it belongs: its claimant, tags, authors,
verdict, date, slug, title, draft flag and updates stay the same. Then every index, every listing's
order and every related-items list is exactly what `build_site` would compute, with the new
document in place of the old one; so we substitute it, by identity, in the routes that hold
it. Anything else (a new verdict, a moved date) goes through `build_site`. The incremental
tests compare the result with a clean full build after each kind of change.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import fields, replace
from itertools import repeat
from typing import Any, TypeVar, get_args, get_type_hints

from sitegen.models import CardRoute, Document, FactCheck, Page
from sitegen.site.cards import card_routes
from sitegen.site.graph import Site
from sitegen.site.routes import FactCheckRoute, FeedRoute, ListingRoute, Route, Term

_Items = Callable[[tuple[FactCheck, ...]], tuple[FactCheck, ...]]
D = TypeVar("D", FactCheck, Page)


def placement(fc: FactCheck) -> tuple[object, ...]:
    """Every field that decides which pages show a fact-check, where, and in what order."""
    return (fc.source_path, fc.slug, fc.date, fc.draft, fc.featured, fc.title, fc.claimant,
            fc.tags, fc.authors, fc.verdict, fc.translation_of, fc.lang, fc.claimant_url,
            fc.last_modified, fc.updates)  # updates: the site's corrections log shows them


def swap_document(site: Site, old: FactCheck, new: FactCheck) -> Site | None:
    """The site with `new` in place of `old`, or None when the placement changed."""
    if placement(old) != placement(new):
        return None
    cards = _cards(site, old, new)
    if cards is None:
        return None

    def items(values: tuple[FactCheck, ...]) -> tuple[FactCheck, ...]:
        # An identity scan in C: this runs over every term's list, some 50,000 items at 10k.
        if not any(map(operator.is_, values, repeat(old))):
            return values
        return tuple(new if v is old else v for v in values)

    terms = {kind: tuple(_term(t, items) for t in kind_terms)
             for kind, kind_terms in site.terms.items()}
    routes = list(site.routes)
    for index in site.holders.get(old.source_path, ()):
        routes[index] = _route(routes[index], old, new, items)
    return replace(site, factchecks=items(site.factchecks), terms=terms,
                   by_verdict={k: items(v) for k, v in site.by_verdict.items()},
                   routes=tuple(routes), cards=cards)


def _cards(site: Site, old: FactCheck, new: FactCheck) -> tuple[CardRoute, ...] | None:
    """The cards with the edited fact-check's card redrawn; None when it gains or loses its
    card (an image added, letters the font lacks), which the whole graph must settle."""
    path = site.card_paths.get(old.source_path)
    made, problems = card_routes(site.config, [new], site.paths)
    if problems or (path is None) != (not made):
        return None
    if path is None or any(c == made[0] for c in site.cards if c.path == path):
        return site.cards
    return tuple(made[0] if c.path == path else c for c in site.cards)


def _term(term: Term, items: _Items) -> Term:
    swapped = items(term.items)
    return term if swapped is term.items else replace(term, items=swapped)


def _route(route: Route, old: FactCheck, new: FactCheck, items: _Items) -> Route:
    if isinstance(route, FactCheckRoute):
        factcheck = new if route.factcheck is old else route.factcheck
        related, translations = items(route.related), items(route.translations)
        if (factcheck is route.factcheck and related is route.related
                and translations is route.translations):
            return route
        return replace(route, factcheck=factcheck, related=related, translations=translations)
    if isinstance(route, ListingRoute):  # its TermHead does not change with placement kept
        listed = items(route.items)
        lead = new if route.lead is old else route.lead
        if listed is route.items and lead is route.lead:
            return route
        return replace(route, items=listed, lead=lead)
    if isinstance(route, FeedRoute):
        listed = items(route.items)
        return route if listed is route.items else replace(route, items=listed)
    return route


def swap_documents(site: Site, change: Callable[[Document], Document]) -> Site:
    """The site with `change(d)` in place of every document `d`, wherever the graph holds it,
    and the same new value in every place the old one was (pages tell documents apart by
    identity, as swap_document does). What holds none is kept, not copied. Nothing of the
    old documents is left in the new site: once the caller lets go of the old one, they go
    (a build's renderers get a site whose bodies are in a file: output.publish)."""
    swap = _Swap(change)
    terms = {kind: tuple(replace(t, items=swap.items(t.items)) for t in kind_terms)
             for kind, kind_terms in site.terms.items()}
    return replace(site, factchecks=swap.items(site.factchecks), pages=swap.items(site.pages),
                   terms=terms, by_verdict={k: swap.items(v) for k, v in site.by_verdict.items()},
                   routes=tuple(swap.route(route) for route in site.routes))


class _Swap:
    """One swap_documents: each document changed once, each tuple of them made once (one
    tuple may be held in several places: a term's, its feed's), both by the identity of
    the old value, which the old site keeps alive for as long as this runs."""

    def __init__(self, change: Callable[[Document], Document]) -> None:
        self._change = change
        self._documents: dict[int, Document] = {}
        self._tuples: dict[int, tuple[Any, ...]] = {}

    def document(self, old: D) -> D:
        new = self._documents.get(id(old))
        if new is None:
            new = self._documents[id(old)] = self._change(old)
        assert isinstance(new, type(old)), "a document changes into one of its own kind"
        return new

    def items(self, old: tuple[D, ...]) -> tuple[D, ...]:
        new = self._tuples.get(id(old))
        if new is None:
            new = self._tuples[id(old)] = tuple([self.document(d) for d in old])
        return new  # made from `old`'s items, so of its kind

    def route(self, route: Route) -> Route:
        """`route` with its documents swapped: each field declared to hold a document or a
        tuple of them, whatever the kind of route (a new kind is covered as it is)."""
        changes: dict[str, Any] = {}
        for name in _document_fields(type(route)):
            value = getattr(route, name)
            if isinstance(value, tuple):
                changes[name] = self.items(value)
            elif value is not None:
                changes[name] = self.document(value)
        return replace(route, **changes) if changes else route


def _document_fields(kind: type[Route]) -> tuple[str, ...]:
    """The fields of a kind of route whose type names a document (FactCheck, Page)."""
    found = _FIELDS.get(kind)
    if found is None:
        hints = get_type_hints(kind)
        found = _FIELDS[kind] = tuple(f.name for f in fields(kind)
                                      if _names_document(hints[f.name]))
    return found


_FIELDS: dict[type[Route], tuple[str, ...]] = {}


def _names_document(hint: object) -> bool:
    return hint in (FactCheck, Page) or any(_names_document(arg) for arg in get_args(hint))
