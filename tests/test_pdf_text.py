"""The text in PDFs (app/core/pictures/pdf_text.py), read by PDFium in the text recognition
workers: real PDFs written by ReportLab, a locked one, a scan read by Tesseract, and broken,
truncated, crafted and huge ones, each read in a real worker process."""

from collections.abc import Iterator

import pytest

from app.core.pictures import text_engine
from app.core.pictures.pdf_text import MAX_PAGES, PdfLocked, looks_like_pdf, read_pdf
from app.core.pictures.text_page import MAX_WORD_LENGTH, MAX_WORDS, OcrPage, split_words
from app.core.pictures.text_pool import OcrPool, OcrResult, OcrStatus, parse_answer
from tests.pdf_files import (
    RECEIPT,
    SECOND_PAGE,
    captioned_screenshot_pdf,
    locked_pdf,
    owner_locked_pdf,
    receipt_pdf,
    scanned_pdf,
    text_pdf,
)


@pytest.fixture(scope="module")
def pool() -> Iterator[OcrPool]:
    with OcrPool(workers=1) as workers:
        yield workers


def test_a_receipts_lines_are_read_as_written_one_page_under_the_other() -> None:
    page, scanned = read_pdf(receipt_pdf(), None)
    assert scanned == 0
    assert page.text.splitlines() == RECEIPT + SECOND_PAGE
    # A4 in half points, two pages tall; each word's box on its own page, in reading order.
    assert (page.width, page.height) == (1191, 2 * 1684)
    mtcn = next(w for w in page.words if w.text == "830-521-6473")
    assert 72 * 2 <= mtcn.left < 400 and 0 < mtcn.top < 1684 and mtcn.width > 100
    iban = next(w for w in page.words if w.text == "GB82")
    assert 1684 < iban.top < 2 * 1684
    assert all(w.confidence == 100.0 for w in page.words)


def test_a_document_locked_with_a_password_is_said_so_and_one_locked_for_changes_is_read() -> None:
    with pytest.raises(PdfLocked):
        read_pdf(locked_pdf(), None)
    page, _ = read_pdf(owner_locked_pdf(), None)
    assert "MTCN: 830-521-6473" in page.text


def test_a_scanned_page_is_read_by_text_recognition_in_the_pages_units() -> None:
    page, scanned = read_pdf(scanned_pdf(["MTCN: 830-521-6473"]), text_engine.recognise)
    assert scanned == 1 and "830-521-6473" in page.text
    word = next(w for w in page.words if w.text == "830-521-6473")
    # Drawn at 120 px of a 1240 px wide page: about a tenth of A4's 1191 half points across.
    assert 180 < word.left < 260 and word.confidence < 100
    unread, none = read_pdf(scanned_pdf(["MTCN: 830-521-6473"]), None)
    assert none == 0 and unread.words == ()


def test_a_screenshot_pasted_under_a_caption_is_read_by_text_recognition() -> None:
    """A caseworker's document saved as a PDF: the caption is text, the chat is a picture.
    Only the caption had been read, and the MTCN in the screenshot was never offered."""
    data = captioned_screenshot_pdf("Screenshot 1: the chat on Instagram, 14 March",
                                    ["Pay now MTCN 412-877-3090", "or I send it to everyone"],
                                    logo_lines=["MTCN 999-999-9999"])
    page, scanned = read_pdf(data, text_engine.recognise)
    assert scanned == 1
    lines = page.text.splitlines()
    assert lines[0] == "Screenshot 1: the chat on Instagram, 14 March"  # the text, once
    assert page.text.count("Instagram") == 1
    assert any("412-877-3090" in line for line in lines[1:])  # from the picture
    # Under the caption on the page, where the picture is drawn (72 points in, doubled).
    word = next(w for w in page.words if "412-877-3090" in w.text)
    assert 144 <= word.left <= 144 + 900 and word.confidence < 100
    assert "999-999-9999" not in page.text  # a letterhead's small logo is no screenshot
    # Without an engine, the caption alone, as before.
    alone, none = read_pdf(data, None)
    assert none == 0 and alone.text == lines[0]


