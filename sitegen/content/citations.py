"""The fact-check's side of citations: source ids checked, and the body's citations resolved
against its sources, each unknown one an error on the body line that writes it.

markup/citations.py makes and links the markers; this module knows the front matter (which
keys a source answers to) and the file (where the writer typed a citation).
"""

from __future__ import annotations

import re
from dataclasses import replace

from sitegen.content.fields import Checker
from sitegen.content.front_matter import Node, Record
from sitegen.markup.citations import Resolved, resolve
from sitegen.models import Source
from sitegen.problems import did_you_mean

_ID = re.compile(r"^\w[\w.:-]*$")
"""A source id: what Pandoc's citation keys allow, less the punctuation that would need
escaping in an HTML id or a URL."""


def source_id(checker: Checker, node: Node, label: str) -> str | None:
    """An `id:` a body can cite as `[@id]`: letters, digits, `_`, `-`, `.`, `:`, and not a
    number, which `[@2]` already means (the second source)."""
    value = checker.text(node, label)
    if value is None:
        return None
    if not _ID.match(value) or value.isdigit():
        meant = re.sub(r"[^\w.:-]+", "-", value).strip("-.:") or "source"
        checker.fail(node.line, label, f"'{value}' cannot be cited as [@{value}]",
                     "use letters, digits, '-', '_', '.' or ':', and not a number alone "
                     f"(numbers cite sources by place: [@2]), such as 'id: {meant}'"
                     if not meant.isdigit() else "use a name such as 'id: tass'")
        return None
    return value


def check_unique_ids(checker: Checker, sources: list[tuple[Source, int, str]]) -> None:
    """Two sources with one id: the body's `[@id]` could mean either. Each entry: the
    source, the line of its id, its label (`sources[2]`)."""
    first: dict[str, tuple[str, int]] = {}
    for source, line, label in sources:
        if source.id is None:
            continue
        if source.id in first:
            earlier, earlier_line = first[source.id]
            checker.fail(line, f"{label}.id",
                         f"'{source.id}' is already the id of {earlier} (line {earlier_line})",
                         "give each source its own id")
        else:
            first[source.id] = (label, line)


def cite(record: Record, body: str, sources: tuple[Source, ...],
         checker: Checker) -> tuple[str, tuple[Source, ...]]:
    """The body with its citations linked, and the sources knowing how often they are cited
    (the list links back to each citation); a citation of no source is an error."""
    numbers = {str(number): number for number in range(1, len(sources) + 1)}
    numbers.update({s.id: number for number, s in enumerate(sources, start=1) if s.id})
    resolved = resolve(body, numbers)
    for key in dict.fromkeys(resolved.unknown):
        _unknown(record, key, numbers, len(sources), checker)
    if not resolved.cited:
        return resolved.html, sources
    return resolved.html, _counted(sources, resolved)


def _counted(sources: tuple[Source, ...], resolved: Resolved) -> tuple[Source, ...]:
    return tuple(replace(source, citations=resolved.cited.get(number, 0))
                 for number, source in enumerate(sources, start=1))


def _unknown(record: Record, key: str, numbers: dict[str, int], count: int,
             checker: Checker) -> None:
    line = citation_line(record, key)
    there = (f"this fact-check has {count} source{'s' if count != 1 else ''}" if count
             else "this fact-check has no sources")
    ids = [k for k in numbers if not k.isdigit()]
    guess = did_you_mean(key, ids) if not key.isdigit() else None
    if guess:
        hint = f"did you mean [@{guess}]? {there}"
    elif count:
        hint = (f"{there}: cite one by its place, [@1] to [@{count}]"
                + (f", or by its id: {', '.join('@' + i for i in ids[:10])}"
                   f"{', ...' if len(ids) > 10 else ''}" if ids else ""))
    else:
        hint = f"{there}: add it under 'sources:' (with 'id: {key}' to cite it by name)" \
            if not key.isdigit() else f"{there}: add the source under 'sources:'"
    checker.fail(line, "body", f"[@{key}] cites no source", hint)


def citation_line(record: Record, key: str) -> int:
    """The line of the body where `[@key]` (or `; @key` in a bracket) is first written."""
    written = re.compile(r"\[[^\]\n]*@" + re.escape(key) + r"(?=[\s;\]])")
    for offset, line in enumerate(record.body.split("\n")):
        if written.search(line):
            return record.body_line + offset
    return record.body_line
