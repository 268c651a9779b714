"""The machinery of speed, the bottom layer: every process, memory and priority trick the
build plays lives here, and nowhere else (tests/test_runtime_seam.py checks it).

- `workers`: a stage's work spread over forked worker processes (`parallel_map`), and how
  many to use;
- `memory`: the heap kept out of the collector's way while forked processes share it,
  given back to the system when a build is done with it, and kept by the card drawers,
  which free and take the same few megabytes for every card;
- `priority`: lower priorities, the idle class, pausing a process group;
- `detached`: a folder removed by a detached process; the preview's background child;
- `children`: a command that stops when the build that started it goes away;
- `parked`: Markdown bodies stored in a file (`StoredBody`, a frozen reference read back
  when shown) for forked renderers.

Domain code calls a named function of these modules; it never forks, renices, freezes the
collector or trims malloc itself. The seam is the modules themselves: `sitegen.runtime.
workers` is loaded when first named, and importing this package imports none of them, nor
sitegen.seams (this package is beside it in the bottom layer, not above it), hence its own
small `__getattr__`. To rename or add a module, edit its line in each of the three lists.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitegen.runtime import (
        children,
        detached,
        memory,
        parked,
        priority,
        workers,
    )

__all__ = [
    "children",
    "detached",
    "memory",
    "parked",
    "priority",
    "workers",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead

    def __getattr__(name: str) -> object:
        """A module of the runtime, imported when first named."""
        if name not in __all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return importlib.import_module(f"{__name__}.{name}")

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
