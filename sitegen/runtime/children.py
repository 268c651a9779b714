"""Child commands that stop when the process that started them goes away.

A build killed with SIGKILL cannot stop its children, and a search indexer left running would
go on writing into a staging folder that the next build has already removed (Pagefind makes
its folders again), and take CPU from the builds after it. So the indexer runs under this
small runner: it starts the command, then reads its own stdin, a pipe whose other end only
the build holds. End of file there means the build finished with the indexer or died; either
way, a command still running is killed. Portable, unlike Linux's parent-death signal, and
needs no preexec_fn, which is unsafe in a program with threads.

It is started once per command, so it must start fast: it needs the standard library only,
and `child_command` runs it as a script without site-packages (`python -I -S children.py`:
22 ms of CPU, where `python -m sitegen.runtime.children` takes 27). Keep it so: no imports from
sitegen or any other package.

    python -I -S path/to/sitegen/runtime/children.py [--nice N] -- COMMAND ...
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Sequence

BACKGROUND_NICENESS = 10
"""How much lower than the build its background processes run (as `nice`): the share-card
drawers and a background search index, work the build needs last or not at all."""


RUNNER = ("-I", "-S", os.path.abspath(__file__))
"""How the runner is run: as a script, isolated (-I: no PYTHON* variables, no current folder
on its path) and without site-packages (-S), which it does not need."""


def child_command(command: Sequence[str], *, background: bool = False) -> list[str]:
    """`command` under the runner, so that it stops when this process goes away; in the
    `background`, `BACKGROUND_NICENESS` lower than this process."""
    nice = ["--nice", str(BACKGROUND_NICENESS)] if background else []
    return [sys.executable, *RUNNER, *nice, "--", *command]


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    niceness = 0
    if args[:1] == ["--nice"]:
        niceness, args = int(args[1]), args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print("usage: children.py [--nice N] -- COMMAND ...", file=sys.stderr)
        return 2
    if niceness:
        with contextlib.suppress(OSError, AttributeError):
            os.nice(niceness)  # before the command starts, so it inherits the priority
    command = subprocess.Popen(args, stdin=subprocess.DEVNULL)
    threading.Thread(target=_kill_when_orphaned, args=(command,), daemon=True).start()
    return command.wait()


def _kill_when_orphaned(command: subprocess.Popen[bytes]) -> None:
    """Wait for end of file on stdin, then kill the command if it is still running."""
    with contextlib.suppress(OSError):
        while os.read(0, 4096):  # unbuffered: no lock is held while the read waits
            pass
    with contextlib.suppress(OSError):
        command.kill()


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if code >= 0 else 128 - code)  # no interpreter shutdown under the reader
