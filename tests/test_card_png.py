"""The cards' PNG writer: valid files (every checksum), exactly the pixels Pillow's own writer
gives, and rows shared between cards reused only when they are the same bytes."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from sitegen.cards import SharedBands, adler_combine, write_png
from sitegen.cards import png as cardpng

SIZE = (300, 120)
PALETTE = bytes(range(0, 255, 1)) + bytes(3 * 256 - 255)  # 256 colours, all different


def indexed(seed: int, band_fill: int = 7) -> Image.Image:
    """An index image: a shared-looking band on top (rows 0-39), noise and shapes below."""
    image = Image.new("L", SIZE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 299, 39), fill=band_fill)
    draw.text((10, 10), "Header", fill=200)
    generator = random.Random(seed)
    for _ in range(60):
        x, y = generator.randrange(300), generator.randrange(40, 120)
        draw.ellipse((x, y, x + 9, y + 5), fill=generator.randrange(1, 256))
    return image


def chunks(data: bytes) -> dict[bytes, bytes]:
    """Each chunk's data by type, after checking its CRC."""
    assert data[:8] == cardpng.SIGNATURE
    found, position = {}, 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        found[kind] = body
        position += 12 + length
    assert list(found) == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    return found


def pillows(image: Image.Image) -> Image.Image:
    reference = image.copy()
    reference.putpalette(PALETTE)
    buffer = io.BytesIO()
    reference.save(buffer, "PNG")
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


@pytest.mark.parametrize("level", [1, 3, 6, 9])
def test_the_file_is_valid_and_shows_what_pillow_would(level: int) -> None:
    image = indexed(1)
    shared = SharedBands([(0, 40)])
    data = write_png(image, PALETTE, level, shared)
    found = chunks(data)
    rows = zlib.decompress(found[b"IDAT"])  # checks the Adler-32 too
    assert rows == b"".join(b"\0" + image.tobytes()[y * 300:(y + 1) * 300] for y in range(120))
    assert found[b"PLTE"] == PALETTE
    with Image.open(io.BytesIO(data)) as decoded:
        assert decoded.mode == "P"
        assert decoded.convert("RGB").tobytes() == pillows(image).tobytes()


def test_a_shared_band_is_reused_only_for_the_same_rows() -> None:
    shared = SharedBands([(0, 40), (90, 120)])
    first = write_png(indexed(1), PALETTE, 3, shared)
    assert shared.find((0, 40), _rows(indexed(1), 0, 40)) is not None
    for image in (indexed(2), indexed(3, band_fill=8), indexed(1)):
        drawn = write_png(image, PALETTE, 3, shared)
        alone = write_png(image, PALETTE, 3, SharedBands([(0, 40), (90, 120)]))
        assert drawn == alone  # the same bytes as with nothing kept
        assert zlib.decompress(chunks(drawn)[b"IDAT"])  # and valid
        with Image.open(io.BytesIO(drawn)) as decoded:
            assert decoded.convert("RGB").tobytes() == pillows(image).tobytes()
    assert write_png(indexed(1), PALETTE, 3, shared) == first


def test_bands_outside_the_image_are_left_out() -> None:
    image = indexed(4)
    data = write_png(image, PALETTE, 3, SharedBands([(0, 40), (100, 400), (-5, 0)]))
    with Image.open(io.BytesIO(data)) as decoded:
        assert decoded.convert("RGB").tobytes() == pillows(image).tobytes()


def test_the_oldest_kept_band_goes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cardpng, "KEPT_PER_BAND", 2)
    shared = SharedBands([(0, 40)])
    for fill in (1, 2, 3):
        write_png(indexed(1, band_fill=fill), PALETTE, 3, shared)
    assert shared.find((0, 40), _rows(indexed(1, band_fill=1), 0, 40)) is None
    assert shared.find((0, 40), _rows(indexed(1, band_fill=3), 0, 40)) is not None


def _rows(image: Image.Image, top: int, bottom: int) -> bytes:
    """The filtered rows of a band as the writer compresses them."""
    raw = image.tobytes()
    return b"".join(b"\0" + raw[y * 300:(y + 1) * 300] for y in range(top, bottom))


def test_adler_combine_is_the_checksum_of_both() -> None:
    generator = random.Random(5)
    for _ in range(200):
        first = generator.randbytes(generator.randrange(0, 3000))
        second = generator.randbytes(generator.choice([0, 1, 65521, 70000,
                                                       generator.randrange(5000)]))
        assert adler_combine(zlib.adler32(first), zlib.adler32(second), len(second)) == \
            zlib.adler32(first + second)
    big = bytes(200_000)  # runs of zeros: the sums wrap
    assert adler_combine(zlib.adler32(big), zlib.adler32(b"\xff" * 99_999), 99_999) == \
        zlib.adler32(big + b"\xff" * 99_999)


WRITTEN = write_png(indexed(3), PALETTE, 3)


def pillow_finds_it_whole(data: bytes) -> bool:
    """The check cards.intact_png made before: Pillow's open and verify, then decoding."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or image.size != SIZE:
                return False
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:
        return False
    return True


def test_a_whole_card_is_whole() -> None:
    assert cardpng.whole_png(WRITTEN, *SIZE)
    assert not cardpng.whole_png(WRITTEN, SIZE[0] + 1, SIZE[1])
    assert not cardpng.whole_png(b"", *SIZE)


@given(st.integers(0, len(WRITTEN) - 1), st.integers(1, 255))
def test_a_changed_byte_is_found(position: int, flip: int) -> None:
    """One changed byte anywhere, IEND included: never taken as whole, where Pillow's
    check missed the last twelve bytes."""
    damaged = bytearray(WRITTEN)
    damaged[position] ^= flip
    assert not cardpng.whole_png(bytes(damaged), *SIZE)


@given(st.integers(0, len(WRITTEN) - 1))
def test_a_card_cut_short_is_found(length: int) -> None:
    assert not cardpng.whole_png(WRITTEN[:length], *SIZE)


@given(st.binary(max_size=64), st.integers(0, len(WRITTEN)))
def test_whatever_it_takes_as_whole_pillow_decodes(noise: bytes, position: int) -> None:
    """Bytes put in anywhere: what whole_png accepts, Pillow opens, verifies and decodes to
    the card's own pixels (the bytes after IEND are the only place noise can go)."""
    damaged = WRITTEN[:position] + noise + WRITTEN[position:]
    if cardpng.whole_png(damaged, *SIZE):
        assert pillow_finds_it_whole(damaged)
        with Image.open(io.BytesIO(damaged)) as image, Image.open(io.BytesIO(WRITTEN)) as good:
            assert image.tobytes() == good.tobytes()
