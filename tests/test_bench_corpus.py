"""The benchmarks' corpus generator ships with the repository (bench/make_corpus.py): a clone
can make the corpus, and what it makes builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sitegen import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import tools  # noqa: E402 - from bench/, put on the path above

COUNT = 20


def make_corpus(out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """bench/make_corpus.py run as the bench runs it, but without site-packages (-S): the
    bench's own environment (Pelican, Hugo) has no sitegen, so it must need none."""
    return subprocess.run([sys.executable, "-S", str(tools.MAKE_CORPUS), str(out), "--count",
                           str(COUNT), *options], capture_output=True, text=True, check=True)


def test_a_tiny_generated_corpus_builds_without_errors(tmp_path: Path) -> None:
    """Twenty articles from bench/make_corpus.py, with the bench's sitegen.toml, build with no
    error, one page per article."""
    site = tmp_path / "site"
    run = make_corpus(site / "content", "--seed", "1")
    assert f"wrote {COUNT} articles" in run.stdout
    assert len(list((site / "content").rglob("fact-check-*.md"))) == COUNT
    (site / "sitegen.toml").write_text(tools.SITEGEN_TOML, encoding="utf-8")
    result = build(site, BuildOptions())
    assert [p.format() for p in result.problems if p.is_error] == []
    assert result.ok and result.factchecks == COUNT
    assert len(list((site / "output").glob("20*/fact-check-*/index.html"))) == COUNT


def test_the_same_seed_writes_the_same_corpus_in_every_flavour(tmp_path: Path) -> None:
    """Figures are compared across runs and generators: a seed always writes the same bytes,
    Hugo's copy under posts/, Pelican's with its own header and the same body."""
    first, again = tmp_path / "first", tmp_path / "again"
    make_corpus(first)
    make_corpus(again)
    written = {p.relative_to(first): p.read_bytes() for p in first.rglob("*.md")}
    assert written == {p.relative_to(again): p.read_bytes() for p in again.rglob("*.md")}
    make_corpus(tmp_path / "hugo", "--flavor", "hugo")
    make_corpus(tmp_path / "pelican", "--flavor", "pelican")
    for name, text in written.items():
        assert (tmp_path / "hugo" / "posts" / name).read_bytes() == text
        pelican = (tmp_path / "pelican" / name).read_text(encoding="utf-8")
        assert pelican.startswith("Title: ")
        assert pelican.split("\n\n", 1)[1] == text.decode().split("---\n\n", 1)[1]


def test_every_bench_script_uses_the_repository_generator() -> None:
    """No bench script reaches outside the repository (../shared/bench/) for its corpus."""
    assert tools.MAKE_CORPUS == BENCH / "make_corpus.py"
    for script in BENCH.glob("*.py"):
        text = script.read_text(encoding="utf-8")
        assert '"shared"' not in text and "../shared" not in text, script.name
