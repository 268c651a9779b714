"""The theme's words in the site's language: message tables, a site's own strings, and the
one function templates call, `t(key, **args)`.

sitegen ships a table per language in `theme/messages/LANG.toml`; English is the reference:
it names every key, and its placeholders are the ones a translation may use. A site adds or
changes strings under `[messages]` in sitegen.toml, checked like every other setting. A
language without a shipped table gets English string by string, with one warning, so a site
is never half-built for want of a word.

A message is plain text with `{name}` placeholders: escaped as HTML where it lands, while a
value passed as Markup (a link, a badge) is kept. A count picks its form by the language's
CLDR plural rules (`plurals.py`); a table gives those forms by category name.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from markupsafe import Markup, escape

from sitegen.i18n import plurals
from sitegen.models import Date
from sitegen.problems import Problem, did_you_mean
from sitegen.tomllines import LineKey

MESSAGES_PATH = Path(__file__).parent.parent / "theme" / "messages"
REFERENCE = "en"
DEFAULT_SCALE = "default_scale"
"""The section of a shipped table with the default verdict scale's words in its language."""
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_KEY_HINT = "every key, with its English text, is in sitegen/theme/messages/en.toml"


class Reporter(Protocol):
    """Makes a located problem in sitegen.toml (config/settings.py's reader)."""

    def problem(self, key: LineKey, message: str, hint: str | None = None) -> Problem: ...

    def warning(self, key: LineKey, message: str, hint: str | None = None) -> Problem: ...


@dataclass(frozen=True, slots=True)
class Message:
    """One string in one language: plain `text`, or plural `forms` by CLDR category, or a
    list of `items` (month names)."""

    language: str
    text: str = ""
    forms: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()

    def pick(self, count: Any) -> str:
        """The text, or the form `count` takes in this message's language."""
        if not self.forms:
            return self.text
        forms = dict(self.forms)
        wanted = plurals.category(self.language, count) if _is_number(count) else "other"
        return forms.get(wanted) or forms.get("other") or self.forms[-1][1]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | str) and not isinstance(value, bool) and \
        re.fullmatch(r"-?\d+(\.\d+)?", str(value)) is not None


@dataclass(frozen=True, slots=True)
class Messages:
    """The theme's strings for one site language, each already resolved (the site's own, the
    shipped table's, or English's)."""

    language: str
    entries: Mapping[str, Message]
    plain: Mapping[str, Markup] = field(default_factory=dict, compare=False, repr=False)
    """The HTML of each message without placeholders, made once: most of the theme's t()
    calls, dozens per page, thousands of pages."""
    written: dict[tuple[Date, str], str] = field(default_factory=dict, compare=False,
                                                  repr=False)
    """Each date as `date` wrote it: the same few thousand dates are on every page and card
    that shows them, and writing one costs a message fill."""

    def __post_init__(self) -> None:
        fixed = {key: Markup(escape(message.text)) for key, message in self.entries.items()
                 if message.text and not _PLACEHOLDER.search(message.text)}
        object.__setattr__(self, "plain", fixed)

    def get(self, key: str) -> Message:
        try:
            return self.entries[key]
        except KeyError:
            guess = did_you_mean(key, self.entries)
            hint = f"did you mean '{guess}'? " if guess else ""
            raise KeyError(f"no message '{key}' ({hint}{_KEY_HINT})") from None

    def text(self, key: str, **args: Any) -> str:
        """The message as plain text (feeds, attributes made elsewhere): nothing escaped."""
        return _fill(self.get(key).pick(args.get("n")), args, str)

    def markup(self, key: str, **args: Any) -> Markup:
        """The message as HTML: its text and every value escaped, Markup values kept."""
        if not args:
            fixed = self.plain.get(key)
            if fixed is not None:
                return fixed
        return Markup(_fill(self.get(key).pick(args.get("n")), args, lambda v: str(escape(v))))

    def items(self, key: str) -> tuple[str, ...]:
        return self.get(key).items

    def date(self, value: Date | None, style: str = "long") -> str:
        """'28 May 2018', '28 мая 2018': the day, the month's name and the year, in the
        order and grammatical case the language's `date_long` / `date_short` give."""
        if value is None:
            return ""
        found = self.written.get((value, style))
        if found is None:
            names = self.items("months_short" if style == "short" else "months")
            pattern = "date_short" if style == "short" else "date_long"
            found = self.text(pattern, day=value.day, month=names[value.month - 1],
                              year=value.year)
            self.written[(value, style)] = found
        return found

    def join(self, parts: Sequence[Any]) -> Markup:
        """'A, B and C' with the language's separators; each part escaped unless Markup."""
        escaped = [escape(part) for part in parts]
        if len(escaped) < 2:
            return Markup("".join(escaped))
        head = Markup(escape(self.text("list_separator"))).join(escaped[:-1])
        return head + escape(self.text("list_last_separator")) + escaped[-1]


