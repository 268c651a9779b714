"""sitegen.toml -> SiteConfig, against a declared schema, with every problem collected.

Each option is declared once (name, type, default, what it is for), so validation, defaults and
documentation cannot disagree. Unlike MkDocs, a config with five mistakes reports five.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .messages import Messages, default_scale_words, resolve_messages
from .models import Verdict
from .problems import Problem, choices_hint, error, has_errors, warning
from .tomllines import LineKey, key_lines, line_of

CONFIG_NAME = "sitegen.toml"
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_VERDICT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PERMALINK_FIELDS = ("year", "month", "day", "slug")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

Check = Callable[[Any], str | None]


@dataclass(frozen=True, slots=True)
class Option:
    """One declared setting: its type, default and the rule its value must meet."""

    type: type
    default: Any
    doc: str
    check: Check | None = None
    required: bool = False


def _http_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an absolute http(s) URL, such as 'https://example.org/'"
    return None


def _optional_http_url(value: str) -> str | None:
    return None if value == "" else _http_url(value)


def _language(value: str) -> str | None:
    return None if _LANG.match(value) else "must be a language code such as 'en' or 'pt-BR'"


def _permalink(value: str) -> str | None:
    if not (value.startswith("/") and value.endswith("/")):
        return "must start and end with '/', such as '/{year}/{slug}/'"
    names = re.findall(r"\{([^}]*)\}", value)
    unknown = [n for n in names if n not in _PERMALINK_FIELDS]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}}; allowed: " + ", ".join(
            "{" + n + "}" for n in _PERMALINK_FIELDS
        )
    if "slug" not in names:
        return "must contain {slug}, or every fact-check would get the same URL"
    return None


def _page_size(value: int) -> str | None:
    return None if 1 <= value <= 1000 else "must be between 1 and 1000"


def _folder(value: str) -> str | None:
    if not value or Path(value).is_absolute() or ".." in Path(value).parts:
        return "must be a folder inside the site folder, such as 'content'"
    return None


SCHEMA: dict[str, dict[str, Option]] = {
    "site": {
        "title": Option(str, "Fact Check", "Name of the site, shown in every page title."),
        "base_url": Option(
            str, "http://localhost:8000/", "Where the site is deployed; may have a path.", _http_url
        ),
        "language": Option(str, "en", "Default language of the content.", _language),
        "description": Option(str, "", "One sentence about the site, for search engines."),
    },
    "publisher": {
        "name": Option(str, "", "The fact-checking organisation, used in structured data."),
        "url": Option(str, "", "Its home page.", _optional_http_url),
        "logo": Option(str, "", "URL of its logo.", _optional_http_url),
    },
    "build": {
        "content_dir": Option(str, "content", "Markdown sources.", _folder),
        "output_dir": Option(str, "output", "Where the built site goes.", _folder),
        "templates_dir": Option(str, "templates", "Templates overriding the theme.", _folder),
        "static_dir": Option(str, "static", "Files copied as they are.", _folder),
        "permalink": Option(str, "/{year}/{slug}/", "URL pattern of fact-checks.", _permalink),
        "page_size": Option(int, 20, "Fact-checks per listing page.", _page_size),
        "feed_size": Option(int, 20, "Fact-checks per feed.", _page_size),
        "check_history": Option(bool, False,
                                "Warn when git shows a verdict change no update records."),
        "allow_raw_html": Option(bool, True, "Keep raw HTML in bodies; false sanitises them."),
        "share_cards": Option(bool, True, "Draw a share image (card.png) for each fact-check "
                              "without an image of its own."),
    },
}

VERDICT_SCHEMA: dict[str, Option] = {
    "id": Option(str, None, "Written in front matter as `verdict: ID`.", required=True),
    "label": Option(str, None, "Shown on the badge.", required=True),
    "description": Option(str, None, "What the verdict means, for readers.", required=True),
    "color": Option(str, None, "Badge colour as #rrggbb.", required=True),
    "rating": Option(int, None, "Position on the true-false axis; omit for 'unclear'."),
}

DEFAULT_VERDICTS: tuple[Verdict, ...] = (
    Verdict("true", "True", "The claim is accurate and nothing significant is missing.",
            "#1a7f37", 7),
    Verdict("likely-true", "Likely true",
            "The available evidence supports the claim, but it cannot be fully confirmed.",
            "#4a7c23", 6),
    Verdict("partially-true", "Partially true",
            "The claim is accurate in part but leaves out or distorts important details.",
            "#806600", 5),
    Verdict("misleading", "Misleading",
            "The claim uses accurate facts in a way that leads to a false conclusion.",
            "#a64d00", 4),
    Verdict("partially-false", "Partially false",
            "The claim is mostly inaccurate, though it contains some truth.", "#b3400a", 3),
    Verdict("likely-false", "Likely false",
            "The available evidence contradicts the claim, but it cannot be fully ruled out.",
            "#b42318", 2),
    Verdict("false", "False", "The claim is inaccurate.", "#8b1a1a", 1),
    Verdict("unclear", "Unclear",
            "The available evidence is not enough to confirm or refute the claim.",
            "#4b5563", None),
)


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    url: str
    logo: str


@dataclass(frozen=True, slots=True)
class SiteSettings:
    title: str
    base_url: str
    language: str
    description: str


@dataclass(frozen=True, slots=True)
class BuildSettings:
    content_dir: str
    output_dir: str
    templates_dir: str
    static_dir: str
    permalink: str
    page_size: int
    feed_size: int
    check_history: bool = False
    allow_raw_html: bool = True
    share_cards: bool = True


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything sitegen.toml says, with defaults filled in; paths resolved against `root`."""

    root: Path
    site: SiteSettings
    publisher: Publisher
    build: BuildSettings
    verdicts: tuple[Verdict, ...]
    messages: Messages
    """The theme's words in the site's language (`[messages]` over the shipped table)."""

    @property
    def content_path(self) -> Path:
        return self.root / self.build.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.build.output_dir

    @property
    def templates_path(self) -> Path:
        return self.root / self.build.templates_dir

    @property
    def static_path(self) -> Path:
        return self.root / self.build.static_dir

    def verdict(self, verdict_id: str) -> Verdict | None:
        for verdict in self.verdicts:
            if verdict.id == verdict_id:
                return verdict
        return None


