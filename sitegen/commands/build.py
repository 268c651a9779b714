"""`sitegen build`: a short script of the named, timed stages (sitegen.stages), each taking
the last one's value.

    load -> save caches -> plan -> cards -> render and publish (+ search) -> record

Nothing is written into output/ until every stage before publishing has succeeded, and the
new site replaces it whole, so problems found anywhere leave output/ as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from sitegen.commands.check import BuildResult
from sitegen.output.publish import Handover, timed
from sitegen.problems import Problem, has_errors
from sitegen.progress import Progress
from sitegen.render.pages import make_environment
from sitegen.runtime.workers import configured
from sitegen.stages.load import load
from sitegen.stages.write import cards, locate, plan, publish, record, save_caches

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False
    output: Path | None = None
    jobs: int | None = None
    """Processes for reading and rendering; None: one per core."""
    cache: bool = True
    """Reuse and update the site's build cache (.sitegen-cache/)."""


def build(root: Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None) -> BuildResult:
    """Load, render and write the site; on any error output/ is left untouched."""
    with configured(options.jobs):  # every stage asks runtime.workers how many processes
        return _build(root, options, progress, _Clock())


def _build(root: Path, options: BuildOptions, progress: Progress | None,
           clock: _Clock) -> BuildResult:
    loaded = clock.time("load", load, root, options.drafts, progress, options.cache,
                        repair=True)
    config, site, left_out = loaded.config, loaded.site, loaded.left_out
    if config is None:
        return clock.failed(loaded.problems, options.output)
    output = options.output if options.output is not None else config.output_path
    refused = locate(config, output)
    problems = [*loaded.problems, *([] if refused else save_caches(config, loaded)), *refused]
    if site is None or has_errors(problems):
        return clock.failed(problems, output)
    planned = plan(config, site, output, loaded) if options.cache else None
    del loaded  # the caches' contents (tens of MB at 10,000 articles) go before rendering
    factchecks, env = len(site.factchecks), make_environment(config.templates_path)
    drawn = clock.time("cards", cards, config, site, planned, options.cache)
    graph = Handover(site)
    del site  # publishing lets go of the graph once the pages are rendered (see Handover)
    published = publish(graph, env, config, output, planned, drawn, progress, clock.timings)
    problems += published.problems
    if has_errors(problems):
        return clock.failed(problems, output)
    problems += record(config, output, planned, published, drawn)
    made = [written for written in published.written if written.page]
    return BuildResult(tuple(problems), pages=sum(r.path.endswith(".html") for r in made),
                       files=len(made), factchecks=factchecks, seconds=clock.seconds(),
                       output=output, timings=clock.timings,
                       kept=sum(1 for r in made if r.kept), left_out=left_out)


@dataclass
class _Clock:
    """The build's wall time, and each stage's (BuildResult.timings, which bench/ reads)."""

    started: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)

    def time(self, name: str, stage: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return timed(self.timings, name, lambda: stage(*args, **kwargs))

    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def failed(self, problems: Sequence[Problem], output: Path | None) -> BuildResult:
        return BuildResult(tuple(problems), seconds=self.seconds(), output=output)
