"""Stamped text: a line rendered once and laid on many cards gives the pixels that drawing it
on a full-size layer gave (the way cards were drawn before stamps), and a card drawn with
lines stamped for earlier cards is the card drawn afresh."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw, features

from sitegen.cards import COVERED, Canvas, CardFonts, Placed, draw_card, palette, stamp
from sitegen.cards import draw as sharecard
from sitegen.models import ShareCard

INK, ON = "#111827", "#ffffff"
SIZE = (700, 220)
RAQM = features.check("raqm") is True

Text = tuple[str, tuple[int, int], str, str | None]
"""A line, the point it is anchored at, the anchor, the direction."""


@pytest.fixture(scope="module")
def fonts() -> CardFonts:
    return CardFonts()


def on_one_layer(texts: list[Text], fonts: CardFonts) -> bytes:
    """The canvas's indices as cards were drawn before stamps: every line drawn with
    ImageDraw.text on one full-size coverage layer, then laid over the canvas in one go."""
    canvas = Canvas(SIZE, palette(ON, ("#8b1a1a",), ((INK, ON),)))
    canvas.shapes.rectangle((0, 150, 700, 220), fill=canvas.index("#8b1a1a"))
    layer = Image.new("L", SIZE)
    draw = ImageDraw.Draw(layer)
    for text, at, anchor, direction in texts:
        draw.text(at, text, font=fonts.face(True, 58), fill=COVERED, anchor=anchor,
                  direction=direction)
    box = layer.getbbox()
    if box is not None:
        mapped = layer.crop(box).point(canvas.palette.ramps[(INK, ON)])
        canvas.image.paste(ImageChops.lighter(canvas.image.crop(box), mapped), box)
    return canvas.image.tobytes()


def stamped(texts: list[Text], fonts: CardFonts) -> bytes:
    canvas = Canvas(SIZE, palette(ON, ("#8b1a1a",), ((INK, ON),)))
    canvas.shapes.rectangle((0, 150, 700, 220), fill=canvas.index("#8b1a1a"))
    placed: list[Placed] = [(stamp(fonts.face(True, 58), text, anchor, direction), at)
                            for text, at, anchor, direction in texts]
    canvas.lay(INK, ON, placed)
    return canvas.image.tobytes()


CASES: dict[str, list[Text]] = {
    "apart": [("Rates rose", (20, 10), "la", "ltr"), ("by 5%", (20, 90), "la", "ltr")],
    "overlapping lines": [("Ökonomie Åland", (20, 10), "la", "ltr"),
                          ("gjpqy Ŷ", (40, 40), "la", "ltr"),
                          ("far away", (680, 200), "rs", "ltr")],
    "crossing the edges": [("Off the left", (-60, -20), "la", "ltr"),
                           ("and the right", (690, 120), "la", "ltr")],
    "outside": [("nowhere", (900, 400), "la", "ltr")],
    "anchors": [("Middle", (350, 110), "mm", None), ("Right", (690, 60), "ra", None),
                ("Base", (10, 170), "ls", None)],
    "accents piled into the badge": [("a" + "\u0301\u0323" * 12 + "b", (30, 60), "la", "ltr")],
    "empty": [("", (30, 30), "la", "ltr"), ("then text", (30, 60), "la", "ltr")],
}


@pytest.mark.parametrize("name", CASES)
def test_stamps_lay_what_a_full_layer_drew(fonts: CardFonts, name: str) -> None:
    texts = CASES[name]
    assert stamped(texts, fonts) == on_one_layer(texts, fonts)


@pytest.mark.skipif(not RAQM, reason="right-to-left layout needs Pillow's raqm")
def test_right_to_left_stamps_lay_what_a_full_layer_drew(fonts: CardFonts) -> None:
    texts: list[Text] = [("ادعى الوزير أن الأسعار", (680, 20), "ra", "rtl"),
                         ("ارتفعت بنسبة خمسين", (680, 90), "ra", "rtl")]
    assert stamped(texts, fonts) == on_one_layer(texts, fonts)


def test_a_stamp_is_one_line() -> None:
    with pytest.raises(ValueError, match="one line"):
        stamp(CardFonts().face(True, 30), "two\nlines")


CARDS = [
    ShareCard("The Claim Desk", "claimdesk.example.org", claim, claimant, label, color)
    for claim, claimant, label, color in [
        ("Bread prices doubled in a single year, the minister said.", "Jane Official",
         "False", "#8b1a1a"),
        ("Unemployment fell to its lowest level since 1990.", "Jane Official",
         "Partially true", "#d9a400"),
        ("Пенсии выросли вдвое за год", "Иван Петров", "False", "#8b1a1a"),
        ("ادعى الوزير أن الأسعار ارتفعت بنسبة خمسين بالمئة", "وزير المالية", "Misleading",
         "#b3400a"),
        ("A claim " * 40, "Someone with a very long name " * 4, "Unproven", "#6b7280"),
    ]
]


def test_cards_drawn_with_shared_stamps_are_the_cards_drawn_afresh() -> None:
    """One CardFonts draws every card of a build and keeps the lines cards share; each card
    is the same bytes as one drawn with fonts opened for it alone."""
    shared = CardFonts()
    for card in CARDS + CARDS:
        assert draw_card(card, shared) == draw_card(card, CardFonts())


def test_the_oldest_shared_stamp_goes_when_the_memo_is_full(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sharecard, "SHARED_STAMPS", 3)
    shared = CardFonts()
    first = shared.stamp(True, 30, "Desk", "la", "ltr")
    for text in ("One", "Two", "Three"):
        shared.stamp(True, 30, text, "la", "ltr")
    assert shared.stamp(True, 30, "Three", "la", "ltr") is shared.stamp(True, 30, "Three", "la",
                                                                         "ltr")
    assert shared.stamp(True, 30, "Desk", "la", "ltr") is not first
    for card in CARDS:
        assert draw_card(card, shared) == draw_card(card, CardFonts())


def test_cards_with_kept_headers_and_badges_are_the_cards_drawn_whole() -> None:
    """A build keeps each header and badge as drawn and pastes them into later cards
    (cardcanvas.DrawnRows): each card is the same bytes as one drawn whole by fonts opened
    for it alone: two sites' headers, one without a host, right to left, a white badge, a
    claim whose accents reach into the header and a verdict of two lines, whose badge
    reaches below the shared rows (both drawn, not pasted)."""
    cards = [*CARDS,
             ShareCard("Other Desk", "", "Prices rose by 5%", "Anna", "True", "#ffffff"),
             ShareCard("The Claim Desk", "claimdesk.example.org",
                       "\u05d4\u05de\u05e1 \u05e2\u05dc\u05d4", "Dana", "False", "#8b1a1a"),
             ShareCard("The Claim Desk", "claimdesk.example.org",
                       "Y" + "\u0302" * 30 + " rose", "Dana", "False", "#8b1a1a"),
             ShareCard("The Claim Desk", "claimdesk.example.org", "Prices rose by 5%",
                       "Dana", "Partly false: missing important context", "#b3400a")]
    shared = CardFonts()
    found = shared.rows.find
    pasted: list[object] = []

    def counted(key: tuple[object, ...]) -> object:
        rows = found(key)
        if rows is not None:
            pasted.append(key)
        return rows

    shared.rows.find = counted  # type: ignore[method-assign]
    for card in cards + cards:
        assert draw_card(card, shared) == draw_card(card, CardFonts())
    assert len(pasted) >= len(cards) - 2  # all but the accents' and the two-line verdict's


def test_rows_a_claim_reaches_into_are_not_kept() -> None:
    fonts = CardFonts()
    accents = ShareCard("The Claim Desk", "claimdesk.example.org", "Y" + "\u0302" * 30 + " rose",
                        "Dana", "False", "#8b1a1a")
    draw_card(accents, fonts)
    assert len(fonts.rows) == 0
    draw_card(CARDS[0], fonts)
    assert len(fonts.rows) == 1  # its header, kicker and badge
