"""Every process, memory and priority trick lives in sitegen/runtime/: domain code asks the
runtime instead of forking, renicing, freezing the collector or trimming malloc itself."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"
RUNTIME = PACKAGE / "runtime"

FORBIDDEN = {
    "os": {"fork", "forkpty", "nice", "setpriority", "sched_setscheduler", "SCHED_IDLE"},
    "gc": {"freeze", "unfreeze"},
    "signal": {"SIGSTOP", "SIGCONT"},
}
"""Module attributes that only sitegen.runtime may use."""
FORBIDDEN_ANYWHERE = {"malloc_trim"}
"""Attribute names forbidden whatever they are looked up on (a C library loaded by ctypes)."""


def tricks(source: str) -> Iterator[tuple[int, str]]:
    """(line, what) for each use of a forbidden name in `source`: `os.fork`, `gc.freeze`,
    `from os import nice`, `import gc as g; g.freeze`, `libc.malloc_trim`..."""
    tree = ast.parse(source)
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                aliases[(name.asname or name.name).split(".")[0]] = name.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module in FORBIDDEN:
            for name in node.names:
                if name.name in FORBIDDEN[node.module] or name.name == "*":
                    yield node.lineno, f"from {node.module} import {name.name}"
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        if node.attr in FORBIDDEN_ANYWHERE:
            yield node.lineno, node.attr
        elif isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id)
            if module in FORBIDDEN and node.attr in FORBIDDEN[module]:
                yield node.lineno, f"{module}.{node.attr}"


def domain_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if RUNTIME not in path.parents)


def test_no_process_memory_or_priority_trick_outside_the_runtime() -> None:
    """No module outside sitegen/runtime/ forks, renices, picks a scheduling class, pauses
    a process group, freezes the collector or trims malloc: each is a named runtime call."""
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}: {what}"
             for path in domain_modules()
             for line, what in tricks(path.read_text(encoding="utf-8"))]
    assert found == [], "ask sitegen.runtime instead:\n" + "\n".join(found)


@pytest.mark.parametrize(("source", "what"), [
    ("import os\nos.fork()\n", "os.fork"),
    ("import os as system\nsystem.nice(10)\n", "os.nice"),
    ("from os import setpriority\n", "from os import setpriority"),
    ("import os\nos.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))\n",
     "os.sched_setscheduler"),
    ("import gc\ngc.freeze()\n", "gc.freeze"),
    ("import signal, os\nos.killpg(1, signal.SIGSTOP)\n", "signal.SIGSTOP"),
    ("import ctypes\nctypes.CDLL('libc.so.6').malloc_trim(0)\n", "malloc_trim"),
])
def test_the_scan_sees_each_trick_however_it_is_spelled(source: str, what: str) -> None:
    """The scan reads the syntax tree, so an alias or a from-import does not hide a trick."""
    assert what in {found for _, found in tricks(source)}


def test_the_scan_leaves_ordinary_code_alone() -> None:
    """Killing a process, reading its priority or collecting garbage is no trick."""
    source = ("import gc, os, signal\nos.kill(1, signal.SIGTERM)\n"
              "os.getpriority(os.PRIO_PROCESS, 0)\ngc.collect()\nfrozen.freeze()\n")
    assert list(tricks(source)) == []


def test_importing_the_runtime_package_imports_none_of_its_modules() -> None:
    """`sitegen.runtime` names its seam and stays light: importing it loads no module of it."""
    code = ("import sys, sitegen.runtime as r; "
            "print(sorted(m for m in sys.modules if m.startswith('sitegen.')), r.__all__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.startswith("['sitegen.runtime'] [")
