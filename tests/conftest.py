"""Scratch sites written from dicts of files in tmp_path, built for real, read back parsed."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browsing import serving
from bs4 import BeautifulSoup
from processes import Running

from sitegen import BuildOptions, BuildResult, build, check, load_config

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
[site]
title = "Test Desk"
base_url = "https://factcheck.test/"
language = "en"
description = "Fact-checks for tests."

[publisher]
name = "Test Desk Org"
url = "https://factcheck.test/"
"""

FACTCHECK = """\
---
title: "A claim checked"
claim: "The river is 100 km long."
claimant: "Jane Official"
verdict: false
date: 2020-03-04
claim_date: 2020-03-01
claim_url: "https://example.com/speech"
summary: "It is 80 km long."
---
The body.
"""


@dataclass
class ScratchSite:
    """A site folder under tmp_path with helpers to write files, build and read output."""

    root: Path

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def write_bytes(self, rel: str, data: bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def build(self, drafts: bool = False, output: Path | None = None) -> BuildResult:
        return build(self.root, BuildOptions(drafts=drafts, output=output))

    def check(self) -> BuildResult:
        return check(self.root)

    def built(self, drafts: bool = False) -> BuildResult:
        """Build and insist that it succeeded, showing the problems when it did not."""
        result = self.build(drafts=drafts)
        assert result.ok, "\n".join(p.format() for p in result.problems)
        return result

    @property
    def output(self) -> Path:
        return self.root / "output"

    def html(self, rel: str) -> BeautifulSoup:
        """The parsed page at a site path such as '2020/a-claim/' (index.html implied)."""
        path = self.output / rel
        if rel == "" or rel.endswith("/"):
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")

    def messages(self, result: BuildResult) -> list[str]:
        return [p.format() for p in result.problems]

    def errors(self, result: BuildResult) -> list[str]:
        """The errors only: warnings about missing optional fields are not what a test pins."""
        return [p.format() for p in result.problems if p.is_error]


@pytest.fixture
def site(tmp_path: Path) -> ScratchSite:
    """A minimal valid site: config, one fact-check; tests add or replace files."""
    scratch = ScratchSite(tmp_path / "site")
    scratch.write("sitegen.toml", CONFIG)
    scratch.write("content/2020/a-claim.md", FACTCHECK)
    return scratch


@pytest.fixture
def make_factcheck() -> Callable[..., str]:
    """Front matter text for a fact-check with the required fields, overridable by keyword.

    Fields given by keyword come right after the five required ones (lines 2-6), so their line
    numbers are easy to count; the fields structured data advises come last, unless given.
    """

    def make(body: str = "The body.", **fields: str) -> str:
        values = {
            "title": '"A claim checked"',
            "claim": '"The river is 100 km long."',
            "claimant": '"Jane Official"',
            "verdict": "false",
            "date": "2020-03-04",
        }
        values.update(fields)
        advised = {"claim_date": "2020-03-01", "claim_url": '"https://example.com/speech"',
                   "summary": '"It is 80 km long."'}
        values.update({k: v for k, v in advised.items() if k not in fields})
        lines = [f"{k}: {v}" for k, v in values.items() if v is not None]
        return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"

    return make


CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright, shared by every browser test."""
    executable = chromium_executable()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("browser tests must run in CI: playwright is not installed")
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def chromium_executable() -> str:
    """Debian's Chromium; skipped locally when missing, a failure in CI (CI=true)."""

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="session")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example site, built once per test run into a temp folder."""
    output = tmp_path_factory.mktemp("example") / "out"
    result = build(ROOT, BuildOptions(output=output))
    assert result.ok, [p.format() for p in result.problems]
    return output


@pytest.fixture(scope="session")
def example_url(example_output: Path) -> Iterator[str]:
    """The built example site served over loopback HTTP under its base_url path, as a host
    serves it (its own 404 page for missing addresses)."""
    config, problems = load_config(ROOT)
    assert config is not None, [p.format() for p in problems]
    with serving(example_output, urlsplit(config.site.base_url).path) as url:
        yield url


@pytest.fixture
def running(preview_temp: Path) -> Iterator[Callable[[list[str], Path], Running]]:
    """Starts `sitegen ...` processes, all stopped after the test, which must leave no preview
    folder behind (they are made in `preview_temp`, not in the machine's temporary folder)."""
    started: list[Running] = []

    def start(args: list[str], cwd: Path) -> Running:
        started.append(Running(args, cwd, preview_temp))
        return started[-1]

    yield start
    for process in started:
        process.stop()
    assert list(preview_temp.glob("sitegen-preview-*")) == [], "a preview folder was left"


@pytest.fixture
def preview_temp(tmp_path: Path) -> Path:
    """The TMPDIR of the processes `running` starts: where `sitegen serve` makes its folder."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    return temp
