"""A plain PNG screenshot keeps its own compressed pixels as its reading picture
(app.core.pictures.png_pixels), and every other PNG, damaged or crafted bytes among them, gets
a JPEG as before. Real PNGs written by Pillow, real decodes."""

import io
import random
import struct
import zlib

import pytest
from PIL import Image

from app.core.pictures.png_pixels import (
    MAX_BYTES_PER_PIXEL,
    PNG_SIGNATURE,
    pixels_of,
    repacked,
)
from app.core.pictures.preview import PreviewStatus, make_preview_inline
from tests.test_export_support import png_bytes


def _save(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **options)
    return out.getvalue()


def noisy_png(width: int, height: int, seed: int = 0) -> bytes:
    """A photo-like PNG: its pixels compress badly, far past MAX_BYTES_PER_PIXEL."""
    rng = random.Random(seed)
    return _save(Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3)))


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    out, at = [], len(PNG_SIGNATURE)
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        out.append((kind, data[at + 8:at + 8 + length]))
        at += 12 + length
    return out


def _built(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return PNG_SIGNATURE + b"".join(
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        for kind, body in chunks)


def _pixels(data: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as image:
        return image.mode, image.size, image.tobytes()


def test_a_screenshot_keeps_its_own_pixels_exactly() -> None:
    original = png_bytes(900, 1600, text="24 hours", seed=3)
    result = make_preview_inline(data=original, reading_side=1400)
    assert result.status is PreviewStatus.OK and result.reading is not None
    assert result.reading.startswith(PNG_SIGNATURE)
    assert (result.reading_width, result.reading_height) == (900, 1600)
    assert _pixels(result.reading) == _pixels(original)  # every pixel, nothing lost
    # Only IHDR, IDAT and IEND: nothing else the original carried comes along.
    assert [kind for kind, _ in _chunks(result.reading)] == [b"IHDR", b"IDAT", b"IEND"]
    assert result.thumbnail is not None and max(result.thumb_width or 0,
                                                result.thumb_height or 0) == 320


def test_a_grey_screenshot_stays_grey() -> None:
    original = _save(Image.open(io.BytesIO(png_bytes(600, 400, seed=1))).convert("L"))
    result = make_preview_inline(data=original, reading_side=1400)
    assert result.reading is not None and result.reading.startswith(PNG_SIGNATURE)
    pixels = pixels_of(result.reading)
    assert pixels is not None and pixels.colors == 1
    assert _pixels(result.reading) == _pixels(original)


def _is_jpeg(data: bytes | None) -> bool:
    return data is not None and data.startswith(b"\xff\xd8\xff")


@pytest.mark.parametrize("kind", ["noisy", "transparent", "palette", "sixteen-bit", "turned",
                                  "too-long", "animated", "colour-key"])
def test_other_pngs_get_a_jpeg_as_before(kind: str) -> None:
    flat = Image.open(io.BytesIO(png_bytes(600, 400, seed=2)))
    if kind == "noisy":
        data = noisy_png(400, 300)
    elif kind == "transparent":
        data = _save(flat.convert("RGBA"))
    elif kind == "palette":
        data = _save(flat.convert("P"))
    elif kind == "sixteen-bit":
        data = _save(flat.convert("I;16"))
    elif kind == "turned":  # EXIF says turn it: the page shows it upright, as a JPEG
        exif = Image.Exif()
        exif[0x0112] = 6
        data = _save(flat, exif=exif.tobytes())
    elif kind == "too-long":  # brought down to the reading side: no longer its own pixels
        data = png_bytes(1200, 2600, seed=4)
    elif kind == "animated":
        data = _save(flat, save_all=True, append_images=[flat.rotate(90)])
    else:
        data = _save(flat, transparency=(230, 236, 242))
    result = make_preview_inline(data=data, reading_side=1400)
    assert result.status is PreviewStatus.OK
    assert _is_jpeg(result.reading), kind


def test_the_limit_follows_the_pixels_not_the_file() -> None:
    """A screenshot whose pixels are just past the limit gets a JPEG; just under, its own."""
    side = 200
    limit = int(side * side * MAX_BYTES_PER_PIXEL)
    for share, own in ((0.8, True), (1.3, False)):
        rng = random.Random(7)
        image = Image.new("RGB", (side, side), (240, 240, 240))
        noisy_rows = 0
        while True:  # noise on more rows until the pixels pass share * limit
            noisy_rows += 2
            for y in range(noisy_rows - 2, noisy_rows):
                for x in range(side):
                    image.putpixel((x, y), tuple(rng.randbytes(3)))
            pixels = pixels_of(_save(image))
            assert pixels is not None
            if len(pixels.deflated) > share * limit:
                break
        result = make_preview_inline(data=_save(image), reading_side=1400)
        assert (result.reading or b"").startswith(PNG_SIGNATURE) is own, share


def test_crafted_and_damaged_pngs_are_refused_by_the_chunk_reader() -> None:
    good = png_bytes(300, 200, seed=5)
    chunks = _chunks(good)
    ihdr = chunks[0][1]
    assert pixels_of(good) is not None
    interlaced = _built([(b"IHDR", ihdr[:12] + b"\x01"), *chunks[1:]])
    split = _built([chunks[0], *chunks[1:-1], (b"tEXt", b"a\x00b"), chunks[-2], chunks[-1]])
    bad_crc = bytearray(good)
    bad_crc[-20] ^= 0xFF  # inside the last IDAT
    huge_length = good[:8] + struct.pack(">I", 0xFFFFFFF0) + good[12:]
    no_idat = _built([chunks[0], (b"IEND", b"")])
    ihdr_late = _built([chunks[1], chunks[0], *chunks[2:]])
    for crafted in (b"", b"GIF89a", PNG_SIGNATURE, good[:-12], bytes(bad_crc), huge_length,
                    interlaced, split, no_idat, ihdr_late, good[:40]):
        assert pixels_of(crafted) is None


def test_repacking_gives_the_same_pixels_back() -> None:
    original = png_bytes(320, 240, seed=6)
    pixels = pixels_of(original)
    assert pixels is not None
    again = pixels_of(repacked(pixels))
    assert again == pixels
    assert _pixels(repacked(pixels)) == _pixels(original)


def test_a_damaged_screenshot_gets_no_reading_picture_at_all() -> None:
    """Pillow's decode is what shows the pixels are sound: one that does not decode keeps
    nothing, whatever its chunks look like."""
    good = png_bytes(600, 400, seed=8)
    chunks = _chunks(good)
    idat = [body for kind, body in chunks if kind == b"IDAT"]
    garbage = _built([chunks[0], (b"IDAT", b"\x78\x9c" + b"\x00" * 64 + idat[0][66:]),
                      (b"IEND", b"")])
    result = make_preview_inline(data=garbage, reading_side=1400)
    assert result.status is PreviewStatus.FAILED and result.reading is None


def _with_more_pixel_data(original: bytes, how: str) -> bytes:
    """`original` with compressed data after its rows: 100 KB of zeros deflated into a stream
    that would inflate to far more, appended inside its IDAT, or as one more IDAT chunk."""
    chunks = _chunks(original)
    idat = b"".join(body for kind, body in chunks if kind == b"IDAT")
    more = zlib.compress(bytes(100_000_000), 9)  # 100 MB of zeros, about 100 KB deflated
    assert 64 * 1024 < len(more) < 200 * 1024
    others = [(kind, body) for kind, body in chunks if kind != b"IDAT"]
    if how == "inside":
        pixel_chunks = [(b"IDAT", idat + more)]
    else:
        pixel_chunks = [(b"IDAT", idat), (b"IDAT", more)]
    return _built([others[0], *pixel_chunks, *others[1:]])


@pytest.mark.parametrize("how", ["inside", "another chunk"])
def test_data_after_the_rows_is_never_kept_for_a_pdf_reader_to_inflate(how: str) -> None:
    """Pillow stops at the last row and skips the rest, so such a PNG decodes as if nothing
    were there; its compressed bytes must not reach the report, where a PDF reader might
    inflate them all. It gets a JPEG of the same pixels instead."""
    original = png_bytes(900, 700, seed=9)
    crafted = _with_more_pixel_data(original, how)
    pixels = pixels_of(crafted)
    assert pixels is not None and len(pixels.deflated) <= 900 * 700 * MAX_BYTES_PER_PIXEL
    assert _pixels(crafted) == _pixels(original)  # Pillow sees nothing amiss
    result = make_preview_inline(data=crafted, reading_side=1400)
    assert result.status is PreviewStatus.OK
    assert _is_jpeg(result.reading)
    # The same picture without the extra data keeps its own pixels.
    plain = make_preview_inline(data=original, reading_side=1400)
    assert (plain.reading or b"").startswith(PNG_SIGNATURE)
