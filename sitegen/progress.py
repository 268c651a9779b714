"""How a long stage reports how far it has come: one callback type every stage can take.

The command line draws a progress bar from it (report.py); the stages that run long (reading
and rendering, over the cores) call it, so it lives at the bottom where both can see it.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total)"""
