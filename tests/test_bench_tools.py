"""The measuring parts of bench/run.py: what they report must be true, or every figure the
comparison prints is wrong. (No timing is asserted: only memory a test allocates on purpose,
exit codes, and the text the Markdown line converts.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sitegen.content import SourceFile, read_record

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import markdown_cpu  # noqa: E402 - from bench/, put on the path above
import proctree  # noqa: E402
import run  # noqa: E402
import tools  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(),
                                reason="process-tree sampling reads Linux's /proc")

# A parent holding 30 MB that starts a child holding 80 MB, whose command line names
# "pagefind" as sitegen's search indexer's does; both touch their memory, the child spends
# half a second of CPU time, then sleeps half a second.
TREE = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; b = b'x' * 80_000_000; "
                          "end = time.process_time() + 0.5\\n"
                          "while time.process_time() < end: pass\\n"
                          "time.sleep(0.5)", "pagefind"])
held = b"y" * 30_000_000
child.wait()
"""


def test_tree_peak_counts_children_and_sets_the_indexer_apart(tmp_path: Path) -> None:
    result = proctree.measure([sys.executable, "-c", TREE], tmp_path)
    assert result.tree_mb >= 110 * 0.95
    assert 30 * 0.95 <= result.main_mb < 80
    assert result.max_rss_mb >= 80
    assert 0.5 <= result.apart_cpu <= result.cpu


def test_a_failed_build_is_an_error_with_its_stderr(tmp_path: Path) -> None:
    with pytest.raises(proctree.RunFailedError, match=r"exited 3:\s+what went wrong"):
        proctree.measure([sys.executable, "-c",
                          "import sys; sys.stderr.write('what went wrong'); sys.exit(3)"],
                         tmp_path)


def test_markdown_line_converts_the_body_sitegen_converts() -> None:
    text = ('---\ntitle: "A --- tricky title"\nverdict: false\n---\n\nFirst paragraph.\n\n'
            "---\n\nAfter a rule.\n")
    record = read_record(SourceFile("content/a.md", text.encode()))
    assert not isinstance(record, list)
    assert markdown_cpu.body(text).strip() == record.body.strip()


def runs(wall: float, cpu: float, indexer: float = 0.0) -> list[proctree.Measurement]:
    """One run's figures, as run.py's SizeResult holds them."""
    return [proctree.Measurement(wall, cpu, 100.0, 90.0, 80.0, indexer, 0.5)]


def size_result(count: int) -> run.SizeResult:
    """Every scenario of run.py, with round figures."""
    return run.SizeResult(count, {
        "sitegen cold, no cards": runs(40.0, 76.0, 20.0), "sitegen cold": runs(60.0, 110.0, 22.0),
        "sitegen warm": runs(5.0, 5.0), "sitegen warm, 1 edit": runs(6.0, 6.0),
        "sitegen warm, config edit": runs(20.0, 30.0), "pelican cold": runs(80.0, 78.0),
        "hugo cold": runs(25.0, 45.0)}, 18.0, 2, True)


def test_the_targets_are_checked_at_the_sizes_the_issue_names_them_for() -> None:
    """At 10,000 articles every ratio has its target; at 1,000 only the cold build against
    Pelican (0.4); at other sizes none: the rest is shown for the record, never failed."""
    targets = {size: {row.label.split(": ", 1)[1].split(" (")[0]: (row.target, row.passed)
                      for row in run.size_checks(size_result(size)) if "memory" not in row.label
                      and "without share cards" not in row.label and "alone" not in row.label}
               for size in (1000, 10000, 50000)}
    assert targets[10000] == {
        "sitegen cold / Markdown line": ("≤ 1.15", False),
        "sitegen cold / Pelican cold": ("≤ 0.35", False),
        "sitegen cold / Hugo cold": ("≤ 1.5", False),
        "sitegen warm / Hugo cold": ("≤ 0.25", True),
        "sitegen warm, 1 edit / Hugo cold": ("≤ 0.25", True)}
    assert targets[1000] == {**{label: ("-", None) for label in targets[10000]},
                             "sitegen cold / Pelican cold": ("≤ 0.4", False)}
    assert targets[50000] == {label: ("-", None) for label in targets[10000]}


def test_the_record_rows_set_the_cold_build_without_cards_beside_the_references() -> None:
    """run.py's rows for the record: the build without share cards over the same references,
    and the floor that Markdown and Pagefind alone set (their CPU over the cores), which
    shows whether the Markdown line's target can be met at all."""
    result = size_result(10000)
    rows = {row.label: row for row in run.record_checks(result)}
    assert [(row.measured, row.cpu) for row in rows.values()][:3] == [
        ("4.44", "4.22"), ("0.50", "0.97"), ("1.60", "1.69")]
    floor = rows["10000: Markdown + Pagefind alone (18.0 + 22.0 CPU s / 2 cores = 20.00 s) / "
                 "Markdown line"]
    assert floor.measured == "2.22" and floor.passed is None
    assert all(row.passed is None for row in rows.values())


def test_cleaning_sets_the_last_build_aside_and_the_trash_is_emptied_later(
        tmp_path: Path) -> None:
    """A cold start finds none of the last build's files, yet nothing is deleted until the
    timed builds are done (deletes just before a build are timed too, see tools.Build)."""
    site = tmp_path / "site"
    (site / "output" / "a").mkdir(parents=True)
    (site / "output" / "a" / "index.html").write_text("old", encoding="utf-8")
    (site / ".sitegen-cache").write_text("cache", encoding="utf-8")
    build = tools.Build("sitegen", ("true",), site,
                        cold=(site / "output", site / ".sitegen-cache", site / "absent"))
    trash = tmp_path / "trash"
    build.clean(trash)
    build.clean(trash)  # nothing left to set aside: no error
    assert not (site / "output").exists() and not (site / ".sitegen-cache").exists()
    kept = sorted(trash.iterdir())
    assert [path.name.rsplit("-", 1)[0] for path in kept] == ["sitegen-.sitegen-cache",
                                                              "sitegen-output"]
    assert (kept[1] / "a" / "index.html").read_text(encoding="utf-8") == "old"
    tools.empty_trash(trash)
    assert not trash.exists()
