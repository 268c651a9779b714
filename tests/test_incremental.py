"""Incremental rebuilds: after every kind of change the output equals a clean full build."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ScratchSite

from sitegen import BuildOptions, Session, build


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` but Pagefind's index (whose file names vary run to run)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}


@pytest.fixture
def watched(site: ScratchSite, make_factcheck: Callable[..., str]) -> Session:
    """A site with shared claimants, tags and authors, fully built by a session."""
    site.write("content/2021/bridge.md", make_factcheck(
        title='"Bridge"', claimant='"Mayor Alex"', verdict="true", date="2021-06-01",
        tags="[transport, roads]", author="Ann Lee"))
    site.write("content/2021/roads.md", make_factcheck(
        title='"Roads"', claimant='"Mayor Alex"', verdict="misleading", date="2021-06-02",
        tags="[roads]", author="Ann Lee"))
    site.write("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nUs.\n")
    session = Session(site.root, site.output, search=False)
    outcome = session.full()
    assert outcome.ok, [p.format() for p in outcome.problems]
    return session


def assert_same_as_full_build(site: ScratchSite, session: Session, tmp_path: Path) -> None:
    """Once the deferred whole-site files are made, the output is a clean build's, byte
    for byte."""
    assert session.settle() == []
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    result = build(site.root, BuildOptions(output=clean))
    assert result.ok, [p.format() for p in result.problems]
    incremental, full = tree(site.output), tree(clean)
    assert sorted(incremental) == sorted(full)
    assert [name for name in full if incremental[name] != full[name]] == []


def test_body_edit_rewrites_exactly_the_pages_that_show_it(
    site: ScratchSite, watched: Session, make_factcheck: Callable[..., str], tmp_path: Path
) -> None:
    """A body edit renders its own page and the pages listing it, not unrelated ones."""
    path = site.write("content/2021/roads.md", make_factcheck(
        body="New text.", title='"Roads"', claimant='"Mayor Alex"', verdict="misleading",
        date="2021-06-02", tags="[roads]", author="Ann Lee"))
    outcome = watched.rebuild([path])
    assert outcome.ok
    assert "2021/roads/" in outcome.written
    assert "2021/bridge/" in outcome.written  # shows Roads as related
    assert "verdicts/misleading/" in outcome.written
    assert "2020/a-claim/" not in outcome.written  # another claimant, no shared tag
    assert "verdicts/false/" not in outcome.written
    assert "about/" not in outcome.written
    assert site.html("2021/roads/").select_one(".analysis p").get_text() == "New text."
    assert_same_as_full_build(site, watched, tmp_path)


@pytest.mark.parametrize("change", [
    {"verdict": "false"}, {"claimant": '"Someone Else"'}, {"tags": "[ferries]"},
    {"slug": "roads-renamed"}, {"author": "Bo Chen"}, {"date": "2019-01-01"},
    {"draft": "true"}, {"featured": "true"}, {"summary": '"A new conclusion."'},
])
def test_front_matter_change_matches_a_full_build(
    site: ScratchSite, watched: Session, make_factcheck: Callable[..., str], tmp_path: Path,
    change: dict[str, str],
) -> None:
    """A changed verdict, claimant, tag, slug, author, date, draft or featured flag moves the
    page between listings (or to the home page's lead), and a changed summary reaches every
    card showing it, with nothing stale left behind."""
    fields = {"title": '"Roads"', "claimant": '"Mayor Alex"', "verdict": "misleading",
              "date": "2021-06-02", "tags": "[roads]", "author": "Ann Lee", **change}
    path = site.write("content/2021/roads.md", make_factcheck(**fields))
    outcome = watched.rebuild([path])
    assert outcome.ok, [p.format() for p in outcome.problems]
    assert_same_as_full_build(site, watched, tmp_path)


def test_delete_rename_and_new_files_match_a_full_build(
    site: ScratchSite, watched: Session, make_factcheck: Callable[..., str], tmp_path: Path
) -> None:
    """Deleting, renaming and adding files leave no page at old URLs and list the new one."""
    old = site.root / "content/2020/a-claim.md"
    new = site.root / "content/2020/a-claim-renamed.md"
    old.rename(new)
    gone = [site.root / "content/2021/roads.md", site.root / "content/2021/bridge.md"]
    for path in gone:
        path.unlink()
    added = site.write("content/2022/new.md", make_factcheck(title='"New"', date="2022-01-01",
                                                            tags="[new-tag]"))
    outcome = watched.rebuild([old, new, *gone, added])
    assert outcome.ok
    for stale in ("2020/a-claim", "2021/roads", "tags/roads", "claimants/mayor-alex",
                  "authors/ann-lee"):
        assert not (site.output / stale).exists(), stale  # no page at an old URL, no empty term
    assert (site.output / "2020/a-claim-renamed/index.html").exists()
    assert (site.output / "tags/new-tag/index.html").exists()
    assert_same_as_full_build(site, watched, tmp_path)


def test_template_static_and_menu_changes_match_a_full_build(
    site: ScratchSite, watched: Session, tmp_path: Path
) -> None:
    """A template, a static file and the navigation reach every page that shows them."""
    template = site.write("templates/base.html", '{% extends "theme/base.html" %}'
                          "{% block footer %}<p id=f>Footer two</p>{% endblock %}")
    static = site.write("static/files/report.txt", "report\n")
    about = site.write("content/pages/about.md", "---\ntitle: About us\nmenu: 2\n---\nUs.\n")
    outcome = watched.rebuild([template, static, about])
    assert outcome.ok
    assert site.html("2020/a-claim/").select_one("#f").get_text() == "Footer two"
    assert "files/report.txt" in outcome.written
    assert_same_as_full_build(site, watched, tmp_path)
    static.unlink()
    outcome = watched.rebuild([static])
    assert not (site.output / "files/report.txt").exists()
    assert_same_as_full_build(site, watched, tmp_path)


def test_an_error_keeps_the_last_good_pages_until_fixed(
    site: ScratchSite, watched: Session, make_factcheck: Callable[..., str], tmp_path: Path
) -> None:
    """A broken file is reported and changes nothing; fixing it brings the output up to date."""
    before = tree(site.output)
    path = site.write("content/2021/roads.md", make_factcheck(verdict="flase", date="2021-06-02"))
    outcome = watched.rebuild([path])
    assert [p.format().split(" (")[0] for p in outcome.problems if p.is_error] == [
        "content/2021/roads.md:5: verdict: unknown verdict 'flase'"]
    assert tree(site.output) == before
    path = site.write("content/2021/roads.md", make_factcheck(verdict="false", date="2021-06-02"))
    outcome = watched.rebuild([path])
    assert outcome.ok and "2021/roads/" in outcome.written
    assert_same_as_full_build(site, watched, tmp_path)


def test_an_unchanged_save_writes_nothing(site: ScratchSite, watched: Session) -> None:
    """Saving a file without changing it (or touching it) renders no page at all."""
    path = site.root / "content/2021/roads.md"
    path.write_bytes(path.read_bytes())
    outcome = watched.rebuild([path])
    assert outcome.ok and outcome.changed == ()


def test_a_config_change_is_a_full_rebuild(site: ScratchSite, watched: Session,
                                           tmp_path: Path) -> None:
    """Editing sitegen.toml rebuilds everything, as its settings reach every page."""
    config = site.root / "sitegen.toml"
    config.write_text(config.read_text().replace('title = "Test Desk"', 'title = "New Desk"'))
    outcome = watched.rebuild([config])
    assert outcome.ok and outcome.full
    assert site.html("").select_one(".site-title").get_text() == "New Desk"
    assert_same_as_full_build(site, watched, tmp_path)


def test_a_broken_config_stays_reported_until_fixed(
    site: ScratchSite, watched: Session, make_factcheck: Callable[..., str], tmp_path: Path
) -> None:
    """While sitegen.toml is broken, edits to content do not clear its error."""
    config = site.root / "sitegen.toml"
    good = config.read_text()
    config.write_text(good + "\n[sitee]\n")
    assert not watched.rebuild([config]).ok
    path = site.write("content/2021/roads.md", make_factcheck(body="Edited meanwhile."))
    outcome = watched.rebuild([path])
    assert [p.format().split(":")[0] for p in outcome.problems] == ["sitegen.toml"]
    config.write_text(good)
    assert watched.rebuild([config]).ok
    assert_same_as_full_build(site, watched, tmp_path)


def test_relative_site_folder_and_folder_events(
    site: ScratchSite, make_factcheck: Callable[..., str], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """`serve` run inside the site (root '.'), with the watcher reporting the file's folder
    as changed too, updates that file rather than mistaking it for a second one."""
    monkeypatch.chdir(site.root)
    session = Session(Path("."), Path("output"), search=False)
    assert session.full().ok
    path = site.write("content/2020/a-claim.md", make_factcheck(body="Edited in place."))
    added = site.write("content/2020/new.md", make_factcheck(title='"New"', slug="new"))
    outcome = session.rebuild([path, added, path.parent])
    assert outcome.ok, [p.format() for p in outcome.problems]
    assert site.html("2020/a-claim/").select_one(".analysis p").get_text() == "Edited in place."
    assert_same_as_full_build(site, session, tmp_path)


def test_editing_an_update_reaches_the_article_and_the_corrections_log(
    site: ScratchSite, watched: Session, make_factcheck: Callable[..., str], tmp_path: Path
) -> None:
    """Adding an update, then rewording its note (same date, so the article's dates do not
    move), rewrites the article, the corrections log and its feed, as a full build would."""
    fields = {"title": '"Roads"', "claimant": '"Mayor Alex"', "verdict": "false",
              "original_verdict": "misleading", "date": "2021-06-02", "tags": "[roads]",
              "author": "Ann Lee"}
    update = '\n  - date: 2021-07-01\n    note: "{}"\n    verdict: false'
    path = site.write("content/2021/roads.md",
                      make_factcheck(updates=update.format("New figures."), **fields))
    outcome = watched.rebuild([path])
    assert outcome.ok, [p.format() for p in outcome.problems]
    assert {"2021/roads/", "corrections/", "corrections/atom.xml"} <= set(outcome.written)
    assert_same_as_full_build(site, watched, tmp_path)

    path = site.write("content/2021/roads.md",
                      make_factcheck(updates=update.format("Newer figures."), **fields))
    outcome = watched.rebuild([path])
    assert outcome.ok, [p.format() for p in outcome.problems]
    assert {"2021/roads/", "corrections/", "corrections/atom.xml"} <= set(outcome.written)
    note = site.html("corrections/").select_one(".correction__note").get_text()
    assert note == "Newer figures."
    assert_same_as_full_build(site, watched, tmp_path)


def test_featuring_an_older_check_moves_the_home_pages_lead(
    site: ScratchSite, watched: Session, make_factcheck: Callable[..., str], tmp_path: Path
) -> None:
    """Saving `featured: true` on an older check makes it the home page's lead at once, as a
    full build would; removing it gives the lead back to the latest."""
    fields = {"title": '"Bridge"', "claimant": '"Mayor Alex"', "verdict": "true",
              "date": "2021-06-01", "tags": "[transport, roads]", "author": "Ann Lee"}
    path = site.write("content/2021/bridge.md", make_factcheck(featured="true", **fields))
    assert watched.rebuild([path]).ok
    assert site.html("").select_one(".lead h2").get_text() == "Bridge"
    assert_same_as_full_build(site, watched, tmp_path)
    path = site.write("content/2021/bridge.md", make_factcheck(**fields))
    assert watched.rebuild([path]).ok
    assert site.html("").select_one(".lead h2").get_text() == "Roads"
    assert_same_as_full_build(site, watched, tmp_path)
