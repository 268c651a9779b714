"""The search index in shards: which page goes where, what a warm build indexes again, what a
failed or killed indexer leaves, and (in Chromium) that a reader searches the shards as one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import SEARCH_WAIT_MS, open_page, serving
from conftest import ScratchSite
from search_bundles import bundles, entry, index_is_complete, manifest, page_counts

import sitegen.search.index
from sitegen import BuildOptions, build
from sitegen.search import (
    Indexer,
    Page,
    find_pages,
    has_body_mark,
    index_digest,
    index_search,
    page_language,
    pagefind_version,
    plan_shards,
)

WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
         "juliett", "kilo", "lima", "mike", "november"]
SHARD_PAGES = 3
"""Small shards, so a site of a dozen fact-checks has several."""


def pages(count: int, lang: str = "en", start: int = 0) -> list[Page]:
    return [Page(f"{lang}/{n}/index.html", lang, bytes(32)) for n in range(start, start + count)]


def membership(shards: list[Any]) -> dict[tuple[str, str], frozenset[str]]:
    return {(s.lang, s.label): frozenset(p.path for p in s.pages) for s in shards}


# --- which page goes in which shard -----------------------------------------------------------


def test_every_page_is_in_one_shard_of_at_most_the_size() -> None:
    shards = plan_shards(pages(1000), 64, "v")
    paths = [p.path for s in shards for p in s.pages]
    assert sorted(paths) == sorted(p.path for p in pages(1000))
    assert all(0 < len(s.pages) <= 64 for s in shards)
    assert len(shards) >= 1000 // 64
    assert len({s.name for s in shards}) == len(shards)


def test_an_added_page_changes_only_the_shard_it_falls_in() -> None:
    """As the site grows one article at a time, each addition changes one shard (or splits
    it in two): every other shard keeps exactly its pages, so it keeps its bundle."""
    current = pages(300)
    before = membership(plan_shards(current, 20, "v"))
    for n in range(300, 400):
        current.append(pages(1, start=n)[0])
        after = membership(plan_shards(current, 20, "v"))
        gone = [key for key, members in before.items() if after.get(key) != members]
        new = [key for key, members in after.items() if before.get(key) != members]
        assert len(gone) == 1, (n, gone)
        assert len(new) in (1, 2), (n, new)  # the shard grew, or split in two
        assert all(key[1].startswith(gone[0][1]) for key in new)
        before = after


def test_a_page_edit_changes_its_shard_digest_only() -> None:
    current = pages(200)
    shards = plan_shards(current, 20, "v")
    edited = [*current[:7], Page(current[7].path, "en", b"\1" * 32), *current[8:]]
    changed = [s for s in plan_shards(edited, 20, "v") if s not in shards]
    assert [p.path for s in changed for p in s.pages if p.path == current[7].path]
    assert len(changed) == 1
    assert plan_shards(current, 20, "v2") != shards  # a new Pagefind indexes everything again


def test_shards_never_mix_languages() -> None:
    shards = plan_shards([*pages(50, "en"), *pages(30, "ru"), *pages(5, "pt-br")], 16, "v")
    assert all({p.lang for p in s.pages} == {s.lang} for s in shards)
    assert {s.lang for s in shards} == {"en", "ru", "pt-br"}
    assert {s.name.split("/")[0] for s in shards} == {"en", "ru", "pt-br"}


@pytest.mark.parametrize(("html", "marked"), [
    (b'<main><article class="x" data-pagefind-body>', True),
    (b"<article\ndata-pagefind-body=''>", True),
    (b"<p>We use data-pagefind-body to mark articles.</p>", False),
    (b"<p>the attribute <code>data-pagefind-body</code></p>", False),
    (b'<div data-pagefind-body-extra="1">', False),
    (b"", False),
])
def test_the_body_mark_is_an_attribute_not_a_mention(html: bytes, marked: bool) -> None:
    assert has_body_mark(html) is marked


@pytest.mark.parametrize(("html", "lang"), [
    (b'<!DOCTYPE html>\n<html lang="ru" dir="ltr">', "ru"),
    (b"<html dir='ltr' lang='pt-BR'>", "pt-br"),
    (b"<html lang=en>", "en"),
    (b"<html>", "unknown"),
    (b'<html lang="">', "unknown"),
])
def test_a_page_language_is_its_html_lang(html: bytes, lang: str) -> None:
    assert page_language(html + b"<body></body></html>") == lang


PAGE = (b'<html lang="en"><body><article data-pagefind-body><h1>T</h1></article>'
        b"<!--sitegen:unindexed-->%s<!--/sitegen:unindexed--></body></html>")


@pytest.mark.parametrize(("one", "other", "same"), [
    (b'<section data-pagefind-ignore><a href="a/">A</a></section>',
     b'<section data-pagefind-ignore lang="en"><a href="b/">B</a></section>', True),
    (b"<section><a>A</a></section>", b"<section><a>B</a></section>", False),
    (b'<section data-pagefind-ignore><b data-pagefind-filter="x">A</b></section>',
     b'<section data-pagefind-ignore><b data-pagefind-filter="x">B</b></section>', False),
    (b'<section data-pagefind-ignore><b data-pagefind-meta="m">A</b></section>',
     b'<section data-pagefind-ignore><b data-pagefind-meta="m">B</b></section>', False),
    (b'<section data-pagefind-ignore-me>A</section>',
     b'<section data-pagefind-ignore-me>B</section>', False),
])
def test_only_a_marked_part_pagefind_cannot_read_is_left_out_of_the_digest(
        one: bytes, other: bytes, same: bool) -> None:
    assert (index_digest(PAGE % one) == index_digest(PAGE % other)) is same
    assert index_digest(PAGE % one) != index_digest(PAGE.replace(b"<h1>T", b"<h1>U") % one)


# --- building ---------------------------------------------------------------------------------


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitegen.search.index, "SHARD_PAGES", SHARD_PAGES)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """The arguments of every Pagefind run (which still runs, for real)."""
    seen: list[list[str]] = []
    run = Indexer._run

    def counting(self: Indexer, arguments: list[str]) -> Any:
        seen.append(arguments)
        return run(self, arguments)

    monkeypatch.setattr(Indexer, "_run", counting)
    yield seen


def write_desk(site: ScratchSite, make_factcheck: Callable[..., str], count: int = 12,
               lang: str | None = None, stem: str = "check") -> None:
    """`count` fact-checks that all mention "reservoir", alternately true and false, by three
    claimants; each has a word of its own in its title."""
    for n, word in enumerate(WORDS[:count]):
        fields = {"title": f'"Reservoir levels {word}"', "claimant": f'"Person {n % 3}"',
                  "verdict": "true" if n % 2 else "false", "date": f"2021-03-{n + 1:02d}"}
        if lang:
            fields["lang"] = lang
        site.write(f"content/2021/{stem}-{word}.md", make_factcheck(
            body=f"The reservoir was {word}. Water matters.", **fields))


def bundle_names(folder: Path) -> dict[str, list[str]]:
    return {lang: [shard["bundle"] for shard in shards]
            for lang, shards in manifest(folder)["languages"].items()}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in (folder / "pagefind").rglob("*") if p.is_file()}


def test_a_site_in_several_shards_indexes_every_factcheck_once(
        site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None,
        runs: list[list[str]]) -> None:
    write_desk(site, make_factcheck)
    site.built()
    found = bundles(site.output)["en"]
    assert len(found) >= 3 and len(runs) == len(found)
    assert page_counts(site.output) == {"en": 13}  # the fixture's own fact-check too
    assert all(entry(b)["languages"]["en"]["page_count"] <= SHARD_PAGES for b in found)
    top = sorted(p.name for p in (site.output / "pagefind").iterdir() if p.is_file())
    assert top == ["shards.json"]  # no Pagefind UI: it inserts writers' text as HTML
    for bundle in found:  # each bundle keeps what a search runs on, and no UI
        names = {p.name for p in bundle.iterdir()}
        assert not [name for name in names if name.endswith(("-ui.js", "-ui.css"))], names
        assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"} <= names
    assert not [p for p in site.output.rglob(".*") if p.name != ".sitegen-output"]


def test_pagefind_ui_left_by_an_older_build_is_removed(site: ScratchSite) -> None:
    """Pagefind's UI files an earlier sitegen kept at the top of pagefind/ go with the next
    index: no page of the site may load a UI that inserts writers' text as HTML."""
    site.built()
    old = [site.output / "pagefind" / name for name in ("pagefind-ui.js", "pagefind-ui.css")]
    for path in old:
        path.write_text("/* an older build's */")
    assert Indexer().index(site.output) == []
    assert [path.name for path in old if path.exists()] == []
    assert index_is_complete(site.output)


