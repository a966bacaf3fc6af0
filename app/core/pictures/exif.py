"""The few EXIF facts a preview needs: when, which camera, which way up.

EXIF in evidence is written by whoever made the file, criminals included: every value may be
missing, of the wrong type, overlong or full of control characters, and parsing may raise.
Nothing here raises; anything odd reads as "not known".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image

_EXIF_IFD = 0x8769
_ORIENTATION = 0x0112
_DATE_TIME = 0x0132
_DATE_TIME_ORIGINAL = 0x9003
_MAKE = 0x010F
_MODEL = 0x0110
_MAX_TEXT = 64  # a date is 19 characters, camera names are short
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")

# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True, slots=True)
class ExifFacts:
    taken_at: str | None = None  # DateTimeOriginal, else DateTime, as written
    camera: str | None = None  # "Make Model"
    transpose: Image.Transpose | None = None  # None: already upright


def read_exif(image: Image.Image) -> ExifFacts:
    """The facts from an opened (for PNG: loaded) image; empty facts if there is no EXIF.

    We apply the orientation ourselves instead of calling ImageOps.exif_transpose on the
    thumbnail: it would parse the EXIF again and rewrite XMP text from the file, more hostile
    input handled for no gain.
    """
    try:
        exif = image.getexif()
    except Exception:  # damaged EXIF must not cost the preview
        return ExifFacts()
    taken = _text(_get(exif, _DATE_TIME_ORIGINAL, ifd=_EXIF_IFD)) or _text(_get(exif, _DATE_TIME))
    orientation = _get(exif, _ORIENTATION)
    transpose = _TRANSPOSE.get(orientation) if type(orientation) is int else None
    return ExifFacts(taken, _camera(_text(_get(exif, _MAKE)), _text(_get(exif, _MODEL))), transpose)


def _get(exif: Image.Exif, tag: int, ifd: int | None = None) -> object:
    try:
        return exif.get_ifd(ifd).get(tag) if ifd is not None else exif.get(tag)
    except Exception:  # a sub-IFD is parsed on first use, so it may fail here
        return None


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    cleaned = " ".join(_CONTROL.sub(" ", value).split())[:_MAX_TEXT].strip()
    return cleaned or None


def _camera(make: str | None, model: str | None) -> str | None:
    # Many makers repeat the make in the model ("Canon" + "Canon EOS 5D"): say it once.
    if make and model and model.casefold().startswith(make.casefold()):
        return model
    return " ".join(part for part in (make, model) if part) or None
