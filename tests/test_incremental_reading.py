"""The session's reader says which content files changed, from the paths the watcher reported,
so a rebuild looks at those and not at every input; and it gets the same answer from the
file's own events alone as it did when every save also listed the file's folder again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import ScratchSite
from test_incremental import assert_same_as_full_build

from sitegen import Session, load_config
from sitegen.content import InputReader, Reading


def _read(site: ScratchSite, reader: InputReader, last: Reading | None,
          *changed: Path) -> Reading:
    config, problems = load_config(site.root)
    assert config is not None, problems
    return reader.read(config, {} if last is None else last.inputs,
                       None if last is None else changed)


def test_the_reader_reports_exactly_the_files_that_differ(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    reader = InputReader()
    other = site.write("content/2021/other.md", make_factcheck(title='"Other"'))
    first = _read(site, reader, None)
    assert first.changed == {"content/2020/a-claim.md", "content/2021/other.md"}

    article = site.root / "content/2020/a-claim.md"
    saved = _read(site, reader, first, article)  # saved without a change
    assert saved.changed == frozenset()
    assert saved.inputs["content/2020/a-claim.md"] is first.inputs["content/2020/a-claim.md"]

    site.write("content/2020/a-claim.md", make_factcheck(body="Edited."))
    edited = _read(site, reader, saved, article)
    assert edited.changed == {"content/2020/a-claim.md"}
    assert edited.inputs["content/2021/other.md"] is saved.inputs["content/2021/other.md"]

    added = site.write("content/2022/new.md", make_factcheck(title='"New"'))
    other.unlink()
    moved = _read(site, reader, edited, added, other)
    assert moved.changed == {"content/2022/new.md", "content/2021/other.md"}
    assert "content/2021/other.md" not in moved.inputs


def test_a_file_replaced_by_a_folder_and_back_from_their_own_paths(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Without the folder around them in the batch: the file that became a folder is
    dropped, and the folder's files go when it becomes a file again."""
    reader = InputReader()
    first = _read(site, reader, None)
    path = site.root / "content/2020/a-claim.md"
    path.unlink()
    inside = site.write("content/2020/a-claim.md/inside.md", make_factcheck(title='"Inside"'))
    folder = _read(site, reader, first, path, inside)
    assert sorted(folder.inputs) == ["content/2020/a-claim.md/inside.md"]
    assert folder.changed == {"content/2020/a-claim.md", "content/2020/a-claim.md/inside.md"}

    shutil.rmtree(path)  # a folder moved away reports no event for the files inside it
    site.write("content/2020/a-claim.md", make_factcheck(body="A file again."))
    back = _read(site, reader, folder, path)
    assert sorted(back.inputs) == ["content/2020/a-claim.md"]
    assert back.changed == {"content/2020/a-claim.md", "content/2020/a-claim.md/inside.md"}


def test_rebuilds_from_file_events_alone_match_a_full_build(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """What the watcher now hands over for a file turned into a folder, and for an edit:
    each rebuild's output is a clean build's."""
    session = Session(site.root, site.output, search=False)
    assert session.full().ok
    path = site.root / "content/2020/a-claim.md"
    path.unlink()
    inside = site.write("content/2020/a-claim.md/inside.md", make_factcheck(title='"Inside"'))
    assert session.rebuild([path, inside]).ok
    assert_same_as_full_build(site, session, tmp_path)
    edited = site.write("content/2020/a-claim.md/inside.md",
                        make_factcheck(title='"Inside"', body="Edited inside."))
    outcome = session.rebuild([edited])
    assert outcome.ok and "2020/inside/" in outcome.written
    assert_same_as_full_build(site, session, tmp_path)


def test_a_rebuild_reports_the_same_problems_as_a_full_build(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """The inputs' problems are kept up to date input by input: a warning fixed in one file
    and one made in another are what a fresh build reports."""
    site.write("content/2020/other.md", make_factcheck(title='"Other"', claim_date="2020-03-09"))
    session = Session(site.root, site.output, search=False)
    assert len(session.full().problems) == 1
    fixed = site.write("content/2020/other.md", make_factcheck(title='"Other"'))
    warned = site.write("content/2020/a-claim.md", make_factcheck(claim_date="2020-03-09"))
    outcome = session.rebuild([fixed, warned])
    fresh = Session(site.root, tmp_path / "fresh", search=False).full()
    assert sorted(p.format() for p in outcome.problems) == sorted(
        p.format() for p in fresh.problems)
    assert [p.path for p in outcome.problems] == ["content/2020/a-claim.md"]
    again = session.rebuild([site.write("content/2020/other.md", make_factcheck(
        title='"Other"', claim_date="2020-03-10"))])
    assert sorted(p.path for p in again.problems) == [
        "content/2020/a-claim.md", "content/2020/other.md"]
