"""Output safety: whole-folder swaps, stale files, interrupted builds, refused folders, static."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitegen.cli import main
from sitegen.output import MARKER, kept_beside, recover_interrupted

if TYPE_CHECKING:
    from conftest import ScratchSite

TMP_LEFTOVER = ".output.tmp-99999999-deadbeef"
OLD_LEFTOVER = ".output.old-99999999-deadbeef"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(site: ScratchSite) -> list[str]:
    """What a build left beside output/, but the standby copy it keeps there on purpose."""
    kept = kept_beside(site.output)
    return sorted(p.name for p in site.root.glob(".output.*") if p.name not in kept)


def rich_site(site: ScratchSite, make_factcheck: Callable[..., str]) -> ScratchSite:
    """The fixture site plus fact-checks sharing claimants and tags, a page and static files."""
    site.write("content/2021/bridge.md", make_factcheck(
        title='"Is the bridge the longest?"', claimant='"Mayor Alex"', verdict="true",
        date="2021-06-01", tags="[transport, infrastructure]", author="[Ann Lee, Bo Chen]"))
    site.write("content/2021/roads.md", make_factcheck(
        title='"Roads were repaired"', claimant='"Mayor Alex"', verdict="misleading",
        date="2021-06-01", tags="transport"))
    site.write("content/pages/about.md", """\
        ---
        title: "About us"
        menu: 1
        ---
        Who we are.
        """)
    site.write_bytes("static/images/logo.png", bytes(range(256)))
    site.write("static/robots.txt", "User-agent: *\n")
    return site


# --- failed builds leave output/ as it was ----------------------------------------------------


def test_content_error_leaves_output_byte_for_byte_unchanged(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """After a good build, a build failing on an unknown verdict leaves every output byte alone."""
    site.built()
    before = tree(site.output)
    site.write("content/2020/a-claim.md", make_factcheck(verdict="fasle"))
    site.write("content/2020/new-one.md", make_factcheck(title='"New one"'))
    result = site.build()
    assert not result.ok
    assert any("unknown verdict 'fasle'" in m for m in site.messages(result))
    assert tree(site.output) == before
    assert leftovers(site) == []


def test_template_error_leaves_output_unchanged_and_names_the_template_line(
        site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """A failing site template is reported as templates/NAME:LINE and output/ stays as it was."""
    site.built()
    before = tree(site.output)
    site.write("templates/factcheck.html", """\
        {% extends "theme/factcheck.html" %}
        {% block analysis %}
        {{ nope.attr }}
        {% endblock %}
        """)
    assert main(["build", "--site", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "templates/factcheck.html:3: template error: " in err, err
    assert "Traceback" not in err
    assert tree(site.output) == before
    assert leftovers(site) == []


# --- stale files --------------------------------------------------------------------------------


def test_deleted_factcheck_page_vanishes(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A fact-check deleted from content/ has no page folder after the next build."""
    site.write("content/2020/gone.md", make_factcheck(title='"Soon gone"'))
    site.built()
    assert (site.output / "2020" / "gone" / "index.html").is_file()
    (site.root / "content" / "2020" / "gone.md").unlink()
    site.built()
    assert not (site.output / "2020" / "gone").exists()
    assert (site.output / "2020" / "a-claim" / "index.html").is_file()


def test_file_written_by_hand_into_output_vanishes(site: ScratchSite) -> None:
    """A file a person put into output/ is gone after the next build."""
    site.built()
    (site.output / "2020" / "notes.txt").write_text("hand-made")
    (site.output / "extra").mkdir()
    (site.output / "extra" / "page.html").write_text("<p>hand-made</p>")
    site.built()
    assert not (site.output / "2020" / "notes.txt").exists()
    assert not (site.output / "extra").exists()


