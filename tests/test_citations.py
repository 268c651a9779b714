"""Citing sources in the analysis: `[@2]`, `[@tass]`, `[@2; @tass]` link to the numbered
list and back; a citation of no source is an error on its body line with a did-you-mean."""

from __future__ import annotations

from collections.abc import Callable

from conftest import ScratchSite

FC = "content/2020/a-claim.md"
SOURCES = """[
  {title: "Statement on the attack", url: "https://function.mil.ru/", id: mod},
  {title: "TASS report", id: tass},
  {title: "Phone interview"}]"""


def test_citations_link_to_the_sources_and_the_list_links_back(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    body = "The ministry said so [@mod]. TASS agreed [@2; @1].\n\nAgain [@tass]."
    site.write(FC, make_factcheck(body, sources=SOURCES))
    site.built()
    page = site.html("2020/a-claim/")
    cites = page.select(".analysis sup.citation a")
    assert [(a["href"], a["id"], a.text) for a in cites] == [
        ("#source-1", "cite-1-1", "1"), ("#source-2", "cite-2-1", "2"),
        ("#source-1", "cite-1-2", "1"), ("#source-2", "cite-2-2", "2")]
    for a in cites:  # every citation's target exists, and links back to it
        item = page.select_one(a["href"])
        assert item is not None and item.name == "li"
        assert f"#{a['id']}" in [b["href"] for b in item.select("a.source__backref")]
    third = page.select_one("#source-3")
    assert third is not None and not third.select("a.source__backref")
    back = page.select_one("#source-1 a.source__backref")
    assert back is not None and "back to citation 1 in the text" in back.text


def test_a_citation_of_no_source_is_an_error_on_its_line_with_did_you_mean(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    body = "First line.\n\nAs TASS reported [@tas].\n\nAnd [@1; @7]."
    site.write(FC, make_factcheck(body, sources=SOURCES))
    result = site.build()
    assert not result.ok
    # sources take four lines: the body starts on line 15
    assert site.errors(result) == [
        f"{FC}:17: body: [@tas] cites no source (did you mean [@tass]? this fact-check has "
        "3 sources)",
        f"{FC}:19: body: [@7] cites no source (this fact-check has 3 sources: cite one by "
        "its place, [@1] to [@3], or by its id: @mod, @tass)",
    ]


def test_source_ids_are_checked_and_unique(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    sources = """
  - title: One
    id: tass
  - title: Two
    id: tass
  - title: Three
    id: "2"
  - title: Four
    id: "a b<c>"
"""
    site.write(FC, make_factcheck("Body.", sources=sources))
    result = site.build()
    assert site.errors(result) == [
        f"{FC}:13: sources[3].id: '2' cannot be cited as [@2] (use a name such as 'id: tass')",
        f"{FC}:15: sources[4].id: 'a b<c>' cannot be cited as [@a b<c>] (use letters, "
        "digits, '-', '_', '.' or ':', and not a number alone (numbers cite sources by "
        "place: [@2]), such as 'id: a-b-c')",
        f"{FC}:11: sources[2].id: 'tass' is already the id of sources[1] (line 9) (give each "
        "source its own id)",
    ]


def test_citations_in_code_escaped_or_on_a_page_stay_as_written(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    body = "Code `[@9]`, escaped \\[@9], a link [@9](https://example.org/)."
    site.write(FC, make_factcheck(body, sources=SOURCES))
    site.write("content/pages/about.md", "---\ntitle: About\n---\nMail us [@desk].\n")
    site.built()
    analysis = site.html("2020/a-claim/").select_one(".analysis")
    assert analysis is not None and not analysis.select(".citation")
    assert "[@9]" in analysis.text
    about = site.html("about/")
    assert "Mail us [@desk]." in about.text and not about.select(".citation")


def test_a_renamed_source_id_is_seen_by_a_warm_build(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """The converted body is cached by its text; the citations follow the front matter."""
    body = "As TASS reported [@tass]."
    site.write(FC, make_factcheck(body, sources=SOURCES))
    site.built()
    site.write(FC, make_factcheck(body, sources=SOURCES.replace("id: tass", "id: ria")))
    result = site.build()
    assert site.errors(result) == [
        f"{FC}:15: body: [@tass] cites no source (this fact-check has 3 sources: cite one by "
        "its place, [@1] to [@3], or by its id: @mod, @ria)"]
    site.write(FC, make_factcheck("As TASS reported [@ria].",
                                  sources=SOURCES.replace("id: tass", "id: ria")))
    site.built()
    link = site.html("2020/a-claim/").select_one(".analysis .citation a")
    assert link is not None and link["href"] == "#source-2"


def test_citations_survive_the_sanitiser(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write("sitegen.toml", site.root.joinpath("sitegen.toml").read_text(encoding="utf-8")
               + "\n[build]\nallow_raw_html = false\n")
    site.write(FC, make_factcheck("Said [@tass]. <b class=\"citation verdict\">x</b>",
                                  sources=SOURCES))
    site.built()
    page = site.html("2020/a-claim/")
    link = page.select_one(".analysis sup.citation a")
    assert link is not None and link["href"] == "#source-2" and link["id"] == "cite-2-1"


def test_a_hostile_unknown_citation_is_reported_as_written(
        site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    site.write(FC, make_factcheck('Body [@"><script>alert(1)</script>].', sources=SOURCES))
    result = site.check()
    assert site.errors(result) == [
        f"{FC}:15: body: [@\"><script>alert(1)</script>] cites no source (this fact-check has "
        "3 sources: cite one by its place, [@1] to [@3], or by its id: @mod, @tass)"]
