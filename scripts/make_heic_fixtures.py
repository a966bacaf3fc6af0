"""Make the HEIC photos the tests read (tests/fixtures/heic/), as an iPhone writes them: HEVC in
a HEIF container, with EXIF naming the phone and the time the photo was taken.

Safekeep only decodes HEIC (with pi-heif, which carries no encoder), so this needs pillow-heif,
which can encode and is not one of Safekeep's dependencies:

    python -m venv /tmp/heic && /tmp/heic/bin/pip install pillow pillow-heif
    /tmp/heic/bin/python scripts/make_heic_fixtures.py

The files are kept in the repository, so the tests never need an encoder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pillow_heif
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "heic"
FONT = ROOT / "resources" / "fonts" / "DejaVuSans.ttf"
# What a photo of the offender's messages, taken with a second phone, shows: the details the
# tests expect text recognition to read.
LINES = ("Messages", "Send 250 GBP by Western Union", "or email jess.t58@example.com",
         "call +44 7911 123456 now")


def _exif(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 13"
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = "2025:03:13 22:41:07"
    return exif.tobytes()


def _photo_of_messages(size: tuple[int, int] = (1600, 1000)) -> Image.Image:
    picture = Image.new("RGB", size, (244, 244, 246))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, size[0], 110), fill=(66, 103, 178))
    font = ImageFont.truetype(str(FONT), 54)
    draw.text((40, 25), LINES[0], fill="white", font=font)
    for row, line in enumerate(LINES[1:]):
        top = 190 + row * 170
        draw.rounded_rectangle((40, top, 1500, top + 120), 30, fill="white")
        draw.text((80, top + 30), line, fill=(20, 20, 20), font=font)
    return picture


def main() -> int:
    pillow_heif.register_heif_opener()
    OUT.mkdir(parents=True, exist_ok=True)
    photo = _photo_of_messages()
    photo.save(OUT / "messages.heic", quality=70, exif=_exif())
    # Held sideways: the phone writes the picture as the sensor saw it and says which way up.
    photo.rotate(90, expand=True).save(OUT / "sideways.heic", quality=70, exif=_exif(6))
    small = photo.resize((320, 200))
    small.save(OUT / "small.heic", quality=60, exif=_exif())
    for path in sorted(OUT.glob("*.heic")):
        print(path.relative_to(ROOT), path.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
