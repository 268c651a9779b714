"""Share cards drawn by fresh processes while the build renders its pages (cards/drawers.py): the
same cards as a build drawing them in its own process, whatever the drawers leave undone,
no drawer left running, and a site graph let go of before the search indexer runs."""

from __future__ import annotations

import contextlib
import gc
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from corpus import write_corpus

import sitegen.cards.files
import sitegen.render.pages
import sitegen.stages.write
from sitegen import BuildOptions, build
from sitegen.cards import FONTS_PATH, CardCache, CardFonts, Drawers, Drawing, intact_png
from sitegen.cards import drawers as carddraw
from sitegen.models import CardRoute, FactCheck, ShareCard
from sitegen.runtime.workers import requested_jobs

ARTICLES = 12
CONFIG = """\
[site]
title = "Test Desk"
base_url = "https://factcheck.test/"
"""

Start = Callable[[Sequence[tuple[Path, ShareCard]], Path, int], Drawers]


def make_site(root: Path) -> Path:
    (root / "sitegen.toml").parent.mkdir(parents=True, exist_ok=True)
    (root / "sitegen.toml").write_text(CONFIG, encoding="utf-8")
    write_corpus(root / "content", ARTICLES)
    return root


def cards_of(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted(output.rglob("card.png"))}


@pytest.fixture(scope="module")
def drawn_here(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The cards of the corpus as a build with one process draws them (no drawer)."""
    root = make_site(tmp_path_factory.mktemp("here"))
    result = build(root, BuildOptions(jobs=1))
    assert result.ok, [p.format() for p in result.problems]
    cards = cards_of(root / "output")
    assert len(cards) == ARTICLES
    return cards


@pytest.fixture
def beside(monkeypatch: pytest.MonkeyPatch) -> list[Drawers]:
    """Cards drawn beside the rendering even for this small site; the drawers started are
    listed for the test to look at."""
    monkeypatch.setattr(sitegen.cards.files, "MIN_BESIDE", 1)
    monkeypatch.setattr(sitegen.cards.files, "CARD_PAGES", 1000)
    started: list[Drawers] = []
    start = carddraw.start

    def spy(cards: Sequence[tuple[Path, ShareCard]], fonts: Path, workers: int) -> Drawers:
        drawers = start(cards, fonts, workers)
        started.append(drawers)
        return drawers

    monkeypatch.setattr(carddraw, "start", spy)
    return started


def test_cards_drawn_beside_the_rendering_are_the_cards_a_single_process_draws(
        tmp_path: Path, beside: list[Drawers], drawn_here: dict[str, bytes]) -> None:
    """Two drawers share the cards while the build renders the pages: every card is
    there, byte for byte the card the build draws in its own process."""
    root = make_site(tmp_path / "site")
    result = build(root, BuildOptions(jobs=2))
    assert result.ok, [p.format() for p in result.problems]
    assert [len(d.processes) for d in beside] == [2]
    assert all(process.returncode == 0 for process in beside[0].processes)
    assert cards_of(root / "output") == drawn_here


def test_the_rendering_runs_alone_beside_the_drawers_and_the_indexer_keeps_the_jobs(
        tmp_path: Path, beside: list[Drawers], monkeypatch: pytest.MonkeyPatch) -> None:
    """While drawers take the other cores the pages render in the build's own process, yet
    the search indexer, after them, still gets the --jobs the command configured."""
    asked: dict[str, list[int | None]] = {"render": [], "index": []}
    render_map = sitegen.render.pages.parallel_map
    index_search = sitegen.stages.write.index_search

    def rendering(work: Callable[[Sequence[object], int], list[object]],
                  items: Sequence[object], jobs: int | None = None) -> list[object]:
        asked["render"].append(jobs)
        return render_map(work, items, jobs)

    def indexing(*args: object, **kwargs: object) -> object:
        asked["index"].append(requested_jobs())
        return index_search(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sitegen.render.pages, "parallel_map", rendering)
    monkeypatch.setattr(sitegen.stages.write, "index_search", indexing)
    result = build(make_site(tmp_path / "site"), BuildOptions(jobs=2))
    assert result.ok, [p.format() for p in result.problems]
    assert [len(d.processes) for d in beside] == [2]
    assert asked == {"render": [1], "index": [2]}


@pytest.mark.parametrize("undone", ["half never given to a drawer", "drawers killed at once",
                                    "damaged files in the cache, drawers killed at once"])
def test_cards_the_drawers_left_undone_are_drawn_by_the_build(
        tmp_path: Path, beside: list[Drawers], drawn_here: dict[str, bytes],
        monkeypatch: pytest.MonkeyPatch, undone: str) -> None:
    """A drawer that fails or is killed slows a build down but never changes what it
    makes: the build draws whatever is missing from the cache itself. Only what a drawer
    reports stored is trusted: a damaged file left in the cache by an earlier build, under
    the name of a card no drawer stored, is checked and drawn again, never published."""
    spy: Start = carddraw.start

    def failing(cards: Sequence[tuple[Path, ShareCard]], fonts: Path, workers: int) -> Drawers:
        if undone.startswith("damaged"):
            for path, _ in cards:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"\x89PNG\r\n\x1a\n damaged")
        if undone.startswith("half"):
            return spy(cards[: len(cards) // 2], fonts, workers)
        drawers = spy(cards, fonts, workers)
        drawers.stop()
        return drawers

    monkeypatch.setattr(carddraw, "start", failing)
    root = make_site(tmp_path / "site")
    result = build(root, BuildOptions(jobs=2))
    assert result.ok, [p.format() for p in result.problems]
    assert beside, "the cards were not drawn beside the rendering"
    assert cards_of(root / "output") == drawn_here


def test_cards_are_drawn_by_the_build_when_no_drawer_can_be_started(
        tmp_path: Path, beside: list[Drawers], drawn_here: dict[str, bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where this Python cannot start another (an embedded interpreter has no executable),
    the build draws its cards itself."""
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    root = make_site(tmp_path / "site")
    result = build(root, BuildOptions(jobs=2))
    assert result.ok, [p.format() for p in result.problems]
    assert not beside
    assert cards_of(root / "output") == drawn_here


def test_a_build_that_fails_while_cards_are_drawn_leaves_no_drawer_running(
        tmp_path: Path, beside: list[Drawers]) -> None:
    """A template error stops the build before it needs the cards: its drawers are ended
    and waited for, and output/ is not made."""
    root = make_site(tmp_path / "site")
    (root / "templates").mkdir()
    (root / "templates" / "factcheck.html").write_text(
        '{% extends "theme/factcheck.html" %}{% block analysis %}{{ nope.attr }}'
        "{% endblock %}", encoding="utf-8")
    result = build(root, BuildOptions(jobs=2))
    assert not result.ok
    assert beside, "the cards were not drawn beside the rendering"
    assert all(process.returncode is not None for d in beside for process in d.processes)
    assert not (root / "output").exists()


def test_the_site_graph_is_let_go_of_before_the_search_index_is_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's memory adds to what the build still holds when it runs: no document may
    be alive by then (the memo of fingerprinted listings once kept every one, and the
    rendered pages' Jinja contexts, reference cycles, kept the site graph until the
    collector happened to run)."""
    alive: list[int] = []
    index_search = sitegen.stages.write.index_search

    def counting(*args: object, **kwargs: object) -> object:
        alive.append(sum(1 for thing in gc.get_objects() if isinstance(thing, FactCheck)))
        return index_search(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sitegen.stages.write, "index_search", counting)
    root = make_site(tmp_path / "site")
    for _ in range(2):  # the first build, then one that keeps its pages
        with (root / "content" / "2016" / "fact-check-000000.md").open("a") as file:
            file.write("\nMore.\n")
        result = build(root, BuildOptions(jobs=1))
        assert result.ok, [p.format() for p in result.problems]
    assert alive == [0, 0]


def test_cards_are_copied_while_the_pages_are_indexed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search indexer's processes leave the build's own process idle: the share cards
    are taken and copied into the new site meanwhile, not after it (2 to 5 s of one core
    at 10,000 articles)."""
    seen: list[int] = []
    index_search = sitegen.stages.write.index_search

    def watching(folder: Path, *args: object, **kwargs: object) -> object:
        deadline = time.monotonic() + 10
        while len(list(folder.rglob("card.png"))) < ARTICLES and time.monotonic() < deadline:
            time.sleep(0.02)
        seen.append(len(list(folder.rglob("card.png"))))
        return index_search(folder, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sitegen.stages.write, "index_search", watching)
    root = make_site(tmp_path / "site")
    result = build(root, BuildOptions(jobs=1))
    assert result.ok, [p.format() for p in result.problems]
    assert seen == [ARTICLES]
    assert len(cards_of(root / "output")) == ARTICLES


def test_a_drawer_runs_the_sitegen_that_started_it(tmp_path: Path) -> None:
    """Drawers import sitegen from the folder the build's own code is in, not from
    whatever copy the working folder or an installation would give them."""
    copy = tmp_path / "copy"
    shutil.copytree(carddraw.PACKAGE_PARENT / "sitegen", copy / "sitegen",
                    ignore=shutil.ignore_patterns("__pycache__"))
    marker = tmp_path / "ran-from"
    with (copy / "sitegen" / "cards" / "drawers.py").open("a") as file:
        file.write(f"\nPath({str(marker)!r}).write_text(__file__)\n")
    card = ShareCard("Test Desk", "example.org", "A claim.", "Someone", "False", "#8b1a1a")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(carddraw, "PACKAGE_PARENT", copy)
    try:
        drawers = carddraw.start([(tmp_path / "card.png", card)], FONTS_PATH, 1)
        stored = drawers.stored()
    finally:
        monkeypatch.undo()
    assert [process.returncode for process in drawers.processes] == [0]
    assert stored == {tmp_path / "card.png"}
    assert Path(marker.read_text()).parent == copy / "sitegen" / "cards"
    assert (tmp_path / "card.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no process priorities here")
def test_drawers_run_below_the_build_s_priority(tmp_path: Path) -> None:
    """The cards are needed last: a drawer must leave the cores to the rendering and the
    indexer when they want them, or the rendering, a third short, finishes alone."""
    own = os.getpriority(os.PRIO_PROCESS, 0)
    if own >= 19:
        pytest.skip("this process already runs at the lowest priority")
    cards = [(tmp_path / f"{k}.png", ShareCard("Test Desk", "example.org", f"Claim {k} " * 20,
                                               "Someone", "False", "#8b1a1a"))
             for k in range(80)]
    drawers = carddraw.start(cards, FONTS_PATH, 1)
    seen = set()
    try:
        while drawers.processes[0].poll() is None:
            with contextlib.suppress(ProcessLookupError):
                seen.add(os.getpriority(os.PRIO_PROCESS, drawers.processes[0].pid))
            time.sleep(0.002)
    finally:
        stored = drawers.stored()
    assert len(stored) == len(cards)
    assert max(seen) == min(19, own + carddraw.NICENESS)


@pytest.mark.parametrize("drawn_by", ["drawers beside the rendering", "forked workers"])
def test_cards_the_drawers_report_stored_are_taken_without_opening_them(
        tmp_path: Path, drawn_here: dict[str, bytes], monkeypatch: pytest.MonkeyPatch,
        drawn_by: str, request: pytest.FixtureRequest) -> None:
    """A card drawn and stored in this build, by a drawer beside the rendering or by a
    forked worker before it, is not read back and checked (0.4 ms a card, seconds of a
    large build while a core waits): the drawer's report says it is there."""
    beside: list[Drawers] = (request.getfixturevalue("beside")
                             if drawn_by.startswith("drawers") else [])
    opened: list[Path] = []

    def counting(path: Path) -> bool:
        opened.append(path)
        return intact_png(path)

    monkeypatch.setattr(sitegen.cards.files, "intact_png", counting)
    root = make_site(tmp_path / "site")
    result = build(root, BuildOptions(jobs=2))
    assert result.ok, [p.format() for p in result.problems]
    assert bool(beside) == drawn_by.startswith("drawers")
    assert opened == []
    assert cards_of(root / "output") == drawn_here


def test_a_report_cut_short_counts_only_its_whole_lines(tmp_path: Path) -> None:
    """A drawer killed while writing its report leaves part of a line: that card is not
    taken as stored (it is checked instead), nor is anything that is not a position."""
    share = [tmp_path / f"{k}.png" for k in range(4)]
    with tempfile.TemporaryFile() as report:
        report.write(b"0\n3\nx\n9\n2")
        report.flush()  # as a drawer does after each line
        drawers = Drawers([], [share], [report])
        assert drawers.stored() == {share[0], share[3]}
        assert report.closed


def many_cards(folder: Path, count: int) -> list[tuple[Path, ShareCard]]:
    return [(folder / f"{k}.png", ShareCard("Test Desk", "example.org", f"Claim {k} " * 20,
                                            "Someone", "False", "#8b1a1a"))
            for k in range(count)]



@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="settings of glibc's malloc")
def test_a_drawer_keeps_the_memory_it_frees_for_the_next_card(tmp_path: Path) -> None:
    """Drawing a card takes and frees the same few megabytes. A drawer whose C library gave
    them back after each card faulted them in again, page by page: 570 faults a card for
    these cards, up to 7 s of system time in a cold build of 10,000 articles. Counted
    between two drawers, so that what starting one costs drops out."""
    import resource

    def faults(count: int, folder: Path) -> int:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
        drawers = carddraw.start(many_cards(folder, count), FONTS_PATH, 1)
        assert len(drawers.stored()) == count
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - before

    few, more = faults(20, tmp_path / "few"), faults(220, tmp_path / "more")
    assert (more - few) / 200 < 20

