"""Fitting a card's text to its lines (cards/text.py): exactly where measuring every prefix
would cut it, at a cost proportional to the text, never stuck on one wide grapheme."""

from __future__ import annotations

import io
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFont

from sitegen.cards import (
    CLAIM_SIZES,
    ELLIPSIS,
    CardFonts,
    claim_layout,
    direction,
    draw_card,
    drawable,
    fit_line,
    graphemes,
    wrap,
)
from sitegen.models import ShareCard


@pytest.fixture(scope="module")
def fonts() -> CardFonts:
    """The bundled fonts, opened once for the module."""
    return CardFonts()


def card_of(claim: str) -> ShareCard:
    return ShareCard("Test Desk", "example.org", claim, "Jane Official", "False", "#8b1a1a")


def drawn_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


PIECES = ["a", "i", "W", "m", "é", "e\u0301", "\u0301", ".", ",", "—", "-", " ", " ", "ж", "Ω",
          "ال", "ي", "ש", "1", "%", "\u200d", "ﬁ", "AV", "To", "\u064b", "…", "word", "wider"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=160).map("".join)


def measured(text: str, font: ImageFont.FreeTypeFont, fonts: CardFonts) -> float:
    return float(font.getlength(text, direction=direction(fonts, text)))


def fit_by_every_prefix(text: str, font: ImageFont.FreeTypeFont, room: float,
                        fonts: CardFonts, force: bool) -> str:
    """fit_line as it was: every prefix measured, from the whole text down."""
    if not force and measured(text, font, fonts) <= room:
        return text
    clusters = graphemes(text)
    count = len(clusters)
    trim = " ,;:.\u2014-"
    while count > 0 and measured("".join(clusters[:count]).rstrip(trim) + ELLIPSIS, font,
                                 fonts) > room:
        count -= 1
    kept = "".join(clusters[:count])
    at_space = kept.rfind(" ")
    if at_space > len(kept) * 0.6 and count < len(clusters) and clusters[count] != " ":
        kept = kept[:at_space]
    return kept.rstrip(trim) + ELLIPSIS


def wrap_by_every_prefix(text: str, font: ImageFont.FreeTypeFont, room: int,
                         fonts: CardFonts) -> list[str]:
    """wrap as it was, breaking a long word at the longest prefix measured to fit."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if measured(candidate, font, fonts) <= room:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while measured(line, font, fonts) > room:
            clusters = graphemes(line)
            count = len(clusters) - 1
            while count > 1 and measured("".join(clusters[:count]), font, fonts) > room:
                count -= 1
            lines.append("".join(clusters[:count]))
            line = "".join(clusters[max(count, 1):])
    if line:
        lines.append(line)
    return lines


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(text=TEXTS, size=st.sampled_from([24, 40, 58]), room=st.sampled_from([120, 420, 1048]))
def test_text_is_cut_where_measuring_every_prefix_cuts_it(fonts: CardFonts, text: str,
                                                          size: int, room: int) -> None:
    """Cutting stops measuring where no longer prefix can fit, yet lands exactly where
    measuring every prefix lands: the layout of every card is what it was."""
    text = drawable(text, fonts)
    font = fonts.face(True, size)
    for force in (False, True):
        assert fit_line(text, font, room, fonts, force) == fit_by_every_prefix(
            text, font, room, fonts, force)
    assert wrap(text, font, room, fonts) == wrap_by_every_prefix(text, font, room, fonts)


@pytest.mark.parametrize("claim", ["a" * 20_000, "The river is 100 km long. " * 800],
                         ids=["one long word", "many words"])
def test_a_pasted_claim_is_measured_in_proportion_to_its_length(
        fonts: CardFonts, monkeypatch: pytest.MonkeyPatch, claim: str) -> None:
    """A claim of 20,000 letters once cost minutes of a build: every prefix of it was
    measured, the longest first. Now the letters measured stay proportional to its length."""
    budget = [40 * len(claim)]
    original = ImageFont.FreeTypeFont.getlength

    def counted(self: ImageFont.FreeTypeFont, text: str, *args: Any, **kwargs: Any) -> float:
        budget[0] -= len(text)
        assert budget[0] > 0, "measured more than 40 letters for each letter of the claim"
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(ImageFont.FreeTypeFont, "getlength", counted)
    assert drawn_size(draw_card(card_of(claim), fonts)) == (1200, 630)
    budget[0] = 40 * len(claim)
    size, lines = claim_layout(claim, fonts)
    assert size == CLAIM_SIZES[-1]
    assert lines[-1].endswith(ELLIPSIS + "\u201d")  # cut, then the quotation closed


def test_letters_tied_by_joiners_wider_than_a_line_get_a_line_of_their_own(
        fonts: CardFonts) -> None:
    """One grapheme wider than a line (letters tied by zero-width joiners) once made the
    wrap put empty lines before it forever; it stands on its own line now."""
    tied = "W\u200d" * 60
    assert len(graphemes(tied)) == 1
    assert claim_layout(f"Prices {tied} rose", fonts) == (
        CLAIM_SIZES[0], ["\u201cPrices", tied, "rose\u201d"])
    assert drawn_size(draw_card(card_of(f"Prices {tied} rose"), fonts)) == (1200, 630)


KERNED = ("AV To Wa Ty. \u201cYes,\u201d LT Av. yo W. P. F. Vo AT \u00e9t\u00e9 "
          "\u0627\u0644\u062d\u0643\u0648\u0645\u0629 \u05e9\u05dc\u05d5\u05dd "
          "10% (V) [T] AVAVAV ToToTo")


@pytest.mark.parametrize("size", [24, 40, 58])
def test_lines_summed_from_their_words_break_where_measured_lines_break(
        fonts: CardFonts, size: int) -> None:
    """Wrapping adds up words' widths and measures a line only near the end of the room; with
    pairs that kern, quotes, Arabic and Hebrew at every room width from narrow to the card's,
    the lines are the ones measuring every word's line gives."""
    font = fonts.face(True, size)
    claim = " ".join([KERNED] * 3)
    for room in range(60, 1049, 13):
        assert wrap(claim, font, room, fonts) == wrap_by_every_prefix(claim, font, room, fonts)


