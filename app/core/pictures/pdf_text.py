"""The text in a PDF (a payment receipt, a bank statement, a saved web page), read in a text
recognition worker: the words its pages hold as text, as they are, and a page that holds none
(a scan, or a photo saved as a PDF) through text recognition, as are the large pictures on a
page with text (screenshots pasted into a document under their captions).

PDFium (through pypdfium2) parses the file: it is the PDF reader of Chrome, fuzzed without end,
but still C++ reading a file that may come from a criminal, so it runs only in the OCR pool's
isolated workers (`text_pool`), killed past their time, memory capped, answers checked.

The pages become one `OcrPage`, one under the other, so everything that finds details in a
picture's words (lines, boxes, the search) works on a document unchanged. Boxes are in the
page's points times `_SCALE`, from its top left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.core.pictures.text_page import MAX_WORDS, OcrPage, OcrWord, split_words

if TYPE_CHECKING:
    from PIL import Image

PDF_MAGIC = b"%PDF-"
PDF_READER = "PDFium"  # the start of the engine's name stored with a PDF's reading
PDF_TYPE = "application/pdf"  # as sniffing names it (evidence_item.detected_type)
# Larger documents are not read: the whole file travels to the worker in memory. Receipts
# and statements are far smaller.
MAX_PDF_BYTES = 64 << 20
MAX_PAGES = 500  # pages looked at; past them (or MAX_WORDS words) the rest is left unread
MAX_SCANNED_PAGES = 8  # pages without text that are read by recognition: some seconds each
_MAX_CHARS = 200_000  # characters taken from one page's text
_SCALE = 2  # points to the page's units: boxes keep half a point
_SCAN_SIDE = 3000  # the longest side of a page drawn for recognition (about 250 dpi on A4)
# A picture on a page with text is read by recognition when it covers this share of the page
# (a screenshot pasted under a caption; not a bank's logo), among the first pictures looked at.
_PICTURE_SHARE = 0.08
_MAX_PICTURES_LOOKED_AT = 200

Recognise = Callable[["Image.Image"], OcrPage]


class PdfLocked(Exception):
    """The document is locked with a password: its pages cannot be opened without it."""


def looks_like_pdf(data: bytes) -> bool:
    """PDFium, as other readers, takes a header anywhere in the first kilobyte."""
    return PDF_MAGIC in data[:1024]


def read_pdf(data: bytes, recognise: Recognise | None) -> tuple[OcrPage, int]:
    """The words of the document's pages, one page under the other, and how many pages were
    read by recognition (`recognise`, or none when it is None). Raises PdfLocked, or
    ValueError when PDFium cannot read the file at all."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise PdfLocked from error
        raise ValueError(str(error)) from error
    words: list[OcrWord] = []
    width = top = lines = scanned = 0
    try:
        for index in range(min(len(document), MAX_PAGES)):
            if len(words) >= MAX_WORDS:
                break
            page = document[index]
            try:
                page_w, page_h = (round(side * _SCALE) for side in page.get_size())
                page_w, page_h = min(max(page_w, 1), 1 << 16), min(max(page_h, 1), 1 << 16)
                if top + page_h >= 1 << 20:  # taller in all than a page's words may lie
                    break
                found = _text_words(page, page_h)
                if recognise is not None and scanned < MAX_SCANNED_PAGES:
                    if not found:  # a scan: the whole page is a picture
                        found = _recognised_words(page, page_w, recognise)
                        scanned += 1
                    elif areas := _picture_areas(page, page_h, found):
                        found += _pictured_words(page, page_w, recognise, areas, found)
                        scanned += 1
            finally:
                page.close()
            numbered = {line: n for n, line in enumerate(sorted({w.line for w in found}))}
            for word in found[: MAX_WORDS - len(words)]:
                words.append(OcrWord(word.text, word.left, word.top + top, word.width,
                                     word.height, word.confidence, lines + numbered[word.line]))
            lines += len(numbered)
            width = max(width, page_w)
            top += page_h
    finally:
        document.close()
    return OcrPage(width, top, tuple(words)), scanned


def _text_words(page: Any, page_h: int) -> list[OcrWord]:
    """The words the page holds as text, on the lines PDFium finds, with their boxes."""
    textpage = page.get_textpage()
    try:
        count = min(textpage.count_chars(), _MAX_CHARS)
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        found: list[OcrWord] = []
        for line, word, first, last in split_words(text):
            left, bottom, right, upper = textpage.get_charbox(first)
            left_2, bottom_2, right_2, upper_2 = textpage.get_charbox(last)
            x0, x1 = min(left, left_2), max(right, right_2)
            y_top, y_bottom = max(upper, upper_2), min(bottom, bottom_2)
            box = (_units(x0), page_h - _units(y_top), _units(x1 - x0), _units(y_top - y_bottom))
            if any(not 0 <= n < 1 << 20 for n in box):
                box = (0, 0, 0, 0)  # a character placed off its page: its words still count
            found.append(OcrWord(word, *box, 100.0, line))
        return found
    finally:
        textpage.close()


