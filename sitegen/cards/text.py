"""Fitting a share card's text to its lines: word wrap, cuts between graphemes, ellipses.

Every decision is the one measuring the text as it will be drawn gives (raqm shapes it:
kerning, Arabic joining forms), so the layout is exactly what the drawing shows; a sum of
pieces' widths stands in only where it is exact (wrapping, below).

Cutting text used to measure every prefix from the longest down, so a pasted 20,000-letter
claim cost minutes of a build. What keeps it linear is a bound: appending letters to a line
never narrows it by as much as one em (kerning and joining forms move it by less; advances are
never negative), so once a prefix is wider than the room plus an em, no longer prefix can fit,
with or without an ellipsis, and the search for the longest one that does starts there.

Wrapping used to measure the line after each word: some 80 measurements of long strings a
card, a quarter of its drawing. In text that reads left to right throughout, a line's width is
the sum of its words' widths, each with the space before it: the bundled faces kern nothing
against a space and nothing is reordered (tests/test_card_text.py checks both). So the sum,
from widths measured once per build (`CardFonts.word_width`), decides every word at least
`_CERTAIN` ems from the end of the room, and the one or two words near it are measured in
their line as before. Right-to-left letters (or bidi controls) reorder the neutral characters
around them: "P." after a Hebrew word is drawn ".P", kerned otherwise: 0.18 em wider;
such a claim's lines are all measured whole.
"""

from __future__ import annotations

import math
import unicodedata
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PIL import ImageFont


class CardFonts(Protocol):
    """What fitting text asks of the card's fonts (draw.CardFonts): whether Pillow lays out
    with raqm, a face, and a word's width, measured once per build."""

    @property
    def raqm(self) -> bool: ...

    def face(self, bold: bool, size: int) -> ImageFont.FreeTypeFont: ...

    def word_width(self, font: ImageFont.FreeTypeFont, word: str) -> float: ...

ELLIPSIS = "\u2026"
_JOINERS = {"\u200c", "\u200d", "\ufe0e", "\ufe0f"}
_TRIMMED = " ,;:.\u2014-"
"""What an ellipsis replaces at the end of a cut ("word, …" reads as "word…")."""
_PROBE = 32
"""Graphemes in the first prefix tried when looking for one too wide to fit."""
_CERTAIN = 1.0
"""Ems between a line's summed width and the room beyond which the sum decides whether a word
fits without measuring its line: a margin, as the sum is exact in the text it is used for."""
_REORDERING = frozenset({"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI",
                         "PDI"})
"""Bidi classes that can make a line's glyph order differ from its words' own."""


def direction(fonts: CardFonts, text: str) -> str | None:
    """raqm's direction from the first strong letter; the basic engine takes none."""
    if not fonts.raqm:
        return None
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            break
    return "ltr"


def width(text: str, font: ImageFont.FreeTypeFont, fonts: CardFonts) -> float:
    """The advance of `text` as raqm lays it out (kerned, shaped, in its direction)."""
    return float(font.getlength(text, direction=direction(fonts, text)))


def wrap(text: str, font: ImageFont.FreeTypeFont, room: int, fonts: CardFonts,
         most: int | None = None) -> list[str]:
    """Greedy word wrap; a word wider than a line is broken between graphemes. With `most`,
    wrapping stops at `most` + 1 lines: the caller only needs to know the text does not fit."""
    lines: list[str] = []
    line, line_width = "", 0.0  # line_width: measured, or summed from its words
    # how far from the room a summed width decides; measured always where sums are not exact
    certain = _CERTAIN * font.size if _in_one_direction(text, fonts) else math.inf
    for word in text.split():
        if most is not None and len(lines) > most:
            return lines
        if line:
            summed = line_width + fonts.word_width(font, " " + word)
            if summed < room - certain or (
                    summed <= room + certain
                    and (summed := width(f"{line} {word}", font, fonts)) <= room):
                line, line_width = f"{line} {word}", summed
                continue
            lines.append(line)
        line, line_width = word, fonts.word_width(font, word)
        if line_width > room:
            line = _break_word(graphemes(line), font, room, fonts, lines, most)
            line_width = width(line, font, fonts)
    if line:
        lines.append(line)
    return lines