def test_a_warm_build_after_one_edit_indexes_only_that_shard_again(
        site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None,
        runs: list[list[str]], tmp_path: Path) -> None:
    """The other shards' bundles are the last build's files, linked; the result is the index
    a clean build makes (bundle names are digests of what they index)."""
    write_desk(site, make_factcheck)
    site.built()
    before, linked = bundle_names(site.output)["en"], inodes(site.output)
    runs.clear()
    site.write("content/2021/check-echo.md", make_factcheck(
        body="The reservoir was echo. Rewritten analysis.", title='"Reservoir levels echo"',
        claimant='"Person 1"', verdict="false", date="2021-03-05"))
    result = site.built()
    assert result.kept > 0
    after = bundle_names(site.output)["en"]
    assert len(runs) == 1, runs
    assert len(set(after) - set(before)) == 1 and len(set(before) - set(after)) == 1
    shards = plan_shards(find_pages(site.output, "pagefind"), SHARD_PAGES, pagefind_version())
    echo = next(s for s in shards if "2021/check-echo/index.html" in {p.path for p in s.pages})
    assert set(after) - set(before) == {echo.name + "/"}
    now = inodes(site.output)
    kept = [name for name in now for bundle in set(before) & set(after)
            if name.startswith(f"pagefind/{bundle}")]
    assert kept and all(now[name] == linked[name] for name in kept)
    clean = tmp_path / "clean"
    assert build(site.root, BuildOptions(output=clean, cache=False)).ok
    assert bundle_names(clean) == bundle_names(site.output)


