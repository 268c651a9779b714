"""CLDR plural rules: which form of a word a number takes in a language.

English has two forms (1 fact-check, 2 fact-checks); Russian has three for whole numbers
(1 проверка, 2 проверки, 5 проверок) and a fourth for fractions. The rules are the Unicode
CLDR's (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html),
written over CLDR's operands, so a message table names a category (`one`, `few`, `many`,
`other`) and never lists numbers by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""Every CLDR plural category, in CLDR's order."""


@dataclass(frozen=True, slots=True)
class Operands:
    """CLDR's plural operands of a number as written: `i` the integer digits, `v` how many
    fraction digits are shown (1.0 has v = 1 and is not 'one' in English), `f` their value."""

    i: int
    v: int
    f: int


def operands(number: int | str | Decimal) -> Operands:
    """The operands of a whole number, or of a decimal as it is written ('1.50')."""
    if isinstance(number, int):
        return Operands(abs(number), 0, 0)
    text = str(abs(Decimal(number)))
    whole, _, fraction = text.partition(".")
    return Operands(int(whole), len(fraction), int(fraction or "0"))


def _english(o: Operands) -> str:
    # one: i = 1 and v = 0
    return "one" if o.i == 1 and o.v == 0 else "other"


def _russian(o: Operands) -> str:
    # one: v = 0 and i % 10 = 1 and i % 100 != 11
    # few: v = 0 and i % 10 = 2..4 and i % 100 != 12..14
    # many: v = 0 and i % 10 = 0 or v = 0 and i % 10 = 5..9 or v = 0 and i % 100 = 11..14
    if o.v != 0:
        return "other"
    last, last_two = o.i % 10, o.i % 100
    if last == 1 and last_two != 11:
        return "one"
    if 2 <= last <= 4 and not 12 <= last_two <= 14:
        return "few"
    return "many"


Rule = Callable[[Operands], str]

RULES: dict[str, tuple[Rule, tuple[str, ...]]] = {
    "en": (_english, ("one", "other")),
    "ru": (_russian, ("one", "few", "many", "other")),
}
"""Language -> (rule, the categories it can give). Languages not listed here use English's
rule, which is the documented fallback (see `known`)."""


def base_language(language: str) -> str:
    """'pt-BR' -> 'pt': plural rules and message tables are chosen by the primary subtag."""
    return language.lower().split("-")[0]


def known(language: str) -> bool:
    return base_language(language) in RULES


def _rule(language: str) -> tuple[Rule, tuple[str, ...]]:
    return RULES.get(base_language(language), RULES["en"])


def category(language: str, number: int | str | Decimal) -> str:
    """The CLDR plural category of `number` in `language` ('one', 'few', 'many', 'other')."""
    return _rule(language)[0](operands(number))


def categories(language: str) -> tuple[str, ...]:
    """The categories `language` distinguishes, 'other' last."""
    return _rule(language)[1]


def whole_number_categories(language: str) -> tuple[str, ...]:
    """The categories whole numbers can fall in: what a table of counts must provide.
    Russian's 'other' is only for fractions, so a count never needs it."""
    rule = _rule(language)[0]
    found = {rule(Operands(n, 0, 0)) for n in range(200)}
    return tuple(name for name in CATEGORIES if name in found)
