"""Faults while building: SIGKILL at random moments, a full disk, a folder it may not write.

The guarantee under test is the README's: output/ is always either the last complete site or
the new complete site, search index included, for whole new sites and for warm builds that
change a few files (sitegen.output.standby), and whatever a killed build left beside it is cleaned
up by the next build. Two sites are compared file by file, paths and bytes, leaving out only
the files Pagefind names anew on every run (NAMED_ANEW).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from search_bundles import index_is_complete

from sitegen import BuildOptions, build
from sitegen.cli import main
from sitegen.output import folder as output_module
from sitegen.output import kept_beside
from sitegen.runtime.workers import MIN_ITEMS_PER_JOB, can_fork

if TYPE_CHECKING:
    from conftest import ScratchSite

SEED = 20261125
KILLS = 12
EDIT_KILLS = 50
ARTICLES = 16
WAIT = 60.0

Tree = dict[str, str]


def tree(folder: Path) -> Tree:
    """Every file under `folder` by relative path, with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


NAMED_ANEW = re.compile(
    r"pagefind/.+/(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)")
"""Pagefind names a bundle's filter and metadata files anew on every run, from the same pages
(upstream issue #638), and its entry file names the metadata file: these, and only these, are
left out when two sites are compared."""


def comparable(files: Tree) -> Tree:
    """The tree but the files Pagefind names anew on every run."""
    return {rel: digest for rel, digest in files.items() if not NAMED_ANEW.fullmatch(rel)}


def leftovers(output: Path) -> list[str]:
    """What a build left beside output/, but the standby copy it keeps there on purpose."""
    kept = kept_beside(output)
    return sorted(p.name for p in output.parent.glob(f".{output.name}.*") if p.name not in kept)


def write_version(site: ScratchSite, make_factcheck: Callable[..., str], version: str) -> None:
    """Content for version 'a' or 'b': every body differs, and each has a page the other lacks,
    so a mix of the two sites, or a stale page, shows up in the comparison."""
    for old in (site.root / "content").rglob("*.md"):
        old.unlink()
    for number in range(ARTICLES):
        site.write(f"content/2021/check-{number:02d}.md", make_factcheck(
            body=f"Version {version}, article {number}. " + "Words to index. " * 200,
            title=f'"Check {number} in version {version}"', claimant=f'"Person {number % 5}"',
            tags=f"[topic-{number % 4}]", date=f"2021-0{1 + number % 9}-1{number % 9}"))
    site.write(f"content/2020/only-in-{version}.md", make_factcheck(
        title=f'"Only in version {version}"'))


@dataclass
class Builder:
    """Runs `sitegen build` as a real process on the scratch site."""

    site: ScratchSite

    def start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "sitegen", "build"], cwd=self.site.root,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def run(self) -> float:
        """A complete build; its duration in seconds, to spread the kills over."""
        started = time.monotonic()
        assert self.start().wait(timeout=WAIT) == 0
        return time.monotonic() - started


def kill_after(process: subprocess.Popen[bytes], delay: float) -> None:
    time.sleep(delay)
    process.kill()
    process.wait(timeout=WAIT)


def kill_while_writing(process: subprocess.Popen[bytes], output: Path, delay: float) -> None:
    """SIGKILL `delay` seconds after the build's staging folder appears beside output/, so many
    kills land while files are written, Pagefind indexes, or the folders are swapped."""
    deadline = time.monotonic() + WAIT
    while process.poll() is None and time.monotonic() < deadline:
        if any(name.startswith(f".{output.name}.tmp-{process.pid}-")
               for name in leftovers(output)):
            break
        time.sleep(0.002)
    kill_after(process, delay)


@pytest.fixture
def references(site: ScratchSite, make_factcheck: Callable[..., str],
               tmp_path: Path) -> dict[str, Tree]:
    """The complete site of each version, from clean in-process builds elsewhere."""
    found = {}
    for version in ("a", "b"):
        write_version(site, make_factcheck, version)
        folder = tmp_path / f"reference-{version}"
        result = build(site.root, BuildOptions(output=folder))
        assert result.ok, [p.format() for p in result.problems]
        assert index_is_complete(folder)
        found[version] = comparable(tree(folder))
    assert found["a"] != found["b"]
    return found


