"""Each share card of a site as a file to copy into it: taken from the card cache, or drawn
(here, by forked workers, or by drawer processes beside the rendering) when it is missing.

Which fact-checks get a card and what it shows is the site graph's (sitegen.site.cards:
`CardRoute`s); where a drawn card is kept, under what name, is the card cache's
(sitegen.cache.cards). A build copies cached cards into the output instead of drawing them;
a cached file that is not an intact PNG of a card's size is drawn again, never copied.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.cache.cards import (
    CARDS_SHOWN,
    card_file,
    card_folder,
    card_key,
    prune_cards,
    store_card,
)
from sitegen.cards.draw import (
    CARD_HEIGHT,
    CARD_WIDTH,
    CardFonts,
    draw_card,
)
from sitegen.cards.png import whole_png
from sitegen.config.settings import SiteConfig
from sitegen.models import CardRoute, ShareCard
from sitegen.problems import Problem, warning
from sitegen.runtime.workers import default_jobs, parallel_map, requested_jobs

if TYPE_CHECKING:
    from sitegen.cards.drawers import Drawers

CARD_PAGES = 3
"""A card costs about what three pages cost to render and write (4.6 against 1.5 ms at
10,000 articles, bench/README.md): cards are drawn beside the rendering when they are at
least as much work as the pages."""
MIN_BESIDE = 200
"""Fewer cards than this are drawn before the pages: starting a drawer costs ~0.2 s."""
REPORT_PAUSE = 0.25
"""Seconds between looks at what the drawers have stored (two drawers store ~150 cards in
that time)."""


@dataclass
class CardCache:
    """Cards drawn once, kept by what they show; `drawn` counts the cards drawn this build.

    Without a usable cache folder (`--no-cache`, or `.sitegen-cache` unwritable) cards are
    drawn into a temporary folder that lasts as long as this object: a build never fails
    for want of a cache, and `--no-cache` leaves nothing in the site."""

    folder: Path
    fonts: CardFonts
    drawn: int = 0
    problems: list[Problem] = field(default_factory=list)
    scratch: bool = False

    def __post_init__(self) -> None:
        self._salt = self.fonts.fingerprint()
        self._keys: dict[ShareCard, str] = {}
        """Each card's name in the cache, worked out once: a build asks for it four times
        a card (12 us each: JSON and SHA-256 of what the card shows)."""
        if self.scratch:
            self._use_scratch()

    @classmethod
    def for_site(cls, config: SiteConfig, persistent: bool = True) -> CardCache:
        return cls(card_folder(config.root), CardFonts(), scratch=not persistent)

    def _use_scratch(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="sitegen-cards-"))
        self.scratch = True
        weakref.finalize(self, shutil.rmtree, self.folder, True)

    def take_problems(self) -> list[Problem]:
        """The warnings since the last call (a cache folder that could not be written)."""
        found, self.problems = self.problems, []
        return found

    def path(self, card: ShareCard) -> Path:
        key = self._keys.get(card)
        if key is None:
            key = self._keys[card] = card_key(self._salt, card)
        return card_file(self.folder, key)

    def cached(self, card: ShareCard) -> Path | None:
        """The cached file of `card` when it is there and intact."""
        path = self.path(card)
        return path if path.is_file() and intact_png(path) else None

    def ensure(self, card: ShareCard) -> Path:
        """The cached file of `card`, drawn (again) when missing or damaged."""
        path = self.path(card)
        if path.is_file() and intact_png(path):
            return path
        data = draw_card(card, self.fonts)
        self.drawn += 1
        try:
            store_card(path, data)
        except OSError as exc:
            if self.scratch:
                raise
            self.problems.append(warning(
                CARDS_SHOWN, None, None,
                f"share cards could not be cached: {exc.strerror or exc}",
                "every build draws them again; run 'sitegen clean' or fix the folder"))
            self._use_scratch()
            path = self.path(card)
            store_card(path, data)
        return path

    def files(self, cards: Sequence[CardRoute]) -> list[tuple[str, Path]]:
        """(output path, cached file) for each card, ready to copy like a static file; the
        cards not cached yet are drawn here, in this process (a preview's few)."""
        return self._draw(cards, 1).files()

    def draw(self, cards: Sequence[CardRoute], pages: int | None = None) -> Drawing:
        """Start on the cards not cached yet. When they are at least as much work as
        rendering `pages` pages, fresh processes draw them while the caller renders (one
        per core: the caller's rendering is the extra one); otherwise they are drawn now,
        in as many forked processes as the command asked for (runtime.workers)."""
        return self._draw(cards, requested_jobs(), pages)

    def _draw(self, cards: Sequence[CardRoute], jobs: int | None,
              pages: int | None = None) -> Drawing:
        ready, pending = self.split(cards)
        workers = default_jobs() if jobs is None else jobs
        if (pages is not None and workers > 1 and len(pending) >= MIN_BESIDE
                and len(pending) * CARD_PAGES >= pages):
            from sitegen.cards.drawers import start as start_drawers

            fonts = self.fonts.regular_path.parent
            try:
                drawers = start_drawers(
                    [(self.path(route.card), route.card) for route in pending], fonts, workers)
            except OSError:  # no interpreter to start (an embedded Python): draw them here
                pass
            else:
                return Drawing(self, ready, pending, drawers)
        if pending and jobs != 1:
            stored = parallel_map(self._draw_into_cache, [route.card for route in pending], jobs)
            return Drawing(self, ready, pending,
                           stored={self.path(route.card)
                                   for route, done in zip(pending, stored, strict=True) if done})
        return Drawing(self, ready, pending)

    def _draw_into_cache(self, cards: Sequence[ShareCard], scale: int) -> list[bool]:
        """A worker's share: draw and store; what it could not store the parent draws again
        (and reports) when it takes the files."""
        stored, made = [], set[Path]()
        for card in cards:
            try:
                store_card(self.path(card), draw_card(card, self.fonts), made)
                stored.append(True)
            except OSError:
                stored.append(False)
        return stored

    def split(self, cards: Sequence[CardRoute]) -> tuple[list[tuple[str, Path]],
                                                          list[CardRoute]]:
        """The cards already cached, as files to copy, and the ones still to draw."""
        ready, pending = [], []
        for route in cards:
            path = self.cached(route.card)
            if path is None:
                pending.append(route)
            else:
                ready.append((route.path, path))
        return ready, pending

    def prune(self, keep: Iterable[Path]) -> None:
        """Delete cached cards no page shows any more once they are a day old (a scratch
        folder goes whole with this object)."""
        if not self.scratch:
            prune_cards(self.folder, keep)


@dataclass
class Drawing:
    """A build's share cards: cached already (`ready`), or to draw (`pending`), perhaps
    being drawn by `drawers` while the build renders its pages."""

    cache: CardCache
    ready: list[tuple[str, Path]]
    pending: list[CardRoute]
    drawers: Drawers | None = None
    stored: set[Path] = field(default_factory=set)
    """Cache files this build's own workers drew and stored: taken without a check."""

    @property
    def beside(self) -> bool:
        """Cards are being drawn by other processes while this one does other work."""
        return self.drawers is not None

    def files(self) -> list[tuple[str, Path]]:
        """(output path, cached file) for each card, once drawn: a card no drawer reported
        stored is checked in the cache, and drawn here when missing or damaged."""
        return [file for batch in self.batches() for file in batch]

    def batches(self, pause: float = REPORT_PAUSE) -> Iterator[list[tuple[str, Path]]]:
        """What `files` gives, in batches as the cards are ready: the cached ones, then those
        the drawers report stored, every `pause` seconds while they draw, so that the build
        copies each batch while the rest are drawn (after them, copying ten thousand cards
        was a cold build's last seconds, one core idle); last, the cards no drawer
        reported, checked and drawn here when needed."""
        yield list(self.ready)
        waiting: dict[Path, list[CardRoute]] = {}
        for route in self.pending:
            waiting.setdefault(self.cache.path(route.card), []).append(route)
        stored = set(self.stored)
        if self.drawers is not None:
            while self.drawers.running():
                self.drawers.pause(pause)
                batch = [(route.path, path) for path in self.drawers.newly_stored()
                         for route in waiting.pop(path, ())]
                if batch:
                    yield batch
            stored |= self.drawers.stored()
        last: list[tuple[str, Path]] = []
        for path, routes in waiting.items():
            ready = path if path in stored else self.cache.ensure(routes[0].card)
            last += [(route.path, ready) for route in routes]
        yield last

    def stop(self) -> None:
        """End drawers still running: the build stopped before it needed the cards."""
        if self.drawers is not None:
            self.drawers.stop()
            self.drawers.close()


def intact_png(path: Path) -> bool:
    """Whether `path` is a whole PNG of a card's size: every chunk's checksum is verified, so
    a truncated or damaged file is caught before it is published."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return whole_png(data, CARD_WIDTH, CARD_HEIGHT)


def not_yet_drawn(pending: frozenset[str], output: Path) -> frozenset[str]:
    """The pending cards a settle has not drawn into `output` yet (a settle runs in a child,
    so what it drew is learnt from the disk, once saves have paused)."""
    return frozenset(p for p in pending if not (output / p).exists())
