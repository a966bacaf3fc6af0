"""Safe thumbnails and photo metadata for images that come from criminals.

Two layers:
- `make_preview_inline` decodes one image in this process with every guard that works from the
  inside: an allow-list of decoders (never EPS, which runs Ghostscript), a pixel cap checked
  before any pixel is decoded, and no exception escapes.
- `PreviewPool` runs that same function in worker processes, because no guard inside a process
  can stop a decoder that loops forever, crashes in C code or allocates without bound. A worker
  past its time is killed and replaced, a crashed one is replaced, and memory is capped with
  RLIMIT_AS. It is also the parallel engine of screenshot import: one image per worker at a
  time, a path or bytes in, about 20 KB of JPEG out.

Nothing here imports Qt or the database: workers start with only Pillow loaded.
"""

from __future__ import annotations

import io
import math
import os
import stat
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError
from PIL.PngImagePlugin import PngImageFile

from app.core.pictures import png_pixels
from app.core.pictures.exif import ExifFacts, read_exif
from app.core.pictures.heif import HEIF_FORMAT, looks_like_heif, open_heif_with_pillow
from app.core.pictures.pdf_text import MAX_PDF_BYTES, PDF_MAGIC, first_page
from app.core.pictures.resizing import displayable, jpeg_of, shrunk, upright_thumbnail
from app.i18n import tr

MAX_PIXELS = 50_000_000  # far above any screen or phone photo, far below a bomb
DEFAULT_MAX_SIDE = 320
JPEG_QUALITY = 80
# The picture a report page shows, made at import with the thumbnail (one decode, two outputs)
# and kept in the case, so an export only copies it: a JPEG, or for most PNG screenshots their
# own compressed pixels (see png_pixels). 1,400 pixels on a full A4 page is about
# 200 dpi (the 1,260 a whole-pixel reduction may give, 180 dpi); quality 85 keeps the edges of
# small screen text clean.
READING_SIDE = 1400
READING_QUALITY = 85
# A picture no longer than this is its own reading picture: a 1080p screenshot keeps its
# 1,920 pixels (about 270 dpi on the page, and sharper text than any resampling), and import
# saves the resize, which costs about as much as decoding the PNG did.
READING_KEEP_SIDE = 2100
# A longer picture is brought down by a whole number of pixels when that leaves at least this
# share of the reading side: a 2560 x 1600 screenshot becomes 1,280 pixels by averaging each
# 2 x 2 square (its text as crisp as at 1x), a JPEG is decoded at that scale directly, and no
# resampling is paid for (a 2560-pixel picture's cost 20 ms, more than decoding it).
READING_LEAST_SHARE = 0.9
# Decoders we trust with hostile bytes. Pillow's others include EPS (runs Ghostscript) and
# rarely used formats whose parsers have had more bugs than they are worth here. HEIC photos
# are opened too, by a plugin loaded for them alone (heif.py).
ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")
# Starts of the formats above: content that starts like one but will not open is damaged
# ("failed"), anything else is simply not an image we decode ("none").
_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_EXIF_IN_HEADER = ("JPEG", "MPO", "TIFF", "WEBP", HEIF_FORMAT)
# Photos are big and a thumbnail is small: decode JPEGs at a reduced scale (several times
# faster), but keep at least twice the thumbnail size so the final resize still has detail to
# work with, as Pillow's own thumbnail() does with reducing_gap=2.
_DRAFT_FACTOR = 2


class PreviewStatus(StrEnum):
    # The values are stored in the case file: they match app.models.evidence.PreviewStatus.
    OK = "ok"
    NONE = "none"  # not an image format we decode
    FAILED = "failed"  # we tried and could not
    TOO_LARGE = "too-large"  # decompression bomb or absurd dimensions
    TIMED_OUT = "timed-out"


