"""Advice about a verdict scale's colours: can a reader tell the badges apart?

A badge carries an icon and a label, so colour is never the only signal; but readers scan a
listing by colour first, and two verdicts in nearly one orange read as one verdict until the
label is read. The check warns (never fails: the newsroom's palette is its own decision).

Whether a badge's label can be read needs no check: it is black or white, whichever
contrasts more (colors.text_color), and for every colour one of them reaches at least
4.58:1, above WCAG AA's 4.5:1 (tests/test_colors.py proves it).
"""

from __future__ import annotations

from sitegen.colors import difference
from sitegen.config.schema import Reader
from sitegen.models import Verdict
from sitegen.problems import Problem

CLOSEST_DIFFERENCE = 10.0
"""The smallest CIEDE2000 difference between two verdicts' colours that passes: about ten
times what a trained eye sees side by side, what a reader needs to match a small badge to a
colour seen elsewhere on the page (the default scale's closest pair is 23.6)."""


def scale_warnings(reader: Reader, verdicts: tuple[Verdict, ...]) -> list[Problem]:
    """Every pair of verdicts whose colours are too close, each at the later one's `color`
    line."""
    problems = []
    for index, verdict in enumerate(verdicts):
        for earlier in verdicts[:index]:
            apart = difference(earlier.color, verdict.color)
            if apart < CLOSEST_DIFFERENCE:
                problems.append(reader.warning(
                    ("verdicts", index, "color"),
                    f"'{verdict.color}' of '{verdict.id}' is too close to '{earlier.color}' "
                    f"of '{earlier.id}' to tell the badges apart (CIEDE2000 difference "
                    f"{apart:.1f}; at least {CLOSEST_DIFFERENCE:.0f} reads as another colour)",
                    "choose a colour of another hue or lightness; docs/configuration.md "
                    "lists the default scale's"))
    return problems
