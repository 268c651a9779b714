"""Symbolic links sitegen did not make, in or as its output and cache folders: a build never
writes or reads through one out of the site, and says what it did about it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitegen import Session
from sitegen.cli import main
from sitegen.output import kept_beside

if TYPE_CHECKING:
    from conftest import ScratchSite


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def desk(site: ScratchSite, make_factcheck: Callable[..., str]) -> ScratchSite:
    for year in (2020, 2021):
        site.write(f"content/{year}/claim.md", make_factcheck(
            title=f'"A claim of {year}"', date=f"{year}-03-04"))
    return site


def test_a_link_inside_output_is_replaced_not_written_through(
        desk: ScratchSite, tmp_path: Path) -> None:
    """output/2021 made a link to a folder outside the site: the next warm build writes none
    of its pages there, replaces the link by a folder of the site's own, and warns."""
    desk.built()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not the site's")
    real = desk.output / "2021"
    os.rename(real, tmp_path / "set-aside")
    real.symlink_to(outside, target_is_directory=True)
    desk.write("content/2021/claim.md", (desk.root / "content/2021/claim.md").read_text().replace(
        "The body.", "The body, edited."))
    result = desk.build()
    assert result.ok
    assert [p.format() for p in result.problems if "symbolic link" in p.message] == [
        f"{desk.output}: warning: output: has symbolic links sitegen did not make "
        f"(output/2021); the whole site was written again, and they were replaced by its "
        f"own files (put the site where it should go with --output or a link to output/ "
        f"itself, not links inside it)"]
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]
    assert not real.is_symlink() and (real / "claim" / "index.html").is_file()
    assert "edited" in (real / "claim" / "index.html").read_text()


def test_output_that_is_a_link_is_built_where_it_leads(
        desk: ScratchSite, tmp_path: Path) -> None:
    """output/ made a link to a web server's folder: builds, cold and warm, put the site in
    that folder, the link stays a link to it, and nothing is left beside either."""
    served = tmp_path / "www" / "site"
    served.parent.mkdir()
    desk.output.symlink_to(served, target_is_directory=True)
    desk.built()
    desk.write("content/2020/claim.md", (desk.root / "content/2020/claim.md").read_text().replace(
        "The body.", "The body, edited."))
    desk.built()
    assert desk.output.is_symlink() and desk.output.resolve() == served
    assert "edited" in (served / "2020" / "claim" / "index.html").read_text()
    beside_link = [p.name for p in desk.root.iterdir() if p.name.startswith(".output.")]
    beside_served = sorted(p.name for p in served.parent.iterdir())
    assert beside_link == []
    assert beside_served == sorted({"site", *kept_beside(served)})


def test_a_stray_staging_link_left_beside_output_goes_with_the_next_build(
        desk: ScratchSite, tmp_path: Path) -> None:
    """An older sitegen left `.output.tmp-*` links beside an output/ that was a link; the
    next build removes them (and only them: what they lead to stays)."""
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    stray = desk.root / ".output.tmp-999999-deadbeef"
    stray.symlink_to(target, target_is_directory=True)
    desk.built()
    assert not stray.is_symlink() and not stray.exists()
    assert (target / "keep.txt").read_text() == "keep"


def test_a_cache_folder_that_is_a_link_is_replaced_and_nothing_written_there(
        desk: ScratchSite, tmp_path: Path) -> None:
    """.sitegen-cache made a link to a folder outside the site: the build writes no cache
    file there, removes the link (not what it leads to), warns, and caches in a folder of
    its own; a check, which writes nothing, does without the cache and says so."""
    outside = tmp_path / "outside-cache"
    outside.mkdir()
    cache = desk.root / ".sitegen-cache"
    cache.symlink_to(outside, target_is_directory=True)
    check = desk.check()
    assert any(p.message.startswith("not used: it has symbolic links") for p in check.problems)
    result = desk.build()
    assert result.ok
    assert [p.format() for p in result.problems if p.path == ".sitegen-cache"] == [
        f".sitegen-cache: warning: removed symbolic links sitegen did not make "
        f"(.sitegen-cache -> {outside}); the cache is written only inside the site "
        f"(nothing they led to was touched)"]
    assert list(outside.iterdir()) == []
    assert cache.is_dir() and not cache.is_symlink() and any(cache.iterdir())


