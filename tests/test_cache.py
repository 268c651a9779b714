"""The build cache: bodies are converted once, a bad cache is never trusted, nothing depends
on it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ScratchSite

from sitegen import BuildOptions, Session, build, check
from sitegen.cache import BODIES_FILE, RENDERER, load_markdown_cache
from sitegen.cache import bodies as cache_module
from sitegen.cli import main
from sitegen.markup import MarkdownRenderer

CACHE = Path(".sitegen-cache") / BODIES_FILE


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every Markdown text converted (for real) in this process, stripped."""
    seen: list[str] = []
    convert = MarkdownRenderer.__call__

    def counting(self: MarkdownRenderer, text: str, lang: str | None = None) -> str:
        seen.append(text.strip())
        return convert(self, text, lang)

    monkeypatch.setattr(MarkdownRenderer, "__call__", counting)
    yield seen


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"}


def _three(site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    for n in range(3):
        site.write(f"content/2021/claim-{n}.md",
                   make_factcheck(body=f"Body *{n}*.", title=f'"Claim {n}"'))


def _build(site: ScratchSite, **options: object) -> list[str]:
    result = build(site.root, BuildOptions(jobs=1, **options))  # type: ignore[arg-type]
    assert result.ok, site.messages(result)
    return site.messages(result)


def test_a_second_build_converts_nothing_and_writes_the_same_site(
        site: ScratchSite, make_factcheck: Callable[..., str], conversions: list[str]) -> None:
    _three(site, make_factcheck)
    _build(site)
    first = _tree(site.output)
    assert len(conversions) == 4  # three new articles and the fixture's own
    conversions.clear()
    _build(site)
    assert conversions == []
    assert _tree(site.output) == first


def test_an_edited_body_alone_is_converted_again(
        site: ScratchSite, make_factcheck: Callable[..., str], conversions: list[str]) -> None:
    _three(site, make_factcheck)
    _build(site)
    conversions.clear()
    site.write("content/2021/claim-1.md", make_factcheck(body="A *new* body.",
                                                         title='"Claim 1"'))
    _build(site)
    assert conversions == ["A *new* body."]
    assert site.html("2020/claim-1/").find("em", string="new") is not None


def test_a_cached_body_never_hides_a_front_matter_error(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    _three(site, make_factcheck)
    _build(site)
    site.write("content/2021/claim-1.md", make_factcheck(body="Body *1*.", verdict="uncleer"))
    result = build(site.root, BuildOptions(jobs=1))
    assert any(m.startswith("content/2021/claim-1.md:5: verdict: unknown verdict 'uncleer'")
               for m in site.errors(result))


def test_cached_and_uncached_builds_are_byte_identical(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    _three(site, make_factcheck)
    _build(site)
    _build(site, output=site.root / "cached")
    _build(site, output=site.root / "uncached", cache=False)
    assert _tree(site.root / "cached") == _tree(site.root / "uncached")


def test_a_deleted_article_leaves_the_cache(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    _three(site, make_factcheck)
    _build(site)
    assert len(load_markdown_cache(site.root)[0].entries) == 4
    (site.root / "content/2021/claim-2.md").unlink()
    _build(site)
    stored, notices = load_markdown_cache(site.root)
    entries = stored.entries
    assert notices == []
    assert len(entries) == 3
    assert not any("<em>2</em>" in html for html in entries.values())


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:],
     "is damaged (its checksum does not match)"),
    (lambda data: b"PK\x03\x04 not ours at all", "is not a sitegen cache file"),
    (lambda data: b"", "is not a sitegen cache file"),
])
def test_a_damaged_cache_is_discarded_with_a_notice_and_made_again(
        site: ScratchSite, conversions: list[str], damage: Callable[[bytes], bytes],
        expected: str) -> None:
    _build(site)
    path = site.root / CACHE
    path.write_bytes(damage(path.read_bytes()))
    conversions.clear()
    messages = _build(site)
    assert (f".sitegen-cache/markdown.bin: warning: build cache {expected}; discarded, it is "
            "made again by this build") in messages
    assert conversions == ["The body."]
    stored, notices = load_markdown_cache(site.root)
    assert (list(stored.entries.values()), notices) == (["<p>The body.</p>"], [])


