"""Pictures brought down in size for thumbnails and report pages: upright, in RGB, with
transparency shown as white, and small text kept legible.

Used by `preview` inside the sandboxed preview worker; nothing here reads a file.
"""

from __future__ import annotations

import io

from PIL import Image

from app.core.pictures.exif import ExifFacts


def jpeg_of(picture: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality)
    return out.getvalue()


def shrunk(picture: Image.Image, max_side: int) -> Image.Image:
    """`picture` (RGB, upright, not needed any more) fitted into `max_side` in place, as
    `upright_thumbnail` would resize it. In place: copying a 1080p picture first cost about 10 ms
    a screenshot (the copy, and the fresh memory the system found and cleared for it)."""
    picture.thumbnail((max_side, max_side), Image.Resampling.BICUBIC, reducing_gap=2.0)
    return picture


def upright_thumbnail(image: Image.Image, max_side: int, facts: ExifFacts,
               resample: Image.Resampling = Image.Resampling.BICUBIC) -> Image.Image:
    picture = displayable(image)
    # BICUBIC with a reducing gap: a fast integer reduce first, then a good filter for the
    # last step, so small text in screenshots stays legible. The reading picture (a 1080p
    # screenshot to 1,400 pixels: no integer reduce) uses HAMMING, as sharp on text at that
    # scale and about half the time of BICUBIC, which would double the cost of import.
    picture.thumbnail((max_side, max_side), resample, reducing_gap=2.0)
    if picture.mode == "RGBA":  # transparency shows as white, as in most viewers
        background = Image.new("RGB", picture.size, (255, 255, 255))
        background.paste(picture, mask=picture.getchannel("A"))
        picture = background
    elif picture.mode != "RGB":
        picture = picture.convert("RGB")
    if facts.transpose is not None:  # rotate the small picture, not the big one
        picture = picture.transpose(facts.transpose)
    return picture


def displayable(image: Image.Image) -> Image.Image:
    """The image in RGB, RGBA or L, so that resizing is correct and fast."""
    if image.mode.startswith("I;16"):
        image = image.convert("I")
    if image.mode in ("I", "F"):
        # Plain conversion clips 16-bit and float values to white; stretch them to 0..255.
        low, high = image.getextrema()
        assert isinstance(low, float | int) and isinstance(high, float | int)
        scale = 255.0 / (high - low) if high > low else 1.0
        offset = -low * scale
        return image.point(lambda value: value * scale + offset).convert("L")
    if image.mode in ("RGB", "RGBA", "L"):
        return image
    if image.mode in ("LA", "La", "PA", "RGBa") or "transparency" in image.info:
        return image.convert("RGBA")
    return image.convert("RGB")  # P, 1, CMYK, YCbCr, LAB, HSV, RGBX


__all__ = ["displayable", "jpeg_of", "shrunk", "upright_thumbnail"]
