"""`[languages]` in sitegen.toml -> the site's language editions.

A newsroom publishing in several languages runs one site with one edition per language: the
main one at the site's root in `[site] language`, each other one under its own URL prefix
(`/ru/`), with its own title, its interface and verdict labels in its language, and its own
home, listings, feeds and search. An edition is configuration, so it is read here with the
rest of sitegen.toml; which documents belong to it is decided by their `lang` (site/graph.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sitegen.config.schema import Option, Reader, read_table
from sitegen.i18n.languages import autonym, language_problem, text_direction
from sitegen.i18n.messages import Messages, resolve_messages
from sitegen.i18n.plurals import base_language
from sitegen.models import Verdict
from sitegen.problems import Problem, did_you_mean
from sitegen.tomllines import LineKey

_PREFIX = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_PREFIXES = frozenset({"assets", "pagefind", "verdicts", "claimants", "tags", "authors",
                               "search", "corrections", "methodology", "page"})
"""Folders the main edition writes itself: an edition there would mix two sites' pages."""


def _direction(value: str) -> str | None:
    return None if value in ("ltr", "rtl") else "must be 'ltr' (left to right) or 'rtl'"


def _prefix(value: str) -> str | None:
    folder = value.strip("/")
    if not _PREFIX.match(folder):
        return "must be one lowercase folder name of letters, digits and hyphens, such as 'ru'"
    if folder in RESERVED_PREFIXES:
        return f"'{folder}' is a folder of the main edition; choose another, such as the " \
               "language code"
    return None


EDITION_SCHEMA: dict[str, Option] = {
    "title": Option(str, None, "The edition's site title; default: [site] title."),
    "description": Option(str, None, "One sentence about the edition; default: [site] "
                          "description."),
    "name": Option(str, None, "The language's name in itself, for the language switcher "
                   "('Русский'); sitegen knows most."),
    "direction": Option(str, None, "'ltr' or 'rtl'; default: the language's own.", _direction),
    "prefix": Option(str, None, "URL folder of the edition; default: the language code.",
                     _prefix),
    "verdicts": Option(dict, None, "Verdict labels and descriptions in this language."),
    "messages": Option(dict, None, "Interface strings in this language, as in [messages]."),
}
VERDICT_WORDS = ("label", "description")


@dataclass(frozen=True, slots=True)
class Edition:
    """One language edition: where it lives and the words it speaks.

    `prefix` is "" for the main edition and "ru/" for one at /ru/: every path of the edition
    starts with it, which is how a page finds its edition (Site.view_at)."""

    language: str
    prefix: str
    name: str
    direction: str
    title: str
    description: str
    verdicts: tuple[Verdict, ...]
    messages: Messages

    @property
    def is_main(self) -> bool:
        return self.prefix == ""

    def holds(self, path: str) -> bool:
        """Whether the site path `path` is in this edition (the main one holds the rest)."""
        return self.is_main or path.startswith(self.prefix)


def main_edition(language: str, name: str, title: str, description: str,
                 verdicts: tuple[Verdict, ...], messages: Messages) -> Edition:
    """The edition at the site's root, made from `[site]`."""
    return Edition(language, "", name or autonym(language) or language, text_direction(language),
                   title, description, verdicts, messages)


@dataclass(frozen=True, slots=True)
class _Within:
    """Reports a problem of `[messages]` found in `[languages.X.messages]` at its own line."""

    reader: Reader
    key: LineKey

    def _place(self, key: LineKey) -> LineKey:
        return (*self.key, *key) if key[:1] == ("messages",) else self.key

    def problem(self, key: LineKey, message: str, hint: str | None = None) -> Problem:
        return self.reader.problem(self._place(key), message, hint)

    def warning(self, key: LineKey, message: str, hint: str | None = None) -> Problem:
        return self.reader.warning(self._place(key), message, hint)


def read_editions(reader: Reader, raw: Any, main: Edition,
                  scale_in: Callable[[str], tuple[Verdict, ...]],
                  problems: list[Problem]) -> tuple[Edition, ...]:
    """The main edition, then one per `[languages.CODE]` table, in the file's order.
    `scale_in(code)` is the verdict scale before the edition's own words (the default scale
    comes with words in the languages sitegen ships)."""
    if raw is None:
        return (main,)
    if not isinstance(raw, dict):
        problems.append(reader.problem(("languages",), "must be a table",
                                       "write one [languages.CODE] table per edition, such as "
                                       "[languages.ru]"))
        return (main,)
    editions = [main]
    for code, table in raw.items():
        edition = _edition(reader, code, table, main, scale_in, problems)
        if edition is not None:
            editions.append(edition)
    _check_prefixes(reader, editions, problems)
    return tuple(editions)