@dataclass(frozen=True, slots=True)
class _Reader:
    """Carries what every check needs to report a located problem."""

    path: str
    lines: dict[LineKey, int]

    def problem(self, key: LineKey, message: str, hint: str | None = None) -> Problem:
        field = ".".join(str(k) if isinstance(k, str) else f"[{k + 1}]" for k in key)
        return error(self.path, line_of(self.lines, key), field.replace(".[", "["), message, hint)

    def warning(self, key: LineKey, message: str, hint: str | None = None) -> Problem:
        found = self.problem(key, message, hint)
        return warning(found.path, found.line, found.field, found.message, found.hint)


def load_config(root: Path) -> tuple[SiteConfig | None, list[Problem]]:
    """Read and validate sitegen.toml; the config is None only when there are errors."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return None, [error(CONFIG_NAME, None, None, f"no {CONFIG_NAME} in {root}",
                            "run 'sitegen init DIR' to make a new site, or pass --site DIR")]
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        return None, [error(CONFIG_NAME, None, None, "is not UTF-8 text", "save it as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_syntax_problem(exc)]
    return parse_config(root, data, _Reader(CONFIG_NAME, key_lines(text)))


def _toml_syntax_problem(exc: tomllib.TOMLDecodeError) -> Problem:
    match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
    message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
    line = int(match.group(1)) if match else None
    return error(CONFIG_NAME, line, None, f"TOML syntax error: {message}")


def parse_config(
    root: Path, data: Mapping[str, Any], reader: _Reader
) -> tuple[SiteConfig | None, list[Problem]]:
    problems: list[Problem] = []
    known = [*SCHEMA, "verdicts", "messages"]
    for key in data:
        if key not in known:
            problems.append(reader.problem((key,), "unknown section", choices_hint(key, known)))
    sections = {
        name: _read_table(reader, (name,), data.get(name, {}), options, problems)
        for name, options in SCHEMA.items()
    }
    language = sections["site"].get("language", "en")
    if not isinstance(language, str) or _language(language):
        language = "en"  # already reported; the messages are still checked, in English
    verdicts = _read_verdicts(reader, data.get("verdicts"), language, problems)
    messages, found = resolve_messages(language, data.get("messages"), reader)
    problems += found
    if has_errors(problems):
        return None, problems
    site = sections["site"]
    site["base_url"] = site["base_url"].rstrip("/") + "/"
    config = SiteConfig(
        root=root,
        site=SiteSettings(**site),
        publisher=Publisher(**sections["publisher"]),
        build=BuildSettings(**sections["build"]),
        verdicts=verdicts,
        messages=messages,
    )
    return config, problems


def _read_table(
    reader: _Reader,
    key: LineKey,
    table: Any,
    options: Mapping[str, Option],
    problems: list[Problem],
) -> dict[str, Any]:
    """Values for every option of one table: given ones checked, missing ones defaulted."""
    if not isinstance(table, dict):
        problems.append(reader.problem(key, "must be a table", f"write it as [{key[0]}]"))
        return {}
    for name in table:
        if name not in options:
            problems.append(reader.problem((*key, name), "unknown setting",
                                           choices_hint(name, options)))
    values: dict[str, Any] = {}
    for name, option in options.items():
        if name not in table:
            if option.required:
                problems.append(reader.problem(key, f"'{name}' is required", option.doc))
            values[name] = option.default
            continue
        value = table[name]
        message = _type_problem(value, option) or (option.check(value) if option.check else None)
        if message:
            problems.append(reader.problem((*key, name), message))
        values[name] = value
    return values


def _type_problem(value: Any, option: Option) -> str | None:
    if option.type is int and (isinstance(value, bool) or not isinstance(value, int)):
        return f"must be a whole number, not {_describe(value)}"
    if option.type is bool and not isinstance(value, bool):
        return f"must be true or false, not {_describe(value)}"
    if option.type is str and not isinstance(value, str):
        return f"must be text in quotes, not {_describe(value)}"
    return None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    return f"{type(value).__name__} ({value!r})"


def default_verdicts(language: str) -> tuple[Verdict, ...]:
    """The default scale, its labels and descriptions in `language` when sitegen ships them."""
    words = default_scale_words(language)
    return tuple(replace(v, label=words[v.id][0], description=words[v.id][1])
                 if v.id in words else v for v in DEFAULT_VERDICTS)


def _read_verdicts(reader: _Reader, raw: Any, language: str,
                   problems: list[Problem]) -> tuple[Verdict, ...]:
    if raw is None:
        return default_verdicts(language)
    if not isinstance(raw, list) or not raw:
        problems.append(reader.problem(("verdicts",), "must be one or more [[verdicts]] tables"))
        return ()
    verdicts: list[Verdict] = []
    for index, table in enumerate(raw):
        values = _read_table(reader, ("verdicts", index), table, VERDICT_SCHEMA, problems)
        key = ("verdicts", index)
        if isinstance(values.get("id"), str) and not _VERDICT_ID.match(values["id"]):
            problems.append(reader.problem((*key, "id"), "must be lowercase letters, digits and "
                                           "hyphens, such as 'partially-true'"))
        if isinstance(values.get("color"), str) and not _HEX_COLOR.match(values["color"]):
            problems.append(reader.problem((*key, "color"), "must be a colour as #rrggbb"))
        if all(isinstance(values.get(n), str) for n in ("id", "label", "description", "color")):
            verdicts.append(Verdict(**values))
    _check_unique(reader, verdicts, problems)
    return tuple(verdicts)


def _check_unique(reader: _Reader, verdicts: list[Verdict], problems: list[Problem]) -> None:
    seen_ids: set[str] = set()
    seen_ratings: set[int] = set()
    for index, verdict in enumerate(verdicts):
        if verdict.id in seen_ids:
            problems.append(reader.problem(("verdicts", index, "id"),
                                           f"verdict '{verdict.id}' is declared twice"))
        seen_ids.add(verdict.id)
        if verdict.rating is not None:
            if verdict.rating in seen_ratings:
                problems.append(reader.problem(("verdicts", index, "rating"),
                                               f"rating {verdict.rating} is used twice"))
            seen_ratings.add(verdict.rating)