def test_a_searchable_scan_is_read_from_its_text_not_recognised_again() -> None:
    page, scanned = read_pdf(scanned_pdf(["MTCN: 830-521-6473"], searchable=True),
                             text_engine.recognise)
    assert scanned == 0 and page.text == "MTCN: 830-521-6473"


def test_words_of_no_more_than_the_pages_length_and_without_hidden_characters() -> None:
    long_run = "x" * (MAX_WORD_LENGTH * 2 + 5)
    crafted = [
        '=HYPERLINK("http://evil.example/","click")',
        "soft\u00adhyphen and\u200bzero width bell\x07ring",
        "<b>bold</b> ../../etc/passwd",
        long_run,
    ]
    page, _ = read_pdf(text_pdf([crafted], unicode_font=True), None)
    texts = [w.text for w in page.words]
    assert '=HYPERLINK("http://evil.example/","click")' in texts  # kept as it is: the CSV
    # escapes it, and the report writes it as text
    assert "softhyphen" in texts and "andzero" in texts and "bellring" in texts
    assert "<b>bold</b>" in texts and "../../etc/passwd" in texts
    assert [len(t) for t in texts if set(t) == {"x"}] == [MAX_WORD_LENGTH, MAX_WORD_LENGTH, 5]
    assert all(t.isprintable() for t in texts)


def test_control_characters_in_a_text_layer_part_words_and_line_breaks_part_lines() -> None:
    # What a crafted font's character map can put in a page's text, as PDFium gives it.
    text = "MTCN:\x00830-521-6473\r\nnext\x1b[31mline\u2028last\ufffe\U0010fffe"
    # (A line's number only orders lines: "\r\n" counts two, and read_pdf numbers them again.)
    assert [(line, word) for line, word, _, _ in split_words(text)] == [
        (0, "MTCN:"), (0, "830-521-6473"), (2, "next"), (2, "[31mline"), (3, "last")]


def test_past_the_pages_and_words_read_the_rest_is_left() -> None:
    many_pages = text_pdf([[f"page {n}"] for n in range(MAX_PAGES + 20)])
    page, _ = read_pdf(many_pages, None)
    assert page.text.splitlines()[-1] == f"page {MAX_PAGES - 1}"
    wordy = text_pdf([[" ".join(f"w{n}" for n in range(60))] * 40 for _ in range(10)])
    page, _ = read_pdf(wordy, None)
    assert len(page.words) == MAX_WORDS


def test_a_page_larger_than_any_real_one_is_still_read() -> None:
    page, _ = read_pdf(text_pdf([["MTCN: 830-521-6473"]], pagesize=(14400, 14400)), None)
    assert "830-521-6473" in page.text and page.width == 14400 * 2


def test_the_header_is_looked_for_where_readers_look() -> None:
    assert looks_like_pdf(b"%PDF-1.7\n") and looks_like_pdf(b"\0" * 1000 + b"%PDF-1.4")
    assert not looks_like_pdf(b"\0" * 1100 + b"%PDF-1.4") and not looks_like_pdf(b"\x89PNG")


