"""How a build or check speaks to a person: problems, the summary line, the progress bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from .problems import sort_problems

if TYPE_CHECKING:
    from .loading import BuildResult

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
        unchanged = "; output/ was not changed" if verb == "build" else ""
        print(f"{verb} failed: {_count(errors, 'error')}, {_count(warnings, 'warning')}"
              f"{unchanged}", file=err)
        return 1
    if verb == "build":
        print(f"built {_count(result.pages, 'page')} ({_count(result.factchecks, 'fact-check')}, "
              f"{_count(warnings, 'warning')}) in {result.seconds:.2f} s -> {result.output} "
              f"({_count(result.files, 'file')} with feeds, data and search"
              f"{_kept(result.kept, result.files)})",
              file=out)
    else:
        print(f"checked {_count(result.factchecks, 'fact-check')}: no errors, "
              f"{_count(warnings, 'warning')} in {result.seconds:.2f} s", file=out)
    return 0


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
