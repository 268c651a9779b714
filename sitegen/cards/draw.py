"""Draw a fact-check's share card: the 1200x630 PNG that social networks show with a link.

The card shows what a reader needs before clicking: the claim, who made it, and the verdict in
its colour with its label (text in black or white, whichever has AA contrast on it). It is
drawn with Pillow in DejaVu Sans, bundled in sitegen/fonts/ (free licence, in LICENSE there),
so every machine draws the same pixels: Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew
and Arabic. Right-to-left text is laid out with Pillow's raqm engine (HarfBuzz, FriBiDi)
when it is available; Pillow's wheels include raqm and load FriBiDi from the system
(Debian's libfribidi0). Without it, Arabic and Hebrew come out in logical order, unshaped.

Letters the font lacks (Chinese, Japanese, Korean, Indic scripts, Thai...) would print as
boxes, so `missing_letters` finds them and no card is made for such text (site/cards.py warns);
emoji and symbols it lacks are left out of the card, as decoration.

text.py fits the text to the lines; canvas.py draws in exact palette colours.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont

from sitegen.cards.canvas import (
    Canvas,
    DrawnRows,
    Placed,
    Stamp,
    ink_box,
    keep_at_most,
    palette,
    stamp,
)
from sitegen.cards.png import SharedBands
from sitegen.cards.text import direction, fit_line, width, wrap
from sitegen.colors import text_color
from sitegen.models import ShareCard

CARD_WIDTH, CARD_HEIGHT = 1200, 630
RENDERER_VERSION = "2"
"""Raise when the drawing changes, so every cached card is drawn again."""

FONTS_PATH = Path(__file__).parent / "fonts"
REGULAR_FONT, BOLD_FONT = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"

ACCENT = 16  # the verdict-coloured strip down the left edge
START, END = ACCENT + 64, 72  # margins: the strip's side, and the other
WIDTH = CARD_WIDTH - START - END
TOP, BOTTOM = 54, CARD_HEIGHT - 56
BADGE_HEIGHT = 96
BACKGROUND, INK, MUTED, RULE = "#ffffff", "#111827", "#4b5563", "#e5e7eb"
CLAIM_SIZES = (58, 52, 46, 40)
CLAIM_TOP = 132
LINE_SPACING = 1.22
SHARED_STAMPS = 256
"""Lines kept stamped per build (titles, hosts, verdict labels, claimants), 10 to 50 KB
each: at most a few megabytes. Past that the oldest goes, and a claimant stamped again."""
WORD_WIDTHS = 100_000
"""Words' widths kept per build (`CardFonts.word_width`), some 150 bytes each: a newsroom's
vocabulary at the claim's sizes. When full they are forgotten and measured again."""
PNG_COMPRESSION = 2
"""zlib-ng's level (sitegen.cards.png): 2 is 0.1 ms a card slower than 1 and makes cards a
quarter smaller (24.2 KB against 33.9, as drawn in bench/cards.py); 3 is slower again
and larger than 2 for these images."""


