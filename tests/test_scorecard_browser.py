"""A claimant's scorecard in real Chromium at a phone and a desktop width, light and dark, as a
reader sees it.

The bars are measured against their track (a bar is its verdict's share of the claimant's
fact-checks), zero rows are checked to draw nothing, the screenshot is read back pixel by pixel
(each bar in its verdict's colour), and on a phone the claimant's fact-checks must begin
within the second screen.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ScratchSite

from sitegen.config import DEFAULT_VERDICTS

COUNTS = {"false": 4, "misleading": 2, "true": 1}
PHONE_SCREEN = 667
"""A common phone's screen height in CSS pixels (375 x 667)."""
# Reads the screenshot back in the page: the colour of each pixel asked for, as [r, g, b].
PIXELS_JS = """async ([png, points]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  return points.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3)));
}"""
ROWS_JS = """() => [...document.querySelectorAll(".scorecard__row")].map(row => {
  const track = row.querySelector(".scorecard__track");
  const bar = row.querySelector(".scorecard__bar");
  const inner = track.clientWidth;  // inside the track's border: what 100% of a bar is
  const drawn = bar ? bar.getBoundingClientRect() : null;
  const box = track.getBoundingClientRect();
  return {verdict: row.dataset.verdict, count: Number(row.dataset.count), inner,
          bar: drawn ? drawn.width : 0, barLeft: drawn ? drawn.left : null,
          barRight: drawn ? drawn.right : null, trackLeft: box.left + track.clientLeft,
          trackRight: box.left + track.clientLeft + inner,
          cells: [...row.querySelectorAll("th, td")].map(c => c.innerText.trim())};
})"""


def _claimant(site: ScratchSite, make_factcheck: Callable[..., str],
              counts: dict[str, int]) -> None:
    number = 0
    for verdict, count in counts.items():
        for _ in range(count):
            number += 1
            site.write(f"content/2021/claim-{number}.md", make_factcheck(
                title=f'"Claim {number}"', claimant='"Mayor Alexandra Long-Named"',
                claimant_url='"https://example.org/alexandra"',
                verdict=verdict, date=f"2021-01-{number:02d}"))


@pytest.fixture
def claimant_page(site: ScratchSite, make_factcheck: Callable[..., str]) -> str:
    _claimant(site, make_factcheck, COUNTS)
    site.built()
    return (site.output / "claimants/mayor-alexandra-long-named/index.html").as_uri()


def _rows(page: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = page.evaluate(ROWS_JS)
    return rows


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_bars_are_shares_of_the_total_and_zero_rows_are_zero(
        browser: Any, claimant_page: str, width: int, scheme: str, tmp_path: Path) -> None:
    """Each bar is count / total of its track, in its verdict's colour; a verdict never given
    has no bar and reads 0 and 0%; the table fits the screen."""
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(claimant_page)
    rows = _rows(page)
    total = sum(COUNTS.values())
    assert [row["verdict"] for row in rows] == [v.id for v in DEFAULT_VERDICTS]
    for row in rows:
        count = COUNTS.get(row["verdict"], 0)
        assert row["count"] == count
        assert row["inner"] >= 60, "the track is too narrow to read"
        assert abs(row["bar"] - row["inner"] * count / total) <= 1, row
        if not count:
            assert row["bar"] == 0 and row["cells"][1:] == ["0", "0%"], row
        else:
            assert abs(row["barLeft"] - row["trackLeft"]) <= 0.5, "bars start at the track's start"
    assert page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    shot = tmp_path / f"scorecard-{width}-{scheme}.png"
    page.screenshot(path=str(shot), full_page=True)
    png = base64.b64encode(shot.read_bytes()).decode("ascii")
    scroll = page.evaluate("[window.scrollX, window.scrollY]")
    drawn = [row for row in rows if row["count"]]
    bars = page.locator(".scorecard__bar")
    points = []
    for index in range(bars.count()):
        box = bars.nth(index).bounding_box()
        assert box is not None
        points.append([round(box["x"] + scroll[0] + box["width"] / 2),
                       round(box["y"] + scroll[1] + box["height"] / 2)])
    colours = {v.id: v.color for v in DEFAULT_VERDICTS}
    for row, rgb in zip(drawn, page.evaluate(PIXELS_JS, [png, points]), strict=True):
        expected = [int(colours[row["verdict"]][i:i + 2], 16) for i in (1, 3, 5)]
        assert all(abs(c - e) <= 6 for c, e in zip(rgb, expected, strict=True)), (row, rgb)
    page.close()


def test_one_false_of_two_is_half_the_track(
        browser: Any, site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """The case the old chart got wrong: 1 of 2 (50%) filled the whole width, scaled to the
    largest count; it is half the track."""
    _claimant(site, make_factcheck, {"false": 1, "true": 1})
    site.built()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site.output / "claimants/mayor-alexandra-long-named/index.html").as_uri())
    drawn = {row["verdict"]: row["bar"] / row["inner"] for row in _rows(page) if row["count"]}
    assert drawn.keys() == {"false", "true"}
    assert all(abs(share - 0.5) <= 0.01 for share in drawn.values()), drawn
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_the_fact_checks_start_within_the_second_screen(
        browser: Any, claimant_page: str, scheme: str) -> None:
    """Header, heading, scorecard and its note take less than two phone screens, so the
    claimant's fact-checks (once 1,450 px down) begin within the second."""
    page = browser.new_page(viewport={"width": 375, "height": PHONE_SCREEN},
                            color_scheme=scheme)
    page.goto(claimant_page)
    first_card = page.locator("main .card").first.bounding_box()
    assert first_card is not None
    assert first_card["y"] < 2 * PHONE_SCREEN - 100, first_card  # its title shows too
    page.close()


def test_right_to_left_bars_grow_from_the_right(
        browser: Any, site: ScratchSite, make_factcheck: Callable[..., str]) -> None:
    """In an Arabic site each bar starts at its track's right edge."""
    site.write("sitegen.toml", (site.root / "sitegen.toml").read_text()
               .replace('language = "en"', 'language = "ar"'))
    _claimant(site, make_factcheck, COUNTS)
    site.built()
    [folder] = [p for p in (site.output / "claimants").iterdir()
                if p.is_dir() and "alexandra" in p.name]
    page = browser.new_page(viewport={"width": 375, "height": 900})
    page.goto((folder / "index.html").as_uri())
    for row in _rows(page):
        if row["count"]:
            assert abs(row["barRight"] - row["trackRight"]) <= 0.5, row
    page.close()
