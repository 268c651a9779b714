"""Bodies parked in a file while pages render in forked workers (sitegen.runtime.parked): the same
pages, the same values, nothing left behind."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2
import pytest
from conftest import ScratchSite
from markupsafe import escape
from test_parallel import _big_site, _tree, needs_fork

from sitegen import BuildOptions, build
from sitegen.render import make_environment
from sitegen.runtime.parked import Body, BodyStore, park_all
from sitegen.runtime.workers import parallel_map

HTML = ('<p>Prices rose by 40\u202f% \u2014 \u201cnot so\u201d, said '
        '<a href="/x?a=1&amp;b=2">she</a>.</p>')


def test_a_body_is_its_text_to_templates_comparisons_and_pickles(tmp_path: Path) -> None:
    env = jinja2.Environment(autoescape=True)
    body = Body(HTML)
    assert str(body) == HTML and f"{body}" == HTML
    assert env.from_string("{{ b | safe }}").render(b=body) == HTML
    assert env.from_string("{{ b }}").render(b=body) == str(escape(HTML))
    assert body == Body(HTML) and hash(body) == hash(Body(HTML)) and body != Body("<p></p>")
    for template in ("{{ b | truncate(20) }}", "{{ b | length }}", "{{ 'said' in b }}",
                     "{{ b[3:9] }}", "{{ b.split() | length }}", "{{ b | striptags }}",
                     "{{ b | wordcount }}", "{{ (b ~ '!') | length }}"):
        assert env.from_string(template).render(b=body) == env.from_string(
            template).render(b=HTML), template  # what a newsroom's template did with a str
    site_env = make_environment(tmp_path / "templates")
    assert site_env.from_string("{{ b | tojson }}").render(b=body) == site_env.from_string(
        "{{ b | tojson }}").render(b=HTML)
    with BodyStore(tmp_path) as store:
        body.park(store)
        assert body.parked and str(body) == HTML
        assert body == Body(HTML) and hash(body) == hash(Body(HTML))
        back = pickle.loads(pickle.dumps(body))
        assert not back.parked and back == body
        assert env.from_string("{{ b | safe }}").render(b=body) == HTML
    assert list(tmp_path.iterdir()) == []  # the store's file had no name to leave behind


@needs_fork
def test_forked_workers_read_parked_bodies_and_a_late_read_is_an_error(tmp_path: Path) -> None:
    accent = "\u00e9"
    texts = [f"<p>Body {n}: {accent * (n % 50)} {'x' * n}</p>" for n in range(300)]
    bodies = [Body(text) for text in texts]
    with BodyStore(tmp_path) as store:
        park_all(bodies, store)
        assert all(body.parked for body in bodies)

        def work(share: Sequence[Body], scale: int) -> list[tuple[str, int]]:
            return [(str(body), os.getpid()) for body in share]

        read = parallel_map(work, bodies, jobs=2)
    assert [text for text, _ in read] == texts
    assert len({pid for _, pid in read}) == 2
    with pytest.raises(RuntimeError, match="after its build had ended"):
        str(bodies[0])


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
