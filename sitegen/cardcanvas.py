"""A share card drawn as a palette image by construction: exact colours, cheap to compress.

An RGB card spends three quarters of its time in zlib (three bytes a pixel). A paletted PNG
has one byte a pixel and compresses four to eight times faster, but Pillow's own RGB-to-palette
conversion maps colours through a reduced-precision cache: white came out as 252 and the badge
label's colour was lost, and a newsroom's verdict colour must be exactly its colour.

A card has few colours, so it is drawn in palette indices from the start. Shapes (the strip,
the rule, the badge) are filled with their colour's index. Text is drawn as coverage on an
"L" layer (the same FreeType rendering and raqm layout as RGB text), and each coverage level
is mapped to a step of a ramp from the layer's background colour to its ink: step 0 is
exactly the background, the last step exactly the ink, and the steps between are the colours
RGB drawing gives at those coverages. Antialiasing keeps `RAMP_STEPS` of its 256 levels.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageColor, ImageDraw

RAMP_STEPS = 85
"""Coverage levels a text colour keeps, background and ink included. Three text ramps (ink and
muted on the background, the label on the badge) of 84 new colours each, the background, the
verdict colour and the rule make 255 entries: as fine as a 256-colour palette allows. Fewer
steps make smaller files (see bench/README.md, cards.py), but the saving is small."""

COVERED = 255
"""The fill of text on a coverage layer: full coverage."""

RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Layer:
    """Text of one colour on one background, drawn as coverage, composed in one go."""

    coverage: Image.Image
    draw: ImageDraw.ImageDraw
    lut: tuple[int, ...]
    """Coverage level -> palette index."""


class Canvas:
    """A card being drawn: an "L" image of palette indices and the palette they index.

    Shapes and layers are composed in the order they are drawn, as on an RGB image; only
    antialiased edges over a colour other than their layer's background (a writer's pile of
    combining accents reaching the badge, say) come out as if over that background."""

    def __init__(self, size: tuple[int, int], background: str) -> None:
        self._colors: dict[RGB, int] = {}
        self._background = self.index(background)
        self.image = Image.new("L", size, self._background)
        self.shapes = ImageDraw.Draw(self.image)

    def index(self, color: str | RGB) -> int:
        """The palette index of `color`, added on first use (equal colours share one)."""
        rgb = color if isinstance(color, tuple) else _rgb(color)
        if rgb not in self._colors:
            if len(self._colors) == 256:  # a card's three ramps and three shapes make 255
                raise ValueError("a palette holds 256 colours; shorten RAMP_STEPS")
            self._colors[rgb] = len(self._colors)
        return self._colors[rgb]

    def layer(self, ink: str, on: str) -> Layer:
        """A coverage layer for text in `ink` over `on`; draw on it with fill=COVERED."""
        steps = [self.index(color) for color in ramp(_rgb(on), _rgb(ink), RAMP_STEPS)]
        coverage = Image.new("L", self.image.size)
        lut = tuple(steps[step] for step in _STEP_OF_LEVEL)
        return Layer(coverage, ImageDraw.Draw(coverage), lut)

    def compose(self, layer: Layer) -> None:
        """Lay the layer's text over what is drawn: only where some step of ink shows, so
        faint edges never paint their background over a neighbouring colour. (Taking the
        larger index, ImageChops.lighter, is 0.4 ms a card faster but mixes colours where
        text meets a shape.)"""
        box = layer.coverage.getbbox()
        if box is None:
            return
        region = layer.coverage.crop(box)
        self.image.paste(region.point(layer.lut), box, region.point(_SHOWN))

    def png(self, compress_level: int) -> bytes:
        """The paletted PNG; the same drawing gives the same bytes."""
        image = self.image.copy()
        image.putpalette(b"".join(bytes(rgb) for rgb in self._colors))
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=compress_level)
        return buffer.getvalue()


@cache
def ramp(background: RGB, ink: RGB, steps: int) -> tuple[RGB, ...]:
    """The colours of a ramp's steps, from exactly `background` to exactly `ink` (a build
    draws thousands of cards in a handful of colours)."""
    return tuple(blend(background, ink, level) for level in ramp_levels(steps))


def ramp_levels(steps: int) -> list[int]:
    """The coverage each step stands for, 0 (background) to 255 (ink), evenly spread."""
    return [round(step * 255 / (steps - 1)) for step in range(steps)]


def nearest_step(level: int, steps: int) -> int:
    """The step whose coverage is nearest `level` (0-255)."""
    return (level * (steps - 1) * 2 + 255) // 510


_STEP_OF_LEVEL = tuple(nearest_step(level, RAMP_STEPS) for level in range(256))
_SHOWN = tuple(0 if step == 0 else 255 for step in _STEP_OF_LEVEL)
"""Coverage level -> the mask of the pixels a layer paints: those of a step above 0."""


def blend(background: RGB, ink: RGB, level: int) -> RGB:
    """`ink` over `background` at coverage `level`, rounded as Pillow draws RGB text, so a
    coverage that is exactly a step's gives exactly the RGB card's pixel."""
    return (_blend(background[0], ink[0], level), _blend(background[1], ink[1], level),
            _blend(background[2], ink[2], level))


def _blend(background: int, ink: int, level: int) -> int:
    total = background * (255 - level) + ink * level + 128
    return ((total >> 8) + total) >> 8


@cache
def _rgb(color: str) -> RGB:
    red, green, blue = ImageColor.getrgb(color)[:3]
    return red, green, blue
