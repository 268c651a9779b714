"""`sitegen init` and `sitegen new`: files a writer starts from, never written over others.

Both refuse rather than overwrite: a new site only goes into an empty folder, and a new
fact-check never replaces an existing file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sitegen.config.settings import DEFAULT_VERDICTS, SiteConfig, load_config
from sitegen.i18n.languages import language_problem
from sitegen.models import Verdict
from sitegen.problems import choices_hint
from sitegen.urls import latin_slug, slugify

SCAFFOLD = Path(__file__).parent.parent / "skeleton"
NEW_DEFAULT_VERDICT = "unclear"


class ScaffoldError(Exception):
    """A refusal the user can act on; the message says what to do instead."""


def init_site(directory: Path, today: dt.date | None = None) -> list[Path]:
    """Make a site folder that builds at once; refuses a folder that has anything in it."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ScaffoldError(f"{directory} is not empty; choose a new or empty folder")
    day = today or dt.date.today()
    title = "Example Fact Check"
    fill = {"title": title, "date": day.isoformat(),
            "claim_date": (day - dt.timedelta(days=2)).isoformat()}
    files = {
        "sitegen.toml": _read("sitegen.toml.in").format(title=title,
                                                        verdicts=verdicts_toml(DEFAULT_VERDICTS)),
        f"content/{day.year}/new-bridge-longest.md": _read("example.md.in").format(**fill),
        "content/pages/about.md": _read("about.md.in"),
        ".gitignore": _read("gitignore.in"),
        "templates/.keep": "",
        "static/.keep": "",
    }
    written = []
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def verdicts_toml(verdicts: tuple[Verdict, ...]) -> str:
    blocks = []
    for v in verdicts:
        lines = ["[[verdicts]]", f"id = {json.dumps(v.id)}", f"label = {json.dumps(v.label)}",
                 f"description = {json.dumps(v.description)}", f"color = {json.dumps(v.color)}"]
        if v.rating is not None:
            lines.append(f"rating = {v.rating}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def new_factcheck(site: Path, claim: str, claimant: str, verdict: str | None,
                  slug: str | None, today: dt.date | None = None,
                  lang: str | None = None) -> Path:
    """Write content/YEAR/SLUG.md with every field laid out, as a draft; return its path.
    `lang` writes `lang:` (on a site with editions: the edition the article goes to) and
    names the file by that language's transliteration."""
    config, problems = load_config(site)
    if config is None:
        raise ScaffoldError("; ".join(p.format() for p in problems))
    if lang is not None:
        _check_lang(config, lang)
    ids = [v.id for v in config.verdicts]
    chosen = verdict or (NEW_DEFAULT_VERDICT if NEW_DEFAULT_VERDICT in ids else ids[0])
    if chosen not in ids:
        raise ScaffoldError(f"unknown verdict '{chosen}' ({choices_hint(chosen, ids)})")
    if not claim.strip() or not claimant.strip():
        raise ScaffoldError("the claim and --claimant must not be empty")
    day = today or dt.date.today()
    if slug and slugify(slug) and slugify(slug) != slug:
        raise ScaffoldError(f"--slug '{slug}' cannot be used as it is: a URL name is lowercase "
                            f"letters, digits and hyphens; did you mean --slug {slugify(slug)}?")
    name = slugify(slug) if slug else latin_slug(claim, lang or config.site.language)
    if not name:
        raise ScaffoldError(f"'{slug or claim}' has no letters or digits to name the file; "
                            "pass --slug with a name such as --slug pension-claim")
    path = config.content_path / str(day.year) / f"{name}.md"
    text = _new_text(claim.strip(), claimant.strip(), chosen, ids, day, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; pass --slug to choose another name") from None
    return path


def _check_lang(config: SiteConfig, lang: str) -> None:
    """A language code, and on a site with editions one of theirs."""
    wrong = language_problem(lang)
    if wrong:
        raise ScaffoldError(f"--lang '{lang}' {wrong}")
    codes = [e.language for e in config.editions]
    if len(codes) > 1 and config.edition_for(lang) is None:
        raise ScaffoldError(f"--lang '{lang}' is not a language of this site's editions "
                            f"({choices_hint(lang, codes)})")


def _new_text(claim: str, claimant: str, verdict: str, ids: list[str], day: dt.date,
              lang: str | None = None) -> str:
    quoted = _yaml_quoted
    title = claim if lang else "Fact check: " + claim  # no English words in another language
    language = f"lang: {lang}\n" if lang else ""
    return f"""---
title: {quoted(title)}
{language}claim: {quoted(claim)}
claimant: {quoted(claimant)}
claimant_url:       # a page about the claimant, e.g. on Wikipedia (https://...)
claim_date:         # when the claim was made, YYYY-MM-DD
claim_url:          # where the claim appeared (https://...)
verdict: {verdict}  # one of: {", ".join(ids)}
summary:            # our conclusion in one or two sentences
date: {day.isoformat()}
author:             # your name, or a list: [Ann Lee, Bo Chen]
tags: []
media:
  # src: /images/...          # the viral photo or screenshot checked: a file of static/
  # alt: "What the picture shows, for readers who cannot see it"
  # caption: "Where and when it was shared"
  # credit: "Screenshot: ..."
sources:
  # - title: "Title of the document or interview"
  #   url: https://...        # leave out for an interview or a phone call
  #   publisher: "Who published it"
  #   date: YYYY-MM-DD
  #   archive_url: https://...
  #   id: short-name          # cite it in the analysis as [@short-name]; [@1] cites the first
updates:
  # - date: YYYY-MM-DD
  #   note: "What changed and why"
  #   verdict: false          # only when the verdict changed: the new verdict, which is then
  #                           # `verdict:` too; add `original_verdict:` (the one at publication)
draft: true         # remove this line to publish
---
Write the analysis here.
"""


def _yaml_quoted(text: str) -> str:
    """A YAML double-quoted string (a JSON string is one) that a writer can read: letters of
    any script as they are, not as \\u escapes; only the characters YAML reads as line
    breaks (NEL, U+2028, U+2029) escaped, so the value stays the same."""
    quoted = json.dumps(text, ensure_ascii=False)
    for breaking in ("\u0085", "\u2028", "\u2029"):
        quoted = quoted.replace(breaking, f"\\u{ord(breaking):04x}")
    return quoted


def _read(name: str) -> str:
    return (SCAFFOLD / name).read_text(encoding="utf-8")