def test_a_new_article_in_others_related_blocks_indexes_only_its_own_shard(
        site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None,
        runs: list[list[str]], tmp_path: Path) -> None:
    """A new article shows in the related block of every article of its claimant, on pages
    in most shards; Pagefind reads nothing of that block, so only the shard the new page
    joins is indexed again (two, when it grows past its size and splits), and each page's
    indexed content (Pagefind's fragment files, named by their content) is what a clean
    build makes."""
    write_desk(site, make_factcheck)
    site.built()
    before = set(membership(shards_of(site.output)).values())
    runs.clear()
    site.write("content/2021/check-zulu.md", make_factcheck(
        body="The reservoir was zulu.", title='"Reservoir levels zulu"', claimant='"Person 1"',
        verdict="false", date="2021-04-01"))
    result = site.built()
    after = membership(shards_of(site.output))
    joined = [page for page in ("bravo", "echo", "hotel", "kilo")  # Person 1's articles
              if "Reservoir levels zulu" in [a.get_text() for a in site.html(
                  f"2021/check-{page}/").select(".related .card__title a")]]
    assert len(joined) >= 2, joined
    indexed = {Path(run[run.index("--site") + 1]).parent.name.split("-", 1)[1] for run in runs}
    assert indexed and all(after[("en", label)] not in before for label in indexed), runs
    clean = tmp_path / "clean"
    assert result.ok and build(site.root, BuildOptions(output=clean, cache=False)).ok
    assert bundle_names(clean) == bundle_names(site.output)
    assert fragments(clean) == fragments(site.output)


def shards_of(folder: Path) -> list[Any]:
    return plan_shards(find_pages(folder, "pagefind"), SHARD_PAGES, pagefind_version())


def fragments(folder: Path) -> set[str]:
    return {p.name for p in (folder / "pagefind").rglob("*.pf_fragment")}


def test_an_unchanged_site_indexes_nothing_again(
        site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None,
        runs: list[list[str]]) -> None:
    """Indexing a live folder again with no page changed (the preview's settle after a
    change to a listing) runs no Pagefind and keeps every bundle."""
    write_desk(site, make_factcheck)
    site.built()
    runs.clear()
    first = bundle_names(site.output)
    assert index_search(site.output) == []  # in place, as the preview's settle does
    assert runs == []
    assert bundle_names(site.output) == first and index_is_complete(site.output)


