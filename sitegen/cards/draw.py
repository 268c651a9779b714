"""Draw a fact-check's share card: the 1200x630 PNG that social networks show with a link.

The card says, at first sight, that it is a fact-check and what it found: the site's name,
the kicker and the verdict in its colour with its label (text in black or white, whichever
has AA contrast on it), then the claim, labelled, in quotation marks, smaller, and who made
it (layout.py says why in that order). It is drawn with Pillow in DejaVu Sans, bundled in
sitegen/fonts/ (free licence, in LICENSE there), so every machine draws the same pixels:
Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic. Right-to-left text is laid
out with Pillow's raqm engine (HarfBuzz, FriBiDi) when it is available; Pillow's wheels
include raqm and load FriBiDi from the system (Debian's libfribidi0). Without it, Arabic and
Hebrew come out in logical order, unshaped.

Letters the font lacks (Chinese, Japanese, Korean, Indic scripts, Thai...) would print as
boxes, so `missing_letters` finds them and no card is made for such text (site/cards.py warns);
emoji and symbols it lacks are left out of the card, as decoration.

layout.py places the text, text.py fits it to the lines; canvas.py draws in exact palette
colours.
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
from sitegen.cards.layout import (
    ATTRIBUTION_GAP,
    ATTRIBUTION_SIZE,
    CARD_HEIGHT,
    CARD_WIDTH,
    CLAIM_SIZES,
    HOST_SIZE,
    KICKER_SIZE,
    KICKER_TOP,
    LABEL_SIZE,
    LINE_SPACING,
    RULE_Y,
    SHARED_BAND,
    TITLE_SIZE,
    TOP,
    WIDTH,
    Box,
    Verdict,
    claim_layout,
    claim_room,
    claim_top,
    label_top,
    span,
    strip_box,
    verdict_layout,
)
from sitegen.cards.png import SharedBands
from sitegen.cards.text import direction, fit_line, width
from sitegen.colors import text_color
from sitegen.models import ShareCard

__all__ = ["CARD_HEIGHT", "CARD_WIDTH", "CLAIM_SIZES", "CardFonts", "ShareCard", "badge_box",
           "claim_layout", "draw_card", "drawable", "missing_letters"]

RENDERER_VERSION = "3"
"""Raise when the drawing changes, so every cached card is drawn again (3: the verdict
first and largest, the claim labelled and quoted under it)."""

FONTS_PATH = Path(__file__).parent / "fonts"
REGULAR_FONT, BOLD_FONT = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"

BACKGROUND, INK, MUTED, RULE = "#ffffff", "#111827", "#4b5563", "#e5e7eb"
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
SHARED_BANDS = (SHARED_BAND,)


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
        self._verdicts: dict[str, Verdict] = {}
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

    def verdict(self, label: str) -> Verdict:
        """A verdict's label fitted to its badge, once per build: a site has a few, and
        every card shows one (kept like stamps, `SHARED_STAMPS` at most)."""
        found = self._verdicts.get(label)
        if found is None:
            found = keep_at_most(self._verdicts, label, verdict_layout(label, self),
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
    cost); the same card, fonts and Pillow give the same bytes. Where each line goes is
    layout.py's.

    A claim that reads right to left mirrors the card: the strip goes to the right-hand
    side, and every line starts there."""
    claim = drawable(card.claim, fonts)
    rtl = direction(fonts, claim) == "rtl"
    verdict = fonts.verdict(drawable(card.verdict_label, fonts))
    label_color = text_color(card.verdict_color)
    canvas = Canvas((CARD_WIDTH, CARD_HEIGHT), palette(
        BACKGROUND, (card.verdict_color, RULE),
        ((INK, BACKGROUND), (MUTED, BACKGROUND), (label_color, card.verdict_color))))
    canvas.shapes.rectangle(strip_box(rtl), fill=canvas.index(card.verdict_color))
    label, lines, attribution = _claim_block(fonts, card, claim, verdict, rtl)
    key = _row_key(card, canvas, label_color, rtl, verdict, [label, *lines, attribution])
    rows = fonts.rows.find(key) if key else None
    ink, muted = lines, [label, attribution]
    if rows is None:
        left, right = span(rtl)
        canvas.shapes.line((left, RULE_Y, right, RULE_Y), fill=canvas.index(RULE), width=2)
        title, host, kicker = _header(fonts, card, rtl)
        ink, muted = [title, *ink], [*host, kicker, *muted]
    else:
        canvas.image.paste(rows, (0, 0))
    canvas.lay(INK, BACKGROUND, ink)
    canvas.lay(MUTED, BACKGROUND, muted)
    if rows is None:
        _badge(canvas, fonts, card, verdict, label_color, rtl)
    if key:
        fonts.rows.keep([key], canvas.image)
    return canvas.png(PNG_COMPRESSION, fonts.bands)


