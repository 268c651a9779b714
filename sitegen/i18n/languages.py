"""What sitegen knows of a language without being told: its writing direction and the name it
calls itself by (for the language switcher: a reader looks for "Русский", not "Russian")."""

from __future__ import annotations

import re

from sitegen.i18n import plurals

_CODE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ks", "ku-arab", "ps", "sd",
                           "ug", "ur", "yi"})

AUTONYMS = {
    "am": "አማርኛ", "ar": "العربية", "az": "Azərbaycanca", "be": "Беларуская",
    "bg": "Български", "bn": "বাংলা", "bs": "Bosanski", "ca": "Català", "cs": "Čeština",
    "da": "Dansk", "de": "Deutsch", "el": "Ελληνικά", "en": "English", "es": "Español",
    "et": "Eesti", "fa": "فارسی", "fi": "Suomi", "fr": "Français", "ga": "Gaeilge",
    "he": "עברית", "hi": "हिन्दी", "hr": "Hrvatski", "hu": "Magyar", "hy": "Հայերեն",
    "id": "Bahasa Indonesia", "it": "Italiano", "ja": "日本語", "ka": "ქართული",
    "kk": "Қазақ тілі", "ko": "한국어", "ky": "Кыргызча", "lt": "Lietuvių", "lv": "Latviešu",
    "mk": "Македонски", "mn": "Монгол", "ms": "Bahasa Melayu", "nl": "Nederlands",
    "no": "Norsk", "pl": "Polski", "ps": "پښتو", "pt": "Português", "ro": "Română",
    "ru": "Русский", "sk": "Slovenčina", "sl": "Slovenščina", "sq": "Shqip", "sr": "Српски",
    "sv": "Svenska", "sw": "Kiswahili", "tg": "Тоҷикӣ", "th": "ไทย", "tk": "Türkmençe",
    "tl": "Tagalog", "tr": "Türkçe", "uk": "Українська", "ur": "اردو", "uz": "O\u02bbzbekcha",
    "vi": "Tiếng Việt", "yi": "ייִדיש", "zh": "中文",
}


def text_direction(lang: str) -> str:
    """'rtl' for right-to-left languages (ar, he, fa, ur, ...), 'ltr' for the rest."""
    lowered = lang.lower()
    return "rtl" if lowered in RTL_LANGUAGES or plurals.base_language(lowered) in RTL_LANGUAGES \
        else "ltr"


def autonym(lang: str) -> str | None:
    """The language's name in itself ('Русский' for 'ru', 'Português' for 'pt-BR'), or None
    when sitegen does not know it."""
    return AUTONYMS.get(lang.lower()) or AUTONYMS.get(plurals.base_language(lang))


def language_problem(code: str) -> str | None:
    """What is wrong with a language code (BCP 47, as `<html lang>` takes it), or None."""
    return None if _CODE.match(code) else "must be a language code such as 'en' or 'pt-BR'"
