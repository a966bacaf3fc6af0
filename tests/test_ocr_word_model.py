"""The second engine for small words (PP-OCR's recognition model, `text_word_model`) and the
rules that decide what its reading is worth (`text_recheck`).

The model runs for real here: on a word cut from a realistic downscaled screenshot, where
Tesseract reads "<callcoclarke@proton.me>". The rules get a reading given as a plain function
where the point is what they do with a reading, whichever engine made it.
"""

from __future__ import annotations

import sys

import pytest
from PIL import Image

from app.core.pictures import text_word_model
from app.core.pictures.text_page import OcrPage, OcrWord
from app.core.pictures.text_recheck import UNSURE, rechecked
from tests.test_ocr_realistic_shapes import SHAPES

needs_model = pytest.mark.skipif(not text_word_model.available(),
                                 reason="rapidocr-onnxruntime has no wheel for this Python")


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="the model's wheel is for 3.12 at most")
def test_the_second_engine_is_installed_with_the_app() -> None:
    """pyproject installs it wherever its wheel exists: a broken install must not pass
    unnoticed as 'text recognition works as before'."""
    assert text_word_model.available()
    path = text_word_model.model_path()
    assert path is not None and path.stat().st_size > 5_000_000


@needs_model
def test_the_model_reads_a_small_address_tesseract_misreads() -> None:
    """The sender's address on a mailbox's From line, 8 px letters (tuning seed 10 at 0.75):
    Tesseract reads "<callcoclarke@proton.me>" at any enlargement."""
    with Image.open(SHAPES / "webmail-downscaled-sender.png") as picture:
        word = picture.convert("RGB").crop((288, 100, 400, 120))
    read = text_word_model.read_word(word)
    assert read is not None
    assert "".join(ch for ch, _ in read) == "<realleoclarke@proton.me>"
    assert min(p for _, p in read) > 0.6


def _page(*words: tuple[str, float]) -> OcrPage:
    return OcrPage(800, 100, tuple(OcrWord(text, 10 + 200 * n, 40, 150, 9, confidence, 0)
                                   for n, (text, confidence) in enumerate(words)))


def _read_line(reading: str):  # type: ignore[no-untyped-def]
    return lambda strip: [(reading, (0, 0, strip.width, strip.height), 90.0)]


BLANK = Image.new("RGB", (800, 100), "white")


@pytest.mark.parametrize(("first", "confidence", "again", "other", "kept"), [
    # Tesseract unsure (low confidence): the other engine's much-alike reading is taken.
    ("<callcoclarke@proton.me>", 22.0, "", "realleoclarke@proton.me",
     "<realleoclarke@proton.me>"),
    # Its slips are mended: a dot it did not see, a bubble's edge (below).
    ("live:.cid.bSb8992c4cdc5306", 32.0, "", "live:cid.b5b8992c4cdc5306",
     "live:.cid.b5b8992c4cdc5306"),
    # A mark first that Tesseract did not see is the end of the word on the left ("leo." of
    # "leo.wilson@gmail.com"): this word is only a part, and is left as Tesseract read it.
    ("wilsonZgmail.com", 0.0, "", ".wilson@gmail.com", "wilsonZgmail.com"),
    # Tesseract's enlarged readings disagree with its first: the other engine settles it.
    ("noahclarke7s@gmail.com", 80.0, "noahclarke?segmail.con", "noahclarke75@gmail.com",
     "noahclarke75@gmail.com"),
    ("sophie.evans81@example.com", 80.0, "", "Isophie.evans81@example.coml",
     "sophie.evans81@example.com"),
    # A reading unlike any of Tesseract's is another word: nothing is taken from it.
    ("priya@mail.com", 30.0, "", "hello there", "priya@mail.com"),
    ("ann.lee44@mail.com", 30.0, "", "jo.k@x.io", "ann.lee44@mail.com"),
])
def test_what_is_taken_from_the_other_engine(first: str, confidence: float, again: str,
                                             other: str, kept: str) -> None:
    page = rechecked(BLANK, _page((first, confidence)), _read_line(again),
                     lambda _: [(ch, 0.99) for ch in other])
    [word] = page.words
    assert (word.text, word.confidence) == (kept, min(confidence, UNSURE))


def test_a_character_the_other_engine_is_unsure_of_where_it_differs() -> None:
    """Its "l" at 0.31 for Tesseract's "1" (tuning seed 1, Telegram at 0.75): Tesseract's
    word is kept; its sure characters elsewhere do not outweigh that."""
    other = [("l", 0.31), *((ch, 0.99) for ch in "a5168e86598f468")]
    page = rechecked(BLANK, _page(("1a5168e86598f468", 46.0)), _read_line(""), lambda _: other)
    assert page.words[0].text == "1a5168e86598f468"


def test_a_word_tesseract_confirms_is_not_given_to_the_other_engine() -> None:
    asked: list[Image.Image] = []

    def read_word(strip: Image.Image) -> list[tuple[str, float]]:
        asked.append(strip)
        return [("x", 1.0)]

    page = rechecked(BLANK, _page(("ann.lee44@mail.com", 90.0)),
                     _read_line("ann.lee44@mail.com"), read_word)
    assert not asked and page.words[0].confidence == 90.0


def test_without_the_other_engine_a_low_confidence_word_is_left_as_read() -> None:
    page = _page(("<callcoclarke@proton.me>", 22.0))
    assert rechecked(BLANK, page, _read_line("")) == page
