"""Share cards read back with OCR, as a feed's reader (or a platform's text recognition) takes
them in: the site's name, that this is a fact-check and its verdict, then the claim, marked
as a claim, in quotation marks, attributed, and set smaller than the verdict.

Tesseract (Debian's `tesseract-ocr`, with `tesseract-ocr-rus` and `tesseract-ocr-ara`) reads
the drawn PNG; nothing is drawn for it. It is run as a program (its TSV output gives each
word's box), not through a Python wrapper: one subprocess call is all a wrapper would add.
A missing Tesseract or language skips these tests locally and fails them in CI, like the
browser (outside_tools.py).

Tesseract's page layout takes a filled badge for a picture, so the card is read twice: whole,
for everything on the white ground, and the badge alone, its label's colour made black on
white (a reader of the card sees the same letters either way). Its Arabic model misreads some
short bold words in DejaVu Sans however they are drawn (خطأ, صحيح), so the Arabic cards use
verdicts it reads.
"""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import pytest
from bs4 import BeautifulSoup
from conftest import ScratchSite
from outside_tools import missing
from PIL import Image, ImageChops, ImageOps

from sitegen.cards import CardFonts, badge_box, draw_card
from sitegen.colors import text_color
from sitegen.models import ShareCard

OCR_TIMEOUT = 120
CORNER = 16
"""Wider than the badge's rounded corners (draw.py), narrower than its padding."""


@pytest.fixture(scope="module")
def fonts() -> CardFonts:
    return CardFonts()


def tesseract(languages: str) -> str:
    """The tesseract program, once it has every language of `languages` ('ara+eng')."""
    found = shutil.which("tesseract")
    if found is None:
        missing("tesseract is not installed (apt-get install tesseract-ocr)")
    listed = subprocess.run([found, "--list-langs"], capture_output=True, text=True,
                            check=True, timeout=OCR_TIMEOUT).stdout.split()
    for language in languages.split("+"):
        if language not in listed:
            missing(f"tesseract cannot read '{language}' "
                    f"(apt-get install tesseract-ocr-{language})")
    return found


@dataclass(frozen=True)
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    line: tuple[int, int, int]
    """Tesseract's block, paragraph and line numbers: the words of a line share them."""


def read(image: Image.Image, languages: str, layout: int = 3) -> list[Word]:
    """The words Tesseract finds in `image`, in its reading order, with their boxes
    (`layout`: its page segmentation mode, 3 a whole page, 6 one block of text). Its
    adaptive threshold (Leptonica's tiled Otsu) reads small bold Arabic its global one
    misses."""
    program = tesseract(languages)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "card.png"
        image.save(path)
        tsv = subprocess.run([program, str(path), "stdout", "-l", languages, "--psm",
                              str(layout), "-c", "thresholding_method=1", "tsv"],
                             capture_output=True, text=True, check=True,
                             timeout=OCR_TIMEOUT).stdout
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) == 12 and cells[0] == "5" and cells[11].strip():
            block, paragraph, line = (int(cell) for cell in cells[2:5])
            left, top, width, height = (int(cell) for cell in cells[6:10])
            words.append(Word(cells[11].strip(), left, top, width, height,
                              (block, paragraph, line)))
    return words


def lines_of(words: list[Word]) -> list[list[Word]]:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return list(lines.values())


def text_of(line: list[Word]) -> str:
    return " ".join(word.text for word in line)


def plain(text: str) -> str:
    """Text as compared: letters and digits, casefolded, one space between words; OCR's
    reading of punctuation and bidi marks is not what is tested by it."""
    kept = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in text.casefold())
    return " ".join(kept.split())


def alike(read_text: str, drawn: str, least: float = 0.9) -> bool:
    return difflib.SequenceMatcher(None, plain(read_text), plain(drawn)).ratio() >= least


def badge_as_ink(card: ShareCard, image: Image.Image, fonts: CardFonts) -> Image.Image:
    """The badge alone, its label black on white: each pixel as far from black as it is from
    the label's colour (the badge's own colour comes out light), with a white margin. Its
    rounded corners are left out (the label keeps clear of them)."""
    left, top, right, bottom = badge_box(card, fonts)
    badge = image.convert("RGB").crop((left + CORNER, top, right - CORNER, bottom))
    ink = Image.new("RGB", badge.size, text_color(card.verdict_color))
    distance = ImageChops.difference(badge, ink).convert("L")
    return ImageOps.expand(ImageOps.autocontrast(distance), 24, fill=255)