def _units(points: float) -> int:
    return max(0, round(points * _SCALE))


def _recognised_words(page: Any, page_w: int, recognise: Recognise) -> list[OcrWord]:
    """A page without text, drawn as a picture and read by recognition; boxes in page units."""
    points_w, points_h = page.get_size()
    scale = min(_SCAN_SIDE / max(points_w, points_h, 1.0), 300 / 72)
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        image = bitmap.to_pil()
    finally:
        bitmap.close()
    read = recognise(image)
    factor = page_w / max(image.width, 1)
    return [
        OcrWord(w.text, round(w.left * factor), round(w.top * factor),
                round(w.width * factor), round(w.height * factor), w.confidence, w.line)
        for w in read.words
    ]


def _picture_areas(page: Any, page_h: int,
                   text: list[OcrWord]) -> list[tuple[int, int, int, int]]:
    """The large pictures on a page that has text too (screenshots pasted into a document
    saved as a PDF, under their captions), as (left, top, right, bottom) in page units; a
    logo or a signature is too small to be one. A picture with text of the layer on it (a
    scanner's "searchable" PDF, its words laid unseen over the scan) is read already."""
    import pypdfium2.raw as pdfium_c

    points_w, points_h = page.get_size()
    least = _PICTURE_SHARE * points_w * points_h
    areas = []
    for seen, image in enumerate(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))):
        if seen >= _MAX_PICTURES_LOOKED_AT:
            break
        left, bottom, right, top = image.get_bounds()
        left, right = max(left, 0.0), min(right, points_w)
        bottom, top = max(bottom, 0.0), min(top, points_h)
        area = (_units(left), page_h - _units(top), _units(right), page_h - _units(bottom))
        if (right - left) * (top - bottom) >= least and not any(_inside(w, [area])
                                                                for w in text):
            areas.append(area)
    return areas


def _inside(word: OcrWord, areas: list[tuple[int, int, int, int]]) -> bool:
    x, y = word.left + word.width // 2, word.top + word.height // 2
    return any(left <= x <= right and top <= y <= bottom for left, top, right, bottom in areas)


def _pictured_words(page: Any, page_w: int, recognise: Recognise,
                    areas: list[tuple[int, int, int, int]],
                    text: list[OcrWord]) -> list[OcrWord]:
    """The words recognition reads inside the page's large pictures, on lines after the
    text's own (the text layer's words, outside them, are not read twice)."""
    after = max((w.line for w in text), default=-1) + 1
    return [OcrWord(w.text, w.left, w.top, w.width, w.height, w.confidence, w.line + after)
            for w in _recognised_words(page, page_w, recognise) if _inside(w, areas)]


def first_page(data: bytes, longest: int) -> Image.Image | None:
    """A PDF's first page drawn as a picture, `longest` pixels along its longer side (for its
    preview and the report); None when it cannot be drawn (locked, damaged, no page).
    Run it in a worker process, as the preview pool does."""
    import pypdfium2 as pdfium

    if len(data) > MAX_PDF_BYTES:
        return None
    try:
        document = pdfium.PdfDocument(data)
        try:
            if len(document) < 1:
                return None
            page = document[0]
            try:
                points_w, points_h = page.get_size()
                # A tiny page (a ticket, a label) is drawn at most 4 pixels a point.
                scale = min(longest / max(points_w, points_h, 1.0), 4.0)
                bitmap = page.render(scale=scale)
                try:
                    picture: Image.Image = bitmap.to_pil().convert("RGB")
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()
    except pdfium.PdfiumError:
        return None
    return _edged(picture)


def _edged(page: Image.Image) -> Image.Image:
    """The page with its edge drawn in grey: a white page on a white list of tiles (or a
    white report page) had shown only its words, floating."""
    from PIL import ImageDraw

    width = max(1, max(page.size) // 400)
    ImageDraw.Draw(page).rectangle((0, 0, page.width - 1, page.height - 1),
                                   outline=(150, 150, 150), width=width)
    return page


def pdfium_version() -> str:
    import pypdfium2 as pdfium

    build = str(pdfium.PDFIUM_INFO).split("@", 1)[0]
    return f"{PDF_READER} {build}"
