"""The verdict's story told by a fact-check's `updates`: each change knows what it replaced.

`verdict` is the current verdict; an update's `verdict` is the verdict that update set;
`original_verdict` is the verdict at publication. So the verdict before any change is the
previous change's verdict, or `original_verdict` for the first change, and the newest change
must have set the current verdict. A page can then say "was X until DATE" without the writer
repeating any verdict, and a log that contradicts the current verdict is an error.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from sitegen.content.fields import Checker
from sitegen.models import Update, date_sort_key


@dataclass(frozen=True, slots=True)
class WrittenUpdate:
    """An update as validated, with where it was written: its label and its verdict's line."""

    update: Update
    label: str
    verdict_line: int


@dataclass(frozen=True, slots=True)
class Verdicts:
    """The fact-check's own verdict fields and their lines."""

    current: str | None
    current_line: int
    original: str | None
    original_line: int


def tell_story(written: list[WrittenUpdate], verdicts: Verdicts,
               checker: Checker) -> tuple[Update, ...]:
    """The updates newest first, each with its previous verdict and anchor; contradictions
    between the log and the verdict fields are reported on the lines that disagree."""
    oldest_first = sorted(written, key=lambda w: date_sort_key(w.update.date))
    anchors = _anchors([w.update for w in oldest_first])
    told: list[Update] = []
    previous = verdicts.original
    last_change: WrittenUpdate | None = None
    for entry, anchor in zip(oldest_first, anchors, strict=True):
        update = replace(entry.update, anchor=anchor)
        if update.verdict is not None:
            _check_change(entry, previous, verdicts, checker)
            update = replace(update, previous_verdict=previous)
            previous, last_change = update.verdict, entry
        told.append(update)
    _check_current(last_change, verdicts, checker)
    return tuple(reversed(told))


def _anchors(oldest_first: list[Update]) -> list[str]:
    """`update-2023-07-14`, then `update-2023-07-14-2` for a second update that day: ids that
    stay put when a later update is added."""
    seen: Counter[str] = Counter()
    anchors = []
    for update in oldest_first:
        day = f"update-{update.date.year:04d}-{update.date.month:02d}-{update.date.day:02d}"
        seen[day] += 1
        anchors.append(day if seen[day] == 1 else f"{day}-{seen[day]}")
    return anchors


def _check_change(entry: WrittenUpdate, previous: str | None, verdicts: Verdicts,
                  checker: Checker) -> None:
    field = f"{entry.label}.verdict"
    if previous == entry.update.verdict:
        checker.warn(entry.verdict_line, field,
                     f"'{previous}' is already the verdict before this update",
                     "leave 'verdict:' out of an update that does not change it")
    elif previous is None:
        checker.warn(entry.verdict_line, field,
                     "changes the verdict, but the verdict it replaced is not recorded",
                     "add 'original_verdict: ID' with the verdict at publication, so the "
                     "page can say what it was")


def _check_current(last_change: WrittenUpdate | None, verdicts: Verdicts,
                   checker: Checker) -> None:
    """The newest change set the current verdict; with no change, the verdict never moved."""
    current = verdicts.current
    if current is None:
        return
    if last_change is not None:
        newest = last_change.update.verdict
        if newest != current:
            checker.fail(last_change.verdict_line, f"{last_change.label}.verdict",
                         f"is '{newest}', the newest verdict change, but verdict "
                         f"(line {verdicts.current_line}) is '{current}'",
                         f"'verdict' is the current verdict: make it '{newest}', or record "
                         f"the change to '{current}' in a newer update")
        return
    original = verdicts.original
    if original is not None and original != current:
        checker.fail(verdicts.original_line, "original_verdict",
                     f"is '{original}' but verdict is '{current}', and no update records "
                     "the change",
                     f"add an update with 'verdict: {current}' and a note saying why it changed")