def test_in_a_worker_each_document_gets_its_outcome(pool: OcrPool) -> None:
    data = receipt_pdf()
    read = pool.submit(data).result()
    assert read.status is OcrStatus.OK and read.page is not None
    assert read.engine.startswith("PDFium ") and "tesseract" not in read.engine
    assert read.page.text.splitlines() == RECEIPT + SECOND_PAGE
    scan = pool.submit(scanned_pdf(["MTCN: 830-521-6473"])).result()
    assert scan.status is OcrStatus.OK and "and tesseract" in scan.engine
    locked = pool.submit(locked_pdf()).result()
    assert locked.status is OcrStatus.LOCKED and locked.engine.startswith("PDFium ")
    assert pool.submit(b"%PDF-1.4\n" + b"\x00garbage" * 100).result().status is OcrStatus.FAILED
    # Cut off half-way (a download that stopped): PDFium mends what it can or gives up; the
    # worker answers either way.
    cut = pool.submit(data[: len(data) // 2]).result()
    assert cut.status in (OcrStatus.OK, OcrStatus.FAILED)
    # A picture still goes to the picture engine, with no engine named in the answer.
    assert pool.submit(b"\x89PNG\r\n\x1a\n broken").result().engine == ""


def test_an_answer_naming_its_engine_is_checked_like_the_rest() -> None:
    page = b'{"w": 10, "h": 10, "words": []}'
    assert parse_answer(b"ok PDFium 140.0\n" + page).engine == "PDFium 140.0"  # type: ignore[union-attr]
    assert parse_answer(b"ok\n" + page).engine == ""  # type: ignore[union-attr]
    assert parse_answer(b"ok PDF\x07ium\n" + page) is None
    assert parse_answer(b"ok " + b"x" * 500 + b"\n" + page) is None
    assert parse_answer(b"ok PDF\xc3\xa9\n" + page) is None
    assert parse_answer(b"locked") == OcrResult(OcrStatus.LOCKED)
    assert parse_answer(b"locked PDFium 140.0") == OcrResult(OcrStatus.LOCKED,
                                                               engine="PDFium 140.0")
    assert parse_answer(b"locked PDFium\n" + page) is None  # a page only with "ok"



def test_a_documents_first_page_is_its_preview_and_one_that_cannot_be_drawn_has_none() -> None:
    from app.core.pictures.preview import (
        DEFAULT_MAX_SIDE,
        READING_SIDE,
        PreviewStatus,
        make_preview_inline,
    )

    drawn = make_preview_inline(data=receipt_pdf(), reading_side=READING_SIDE)
    assert drawn.status is PreviewStatus.OK and drawn.thumbnail and drawn.reading
    assert (drawn.reading_width, drawn.reading_height) == (990, READING_SIDE)  # A4, upright
    assert drawn.thumb_height == DEFAULT_MAX_SIDE
    assert (drawn.width, drawn.height) == (None, None)  # a page has no size in pixels
    import io

    from PIL import Image

    page = Image.open(io.BytesIO(drawn.reading)).convert("L")
    # Its edge drawn in grey, so a white page shows on a white list and a white report page.
    assert 120 < page.getpixel((1, page.height // 2)) < 180  # type: ignore[operator]
    assert page.getpixel((page.width // 2, page.height - 40)) > 240  # type: ignore[operator]
    for undrawable in (locked_pdf(), b"%PDF-1.4\n" + b"\x00" * 100, receipt_pdf()[:400]):
        assert make_preview_inline(data=undrawable).status is PreviewStatus.NONE


def test_pages_past_the_height_a_reading_may_have_are_left() -> None:
    # 14,400 points is the tallest page PDF allows; 37 of them pass what a page of words may
    # measure (OcrPage's check in the app), which had made the whole answer malformed.
    tall = text_pdf([[f"page {n}"] for n in range(40)], pagesize=(600, 14400))
    page, _ = read_pdf(tall, None)
    assert page.text.splitlines()[-1] == "page 35" and page.height < 1 << 20
    assert OcrPage.from_json(page.to_json()) == page


def test_a_picture_that_mentions_a_pdf_in_its_metadata_is_read_as_a_picture(
        pool: OcrPool) -> None:
    import io

    from PIL import Image, ImageDraw, PngImagePlugin

    picture = Image.new("RGB", (600, 120), "white")
    ImageDraw.Draw(picture).text((20, 40), "MTCN 830-521-6473", fill="black")
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "%PDF-1.7 not a document")  # within its first kilobyte
    out = io.BytesIO()
    picture.save(out, "PNG", pnginfo=info)
    assert looks_like_pdf(out.getvalue())
    read = pool.submit(out.getvalue()).result()
    assert read.status is OcrStatus.OK and read.engine == ""  # the picture engine read it