@dataclass(frozen=True)
class Reading:
    """What OCR found on a card: its lines on the white ground, and its badge's words."""

    lines: list[list[Word]]
    verdict: list[Word]

    def line_index(self, wanted: str) -> int:
        found = [n for n, line in enumerate(self.lines) if alike(text_of(line), wanted)]
        assert found, f"no line reads {wanted!r}: {[text_of(line) for line in self.lines]}"
        return found[0]


def read_card(card: ShareCard, fonts: CardFonts, languages: str) -> Reading:
    return read_png(draw_card(card, fonts), card, fonts, languages)


def read_png(data: bytes, card: ShareCard, fonts: CardFonts, languages: str) -> Reading:
    with Image.open(io.BytesIO(data)) as image:
        whole = read(image.convert("RGB"), languages)
        verdict = read(badge_as_ink(card, image, fonts), languages, layout=6)
    return Reading(lines_of(whole), verdict)


OPENING = {"\u201c": "\u201c\"", "\u00ab": "\u00ab\u00bb"}
CLOSING = {"\u201d": "\u201d\"", "\u00bb": "\u00bb\u00ab"}
"""How OCR may read each mark: straight quotes for curly ones; a guillemet in right-to-left
text either way round, as the mark is mirrored there."""
ELLIPSES = ("\u2026", "...")
PROMINENCE = 1.25
"""How much taller the verdict's words are than the claim's, at the least (the medians of
their boxes: Tesseract's boxes of Arabic words sometimes span a letter of the line above)."""


def assert_reads_as_a_checked_claim(reading: Reading, card: ShareCard) -> None:
    """Everything the issue asks of a card, read from its pixels."""
    header = text_of(reading.lines[0])
    assert plain(card.site_title) in plain(header), header  # the site's name, first
    kicker = reading.line_index(card.kicker)
    verdict = " ".join(word.text for word in reading.verdict)
    assert alike(verdict, card.verdict_label), verdict
    label = reading.line_index(card.claim_label)
    assert kicker < label
    claimed = reading.lines[label + 1:]
    attribution = next(n for n, line in enumerate(claimed)
                       if text_of(line)[:1] in "\u2014-\u2013")
    claim_lines, said = claimed[:attribution], text_of(claimed[attribution])
    claim = " ".join(text_of(line) for line in claim_lines)
    opening, closing = card.quotes
    assert claim[0] in OPENING[opening], claim
    assert claim[-1] in CLOSING[closing], claim
    shown = claim[1:-1]
    cut = shown.endswith(ELLIPSES)
    if cut:
        shown = shown.rstrip(".\u2026")
        assert alike(shown, card.claim[:len(shown)], 0.85), claim
    else:
        assert alike(shown, card.claim), claim
    said = said.lstrip("\u2014-\u2013 ")
    if said.endswith(ELLIPSES):  # a long name, cut
        said = said.rstrip(".\u2026")
        assert alike(said, card.claimant[:len(said)], 0.85), said
    else:
        assert alike(said, card.claimant, 0.85), said
    claim_height = median(w.height for line in claim_lines for w in line if plain(w.text))
    verdict_height = median(w.height for w in reading.verdict if plain(w.text))
    assert verdict_height > PROMINENCE * claim_height, (verdict_height, claim_height)


EN = {"kicker": "Fact check", "claim_label": "Claim", "quotes": ("\u201c", "\u201d")}
RU = {"kicker": "Проверка фактов", "claim_label": "Заявление", "quotes": ("\u00ab", "\u00bb")}
AR = {"kicker": "تحقق من الأخبار", "claim_label": "الادعاء", "quotes": ("\u00ab", "\u00bb")}
LONG = ("We have halved youth unemployment in two years, created forty thousand new jobs for "
        "graduates, cut the waiting lists of every hospital in the country by a third, built "
        "more homes than any government since the war, and lowered taxes for nine out of ten "
        "working families, which no other party has ever managed to do in the history of "
        "this parliament, as every economist agrees. ") * 2
LONG_NAME = ("Sir Reginald Archibald Fortescue-Montgomery-Smythe, Shadow Secretary of State "
             "for Justice and Constitutional Affairs")

