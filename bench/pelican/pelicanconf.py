"""Pelican settings for bench/run.py: the default theme, a site like sitegen's default one.

Same Markdown work as sitegen (sitegen/markup.py): the same Python-Markdown extensions and
settings, and sitegen's own typographic-quotes tree processor (sitegen/typography.py, loaded
from its file: it needs only Python-Markdown). Listings paginated and feeds cut at 20 entries,
as sitegen's `page_size` and `feed_size` defaults. Pelican has no claimant listing, sitemap,
search index or ClaimReview data without plugins; its build does less than sitegen's.
"""

import importlib.util
from pathlib import Path

from markdown.extensions.toc import slugify_unicode

_TYPOGRAPHY = Path(__file__).resolve().parents[2] / "sitegen" / "typography.py"
_spec = importlib.util.spec_from_file_location("sitegen_typography", _TYPOGRAPHY)
assert _spec is not None and _spec.loader is not None
_typography = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_typography)

SITENAME = "Benchmark Desk"
SITEURL = "https://example.org"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
PATH = "content"
THEME = "notmyidea"  # Pelican's default theme
DEFAULT_PAGINATION = 20
RELATIVE_URLS = False
# Folder URLs as sitegen's. Pelican's default page names also collide here: page 2 of
# tag/topic-3.html is tag/topic-32.html, which is the tag topic-32's first page.
ARTICLE_URL = "{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{slug}/index.html"
TAG_URL, TAG_SAVE_AS = "tags/{slug}/", "tags/{slug}/index.html"
CATEGORY_URL, CATEGORY_SAVE_AS = "verdicts/{slug}/", "verdicts/{slug}/index.html"
AUTHOR_URL, AUTHOR_SAVE_AS = "authors/{slug}/", "authors/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
CATEGORIES_SAVE_AS = "verdicts/index.html"
AUTHORS_SAVE_AS = "authors/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "atom.xml"
FEED_ALL_RSS = "rss.xml"
CATEGORY_FEED_ATOM = "verdicts/{slug}/atom.xml"
TAG_FEED_ATOM = "tags/{slug}/atom.xml"
AUTHOR_FEED_ATOM = "authors/{slug}/atom.xml"
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 20

MARKDOWN = {
    "extensions": [_typography.TypographyExtension()],
    "extension_configs": {
        "markdown.extensions.tables": {},
        "markdown.extensions.footnotes": {"BACKLINK_TEXT": "\u21a9\ufe0e"},
        "markdown.extensions.fenced_code": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
    },
    "output_format": "html",
}