def _edition(reader: Reader, code: str, table: Any, main: Edition,
             scale_in: Callable[[str], tuple[Verdict, ...]],
             problems: list[Problem]) -> Edition | None:
    key: LineKey = ("languages", code)
    wrong = language_problem(code)
    if wrong:
        problems.append(reader.problem(key, f"'{code}' {wrong}"))
        return None
    if code.lower() == main.language.lower():
        problems.append(reader.problem(key, f"'{code}' is the main language ([site] language)",
                                       "the main edition is set up under [site]; [languages] "
                                       "adds the others"))
        return None
    values = read_table(reader, key, table, EDITION_SCHEMA, problems)
    name = values["name"] or autonym(code)
    if name is None:
        problems.append(reader.problem(key, f"'name' is required: sitegen does not know what "
                                       f"'{code}' calls itself",
                                       "such as name = \"Kiswahili\", as readers of it write it"))
        name = code
    verdicts = _verdicts(reader, key, values["verdicts"], code, scale_in(code), main, problems)
    messages, found = resolve_messages(code, values["messages"], _Within(reader, key),
                                       f"[languages.{code}.messages]")
    problems += found
    return Edition(code, (values["prefix"] or code).strip("/").lower() + "/", name,
                   values["direction"] or text_direction(code),
                   values["title"] if values["title"] is not None else main.title,
                   values["description"] if values["description"] is not None
                   else main.description, verdicts, messages)


def _verdicts(reader: Reader, key: LineKey, raw: Mapping[str, Any] | None, code: str,
              scale: tuple[Verdict, ...], main: Edition,
              problems: list[Problem]) -> tuple[Verdict, ...]:
    """The scale with this edition's words; a verdict left in the main language's words
    (a newsroom's own scale, which sitegen cannot translate) is one warning for the edition."""
    own: dict[str, dict[str, str]] = {}
    ids = [v.id for v in scale]
    for verdict_id, words in (raw or {}).items():
        where = (*key, "verdicts", verdict_id)
        if verdict_id not in ids:
            guess = did_you_mean(verdict_id, ids)
            problems.append(reader.problem(where, f"'{verdict_id}' is not a verdict of the "
                                           "scale", f"did you mean '{guess}'?" if guess else
                                           "the scale's verdicts: " + ", ".join(ids)))
            continue
        own[verdict_id] = _words(reader, where, words, problems)
    main_labels = {v.id: v.label for v in main.verdicts}
    untranslated = [v.id for v in scale
                    if v.label == main_labels.get(v.id) and "label" not in own.get(v.id, {})]
    if untranslated and base_language(code) != base_language(main.language):
        problems.append(reader.warning(
            (*key, "verdicts") if raw is not None else key,
            f"{len(untranslated)} verdict labels are shown in the main language in '{code}'",
            f"give each its words, such as [languages.{code}.verdicts.{untranslated[0]}] "
            "label = \"…\" and description = \"…\""))
    return tuple(_reworded(v, own.get(v.id, {})) for v in scale)


def _reworded(verdict: Verdict, words: Mapping[str, str]) -> Verdict:
    if not words:
        return verdict
    return replace(verdict, label=words.get("label", verdict.label),
                   description=words.get("description", verdict.description))


def _words(reader: Reader, where: LineKey, words: Any,
           problems: list[Problem]) -> dict[str, str]:
    if not isinstance(words, dict):
        problems.append(reader.problem(where, "must be a table of label and description",
                                       "such as { label = \"Ложь\", description = \"…\" }"))
        return {}
    chosen = {}
    for name, value in words.items():
        if name not in VERDICT_WORDS:
            guess = did_you_mean(name, VERDICT_WORDS)
            problems.append(reader.problem((*where, name), "unknown setting",
                                           f"did you mean '{guess}'?" if guess else
                                           "allowed: label, description"))
        elif not isinstance(value, str) or not value.strip():
            problems.append(reader.problem((*where, name), "must be text in quotes"))
        else:
            chosen[name] = value
    return chosen


def _check_prefixes(reader: Reader, editions: list[Edition], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for edition in editions[1:]:
        earlier = seen.setdefault(edition.prefix, edition.language)
        if earlier != edition.language:
            problems.append(reader.problem(("languages", edition.language, "prefix"),
                                           f"/{edition.prefix} is already the folder of "
                                           f"'{earlier}'", "give each edition its own prefix"))