def test_a_link_inside_the_cache_is_removed_never_followed(
        desk: ScratchSite, tmp_path: Path) -> None:
    """A cache file replaced by a link (a CI cache restored from elsewhere, say) to a file
    outside: the build removes the link and leaves the file it led to byte for byte."""
    desk.built()
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"do not publish or overwrite")
    bodies = desk.root / ".sitegen-cache" / "markdown.bin"
    assert bodies.is_file()
    bodies.unlink()
    bodies.symlink_to(outside)
    desk.write("content/2020/claim.md", (desk.root / "content/2020/claim.md").read_text().replace(
        "The body.", "The body, edited."))
    result = desk.build()
    assert result.ok
    assert any(p.path == ".sitegen-cache" and "removed symbolic links" in p.message
               for p in result.problems)
    assert outside.read_bytes() == b"do not publish or overwrite"
    assert not bodies.is_symlink()
    assert b"do not publish" not in b"".join(files(desk.output).values())


def test_a_preview_removes_a_link_in_the_cache_as_a_build_does(
        desk: ScratchSite, tmp_path: Path) -> None:
    """A watch session's first build opens and saves the same caches as a build: a cache
    file replaced by a link to a file outside is removed, never read or appended to."""
    desk.built()
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"do not publish or overwrite")
    bodies = desk.root / ".sitegen-cache" / "markdown.bin"
    bodies.unlink()
    bodies.symlink_to(outside)
    desk.write("content/2020/claim.md", (desk.root / "content/2020/claim.md").read_text().replace(
        "The body.", "The body, edited in the preview."))
    outcome = Session(desk.root, desk.output, search=False).full()
    assert outcome.ok
    assert any(p.path == ".sitegen-cache" and "removed symbolic links" in p.message
               for p in outcome.problems)
    assert outside.read_bytes() == b"do not publish or overwrite"
    assert not bodies.is_symlink()


def test_clean_removes_a_linked_cache_as_a_link(
        desk: ScratchSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`sitegen clean` on a cache folder that is a link removes the link, says so, and
    leaves what it led to as it was (it printed a raw Python error)."""
    outside = tmp_path / "outside-cache"
    outside.mkdir()
    (outside / "theirs.txt").write_text("theirs")
    cache = desk.root / ".sitegen-cache"
    cache.symlink_to(outside, target_is_directory=True)
    assert main(["clean", "--site", str(desk.root)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out == (f"removed the link {cache} (it led to {outside}, which was left as it "
                       "was)\n")
    assert not cache.exists() and not cache.is_symlink()
    assert (outside / "theirs.txt").read_text() == "theirs"


def test_a_live_rebuild_never_writes_through_a_link_out_of_the_folder(
        desk: ScratchSite, tmp_path: Path) -> None:
    """`build --watch` and the preview update their folder in place: a folder of it made a
    link to one outside, the rebuild of an edit there writes nothing through it and says so
    as one error naming the output folder; the edit is shown once the link is gone."""
    session = Session(desk.root, desk.output, search=False)
    assert session.full().ok
    outside = tmp_path / "outside"
    outside.mkdir()
    real = desk.output / "2021"
    os.rename(real, tmp_path / "set-aside")
    real.symlink_to(outside, target_is_directory=True)
    edited = desk.write("content/2021/claim.md", (desk.root / "content/2021/claim.md")
                        .read_text().replace("The body.", "The body, edited."))
    outcome = session.rebuild([edited])
    assert [p.format() for p in outcome.problems if p.is_error] == [
        f"{desk.output}: output: could not write the new site: a symbolic link there leads "
        f"out of the site's folder (while writing {real / 'claim'})"]
    assert list(outside.iterdir()) == []
    real.unlink()
    os.rename(tmp_path / "set-aside", real)
    outcome = session.rebuild([edited])
    assert outcome.ok
    assert "edited" in (real / "claim" / "index.html").read_text()
