"""Where a cold build's CPU goes in sitegen's own code: share cards and page rendering, each in
one process, as CPU time (not wall time), with a digest of what was made.

    python bench/cold_cpu.py SITE [--cards 500] [--rounds 3] [--profile cards|render]

SITE is a site folder (a corpus from bench/make_corpus.py with a sitegen.toml, as
bench/README.md describes). Prints the CPU milliseconds a share card takes (the best of
`rounds`, each with fonts opened afresh), the milliseconds a route takes to render (every
route of the site, as one build renders them, by template), and two digests: of the cards'
pixels and of every rendered file's bytes. A change that claims to leave the output alone
must leave both digests as they were; compare them before and after it.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import hashlib
import io
import pstats
import sys
import time
from pathlib import Path

import jinja2

from sitegen.cards.draw import CardFonts, draw_card
from sitegen.commands.check import load
from sitegen.models import ShareCard
from sitegen.render.pages import RenderedFile, make_environment, render_each
from sitegen.runtime.workers import configured
from sitegen.site.graph import Site
from sitegen.site.routes import Route


def cards_cpu(cards: list[ShareCard], rounds: int) -> tuple[float, str]:
    """The best CPU ms a card over `rounds`, and a digest of the cards' pixels."""
    from PIL import Image

    best, drawn = float("inf"), []
    for _ in range(rounds):
        fonts = CardFonts()
        started = time.process_time()
        drawn = [draw_card(card, fonts) for card in cards]
        best = min(best, (time.process_time() - started) / len(cards) * 1000)
    digest = hashlib.sha256()
    for data in drawn:
        with Image.open(io.BytesIO(data)) as image:
            digest.update(image.convert("RGB").tobytes())
    return best, digest.hexdigest()


def render_cpu(site: Site, rounds: int) -> tuple[dict[str, tuple[int, float]], str]:
    """Template (or route kind) -> (routes, best CPU ms a route), and a digest of every file."""
    env = make_environment(site.config.templates_path)
    render_each(site, env, lambda route, file: None)  # compile the templates first
    kinds: dict[str, tuple[int, float]] = {}
    files: dict[str, bytes] = {}
    for _ in range(rounds):
        for kind, (count, ms) in _render_round(site, env, files).items():
            kinds[kind] = (count, min(ms, kinds.get(kind, (0, ms))[1]))
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return kinds, digest.hexdigest()


def _render_round(site: Site, env: jinja2.Environment,
                  files: dict[str, bytes]) -> dict[str, tuple[int, float]]:
    """One rendering of every route: kind -> (routes, CPU ms a route); files kept in `files`."""
    spent: dict[str, float] = collections.defaultdict(float)
    counts: collections.Counter[str] = collections.Counter()
    last = time.process_time()

    def keep(route: Route, file: RenderedFile) -> None:
        nonlocal last
        now = time.process_time()
        kind = route.template or type(route).__name__
        spent[kind] += now - last
        counts[kind] += 1
        last = now
        files[file.path] = file.data

    render_each(site, env, keep)
    return {kind: (counts[kind], spent[kind] / counts[kind] * 1000) for kind in counts}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--cards", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=["cards", "render"])
    options = parser.parse_args()
    loaded = load(options.site.resolve())
    if loaded.site is None:
        sys.exit("the site has errors: run sitegen check")
    site = loaded.site
    cards = [route.card for route in site.cards][:options.cards]
    if options.profile:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        if options.profile == "cards":
            cards_cpu(cards, 1)
        else:
            render_cpu(site, 1)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)
        return
    if cards:
        per_card, pixels = cards_cpu(cards, options.rounds)
        print(f"share cards: {per_card:.2f} CPU ms a card ({len(cards)} cards), "
              f"pixels {pixels[:16]}")
    kinds, output = render_cpu(site, options.rounds)
    total = sum(count * ms for count, ms in kinds.values())
    routes = sum(count for count, _ in kinds.values())
    print(f"rendering: {total / routes:.3f} CPU ms a route ({routes} routes, "
          f"{total / 1000:.2f} s), files {output[:16]}")
    for kind, (count, ms) in sorted(kinds.items(), key=lambda item: -item[1][0] * item[1][1]):
        print(f"  {kind}: {count} x {ms:.3f} ms")


if __name__ == "__main__":
    with configured(1):  # CPU time is measured in this process: no workers
        main()
