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


_VALUE = re.compile(r"^\s*([A-Za-z0-9_\-.\"]+)\s*=\s*(.*?)\s*(#.*)?$")
_STARTS_VALUE = re.compile(r"^(\"|'|\[|\{|[+-]?\d|[+-]?(inf|nan)\b|true\b|false\b)")
_WORDS_FOR_BOOL = {"yes": "true", "no": "false", "on": "true", "off": "false",
                   "True": "true", "False": "false"}


def syntax_hint(text: str, line: int | None, message: str) -> tuple[int | None, str, str | None]:
    """(line, message, hint) for a tomllib syntax error: what is wrong in words a writer
    knows, with the line corrected as it was meant. tomllib says only "Invalid value", and
    places an unclosed string at the end of the document."""
    lines = text.splitlines()
    if line is None and message.startswith("Unterminated string"):
        return (_unclosed_line(lines), "a text value is not closed",
                "end it with a double quote on the same line")
    raw = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    assignment = _VALUE.match(raw)
    if message == "Invalid value" and assignment and assignment.group(2)[:1].isalpha() \
            and not _STARTS_VALUE.match(assignment.group(2)):
        key, value = assignment.group(1), assignment.group(2)
        if value in _WORDS_FOR_BOOL:
            return line, f"'{value}' is not a value TOML knows", \
                f"write true or false: {key} = {_WORDS_FOR_BOOL[value]}"
        return line, f"'{value}' is text without quotes", \
            f"a text value needs quotes: {key} = {_toml_string(value)}"
    if message == "Illegal character '\\n'" and assignment and assignment.group(2).count('"') % 2:
        return line, "a text value is not closed", "end it with a double quote on this line"
    if message.startswith("Expected '=' after a key"):
        shown = re.sub(r"^(\s*[A-Za-z0-9_\-]+)\s*:\s*", r"\1 = ", raw).strip()
        return line, "a setting needs '=' between its name and its value", \
            f"such as: {shown}" if shown != raw.strip() else "write it as name = value"
    if message == "Invalid value":
        return line, "not a value TOML knows", \
            "a value is text in double quotes, a number, true or false, a [list] or a date"
    return line, message, None


def _unclosed_line(lines: list[str]) -> int | None:
    """The first `key = "...` line whose double quotes do not pair up."""
    for number, raw in enumerate(lines, start=1):
        assignment = _VALUE.match(raw)
        if assignment and assignment.group(2).count('"') % 2:
            return number
    return None


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
