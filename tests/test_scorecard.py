"""Claimant scorecards (an SVG chart made at build time) and the claimants index by count."""

from __future__ import annotations

from collections.abc import Callable

from conftest import ScratchSite

from sitegen.config import DEFAULT_VERDICTS
from sitegen.site.scorecard import scorecard

SCALE_LABELS = ["True", "Likely true", "Partially true", "Misleading", "Partially false",
                "Likely false", "False", "Unclear"]


def test_bars_are_shares_of_the_claimants_total_with_every_verdict_in_scale_order() -> None:
    """A bar is its verdict's share of all the claimant's fact-checks, not of the largest
    count; zeros keep their row with a zero bar; the shares as text are rounded."""
    card = scorecard([("false", 4), ("true", 1), ("misleading", 2)], DEFAULT_VERDICTS)
    assert [bar.verdict.label for bar in card.bars] == SCALE_LABELS
    by_id = {bar.verdict.id: bar for bar in card.bars}
    assert by_id["false"].width == round(400 / 7, 3)
    assert by_id["misleading"].width == round(200 / 7, 3)
    assert by_id["true"].width == round(100 / 7, 3)
    assert by_id["unclear"].width == 0 and by_id["unclear"].count == 0
    assert [by_id[v].share for v in ("false", "misleading", "true")] == [57, 29, 14]
    assert card.total == 7
    assert card.description == "7 fact-checks: True 1, Misleading 2, False 4."


def test_one_of_two_is_half_a_bar() -> None:
    """A claimant checked twice, once false, gets half a bar for false, not a full one."""
    card = scorecard([("false", 1), ("true", 1)], DEFAULT_VERDICTS)
    widths = {bar.verdict.id: bar.width for bar in card.bars if bar.count}
    assert widths == {"false": 50.0, "true": 50.0}
    only = scorecard([("false", 1)], DEFAULT_VERDICTS)
    assert [bar.width for bar in only.bars if bar.count] == [100.0]


def test_an_empty_scorecard_draws_no_bar() -> None:
    card = scorecard([], DEFAULT_VERDICTS)
    assert {bar.width for bar in card.bars} == {0}
    assert card.description == "0 fact-checks."


def claimant_site(site: ScratchSite, make_factcheck: Callable[..., str],
                  name: str = '"Mayor Alex"') -> None:
    verdicts = ["false", "false", "false", "false", "misleading", "misleading", "true"]
    for number, verdict in enumerate(verdicts, start=1):
        site.write(f"content/2021/claim-{number}.md", make_factcheck(
            title=f'"Claim {number}"', claimant=name, verdict=verdict,
            date=f"2021-01-{number:02d}"))


