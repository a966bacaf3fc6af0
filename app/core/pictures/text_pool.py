"""OcrPool: text recognition in isolated worker processes (see `app.core.sandbox`).

Tesseract is C++ reading pictures that came from criminals, so it gets the same treatment as
previews: one picture per worker at a time, killed past its time, memory capped, answers
checked field by field. A worker loads the model once, when it starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.core.pictures import pdf_text
from app.core.pictures.text_page import OcrPage
from app.core.sandbox import DEFAULT_MEMORY_LIMIT, Failure, IsolatedPool, PoolJob

# A 1080p screenshot takes about a second; a 50 MP photo of a page could take a minute.
DEFAULT_TIMEOUT = 90.0
_MAX_ANSWER = 8 << 20  # 20,000 words of JSON fit well within this


class OcrStatus(StrEnum):
    # Stored in the case file (evidence_text.status).
    OK = "ok"
    NONE = "none"  # not a picture we read
    FAILED = "failed"
    TOO_LARGE = "too-large"
    TIMED_OUT = "timed-out"
    LOCKED = "locked"  # a PDF locked with a password


_MAX_ENGINE = 120  # the length an engine's name may have in an answer


@dataclass(frozen=True, slots=True)
class OcrResult:
    status: OcrStatus
    page: OcrPage | None = None  # only with OK
    # What read it, when it is not the picture engine (a PDF's text layer, see pdf_text).
    engine: str = ""


class OcrPool(IsolatedPool[OcrResult]):
    """Worker processes that read the text in pictures given as bytes or paths."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    ) -> None:
        job = PoolJob(
            work=read_text,
            parse=parse_answer,
            failure=_failed,
            max_answer=_MAX_ANSWER,
            warm_up=_load_engine,
            name="safekeep-ocr",
        )
        super().__init__(job, workers, timeout=timeout, memory_limit=memory_limit)


def _failed(failure: Failure) -> OcrResult:
    return OcrResult(OcrStatus(failure.value))


def parse_answer(message: bytes) -> OcrResult | None:
    """In the app: a worker's answer, or None if it is malformed. Its first line is the
    status, with the engine's name after a space where it is not the picture engine's."""
    first_line, _, body = message.partition(b"\n")
    status_text, _, engine_text = first_line.partition(b" ")
    try:
        status = OcrStatus(status_text.decode("ascii"))
        engine = engine_text.decode("ascii")
    except (UnicodeDecodeError, ValueError):
        return None
    if len(engine) > _MAX_ENGINE or not engine.isprintable():
        return None
    if status is not OcrStatus.OK:
        return None if body else OcrResult(status, engine=engine)
    try:
        return OcrResult(status, OcrPage.from_json(body), engine)
    except ValueError:
        return None


# -- inside a worker ------------------------------------------------------------------------


def _load_engine() -> None:
    from PIL import Image

    from app.core.pictures import text_engine as ocr_engine

    Image.init()
    if ocr_engine.engine_available():
        ocr_engine.warm_up()


def read_text(path: Path | None, data: bytes | None, params: dict[str, Any]) -> bytes:
    """Runs in a worker: decode the picture with the preview guards, then read it; or read a
    PDF's pages (`pdf_text`)."""
    from app.core.pictures import text_engine as ocr_engine
    from app.core.pictures.preview import PreviewStatus, looks_like_picture, open_picture

    if data is None:
        assert path is not None
        data = path.read_bytes()
    # "%PDF-" may stand anywhere in a PDF's first kilobyte, and in a picture's metadata too.
    if pdf_text.looks_like_pdf(data) and not looks_like_picture(data[:16]):
        return _read_pdf(data)
    picture = open_picture(data)
    if isinstance(picture, PreviewStatus):
        return picture.value.encode()  # the statuses share their values
    with picture:
        page = ocr_engine.recognise(picture)
    return b"ok\n" + page.to_json().encode()


def _read_pdf(data: bytes) -> bytes:
    from app.core.pictures import text_engine as ocr_engine

    recognise = ocr_engine.recognise if ocr_engine.engine_available() else None
    engine = pdf_text.pdfium_version()
    try:
        page, scanned = pdf_text.read_pdf(data, recognise)
    except pdf_text.PdfLocked:
        return f"{OcrStatus.LOCKED.value} {engine}".encode()
    except ValueError:
        return f"{OcrStatus.FAILED.value} {engine}".encode()
    if scanned:
        engine += f" and {ocr_engine.engine_version()}"
    return f"ok {engine}\n".encode() + page.to_json().encode()
