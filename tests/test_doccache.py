"""The documents cache: a warm build reads no YAML, and what it gives back is exactly what
reading the files again would give, warnings and errors included; a bad cache is never
trusted."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType

import pytest
from conftest import ScratchSite

import sitegen.content.read
from sitegen import BuildOptions, BuildResult, Session, build, load
from sitegen.cache import (
    DOCUMENTS_FILE,
    MAGIC,
    Known,
    cache_folder,
    decode,
    encode,
    header,
    load_document_cache,
    save_entries,
    shape_of,
)
from sitegen.commands import verdicts_toml
from sitegen.config import DEFAULT_VERDICTS
from sitegen.content import SourceFile
from sitegen.models import FactCheck, Page
from sitegen.problems import Problem

FULL = """---
title: "Every field, once"
claim: "The bridge cost €4 billion."
claimant: "Minister Ana"
claimant_url: "https://factcheck.test/ana"
claimant_type: organization
verdict: misleading
original_verdict: false
date: 2021-05-04T10:30:00+02:00
claim_date: 2021-05-01
claim_url: "https://factcheck.test/speech"
summary: "It cost €1.2 billion."
author: [Ben, "Chloé"]
tags: [roads, budget]
lang: en
updated: 2021-06-01
sources:
  - title: "Budget 2021"
    url: "https://factcheck.test/budget"
    publisher: Treasury
    date: 2021-01-02
  - title: "Interview"
updates:
  - date: 2021-06-01
    note: "New figures."
    verdict: misleading
extra:
  score: 1.5
  flags: [true, false, null]
  nested: {a: 1, b: [x, "y"]}
