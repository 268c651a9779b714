"""Reading and rendering over several processes gives exactly what one process gives."""

from __future__ import annotations

import gc
import hashlib
import os
import signal
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from conftest import ScratchSite

import sitegen.content.read
import sitegen.render.pages
import sitegen.runtime.workers
from sitegen import BuildOptions, build, check
from sitegen.cli import main
from sitegen.runtime.workers import (
    WorkerError,
    available_bytes,
    can_fork,
    configured,
    effective_jobs,
    in_this_thread,
    parallel_map,
    render_jobs,
    requested_jobs,
    resident_bytes,
)

needs_fork = pytest.mark.skipif(not can_fork(), reason="workers are forked on Linux only")

CLAIMANTS = ["Jane Official", "Ministry of Truth", "Senator Doe", "A Viral Post", "Mayor Roe"]
VERDICTS = ["true", "false", "misleading", "unclear", "partially-true"]


def _tree(folder: Path) -> dict[str, str]:
    """Every file's digest by path; the search index is left out (Pagefind's file names vary
    between runs, see README)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"}


def _big_site(site: ScratchSite, make_factcheck: Callable[..., str], count: int = 160) -> None:
    """Enough articles (and so routes) that two workers are used, with shared claimants and
    tags so listings, related blocks and feeds mix articles from both workers' shares."""
    for n in range(count):
        site.write(f"content/{2015 + n % 8}/claim-{n:03}.md", make_factcheck(
            body=f"Analysis number {n}, with *emphasis* and a [link](https://factcheck.test/{n}).",
            title=f'"Claim number {n}"',
            claimant=f'"{CLAIMANTS[n % len(CLAIMANTS)]}"',
            verdict=VERDICTS[n % len(VERDICTS)],
            date=f"{2015 + n % 8}-{1 + n % 12:02}-{1 + n % 28:02}",
            tags=f"[topic-{n % 7}, topic-{n % 3}]",
        ))


def test_results_come_back_in_order_from_every_process() -> None:
    items = list(range(500))

    def work(share: Sequence[int], scale: int) -> list[tuple[int, int]]:
        return [(n * n, os.getpid()) for n in share]

    results = parallel_map(work, items, jobs=3)
    assert [square for square, _ in results] == [n * n for n in items]
    expected_processes = 3 if can_fork() else 1
    assert len({pid for _, pid in results}) == expected_processes


@needs_fork
def test_the_collector_leaves_the_objects_of_the_fork_alone_until_the_workers_are_done(
) -> None:
    """Frozen while workers run (a full collection would write into every object's header
    and unshare its page), thawed afterwards so the site graph can be freed."""
    def work(share: Sequence[int], scale: int) -> list[int]:
        return [gc.get_freeze_count() for _ in share]

    gc.unfreeze()  # an earlier test's watch session may have frozen its snapshot for good
    counts = parallel_map(work, list(range(200)), jobs=2)
    assert min(counts) > 0
    assert gc.get_freeze_count() == 0


@needs_fork
def test_objects_frozen_by_someone_else_stay_frozen_after_the_workers() -> None:
    """A watch session freezes its snapshot for good: parallel_map must not thaw it. (A
    frozen object is out of every generation gc.get_objects lists. The count of frozen
    objects is no measure: one freed by another thread's end leaves it, thawed or not.)"""
    snapshot = {"a watch session's": ["snapshot"]}
    gc.freeze()
    try:
        assert not _tracked(snapshot)
        parallel_map(lambda share, scale: list(share), list(range(200)), jobs=2)
        assert gc.get_freeze_count() > 0
        assert not _tracked(snapshot)
    finally:
        gc.unfreeze()
    assert _tracked(snapshot)


def _tracked(thing: object) -> bool:
    """Whether `thing` is in one of the collector's generations (not frozen)."""
    return any(other is thing for other in gc.get_objects())


def test_small_work_stays_in_one_process() -> None:
    assert effective_jobs(8, 10) == 1
    assert effective_jobs(1, 10_000) == 1


@needs_fork
def test_an_exception_in_a_worker_reaches_the_parent_with_its_traceback() -> None:
    def work(share: Sequence[int], scale: int) -> list[int]:
        if scale == 0 and 301 in share:
            raise ValueError("bad item 301")
        return list(share)

    with pytest.raises(WorkerError, match=r"(?s)a worker process failed.*ValueError: bad item"):
        parallel_map(work, list(range(400)), jobs=2)


@needs_fork
def test_a_worker_killed_by_a_signal_is_an_error_not_missing_pages() -> None:
    def work(share: Sequence[int], scale: int) -> list[int]:
        if scale == 0:
            os.kill(os.getpid(), signal.SIGKILL)
        return list(share)

    with pytest.raises(WorkerError, match="killed by signal 9"):
        parallel_map(work, list(range(400)), jobs=2)


