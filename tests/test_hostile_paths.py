"""Paths a writer or an editor controls: slugs, file names, links, and two things on one URL.

Decisions (docs/content-model.md, docs/threat-model.md): a `slug:` a writer types is checked
and rejected with a suggestion, never silently changed; a slug sitegen derives itself (from a
file name, a tag, a claimant) is cleaned. Windows device names (CON, NUL, COM1, ...) are
rejected in `slug:` and get '-0' appended when derived, because a site holding a `con/` folder
cannot be checked out or served on Windows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ScratchSite

FC = "content/2020/a-claim.md"
COLLISION_HINT = "(give one of them a different slug or file name)"


def slug_error(value: str, line: int, suggestion: str) -> str:
    return (f"{FC}:{line}: slug: '{value}' cannot be used in a URL "
            f"(use letters, digits and hyphens, such as '{suggestion}')")


@pytest.mark.parametrize(("written", "shown", "suggestion"), [
    ('"../../etc/passwd"', "../../etc/passwd", "etc-passwd"),
    ('".."', "..", "my-page"),
    ('"a/b"', "a/b", "a-b"),
    ('"a\\\\b"', "a\\b", "a-b"),
    ('"/absolute"', "/absolute", "absolute"),
    ('"tab\\there"', "tab\\there", "tab-here"),  # shown escaped, see problems.py
    ("CON", "CON", "con-0"),
    ("nul", "nul", "nul-0"),
    ("Com1", "Com1", "com1-0"),
    ("lpt9.html", "lpt9.html", "lpt9-html"),
    ("aux.tar.gz", "aux.tar.gz", "aux-tar-gz"),
    ("index", "index", "index"),
    ("page", "page", "page"),
    ('"trailing."', "trailing.", "trailing"),
    ('"two words"', "two words", "two-words"),
])
def test_hostile_slugs_are_rejected_with_a_suggestion(
        site: ScratchSite, make_factcheck: Callable[..., str], written: str, shown: str,
        suggestion: str) -> None:
    """A slug that is a path, has spaces or is a Windows device name is refused."""
    site.write(FC, make_factcheck(slug=written))
    result = site.check()
    assert site.errors(result) == [slug_error(shown, 7, suggestion)]


@pytest.mark.parametrize("written", ['"nul\\0byte"', '"esc\\x1b[31m"', '"del\\x7f"'])
def test_slugs_with_control_characters_are_rejected(
        site: ScratchSite, make_factcheck: Callable[..., str], written: str) -> None:
    site.write(FC, make_factcheck(slug=written))
    result = site.check()
    assert site.errors(result) == [
        f"{FC}:7: slug: contains a control character "
        "(remove invisible characters pasted with the text)"]


def test_derived_slugs_of_device_names_are_cleaned(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A file called CON.md and a tag called 'nul' get URLs Windows can hold: con-0, nul-0."""
    site.write("content/2020/CON.md", make_factcheck(tags="[nul, Aux]"))
    result = site.built()
    assert result.ok
    assert (site.output / "2020" / "con-0" / "index.html").is_file()
    assert (site.output / "tags" / "nul-0" / "index.html").is_file()
    assert (site.output / "tags" / "aux-0" / "index.html").is_file()
    names = {p.name.split(".")[0].lower() for p in site.output.rglob("*")}
    assert not names & {"con", "nul", "aux"}


