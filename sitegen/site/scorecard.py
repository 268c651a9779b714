"""A claimant's scorecard: how their checked claims break down by verdict, as chart geometry.

Python decides the numbers (each bar's width and row, the shares, the text a screen reader
hears) and `_scorecard.html` draws them as an SVG, so the chart is plain markup made at build
time: no script, nothing to load, and it prints. Every verdict of the scale gets a row, in
scale order, zeros included, so two claimants' charts read the same way.

Bars are sized in percent of the chart's width, so the SVG fills any screen without scaling
its text; the longest bar takes `BAR_SPAN` percent, leaving room for its count after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sitegen.models import Verdict

ROW_HEIGHT = 44
"""Pixels per verdict: a label line, then the bar."""
LABEL_BASELINE = 17
BAR_TOP = 23
BAR_HEIGHT = 14
BAR_SPAN = 85.0


@dataclass(frozen=True, slots=True)
class ScoreBar:
    """One verdict's row: its label and count as text, its bar as a width in percent."""

    verdict: Verdict
    count: int
    share: int
    """Percent of the claimant's fact-checks, rounded."""
    width: float
    label_y: int
    bar_y: int
    count_y: int


@dataclass(frozen=True, slots=True)
class Scorecard:
    bars: tuple[ScoreBar, ...]
    total: int
    height: int
    bar_height: int
    description: str
    """The chart's numbers as a sentence, for the SVG's <desc>."""


def scorecard(counts: Iterable[tuple[str, int]], scale: Sequence[Verdict]) -> Scorecard:
    """The chart for verdict counts given as (verdict id, count); ids off the scale are
    ignored (a validated site has none)."""
    by_id = dict(counts)
    total = sum(by_id.get(v.id, 0) for v in scale)
    largest = max((by_id.get(v.id, 0) for v in scale), default=0)
    bars = tuple(_bar(verdict, by_id.get(verdict.id, 0), total, largest, row)
                 for row, verdict in enumerate(scale))
    return Scorecard(bars, total, ROW_HEIGHT * len(bars), BAR_HEIGHT, _describe(bars, total))


def _bar(verdict: Verdict, count: int, total: int, largest: int, row: int) -> ScoreBar:
    width = round(BAR_SPAN * count / largest, 3) if largest else 0.0
    share = round(100 * count / total) if total else 0
    top = row * ROW_HEIGHT
    return ScoreBar(verdict, count, share, width, top + LABEL_BASELINE, top + BAR_TOP,
                    top + BAR_TOP + BAR_HEIGHT - 2)


def _describe(bars: Sequence[ScoreBar], total: int) -> str:
    checked = f"{total} fact-check{'' if total == 1 else 's'}"
    rated = [f"{bar.verdict.label} {bar.count}" for bar in bars if bar.count]
    return f"{checked}: " + ", ".join(rated) + "." if rated else f"{checked}."
