"""Warm builds move only what changed into output/: files left alone stay the same files, a
build cut short while moving is repaired by the next, and removals never reach outside."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ScratchSite
from search_bundles import index_is_complete, page_counts

import sitegen.output.standby
from sitegen import BuildOptions, BuildResult, build
from sitegen.output import kept_beside, remove_files


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}


def leftovers(output: Path) -> list[str]:
    """What a build left beside output/, but the standby copy it keeps there on purpose."""
    kept = kept_beside(output)
    return sorted(p.name for p in output.parent.glob(f".{output.name}.*") if p.name not in kept)


@pytest.fixture
def desk(site: ScratchSite, make_factcheck: Callable[..., str]) -> ScratchSite:
    for n in range(4):
        site.write(f"content/2021/claim-{n}.md", make_factcheck(
            title=f'"Claim {n}"', claimant=f'"Person {n % 2}"', date=f"2021-06-0{n + 1}",
            tags="[roads]"))
    return site


def warm(site: ScratchSite) -> BuildResult:
    result = build(site.root, BuildOptions(jobs=1))
    assert result.ok, site.messages(result)
    return result


def clean_tree(site: ScratchSite, tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "clean"
    shutil.rmtree(folder, ignore_errors=True)
    result = build(site.root, BuildOptions(output=folder, cache=False, jobs=1))
    assert result.ok, site.messages(result)
    return tree(folder)


def test_a_build_with_nothing_changed_leaves_every_file_where_it_is(desk: ScratchSite) -> None:
    """Pages, share cards and static files are the very same files (not copies, not links
    made again): a warm build writes nothing it need not."""
    warm(desk)
    before = inodes(desk.output)
    assert any(name.endswith("card.png") for name in before)
    assert any(name.endswith(".css") for name in before)
    warm(desk)
    assert inodes(desk.output) == before
    assert leftovers(desk.output) == []


def test_an_edit_replaces_only_the_files_that_show_it(
        desk: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    warm(desk)
    before = inodes(desk.output)
    desk.write("content/2021/claim-1.md", make_factcheck(
        title='"Claim 1"', claimant='"Person 1"', date="2021-06-02", tags="[roads]",
        body="A new finding."))
    warm(desk)
    after = inodes(desk.output)
    replaced = sorted(name for name in after if after[name] != before.get(name))
    assert "2021/claim-1/index.html" in replaced
    assert "2021/claim-1/card.png" not in replaced  # the card shows no body
    assert "2021/claim-0/card.png" not in replaced and "assets/sitegen.css" not in replaced
    assert len(replaced) < len(after) // 2
    assert tree(desk.output) == clean_tree(desk, tmp_path)


def test_a_changed_claim_replaces_its_card_and_a_deleted_one_takes_its_files_along(
        desk: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    warm(desk)
    card = (desk.output / "2021/claim-2/card.png").read_bytes()
    desk.write("content/2021/claim-2.md", make_factcheck(
        title='"Claim 2"', claimant='"Person 0"', date="2021-06-03", tags="[roads]",
        claim='"Another claim entirely"'))
    (desk.root / "content/2021/claim-3.md").unlink()
    warm(desk)
    assert (desk.output / "2021/claim-2/card.png").read_bytes() != card
    assert not (desk.output / "2021/claim-3").exists()
    assert tree(desk.output) == clean_tree(desk, tmp_path)


def test_a_build_cut_short_while_filling_the_standby_leaves_output_and_the_next_repairs(
        desk: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that dies after moving some of its files into the standby copy leaves output/
    byte for byte as it was; the next build, finding no record of the standby, makes it
    again from output/ and comes out as a clean build."""
    warm(desk)
    before = tree(desk.output)
    for n in range(4):
        desk.write(f"content/2021/claim-{n}.md", make_factcheck(
            title=f'"Claim {n}"', claimant=f'"Person {n % 2}"', date=f"2021-06-0{n + 1}",
            tags="[roads]", body=f"Revised analysis {n}."))
    moves = 0
    replace = os.replace

    def dying(source: str | Path, target: str | Path) -> None:
        nonlocal moves
        moves += 1
        if moves == 3:
            raise OSError(5, "Input/output error")  # stands for the process dying
        replace(source, target)

    monkeypatch.setattr(sitegen.output.standby.os, "replace", dying)
    assert not build(desk.root, BuildOptions(jobs=1)).ok
    monkeypatch.setattr(sitegen.output.standby.os, "replace", replace)
    assert moves == 3
    assert tree(desk.output) == before
    warm(desk)
    assert leftovers(desk.output) == []
    assert tree(desk.output) == clean_tree(desk, tmp_path)
    for n in range(4):
        assert desk.html(f"2021/claim-{n}/").find(string=f"Revised analysis {n}.") is not None


def test_removals_never_reach_outside_the_output_folder(tmp_path: Path) -> None:
    """Paths to remove that climb out of the folder, or are absolute, are passed over; a
    folder emptied by a removal goes with it."""
    output = tmp_path / "output"
    (output / "a").mkdir(parents=True)
    (output / "a" / "old.html").write_text("old")
    (output / "b").mkdir()
    (tmp_path / "outside.txt").write_text("a writer's file")
    remove_files(output, ["a/old.html", "../outside.txt", str(tmp_path / "outside.txt"),
                          "", "b"])
    assert (tmp_path / "outside.txt").read_text() == "a writer's file"
    assert not (output / "a").exists()  # emptied, so gone with its file
    assert (output / "b").is_dir()  # a folder is not a file to remove


def test_the_search_index_is_brought_up_to_date_without_reading_the_pages_again(
        desk: ScratchSite, make_factcheck: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The indexer learns each page's language and digest from the bytes the build wrote
    (or the last build's record of a page kept), not by reading every page of the site."""
    import sitegen.search.shards
    from sitegen.search import Scanned

    warm(desk)
    reads: list[str] = []
    scan = sitegen.search.shards.scan_page

    def counting(folder: Path, rel: str) -> Scanned:
        reads.append(rel)
        return scan(folder, rel)

    monkeypatch.setattr(sitegen.search.shards, "scan_page", counting)
    desk.write("content/2021/claim-1.md", make_factcheck(
        title='"Claim 1"', claimant='"Person 1"', date="2021-06-02", tags="[roads]",
        body="Findings nobody had searched for."))
    warm(desk)
    assert reads == []
    assert index_is_complete(desk.output)
    assert sum(page_counts(desk.output).values()) == len(
        list(desk.output.glob("20*/*/index.html")))  # every fact-check, once