def test_sigkill_at_random_moments_leaves_the_old_or_the_new_site(
        site: ScratchSite, make_factcheck: Callable[..., str],
        references: dict[str, Tree]) -> None:
    """A build killed at any moment leaves output/ exactly as it was or exactly the new complete
    site (same files, same bytes, a complete search index); the next build cleans up."""
    rng = random.Random(SEED)
    builder = Builder(site)
    write_version(site, make_factcheck, "a")
    span = builder.run()
    assert comparable(tree(site.output)) == references["a"]
    outcomes = kill_repeatedly(builder, rng, span, references, KILLS, lambda version: (
        write_version(site, make_factcheck, version)))
    assert any("leftovers" in outcome for outcome in outcomes), outcomes  # killed mid-write


def kill_repeatedly(builder: Builder, rng: random.Random, span: float,
                    references: dict[str, Tree], kills: int,
                    write: Callable[[str], None]) -> list[str]:
    """`kills` builds, each of the version output/ does not show, each SIGKILLed at a random
    moment (every other one timed from the moment its staging folder appears, so many land
    while files are written, Pagefind indexes, or the folders are exchanged); after each,
    output/ must be exactly the old complete site or the new one. Ends with a complete build
    that leaves nothing beside output/ but the standby. Returns what each kill left."""
    output = builder.site.output
    shown, outcomes = "a", []
    for attempt in range(kills):
        target = "b" if shown == "a" else "a"
        write(target)
        process = builder.start()
        if attempt % 2:
            kill_after(process, rng.uniform(0.0, span * 1.2))
        else:
            kill_while_writing(process, output, rng.uniform(0.0, span * 0.6))
        after = comparable(tree(output))
        assert after in (references[shown], references[target]), (
            f"kill {attempt}: output/ is neither the old site nor the new one")
        assert index_is_complete(output), f"kill {attempt}: a partial search index"
        if after == references[target]:
            shown = target
        outcomes.append(("new" if shown == target else "old")
                        + (" (leftovers)" if leftovers(output) else ""))
    builder.run()  # of the version last written, which the last kill may have kept out
    assert leftovers(output) == []
    assert comparable(tree(output)) == references[target]
    return outcomes


def write_edit(site: ScratchSite, make_factcheck: Callable[..., str], version: str) -> None:
    """One article's analysis and title edited, and one page that only this version has: a
    warm build rewrites a few pages, listings and feeds, removes one page and one shard of
    the index changes."""
    site.write("content/2021/check-03.md", make_factcheck(
        body=f"Edited for version {version}. " + "Words to index. " * 200,
        title=f'"Check 3, edited for version {version}"', claimant='"Person 3"',
        tags="[topic-3]", date="2021-04-13"))
    for old in (site.root / "content/2020").glob("only-in-*.md"):
        old.unlink()
    site.write(f"content/2020/only-in-{version}.md", make_factcheck(
        title=f'"Only in version {version}"'))


def test_sigkill_during_warm_builds_of_one_edit_leaves_the_old_or_the_new_site(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """Fifty warm builds of one edit, each killed at a seeded random moment, leave output/
    exactly the old complete site or the new one, search index included (only the files
    Pagefind names anew on every run left out of the comparison), and never some of each."""
    write_version(site, make_factcheck, "a")
    references = {}
    for version in ("a", "b"):
        write_edit(site, make_factcheck, version)
        folder = tmp_path / f"reference-{version}"
        assert build(site.root, BuildOptions(output=folder, cache=False)).ok
        references[version] = comparable(tree(folder))
    assert references["a"] != references["b"]
    builder = Builder(site)
    write_edit(site, make_factcheck, "b")
    builder.run()
    write_edit(site, make_factcheck, "a")
    span = builder.run()  # a warm build of one edit: the span the kills are spread over
    assert comparable(tree(site.output)) == references["a"]
    outcomes = kill_repeatedly(builder, random.Random(SEED + 1), span, references, EDIT_KILLS,
                               lambda version: write_edit(site, make_factcheck, version))
    assert {"old", "new"} <= {outcome.split()[0] for outcome in outcomes}, outcomes


# --- a full disk, a folder it may not write ----------------------------------------------------


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[bool]:
    """A size-limited tmpfs mounted at `folder`, when this process may mount one (root in a
    container usually may); yields False where it may not, and unmounts afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                              str(folder)], capture_output=True, check=False).returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def small_site(site: ScratchSite, make_factcheck: Callable[..., str]) -> ScratchSite:
    for number in range(3):
        site.write(f"content/2021/small-{number}.md", make_factcheck(
            title=f'"Small check {number}"'))
    return site


def run_cli(site: ScratchSite, output: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["build", "--site", str(site.root), "--output", str(output)])
    return code, capsys.readouterr().err


def test_disk_full_on_a_small_tmpfs_fails_clearly_and_leaves_output_untouched(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A real full disk: the build says so in one line, output/ keeps every byte, no staging
    folder is left on the full disk, and the next build after space is freed succeeds."""
    small_site(site, make_factcheck)
    disk = tmp_path / "disk"
    with tmpfs(disk, "12m") as mounted:
        if not mounted:
            pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN); "
                        "test_disk_full_while_writing covers the same path in-process")
        output = disk / "output"
        assert run_cli(site, output, capsys)[0] == 0
        before = tree(output)
        site.write_bytes("static/video/interview.mp4", os.urandom(12 * 1024 * 1024))
        code, err = run_cli(site, output, capsys)
        assert code == 1
        assert err.splitlines() == [
            f"{output}: output: could not write the new site: no space left on device "
            f"(free some space on the disk that holds {disk}, then build again)",
            f"build failed: 1 error, 0 warnings; {output}/ was not changed",
        ]
        assert tree(output) == before
        assert leftovers(output) == []
        (site.root / "static/video/interview.mp4").unlink()
        assert run_cli(site, output, capsys)[0] == 0