@dataclass(frozen=True, slots=True)
class PreviewResult:
    status: PreviewStatus
    # Kept out of repr: these are pictures of people, not something for logs.
    thumbnail: bytes | None = field(default=None, repr=False)  # JPEG, RGB, fits max_side
    thumb_width: int | None = None
    thumb_height: int | None = None
    width: int | None = None  # of the original, when known
    height: int | None = None
    image_format: str | None = None  # Pillow's name: "PNG", "JPEG", "MPO", ...
    exif_taken_at: str | None = None  # as the camera wrote it, e.g. "2024:03:01 21:14:05"
    exif_camera: str | None = None  # "Make Model"
    note: str | None = None  # one calm sentence when status is not ok
    # The reading-size picture (fits reading_side), only when one was asked for: a JPEG, or
    # a plain PNG's own compressed pixels, repacked (see png_pixels).
    reading: bytes | None = field(default=None, repr=False)
    reading_width: int | None = None
    reading_height: int | None = None


def preview_note(status: PreviewStatus) -> str | None:
    """The sentence shown for a status, in the language of the process that calls it."""
    if status is PreviewStatus.NONE:
        return tr(
            "No preview: Safekeep does not show previews of this type of file. "
            "The file itself is kept and will be exported."
        )
    if status is PreviewStatus.FAILED:
        return tr(
            "No preview: this image could not be read. "
            "The file itself is kept and will be exported."
        )
    if status is PreviewStatus.TOO_LARGE:
        return tr(
            "No preview: this image is too large to show safely. "
            "The file itself is kept and will be exported."
        )
    if status is PreviewStatus.TIMED_OUT:
        return tr(
            "No preview: reading this image took too long, so Safekeep stopped. "
            "The file itself is kept and will be exported."
        )
    return None


def make_preview_inline(
    data_path: str | Path | None = None,
    data: bytes | None = None,
    max_side: int = DEFAULT_MAX_SIDE,
    reading_side: int | None = None,
) -> PreviewResult:
    """Decode one image here, in this process. Never raises for any content.

    With `reading_side`, the same decode also gives the reading-size picture (`reading`), and
    the thumbnail is made from it, not from the original.

    This has no time or memory limit of its own: give hostile files to a `PreviewPool`, which
    runs this very function in a worker. It is public for tests and for the workers. It sets
    warning filters while it runs, which Python keeps per process: one thread at a time.
    """
    if (data_path is None) == (data is None):
        raise TypeError("give exactly one of data_path or data")
    if max_side < 1 or (reading_side is not None and reading_side < 1):
        raise ValueError("max_side and reading_side must be at least 1")
    result = _decode(data_path, data, _Sides(max_side, reading_side))
    return replace(result, note=preview_note(result.status))


@dataclass(frozen=True, slots=True)
class _Sides:
    thumbnail: int
    reading: int | None

    @property
    def least_reading(self) -> int:
        """The shortest a reading picture may be when a whole-pixel reduction makes it."""
        return math.ceil((self.reading or 0) * READING_LEAST_SHARE)

    def draft(self, width: int, height: int) -> tuple[int, int]:
        """What a JPEG is decoded at, at least (its DCT scaling halves it up to three times).
        With a reading picture: its least side along the longer edge, so a picture twice that
        long is decoded at half its size. Else the thumbnail's size times _DRAFT_FACTOR, so the
        final resize still has detail to work with."""
        if self.reading is None:
            return (self.thumbnail * _DRAFT_FACTOR,) * 2
        least = max(self.least_reading, self.thumbnail * _DRAFT_FACTOR)
        longest = max(width, height)
        return (math.ceil(width * least / longest), math.ceil(height * least / longest))


def _decode(data_path: str | Path | None, data: bytes | None, sides: _Sides) -> PreviewResult:
    if data is not None:
        return _decode_stream(io.BytesIO(data), sides)
    assert data_path is not None
    try:
        # A FIFO or a device would block or never end; only ordinary files are images.
        if not stat.S_ISREG(os.stat(data_path).st_mode):
            return PreviewResult(PreviewStatus.FAILED)
        with open(data_path, "rb") as handle:
            return _decode_stream(handle, sides)
    except OSError:
        return PreviewResult(PreviewStatus.FAILED)