def test_slug_with_dots_and_unicode_is_kept(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """Legitimate slugs stay as written: dots inside, letters of any script."""
    site.write(FC, make_factcheck(slug="v1.2-рост"))
    site.built()
    assert (site.output / "2020" / "v1.2-рост" / "index.html").is_file()


# --- links out of the site -----------------------------------------------------------------


def test_content_file_linking_outside_the_site_is_refused(
        site: ScratchSite, tmp_path: Path, make_factcheck: Callable[..., str]) -> None:
    """A content file that is a symlink to a file outside the site is an error, never read."""
    secret = tmp_path / "secret.md"
    secret.write_text(make_factcheck(title='"SECRET"'), encoding="utf-8")
    os.symlink(secret, site.root / "content" / "2020" / "leak.md")
    result = site.check()
    assert site.errors(result) == [
        "content/2020/leak.md: is a link to a file outside the site folder "
        "(copy the file into the site instead of linking to it)"]


def test_content_folder_linking_outside_the_site_is_refused(
        site: ScratchSite, tmp_path: Path, make_factcheck: Callable[..., str]) -> None:
    """A linked folder leading out of the site is an error, not silently skipped or read."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "leak.md").write_text(make_factcheck(), encoding="utf-8")
    os.symlink(outside, site.root / "content" / "borrowed", target_is_directory=True)
    result = site.check()
    assert site.errors(result) == [
        "content/borrowed: is a link to a folder outside the site folder "
        "(copy the files into the site instead of linking to them)"]


def test_content_link_inside_the_site_is_read(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """A symlink that stays inside the site is an ordinary content file."""
    site.write("drafts/kept.md", make_factcheck(title='"Linked in"'))
    os.symlink(site.root / "drafts" / "kept.md", site.root / "content" / "2020" / "kept.md")
    site.built()
    assert site.html("2020/kept/").h1.get_text() == "Linked in"


def test_static_file_linking_outside_the_site_is_refused(
        site: ScratchSite, tmp_path: Path) -> None:
    """static/ is copied into the site: a link to ~/.ssh/id_rsa must never be published."""
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY", encoding="utf-8")
    (site.root / "static").mkdir()
    os.symlink(secret, site.root / "static" / "key.txt")
    result = site.build()
    assert site.errors(result) == [
        "static/key.txt: is a link to a file outside the static folder "
        "(copy the file into static/ instead of linking to it)"]
    assert not site.output.exists()


def test_static_link_out_of_the_site_is_reported_by_the_preview_too(
        site: ScratchSite, tmp_path: Path) -> None:
    """serve and build --watch refuse it with the build's message, and a rebuild after the
    link is removed succeeds."""
    from sitegen import Session

    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE KEY", encoding="utf-8")
    (site.root / "static").mkdir()
    link = site.root / "static" / "key.txt"
    os.symlink(secret, link)
    session = Session(site.root, tmp_path / "preview", search=False, jobs=1)
    outcome = session.full()
    assert [p.format() for p in outcome.problems if p.is_error] == [
        "static/key.txt: is a link to a file outside the static folder "
        "(copy the file into static/ instead of linking to it)"]
    assert not (tmp_path / "preview" / "key.txt").exists()
    link.unlink()
    assert session.rebuild([link]).ok


# --- two things on one URL -------------------------------------------------------------------


def test_page_slug_taking_a_generated_url_is_an_error_on_the_slug_line(
        site: ScratchSite) -> None:
    """A page whose slug is 'tags' would replace the tag index: the page's slug line says so."""
    site.write("content/pages/topics.md", "---\ntitle: Topics\nslug: tags\n---\nBody.\n")
    result = site.check()
    assert site.errors(result) == [
        "content/pages/topics.md:3: slug: would be written to /tags/, which (the index of "
        f"tags, by name) already uses {COLLISION_HINT}"]


@pytest.mark.parametrize("slug", ["404.html", "atom.xml", "SITEMAP.XML"])
def test_page_slug_naming_a_generated_file_is_an_error(site: ScratchSite, slug: str) -> None:
    """A folder /404.html/ cannot sit where the file /404.html is written: an error, not a crash."""
    site.write("content/pages/odd.md", f"---\ntitle: Odd\nslug: {slug}\n---\nBody.\n")
    result = site.build()
    [message] = site.errors(result)
    assert message.startswith(f"content/pages/odd.md:3: slug: would be written to /{slug}/, ")
    assert message.endswith(f"as a file {COLLISION_HINT}")
    assert not site.output.exists()


def test_static_file_differing_only_in_case_from_a_page_is_an_error(
        site: ScratchSite) -> None:
    """static/About/index.html and the page /about/ are one file on a case-insensitive disk."""
    site.write("content/pages/about.md", "---\ntitle: About\n---\nBody.\n")
    site.write("static/About/index.html", "<p>static</p>")
    result = site.build()
    assert site.errors(result) == [
        "static/About/index.html: would be written to /About/index.html, which "
        f"content/pages/about.md already uses {COLLISION_HINT}"]


def test_two_static_files_differing_only_in_case_are_an_error(site: ScratchSite) -> None:
    site.write("static/img/Logo.png", "a")
    site.write("static/img/logo.png", "b")
    result = site.build()
    assert site.errors(result) == [
        "static/img/logo.png: would be written to /img/logo.png, which static/img/Logo.png "
        f"already uses {COLLISION_HINT}"]
