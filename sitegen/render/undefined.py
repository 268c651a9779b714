"""A template's typos: every undefined name or attribute of a page, at its template line, with
a "did you mean", as for content.

Jinja's StrictUndefined stops a page at the first one with "'sitegen.config.settings.SiteSettings
object' has no attribute 'titel'": a Python class name, and one typo per run. Here an
undefined value used while a page renders is recorded where it was used (the template file
and line, found from the frame Jinja compiled it into) and stands in as an empty value, so the
page goes on rendering and every typo is reported in one run; the page itself is never kept.
Outside `collecting()` it raises, as StrictUndefined does.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import FrameType
from typing import Any, NoReturn

import jinja2
from jinja2.utils import missing

from sitegen.problems import did_you_mean

SHOWN_NAMES = 12
"""Names listed when no close one is found: enough to see what is there, short enough to read."""


@dataclass(frozen=True, slots=True)
class Typo:
    """One use of an undefined value: where (template file, line) and what was wrong."""

    filename: str
    line: int | None
    message: str
    hint: str | None


_found: ContextVar[list[Typo] | None] = ContextVar("sitegen_template_typos", default=None)


@contextmanager
def collecting() -> Iterator[list[Typo]]:
    """Record undefined values used while rendering, instead of stopping at the first."""
    typos: list[Typo] = []
    token = _found.set(typos)
    try:
        yield typos
    finally:
        _found.reset(token)


class SiteUndefined(jinja2.Undefined):
    """As strict as StrictUndefined (any use but `is defined` and `default` is an error),
    naming what was meant; inside `collecting()` it records each use and renders as nothing
    (empty text, false, no items) so the page can go on."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> NoReturn:
        message, hint = self._explained(_template_frame(sys._getframe(1)))
        raise self._undefined_exception(f"{message} ({hint})" if hint else message)

    def _use(self) -> None:
        typos = _found.get()
        if typos is None:
            self._fail_with_undefined_error()
        frame = _template_frame(sys._getframe(1))
        message, hint = self._explained(frame)
        filename, line = _location(frame)
        typo = Typo(filename, line, _named(message, frame, line, self._undefined_name), hint)
        if typo not in typos:
            typos.append(typo)

    def _explained(self, frame: FrameType | None) -> tuple[str, str | None]:
        name = str(self._undefined_name)
        if self._undefined_hint:
            return self._undefined_hint, None
        if self._undefined_obj is missing:
            context = frame.f_locals.get("context") if frame is not None else None
            known = list(context.get_all()) if isinstance(context, jinja2.runtime.Context) \
                else []
            guess = did_you_mean(name, known)
            return f"'{name}' is undefined", f"did you mean '{guess}'?" if guess else None
        return f"{_kind(self._undefined_obj)} has no attribute '{name}'", \
            _names_hint(name, _names_of(self._undefined_obj))

    def __str__(self) -> str:
        self._use()
        return ""

    def __bool__(self) -> bool:
        self._use()
        return False

    def __iter__(self) -> Iterator[Any]:
        self._use()
        return iter(())

    def __len__(self) -> int:
        self._use()
        return 0

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        self._use()
        return self

    def __getitem__(self, key: Any) -> Any:
        self._use()
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._use()
        return self

    def __eq__(self, other: object) -> bool:
        self._use()
        return False

    def __ne__(self, other: object) -> bool:
        self._use()
        return True

    def __contains__(self, item: object) -> bool:
        self._use()
        return False

    def __hash__(self) -> int:
        self._use()
        return id(type(self))

    def _as_self(self, *args: Any) -> Any:
        self._use()
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _as_self
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _as_self
    __mod__ = __rmod__ = __pow__ = __rpow__ = __pos__ = __neg__ = _as_self
    __lt__ = __le__ = __gt__ = __ge__ = _as_self


def _template_frame(frame: FrameType | None) -> FrameType | None:
    """The innermost frame of a compiled template: Jinja keeps the template in its globals."""
    while frame is not None and "__jinja_template__" not in frame.f_globals:
        frame = frame.f_back
    return frame


def _location(frame: FrameType | None) -> tuple[str, int | None]:
    if frame is None:
        return "template", None
    template: jinja2.Template = frame.f_globals["__jinja_template__"]
    return template.filename or template.name or "template", \
        template.get_corresponding_lineno(frame.f_lineno)


def _named(message: str, frame: FrameType | None, line: int | None, name: Any) -> str:
    """'config.site has no attribute...' when the template line shows the expression, which
    says more to the person who wrote it than the type of the value."""
    expression = _expression(frame, line, str(name))
    if expression is None or " has no attribute " not in message:
        return message
    return f"{expression} has no attribute '{name}'"


def _expression(frame: FrameType | None, line: int | None, name: str) -> str | None:
    if frame is None or line is None:
        return None
    template: jinja2.Template = frame.f_globals["__jinja_template__"]
    if template.filename is None:
        return None
    try:
        with open(template.filename, encoding="utf-8") as handle:
            source = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    text = source[line - 1] if 0 < line <= len(source) else ""
    found = re.findall(r"([A-Za-z_][\w.]*)\." + re.escape(name) + r"\b", text)
    return found[0] if len(set(found)) == 1 else None


def _kind(value: Any) -> str:
    return f"the {type(value).__name__}" if not isinstance(value, Mapping) else "the mapping"


def _names_of(value: Any) -> list[str]:
    """What the template could have meant: a dataclass's fields, a mapping's keys, or the
    public attributes of anything else."""
    if isinstance(value, Mapping):
        return [str(key) for key in value]
    if dataclasses.is_dataclass(value):
        fields = [f.name for f in dataclasses.fields(value)]
        extra = [n for n in dir(type(value)) if not n.startswith("_") and n not in fields]
        return fields + extra
    return [n for n in dir(value) if not n.startswith("_")]


def _names_hint(name: str, names: list[str]) -> str | None:
    if not names:
        return None
    guess = did_you_mean(name, names)
    shown = ", ".join(names[:SHOWN_NAMES]) + (", ..." if len(names) > SHOWN_NAMES else "")
    return f"did you mean '{guess}'? it has: {shown}" if guess else f"it has: {shown}"
