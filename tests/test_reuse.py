"""Warm builds keep the pages that did not change, and come out exactly as a clean build."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ScratchSite
from search_bundles import index_is_complete

import sitegen.stages.write
from sitegen import BuildOptions, BuildResult, build
from sitegen.problems import Problem


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}


@pytest.fixture
def indexing(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every run of the search indexer (which still runs, for real)."""
    runs: list[Path] = []
    index = sitegen.stages.write.index_search

    def counting(folder: Path, **options: Any) -> list[Problem]:
        runs.append(folder)
        return index(folder, **options)

    monkeypatch.setattr(sitegen.stages.write, "index_search", counting)
    yield runs


@pytest.fixture
def desk(site: ScratchSite, make_factcheck: Callable[..., str]) -> ScratchSite:
    for n, (claimant, verdict, tags) in enumerate([
            ("Mayor Alex", "true", "[transport, roads]"), ("Mayor Alex", "misleading", "[roads]"),
            ("Senator Bo", "false", "[health]"), ("Senator Bo", "unclear", "[health, roads]")]):
        site.write(f"content/2021/claim-{n}.md", make_factcheck(
            title=f'"Claim {n}"', claimant=f'"{claimant}"', verdict=verdict,
            date=f"2021-06-0{n + 1}", tags=tags))
    site.write("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nUs.\n")
    return site


def warm(site: ScratchSite) -> BuildResult:
    result = build(site.root, BuildOptions(jobs=1))
    assert result.ok, site.messages(result)
    return result


