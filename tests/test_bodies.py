"""Bodies stored in a file while pages render in forked workers (sitegen.runtime.parked): the
same pages, the same values, the models left as they were, nothing left behind."""

from __future__ import annotations

import dataclasses
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import jinja2
import pytest
from conftest import ScratchSite
from markupsafe import escape
from test_parallel import _big_site, _tree, needs_fork

from sitegen import BuildOptions, build, load
from sitegen.models import Document, FactCheck, Page
from sitegen.render import make_environment, render_site
from sitegen.runtime.parked import BodyStore, StoredBody
from sitegen.runtime.workers import configured, parallel_map
from sitegen.site import Site, swap_documents

HTML = ('<p>Prices rose by 40\u202f% \u2014 \u201cnot so\u201d, said '
        '<a href="/x?a=1&amp;b=2">she</a>.</p>')


def test_a_stored_body_is_its_text_to_templates_comparisons_and_pickles(tmp_path: Path) -> None:
    env = jinja2.Environment(autoescape=True)
    site_env = make_environment(tmp_path / "templates")
    with BodyStore(tmp_path) as store:
        body = store.put(HTML)
        same, other = store.put(HTML), store.put("<p></p>")
        assert str(body) == HTML and f"{body}" == HTML
        assert env.from_string("{{ b | safe }}").render(b=body) == HTML
        assert env.from_string("{{ b }}").render(b=body) == str(escape(HTML))
        assert body == same and hash(body) == hash(same) and body != other
        assert body == HTML and hash(body) == hash(HTML) and body != "<p></p>"
        for template in ("{{ b | truncate(20) }}", "{{ b | length }}", "{{ 'said' in b }}",
                         "{{ b[3:9] }}", "{{ b.split() | length }}", "{{ b | striptags }}",
                         "{{ b | wordcount }}", "{{ (b ~ '!') | length }}",
                         "{{ b == '' }}", "{{ 'yes' if b else 'no' }}", "{{ b.size }}"):
            assert env.from_string(template).render(b=body) == env.from_string(
                template).render(b=HTML), template  # what a newsroom's template did with a str
        assert site_env.from_string("{{ b | tojson }}").render(b=body) == site_env.from_string(
            "{{ b | tojson }}").render(b=HTML)
        back = pickle.loads(pickle.dumps(body))
        assert type(back) is str and back == HTML
        with pytest.raises(dataclasses.FrozenInstanceError):
            body._at = 0  # type: ignore[misc]  # a stored body never changes
    assert list(tmp_path.iterdir()) == []  # the store's file had no name to leave behind


@needs_fork
def test_forked_workers_read_stored_bodies_and_a_late_read_is_an_error(tmp_path: Path) -> None:
    accent = "\u00e9"
    texts = [f"<p>Body {n}: {accent * (n % 50)} {'x' * n}</p>" for n in range(300)]
    with BodyStore(tmp_path) as store:
        bodies = [store.put(text) for text in texts]

        def work(share: Sequence[StoredBody], scale: int) -> list[tuple[str, int]]:
            return [(str(body), os.getpid()) for body in share]

        read = parallel_map(work, bodies, jobs=2)
    assert [text for text, _ in read] == texts
    assert len({pid for _, pid in read}) == 2
    with pytest.raises(RuntimeError, match="after its build had ended"):
        str(bodies[0])


def _held(value: object, seen: set[int]) -> Iterator[Document]:
    """Every document reachable from `value` through dataclass fields, tuples, lists and
    dicts: what a site graph holds, however it holds it."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, FactCheck | Page):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _held(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _held(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _held(getattr(value, field.name), seen)


def test_swapping_every_document_leaves_none_of_the_old_and_changes_no_model(
        site: ScratchSite, make_factcheck: Callable[..., str], tmp_path: Path) -> None:
    """The copy a build renders from holds only new documents, each one value wherever the
    old one was; the site it was made from is as it was (frozen models are never changed),
    and both render the same pages."""
    _big_site(site, make_factcheck, count=40)
    site.write("content/pages/methodology.md", "---\ntitle: Method\n---\nHow we *rate*.\n")
    site.write("content/pages/corrections.md", "---\ntitle: Fixes\n---\nWe *fix*.\n")
    site.write("content/pages/about.md", "---\ntitle: About\nmenu: 1\n---\nWho we are.\n")
    loaded = load(site.root)
    original = loaded.site
    assert isinstance(original, Site)
    before = {id(d): (d, str(d.body_html)) for d in _held(original, set())}
    assert all(type(d.body_html) is str for d, _ in before.values())
    made: dict[int, Document] = {}
    with BodyStore(tmp_path) as store:
        def stored(document: Document) -> Document:
            new = dataclasses.replace(document, body_html=store.put(str(document.body_html)))
            made[id(document)] = new
            return new

        swapped = swap_documents(original, stored)
        held = list(_held(swapped, set()))
        assert held and all(isinstance(d.body_html, StoredBody) for d in held)
        assert {id(d) for d in held} == {id(d) for d in made.values()}
        assert made.keys() == before.keys()  # each document changed once
        env = make_environment(site.root / "templates")
        with configured(1):
            assert render_site(swapped, env) == render_site(original, env)
    assert all(type(d.body_html) is str and d.body_html == text for d, text in before.values())


@needs_fork
def test_a_full_rerender_in_two_processes_parks_the_bodies_and_makes_the_same_site(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """After a config edit every page is rendered again with the bodies from the cache: in
    two processes, with the bodies parked, the site is the one a single process makes. An
    edit of one article renders a few pages and parks nothing."""
    _big_site(site, make_factcheck, count=200)
    first = build(site.root, BuildOptions(jobs=2))
    assert first.ok
    config = site.root / "sitegen.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    again = build(site.root, BuildOptions(jobs=2))
    assert again.ok
    assert "park bodies" in again.timings and again.timings["render"] > 0
    edited = sorted((site.root / "content").rglob("*.md"))[7]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n",
                      encoding="utf-8")
    one_edit = build(site.root, BuildOptions(jobs=2))
    assert one_edit.ok and "park bodies" not in one_edit.timings  # a few pages copy little
    serial = build(site.root, BuildOptions(jobs=1, output=site.root / "serial", cache=False))
    assert "park bodies" not in serial.timings
    assert _tree(site.output) == _tree(site.root / "serial")
    assert not [p for p in site.root.iterdir() if p.name.startswith(".sitegen-bodies")]
