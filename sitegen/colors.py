"""Colour facts the theme and the share cards share: the bottom layer, so both can ask.

A verdict's badge is drawn by the theme (CSS) and on share cards (Pillow); both must pick
the same text colour for the same verdict colour, so the rule lives once, here.
"""

from __future__ import annotations


def text_color(background: str) -> str:
    """Black or white, whichever reads better on `background` (WCAG relative luminance)."""
    channels = [int(background[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"
