"""Every page the theme writes is valid HTML by the Nu HTML Checker (vnu), the W3C's checker.

vnu runs once per site over every HTML file (the JVM is slow to start), on the example site and
on a 200-article corpus site (tests/corpus.py), and a failure lists vnu's own
messages as `file:line: message`.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import ScratchSite
from corpus import write_corpus
from hostile_site import write_hostile_site
from outside_tools import java, vnu_jar

from sitegen import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
CORPUS_SIZE = 200
VNU_TIMEOUT = 170

CORPUS_CONFIG = """\
[site]
title = "Corpus Desk"
base_url = "https://factcheck.test/corpus/"
language = "en"
description = "Two hundred generated fact-checks."

[publisher]
name = "Corpus Desk"
url = "https://factcheck.test/"
"""


TRANSLATIONS = {"ru": "Проверка заявления", "ar": "التحقق من الادعاء"}
"""Two translations of the first corpus article, so pages mixing languages and directions
(lang and dir on the theme's words, on cards and on translation links) are checked too."""
TRANSLATION = """\
---
title: "{title}"
claim: "{title}"
claimant: "Defense Ministry"
verdict: misleading
date: 2020-01-01
lang: {lang}
translation_of: fact-check-000000
---
{title}.
"""


def vnu(folder: Path) -> list[dict[str, Any]]:
    """vnu's messages (errors, warnings and info) about every .html file under `folder`."""
    command = [java(), "-jar", str(vnu_jar()), "--format", "json", "--skip-non-html",
               str(folder)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=VNU_TIMEOUT,
                         check=False)
    if run.returncode not in (0, 1):
        pytest.fail(f"vnu did not run (exit {run.returncode}): {run.stderr[-2000:]}")
    messages: list[dict[str, Any]] = json.loads(run.stderr)["messages"]
    return messages


def failing(message: dict[str, Any]) -> bool:
    """Errors, and warnings too: the theme is held to a clean report, not a passing one."""
    kind = message["type"]
    return kind in ("error", "non-document-error") or message.get("subType") == "warning"


def failures(messages: list[dict[str, Any]], folder: Path) -> list[str]:
    """The errors and warnings, as `file:line: message` relative to the site folder."""
    prefix = folder.resolve().as_uri() + "/"
    found = []
    for message in messages:
        if not failing(message):
            continue
        where = str(message.get("url", "?")).replace("file:/", "file:///", 1)
        where = where.removeprefix(prefix)
        found.append(f"{where}:{message.get('lastLine', '?')}: {message['message']}")
    return found


def test_vnu_reports_errors_and_warnings_with_file_and_line(tmp_path: Path) -> None:
    """The harness fails where it should: a broken page gives its file, line and vnu's words;
    a page that only earns a warning (no lang) fails too; a clean page gives nothing."""
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "index.html").write_text(
        "<!doctype html>\n<html lang=en>\n<title>x</title>\n<span id=a></span>\n"
        "<span id=a></span>\n", encoding="utf-8")
    (tmp_path / "warned.html").write_text(
        "<!doctype html><html><title>x</title><p>no lang</p>\n", encoding="utf-8")
    (tmp_path / "good.html").write_text(
        "<!doctype html><html lang=en><title>x</title><p>fine</p>\n", encoding="utf-8")
    found = failures(vnu(tmp_path), tmp_path)
    assert any(line.startswith("bad/index.html:5: Duplicate ID") for line in found), found
    assert any(line.startswith("warned.html:1: ") and "lang" in line for line in found), found
    assert not any(line.startswith("good.html") for line in found), found


def test_example_site_is_valid_html(example_output: Path) -> None:
    """No vnu error or warning on any page of the example site."""
    pages = list(example_output.rglob("*.html"))
    assert len(pages) > 40
    assert failures(vnu(example_output), example_output) == []


@pytest.fixture(scope="module")
def corpus_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 200-article site (tests/corpus.py: every Markdown feature writers use), built with
    the default theme."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "sitegen.toml").write_text(CORPUS_CONFIG, encoding="utf-8")
    write_corpus(root / "content", CORPUS_SIZE)
    translations = root / "content" / "translations"
    translations.mkdir()
    for lang, title in TRANSLATIONS.items():
        (translations / f"{lang}.md").write_text(TRANSLATION.format(lang=lang, title=title),
                                                 encoding="utf-8")
    result = build(root, BuildOptions(output=root / "out"))
    assert result.ok, [p.format() for p in result.problems][:20]
    assert result.factchecks == CORPUS_SIZE + len(TRANSLATIONS)
    return root / "out"


def test_corpus_site_is_valid_html(corpus_output: Path) -> None:
    """No vnu error or warning on any page of a 200-article site: pagers, every term page."""
    assert len(list(corpus_output.rglob("*.html"))) > CORPUS_SIZE
    assert failures(vnu(corpus_output), corpus_output) == []


def test_hostile_values_site_is_valid_html(tmp_path: Path) -> None:
    """No vnu error or warning with hostile values in the header menu, the language switcher,
    the home page's lead, the cards' conclusions, a claimant's scorecard and the 404 page."""
    site = ScratchSite(tmp_path / "site")
    write_hostile_site(site)
    site.built()
    assert failures(vnu(site.output), site.output) == []
