"""Record -> FactCheck | Page, or the problems that stop it: every field rule lives here.

A file is a plain page when it sits under content/pages/ or names none of claim, claimant and
verdict; anything else is a fact-check, so a fact-check that forgot its claim is reported as
such instead of quietly becoming a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any

from sitegen.config.settings import SiteConfig
from sitegen.content.body import RenderMarkdown, body_html
from sitegen.content.citations import check_unique_ids, source_id
from sitegen.content.fields import Checker, check_web_url, plain_value
from sitegen.content.front_matter import Map, Node, Record, Scalar, Seq
from sitegen.content.media import media
from sitegen.content.typeset import typeset
from sitegen.content.verdict_changes import Verdicts, WrittenUpdate, tell_story
from sitegen.models import Document, FactCheck, Page, Source, Update, date_sort_key
from sitegen.problems import Problem, choices_hint, did_you_mean
from sitegen.urls import latin_slug

FACTCHECK_REQUIRED = ("title", "claim", "claimant", "verdict", "date")
FACTCHECK_FIELDS = (
    *FACTCHECK_REQUIRED, "claim_date", "claim_url", "claimant_url", "claimant_type", "summary",
    "author", "tags",
    "sources", "updated", "slug", "draft", "featured", "lang", "image", "media", "updates",
    "original_verdict", "translation_of", "extra",
)
PAGE_FIELDS = ("title", "slug", "summary", "date", "updated", "draft", "lang", "image", "menu",
               "extra")
SOURCE_FIELDS = ("title", "url", "publisher", "date", "archive_url", "id")
UPDATE_FIELDS = ("date", "note", "verdict")
FACTCHECK_MARKERS = ("claim", "claimant", "verdict")
PAGES_FOLDER = "pages"
EXTRA_HINT = "put custom data under 'extra:'"


def is_under_pages(record: Record, content_dir: str) -> bool:
    folder = (*PurePosixPath(content_dir).parts, PAGES_FOLDER)
    return PurePosixPath(record.path).parts[: len(folder)] == folder


def is_page_record(record: Record, content_dir: str) -> bool:
    return is_under_pages(record, content_dir) or not any(
        record.meta.get(m) for m in FACTCHECK_MARKERS)


def validate_record(
    record: Record, config: SiteConfig, render: RenderMarkdown
) -> tuple[Document | None, list[Problem]]:
    """Check one record against the model; the document is None when any error was found."""
    checker = Checker(record.path)
    if is_page_record(record, config.build.content_dir):
        under_pages = is_under_pages(record, config.build.content_dir)
        document: Document | None = _page(record, config, checker, render, under_pages)
    else:
        document = _factcheck(record, config, checker, render)
    if any(p.is_error for p in checker.problems):
        return None, checker.problems
    return document, checker.problems


def _fields(record: Record, allowed: Sequence[str], checker: Checker, is_page: bool,
            under_pages: bool = False) -> dict[str, Node]:
    """The known fields of a record; unknown ones are reported with a likely intended name."""
    known: dict[str, Node] = {}
    for name, line, node in record.meta.entries:
        if name in allowed:
            if not (isinstance(node, Scalar) and node.is_null):
                known[name] = node
            continue
        if is_page and name in FACTCHECK_FIELDS:
            checker.fail(line, name, "is a fact-check field, and this file is a plain page",
                         "move the file out of content/pages/ to make it a fact-check"
                         if under_pages else
                         "add claim, claimant and verdict to make it a fact-check")
            continue
        guess = did_you_mean(name, allowed)
        hint = f"did you mean '{guess}'? {EXTRA_HINT}" if guess else EXTRA_HINT
        checker.fail(line, name, "unknown field", hint)
    return known


def _required(record: Record, fields: dict[str, Node], names: Sequence[str], checker: Checker,
              kind: str) -> None:
    written = _lines(record)
    for name in names:
        if name in fields:
            continue
        if name in written:
            checker.fail(written[name], name, f"is empty, and it is required for a {kind}",
                         "write a value after the colon")
        else:
            checker.fail(record.close_line, name, f"is required for a {kind}",
                         f"add a line '{name}: ...' to the front matter")


def _factcheck(record: Record, config: SiteConfig, checker: Checker,
               render: RenderMarkdown) -> FactCheck | None:
    fields = _fields(record, FACTCHECK_FIELDS, checker, is_page=False)
    _required(record, fields, FACTCHECK_REQUIRED, checker, "fact-check")
    ids = [v.id for v in config.verdicts]
    get = _Getter(fields, checker)
    values: dict[str, Any] = {
        "title": get.text("title"), "claim": get.text("claim"), "claimant": get.text("claimant"),
        "verdict": _verdict(fields.get("verdict"), "verdict", ids, checker),
        "original_verdict": _verdict(fields.get("original_verdict"), "original_verdict", ids,
                                     checker),
        "date": get.date("date"), "claim_date": get.date("claim_date"),
        "claim_url": get.call("claim_url", checker.web_url),
        "claimant_url": get.call("claimant_url", checker.web_url),
        "claimant_type": get.call("claimant_type", _claimant_type(checker)) or "person",
        "summary": get.text("summary"), "updated": get.date("updated"),
        "authors": get.call("author", checker.text_list) or (),
        "tags": get.call("tags", checker.tag_list) or (),
        "sources": _sources(fields.get("sources"), checker),
        "draft": bool(get.call("draft", checker.flag)), "lang": get.call("lang", checker.language),
        "featured": bool(get.call("featured", checker.flag)),
        "image": get.call("image", checker.image), "extra": _extra(fields.get("extra"), checker),
        "media": get.call("media", lambda node, name: media(checker, node, name)),
        "translation_of": get.call("translation_of", checker.slug),
    }
    slug = get.call("slug", checker.slug) or _derived_slug(
        record, fields, values["title"], values["lang"] or config.site.language, checker)
    values["updates"] = _updates(fields, values, ids, checker)
    _date_order(fields, values, checker)
    if not any(p.is_error for p in checker.problems):  # advice only once the file is valid
        _markup_advice(record, fields, values, checker)
    if checker.problems and any(p.is_error for p in checker.problems):
        return None
    body = body_html(record, config, render, checker, values["lang"], values)
    if any(p.is_error for p in checker.problems):  # a citation of no source
        return None
    typeset(values, values["lang"] or config.site.language)
    return FactCheck(source_path=record.path, slug=slug, body_html=body,
                     lines=_lines(record), **values)


def _page(record: Record, config: SiteConfig, checker: Checker, render: RenderMarkdown,
          under_pages: bool) -> Page | None:
    fields = _fields(record, PAGE_FIELDS, checker, is_page=True, under_pages=under_pages)
    _required(record, fields, ("title",), checker, "page")
    get = _Getter(fields, checker)
    values: dict[str, Any] = {
        "title": get.text("title"), "summary": get.text("summary"), "date": get.date("date"),
        "updated": get.date("updated"), "draft": bool(get.call("draft", checker.flag)),
        "lang": get.call("lang", checker.language), "image": get.call("image", checker.image),
        "menu": get.call("menu", checker.integer), "extra": _extra(fields.get("extra"), checker),
    }
    slug = get.call("slug", checker.slug) or _derived_slug(
        record, fields, values["title"], values["lang"] or config.site.language, checker)
    if any(p.is_error for p in checker.problems):
        return None
    typeset(values, values["lang"] or config.site.language)
    return Page(source_path=record.path, slug=slug,
                body_html=body_html(record, config, render, checker, values["lang"]),
                lines=_lines(record), **values)


class _Getter:
    """Reads optional fields: absent fields are None, present ones go through a converter."""

    def __init__(self, fields: dict[str, Node], checker: Checker) -> None:
        self.fields = fields
        self.checker = checker

    def call(self, name: str, convert: Callable[[Node, str], Any]) -> Any:
        node = self.fields.get(name)
        return None if node is None else convert(node, name)

    def text(self, name: str) -> str | None:
        node = self.fields.get(name)
        return None if node is None else self.checker.text(node, name)

    def date(self, name: str) -> dt.date | None:
        node = self.fields.get(name)
        return None if node is None else self.checker.date(node, name)


def _verdict(node: Node | None, name: str, ids: list[str], checker: Checker) -> str | None:
    if node is None:
        return None
    value = checker.text(node, name)
    if value is None:
        return None
    if value in ids:
        return value
    if value.lower() in ids:
        return value.lower()
    checker.fail(node.line, name, f"unknown verdict '{value}'",
                 choices_hint(value, ids, "the scale in sitegen.toml has"))
    return None


CLAIMANT_TYPES = ("person", "organization")


def _claimant_type(checker: Checker) -> Callable[[Node, str], str | None]:
    """person or organization: what structured data calls the claim's author."""

    def convert(node: Node, name: str) -> str | None:
        value = checker.text(node, name)
        if value is None:
            return None
        lowered = value.lower().replace("organisation", "organization")
        if lowered in CLAIMANT_TYPES:
            return lowered
        checker.fail(node.line, name, f"unknown claimant type '{value}'",
                     choices_hint(value, CLAIMANT_TYPES))
        return None

    return convert