def test_the_drawers_report_each_card_as_it_is_stored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build copies cards while the rest are drawn, so a drawer's report must say a
    card is stored as soon as it is, not when the drawer exits (its output was buffered),
    and reading it must not move the drawer's place in it."""
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)  # as a newsroom's shell has it
    cards = many_cards(tmp_path, 60)
    drawers = carddraw.start(cards, FONTS_PATH, 1)
    taken: list[Path] = []
    first_seen = None
    try:
        while drawers.running():
            found = drawers.newly_stored()
            if found and first_seen is None:
                first_seen = time.time()
            taken += found
            time.sleep(0.005)
        taken += drawers.newly_stored()
    finally:
        stored = drawers.stored()
    last_stored = max(path.stat().st_mtime for path, _ in cards)
    assert first_seen is not None and first_seen < last_stored
    assert sorted(taken) == sorted(path for path, _ in cards)  # each once
    assert stored == {path for path, _ in cards}
    assert all(intact_png(path) for path, _ in cards)


def test_a_build_takes_the_cards_in_batches_as_the_drawers_store_them(
        tmp_path: Path) -> None:
    """Every card once, each either reported by a drawer or found in the cache, and the
    same files, in whatever batches, as taking them all at the end."""
    cache = CardCache(tmp_path / "cache", CardFonts())
    routes = [CardRoute(f"{k}/card.png", card, f"{k}.md")
              for k, (_, card) in enumerate(many_cards(tmp_path, 50))]
    routes.append(CardRoute("same/card.png", routes[0].card, "same.md"))
    cache.ensure(routes[1].card)  # one cached already
    drawing = Drawing(
        cache, *cache.split(routes),
        drawers=carddraw.start([(cache.path(route.card), route.card)
                                for route in cache.split(routes)[1]], FONTS_PATH, 2))
    batches = list(drawing.batches(pause=0.01))
    assert batches[0] == [("1/card.png", cache.path(routes[1].card))]
    assert len([batch for batch in batches if batch]) > 3
    taken = [file for batch in batches for file in batch]
    assert sorted(taken) == sorted((route.path, cache.path(route.card)) for route in routes)
    assert cache.drawn == 1  # the one drawn here to be cached; every other by a drawer


def test_cards_drawn_beside_a_build_that_keeps_its_pages_are_the_cards_drawn_afresh(
        tmp_path: Path, beside: list[Drawers]) -> None:
    """A build after the last one (it keeps unchanged files in place) takes the cards its
    drawers store in batches too: every claim edited, each new card is in output/, the
    card a build drawing in its own process makes of the same site."""
    def edit_claims(root: Path) -> None:
        for path in (root / "content").rglob("*.md"):
            path.write_text(path.read_text().replace('claim: "', 'claim: "Now: ', 1))

    root = make_site(tmp_path / "site")
    assert build(root, BuildOptions(jobs=1)).ok
    edit_claims(root)
    result = build(root, BuildOptions(jobs=2))
    assert result.ok, [p.format() for p in result.problems]
    assert beside, "the cards were not drawn beside the rendering"
    afresh = make_site(tmp_path / "afresh")
    edit_claims(afresh)
    assert build(afresh, BuildOptions(jobs=1)).ok
    assert cards_of(root / "output") == cards_of(afresh / "output")
    assert len(cards_of(root / "output")) == ARTICLES
