"""Share cards: what one costs to draw, and to take from the cache.

    python bench/cards.py [--count 300]

Draws `count` cards of claims from a generated corpus into a fresh cache (cold), then asks
the cache for each again (warm: hash, CRC check of the cached PNG). Prints ms per card (wall
clock, and this process's CPU time) and the cards' mean size in KB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import MAKE_CORPUS

from sitegen.cards.draw import CardFonts
from sitegen.cards.files import CardCache
from sitegen.models import ShareCard


def claims(folder: Path, count: int) -> list[tuple[str, str]]:
    """(claim, claimant) of `count` generated fact-checks."""
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(folder), "--count", str(count)],
                   check=True, capture_output=True)
    found = []
    for path in sorted(folder.rglob("*.md"))[:count]:
        fields = dict(line.split(": ", 1) for line in path.read_text().split("---")[1].splitlines()
                      if ": " in line and not line.startswith(" "))
        found.append((fields["claim"].strip('"'), fields["claimant"].strip('"')))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        cards = [ShareCard("The Claim Desk", "claimdesk.example.org", claim, claimant,
                           "Partially false", "#b3400a")
                 for claim, claimant in claims(work / "corpus", count)]
        cache = CardCache(work / "cache", CardFonts())
        for label in ("cold (drawn)", "warm (cached)"):
            started, cpu = time.perf_counter(), time.process_time()
            files = [cache.ensure(card) for card in cards]
            per_card = (time.perf_counter() - started) / len(cards) * 1000
            cpu_per_card = (time.process_time() - cpu) / len(cards) * 1000
            kilobytes = sum(path.stat().st_size for path in files) / len(files) / 1024
            print(f"{label}: {per_card:.2f} ms a card ({cpu_per_card:.2f} ms CPU), "
                  f"{kilobytes:.1f} KB a card, {len(cards)} cards, "
                  f"{per_card * 10:.1f} s for 10,000")


if __name__ == "__main__":
    main()