def _items(node: Node | None, name: str, checker: Checker) -> list[tuple[str, Node]]:
    if node is None:
        return []
    if not isinstance(node, Seq):
        checker.fail(node.line, name, "must be a list, with each entry on a line starting '- '")
        return []
    return [(f"{name}[{index}]", item) for index, item in enumerate(node.items, start=1)]


def _entry_fields(node: Node, label: str, allowed: Sequence[str], required: Sequence[str],
                  checker: Checker) -> dict[str, Node] | None:
    if not isinstance(node, Map):
        checker.fail(node.line, label, "must be a set of fields such as 'title: ...'")
        return None
    fields = {}
    for key, line, value in node.entries:
        if key not in allowed:
            checker.fail(line, f"{label}.{key}", "unknown field", choices_hint(key, allowed))
        elif not (isinstance(value, Scalar) and value.is_null):
            fields[key] = value
    for key in required:
        if key not in fields:
            checker.fail(node.line, f"{label}.{key}", "is required",
                         f"add '{key}: ...' to this entry")
    return fields


def _sources(node: Node | None, checker: Checker) -> tuple[Source, ...]:
    sources: list[tuple[Source, int, str]] = []
    for label, item in _items(node, "sources", checker):
        if isinstance(item, Scalar):
            text = checker.text(item, label)
            if text:  # a bare address is its own title, shown as the writer typed it
                url = check_web_url(checker, item.line, label, text) \
                    if text.startswith(("http://", "https://")) else None
                sources.append((Source(title=text, url=url), item.line, label))
            continue
        fields = _entry_fields(item, label, SOURCE_FIELDS, ("title",), checker)
        if fields is None:
            continue
        get = _Getter({f"{label}.{k}": v for k, v in fields.items()}, checker)
        title = get.text(f"{label}.title")
        source = Source(
            title=title or "", url=get.call(f"{label}.url", checker.web_url),
            publisher=get.text(f"{label}.publisher"), date=get.date(f"{label}.date"),
            archive_url=get.call(f"{label}.archive_url", checker.web_url),
            id=get.call(f"{label}.id", lambda node, name: source_id(checker, node, name)),
        )
        if title:
            line = fields["id"].line if "id" in fields else item.line
            sources.append((source, line, label))
    check_unique_ids(checker, sources)
    return tuple(source for source, _, _ in sources)


