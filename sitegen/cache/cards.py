"""Share cards as drawn, kept between builds: `.sitegen-cache/cards/`, one PNG a card, named
by a digest of what it shows.

Drawing is the slow part of a card (tens of milliseconds), so each card is drawn once and
kept as `KEY[:2]/KEY.png`, where the key (`card_key`) is a SHA-256 of the card's values and
of a salt naming everything else that decides its pixels (the renderer's version, the fonts,
Pillow and its layout engine: `CardFonts.fingerprint` in sitegen.cards.draw). The salt is
this cache's version stamp: a card drawn by other code or other fonts has another name, is
never asked for, and is pruned once it is a day old (`prune_cards`). A card is stored whole
or not at all (`store_card`, through folders.replace_file), by the build or by a card drawer
running beside it. Whether a stored file is an intact PNG of a card's size is the drawing
code's to check (sitegen.cards.files), which draws it again when it is not: a damaged card
is drawn again, never published.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path

from sitegen.cache.folder import CACHE_DIR, CARDS_FOLDER, cache_folder
from sitegen.folders import ensure_dir, replace_file
from sitegen.models import ShareCard

CARDS_SHOWN = f"{CACHE_DIR}/{CARDS_FOLDER}/"
"""The card cache as a warning names it (relative to the site)."""
PRUNE_AFTER = 24 * 3600
"""Seconds a card no page shows stays cached: a preview with drafts may still want it."""
_CARD_FIELDS = tuple(item.name for item in fields(ShareCard))


def card_folder(root: Path) -> Path:
    return cache_folder(root) / CARDS_FOLDER


def card_key(salt: str, card: ShareCard) -> str:
    """The name of `card` in the cache: a digest of what it shows and of `salt`."""
    shown = {name: getattr(card, name) for name in _CARD_FIELDS}  # asdict, without copying
    text = json.dumps([salt, shown], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def card_file(folder: Path, key: str) -> Path:
    """Where the card named `key` is kept in `folder` (a folder holds 1/256 of the cards)."""
    return folder / key[:2] / f"{key}.png"


def store_card(path: Path, data: bytes, made: set[Path] | None = None) -> None:
    """Keep a drawn card so that a concurrent build or drawer sees the old file or the new
    one, never half of one. `made`: the folders this process has made or found."""
    ensure_dir(path.parent, made if made is not None else set())
    replace_file(path, (data,))


def prune_cards(folder: Path, keep: Iterable[Path]) -> None:
    """Delete cached cards no page shows any more (old claims, old fonts) once they are a
    day old, so the cache does not grow with every edit."""
    wanted = set(keep)
    if not folder.is_dir():
        return
    limit = time.time() - PRUNE_AFTER
    for path in folder.glob("*/*.png"):
        try:
            if path not in wanted and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue  # gone already: another build pruned it
