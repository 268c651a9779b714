"""How the search indexer starts Pagefind: the binary itself, found as the pagefind package
finds it, under one runner per shard (no `python -m pagefind` between them), falling back to
`python -m pagefind` when there is no binary; and a killed build still takes it down."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ScratchSite
from search_bundles import index_is_complete

import sitegen.search.index
from sitegen.runtime.children import RUNNER
from sitegen.search import Indexer, pagefind_command

WAIT = 60
RECORDING_PAGEFIND = """\
import os, pathlib, sys
record = pathlib.Path(os.environ["FAKE_PAGEFIND_RECORD"])
parent = pathlib.Path(f"/proc/{os.getppid()}/cmdline").read_bytes().split(b"\\0")[:-1]
with record.open("a") as out:
    print(os.getppid(), os.getpriority(os.PRIO_PROCESS, 0), *map(os.fsdecode, parent),
          sep="\\t", file=out)
real = os.environ["REAL_PAGEFIND"]
os.execv(real, [real, *sys.argv[1:]])
"""
"""Notes which process started it (the runner, by its pid and command line) and at what
priority it runs, then becomes the real Pagefind."""
SLEEPING_PAGEFIND = """\
import os, pathlib, time
pathlib.Path(os.environ["FAKE_PAGEFIND_PID"]).write_text(str(os.getpid()))
time.sleep(120)  # an indexer that is still working when its build is killed
"""
FAILING_MODULE = """\
import sys
print("Error: the fallback ran", file=sys.stderr)
sys.exit(3)
"""


def real_binary() -> Path:
    from pagefind.service import get_executable

    found = get_executable()
    assert found is not None and found.is_file(), "the test extra installs pagefind[bin]"
    return found


def fake_binary(folder: Path, code: str) -> Path:
    """An executable standing in for Pagefind's binary (a script this Python runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    fake = folder / "pagefind"
    fake.write_text(f"#!{sys.executable}\n{code}")
    fake.chmod(0o755)
    return fake


def small_desk(site: ScratchSite, make_factcheck: Callable[..., str], count: int = 7) -> None:
    for n in range(count):
        site.write(f"content/2021/check-{n}.md", make_factcheck(
            title=f'"Reservoir levels, part {n}"', date=f"2021-03-{n + 1:02d}",
            body=f"The reservoir was at level {n}."))


def test_the_binary_is_found_as_the_pagefind_package_finds_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert pagefind_command() == [str(real_binary())]
    fake = fake_binary(tmp_path, "")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    assert pagefind_command() == [str(fake)]


def test_without_a_binary_the_package_module_is_run(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing" / "pagefind"))
    assert pagefind_command() == [sys.executable, "-m", "pagefind"]


def test_the_fallback_runs_and_its_failure_is_a_warning(
        site: ScratchSite, make_factcheck: Callable[..., str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """No binary to be found: `python -m pagefind` runs (here a `pagefind` module that fails),
    and the build goes on without search, saying why."""
    small_desk(site, make_factcheck)
    module = tmp_path / "modules" / "pagefind"
    module.mkdir(parents=True)
    (module / "__init__.py").write_text("")
    (module / "__main__.py").write_text(FAILING_MODULE)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing" / "pagefind"))
    monkeypatch.setenv("PYTHONPATH", str(module.parent))
    result = site.build()
    assert result.ok
    assert [p.message for p in result.problems if p.path == "search"] == [
        "search index not built: Pagefind failed: Error: the fallback ran"]
    assert not (site.output / "pagefind").exists()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
@pytest.mark.parametrize("background", [False, True])
def test_each_shard_runs_the_binary_under_one_bare_runner(
        site: ScratchSite, make_factcheck: Callable[..., str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path, background: bool) -> None:
    """Between the indexer and Pagefind there is one process per shard: the runner, run as a
    script without site-packages; Pagefind itself is the binary (no `python -m pagefind`),
    and in the background it runs at the lower priority the runner took."""
    small_desk(site, make_factcheck)
    site.built()
    record = tmp_path / "started.tsv"
    monkeypatch.setenv("REAL_PAGEFIND", str(real_binary()))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH",
                       str(fake_binary(tmp_path / "fake", RECORDING_PAGEFIND)))
    monkeypatch.setenv("FAKE_PAGEFIND_RECORD", str(record))
    monkeypatch.setattr(sitegen.search.index, "SHARD_PAGES", 3)
    (site.output / "pagefind").rename(tmp_path / "old-index")
    assert Indexer(background=background).index(site.output) == []
    assert index_is_complete(site.output)
    started = [line.split("\t") for line in record.read_text().splitlines()]
    assert len(started) >= 3  # one line per shard
    runners = [int(pid) for pid, *_ in started]
    assert len(set(runners)) == len(started)  # a runner each
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    nice = ["--nice", "10"] if background else []
    runner = [sys.executable, *RUNNER, *nice, "--", os.environ["PAGEFIND_BINARY_PATH"]]
    for _, priority, *command in started:
        assert command[:len(runner)] == runner
        assert command[len(runner)] == "--site"
        assert int(priority) == (min(19, ours + 10) if background else ours)


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is not)."""
    try:
        os.kill(pid, 0)
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except ProcessLookupError:
        return False
    except OSError:
        return not Path("/proc").is_dir()


def test_a_killed_build_takes_its_pagefind_binary_with_it(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """SIGKILL to `sitegen build` while the binary indexes: its runner sees the build go and
    kills it (tests/test_faults.py does the same through the `python -m pagefind` fallback)."""
    small_desk(site, make_factcheck)
    pid_file = tmp_path / "pagefind.pid"
    env = {**os.environ, "FAKE_PAGEFIND_PID": str(pid_file),
           "PAGEFIND_BINARY_PATH": str(fake_binary(tmp_path / "fake", SLEEPING_PAGEFIND))}
    build = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--no-cache"],
                             cwd=site.root, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    indexer = 0
    try:
        deadline = time.monotonic() + WAIT
        while not pid_file.exists() or not pid_file.read_text():
            assert build.poll() is None, "the build ended before its indexer started"
            assert time.monotonic() < deadline, "the indexer never started"
            time.sleep(0.02)
        indexer = int(pid_file.read_text())
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=WAIT)
        deadline = time.monotonic() + 20
        while alive(indexer) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(indexer), "the killed build's Pagefind is still running"
    finally:
        if indexer and alive(indexer):
            os.kill(indexer, signal.SIGKILL)
        if build.poll() is None:
            build.kill()
            build.wait()


def test_a_runner_that_cannot_start_costs_the_search_not_the_build(
        site: ScratchSite, make_factcheck: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No process to be had (here: no such interpreter) is a warning like any failed run."""
    small_desk(site, make_factcheck)
    monkeypatch.setattr(sys, "executable", str(site.root / "no-such-python"))
    result = site.build()
    assert result.ok
    [message] = [p.message for p in result.problems if p.path == "search"]
    assert message.startswith("search index not built: [Errno 2] No such file or directory")
    assert not (site.output / "pagefind").exists()
