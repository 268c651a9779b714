"""The validated content model: frozen values with no I/O and no behaviour beyond small facts.

Everything downstream (the site graph, templates, structured data) reads these and nothing else,
so a field exists here once and means one thing everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sitegen.runtime.parked import StoredBody

Date = dt.date  # a datetime.datetime is a date too, and keeps its time when one was written
Html = str | StoredBody
"""A document's body as HTML: the str the Markdown became. Only the copy of the site that a
build's forked renderers see holds a StoredBody, a frozen reference to the same text in a
file (runtime.parked, output.publish), which templates show as that str."""


def _empty_mapping() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Verdict:
    """One step of the newsroom's rating scale, as declared in sitegen.toml."""

    id: str
    label: str
    description: str
    color: str
    rating: int | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A numbered source; without a URL it is still a source (an interview, a phone call).

    `id` is the name the body cites it by (`[@tass]`; `[@2]` cites it by number);
    `citations` is derived, not written: how often the body cites it, for the list's links
    back to each citation (`#cite-2-1`)."""

    title: str
    url: str | None = None
    publisher: str | None = None
    date: Date | None = None
    archive_url: str | None = None
    id: str | None = None
    citations: int = 0


@dataclass(frozen=True, slots=True)
class Media:
    """The checked media (the viral photo, the screenshot of the post), shown on the article
    with the verdict stamped on it; `src` is a path to a file of static/."""

    src: str
    alt: str
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class Update:
    """An entry of the corrections log; `verdict` is set when the update changed the rating.

    `previous_verdict` and `anchor` are derived by the validator, not written: the verdict
    this update replaced (the previous change's, or the fact-check's `original_verdict`;
    None when neither is known) and the id of its entry on the page (`update-2023-07-14`),
    which the corrections log links to.
    """

    date: Date
    note: str
    verdict: str | None = None
    previous_verdict: str | None = None
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class FactCheck:
    """A published (or draft) fact-check: the claim, who made it, and the newsroom's verdict."""

    source_path: str
    title: str
    claim: str
    claimant: str
    verdict: str
    date: Date
    slug: str
    body_html: Html
    claim_date: Date | None = None
    claim_url: str | None = None
    claimant_url: str | None = None
    claimant_type: str = "person"
    summary: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    updated: Date | None = None
    draft: bool = False
    featured: bool = False
    """Leads the home page (the latest featured one, when several are)."""
    lang: str | None = None
    image: str | None = None
    media: Media | None = None
    translation_of: str | None = None
    updates: tuple[Update, ...] = ()
    original_verdict: str | None = None
    """The verdict at publication, when an update has changed it since."""
    extra: Mapping[str, Any] = field(default_factory=_empty_mapping)
    lines: Mapping[str, int] = field(default_factory=_empty_mapping, compare=False, repr=False)
    """The line of each front-matter field, for problems found later (across files)."""

    @property
    def verdict_change(self) -> Update | None:
        """The newest update that changed the verdict: it set the current one."""
        return next((u for u in self.updates if u.verdict is not None), None)

    @property
    def last_modified(self) -> Date:
        """The latest of published, `updated` and every update's date."""
        if not self.updates and self.updated is None:
            return self.date  # most fact-checks; asked for by every listing page showing it
        candidates = [self.date, *(u.date for u in self.updates)]
        if self.updated is not None:
            candidates.append(self.updated)
        return max(candidates, key=date_sort_key)


@dataclass(frozen=True, slots=True)
class Page:
    """A plain page (about, methodology intro, corrections policy): a title and a body."""

    source_path: str
    title: str
    slug: str
    body_html: Html
    summary: str | None = None
    date: Date | None = None
    updated: Date | None = None
    draft: bool = False
    lang: str | None = None
    image: str | None = None
    menu: int | None = None
    extra: Mapping[str, Any] = field(default_factory=_empty_mapping)
    lines: Mapping[str, int] = field(default_factory=_empty_mapping, compare=False, repr=False)


Document = FactCheck | Page


def date_sort_key(value: Date) -> tuple[int, int]:
    """Orders dates and datetimes together (Python refuses to compare the two directly)."""
    if isinstance(value, dt.datetime):
        return (value.toordinal(), value.hour * 3600 + value.minute * 60 + value.second)
    return (value.toordinal(), 0)


@dataclass(frozen=True, slots=True)
class ShareCard:
    """Everything a card shows: equal values draw identical cards (the cache key)."""

    site_title: str
    site_host: str
    claim: str
    claimant: str
    verdict_label: str
    verdict_color: str
    kicker: str = "Fact check"
    """The words over the verdict that say this is a checked claim. This and the fields
    below default to English; site/cards.py fills them in the edition's words (the theme's
    messages) and the quotation marks of the claim's language."""
    claim_label: str = "Claim"
    attribution: str = "\u2014 {claimant}"
    """Who made the claim, as the card says it: {claimant} stands for `claimant`."""
    quotes: tuple[str, str] = ("\u201c", "\u201d")
    """The quotation marks around the claim, in the claim's language."""


@dataclass(frozen=True, slots=True)
class CardRoute:
    """One share card: the output path and what it shows."""

    path: str
    card: ShareCard
    source_path: str

    @property
    def source_name(self) -> str:
        return self.source_path