def test_a_build_that_keeps_every_page_keeps_only_the_index_its_manifest_names(
        site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None,
        runs: list[list[str]]) -> None:
    """`build --watch` indexes output/ in place; a settle killed there leaves its work
    folder (hard links of pages) in pagefind/. A build that keeps the whole index must not
    carry that into the new site."""
    write_desk(site, make_factcheck)
    site.built()
    dead = site.output / "pagefind" / ".building-999999999-deadbeef"
    (dead / "site" / "2021").mkdir(parents=True)
    (dead / "site" / "2021" / "index.html").write_text("<html lang=en>leftover</html>")
    before = bundle_names(site.output)
    runs.clear()
    result = site.built()
    assert result.kept == result.files and runs == []
    assert bundle_names(site.output) == before and index_is_complete(site.output)
    assert not list((site.output / "pagefind").glob(".*"))


def test_factchecks_in_two_languages_get_shards_of_their_own(
        site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None) -> None:
    config = site.root / "sitegen.toml"
    config.write_text(config.read_text() + RU_EDITION)
    write_desk(site, make_factcheck, count=7)
    write_desk(site, make_factcheck, count=5, lang="ru", stem="ru")
    site.built()
    assert page_counts(site.output) == {"en": 8, "ru": 5}
    for lang, found in bundles(site.output).items():
        assert len(found) >= 2
        assert all(set(entry(b)["languages"]) == {lang} for b in found)


# --- failures ---------------------------------------------------------------------------------


FAILING_PAGEFIND = """\
import os, sys, time
if os.environ.get("FAKE_PAGEFIND_SLEEP"):
    out = sys.argv[sys.argv.index("--output-path") + 1]
    os.makedirs(out, exist_ok=True)
    open(os.path.join(out, "pagefind-entry.json"), "w").write("{")  # half written
    open(os.environ["FAKE_PAGEFIND_SLEEP"], "w").write(str(os.getpid()))
    time.sleep(120)
print("Error: the index could not be written", file=sys.stderr)
sys.exit(3)
"""


@pytest.fixture
def broken_pagefind(tmp_path: Path) -> Path:
    """A Pagefind binary that fails (or, with FAKE_PAGEFIND_SLEEP, hangs half-way), to put
    where the pagefind package looks first: PAGEFIND_BINARY_PATH."""
    fake = tmp_path / "fake" / "pagefind"
    fake.parent.mkdir(parents=True)
    fake.write_text(f"#!{sys.executable}\n{FAILING_PAGEFIND}")
    fake.chmod(0o755)
    return fake


def test_a_failing_indexer_costs_the_search_not_the_build(
        site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None,
        broken_pagefind: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_desk(site, make_factcheck)
    site.built()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken_pagefind))
    site.write("content/2021/check-echo.md", make_factcheck(body="Changed."))
    result = site.build()
    assert result.ok
    assert [p.format() for p in result.problems if "search" in p.format()] == [
        "search: warning: search index not built: Pagefind failed: Error: the index could not "
        "be written (install it with: pip install 'pagefind[bin]')"]
    assert (site.output / "search" / "index.html").is_file()
    assert not (site.output / "pagefind").exists()  # no index rather than a partial one


