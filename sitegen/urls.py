"""The only place URLs are made: slugs, permalinks, output paths, relative and absolute links.

A page's address inside the site is a "site path": no leading slash, a trailing slash for
folders ("2018/some-slug/", "" for the home page). Links between pages are relative, so the
same output works under any base_url path, on a preview server, and from the file system.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import unicodedata
from urllib.parse import quote

from .models import Date
from .translit import transliterate

_NOT_WORD = re.compile(r"[^\w]+")
_DOTS = frozenset({".", ".."})
_MAX_SLUG = 80
DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$",
                          *(f"{name}{n}" for name in ("com", "lpt") for n in "0123456789¹²³")})
"""Windows opens a device, not a file, for these names, with any extension ('nul.html'),
so a site with a /con/ folder cannot be checked out, copied or served from Windows."""


def is_device_name(name: str) -> bool:
    """Whether Windows reads `name` (any case, any extension) as a device."""
    return name.split(".", 1)[0].rstrip(" ").lower() in DEVICE_NAMES


def slugify(text: str) -> str:
    """'Russia's Defense Ministry' -> 'russias-defense-ministry'; accents dropped, scripts kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("'", "").replace("\u2019", "").replace("\u02bc", "")
    slug = _NOT_WORD.sub("-", stripped.lower()).strip("-_")
    slug = slug.replace("_", "-")
    if len(slug) > _MAX_SLUG:
        slug = slug[:_MAX_SLUG].rsplit("-", 1)[0] or slug[:_MAX_SLUG]
    slug = unicodedata.normalize("NFC", slug)
    return slug + "-0" if is_device_name(slug) else slug


def latin_slug(text: str, lang: str | None = None) -> str:
    """A document's slug: 'Київ' -> 'kyiv', 'Ελληνικά' -> 'ellinika' (see translit.py), so
    addresses stay readable when shared and typed; '' when no letter or digit is left."""
    return slugify(transliterate(text, lang))


def factcheck_path(pattern: str, slug: str, date: Date) -> str:
    """Fill the permalink pattern ('/{year}/{slug}/') and return a site path."""
    filled = pattern.format(
        year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug
    )
    return filled.strip("/") + "/"


def page_path(slug: str) -> str:
    return f"{slug}/"


def term_path(kind: str, slug: str) -> str:
    return f"{kind}/{slug}/"


def paginated(path: str, number: int) -> str:
    """Page 1 of a listing is the listing itself; page N lives at 'path/page/N/'."""
    return path if number <= 1 else f"{path}page/{number}/"


def output_file(path: str) -> str:
    """The file a site path is written to: folders get an index.html."""
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


def relative_url(from_path: str, to_path: str) -> str:
    """A link from the page at `from_path` to `to_path`, both site paths, percent-encoded.

    posixpath.relpath by hand: every page makes dozens of links, and relpath's abspath and
    normpath calls were a tenth of a page's rendering. Paths with '.' or '..' parts (never
    made by sitegen, possible from a template) still go through relpath."""
    start = from_path if from_path.endswith("/") or not from_path else \
        from_path.rpartition("/")[0]
    start_parts = [part for part in start.split("/") if part]
    target_parts = [part for part in to_path.split("/") if part]
    if _DOTS.intersection(start_parts) or _DOTS.intersection(target_parts):
        rel = posixpath.relpath("/" + to_path, "/" + start + "/")
    else:
        shared = 0
        for mine, theirs in zip(start_parts, target_parts, strict=False):
            if mine != theirs:
                break
            shared += 1
        rel = "/".join([".."] * (len(start_parts) - shared) + target_parts[shared:]) or "."
    if to_path.endswith("/") or to_path == "":
        rel = "./" if rel == "." else rel + "/"
    return _quoted(rel)


def absolute_url(base_url: str, to_path: str) -> str:
    """`base_url` ends with '/', so 'https://x.org/checks/' + '2018/slug/' keeps the path."""
    return base_url + _quoted(to_path)


def _quoted(path: str) -> str:
    """`path` percent-encoded for a link. A path of URL-safe letters only (nearly every one:
    slugs are) is taken as it is; quote() would return it unchanged, at ten times the cost
    (every link of every page)."""
    return path if _URL_SAFE(path) else quote(path, safe=_QUOTE_SAFE)


_QUOTE_SAFE = "/#?=&.-_~%"
_URL_SAFE = re.compile(r"[A-Za-z0-9/#?=&.\-_~%]*").fullmatch
"""quote()'s own always-safe letters (ASCII letters, digits, _.-~) and _QUOTE_SAFE."""


@functools.lru_cache(maxsize=1 << 16)
def term_slug(name: str, lang: str | None = None) -> str:
    """A claimant's (tag's, author's) URL part, in Latin letters like a document's slug
    ('Министерство обороны' -> 'ministerstvo-oborony' in `lang` 'ru'); a name made only of
    punctuation or emoji still gets a stable, unique slug. Remembered, as the function of
    its arguments it is: a build asks for each tag's slug once per article that has it."""
    return latin_slug(name, lang) or "t-" + hashlib.sha1(name.encode()).hexdigest()[:8]
