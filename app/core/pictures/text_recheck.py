"""A second reading of identifiers written in small letters, to find the ones misread.

A screenshot forwarded at a lower size has letters 8-10 pixels tall. Tesseract then misreads
a letter or two of an address or a link ("annvalker32@" for "annwalker32@", "gmall.com") and
is as confident of it as of the words it reads right, so its confidence cannot tell them
apart. What does: reading the word again on its own, from the original picture as plain grey,
enlarged three and four times. A word read rightly comes back the same in one of the two
readings far more often than a misread does (on the realistic corpus's tuning seeds, 44 of
51 small words in right suggestions, 2 of 8 in wrong ones). Where neither reading agrees,
the word's confidence is lowered below the "hard to read" mark, so the person is told to
check each letter against the picture; the word itself is left as first read.

Only words that look like identifiers (letters with digits, or "@", ".", "_", ":", "/") and
are small are read again: ordinary prose and large text cost nothing more.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from PIL import Image, ImageOps, ImageStat

from app.core.pictures.text_page import OcrPage, OcrWord

# A word read in a strip: text, (left, top, right, bottom) in the strip's pixels, confidence.
ReadLine = Callable[[Image.Image], list[tuple[str, tuple[int, int, int, int], float]]]

SMALL_WORD = 12  # words shorter than this many pixels are read again
UNSURE = 50.0  # a word's confidence when the readings disagree: below "hard to read" (70)
_SCALES = (3, 4)
_MAX_WORDS = 40  # per picture: the time stays bounded whatever the picture holds
_EDGES = "<>()[]{},;:'\"|!?«»“”‘’"
_IDENTIFIER_RE = re.compile(r"[@._:/]|(?=.*[0-9])(?=.*[A-Za-z])")


def looks_like_identifier(text: str) -> bool:
    core = text.strip(_EDGES)
    return len(core) >= 5 and _IDENTIFIER_RE.search(core) is not None


def rechecked(image: Image.Image, page: OcrPage, read_line: ReadLine) -> OcrPage:
    """`page` with each small identifier-like word that no second reading confirms marked
    unsure (its confidence lowered to UNSURE)."""
    words = list(page.words)
    checked = 0
    for n, word in enumerate(words):
        if word.height >= SMALL_WORD or word.confidence <= UNSURE \
                or not looks_like_identifier(word.text):
            continue
        if checked >= _MAX_WORDS:
            break
        checked += 1
        if not _confirmed(image, word, read_line):
            words[n] = dataclasses.replace(word, confidence=UNSURE)
    return dataclasses.replace(page, words=tuple(words))


def _confirmed(image: Image.Image, word: OcrWord, read_line: ReadLine) -> bool:
    """Whether one reading of the word alone, enlarged, gives the same text."""
    pad = max(2, word.height // 2)
    box = (max(0, word.left - pad), max(0, word.top - pad),
           min(image.width, word.left + word.width + pad),
           min(image.height, word.top + word.height + pad))
    if box[2] <= box[0] or box[3] <= box[1]:
        return True
    grey = ImageOps.autocontrast(image.crop(box).convert("L"))
    if ImageStat.Stat(grey).mean[0] < 128:  # light text on a dark bubble
        grey = ImageOps.invert(grey)
    wanted = word.text.strip(_EDGES)
    for factor in _SCALES:
        big = grey.resize((grey.width * factor, grey.height * factor), Image.Resampling.LANCZOS)
        if any(text.strip(_EDGES) == wanted for text, _, _ in read_line(big)):
            return True
    return False
