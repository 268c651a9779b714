"""`sitegen check`: the load stage, then every template compiled and every page rendered in
memory, so that a check passes only when a build would. Writes nothing, and imports none of
the writing stages (stages/write.py), so that it starts fast (tests/test_startup.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.problems import Problem, has_errors
from sitegen.render.pages import check_templates, make_environment, render_each
from sitegen.runtime.workers import configured
from sitegen.stages.load import load


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a check or a build tells the person who ran it (sitegen.report prints it)."""

    problems: tuple[Problem, ...]
    pages: int = 0
    files: int = 0
    factchecks: int = 0
    seconds: float = 0.0
    output: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    kept: int = 0
    """Files kept from the last build (not rendered again)."""
    plain_pages: int = 0
    """Plain pages (about, corrections policy) in the site."""
    left_out: tuple[str, ...] = ()
    """Drafts checked but left out of the site: the summary says so, since the warnings
    about them are shown and would otherwise seem to be about what was counted."""

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def check(root: Path, drafts: bool = False, jobs: int | None = None,
          cache: bool = True, history: bool = False) -> BuildResult:
    """Validate everything and render every page in memory, so a check passes only when a build
    would; write nothing (the cache is read, not updated). `jobs`: processes to work in (None:
    one per core)."""
    with configured(jobs):
        return _check(root, drafts, cache, history)


def _check(root: Path, drafts: bool, cache: bool, history: bool) -> BuildResult:
    started = time.perf_counter()
    loaded = load(root, drafts, cache=cache, history=history)
    problems = list(loaded.problems)
    if loaded.config is not None:
        env = make_environment(loaded.config.templates_path)
        problems += check_templates(env, loaded.config.templates_path)
        if loaded.site is not None and not has_errors(problems):
            problems += render_each(loaded.site, env, lambda route, file: None)[1]
    site = loaded.site
    return BuildResult(tuple(problems), factchecks=len(site.factchecks) if site else 0,
                       seconds=time.perf_counter() - started,
                       plain_pages=len(site.pages) if site else 0, left_out=loaded.left_out)
