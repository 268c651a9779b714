"""The live-reload events: what one open page is waiting for, and the hub that feeds them all.

Kept apart from the HTTP code because the hub is plain threads and queues: the builder drives
it through PreviewServer.reload() and show_errors(), and each event-stream request drains one
stream, so the rules for bounded queues and build ids stand without any socket.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

QUEUE_LIMIT: Final = 32
"""Events waiting for one stream; a client this far behind is dropped and reconnects."""


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """One server-sent event; `data` is JSON on one line, `id` the build it brings."""

    name: str
    data: str
    id: str | None = None

    def encode(self) -> bytes:
        """Event and data first, so simple readers find the data on the line after the name."""
        lines = [f"event: {self.name}", f"data: {self.data}"]
        if self.id is not None:
            lines.append(f"id: {self.id}")
        return ("\n".join(lines) + "\n\n").encode("utf-8")



# --- the event streams -------------------------------------------------------------------------


class _Stream:
    """The events waiting for one connected page; bounded, so a stalled page cannot hoard them."""

    def __init__(self, initial: Iterable[ServerEvent]) -> None:
        self._ready = threading.Condition()
        self._events: deque[ServerEvent] = deque(initial)
        self._closed = False

    def push(self, event: ServerEvent) -> bool:
        """Queue an event; False (and the stream closed) when the page has fallen too far behind."""
        with self._ready:
            if self._closed:
                return False
            if len(self._events) >= QUEUE_LIMIT:
                self._closed = True
            else:
                self._events.append(event)
            self._ready.notify()
            return not self._closed

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()

    def wait(self, timeout: float) -> list[ServerEvent] | None:
        """Everything queued (possibly nothing, after `timeout`), or None once closed."""
        with self._ready:
            if not self._events and not self._closed:
                self._ready.wait(timeout)
            if self._closed:
                return None
            events = list(self._events)
            self._events.clear()
            return events


class _EventHub:
    """The live-reload state of one server: open streams, the current errors, the build id.

    The build id is '<server>-<number of reloads>'. Pages learn it when served and compare it
    on every (re)connect, which is how they notice rebuilds they missed and server restarts.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: set[_Stream] = set()
        self._server = uuid.uuid4().hex[:8]
        self._reloads = 0
        self._errors: tuple[str, ...] = ()
        self._closed = False

    @property
    def build(self) -> str:
        with self._lock:
            return self._build()

    def _build(self) -> str:
        return f"{self._server}-{self._reloads}"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._streams)

    def connect(self) -> _Stream | None:
        """A new stream that starts with the greeting and the current errors; None once stopped.

        Both are taken under the same lock as broadcasts, so no event falls between them.
        """
        with self._lock:
            if self._closed:
                return None
            hello = json.dumps({"build": self._build(), "errors": bool(self._errors)})
            initial = [ServerEvent("hello", hello, self._build())]
            if self._errors:
                initial.append(ServerEvent("errors", json.dumps(list(self._errors))))
            stream = _Stream(initial)
            self._streams.add(stream)
            return stream

    def disconnect(self, stream: _Stream) -> None:
        stream.close()
        with self._lock:
            self._streams.discard(stream)

    def reload(self, changed: Collection[str] | None) -> None:
        with self._lock:
            self._reloads += 1
            data = "null" if changed is None else json.dumps(sorted(set(changed)))
            self._publish(ServerEvent("reload", data, self._build()))

    def show_errors(self, messages: Sequence[str]) -> None:
        """Broadcast only a change, so the builder may clear after every good build for free."""
        with self._lock:
            if tuple(messages) == self._errors:
                return
            self._errors = tuple(messages)
            self._publish(ServerEvent("errors", json.dumps(list(self._errors))))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            streams, self._streams = self._streams, set()
        for stream in streams:
            stream.close()

    def _publish(self, event: ServerEvent) -> None:
        for stream in list(self._streams):
            if not stream.push(event):
                self._streams.discard(stream)