class CardFonts:
    """The card's two faces, opened once per build and shared by every card of it, with
    what cards have in common: lines of text (`stamp`), drawn rows (`rows`) and compressed
    rows (`bands`)."""

    def __init__(self, folder: Path = FONTS_PATH) -> None:
        self.regular_path, self.bold_path = folder / REGULAR_FONT, folder / BOLD_FONT
        self._faces: dict[tuple[bool, int], ImageFont.FreeTypeFont] = {}
        self._has: dict[str, bool] = {}
        self._notdef: bytes | None = None
        self._stamps: dict[tuple[bool, int, str, str, str | None], Stamp] = {}
        self._word_widths: dict[tuple[ImageFont.FreeTypeFont, str], float] = {}
        self.bands = SharedBands(SHARED_BANDS)
        self.rows = DrawnRows(SHARED_BANDS)

    @functools.cached_property
    def raqm(self) -> bool:
        """Whether Pillow lays text out with raqm; asked only once a card is drawn or a
        letter looked up, so checking a site whose cards are all ASCII never loads Pillow."""
        from PIL import features

        return features.check("raqm") is True

    def face(self, bold: bool, size: int) -> ImageFont.FreeTypeFont:
        from PIL import ImageFont  # Pillow only once a card is drawn or a letter looked up

        key = (bold, size)
        if key not in self._faces:
            engine = ImageFont.Layout.RAQM if self.raqm else ImageFont.Layout.BASIC
            path = self.bold_path if bold else self.regular_path
            self._faces[key] = ImageFont.truetype(str(path), size, layout_engine=engine)
        return self._faces[key]

    def stamp(self, bold: bool, size: int, text: str, anchor: str,
              direction: str | None) -> Stamp:
        """A line many cards show, stamped once: the site's title and host, a verdict's
        label, a claimant. The oldest goes when `SHARED_STAMPS` are kept."""
        key = (bold, size, text, anchor, direction)
        found = self._stamps.get(key)
        if found is None:
            found = keep_at_most(self._stamps, key,
                                 stamp(self.face(bold, size), text, anchor, direction),
                                 SHARED_STAMPS)
        return found

    def word_width(self, font: ImageFont.FreeTypeFont, word: str) -> float:
        """A word's width as `text.width` measures it, measured once per build: claims
        share most of their words, and wrapping sums them (text.py)."""
        key = (font, word)
        found = self._word_widths.get(key)
        if found is None:
            if len(self._word_widths) >= WORD_WIDTHS:
                self._word_widths.clear()
            found = self._word_widths[key] = width(word, font, self)
        return found

    def fingerprint(self) -> str:
        """What else decides the pixels: the font files, Pillow and its layout engine."""
        import PIL  # its version; Pillow is needed only once cards are drawn

        digest = hashlib.sha256()
        for path in (self.regular_path, self.bold_path):
            digest.update(path.read_bytes())
        digest.update(f"{RENDERER_VERSION}|{PIL.__version__}|raqm={self.raqm}".encode())
        return digest.hexdigest()

    def has_glyph(self, char: str) -> bool:
        """Whether the font draws `char` as itself rather than as its empty box (a character
        the layout engine refuses is one it cannot draw)."""
        if char not in self._has:
            try:
                self._has[char] = self._bitmap(char) != self._notdef_bitmap()
            except RuntimeError:
                self._has[char] = False
        return self._has[char]

    def _notdef_bitmap(self) -> bytes:
        if self._notdef is None:
            self._notdef = self._bitmap("\U0010fffd")
        return self._notdef

    def _bitmap(self, char: str) -> bytes:
        from PIL import Image, ImageDraw  # Pillow only for text that is not ASCII

        image = Image.new("L", (48, 48))
        ImageDraw.Draw(image).text((8, 4), char, font=self.face(True, 24), fill=255)
        return image.tobytes()


def missing_letters(text: str, fonts: CardFonts) -> str:
    """The letters and digits of `text` the font cannot draw, each once, in order."""
    if text.isascii():
        return ""
    found = dict.fromkeys(c for c in text if unicodedata.category(c)[0] in "LN"
                          and not c.isascii() and not fonts.has_glyph(c))
    return "".join(found)


def drawable(text: str, fonts: CardFonts) -> str:
    """`text` without control characters and the symbols the font lacks (emoji), spaces
    tidied after them. A control character (NEL, say) is never handed to the layout engine:
    raqm fails on it, and the card would take the build down with it."""
    printable = text.isascii() and text.isprintable()  # all kept: no need to look at each
    kept = text if printable else "".join(c for c in text if _drawn(c, fonts))
    return " ".join(kept.split())


def _drawn(char: str, fonts: CardFonts) -> bool:
    category = unicodedata.category(char)
    if char.isspace():
        return True  # tidied into single spaces by drawable
    if category == "Cc":
        return False
    return char.isascii() or category[0] in "LNMZP" or fonts.has_glyph(char)


