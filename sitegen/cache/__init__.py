"""The build caches, below content and above markup: what a warm build need not do again.

Converting Markdown and reading front matter are most of a cold build, and an archive rarely
changes, so `.sitegen-cache/` keeps each body's HTML (bodies) and what each content file
became (documents), both in one appendable file format (segments). A newcomer changes this
package when a cached value changes shape; the headers drop old entries by themselves.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.cache.bodies import (
        MARKDOWN_FILE,
        RENDERER,
        CachingRenderer,
        body_key,
        clean,
        load_markdown_cache,
        save_markdown_cache,
    )
    from sitegen.cache.documents import (
        DOCUMENTS_FILE,
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
    from sitegen.cache.segments import (
        CACHE_DIR,
        Stored,
        cache_folder,
        guard_folder,
        load_entries,
        save_entries,
    )

__all__ = [
    "CACHE_DIR", "DOCUMENTS_FILE", "MAGIC", "MARKDOWN_FILE", "RENDERER", "CachingRenderer",
    "Known", "Stored", "body_key", "cache_folder", "clean", "decode", "encode", "entry_key",
    "find", "guard_folder", "header", "load_document_cache", "load_entries", "load_markdown_cache",
    "save_document_cache", "save_entries", "save_markdown_cache", "shape_of",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "CachingRenderer": "sitegen.cache.bodies",
        "MARKDOWN_FILE": "sitegen.cache.bodies",
        "RENDERER": "sitegen.cache.bodies",
        "body_key": "sitegen.cache.bodies",
        "clean": "sitegen.cache.bodies",
        "load_markdown_cache": "sitegen.cache.bodies",
        "save_markdown_cache": "sitegen.cache.bodies",
        "DOCUMENTS_FILE": "sitegen.cache.documents",
        "Known": "sitegen.cache.documents",
        "MAGIC": "sitegen.cache.documents",
        "decode": "sitegen.cache.documents",
        "encode": "sitegen.cache.documents",
        "entry_key": "sitegen.cache.documents",
        "find": "sitegen.cache.documents",
        "header": "sitegen.cache.documents",
        "load_document_cache": "sitegen.cache.documents",
        "save_document_cache": "sitegen.cache.documents",
        "shape_of": "sitegen.cache.documents",
        "CACHE_DIR": "sitegen.cache.segments",
        "Stored": "sitegen.cache.segments",
        "cache_folder": "sitegen.cache.segments",
        "guard_folder": "sitegen.cache.segments",
        "load_entries": "sitegen.cache.segments",
        "save_entries": "sitegen.cache.segments",
    })
