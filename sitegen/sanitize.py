"""Raw HTML in a Markdown body: warn about what would run in a reader's browser, and remove
it when the site asks for that (`[build] allow_raw_html = false`).

Writers embed video players and hand-made tables, so raw HTML is kept by default. Whatever
the setting, a `<script>`, an `on...=` event handler or a `javascript:` link in a body is a
warning on the body line that holds it: an editor reviewing a change should see it. When raw
HTML is off, the body goes through nh3 (the Rust `ammonia` sanitiser), configured to keep
everything Python-Markdown itself produces (headings with their ids, lists, tables with
their alignment, links, images, code, footnotes) and nothing that runs or restyles the page.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from .problems import Problem, warning
from .scrollables import WRAPPER_CLASS

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
MARKDOWN_CLASSES = frozenset({"footnote", "footnote-ref", "footnote-backref", WRAPPER_CLASS})
"""With `language-*` on code, the only classes Markdown (and scrollables.py) write; any other
is dropped, so a body cannot borrow the theme's styles (a fake verdict badge, say)."""


def _attributes() -> dict[str, set[str]]:
    """ammonia's defaults, plus what Markdown writes: ids (for links to headings and
    footnotes), classes, titles, image sizes, the `text-align` style of table cells, and the
    tabindex of scrolling boxes."""
    allowed = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    allowed["*"] = {"id", "class", "title", "lang", "dir"}
    allowed["a"] = {"href", "hreflang", "title"}
    allowed["img"] = {"src", "alt", "title", "width", "height"}
    for cell in ("th", "td"):
        allowed[cell] = allowed.get(cell, set()) | {"style"}
    for scrollable in ("div", "pre"):  # scrollables.py: reachable and scrollable by keyboard
        allowed[scrollable] = allowed.get(scrollable, set()) | {"tabindex"}
    return allowed


_ATTRIBUTES = _attributes()
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_INVISIBLE = re.compile(r"[\x00-\x20]+")
_TAG = re.compile(r"<[^>]*>")
_HANDLER = re.compile(r"[\s/\"']on[a-z]+\s*=")


def clean(html: str) -> str:
    """Markdown's own HTML, kept; scripts, event handlers, iframes, styles and unsafe links,
    removed."""
    return nh3.clean(
        html,
        tags=set(nh3.ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes=_ATTRIBUTES,
        link_rel=None,
        url_schemes=set(SAFE_SCHEMES),
        filter_style_properties={"text-align"},
        attribute_filter=_markdown_classes_only,
        strip_comments=True,
    )


def _markdown_classes_only(tag: str, name: str, value: str) -> str | None:
    """Markdown's own classes, and tabindex="0" only (a body may not reorder focus)."""
    if name == "tabindex":
        return value if value == "0" else None
    if name != "class":
        return value
    kept = [c for c in value.split() if c in MARKDOWN_CLASSES or c.startswith("language-")]
    return " ".join(kept) or None


@dataclass(frozen=True, slots=True)
class Finding:
    """Something in the rendered body that runs in a reader's browser."""

    what: str
    tag: str
    """The start tag as written: Markdown passes raw HTML through, so it names the line."""
    tag_number: int


def script_warnings(path: str, body: str, body_line: int, html: str,
                    allow_raw_html: bool) -> list[Problem]:
    """One warning per script, handler or javascript: link, on the body line that holds it."""
    if not _might_run(html):
        return []
    finder = _ScriptFinder()
    finder.feed(html)
    finder.close()
    lines = _prose_lines(body)
    first_line = body_line + len(body) - len(body.lstrip("\n"))
    seen: Counter[str] = Counter()
    located: dict[int, int] = {}
    problems = []
    for finding in finder.found:
        if finding.tag_number not in located:
            located[finding.tag_number] = _nth_line(lines, finding.tag, seen[finding.tag],
                                                    body_line, first_line)
            seen[finding.tag] += 1
        line = located[finding.tag_number]
        if allow_raw_html:
            problems.append(warning(path, line, "body",
                                    f"has {finding.what}, which runs in readers' browsers",
                                    "embed with the provider's <iframe> code instead, or set "
                                    "[build] allow_raw_html = false to remove it"))
        else:
            problems.append(warning(path, line, "body",
                                    f"has {finding.what}, which is removed from the page",
                                    "[build] allow_raw_html = false removes it; delete it from "
                                    "the body"))
    return problems


def _might_run(html: str) -> bool:
    """A quick superset of what _ScriptFinder finds: most bodies have none of it, and parsing
    every body in Python would add a tenth to Markdown's time. Inside a tag, 'javascript:'
    can only be disguised with entities ('&#106;', '&colon;') or blanks inside 'script'."""
    lowered = html.lower()
    if "<script" in lowered:
        return True
    return any("&" in tag or "script" in tag or ("on" in tag and _HANDLER.search(tag))
               for tag in _TAG.findall(lowered))


class _ScriptFinder(HTMLParser):
    """Scripts, on* attributes and javascript: URLs in the HTML, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Finding] = []
        self.tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1
        written = (self.get_starttag_text() or "").split("\n", 1)[0]
        if tag == "script":
            self.found.append(Finding("a <script> element", written, self.tags))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(Finding(f"an '{name}' event handler", written, self.tags))
            elif name in _URL_ATTRIBUTES and value is not None and _is_javascript(value):
                self.found.append(Finding("a 'javascript:' link", written, self.tags))

    handle_startendtag = handle_starttag


def _is_javascript(url: str) -> bool:
    """As a browser reads it: tabs, newlines and leading spaces do not break the scheme."""
    return _INVISIBLE.sub("", url).lower().startswith("javascript:")


def _prose_lines(body: str) -> list[tuple[int, str]]:
    """(offset from the body's first line, text) of each line outside fenced code blocks."""
    kept = []
    fence: str | None = None
    for index, text in enumerate(body.splitlines()):
        match = _FENCE.match(text)
        if fence is None and match:
            fence = match.group(1)[0] * 3
        elif fence is not None and match and match.group(1).startswith(fence):
            fence = None
        elif fence is None:
            kept.append((index, text.expandtabs(4)))  # as Python-Markdown reads it
    return kept


def _nth_line(lines: list[tuple[int, str]], written: str, nth: int, body_line: int,
              fallback: int) -> int:
    """The file line of the nth time the tag is written outside code; `fallback` (the body's
    first line) when Markdown changed it beyond recognition."""
    matches = [index for index, text in lines for _ in range(text.count(written))]
    if not written or not matches:
        return fallback
    return body_line + matches[min(nth, len(matches) - 1)]