def draw_card(card: ShareCard, fonts: CardFonts) -> bytes:
    """The card as a paletted PNG (canvas.py: exact colours, a quarter of an RGB card's
    cost); the same card, fonts and Pillow give the same bytes.

    A claim that reads right to left mirrors the card: the strip, the header and the badge
    go to the right-hand side, where the claim starts."""
    claim = drawable(card.claim, fonts)
    rtl = direction(fonts, claim) == "rtl"
    label_color = text_color(card.verdict_color)
    canvas = Canvas((CARD_WIDTH, CARD_HEIGHT), palette(
        BACKGROUND, (card.verdict_color, RULE),
        ((INK, BACKGROUND), (MUTED, BACKGROUND), (label_color, card.verdict_color))))
    strip = (CARD_WIDTH - ACCENT, 0, CARD_WIDTH, CARD_HEIGHT) if rtl else (0, 0, ACCENT - 1,
                                                                         CARD_HEIGHT)
    canvas.shapes.rectangle(strip, fill=canvas.index(card.verdict_color))
    lines, claimant = _claim_block(fonts, claim, drawable(card.claimant, fonts), rtl)
    keys = _row_keys(card, canvas, label_color, rtl, [*lines, claimant])
    header = fonts.rows.find(keys[0]) if keys else None
    bottom = fonts.rows.find(keys[1]) if keys else None
    title: list[Placed] = []
    host: list[Placed] = []
    if header is None:
        left, right = _span(rtl)
        canvas.shapes.line((left, TOP + 52, right, TOP + 52), fill=canvas.index(RULE), width=2)
        first, host = _header(fonts, drawable(card.site_title, fonts), card.site_host, rtl)
        title = [first]
    else:
        canvas.image.paste(header, (0, 0))
    canvas.lay(INK, BACKGROUND, [*title, *lines])
    canvas.lay(MUTED, BACKGROUND, [*host, claimant])
    if bottom is None:
        _badge(canvas, fonts, card, label_color, rtl)
    else:
        canvas.image.paste(bottom, (0, SHARED_BANDS[1][0]))
    if keys:
        fonts.rows.keep(keys, canvas.image)
    return canvas.png(PNG_COMPRESSION, fonts.bands)


RowKeys = tuple[tuple[object, ...], tuple[object, ...]]


def _row_keys(card: ShareCard, canvas: Canvas, label_color: str, rtl: bool,
              between: list[Placed]) -> RowKeys | None:
    """What the header's and the badge's rows are drawn from; None when a line of the claim
    or the claimant reaches into them (a pile of accents, a long descender), where the
    rows are that card's own."""
    top, bottom = SHARED_BANDS[0][1], SHARED_BANDS[1][0]
    if any(box[1] < top or box[3] > bottom for box in map(ink_box, between)):
        return None
    strip, rule = canvas.index(card.verdict_color), canvas.index(RULE)
    ramps = canvas.palette.ramps
    return ((card.site_title, card.site_host, rtl, strip, rule, ramps[(INK, BACKGROUND)],
             ramps[(MUTED, BACKGROUND)]),
            (card.verdict_label, rtl, strip, ramps[(label_color, card.verdict_color)]))


Box = tuple[int, int, int, int]


def badge_box(card: ShareCard, fonts: CardFonts) -> Box:
    """Where the verdict badge is drawn (left, top, right, bottom), for tests and overlays."""
    rtl = direction(fonts, drawable(card.claim, fonts)) == "rtl"
    return _badge_layout(fonts, card.verdict_label, rtl)[2]


def _badge_layout(fonts: CardFonts, label: str,
                  rtl: bool) -> tuple[ImageFont.FreeTypeFont, str, Box]:
    """The badge's font, its label as shown, and its box."""
    font, shown, label_width = _badge_label(fonts, label)
    box_width = int(label_width) + 2 * _BADGE_PAD
    left, right = _span(rtl)
    if rtl:
        left = right - box_width
    return font, shown, (left, BOTTOM - BADGE_HEIGHT, left + box_width, BOTTOM)


def _span(rtl: bool) -> tuple[int, int]:
    """The left and right edges of the text: the wider margin is on the strip's side."""
    return (END, CARD_WIDTH - START) if rtl else (START, CARD_WIDTH - END)


def _header(fonts: CardFonts, title: str, host: str,
            rtl: bool) -> tuple[Placed, list[Placed]]:
    """The site's title, from the start side, and its host on the other side, if any."""
    font = fonts.face(True, 30)
    host_width = fonts.face(False, 24).getlength(host) if host else 0
    shown = fit_line(title, font, WIDTH - host_width - 40, fonts)
    if not host:
        return _line(fonts, TOP, shown, 30, rtl, shared=True), []
    left, right = _span(rtl)
    at, anchor = ((left, TOP + 30), "ls") if rtl else ((right, TOP + 30), "rs")
    return (_line(fonts, TOP, shown, 30, rtl, shared=True),
            [(fonts.stamp(False, 24, host, anchor, None), at)])


