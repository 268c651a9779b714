"""Drawing share cards, the social-media images of fact-checks: above history, below site.

It exists apart because drawing needs Pillow and zlib-ng, which `sitegen check` must never
load (tests/test_startup.py): the site graph decides which cards exist, this package draws
them (draw: layout; text: lines and ellipses; canvas and png: pixels and the file; drawers:
the background processes; files: the build's cards, taken from the cache
or drawn). A newcomer changes the card's look in
draw.py and its text fitting in text.py.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.cards.canvas import COVERED, Canvas, Placed, palette, stamp
    from sitegen.cards.draw import (
        CARD_HEIGHT,
        CARD_WIDTH,
        CLAIM_SIZES,
        FONTS_PATH,
        INK,
        CardFonts,
        badge_box,
        claim_layout,
        draw_card,
        drawable,
        missing_letters,
    )
    from sitegen.cards.drawers import Drawers
    from sitegen.cards.files import CardCache, Drawing, intact_png, not_yet_drawn
    from sitegen.cards.png import SharedBands, adler_combine, write_png
    from sitegen.cards.text import ELLIPSIS, direction, fit_line, graphemes, wrap

__all__ = [
    "CARD_HEIGHT", "CARD_WIDTH", "CLAIM_SIZES", "COVERED", "ELLIPSIS",
    "FONTS_PATH", "INK", "Canvas", "CardCache", "CardFonts", "Drawers", "Drawing", "Placed",
    "SharedBands", "adler_combine", "badge_box", "claim_layout", "direction", "draw_card",
    "drawable", "fit_line", "graphemes", "intact_png", "missing_letters", "not_yet_drawn",
    "palette", "stamp", "wrap", "write_png",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "CardCache": "sitegen.cards.files",
        "Drawing": "sitegen.cards.files",
        "intact_png": "sitegen.cards.files",
        "not_yet_drawn": "sitegen.cards.files",
        "COVERED": "sitegen.cards.canvas",
        "Canvas": "sitegen.cards.canvas",
        "Placed": "sitegen.cards.canvas",
        "palette": "sitegen.cards.canvas",
        "stamp": "sitegen.cards.canvas",
        "CARD_HEIGHT": "sitegen.cards.draw",
        "CARD_WIDTH": "sitegen.cards.draw",
        "CLAIM_SIZES": "sitegen.cards.draw",
        "CardFonts": "sitegen.cards.draw",
        "FONTS_PATH": "sitegen.cards.draw",
        "INK": "sitegen.cards.draw",
        "badge_box": "sitegen.cards.draw",
        "claim_layout": "sitegen.cards.draw",
        "draw_card": "sitegen.cards.draw",
        "drawable": "sitegen.cards.draw",
        "missing_letters": "sitegen.cards.draw",
        "Drawers": "sitegen.cards.drawers",
        "SharedBands": "sitegen.cards.png",
        "adler_combine": "sitegen.cards.png",
        "write_png": "sitegen.cards.png",
        "ELLIPSIS": "sitegen.cards.text",
        "direction": "sitegen.cards.text",
        "fit_line": "sitegen.cards.text",
        "graphemes": "sitegen.cards.text",
        "wrap": "sitegen.cards.text",
    })
