"""Field converters: one YAML node in, one typed value out, or a located problem.

This is the table Pelican's readers.py got right (field -> converter), kept in one place so
every field is read the same way wherever it appears (top level, a source, an update).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sitegen.content.front_matter import Map, Node, Scalar, Seq
from sitegen.i18n.languages import language_problem
from sitegen.problems import Problem, error, warning
from sitegen.urls import AddressError, is_device_name, slugify, web_address

_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_DATETIME = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2})[Tt ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_BARE_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?:[/:?#]|$)")
_SLUG = re.compile(r"^[\w]+(?:[-.][\w]+)*$")
MAX_TERMS = 100
"""Tags (or authors) of one fact-check: each gets a page and a feed, so a pasted list of
100,000 would make 200,000 files; no newsroom files an article under more than a few."""
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""C0 controls and DEL, plus what XML feeds cannot hold: lone surrogates (which cannot even be
written as UTF-8) and the non-characters U+FFFE and U+FFFF."""
_BLANK_OR_CONTROL = re.compile(r"[^\S ]|" + _CONTROL.pattern)
"""What no address may contain: whitespace but the plain space (re's is str.isspace's: tabs,
line breaks, no-break and ideographic spaces), and controls; one scan, not one per kind."""


@dataclass
class Checker:
    """Collects the problems of one file while its fields are converted."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def fail(self, node_line: int, name: str, message: str, hint: str | None = None) -> None:
        self.problems.append(error(self.path, node_line, name, message, hint))

    def warn(self, node_line: int, name: str, message: str, hint: str | None = None) -> None:
        self.problems.append(warning(self.path, node_line, name, message, hint))

    def scalar(self, node: Node, name: str, what: str) -> Scalar | None:
        if isinstance(node, Scalar):
            return node
        kind = "a list" if isinstance(node, Seq) else "a set of fields"
        self.fail(node.line, name, f"must be {what}, not {kind}")
        return None

    def text(self, node: Node, name: str) -> str | None:
        """Text as the writer typed it: `verdict: false` and `title: 1984` stay text."""
        scalar = self.scalar(node, name, "text")
        if scalar is None:
            return None
        value = scalar.text.strip() if not scalar.is_null else ""
        if not value:
            self.fail(node.line, name, "is empty",
                      "write a value after the colon, or remove the line")
            return None
        if _CONTROL.search(value):
            self.fail(node.line, name, "contains a control character",
                      "remove invisible characters pasted with the text")
            return None
        return value

    def text_list(self, node: Node, name: str) -> tuple[str, ...]:
        """One value or a list: `author: Ann` and `author: [Ann, Bo]` both work."""
        if isinstance(node, Seq):
            if len(node.items) > MAX_TERMS:
                self._too_many(node, name, len(node.items))
                return ()
            values = (self.text(item, f"{name}[{i}]") for i, item in enumerate(node.items, 1))
            return _unique(v for v in values if v)
        if isinstance(node, Scalar) and node.is_null:
            return ()
        value = self.text(node, name)
        return (value,) if value else ()

    def tag_list(self, node: Node, name: str) -> tuple[str, ...]:
        """Like text_list, and `tags: economy, health` is two tags, as writers expect."""
        if isinstance(node, Scalar) and not node.is_null:
            value = self.text(node, name)
            tags = _unique(t.strip() for t in (value or "").split(",") if t.strip())
            if len(tags) > MAX_TERMS:
                self._too_many(node, name, len(tags))
                return ()
            return tags
        return self.text_list(node, name)

    def _too_many(self, node: Node, name: str, count: int) -> None:
        self.fail(node.line, name, f"has {count:,} entries; the limit is {MAX_TERMS}",
                  "each one gets its own page and feed; keep those readers would browse by")

    def date(self, node: Node, name: str) -> dt.date | None:
        scalar = self.scalar(node, name, "a date")
        if scalar is None:
            return None
        return parse_date(self, scalar, name)

    def flag(self, node: Node, name: str) -> bool | None:
        scalar = self.scalar(node, name, "true or false")
        if scalar is None:
            return None
        lowered = scalar.text.strip().lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        self.fail(node.line, name, f"must be true or false, not '{scalar.text}'")
        return None

    def integer(self, node: Node, name: str) -> int | None:
        scalar = self.scalar(node, name, "a whole number")
        if scalar is None:
            return None
        try:
            return int(scalar.text.strip())
        except ValueError:
            self.fail(node.line, name, f"must be a whole number, not '{scalar.text}'")
            return None

    def web_url(self, node: Node, name: str) -> str | None:
        value = self.text(node, name)
        return None if value is None else check_web_url(self, node.line, name, value)

    def image(self, node: Node, name: str) -> str | None:
        """An image is a web address or a path to a file of the site, like /images/x.jpg."""
        value = self.text(node, name)
        if value is None:
            return None
        if _has_scheme(value) or _BARE_DOMAIN.match(value):
            return check_web_url(self, node.line, name, value)
        if ".." in value.split("/") or "\\" in value or any(c.isspace() for c in value):
            self.fail(node.line, name, f"'{value}' is not a usable path",
                      "use a path inside the site, such as /images/photo.jpg")
            return None
        breaking = next((c for c in value if c in _NOT_IN_A_FILE_LINK), None)
        if breaking is not None:
            self.fail(node.line, name, f"'{value}' has '{breaking}', which a link reads "
                      f"as {_NOT_IN_A_FILE_LINK[breaking]}, not as part of the file name",
                      f"rename the file without '{breaking}'")
            return None
        return "/" + value.lstrip("/")

    def slug(self, node: Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is None:
            return None
        if not _SLUG.match(value) or value.lower() in _RESERVED_SLUGS or is_device_name(value):
            self.fail(node.line, name, f"'{value}' cannot be used in a URL",
                      f"use letters, digits and hyphens, such as '{slugify(value) or 'my-page'}'")
            return None
        return value

    def language(self, node: Node, name: str) -> str | None:
        value = self.text(node, name)
        if value is not None and language_problem(value):
            self.fail(node.line, name, f"'{value}' is not a language code",
                      "use a code such as 'en', 'ru' or 'pt-BR'")
            return None
        return value


def _has_scheme(value: str) -> bool:
    """Whether `value` names a scheme ('https:', 'data:'); one urlsplit cannot read (an
    unclosed '[' after '//') is an address too, for check_web_url to report."""
    try:
        return bool(urlsplit(value).scheme)
    except ValueError:
        return True


_NOT_IN_A_FILE_LINK = {"#": "the start of a fragment", "?": "the start of a query",
                       "%": "the start of an escape such as %20"}
"""Characters of a file name that the image's URL (made by urls.absolute_url, which keeps
them, as links to the site's own pages need) would not read as the file's name."""
_RESERVED_SLUGS = {"index", "page"}
"""Names sitegen's own URLs use; Windows device names are refused by urls.is_device_name."""


