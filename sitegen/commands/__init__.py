"""The commands, the top of the pipeline: each runs the stages in order for one CLI command.

`build` and `check` themselves are offered by the `sitegen` package, not here: they share
their names with this package's modules, which would shadow them (tests/test_seams.py). A
newcomer changes a command's order of stages here, and nothing a stage does.
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.commands.build import BuildOptions
    from sitegen.commands.check import BuildResult
    from sitegen.commands.scaffold import ScaffoldError, init_site, new_factcheck, verdicts_toml

__all__ = [
    "BuildOptions", "BuildResult", "ScaffoldError", "init_site", "new_factcheck", "verdicts_toml",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "BuildOptions": "sitegen.commands.build",
        "BuildResult": "sitegen.commands.check",
        "ScaffoldError": "sitegen.commands.scaffold",
        "init_site": "sitegen.commands.scaffold",
        "new_factcheck": "sitegen.commands.scaffold",
        "verdicts_toml": "sitegen.commands.scaffold",
    })
