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

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from sitegen.markup.citations import CLASS as CITATION_CLASS
from sitegen.markup.wide_blocks import WRAPPER_CLASS
from sitegen.problems import Problem, warning

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
MARKDOWN_CLASSES = frozenset({"footnote", "footnote-ref", "footnote-backref", WRAPPER_CLASS,
                              CITATION_CLASS})
"""With `language-*` on code, the only classes Markdown (and wide_blocks.py) write; any other
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
    for scrollable in ("div", "pre"):  # wide_blocks.py: reachable and scrollable by keyboard
        allowed[scrollable] = allowed.get(scrollable, set()) | {"tabindex"}
    return allowed


_ATTRIBUTES = _attributes()
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])(?:[ \t]|$)")
_BACKTICKS = re.compile(r"`+")
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
    url: str = ""
    """A javascript: link's address: all that is left of a Markdown link (`[x](javascript:...)`
    becomes a tag nobody wrote), and what names its line."""


def script_warnings(path: str, body: str, body_line: int, html: str,
                    allow_raw_html: bool) -> list[Problem]:
    """One warning per script, handler or javascript: link, on the body line that holds it."""
    if not _might_run(html):
        return []
    finder = _ScriptFinder()
    finder.feed(html)
    finder.close()
    markup = _Markup(_markup_text(body))
    first_line = body_line + len(body) - len(body.lstrip("\n"))
    located: dict[int, int] = {}
    problems = []
    for finding in finder.found:
        if finding.tag_number not in located:
            index = markup.locate(_written(finding))
            located[finding.tag_number] = first_line if index is None else body_line + index
        problems.append(_warning(path, located[finding.tag_number], finding, allow_raw_html))
    return problems


def _written(finding: Finding) -> tuple[str, ...]:
    """How the writer may have typed what became the finding's tag, most telling first: the
    tag itself (raw HTML), a Markdown link's or image's `(address`, an autolink, the address
    alone (a reference definition's `[id]: address`)."""
    tag = (finding.tag, finding.tag.split("\n", 1)[0])  # a tag over lines, in case
    if not finding.url:
        return tag
    return *tag, f"({finding.url}", f"<{finding.url}>", finding.url


def _warning(path: str, line: int, finding: Finding, allow_raw_html: bool) -> Problem:
    if allow_raw_html:
        return warning(path, line, "body", f"has {finding.what}, which runs in readers' browsers",
                       "embed with the provider's <iframe> code instead, or set [build] "
                       "allow_raw_html = false to remove it")
    return warning(path, line, "body", f"has {finding.what}, which is removed from the page",
                   "[build] allow_raw_html = false removes it; delete it from the body")


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
        written = self.get_starttag_text() or ""
        if tag == "script":
            self.found.append(Finding("a <script> element", written, self.tags))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(Finding(f"an '{name}' event handler", written, self.tags))
            elif name in _URL_ATTRIBUTES and value is not None and _is_javascript(value):
                self.found.append(Finding("a 'javascript:' link", written, self.tags, value))

    handle_startendtag = handle_starttag


def _is_javascript(url: str) -> bool:
    """As a browser reads it: tabs, newlines and leading spaces do not break the scheme."""
    return _INVISIBLE.sub("", url).lower().startswith("javascript:")


def _markup_text(body: str) -> str:
    """The body's lines with what Markdown shows as text blanked out (code blocks, code spans,
    HTML comments), so a tag is looked for only where it can be one: a `<script>` quoted in
    code or commented out must not take the line of the real one after it."""
    lines = [line.expandtabs(4) for line in body.splitlines()]  # as Python-Markdown reads it
    for index in _code_block_lines(lines):
        lines[index] = ""
    return _blank_comments(_blank_code_spans("\n".join(lines)))


def _code_block_lines(lines: list[str]) -> Iterator[int]:
    """The lines of fenced code blocks (with their fences), and of indented ones: four spaces
    after a blank line, outside a list (whose items go on indented)."""
    fence: str | None = None
    blank = in_list = code = False
    for index, text in enumerate(lines):
        match = _FENCE.match(text)
        if fence is not None:
            if match and match.group(1).startswith(fence):
                fence = None
            yield index
            continue
        if match:
            fence = match.group(1)[0] * 3
            yield index
            continue
        if not text.strip():
            blank = True
            continue
        indented = text.startswith("    ")
        code = indented and (blank or code) and not in_list
        if code:
            yield index
        elif _LIST_ITEM.match(text):
            in_list = True
        elif blank and not indented:
            in_list = False
        blank = False


def _blank_code_spans(text: str) -> str:
    """`text` with each code span (backticks to the next run of as many, within a paragraph)
    blanked; in time linear in the runs, whatever the writer pasted."""
    out = []
    for paragraph in re.split(r"(\n[ \t]*\n)", text):
        runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(paragraph)]
        by_length: dict[int, list[int]] = {}
        for number, (start, end) in enumerate(runs):
            by_length.setdefault(end - start, []).append(number)
        chars, number = list(paragraph), 0
        while number < len(runs):
            start, end = runs[number]
            same = by_length[end - start]
            after = bisect.bisect_right(same, number)
            if (start and paragraph[start - 1] == "\\") or after == len(same):
                number += 1
                continue
            closer = same[after]
            chars[start:runs[closer][1]] = _blanked(paragraph[start:runs[closer][1]])
            number = closer + 1
        out.append("".join(chars))
    return "".join(out)


