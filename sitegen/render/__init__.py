"""Rendering, beside search and above the site graph: routes to HTML and data files, in memory.

pages holds the Jinja environment and renders routes, fragments reuses what pages share,
undefined reports a template's unknown names, data makes JSON-LD, feeds, the sitemap and the
claims exports with real serialisers. A newcomer changes what a page shows in the theme's
templates, and what the templates receive here.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.render.fragments import Fragments, remember
    from sitegen.render.pages import (
        THEME_STATIC,
        THEME_TEMPLATES,
        RenderedFile,
        check_templates,
        iter_static,
        make_environment,
        render_each,
        render_route,
        render_site,
    )

__all__ = [
    "THEME_STATIC", "THEME_TEMPLATES", "Fragments", "RenderedFile", "check_templates",
    "iter_static", "make_environment", "remember", "render_each", "render_route", "render_site",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "Fragments": "sitegen.render.fragments",
        "remember": "sitegen.render.fragments",
        "RenderedFile": "sitegen.render.pages",
        "THEME_STATIC": "sitegen.render.pages",
        "THEME_TEMPLATES": "sitegen.render.pages",
        "check_templates": "sitegen.render.pages",
        "iter_static": "sitegen.render.pages",
        "make_environment": "sitegen.render.pages",
        "render_each": "sitegen.render.pages",
        "render_route": "sitegen.render.pages",
        "render_site": "sitegen.render.pages",
    })
