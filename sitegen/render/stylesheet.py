"""The site's stylesheet carried inside a page that cannot link to it: the 404 page.

A host answers a missing address anywhere with 404.html, so the page cannot know its own
depth, and a link from the root built from `base_url`'s path breaks whenever the site is
served at another path than that one (`python3 -m http.server -d output` with a base_url of
https://example.org/news/ asks for /news/assets/sitegen.css, which is not there). The page
carries the stylesheet instead, as a `data:` address in its <link>: the file the build
publishes at that path, the site's own static/ copy when it has one, else the theme's.

A `data:` link rather than a <style> element because the Nu HTML Checker validates the CSS of
a <style> with a CSS grammar older than the theme's (it refuses `::details-content` and
`subgrid`), while the same CSS from a linked file is the browser's business; base64 keeps the
address free of anything an attribute would need escaped.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Sequence
from pathlib import Path

STYLESHEET = "assets/sitegen.css"
"""The theme's stylesheet, as published (static/assets/sitegen.css replaces it)."""


def stylesheet_sources(static_folders: Sequence[Path]) -> list[Path]:
    """The files the published stylesheet may come from: what a page carrying it depends on."""
    return [folder / STYLESHEET for folder in static_folders]


def stylesheet_data_url(folders: Sequence[Path], rel: str) -> str:
    """`rel` from the first folder holding it (as static files are published: a link out of
    its folder does not count) as a data: URL; an empty stylesheet when none holds it."""
    for folder in folders:
        path = folder / rel
        if path.is_file() and path.resolve().is_relative_to(folder.resolve()):
            stat = path.stat()
            return _encoded(path, stat.st_mtime_ns, stat.st_size)
    return "data:text/css;base64,"


@functools.lru_cache(maxsize=8)
def _encoded(path: Path, mtime_ns: int, size: int) -> str:
    """Read once per version of the file (a build renders a 404 page per edition; a preview
    session sees the file change)."""
    return "data:text/css;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
