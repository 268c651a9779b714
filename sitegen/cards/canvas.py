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

Each line of text is rendered once into a `Stamp`, an "L" image as large as its ink, and a
colour's stamps are laid together on a coverage image as large as they span: a card used to
allocate, scan and map a full 1200x630 layer per colour, three quarters of a megabyte each,
and that was a fifth of its cost. A stamp is drawn onto the coverage with the same FreeType
mask and the same C routine as `ImageDraw.text` uses, so the pixels are the same, and the
lines every card of a site shares (its title and host, the verdict labels) are stamped
once per build (`CardFonts.stamp`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from sitegen.cards.png import SharedBands, write_png

if TYPE_CHECKING:  # Pillow is imported where a card is drawn: `sitegen check` draws none
    from PIL import Image, ImageFont

RAMP_STEPS = 85
"""Coverage levels a text colour keeps, none and full included. Three text ramps (ink and muted
on the background, the label on the badge) of 84 colours each, the background and two shapes'
colours make 255 entries: as fine as a 256-colour palette allows. Fewer steps make files
hardly smaller (25.5 KB a card at 64 steps, 26.2 at 85)."""

DRAWN_ROWS = 64
"""Tops of cards kept drawn per build (`DrawnRows`): a site has one (header, kicker and
badge, 336 KB) per verdict label and reading direction; at most 22 MB."""

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
    ramps: dict[tuple[str, str], bytes]
    """(ink, colour under it) -> coverage level -> index; 0 where no step of ink shows. Bytes,
    to map a coverage image with `bytes.translate`: `Image.point` rounds its 256 entries in
    Python on every call, 2,000 calls of `round` a card."""


@cache
def palette(background: str, shapes: tuple[str, ...],
            texts: tuple[tuple[str, str], ...]) -> Palette:
    """The palette of cards with these colours; `texts` are (ink, colour under it) in the
    order they are laid. Cached: a build draws thousands of cards in a few verdict colours."""
    colors = [_rgb(background), *(_rgb(color) for color in shapes)]
    ramps: dict[tuple[str, str], bytes] = {}
    for ink, on in texts:
        first = len(colors) - 1  # the index of step 1 less one
        colors.extend(ramp(_rgb(on), _rgb(ink), RAMP_STEPS)[1:])
        ramps[(ink, on)] = bytes(0 if step == 0 else first + step for step in _STEP_OF_LEVEL)
    if len(colors) > 256:
        raise ValueError(f"{len(colors)} colours do not fit a palette; lower RAMP_STEPS")
    return Palette(tuple(colors), b"".join(bytes(rgb) for rgb in colors),
                   {color: n + 1 for n, color in enumerate(shapes)}, ramps)


@dataclass(frozen=True, slots=True)
class Stamp:
    """One line of text as FreeType draws it: its coverage, as large as its ink box, and
    where that box starts from the point the text is anchored at."""

    coverage: Image.Image
    offset: tuple[int, int]


def stamp(font: ImageFont.FreeTypeFont, text: str, anchor: str = "la",
          direction: str | None = None) -> Stamp:
    """`text` (one line) rendered as coverage. `getbbox` is the size and offset of the mask
    `ImageDraw.text` draws, so drawing at minus the offset fills the image exactly with it."""
    from PIL import Image, ImageDraw

    if "\n" in text:
        raise ValueError("a stamp is one line of text")
    left, top, right, bottom = (int(edge) for edge in font.getbbox(
        text, "L", direction=direction, anchor=anchor))
    coverage = Image.new("L", (max(0, right - left), max(0, bottom - top)))
    if coverage.width and coverage.height:
        ImageDraw.Draw(coverage).text((-left, -top), text, font=font, fill=COVERED,
                                      anchor=anchor, direction=direction)
    return Stamp(coverage, (left, top))


Placed = tuple[Stamp, tuple[int, int]]
"""A stamp and the point its text is anchored at."""


class Canvas:
    """A card being drawn: an "L" image of indices into its palette, background 0.

    Shapes and text are laid in the order they are drawn, as on an RGB image, text over
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

    def lay(self, ink: str, on: str, placed: Sequence[Placed]) -> None:
        """Lay text in `ink` over `on` (one of the palette's texts) where some step of its
        ink shows: the larger index wins, and the palette's order makes that the text (a
        binary mask and paste does the same 0.4 ms a card slower). Stamps whose boxes meet
        are added up first, as text drawn on one layer would be; a stamp that meets no
        other is laid as it is, which is the same since no coverage maps to index 0."""
        from PIL import Image, ImageChops

        lut = self.palette.ramps[(ink, on)]
        for group in _touching(placed):
            box = _span(self.image.size, [ink_box(item) for item in group])
            if box is not None:
                coverage = _coverage(group, box)
                laid = Image.frombytes("L", coverage.size, coverage.tobytes().translate(lut))
                self.image.paste(ImageChops.lighter(self.image.crop(box), laid), box)

    def png(self, compress_level: int, shared: SharedBands | None = None) -> bytes:
        """The paletted PNG; the same drawing gives the same bytes, whichever bands
        `shared` had kept (png.py)."""
        return write_png(self.image, self.palette.data, compress_level, shared)


class DrawnRows:
    """Rows of cards as drawn, kept per build by what decides them (draw.py: the site's
    title and host, the rule, the strip, the kicker and a verdict's badge). Fitting the
    title, measuring the host and the label, laying them and filling the badge took 0.19 ms
    of every card (of about 3.3), for rows nearly every card of a site shows as they are;
    pasting them takes 0.01. Kept by everything that decides their palette indices, and
    pasted only into cards whose other text stays out of those rows, so a card is the same
    whether its top was drawn or pasted (tests/test_card_stamps.py)."""

    def __init__(self, bands: Sequence[tuple[int, int]], kept: int = DRAWN_ROWS) -> None:
        self._bands = tuple(bands)
        self._kept = kept
        self._rows: dict[tuple[object, ...], Image.Image] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def find(self, key: tuple[object, ...]) -> Image.Image | None:
        return self._rows.get(key)

    def keep(self, keys: Sequence[tuple[object, ...]], image: Image.Image) -> None:
        """The image's rows of each band, by that band's key, unless kept already."""
        for key, (top, bottom) in zip(keys, self._bands, strict=True):
            if key not in self._rows:
                keep_at_most(self._rows, key, image.crop((0, top, image.width, bottom)),
                             self._kept)


Key = TypeVar("Key")
Value = TypeVar("Value")


def keep_at_most(memo: dict[Key, Value], key: Key, value: Value, most: int) -> Value:
    """`value` kept in `memo` under `key`, the oldest entry going first once `most` are kept:
    the bound on what a build keeps drawn (stamps, rows), whatever the site."""
    if len(memo) >= most:
        del memo[next(iter(memo))]
    memo[key] = value
    return value


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


Box = tuple[int, int, int, int]


def ink_box(placed: Placed) -> Box:
    (drawn, (x, y)) = placed
    left, top = x + drawn.offset[0], y + drawn.offset[1]
    return left, top, left + drawn.coverage.width, top + drawn.coverage.height


def _touching(placed: Sequence[Placed]) -> list[list[Placed]]:
    """The stamps in groups whose boxes overlap, directly or through others, each group in
    the order given."""
    groups: list[tuple[Box, list[int]]] = []
    for number, item in enumerate(placed):
        box, members = ink_box(item), [number]
        for group in [group for group in groups if _meet(group[0], box)]:
            groups.remove(group)
            box, members = _union(box, group[0]), group[1] + members
        groups.append((box, members))
    return [[placed[number] for number in sorted(members)] for _, members in groups]


def _meet(one: Box, other: Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def _union(one: Box, other: Box) -> Box:
    return (min(one[0], other[0]), min(one[1], other[1]), max(one[2], other[2]),
            max(one[3], other[3]))


def _coverage(group: Sequence[Placed], box: Box) -> Image.Image:
    """The group's coverage over `box`: a lone stamp inside the image is its own."""
    from PIL import Image, ImageDraw

    if len(group) == 1 and ink_box(group[0]) == box:
        return group[0][0].coverage
    coverage = Image.new("L", (box[2] - box[0], box[3] - box[1]))
    draw = ImageDraw.Draw(coverage)
    for item in group:
        left, top, _, _ = ink_box(item)
        draw.bitmap((left - box[0], top - box[1]), item[0].coverage, fill=COVERED)
    return coverage


def _span(size: tuple[int, int], boxes: Sequence[Box]) -> Box | None:
    """The part of an image of `size` the boxes cover together, None when it is empty."""
    boxes = [box for box in boxes if box[2] > box[0] and box[3] > box[1]]
    if not boxes:
        return None
    left, top = max(0, min(box[0] for box in boxes)), max(0, min(box[1] for box in boxes))
    right = min(size[0], max(box[2] for box in boxes))
    bottom = min(size[1], max(box[3] for box in boxes))
    return (left, top, right, bottom) if right > left and bottom > top else None


def _blend(background: int, ink: int, level: int) -> int:
    total = background * (255 - level) + ink * level + 128
    return ((total >> 8) + total) >> 8


@cache
def _rgb(color: str) -> RGB:
    from PIL import ImageColor

    red, green, blue = ImageColor.getrgb(color)[:3]
    return red, green, blue
