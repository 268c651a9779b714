"""The build cache, `.sitegen-cache/` in the site: what earlier builds made, kept so that the
next build need not make it again. Every cache follows one pattern:

- `folder` owns the folder: what is in it and under which name, the stamp line that starts
  each cache file (`sitegen WHAT cache VERSION`), writing a file whole and atomically (through
  `folders.replace_file`, which the search index and the standby record use too), the
  notice a build prints about a cache it could not use, symbolic links refused, `clean`;
- each cache is a module named for what it holds, and says how it is keyed and what makes
  an entry stale: `bodies` (Markdown bodies converted), `documents` (what each content file
  became), `pages` (every file the last build wrote into its output folder), `cards` (share
  cards drawn);
- `segments` is the format of the two caches of keyed strings (bodies, documents), which a
  build extends instead of writing again.

A cache is never needed and never trusted: one that is missing, damaged or another
version's is a miss (the build makes everything, as without it), never an error. What a
cache's entries mean stays in the layer that makes them: Markdown is converted in markup/,
cards are drawn in cards/, and output/ decides which pages may be kept.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.cache.bodies import (
        RENDERER,
        CachingRenderer,
        body_key,
        load_markdown_cache,
        save_markdown_cache,
    )
    from sitegen.cache.cards import (
        CARDS_SHOWN,
        PRUNE_AFTER,
        card_file,
        card_folder,
        card_key,
        prune_cards,
        store_card,
    )
    from sitegen.cache.documents import (
        MAGIC,
        Known,
        decode,
        encode,
        entry_key,
        find,
        header,
        load_document_cache,
        save_document_cache,
        shape_of,
    )
    from sitegen.cache.folder import (
        BODIES_FILE,
        CACHE_DIR,
        CARDS_FOLDER,
        DOCUMENTS_FILE,
        PAGES_FILE,
        TAG_FILE,
        Stamped,
        cache_folder,
        clean,
        guard_folder,
        notice,
        prepare,
        stamp,
        stamped,
    )
    from sitegen.cache.pages import StoredPages, load_pages, save_pages
    from sitegen.cache.segments import Stored, load_entries, save_entries

__all__ = [
    "BODIES_FILE",
    "CACHE_DIR",
    "CARDS_FOLDER",
    "CARDS_SHOWN",
    "DOCUMENTS_FILE",
    "MAGIC",
    "PAGES_FILE",
    "PRUNE_AFTER",
    "RENDERER",
    "TAG_FILE",
    "CachingRenderer",
    "Known",
    "Stamped",
    "Stored",
    "StoredPages",
    "body_key",
    "cache_folder",
    "card_file",
    "card_folder",
    "card_key",
    "clean",
    "decode",
    "encode",
    "entry_key",
    "find",
    "guard_folder",
    "header",
    "load_document_cache",
    "load_entries",
    "load_markdown_cache",
    "load_pages",
    "notice",
    "prepare",
    "prune_cards",
    "save_document_cache",
    "save_entries",
    "save_markdown_cache",
    "save_pages",
    "shape_of",
    "stamp",
    "stamped",
    "store_card",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "BODIES_FILE": "sitegen.cache.folder",
        "CACHE_DIR": "sitegen.cache.folder",
        "CARDS_FOLDER": "sitegen.cache.folder",
        "DOCUMENTS_FILE": "sitegen.cache.folder",
        "PAGES_FILE": "sitegen.cache.folder",
        "TAG_FILE": "sitegen.cache.folder",
        "Stamped": "sitegen.cache.folder",
        "cache_folder": "sitegen.cache.folder",
        "clean": "sitegen.cache.folder",
        "guard_folder": "sitegen.cache.folder",
        "notice": "sitegen.cache.folder",
        "prepare": "sitegen.cache.folder",
        "stamp": "sitegen.cache.folder",
        "stamped": "sitegen.cache.folder",
        "RENDERER": "sitegen.cache.bodies",
        "CachingRenderer": "sitegen.cache.bodies",
        "body_key": "sitegen.cache.bodies",
        "load_markdown_cache": "sitegen.cache.bodies",
        "save_markdown_cache": "sitegen.cache.bodies",
        "MAGIC": "sitegen.cache.documents",
        "Known": "sitegen.cache.documents",
        "decode": "sitegen.cache.documents",
        "encode": "sitegen.cache.documents",
        "entry_key": "sitegen.cache.documents",
        "find": "sitegen.cache.documents",
        "header": "sitegen.cache.documents",
        "load_document_cache": "sitegen.cache.documents",
        "save_document_cache": "sitegen.cache.documents",
        "shape_of": "sitegen.cache.documents",
        "Stored": "sitegen.cache.segments",
        "load_entries": "sitegen.cache.segments",
        "save_entries": "sitegen.cache.segments",
        "StoredPages": "sitegen.cache.pages",
        "load_pages": "sitegen.cache.pages",
        "save_pages": "sitegen.cache.pages",
        "CARDS_SHOWN": "sitegen.cache.cards",
        "PRUNE_AFTER": "sitegen.cache.cards",
        "card_file": "sitegen.cache.cards",
        "card_folder": "sitegen.cache.cards",
        "card_key": "sitegen.cache.cards",
        "prune_cards": "sitegen.cache.cards",
        "store_card": "sitegen.cache.cards",
    })
