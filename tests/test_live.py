"""`sitegen serve` and `build --watch` end to end: real processes, real files, a real browser."""

from __future__ import annotations

import queue
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ScratchSite
from processes import WAIT, Running

from sitegen.live import Batch, Watcher


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def test_build_watch_rebuilds_output_and_stops_cleanly(
    site: ScratchSite, make_factcheck: Callable[..., str],
    running: Callable[[list[str], Path], Running],
) -> None:
    """`build --watch` builds output/, rebuilds it after an edit, and Ctrl-C exits with 0."""
    process = running(["build", "--watch"], site.root)
    process.wait_for(r"^built: ")
    site.write("content/2020/a-claim.md", make_factcheck(body="Edited while watching."))
    process.wait_for(r"^rebuilt: content/2020/a-claim\.md -> \d+ files written")
    page = site.html("2020/a-claim/")
    assert page.select_one(".analysis p").get_text() == "Edited while watching."
    assert process.interrupt() == 0
    assert "stopped" in process.seen[-1] or process.wait_for("stopped")


def test_build_watch_draws_uncached_share_cards_in_the_background(
    site: ScratchSite, running: Callable[[list[str], Path], Running],
) -> None:
    """With no cached card the first build is written without it; the card follows, drawn by
    the background settle step, with no edit needed."""
    process = running(["build", "--watch"], site.root)
    process.wait_for(r"^built: ")
    card = site.output / "2020/a-claim/card.png"
    deadline = time.monotonic() + WAIT
    while not card.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert card.read_bytes().startswith(b"\x89PNG")
    assert process.interrupt() == 0


def test_serve_never_touches_output_and_serves_the_edit(
    site: ScratchSite, make_factcheck: Callable[..., str],
    running: Callable[[list[str], Path], Running],
) -> None:
    """serve builds elsewhere (output/ stays absent) and serves each edit once it is built."""
    process = running(["serve", "--port", "0", "--drafts"], site.root)
    url = process.wait_for(r"serving (http://\S+)").group(1)
    assert "The body." in _fetch(url + "2020/a-claim/")
    site.write("content/2020/a-claim.md", make_factcheck(body="Served after an edit.",
                                                         claim='"A claim, edited."'))
    process.wait_for(r"^rebuilt: ")
    assert "Served after an edit." in _fetch(url + "2020/a-claim/")
    deadline = time.monotonic() + WAIT  # whole-site files follow once the edits pause
    while "A claim, edited." not in _fetch(url + "claims.json"):
        assert time.monotonic() < deadline, "claims.json was never brought up to date"
        time.sleep(0.2)
    assert not site.output.exists()
    assert process.interrupt() == 0


def test_busy_explicit_port_is_a_clear_error(
    site: ScratchSite, running: Callable[[list[str], Path], Running]
) -> None:
    """An explicit --port that is taken is one `sitegen: error:` line naming the port and what
    to do, like every other error of the command line, and exit code 1."""
    first = running(["serve", "--port", "0"], site.root)
    port = first.wait_for(r"serving http://127\.0\.0\.1:(\d+)/").group(1)
    second = running(["serve", "--port", port], site.root)
    assert second.process.wait(timeout=WAIT) == 1
    assert finished_output(second) == [
        f"sitegen: error: port {port} is already in use; stop the program using it or choose "
        "another port"]


def test_an_address_that_cannot_be_listened_on_is_a_clear_error(
    site: ScratchSite, running: Callable[[list[str], Path], Running]
) -> None:
    """A --host this machine does not have is one `sitegen: error:` line, exit code 1."""
    process = running(["serve", "--host", "192.0.2.1", "--port", "8123"], site.root)
    assert process.process.wait(timeout=WAIT) == 1
    [line] = finished_output(process)
    assert line.startswith("sitegen: error: cannot listen on 192.0.2.1 port 8123: ")
    assert line.endswith(" address; choose another --host or --port")  # the system's reason


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_a_port_out_of_range_is_a_usage_error(
    site: ScratchSite, running: Callable[[list[str], Path], Running], port: str
) -> None:
    """--port outside 0-65535 is argparse's usage error (exit 2), not a traceback."""
    process = running(["serve", "--port", port], site.root)
    assert process.process.wait(timeout=WAIT) == 2
    assert finished_output(process)[-1] == (
        f"sitegen serve: error: argument --port: expected a port number from 0 to 65535, "
        f"not '{port}'")


def finished_output(process: Running) -> list[str]:
    """Every line an exited process printed."""
    process.reader.join(timeout=WAIT)
    return [process.lines.get() for _ in range(process.lines.qsize())]


# --- the watcher ------------------------------------------------------------------------------


