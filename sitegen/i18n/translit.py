"""Latin letters for URLs made from titles and file names in other scripts.

Cyrillic is romanised with our own tables because the right answer depends on the language:
'г' is 'g' in Russian and Bulgarian but 'h' in Ukrainian and Belarusian, 'и' is 'i' in
Russian and 'y' in Ukrainian, so 'Київ' must become 'Kyiv' (the Ukrainian standard), where a
one-table library gives 'Kiiv'. Each table follows a named standard, without diacritics:

- Russian: BGN/PCGN (1947), as news agencies write it ('Gorbachev', 'Yeltsin', 'Shchukin').
- Ukrainian: the official national system (Cabinet of Ministers resolution 55, 2010), also
  used in passports ('Kyiv', 'Zaporizhzhia', 'Yizhakevych').
- Belarusian: BGN/PCGN (1979), with 'ў' as 'w'.
- Bulgarian: the official Streamlined System (2009): 'щ' 'sht', 'ъ' 'a' ('Balgaria').
- Serbian: the official Latin alphabet with its diacritics dropped ('đ' as 'dj').
- Macedonian: the official romanisation (2008) without diacritics.

Text in no Cyrillic language we know takes the table its letters point to (ї, є, ґ are
Ukrainian; ў Belarusian; ђ, ћ Serbian; ѓ, ќ Macedonian), else the Russian one. Every other
script goes through `anyascii` (ISC licence, maintained, pure Python): Greek, Arabic,
Hebrew, Armenian, Georgian, Chinese and more. Unidecode does the same but is GPL, which a
tool newsrooms embed in their own code should not impose.
"""

# ruff: noqa: RUF001, RUF002  (Cyrillic letters that look Latin are the subject here)

from __future__ import annotations

import unicodedata

from anyascii import anyascii

_RUSSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # letters of the other Cyrillic alphabets, for text in no language we know
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "w", "ђ": "dj", "ћ": "c", "џ": "dz",
    "ј": "j", "љ": "lj", "њ": "nj", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}
_UKRAINIAN = {
    **_RUSSIAN, "г": "h", "ґ": "g", "е": "e", "є": "ie", "и": "y", "і": "i", "ї": "i", "й": "i",
    "х": "kh", "щ": "shch", "ю": "iu", "я": "ia", "ь": "",
}
_UKRAINIAN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_BELARUSIAN = {**_RUSSIAN, "г": "h", "ў": "w", "і": "i"}
_BULGARIAN = {**_RUSSIAN, "х": "h", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya"}
_SERBIAN = {
    **_RUSSIAN, "ђ": "dj", "ж": "z", "ћ": "c", "ч": "c", "џ": "dz", "ј": "j", "љ": "lj",
    "њ": "nj", "ш": "s", "х": "h", "ц": "c",
}
_MACEDONIAN = {
    **_RUSSIAN, "ѓ": "gj", "ѕ": "dz", "ј": "j", "љ": "lj", "њ": "nj", "ќ": "kj", "џ": "dzh",
    "х": "h", "ц": "c",
}
_TABLES = {"ru": _RUSSIAN, "uk": _UKRAINIAN, "be": _BELARUSIAN, "bg": _BULGARIAN,
           "sr": _SERBIAN, "mk": _MACEDONIAN}
_TELLTALE = (("ўЎ", "be"), ("їЇєЄґҐ", "uk"), ("ђЂћЋ", "sr"), ("ѓЃќЌѕЅ", "mk"), ("іІ", "uk"),
             ("јЈљЉњЊџЏ", "sr"))
_VOWELS = set("аеёиоуыэюяіїєaeiouy")
_SOFTENERS = set("ъь'\u2019ʼ")


def transliterate(text: str, lang: str | None = None) -> str:
    """Latin letters for `text`, Cyrillic by the standard of `lang` (a code such as 'uk' or
    'sr-Cyrl'), other scripts by anyascii; what is neither a letter nor a digit (emoji,
    symbols) becomes a space, so a title of emoji alone gives nothing."""
    if text.isascii():
        return text
    table_lang = _cyrillic_language(text, lang)
    padded = f" {text} "
    return "".join(_latin(padded[i - 1:i + 2], table_lang) for i in range(1, len(padded) - 1))


def _cyrillic_language(text: str, lang: str | None) -> str:
    primary = (lang or "").lower().split("-")[0]
    if primary in _TABLES:
        return primary
    for letters, language in _TELLTALE:
        if any(c in letters for c in text):
            return language
    return "ru"


def _latin(around: str, lang: str) -> str:
    """One character, seen with its neighbours (`around` is previous, char, next)."""
    char = around[1]
    lower = char.lower()
    if "\u0400" <= lower <= "\u04ff" and lower in _TABLES[lang]:
        latin = _cyrillic(lower, around[0].lower(), around[2], lang)
        return latin.capitalize() if char != lower else latin
    if char.isascii():
        return char
    if not unicodedata.category(char).startswith(("L", "N", "M")):
        return " "  # emoji, symbols, punctuation: a word break, never a word
    return anyascii(char)


def _cyrillic(lower: str, previous: str, following: str, lang: str) -> str:
    initial = not previous.isalpha() and previous not in _SOFTENERS
    if lang == "uk" and initial and lower in _UKRAINIAN_INITIAL:
        return _UKRAINIAN_INITIAL[lower]
    if lang == "uk" and lower == "г" and previous == "з":
        return "gh"  # 'зг' is 'zgh', so it never reads as 'ж' ('Zghurivka')
    if lang in ("ru", "be") and lower in "её" and (
            initial or previous in _VOWELS or previous in _SOFTENERS):
        return "ye"  # BGN/PCGN: 'Yeltsin', 'Podyezd'
    if lang == "bg" and lower == "я" and previous == "и" and not following.isalpha():
        return "a"  # the Streamlined System ends words in 'ия' with 'ia': 'Balgaria'
    return _TABLES[lang][lower]
