"""Hostile front matter, generated: whatever a writer types, the build reports or escapes it.

Hypothesis writes front matter with values of every YAML type in every field of a fact-check
and of a page, hostile text (markup, template syntax, bidirectional marks, joiners, NUL,
emoji), and hand-written YAML (aliases, alias bombs, tags, escapes for surrogates, deep
nesting). The property: the build in-process either succeeds with every value escaped (no
element or attribute injected, JSON-LD and feeds parse, the title round-trips), or fails with
problems that each name the file, a line and a field; it never raises.

Runs are reproducible (derandomised, no example database). SITEGEN_HYPOTHESIS=thorough runs
many more examples locally. "Never a hang" is held by construction (every input is bounded:
see the limits in docs/content-model.md, each tested below) and by the per-test timeout, not
by timing assertions.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import CONFIG, ScratchSite
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen import load
from sitegen.config import DEFAULT_VERDICTS
from sitegen.content import FACTCHECK_FIELDS, PAGE_FIELDS
from sitegen.markup.typography import smarten_text
from sitegen.problems import Problem
from sitegen.render import make_environment, render_site

EXAMPLES = {"ci": 60, "thorough": 1000}[os.environ.get("SITEGEN_HYPOTHESIS", "ci")]
HYPOTHESIS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FACTCHECK_FILE = "content/2020/x.md"
PAGE_FILE = "content/pages/x.md"
INJECTED = "x-injected"

PAYLOADS = (
    "<script>alert(1)</script>", "</script><x-injected>", '"><img src=x onerror=alert(1) '
    'x-injected=1>', "' x-injected='1", '" x-injected="1', "<!--", "-->", "]]>", "<![CDATA[",
    "{{ 7 * 7 }}", "{% raw %}", "${x}", "&amp;", "&lt;x-injected&gt;", "javascript:alert(1)",
    "\u202e", "\u200f", "\u200d", "\u2028", "\u2029", "\ufeff", "\U0001f600", "\U0001f469\u200d"
    "\U0001f52c", "\u05e2\u05d1\u05e8\u05d9\u05ea", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "\\", "\"'`", "a: b", "- x", "# no comment", "*alias", "&anchor", "!tag", "%", "@", "|", ">",
)
HOSTILE_RAW_VALUES = (
    '!!python/object/apply:os.system ["echo owned"]', '!!python/name:os.system ""',
    "!!python/object:collections.OrderedDict {}", "!!binary aGVsbG8=", "!custom value",
    '"\\ud800"', '"a \\udfff b"', '"a\\0b"', '"\\x1b[31mred"', '"\\u202eevil\\u200d"',
    '"\\U0001F600"', '"\\uFFFE"', "[&v hello, *v]", "&r [*r]", "*undefined",
    "[" * 60 + "]" * 60, "{? [a, b] : c}", "{<<: {title: merged}}", "|\n  multi\n  line",
    "'single ''quoted'''", "~", "null", "", "yes", "0x1F", ".inf", "-.nan", "1e400",
    "2020-13-45", "2020-02-30T25:00:00Z", "[" + ", ".join(["x"] * 50) + "]",
    '"' + "a long <b>value</b> " * 5_000 + '"', "[" + ", ".join(["long-tag"] * 101) + "]",
    "[" + ", ".join(f"&a{n} [" + ", ".join([f"*a{n - 1}" if n else "x"] * 10) + "]"
                    for n in range(7)) + "]",
)


# --- strategies ------------------------------------------------------------------------------

visible_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
                       max_size=12)
hostile_text = st.lists(st.one_of(st.sampled_from(PAYLOADS), visible_text),
                        min_size=1, max_size=4).map("".join).filter(lambda s: s.strip() != "")
any_text = st.text(st.characters(codec="utf-8"), max_size=30) | hostile_text
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(), any_text,
    st.dates(min_value=dt.date(1, 1, 1)), st.datetimes(),
)
any_value = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
verdict_ids = st.sampled_from([v.id for v in DEFAULT_VERDICTS])
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))


@dataclass(frozen=True)
class Case:
    """One generated file: the values meant to be valid, and the YAML text written."""

    path: str
    values: dict[str, Any]
    overridden: frozenset[str]
    text: str


@st.composite
def documents(draw: st.DrawFn, is_page: bool) -> Case:
    """Valid hostile values first, then a few fields replaced by anything at all."""
    fields: tuple[str, ...]
    if is_page:
        fields, path = PAGE_FIELDS, PAGE_FILE
        values: dict[str, Any] = {"title": draw(hostile_text)}
    else:
        fields, path = FACTCHECK_FIELDS, FACTCHECK_FILE
        values = {"title": draw(hostile_text), "claim": draw(hostile_text),
                  "claimant": draw(hostile_text), "verdict": draw(verdict_ids),
                  "date": draw(dates), "summary": draw(hostile_text),
                  "tags": draw(st.lists(hostile_text, max_size=3)),
                  "author": draw(st.lists(hostile_text, max_size=2)),
                  "sources": draw(st.lists(st.fixed_dictionaries(
                      {"title": hostile_text}, optional={"publisher": hostile_text}),
                      max_size=2))}
    chosen = draw(st.lists(st.sampled_from(fields), max_size=3, unique=True))
    raw: dict[str, str] = {}
    for name in chosen:
        if draw(st.booleans()):
            values[name] = draw(any_value)
        else:
            raw[name] = draw(st.sampled_from(HOSTILE_RAW_VALUES))
    dump = _yaml_dumper(draw(st.booleans()), draw(st.sampled_from([None, True, False])))
    lines = [f"{name}: {raw[name]}\n" if name in raw else dump({name: value})
             for name, value in values.items()]
    lines += [f"{name}: {text}\n" for name, text in raw.items() if name not in values]
    if draw(st.booleans()) and len(lines) > 1:  # an alias from one field to another
        first, second = sorted(draw(st.lists(st.integers(0, len(lines) - 1), min_size=2,
                                             max_size=2, unique=True)))
        name_a, name_b = (lines[i].split(":", 1)[0] for i in (first, second))
        lines[first] = lines[first].replace(f"{name_a}:", f"{name_a}: &shared", 1)
        lines[second] = f"{name_b}: *shared\n"
    overridden = frozenset(chosen)
    return Case(path, values, overridden, "---\n" + "".join(lines) + "---\nThe body.\n")


def _yaml_dumper(unicode: bool, flow: bool | None) -> Any:
    """One field as YAML: block style, flow style (`[a, b]`, `{k: v}`) or PyYAML's mix."""

    def dump(data: dict[str, Any]) -> str:
        text = str(yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow,
                                  sort_keys=False, width=1_000_000))
        return text[1:-2] + "\n" if text.startswith("{") else text  # '{k: v}\n' -> 'k: v\n'

    return dump