def _fill(template: str, args: Mapping[str, Any], convert: Callable[[Any], str]) -> str:
    """`template` with each {name} replaced; literal text converted as values are, so that
    escaping the whole message and its values is one rule."""
    literals, names = _pieces(template)
    out = [convert(literals[0])]
    for name, literal in zip(names, literals[1:], strict=True):
        if name not in args:
            raise KeyError(f"message needs a value for {{{name}}}: {template!r}")
        out.append(convert(args[name]))
        out.append(convert(literal))
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _pieces(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The literal text around the placeholders (one more than them) and the placeholders'
    names: a page fills a dozen messages, each the same few templates."""
    literals, names, position = [], [], 0
    for match in _PLACEHOLDER.finditer(template):
        literals.append(template[position:match.start()])
        names.append(match.group(1))
        position = match.end()
    literals.append(template[position:])
    return tuple(literals), tuple(names)


def placeholders(message: Message) -> set[str]:
    texts = [message.text, *(form for _, form in message.forms), *message.items]
    return {name for text in texts for name in _PLACEHOLDER.findall(text)}


def shipped_languages() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in MESSAGES_PATH.glob("*.toml")))


def _table_path(language: str) -> Path | None:
    """The shipped table for 'pt-BR': pt-br.toml, else pt.toml; None when there is none."""
    for name in (language.lower(), plurals.base_language(language)):
        path = MESSAGES_PATH / f"{name}.toml"
        if path.is_file():
            return path
    return None


def _read_table(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _shipped_entries(language: str, table: Mapping[str, Any]) -> dict[str, Message]:
    """A shipped table as messages; its shape is checked by the tests, not at build time."""
    entries = {}
    for key, value in table.items():
        if key == DEFAULT_SCALE:
            continue
        if isinstance(value, str):
            entries[key] = Message(language, text=value)
        elif isinstance(value, dict):
            entries[key] = Message(language, forms=tuple(value.items()))
        else:
            entries[key] = Message(language, items=tuple(value))
    return entries


def default_scale_words(language: str) -> dict[str, tuple[str, str]]:
    """Verdict id -> (label, description) of the default scale in `language`, when a table
    for it ships them; empty otherwise (English's words are in config/settings.py)."""
    path = _table_path(language)
    if path is None:
        return {}
    scale = _read_table(path).get(DEFAULT_SCALE, {})
    return {vid: (words["label"], words["description"]) for vid, words in scale.items()}


def resolve_messages(language: str, overrides: Any, report: Reporter,
                     table: str = "[messages]") -> tuple[Messages, list[Problem]]:
    """The messages of a site in `language`: the site's `[messages]` over the shipped table
    over English. Every mistake in `[messages]` is an error; a language without a shipped
    table is one warning when any string is left in English."""
    problems: list[Problem] = []
    english = _shipped_entries(REFERENCE, _read_table(MESSAGES_PATH / f"{REFERENCE}.toml"))
    entries = dict(english)
    path = _table_path(language)
    if path is not None:
        entries.update(_shipped_entries(language, _read_table(path)))
    own: dict[str, Message] = {}
    if overrides is not None:
        if isinstance(overrides, dict):
            own = _read_overrides(language, overrides, english, report, problems)
        else:
            problems.append(report.problem(("messages",), "must be a table",
                                           f"write it as {table}, one key = \"text\" a line"))
    entries.update(own)
    missing = [key for key in english if key not in own] if path is None else []
    if missing and plurals.base_language(language) != REFERENCE:
        problems.append(report.warning(
            ("site", "language"),
            f"sitegen has no interface strings in '{language}' yet; {len(missing)} of "
            f"{len(english)} are shown in English",
            f"translate them under {table} in sitegen.toml, keys as in "
            "sitegen/theme/messages/en.toml; see docs/templates.md, 'Adding a language'"))
    return Messages(language, MappingProxyType(entries)), problems


def _read_overrides(language: str, table: Mapping[str, Any], english: Mapping[str, Message],
                    report: Reporter, problems: list[Problem]) -> dict[str, Message]:
    own = {}
    for key, value in table.items():
        where = ("messages", key)
        reference = english.get(key)
        if reference is None:
            guess = did_you_mean(key, english)
            hint = f"did you mean '{guess}'? {_KEY_HINT}" if guess else _KEY_HINT
            problems.append(report.problem(where, "unknown message", hint))
            continue
        message, error = _override(language, value, reference)
        if error is None and message is not None:
            unknown = sorted(placeholders(message) - placeholders(reference))
            if unknown:
                allowed = ", ".join(f"{{{n}}}" for n in sorted(placeholders(reference)))
                guess = did_you_mean(unknown[0], placeholders(reference))
                error = (f"unknown placeholder {{{unknown[0]}}}",
                         (f"did you mean {{{guess}}}? " if guess else "")
                         + f"this message can use: {allowed or 'none'}")
        if error is not None:
            problems.append(report.problem(where, *error))
        elif message is not None:
            own[key] = message
    return own


def _override(language: str, value: Any,
              reference: Message) -> tuple[Message | None, tuple[str, str | None] | None]:
    """A site's string checked against the English one it replaces: the same shape."""
    if reference.items:
        count = len(reference.items)
        if not (isinstance(value, list) and len(value) == count
                and all(isinstance(item, str) for item in value)):
            return None, (f"must be a list of {count} texts", f"as in English: "
                          f"{', '.join(reference.items[:2])}, …")
        return Message(language, items=tuple(value)), None
    if isinstance(value, str):
        return Message(language, text=value), None
    if not reference.forms:
        return None, ("must be text in quotes", None)
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return None, ("must be text, or a table of plural forms",
                      "such as { one = \"{n} fact-check\", other = \"{n} fact-checks\" }")
    allowed = plurals.categories(language)
    needed = plurals.whole_number_categories(language)
    extra = [name for name in value if name not in allowed]
    lacking = [name for name in needed if name not in value]
    if extra or lacking:
        which = f"'{extra[0]}' is not a plural form" if extra else f"needs the form '{lacking[0]}'"
        return None, (f"{which} in '{language}'",
                      f"its forms: {', '.join(allowed)}; counts use {', '.join(needed)}")
    return Message(language, forms=tuple(value.items())), None
