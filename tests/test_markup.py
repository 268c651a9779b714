"""Markdown conversion with only the inline patterns an article can match and the block
processors it can use (markup/convert.py): the same HTML as with every pattern and processor,
whatever the article holds."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.markup import BLOCK_TESTS, MarkdownRenderer

TOKENS = [
    "word", "Claim", "2024", "état", "Пенсии", " ", "  ", "\t", "\n", "\n\n", "\r\n",
    "*", "**", "_", "__", "`", "``", "\\", "\\*", "[", "]", "(", ")", "![", "[^1]", "[^1]: ",
    "[ref]", "[ref]: https://factcheck.test/r \"T\"\n", "<", ">", "<b>", "</b>", "<!-- c -->",
    "<https://factcheck.test/a>", "<someone@example.org>", "&", "&amp;", "&#169;", "&copy;", ";",
    "#", "## ", "- ", "1. ", "> ", "    ", "```\n", "~~~", "|", "| a | b |\n|---|---|\n",
    "---", "'", '"', "...", "https://factcheck.test/x_y*z", "[a](https://factcheck.test/b)",
    "![alt](/i.png)", "!", "^", ":", "  \n", "\t\n", "[TOC]", "]:", "\n===\n", "\n---\n",
    "> > ", "    > ", "|x|", "<div>\n> quoted\n</div>\n\n", "***", "___", "- - -", "* * *",
    "_ _ _", "=", "==", "-", "Title\n", "\n# ", "\n| a |\n", "#\n", "a | b\n--|--\n",
]


def full_renderer() -> MarkdownRenderer:
    """The same renderer trying every inline pattern and every block processor on every
    article: the reference."""
    renderer = MarkdownRenderer()
    renderer._inline = None
    renderer._md.preprocessors.deregister("sitegen-blocks")
    for processor in renderer._md.parser.blockprocessors:
        vars(processor).pop("test", None)  # each processor's own test, asked of every block
    return renderer


FILTERED = MarkdownRenderer()
EVERY_PATTERN = full_renderer()


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_the_html_is_the_same_as_with_every_inline_pattern(text: str) -> None:
    assert FILTERED(text) == EVERY_PATTERN(text)


@pytest.mark.parametrize("text", [
    "A line that ends in two spaces  \nbreaks.",
    "A tab before the end of a line\t\nbecomes spaces, and a break.",
    "Windows line ends  \r\nbreak too.",
    "Footnote[^n] here.\n\n[^n]: The *note* with `code` & <b>html</b>.",
    "A [reference][r] defined later.\n\n[r]: https://factcheck.test/r",
    "An ![image](/a.png) and <https://factcheck.test/x> and <a@example.org>.",
    "Escapes: \\*not em\\* and \\`not code\\`.",
    "Entities: &copy; &#169; &#xA9; and a bare & sign.",
    "```\nfenced *code* with [brackets] & <tags>\n```\n\nThen *text*.",
    "    indented code [x](y) *z*\n\nand text.",
    "| a | *b* |\n|---|---|\n| [c](d) | `e` |",
    "> A quote with a ## heading\n> and a [ref].\n\n[ref]: https://factcheck.test/q",
    "- a list\n\n    > a quote in it\n    > | a | b |\n    > |---|---|\n    > | 1 | 2 |",
    "<div markdown>\n> stashed raw HTML keeps its quote marks\n</div>\n\nAfter it.",
    "Setext heading\n==============\n\nand a rule\n\n---\n\ndone.",
    "A second level\n---\n\n* * *\n\n___\n\n- - -\n\nA para - with -- dashes.",
    "Words\n# a heading in the block\nmore words\n> and a quote\n| a | b |",
    "a | b\n--|--\n1 | 2\n\nno | table here",
    "Plain words only, nothing inline to find.",
    "Cited [@2], [@tass; @1] and not [@x](https://factcheck.test/) nor `[@3]`.",
])
def test_articles_with_each_kind_of_inline_markup(text: str) -> None:
    assert FILTERED(text) == EVERY_PATTERN(text)


def test_a_plain_article_is_converted_without_the_patterns_it_cannot_match() -> None:
    """What makes conversion faster: an article of words, links and emphasis is not
    searched for code spans, escapes, raw HTML, entities, images or line breaks. (A new
    Python-Markdown whose patterns differ fails here: review markup.NEEDS for it.)"""
    text = "A *claim* about [a report](https://factcheck.test/r), said twice.\n\nAnd again."
    left_out = FILTERED._patterns.left_out(text)
    assert set(left_out) == {"backtick", "escape", "footnote", "image_link", "image_reference",
                             "short_image_ref", "autolink", "automail", "linebreak", "html",
                             "entity", "citation"}
    assert FILTERED(text) == EVERY_PATTERN(text)


def test_a_plain_article_is_parsed_without_the_block_processors_it_cannot_use() -> None:
    """What makes block parsing faster: a document without pipes, quote marks, headings, link
    references or footnotes is parsed without their processors. (A new Python-Markdown whose
    processors differ fails here: review markup.BLOCK_NEEDS for it.)"""
    text = "A *claim* about [a report](https://factcheck.test/r), said twice.\n\nAnd again."
    assert set(FILTERED._blocks.left_out(text)) == {"table", "quote", "hashheader",
                                                    "reference", "footnote"}
    assert FILTERED._blocks.left_out("## A | B > [^1]: x [r]: y") == ()
    assert FILTERED(text) == EVERY_PATTERN(text)


def test_a_paragraph_is_not_searched_by_processors_that_cannot_take_it() -> None:
    """What makes block parsing faster still: each of these processors is first asked a
    question in C (a `#`, a `>`, a `|`, three rule marks, an underline) before its own test
    searches the block. (A new Python-Markdown whose processors differ fails here: review
    markup.BLOCK_TESTS for it.)"""
    processors = MarkdownRenderer()._md.parser.blockprocessors  # all, before a document
    quick = {name for name in BLOCK_TESTS if "test" in vars(processors[name])}
    assert quick == {"table", "hashheader", "setextheader", "hr", "quote"}
    paragraph = "A claim about a report, said twice and at length, " * 20
    assert not any(vars(processors[name])["test"](None, paragraph) for name in quick)


@pytest.mark.parametrize(("name", "block"), [
    ("hashheader", "## A heading"), ("hashheader", "words\n# heading"),
    ("setextheader", "Heading\n==="), ("setextheader", "Heading\n---  "),
    ("hr", "---"), ("hr", "* * *"), ("hr", "___"), ("hr", "words\n- - -"),
    ("quote", "> quoted"), ("quote", "words\n   > quoted"),
    ("table", "| a | b |\n|---|---|"), ("table", "a | b\n--|--"),
])
def test_the_quick_question_holds_for_every_block_the_processor_takes(
        name: str, block: str) -> None:
    """Each quick question is a necessary condition: asked of blocks the processor's own
    test takes, it says yes."""
    processor = EVERY_PATTERN._md.parser.blockprocessors[name]
    assert processor.test(Element("div"), block)
    assert BLOCK_TESTS[name][3](block)