def _in_one_direction(text: str, fonts: CardFonts) -> bool:
    """Whether `text` is laid out in the order its words are written (see the module's
    docstring); the basic engine reorders nothing."""
    if not fonts.raqm or text.isascii():
        return True
    return not any(unicodedata.bidirectional(char) in _REORDERING for char in text)


def _break_word(clusters: list[str], font: ImageFont.FreeTypeFont, room: int, fonts: CardFonts,
                lines: list[str], most: int | None) -> str:
    """Puts the full lines of a word too wide for one into `lines`; returns what is left."""
    while clusters:
        bound = _no_fit_from(clusters, font, room, fonts)
        if bound is None and width("".join(clusters), font, fonts) <= room:
            break
        count = len(clusters) - 1 if bound is None else min(bound, len(clusters) - 1)
        while count > 1 and width("".join(clusters[:count]), font, fonts) > room:
            count -= 1
        count = max(count, 1)  # a grapheme wider than a line (letters tied by joiners)
        lines.append("".join(clusters[:count]))
        clusters = clusters[count:]
        if most is not None and len(lines) > most:
            break
    return "".join(clusters)


def fit_line(text: str, font: ImageFont.FreeTypeFont, room: float, fonts: CardFonts,
             force: bool = False) -> str:
    """`text` if it fits on one line, else shortened with an ellipsis: at a word boundary
    when one is near, never inside a grapheme (a letter with its accents, an emoji)."""
    if not force and width(text, font, fonts) <= room:
        return text
    clusters = graphemes(text)
    bound = _no_fit_from(clusters, font, room, fonts)
    count = len(clusters) if bound is None else bound
    while count > 0 and width(_ellipsised(clusters[:count]), font, fonts) > room:
        count -= 1
    kept = "".join(clusters[:count])
    at_space = kept.rfind(" ")
    if at_space > len(kept) * 0.6 and count < len(clusters) and clusters[count] != " ":
        kept = kept[:at_space]
    return _ellipsised(graphemes(kept))


def _no_fit_from(clusters: list[str], font: ImageFont.FreeTypeFont, room: float,
                 fonts: CardFonts) -> int | None:
    """A number of graphemes, fewer than all, from which on no prefix fits `room`, even
    trimmed for an ellipsis: one whose trimmed prefix is wider than `room` plus an em (see
    the module's docstring); None when no prefix tried is that wide. Prefixes double in
    length until one is, then the gap is halved, so a long text costs a few short
    measurements, and the search for the longest fitting prefix starts just above it."""

    def beyond(count: int) -> bool:
        prefix = "".join(clusters[:count]).rstrip(_TRIMMED)
        return width(prefix, font, fonts) > room + font.size

    low, high = 0, _PROBE
    while high < len(clusters) and not beyond(high):
        low, high = high, high * 2
    if high >= len(clusters):
        return None
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if beyond(middle) else (middle, high)
    return high


def _ellipsised(clusters: list[str]) -> str:
    return "".join(clusters).rstrip(_TRIMMED) + ELLIPSIS


def graphemes(text: str) -> list[str]:
    """User-perceived characters, closely enough for cutting text: a base with its combining
    marks, joiners and variation selectors, and emoji with their skin-tone modifiers."""
    clusters: list[str] = []
    for char in text:
        joins = bool(clusters) and (
            unicodedata.category(char) in ("Mn", "Mc", "Me") or char in _JOINERS
            or clusters[-1][-1] == "\u200d" or 0x1F3FB <= ord(char) <= 0x1F3FF)
        if joins:
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters
