"""sitegen.toml -> SiteConfig, against a declared schema, with every problem collected.

Each option is declared once (name, type, default, what it is for), so validation, defaults and
documentation cannot disagree. Unlike MkDocs, a config with five mistakes reports five.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.config.editions import Edition, main_edition, read_editions
from sitegen.config.scale import scale_warnings
from sitegen.config.schema import Option, Reader, move_hint, read_table
from sitegen.i18n.languages import language_problem
from sitegen.i18n.messages import Messages, default_scale_words, resolve_messages
from sitegen.i18n.plurals import base_language
from sitegen.models import Verdict
from sitegen.problems import Problem, choices_hint, error, has_errors
from sitegen.tomllines import key_lines, syntax_hint
from sitegen.urls import AddressError, web_address

CONFIG_NAME = "sitegen.toml"
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_VERDICT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PERMALINK_FIELDS = ("year", "month", "day", "slug")
MAX_MARKDOWN_TIMEOUT = 3600

def _http_url(value: str) -> str | None:
    try:
        parts = urlsplit(value)
    except ValueError:  # "Invalid IPv6 URL"
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an absolute http(s) URL, such as 'https://example.org/'"
    try:
        web_address(value)
    except AddressError as exc:
        return str(exc)
    return None


def _optional_http_url(value: str) -> str | None:
    return None if value == "" else _http_url(value)


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


def _timeout(value: float) -> str | None:
    if 0 < value <= MAX_MARKDOWN_TIMEOUT:
        return None
    return (f"must be more than 0 and at most {MAX_MARKDOWN_TIMEOUT} seconds, such as 5 "
            "(the longest body allowed takes under a second)")


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
        "language": Option(str, "en", "Default language of the content.", language_problem),
        "description": Option(str, "", "One sentence about the site, for search engines."),
        "language_name": Option(str, "", "The main language's name in itself, for the "
                                "language switcher; sitegen knows most."),
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
        "markdown_timeout": Option(float, 5.0, "Seconds of processor time one body may take "
                                   "to convert; a body that takes longer is an error.",
                                   _timeout),
    },
}

HOMES = {name: section for section, options in SCHEMA.items() for name in options}
"""The table each setting belongs in (no name is in two): a setting above every heading, or
under another one, is told where it goes."""

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
            "#86c98a", 6),
    Verdict("partially-true", "Partially true",
            "The claim is accurate in part but leaves out or distorts important details.",
            "#806600", 5),
    Verdict("misleading", "Misleading",
            "The claim uses accurate facts in a way that leads to a false conclusion.",
            "#b37feb", 4),
    Verdict("partially-false", "Partially false",
            "The claim is mostly inaccurate, though it contains some truth.", "#f5a35c", 3),
    Verdict("likely-false", "Likely false",
            "The available evidence contradicts the claim, but it cannot be fully ruled out.",
            "#e05a4f", 2),
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
    language_name: str = ""


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
    markdown_timeout: float = 5.0


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
    editions: tuple[Edition, ...] = ()
    """The main edition first, then one per `[languages.CODE]`: a site in one language has
    one. In an edition's view (`for_edition`), `site`, `verdicts` and `messages` are the
    edition's own."""

    @property
    def main(self) -> Edition:
        return self.editions[0]

    def for_edition(self, edition: Edition) -> SiteConfig:
        """This config as an edition's pages see it: its title, language and words (from any
        edition's view too: a view is a config like another)."""
        if (self.messages is edition.messages and self.verdicts is edition.verdicts
                and self.site.title == edition.title):
            return self
        site = replace(self.site, title=edition.title, language=edition.language,
                       description=edition.description)
        return replace(self, site=site, verdicts=edition.verdicts, messages=edition.messages)

    def edition_for(self, lang: str | None) -> Edition | None:
        """The edition a document in `lang` belongs to: its own language's, else the one of
        its base language ('pt-BR' -> 'pt'); None when the site has none."""
        if lang is None:
            return self.main
        wanted = lang.lower()
        for edition in self.editions:
            if edition.language.lower() == wanted:
                return edition
        base = [e for e in self.editions if e.language.lower() == base_language(wanted)]
        return base[0] if len(base) == 1 else None

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


def load_config(root: Path) -> tuple[SiteConfig | None, list[Problem]]:
    """Read and validate sitegen.toml; the config is None only when there are errors."""
    path = root / CONFIG_NAME
    missing = no_config(root)
    if missing is not None:
        return None, [missing]
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        return None, [error(CONFIG_NAME, None, None, "is not UTF-8 text", "save it as UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        return None, [_toml_syntax_problem(exc, text)]
    return parse_config(root, data, Reader(CONFIG_NAME, key_lines(text)))


def no_config(root: Path) -> Problem | None:
    """The error of a folder that is not a site, which every command gives alike."""
    if (root / CONFIG_NAME).is_file():
        return None
    return error(CONFIG_NAME, None, None, f"no {CONFIG_NAME} in {root}",
                 "run 'sitegen init DIR' to make a new site, or pass --site DIR")


def _toml_syntax_problem(exc: tomllib.TOMLDecodeError, text: str) -> Problem:
    match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
    message = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", str(exc))
    line, message, hint = syntax_hint(text, int(match.group(1)) if match else None, message)
    return error(CONFIG_NAME, line, None, f"TOML syntax error: {message}", hint)


def parse_config(
    root: Path, data: Mapping[str, Any], reader: Reader
) -> tuple[SiteConfig | None, list[Problem]]:
    problems: list[Problem] = []
    known = [*SCHEMA, "verdicts", "messages", "languages"]
    for key in data:
        if key not in known:
            problems.append(
                reader.problem((key,), "a setting outside its table", move_hint(key, HOMES[key]))
                if key in HOMES else
                reader.problem((key,), "unknown section", choices_hint(key, known)))
    sections = {
        name: read_table(reader, (name,), data.get(name, {}), options, problems, HOMES)
        for name, options in SCHEMA.items()
    }
    language = sections["site"].get("language", "en")
    if not isinstance(language, str) or language_problem(language):
        language = "en"  # already reported; the messages are still checked, in English
    verdicts = _read_verdicts(reader, data.get("verdicts"), language, problems)
    messages, found = resolve_messages(language, data.get("messages"), reader)
    problems += found
    site = sections["site"]
    main = main_edition(language, _text(site, "language_name"), _text(site, "title"),
                        _text(site, "description"), verdicts, messages)
    custom_scale = data.get("verdicts") is not None
    editions = read_editions(reader, data.get("languages"), main,
                             (lambda code: in_shipped_words(verdicts, language, code))
                             if custom_scale else default_verdicts, problems)
    if has_errors(problems):
        return None, problems
    site["base_url"] = web_address(site["base_url"].rstrip("/") + "/")
    problems += _example_address(reader, site["base_url"])
    if custom_scale:
        problems += scale_warnings(reader, verdicts)
    publisher = sections["publisher"]
    for name in ("url", "logo"):  # percent-encoded once here, valid wherever they land
        publisher[name] = publisher[name] and web_address(publisher[name])
    config = SiteConfig(
        root=root,
        site=SiteSettings(**site),
        publisher=Publisher(**publisher),
        build=BuildSettings(**sections["build"]),
        verdicts=verdicts,
        messages=messages,
        editions=editions,
    )
    return config, problems


def _text(values: Mapping[str, Any], name: str) -> str:
    """A [site] setting already checked (and reported when wrong) as text; '' otherwise."""
    value = values.get(name)
    return value if isinstance(value, str) else ""


def default_verdicts(language: str) -> tuple[Verdict, ...]:
    """The default scale, its labels and descriptions in `language` when sitegen ships them."""
    words = default_scale_words(language)
    return tuple(replace(v, label=words[v.id][0], description=words[v.id][1])
                 if v.id in words else v for v in DEFAULT_VERDICTS)


def in_shipped_words(scale: tuple[Verdict, ...], language: str,
                     code: str) -> tuple[Verdict, ...]:
    """A scale written out in sitegen.toml, with each verdict that is the default one word
    for word (as `sitegen init` writes it) in the words sitegen ships for `code`: copying the
    default scale out must not lose its translations. A newsroom's own verdicts stay as
    written, for the edition to translate."""
    shipped = {v.id: v for v in default_verdicts(language)}
    translated = {v.id: v for v in default_verdicts(code)}
    return tuple(replace(v, label=translated[v.id].label,
                         description=translated[v.id].description)
                 if v.id in shipped and (v.label, v.description) ==
                 (shipped[v.id].label, shipped[v.id].description) else v for v in scale)


EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
"""Reserved for documentation (RFC 2606): a site published with one of them in base_url has
every canonical link, feed entry and sitemap address pointing nowhere."""


def _example_address(reader: Reader, base_url: str) -> list[Problem]:
    host = (urlsplit(base_url).hostname or "").lower()
    if not any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS):
        return []
    return [reader.warning(("site", "base_url"),
                           f"is '{base_url}', an example address: canonical links, feeds and "
                           "the sitemap would all point there",
                           "set it to the address the site is published at, such as "
                           "base_url = \"https://factcheck.your-newsroom.org/\"")]


def _read_verdicts(reader: Reader, raw: Any, language: str,
                   problems: list[Problem]) -> tuple[Verdict, ...]:
    if raw is None:
        return default_verdicts(language)
    if not isinstance(raw, list) or not raw:
        problems.append(reader.problem(("verdicts",), "must be one or more [[verdicts]] tables"))
        return ()
    verdicts: list[Verdict] = []
    for index, table in enumerate(raw):
        values = read_table(reader, ("verdicts", index), table, VERDICT_SCHEMA, problems)
        key = ("verdicts", index)
        if isinstance(values.get("id"), str) and not _VERDICT_ID.match(values["id"]):
            problems.append(reader.problem((*key, "id"), "must be lowercase letters, digits and "
                                           "hyphens, such as 'partially-true'"))
        if isinstance(values.get("color"), str) and not _HEX_COLOR.match(values["color"]):
            problems.append(reader.problem((*key, "color"), *_color_problem(values["color"])))
        if all(isinstance(values.get(n), str) for n in ("id", "label", "description", "color")):
            verdicts.append(Verdict(**values))
    _check_unique(reader, verdicts, problems)
    return tuple(verdicts)


def _color_problem(value: str) -> tuple[str, str]:
    """What is wrong with a colour, echoing it, and the #rrggbb it was probably meant as."""
    short = re.fullmatch(r"#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])", value)
    meant = "#" + "".join(c * 2 for c in short.groups()) if short else "#b42318"
    return (f"'{value}' is not a colour as #rrggbb",
            f"write six hex digits after '#', such as color = \"{meant}\"")


def _check_unique(reader: Reader, verdicts: list[Verdict], problems: list[Problem]) -> None:
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


def config_bytes(config: SiteConfig) -> bytes:
    """The config file as the caches key on it."""
    return (config.root / CONFIG_NAME).read_bytes()