# --- the property ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> ScratchSite:
    """One site folder for every example: each example rewrites its one content file."""
    site = ScratchSite(tmp_path_factory.mktemp("hostile") / "site")
    site.write("sitegen.toml", CONFIG)
    return site


def build_in_memory(site: ScratchSite, case: Case) -> tuple[list[Problem], dict[str, bytes]]:
    """The build's own stages, in-process, stopping short of the disk."""
    for rel in (FACTCHECK_FILE, PAGE_FILE):
        (site.root / rel).unlink(missing_ok=True)
    site.write_bytes(case.path, case.text.encode("utf-8"))
    root = site.root
    loaded = load(root)
    problems = list(loaded.problems)
    if loaded.site is None or loaded.config is None:
        return problems, {}
    files, render_problems = render_site(loaded.site, make_environment(
        loaded.config.templates_path))
    return problems + render_problems, {f.path: f.data for f in files}


def assert_reported_precisely(case: Case, problems: list[Problem]) -> None:
    """Every problem names the file, a line in it, and the field, and formats."""
    lines = case.text.count("\n")
    for problem in problems:
        shown = problem.format()
        assert problem.path == case.path, shown
        assert problem.line is not None and 1 <= problem.line <= lines, shown
        assert problem.field, shown


def assert_escaped(case: Case, files: dict[str, bytes]) -> None:
    """No markup injected anywhere; structured data and feeds parse; the title round-trips."""
    for path, data in files.items():
        if path.endswith(".html"):
            soup = BeautifulSoup(data.decode("utf-8"), "html5lib")
            assert not soup.find_all(INJECTED), path
            for tag in soup.find_all(True):
                assert INJECTED not in tag.attrs, (path, tag)
                assert not [a for a in tag.attrs if a.startswith("on")], (path, tag)
            for script in soup.find_all("script"):
                if script.get("type") == "application/ld+json":
                    json.loads(script.string or "")
                else:
                    assert script.get("src") and not script.string, (path, script)
        elif path.endswith(".xml"):
            ET.fromstring(data)
        elif path.endswith(".json"):
            json.loads(data)
    if "title" not in case.overridden and "slug" not in case.overridden:
        pattern = "x/index.html" if case.path == PAGE_FILE else r"\d{4}/x/index\.html"
        [page] = [p for p in files if re.fullmatch(pattern, p)]
        heading = BeautifulSoup(files[page].decode("utf-8"), "html5lib").find("h1")
        assert heading is not None
        lang = case.values.get("lang")
        published = smarten_text(str(case.values["title"]), lang if isinstance(lang, str) else None)
        assert heading.get_text().split() == published.split()


