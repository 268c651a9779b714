"""Markdown to safe HTML, below the caches and the content that use it.

convert runs Python-Markdown under a per-body time limit, typography and wide_blocks are its
extensions, sanitize keeps what a writer may put in a body, addresses checks links. A
newcomer adds a Markdown extension here; a change to a body's HTML is picked up by the
bodies cache's key.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.markup.convert import (
        BLOCK_TESTS,
        EXTENSIONS,
        ConversionTimeoutError,
        MarkdownRenderer,
        timed_out,
        timeout_problem,
        within,
    )
    from sitegen.markup.sanitize import clean, script_warnings

__all__ = [
    "BLOCK_TESTS", "EXTENSIONS", "ConversionTimeoutError", "MarkdownRenderer", "clean",
    "script_warnings", "timed_out", "timeout_problem", "within",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "BLOCK_TESTS": "sitegen.markup.convert",
        "ConversionTimeoutError": "sitegen.markup.convert",
        "EXTENSIONS": "sitegen.markup.convert",
        "MarkdownRenderer": "sitegen.markup.convert",
        "timed_out": "sitegen.markup.convert",
        "timeout_problem": "sitegen.markup.convert",
        "within": "sitegen.markup.convert",
        "clean": "sitegen.markup.sanitize",
        "script_warnings": "sitegen.markup.sanitize",
    })
