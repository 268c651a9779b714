"""A document's body from Markdown to the HTML the page shows.

Converted within the time limit (markup/convert.py, `within`), together with everything else
that reads the whole body: citations linked to the front matter's sources, the scan for
scripts, the sanitiser when raw HTML is off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sitegen.config.settings import SiteConfig
from sitegen.content.citations import cite
from sitegen.content.fields import Checker
from sitegen.content.front_matter import Record
from sitegen.markup.citations import as_written
from sitegen.markup.convert import ConversionTimeoutError, timeout_problem, within
from sitegen.markup.sanitize import clean, script_warnings
from sitegen.problems import Problem

RenderMarkdown = Callable[[str, str | None], str]
"""Markdown text and its language (for the quotation marks) -> HTML."""


def body_html(record: Record, config: SiteConfig, render: RenderMarkdown,
               checker: Checker, lang: str | None,
               values: dict[str, Any] | None = None) -> str:
    """The body as HTML; scripts are warned about, and removed when raw HTML is off. All of
    it within the time limit: the scan and the sanitiser also read the whole body. A
    fact-check's citations are linked to its `values["sources"]` (which then learn how often
    each is cited); a page has no sources, and its `[@...]` stay as written."""
    allowed = config.build.allow_raw_html

    def convert() -> tuple[str, list[Problem]]:
        html = render(record.body, lang or config.site.language)
        if values is None:
            html = as_written(html)
        else:
            html, values["sources"] = cite(record, html, values["sources"], checker)
        found = script_warnings(record.path, record.body, record.body_line, html, allowed)
        return (html if allowed else clean(html)), found

    seconds = config.build.markdown_timeout
    try:
        html, found = within(seconds, convert)
    except ConversionTimeoutError:
        checker.problems.append(timeout_problem(record.path, record.body, record.body_line,
                                                    seconds))
        return ""
    checker.problems += found
    return html
