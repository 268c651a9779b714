"""The watch loop survives what version control does to a site folder: the content folder
deleted and made again (a checkout of another branch), a file replaced by a folder of the same
name and back, thousands of files changed at once (a pull). Each is one rebuild, or a bounded
few, and the output then equals a clean full build, byte for byte.

The loop is live._live's without its signals and printing: a real Watcher (inotify) hands
batches to a real Session, and batches that queue up during a rebuild are merged into one.
"""

from __future__ import annotations

import queue
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitegen import BuildOptions, Session, build
from sitegen.config import CONFIG_NAME
from sitegen.live import Batch, Outcome, Watcher

if TYPE_CHECKING:
    from conftest import ScratchSite

QUIET_SECONDS = 1.5
"""No batch for this long means the watcher has delivered everything (it waits at most 1 s)."""
MOST_REBUILDS = 3


class Live:
    """A Watcher feeding a Session, driven by the test one quiet period at a time."""

    def __init__(self, site: ScratchSite) -> None:
        self.site = site
        self.session = Session(site.root, site.output, search=False)
        self.batches: queue.Queue[Batch] = queue.Queue()
        root = site.root.absolute()
        self.watcher = Watcher([root / "content", root / "templates", root / "static"],
                               [root / CONFIG_NAME], self.batches.put, ignore=[site.output])

    def start(self) -> None:
        self.watcher.start()
        time.sleep(0.2)  # let inotify watches be in place before the first change
        outcome = self.session.full()
        assert outcome.ok, [p.format() for p in outcome.problems]

    def rebuilds(self) -> list[Outcome]:
        """Rebuild for every batch until the watcher falls quiet; what each rebuild did."""
        outcomes: list[Outcome] = []
        while True:
            try:
                batch = set(self.batches.get(timeout=QUIET_SECONDS))
            except queue.Empty:
                return outcomes
            while not self.batches.empty():  # as live._live: changes during the last rebuild
                batch |= self.batches.get_nowait()
            outcomes.append(self.session.rebuild(batch))

    def stop(self) -> None:
        self.watcher.stop()
        self.session.close()


@pytest.fixture
def live(site: ScratchSite, make_factcheck: Callable[..., str]) -> Iterator[Live]:
    for number in range(6):
        site.write(f"content/2021/check-{number}.md", fact(make_factcheck, number, "main"))
    site.write("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nUs.\n")
    site.write("static/images/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    running = Live(site)
    running.start()
    yield running
    running.stop()


def fact(make_factcheck: Callable[..., str], number: int, branch: str) -> str:
    return make_factcheck(title=f'"Check {number} on {branch}"',
                          claimant=f'"Person {number % 3}"', tags=f"[topic-{number % 2}]",
                          date=f"2021-0{1 + number % 9}-0{1 + number % 7}",
                          body=f"Written on {branch}.")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_settled_rebuilds_match_a_full_build(live: Live, outcomes: list[Outcome],
                                               tmp_path: Path) -> None:
    """A bounded few rebuilds, the last one good, and after the deferred whole-site files the
    output is what a clean build of the files now on disk makes (search index aside: the
    session was made without one)."""
    assert 1 <= len(outcomes) <= MOST_REBUILDS, [o.written[:3] for o in outcomes]
    assert outcomes[-1].ok, [p.format() for p in outcomes[-1].problems]
    assert live.session.settle() == []
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sitegen.stages.write.index_search", lambda folder, **options: [])
        result = build(live.site.root, BuildOptions(output=clean))
    assert result.ok, [p.format() for p in result.problems]
    incremental, full = tree(live.site.output), tree(clean)
    assert sorted(incremental) == sorted(full)
    assert [rel for rel in full if incremental[rel] != full[rel]] == []


def test_content_folder_deleted_and_made_again_like_a_branch_checkout(
        live: Live, site: ScratchSite, make_factcheck: Callable[..., str],
        tmp_path: Path) -> None:
    """content/ removed whole and written again with another branch's files (some the same
    names with new text, some new, some gone), then an edit after that: each settles into a
    clean build's output, so the new folder is watched."""
    assert (site.output / "2021" / "check-0" / "index.html").is_file()
    shutil.rmtree(site.root / "content")
    for number in range(3, 9):
        site.write(f"content/2021/check-{number}.md", fact(make_factcheck, number, "feature"))
    site.write("content/2022/only-on-feature.md", fact(make_factcheck, 9, "feature"))
    assert_settled_rebuilds_match_a_full_build(live, live.rebuilds(), tmp_path)
    assert not (site.output / "2021" / "check-0").exists()
    site.write("content/2021/check-5.md", make_factcheck(
        title='"Check 5 edited after the checkout"', date="2021-06-06"))
    outcomes = live.rebuilds()
    assert "Check 5 edited after the checkout" in site.html("2021/check-5/").get_text()
    assert_settled_rebuilds_match_a_full_build(live, outcomes, tmp_path)


def test_a_file_replaced_by_a_folder_of_the_same_name_and_back(
        live: Live, site: ScratchSite, make_factcheck: Callable[..., str],
        tmp_path: Path) -> None:
    """check-2.md becomes a folder holding a fact-check, then a file again; a year folder
    becomes a file: the old page goes, the new one comes, nothing is left over."""
    (site.root / "content/2021/check-2.md").unlink()
    site.write("content/2021/check-2.md/inside.md", fact(make_factcheck, 20, "folder"))
    assert_settled_rebuilds_match_a_full_build(live, live.rebuilds(), tmp_path)
    assert not (site.output / "2021" / "check-2").exists()

    shutil.rmtree(site.root / "content/2021/check-2.md")
    site.write("content/2021/check-2.md", fact(make_factcheck, 2, "file again"))
    assert_settled_rebuilds_match_a_full_build(live, live.rebuilds(), tmp_path)
    assert "Check 2 on file again" in site.html("2021/check-2/").get_text()

    site.write("content/2023/c.md", fact(make_factcheck, 30, "year"))
    live.rebuilds()
    shutil.rmtree(site.root / "content/2023")
    (site.root / "content/2023").write_text("not a folder any more\n")
    assert_settled_rebuilds_match_a_full_build(live, live.rebuilds(), tmp_path)


def test_two_thousand_files_changed_at_once_like_a_pull(
        live: Live, site: ScratchSite, make_factcheck: Callable[..., str],
        tmp_path: Path) -> None:
    """A pull that edits, adds and deletes fact-checks and rewrites 1,899 assets: 2,000 files
    in one burst are one rebuild (or a bounded few), and the output is a clean build's."""
    assert (site.output / "about" / "index.html").is_file()
    changed = 0
    for number in range(6):
        site.write(f"content/2021/check-{number}.md", fact(make_factcheck, number, "pulled"))
        changed += 1
    for number in range(6, 100):
        site.write(f"content/2020/new-{number}.md", fact(make_factcheck, number, "pulled"))
        changed += 1
    (site.root / "content/pages/about.md").unlink()
    changed += 1
    for number in range(1899):
        site.write(f"static/images/icon-{number}.svg", f"<svg id='i{number}'/>\n")
        changed += 1
    assert changed == 2000
    outcomes = live.rebuilds()
    assert_settled_rebuilds_match_a_full_build(live, outcomes, tmp_path)
    assert not (site.output / "about").exists()