def test_wrapping_measures_each_word_once_and_a_line_or_two_per_line(
        fonts: CardFonts, monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim's words are measured once a build, then summed: measuring the line after
    every word was a quarter of a card's drawing."""
    claim = ("Unemployment in the state has doubled since last year while crime in every "
             "major city rose by forty percent said the senator ") * 4
    font = CardFonts().face(True, 46)
    fresh = CardFonts()
    measured_texts: list[str] = []
    original = ImageFont.FreeTypeFont.getlength

    def counted(self: ImageFont.FreeTypeFont, text: str, *args: Any, **kwargs: Any) -> float:
        measured_texts.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(ImageFont.FreeTypeFont, "getlength", counted)
    lines = wrap(claim, font, 1048, fresh)
    words = set(claim.split())
    assert lines == wrap_by_every_prefix(claim, font, 1048, fresh)
    measured_texts.clear()
    again = wrap(claim, font, 1048, fresh)
    assert again == lines
    whole_lines = [text for text in measured_texts if " " in text.strip()]
    assert len(whole_lines) <= 2 * len(lines), whole_lines
    assert len(measured_texts) < len(claim.split()) // 2 < 4 * len(words)


@pytest.mark.parametrize("bold", [True, False])
def test_the_faces_kern_nothing_against_a_space(fonts: CardFonts, bold: bool) -> None:
    """What lets wrapping add up words' widths in left-to-right text: a line measures as
    its first word plus each further word with its space, to the 64th of a pixel."""
    font = fonts.face(bold, 46)
    letters = (string.ascii_letters + string.digits + string.punctuation
               + "\u201c\u201d\u2019\u2014\u00e9\u00df\u0416\u03a9\u0531\u10d0")
    for first in letters:
        for second in letters:
            assert measured(f"{first} {second}", font, fonts) == (
                measured(first, font, fonts) + measured(f" {second}", font, fonts)), (first,
                                                                                       second)


def test_right_to_left_claims_are_measured_line_by_line(fonts: CardFonts) -> None:
    """Next to a Hebrew or Arabic word "P." is drawn ".P", kerned otherwise (0.18 em), so a
    sum of words' widths is wrong by two ems in a line of them: such a claim is measured."""
    font = fonts.face(True, 40)
    claim = " ".join(["\u05d0 P."] * 60)
    summed = measured("\u05d0", font, fonts) + measured(" P.", font, fonts)
    assert abs(measured("\u05d0 P.", font, fonts) - summed) > 0.15 * font.size
    for room in range(300, 1049, 7):
        assert wrap(claim, font, room, fonts) == wrap_by_every_prefix(claim, font, room, fonts)
