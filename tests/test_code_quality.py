"""The code stays ruff-clean, type-checked and layered: part of the test run, so CI enforces
it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str]:
    """The tool from this interpreter's environment, so the run never depends on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install the test extras: pip install -e '.[test]'")
    return [found]


def test_ruff_finds_nothing() -> None:
    """ruff reports no problem in the package, the tests or the benchmarks."""
    result = subprocess.run([*_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes() -> None:
    """mypy --strict (configured in pyproject.toml) accepts the whole package."""
    result = subprocess.run([*_tool("mypy"), "sitegen"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_layering_contracts_hold() -> None:
    """import-linter's contracts in pyproject.toml: every package imports only the layers
    below it, and no import cycle exists at any depth, function-level imports included."""
    result = subprocess.run([*_tool("lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout
