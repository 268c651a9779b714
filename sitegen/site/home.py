"""Which fact-check leads a home page, and the order of the rest.

An editor marks a story with `featured: true` to keep it at the top while newer checks are
published; without one the latest leads. Only one story can lead, so when several are marked
the latest of them does (the one an editor marked last, most likely) and each other one gets a
warning on its `featured:` line: the flag is doing nothing there, and would surprise whoever
removes the newer one later. The lead is taken out of the list rather than shown twice, so
page 1 still holds `page_size` fact-checks and no check drops off the pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from sitegen.models import FactCheck
from sitegen.problems import Problem, warning


def home_order(factchecks: Sequence[FactCheck]) -> tuple[FactCheck | None, tuple[FactCheck, ...]]:
    """(the lead, every fact-check in the home page's order: the lead first, then newest
    first) for an edition's fact-checks, given newest first."""
    if not factchecks:
        return None, ()
    lead = next((fc for fc in factchecks if fc.featured), factchecks[0])
    return lead, (lead, *(fc for fc in factchecks if fc is not lead))


def featured_warnings(factchecks: Sequence[FactCheck]) -> list[Problem]:
    """A warning for every featured fact-check the newest featured one keeps from leading."""
    featured = [fc for fc in factchecks if fc.featured]
    return [
        warning(fc.source_path, fc.lines.get("featured"), "featured",
                f"another fact-check is featured too, and the latest of them leads the home "
                f"page: {featured[0].source_path}",
                "remove 'featured: true' from the ones that should not lead; this one is "
                "listed by its date")
        for fc in featured[1:]
    ]
