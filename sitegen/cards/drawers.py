"""Share cards drawn by fresh Python processes while the build renders its pages.

Why not forked workers, as for Markdown and pages: a fork starts with the parent's whole
heap (the site graph, about 200 MB at 10,000 articles), and every page of it that either
side writes afterwards is copied, reference counts included. A forked card drawer beside a
parent that renders pages (touching every document) doubled most of the heap; that was a
cold build's peak. A fresh interpreter holds Pillow, the fonts and its share of the cards,
a few tens of MB, and costs about 0.2 s to start: worth it only for many cards
(`cards.DrawBeside`).

A drawer gets its cards in a file on its standard input, draws each into the card cache,
stores it atomically and then reports it stored: its position in the drawer's share, one
line each, on its standard output (a file, so a drawer never waits for the parent to read;
the parent reads it while the drawer runs, and copies each card reported into the new site
while the rest are drawn).
The parent takes a reported card's file as it is; every other card of the share it takes
from the cache as always (`CardCache.ensure` in files.py, which checks the PNG and draws it
when it is missing or damaged), so a card a drawer did not store, because it failed or was
stopped, is drawn by the parent: a drawer can slow a build down but never change what it makes. A
report cut short by a kill loses its last line at most, and that card is checked. Checking
every card instead cost 0.4 ms each, 4 s of a 10,000-article build with one core idle.
A drawer's errors go to the terminal.

A drawer runs at a lower priority than the build (`NICENESS`): the cards are needed last, once
the pages are rendered and indexed, while the rendering and Pagefind are the build's
critical path. At the same priority, two drawers and the rendering process shared two cores
three ways, and the rendering, a third short, went on alone for seconds after the drawers
were done; lowered, the drawers take what the rendering leaves and fill the indexer's
gaps (a cold build of 10,000 articles, alternated three times: wall time 0.53 to 0.54 of
the CPU time instead of 0.56 to 0.58; bench/README.md).

A drawer keeps the memory it frees (`keeping_freed_memory`): drawing a card takes and gives
back the same few megabytes, and a drawer whose C library returned them to the system after
each card faulted them in again, page by page: up to 7 s of system time at 10,000
articles (docs/performance.md).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from sitegen.cache.cards import store_card
from sitegen.cards.draw import CardFonts, draw_card
from sitegen.models import ShareCard
from sitegen.runtime.memory import keeping_freed_memory
from sitegen.runtime.priority import BACKGROUND_NICENESS, lower_priority

PACKAGE_PARENT = Path(__file__).resolve().parents[2]
"""The folder this sitegen is imported from: a drawer must run this code, not another
installed copy."""


NICENESS = BACKGROUND_NICENESS
"""How much lower than the build a drawer runs (as `nice`; the search indexer's background
runs use the same)."""


class Drawers:
    """Drawer processes started by `start`, each with its share of the cards (their cache
    files) and the file it reports the stored ones in."""

    def __init__(self, processes: Sequence[subprocess.Popen[bytes]],
                 shares: Sequence[Sequence[Path]] = (),
                 reports: Sequence[IO[bytes]] = ()) -> None:
        self.processes = list(processes)
        self.shares = list(shares)
        self.reports = list(reports)
        self._read: dict[int, int] = {}
        """How much of each report (by position) `newly_stored` has taken: whole lines."""

    def stored(self) -> set[Path]:
        """The cache files the drawers reported stored, once they have exited (a drawer
        still running is waited for): each holds the card drawn for it in this build."""
        self.wait()
        self._read = {}
        done = self.newly_stored()
        self.close()
        return done

    def newly_stored(self) -> set[Path]:
        """The cache files reported stored since the last call, while the drawers run, so
        that the build copies cards as they come (a line not ended yet waits for the next
        call). Read at an offset: a drawer writes its report through the same open file,
        and moving its position would make the drawer write over its own lines."""
        done: set[Path] = set()
        for k, (share, report) in enumerate(zip(self.shares, self.reports, strict=True)):
            taken = self._read.get(k, 0)
            data = _read_from(report, taken)
            whole = data[:data.rfind(b"\n") + 1]
            self._read[k] = taken + len(whole)
            for line in whole.splitlines():
                if line.isdigit() and int(line) < len(share):
                    done.add(share[int(line)])
        return done

    def running(self) -> bool:
        return any(process.poll() is None for process in self.processes)

    def pause(self, seconds: float) -> None:
        """Wait up to `seconds`, less when a drawer exits meanwhile."""
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(seconds)
                return

    def wait(self) -> None:
        """Until every drawer has exited (each its own way: the parent checks the files)."""
        for process in self.processes:
            process.wait()

    def stop(self) -> None:
        """End the drawers still running (the build stopped early); what they stored stays
        in the cache, complete, for the next build."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()

    def close(self) -> None:
        """Let go of the reports not read (the build stopped before it took the cards)."""
        for report in self.reports:
            report.close()
        self.reports, self.shares = [], []


def start(cards: Sequence[tuple[Path, ShareCard]], fonts: Path, workers: int) -> Drawers:
    """`workers` drawers for `cards` (cache file, card), dealt round-robin so that each
    gets a like mix of short and long claims."""
    environment = keeping_freed_memory({**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(PACKAGE_PARENT), os.environ.get("PYTHONPATH")]))})
    command = [sys.executable, "-P", "-m", __name__, str(NICENESS)]
    drawers = Drawers([])
    try:
        for k in range(max(1, workers)):
            share = cards[k::max(1, workers)]
            if not share:
                continue
            report = tempfile.TemporaryFile()  # noqa: SIM115 (read and closed by stored())
            drawers.reports.append(report)
            with tempfile.TemporaryFile() as order:
                order.write(pickle.dumps((str(fonts), [(str(path), card) for path, card in share]),
                                         protocol=pickle.HIGHEST_PROTOCOL))
                order.seek(0)
                drawers.processes.append(subprocess.Popen(command, stdin=order, stdout=report,
                                                          env=environment))
            drawers.shares.append([path for path, _ in share])
    except BaseException:
        drawers.stop()
        drawers.close()
        raise
    return drawers


def _read_from(report: IO[bytes], offset: int) -> bytes:
    """What the report holds from `offset` on, leaving the file's position alone."""
    chunks = []
    while chunk := os.pread(report.fileno(), 1 << 16, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def draw_all(fonts_folder: str, cards: Sequence[tuple[str, ShareCard]],
             report: IO[str]) -> None:
    """A drawer's work: one `CardFonts` for all its cards, so the lines and rows cards share
    are made once; each card's position written to `report` once it is stored, at once (the
    build copies cards as they are reported; a write is 5 us against a card's 3 ms)."""
    fonts = CardFonts(Path(fonts_folder))
    made: set[Path] = set()
    for index, (path, card) in enumerate(cards):
        try:
            store_card(Path(path), draw_card(card, fonts), made)
        except OSError:
            continue  # the parent draws it again and reports why it could not be stored
        report.write(f"{index}\n")
        report.flush()


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the build reports it, not each drawer
    lower_priority(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    fonts_folder, cards = pickle.loads(sys.stdin.buffer.read())
    draw_all(fonts_folder, cards, sys.stdout)
    sys.stdout.flush()



if __name__ == "__main__":
    main()
