"""A share card drawn as a palette image by construction: exact colours, cheap to compress.

An RGB card spends three quarters of its time in zlib (three bytes a pixel). A paletted PNG
has one byte a pixel and compresses four to eight times faster, but Pillow's own RGB-to-palette
conversion maps colours through a reduced-precision cache: white came out as 252 and the badge
label's colour was lost, and a newsroom's verdict colour must be exactly its colour.

A card has few colours, so it is drawn in palette indices from the start. Shapes (the strip,
the rule, the badge) are filled with their colour's index. Text is drawn as coverage on an
"L" layer (the same FreeType rendering and raqm layout as RGB text), and each coverage level
is mapped to a step of a ramp from the colour the text is drawn on to its ink: no coverage
leaves what is there, full coverage is exactly the ink, and the steps between are the colours
RGB drawing gives at those coverages. Antialiasing keeps `RAMP_STEPS` of its 256 levels.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported where a card is drawn: `sitegen check` draws none
    from PIL import Image, ImageDraw

RAMP_STEPS = 85
"""Coverage levels a text colour keeps, none and full included. Three text ramps (ink and muted
on the background, the label on the badge) of 84 colours each, the background and two shapes'
colours make 255 entries: as fine as a 256-colour palette allows. Fewer steps make files
hardly smaller (25.5 KB a card at 64 steps, 26.2 at 85)."""

COVERED = 255
"""The fill of text on a coverage layer: full coverage."""

RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Palette:
    """A card's colours in the order that lets text be laid with ImageChops.lighter: the
    background is index 0, the shapes' colours come next, then each text ramp in the order
    the texts are laid, so every ramp's indices are above everything it is laid over and a
    larger index is always the one on top. Colours may repeat (white label text on a white
    background): each use has its own index, so that order holds."""

    colors: tuple[RGB, ...]
    data: bytes
    """The colours as PNG's PLTE chunk has them: red, green, blue, one byte each."""
    shapes: dict[str, int]
    """A shape's colour (as given) -> its index."""
    ramps: dict[tuple[str, str], tuple[int, ...]]
    """(ink, colour under it) -> coverage level -> index; 0 where no step of ink shows."""


@cache
def palette(background: str, shapes: tuple[str, ...],
            texts: tuple[tuple[str, str], ...]) -> Palette:
    """The palette of cards with these colours; `texts` are (ink, colour under it) in the
    order they are laid. Cached: a build draws thousands of cards in a few verdict colours."""
    colors = [_rgb(background), *(_rgb(color) for color in shapes)]
    ramps: dict[tuple[str, str], tuple[int, ...]] = {}
    for ink, on in texts:
        first = len(colors) - 1  # the index of step 1 less one
        colors.extend(ramp(_rgb(on), _rgb(ink), RAMP_STEPS)[1:])
        ramps[(ink, on)] = tuple(0 if step == 0 else first + step for step in _STEP_OF_LEVEL)
    if len(colors) > 256:
        raise ValueError(f"{len(colors)} colours do not fit a palette; lower RAMP_STEPS")
    return Palette(tuple(colors), b"".join(bytes(rgb) for rgb in colors),
                   {color: n + 1 for n, color in enumerate(shapes)}, ramps)


@dataclass(frozen=True, slots=True)
class Layer:
    """Text of one colour on one colour, drawn as coverage, laid in one go."""

    coverage: Image.Image
    draw: ImageDraw.ImageDraw
    lut: tuple[int, ...]
    """Coverage level -> palette index."""


class Canvas:
    """A card being drawn: an "L" image of indices into its palette, background 0.

    Shapes and layers are laid in the order they are drawn, as on an RGB image, text over
    what is under it; only antialiased edges over another colour than the one their ramp
    starts from (a writer's pile of combining accents reaching the badge, say) come out as
    if over that colour."""

    def __init__(self, size: tuple[int, int], colors: Palette) -> None:
        from PIL import Image, ImageDraw

        self.palette = colors
        self.image = Image.new("L", size, 0)
        self.shapes = ImageDraw.Draw(self.image)

    def index(self, shape_color: str) -> int:
        """The index to fill a shape of that colour (one of the palette's shapes) with."""
        return self.palette.shapes[shape_color]

    def layer(self, ink: str, on: str) -> Layer:
        """A coverage layer for text in `ink` over `on` (one of the palette's texts); draw on
        it with fill=COVERED, then `compose` it."""
        from PIL import Image, ImageDraw

        coverage = Image.new("L", self.image.size)
        return Layer(coverage, ImageDraw.Draw(coverage), self.palette.ramps[(ink, on)])

    def compose(self, layer: Layer) -> None:
        """Lay the layer's text over what is drawn, where some step of its ink shows: the
        larger index wins, and the palette's order makes that the text (a binary mask and
        paste does the same 0.4 ms a card slower)."""
        from PIL import ImageChops

        box = layer.coverage.getbbox()
        if box is None:
            return
        text = layer.coverage.crop(box).point(layer.lut)
        self.image.paste(ImageChops.lighter(self.image.crop(box), text), box)

    def png(self, compress_level: int) -> bytes:
        """The paletted PNG; the same drawing gives the same bytes."""
        image = self.image.copy()
        image.putpalette(self.palette.data)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", compress_level=compress_level)
        return buffer.getvalue()


@cache
def ramp(background: RGB, ink: RGB, steps: int) -> tuple[RGB, ...]:
    """The colours of a ramp's steps, from exactly `background` to exactly `ink`."""
    return tuple(blend(background, ink, level) for level in ramp_levels(steps))


def ramp_levels(steps: int) -> list[int]:
    """The coverage each step stands for, 0 (background) to 255 (ink), evenly spread."""
    return [round(step * 255 / (steps - 1)) for step in range(steps)]


def nearest_step(level: int, steps: int) -> int:
    """The step whose coverage is nearest `level` (0-255)."""
    return (level * (steps - 1) * 2 + 255) // 510


_STEP_OF_LEVEL = tuple(nearest_step(level, RAMP_STEPS) for level in range(256))


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
    from PIL import ImageColor

    red, green, blue = ImageColor.getrgb(color)[:3]
    return red, green, blue
