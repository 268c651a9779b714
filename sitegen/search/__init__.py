"""The search index, beside rendering and above the site graph: Pagefind over the built pages.

shards splits the pages into groups indexed apart so a warm build indexes only the groups
that changed, index runs Pagefind over them and puts the bundle together, command finds and
starts the Pagefind binary. A newcomer changes what is indexed in shards.py.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.search.command import pagefind_command
    from sitegen.search.index import (
        BUNDLE,
        WORK_PREFIX,
        Indexer,
        drop_index,
        edition_folders,
        index_search,
        pagefind_version,
        tidy_index,
    )
    from sitegen.search.shards import (
        Page,
        Scanned,
        find_pages,
        has_body_mark,
        index_digest,
        page_language,
        plan_shards,
        scan_bytes,
        scan_page,
    )

__all__ = [
    "BUNDLE", "WORK_PREFIX", "Indexer", "Page", "Scanned", "drop_index", "edition_folders",
    "find_pages", "has_body_mark", "index_digest", "index_search", "page_language",
    "pagefind_command", "pagefind_version", "plan_shards", "scan_bytes", "scan_page", "tidy_index",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "pagefind_command": "sitegen.search.command",
        "BUNDLE": "sitegen.search.index",
        "Indexer": "sitegen.search.index",
        "WORK_PREFIX": "sitegen.search.index",
        "drop_index": "sitegen.search.index",
        "edition_folders": "sitegen.search.index",
        "index_search": "sitegen.search.index",
        "pagefind_version": "sitegen.search.index",
        "tidy_index": "sitegen.search.index",
        "Page": "sitegen.search.shards",
        "Scanned": "sitegen.search.shards",
        "find_pages": "sitegen.search.shards",
        "has_body_mark": "sitegen.search.shards",
        "index_digest": "sitegen.search.shards",
        "page_language": "sitegen.search.shards",
        "plan_shards": "sitegen.search.shards",
        "scan_bytes": "sitegen.search.shards",
        "scan_page": "sitegen.search.shards",
    })