---
Body with *emphasis* and a [link](https://example.org).
"""


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every content file parsed (for real) in this process."""
    seen: list[str] = []
    read = sitegen.content.read.read_record

    def counting(source: SourceFile) -> object:
        seen.append(source.path)
        return read(source)

    monkeypatch.setattr(sitegen.content.read, "read_record", counting)
    yield seen


def _build(site: ScratchSite, **options: object) -> BuildResult:
    return build(site.root, BuildOptions(jobs=1, **options))  # type: ignore[arg-type]


def _kinds(value: object) -> object:
    """The value with every container's type spelled out, to compare types as well."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, {f.name: _kinds(getattr(value, f.name))
                                       for f in dataclasses.fields(value)})
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, [_kinds(item) for item in value])
    if isinstance(value, (dict, MappingProxyType)):
        return (type(value).__name__, {k: _kinds(v) for k, v in value.items()})
    return (type(value).__name__, value)


def test_every_field_comes_back_equal_and_of_the_same_type(site: ScratchSite) -> None:
    site.write("content/2021/full.md", FULL)
    site.write("content/pages/about.md", "---\ntitle: About\nmenu: 2\ndate: 2020-01-01\n---\nUs.\n")
    loaded = load(site.root, cache=False)
    assert loaded.site is not None, [p.format() for p in loaded.problems]
    documents = [*loaded.site.factchecks, *loaded.site.pages]
    full = next(d for d in documents if d.source_path.endswith("full.md"))
    assert isinstance(full, FactCheck) and full.sources and full.updates and full.extra
    assert isinstance(full.date, dt.datetime) and full.date.utcoffset() is not None
    assert any(isinstance(d, Page) for d in documents)
    problems = (Problem("content/x.md", 3, "claim", "is long", "shorten it"),)
    for document in documents:
        known = Known(document, problems, (b"k" * 16,), shape_of(document))
        for bodies in ({}, {b"k" * 16: document.body_html}):  # inline, and by reference
            back = decode(encode(known, bodies), bodies)
            assert back is not None
            assert _kinds(back) == _kinds(known)
            assert back.document is not None and back.document.lines == document.lines


def test_a_warm_build_parses_no_file_and_reports_the_same_problems(
        site: ScratchSite, make_factcheck: Callable[..., str], reads: list[str]) -> None:
    site.write("content/2021/long.md", make_factcheck(
        claim='"' + "A claim far longer than the seventy-five characters advised. " * 2 + '"'))
    site.write("content/2021/full.md", FULL)
    first = _build(site)
    assert first.ok and len(reads) == 3
    reads.clear()
    second = _build(site)
    assert reads == []
    assert second.problems == first.problems
    assert any("75" in p.message for p in second.problems)


def test_an_error_stays_an_error_from_the_cache(
        site: ScratchSite, make_factcheck: Callable[..., str], reads: list[str]) -> None:
    site.write("content/2021/bad.md", make_factcheck(verdict="falsish"))
    first = _build(site)
    reads.clear()
    second = _build(site)
    assert not second.ok and reads == []
    assert [p.format() for p in second.problems if p.is_error] == [
        p.format() for p in first.problems if p.is_error] != []


def test_a_config_change_reads_every_file_again(
        site: ScratchSite, make_factcheck: Callable[..., str], reads: list[str]) -> None:
    """Whether a file is right depends on the config (the verdict scale): a cache made
    under another config must not vouch for it."""
    site.write("content/2021/mostly.md", make_factcheck(verdict="unclear"))
    assert _build(site).ok
    config = site.root / "sitegen.toml"
    config.write_text(config.read_text() + verdicts_toml(tuple(
        v for v in DEFAULT_VERDICTS if v.id != "unclear")))
    reads.clear()
    result = _build(site)
    assert len(reads) >= 2 and not result.ok
    assert any(p.field == "verdict" and p.is_error for p in result.problems)


def test_an_edited_file_is_read_again_and_the_others_are_not(
        site: ScratchSite, make_factcheck: Callable[..., str], reads: list[str]) -> None:
    for n in range(3):
        site.write(f"content/2021/c{n}.md", make_factcheck(title=f'"Claim {n}"'))
    _build(site)
    site.write("content/2021/c1.md", make_factcheck(title='"Claim one, revised"'))
    reads.clear()
    assert _build(site).ok
    assert reads == ["content/2021/c1.md"]
    assert site.html("2020/c1/").find("h1").get_text() == "Claim one, revised"


def test_a_damaged_cache_is_a_notice_and_every_file_is_read(
        site: ScratchSite, reads: list[str]) -> None:
    assert _build(site).ok
    path = cache_folder(site.root) / DOCUMENTS_FILE
    data = path.read_bytes()
    at = len(data) // 2  # inside an entry
    path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    reads.clear()
    result = _build(site)
    assert result.ok and reads
    assert (".sitegen-cache/documents.bin: warning: build cache is damaged (its checksum does "
            "not match); discarded, it is made again by this build") in site.messages(result)


def test_an_entry_this_code_never_writes_is_read_again_not_trusted(
        site: ScratchSite, reads: list[str]) -> None:
    """A cache with a valid checksum but an entry naming a class outside the models (made by
    hand, or by a tampered CI cache) is not followed: that file is read again."""
    assert _build(site).ok
    config = (site.root / "sitegen.toml").read_bytes()
    stored, notices = load_document_cache(site.root, config)
    assert notices == [] and len(stored.entries) == 1
    [key] = stored.entries
    forged = '[["C","Popen",{"args":"true"}],[],[],""]'
    save_entries(site.root, DOCUMENTS_FILE, MAGIC, header(config), {key: forged}, "")
    reads.clear()
    result = _build(site)
    assert result.ok and len(reads) == 1
    assert load_document_cache(site.root, config)[0].entries[key] != forged


def test_no_cache_neither_reads_nor_writes_it(site: ScratchSite, reads: list[str]) -> None:
    assert _build(site, cache=False).ok
    assert not (cache_folder(site.root) / DOCUMENTS_FILE).exists()
    path: Path = cache_folder(site.root) / DOCUMENTS_FILE
    assert _build(site).ok and path.is_file()
    reads.clear()
    assert _build(site, cache=False).ok and len(reads) == 1


def test_a_preview_starts_from_the_cache_a_build_left_and_leaves_one_a_build_uses(
        site: ScratchSite, make_factcheck: Callable[..., str], reads: list[str],
        tmp_path: Path) -> None:
    """`serve` reads files through the same cache: nothing parsed when a build has just
    read them all, and what the preview read, the next build does not read again."""
    site.write("content/2021/one.md", make_factcheck(title='"One"'))
    first = _build(site)
    reads.clear()
    session = Session(site.root, tmp_path / "preview", search=False, jobs=1)
    outcome = session.full()
    assert outcome.ok and reads == []
    assert outcome.problems == first.problems
    site.write("content/2021/two.md", make_factcheck(title='"Two"'))
    assert Session(site.root, tmp_path / "again", search=False, jobs=1).full().ok
    assert reads == ["content/2021/two.md"]
    reads.clear()
    assert _build(site).ok and reads == []



def test_a_config_edit_is_not_a_warning(site: ScratchSite, reads: list[str]) -> None:
    """Editing sitegen.toml is everyday work: the cache it makes stale goes without a word."""
    assert _build(site).ok
    config = site.root / "sitegen.toml"
    config.write_text(config.read_text().replace('title = "Test Desk"', 'title = "Desk"'))
    reads.clear()
    result = _build(site)
    assert result.ok and len(reads) == 1
    assert [p for p in result.problems if "cache" in p.message] == []
