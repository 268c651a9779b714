"""docs/threat-model.md names the test behind each guarantee; each named test must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMED = re.compile(r"(tests/\w+\.py)?::(\w+)")


def named_tests() -> list[tuple[str, str]]:
    """(file, test) for every `tests/x.py::test` and every `::test` continuing that file."""
    found = []
    for row in (ROOT / "docs" / "threat-model.md").read_text(encoding="utf-8").splitlines():
        current = None
        for match in NAMED.finditer(row):
            current = match.group(1) or current
            assert current is not None, f"'::{match.group(2)}' names no file: {row}"
            found.append((current, match.group(2)))
    return found


def test_every_test_the_threat_model_names_exists() -> None:
    named = named_tests()
    assert len(named) > 50
    missing = [f"{path}::{name}" for path, name in named
               if not re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"),
                                re.MULTILINE)]
    assert missing == []
