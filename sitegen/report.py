"""How a build or check speaks to a person: problems, the summary line, the progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sitegen.problems import Problem, sort_problems

if TYPE_CHECKING:
    from sitegen.commands.check import BuildResult

BAR_WIDTH = 30
BAR_MIN_TOTAL = 500


def report(result: BuildResult, verb: str, out: TextIO, err: TextIO) -> int:
    """Print every problem, then one summary line; returns the exit code."""
    problems = sort_problems(result.problems)
    for problem in problems:
        print(problem.format(), file=err)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if errors:
        unchanged = f"; {_unchanged(result.output)}" if verb == "build" else ""
        print(f"{verb} failed: {_count(errors, 'error')}, {_count(warnings, 'warning')}"
              f"{unchanged}", file=err)
        return 1
    drafts = _left_out(result, problems)
    if verb == "build":
        print(f"built {_count(result.pages, 'page')} ({_count(result.factchecks, 'fact-check')}, "
              f"{_count(warnings, 'warning')}) in {result.seconds:.2f} s -> {result.output} "
              f"({_count(result.files, 'file')} with feeds, data and search"
              f"{_kept(result.kept, result.files)}){drafts}",
              file=out)
    else:
        checked = _count(result.factchecks, "fact-check")
        if result.plain_pages:
            checked += f" and {_count(result.plain_pages, 'page')}"
        print(f"checked {checked}: no errors, {_count(warnings, 'warning')} in "
              f"{result.seconds:.2f} s{drafts}", file=out)
    return 0


def _unchanged(output: Path | None) -> str:
    """Which folder a failed build left alone: the one it was asked to write, by name."""
    if output is None:
        return "nothing was written"
    return f"{output.as_posix().rstrip('/')}/ was not changed"


def _left_out(result: BuildResult, problems: list[Problem]) -> str:
    """What the counts leave out: drafts are read and checked (a writer wants their
    problems while writing) but not published, and their warnings are shown above."""
    if not result.left_out:
        return ""
    drafts = set(result.left_out)
    theirs = sum(1 for p in problems if not p.is_error and p.path in drafts)
    note = f"; {_count(len(drafts), 'draft')} left out (use --drafts to include them)"
    if theirs:
        note += f", {theirs} of the warnings {'is' if theirs == 1 else 'are'} about " \
                f"{'it' if len(drafts) == 1 else 'them'}"
    return note


def _kept(kept: int, files: int) -> str:
    if not kept:
        return ""
    return "; all unchanged" if kept == files else f"; {kept} unchanged, not rendered again"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


class Bar:
    """A one-line progress bar, drawn only on a terminal and only when the work is long."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.drawn = False

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total < BAR_MIN_TOTAL:
            return
        filled = BAR_WIDTH * done // total
        self.stream.write(f"\r{stage:<9} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                          f"{done}/{total}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * (BAR_WIDTH + 30) + "\r")
            self.stream.flush()