def _decode_stream(handle: BinaryIO, sides: _Sides) -> PreviewResult:
    head = handle.read(16)
    handle.seek(0)
    # Pillow warns (not raises) on its first bomb threshold; for us that is an error. The
    # pixel cap below is the real guard and applies whatever the warning filters are. Its
    # other warnings ("Corrupt EXIF data") are about hostile files and only add noise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        opened = _open_allowed(handle, head, sides.reading or sides.thumbnail * _DRAFT_FACTOR)
        if isinstance(opened, PreviewStatus):
            return PreviewResult(opened)
        with opened:
            made = _preview_of(opened, sides, lambda limit: _reread(handle, limit))
    # A PDF's page drawn here has no size of its own in pixels: none is said.
    return replace(made, width=None, height=None) if head.startswith(PDF_MAGIC) else made


def _reread(handle: BinaryIO, limit: int) -> bytes:
    """The image's bytes again, from the start, at most `limit` of them."""
    handle.seek(0)
    return handle.read(limit)


def _open_allowed(handle: BinaryIO, head: bytes, longest: int) -> Image.Image | PreviewStatus:
    """Open (not yet decode) an image with the allowed decoders, or say why not; a PDF's
    first page drawn `longest` pixels long (pdf_text; "none" when it cannot be, as for any
    file that is no picture). Call it with DecompressionBombWarning turned into an error."""
    if head.startswith(PDF_MAGIC):
        page = first_page(handle.read(MAX_PDF_BYTES + 1), longest)
        return PreviewStatus.NONE if page is None else page
    formats: tuple[str, ...] = ALLOWED_FORMATS
    if looks_like_heif(head):  # a HEIC photo: its decoder is loaded for it alone
        open_heif_with_pillow()
        formats += (HEIF_FORMAT,)
    try:
        return Image.open(handle, formats=formats)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return PreviewStatus.TOO_LARGE
    except UnidentifiedImageError:
        return PreviewStatus.FAILED if looks_like_picture(head) else PreviewStatus.NONE
    except Exception:  # hostile headers make parsers raise anything
        return PreviewStatus.FAILED


