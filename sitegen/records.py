"""Source bytes -> Record: front matter as a tree that remembers the line of every value.

python-frontmatter finds the front matter; PyYAML's composer (libyaml's when present) parses it
into nodes, which we turn into our own small tree instead of Python objects. That way nothing
is constructed from YAML tags (safe by construction), a bad date on one line does not hide every
other field, and each field keeps the text the writer typed, so `verdict: false` is the verdict
"false" and not a boolean.
"""

from __future__ import annotations

from dataclasses import dataclass

import frontmatter.default_handlers
import yaml

from .problems import Problem, error
from .sources import SourceFile

MAX_NODES = 200_000
MAX_DEPTH = 50
_HANDLER = frontmatter.default_handlers.YAMLHandler()
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True, slots=True)
class Scalar:
    """A single YAML value as written; `quoted` is False for plain (unquoted) scalars."""

    line: int
    text: str
    tag: str
    quoted: bool

    @property
    def is_null(self) -> bool:
        return self.tag == NULL_TAG and not self.quoted


@dataclass(frozen=True, slots=True)
class Seq:
    line: int
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Map:
    """A mapping whose entries keep their order and the line of each key."""

    line: int
    entries: tuple[tuple[str, int, Node], ...]

    def get(self, key: str) -> Node | None:
        for name, _, value in self.entries:
            if name == key:
                return value
        return None


Node = Scalar | Seq | Map


@dataclass(frozen=True, slots=True)
class Record:
    """A content file split into front matter and body, not yet checked against the model."""

    path: str
    meta: Map
    body: str
    body_line: int


class _TooLargeError(Exception):
    pass


def read_record(source: SourceFile) -> Record | list[Problem]:
    """Split and parse one file; every way it can fail is a located Problem."""
    path = source.path
    try:
        text = source.data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = source.data[: exc.start].count(b"\n") + 1
        return [error(path, line, None, f"is not UTF-8 text (byte 0x{source.data[exc.start]:02x})",
                      "save the file as UTF-8 in your editor")]
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return [error(path, None, None, "is empty",
                      "a fact-check starts with front matter between two '---' lines")]
    if not _HANDLER.detect(text):
        return [error(path, 1, None, "has no front matter",
                      "did you forget to start the file with a '---' line?")]
    try:
        fm_text, body = _HANDLER.split(text)
    except ValueError:
        return [error(path, 1, None, "front matter is never closed",
                      "add a '---' line after the last field")]
    fm_line = text.count("\n", 0, text.index(fm_text, 3)) + 1 if fm_text else 2
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    meta = parse_front_matter(path, fm_text, fm_line)
    if isinstance(meta, list):
        return meta
    return Record(path, meta, body, body_line)


def parse_front_matter(path: str, text: str, first_line: int) -> Map | list[Problem]:
    """YAML text -> Map, with lines counted from `first_line` of the file."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return [_yaml_problem(path, exc, text, first_line)]
    except yaml.YAMLError as exc:
        return [error(path, first_line, None, f"front matter is not valid YAML: {exc}")]
    if root is None:
        return Map(first_line, ())
    try:
        tree = _convert(root, first_line, 0, [0])
    except _TooLargeError as exc:
        return [error(path, first_line, None, str(exc),
                      "front matter is for short fields; put long text in the body")]
    if not isinstance(tree, Map):
        return [error(path, tree.line, None, "front matter must be 'field: value' lines",
                      "each line looks like 'title: The claim, checked'")]
    duplicates = _duplicate_keys(path, tree, "")
    return duplicates or tree


def _convert(node: yaml.Node, offset: int, depth: int, count: list[int]) -> Node:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise _TooLargeError(f"front matter has more than {MAX_NODES:,} values")
    if depth > MAX_DEPTH:
        raise _TooLargeError(f"front matter is nested more than {MAX_DEPTH} levels deep")
    line = node.start_mark.line + offset
    if isinstance(node, yaml.ScalarNode):
        return Scalar(line, node.value, node.tag, node.style not in (None, ""))
    if isinstance(node, yaml.SequenceNode):
        return Seq(line, tuple(_convert(item, offset, depth + 1, count) for item in node.value))
    assert isinstance(node, yaml.MappingNode)
    entries = []
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else "?"
        entries.append((name, key.start_mark.line + offset,
                        _convert(value, offset, depth + 1, count)))
    return Map(line, tuple(entries))


def _duplicate_keys(path: str, node: Node, prefix: str) -> list[Problem]:
    """A key written twice anywhere: YAML keeps the last silently, and the writer meant one."""
    problems = []
    if isinstance(node, Seq):
        for index, item in enumerate(node.items, start=1):
            problems += _duplicate_keys(path, item, f"{prefix}[{index}]")
    elif isinstance(node, Map):
        first: dict[str, int] = {}
        for name, line, value in node.entries:
            field = f"{prefix}.{name}" if prefix else name
            if name in first:
                problems.append(error(path, line, field,
                                      f"is written twice (first on line {first[name]})",
                                      "keep one of them; YAML would silently use the last"))
            first.setdefault(name, line)
            problems += _duplicate_keys(path, value, field)
    return problems


_YAML_HINTS = (
    ("tab", "indent with spaces; YAML does not allow tabs"),
    ("mapping values are not allowed", "put a value that contains ': ' in double quotes"),
    ("could not find expected ':'", "each field is 'name: value'; is a colon missing?"),
    ("found undefined alias", "an '*' at the start of a value must be quoted"),
    ("expected <block end>", "check the indentation of this line and the one before"),
)


def _yaml_problem(path: str, exc: yaml.MarkedYAMLError, text: str, offset: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + offset if mark else offset
    message = " ".join(p for p in (exc.context, exc.problem) if p)
    lines = text.splitlines()
    source_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in source_line:
        message += " (the line contains a tab)"
    hint = next((h for needle, h in _YAML_HINTS if needle in message), None)
    return error(path, line, None, f"front matter is not valid YAML: {message}", hint)
