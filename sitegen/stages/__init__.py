"""The build's stages, in the order they run, shared by `sitegen build` (commands/build.py, a
short script of them) and a watch session's full build (live/session.py):

    load -> save caches -> plan -> cards -> publish (render, search, put in place) -> record

`load` (stages/load.py) is all `sitegen check` needs; the writing stages (stages/write.py)
bring in the output folder, the search indexer and the card drawers, so nothing here is
imported until asked for. `load` itself is offered by the `sitegen` package: this package's
module of that name would shadow it. A newcomer adds a stage here, and changes what a stage
does in the package of its work (content/, site/, output/...).
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.stages.load import Loaded, graph, open_caches
    from sitegen.stages.write import (
        Cards,
        Published,
        cards,
        locate,
        plan,
        publish,
        record,
        save_caches,
    )

__all__ = [
    "Cards", "Loaded", "Published", "cards", "graph", "locate", "open_caches", "plan",
    "publish", "record", "save_caches",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "Loaded": "sitegen.stages.load",
        "graph": "sitegen.stages.load",
        "open_caches": "sitegen.stages.load",
        "Cards": "sitegen.stages.write",
        "Published": "sitegen.stages.write",
        "cards": "sitegen.stages.write",
        "locate": "sitegen.stages.write",
        "plan": "sitegen.stages.write",
        "publish": "sitegen.stages.write",
        "record": "sitegen.stages.write",
        "save_caches": "sitegen.stages.write",
    })
