"""A claimant's scorecard: how their checked claims break down by verdict, as numbers.

Python decides the numbers (each verdict's count, its share of the claimant's fact-checks and
the width of its bar) and `_scorecard.html` draws them as one table whose rows carry their bar,
so the chart and its numbers are a single thing a screen reader reads once: no script, nothing
to load, and it prints. Every verdict of the scale gets a row, in scale order, zeros included,
so two claimants' charts read the same way.

A bar's width is its share of the claimant's total, not of their most frequent verdict: one
"false" out of two fact-checks is half a bar, because drawing it full width (scaled to the
largest count) would make a claimant checked twice look like one who is always wrong. A
verdict they never received has a bar of zero width and reads 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sitegen.models import Verdict


@dataclass(frozen=True, slots=True)
class ScoreBar:
    """One verdict's row: its count, its share rounded for reading, its bar's exact width."""

    verdict: Verdict
    count: int
    share: int
    """Percent of the claimant's fact-checks, rounded to a whole number for the text."""
    width: float
    """Percent of the bar's track: the share unrounded (to 3 decimals), so bars add up to
    the whole track and 1 of 3 is drawn as a third, not 33%."""


@dataclass(frozen=True, slots=True)
class Scorecard:
    bars: tuple[ScoreBar, ...]
    total: int
    description: str
    """The numbers as an English sentence, for a template that wants one line of text."""


def scorecard(counts: Iterable[tuple[str, int]], scale: Sequence[Verdict]) -> Scorecard:
    """The scorecard for verdict counts given as (verdict id, count); ids off the scale are
    ignored (a validated site has none)."""
    by_id = dict(counts)
    total = sum(by_id.get(v.id, 0) for v in scale)
    bars = tuple(_bar(verdict, by_id.get(verdict.id, 0), total) for verdict in scale)
    return Scorecard(bars, total, _describe(bars, total))


def _bar(verdict: Verdict, count: int, total: int) -> ScoreBar:
    if not total:
        return ScoreBar(verdict, count, 0, 0.0)
    return ScoreBar(verdict, count, round(100 * count / total), round(100 * count / total, 3))


def _describe(bars: Sequence[ScoreBar], total: int) -> str:
    checked = f"{total} fact-check{'' if total == 1 else 's'}"
    rated = [f"{bar.verdict.label} {bar.count}" for bar in bars if bar.count]
    return f"{checked}: " + ", ".join(rated) + "." if rated else f"{checked}."
