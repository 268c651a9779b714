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
import string
import unicodedata
from urllib.parse import quote, urlsplit

import idna

from sitegen.i18n.translit import transliterate
from sitegen.models import Date

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


class AddressError(ValueError):
    """A web address no encoding can make valid (its host or port is broken); the message
    says what, for the writer."""


_UNRESERVED = string.ascii_letters + string.digits + "-._~"
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = _UNRESERVED + _SUB_DELIMS + ":@/"
_QUERY_SAFE = _PATH_SAFE + "?"
"""RFC 3986's `pchar` plus '/' (a path), and '?' (a query or fragment); '%' is handled apart."""
_USERINFO_SAFE = _UNRESERVED + _SUB_DELIMS + ":"
_VALID_PART = {safe: re.compile("(?:[" + re.escape(safe) + "]|%[0-9A-Fa-f]{2})*").fullmatch
               for safe in (_PATH_SAFE, _QUERY_SAFE, _USERINFO_SAFE)}
"""Whether a part is valid as it is, as nearly every address is: quote() is then skipped."""
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PCHARS = "(?:[" + re.escape(_PATH_SAFE) + "]|%[0-9A-Fa-f]{2})*"
_QCHARS = "(?:[" + re.escape(_QUERY_SAFE) + "]|%[0-9A-Fa-f]{2})*"
_VALID_ADDRESS = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?(?::[0-9]{1,4})?"
    rf"(?:/{_PCHARS})?(?:\?{_QCHARS})?(?:#{_QCHARS})?").fullmatch
"""An address with nothing to encode, a plain host and no user part: nearly every one, so
web_address answers it with one match, a quarter of the time of splitting it (a cold build
of 10,000 articles checks some 60,000 addresses)."""
_HOST = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?")


def web_address(url: str) -> str:
    """An absolute http(s) `url` as RFC 3986 allows it: what a writer pastes from a browser's
    address bar (`?q=<x>`, 'café', '{id}', a lone '%', 'Bücher.example') is valid in every
    href, feed, sitemap and data file only once percent-encoded (and the host in punycode).

    Valid `%XX` escapes are kept, never encoded twice, and the scheme, delimiters and empty
    '?' or '#' are kept as written: the result is the same address, not a rewritten one.
    Raises AddressError when the host or port cannot be made valid."""
    if _VALID_ADDRESS(url):
        return url
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "Invalid IPv6 URL", a host with '/' under NFKC
        raise AddressError(f"cannot be read as a web address ({exc})") from exc
    scheme_end = len(parts.scheme) + 3  # "https://"
    if url[len(parts.scheme):scheme_end] != "://" or not parts.netloc:
        raise AddressError("has no '//' and host after its scheme")
    netloc = url[scheme_end:scheme_end + len(parts.netloc)]
    rest = url[scheme_end + len(parts.netloc):]
    rest, hash_mark, fragment = rest.partition("#")
    path, question_mark, query = rest.partition("?")
    return (url[:scheme_end] + _authority(netloc) + _encoded(path, _PATH_SAFE) + question_mark
            + _encoded(query, _QUERY_SAFE) + hash_mark + _encoded(fragment, _QUERY_SAFE))


def _encoded(part: str, safe: str) -> str:
    """`part` with every character RFC 3986 does not allow there percent-encoded (non-ASCII
    as UTF-8), and a '%' that starts no escape written '%25'."""
    if _VALID_PART[safe](part):
        return part
    return quote(_STRAY_PERCENT.sub("%25", part), safe=safe + "%")


def _authority(netloc: str) -> str:
    """user:password@host:port with the user part encoded and the host made ASCII."""
    if "\\" in netloc:  # browsers read '\' as '/': 'a.org\@b.org' would go to another host
        raise AddressError("has a backslash before the path")
    userinfo, at, hostport = netloc.rpartition("@")
    host, port = _host_and_port(hostport)
    if port and not (port.isascii() and port.isdigit() and int(port) <= 65535):
        raise AddressError(f"'{hostport}' has no valid port number after its ':'")
    user = _encoded(userinfo, _USERINFO_SAFE) + at
    return user + host + (":" + port if port else "")


def _host_and_port(hostport: str) -> tuple[str, str]:
    """('[::1]', '80') from '[::1]:80' (urlsplit has checked the IPv6 address), ('a.org',
    '') from 'a.org'."""
    if hostport.startswith("["):
        address, _, after = hostport.partition("]")
        if after[:1] not in ("", ":"):
            raise AddressError(f"'{hostport}' has more than a ':' and a port after its ']'")
        return address + "]", after[1:]
    host, _, port = hostport.partition(":")
    return _ascii_host(host), port


def _ascii_host(host: str) -> str:
    """A domain in ASCII: internationalised names in punycode the way browsers map them
    (UTS 46, non-transitional: 'faß.de' stays a different domain from 'fass.de')."""
    ascii_host = host
    if not host.isascii():
        try:
            ascii_host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        except idna.IDNAError as exc:
            raise AddressError(f"'{host}' is not a valid domain name ({exc})") from exc
    if not _HOST.fullmatch(ascii_host):
        raise AddressError(f"'{host}' is not a valid domain name")
    return ascii_host


def readable_host(host: str) -> str:
    """A host as browsers show it and as the newsroom typed it in base_url: punycode labels
    ('xn--80auyf2b.example') back in their own letters ('факты.example'), for text a reader
    sees, such as the share card's; a host idna cannot read is shown as it is."""
    try:
        return str(idna.decode(host))
    except (idna.IDNAError, UnicodeError):
        return host
