"""Share cards: a 1200x630 PNG per fact-check, cached by content, used as its share image."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ScratchSite
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from sitegen import BuildOptions, Session, build, load
from sitegen.cache import card_folder
from sitegen.cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    CLAIM_SIZES,
    ELLIPSIS,
    Canvas,
    CardCache,
    CardFonts,
    badge_box,
    claim_layout,
    draw_card,
    graphemes,
    intact_png,
    palette,
    stamp,
)
from sitegen.cards import INK as INK_HEX
from sitegen.cards import draw as draw_module
from sitegen.cards.layout import BADGE_PAD, RULE_Y, VERDICT_SIZES, WIDTH, claim_top
from sitegen.colors import text_color
from sitegen.config import DEFAULT_VERDICTS
from sitegen.models import ShareCard, Verdict
from sitegen.site.cards import quotation_marks, unquoted

CARD = "2020/a-claim/card.png"
FALSE_COLOR = (0x8B, 0x1A, 0x1A)  # the default scale's "false"


@pytest.fixture(scope="module")
def fonts() -> CardFonts:
    """The bundled fonts, opened once for the module's drawing tests."""
    return CardFonts()


def card_value(claim: str = "The river is 100 km long.", label: str = "False",
               color: str = "#8b1a1a", claimant: str = "Jane Official") -> ShareCard:
    return ShareCard("Test Desk", "example.org", claim, claimant, label, color)


def meta(page: BeautifulSoup, name: str) -> str | None:
    tag = page.find("meta", attrs={"property": name}) or page.find("meta", attrs={"name": name})
    return None if tag is None else str(tag["content"])


def review_of(page: BeautifulSoup) -> dict[str, object]:
    script = page.find("script", attrs={"type": "application/ld+json"})
    assert script is not None
    data: dict[str, object] = json.loads(script.string or "")
    return data


def cached_cards(site: ScratchSite) -> list[Path]:
    return sorted(card_folder(site.root).glob("*/*.png"))


def set_share_cards(site: ScratchSite, value: str) -> None:
    config = site.root / "sitegen.toml"
    site.write("sitegen.toml", config.read_text(encoding="utf-8")
               + f"\n[build]\nshare_cards = {value}\n")


# --- the image ------------------------------------------------------------------------------


