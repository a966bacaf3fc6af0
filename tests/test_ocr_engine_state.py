"""The one Tesseract a worker keeps (`text_engine`) carries state from one reading to the
next: the layout found while choosing the enlargement is kept for the reading itself when the
picture is not enlarged, and the first reading turns off Tesseract's inverted retry. Through
the real engine: neither may leak into the next picture or the second looks. And the second
looks remember what a strip read (`remembering`): only for the very same pixels.
"""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from app.core.pictures import text_engine
from app.core.pictures.text_engine import (
    _read_line,
    _read_words,
    prepare,
    recognise,
    remembering,
)
from app.core.pictures.text_second_look import BandWord

pytestmark = pytest.mark.slow


def _large_text(lines: tuple[str, ...]) -> Image.Image:
    """Dark text 30 px tall on white: read as it is, not enlarged."""
    font = ImageFont.load_default(size=34)
    image = Image.new("RGB", (900, 80 + 70 * len(lines)), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        draw.text((40, 40 + 70 * n), line, fill=(20, 20, 20), font=font)
    return image


FIRST = ("Meet me at the station", "bring the parcel")
SECOND = ("Transfer complete today", "reference 4417 2093")


def test_a_picture_read_as_it_is_keeps_its_layout_and_gives_its_own_words() -> None:
    first, second = _large_text(FIRST), _large_text(SECOND)
    assert recognise(first).text == "\n".join(FIRST)
    prepared, factor = prepare(second)
    assert factor == 1
    kept = _read_words(prepared, factor, laid_out=True)  # the layout prepare() found
    assert " ".join(w.text for w in kept) == " ".join(SECOND)
    assert kept == _read_words(prepared, factor)  # the same as laying it out again
    assert recognise(second).text == "\n".join(SECOND)
    assert recognise(first).text == "\n".join(FIRST)


def test_light_text_on_dark_is_still_read_in_a_second_look_after_a_page() -> None:
    """The first reading turns Tesseract's inverted retry off (its picture is dark on white);
    a second look's strip is plain grey, where light text on dark needs it back."""
    recognise(_large_text(FIRST))
    strip = Image.new("L", (520, 60), 20)
    ImageDraw.Draw(strip).text((12, 10), "Tracking 9028111367", fill=235,
                               font=ImageFont.load_default(size=30))
    assert [text for text, _, _ in _read_line(strip)] == ["Tracking", "9028111367"]


def test_an_enlarged_picture_is_laid_out_again_with_boxes_in_the_originals_pixels() -> None:
    font = ImageFont.load_default(size=13)
    image = Image.new("RGB", (600, 120), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((40, 50), "parcel 4417 station", fill=(20, 20, 20), font=font)
    left, top, right, bottom = draw.textbbox((40, 50), "parcel 4417 station", font=font)
    assert prepare(image)[1] > 1
    page = recognise(image)
    assert page.text == "parcel 4417 station"
    for word in page.words:
        assert left - 3 <= word.left and word.left + word.width <= right + 3
        assert top - 3 <= word.top and word.top + word.height <= bottom + 3


def _strip(text: str, shade: int = 20) -> Image.Image:
    strip = Image.new("L", (420, 56), 255)
    ImageDraw.Draw(strip).text((12, 10), text, fill=shade, font=ImageFont.load_default(size=28))
    return strip


def test_a_strip_seen_before_is_not_read_again_and_any_other_is() -> None:
    asked: list[Image.Image] = []

    def counted(strip: Image.Image) -> list[BandWord]:
        asked.append(strip)
        return _read_line(strip)

    read = remembering(counted)
    first = read(_strip("13:28 Tracking 4417"))
    again = read(_strip("13:28 Tracking 4417"))  # a new picture with the same pixels
    assert [text for text, _, _ in first] == ["13:28", "Tracking", "4417"]
    assert again == first and again is not first
    assert len(asked) == 1
    read(_strip("13:28 Tracking 4418"))  # one digit differs
    read(_strip("13:28 Tracking 4417", shade=21))  # one shade differs
    read(_strip("13:28 Tracking 4417").convert("RGB"))  # the same picture in colour
    assert len(asked) == 4


def test_a_chat_that_repeats_itself_reads_the_same_with_or_without_the_memory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Small text (enlarged, then looked at again line by line) with the same time under
    every message: the strips that repeat are read once, and the page is the same."""
    font = ImageFont.load_default(size=13)
    image = Image.new("RGB", (640, 300), (236, 229, 221))
    draw = ImageDraw.Draw(image)
    for n, message in enumerate(("send it now", "pay 250 by MTCN", "send it now")):
        top = 20 + 90 * n
        draw.rounded_rectangle((30, top, 330, top + 60), 8, fill=(255, 255, 255))
        draw.text((42, top + 10), message, fill=(20, 20, 20), font=font)
        draw.text((270, top + 38), "13:28", fill=(120, 120, 120), font=font)
    asked: list[int] = []

    def counted(strip: Image.Image) -> list[BandWord]:
        asked.append(1)
        return _read_line(strip)

    monkeypatch.setattr(text_engine, "_read_line", counted)
    remembered = recognise(image)
    with_memory = len(asked)
    monkeypatch.setattr(text_engine, "remembering", lambda read_line: read_line)
    assert recognise(image) == remembered
    without_memory = len(asked) - with_memory
    assert "13:28" in remembered.text and "MTCN" in remembered.text
    assert 0 < with_memory < without_memory
