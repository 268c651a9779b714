"""Reading a TOML table against declared options: the machinery behind settings.py's schema.

Each option is declared once (type, default, what it is for, the rule its value must meet), so
validation, defaults and documentation cannot disagree; every problem is collected with the
line it is on, so a config with five mistakes reports five.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sitegen.problems import Problem, choices_hint, error, warning
from sitegen.tomllines import LineKey, line_of

Check = Callable[[Any], str | None]


@dataclass(frozen=True, slots=True)
class Option:
    """One declared setting: its type, default and the rule its value must meet."""

    type: type
    default: Any
    doc: str
    check: Check | None = None
    required: bool = False


@dataclass(frozen=True, slots=True)
class Reader:
    """Carries what every check needs to report a located problem."""

    path: str
    lines: dict[LineKey, int]

    def problem(self, key: LineKey, message: str, hint: str | None = None) -> Problem:
        field = ".".join(str(k) if isinstance(k, str) else f"[{k + 1}]" for k in key)
        return error(self.path, line_of(self.lines, key), field.replace(".[", "["), message, hint)

    def warning(self, key: LineKey, message: str, hint: str | None = None) -> Problem:
        found = self.problem(key, message, hint)
        return warning(found.path, found.line, found.field, found.message, found.hint)


def read_table(
    reader: Reader,
    key: LineKey,
    table: Any,
    options: Mapping[str, Option],
    problems: list[Problem],
    homes: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Values for every option of one table: given ones checked, missing ones defaulted.
    `homes` names the table each setting of the other tables belongs in, so a setting
    written under the wrong heading is told where it goes, not that it does not exist."""
    if not isinstance(table, dict):
        problems.append(reader.problem(key, "must be a table", f"write it as [{key[0]}]"))
        return {}
    for name in table:
        if name not in options:
            home = homes.get(name) if homes else None
            problems.append(
                reader.problem((*key, name), f"not a setting of [{key[0]}]", move_hint(name, home))
                if home else
                reader.problem((*key, name), "unknown setting", choices_hint(name, options)))
    values: dict[str, Any] = {}
    for name, option in options.items():
        if name not in table:
            if option.required:
                problems.append(reader.problem(key, f"'{name}' is required", option.doc))
            values[name] = option.default
            continue
        value = table[name]
        message = _type_problem(value, option) or (option.check(value) if option.check else None)
        if message:
            problems.append(reader.problem((*key, name), message))
        values[name] = value
    return values


def move_hint(name: str, home: str) -> str:
    """Where a setting written in the wrong place goes."""
    return f"'{name}' is a setting of [{home}]: move it under that heading"


def _type_problem(value: Any, option: Option) -> str | None:
    if option.type is int and (isinstance(value, bool) or not isinstance(value, int)):
        return f"must be a whole number, not {_describe(value)}"
    if option.type is float and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"must be a number, not {_describe(value)}"
    if option.type is bool and not isinstance(value, bool):
        return f"must be true or false, not {_describe(value)}"
    if option.type is dict and not isinstance(value, dict):
        return "must be a table"
    if option.type is str and not isinstance(value, str):
        return f"must be text in quotes, not {_describe(value)}"
    return None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    return f"{type(value).__name__} ({value!r})"
