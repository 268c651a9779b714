"""The site's corrections log: every update of every fact-check, newest first.

The IFCN code of principles asks signatories to keep a public log of corrections; the
`updates` of each fact-check already are that log, article by article, so the site-wide one
is made from them and never written by hand. It is a paginated page at /corrections/ and an
Atom feed at /corrections/atom.xml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sitegen.models import FactCheck, Page, date_sort_key
from sitegen.site.routes import Correction, CorrectionsFeedRoute, CorrectionsRoute, Pager, newest
from sitegen.urls import paginated

CORRECTIONS_PATH = "corrections/"
CORRECTIONS_FEED = CORRECTIONS_PATH + "atom.xml"
CORRECTIONS_SLUG = "corrections"
"""A plain page with this slug introduces the log instead of being a page of its own."""


def collect(factchecks: Sequence[FactCheck], paths: Mapping[str, str]) -> tuple[Correction, ...]:
    """Every update, newest first; on one day, newer fact-checks first, then the file's order
    (its own updates are already newest first)."""
    entries = [(fc_index, update_index, Correction(fc.source_path, paths[fc.source_path],
                                                   fc.title, fc.claimant, update))
               for fc_index, fc in enumerate(factchecks)
               for update_index, update in enumerate(fc.updates)]
    entries.sort(key=lambda e: (_descending(e[2]), e[0], e[1]))
    return tuple(entry for _, _, entry in entries)


def _descending(entry: Correction) -> tuple[int, int]:
    day, seconds = date_sort_key(entry.update.date)
    return (-day, -seconds)


def routes(factchecks: Sequence[FactCheck], paths: Mapping[str, str], intro: Page | None,
           page_size: int, feed_size: int,
           feed_title: str, prefix: str = "") -> list[CorrectionsRoute | CorrectionsFeedRoute]:
    """The log's pages (one, empty, when nothing was ever corrected) and its feed, titled
    `feed_title` (in the edition's language), in the edition's folder `prefix`."""
    entries = collect(factchecks, paths)
    count = max(1, -(-len(entries) // page_size))
    page_paths = tuple(paginated(prefix + CORRECTIONS_PATH, n) for n in range(1, count + 1))
    pages: list[CorrectionsRoute | CorrectionsFeedRoute] = [
        CorrectionsRoute(page_paths[n - 1], entries[(n - 1) * page_size:n * page_size],
                         Pager(n, count, page_paths), intro)
        for n in range(1, count + 1)
    ]
    pages.append(CorrectionsFeedRoute(prefix + CORRECTIONS_FEED, feed_title,
                                      prefix + CORRECTIONS_PATH, entries[:feed_size],
                                      None if entries else newest(factchecks)))
    return pages
