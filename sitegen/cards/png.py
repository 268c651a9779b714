"""A card's PNG, written here rather than by Pillow, so the rows cards share are compressed once.

Compressing is much of what is left of a card's cost (1200x630 index bytes), and nearly half
of every card's rows are the same from card to card of a verdict: the top (the site's title
and host, the rule, the strip, the kicker and the verdict's badge; cards/layout.py's
SHARED_BAND). The image data is compressed in horizontal bands, each a run of raw
deflate blocks that ends byte-aligned with a full flush and refers to nothing before it, so
a band compressed for one card is valid in any other: a band whose bytes equal one kept from
an earlier card takes its compressed bytes and its Adler-32 as they are. A band is only ever
reused for exactly equal bytes, so what a card shows never depends on what was drawn before
it.

Every row has filter type 0 (none), as Pillow chooses for palette images; the bytes written
decode to exactly the pixels Pillow's writer would give.

Deflate is zlib-ng's (the `zlib-ng` package), not the standard library's zlib: the same
format, any inflater reads it, and over a card's rows it is faster and smaller. On 300 cards'
unshared rows (414 KB a card): zlib level 3 1.02 ms and 17.8 KB a card; zlib-ng level 2
0.40 ms and 17.1 KB, level 1 0.30 ms but 23.3 KB; its Adler-32 is four times as fast as
zlib's as well. (ISA-L, `isal`, is faster still, 0.16 ms, but 19.5 KB a card.)
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING

from zlib_ng import zlib_ng

if TYPE_CHECKING:
    from PIL import Image

SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEPT_PER_BAND = 16
"""Versions of a shared band kept (one per verdict label and reading direction, in
practice; up to 200 KB each): compared byte for byte, the first bytes of a row usually
differ at once."""

_ADLER_BASE = 65521
_ZLIB_HEADER = {1: b"\x78\x01", 2: b"\x78\x5e", 3: b"\x78\x5e", 4: b"\x78\x5e",
                5: b"\x78\x5e", 6: b"\x78\x9c"}
"""A zlib stream's two header bytes for a 32 KiB window, by level (its FLEVEL hint: 1 fastest,
2-5 fast, 6 default, 7-9 best; only a hint, decoders ignore it)."""

Band = tuple[int, int]
"""Rows from (inclusive) to (exclusive)."""


class SharedBands:
    """The compressed bands kept while one build draws its cards."""

    def __init__(self, bands: Sequence[Band]) -> None:
        self.bands = tuple(bands)
        self._kept: dict[Band, list[tuple[bytes, bytes, int]]] = {band: [] for band in bands}

    def find(self, band: Band, raw: bytes) -> tuple[bytes, int] | None:
        """The compressed bytes and Adler-32 of `raw` when this band had exactly it before."""
        for kept_raw, packed, adler in self._kept.get(band, ()):
            if kept_raw == raw:
                return packed, adler
        return None

    def keep(self, band: Band, raw: bytes, packed: bytes, adler: int) -> None:
        kept = self._kept.get(band)
        if kept is None:
            return
        if len(kept) >= KEPT_PER_BAND:
            del kept[0]
        kept.append((raw, packed, adler))


def write_png(image: Image.Image, palette: bytes, level: int,
              shared: SharedBands | None = None) -> bytes:
    """The paletted PNG of `image` ("L", palette indices) with the colours of `palette`
    (PLTE's bytes), compressed at zlib-ng's `level`; bands listed in `shared` are taken from
    earlier cards when their rows are the same."""
    from PIL import Image

    width, height = image.size
    rows = Image.new("L", (width + 1, height))  # column 0: each row's filter type, 0
    rows.paste(image, (1, 0))
    data = rows.tobytes()
    stride = width + 1
    bands = _bands(height, shared.bands if shared else ())
    packed: list[bytes] = []
    adler = 1
    for number, band in enumerate(bands):
        raw = data[band[0] * stride:band[1] * stride]
        final = number == len(bands) - 1
        found = shared.find(band, raw) if shared else None
        if found is None:
            found = _deflate(raw, level, final), zlib_ng.adler32(raw)
            if shared:
                shared.keep(band, raw, *found)
        packed.append(found[0])
        adler = adler_combine(adler, found[1], len(raw))
    stream = _ZLIB_HEADER.get(level, b"\x78\xda") + b"".join(packed) + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8-bit palette indices
    return (SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"PLTE", palette)
            + _chunk(b"IDAT", stream) + _chunk(b"IEND", b""))


def _bands(height: int, shared: Sequence[Band]) -> list[Band]:
    """Every row in order, in the shared bands that fit and the bands between them."""
    cuts = sorted({0, height, *(row for band in shared for row in band if 0 < row < height)})
    return list(itertools.pairwise(cuts))


def _deflate(raw: bytes, level: int, final: bool) -> bytes:
    """Raw deflate blocks of `raw` that refer to nothing before it; all but the last band end
    with a full flush (byte-aligned, not final), so any band may follow any other."""
    compressor = zlib_ng.compressobj(level, zlib_ng.DEFLATED, -15)
    return compressor.compress(raw) + compressor.flush(zlib_ng.Z_FINISH if final
                                                       else zlib_ng.Z_FULL_FLUSH)


def adler_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from theirs (zlib's
    adler32_combine, which neither Python's zlib nor zlib_ng offers)."""
    remainder = second_length % _ADLER_BASE
    low = ((first & 0xFFFF) + (second & 0xFFFF) + _ADLER_BASE - 1) % _ADLER_BASE
    high = (remainder * (first & 0xFFFF) + (first >> 16) + (second >> 16) + _ADLER_BASE
            - remainder) % _ADLER_BASE
    return low | (high << 16)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib_ng.crc32(data, zlib_ng.crc32(kind))))


def whole_png(data: bytes, width: int, height: int) -> bool:
    """Whether `data` is a PNG of `width` x `height` whose every chunk, IEND included, is
    whole and matches its CRC: what a cached card must be before it is published. Pillow's
    open and verify checked the same (bar IEND's CRC) at about five times the cost (0.17
    against 0.035 ms of CPU a card): 2.4 s of a build that finds 10,000 cards cached."""
    if not data.startswith(SIGNATURE):
        return False
    view = memoryview(data)
    position, first = len(SIGNATURE), True
    while position + 12 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, position)
        end = position + 8 + length
        if end + 4 > len(data):
            return False
        (crc,) = struct.unpack_from(">I", data, end)
        if zlib_ng.crc32(view[position + 4:end]) != crc:
            return False
        if first and (kind != b"IHDR" or length < 8
                      or struct.unpack_from(">II", data, position + 8) != (width, height)):
            return False
        if kind == b"IEND":
            return True
        position, first = end + 4, False
    return False
