"""A document's body HTML: held in memory, or parked in a file while forked workers render.

Why parking: rendering in two processes forks the parent with the whole site graph, and a
page of memory that either process writes afterwards (a reference count, an allocation
landing in freed space) becomes two. The bodies are the largest part of that graph (71 MB
of text at 10,000 articles, and fragmentation around them), and every article page touches
its body, so a build that rendered every page again (after a config or template edit)
peaked at 470 MB over two processes. Parked, the bodies are bytes in an unlinked file that
each process reads back (pread, which shares no file position between processes) when a
template shows one: 354 MB, at the cost of writing them once (0.3 s).

Only a one-shot build parks, and only when it renders most of its pages in more than one
process (output.publish.PARK_SHARE); a watch session keeps its bodies in memory, since it compares
documents between rebuilds.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


class Body:
    """The HTML of a document's Markdown body. It compares, hashes and pickles as its text,
    and `str()` gives the text, so templates output it as before: `{{ fc.body_html | safe }}`
    (without `| safe` it is escaped, as a string would be). A newsroom's templates may have
    treated it as the string it was (`| truncate`, `| length`, `in`, slices, `.split()`), so
    it answers those as its text does."""

    __slots__ = ("_at", "_size", "_store", "_text")

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._store: BodyStore | None = None
        self._at = self._size = 0

    @property
    def text(self) -> str:
        if self._text is not None:
            return self._text
        assert self._store is not None  # a Body holds its text or its place in a store
        return self._store.read(self._at, self._size)

    @property
    def parked(self) -> bool:
        return self._text is None

    def park(self, store: BodyStore) -> None:
        """Write the text to `store` and let go of it."""
        if self._text is not None:
            self._at, self._size = store.write(self._text)
            self._store, self._text = store, None

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Body):
            return NotImplemented
        return self is other or self.text == other.text

    def __hash__(self) -> int:
        return hash(self.text)

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, key: int | slice) -> str:
        return self.text[key]

    def __contains__(self, part: str) -> bool:
        return part in self.text

    def __iter__(self) -> Iterator[str]:
        return iter(self.text)

    def __add__(self, other: str) -> str:
        return self.text + other

    def __radd__(self, other: str) -> str:
        return other + self.text

    def __getattr__(self, name: str) -> Any:
        """str's methods (`.split()`, `.startswith()`...), on the text; never its own
        attributes, which are all set (a half-made Body must not recurse here)."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.text, name)

    def __reduce__(self) -> tuple[type[Body], tuple[str]]:
        return Body, (self.text,)

    def __repr__(self) -> str:
        return f"Body({self.text[:60]!r}{'...' if len(self.text) > 60 else ''})"


class BodyStore:
    """An unlinked file of parked bodies (nothing is left behind if the build is killed),
    open for as long as the `with` block that made it. Written and read at offsets (pwrite,
    pread): no buffer a forked worker could inherit, no file position the processes share."""

    def __init__(self, folder: Path) -> None:
        descriptor, name = tempfile.mkstemp(prefix=".sitegen-bodies-", dir=folder)
        os.unlink(name)  # parking needs fork, so a system where an open file can go
        self._descriptor: int | None = descriptor
        self._end = 0

    def write(self, text: str) -> tuple[int, int]:
        """Where `text` was put: its offset and its length in bytes."""
        data = text.encode("utf-8")
        written = os.pwrite(self._open(), data, self._end)
        if written != len(data):
            raise OSError(f"a body could not be parked ({written} of {len(data)} bytes written)")
        at, self._end = self._end, self._end + len(data)
        return at, len(data)

    def read(self, at: int, size: int) -> str:
        data = os.pread(self._open(), size, at)
        if len(data) != size:
            raise OSError(f"a parked body came back short ({len(data)} of {size} bytes)")
        return data.decode("utf-8")

    def _open(self) -> int:
        if self._descriptor is None:
            raise RuntimeError("a parked body was read after its build had ended")
        return self._descriptor

    def close(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def __enter__(self) -> BodyStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def park_all(bodies: Iterable[Body], store: BodyStore) -> None:
    """Park every body in `store`; the texts go once nothing else holds them."""
    for body in bodies:
        body.park(store)
