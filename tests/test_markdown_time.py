"""A body Python-Markdown would take minutes over is stopped at `[build] markdown_timeout`: an
error on its file in every way a site is read, the other files still reported, nothing
written and nothing cached for it.

The hostile bodies are the four kinds the issue found (quadratic in Python-Markdown), each
cut to take a second or more of processor time unbounded: far past the 0.2 s limit here, yet
all four together far within pytest-timeout, so without the bound these tests fail on their
assertions instead of being stopped as slow.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CONFIG, ScratchSite

import sitegen.runtime.workers
from sitegen import BuildOptions, Session, build, check, load_config
from sitegen.cache import body_key, entry_key, load_document_cache, load_markdown_cache
from sitegen.content import Record, SourceFile, read_record, read_source
from sitegen.markup import ConversionTimeoutError, MarkdownRenderer, within
from sitegen.runtime.workers import can_fork

LIMIT_TOML = "\n[build]\nmarkdown_timeout = 0.2\nshare_cards = false\n"
HOSTILE = {
    "content/2020/links.md": "[a](b " * 3000,
    "content/2020/emphasis.md": "*_" * 15000 + "x" + "_*" * 15000,
    "content/2020/tags.md": "<a " * 5000,
    "content/2020/notes.md": "x" + "[^1]" * 15000 + "\n\n[^1]: A note.",
}
MARKS = {"content/2020/links.md": "6,000", "content/2020/emphasis.md": "60,000",
         "content/2020/tags.md": "5,000", "content/2020/notes.md": "15,000"}
"""The '[', '(', '*', '_' and '<' on each run's line."""
BODY_LINE = 11
"""make_factcheck's front matter is lines 1-10; the hostile run follows an intro paragraph,
on line 13, but a body is converted whole, so the error names the body's first line."""
TIMEOUT = ("body: took more than 0.2 seconds of processor time to convert from Markdown, "
           "the limit set by [build] markdown_timeout (look for a long run of unclosed "
           "brackets '[' or '(', emphasis marks '*' or '_', HTML tags '<', or footnote "
           "references '[^' (line 13 has {marks} of those marks), often from pasted text; "
           "close or remove them, or put them in a code block)")
TYPO = ("content/2020/typo.md:5: verdict: unknown verdict 'fals' (did you mean 'false'? the "
        "scale in sitegen.toml has: true, likely-true, partially-true, misleading, "
        "partially-false, likely-false, false, unclear)")
