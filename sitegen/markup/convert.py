"""Markdown -> HTML with one configured Python-Markdown instance, reused for every file.

Building a Markdown instance costs more than converting a short article, so a process makes one
and resets it between documents. Markdown is most of a build's time; see typography.py for why
typographic quotes do not come from `smarty`.

Inline parsing is most of Markdown's own time: every inline pattern is tried on every piece
of text, about 440 tries an article, most of them for patterns whose first character the
article never uses (no backtick, no `<`, no `&`). Each article is therefore converted with
only the inline patterns it can match (`inline_patterns`): a pattern is left out when none of
the characters it cannot match without is anywhere in the article, which gives the same HTML
(a pattern that cannot match changes nothing, and nothing before inline parsing adds those
characters). Only patterns whose expression is the one known here are ever left out, so a
new Python-Markdown with other patterns is slower, never wrong.

Block parsing asks every block processor in turn about every block; those for tables, block
quotes, `#` headings, link references and footnotes cannot take a block of a document
without a `|`, `>`, `#`, `]:` or `[^` (parsing only ever takes characters out of a block:
markers, indentation). Each document is parsed without those it cannot use
(`block_processors`), chosen from the text the block parser gets, after the preprocessors:
1.95 ms an article of the bench corpus against 2.09, the same HTML.

Most blocks are paragraphs, which every processor before the paragraph's is asked about:
the `#` heading and block quote processors search the whole block for a line that starts
so, the horizontal rule's for a line of marks, the table's splits it into rows and cells.
Each of those is first asked a question its answer needs, one pass in C over the block
(`quick_tests`): a `#`, a `>`, a `|`, three of one rule mark, an underline after the first
line. Only when that holds does the processor's own test run: the same answer, 14% less of
Markdown's time for the bench corpus (2.17 to 1.86 ms an article).

Python-Markdown takes time quadratic in the length of some runs of marks (120 KB of
unclosed `[a](b ` took 137 s), and a build must not stall on one pasted document, so each
body is converted within `[build] markdown_timeout` seconds of processor time (`within`).
Python cannot stop a computation in its own thread from another one, and a process per
body would cost more than the conversion; a timer signal can: the kernel counts this
process's processor time (ITIMER_PROF, so a loaded machine does not fail a body that
an idle one converts), and the handler raises in the thread that converts. Every
conversion runs in its process's main thread (forked readers convert in theirs), where
Python runs signal handlers; in any other thread there is no bound.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterable
from types import FrameType
from typing import TYPE_CHECKING, Generic, TypeVar, cast
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.inlinepatterns import Pattern
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor as InlineStage
from markdown.util import Registry

from sitegen.markup.addresses import VERSION as ADDRESSES_VERSION
from sitegen.markup.addresses import AddressesExtension
from sitegen.markup.citations import CITATION, CitationsExtension
from sitegen.markup.citations import VERSION as CITATIONS_VERSION
from sitegen.markup.typography import TypographyExtension, TypographyProcessor, quotes_for
from sitegen.markup.wide_blocks import VERSION as SCROLLABLES_VERSION
from sitegen.markup.wide_blocks import ScrollablesExtension
from sitegen.problems import Problem, error

if TYPE_CHECKING:
    from sys import UnraisableHookArgs

EXTENSIONS = ("tables", "footnotes", "fenced_code", "sane_lists", "toc",
              f"scrollables {SCROLLABLES_VERSION}", f"addresses {ADDRESSES_VERSION}",
              f"citations {CITATIONS_VERSION}")
"""The extensions, by name (for the build cache's header): keep in step with __init__."""

NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "escape": (r"\\(.)", ("\\",)),
    "reference": (r"(?<!\!)\[", ("[",)),
    "link": (r"(?<!\!)\[", ("[",)),
    "image_link": (r"\!\[", ("![",)),
    "image_reference": (r"\!\[", ("![",)),
    "short_reference": (r"(?<!\!)\[", ("[",)),
    "short_image_ref": (r"\!\[", ("![",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    # two spaces before a line's end; a tab becomes spaces before inline parsing
    "linebreak": (r"  \n", ("  ", "\t")),
    "html": (r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'"""
             r"""|[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]"""
             r"""|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""", ("<",)),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (r"\*|_", ("*", "_")),
    "footnote": (r"\[\^([^\]]*)\]", ("[^",)),
    "citation": (CITATION, ("[@",)),
}
"""Inline pattern name -> (its regular expression, as Python-Markdown 3.11 has it; the texts
one of which an article must contain for the pattern to match anywhere in it)."""


BLOCK_NEEDS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "table": ("TableProcessor", None, ("|",)),
    "quote": ("BlockQuoteProcessor", r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    "hashheader": ("HashHeaderProcessor",
                   r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
                   ("#",)),
    "reference": ("ReferenceProcessor",
                  r"""^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"""
                  r"""((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""", ("]:",)),
    "footnote": ("FootnoteBlockProcessor", r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", ("[^",)),
}
"""Block processor name -> (its class's name and expression, as Python-Markdown 3.11 has
them; the texts one of which a document must contain for it to take a block). A table is
rows of cells between pipes; the others are what their expressions start with."""


def _underlined(block: str) -> bool:
    """A setext heading's underline (`===` or `---`) is the block's second line."""
    end = block.find("\n")
    return end >= 0 and block[end + 1:end + 2] in ("=", "-")


def _three_rule_marks(block: str) -> bool:
    """A horizontal rule is three or more of one of `-`, `_`, `*`."""
    return block.count("-") >= 3 or block.count("_") >= 3 or block.count("*") >= 3


BLOCK_TESTS: dict[str, tuple[str, str, str | None, Callable[[str], bool]]] = {
    "table": ("TableProcessor", "RE", None, lambda block: "|" in block),
    "hashheader": ("HashHeaderProcessor", "RE", BLOCK_NEEDS["hashheader"][1],
                   lambda block: "#" in block),
    "setextheader": ("SetextHeaderProcessor", "RE", r"^.*?\n(?:=+|-+)[ ]*(\n|$)", _underlined),
    "hr": ("HRProcessor", "SEARCH_RE",
           r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
           r"(?P=atomicgroup)[ ]*$", _three_rule_marks),
    "quote": ("BlockQuoteProcessor", "RE", BLOCK_NEEDS["quote"][1], lambda block: ">" in block),
}
"""Block processor name -> (its class's name, the attribute holding its expression and that
expression as Python-Markdown 3.11 has them (None: not checked), a question about a block
that is true of every block the processor takes)."""

Item = TypeVar("Item")


class Subsets(Generic[Item]):
    """For each text, the items of a Markdown registry (inline patterns, block processors)
    it can use: `registry` without those whose `needs` the text lacks, in the same order,
    each subset made once per set left out."""

    def __init__(self, registry: Registry[Item], needs: list[tuple[str, tuple[str, ...]]]
                 ) -> None:
        self._all = registry
        self._needs = needs
        self._subsets: dict[tuple[str, ...], Registry[Item]] = {}

    def left_out(self, text: str) -> tuple[str, ...]:
        """The items that can do nothing in `text`."""
        return tuple(name for name, needs in self._needs
                     if not any(need in text for need in needs))

    def for_text(self, text: str) -> Registry[Item]:
        left_out = self.left_out(text)
        subset = self._subsets.get(left_out)
        if subset is None:
            subset = self._all[:]  # a copy, names and priorities kept
            for name in left_out:
                subset.deregister(name)
            self._subsets[left_out] = subset
        return subset


def inline_patterns(patterns: Registry[Pattern]) -> Subsets[Pattern]:
    """The inline patterns an article can match (NEEDS): only those whose expression is the
    one known there are ever left out."""
    return Subsets(patterns, [(name, needs) for name, (expression, needs) in NEEDS.items()
                              if name in patterns
                              and getattr(patterns[name], "pattern", None) == expression])


def block_processors(processors: Registry[BlockProcessor]) -> Subsets[BlockProcessor]:
    """The block processors a document can use (BLOCK_NEEDS): only those whose class and
    expression are the ones known there are ever left out."""
    return Subsets(processors, [
        (name, needs) for name, (kind, expression, needs) in BLOCK_NEEDS.items()
        if name in processors and _as_known(processors[name], kind, "RE", expression)])


def quick_tests(processors: Registry[BlockProcessor]) -> None:
    """Put each processor of BLOCK_TESTS whose class and expression are the ones known there
    behind its quick question (this Markdown instance's processors only)."""
    for name, (kind, attribute, expression, could_take) in BLOCK_TESTS.items():
        if name in processors and _as_known(processors[name], kind, attribute, expression):
            processor = processors[name]
            setattr(processor, "test", _asked_first(could_take, processor.test))  # noqa: B010


def _as_known(processor: BlockProcessor, kind: str, attribute: str,
              expression: str | None) -> bool:
    """Whether `processor` is of the class named `kind` with `expression` in `attribute`
    (None: no expression there), as this module knows it: only such a processor is left
    out of a document or asked a quick question first."""
    found = getattr(getattr(processor, attribute, None), "pattern", None)
    return type(processor).__name__ == kind and found == expression


Test = Callable[[Element, str], bool]


def _asked_first(could_take: Callable[[str], bool], test: Test) -> Test:
    def quick_test(parent: Element, block: str) -> bool:
        return could_take(block) and test(parent, block)

    return quick_test


class _ChooseBlocks(Preprocessor):
    """The last preprocessor: gives the block parser the processors this document can use,
    seeing the text exactly as the parser will (tabs expanded, raw HTML stashed)."""

    def __init__(self, md: Markdown, choices: Subsets[BlockProcessor]) -> None:
        super().__init__(md)
        self._choices = choices

    def run(self, lines: list[str]) -> list[str]:
        self.md.parser.blockprocessors = self._choices.for_text("\n".join(lines))
        return lines


class MarkdownRenderer:
    """Callable that converts one body; not thread-safe, make one per process or thread."""

    def __init__(self) -> None:
        # Extension objects, not names: a name makes Markdown scan every installed
        # package's entry points, 100 ms of a small site's build.
        self._md = Markdown(
            extensions=[
                TableExtension(),
                # U+FE0E asks for the text glyph: phones otherwise draw the arrow as an emoji.
                FootnoteExtension(BACKLINK_TEXT="\u21a9\ufe0e"),
                FencedCodeExtension(),
                SaneListExtension(),
                TocExtension(slugify=slugify_unicode, toc_depth="2-4"),
                TypographyExtension(),
                ScrollablesExtension(),
                AddressesExtension(),
                CitationsExtension(),
            ],
            output_format="html",
        )
        typography = self._md.treeprocessors["sitegen-typography"]
        assert isinstance(typography, TypographyProcessor)
        self._typography = typography
        inline = self._md.treeprocessors["inline"]
        self._inline = inline if isinstance(inline, InlineStage) else None
        self._patterns = inline_patterns(self._md.inlinePatterns)
        quick_tests(self._md.parser.blockprocessors)
        self._blocks = block_processors(self._md.parser.blockprocessors)
        self._md.preprocessors.register(_ChooseBlocks(self._md, self._blocks), "sitegen-blocks",
                                        0)

    def __call__(self, text: str, lang: str | None = None) -> str:
        """`text` as HTML, its quotation marks those of `lang` (default: English)."""
        self._typography.quotes = quotes_for(lang)
        self._md.reset()
        if self._inline is not None:
            # Markdown annotates this attribute with its own class (the treeprocessor's)
            self._inline.inlinePatterns = cast("Registry[InlineStage]",
                                               self._patterns.for_text(text))
        return self._md.convert(text)


class ConversionTimeoutError(Exception):
    """A body took longer than its time limit to convert."""


RETRY_SECONDS = 0.05
"""After the limit, the signal comes again this often until the work stops: one raised
where Python-Markdown catches every exception (an `except Exception` around a link's
unescaping) would otherwise be lost."""

Result = TypeVar("Result")


class _Limit:
    """Whether work is under the limit now: the timer's handler raises only then (a signal
    already on its way when the work ends must not raise in whatever comes next).

    The handler runs in whatever Python code the work is running, which may be a finaliser
    or a garbage collector's callback, where Python prints an exception it cannot raise
    ('Exception ignored in ...') and goes on: `unraisable` keeps such a timeout quiet (the
    signal comes again RETRY_SECONDS later) and hands anything else to the hook before it."""

    __slots__ = ("armed", "hook")

    def __init__(self) -> None:
        self.armed = False
        self.hook: Callable[[UnraisableHookArgs], object] = sys.unraisablehook

    def unraisable(self, unraisable: UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, ConversionTimeoutError):
            self.hook(unraisable)


_LIMIT = _Limit()


def _expire(signum: int, frame: FrameType | None) -> None:
    if _LIMIT.armed:
        raise ConversionTimeoutError


def can_limit_time() -> bool:
    """Whether `within` bounds work here: on systems with interval timers, in the main
    thread, the only one Python runs signal handlers in."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def within(seconds: float, work: Callable[[], Result]) -> Result:
    """`work()`, or ConversionTimeoutError once this process has spent `seconds` of processor
    time on it. No other SIGPROF timer of the process may run meanwhile (sitegen has none).
    The handler stays once set (it does nothing between conversions), so a body costs two
    setitimer calls: some 8 microseconds in all, against 600 or more for the conversion."""
    if not can_limit_time():
        return work()
    if signal.getsignal(signal.SIGPROF) is not _expire:
        signal.signal(signal.SIGPROF, _expire)
    _LIMIT.hook, sys.unraisablehook = sys.unraisablehook, _LIMIT.unraisable
    _LIMIT.armed = True
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds, RETRY_SECONDS)
        return work()
    finally:
        # Disarmed first, in this frame: nothing between the work's end and here lets
        # Python run a handler, so a late signal is harmless from this line on.
        _LIMIT.armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        sys.unraisablehook = _LIMIT.hook


TIMEOUT_MESSAGE = "took more than {seconds:g} seconds of processor time to convert"


def timeout_problem(path: str, body: str, body_line: int, seconds: float) -> Problem:
    """Where the body (of the file at `path`, starting on `body_line`) starts, and what makes
    Python-Markdown slow: the writer has to find it."""
    first = body_line + len(body) - len(body.lstrip("\n"))
    return error(path, first, "body",
                 TIMEOUT_MESSAGE.format(seconds=seconds)
                 + " from Markdown, the limit set by [build] markdown_timeout",
                 "look for a long run of unclosed brackets '[' or '(', emphasis marks '*' or "
                 "'_', HTML tags '<', or footnote references '[^'" + _densest_line(body, body_line)
                 + ", often from pasted text; close or remove them, or put them in a code "
                 "block")


SLOW_MARKS = "[(*_<"
"""What Python-Markdown's slow runs are made of (a footnote reference starts with '[')."""
SLOW_MARKS_SHOWN = 100
"""Fewer marks than this on a line are not worth pointing at."""


def _densest_line(body: str, body_line: int) -> str:
    """' (line L has N of those marks)' for the line with the most of SLOW_MARKS, when it has
    many: in a long article, that line is where to look first."""
    most, where = 0, 0
    for index, line in enumerate(body.split("\n")):
        count = sum(map(line.count, SLOW_MARKS))
        if count > most:
            most, where = count, index
    if most < SLOW_MARKS_SHOWN:
        return ""
    return f" (line {body_line + where} has {most:,} of those marks)"


def timed_out(problems: Iterable[Problem]) -> bool:
    """Whether a file's body met the time limit: such a result is never cached, since a
    faster machine, or the same one less busy, might convert it."""
    return any(p.field == "body" and p.is_error and p.message.startswith(TIMEOUT_PREFIX)
               for p in problems)


TIMEOUT_PREFIX = TIMEOUT_MESSAGE.split("{", 1)[0]
