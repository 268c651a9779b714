"""Every file the last build wrote into its output folder, kept for the next build: each
file's fingerprint, size and modification time as written, and for an HTML page what the
search indexer needs of it.

What a fingerprint is made of, and which files a build may therefore leave as they are, is
the output's business (sitegen.output.manifest); this module only keeps the record, in
`.sitegen-cache/pages.json` (the stamp line, then JSON), for one output folder at a time.
A record that cannot be used (missing, unreadable, damaged, another version's, another
output folder's) is no record: every page is rendered, as without a cache. Unlike the other
caches it is dropped without a notice, as it always has been: the build's summary already
says that nothing was kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.cache.folder import (
    PAGES_FILE,
    Stamped,
    cache_folder,
    notice,
    prepare,
    stamp,
    stamped,
)
from sitegen.folders import replace_file
from sitegen.problems import Problem

STAMP = stamp("pages", 4)
"""4: the stamp line replaced JSON's "format": 3, so a record of format 3 is a miss."""


@dataclass(frozen=True, slots=True)
class StoredPages:
    """The record as JSON holds it; output.manifest checks each value as it reads it."""

    search: bool
    """The build made a search index."""
    pages: dict[str, Any]
    """Output file -> [fingerprint, size, mtime_ns]."""
    scans: dict[str, Any]
    """HTML file -> [language, digest of its text in hex, marked], the indexer's scan."""


def load_pages(root: Path, output: Path) -> StoredPages | None:
    """The last build's record for `output`, or None when there is none it can use."""
    try:
        data = (cache_folder(root) / PAGES_FILE).read_bytes()
    except OSError:
        return None
    if stamped(data, STAMP) is not Stamped.CURRENT:
        return None
    try:  # the JSON after the stamp, decoded without copying the bytes first
        record = json.loads(str(memoryview(data)[len(STAMP):], "utf-8"))
        if record["output"] != str(output.absolute()):
            return None
        pages, scans = record["pages"], record["scans"]
        if not isinstance(pages, dict) or not isinstance(scans, dict):
            return None
        return StoredPages(bool(record["search"]), pages, scans)
    except (ValueError, KeyError, TypeError):
        return None


def save_pages(root: Path, output: Path, stored: StoredPages) -> list[Problem]:
    """Keep `stored` as the record for `output` (written whole, atomically)."""
    path = cache_folder(root) / PAGES_FILE
    text = json.dumps({"output": str(output.absolute()), "search": stored.search,
                       "pages": stored.pages, "scans": stored.scans}, separators=(",", ":"))
    try:
        prepare(root)
        replace_file(path, (STAMP, text.encode("utf-8")))
    except OSError as exc:
        return [notice(path, root, f"could not be saved ({exc.strerror}); the next build "
                                   "renders every page again")]
    return []
