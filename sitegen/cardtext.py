"""Fitting a share card's text to its lines: word wrap, cuts between graphemes, ellipses.

Every decision measures the text as it will be drawn (raqm shapes it: kerning, Arabic joining
forms), never a sum of its pieces' widths, so the layout is exactly what the drawing shows.

Cutting text used to measure every prefix from the longest down, so a pasted 20,000-letter
claim cost minutes of a build. What keeps it linear is a bound: appending letters to a line
never narrows it by as much as one em (kerning and joining forms move it by less; advances are
never negative), so once a prefix is wider than the room plus an em, no longer prefix can fit,
with or without an ellipsis, and the search for the longest one that does starts there.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont

    from .sharecard import CardFonts

ELLIPSIS = "\u2026"
_JOINERS = {"\u200c", "\u200d", "\ufe0e", "\ufe0f"}
_TRIMMED = " ,;:.\u2014-"
"""What an ellipsis replaces at the end of a cut ("word, …" reads as "word…")."""
_PROBE = 32
"""Graphemes in the first prefix tried when looking for one too wide to fit."""


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
    line = ""
    for word in text.split():
        if most is not None and len(lines) > most:
            return lines
        candidate = f"{line} {word}" if line else word
        if width(candidate, font, fonts) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        if width(line, font, fonts) > room:
            line = _break_word(graphemes(line), font, room, fonts, lines, most)
    if line:
        lines.append(line)
    return lines


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
