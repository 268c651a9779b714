"""A fact-check's verdicts through its git history, for `sitegen history` and `check --history`.

The one place git runs (git.py), kept out of every other command: a build never needs git,
and a check loads this package only when asked for history (tests/test_startup.py).
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.history.verdicts import history_command, site_history_problems

__all__ = [
    "history_command", "site_history_problems",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "history_command": "sitegen.history.verdicts",
        "site_history_problems": "sitegen.history.verdicts",
    })