def test_claimant_page_has_one_table_with_its_bars_and_a_note(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """The chart is the table: a row per verdict (label, count, share) carrying its bar, which
    is hidden from screen readers so the numbers are read once; no second copy of them (no
    SVG with its own description); a note on what the counts do not mean."""
    claimant_site(site, make_factcheck)
    site.built()
    page = site.html("claimants/mayor-alex/")
    section = page.select_one("section.scorecard")
    assert section.select("svg") == [] and len(section.select("table")) == 1
    table = section.select_one("table")
    assert table["aria-labelledby"] == "scorecard-heading"
    assert page.select_one("#scorecard-heading").get_text() == "How we rated claims by Mayor Alex"
    rows = table.select("tbody tr")
    cells = [[c.get_text(" ", strip=True) for c in tr.select("th, td")] for tr in rows]
    assert [row[0] for row in cells] == SCALE_LABELS
    assert cells[0] == ["True", "1", "14%"] and cells[6] == ["False", "4", "57%"]
    assert cells[7] == ["Unclear", "0", "0%"]
    assert [c.get_text() for c in table.select("tfoot th, tfoot td")] == ["All", "7", "100%"]
    colours = {v.id: v.color for v in DEFAULT_VERDICTS}
    for row in rows:
        track = row.select_one(".scorecard__track")
        assert track["aria-hidden"] == "true" and track.get_text() == ""
        bar = track.select_one(".scorecard__bar")
        if row["data-count"] == "0":
            assert bar is None, row["data-verdict"]  # a zero row draws no bar at all
            assert "scorecard__row--zero" in row["class"]
        else:
            assert f"--verdict-bg: {colours[row['data-verdict']]}" in bar["style"]
    widths = {row["data-verdict"]: row.select_one(".scorecard__bar")["style"].split(";")[0]
              for row in rows if row["data-count"] != "0"}
    assert widths == {"true": "width: 14.286%", "misleading": "width: 28.571%",
                      "false": "width: 57.143%"}
    note = page.select_one(".scorecard__note").get_text()
    assert "selection, not a sample" in note and "not a measure of honesty" in note


def test_scorecard_escapes_the_claimant_name(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """A claimant name with markup is text in the heading, the SVG title and the note."""
    claimant_site(site, make_factcheck, name='"<svg onload=alert(1)>&Co"')
    site.built()
    [folder] = [p for p in (site.output / "claimants").iterdir() if p.is_dir()
                and p.name != "jane-official"]
    page = site.html(f"claimants/{folder.name}/")
    assert page.select_one("#scorecard-heading").get_text() == (
        "How we rated claims by <svg onload=alert(1)>&Co")
    assert page.select("[onload]") == [] and page.select("main svg:not(.verdict__icon)") == []


def test_claimants_index_sorts_by_name_or_by_count_without_script(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """/claimants/ is A to Z; /claimants/by-count.html has the most-checked first, ties by
    name; each links the other, marking the current order; both are in the sitemap."""
    claimant_site(site, make_factcheck)
    site.write("content/2021/zed.md", make_factcheck(title='"Zed"', claimant='"Zed Party"'))
    site.write("content/2021/zed2.md", make_factcheck(title='"Zed 2"', claimant='"Zed Party"'))
    site.built()
    by_name, by_count = site.html("claimants/"), site.html("claimants/by-count.html")
    names = [a.get_text() for a in by_name.select(".term__name")]
    assert names == ["Jane Official", "Mayor Alex", "Zed Party"]
    names = [a.get_text() for a in by_count.select(".term__name")]
    assert names == ["Mayor Alex", "Zed Party", "Jane Official"]
    assert by_count.select_one(".term__name")["href"] == "mayor-alex/"
    for page, current in ((by_name, "A to Z"), (by_count, "Most fact-checks first")):
        links = {a.get_text(): a for a in page.select("nav.sort a")}
        assert set(links) == {"A to Z", "Most fact-checks first"}
        assert [t for t, a in links.items() if a.get("aria-current") == "page"] == [current]
    assert by_name.select_one("nav.sort a:not([aria-current])")["href"] == "by-count.html"
    assert by_count.select_one("nav.sort a:not([aria-current])")["href"] == "./"
    sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://factcheck.test/claimants/by-count.html</loc>" in sitemap
    assert site.html("tags/").select_one("nav.sort") is None


def test_a_claimant_called_by_count_keeps_its_own_page(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """The sorted index is a file, so a claimant whose slug is 'by-count' cannot collide."""
    site.write("content/2021/odd.md", make_factcheck(title='"Odd"', claimant='"By Count"'))
    site.built()
    assert site.html("claimants/by-count/").select_one("h1").get_text() == "Claims by By Count"
    assert site.html("claimants/by-count.html").select_one("h1").get_text() == "Claimants"


def test_right_to_left_sites_get_the_same_table(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """In an Arabic site the table is laid out by the page's direction: the same rows and
    bars, with no direction of their own (the bars grow from the right, tested in Chromium)."""
    site.write("sitegen.toml", (site.root / "sitegen.toml").read_text()
               .replace('language = "en"', 'language = "ar"'))
    claimant_site(site, make_factcheck)
    site.built()
    page = site.html("claimants/mayor-alex/")
    assert page.select_one("html")["dir"] == "rtl"
    row = page.select_one('.scorecard [data-verdict="misleading"]')
    assert row.select_one(".scorecard__bar")["style"].startswith("width: 28.571%;")
    assert page.select_one(".scorecard [dir]") is None
