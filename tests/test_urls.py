"""Links between site paths: relative_url against the standard library's relpath, and
absolute_url against quote()."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from sitegen.urls import absolute_url, relative_url

SEGMENT = st.sampled_from(["a", "b", "2021", "ru", "claimants", "x.html", "404.html", "", ".",
                           "..", "#x", "c d", "é", "by-count.html"])
SITE_PATH = st.lists(SEGMENT, max_size=5).map("/".join).filter(lambda p: not p.startswith("/"))


def by_relpath(from_path: str, to_path: str) -> str:
    """The rule relative_url implements: relpath between the page's folder and the target."""
    folder = from_path if from_path.endswith("/") or not from_path else \
        posixpath.dirname(from_path) + "/"
    rel = posixpath.relpath("/" + to_path, "/" + folder)
    if to_path.endswith("/") or to_path == "":
        rel = "./" if rel == "." else rel + "/"
    return quote(rel, safe="/#?=&.-_~%")


@given(SITE_PATH, SITE_PATH, st.booleans(), st.booleans())
def test_relative_links_match_relpath(source: str, target: str, source_folder: bool,
                                      target_folder: bool) -> None:
    source += "/" if source_folder else ""
    target += "/" if target_folder else ""
    assert relative_url(source, target) == by_relpath(source, target)


def test_links_between_common_pages() -> None:
    assert relative_url("2021/bridge/", "claimants/x/") == "../../claimants/x/"
    assert relative_url("", "verdicts/") == "verdicts/"
    assert relative_url("claimants/by-count.html", "claimants/x/") == "x/"
    assert relative_url("a/b/", "a/b/") == "./"
    assert relative_url("ru/2021/most/", "2021/bridge/") == "../../../2021/bridge/"
    assert relative_url("x/", "") == "../"
    assert relative_url("a/", "a/b c/") == "b%20c/"


URL_TEXT = st.text(alphabet=st.sampled_from(
    [*"aZ09/#?=&.-_~% <>\"'+é\u0416\x00\n", "\U0001f600"]), max_size=20)


@given(URL_TEXT)
def test_absolute_urls_are_quoted_as_quote_does(path: str) -> None:
    """The shortcut for URL-safe paths must never skip a letter quote() would encode."""
    base = "https://factcheck.test/checks/"
    assert absolute_url(base, path) == base + quote(path, safe="/#?=&.-_~%")