def _row_key(card: ShareCard, canvas: Canvas, label_color: str, rtl: bool, verdict: Verdict,
             below: list[Placed]) -> tuple[object, ...] | None:
    """What the shared rows (layout.SHARED_BAND: the header, the kicker, the badge) are
    drawn from; None when the badge reaches below them (a verdict of two lines) or a line
    of the claim block reaches into them (a pile of accents), where the rows are that
    card's own."""
    if len(verdict.lines) > 1 or any(box[1] < SHARED_BAND[1] for box in map(ink_box, below)):
        return None
    ramps = canvas.palette.ramps
    return (card.site_title, card.site_host, card.kicker, card.verdict_label, rtl,
            canvas.index(card.verdict_color), canvas.index(RULE), ramps[(INK, BACKGROUND)],
            ramps[(MUTED, BACKGROUND)], ramps[(label_color, card.verdict_color)])


def badge_box(card: ShareCard, fonts: CardFonts) -> Box:
    """Where the verdict badge is drawn (left, top, right, bottom), for tests and overlays."""
    rtl = direction(fonts, drawable(card.claim, fonts)) == "rtl"
    return fonts.verdict(drawable(card.verdict_label, fonts)).box(rtl)


def _header(fonts: CardFonts, card: ShareCard, rtl: bool) -> tuple[Placed, list[Placed], Placed]:
    """The site's title, from the start side, its host on the other side, if any, and the
    kicker over the verdict."""
    title, host = drawable(card.site_title, fonts), card.site_host
    host_width = fonts.face(False, HOST_SIZE).getlength(host) if host else 0
    shown = fit_line(title, fonts.face(True, TITLE_SIZE), WIDTH - host_width - 40, fonts)
    kicker = fit_line(drawable(card.kicker, fonts).upper(), fonts.face(True, KICKER_SIZE),
                      WIDTH, fonts)
    placed_kicker = _line(fonts, KICKER_TOP, kicker, KICKER_SIZE, rtl, shared=True)
    placed_title = _line(fonts, TOP, shown, TITLE_SIZE, rtl, shared=True)
    if not host:
        return placed_title, [], placed_kicker
    left, right = span(rtl)
    at, anchor = ((left, TOP + 30), "ls") if rtl else ((right, TOP + 30), "rs")
    return (placed_title, [(fonts.stamp(False, HOST_SIZE, host, anchor, None), at)],
            placed_kicker)


def _claim_block(fonts: CardFonts, card: ShareCard, claim: str, verdict: Verdict,
                 rtl: bool) -> tuple[Placed, list[Placed], Placed]:
    """The claim's label, its lines in quotation marks, and who made it, under the badge."""
    label = fit_line(drawable(card.claim_label, fonts).upper(), fonts.face(True, LABEL_SIZE),
                     WIDTH, fonts)
    placed_label = _line(fonts, label_top(verdict), label, LABEL_SIZE, rtl, shared=True)
    size, lines = claim_layout(claim, fonts, card.quotes, claim_room(verdict))
    step = round(size * LINE_SPACING)
    y = claim_top(verdict)
    placed = []
    for line in lines:
        placed.append(_line(fonts, y, line, size, rtl, bold=False))
        y += step
    said = drawable(card.attribution.replace("{claimant}", card.claimant), fonts)
    shown = fit_line(said, fonts.face(False, ATTRIBUTION_SIZE), WIDTH, fonts)
    top = y - (step - size) + ATTRIBUTION_GAP
    return (placed_label, placed,
            _line(fonts, top, shown, ATTRIBUTION_SIZE, rtl, shared=True, bold=False))


def _badge(canvas: Canvas, fonts: CardFonts, card: ShareCard, verdict: Verdict,
           label_color: str, rtl: bool) -> None:
    canvas.shapes.rounded_rectangle(verdict.box(rtl), radius=14,
                                    fill=canvas.index(card.verdict_color))
    placed: list[Placed] = [
        (fonts.stamp(True, verdict.size, line, "mm", direction(fonts, line)), centre)
        for line, centre in zip(verdict.lines, verdict.centres(rtl), strict=True)]
    canvas.lay(label_color, card.verdict_color, placed)


def _line(fonts: CardFonts, top: int, text: str, size: int, rtl: bool, shared: bool = False,
          bold: bool = True) -> Placed:
    """One line whose top is at `top`, from the start side of the card; a `shared` line
    (one other cards show too) is stamped once per build."""
    left, right = span(rtl)
    at, anchor = ((right, top), "ra") if rtl else ((left, top), "la")
    where = direction(fonts, text)
    drawn = (fonts.stamp(bold, size, text, anchor, where) if shared
             else stamp(fonts.face(bold, size), text, anchor, where))
    return drawn, at
