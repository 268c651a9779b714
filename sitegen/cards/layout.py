"""Where a share card's text goes: the header, the verdict, the claim.

A card is read in a feed, in a second, often without the post around it. So it reads in the
order a fact-checker needs: whose check this is (the site's name, at the top), that it is a
check and what it found (the kicker, then the verdict in its colour: the largest text on the
card), and only then what was claimed, marked as a claim (its label, the quotation marks of
its language, who said it) and set smaller, in the regular face. A card that set the claim
as its largest bold line showed "We have halved youth unemployment" as a plain statement,
and so spread the claim it was made to check.

Geometry is given for a left-to-right card; a right-to-left one mirrors it (`span`). Every
size here is measured, never guessed: text is fitted with text.py's measurements as it will
be drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.cards.text import CardFonts, fit_line, width, wrap

CARD_WIDTH, CARD_HEIGHT = 1200, 630
ACCENT = 16  # the verdict-coloured strip down the start edge
START, END = ACCENT + 64, 72  # margins: the strip's side, and the other
WIDTH = CARD_WIDTH - START - END
TOP = 46  # the header's top: the site's title
TITLE_SIZE, HOST_SIZE = 30, 24
RULE_Y = TOP + 52
KICKER_TOP, KICKER_SIZE = RULE_Y + 28, 22
BADGE_TOP = KICKER_TOP + 36
BADGE_HEIGHT = 108  # a badge of one line; each further line adds VERDICT_STEP
BADGE_PAD = 34
VERDICT_SIZES = (72, 64, 56)
"""The verdict's sizes, largest first: its capitals stay taller than the claim's letters at
any of them (56 px bold capitals are 43 px of ink; a 36 px claim's letters, from ascender to
descender, 34)."""
VERDICT_STEP = 66
VERDICT_LINES = 2
LABEL_GAP, LABEL_SIZE = 34, 22  # the claim's label, under the badge
CLAIM_GAP = 16  # between the label and the claim
CLAIM_SIZES = (36, 32, 28)
LINE_SPACING = 1.3
ATTRIBUTION_GAP, ATTRIBUTION_SIZE = 14, 28
BOTTOM = CARD_HEIGHT - 44  # where the attribution's line ends, at the lowest
SHARED_BAND = (0, BADGE_TOP + BADGE_HEIGHT + 14)
"""Rows most cards of a site share, drawn and compressed once (canvas.DrawnRows, png.py): the
header, the kicker and a badge of one line, the same for every card of a verdict."""

Box = tuple[int, int, int, int]


def span(rtl: bool) -> tuple[int, int]:
    """The left and right edges of the text: the wider margin is on the strip's side."""
    return (END, CARD_WIDTH - START) if rtl else (START, CARD_WIDTH - END)


def strip_box(rtl: bool) -> Box:
    return (CARD_WIDTH - ACCENT, 0, CARD_WIDTH, CARD_HEIGHT) if rtl else (0, 0, ACCENT - 1,
                                                                         CARD_HEIGHT)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict as its badge shows it: its size, its lines (one, or two for a long label),
    and the widest line's width."""

    size: int
    lines: tuple[str, ...]
    width: float

    def box(self, rtl: bool) -> Box:
        """The badge (left, top, right, bottom), from the start side, under the kicker."""
        box_width = int(self.width) + 2 * BADGE_PAD
        left, right = span(rtl)
        if rtl:
            left = right - box_width
        return left, BADGE_TOP, left + box_width, self.bottom

    @property
    def bottom(self) -> int:
        return BADGE_TOP + BADGE_HEIGHT + (len(self.lines) - 1) * VERDICT_STEP

    def centres(self, rtl: bool) -> list[tuple[int, int]]:
        """The middle of each line, where it is drawn anchored "mm"."""
        left, top, right, _ = self.box(rtl)
        return [((left + right) // 2, top + BADGE_HEIGHT // 2 + n * VERDICT_STEP)
                for n in range(len(self.lines))]


def verdict_layout(label: str, fonts: CardFonts) -> Verdict:
    """The verdict in capitals, on one line at the largest size that fits; a label too long
    for one line at the smallest size takes two, the second cut with an ellipsis if need be."""
    text = label.upper()
    room = WIDTH - 2 * BADGE_PAD
    for size in VERDICT_SIZES:
        font = fonts.face(True, size)
        text_width = width(text, font, fonts)
        if text_width <= room:
            return Verdict(size, (text,), text_width)
    lines = wrap(text, font, room, fonts, VERDICT_LINES)
    if len(lines) > VERDICT_LINES:
        rest = " ".join(lines[VERDICT_LINES - 1:])
        lines = [*lines[:VERDICT_LINES - 1], fit_line(rest, font, room, fonts, force=True)]
    return Verdict(size, tuple(lines), max(width(line, font, fonts) for line in lines))


def label_top(verdict: Verdict) -> int:
    """The top of the claim's label: under the badge, whose height its verdict decides."""
    return verdict.bottom + LABEL_GAP


def claim_top(verdict: Verdict) -> int:
    return label_top(verdict) + LABEL_SIZE + CLAIM_GAP


def claim_room(verdict: Verdict) -> int:
    """The height the claim's lines may take: from under its label to above the
    attribution's line."""
    return BOTTOM - ATTRIBUTION_SIZE - ATTRIBUTION_GAP - claim_top(verdict)


def claim_layout(claim: str, fonts: CardFonts, quotes: tuple[str, str] = ("\u201c", "\u201d"),
                 room: int | None = None) -> tuple[int, list[str]]:
    """The claim in its quotation marks: its font size and lines, the largest size at which
    it fits `room` (the room under a one-line verdict unless given), else the smallest with
    the last line shortened with an ellipsis before the closing mark. The marks stick to the
    first and last words, so no line starts or ends with a mark alone."""
    opening, closing = quotes
    quoted = opening + claim + closing
    height = claim_room(_ONE_LINE) if room is None else room
    for size in CLAIM_SIZES:
        font = fonts.face(False, size)
        step = round(size * LINE_SPACING)
        most = max(1, (height + step - size) // step)
        final = size == CLAIM_SIZES[-1]  # only its lines are all needed
        lines = wrap(quoted, font, WIDTH, fonts, None if final else most)
        if len(lines) <= most:
            return size, lines
    rest = " ".join(lines[most - 1:]).removesuffix(closing)
    last = fit_line(rest, font, WIDTH - width(closing, font, fonts), fonts, force=True)
    return size, [*lines[:most - 1], last + closing]


_ONE_LINE = Verdict(VERDICT_SIZES[0], ("",), 0.0)