def test_no_temporary_folders_remain_after_success_or_failure(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Neither a first build, a rebuild nor a failed build leaves .output.* folders behind."""
    site.built()
    assert leftovers(site) == []
    site.built()
    assert leftovers(site) == []
    site.write("content/2020/a-claim.md", make_factcheck(date="2020-13-45"))
    assert not site.build().ok
    assert leftovers(site) == []


def test_a_big_replaced_site_is_removed_in_the_background(
        site: ScratchSite, make_factcheck: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """From BACKGROUND_REMOVAL_FILES files on, the build returns before the old site is
    deleted; it is deleted all the same, and the new site is complete at once."""
    import time

    import sitegen.output.folder

    monkeypatch.setattr(sitegen.output.folder, "BACKGROUND_REMOVAL_FILES", 1)
    site.built()
    site.write("content/2020/a-claim.md", make_factcheck(body="Changed."))
    site.built()
    assert "Changed." in site.html("2020/a-claim/").get_text()
    deadline = time.monotonic() + 30
    while leftovers(site) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(site) == []


def test_a_trash_folder_left_by_a_killed_removal_goes_with_the_next_build(
        site: ScratchSite) -> None:
    site.built()
    trash = site.root / ".output.trash-999999999-0123abcd"
    (trash / "2020").mkdir(parents=True)
    (trash / "2020" / "index.html").write_text("old")
    site.built()
    assert leftovers(site) == []


# --- interrupted builds -------------------------------------------------------------------------


def test_recover_restores_the_set_aside_site_when_output_is_missing(site: ScratchSite) -> None:
    """With output/ missing, the old site set aside by a killed build becomes output/ again."""
    old = site.root / OLD_LEFTOVER
    (old / "2020").mkdir(parents=True)
    (old / "index.html").write_text("old home")
    (old / "2020" / "page.html").write_text("old page")
    (site.root / TMP_LEFTOVER / "half").mkdir(parents=True)
    recover_interrupted(site.output)
    assert tree(site.output) == {"index.html": b"old home", "2020/page.html": b"old page"}
    assert leftovers(site) == []


def test_recover_keeps_output_and_drops_leftovers_when_output_exists(site: ScratchSite) -> None:
    """When output/ exists, leftover .old and .tmp folders are removed and output/ is kept."""
    site.built()
    before = tree(site.output)
    (site.root / OLD_LEFTOVER).mkdir()
    (site.root / OLD_LEFTOVER / "index.html").write_text("older home")
    (site.root / TMP_LEFTOVER).mkdir()
    recover_interrupted(site.output)
    assert tree(site.output) == before
    assert leftovers(site) == []


def test_build_after_interrupted_build_leaves_a_fresh_site_and_no_leftovers(
        site: ScratchSite) -> None:
    """A build after a killed one (output/ missing, .old and .tmp left) writes a full new site."""
    old = site.root / OLD_LEFTOVER
    old.mkdir()
    (old / "stale.html").write_text("stale")
    (old / MARKER).write_text("made by sitegen")
    (site.root / TMP_LEFTOVER).mkdir()
    (site.root / TMP_LEFTOVER / "index.html").write_text("half-written")
    site.built()
    assert leftovers(site) == []
    assert not (site.output / "stale.html").exists()
    assert (site.output / "2020" / "a-claim" / "index.html").is_file()
    assert "A claim checked" in site.html("").get_text()


# --- refused output locations -------------------------------------------------------------------


@pytest.mark.parametrize("where", ["site", "parent", "content", "inside-content"])
def test_refuses_output_that_overlaps_the_site(
        where: str, site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    """--output at the site, its parent, content/ or inside content/ exits 1 and deletes nothing."""
    (site.root / "content" / "2020" / "drafts").mkdir()
    target = {
        "site": site.root,
        "parent": site.root.parent,
        "content": site.root / "content",
        "inside-content": site.root / "content" / "2020",
    }[where]
    before = tree(site.root.parent)
    assert main(["build", "--site", str(site.root), "--output", str(target)]) == 1
    out, err = capsys.readouterr()
    assert f"{target}: output: " in err, err
    assert out == ""
    assert tree(site.root.parent) == before
    assert (site.root / "content" / "2020" / "drafts").is_dir()
    assert not site.output.exists()


def test_refuses_a_non_empty_folder_not_made_by_sitegen(
        site: ScratchSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An existing folder with files but no .sitegen-output marker is refused and left as it was."""
    folder = tmp_path / "public"
    (folder / "img").mkdir(parents=True)
    (folder / "index.html").write_bytes(b"<p>someone's site</p>")
    (folder / "img" / "a.png").write_bytes(b"\x89PNG")
    before = tree(folder)
    assert main(["build", "--site", str(site.root), "--output", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{folder}: output: " in err and "not made by sitegen" in err, err
    assert tree(folder) == before
    assert sorted(p.name for p in tmp_path.glob(".public.*")) == []


def test_builds_into_its_own_folder_elsewhere_again(
        site: ScratchSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An --output folder sitegen made (with its marker) is replaced on the next build."""
    folder = tmp_path / "public"
    assert main(["build", "--site", str(site.root), "--output", str(folder)]) == 0
    assert (folder / MARKER).is_file()
    (folder / "stale.txt").write_text("stale")
    assert main(["build", "--site", str(site.root), "--output", str(folder)]) == 0
    assert not (folder / "stale.txt").exists()
    assert (folder / "2020" / "a-claim" / "index.html").is_file()
    assert not site.output.exists()
    capsys.readouterr()


# --- determinism ----------------------------------------------------------------------------


def test_two_builds_of_the_same_input_are_identical(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """Two builds into two folders, under different hash seeds, give the same files and bytes."""
    rich_site(site, make_factcheck)
    folders = []
    for seed in ("1", "2"):
        folder = tmp_path / f"out-{seed}"
        done = subprocess.run(
            [sys.executable, "-m", "sitegen", "build", "--site", str(site.root),
             "--output", str(folder)],
            capture_output=True, text=True, check=False,
            env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        folders.append(tree(folder))
    # Pagefind names and orders its filter and metadata files differently on every run
    # (Pagefind issue #638); everything sitegen itself writes must be identical.
    one, two = ({k: v for k, v in f.items() if not k.startswith("pagefind/")} for f in folders)
    assert len(one) > 10
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


# --- static files -------------------------------------------------------------------------------


def test_static_files_are_copied_at_the_same_path(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Every file of static/ lands at the same relative path in output/ with the same bytes."""
    rich_site(site, make_factcheck)
    site.built()
    assert (site.output / "images" / "logo.png").read_bytes() == bytes(range(256))
    assert (site.output / "robots.txt").read_bytes() == b"User-agent: *\n"


def test_theme_stylesheet_is_present_where_pages_link_it(site: ScratchSite) -> None:
    """The theme's assets/sitegen.css is written, at the address every page links to."""
    site.built()
    css = site.output / "assets" / "sitegen.css"
    assert css.is_file()
    assert css.stat().st_size > 0
    page = site.html("2020/a-claim/")
    links = [link["href"] for link in page.select('link[rel="stylesheet"]')]
    assert "../../assets/sitegen.css" in links


def test_static_file_colliding_with_a_page_is_an_error_naming_both(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """static/about/index.html and content/pages/about.md on one path fail, naming both files."""
    rich_site(site, make_factcheck)
    site.write("static/about/index.html", "<p>static about</p>")
    result = site.build()
    assert not result.ok
    clashes = [m for m in site.messages(result) if "about/index.html" in m]
    assert len(clashes) == 1, site.messages(result)
    assert "static/about/index.html" in clashes[0]
    assert "content/pages/about.md" in clashes[0]
    assert not site.output.exists()
