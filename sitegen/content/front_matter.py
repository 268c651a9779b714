"""Source bytes -> Record: front matter as a tree that remembers the line of every value.

python-frontmatter finds the front matter; PyYAML's composer (libyaml's when present) parses it
into nodes, which we turn into our own small tree instead of Python objects. That way nothing
is constructed from YAML tags (safe by construction), a bad date on one line does not hide every
other field, and each field keeps the text the writer typed, so `verdict: false` is the verdict
"false" and not a boolean.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Protocol

import frontmatter.default_handlers
import yaml

from sitegen.content.files import SourceFile
from sitegen.problems import Problem, error

MAX_NODES = 200_000
MAX_DEPTH = 50
MAX_BODY_CHARS = 1_000_000
"""Python-Markdown needs about 6 s and 100 MB per million characters; no article is longer."""
PRECOUNT_CHARS = 100_000
"""Front matter shorter than this cannot compose into many more than MAX_NODES nodes (each
value takes at least two characters), so only longer front matter is counted before composing."""
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(_CORE + name for name in (
    "str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge", "value"))
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
    close_line: int
    """The line of the front matter's closing '---': where a missing field is reported, as
    the place to add it (a field written empty is reported on its own line)."""


class _RefusedError(Exception):
    """Front matter that is never turned into values: too big, too deep, or tagged."""

    def __init__(self, line: int, message: str, hint: str, *, exact: bool = True) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint
        self.field: str | None = None
        self.exact = exact
        """False when the line is only where counting ran out: the field's line is clearer."""


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
    fm_start = text.index(fm_text, 3) if fm_text else 3
    fm_line = text.count("\n", 0, fm_start) + 1 if fm_text else 2
    close_line = text.count("\n", 0, fm_start + len(fm_text)) + 1
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    meta = parse_front_matter(path, fm_text, fm_line)
    if isinstance(meta, list):
        return meta
    written = body.strip("\n")
    if len(written) > MAX_BODY_CHARS:
        first = body_line + body.count("\n", 0, len(body) - len(body.lstrip("\n")))
        return [error(path, first, "body",
                      f"is {len(written):,} characters long; the limit is {MAX_BODY_CHARS:,}",
                      "split it into several articles, or link to long documents instead of "
                      "pasting them")]
    return Record(path, meta, body, body_line, close_line)


def parse_front_matter(path: str, text: str, first_line: int) -> Map | list[Problem]:
    """YAML text -> Map, with lines counted from `first_line` of the file."""
    lines = _LineMap.of(text, first_line)
    top = first_line + text.count("\n", 0, len(text) - len(text.lstrip()))
    try:
        overflow = _overflow(text, lines, top) if len(text) > PRECOUNT_CHARS else None
        if overflow is not None:
            return [error(path, overflow[1], overflow[0], f"front matter has more than "
                          f"{MAX_NODES:,} values, the limit", "front matter is for short "
                          "fields; put long text in the body")]
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return [_yaml_problem(path, exc, text, lines)]
    except yaml.YAMLError as exc:
        return [error(path, top, None, f"front matter is not valid YAML: {exc}")]
    except RecursionError:  # only PyYAML's pure-Python composer recurses; libyaml stops at 1000
        return [error(path, top, None, "front matter is nested too deeply to read",
                      f"front matter may nest at most {MAX_DEPTH} levels")]
    if root is None:
        return Map(first_line, ())
    try:
        tree = _convert_root(root, lines)
    except _RefusedError as exc:
        return [error(path, exc.line, exc.field, exc.message, exc.hint)]
    if not isinstance(tree, Map):
        return [error(path, tree.line, None, "front matter must be 'field: value' lines",
                      "each line looks like 'title: The claim, checked'")]
    duplicates = _duplicate_keys(path, tree, "")
    return duplicates or tree


def _overflow(text: str, lines: _LineMap, top: int) -> tuple[str | None, int] | None:
    """(top-level field, its line) where the values pass MAX_NODES, counted from the YAML
    event stream so a huge list is refused before it is held in memory; None when within."""
    count, depth, is_key = 0, 0, True
    field: str | None = None
    line = top
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent | yaml.AliasEvent):
            count += 1
            if depth == 1:  # in the top-level mapping, nodes alternate: key, value, key...
                if is_key and isinstance(event, yaml.ScalarEvent) and event.start_mark:
                    field, line = event.value, lines.line(event.start_mark)
                is_key = not is_key
            if count > MAX_NODES:
                return field, line
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


class _Mark(Protocol):
    """A position in YAML text: PyYAML's Mark, or libyaml's (a different class)."""

    @property
    def line(self) -> int: ...

    @property
    def index(self) -> int: ...


