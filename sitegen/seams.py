"""A package's seam, loaded lazily: the names a package offers the rest of sitegen and the
tests, each imported from its module only when first asked for (PEP 562).

Why lazily: `sitegen check` must start without Pillow or the card modules
(tests/test_startup.py), yet `from sitegen.cards import draw_card` must work wherever cards
are drawn. An `__init__` that imported its modules would load every stage for any import
of one of them; this one loads nothing until a name is used.

Why a seam at all: callers and tests name `sitegen.cards.draw_card`, not the module it
lives in today, so moving a function between modules changes one line of its package's
`__init__` instead of every import of it. Each `__init__` lists its names three times, each
for a reader: `__all__` (people, `import *`), the `TYPE_CHECKING` imports (mypy and
editors), and the mapping given here (the interpreter); tests/test_seams.py checks that the
three agree. This module sits in the bottom layer and imports no part of sitegen.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy(package: str, exports: Mapping[str, str]
         ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of `package`, whose name N is `exports[N]`'s N."""

    def get(name: str) -> object:
        return attribute(package, exports, name)

    def listing() -> list[str]:
        return sorted({*vars(sys.modules[package]), *exports})

    return get, listing


def attribute(package: str, exports: Mapping[str, str], name: str) -> object:
    """`package`'s `name`: the attribute of that name of the module `exports[name]`.

    A value is read from its module at every access, never copied into the package, so a
    test that patches the module where a name is defined is seen through the seam too. A
    name that is not exported raises AttributeError, which is also how `from package import
    submodule` still finds a submodule of the same package.
    """
    module = exports.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
