"""A second reading of identifiers written in small letters, to find the ones misread.

A screenshot forwarded at a lower size has letters 8-10 pixels tall. Tesseract then misreads
a letter or two of an address or a link ("annvalker32@" for "annwalker32@", "gmall.com") and
is as confident of it as of the words it reads right, so its confidence cannot tell them
apart. What does: reading the word again on its own, from the original picture as plain grey,
enlarged three and four times. A word read rightly comes back the same in one of the two
readings far more often than a misread does (on the realistic corpus's tuning seeds, 44 of
51 small words in right suggestions, 2 of 8 in wrong ones). Where neither reading agrees,
the word's confidence is lowered below the "hard to read" mark, so the person is told to
check each letter against the picture. The word itself is left as first read, unless the two
readings alone agree with each other on a word much like it: Tesseract reads a word alone,
without its neighbours' spacing, more often right ("www.messenger.com/t/1000..." for
"wwwmessengercom/t/1000..."), so that reading is kept, still marked unsure. (On the tuning
seeds, over PNG, JPEG and downscaled pictures, 21 words first misread came out right this
way, most of them times such as "12.02"; 1 read right came out wrong, "essage..." as
"lessage...", for Instagram's "Message...".) A full stop after the word in one reading and
not the other is the sentence's, so it does not count as a difference.

Only words that look like identifiers (letters with digits, or "@", ".", "_", ":", "/") and
are small are read again: ordinary prose and large text cost nothing more.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from difflib import SequenceMatcher

from PIL import Image, ImageOps, ImageStat

from app.core.pictures.text_page import OcrPage, OcrWord

# A word read in a strip: text, (left, top, right, bottom) in the strip's pixels, confidence.
ReadLine = Callable[[Image.Image], list[tuple[str, tuple[int, int, int, int], float]]]

SMALL_WORD = 12  # words shorter than this many pixels are read again
UNSURE = 50.0  # a word's confidence when the readings disagree: below "hard to read" (70)
_SCALES = (3, 4)
SAME_WORD = 0.8  # similarity (difflib's ratio) of two readings taken for the same word
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
        verdict = _second_reading(image, word, read_line)
        if verdict is None:
            continue
        words[n] = dataclasses.replace(word, text=verdict, confidence=UNSURE)
    return dataclasses.replace(page, words=tuple(words))


def _second_reading(image: Image.Image, word: OcrWord, read_line: ReadLine) -> str | None:
    """None when a reading of the word alone, enlarged, gives the same text; otherwise the
    word's text to keep, marked unsure: the text both readings agree on when they agree with
    each other and look like the same word (see the module's text), else the first reading."""
    pad = max(2, word.height // 2)
    box = (max(0, word.left - pad), max(0, word.top - pad),
           min(image.width, word.left + word.width + pad),
           min(image.height, word.top + word.height + pad))
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    grey = ImageOps.autocontrast(image.crop(box).convert("L"))
    if ImageStat.Stat(grey).mean[0] < 128:  # light text on a dark bubble
        grey = ImageOps.invert(grey)
    wanted = word.text.strip(_EDGES)
    mains = []
    for factor in _SCALES:
        big = grey.resize((grey.width * factor, grey.height * factor), Image.Resampling.LANCZOS)
        read = [text.strip(_EDGES) for text, _, _ in read_line(big)]
        # A full stop after the word is the sentence's, not a different reading.
        if any(text.rstrip(".") == wanted.rstrip(".") for text in read):
            return None
        mains.append(_main_word(read))
    if len(set(mains)) == 1 and looks_like_identifier(mains[0]) \
            and SequenceMatcher(None, wanted, mains[0]).ratio() >= SAME_WORD:
        start = word.text.find(wanted)
        return word.text[:start] + mains[0] + word.text[start + len(wanted):]
    return word.text


def _main_word(read: list[str]) -> str:
    """The longest word of a reading that holds two letters or digits: the pad around the
    word lets in marks from its neighbours ("r only.", "¢ amirpatel25")."""
    words = [text for text in read if sum(ch.isalnum() for ch in text) >= 2]
    return max(words, key=len) if words else ""