def check_case(site: ScratchSite, case: Case) -> None:
    problems, files = build_in_memory(site, case)
    errors = [p for p in problems if p.is_error]
    assert_reported_precisely(case, problems)
    if not errors:
        assert_escaped(case, files)


@HYPOTHESIS
@given(case=documents(is_page=False))
def test_any_factcheck_front_matter_builds_escaped_or_fails_precisely(
        scratch: ScratchSite, case: Case) -> None:
    check_case(scratch, case)


@HYPOTHESIS
@given(case=documents(is_page=True))
def test_any_page_front_matter_builds_escaped_or_fails_precisely(
        scratch: ScratchSite, case: Case) -> None:
    check_case(scratch, case)


# --- each hostile case, with its exact message ------------------------------------------------

FC = "content/2020/a-claim.md"
SHORT_FIELDS = "(front matter is for short fields and simple lists)"
ALIAS_HINT = ("(each use of a YAML '*alias' counts the values it repeats; front matter is for "
              "short fields)")
SPLIT_HINT = ("(split it into several articles, or link to long documents instead of pasting "
              "them)")


def billion_laughs(levels: int) -> str:
    """The classic alias bomb, under `extra:` (the one field sitegen does not check)."""
    lines = ["", "  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    names = "abcdefghijklmnop"
    for previous, name in itertools.pairwise(names[:levels]):
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines)