def _updates(fields: dict[str, Node], values: dict[str, Any], ids: list[str],
             checker: Checker) -> tuple[Update, ...]:
    """The corrections log, newest first, each change knowing the verdict it replaced."""
    written = []
    for label, item in _items(fields.get("updates"), "updates", checker):
        entry = _entry_fields(item, label, UPDATE_FIELDS, ("date", "note"), checker)
        if entry is None:
            continue
        get = _Getter({f"{label}.{k}": v for k, v in entry.items()}, checker)
        date, note = get.date(f"{label}.date"), get.text(f"{label}.note")
        verdict_node = entry.get("verdict")
        verdict = _verdict(verdict_node, f"{label}.verdict", ids, checker)
        if date is not None and note is not None and (verdict_node is None or verdict):
            written.append(WrittenUpdate(Update(date=date, note=note, verdict=verdict), label,
                                         verdict_node.line if verdict_node else item.line))
    if any(p.is_error for p in checker.problems):
        return tuple(w.update for w in written)  # a story told from broken fields misleads
    verdicts = Verdicts(values["verdict"], _line(fields, "verdict"), values["original_verdict"],
                        _line(fields, "original_verdict"))
    return tell_story(written, verdicts, checker)


def _line(fields: dict[str, Node], name: str) -> int:
    node = fields.get(name)
    return node.line if node is not None else 0


