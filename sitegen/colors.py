"""Colour facts the theme, the share cards and the config check share: the bottom layer.

A verdict's badge is drawn by the theme (CSS) and on share cards (Pillow); both must pick
the same text colour for the same verdict colour, so the rule lives once, here. The config
check asks two more questions of a scale: can a reader tell two verdicts apart by colour
(CIEDE2000, `difference`), and can a reader read a badge's label (WCAG 2 contrast,
`contrast`)?

CIEDE2000 is a dozen lines of published arithmetic (CIE 142-2001; Sharma, Wu & Dalal 2005,
whose test data tests/test_colors.py checks): smaller than a dependency, and a colour library
would bring far more than the one function the check needs.
"""

from __future__ import annotations

import math

Lab = tuple[float, float, float]

_D65 = (0.95047, 1.0, 1.08883)
"""The reference white of sRGB (CIE D65, 2° observer), Y normalised to 1."""


def _linear(channel: float) -> float:
    """An sRGB channel (0-1) without its transfer curve (IEC 61966-2-1)."""
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _channels(color: str) -> tuple[float, float, float]:
    """#rrggbb as three channels from 0 to 1."""
    red, green, blue = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return red, green, blue


def relative_luminance(color: str) -> float:
    """WCAG 2's relative luminance of #rrggbb (its 0.03928 threshold, as the text says)."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
              for c in _channels(color)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_color(background: str) -> str:
    """Black or white, whichever reads better on `background` (WCAG relative luminance)."""
    luminance = relative_luminance(background)
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def lab(color: str) -> Lab:
    """#rrggbb in CIELAB (D65), through linear sRGB and CIE XYZ."""
    red, green, blue = (_linear(c) for c in _channels(color))
    xyz = (0.4124564 * red + 0.3575761 * green + 0.1804375 * blue,
           0.2126729 * red + 0.7151522 * green + 0.0721750 * blue,
           0.0193339 * red + 0.1191920 * green + 0.9503041 * blue)
    fx, fy, fz = (_lab_f(value / white) for value, white in zip(xyz, _D65, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _lab_f(t: float) -> float:
    delta = 6 / 29
    return t ** (1 / 3) if t > delta ** 3 else t / (3 * delta ** 2) + 4 / 29


def difference(first: str, second: str) -> float:
    """How different two #rrggbb colours look (CIEDE2000 ΔE00): about 1 is the smallest
    difference a trained eye sees side by side; a reader matching a badge to a legend
    needs many times that."""
    return delta_e_2000(lab(first), lab(second))


def delta_e_2000(first: Lab, second: Lab) -> float:
    """CIEDE2000 colour difference of two CIELAB colours, with kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    mean_c7 = ((math.hypot(a1, b1) + math.hypot(a2, b2)) / 2) ** 7
    g = 0.5 * (1 - math.sqrt(mean_c7 / (mean_c7 + 25 ** 7)))
    c1, h1 = _chroma_hue((1 + g) * a1, b1)
    c2, h2 = _chroma_hue((1 + g) * a2, b2)
    delta_l, delta_c = l2 - l1, c2 - c1
    delta_h = _hue_step(h1, h2) if c1 * c2 else 0.0
    big_delta_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(delta_h / 2))
    mean_l, mean_c = (l1 + l2) / 2, (c1 + c2) / 2
    mean_h = _mean_hue(h1, h2) if c1 * c2 else h1 + h2
    t = (1 - 0.17 * math.cos(math.radians(mean_h - 30)) + 0.24 * math.cos(math.radians(2 * mean_h))
         + 0.32 * math.cos(math.radians(3 * mean_h + 6))
         - 0.20 * math.cos(math.radians(4 * mean_h - 63)))
    rotation = 30 * math.exp(-(((mean_h - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(mean_c ** 7 / (mean_c ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c = 1 + 0.045 * mean_c
    s_h = 1 + 0.015 * mean_c * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    return math.sqrt((delta_l / s_l) ** 2 + (delta_c / s_c) ** 2 + (big_delta_h / s_h) ** 2
                     + r_t * (delta_c / s_c) * (big_delta_h / s_h))


def _chroma_hue(a: float, b: float) -> tuple[float, float]:
    """Chroma and hue angle in degrees (0 <= h < 360; 0 for a grey)."""
    hue = math.degrees(math.atan2(b, a)) % 360 if a or b else 0.0
    return math.hypot(a, b), hue


def _hue_step(h1: float, h2: float) -> float:
    """h2 - h1 the short way round the circle."""
    step = h2 - h1
    if step > 180:
        return step - 360
    return step + 360 if step < -180 else step


def _mean_hue(h1: float, h2: float) -> float:
    """The mean of two hue angles, the short way round (the paper's eq. 14)."""
    if abs(h1 - h2) <= 180:
        return (h1 + h2) / 2
    return (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
