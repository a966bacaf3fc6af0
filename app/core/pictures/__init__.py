"""Pictures from criminals, handled where they can do no harm: safe previews and photo facts, and
reading their text with the offline engine (and a PDF's), each in killable worker processes.
Nothing here touches the case file, so the workers load no database code. This module is the
package's public face: code outside it imports from here.
"""

from app.core.pictures.pdf_text import MAX_PDF_BYTES, PDF_READER, PDF_TYPE
from app.core.pictures.png_pixels import PNG_SIGNATURE, PngPixels, pixels_of
from app.core.pictures.preview import PreviewResult, PreviewStatus
from app.core.pictures.preview_pool import PreviewPool
from app.core.pictures.text_engine import engine_available, engine_version
from app.core.pictures.text_page import MAX_WORDS, OcrPage, OcrWord, split_words
from app.core.pictures.text_pool import OcrPool, OcrResult, OcrStatus

__all__ = [
    "MAX_PDF_BYTES",
    "MAX_WORDS",
    "PDF_READER",
    "PDF_TYPE",
    "PNG_SIGNATURE",
    "OcrPage",
    "OcrPool",
    "OcrResult",
    "OcrStatus",
    "OcrWord",
    "PngPixels",
    "PreviewPool",
    "PreviewResult",
    "PreviewStatus",
    "engine_available",
    "engine_version",
    "pixels_of",
    "split_words",
]
