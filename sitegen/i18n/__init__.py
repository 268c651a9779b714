"""The theme's words and languages, near the bottom: messages, plural rules, transliteration.

Config resolves every message once (messages.py), so rendering only looks words up; plurals
holds CLDR's rules, languages the tags and directions, translit the slugs' Latin letters. A
newcomer adds a theme message in theme/messages/*.toml, not here; a new plural rule or
language goes in plurals.py or languages.py.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.i18n.languages import autonym, language_problem, text_direction
    from sitegen.i18n.messages import (
        MESSAGES_PATH,
        Message,
        Messages,
        default_scale_words,
        placeholders,
        resolve_messages,
        shipped_languages,
    )
    from sitegen.i18n.plurals import base_language
    from sitegen.i18n.translit import transliterate

__all__ = [
    "MESSAGES_PATH", "Message", "Messages", "autonym", "base_language", "default_scale_words",
    "language_problem", "placeholders", "resolve_messages", "shipped_languages", "text_direction",
    "transliterate",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "autonym": "sitegen.i18n.languages",
        "language_problem": "sitegen.i18n.languages",
        "text_direction": "sitegen.i18n.languages",
        "MESSAGES_PATH": "sitegen.i18n.messages",
        "Message": "sitegen.i18n.messages",
        "Messages": "sitegen.i18n.messages",
        "default_scale_words": "sitegen.i18n.messages",
        "placeholders": "sitegen.i18n.messages",
        "resolve_messages": "sitegen.i18n.messages",
        "shipped_languages": "sitegen.i18n.messages",
        "base_language": "sitegen.i18n.plurals",
        "transliterate": "sitegen.i18n.translit",
    })