def test_billion_laughs_is_refused_on_its_field(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Nine levels of aliases would be 387 million values; counting stops at 200,000."""
    site.write(FC, make_factcheck(extra=billion_laughs(9)))
    tracemalloc.start()
    try:
        result = site.check()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert site.errors(result) == [
        f"{FC}:7: extra: front matter has more than 200,000 values, the limit {ALIAS_HINT}"]
    assert peak < 100_000_000


def test_a_few_aliases_are_fine(site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Aliases themselves are YAML, not an attack: repeating a list a few times builds."""
    site.write(FC, make_factcheck(extra=billion_laughs(3)))
    site.built()


def test_a_recursive_alias_is_refused_as_too_deep(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write(FC, make_factcheck(extra="&loop [*loop]"))
    assert site.errors(site.check()) == [
        f"{FC}:7: extra: is nested more than 50 levels deep, the limit {SHORT_FIELDS}"]


@pytest.mark.parametrize(("value", "shown"), [
    ('!!python/object/apply:os.system ["touch {pwned}"]', "!!python/object/apply:os.system"),
    ('!!python/object/new:os.system ["touch {pwned}"]', "!!python/object/new:os.system"),
    ("!!python/name:os.system ''", "!!python/name:os.system"),
    ("!!binary dG91Y2g=", "!!binary"),
    ("!include /etc/passwd", "!include"),
])
def test_yaml_tags_are_refused_and_never_constructed(
        site: ScratchSite, make_factcheck: Callable[..., str], value: str, shown: str) -> None:
    """Safe loading only: a tag is an error naming the tag, and nothing runs."""
    pwned = site.root / "pwned"
    site.write(FC, make_factcheck(title=value.format(pwned=pwned)))
    result = site.check()
    assert site.errors(result) == [
        f"{FC}:2: title: YAML tag '{shown}' is not allowed (sitegen reads text, lists and "
        "fields, and never makes objects from tags; remove the tag)"]
    assert not pwned.exists()


def test_tags_deep_inside_extra_are_refused_on_their_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write(FC, make_factcheck(extra="\n  desk: politics\n  obj: !!python/object:os.stat {}"))
    assert site.errors(site.check()) == [
        f"{FC}:9: extra: YAML tag '!!python/object:os.stat' is not allowed (sitegen reads text, "
        "lists and fields, and never makes objects from tags; remove the tag)"]


def test_front_matter_nested_too_deep_is_refused_on_the_deep_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """60 levels of block mappings: refused at level 51 (line 7 + 51), under the field."""
    nested = "".join(f"\n{'  ' * depth}k{depth}:" for depth in range(1, 61)) + " x"
    site.write(FC, make_factcheck(extra=nested))
    assert site.errors(site.check()) == [
        f"{FC}:58: extra: is nested more than 50 levels deep, the limit {SHORT_FIELDS}"]


def test_front_matter_nested_too_deep_in_flow_style_is_a_yaml_error(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """libyaml itself stops at 1,000 brackets; the message says what the limit is."""
    site.write(FC, make_factcheck(extra="[" * 5000 + "]" * 5000))
    assert site.errors(site.check()) == [
        f"{FC}:7: extra: front matter is not valid YAML: while increasing flow level exceeded "
        "maximum nesting depth (front matter may nest at most 50 levels)"]


def test_too_many_values_are_refused_before_they_are_built(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """200,001 values are counted from the YAML stream, so they never all sit in memory."""
    site.write(FC, make_factcheck(extra="[" + ",".join(["1"] * 200_001) + "]"))
    tracemalloc.start()
    try:
        result = site.check()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert site.errors(result) == [
        f"{FC}:7: extra: front matter has more than 200,000 values, the limit "
        "(front matter is for short fields; put long text in the body)"]
    assert peak < 50_000_000


@pytest.mark.parametrize(("value", "message"), [
    ('"\\ud800"', "front matter is not valid YAML: while parsing a quoted scalar found invalid "
     "Unicode character escape code (a \\u escape must name a character; \\ud800-\\udfff are "
     "halves of a pair, not characters)"),
    ('"a\\0b"', "contains a control character (remove invisible characters pasted with the "
     "text)"),
    ('"\\e[31mred"', "contains a control character (remove invisible characters pasted with "
     "the text)"),
    ('"\\uFFFE"', "contains a control character (remove invisible characters pasted with the "
     "text)"),
])
def test_escaped_characters_no_page_can_hold_are_errors(
        site: ScratchSite, make_factcheck: Callable[..., str], value: str, message: str) -> None:
    site.write(FC, make_factcheck(title=value))
    assert site.errors(site.check()) == [f"{FC}:2: title: {message}"]


def test_bidi_marks_joiners_and_emoji_build_and_round_trip(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Writers' real text: right-to-left marks, zero-width joiners, emoji are kept as typed."""
    written = '"\\u202eevil\\u202c \\u05e2\\u05d1\\u05e8\\u05d9\\u05ea \U0001f469\\u200d\U0001f52c"'
    title = "\u202eevil\u202c \u05e2\u05d1\u05e8\u05d9\u05ea \U0001f469\u200d\U0001f52c"
    site.write(FC, make_factcheck(title=written))
    site.built()
    assert site.html("2020/a-claim/").h1.get_text() == title


def test_a_20_mb_file_is_refused_without_being_read(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """The file is measured before it is parsed; memory stays far below its size."""
    body = ("A paragraph of the body. " * 40 + "\n\n") * 20_000
    site.write_bytes(FC, make_factcheck(body=body).encode())
    size = (site.root / FC).stat().st_size
    assert size > 20_000_000
    tracemalloc.start()
    try:
        result = site.check()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert site.errors(result) == [
        f"{FC}: is {size:,} bytes; a content file may be at most 5,000,000 {SPLIT_HINT}"]
    assert peak < 10_000_000


def test_a_body_over_a_million_characters_is_refused_on_its_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Under the file limit, but Markdown would need seconds per megabyte: a clear error."""
    site.write(FC, make_factcheck(body="x" * 1_000_001))
    assert site.errors(site.check()) == [
        f"{FC}:11: body: is 1,000,001 characters long; the limit is 1,000,000 {SPLIT_HINT}"]


def test_100000_tags_are_refused_on_their_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Each tag is a page and a feed: 100,000 would be 200,000 files. At most 100 per file."""
    tags = "[" + ", ".join(f"tag-{n}" for n in range(100_000)) + "]"
    site.write(FC, make_factcheck(tags=tags))
    assert site.errors(site.check()) == [
        f"{FC}:7: tags: has 100,000 entries; the limit is 100 (each one gets its own page and "
        "feed; keep those readers would browse by)"]


def test_100000_comma_separated_tags_are_refused_too(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write(FC, make_factcheck(tags=", ".join(f"t{n}" for n in range(100_000))))
    assert site.errors(site.check()) == [
        f"{FC}:7: tags: has 100,000 entries; the limit is 100 (each one gets its own page and "
        "feed; keep those readers would browse by)"]


def test_10000_sources_build_in_bounded_memory(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A source list is one page: 10,000 entries build, numbered, in well under 200 MB."""
    sources = "".join(f'\n  - title: "Source {n}"\n    url: "https://factcheck.test/{n}"'
                      for n in range(10_000))
    site.write(FC, make_factcheck(sources=sources))
    tracemalloc.start()
    try:
        result = site.build()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.ok, site.errors(result)
    assert peak < 200_000_000
    items = site.html("2020/a-claim/").select(".sources li")
    assert len(items) == 10_000
    assert items[-1].a is not None and items[-1].a["href"] == "https://factcheck.test/9999"


def test_control_characters_quoted_in_messages_are_shown_escaped(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """An escape code typed into a date is quoted visibly, never sent raw to a terminal."""
    site.write(FC, make_factcheck(date='"\\e[2J\\e]0;pwned\\a"'))
    assert site.errors(site.check()) == [
        f"{FC}:6: date: '\\x1b[2J\\x1b]0;pwned\\x07' is not a date (write dates as YYYY-MM-DD, "
        "such as 2018-05-28)"]


def test_yaml_line_breaks_editors_do_not_show_keep_lines_right(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """YAML breaks lines at NEL and U+2028, editors do not: lines still count as the editor's."""
    site.write(FC, make_factcheck(title="'a\x85b\u2028c'", claim="'d\u2029e'", verdict="flase"))
    assert [m.split(" (")[0] for m in site.errors(site.check())] == [
        f"{FC}:5: verdict: unknown verdict 'flase'"]


def test_yaml_syntax_error_after_a_nel_is_on_the_editor_line(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write(FC, make_factcheck(title="'a\x85b'", summary="The answer: no"))
    assert [m.split(" (")[0] for m in site.errors(site.check())] == [
        f"{FC}:7: summary: front matter is not valid YAML: mapping values are not allowed in "
        "this context"]
