"""Two outputs on one URL: found before anything is written, told to the writer who can fix it.

Deploy targets are often case-insensitive, so two paths differing only in case collide too;
and a file where another output needs a folder ('2024' the page, '2024/x/' the article) is a
collision as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.models import CardRoute
from sitegen.problems import Problem, error
from sitegen.site.routes import FactCheckRoute, PageRoute, Route
from sitegen.urls import output_file


@dataclass(frozen=True, slots=True)
class _Output:
    """One file the build would write, and who asked for it."""

    key: str
    """The output file, case-folded: deploy targets are often case-insensitive."""
    owner: str
    shown: str
    line: int | None = None
    field: str | None = None

    @property
    def is_generated(self) -> bool:
        return self.owner.startswith("(")


def _route_output(route: Route | CardRoute) -> _Output:
    key = output_file(route.path).casefold()
    document = route.factcheck if isinstance(route, FactCheckRoute) else (
        route.page if isinstance(route, PageRoute) else None)
    if document is not None and "slug" in document.lines:
        return _Output(key, route.source_name, route.path, document.lines["slug"], "slug")
    return _Output(key, route.source_name, route.path)


def collisions(routes: Sequence[Route | CardRoute], static_files: Sequence[str],
                static_dir: str) -> list[Problem]:
    """Two things written to one file (or two differing only in case), or a file where
    another needs a folder, is an error naming both."""
    outputs = [_route_output(r) for r in routes]
    outputs += [_Output(s.casefold(), f"{static_dir}/{s}", s) for s in static_files]
    problems = []
    first: dict[str, _Output] = {}
    for output in outputs:
        earlier = first.setdefault(output.key, output)
        if earlier.owner != output.owner:
            problems.append(_collision(output, earlier, ""))
    folders: dict[str, _Output] = {}
    for output in first.values():
        parts = output.key.split("/")[:-1]
        for end in range(1, len(parts) + 1):
            folders.setdefault("/".join(parts[:end]), output)
    problems += [_collision(folders[key], output, " as a file")
                 for key, output in first.items() if key in folders]
    return problems


def _collision(output: _Output, other: _Output, how: str) -> Problem:
    """Told to the writer who can fix it: on a document rather than a generated page, on the
    `slug:` line when one was written."""
    if (output.is_generated and not other.is_generated) or (
            output.line is None and other.line is not None):
        output, other = other, output
    return error(output.owner, output.line, output.field,
                 f"would be written to /{output.shown}, which {other.owner} already uses{how}",
                 "give one of them a different slug or file name")