def test_a_failing_indexer_in_place_keeps_the_last_complete_index(
        site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None,
        broken_pagefind: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview indexes its live folder in place: a failed run leaves the index that was
    there, every bundle its manifest names complete, and no work folder behind."""
    write_desk(site, make_factcheck)
    site.built()
    before = bundle_names(site.output)
    page = site.output / "2021/check-echo/index.html"
    page.write_bytes(page.read_bytes().replace(b"reservoir was echo", b"reservoir was new"))
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken_pagefind))
    problems = Indexer(background=True).index(site.output)
    assert [p.message for p in problems] == [
        "search index not built: Pagefind failed: Error: the index could not be written"]
    assert bundle_names(site.output) == before and index_is_complete(site.output)
    assert not list((site.output / "pagefind").glob(".*"))


def test_a_killed_indexer_leaves_the_last_index_and_its_work_is_cleared_next_time(
        site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None,
        broken_pagefind: Path, tmp_path: Path) -> None:
    """SIGKILL while Pagefind is half-way through a shard, indexing a live folder: the
    manifest still names only complete bundles, and the next run removes the dead run's
    work folder."""
    write_desk(site, make_factcheck)
    site.built()
    before = bundle_names(site.output)
    page = site.output / "2021/check-echo/index.html"
    page.write_bytes(page.read_bytes().replace(b"reservoir was echo", b"reservoir was new"))
    pid_file = tmp_path / "pagefind.pid"
    script = textwrap.dedent(f"""
        from pathlib import Path
        from sitegen.search import Indexer
        Indexer(shard_pages={SHARD_PAGES}).index(Path({str(site.output)!r}))
    """)
    env = {**os.environ, "PAGEFIND_BINARY_PATH": str(broken_pagefind),
           "FAKE_PAGEFIND_SLEEP": str(pid_file)}
    indexer = subprocess.Popen([sys.executable, "-c", script], env=env)
    try:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert indexer.poll() is None, "the indexer ended before Pagefind started"
            assert time.monotonic() < deadline, "Pagefind never started"
            time.sleep(0.02)
        indexer.send_signal(signal.SIGKILL)
        indexer.wait(timeout=60)
    finally:
        if indexer.poll() is None:
            indexer.kill()
            indexer.wait()
        with_pid = int(pid_file.read_text() or 0) if pid_file.exists() else 0
        if with_pid:
            wait_gone(with_pid)
    assert bundle_names(site.output) == before and index_is_complete(site.output)
    leftovers = list((site.output / "pagefind").glob(".*"))
    assert leftovers  # the killed run's work folder, until the next run
    assert Indexer(shard_pages=SHARD_PAGES).index(site.output) == []
    assert not list((site.output / "pagefind").glob(".*"))
    assert bundle_names(site.output) != before and index_is_complete(site.output)


def wait_gone(pid: int) -> None:
    """The runner stops Pagefind once its indexer is gone; kill it if it has not."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the killed indexer's Pagefind was still running")


# --- in the browser ---------------------------------------------------------------------------


def search(page: Any, query: str) -> None:
    page.fill(".search__input", query, timeout=SEARCH_WAIT_MS)
    page.wait_for_selector(".search__result-link", timeout=SEARCH_WAIT_MS)


def all_titles(page: Any, expected: int) -> list[str]:
    """Every result's title, pressing "Show more results" until all `expected` are shown
    (once the message, in any language, counts that many)."""
    page.wait_for_function(
        f"/(^|\\D){expected}(\\D|$)/.test("
        "document.querySelector('.search__message')?.textContent || '')",
        timeout=SEARCH_WAIT_MS)
    shown = f"document.querySelectorAll('.search__result-link').length === {expected}"
    while True:
        page.wait_for_function(f"{shown} || !document.querySelector('.search__more').hidden",
                               timeout=SEARCH_WAIT_MS)
        if page.evaluate(shown):
            break
        page.locator(".search__more").click()
    return sorted(a.inner_text() for a in page.query_selector_all(".search__result-link"))


@pytest.fixture
def sharded_desk(site: ScratchSite, make_factcheck: Callable[..., str], small_shards: None
                 ) -> ScratchSite:
    """Twelve fact-checks in several shards, served under a sub-path, plus one whose title
    is an exact phrase that other articles' bodies only partly repeat."""
    config = site.root / "sitegen.toml"
    config.write_text(config.read_text().replace('base_url = "https://factcheck.test/"',
                                                 'base_url = "https://factcheck.test/desk/"'))
    (site.root / "content/2020/a-claim.md").unlink()
    write_desk(site, make_factcheck)
    for word in WORDS[:4]:  # decoys: the phrase's words, never the phrase
        site.write(f"content/2021/check-{word}.md", make_factcheck(
            body=f"The reservoir was {word}. Turbine subsidies rose. Subsidies, turbine. " * 3,
            title=f'"Reservoir levels {word}"', claimant=f'"Person {WORDS.index(word) % 3}"',
            verdict="true" if WORDS.index(word) % 2 else "false",
            date=f"2021-03-{WORDS.index(word) + 1:02d}"))
    site.write("content/2021/turbine.md", make_factcheck(
        title='"Turbine subsidies doubled overnight"', claimant='"Person 9"',
        verdict="misleading", date="2021-04-01", body="A short analysis."))
    site.built()
    shards = plan_shards(find_pages(site.output, "pagefind"), SHARD_PAGES, "v")
    holding = [s for s in shards if any("check-" in p.path for p in s.pages)]
    assert len(holding) >= 3
    return site


