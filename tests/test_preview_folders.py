"""The private folder `sitegen serve` builds into: gone after every way a preview can stop,
and after SIGKILL gone at the next serve, which never touches a folder it cannot prove is an
orphaned preview's."""

from __future__ import annotations

import ctypes
import os
import pty
import select
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
from conftest import ScratchSite
from processes import WAIT, Running

from sitegen.preview import OWNER_FILE, remove_orphans

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and /tmp")


def folder_of(process: Running, temp: Path) -> Path:
    """The one preview folder `process` made in `temp`."""
    found = list(temp.glob(f"sitegen-preview-{process.process.pid}-*"))
    assert len(found) == 1, found
    return found[0]


def serving(running: Callable[[list[str], Path], Running], site: ScratchSite) -> tuple[
        Running, str]:
    process = running(["serve", "--port", "0", "--drafts"], site.root)
    return process, process.wait_for(r"serving (http://\S+)").group(1)


def test_sighup_stops_serve_cleanly_and_removes_its_folder(
        site: ScratchSite, running: Callable[[list[str], Path], Running],
        preview_temp: Path) -> None:
    """Closing the terminal (SIGHUP) stops serve as Ctrl-C does: exit 0, 'stopped', and the
    folder with the built site is removed."""
    process, _ = serving(running, site)
    folder = folder_of(process, preview_temp)
    assert (folder / "site" / "index.html").is_file()
    process.process.send_signal(signal.SIGHUP)
    assert process.process.wait(timeout=WAIT) == 0
    process.wait_for(r"^stopped$")
    assert not folder.exists()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_closing_the_terminal_stops_serve_cleanly_and_removes_its_folder(
        site: ScratchSite, preview_temp: Path) -> None:
    """serve running in a terminal that is closed (the kernel's SIGHUP, then a terminal that
    can no longer be written) exits 0 and leaves no folder."""
    pid, terminal = pty.fork()
    if pid == 0:  # the child: sitegen serve in the new terminal, as a person starts it
        os.environ["TMPDIR"] = str(preview_temp)
        os.execv(sys.executable, [sys.executable, "-m", "sitegen", "serve", "--port", "0",
                                  "--site", str(site.root)])
    try:
        shown = read_until(terminal, b"serving http://")
        assert len(list(preview_temp.glob(f"sitegen-preview-{pid}-*"))) == 1, shown
    finally:
        os.close(terminal)  # the terminal window closes
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    assert list(preview_temp.glob("sitegen-preview-*")) == []


def read_until(terminal: int, wanted: bytes) -> bytes:
    """What the terminal shows until `wanted` appears."""
    shown = b""
    deadline = time.monotonic() + WAIT
    while wanted not in shown:
        assert time.monotonic() < deadline, shown
        ready, _, _ = select.select([terminal], [], [], 0.2)
        if ready:
            shown += os.read(terminal, 65536)
    return shown


def tgkill() -> Callable[[int, int, int], int]:
    """glibc's tgkill(): a signal to one thread of another process."""
    function = getattr(ctypes.CDLL(None, use_errno=True), "tgkill", None)
    if function is None or not Path("/proc/self/task").is_dir():
        pytest.skip("needs Linux's tgkill() and /proc")
    return cast(Callable[[int, int, int], int], function)


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_stop_signal_that_reaches_another_thread_still_stops_serve(
        site: ScratchSite, running: Callable[[list[str], Path], Running],
        preview_temp: Path, signum: int) -> None:
    """The kernel may hand a process's signal to any of its threads; one that lands on the
    watcher's or the server's thread stops an idle serve all the same, instead of waiting for
    the next save."""
    send = tgkill()
    process, _ = serving(running, site)
    pid = process.process.pid
    others = sorted(int(t.name) for t in Path(f"/proc/{pid}/task").iterdir() if int(t.name) != pid)
    assert others, "serve runs its watcher and server in threads"
    assert send(pid, others[-1], signum) == 0, os.strerror(ctypes.get_errno())
    assert process.process.wait(timeout=WAIT) == 0
    assert list(preview_temp.glob("sitegen-preview-*")) == []


