"""The site's share cards: which fact-checks get one, where it goes, what it shows, and how a
rebuild's cards differ from the last build's.

A fact-check without an `image` gets `<its page>/card.png`, used as its Open Graph and
Twitter image and in its ClaimReview. Cards are `CardRoute`s in the Site, apart from the
pages: a route holds exactly what its card shows, so a rebuild draws again only the cards
whose route differs from the last build's (an edited body leaves the card alone). Drawing
them, and keeping them drawn, is sitegen.cards' work, which a check never needs: the fonts
are opened only when a card's text has a letter beyond ASCII to ask them about.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sitegen.config.editions import Edition
from sitegen.config.settings import CONFIG_NAME, SiteConfig
from sitegen.models import CardRoute, FactCheck, ShareCard
from sitegen.problems import Problem, warning
from sitegen.urls import readable_host

if TYPE_CHECKING:
    from sitegen.cards.draw import CardFonts

CARD_FILE = "card.png"


class LazyFonts:
    """The cards' fonts, opened the first time a text has a letter beyond ASCII to ask them
    about: the cards' faces draw all of ASCII, so a site in English is checked without the
    card-drawing modules or Pillow."""

    def __init__(self) -> None:
        self._fonts: CardFonts | None = None

    def missing_letters(self, text: str) -> str:
        """The letters and digits of `text` the cards' font cannot draw, each once. Only
        letters and digits beyond ASCII are asked about (as `cards.draw.missing_letters`
        does), so a dash or a curly quote (the card's own '— {claimant}') opens no font."""
        if text.isascii() or not any(unicodedata.category(char)[0] in "LN"
                                     for char in text if not char.isascii()):
            return ""
        from sitegen.cards.draw import CardFonts, missing_letters  # only beyond ASCII

        if self._fonts is None:
            self._fonts = CardFonts()
        return missing_letters(text, self._fonts)


def card_routes(config: SiteConfig, factchecks: Iterable[FactCheck],
                paths: dict[str, str]) -> tuple[list[CardRoute], list[Problem]]:
    """A card for each fact-check that has no image, unless the site turned cards off or the
    font cannot draw the text (then a warning says so, and the page has no share image)."""
    if not config.build.share_cards:
        return [], []
    fonts = LazyFonts()
    routes: list[CardRoute] = []
    problems: list[Problem] = []
    seen: dict[str, SiteConfig | None] = {}
    for fc in factchecks:
        if fc.image is not None:
            continue
        edition = config.edition_for(fc.lang) or config.main
        if edition.language not in seen:
            seen[edition.language] = _edition_config(config, edition, fonts, problems)
        view = seen[edition.language]
        if view is None:
            continue
        card = share_card(view, fc)
        lacking = _lacking(card, fonts)
        if lacking is not None:
            name, missing = lacking
            problems.append(warning(
                fc.source_path, fc.lines.get(name), name,
                f"has letters the share card's font cannot draw ({missing[:12]}); "
                "the page has no share image", "give the fact-check an 'image:' to share"))
            continue
        routes.append(CardRoute(paths[fc.source_path] + CARD_FILE, card, fc.source_path))
    return routes, problems


def _edition_config(config: SiteConfig, edition: Edition, fonts: LazyFonts,
                    problems: list[Problem]) -> SiteConfig | None:
    """The config a card of `edition` is drawn with (its title, its verdict labels, its
    words), or None, with a warning, when the font cannot draw the edition's title or one of
    the card's words."""
    view = config.for_edition(edition)
    table = "" if edition.is_main else f"languages.{edition.language}."
    checked = [(table + "title" if table else "site.title", edition.title)] + [
        (f"{table}messages.{key}", view.messages.get(key).text) for key in CARD_WORDS]
    for field, text in checked:
        missing = fonts.missing_letters(text)
        if missing:
            problems.append(warning(
                CONFIG_NAME, None, field,
                f"has letters the share cards' font cannot draw ({missing[:12]}); "
                "no share cards are made" + ("" if edition.is_main else " for this edition"),
                "set share_cards = false in [build] to silence this"))
            return None
    return view


CARD_WORDS = ("card_kicker", "card_claim_label", "card_attribution")
"""The theme's messages a card shows (`share_card`)."""


def _lacking(card: ShareCard, fonts: LazyFonts) -> tuple[str, str] | None:
    """The first field (as front matter names it) with letters the font lacks, and those."""
    for name, text in (("claim", card.claim), ("claimant", card.claimant),
                       ("verdict", card.verdict_label)):
        missing = fonts.missing_letters(text)
        if missing:
            return name, missing
    return None


def share_card(config: SiteConfig, fc: FactCheck) -> ShareCard:
    """What the card of `fc` shows, in the words of its edition (`config`, the edition's
    view): the card's labels from the theme's messages, the quotation marks of the claim's
    own language."""
    verdict = config.verdict(fc.verdict)
    assert verdict is not None, "validated documents only name declared verdicts"
    host = readable_host(urlsplit(config.site.base_url).hostname or "")
    words = config.messages
    return ShareCard(config.site.title, host, unquoted(fc.claim), fc.claimant, verdict.label,
                     verdict.color, kicker=words.text("card_kicker"),
                     claim_label=words.text("card_claim_label"),
                     attribution=words.get("card_attribution").text,
                     quotes=quotation_marks(fc.lang or config.site.language))


QUOTATION_MARKS = {
    "en": ("\u201c", "\u201d"), "es": ("\u201c", "\u201d"), "pt": ("\u201c", "\u201d"),
    "tr": ("\u201c", "\u201d"), "da": ("\u201c", "\u201d"),
    "ru": ("\u00ab", "\u00bb"), "uk": ("\u00ab", "\u00bb"), "be": ("\u00ab", "\u00bb"),
    "fr": ("\u00ab", "\u00bb"), "it": ("\u00ab", "\u00bb"), "el": ("\u00ab", "\u00bb"),
    "hy": ("\u00ab", "\u00bb"), "ar": ("\u00ab", "\u00bb"), "fa": ("\u00ab", "\u00bb"),
    "de": ("\u201e", "\u201c"), "bg": ("\u201e", "\u201c"), "cs": ("\u201e", "\u201c"),
    "sk": ("\u201e", "\u201c"), "ka": ("\u201e", "\u201c"),
    "pl": ("\u201e", "\u201d"), "hu": ("\u201e", "\u201d"), "ro": ("\u201e", "\u201d"),
    "nl": ("\u2018", "\u2019"), "sv": ("\u201d", "\u201d"), "fi": ("\u201d", "\u201d"),
}
"""Each language's quotation marks, opening and closing, as typed (CLDR's, but for
Arabic). Arabic takes guillemets, as Arabic print and news sites set quotations (CLDR has
” “, English's marks turned round, which read as English's on screen); typed « », they
are mirrored in right-to-left text, so each points away from the quotation, as in
French. French's spaces inside the marks are left out: a card breaks lines at spaces."""
_OPENING = "\"'\u201c\u201e\u00ab\u2018\u201a\u201d\u00bb\u300c"
_CLOSING = "\"'\u201d\u201c\u00bb\u2019\u00ab\u300d"


def quotation_marks(language: str) -> tuple[str, str]:
    """The marks for a claim in `language` ('pt-BR' takes Portuguese's); English's for a
    language not in `QUOTATION_MARKS`."""
    lowered = language.lower()
    return (QUOTATION_MARKS.get(lowered) or QUOTATION_MARKS.get(lowered.split("-")[0])
            or QUOTATION_MARKS["en"])


def unquoted(claim: str) -> str:
    """The claim without the quotation marks a writer put round it (the card adds its own),
    unless it holds other marks: '"A" and "B"' is two quotations, not one."""
    text = claim.strip()
    inner = text[1:-1]
    if (len(text) > 2 and text[0] in _OPENING and text[-1] in _CLOSING
            and not any(mark in inner for mark in _OPENING + _CLOSING)):
        return inner.strip()
    return claim


def changed_cards(old: Sequence[CardRoute],
                  new: Sequence[CardRoute]) -> tuple[list[CardRoute], list[str]]:
    """The cards to write (new, or showing something else) and the paths of cards gone."""
    if old is new:  # an edit that left every card as it was (site/substitute.py keeps the tuple)
        return [], []
    previous = {route.path: route for route in old}
    current = {route.path for route in new}
    changed = [route for route in new if previous.get(route.path) != route]
    return changed, [route.path for route in old if route.path not in current]


def still_pending(pending: frozenset[str], written: Sequence[CardRoute],
                  gone: Sequence[str]) -> frozenset[str]:
    """The cards left for `settle` once a rebuild wrote or removed some. Nothing is looked
    up on disk here: this runs between a save and the reload, and at 10,000 pending cards
    a stat each took 150 ms (see `not_yet_drawn`)."""
    if not pending:
        return pending
    done = {route.path for route in written} | set(gone)
    return pending - done