def _extra(node: Node | None, checker: Checker) -> MappingProxyType[str, Any]:
    if node is None:
        return MappingProxyType({})
    if not isinstance(node, Map):
        checker.fail(node.line, "extra", "must be a set of fields such as 'key: value'")
        return MappingProxyType({})
    return MappingProxyType(plain_value(node))


def _date_order(fields: dict[str, Node], values: dict[str, Any], checker: Checker) -> None:
    """Dates that contradict each other are probably typos; say so without failing the build."""
    published, updated, claimed = values["date"], values["updated"], values["claim_date"]
    if published and updated and date_sort_key(updated) < date_sort_key(published):
        checker.warn(fields["updated"].line, "updated", "is before the publication date")
    if published and claimed and date_sort_key(claimed) > date_sort_key(published):
        checker.warn(fields["claim_date"].line, "claim_date",
                     "is after the fact-check was published")


CLAIM_ADVISED_LENGTH = 75
ADVISED_FIELDS = (
    ("claim_date", "fact-check search tools show when the claim was made",
     "add 'claim_date: YYYY-MM-DD'"),
    ("claim_url", "ClaimReview links to where the claim appeared",
     "add 'claim_url: https://...' (a post, video or transcript)"),
    ("summary", "ClaimReview's reviewBody and the page description come from it",
     "add 'summary: ...' with the conclusion in a sentence or two"),
)


def _markup_advice(record: Record, fields: dict[str, Node], values: dict[str, Any],
                   checker: Checker) -> None:
    """Warn about what weakens the ClaimReview markup that search engines and aggregators read."""
    claim = values["claim"]
    if claim and len(claim) > CLAIM_ADVISED_LENGTH:
        checker.warn(fields["claim"].line, "claim",
                     f"is {len(claim)} characters; Google advises at most "
                     f"{CLAIM_ADVISED_LENGTH} for ClaimReview",
                     "shorten it to the core of the claim; quote it in full in the body")
    written = _lines(record)
    for name, why, hint in ADVISED_FIELDS:
        if name in fields:
            continue
        if name in written:  # `sitegen new` lays every field out, empty
            checker.warn(written[name], name, f"is empty: {why}",
                         hint.replace("add ", "fill it in: ", 1))
        else:
            checker.warn(record.close_line, name, f"is missing: {why}", hint)


def _lines(record: Record) -> MappingProxyType[str, int]:
    return MappingProxyType({name: line for name, line, _ in record.meta.entries})


def _derived_slug(record: Record, fields: dict[str, Node], title: str | None, lang: str,
                  checker: Checker) -> str:
    """The file name in Latin letters ('київ.md' -> 'kyiv'), else the title's; when neither
    has a letter or digit (a name of emoji) the writer must choose one."""
    stem = PurePosixPath(record.path).stem
    slug = latin_slug(stem, lang) or (latin_slug(title, lang) if title else "")
    if not slug and title:
        line = fields["title"].line if "title" in fields else record.meta.line
        checker.fail(line, "slug", f"cannot be made from the file name '{stem}' or the title: "
                     "neither has a letter or digit",
                     "add a line 'slug: ...' naming the page in letters, digits and hyphens")
    return slug