def test_card_is_a_1200x630_png_with_the_verdict_colour_in_its_badge(
        site: ScratchSite, fonts: CardFonts) -> None:
    """The built card decodes, has the Open Graph size, and its badge is the verdict's colour."""
    site.built()
    path = site.output / CARD
    assert intact_png(path)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (CARD_WIDTH, CARD_HEIGHT)
        rgb = image.convert("RGB")
    left, top, right, bottom = badge_box(card_value(), fonts)
    assert right - left > 60 and bottom - top > 60
    badge = rgb.crop((left, top, right, bottom))
    colours = badge.getcolors(maxcolors=100_000)
    assert colours is not None
    count, most = max(colours)
    assert most == FALSE_COLOR
    assert count > badge.width * badge.height // 2  # the fill, not a stray pixel
    assert rgb.getpixel((CARD_WIDTH // 2, 12)) == (255, 255, 255)  # outside: the background


def test_badge_text_has_aa_contrast_on_a_light_verdict_colour(fonts: CardFonts) -> None:
    """On a light colour the label is black, on a dark one white (never 2:1 grey on yellow)."""
    for color, ink in (("#f5d90a", (0, 0, 0)), ("#1f2937", (255, 255, 255))):
        card = card_value(label="Half true", color=color)
        with Image.open(io.BytesIO(draw_card(card, fonts))) as image:
            badge = image.convert("RGB").crop(badge_box(card, fonts))
        colours = {c for _, c in badge.getcolors(maxcolors=100_000) or []}
        assert ink in colours, color


def test_a_long_claim_is_shortened_with_an_ellipsis_between_words(fonts: CardFonts) -> None:
    """A claim too long for the card ends in '…' after a whole word, at the smallest size."""
    words = [f"word{n}" for n in range(200)]
    size, lines = claim_layout(" ".join(words), fonts)
    assert lines[0].startswith("\u201c") and lines[-1].endswith(ELLIPSIS + "\u201d")
    shown = " ".join(lines)[1:-2].split()
    assert shown == words[:len(shown)]  # whole words, in order, none cut
    assert size == CLAIM_SIZES[-1]
    font = fonts.face(False, size)
    assert all(font.getlength(line) <= CARD_WIDTH - 152 for line in lines)


def test_a_short_claim_is_drawn_large_and_whole(fonts: CardFonts) -> None:
    """A claim that fits is drawn whole, at the largest size."""
    size, lines = claim_layout("Bread prices doubled.", fonts)
    assert lines == ["\u201cBread prices doubled.\u201d"]
    assert size == CLAIM_SIZES[0]


def test_shortening_never_cuts_inside_a_grapheme(fonts: CardFonts) -> None:
    """A word with combining accents and emoji with skin tones is cut between graphemes."""
    word = "e\u0301\U0001f44d\U0001f3fd" * 300  # é as e + accent; thumbs up, medium skin
    _, lines = claim_layout(word, fonts)
    pieces = {"e\u0301", "\U0001f44d\U0001f3fd"}
    for line in lines:
        inside = line.removeprefix("\u201c").removesuffix("\u201d").removesuffix(ELLIPSIS)
        assert set(graphemes(inside)) <= pieces, line


def test_cyrillic_and_latin_claims_are_drawn_in_the_font(fonts: CardFonts) -> None:
    """DejaVu draws Cyrillic: the card of a Russian claim has as much ink as a Latin one."""
    latin = _ink(draw_card(card_value("Pensions rose by half last year"), fonts))
    cyrillic = _ink(draw_card(card_value("Пенсии выросли вдвое за год"), fonts))
    assert cyrillic > latin * 0.6


@pytest.mark.parametrize("odd", ["\x85", "\u2028", "\u2029", "\x07", "\x1b", "\ufeff",
                                 "\u202e", "\U0010fffd"])
def test_control_and_odd_characters_never_break_a_card(fonts: CardFonts, odd: str) -> None:
    """A NEL in a claim once made raqm fail and took the whole build down with the card:
    control characters are left out, the rest drawn or skipped like a missing emoji."""
    plain = draw_card(card_value("Pensions rose by half"), fonts)
    drawn = draw_card(ShareCard("Site" + odd, "example.org", f"Pensions{odd} rose by half",
                                "Jane" + odd, "False", "#8b1a1a"), fonts)
    assert Image.open(io.BytesIO(drawn)).size == (CARD_WIDTH, CARD_HEIGHT)
    assert abs(_ink(drawn) - _ink(plain)) < _ink(plain) * 0.2


@pytest.mark.skipif(not features.check("raqm") and os.environ.get("CI") != "true",
                    reason="Pillow's raqm layout (libfribidi0) is not available")
def test_a_right_to_left_claim_starts_at_the_right(fonts: CardFonts) -> None:
    """An Arabic claim is laid out right to left: its text hugs the right margin."""
    assert features.check("raqm"), "raqm must be available in CI (libfribidi0)"
    arabic = "ارتفعت الأسعار"  # "prices rose": one short line
    with Image.open(io.BytesIO(draw_card(card_value(arabic, claimant="وزارة"), fonts))) as image:
        top = claim_top(fonts.verdict("False"))
        claim_band = image.convert("L").crop((0, top, CARD_WIDTH, top + 60))
    left_ink = _dark(claim_band.crop((0, 0, CARD_WIDTH // 2, claim_band.height)))
    right_ink = _dark(claim_band.crop((CARD_WIDTH // 2, 0, CARD_WIDTH, claim_band.height)))
    assert right_ink > 10 * max(left_ink, 1)


def _ink(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as image:
        return _dark(image.convert("L"))


def _dark(image: Image.Image) -> int:
    return sum(n for level, n in enumerate(image.histogram()) if level < 128)


# --- exact colours in a paletted PNG --------------------------------------------------------

WHITE, RULE = (255, 255, 255), (0xE5, 0xE7, 0xEB)
INK, MUTED = (0x11, 0x18, 0x27), (0x4B, 0x55, 0x63)  # the theme's text colours (cards/draw.py)


def decoded(data: bytes) -> tuple[str, Image.Image]:
    """The PNG's mode as stored, and its pixels as RGB."""
    with Image.open(io.BytesIO(data)) as image:
        return image.mode, image.convert("RGB")


def colour_counts(image: Image.Image) -> dict[tuple[int, int, int], int]:
    found = image.getcolors(maxcolors=1_000_000)
    assert found is not None
    return {colour: count for count, colour in found}


def between(colour: tuple[int, int, int], one: tuple[int, int, int],
            other: tuple[int, int, int]) -> bool:
    """Whether every channel of `colour` lies between those of `one` and `other`: an
    antialiased edge of `other` drawn over `one`."""
    return all(min(a, b) <= c <= max(a, b) for c, a, b in zip(colour, one, other, strict=True))


def hex_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def test_the_card_is_a_paletted_png_whose_colours_are_exact(fonts: CardFonts) -> None:
    """One byte a pixel, and still every colour exactly: the strip and badge in the verdict's
    colour, the label white on it, the claim in INK, the claimant and host in MUTED, the rule,
    the white background; plus antialiased edges between them (more colours than those)."""
    card = card_value(claim="Bread prices doubled in a single year, the minister said.")
    mode, rgb = decoded(draw_card(card, fonts))
    assert mode == "P"
    assert rgb.getpixel((4, CARD_HEIGHT // 2)) == FALSE_COLOR  # the strip
    assert rgb.getpixel((CARD_WIDTH // 2, 12)) == WHITE
    assert rgb.getpixel((CARD_WIDTH // 2, RULE_Y)) == RULE
    badge = colour_counts(rgb.crop(badge_box(card, fonts)))
    assert max(badge, key=badge.__getitem__) == FALSE_COLOR
    assert badge.get(WHITE, 0) > 300  # the label's solid strokes
    top = claim_top(fonts.verdict(card.verdict_label))
    claim = colour_counts(rgb.crop((80, top, CARD_WIDTH - 72, top + 100)))
    assert claim.get(INK, 0) > 2000
    edges = [colour for colour in claim if colour not in (WHITE, INK)]
    assert len(edges) > 20
    assert all(between(colour, WHITE, INK) for colour in edges)
    everything = colour_counts(rgb)
    assert everything.get(MUTED, 0) > 500
    assert len(everything) > 7


@pytest.mark.parametrize("verdict", DEFAULT_VERDICTS, ids=lambda verdict: verdict.id)
def test_every_verdict_colour_of_the_default_scale_is_drawn_exactly(
        fonts: CardFonts, verdict: Verdict) -> None:
    """The strip and the badge are exactly the verdict's colour, and its label is exactly
    black or white (whichever reads on it), antialiased towards the badge, never off it."""
    card = card_value(label=verdict.label, color=verdict.color)
    colour, label = hex_rgb(verdict.color), hex_rgb(text_color(verdict.color))
    mode, rgb = decoded(draw_card(card, fonts))
    assert mode == "P"
    assert rgb.getpixel((4, CARD_HEIGHT // 2)) == colour
    left, top, right, bottom = badge_box(card, fonts)
    inside = colour_counts(rgb.crop((left + 16, top + 16, right - 16, bottom - 16)))
    assert max(inside, key=inside.__getitem__) == colour
    assert inside.get(label, 0) > 100
    edges = [c for c in inside if c not in (colour, label)]
    assert edges
    assert all(between(c, colour, label) for c in edges)


def test_the_same_card_is_the_same_bytes(fonts: CardFonts) -> None:
    """Cached cards are compared and copied by content: drawing is deterministic, also with
    fonts opened afresh."""
    card = card_value(claim="Пенсии выросли вдвое за год")
    assert draw_card(card, fonts) == draw_card(card, CardFonts())


@pytest.mark.parametrize(("ink", "on"), [(INK_HEX, "#ffffff"), ("#ffffff", "#8b1a1a"),
                                         ("#000000", "#f5d90a")])
def test_text_on_a_layer_matches_pillows_own_rgb_text(fonts: CardFonts, ink: str,
                                                      on: str) -> None:
    """Coverage mapped through the ramp is Pillow's RGB text within two levels a channel,
    and exactly the ink where the letter is solid, exactly the background off it."""
    font, at, text = fonts.face(True, 58), (12, 10), "Rates rose 5% (Ökonomie)"
    canvas = Canvas((900, 90), palette(on, (), ((ink, on),)))
    canvas.lay(ink, on, [(stamp(font, text), at)])
    mode, drawn = decoded(canvas.png(1))
    reference = Image.new("RGB", (900, 90), on)
    ImageDraw.Draw(reference).text(at, text, font=font, fill=ink)
    assert mode == "P"
    difference = ImageChops.difference(drawn, reference)
    assert max(band.getextrema()[1] for band in difference.split()) <= 2
    for solid in (hex_rgb(ink), hex_rgb(on)):
        mask = Image.eval(ImageChops.difference(reference, Image.new("RGB", (900, 90), solid))
                          .convert("L"), lambda level: 255 if level == 0 else 0)
        exact = Image.composite(drawn, Image.new("RGB", (900, 90), solid), mask)
        assert ImageChops.difference(exact, Image.new("RGB", (900, 90), solid)).getbbox() is None


def test_faint_edges_never_paint_over_a_neighbouring_shape(fonts: CardFonts) -> None:
    """Text that runs into a shape of another colour (a pile of accents reaching the badge)
    covers it where it has ink and leaves the shape's colour everywhere else."""
    canvas = Canvas((600, 120), palette("#ffffff", ("#8b1a1a",), ((INK_HEX, "#ffffff"),)))
    canvas.shapes.rectangle((0, 60, 600, 120), fill=canvas.index("#8b1a1a"))
    rules = stamp(fonts.face(True, 58), "Rules")
    canvas.lay(INK_HEX, "#ffffff", [(rules, (10, 20))])
    _, drawn = decoded(canvas.png(1))
    block = drawn.crop((0, 60, 600, 120))
    inked = Image.new("L", (600, 120))
    inked.paste(rules.coverage, (10 + rules.offset[0], 20 + rules.offset[1]))
    inked = inked.crop((0, 60, 600, 120))
    untouched = Image.eval(inked, lambda level: 255 if level < 2 else 0)
    red = Image.new("RGB", block.size, FALSE_COLOR)
    assert ImageChops.difference(Image.composite(block, red, untouched), red).getbbox() is None
    assert colour_counts(block).get(INK, 0) > 100  # the letters' lower halves are drawn


# --- what the card says: a checked claim, not the claim ---------------------------------------


def ink_height(font: ImageFont.FreeTypeFont, text: str) -> int:
    """The height of the ink of `text` as drawn (a font's bbox reaches its ascender)."""
    image = Image.new("L", (1200, 200))
    ImageDraw.Draw(image).text((10, 150), text, font=font, fill=255, anchor="ls")
    box = image.getbbox()
    assert box is not None
    return box[3] - box[1]


def test_the_verdict_is_larger_than_the_claim_at_every_size(fonts: CardFonts) -> None:
    """The smallest verdict's capitals are taller than the largest claim's letters from
    ascender to descender (an accented capital aside), and the claim is in the regular
    face: the claim never reads as the card's headline (tests/test_card_ocr.py reads the
    drawn cards)."""
    capitals = ink_height(fonts.face(True, VERDICT_SIZES[-1]), "HEIGHT")
    claim = ink_height(fonts.face(False, CLAIM_SIZES[0]), "\u201cHbdfghjklpqy\u201d")
    assert capitals > claim
    assert fonts.verdict("False").size == VERDICT_SIZES[0]


def test_a_long_verdict_takes_two_lines_and_a_longer_one_is_cut(fonts: CardFonts) -> None:
    """A label too wide for one line at the smallest size is set on two, in capitals; past
    two lines the second ends with an ellipsis; every line fits the badge."""
    two = fonts.verdict("Partly false: missing important context")
    assert two.lines == ("PARTLY FALSE: MISSING", "IMPORTANT CONTEXT")
    assert two.size == VERDICT_SIZES[-1]
    cut = fonts.verdict("Partly false: missing important context " * 4)
    assert len(cut.lines) == 2 and cut.lines[1].endswith(ELLIPSIS)
    font = fonts.face(True, cut.size)
    assert all(font.getlength(line) <= WIDTH - 2 * BADGE_PAD for line in cut.lines)
    assert cut.box(False)[2] <= CARD_WIDTH - 72


@pytest.mark.parametrize(("language", "marks"), [
    ("en", ("\u201c", "\u201d")), ("en-GB", ("\u201c", "\u201d")), ("ru", ("\u00ab", "\u00bb")),
    ("ar", ("\u00ab", "\u00bb")), ("de-AT", ("\u201e", "\u201c")), ("pl", ("\u201e", "\u201d")),
    ("pt-BR", ("\u201c", "\u201d")), ("xx", ("\u201c", "\u201d"))])
def test_quotation_marks_are_the_claims_languages(language: str,
                                                  marks: tuple[str, str]) -> None:
    assert quotation_marks(language) == marks


@pytest.mark.parametrize(("claim", "shown"), [
    ("\u201cWe halved it.\u201d", "We halved it."), ('"We halved it."', "We halved it."),
    ("\u00abМы смогли\u00bb", "Мы смогли"),  # noqa: RUF001
    ('"A" and "B" are the same', '"A" and "B" are the same'),
    ("\u201cRates\u201d rose by \u201chalf\u201d", "\u201cRates\u201d rose by \u201chalf\u201d"),
    ("We halved it.", "We halved it."), ('"', '"')])
def test_marks_a_writer_put_round_the_claim_are_not_doubled(claim: str, shown: str) -> None:
    """The card adds its own marks: one pair round the whole claim goes; a claim quoting
    several things keeps its marks."""
    assert unquoted(claim) == shown


def card_of_site(site: ScratchSite) -> ShareCard:
    """The one card the site graph plans (site/cards.py), as a build would draw it."""
    loaded = load(site.root)
    assert loaded.site is not None, [p.format() for p in loaded.problems]
    [route] = loaded.site.cards
    return route.card


def test_a_card_says_it_is_a_check_in_the_sites_words(site: ScratchSite) -> None:
    """The kicker, the claim's label and the attribution are the theme's messages, which a
    site may change; changed, the card is a new card, never the cached one."""
    card = card_of_site(site)
    assert (card.kicker, card.claim_label, card.attribution, card.quotes) == (
        "Fact check", "Claim", "\u2014 {claimant}", ("\u201c", "\u201d"))
    site.built()
    before = (site.output / CARD).read_bytes()
    config = (site.root / "sitegen.toml").read_text(encoding="utf-8")
    site.write("sitegen.toml", config + '\n[messages]\ncard_kicker = "We checked"\n'
               'card_claim_label = "What was said"\ncard_attribution = "said by {claimant}"\n')
    card = card_of_site(site)
    assert (card.kicker, card.claim_label, card.attribution) == (
        "We checked", "What was said", "said by {claimant}")
    site.built()
    assert (site.output / CARD).read_bytes() != before
    assert len(cached_cards(site)) == 2


def test_a_russian_site_s_card_speaks_russian(site: ScratchSite) -> None:
    config = (site.root / "sitegen.toml").read_text(encoding="utf-8")
    site.write("sitegen.toml", config.replace('language = "en"', 'language = "ru"'))
    card = card_of_site(site)
    assert (card.kicker, card.claim_label, card.quotes) == (
        "Проверка фактов", "Заявление", ("\u00ab", "\u00bb"))


def test_a_claim_in_another_language_takes_its_quotation_marks(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """An Arabic fact-check on an English site: the theme's words stay the site's (as on its
    page), the marks round the claim are Arabic's."""
    site.write("content/2020/a-claim.md", make_factcheck(
        lang="ar", claim='"ارتفعت الأسعار"'))
    card = card_of_site(site)
    assert (card.claim_label, card.quotes) == ("Claim", ("\u00ab", "\u00bb"))


def test_card_words_the_font_cannot_draw_are_a_warning_naming_the_message(
        site: ScratchSite) -> None:
    config = (site.root / "sitegen.toml").read_text(encoding="utf-8")
    site.write("sitegen.toml", config + '\n[messages]\ncard_kicker = "事实核查"\n')
    result = site.built()
    assert not (site.output / CARD).exists()
    assert ("sitegen.toml: warning: messages.card_kicker: has letters the share cards' font "
            "cannot draw (事实核查); no share cards are made (set share_cards = false in "
            "[build] to silence this)") in site.messages(result)


def test_the_cache_key_is_every_word_on_the_card_and_the_renderer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A card cached with other words, other marks or by another layout is never reused:
    each is a part of its name in the cache, and so is RENDERER_VERSION (raised with every
    change to the drawing)."""
    cache = CardCache(tmp_path, CardFonts())
    card = card_value()
    others = [replace(card, kicker="Checked"), replace(card, claim_label="Statement"),
              replace(card, attribution="by {claimant}"),
              replace(card, quotes=("\u00ab", "\u00bb"))]
    names = {cache.path(card), *(cache.path(other) for other in others)}
    assert len(names) == 1 + len(others)
    monkeypatch.setattr(draw_module, "RENDERER_VERSION", "old")
    assert CardCache(tmp_path, CardFonts()).path(card) != cache.path(card)


# --- the site -------------------------------------------------------------------------------


def test_a_claim_the_writer_quoted_is_quoted_once_in_the_alt_text_and_description(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """The card drops the marks a writer put round the claim and adds its own; the alt text
    and the page's description, which add theirs too, do the same instead of doubling them."""
    site.write("content/2020/a-claim.md", make_factcheck(
        claim="'\"The river is 100 km long.\"'"))
    site.built()
    page = site.html("2020/a-claim/")
    alt = "Fact check by Test Desk: False. Claim by Jane Official: “The river is 100 km long.”"
    assert meta(page, "og:image:alt") == alt
    assert meta(page, "twitter:image:alt") == alt
    description = page.find("meta", attrs={"name": "description"})
    assert description is not None
    assert "““" not in str(description["content"]) and "””" not in str(description["content"])
    assert "“The river is 100 km long.”" in str(description["content"])


def test_meta_tags_and_claim_review_point_to_the_card_by_absolute_url(site: ScratchSite) -> None:
    """og:image, twitter:image and ClaimReview's image are the card's absolute URL, and the
    file is there."""
    site.built()
    page = site.html("2020/a-claim/")
    url = "https://factcheck.test/" + CARD
    assert meta(page, "og:image") == url
    assert meta(page, "twitter:image") == url
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:image:width") == "1200"
    assert meta(page, "og:image:height") == "630"
    alt = "Fact check by Test Desk: False. Claim by Jane Official: “The river is 100 km long.”"
    assert meta(page, "og:image:alt") == alt
    assert meta(page, "twitter:image:alt") == alt
    assert review_of(page)["image"] == url
    assert (site.output / url.removeprefix("https://factcheck.test/")).is_file()


def test_an_article_image_is_shared_instead_of_a_card(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """`image:` wins: no card is drawn and the meta tags and ClaimReview name the image."""
    site.write("content/2020/a-claim.md", make_factcheck(image="/photos/river.jpg"))
    site.write_bytes("static/photos/river.jpg", b"\xff\xd8\xff")
    site.built()
    page = site.html("2020/a-claim/")
    assert meta(page, "og:image") == "https://factcheck.test/photos/river.jpg"
    assert review_of(page)["image"] == "https://factcheck.test/photos/river.jpg"
    assert meta(page, "og:image:width") is None
    assert not (site.output / CARD).exists()


def test_an_image_path_must_be_a_file_in_static(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A path to nothing is an error on the image line, with the likely intended file."""
    site.write("content/2020/a-claim.md", make_factcheck(image="/photos/rivr.jpg"))
    site.write_bytes("static/photos/river.jpg", b"\xff\xd8\xff")
    result = site.build()
    assert site.errors(result) == [
        "content/2020/a-claim.md:7: image: '/photos/rivr.jpg' is not a file in static/ "
        "(did you mean '/photos/river.jpg'?)"]


def test_the_second_build_copies_the_cached_card_without_drawing_it(site: ScratchSite) -> None:
    """The cache file is not written again (same mtime) and the output card is its copy."""
    site.built()
    [cached] = cached_cards(site)
    stamp = cached.stat().st_mtime_ns
    site.built()
    assert cached_cards(site) == [cached]
    assert cached.stat().st_mtime_ns == stamp
    assert (site.output / CARD).read_bytes() == cached.read_bytes()


def test_a_corrupt_cache_entry_is_drawn_again(site: ScratchSite) -> None:
    """A damaged cached card (one flipped byte, or cut short) is never published."""
    site.built()
    [cached] = cached_cards(site)
    good = cached.read_bytes()
    for damaged in (good[:len(good) // 2], good[:3000] + bytes([good[3000] ^ 0xFF]) + good[3001:]):
        cached.write_bytes(damaged)
        assert not intact_png(cached)
        site.built()
        assert (site.output / CARD).read_bytes() == good
        assert cached.read_bytes() == good


def test_editing_the_claim_draws_a_new_card(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """What a card shows is its cache key: a new claim is a new card, not the old one."""
    site.built()
    before = (site.output / CARD).read_bytes()
    site.write("content/2020/a-claim.md", make_factcheck(claim='"The river is 90 km long."'))
    site.built()
    assert (site.output / CARD).read_bytes() != before
    assert len(cached_cards(site)) == 2  # the old one stays a day, for previews with drafts


def test_share_cards_false_removes_them(site: ScratchSite) -> None:
    """Turned off: no card files, no og:image, no image in the ClaimReview."""
    site.built()
    assert (site.output / CARD).is_file()
    set_share_cards(site, "false")
    site.built()
    assert not list(site.output.rglob("card.png"))
    page = site.html("2020/a-claim/")
    assert meta(page, "og:image") is None
    assert meta(page, "twitter:card") == "summary"
    assert "image" not in review_of(page)


def test_share_cards_must_be_true_or_false(site: ScratchSite) -> None:
    """A quoted "yes" is a config error, as for every other typed setting."""
    set_share_cards(site, '"yes"')
    result = site.build()
    assert any("build.share_cards: must be true or false, not str ('yes')" in m
               for m in site.errors(result))


def test_letters_the_font_lacks_give_a_warning_and_no_card(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A Chinese claim would print as boxes: no card, a warning on the claim's line."""
    site.write("content/2020/a-claim.md", make_factcheck(claim='"面包价格翻了一番"'))
    result = site.built()
    assert not (site.output / CARD).exists()
    assert meta(site.html("2020/a-claim/"), "og:image") is None
    assert ("content/2020/a-claim.md:3: warning: claim: has letters the share card's font "
            "cannot draw (面包价格翻了一番); the page has no share image (give the fact-check "
            "an 'image:' to share)") in site.messages(result)


def test_a_claimant_the_font_cannot_draw_is_named_on_its_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """The warning names the field that has the letters, on that field's line."""
    site.write("content/2020/a-claim.md", make_factcheck(claimant='"国家统计局"'))
    result = site.built()
    assert not (site.output / CARD).exists()
    assert ("content/2020/a-claim.md:4: warning: claimant: has letters the share card's font "
            "cannot draw (国家统计局); the page has no share image (give the fact-check "
            "an 'image:' to share)") in site.messages(result)


def test_a_card_path_taken_by_a_static_file_is_an_error(site: ScratchSite) -> None:
    """static/2020/a-claim/card.png and the card cannot both be published: both are named."""
    site.write_bytes("static/" + CARD, b"x")
    result = site.build()
    assert site.errors(result) == [
        f"static/{CARD}: would be written to /{CARD}, which content/2020/a-claim.md already "
        "uses (give one of them a different slug or file name)"]


# --- rebuilds -------------------------------------------------------------------------------


def test_a_rebuild_redraws_only_the_card_whose_claim_changed(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A body edit leaves every card alone; a claim edit writes that article's card only."""
    site.write("content/2020/other.md", make_factcheck(title='"Other"'))
    session = Session(site.root, site.output, search=False)
    assert session.full().ok
    assert session.settle() == []
    other = (site.output / "2020/other/card.png").read_bytes()
    path = site.write("content/2020/a-claim.md", make_factcheck(body="A new body."))
    outcome = session.rebuild([path])
    assert outcome.ok
    assert "2020/a-claim/" in outcome.written
    assert not [p for p in outcome.written if p.endswith("card.png")]
    before = (site.output / CARD).read_bytes()
    path = site.write("content/2020/a-claim.md", make_factcheck(claim='"Rivers are long."'))
    outcome = session.rebuild([path])
    assert outcome.ok
    assert [p for p in outcome.written if p.endswith("card.png")] == [CARD]
    assert (site.output / CARD).read_bytes() != before
    assert (site.output / "2020/other/card.png").read_bytes() == other


def test_a_rebuild_removes_the_card_of_a_deleted_article(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A deleted fact-check's card goes with its page, and its folder with them."""
    site.write("content/2020/other.md", make_factcheck(title='"Other"'))
    session = Session(site.root, site.output, search=False)
    assert session.full().ok
    gone = site.root / "content/2020/other.md"
    gone.unlink()
    outcome = session.rebuild([gone])
    assert outcome.ok
    assert "2020/other/card.png" in outcome.removed
    assert not (site.output / "2020/other").exists()


def test_a_preview_leaves_uncached_cards_to_settle(site: ScratchSite) -> None:
    """`serve`'s first build copies cached cards at once and leaves the ones it would have to
    draw to the background settle step, so thousands never hold the first preview."""
    session = Session(site.root, site.output, search=False)
    outcome = session.full()
    assert outcome.ok and outcome.unsettled
    assert not (site.output / CARD).exists()
    assert session.settle() == []
    drawn = (site.output / CARD).read_bytes()
    assert intact_png(site.output / CARD)
    again = Session(site.root, site.root / "again", search=False)
    outcome = again.full()
    assert outcome.ok and not outcome.unsettled
    assert (site.root / "again" / CARD).read_bytes() == drawn


def test_an_unusable_cache_folder_is_a_warning_and_the_cards_are_still_made(
        site: ScratchSite) -> None:
    """`.sitegen-cache` as a file: the build warns once and publishes the card anyway."""
    site.write(".sitegen-cache", "a file where the cache folder should be")
    result = site.built()
    assert intact_png(site.output / CARD)
    assert [m for m in site.messages(result) if "share cards" in m] == [
        ".sitegen-cache/cards/: warning: share cards could not be cached: Not a directory "
        "(every build draws them again; run 'sitegen clean' or fix the folder)"]


def test_no_cache_draws_the_cards_and_leaves_no_cache(site: ScratchSite) -> None:
    """`build --no-cache` still publishes cards, and writes nothing into the site folder."""
    result = build(site.root, BuildOptions(cache=False))
    assert result.ok
    assert intact_png(site.output / CARD)
    assert not (site.root / ".sitegen-cache").exists()
