"""When a burst of file-system events is over: soon once every file in it is complete, later
while a write is still open or a file has just vanished. The rule is tested with the time
passed in; the watcher on real files is tested for what it hands over."""

from __future__ import annotations

import os
import queue
import time
from pathlib import Path

import pytest
from processes import WAIT

from sitegen.live import LONGEST_WAIT_SECONDS, QUIET_SECONDS, SETTLED_SECONDS, Batch, Burst, Watcher

A = Path("/site/content/2021/a.md")
B = Path("/site/content/2021/b.md")


def test_a_burst_of_complete_files_is_over_after_a_short_settle() -> None:
    """Written and closed, or renamed into place: nothing more is coming for these files."""
    burst = Burst(now=10.0)
    burst.add((A, False), 10.0)  # modified: a write under way
    burst.add((A, True), 10.001)  # closed
    burst.add((B, True), 10.002)  # renamed into place
    assert burst.remaining(10.002) == pytest.approx(SETTLED_SECONDS)
    assert burst.remaining(10.002 + SETTLED_SECONDS) == 0
    assert burst.paths == {A, B}


def test_a_write_still_open_waits_for_the_quiet_period() -> None:
    burst = Burst(now=0.0)
    burst.add((A, True), 0.0)
    burst.add((B, False), 0.001)  # modified, never closed (yet)
    assert burst.remaining(0.001 + SETTLED_SECONDS) > 0
    assert burst.remaining(0.001 + QUIET_SECONDS) == 0


def test_a_file_that_vanished_waits_for_its_new_version() -> None:
    """An editor's safe write renames the old file away, then the new one into place: the
    moment between the two must not be a batch of its own (a deleted page, then back)."""
    burst = Burst(now=0.0)
    burst.add((A, False), 0.0)  # moved away (a.md -> a.md~)
    assert burst.remaining(SETTLED_SECONDS) > 0
    burst.add((A, True), 0.002)  # the new a.md renamed into place
    assert burst.remaining(0.002 + SETTLED_SECONDS) == 0


def test_a_burst_never_waits_longer_than_the_longest_wait() -> None:
    burst = Burst(now=0.0)
    moment = 0.0
    while moment < LONGEST_WAIT_SECONDS:
        burst.add((A, False), moment)
        moment += QUIET_SECONDS / 2
    assert burst.remaining(moment) == 0


def _watch(tmp_path: Path) -> tuple[Watcher, queue.Queue[Batch], Path]:
    content = tmp_path / "content"
    (content / "2021").mkdir(parents=True)
    (content / "2021" / "a.md").write_text("one")
    batches: queue.Queue[Batch] = queue.Queue()
    watcher = Watcher([content], [tmp_path / "sitegen.toml"], batches.put)
    watcher.start()
    time.sleep(0.2)  # let the inotify watches be in place
    return watcher, batches, content


def _batches_until(batches: queue.Queue[Batch], path: Path) -> set[Path]:
    seen: set[Path] = set()
    deadline = time.monotonic() + WAIT
    while path not in seen:
        seen |= batches.get(timeout=max(0.1, deadline - time.monotonic()))
    return seen


def test_a_save_in_place_is_a_batch_of_that_file_alone(tmp_path: Path) -> None:
    """inotify's 'folder modified' companions are left out: the file's own events say all,
    and a folder in the batch would make the rebuild list a year of files again."""
    watcher, batches, content = _watch(tmp_path)
    try:
        article = content / "2021" / "a.md"
        article.write_text("two")
        assert _batches_until(batches, article) == {article}
        temporary = content / "2021" / "b.md.tmp"  # an atomic save: write, then rename
        temporary.write_text("new")
        os.replace(temporary, content / "2021" / "b.md")
        assert _batches_until(batches, content / "2021" / "b.md") == {content / "2021" / "b.md"}
    finally:
        watcher.stop()


def test_a_new_folder_and_a_deleted_folder_are_still_reported(tmp_path: Path) -> None:
    """Leaving out the companions must not lose folders that came or went."""
    watcher, batches, content = _watch(tmp_path)
    try:
        (content / "2022").mkdir()
        assert content / "2022" in _batches_until(batches, content / "2022")
        (content / "2021" / "a.md").unlink()
        (content / "2021").rmdir()
        assert content / "2021" in _batches_until(batches, content / "2021")
    finally:
        watcher.stop()