def assert_same_as_clean_build(site: ScratchSite, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    result = build(site.root, BuildOptions(output=clean, cache=False, jobs=1))
    assert result.ok, site.messages(result)
    kept, full = tree(site.output), tree(clean)
    assert sorted(kept) == sorted(full)
    assert [name for name in full if kept[name] != full[name]] == []


def test_a_second_build_keeps_every_page_and_the_search_index(
        desk: ScratchSite, indexing: list[Path], tmp_path: Path) -> None:
    first = warm(desk)
    assert first.kept == 0 and len(indexing) == 1
    manifest = desk.root / ".sitegen-cache" / "pages.json"
    written = manifest.stat().st_mtime_ns
    second = warm(desk)
    assert second.kept == second.files == first.files
    assert len(indexing) == 1  # the index was kept, not made again
    assert manifest.stat().st_mtime_ns == written  # its record would be the same again
    assert warm(desk).kept == first.files
    assert index_is_complete(desk.output)
    assert_same_as_clean_build(desk, tmp_path)


def test_a_body_edit_renders_the_pages_that_show_it_and_no_others(
        desk: ScratchSite, make_factcheck: Callable[..., str], indexing: list[Path],
        tmp_path: Path) -> None:
    first = warm(desk)
    desk.write("content/2021/claim-1.md", make_factcheck(
        body="A new analysis.", title='"Claim 1"', claimant='"Mayor Alex"',
        verdict="misleading", date="2021-06-02", tags="[roads]"))
    second = warm(desk)
    assert 0 < second.kept < first.files
    assert len(indexing) == 2  # a fact-check changed: the index is made again
    assert desk.html("2021/claim-1/").find(string="A new analysis.") is not None
    assert_same_as_clean_build(desk, tmp_path)


WHOLE_SITE_FILES = ("sitemap.xml", "claims.json", "claims.csv", "robots.txt")


def written_at(site: ScratchSite, names: tuple[str, ...]) -> dict[str, int]:
    return {name: (site.output / name).stat().st_mtime_ns for name in names}


def test_a_body_edit_leaves_the_whole_site_files_as_they_are(
        desk: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """Sitemap and claims exports show no body: an edit to an analysis keeps them."""
    warm(desk)
    before = written_at(desk, WHOLE_SITE_FILES)
    desk.write("content/2021/claim-1.md", make_factcheck(
        body="A rewritten analysis.", title='"Claim 1"', claimant='"Mayor Alex"',
        verdict="misleading", date="2021-06-02", tags="[roads]"))
    warm(desk)
    assert written_at(desk, WHOLE_SITE_FILES) == before
    assert_same_as_clean_build(desk, tmp_path)


@pytest.mark.parametrize("field", ["claim", "summary", "claim_date", "updated"])
def test_a_front_matter_edit_makes_the_whole_site_files_again(
        field: str, desk: ScratchSite, make_factcheck: Callable[..., str],
        tmp_path: Path) -> None:
    warm(desk)
    before = written_at(desk, ("claims.json",))
    value = {"claim": '"A new wording."', "summary": '"Another summary."',
             "claim_date": "2021-05-30", "updated": "2021-08-01"}[field]
    desk.write("content/2021/claim-1.md", make_factcheck(
        title='"Claim 1"', claimant='"Mayor Alex"', verdict="misleading", date="2021-06-02",
        tags="[roads]", **{field: value}))
    warm(desk)
    assert written_at(desk, ("claims.json",)) != before
    assert_same_as_clean_build(desk, tmp_path)


@pytest.mark.parametrize("change", [
    "verdict", "claimant", "delete", "add", "template", "config", "page", "drafts-flag",
    "static",
])
def test_every_kind_of_change_gives_the_clean_build(
        change: str, desk: ScratchSite, make_factcheck: Callable[..., str],
        tmp_path: Path) -> None:
    warm(desk)
    if change == "verdict":
        desk.write("content/2021/claim-0.md", make_factcheck(
            title='"Claim 0"', claimant='"Mayor Alex"', verdict="false", date="2021-06-01",
            tags="[transport, roads]"))
    elif change == "claimant":
        desk.write("content/2021/claim-2.md", make_factcheck(
            title='"Claim 2"', claimant='"Mayor Alex"', verdict="false", date="2021-06-03",
            tags="[health]"))
    elif change == "delete":
        (desk.root / "content/2021/claim-3.md").unlink()
    elif change == "add":
        desk.write("content/2022/new.md", make_factcheck(
            title='"New"', claimant='"Senator Bo"', verdict="true", date="2022-01-01",
            tags="[roads]"))
    elif change == "template":
        desk.write("templates/listing.html",
                   '{% extends "theme/listing.html" %}\n'
                   '{% block title %}Listed: {{ super() }}{% endblock %}\n')
    elif change == "config":
        config = desk.root / "sitegen.toml"
        config.write_text(config.read_text().replace('title = "Test Desk"',
                                                     'title = "Renamed Desk"'))
    elif change == "page":
        desk.write("content/pages/about.md", "---\ntitle: About us\nmenu: 1\n---\nUs.\n")
    elif change == "static":
        desk.write("static/assets/sitegen.css", "body { color: red }\n")
    elif change == "drafts-flag":
        desk.write("content/2021/draft.md", make_factcheck(
            title='"Draft"', claimant='"Mayor Alex"', verdict="true", date="2021-07-01",
            draft="true"))
    result = warm(desk)
    if change in ("drafts-flag", "static"):  # a new draft changes no published page;
        # static files are copied by every build; the 404 page carries the stylesheet
        assert result.kept == result.files - (change == "static")
    else:
        assert result.kept < result.files
    assert_same_as_clean_build(desk, tmp_path)


def test_a_page_changed_in_output_by_hand_is_rendered_again(
        desk: ScratchSite, tmp_path: Path) -> None:
    first = warm(desk)
    page = desk.output / "2021" / "claim-0" / "index.html"
    page.write_text("edited by hand", encoding="utf-8")
    second = warm(desk)
    assert second.kept == first.files - 1
    assert "edited by hand" not in page.read_text(encoding="utf-8")
    assert_same_as_clean_build(desk, tmp_path)


def test_another_output_folder_keeps_nothing(desk: ScratchSite, tmp_path: Path) -> None:
    warm(desk)
    other = build(desk.root, BuildOptions(output=tmp_path / "elsewhere", jobs=1))
    assert other.ok and other.kept == 0


@pytest.mark.parametrize("damage", ["{not json", '{"format": 1}', "[]", ""])
def test_an_unreadable_page_record_means_every_page_is_rendered(
        desk: ScratchSite, damage: str, tmp_path: Path) -> None:
    warm(desk)
    (desk.root / ".sitegen-cache" / "pages.json").write_text(damage, encoding="utf-8")
    result = warm(desk)
    assert result.kept == 0
    assert_same_as_clean_build(desk, tmp_path)


def test_a_page_record_of_another_version_is_a_miss_without_a_word(
        desk: ScratchSite, tmp_path: Path) -> None:
    """A record an older sitegen wrote (JSON with "format": 3, before the stamp line), or one
    stamped with another version: every page is rendered, with no warning and no error."""
    warm(desk)
    record = desk.root / ".sitegen-cache" / "pages.json"
    stamp, _, text = record.read_text(encoding="utf-8").partition("\n")
    assert stamp == "sitegen pages cache 4"
    older = {"format": 3, **json.loads(text)}
    for written in (json.dumps(older), f"sitegen pages cache 3\n{text}"):
        record.write_text(written, encoding="utf-8")
        result = warm(desk)
        assert result.kept == 0
        assert [p.format() for p in result.problems if p.path.startswith(".sitegen")] == []
    assert warm(desk).kept == result.files
    assert_same_as_clean_build(desk, tmp_path)


def test_no_cache_renders_everything(desk: ScratchSite) -> None:
    warm(desk)
    result = build(desk.root, BuildOptions(cache=False, jobs=1))
    assert result.ok and result.kept == 0


def test_the_summary_says_what_was_kept(desk: ScratchSite,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from sitegen.cli import main

    assert main(["build", "--site", str(desk.root), "--jobs", "1"]) == 0
    assert main(["build", "--site", str(desk.root), "--jobs", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "unchanged" not in lines[0]
    assert lines[-1].endswith("; all unchanged)")


def test_fingerprints_are_the_same_whatever_was_fingerprinted_before(
        desk: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A plan remembers long tuples it has fingerprinted (one listing's pages share the
    tuple of its page paths); the memory must never change a fingerprint."""
    from sitegen import load
    from sitegen.output import Plan

    for n in range(30):  # listings of several pages, sharing their page-path tuples
        desk.write(f"content/2022/more-{n}.md", make_factcheck(
            title=f'"More {n}"', claimant='"Mayor Alex"', tags="[roads]",
            date=f"2022-01-{n % 28 + 1:02d}"))
    loaded = load(desk.root)
    assert loaded.site is not None
    digests = {d.source_path: "x" for d in [*loaded.site.factchecks, *loaded.site.pages]}
    shared = Plan(desk.output, "salt", digests, {}, False)
    together = [shared.fingerprint(route) for route in loaded.site.routes]
    alone = [Plan(desk.output, "salt", digests, {}, False).fingerprint(route)
             for route in loaded.site.routes]
    assert together == alone
    assert len(set(together)) == len(together)