EXPECTED = sorted([*(f"{path}:{BODY_LINE}: {TIMEOUT.format(marks=MARKS[path])}"
                     for path in HOSTILE), TYPO])


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` but Pagefind's index (whose file names vary run to run)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}


def write_hostile(site: ScratchSite, make_factcheck: Callable[..., str]) -> list[Path]:
    """The four hostile articles and one with an ordinary mistake; their paths."""
    written = [site.write(path, make_factcheck(body=f"An intro.\n\n{run}\n", title=f'"{path}"'))
               for path, run in HOSTILE.items()]
    written.append(site.write("content/2020/typo.md", make_factcheck(verdict="fals")))
    return written


@pytest.fixture
def limited(site: ScratchSite) -> ScratchSite:
    """The scratch site with a 0.2 s limit, built once, so there is an output to keep."""
    site.write("sitegen.toml", CONFIG + LIMIT_TOML)
    site.built()
    return site


def errors(problems: object) -> list[str]:
    return sorted(p.format() for p in problems if p.is_error)  # type: ignore[attr-defined]


def test_a_one_process_build_stops_each_hostile_body_and_keeps_the_output(
        limited: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """`--jobs 1`: every hostile body is an error on its file, the typo elsewhere is still
    reported, and the last good output stays as it was."""
    before = tree(limited.output)
    write_hostile(limited, make_factcheck)
    result = build(limited.root, BuildOptions(jobs=1))
    assert errors(result.problems) == EXPECTED
    assert tree(limited.output) == before


def test_check_stops_each_hostile_body(limited: ScratchSite,
                                       make_factcheck: Callable[..., str]) -> None:
    """`sitegen check` reports the same errors, and does not hang either."""
    write_hostile(limited, make_factcheck)
    assert errors(check(limited.root, jobs=1).problems) == EXPECTED


@pytest.mark.skipif(not can_fork(), reason="workers are forked on Linux only")
def test_forked_readers_stop_each_hostile_body(
        limited: ScratchSite, make_factcheck: Callable[..., str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Read over two processes (each converting half the files in its main thread), a
    build and a check report every hostile body, and the output stays as it was."""
    monkeypatch.setattr(sitegen.runtime.workers, "MIN_ITEMS_PER_JOB", 1)  # 7 files, 2 processes
    before = tree(limited.output)
    write_hostile(limited, make_factcheck)
    assert sitegen.runtime.workers.effective_jobs(2, 7) == 2
    assert errors(build(limited.root, BuildOptions(jobs=2)).problems) == EXPECTED
    assert tree(limited.output) == before
    assert errors(check(limited.root, jobs=2).problems) == EXPECTED


def test_a_watch_rebuild_stops_each_hostile_body_and_recovers(
        limited: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A preview session's rebuild reports the hostile bodies and keeps the output; once
    they are fixed, the next rebuild converts them (the renderer survives being stopped)."""
    session = Session(limited.root, limited.output, search=False, jobs=1)
    assert session.full().ok
    before = tree(limited.output)
    saved = write_hostile(limited, make_factcheck)
    assert errors(session.rebuild(saved).problems) == EXPECTED
    assert tree(limited.output) == before
    fixed = [limited.write(path, make_factcheck(body="Now *fine*.", title=f'"{path}"'))
             for path in HOSTILE]
    outcome = session.rebuild([*fixed, limited.write("content/2020/typo.md",
                                                      make_factcheck(title='"Typo"'))])
    assert outcome.ok, [p.format() for p in outcome.problems]
    body = limited.html("2020/links/").select_one(".analysis em")
    assert body is not None and body.get_text() == "fine"


def test_a_timeout_met_in_a_collector_callback_is_not_printed_and_still_stops_the_body(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit can fall while Python runs a finaliser or a garbage collector callback
    (Hypothesis installs one), where an exception cannot be raised and is printed as
    'Exception ignored in ...': that one is kept quiet, and the body is still stopped."""
    lost: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", lost.append)
    converting: list[bool] = []
    spun: list[bool] = []

    def slow_callback(phase: str, info: dict[str, int]) -> None:
        """Busy past the limit in the first collection of the conversion, so the signal
        lands in here."""
        if phase == "start" and converting and not spun:
            spun.append(True)
            until = time.process_time() + 0.5
            while time.process_time() < until:
                pass

    def convert() -> str:
        converting.append(True)
        return render(HOSTILE["content/2020/links.md"])

    render = MarkdownRenderer()
    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(ConversionTimeoutError):
            within(0.2, convert)
    finally:
        gc.callbacks.remove(slow_callback)
    assert spun and lost == []
    assert render("Still *works*.") == "<p>Still <em>works</em>.</p>"


def source_of(site: ScratchSite, path: str) -> SourceFile:
    source = read_source(site.root, path)
    assert isinstance(source, SourceFile)
    return source


def record_of(site: ScratchSite, path: str) -> Record:
    record = read_record(source_of(site, path))
    assert isinstance(record, Record)
    return record


def test_a_stopped_body_is_never_cached(limited: ScratchSite,
                                        make_factcheck: Callable[..., str]) -> None:
    """Neither the Markdown cache nor the documents cache keeps a body that was stopped, so
    the next build (perhaps on a faster machine) converts it again."""
    write_hostile(limited, make_factcheck)
    assert errors(build(limited.root, BuildOptions(jobs=1)).problems) == EXPECTED
    assert_not_cached(limited)


def assert_not_cached(limited: ScratchSite) -> None:
    """The caches are saved, with the typo's file, and without any hostile one."""
    bodies = load_markdown_cache(limited.root)[0].entries
    config = (limited.root / "sitegen.toml").read_bytes()
    documents = load_document_cache(limited.root, config)[0].entries
    typo = "content/2020/typo.md"
    assert entry_key(typo, source_of(limited, typo).digest) in documents
    for path in HOSTILE:
        assert body_key(record_of(limited, path).body) not in bodies
        assert entry_key(path, source_of(limited, path).digest) not in documents


def test_a_preview_session_never_caches_a_stopped_body(
        limited: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A preview's first read saves both caches too (content/reread.py), without the stopped
    bodies."""
    write_hostile(limited, make_factcheck)
    outcome = Session(limited.root, limited.output, search=False, jobs=1).full()
    assert errors(outcome.problems) == EXPECTED
    assert_not_cached(limited)


@pytest.mark.parametrize(("value", "message"), [
    ("0", "must be more than 0 and at most 3600 seconds, such as 5 (the longest body "
          "allowed takes under a second)"),
    ("-1.5", "must be more than 0 and at most 3600 seconds, such as 5 (the longest body "
             "allowed takes under a second)"),
    ("nan", "must be more than 0 and at most 3600 seconds, such as 5 (the longest body "
            "allowed takes under a second)"),
    ('"5"', "must be a number, not str ('5')"),
    ("true", "must be a number, not true/false (true)"),
])
def test_markdown_timeout_must_be_a_positive_number_of_seconds(
        site: ScratchSite, value: str, message: str) -> None:
    """A limit that is no number of seconds is an error on its line of sitegen.toml."""
    site.write("sitegen.toml", CONFIG + f"\n[build]\nmarkdown_timeout = {value}\n")
    problems = load_config(site.root)[1]
    assert [p.format() for p in problems] == [
        f"sitegen.toml:12: build.markdown_timeout: {message}"]