def failing_after(real: Callable[..., object], calls: int, exc: OSError) -> Callable[..., object]:
    """`real`, raising `exc` from its `calls`-th call on: a disk that fills up mid-build."""
    count = 0

    def wrapper(*args: object, **kwargs: object) -> object:
        nonlocal count
        count += 1
        if count >= calls:
            raise exc
        return real(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize(("code", "reason", "hint"), [
    (errno.ENOSPC, "no space left on device",
     "free some space on the disk that holds {where}, then build again"),
    (errno.EDQUOT, "disk quota exceeded",
     "free some space on the disk that holds {where}, then build again"),
    (errno.EACCES, "permission denied",
     "this user may not write in {where}; change its permissions or use another --output"),
    (errno.EROFS, "read-only file system",
     "{where} is on a read-only file system; use another --output"),
], ids=["ENOSPC", "EDQUOT", "EACCES", "EROFS"])
def test_write_errors_midway_fail_clearly_and_leave_output_untouched(
        site: ScratchSite, make_factcheck: Callable[..., str], monkeypatch: pytest.MonkeyPatch,
        code: int, reason: str, hint: str) -> None:
    """A write failing on the tenth page is one error naming the reason and what to do; the
    last good output/ keeps every byte and the half-written folder is gone."""
    small_site(site, make_factcheck).built()
    before = tree(site.output)
    site.write("content/2020/a-claim.md", make_factcheck(body="A new version."))
    failure = OSError(code, os.strerror(code), str(site.root / ".output.tmp-1-x/2021/index.html"))
    monkeypatch.setattr(Path, "write_bytes", failing_after(Path.write_bytes, 10, failure))
    result = site.build()
    monkeypatch.undo()
    assert site.errors(result) == [
        f"{site.output}: output: could not write the new site: {reason} "
        f"({hint.format(where=site.root)})"]
    assert tree(site.output) == before
    assert leftovers(site.output) == []


@pytest.mark.skipif(not can_fork(), reason="workers are forked on Linux only")
def test_a_full_disk_in_a_render_worker_is_the_same_one_clear_error(
        site: ScratchSite, make_factcheck: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are written by the worker processes that render them; a worker meeting a full
    disk reports it like the parent would: one error, output/ untouched, no staging left."""
    for number in range(2 * MIN_ITEMS_PER_JOB):  # enough pages for two render processes
        site.write(f"content/2021/many-{number}.md", make_factcheck(
            title=f'"Check {number}"', claimant=f'"Person {number % 7}"'))
    assert build(site.root, BuildOptions(jobs=2)).ok
    before = tree(site.output)
    site.write("content/2020/a-claim.md", make_factcheck(body="A new version."))
    parent = os.getpid()
    real_write = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if os.getpid() != parent:  # only in the forked worker
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    result = build(site.root, BuildOptions(jobs=2, cache=False))  # every page, so a worker
    monkeypatch.undo()
    assert site.errors(result) == [
        f"{site.output}: output: could not write the new site: no space left on device "
        f"(free some space on the disk that holds {site.root}, then build again)"]
    assert tree(site.output) == before
    assert leftovers(site.output) == []


def test_a_folder_it_may_not_write_fails_clearly_and_leaves_output_untouched(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A real unwritable output parent: permission denied for a normal user (chmod), a
    read-only file system for root (whom permissions do not stop)."""
    small_site(site, make_factcheck)
    deploy = tmp_path / "deploy"
    output = deploy / "output"
    with contextlib.ExitStack() as stack:
        if os.geteuid() == 0:
            if not stack.enter_context(tmpfs(deploy, "16m")):
                pytest.skip("root, and cannot mount a tmpfs to make read-only")
            assert run_cli(site, output, capsys)[0] == 0
            remount = ["mount", "-o", "remount,ro", str(deploy)]
            assert subprocess.run(remount, capture_output=True, check=False).returncode == 0
            expected = (f"{output}: output: could not write the new site: read-only file "
                        f"system ({deploy} is on a read-only file system; use another --output)")
        else:
            assert run_cli(site, output, capsys)[0] == 0
            deploy.chmod(0o555)
            stack.callback(deploy.chmod, 0o755)
            expected = (f"{output}: output: could not write the new site: permission denied "
                        f"(this user may not write in {deploy}; change its permissions or use "
                        "another --output)")
        before = tree(output)
        site.write("content/2020/a-claim.md", make_factcheck(body="A new version."))
        code, err = run_cli(site, output, capsys)
        assert code == 1
        assert err.splitlines()[0] == expected
        assert tree(output) == before
        assert leftovers(output) == []


def test_a_failed_second_rename_puts_the_last_good_site_back(
        site: ScratchSite, make_factcheck: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no atomic exchange, output/ is set aside and the new site renamed in; when
    that second rename fails, the last good site goes back to output/ at once. (A build
    without the cache makes the whole site and swaps it in; a warm one moves files in.)"""
    site.built()
    before = tree(site.output)
    site.write("content/2020/a-claim.md", make_factcheck(body="A new version."))
    monkeypatch.setattr(output_module, "_exchange", lambda a, b: False)
    real_rename = Path.rename

    def rename(self: Path, target: Path) -> Path:
        if self.name.startswith(".output.tmp-"):
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(self))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    result = build(site.root, BuildOptions(cache=False))
    monkeypatch.undo()
    [message] = site.errors(result)
    assert message.startswith(f"{site.output}: output: could not write the new site: "
                              f"input/output error (while writing {site.root}/.output.tmp-")
    assert tree(site.output) == before
    assert leftovers(site.output) == []


# --- the search indexer of a killed build ---------------------------------------------------


FAKE_PAGEFIND = """\
import os, pathlib, sys, time
pathlib.Path(os.environ["FAKE_PAGEFIND_PID"]).write_text(str(os.getpid()))
time.sleep(120)  # an indexer that is still working when its build is killed
"""


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped is not)."""
    try:
        os.kill(pid, 0)
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except ProcessLookupError:
        return False
    except OSError:  # no /proc here, or the process was reaped in between
        return not Path("/proc").is_dir()


def test_a_killed_build_takes_its_search_indexer_with_it(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """SIGKILL while Pagefind runs: the indexer stops too, instead of writing on into a
    staging folder the next build removes (Pagefind makes its folders again) and competing
    with the next build; the next build then leaves nothing behind."""
    fake = tmp_path / "fake" / "pagefind"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text(FAKE_PAGEFIND)
    pid_file = tmp_path / "pagefind.pid"
    env = {**os.environ, "PYTHONPATH": str(fake.parent), "FAKE_PAGEFIND_PID": str(pid_file)}
    small_site(site, make_factcheck).built()
    # --no-cache: nothing changed, so a warm build would keep the last search index
    build_process = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--no-cache"],
                                     cwd=site.root, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
    indexer = 0
    try:
        deadline = time.monotonic() + WAIT
        while not pid_file.exists() or not pid_file.read_text():
            assert build_process.poll() is None, "the build ended before its indexer started"
            assert time.monotonic() < deadline, "the indexer never started"
            time.sleep(0.02)
        indexer = int(pid_file.read_text())
        build_process.kill()
        build_process.wait(timeout=WAIT)
        deadline = time.monotonic() + 20
        while alive(indexer) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(indexer), "the killed build's indexer is still running"
    finally:
        if indexer and alive(indexer):
            os.kill(indexer, 9)
        if build_process.poll() is None:
            build_process.kill()
            build_process.wait()
    assert leftovers(site.output)  # the killed build's staging folder, until the next build
    site.built()
    assert leftovers(site.output) == []
    assert index_is_complete(site.output)
