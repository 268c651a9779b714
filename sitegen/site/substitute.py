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
from dataclasses import replace
from itertools import repeat

from sitegen.models import CardRoute, FactCheck
from sitegen.site.cards import card_routes
from sitegen.site.graph import Site
from sitegen.site.routes import FactCheckRoute, FeedRoute, ListingRoute, Route, Term

_Items = Callable[[tuple[FactCheck, ...]], tuple[FactCheck, ...]]


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

