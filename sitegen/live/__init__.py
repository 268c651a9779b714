"""The live preview and `build --watch`: near the top, above the preview server and the output.

watch turns file events into bursts, session rebuilds only the pages an edit changes,
background and settle_child finish the slow rest in a child once saves pause, and loop runs
it all for `serve`. A newcomer changes which pages a kind of edit renders again in
session.py, and checks it against a clean build (tests/test_incremental.py).
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.live.background import Schedule, Settler
    from sitegen.live.loop import LiveOptions, serve, watch_build
    from sitegen.live.session import Outcome, Session
    from sitegen.live.settle_child import WriteGuard
    from sitegen.live.watch import (
        LONGEST_WAIT_SECONDS,
        QUIET_SECONDS,
        SETTLED_SECONDS,
        Batch,
        Burst,
        Watcher,
    )

__all__ = [
    "LONGEST_WAIT_SECONDS", "QUIET_SECONDS", "SETTLED_SECONDS", "Batch", "Burst", "LiveOptions",
    "Outcome", "Schedule", "Session", "Settler", "Watcher", "WriteGuard", "serve", "watch_build",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "Schedule": "sitegen.live.background",
        "Settler": "sitegen.live.background",
        "LiveOptions": "sitegen.live.loop",
        "serve": "sitegen.live.loop",
        "watch_build": "sitegen.live.loop",
        "Outcome": "sitegen.live.session",
        "Session": "sitegen.live.session",
        "WriteGuard": "sitegen.live.settle_child",
        "Batch": "sitegen.live.watch",
        "Burst": "sitegen.live.watch",
        "LONGEST_WAIT_SECONDS": "sitegen.live.watch",
        "QUIET_SECONDS": "sitegen.live.watch",
        "SETTLED_SECONDS": "sitegen.live.watch",
        "Watcher": "sitegen.live.watch",
    })
