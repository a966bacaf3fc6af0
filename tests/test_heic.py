"""HEIC photos, as iPhones save them: previewed, read for the offender's details, dated from
their EXIF and shown on their report page, upright; damaged and crafted ones are refused
calmly, and no other picture loads their decoder.

The photos are real HEIF files (HEVC, made by libheif and x265 with scripts/make_heic_fixtures.py,
as a phone makes them): Safekeep's own decoder, pi-heif, cannot write one.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from app.core.pictures.heif import looks_like_heif
from app.core.pictures.preview import PreviewStatus, make_preview_inline, open_picture
from tests.conftest import CliResult
from tests.test_export_support import unzip

HEIC = Path(__file__).parent / "fixtures" / "heic"
BLUE_HEADER = (66, 103, 178)  # the top band of the photographed messages


def _close_to(colour: tuple[int, ...], expected: tuple[int, int, int], slack: int = 40) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour[:3], expected, strict=True))


def test_a_heic_photo_is_previewed_with_its_exif() -> None:
    result = make_preview_inline(HEIC / "messages.heic", reading_side=1400)
    assert result.status is PreviewStatus.OK, result
    assert (result.width, result.height, result.image_format) == (1600, 1000, "HEIF")
    assert result.exif_taken_at == "2025:03:13 22:41:07"
    assert result.exif_camera == "Apple iPhone 13"
    assert result.thumbnail is not None and result.reading is not None
    reading = Image.open(io.BytesIO(result.reading))
    assert reading.format == "JPEG" and reading.size == (1600, 1000)


def test_a_photo_taken_sideways_is_shown_upright_once() -> None:
    """The phone says which way up in the container (and in EXIF); the decoder turns it, and
    Safekeep must not turn it a second time by the EXIF orientation."""
    result = make_preview_inline(HEIC / "sideways.heic", reading_side=1400)
    assert result.status is PreviewStatus.OK and result.thumbnail is not None
    thumbnail = Image.open(io.BytesIO(result.thumbnail))
    assert thumbnail.size == (320, 200)  # landscape, as the messages were
    assert _close_to(thumbnail.getpixel((160, 5)), BLUE_HEADER)  # type: ignore[arg-type]
    assert not _close_to(thumbnail.getpixel((160, 195)), BLUE_HEADER)  # type: ignore[arg-type]
    picture = open_picture((HEIC / "sideways.heic").read_bytes())
    assert isinstance(picture, Image.Image) and picture.size == (1600, 1000)


def _box_offset(data: bytes, kind: bytes) -> int:
    at = data.find(kind)
    assert at > 0, kind
    return at


@pytest.mark.parametrize(("damage", "status"), [
    ("cut in half", PreviewStatus.FAILED),
    ("garbage after the header", PreviewStatus.FAILED),
    ("a size of 40000 x 40000", PreviewStatus.TOO_LARGE),
    ("an MP4 video's header", PreviewStatus.NONE),
])
def test_damaged_and_crafted_heic_files(damage: str, status: PreviewStatus) -> None:
    data = (HEIC / "small.heic").read_bytes()
    if damage == "cut in half":
        data = data[:len(data) // 2]
    elif damage == "garbage after the header":
        data = data[:32] + bytes(range(256)) * 40
    elif damage == "a size of 40000 x 40000":
        # The image's declared size (its "ispe" property): refused before any pixel is decoded.
        at = _box_offset(data, b"ispe") + 8  # past the name and the version and flags
        data = data[:at] + struct.pack(">II", 40_000, 40_000) + data[at + 8:]
    else:
        data = struct.pack(">I", 24) + b"ftypisom" + b"\0\0\2\0isomiso2" + data[24:]
    result = make_preview_inline(data=data, reading_side=1400)
    assert result.status is status, (damage, result)
    assert result.note  # one calm sentence
    assert open_picture(data) in (PreviewStatus.FAILED, PreviewStatus.TOO_LARGE,
                                  PreviewStatus.NONE)


def test_what_starts_like_heif() -> None:
    assert looks_like_heif((HEIC / "messages.heic").read_bytes()[:16])
    assert not looks_like_heif(b"\0\0\0\x1cftypavif")  # AVIF: not decoded here
    assert not looks_like_heif(b"\x89PNG\r\n\x1a\n")
    assert not looks_like_heif(b"")


def test_other_pictures_never_load_the_heic_decoder(tmp_path: Path) -> None:
    """Screenshots are most of what is imported: the plugin costs them nothing."""
    png = tmp_path / "shot.png"
    Image.new("RGB", (64, 48), "white").save(png)
    code = ("import sys\nfrom app.core.pictures.preview import make_preview_inline\n"
            f"assert make_preview_inline({str(png)!r}).status == 'ok'\n"
            "assert 'pi_heif' not in sys.modules, 'loaded'\n"
            f"assert make_preview_inline({str(HEIC / 'small.heic')!r}).status == 'ok'\n"
            "assert 'pi_heif' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_added_read_dated_and_in_the_report(tmp_path: Path,
                                            cli: Callable[..., CliResult]) -> None:
    """As a person does it: the photos added, read, and exported; the report shows each."""
    case = str(tmp_path / "case.skcase")
    assert cli("new", case, "--kdf-profile", "1").code == 0
    added = cli("add-evidence", case, str(HEIC / "messages.heic"), str(HEIC / "sideways.heic"))
    assert added.code == 0, added
    items = json.loads(cli("list", case, "evidence", "--json").out)["items"]
    assert [(i["detected_type"], i["preview_status"], i["exif_taken_at"], i["exif_camera"])
            for i in items] == [("image/heic", "ok", "2025:03:13 22:41:07", "Apple iPhone 13")] * 2

    read = cli("ocr", case, "--json")
    assert read.code == 0, read
    found = {(d["kind"], d["value"]) for d in json.loads(read.out)["details"]}
    assert ("email", "jess.t58@example.com") in found, found
    assert any(kind == "phone" and "7911 123456" in value for kind, value in found), found

    exported = cli("export", case, str(tmp_path / "bundle.zip"))
    assert exported.code == 0, exported
    folder = unzip(tmp_path / "bundle.zip", tmp_path / "out")
    reader = PdfReader(folder / "report.pdf")
    picture_pages = [page for page in reader.pages
                     if "Text read by machine" in (page.extract_text() or "") and page.images]
    assert len(picture_pages) == 2
    for page in picture_pages:
        [image] = page.images
        assert image.image is not None and image.image.size == (1600, 1000)  # upright
    assert (folder / "evidence").is_dir() and len(list((folder / "evidence").iterdir())) == 2
    assert cli("verify", str(tmp_path / "bundle.zip")).code == 0