def claim_layout(claim: str, fonts: CardFonts) -> tuple[int, list[str]]:
    """The claim's font size and lines: the largest size at which it fits, else the smallest
    with the last line shortened with an ellipsis."""
    room = _LOWEST - CLAIM_TOP - _CLAIMANT_GAP - 40
    for size in CLAIM_SIZES:
        font = fonts.face(True, size)
        step = round(size * LINE_SPACING)
        most = max(1, (room + step - size) // step)
        final = size == CLAIM_SIZES[-1]  # only its lines are all needed
        lines = wrap(claim, font, WIDTH, fonts, None if final else most)
        if len(lines) <= most:
            return size, lines
    last = fit_line(" ".join(lines[most - 1:]), font, WIDTH, fonts, force=True)
    return size, [*lines[:most - 1], last]


def _claim_block(fonts: CardFonts, claim: str, claimant: str,
                 rtl: bool) -> tuple[list[Placed], Placed]:
    """The claim's lines, then who made it, the two centred between the header and the
    badge."""
    size, lines = claim_layout(claim, fonts)
    step = round(size * LINE_SPACING)
    height = len(lines) * step - (step - size) + _CLAIMANT_GAP + 40
    y = CLAIM_TOP + max(0, (_LOWEST - CLAIM_TOP - height) // 2)
    placed = []
    for line in lines:
        placed.append(_line(fonts, y, line, size, rtl))
        y += step
    shown = fit_line("\u2014 " + claimant, fonts.face(False, 32), WIDTH, fonts)
    top = y - (step - size) + _CLAIMANT_GAP
    return placed, _line(fonts, top, shown, 32, rtl, shared=True, bold=False)


_CLAIMANT_GAP = 22
_LOWEST = BOTTOM - BADGE_HEIGHT - 40  # the claimant's line ends above the badge
_BADGE_PAD = 34
SHARED_BANDS = ((0, CLAIM_TOP - 12), (BOTTOM - BADGE_HEIGHT - 16, CARD_HEIGHT))
"""Rows most cards of a site share, compressed once (png.py): the header above the
claim, and the badge's rows below the claimant, the same for every card of a verdict."""


def _badge(canvas: Canvas, fonts: CardFonts, card: ShareCard, label_color: str,
           rtl: bool) -> None:
    font, shown, (left, top, right, bottom) = _badge_layout(fonts, card.verdict_label, rtl)
    canvas.shapes.rounded_rectangle((left, top, right, bottom), radius=14,
                                    fill=canvas.index(card.verdict_color))
    label = fonts.stamp(True, int(font.size), shown, "mm", direction(fonts, shown))
    canvas.lay(label_color, card.verdict_color, [(label, ((left + right) // 2,
                                                          (top + bottom) // 2))])


def _badge_label(fonts: CardFonts, label: str) -> tuple[ImageFont.FreeTypeFont, str, float]:
    """The label's font and text, as large as fits, else cut at the smallest, and its width."""
    text = drawable(label, fonts).upper()
    room = WIDTH - 2 * _BADGE_PAD
    for size in (46, 40, 34):
        font = fonts.face(True, size)
        text_width = width(text, font, fonts)
        if text_width <= room:
            return font, text, text_width
    shown = fit_line(text, font, room, fonts)
    return font, shown, width(shown, font, fonts)


def _line(fonts: CardFonts, top: int, text: str, size: int, rtl: bool, shared: bool = False,
          bold: bool = True) -> Placed:
    """One line whose top is at `top`, from the start side of the card; a `shared` line
    (one other cards show too) is stamped once per build."""
    left, right = _span(rtl)
    at, anchor = ((right, top), "ra") if rtl else ((left, top), "la")
    where = direction(fonts, text)
    drawn = (fonts.stamp(bold, size, text, anchor, where) if shared
             else stamp(fonts.face(bold, size), text, anchor, where))
    return drawn, at
