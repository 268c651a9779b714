"""What a short command loads: `sitegen --version` and `sitegen check` start fast because
they import only what they use (bench/run.py times them; here the imports are asserted, never
the time). Each runs for real in a fresh interpreter, which then lists its `sys.modules`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import ScratchSite

PROBE = """\
import sys
from sitegen.cli import main
try:
    code = main(sys.argv[1:])
finally:
    print("MODULES", *sorted(sys.modules), file=sys.stderr)
sys.exit(code)
"""
DRAWING = ("PIL", "sitegen.cards", "zlib_ng")
"""Drawing share cards: Pillow, every module of sitegen.cards (layout, canvas, PNG, drawers,
their cache) and zlib-ng. A check needs none; the site graph plans the cards (sitegen.site.
cards) and asks the cards' fonts, through Pillow, only about letters beyond ASCII."""
WRITING = ("sitegen.commands.build", "sitegen.stages.write", "sitegen.output.folder",
           "sitegen.output.publish", "sitegen.output.manifest", "sitegen.search.index",
           "sitegen.cards.drawers")
"""The writing half of a build (output folder, page reuse, search index, card drawers),
which a check, writing nothing, never needs (it runs only the load stage, sitegen.stages.load)."""
NEVER_FOR_CHECK = (*DRAWING, *WRITING, "sitegen.history.verdicts", "sitegen.history.git",
                   "importlib.metadata", "concurrent.futures", "pagefind")
"""Loaded only by a check that asks for git history (`--history`), or by a build (the search
index: its thread pool, Pagefind's version and lookup)."""
NEVER_FOR_VERSION = (*NEVER_FOR_CHECK, "jinja2", "markdown", "yaml", "sitegen.commands.check")


def run_sitegen(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str],
                                                     set[str]]:
    """`sitegen ARGS` in a new interpreter, and the modules it had loaded when it ended."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)
    listing = [line for line in done.stderr.splitlines() if line.startswith("MODULES ")]
    assert listing, done.stderr
    return done, set(listing[-1].split()[1:])


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of `names` (packages, with their submodules) are among `modules`."""
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_version_loads_no_library(tmp_path: Path) -> None:
    done, modules = run_sitegen(["--version"], tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("sitegen ")
    assert loaded(modules, NEVER_FOR_VERSION) == []


def test_check_of_a_new_site_loads_neither_pillow_nor_git_nor_the_indexer(
        tmp_path: Path) -> None:
    """A site made by `sitegen init` has share cards on, all in Latin letters: a check
    renders every page (Jinja, Markdown) but draws no card, asks the font nothing, and loads
    no card module (issue 22: it loaded the card drawing modules and zlib-ng)."""
    init = subprocess.run([sys.executable, "-m", "sitegen", "init", str(tmp_path / "desk")],
                          capture_output=True, text=True, check=False)
    assert init.returncode == 0, init.stderr
    done, modules = run_sitegen(["check"], tmp_path / "desk")
    assert done.returncode == 0, done.stderr
    assert "no errors, 1 warning" in done.stdout  # the example base_url, until it is set
    assert "site.base_url: is 'https://example.org/', an example address" in done.stderr
    assert {"jinja2", "markdown"} <= modules  # every page is rendered, every body converted
    assert loaded(modules, NEVER_FOR_CHECK) == []


def test_check_still_asks_the_font_about_letters_beyond_ascii(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Pillow is loaded when a card's text needs the font's coverage, and the check warns
    about what the font cannot draw, exactly as before Pillow was loaded lazily."""
    site.write("content/2020/chinese.md", make_factcheck(
        claim='"水库的水位下降了一半"', claimant='"Li Wei"', date="2020-05-01",
        title='"Reservoir levels"'))
    site.write("content/2020/russian.md", make_factcheck(
        claim='"Пенсии выросли вдвое"', claimant='"Иван Петров"', date="2020-05-02",
        title='"Pensions"'))
    done, modules = run_sitegen(["check"], site.root)
    assert done.returncode == 0, done.stderr
    assert "PIL" in modules
    warnings = [line for line in done.stderr.splitlines() if "share card" in line]
    assert warnings == [
        "content/2020/chinese.md:3: warning: claim: has letters the share card's font cannot "
        "draw (水库的位下降了一半); the page has no share image (give the fact-check an "
        "'image:' to share)"]
    assert loaded(modules, NEVER_FOR_CHECK[len(DRAWING):]) == []


def test_check_with_history_loads_the_history_reader(site: ScratchSite) -> None:
    """`--history` is the one check that reads git: outside a repository it says so."""
    done, modules = run_sitegen(["check", "--history"], site.root)
    assert "sitegen.history.verdicts" in modules and "sitegen.history.git" in modules
    assert "git" in done.stderr, done.stderr
