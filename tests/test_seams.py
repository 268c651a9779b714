"""Each package's `__init__` is its seam (issue 22): it names what the package offers, loads
nothing until a name is used, and the tests import those names from it, not from the module
they live in today, so moving a function between modules changes one line of an `__init__`."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import sitegen

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
PACKAGES = sorted(f"sitegen.{info.name}" for info in pkgutil.iter_modules(sitegen.__path__)
                  if info.ispkg)
MODULE_SEAMS = {"sitegen.runtime"}
"""Packages whose seam is their modules themselves (`sitegen.runtime.workers`), not names."""
LIGHT = {"sitegen": {"sitegen"}, "sitegen.runtime": {"sitegen", "sitegen.runtime"}}
"""What importing these packages loads: the runtime promises to load nothing but itself
(tests/test_runtime_seam.py), so it and `sitegen`, which every import passes through, do not
import the shared helper sitegen.seams until a name is first asked for."""


def seam(package: str) -> ModuleType:
    return importlib.import_module(package)


def test_every_package_has_a_seam() -> None:
    """Every package of sitegen names its seam in `__all__` and says why it exists."""
    assert len(PACKAGES) >= 15
    for package in ["sitegen", *PACKAGES]:
        module = seam(package)
        assert module.__all__, package
        assert (module.__doc__ or "").strip(), package


@pytest.mark.parametrize("package", ["sitegen", *PACKAGES])
def test_importing_a_package_loads_none_of_its_modules(package: str) -> None:
    """`import sitegen.cards` alone loads no module of sitegen.cards, nor anything else but the
    seam's helper: a name is imported from its module when first used."""
    code = ("import importlib, sys, typing\n"
            "before = set(sys.modules)\n"
            f"import {package}\n"
            "print(sorted(set(sys.modules) - before))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    expected = LIGHT.get(package, {"sitegen", "sitegen.seams", package})
    assert result.stdout.strip() == str(sorted(expected))


def submodules(package: str) -> list[ModuleType]:
    """Every module directly inside `package`, imported (the `sitegen` package: its packages
    too, not `__main__`, which would run the command line)."""
    path = seam(package).__path__
    return [importlib.import_module(f"{package}.{info.name}")
            for info in pkgutil.iter_modules(path) if info.name != "__main__"]


def shadowed(package: ModuleType) -> list[str]:
    """The names of `package`'s seam that give a module instead of what the seam promised:
    a function named like a module of its package is replaced by that module once the module
    is imported (`sitegen.commands.build`), so such a name must be offered elsewhere."""
    modules = package.__name__ in MODULE_SEAMS
    return [name for name in package.__all__
            if inspect.ismodule(getattr(package, name)) is not modules]


@pytest.mark.parametrize("package", ["sitegen", *PACKAGES])
def test_no_exported_name_is_shadowed_by_a_module(package: str) -> None:
    """With every module of the package loaded, each name of its seam still gives the thing
    it names (for sitegen.runtime, whose seam is its modules: a module), and `dir()` lists
    exactly the seam besides modules and machinery."""
    module = seam(package)
    submodules(package)
    assert shadowed(module) == []
    public = {name for name in dir(module) if not name.startswith("_")
              and not inspect.ismodule(getattr(module, name)) and name != "TYPE_CHECKING"}
    offered = {name for name in module.__all__ if not name.startswith("_")}  # __version__
    assert public == (set() if package in MODULE_SEAMS else offered)
    assert set(module.__all__) <= set(dir(module))


def test_a_name_shadowed_by_its_module_is_caught(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above fails for a seam offering `build` from a module `build`: the first
    access gives the function and imports the module, which from then on takes its place."""
    package = tmp_path / "shadowdemo"
    package.mkdir()
    (package / "build.py").write_text("def build() -> None:\n    pass\n", encoding="utf-8")
    (package / "__init__.py").write_text(textwrap.dedent("""\
        from sitegen import seams

        __all__ = ["build"]
        __getattr__, __dir__ = seams.lazy(__name__, {"build": "shadowdemo.build"})
        """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        demo = importlib.import_module("shadowdemo")
        assert shadowed(demo) == []
        assert shadowed(demo) == ["build"]
    finally:
        for name in ("shadowdemo", "shadowdemo.build"):
            sys.modules.pop(name, None)


def listings(source: str) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """An `__init__`'s three listings of its seam: `__all__`, the modules its
    `if TYPE_CHECKING:` imports take each name from, and the mapping the interpreter uses."""
    tree = ast.parse(source)
    names: list[str] = []
    typed: dict[str, str] = {}
    mapped: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == "__all__"
                for target in node.targets):
            names = list(ast.literal_eval(node.value))
        elif isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom) and statement.module
                for alias in statement.names:
                    typed[alias.asname or alias.name] = (
                        f"{statement.module}.{alias.name}"
                        if alias.name in tree_modules(statement.module) else statement.module)
        elif isinstance(node, ast.Dict) and node.keys and all(
                isinstance(key, ast.Constant) for key in node.keys):
            mapped = ast.literal_eval(node)
    return names, typed, mapped


def tree_modules(package: str) -> set[str]:
    """The module names directly inside `package`, if it is one."""
    path = getattr(seam(package), "__path__", None)
    return {info.name for info in pkgutil.iter_modules(path)} if path else set()


@pytest.mark.parametrize("package", ["sitegen", *PACKAGES])
def test_the_three_listings_of_a_seam_agree(package: str) -> None:
    """`__all__`, the `TYPE_CHECKING` imports (what mypy and editors see) and the lazy mapping
    (what the interpreter does) name the same things from the same modules, so a move that
    updates one and not the others fails here."""
    init = Path(seam(package).__file__ or "")
    names, typed, mapped = listings(init.read_text(encoding="utf-8"))
    assert sorted(names) == sorted(typed)
    if package in MODULE_SEAMS:
        assert typed == {name: f"{package}.{name}" for name in names}
    else:
        assert typed == mapped


def seam_of(name: str, module: str) -> str | None:
    """The seam that offers what `from MODULE import NAME` imports, if one does: the
    package's, or `sitegen`'s for the public API's names (`build`, `check`, ...)."""
    source = importlib.import_module(module)
    if name in sitegen.__all__ and getattr(sitegen, name) is getattr(source, name, None):
        return "sitegen"
    package = ".".join(module.split(".")[:2])
    if package not in MODULE_SEAMS and name in seam(package).__all__:
        return package
    return None


def private_imports(source: str) -> Iterator[tuple[int, str]]:
    """(line, advice) for each `from sitegen.PACKAGE.MODULE import NAME` in `source` where
    NAME is offered by a seam. Importing a module itself (to patch a name where it is looked
    up) and names no seam offers (a private helper under test) are left alone."""
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.ImportFrom) and node.module
                and node.module.startswith("sitegen.") and node.module.count(".") >= 2):
            for alias in node.names:
                offered = seam_of(alias.name, node.module)
                if offered is not None:
                    yield node.lineno, f"from {offered} import {alias.name}"


