"""A PNG screenshot's own compressed pixels, kept as its report picture instead of a JPEG.

Most screenshots are PNGs whose pixels a report page can show as they are: PDF reads PNG's
compressed rows directly (FlateDecode with the PNG predictors, ISO 32000-1, 7.4.4.4). So for
a plain PNG (8 bits a sample, grey or RGB, not interlaced, no transparency, not animated)
whose compressed pixels are small enough, import keeps those bytes, repacked as a minimal PNG
(IHDR, one IDAT, IEND), as the item's reading picture, and encodes no JPEG. The report page
then shows every pixel of the original, with no JPEG blur around small text, and import is
spared the JPEG's encoding (about a quarter of a 1080p screenshot's decode-and-preview time).

Only chunks are read here, never a pixel: `pixels_of` runs in the sandboxed preview worker,
right after Pillow decoded the same bytes whole (which is what shows the pixels are sound),
and again at export on the repacked bytes the case kept. Pillow stops reading once it has
every row, and skips what is left: a crafted PNG could carry more compressed data after its
rows, which a PDF reader might inflate (a "bomb" inside the report). So `PixelReads` counts
the bytes Pillow's decoder was handed, and the pixels are kept only if that was all of them
(what the decoder was handed but did not need is under one of Pillow's 64 KiB blocks).

A case written by a Safekeep from before this change holds only JPEGs; one from after, opened
by an older Safekeep, has its PNG pictures decoded again in the sandbox at export (they are
not JPEGs it can read).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from PIL.PngImagePlugin import PngImageFile

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Past this, a JPEG is kept instead: the picture is photo-like or noisy, and its PNG pixels
# would make the report several times larger than a JPEG would (a chat screenshot at 1080p
# is 50-300 KB of pixels; this allows about 500 KB).
MAX_BYTES_PER_PIXEL = 0.25
_COLORS = {0: 1, 2: 3}  # PNG colour type -> samples a pixel: grey, RGB
_REFUSED = {b"tRNS", b"acTL", b"fcTL", b"fdAT"}  # transparency; animation


@dataclass(frozen=True, slots=True)
class PngPixels:
    width: int
    height: int
    colors: int  # 1: grey, 3: RGB; 8 bits a sample
    deflated: bytes  # the IDAT chunks' data, joined: one zlib stream of filtered rows


def pixels_of(data: bytes) -> PngPixels | None:
    """The compressed pixels of a plain PNG (see the module doc), or None for any other PNG,
    for damaged bytes or for anything that is not a PNG. Checks every chunk's CRC."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    header: tuple[int, ...] | None = None
    parts: list[bytes] = []
    ended_idat = False
    at = len(PNG_SIGNATURE)
    while True:
        if at + 12 > len(data):
            return None  # cut short before IEND
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        end = at + 8 + length
        if length > 0x7FFFFFFF or end + 4 > len(data):
            return None
        body = data[at + 8:end]
        if zlib.crc32(data[at + 4:end]) != struct.unpack(">I", data[end:end + 4])[0]:
            return None
        at = end + 4
        if header is None:
            if kind != b"IHDR" or length != 13:
                return None
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            if ended_idat:
                return None  # IDAT chunks must follow one another
            parts.append(body)
        elif kind == b"IEND":
            break
        elif kind in _REFUSED:
            return None
        elif parts:
            ended_idat = True
    width, height, depth, colour_type, compression, filtering, interlace = header
    if depth != 8 or colour_type not in _COLORS or (compression, filtering, interlace) != (0, 0, 0):
        return None
    if not (width and height and parts):
        return None
    return PngPixels(width, height, _COLORS[colour_type], b"".join(parts))


class PixelReads:
    """Counts the compressed pixel bytes Pillow hands its PNG decoder, from when it is made
    until the image is loaded. Pillow's ImageFile.load reads them through the image's
    `load_read`, which this stands in for on that one image."""

    def __init__(self, image: PngImageFile) -> None:
        self.count = 0
        self._read = image.load_read
        image.load_read = self  # type: ignore[method-assign]

    def __call__(self, read_bytes: int) -> bytes:
        data: bytes = self._read(read_bytes)
        self.count += len(data)
        return data


def small_enough(pixels: PngPixels) -> bool:
    return len(pixels.deflated) <= pixels.width * pixels.height * MAX_BYTES_PER_PIXEL


def repacked(pixels: PngPixels) -> bytes:
    """A minimal PNG of `pixels`: IHDR, one IDAT and IEND, nothing else from the original."""
    colour_type = 0 if pixels.colors == 1 else 2
    header = struct.pack(">IIBBBBB", pixels.width, pixels.height, 8, colour_type, 0, 0, 0)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels.deflated) \
        + _chunk(b"IEND", b"")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


__all__ = ["MAX_BYTES_PER_PIXEL", "PNG_SIGNATURE", "PixelReads", "PngPixels", "pixels_of",
           "repacked", "small_enough"]
