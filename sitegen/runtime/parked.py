"""Documents' bodies stored in a file while forked workers render, read back when shown.

Why: rendering in two processes forks the parent with the whole site graph, and a page of
memory that either process writes afterwards (a reference count, an allocation landing in
freed space) becomes two. The bodies are the largest part of that graph (71 MB of text at
10,000 articles, and fragmentation around them), and every article page touches its body,
so a build that rendered every page again (after a config or template edit) peaked at
470 MB over two processes. With the bodies in an unlinked file that each process reads
back (pread, which shares no file position between processes) when a template shows one:
354 MB, at the cost of writing them once (0.3 s).

Nothing is changed in place: a document's `body_html` is a str, and the build hands its
forked renderers a copy of the site whose documents hold a `StoredBody` instead
(output.publish), made before the fork, while the original site, and with it every body's
text, is let go of. Only a one-shot build does this, and only when it renders most of its
pages in more than one process; a watch session keeps its bodies in memory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class BodyStore:
    """An unlinked file of stored bodies (nothing is left behind if the build is killed),
    open for as long as the `with` block that made it. Written and read at offsets (pwrite,
    pread): no buffer a forked worker could inherit, no file position the processes share."""

    def __init__(self, folder: Path) -> None:
        descriptor, name = tempfile.mkstemp(prefix=".sitegen-bodies-", dir=folder)
        os.unlink(name)  # storing needs fork, so a system where an open file can go
        self._descriptor: int | None = descriptor
        self._end = 0

    def put(self, text: str) -> StoredBody:
        """`text` written at the end of the file, and where it was put."""
        data = text.encode("utf-8")
        written = os.pwrite(self._open(), data, self._end)
        if written != len(data):
            raise OSError(f"a body could not be stored ({written} of {len(data)} bytes written)")
        at, self._end = self._end, self._end + len(data)
        return StoredBody(self, at, len(data))

    def read(self, at: int, size: int) -> str:
        data = os.pread(self._open(), size, at)
        if len(data) != size:
            raise OSError(f"a stored body came back short ({len(data)} of {size} bytes)")
        return data.decode("utf-8")

    def _open(self) -> int:
        if self._descriptor is None:
            raise RuntimeError("a stored body was read after its build had ended")
        return self._descriptor

    def close(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def __enter__(self) -> BodyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class StoredBody:
    """Where a body's HTML is in a BodyStore: a value that never changes, read back each
    time it is shown. A template treats it as the str it stands for: `str()` gives the
    text, so `{{ fc.body_html | safe }}` outputs it (escaped without `| safe`, as a str
    would be); it compares (with a str too), hashes and pickles as its text, and answers
    `| truncate`, `| length`, `in`, slices and str's methods (`.split()`, ...) as its text
    does. Its fields start with `_`, so a template finds on it no attribute a str has not."""

    _store: BodyStore
    _at: int
    _size: int
    """In bytes of UTF-8."""

    def _text(self) -> str:
        return self._store.read(self._at, self._size)

    def __str__(self) -> str:
        return self._text()

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, StoredBody | str):
            return self._text() == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._text())

    def __len__(self) -> int:
        return len(self._text())

    def __getitem__(self, key: int | slice) -> str:
        return self._text()[key]

    def __contains__(self, part: str) -> bool:
        return part in self._text()

    def __iter__(self) -> Iterator[str]:
        return iter(self._text())

    def __add__(self, other: str) -> str:
        return self._text() + other

    def __radd__(self, other: str) -> str:
        return other + self._text()

    def __getattr__(self, name: str) -> Any:
        """str's methods (`.split()`, `.startswith()`...), on the text; never a name that
        starts with `_` (the fields are all set, and no template looks for a dunder here)."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._text(), name)

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        """A plain str in another process: the store's descriptor means nothing there."""
        return str, (self._text(),)

    def __repr__(self) -> str:
        text = self._text()
        return f"StoredBody({text[:60]!r}{'...' if len(text) > 60 else ''})"