def test_tests_import_names_from_the_seams() -> None:
    """No test imports a name from a module path when a seam offers it, so the next move of a
    function changes an `__init__`, not the tests."""
    found = [f"{path.relative_to(ROOT)}:{line}: {advice}"
             for path in sorted(TESTS.glob("*.py"))
             for line, advice in private_imports(path.read_text(encoding="utf-8"))]
    assert found == [], "import from the seam instead:\n" + "\n".join(found)


@pytest.mark.parametrize(("source", "advice"), [
    ("from sitegen.cards.draw import draw_card\n", "from sitegen.cards import draw_card"),
    ("def f():\n    from sitegen.live.session import Outcome\n",
     "from sitegen.live import Outcome"),
    ("from sitegen.commands.build import build\n", "from sitegen import build"),
    ("from sitegen.commands.check import load\n", "from sitegen import load"),
])
def test_the_scan_sees_a_name_imported_past_its_seam(source: str, advice: str) -> None:
    """The scan reads the syntax tree, so an import inside a function is seen too, and a
    public API name is sent to `sitegen`'s seam."""
    assert [found for _, found in private_imports(source)] == [advice]


def test_the_scan_leaves_modules_and_private_names_alone() -> None:
    """A module imported to patch where a name is looked up, a name no seam offers, and the
    runtime's modules (its seam) are no finding."""
    source = ("import sitegen.render.pages\nfrom sitegen.cards import drawers\n"
              "from sitegen.site.links import _best\n"
              "from sitegen.runtime.workers import parallel_map\n"
              "from sitegen.cards import draw_card\nfrom sitegen import build\n")
    assert list(private_imports(source)) == []