def test_a_search_finds_results_from_every_shard(browser: Any, sharded_desk: ScratchSite
                                                 ) -> None:
    with serving(sharded_desk.output, "/desk/") as url:
        page = open_page(browser, url + "search/", 1280)
        search(page, "reservoir")
        titles = all_titles(page, 12)
        assert titles == sorted(f"Reservoir levels {w}" for w in WORDS[:12])
        links = [a.get_attribute("href") for a in
                 page.query_selector_all(".search__result-link")]
        assert all(link.startswith("/desk/2021/check-") for link in links), links
        statuses = page.evaluate(
            "links => Promise.all(links.map(l => fetch(l).then(r => r.status)))", links)
        assert statuses == [200] * len(links)
        page.close()


def test_filters_count_and_filter_across_shards(browser: Any, sharded_desk: ScratchSite
                                                ) -> None:
    with serving(sharded_desk.output, "/desk/") as url:
        page = open_page(browser, url + "search/", 1280)
        search(page, "reservoir")
        all_titles(page, 12)
        verdicts = page.locator(".search__filter", has_text="Verdict")
        verdicts.locator("summary").click()
        labels = sorted(" ".join(text.split()) for text in
                        verdicts.locator(".search__filter-label").all_text_contents())
        assert labels == ["False (6)", "Misleading (0)", "True (6)"]
        verdicts.get_by_text("True (6)").click()
        titles = all_titles(page, 6)
        assert titles == sorted(f"Reservoir levels {w}" for w in WORDS[1:12:2])
        claimants = page.locator(".search__filter", has_text="Claimant")
        claimants.locator("summary").click()
        claimants.get_by_text("Person 0").click()  # true and Person 0: 3 and 9
        assert all_titles(page, 2) == ["Reservoir levels delta", "Reservoir levels juliett"]
        page.close()


def test_an_exact_title_match_ranks_first_across_shards(browser: Any,
                                                        sharded_desk: ScratchSite) -> None:
    with serving(sharded_desk.output, "/desk/") as url:
        page = open_page(browser, url + "search/", 1280)
        search(page, "turbine subsidies doubled overnight")
        first = page.locator(".search__result-link").first.inner_text()
        assert first == "Turbine subsidies doubled overnight"
        search(page, "turbine subsidies")
        page.wait_for_function(
            "document.querySelectorAll('.search__result-link').length >= 5",
            timeout=SEARCH_WAIT_MS)
        page.close()


RU_EDITION = """
[languages.ru]
title = "Проверено"
"""


def test_each_edition_searches_the_shards_of_its_language(
        browser: Any, site: ScratchSite, make_factcheck: Callable[..., str],
        small_shards: None) -> None:
    """English and Russian fact-checks share a word: the Russian edition's search page
    (lang="ru") finds the Russian ones only, over every Russian shard, and the main edition's
    the English ones only, over every English shard."""
    config = site.root / "sitegen.toml"
    config.write_text(config.read_text() + RU_EDITION)
    write_desk(site, make_factcheck, count=6)
    for n, word in enumerate(WORDS[6:13]):
        site.write(f"content/2022/ru-{word}.md", make_factcheck(
            body=f"Водохранилище reservoir {word}.", title=f'"Водохранилище {word}"',
            claimant=f'"Ведомство {n % 2}"', date=f"2022-01-{n + 1:02d}", lang="ru"))
    site.built()
    assert page_counts(site.output) == {"en": 7, "ru": 7}
    assert len(bundles(site.output)["ru"]) >= 2 and len(bundles(site.output)["en"]) >= 2
    with serving(site.output) as url:
        page = open_page(browser, url + "ru/search/", 1280)
        assert page.evaluate("document.documentElement.lang") == "ru"
        search(page, "reservoir")
        assert all_titles(page, 7) == sorted(f"Водохранилище {w}" for w in WORDS[6:13])
        page.close()
        page = open_page(browser, url + "search/", 1280)
        search(page, "reservoir")
        assert all_titles(page, 6) == sorted(f"Reservoir levels {w}" for w in WORDS[:6])
        page.close()
