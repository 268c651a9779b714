"""The site graph, between the content and the renderers: documents to the table of pages.

graph turns documents into routes (routes: one frozen value per output file), with the
terms, editions, corrections, share cards and links they need, and finds collisions;
substitute puts a live edit into the last Site. A newcomer adds a page kind in routes.py
and graph.py (docs/architecture.md, "Where to start"). `scorecard` itself is not offered
here: it shares its name with its module (tests/test_seams.py).
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.site.cards import changed_cards, still_pending
    from sitegen.site.graph import Site, build_site
    from sitegen.site.routes import (
        CorrectionsFeedRoute,
        DataRoute,
        FactCheckRoute,
        FeedRoute,
        NotFoundRoute,
        Route,
        newest,
    )
    from sitegen.site.substitute import swap_document, swap_documents

__all__ = [
    "CorrectionsFeedRoute", "DataRoute", "FactCheckRoute", "FeedRoute",
    "NotFoundRoute", "Route", "Site", "build_site", "changed_cards", "newest", "still_pending",
    "swap_document", "swap_documents",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "changed_cards": "sitegen.site.cards",
        "still_pending": "sitegen.site.cards",
        "Site": "sitegen.site.graph",
        "build_site": "sitegen.site.graph",
        "CorrectionsFeedRoute": "sitegen.site.routes",
        "DataRoute": "sitegen.site.routes",
        "FactCheckRoute": "sitegen.site.routes",
        "FeedRoute": "sitegen.site.routes",
        "NotFoundRoute": "sitegen.site.routes",
        "Route": "sitegen.site.routes",
        "newest": "sitegen.site.routes",
        "swap_document": "sitegen.site.substitute",
        "swap_documents": "sitegen.site.substitute",
    })
