"""sitegen: a static site generator for fact-checking newsrooms.

This package is the Python API, for scripts, benchmarks and tests: build a site, check it,
load it, or keep a live session, with the values they take and return. Each name is
imported from its stage's package only when first used, so `import sitegen` (and therefore
`sitegen --version`) loads no stage. Inside sitegen a module imports from the package of a
lower stage (`from sitegen.cards import draw_card`); each package's `__init__` says what its
stage is for and offers its names lazily the same way (sitegen/seams.py).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitegen.commands import BuildOptions, BuildResult
    from sitegen.commands.build import build
    from sitegen.commands.check import check
    from sitegen.config import SiteConfig, load_config
    from sitegen.live import Session
    from sitegen.problems import Problem
    from sitegen.stages import Loaded
    from sitegen.stages.load import load
    from sitegen.version import __version__

__all__ = [
    "BuildOptions", "BuildResult", "Loaded", "Problem", "Session", "SiteConfig", "__version__",
    "build", "check", "load", "load_config",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    _EXPORTS = {
        # Offered here, not by sitegen.commands or sitegen.stages: their modules of these
        # names would shadow them.
        "build": "sitegen.commands.build",
        "check": "sitegen.commands.check",
        "load": "sitegen.stages.load",
        # Through their packages' seams: a move inside a package changes only its __init__.
        "BuildOptions": "sitegen.commands",
        "BuildResult": "sitegen.commands",
        "Loaded": "sitegen.stages",
        "Session": "sitegen.live",
        "SiteConfig": "sitegen.config",
        "load_config": "sitegen.config",
        "Problem": "sitegen.problems",
        "__version__": "sitegen.version",
    }

    def __getattr__(name: str) -> object:
        # sitegen.seams is imported here, on first use, not above: every import of any
        # sitegen module runs this file, and `import sitegen.runtime` must load no other.
        from sitegen.seams import attribute

        return attribute(__name__, _EXPORTS, name)

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