CARDS = {
    "latin, short": (ShareCard(
        "The Claim Desk", "claimdesk.example.org", "We have halved youth unemployment.",
        "Jane Official", "False", "#8b1a1a", **EN), "eng"),
    "latin, long, a long verdict on a light colour": (ShareCard(
        "The Claim Desk", "claimdesk.example.org", LONG, LONG_NAME,
        "Partly false: missing important context", "#f5d90a", **EN), "eng"),
    "cyrillic, short": (ShareCard(
        "Проверено", "provereno.example", "Пенсии выросли вдвое за год.", "Иван Петров",
        "Ложь", "#8b1a1a", **RU), "rus+eng"),
    "cyrillic, long": (ShareCard(
        "Проверено", "provereno.example",
        "Мы вдвое сократили безработицу среди молодёжи за два года, создали сорок тысяч "
        "новых рабочих мест для выпускников и снизили налоги для девяти из десяти "
        "работающих семей, чего не удавалось ни одному правительству за всю историю страны.",
        "Министерство труда и социальной защиты", "Вводит в заблуждение", "#d9a400", **RU),
        "rus+eng"),
    "arabic, short": (ShareCard(
        "مرصد الحقائق", "facts.example", "لقد خفضنا بطالة الشباب إلى النصف.", "وزير العمل",
        "ادعاء زائف", "#8b1a1a", **AR), "ara+eng"),
    "arabic, long": (ShareCard(
        "مرصد الحقائق", "facts.example",
        "لقد خفضنا بطالة الشباب إلى النصف في عامين وأنشأنا أربعين ألف وظيفة جديدة للخريجين "
        "وخفضنا الضرائب لتسع من كل عشر أسر عاملة، وهو ما لم تنجح فيه أي حكومة أخرى في "
        "تاريخ هذا البرلمان كله كما يتفق كل الاقتصاديين.",
        "وزير العمل والشؤون الاجتماعية", "مضلل جزئيا ويفتقر إلى السياق", "#b3400a", **AR),
        "ara+eng"),
}


@pytest.mark.parametrize("name", CARDS)
def test_a_card_reads_as_a_checked_claim(fonts: CardFonts, name: str) -> None:
    """Read back from the PNG: the site's name in the header; the kicker, then the verdict,
    its capitals taller than any word of the claim; the claim's label, then the claim in its
    language's quotation marks (cut with an ellipsis inside them when long), then '— who
    said it'."""
    card, languages = CARDS[name]
    assert_reads_as_a_checked_claim(read_card(card, fonts, languages), card)


def test_the_verdict_is_read_before_the_claim_and_in_larger_letters(fonts: CardFonts) -> None:
    """The order a reader scrolling past takes the card in: every word of the claim is below
    the verdict's badge, and in Latin letters every word of the verdict is taller than every
    word of the claim."""
    card, languages = CARDS["latin, short"]
    with Image.open(io.BytesIO(draw_card(card, fonts))) as image:
        whole = read(image.convert("RGB"), languages)
    claim_words = [w for w in whole if plain(w.text) in plain(card.claim).split()]
    top_of_badge = badge_box(card, fonts)[1]
    assert claim_words and all(word.top > top_of_badge for word in claim_words)
    reading = read_card(card, fonts, languages)
    assert min(w.height for w in reading.verdict) > max(w.height for w in claim_words)


RUSSIAN_SITE = """\
[site]
title = "Проверено"
base_url = "https://provereno.example/"
language = "ru"
description = "Проверки фактов."

[publisher]
name = "Редакция"
url = "https://provereno.example/"
"""


def test_a_russian_sites_card_and_its_alt_text_say_the_same(site: ScratchSite,
                                                           fonts: CardFonts) -> None:
    """Built for real: the card of a Russian site reads in Russian (the kicker and the
    claim's label from the theme's messages, the default scale's verdict, «» round the
    claim), and og:image:alt says the same in words."""
    site.write("sitegen.toml", RUSSIAN_SITE)
    site.write("content/2020/a-claim.md", """\
        ---
        title: "Проверка"
        claim: "Пенсии выросли вдвое за год."
        claimant: "Иван Петров"
        verdict: false
        date: 2020-03-04
        ---
        Текст.
        """)
    site.built()
    page = BeautifulSoup((site.output / "2020/a-claim/index.html").read_text(encoding="utf-8"),
                         "html5lib")
    alt = page.find("meta", attrs={"property": "og:image:alt"})
    assert alt is not None
    assert alt["content"] == ("Проверка фактов, Проверено: Ложь. Заявление (Иван Петров): "
                              "«Пенсии выросли вдвое за год.»")
    card = ShareCard("Проверено", "provereno.example", "Пенсии выросли вдвое за год.",
                     "Иван Петров", "Ложь", "#8b1a1a", **RU)
    data = (site.output / "2020/a-claim/card.png").read_bytes()
    assert_reads_as_a_checked_claim(read_png(data, card, fonts, "rus+eng"), card)
