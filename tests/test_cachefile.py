"""The cache file format: extended by appending, written whole when it must be, never trusted
unchecked (sitegen/cache/segments.py). Real files in a temporary folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.cache import Stored, cache_folder, load_entries, save_entries

MAGIC, HEADER = b"test cache 1\n", b"made by the tests\n"
NAME = "test.bin"


def key(n: int) -> bytes:
    return n.to_bytes(16, "big")


def body(n: int, size: int = 100) -> str:
    return f"<p>body {n}</p>".ljust(size, "x")


def load(root: Path) -> tuple[Stored, list[str]]:
    stored, problems = load_entries(root, NAME, MAGIC, HEADER, "is stale")
    return stored, [problem.message for problem in problems]


def save(root: Path, entries: dict[bytes, str], stored: Stored | None = None) -> None:
    assert save_entries(root, NAME, MAGIC, HEADER, entries, "", stored) == []


def inode(root: Path) -> int:
    return (cache_folder(root) / NAME).stat().st_ino


def test_a_few_new_entries_are_appended_not_written_again(tmp_path: Path) -> None:
    entries = {key(n): body(n) for n in range(100)}
    save(tmp_path, entries)
    first, before = inode(tmp_path), (cache_folder(tmp_path) / NAME).stat().st_size
    stored, notices = load(tmp_path)
    assert notices == [] and stored.entries == entries
    entries = {**entries, key(100): body(100)}
    save(tmp_path, entries, stored)
    assert inode(tmp_path) == first  # the same file, extended
    grown = (cache_folder(tmp_path) / NAME).stat().st_size - before
    assert grown < 2 * len(body(100)) + 100
    assert load(tmp_path) == (Stored(entries, load(tmp_path)[0].state), [])


def test_an_unchanged_set_writes_nothing(tmp_path: Path) -> None:
    entries = {key(n): body(n) for n in range(10)}
    save(tmp_path, entries)
    before = (cache_folder(tmp_path) / NAME).stat()
    save(tmp_path, entries, load(tmp_path)[0])
    after = (cache_folder(tmp_path) / NAME).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_entries_no_longer_needed_are_dropped_once_they_are_an_eighth_of_the_file(
        tmp_path: Path) -> None:
    entries = {key(n): body(n) for n in range(64)}
    save(tmp_path, entries)
    for edit in range(64):  # each edit replaces one body: the old one stays behind a while
        stored = load(tmp_path)[0]
        del entries[key(edit)]
        entries[key(1000 + edit)] = body(1000 + edit)
        save(tmp_path, entries, stored)
        held = load(tmp_path)[0].entries
        assert held.items() >= entries.items()
        assert len(held) - len(entries) <= 64 / 8 + 1  # an eighth of what it holds
    assert len(load(tmp_path)[0].entries) <= 64 + 9


def test_a_file_changed_since_it_was_loaded_is_written_whole(tmp_path: Path) -> None:
    """Another build saved in between: appending to what this build did not load could
    chain onto the wrong segment, so the file is replaced instead."""
    save(tmp_path, {key(1): body(1)})
    stale = load(tmp_path)[0]
    save(tmp_path, {key(1): body(1), key(2): body(2)}, load(tmp_path)[0])  # the other build
    first = inode(tmp_path)
    save(tmp_path, {key(1): body(1), key(3): body(3)}, stale)
    assert inode(tmp_path) != first
    stored, notices = load(tmp_path)
    assert notices == [] and stored.entries == {key(1): body(1), key(3): body(3)}


def test_a_later_entry_overrides_an_earlier_one(tmp_path: Path) -> None:
    save(tmp_path, {key(n): body(n) for n in range(50)})
    entries = {key(n): body(n) for n in range(50)} | {key(7): "new text"}
    save(tmp_path, entries, load(tmp_path)[0])
    assert load(tmp_path)[0].entries == entries


def test_segments_from_another_file_are_damage(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for root, start in ((one, 0), (two, 500)):
        root.mkdir()
        save(root, {key(n): body(n) for n in range(start, start + 20)})
        save(root, {key(n): body(n) for n in range(start, start + 21)}, load(root)[0])
    first = (cache_folder(one) / NAME).read_bytes()
    second = (cache_folder(two) / NAME).read_bytes()
    tail = len(body(520)) + 16 + 4 + 8 + 32  # the appended segment of `two`
    (cache_folder(one) / NAME).write_bytes(first[:-tail] + second[-tail:])
    assert load(one) == (Stored(), ["build cache is damaged (its checksum does not match); "
                                    "discarded, it is made again by this build"])


def test_another_header_is_stale_and_damage_is_not_taken_for_staleness(
        tmp_path: Path) -> None:
    save(tmp_path, {key(1): body(1)})
    path = cache_folder(tmp_path) / NAME
    data = path.read_bytes()
    path.write_bytes(data.replace(HEADER, b"made by someone else\n"))
    assert load(tmp_path)[1][0].startswith("build cache is damaged")
    assert save_entries(tmp_path, NAME, MAGIC, b"another version\n", {}, "") == []
    assert load(tmp_path) == (Stored(), ["build cache is stale; discarded, it is made again "
                                         "by this build"])


def test_the_same_cache_in_an_older_format_is_stale_not_foreign(tmp_path: Path) -> None:
    """After an upgrade, the last version's cache is another version's, not a stranger."""
    folder = cache_folder(tmp_path)
    folder.mkdir()
    (folder / NAME).write_bytes(b"test cache 0\nanything at all")
    assert load(tmp_path) == (Stored(), ["build cache is stale; discarded, it is made again "
                                         "by this build"])
    (folder / NAME).write_bytes(b"test cachet 1\n")
    assert load(tmp_path)[1] == ["build cache is not a sitegen cache file; discarded, it is "
                                 "made again by this build"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dictionaries(st.integers(0, 30), st.text(max_size=40), max_size=12),
                min_size=1, max_size=8))
def test_any_sequence_of_saves_loads_back_what_was_saved_last(
        saves: list[dict[int, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for step in saves:
            entries = {key(n): text for n, text in step.items()}
            save(root, entries, load(root)[0])
            stored, notices = load(root)
            assert notices == []
            assert stored.entries.items() >= entries.items()
