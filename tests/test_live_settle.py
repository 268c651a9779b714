"""The preview's background settle waits for saves to pause, is stopped (or, when long
overdue, paused) by the next save, runs at the lowest priority, never leaves half a file,
and once saves stop the search index matches the pages."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ScratchSite
from processes import WAIT
from test_faults import leftovers

from sitegen import Session
from sitegen.live import Schedule, Settler, WriteGuard
from sitegen.problems import Problem
from sitegen.search import BUNDLE, Indexer

# --- when: the schedule, with the time passed in ---------------------------------------------


def test_a_settle_waits_for_saves_to_pause() -> None:
    schedule = Schedule(quiet=2.0, stale=60.0)
    schedule.saved(now=0.0, unsettled=True)
    for moment in (1.0, 2.0, 3.0):  # a save every second: never due
        assert not schedule.due(moment - 0.01)
        schedule.saving(moment)
        schedule.saved(moment + 0.05, unsettled=True)
    assert not schedule.due(4.9)
    assert schedule.due(5.05)
    assert schedule.wait(4.0) == pytest.approx(1.05)


def test_a_save_stops_a_running_settle_and_wants_another() -> None:
    schedule = Schedule(quiet=2.0, stale=60.0)
    schedule.saved(now=0.0, unsettled=True)
    schedule.started()
    assert not schedule.wanted
    schedule.saving(5.0)
    assert schedule.pause_instead(5.0) is False
    assert schedule.wanted  # the stopped settle's work is to be done again
    schedule.finished(completed=False)
    assert schedule.unsettled_since == 0.0
    assert schedule.due(7.0)


def test_a_long_overdue_settle_is_paused_not_stopped_and_starts_without_a_pause() -> None:
    """A writer who never stops saving for long still gets a search index."""
    schedule = Schedule(quiet=2.0, stale=60.0)
    schedule.saved(now=0.0, unsettled=True)
    moment = 0.0
    while moment < 60.0:
        moment += 1.0
        schedule.saving(moment)
        schedule.saved(moment, unsettled=True)
    assert schedule.due(moment)  # no pause needed any more
    schedule.started()
    schedule.saving(moment + 0.5)
    assert schedule.pause_instead(moment + 0.5) is True


def test_a_settle_that_ran_to_its_end_makes_the_output_settled() -> None:
    schedule = Schedule(quiet=2.0, stale=60.0)
    schedule.saved(now=0.0, unsettled=True)
    schedule.started()
    schedule.finished(completed=True)
    assert schedule.unsettled_since is None and not schedule.due(100.0)
    assert schedule.wait(100.0) is None


# --- how: stopped between files, at the lowest priority ---------------------------------------


def _in_child(body: Callable[[int, int], None]) -> tuple[int, int, int]:
    """Fork a child that leads its own process group and runs body(ready, go): it writes to
    `ready` when set, then reads `go`. Returns (pid, ready, go) for the parent's ends."""
    ready_read, ready_write = os.pipe()
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.setpgrp()
            body(ready_write, go_read)
        finally:
            os._exit(0)
    os.close(ready_write)
    os.close(go_read)
    return pid, ready_read, go_write


def test_a_stopped_settle_finishes_the_file_it_is_writing_first(tmp_path: Path) -> None:
    def body(ready: int, go: int) -> None:
        guard = WriteGuard()
        guard.install()
        with guard.writing():
            os.write(ready, b"x")
            os.read(go, 1)  # SIGTERM comes while this waits
            (tmp_path / "page.html").write_text("whole")
        (tmp_path / "after.html").write_text("never")

    pid, ready, go = _in_child(body)
    os.read(ready, 1)
    os.kill(pid, signal.SIGTERM)
    time.sleep(0.1)  # let the signal arrive while the child is still writing
    os.write(go, b"x")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == -signal.SIGKILL
    assert (tmp_path / "page.html").read_text() == "whole"
    assert not (tmp_path / "after.html").exists()


def test_a_stopped_settle_dies_at_once_with_the_processes_it_started(tmp_path: Path) -> None:
    def body(ready: int, go: int) -> None:
        guard = WriteGuard()
        guard.install()
        indexer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        os.write(ready, str(indexer.pid).encode())
        indexer.wait()
        (tmp_path / "after.html").write_text("never")

    pid, ready, _ = _in_child(body)
    indexer = int(os.read(ready, 32))
    os.kill(pid, signal.SIGTERM)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == -signal.SIGKILL
    deadline = time.monotonic() + WAIT
    while _state(indexer) not in ("", "Z"):  # gone, or dead and waiting for init to reap it
        assert time.monotonic() < deadline, "the settle's indexer outlived it"
        time.sleep(0.02)
    assert not (tmp_path / "after.html").exists()