def test_sigterm_stops_serve_cleanly_and_removes_its_folder(
        site: ScratchSite, running: Callable[[list[str], Path], Running],
        preview_temp: Path) -> None:
    """SIGTERM (a process manager, `kill`) stops serve cleanly too, its folder removed."""
    process, _ = serving(running, site)
    folder = folder_of(process, preview_temp)
    process.process.terminate()
    assert process.process.wait(timeout=WAIT) == 0
    assert not folder.exists()


def test_the_next_serve_removes_a_killed_previews_folder_and_no_other(
        site: ScratchSite, running: Callable[[list[str], Path], Running],
        preview_temp: Path) -> None:
    """A preview killed outright (SIGKILL) leaves its folder; the next serve removes it and
    leaves a running preview's folder, and the site it serves, alone."""
    live, live_url = serving(running, site)
    killed, _ = serving(running, site)
    stale = folder_of(killed, preview_temp)
    killed.kill()
    assert (stale / "site" / "index.html").is_file()
    serving(running, site)
    assert not stale.exists()
    kept = folder_of(live, preview_temp)
    assert (kept / "site" / "index.html").is_file()
    with urllib.request.urlopen(live_url + "2020/a-claim/", timeout=WAIT) as response:
        assert response.status == 200


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return finished.pid


def fake_preview(temp: Path, pid: int, start: int, owner: str | None = None) -> Path:
    """A folder shaped like a preview's, with an owner file saying `owner` (None: none)."""
    folder = temp / f"sitegen-preview-{pid}-{start}-abc_123"
    (folder / "site").mkdir(parents=True)
    (folder / "site" / "index.html").write_text("<p>a site</p>")
    if owner is not None:
        (folder / OWNER_FILE).write_text(owner)
    return folder


def owner_text(pid: int, start: int) -> str:
    return f"sitegen preview\npid {pid}\nstarted {start}\n"


def start_time(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19])


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The pid of a process that runs until the test ends."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield child.pid
    child.kill()
    child.wait()


def test_only_provable_orphans_are_removed(tmp_path: Path, live_pid: int) -> None:
    """Removed: a dead owner's folder, and one whose pid now belongs to a process started
    later. Kept: a live owner's, one without its owner file, one whose owner file disagrees
    with its name, a symlink to a preview folder, and anything not named like a preview."""
    dead = dead_pid()
    gone = fake_preview(tmp_path, dead, 12345, owner_text(dead, 12345))
    reused = None
    started = start_time(live_pid) if Path("/proc/self/stat").exists() else 0
    alive = fake_preview(tmp_path, live_pid, started, owner_text(live_pid, started))
    if started:
        reused = fake_preview(tmp_path, live_pid, started - 1, owner_text(live_pid, started - 1))
    unmarked = fake_preview(tmp_path / "a", dead, 1)
    wrong = fake_preview(tmp_path / "b", dead, 2, owner_text(dead + 1, 2))
    target = fake_preview(tmp_path / "c", dead, 3, owner_text(dead, 3))
    for folder in (unmarked, wrong):
        folder.rename(tmp_path / folder.name)
    (tmp_path / f"sitegen-preview-{dead}-4-link").symlink_to(target)
    other = tmp_path / f"sitegen-previews-{dead}-5-x"
    other.mkdir()

    removed = remove_orphans(tmp_path)

    assert not gone.exists()
    assert reused is None or not reused.exists()
    assert sorted(removed) == sorted(p for p in (gone, reused) if p is not None)
    for kept in (alive, tmp_path / unmarked.name, tmp_path / wrong.name, target, other):
        assert kept.is_dir(), kept
    assert (target / "site" / "index.html").is_file()
    assert (tmp_path / f"sitegen-preview-{dead}-4-link").is_symlink()
