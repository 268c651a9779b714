"""What each content file became, kept between builds: a warm build reads no YAML again.

Parsing and checking front matter is most of what a build of an unchanged archive costs
(about half a millisecond a file: five seconds at 10,000 articles). `.sitegen-cache/
documents.bin` keeps, for every content file, its document and every problem found in it,
under a digest of the file's path and bytes. The header is a digest of everything else that
decides what a file becomes: sitegen's own code, the Markdown renderer, the config file. A
file with another header is thrown away whole, so a cached result is exactly what reading
the file again would give, warnings included: a cache never hides an error.

Like the Markdown cache, the file holds data only (JSON, read with a fixed set of model
classes; never pickles, which would run code from a cache restored from elsewhere), is checked
end to end with a digest, and at worst is discarded with a notice. A body is stored as the
Markdown cache's key when the document's HTML is exactly that cache's entry (raw HTML allowed,
the default), so the two caches do not hold the same HTML twice.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sitegen.cache.bodies import RENDERER
from sitegen.cache.folder import DOCUMENTS_FILE, stamp
from sitegen.cache.segments import Stored, load_entries, save_entries
from sitegen.models import Document, FactCheck, Media, Page, Source, Update
from sitegen.problems import Problem, Severity
from sitegen.version import __version__

MAGIC = stamp("documents", 2)
_CLASSES: dict[str, type[Any]] = {
    cls.__name__: cls for cls in (FactCheck, Page, Source, Update, Media, Problem)}
_FIELDS = {name: tuple(f.name for f in fields(cls)) for name, cls in _CLASSES.items()}


@dataclass(frozen=True, slots=True)
class Known:
    """One content file as an earlier build read it."""

    document: Document | None
    problems: tuple[Problem, ...]
    bodies: tuple[bytes, ...]
    """The Markdown cache keys of the bodies it converted (kept in that cache with it)."""
    shape: str = ""
    """A digest of the document's values but its body (shape_of): what whole-site files
    (sitemap, claims exports) are made of, so an edit to a body alone leaves them as they
    are. Computed where the file is parsed and kept here, so a warm build never walks ten
    thousand documents to compute it."""


def header(config_bytes: bytes) -> bytes:
    """What decides what a file becomes besides its path and bytes."""
    hasher = hashlib.blake2b(f"sitegen {__version__}\n".encode(), digest_size=16)
    hasher.update(RENDERER)
    hasher.update(config_bytes)
    hasher.update(_code_digest())
    return hasher.hexdigest().encode() + b"\n"


@functools.cache
def _code_digest() -> bytes:
    """sitegen's own code, read once per process (a build asks when loading and saving)."""
    hasher = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent.parent
    for module in sorted(package.rglob("*.py")):
        name = module.relative_to(package).as_posix()
        hasher.update(name.encode() + b"\0" + module.read_bytes())
    return hasher.digest()


def entry_key(path: str, digest: str) -> bytes:
    return hashlib.blake2b(f"{path}\0{digest}".encode(), digest_size=16).digest()


def load_document_cache(root: Path, config_bytes: bytes) -> tuple[Stored, list[Problem]]:
    """The cache's entries; none, without a notice, when the config or sitegen changed since
    it was saved (the usual reason to read every file again), with one when it is damaged."""
    return load_entries(root, DOCUMENTS_FILE, MAGIC, header(config_bytes), None)


def save_document_cache(root: Path, config_bytes: bytes, entries: Mapping[bytes, str],
                        stored: Stored | None = None) -> list[Problem]:
    """`entries` into the cache; `stored` is the file as loaded, to append to."""
    return save_entries(root, DOCUMENTS_FILE, MAGIC, header(config_bytes), entries,
                        "the next build reads every file again", stored)