def test_a_cache_cut_short_by_a_stopped_build_keeps_what_came_before(
        site: ScratchSite, make_factcheck: Callable[..., str], conversions: list[str]) -> None:
    """A build killed while appending leaves a partial last segment: the bodies saved before
    it are used, the cut part is made again, and the next save writes the file whole."""
    _build(site)
    site.write("content/2021/second.md", make_factcheck(body="A *second* body."))
    _build(site)
    path = site.root / CACHE
    path.write_bytes(path.read_bytes()[:-10])
    conversions.clear()
    messages = _build(site)
    assert (".sitegen-cache/markdown.bin: warning: build cache ends in a part cut short (a "
            "build stopped while saving it); the rest is used") in messages
    assert conversions == ["A *second* body."]
    stored, notices = load_markdown_cache(site.root)
    assert notices == [] and len(stored.entries) == 2


def test_a_cache_from_another_version_is_discarded(
        site: ScratchSite, monkeypatch: pytest.MonkeyPatch, conversions: list[str]) -> None:
    monkeypatch.setattr(cache_module, "RENDERER", b"sitegen 0.0.1; Markdown 1.0\n")
    _build(site)
    monkeypatch.setattr(cache_module, "RENDERER", RENDERER)
    conversions.clear()
    messages = _build(site)
    assert any("build cache was made by another version of sitegen or Markdown" in m
               for m in messages)
    assert conversions == ["The body."]


def test_a_cache_that_cannot_be_saved_is_a_warning_not_a_failure(site: ScratchSite) -> None:
    site.write(".sitegen-cache", "a file where the cache folder should be")
    messages = _build(site)
    assert any(m.startswith(".sitegen-cache/markdown.bin: warning: build cache could not be "
                            "saved") for m in messages)
    assert (site.output / "index.html").is_file()


def test_no_cache_neither_reads_nor_writes_it(
        site: ScratchSite, conversions: list[str]) -> None:
    _build(site, cache=False)
    assert not (site.root / ".sitegen-cache").exists()
    _build(site)
    conversions.clear()
    _build(site, cache=False)
    assert conversions == ["The body."]


def test_check_reads_the_cache_but_writes_nothing(
        site: ScratchSite, conversions: list[str]) -> None:
    assert check(site.root, jobs=1).ok
    assert not (site.root / ".sitegen-cache").exists()
    _build(site)
    conversions.clear()
    assert check(site.root, jobs=1).ok
    assert conversions == []


def test_clean_removes_the_cache(site: ScratchSite, capsys: pytest.CaptureFixture[str]) -> None:
    _build(site)
    assert main(["clean", "--site", str(site.root)]) == 0
    assert not (site.root / ".sitegen-cache").exists()
    assert main(["clean", "--site", str(site.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("removed ") and out[0].endswith(".sitegen-cache")
    assert out[1].startswith("nothing to remove: ")
    assert (site.output / "index.html").is_file()  # the built site is not the cache


def test_a_preview_session_starts_from_the_cache_and_saves_it(
        site: ScratchSite, make_factcheck: Callable[..., str], conversions: list[str],
        tmp_path: Path) -> None:
    _three(site, make_factcheck)
    _build(site)
    conversions.clear()
    session = Session(site.root, tmp_path / "preview", search=False, jobs=1)
    assert session.full().ok
    assert conversions == []
    site.write("content/2021/claim-0.md", make_factcheck(body="Edited.", title='"Claim 0"'))
    assert session.rebuild([site.root / "content/2021/claim-0.md"]).ok
    assert conversions == ["Edited."]
    assert Session(site.root, tmp_path / "again", search=False, jobs=1).full().ok
    assert Session(site.root, tmp_path / "third", search=False, jobs=1).full().ok
    assert conversions == ["Edited.", "Edited."]  # the second session's full build saved it
    assert len(load_markdown_cache(site.root)[0].entries) == 4