def parse_date(checker: Checker, scalar: Scalar, name: str) -> dt.date | None:
    """YYYY-MM-DD, or an ISO date-time; a date that does not exist is an error on its line."""
    text = scalar.text.strip()
    match = _DATETIME.match(text)
    try:
        if _DATE.match(text):
            year, month, day = (int(p) for p in text.split("-"))
            return dt.date(year, month, day)
        if match:
            zone = match.group(3) or ""
            stamp = f"{match.group(1)}T{match.group(2)}{'+00:00' if zone == 'Z' else zone}"
            return dt.datetime.fromisoformat(stamp)
    except ValueError as exc:
        checker.fail(scalar.line, name, f"'{text}' is not a real date: {exc}",
                     "write dates as YYYY-MM-DD, such as 2018-05-28")
        return None
    checker.fail(scalar.line, name, f"'{text}' is not a date",
                 "write dates as YYYY-MM-DD, such as 2018-05-28")
    return None


def check_web_url(checker: Checker, line: int, name: str, value: str) -> str | None:
    """Only http(s) links reach a page, percent-encoded as RFC 3986 asks (urls.web_address), so
    every place the link lands gets a valid address; a bare domain is accepted with a warning.
    A space is encoded like any other character; a tab, line break or invisible character is
    refused, since it means something other than the address was pasted with it."""
    if _BLANK_OR_CONTROL.search(value):
        checker.fail(line, name, "contains a tab, line break or invisible character",
                     "copy the address again from the browser's address bar")
        return None
    address = _http_address(checker, line, name, value)
    if address is None:
        return None
    try:
        return web_address(address)
    except AddressError as exc:
        checker.fail(line, name, f"'{value}' {exc}",
                     "copy the address again from the browser's address bar")
        return None


def _http_address(checker: Checker, line: int, name: str, value: str) -> str | None:
    """`value` when it is an http(s) address, with 'https://' put before a bare domain."""
    try:
        parts = urlsplit(value)
    except ValueError as exc:  # "Invalid IPv6 URL": a '[' with no ']'
        checker.fail(line, name, f"'{value}' is not a web address ({exc})",
                     "copy the address again from the browser's address bar")
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return value
    if "://" not in value and _BARE_DOMAIN.match(value):  # www.x.org:8080 parses as a scheme
        fixed = "https://" + value
        checker.warn(line, name, f"'{value}' has no scheme; linked as '{fixed}'",
                     "write the address in full, starting with https://")
        return fixed
    if parts.scheme and parts.scheme not in ("http", "https"):
        checker.fail(line, name, f"'{parts.scheme}:' links are not allowed",
                     "use an address starting with https:// or http://")
        return None
    checker.fail(line, name, f"'{value}' is not a web address",
                 "use an address starting with https://")
    return None


def plain_value(node: Node) -> Any:
    """A node as ordinary data, for `extra:`; YAML's safe types only, nothing constructed."""
    if isinstance(node, Seq):
        return [plain_value(item) for item in node.items]
    if isinstance(node, Map):
        return {name: plain_value(value) for name, _, value in node.entries}
    if node.quoted:
        return node.text
    return _plain_scalar(node)


def _plain_scalar(node: Scalar) -> Any:
    kind = node.tag.rsplit(":", 1)[-1]
    text = node.text
    try:
        if kind == "null":
            return None
        if kind == "bool":
            return text.lower() in _TRUE
        if kind == "int":
            return int(text.replace("_", ""), 0)
        if kind == "float":
            return float(text.replace("_", ""))
    except ValueError:
        return text
    return text


def _unique(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