class _LineMap:
    """File lines of YAML marks. YAML also breaks lines at NEL, U+2028 and U+2029 (and a lone
    CR), which editors show inside a line; then lines are counted from the mark's index."""

    _YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]|\r(?!\n)")

    def __init__(self, first_line: int, newlines: list[int] | None) -> None:
        self.first_line = first_line
        self.newlines = newlines

    @classmethod
    def of(cls, text: str, first_line: int) -> _LineMap:
        if not cls._YAML_ONLY_BREAK.search(text):
            return cls(first_line, None)
        return cls(first_line, [m.start() for m in re.finditer("\n", text)])

    def line(self, mark: _Mark) -> int:
        if self.newlines is None:
            return mark.line + self.first_line
        return self.first_line + bisect.bisect_left(self.newlines, mark.index)

    def index(self, mark: _Mark) -> int:
        """The mark's line counted from 0 as the editor counts it."""
        return self.line(mark) - self.first_line


def _convert_root(root: yaml.Node, lines: _LineMap) -> Node:
    """The top level, converted field by field, so a refusal names the field it is in."""
    if not isinstance(root, yaml.MappingNode):
        return _convert(root, lines, 0, [0])
    _check_tag(root, lines.line(root.start_mark))
    count = [1]
    entries = []
    for key, value in root.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else "?"
        key_line = lines.line(key.start_mark)
        try:
            entries.append((name, key_line, _convert(value, lines, 1, count)))
        except _RefusedError as exc:
            exc.field = name
            exc.line = exc.line if exc.exact else key_line
            raise
    return Map(lines.line(root.start_mark), tuple(entries))


def _convert(node: yaml.Node, lines: _LineMap, depth: int, count: list[int]) -> Node:
    line = lines.line(node.start_mark)
    count[0] += 1
    if count[0] > MAX_NODES:
        raise _RefusedError(line, f"front matter has more than {MAX_NODES:,} values, the limit",
                            "each use of a YAML '*alias' counts the values it repeats; "
                            "front matter is for short fields", exact=False)
    if depth > MAX_DEPTH:
        raise _RefusedError(line, f"is nested more than {MAX_DEPTH} levels deep, the limit",
                            "front matter is for short fields and simple lists")
    _check_tag(node, line)
    if isinstance(node, yaml.ScalarNode):
        return Scalar(line, node.value, node.tag, node.style not in (None, ""))
    if isinstance(node, yaml.SequenceNode):
        return Seq(line, tuple(_convert(item, lines, depth + 1, count) for item in node.value))
    assert isinstance(node, yaml.MappingNode)
    entries = []
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else "?"
        entries.append((name, lines.line(key.start_mark),
                        _convert(value, lines, depth + 1, count)))
    return Map(line, tuple(entries))


def _check_tag(node: yaml.Node, line: int) -> None:
    """Only YAML's own plain types; a tag such as !!python/object is refused, never built."""
    if node.tag not in ALLOWED_TAGS:
        shown = "!!" + node.tag.removeprefix(_CORE) if node.tag.startswith(_CORE) else node.tag
        raise _RefusedError(line, f"YAML tag '{shown}' is not allowed",
                            "sitegen reads text, lists and fields, and never makes objects "
                            "from tags; remove the tag")


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
    ("exceeded maximum nesting depth", f"front matter may nest at most {MAX_DEPTH} levels"),
    ("invalid Unicode character escape", "a \\u escape must name a character; "
     "\\ud800-\\udfff are halves of a pair, not characters"),
    ("expected <block end>", "check the indentation of this line and the one before"),
)


def _yaml_problem(path: str, exc: yaml.MarkedYAMLError, text: str,
                  line_map: _LineMap) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = line_map.line(mark) if mark else line_map.first_line
    message = " ".join(p for p in (exc.context, exc.problem) if p)
    lines = text.split("\n")
    at = line_map.index(mark) if mark else 0
    source_line = lines[at] if at < len(lines) else ""
    if "\t" in source_line:
        message += " (the line contains a tab)"
    hint = next((h for needle, h in _YAML_HINTS if needle in message), None)
    field = _field_at(lines, at) if mark else None
    return error(path, line, field, f"front matter is not valid YAML: {message}", hint)


_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:\s|$)")


def _field_at(lines: list[str], index: int) -> str | None:
    """The top-level field a syntax error is in: the nearest 'name:' line at or above it."""
    for text in reversed(lines[: index + 1]):
        match = _TOP_LEVEL_KEY.match(text)
        if match:
            return match.group(1)
    return None