def shape_of(document: Document | None) -> str:
    """A digest of every value of `document` but its body and line numbers."""
    if document is None:
        return ""
    name = type(document).__name__
    values = [_encode(getattr(document, field)) for field in _FIELDS[name]
              if field not in _NOT_SHAPE]
    text = json.dumps([name, values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


_NOT_SHAPE = frozenset({"body_html", "lines"})


def encode(known: Known, bodies: Mapping[bytes, str]) -> str:
    """One file's result as JSON text; its body by reference when `bodies` (this build's
    Markdown cache) holds exactly that HTML."""
    document: Any = None
    if known.document is not None:
        body = str(known.document.body_html)  # a str: parsed, never stored
        shared = next((key for key in known.bodies if bodies.get(key) == body), None)
        name = type(known.document).__name__
        values = [_encode_body(body, shared) if field == "body_html"
                  else _encode(getattr(known.document, field)) for field in _FIELDS[name]]
        document = ["C", name, values]
    return json.dumps([document, [_encode(p) for p in known.problems],
                       [key.hex() for key in known.bodies],
                       known.shape or shape_of(known.document)], ensure_ascii=False,
                      separators=(",", ":"))


def _encode_body(body: str, shared: bytes | None) -> Any:
    """The body itself, or a reference to the Markdown cache's copy of it."""
    return body if shared is None else ["B", shared.hex()]


def find(entries: Mapping[bytes, str], key: bytes, bodies: Mapping[bytes, str]
         ) -> Known | None:
    """The result kept under `key` (entry_key), when there is one this build can use."""
    text = entries.get(key)
    return decode(text, bodies) if text is not None else None


def decode(text: str, bodies: Mapping[bytes, str]) -> Known | None:
    """The result `encode` made, or None when it cannot be used (a body it refers to is no
    longer in the Markdown cache, or the entry is not one this code writes)."""
    try:
        document, problems, keys, shape = json.loads(text)
        body_keys = tuple(bytes.fromhex(key) for key in keys)
        if document is not None:
            _, name, values = document
            at = _FIELDS[name].index("body_html")
            if isinstance(values[at], list):
                shared = bodies.get(bytes.fromhex(values[at][1]))
                if shared is None:
                    return None
                values[at] = shared
            if not isinstance(values[at], str):
                return None
            document = _build(name, values)
        found = tuple(_decode(problem) for problem in problems)
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    if not all(isinstance(problem, Problem) for problem in found) or not (
            document is None or isinstance(document, (FactCheck, Page))) or not isinstance(
            shape, str):
        return None
    return Known(document, found, body_keys, shape)


def _encode(value: Any) -> Any:
    """JSON for the values models hold; everything but a str, number, bool or None is a list
    that starts with a tag, so the decoder never guesses."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dt.datetime):
        return ["DT", value.isoformat()]
    if isinstance(value, dt.date):
        return ["D", value.isoformat()]
    if isinstance(value, Severity):
        return ["S", value.value]
    if isinstance(value, tuple):
        return ["T", *(_encode(item) for item in value)]
    if isinstance(value, list):
        return ["L", *(_encode(item) for item in value)]
    if isinstance(value, Mapping):
        tag = "P" if isinstance(value, MappingProxyType) else "M"
        return [tag, *([_encode(k), _encode(v)] for k, v in value.items())]
    name = type(value).__name__
    if _CLASSES.get(name) is type(value):
        return ["C", name, [_encode(getattr(value, field)) for field in _FIELDS[name]]]
    raise TypeError(f"cannot keep a {name} in the documents cache")


def _decode(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    tag, rest = value[0], value[1:]
    return _DECODERS[tag](rest)


def _build(name: str, values: list[Any]) -> Any:
    """A model from its fields' values in declaration order (the header changes with the
    code, so the order is always this code's)."""
    cls = _CLASSES[name]
    if len(values) != len(_FIELDS[name]):
        raise IndexError(name)
    return cls(*[x if type(x) is not list else _decode(x) for x in values])


def _pairs(rest: Sequence[Any]) -> dict[Any, Any]:
    return {k if type(k) is not list else _decode(k): v if type(v) is not list else _decode(v)
            for k, v in rest}


_DECODERS: dict[str, Callable[[list[Any]], Any]] = {
    "DT": lambda rest: dt.datetime.fromisoformat(rest[0]),
    "D": lambda rest: dt.date.fromisoformat(rest[0]),
    "S": lambda rest: Severity(rest[0]),
    "T": lambda rest: tuple([x if type(x) is not list else _decode(x) for x in rest]),
    "L": lambda rest: [x if type(x) is not list else _decode(x) for x in rest],
    "M": _pairs,
    "P": lambda rest: MappingProxyType(_pairs(rest)),
    "C": lambda rest: _build(rest[0], rest[1]),
}
"""Items are decoded only when they are lists (tagged): most are plain strings and numbers,
and a call for each cost a third of a warm build's reading."""