@needs_fork
def test_results_larger_than_the_pipe_arrive_whole_and_a_result_that_cannot_be_sent_fails(
) -> None:
    """A worker pickles its results into the pipe as it goes (never holding the whole
    pickle): megabytes arrive intact, and a value pickle refuses halfway through the stream
    is an error, not a short list."""
    def work(share: Sequence[int], scale: int) -> list[str]:
        return [f"{n}:" + "x" * 20_000 for n in share]

    results = parallel_map(work, list(range(400)), jobs=2)
    assert results == [f"{n}:" + "x" * 20_000 for n in range(400)]

    def unsendable(share: Sequence[int], scale: int) -> list[object]:
        return [n if scale or n < 300 else (lambda: None) for n in share]

    with pytest.raises(WorkerError, match="a worker process died"):
        parallel_map(unsendable, list(range(400)), jobs=2)


@needs_fork
def test_parallel_build_is_byte_identical_to_a_serial_one(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    _big_site(site, make_factcheck)
    serial = build(site.root, BuildOptions(output=site.root / "one", jobs=1))
    parallel = build(site.root, BuildOptions(output=site.root / "two", jobs=2))
    assert serial.ok and parallel.ok
    assert effective_jobs(2, parallel.files) == 2  # the site is big enough to be shared out
    assert (serial.pages, serial.files) == (parallel.pages, parallel.files)
    assert _tree(site.root / "one") == _tree(site.root / "two")


@needs_fork
def test_every_problem_of_every_worker_is_reported_in_file_order(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    _big_site(site, make_factcheck)
    for n in (3, 40, 41, 120):  # in both workers' shares
        site.write(f"content/{2015 + n % 8}/claim-{n:03}.md",
                   make_factcheck(verdict="uncleer", title=f'"Claim number {n}"'))
    serial = check(site.root, jobs=1)
    parallel = check(site.root, jobs=2)
    assert not parallel.ok
    assert site.messages(parallel) == site.messages(serial)
    assert len([m for m in site.errors(parallel) if "unknown verdict 'uncleer'" in m]) == 4


@needs_fork
def test_a_template_error_in_a_worker_fails_the_build_and_keeps_the_old_site(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    _big_site(site, make_factcheck)
    site.built()
    before = _tree(site.output)
    site.write("templates/factcheck.html", """\
        {% extends "theme/factcheck.html" %}
        {% block content %}{{ page.factcheck.no_such_field }}{% endblock %}
        """)
    result = build(site.root, BuildOptions(jobs=2))
    errors = site.errors(result)
    assert len(errors) == 1, errors  # once per template line, not once per page or worker
    assert errors[0].startswith("templates/factcheck.html:2: template error:")
    assert "no_such_field" in errors[0]
    assert _tree(site.output) == before


def test_jobs_must_be_a_positive_number(site: ScratchSite,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["build", "--site", str(site.root), "--jobs", "0"])
    assert exited.value.code == 2
    assert "expected a whole number of processes, 1 or more, not '0'" in capsys.readouterr().err


def test_jobs_option_builds(site: ScratchSite) -> None:
    assert main(["build", "--site", str(site.root), "--jobs", "2"]) == 0
    assert (site.output / "index.html").is_file()


@needs_fork
def test_a_rebuild_that_fails_in_one_worker_changes_no_page(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """A template edit re-renders every page over the workers; an error in any one page
    leaves every page as it was (no mix of old and new, no temporary files)."""
    from sitegen import Session

    _big_site(site, make_factcheck)
    session = Session(site.root, tmp_path / "preview", search=False, jobs=2)
    assert session.full().ok
    before = _tree(tmp_path / "preview")
    template = site.write("templates/factcheck.html", """\
        {% extends "theme/factcheck.html" %}
        {% block title %}{{ page.factcheck.title if page.factcheck.slug != "claim-151"
           else page.factcheck.no_such_field }}{% endblock %}
        """)
    outcome = session.rebuild([template])
    assert not outcome.ok
    assert any("no_such_field" in p.message for p in outcome.problems)
    assert _tree(tmp_path / "preview") == before  # no staged page left behind either
    site.write("templates/factcheck.html", """\
        {% extends "theme/factcheck.html" %}
        {% block title %}Checked: {{ page.factcheck.title }}{% endblock %}
        """)
    assert session.rebuild([template]).ok
    assert session.settle() == []  # the share cards a cold cache left to the background step
    build(site.root, BuildOptions(output=tmp_path / "full", jobs=1))
    assert _tree(tmp_path / "preview") == _tree(tmp_path / "full")


MB = 1024 * 1024


@pytest.mark.parametrize(("resident", "available", "cores", "expected"), [
    (300 * MB, 24_000 * MB, 2, 2),     # a roomy machine: every core
    (300 * MB, 1_300 * MB, 4, 2),      # room for two copies in half the free memory
    (300 * MB, 500 * MB, 2, 1),        # a small runner: this process alone
    (300 * MB, 0, 2, 1),
    (None, 500 * MB, 2, 2),            # nothing known: every core
    (300 * MB, None, 2, 2),
])
def test_rendering_uses_the_cores_the_free_memory_can_hold(
        monkeypatch: pytest.MonkeyPatch, resident: int | None, available: int | None,
        cores: int, expected: int) -> None:
    monkeypatch.setattr(sitegen.runtime.workers, "resident_bytes", lambda: resident)
    monkeypatch.setattr(sitegen.runtime.workers, "available_bytes", lambda: available)
    monkeypatch.setattr(sitegen.runtime.workers, "default_jobs", lambda: cores)
    assert render_jobs(None) == expected
    assert render_jobs(3) == 3  # asked for: given, whatever the memory


@needs_fork
def test_the_memory_figures_are_read_from_this_machine() -> None:
    resident, available = resident_bytes(), available_bytes()
    assert resident is not None and 10 * MB < resident < 10_000 * MB
    assert available is not None and available > 0


@needs_fork
def test_a_build_short_of_memory_renders_in_one_process_and_makes_the_same_site(
        site: ScratchSite, make_factcheck: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --jobs, a machine whose free memory cannot hold a second copy of the build's
    heap renders the pages in the build's own process (reading still uses every core)."""
    _big_site(site, make_factcheck)
    asked: list[int | None] = []
    spied = sitegen.render.pages.parallel_map

    def spy(work: Callable[[Sequence[object], int], list[object]], items: Sequence[object],
            jobs: int | None = None) -> list[object]:
        asked.append(jobs)
        return spied(work, items, jobs)

    monkeypatch.setattr(sitegen.render.pages, "parallel_map", spy)
    monkeypatch.setattr(sitegen.runtime.workers, "default_jobs", lambda: 2)
    monkeypatch.setattr(sitegen.runtime.workers, "available_bytes", lambda: 100_000 * MB)
    roomy = build(site.root, BuildOptions(output=site.root / "roomy", cache=False))
    monkeypatch.setattr(sitegen.runtime.workers, "available_bytes", lambda: 10 * MB)
    short = build(site.root, BuildOptions(output=site.root / "short", cache=False))
    assert roomy.ok and short.ok
    assert asked == [2, 1]
    assert _tree(site.root / "roomy") == _tree(site.root / "short")


def _pids(share: Sequence[int], scale: int) -> list[int]:
    return [os.getpid() for _ in share]


@needs_fork
def test_the_loops_use_the_count_the_command_configured_and_nothing_after() -> None:
    """`configured` is how a command sets --jobs for every loop of its run: parallel_map
    asked for no count uses it, and the count before comes back when the run ends."""
    items = list(range(500))
    with configured(1):
        assert set(parallel_map(_pids, items)) == {os.getpid()}
    with configured(3):
        assert len(set(parallel_map(_pids, items))) == 3
    assert requested_jobs() is None


def test_a_thread_s_own_count_leaves_the_other_threads_the_command_s() -> None:
    """A build renders alone while share cards are drawn beside it, and a preview rebuilds
    with its own --jobs, without taking processes from the search indexer's threads."""
    seen: list[int | None] = []
    with configured(3):
        with in_this_thread(1):
            other = threading.Thread(target=lambda: seen.append(requested_jobs()))
            other.start()
            other.join()
            assert requested_jobs() == 1
        assert requested_jobs() == 3
    assert seen == [3]
    with in_this_thread(1), configured(2):  # a command run from such a thread: its own count
        assert requested_jobs() == 2
    assert requested_jobs() is None


@needs_fork
def test_a_build_s_jobs_reach_reading_rendering_and_indexing_without_parameters(
        site: ScratchSite, make_factcheck: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`--jobs 1` is set once by the build: the reading and rendering loops ask the runtime
    and get 1, and no count is left behind for whatever runs next."""
    _big_site(site, make_factcheck)
    asked: dict[str, set[int | None]] = {}

    def spying(stage: str, spied: Callable[..., list[object]]) -> Callable[..., list[object]]:
        def spy(work: Callable[[Sequence[object], int], list[object]],
                items: Sequence[object], jobs: int | None = None) -> list[object]:
            asked.setdefault(stage, set()).add(requested_jobs() if jobs is None else jobs)
            return spied(work, items, jobs)
        return spy

    monkeypatch.setattr(sitegen.content.read, "parallel_map",
                        spying("read", sitegen.content.read.parallel_map))
    monkeypatch.setattr(sitegen.render.pages, "parallel_map",
                        spying("render", sitegen.render.pages.parallel_map))
    assert build(site.root, BuildOptions(cache=False, jobs=1)).ok
    assert asked == {"read": {1}, "render": {1}}
    assert requested_jobs() is None
