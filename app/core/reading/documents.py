"""Documents: evidence whose text Safekeep reads as it is written, not by text recognition.

Two kinds: PDFs (a money transfer receipt, a bank statement), read by PDFium in the text
recognition workers (`app.core.pictures.pdf_text`); and plain text files that are not chat
exports (notes of a call, a message saved or copied from a web page, text pasted into
Safekeep), read here, in the app's process: decoding text runs no parser that a crafted file
could exploit, and a worker would only add the time to send it there.

A text file's words become an `OcrPage` as a PDF's do, each line under the one before, so the
rules, the suggestions, the search and the report treat both alike.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from app.core.chats import BytesSource, detect
from app.core.pictures import (
    MAX_WORDS,
    PDF_READER,
    PDF_TYPE,
    OcrPage,
    OcrResult,
    OcrStatus,
    OcrWord,
    split_words,
)

TEXT_TYPE = "text/plain"  # as sniffing names it (evidence_item.detected_type)
TEXT_READER = "Plain text"  # the start of the engine's name stored with a text file's reading
DOCUMENT_TYPES = (PDF_TYPE, TEXT_TYPE)
DOCUMENT_READERS = (PDF_READER, TEXT_READER)
# A larger text file is not read (stored as too large): a text of 8 MiB is some hundreds of
# thousands of words, far past what a page may hold (MAX_WORDS), and notes are far smaller.
MAX_TEXT_BYTES = 8 << 20
# Boxes: each character a cell of this size, so a word's box says where it stands in its line.
_CHAR_W, _LINE_H = 10, 20
_MAX_COLUMN = 50_000  # a box past this column (a line of some megabytes) is put at its end
# What ends a line, as str.splitlines has it.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_MAX_LINES = 50_000  # lines read: a page is at most 1,000,000 units high (text_page)
_MAX_LINE_CHARS = 200_000  # characters read of one line, as of a PDF's page (8 MiB in one
# line took 2.7 s to part into words, in the reader's thread; 200,000 take a tenth of that)


def is_document_reading(engine: str) -> bool:
    """Whether a stored reading's engine read a document's text as written."""
    return engine.startswith(DOCUMENT_READERS)


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 or UTF-16 with a byte order mark, UTF-8,
    or else the Windows code page notes made on an older Windows computer are written in.
    Bytes that are not text in it become U+FFFD; nothing raises."""
    for mark, codec, name in ((b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
                              (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
                              (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
                              (b"\xff\xfe", "utf-16", "UTF-16"),
                              (b"\xfe\xff", "utf-16", "UTF-16")):
        if data.startswith(mark):
            return data.decode(codec, errors="replace"), name
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def read_text_file(name: str, data: bytes) -> OcrResult:
    """A plain text file's words. A chat export written as text (a WhatsApp chat saved as
    `notes.txt`) is not a document: its messages are read as a chat's, so it answers NONE."""
    if len(data) > MAX_TEXT_BYTES:
        return OcrResult(OcrStatus.TOO_LARGE, engine=TEXT_READER)
    try:
        a_chat = detect(BytesSource(name, data)) is not None
    except OSError:
        a_chat = False
    if a_chat:
        return OcrResult(OcrStatus.NONE, engine=TEXT_READER)
    text, encoding = decode_text(data)
    return OcrResult(OcrStatus.OK, text_page(text), f"{TEXT_READER} {encoding}")


def text_page(text: str) -> OcrPage:
    """The words of a text, a line of the page for each of its lines, boxes by column."""
    words: list[OcrWord] = []
    widest = lines = 0
    for number, line in enumerate(itertools.islice(_lines(text), _MAX_LINES)):
        if len(words) >= MAX_WORDS:  # the rest is left unread, as a PDF's is
            break
        lines = number + 1
        for _, word, first, last in split_words(line[:_MAX_LINE_CHARS]):
            if len(words) >= MAX_WORDS:
                break
            left, right = min(first, _MAX_COLUMN), min(last + 1, _MAX_COLUMN + 1)
            words.append(OcrWord(word, left * _CHAR_W, number * _LINE_H,
                                 max(right - left, 1) * _CHAR_W, _LINE_H, 100.0, number))
            widest = max(widest, right)
    return OcrPage(widest * _CHAR_W, lines * _LINE_H, tuple(words))


def _lines(text: str) -> Iterator[str]:
    """The text's lines, as str.splitlines gives them, one at a time: 8 MiB of line breaks
    made millions of strings at once."""
    start = 0
    for found in _LINE_BREAK.finditer(text):
        yield text[start:found.start()]
        start = found.end()
    if start < len(text):
        yield text[start:]
