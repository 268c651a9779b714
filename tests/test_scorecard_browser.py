"""A claimant's scorecard in real Chromium at a phone and a desktop width, as a reader sees it.

The chart is measured (bar widths against the counts, labels apart, nothing off the screen)
and its screenshot is read back pixel by pixel: each bar is drawn in its verdict's colour.
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


@pytest.fixture
def claimant_page(site: ScratchSite, make_factcheck: Callable[..., str]) -> str:
    number = 0
    for verdict, count in COUNTS.items():
        for _ in range(count):
            number += 1
            site.write(f"content/2021/claim-{number}.md", make_factcheck(
                title=f'"Claim {number}"', claimant='"Mayor Alexandra Long-Named"',
                verdict=verdict, date=f"2021-01-{number:02d}"))
    site.built()
    return (site.output / "claimants/mayor-alexandra-long-named/index.html").as_uri()


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return dict(box)


def _apart(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
            or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("width", [375, 1280])
def test_scorecard_chart_reads_well(browser: Any, claimant_page: str, width: int,
                                    tmp_path: Path) -> None:
    """Visible in full, bars proportional to counts, labels and counts never overlapping, no
    sideways scroll; the screenshot shows each bar in its verdict's colour."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(claimant_page)
    chart = page.locator(".scorecard__chart")
    assert chart.is_visible()
    frame = _box(chart)
    assert frame["x"] >= 0 and frame["x"] + frame["width"] <= width
    assert frame["width"] >= 250 and frame["height"] >= 8 * 30
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    rows = page.locator(".scorecard__row")
    assert rows.count() == len(DEFAULT_VERDICTS)
    bars, texts, drawn = {}, [], {}
    for index in range(rows.count()):
        row = rows.nth(index)
        verdict = row.get_attribute("data-verdict")
        label = _box(row.locator(".scorecard__label"))
        count = _box(row.locator(".scorecard__count"))
        texts += [label, count]
        if COUNTS.get(verdict or ""):
            bar = _box(row.locator("rect"))
            bars[verdict] = bar
            drawn[verdict] = row.locator("rect").evaluate("r => r.getBBox().width")  # no stroke
            assert abs(count["x"] - (bar["x"] + bar["width"])) <= 8  # the count ends the bar
            assert count["x"] + count["width"] <= frame["x"] + frame["width"] + 1
            assert bar["y"] >= label["y"] + label["height"] - 2  # the bar is under its label
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert _apart(a, b), (a, b)
    unit = drawn["true"]
    assert unit > 10
    for verdict, bar_width in drawn.items():
        assert abs(bar_width - COUNTS[verdict] * unit) <= 0.5, verdict

    shot = tmp_path / f"scorecard-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    png = base64.b64encode(shot.read_bytes()).decode("ascii")
    scroll = page.evaluate("[window.scrollX, window.scrollY]")
    points = [[round(b["x"] + scroll[0] + b["width"] / 2),
               round(b["y"] + scroll[1] + b["height"] / 2)] for b in bars.values()]
    colours = {v.id: v.color for v in DEFAULT_VERDICTS}
    seen = page.evaluate(PIXELS_JS, [png, points])
    for verdict, rgb in zip(bars, seen, strict=True):
        expected = [int(colours[verdict][i:i + 2], 16) for i in (1, 3, 5)]
        assert all(abs(c - e) <= 6 for c, e in zip(rgb, expected, strict=True)), (verdict, rgb)
    page.close()