def _blank_comments(text: str) -> str:
    """`text` with each HTML comment blanked (its line breaks kept)."""
    out, at = [], 0
    while (start := text.find("<!--", at)) >= 0:
        end = text.find("-->", start + 4)
        end = len(text) if end < 0 else end + 3
        out += [text[at:start], _blanked(text[start:end])]
        at = end
    out.append(text[at:])
    return "".join(out)


def _blanked(text: str) -> str:
    return "".join("\n" if char == "\n" else " " for char in text)


class _Markup:
    """The body's markup, searched for the findings in their order: each is looked for from
    where the one before it was found (the page keeps the body's order), and a place once
    taken is not given to another (a raw tag and a Markdown link to the same address, the
    same tag written twice)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self._taken: list[tuple[int, int]] = []
        """(start, end) of each place given, in order."""
        self._cursor = 0
        self._absent: set[str] = set()
        """Texts with no free place anywhere (places are only ever taken)."""

    def locate(self, texts: tuple[str, ...]) -> int | None:
        """The line (from the body's start) of the first place one of `texts` is written,
        from the last place found on (else from the start: a footnote's tag comes at the
        end of the page); None when none is (Markdown changed it beyond recognition)."""
        found = self._earliest(texts, self._cursor) or self._earliest(texts, 0)
        if found is None:
            return None
        bisect.insort(self._taken, found)
        self._cursor = found[0]
        return bisect.bisect_right(self._line_starts, found[0]) - 1

    def _earliest(self, texts: tuple[str, ...], start: int) -> tuple[int, int] | None:
        """The first free place of any of `texts` from `start`; the first text on a tie."""
        best: tuple[int, int] | None = None
        for text in texts:
            at = self._free(text, start) if text else -1
            if at >= 0 and (best is None or at < best[0]):
                best = (at, at + len(text))
        return best

    def _free(self, text: str, start: int) -> int:
        if text in self._absent:
            return -1
        at = self._text.find(text, start)
        while at >= 0 and self._overlaps(at, at + len(text)):
            at = self._text.find(text, at + 1)
        if at < 0 and start == 0:
            self._absent.add(text)  # never searched again: a Markdown link's tag, say
        return at

    def _overlaps(self, start: int, end: int) -> bool:
        after = bisect.bisect_right(self._taken, (start, end))
        return (after > 0 and self._taken[after - 1][1] > start) or (
            after < len(self._taken) and self._taken[after][0] < end)