def open_picture(data: bytes) -> Image.Image | PreviewStatus:
    """The first frame of an image, fully decoded and turned upright, or why it cannot be.

    For text recognition, which needs every pixel: the same allow-list and pixel cap as
    previews. Run it in a worker process (see `app.core.sandbox`), like previews.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        opened = _open_allowed(io.BytesIO(data), data[:16], READING_SIDE)
        if isinstance(opened, PreviewStatus):
            return opened
        with opened:
            width, height = opened.size
            if width < 1 or height < 1:
                return PreviewStatus.FAILED
            if width * height > MAX_PIXELS:
                return PreviewStatus.TOO_LARGE
            try:
                opened.load()
                facts = read_exif(opened)
                picture = displayable(opened)
                if facts.transpose is not None:  # boxes must match the picture people see
                    picture = picture.transpose(facts.transpose)
                return picture.copy() if picture is opened else picture
            except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                return PreviewStatus.TOO_LARGE
            except Exception:  # truncated or damaged: the file is kept all the same
                return PreviewStatus.FAILED


def looks_like_picture(head: bytes) -> bool:
    """Starts as one of the pictures decoded here does."""
    return head.startswith(_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP") \
        or looks_like_heif(head)


def _preview_of(image: Image.Image, sides: _Sides, reread: Callable[[int], bytes]) -> PreviewResult:
    width, height = image.size
    known = PreviewResult(
        PreviewStatus.FAILED, width=width, height=height, image_format=image.format
    )
    # The declared size is all we have read so far; refuse before a single pixel is decoded.
    if width < 1 or height < 1:
        return known
    if width * height > MAX_PIXELS:
        # Where EXIF sits in the header, its date is still worth having (a 61 MP camera photo);
        # a PNG keeps it after the pixels, and reading it there would decode them.
        if image.format in _EXIF_IN_HEADER:
            facts = read_exif(image)
            known = replace(known, exif_taken_at=facts.taken_at, exif_camera=facts.camera)
        return replace(known, status=PreviewStatus.TOO_LARGE)
    try:
        if image.format in ("JPEG", "MPO"):
            image.draft("RGB", sides.draft(width, height))
        reads = png_pixels.PixelReads(image) if isinstance(image, PngImageFile) else None
        image.load()  # animated GIF/WebP: this is the first frame only
        # After load(): a PNG may keep its EXIF after the pixels.
        facts = read_exif(image)
        known = replace(known, exif_taken_at=facts.taken_at, exif_camera=facts.camera)
        reading_size, reading_kept = None, None
        if sides.reading is not None:
            reading = _reading_picture(image, sides, facts)
            reading_size = reading.size
            reading_kept = _own_pixels(image, reading, facts, reread, reads) \
                or jpeg_of(reading, READING_QUALITY)
            # From the reading picture, now encoded: already upright, RGB and small.
            thumbnail = shrunk(reading, sides.thumbnail)
        else:
            thumbnail = upright_thumbnail(image, sides.thumbnail, facts)
        out = jpeg_of(thumbnail, JPEG_QUALITY)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return replace(known, status=PreviewStatus.TOO_LARGE)
    except Exception:  # truncated, damaged, out of memory: the file is kept all the same
        return known
    return replace(
        known,
        status=PreviewStatus.OK,
        thumbnail=out,
        reading=reading_kept,
        reading_width=reading_size[0] if reading_size is not None else None,
        reading_height=reading_size[1] if reading_size is not None else None,
        thumb_width=thumbnail.width,
        thumb_height=thumbnail.height,
    )


def _reading_picture(image: Image.Image, sides: _Sides, facts: ExifFacts) -> Image.Image:
    """The picture a report page shows: the picture itself up to READING_KEEP_SIDE, else
    brought down by a whole number (see READING_LEAST_SHARE), else resampled to the reading
    side."""
    assert sides.reading is not None
    longest = max(image.size)
    if longest <= READING_KEEP_SIDE:
        return upright_thumbnail(image, longest, facts, Image.Resampling.HAMMING)  # no resize
    factor = longest // sides.least_reading
    if factor >= 2 and longest / factor <= READING_KEEP_SIDE:
        reduced = displayable(image).reduce(factor)
        return upright_thumbnail(reduced, max(reduced.size), facts, Image.Resampling.HAMMING)
    # HAMMING: as sharp on text as BICUBIC at this scale, in about half the time.
    return upright_thumbnail(image, sides.reading, facts, Image.Resampling.HAMMING)


def _own_pixels(image: Image.Image, reading: Image.Image, facts: ExifFacts,
                reread: Callable[[int], bytes],
                reads: png_pixels.PixelReads | None) -> bytes | None:
    """A plain PNG (`reads` counted its pixel bytes; None for any other format) shown as it
    is (no resize, no turn, no transparency) keeps its own compressed pixels as its reading
    picture (see png_pixels), when they are small enough and Pillow's decoder was handed
    every one of them; else None, and a JPEG is made."""
    if reads is None or image.mode not in ("RGB", "L") or reading.size != image.size \
            or facts.transpose is not None or "transparency" in image.info:
        return None
    width, height = image.size
    # Enough for the pixels and a little metadata; a file longer than this has too many
    # pixel bytes or too much else, and gets a JPEG.
    pixels = png_pixels.pixels_of(reread(int(width * height * png_pixels.MAX_BYTES_PER_PIXEL)
                                         + 256 * 1024))
    if pixels is None or (pixels.width, pixels.height) != image.size \
            or pixels.colors != (1 if image.mode == "L" else 3) \
            or not png_pixels.small_enough(pixels) or len(pixels.deflated) != reads.count:
        return None
    return png_pixels.repacked(pixels)


__all__ = [
    "ALLOWED_FORMATS",
    "DEFAULT_MAX_SIDE",
    "MAX_PIXELS",
    "PreviewResult",
    "PreviewStatus",
    "make_preview_inline",
    "open_picture",
    "preview_note",
]
