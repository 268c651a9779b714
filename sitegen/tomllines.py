"""Line numbers for keys in a TOML file, which `tomllib` does not report.

Config errors must name the line in sitegen.toml. A light scan of table headers and `key =`
lines finds it for every config written the usual way; anything it cannot place (inline tables,
dotted keys) falls back to the line of its table header, which is still the right neighbourhood.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")

LineKey = tuple[str | int, ...]


def key_lines(text: str) -> dict[LineKey, int]:
    """Map ('site', 'title') or ('verdicts', 0, 'id') to the 1-based line where it is written."""
    lines: dict[LineKey, int] = {}
    table: LineKey = ()
    array_counts: dict[str, int] = {}
    in_multiline: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if raw.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(raw)
        if header:
            name = header.group(2).replace('"', "").strip()
            parts: tuple[str | int, ...] = tuple(p.strip() for p in name.split("."))
            if header.group(1) == "[[":
                index = array_counts.get(name, 0)
                array_counts[name] = index + 1
                parts = (*parts, index)
            table = parts
            lines.setdefault(table, number)
            continue
        key = _KEY.match(raw)
        if key:
            lines.setdefault((*table, key.group(1).strip('"')), number)
            for quote in ('"""', "'''"):
                if raw.count(quote) % 2 == 1:
                    in_multiline = quote
    return lines


def line_of(lines: dict[LineKey, int], key: LineKey) -> int | None:
    """The line of `key`, or of the nearest enclosing table that was found."""
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return None
