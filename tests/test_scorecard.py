"""Claimant scorecards (an SVG chart made at build time) and the claimants index by count."""

from __future__ import annotations

from collections.abc import Callable

from conftest import ScratchSite

from sitegen.config import DEFAULT_VERDICTS
from sitegen.site import BAR_SPAN
from sitegen.site.scorecard import scorecard

SCALE_LABELS = ["True", "Likely true", "Partially true", "Misleading", "Partially false",
                "Likely false", "False", "Unclear"]


def test_bars_are_proportional_to_counts_with_every_verdict_in_scale_order() -> None:
    """The largest count takes the full span; zeros keep their row; shares are rounded."""
    card = scorecard([("false", 4), ("true", 1), ("misleading", 2)], DEFAULT_VERDICTS)
    assert [bar.verdict.label for bar in card.bars] == SCALE_LABELS
    by_id = {bar.verdict.id: bar for bar in card.bars}
    assert by_id["false"].width == BAR_SPAN
    assert by_id["misleading"].width == BAR_SPAN / 2
    assert by_id["true"].width == BAR_SPAN / 4
    assert by_id["unclear"].width == 0 and by_id["unclear"].count == 0
    assert [by_id[v].share for v in ("false", "misleading", "true")] == [57, 29, 14]
    assert card.total == 7
    rows = [bar.label_y for bar in card.bars]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)
    assert all(bar.label_y < bar.bar_y < bar.count_y for bar in card.bars)
    assert card.height >= card.bars[-1].bar_y + card.bar_height
    assert card.description == "7 fact-checks: True 1, Misleading 2, False 4."


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


def test_claimant_page_has_an_accessible_chart_table_and_note(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """role=img named by its title and desc; a row per verdict with label and count as text;
    the numbers again in a table; a note on what the counts do not mean."""
    claimant_site(site, make_factcheck)
    site.built()
    page = site.html("claimants/mayor-alex/")
    svg = page.select_one(".scorecard svg")
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "scorecard-title scorecard-desc"
    assert svg.select_one("title#scorecard-title").get_text() == "Verdicts on claims by Mayor Alex"
    assert svg.select_one("desc#scorecard-desc").get_text() == (
        "7 fact-checks: True 1, Misleading 2, False 4.")
    rows = svg.select(".scorecard__row")
    assert [r.select_one(".scorecard__label").get_text() for r in rows] == SCALE_LABELS
    counts = {r.select_one(".scorecard__label").get_text():
              r.select_one(".scorecard__count").get_text() for r in rows}
    assert counts == {"True": "1", "Likely true": "0", "Partially true": "0", "Misleading": "2",
                      "Partially false": "0", "Likely false": "0", "False": "4", "Unclear": "0"}
    colours = {v.id: v.color for v in DEFAULT_VERDICTS}
    for row in rows:
        assert row.select_one("rect")["fill"] == colours[row["data-verdict"]]
    table = page.select_one(".scorecard table")
    cells = [[c.get_text() for c in tr.select("th, td")] for tr in table.select("tbody tr")]
    assert cells[0] == ["True", "1", "14%"] and cells[6] == ["False", "4", "57%"]
    assert [c.get_text() for c in table.select("tfoot th, tfoot td")] == ["All", "7", "100%"]
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
    assert page.select_one("#scorecard-title").get_text() == (
        "Verdicts on claims by <svg onload=alert(1)>&Co")
    assert page.select("[onload]") == []
    assert len(page.select(".scorecard svg")) == 1


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


def test_right_to_left_sites_get_a_mirrored_chart(
    site: ScratchSite, make_factcheck: Callable[..., str]
) -> None:
    """In an Arabic site the bars grow from the right edge and labels start there."""
    site.write("sitegen.toml", (site.root / "sitegen.toml").read_text()
               .replace('language = "en"', 'language = "ar"'))
    claimant_site(site, make_factcheck)
    site.built()
    page = site.html("claimants/mayor-alex/")
    assert page.select_one("html")["dir"] == "rtl"
    row = page.select_one('.scorecard [data-verdict="misleading"]')
    assert row.select_one(".scorecard__label")["x"] == "100%"
    assert row.select_one("rect")["x"] == f"{100 - BAR_SPAN / 2}%"
    assert row.select_one("rect")["width"] == f"{BAR_SPAN / 2}%"
    assert row.select_one(".scorecard__count")["x"] == f"{100 - BAR_SPAN / 2}%"
    assert row.select_one(".scorecard__count")["dx"] == "-6"
    empty = page.select_one('.scorecard [data-verdict="unclear"]')
    assert empty.select_one("rect")["x"] == "100.0%"
    assert empty.select_one(".scorecard__count")["dx"] == "0"