def _collect(tmp_path: Path, poll: bool) -> tuple[Watcher, queue.Queue[Batch], Path]:
    content = tmp_path / "content"
    content.mkdir()
    batches: queue.Queue[Batch] = queue.Queue()
    watcher = Watcher([content], [tmp_path / "sitegen.toml"], batches.put,
                      ignore=[tmp_path / "output"], poll=poll)
    watcher.start()
    time.sleep(0.6 if poll else 0.2)  # let the observer take its first look
    return watcher, batches, content


def _next(batches: queue.Queue[Batch]) -> set[str]:
    return {p.name for p in batches.get(timeout=WAIT)}


def _until(batches: queue.Queue[Batch], name: str) -> set[str]:
    """Batches until one names `name` (a folder's own event may come in a batch before it)."""
    seen: set[str] = set()
    deadline = time.monotonic() + WAIT
    while name not in seen and time.monotonic() < deadline:
        seen |= _next(batches)
    return seen


@pytest.mark.parametrize("poll", [False, True], ids=["events", "polling"])
def test_watcher_sees_in_place_rename_and_recreate_saves(tmp_path: Path, poll: bool) -> None:
    """Saves in place, by rename and by delete-and-create are all seen, with or without --poll."""
    watcher, batches, content = _collect(tmp_path, poll)
    try:
        (content / "a.md").write_text("one")
        assert "a.md" in _until(batches, "a.md")
        (content / ".a.md.swp").write_text("swap")  # editor leftovers alone are never a batch
        (content / "b.md.tmp").write_text("new")
        (content / "b.md.tmp").rename(content / "b.md")
        seen = _until(batches, "b.md")
        assert not any(name.endswith((".swp", ".tmp")) for name in seen)
        (content / "a.md").unlink()
        (content / "a.md").write_text("two, longer")  # polling compares size and mtime
        assert "a.md" in _until(batches, "a.md")
        (tmp_path / "sitegen.toml").write_text("[site]\n")
        assert "sitegen.toml" in _until(batches, "sitegen.toml")
    finally:
        watcher.stop()


def test_a_burst_of_changes_is_one_batch(tmp_path: Path) -> None:
    """Two hundred files written at once (a git pull) arrive as one batch."""
    watcher, batches, content = _collect(tmp_path, poll=False)
    try:
        for n in range(200):
            (content / f"f{n}.md").write_text("x")
        names = _next(batches)
        while len(names) < 200:
            names |= _next(batches)
        assert len([n for n in names if n.endswith(".md")]) == 200
        assert batches.qsize() <= 1
    finally:
        watcher.stop()


def test_content_folder_deleted_and_made_again_is_still_watched(tmp_path: Path) -> None:
    """After the content folder is removed and recreated (a git checkout), edits are seen."""
    watcher, batches, content = _collect(tmp_path, poll=False)
    try:
        (content / "a.md").write_text("one")
        _next(batches)
        for child in content.iterdir():
            child.unlink()
        content.rmdir()
        content.mkdir()
        _next(batches)
        time.sleep(0.2)
        (content / "c.md").write_text("three")
        assert "c.md" in _until(batches, "c.md")
    finally:
        watcher.stop()


# --- in a real browser --------------------------------------------------------------------------



def test_browser_follows_edits_verdicts_and_errors(
    site: ScratchSite, make_factcheck: Callable[..., str], browser: Any,
    running: Callable[[list[str], Path], Running],
) -> None:
    """An open page shows an edit by itself, a verdict change in badge and listing, and an
    overlay naming file and line while the front matter is broken, gone once fixed."""
    process = running(["serve", "--port", "0"], site.root)
    url = process.wait_for(r"serving (http://\S+)").group(1)
    page = browser.new_page()
    page.goto(url + "2020/a-claim/")
    listing = browser.new_page()
    listing.goto(url + "verdicts/true/")
    page.wait_for_timeout(300)  # the event stream connects

    site.write("content/2020/a-claim.md", make_factcheck(body="Live text."))
    page.wait_for_function("document.querySelector('.analysis p').textContent === 'Live text.'")

    site.write("content/2020/a-claim.md", make_factcheck(body="Live text.", verdict="true"))
    page.wait_for_function(
        "document.querySelector('.claim-box .verdict__label').textContent === 'True'")
    listing.wait_for_function("document.querySelectorAll('.card').length === 1")

    site.write("content/2020/a-claim.md", make_factcheck(verdict="ture"))
    overlay = page.wait_for_selector("#sitegen-overlay", state="visible")
    assert "content/2020/a-claim.md:5: verdict: unknown verdict 'ture'" in overlay.inner_text()

    site.write("content/2020/a-claim.md", make_factcheck(body="Fixed.", verdict="true"))
    page.wait_for_function("document.querySelector('.analysis p')?.textContent === 'Fixed.'")
    assert page.query_selector("#sitegen-overlay") is None or not page.is_visible(
        "#sitegen-overlay")
    page.close()
    listing.close()
