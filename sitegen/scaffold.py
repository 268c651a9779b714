"""`sitegen init` and `sitegen new`: files a writer starts from, never written over others.

Both refuse rather than overwrite: a new site only goes into an empty folder, and a new
fact-check never replaces an existing file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .config import DEFAULT_VERDICTS, load_config
from .models import Verdict
from .problems import choices_hint
from .urls import latin_slug, slugify

SCAFFOLD = Path(__file__).parent / "skeleton"
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
                  slug: str | None, today: dt.date | None = None) -> Path:
    """Write content/YEAR/SLUG.md with every field laid out, as a draft; return its path."""
    config, problems = load_config(site)
    if config is None:
        raise ScaffoldError("; ".join(p.format() for p in problems))
    ids = [v.id for v in config.verdicts]
    chosen = verdict or (NEW_DEFAULT_VERDICT if NEW_DEFAULT_VERDICT in ids else ids[0])
    if chosen not in ids:
        raise ScaffoldError(f"unknown verdict '{chosen}' ({choices_hint(chosen, ids)})")
    if not claim.strip() or not claimant.strip():
        raise ScaffoldError("the claim and --claimant must not be empty")
    day = today or dt.date.today()
    name = slugify(slug) if slug else latin_slug(claim, config.site.language)
    if not name:
        raise ScaffoldError(f"'{slug or claim}' has no letters or digits to name the file; "
                            "pass --slug with a name such as --slug pension-claim")
    path = config.content_path / str(day.year) / f"{name}.md"
    text = _new_text(claim.strip(), claimant.strip(), chosen, ids, day)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; pass --slug to choose another name") from None
    return path


def _new_text(claim: str, claimant: str, verdict: str, ids: list[str], day: dt.date) -> str:
    quoted = json.dumps  # a JSON string is a valid YAML double-quoted string
    return f"""---
title: {quoted("Fact check: " + claim)}
claim: {quoted(claim)}
claimant: {quoted(claimant)}
claimant_url:       # a page about the claimant, e.g. on Wikipedia (https://...)
claim_date:         # when the claim was made, YYYY-MM-DD
claim_url:          # where the claim appeared (https://...)
verdict: {verdict}  # one of: {", ".join(ids)}
summary:            # our conclusion in one or two sentences
date: {day.isoformat()}
author:             # your name, or a list: [Ann Lee, Bo Chen]
tags: []
sources:
  # - title: "Title of the document or interview"
  #   url: https://...        # leave out for an interview or a phone call
  #   publisher: "Who published it"
  #   date: YYYY-MM-DD
  #   archive_url: https://...
updates:
  # - date: YYYY-MM-DD
  #   note: "What changed and why"
  #   verdict: false          # only when the verdict changed: the new verdict, which is then
  #                           # `verdict:` too; add `original_verdict:` (the one at publication)
draft: true         # remove this line to publish
---
Write the analysis here.
"""


def _read(name: str) -> str:
    return (SCAFFOLD / name).read_text(encoding="utf-8")
