"""Problems are values: every stage collects them and the CLI reports them all at once.

A build never stops at the first mistake, because a writer fixing twelve typos should not have
to run the build twelve times.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Messages quote what writers typed; an escape code in a value must not reach a terminal,
and a line break must not start a line that looks like another problem."""


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located precisely enough for an editor to jump to it."""

    path: str
    line: int | None
    field: str | None
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        """`path:line: field: message (hint)`, the shape editors and CI logs recognise."""
        location = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [location]
        if self.severity is Severity.WARNING:
            parts.append("warning")
        if self.field:
            parts.append(self.field)
        text = ": ".join(parts) + ": " + self.message
        if self.hint:
            text += f" ({self.hint})"
        return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def error(
    path: str, line: int | None, field: str | None, message: str, hint: str | None = None
) -> Problem:
    return Problem(path, line, field, message, hint, Severity.ERROR)


def warning(
    path: str, line: int | None, field: str | None, message: str, hint: str | None = None
) -> Problem:
    return Problem(path, line, field, message, hint, Severity.WARNING)


def has_errors(problems: Iterable[Problem]) -> bool:
    # In C: a preview's rebuild asks this of every warning of ten thousand files.
    return Severity.ERROR in map(_SEVERITY, problems)


_SEVERITY = attrgetter("severity")


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Report in file order, so the list reads top to bottom like the files themselves."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.field or "", p.message))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, if any is close enough to be a likely typo."""
    matches = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def choices_hint(word: str, choices: Iterable[str], noun: str = "allowed") -> str:
    """'did you mean X? allowed: a, b, c' — the hint every unknown-name error carries."""
    ordered = list(choices)
    guess = did_you_mean(word, ordered)
    listed = f"{noun}: {', '.join(ordered)}"
    return f"did you mean '{guess}'? {listed}" if guess else listed