def _state(pid: int) -> str:
    """The process's state letter from /proc ('T' stopped, 'Z' dead), '' when gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rpartition(")")[2].split()[0]


# --- the settler with a real session ----------------------------------------------------------


class _RecordingIndexer(Indexer):
    """Records each run (process, priority) and holds while `hold` exists; its 'index' lists
    every page it was given with the digest of its bytes."""

    def __init__(self, log: Path, hold: Path) -> None:
        super().__init__(background=True)
        self.log = log
        self.hold = hold

    def index(self, site_folder: Path, reuse: Path | None = None,
              scanned: object = None, editions: object = ()) -> list[Problem]:
        self._record(started=True)
        while self.hold.exists():
            time.sleep(0.02)
        listed = {p.relative_to(site_folder).as_posix(): _digest(p)
                  for p in sorted(site_folder.rglob("*.html"))}
        (site_folder / BUNDLE).mkdir(exist_ok=True)
        (site_folder / BUNDLE / "pages.json").write_text(json.dumps(listed))
        self._record(started=False)
        return []

    def _record(self, started: bool) -> None:
        entry = {"pid": os.getpid(), "started": started,
                 "idle": os.sched_getscheduler(0) == os.SCHED_IDLE,
                 "nice": os.getpriority(os.PRIO_PROCESS, 0)}
        with self.log.open("a") as log:
            log.write(json.dumps(entry) + "\n")

    def runs(self) -> list[dict[str, object]]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def recorded(site: ScratchSite, tmp_path: Path) -> Iterator[tuple[Session, _RecordingIndexer]]:
    session = Session(site.root, site.output)
    indexer = _RecordingIndexer(tmp_path / "runs.jsonl", tmp_path / "hold")
    session.indexer = indexer
    assert session.full().ok
    indexer.log.unlink()  # the full build's own run
    yield session, indexer
    session.close()


def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def _save(site: ScratchSite, session: Session, settler: Settler,
          make_factcheck: Callable[..., str], body: str) -> None:
    """A writer's save, as the watch loop handles it."""
    path = site.write("content/2020/a-claim.md", make_factcheck(body=body))
    settler.saving()
    outcome = session.rebuild([path])
    assert outcome.ok
    settler.saved(outcome.unsettled)


def _index_matches_the_pages(output: Path) -> bool:
    listed = json.loads((output / BUNDLE / "pages.json").read_text())
    return bool(listed == {p.relative_to(output).as_posix(): _digest(p)
                           for p in sorted(output.rglob("*.html"))
                           if not p.relative_to(output).as_posix().startswith(BUNDLE)})


def test_a_save_stops_the_running_settle_and_the_index_ends_up_matching_the_pages(
        site: ScratchSite, make_factcheck: Callable[..., str],
        recorded: tuple[Session, _RecordingIndexer]) -> None:
    session, indexer = recorded
    settler = Settler(session.settle_in_child, schedule=Schedule(quiet=0.2))
    try:
        indexer.hold.touch()
        _save(site, session, settler, make_factcheck, "First edit.")
        _until(lambda: len(indexer.runs()) == 1, "no settle started once saves paused")
        first = indexer.runs()[0]
        assert first["idle"] and first["nice"] == 19  # and so is Pagefind, its child
        _save(site, session, settler, make_factcheck, "Second edit.")
        _until(lambda: _state(int(str(first["pid"]))) in ("", "Z"), "the settle went on")
        indexer.hold.unlink()
        _until(settler.idle, "the output never settled")
        runs = indexer.runs()
        assert [r["started"] for r in runs] == [True, True, False]
        assert runs[1]["pid"] == runs[2]["pid"] != first["pid"]
        assert "Second edit." in site.html("2020/a-claim/").get_text()
        assert _index_matches_the_pages(site.output)
        assert leftovers(site.output) == []
    finally:
        settler.stop()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states")
def test_a_long_overdue_settle_is_only_paused_while_a_save_is_rebuilt(
        site: ScratchSite, make_factcheck: Callable[..., str],
        recorded: tuple[Session, _RecordingIndexer]) -> None:
    session, indexer = recorded
    settler = Settler(session.settle_in_child, schedule=Schedule(quiet=0.2, stale=0.0))
    try:
        indexer.hold.touch()
        _save(site, session, settler, make_factcheck, "First edit.")
        _until(lambda: len(indexer.runs()) == 1, "no settle started")
        first = int(str(indexer.runs()[0]["pid"]))
        path = site.write("content/2020/a-claim.md", make_factcheck(body="Second edit."))
        settler.saving()
        _until(lambda: _state(first) == "T", "the overdue settle was not paused")
        outcome = session.rebuild([path])
        settler.saved(outcome.unsettled)
        _until(lambda: _state(first) not in ("T", ""), "the paused settle was not resumed")
        indexer.hold.unlink()
        _until(settler.idle, "the output never settled")
        runs = indexer.runs()
        assert [(r["pid"], r["started"]) for r in runs[:2]] == [(first, True), (first, False)]
        assert len(runs) == 4  # and one more for the second edit
        assert _index_matches_the_pages(site.output)
    finally:
        settler.stop()
