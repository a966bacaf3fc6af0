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

A third opinion, from another engine (`text_word_model`: PP-OCR's recognition model, given
as `read_word`), settles the small words Tesseract's readings leave in doubt: those the
enlarged readings do not confirm, and those Tesseract itself read with low confidence (which
Tesseract does not read again: its confidence already marks them), these up to LOW_WORD
pixels tall (on the tuning seeds' full-size pictures they took "c9d767ba9b7bdeba" and
"harrybrown32@" to right, and none from right to wrong). Its reading is taken when
it looks like an identifier and is the same as, or much like, one of Tesseract's readings
(for a word read with low confidence, the first one): two engines agreeing, or one putting
right a letter or two of the other's word ("<realleoclarke@proton.me>" for Tesseract's
"<callcoclarke@proton.me>" at any enlargement). The word stays marked unsure either way: a
word Tesseract was unsure of may still hold a misread letter. Its reading is not taken where
it is itself unsure of a character that differs from Tesseract's, nor where it changes with
the margin around the word (see _SIDE_PAD). It is mended where PP-OCR is known to slip: a
dot Tesseract saw and it did not ("live:.cid." read as "live:cid.") is put back; the marks
"._-" at the word's ends are Tesseract's; and a stray "1", "l" or "|" at an end, from the
edge of a bubble, is dropped when the rest is Tesseract's reading.
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
# The other engine's reading of one word's picture, each character with its probability
# (0-1); None when it cannot read it.
ReadWord = Callable[[Image.Image], "list[tuple[str, float]] | None"]

SMALL_WORD = 12  # words shorter than this many pixels are read again
LOW_WORD = 30  # words read with low confidence shorter than this go to the other engine
UNSURE = 50.0  # a word's confidence when the readings disagree: below "hard to read" (70)
_SCALES = (3, 4)
SAME_WORD = 0.8  # similarity (difflib's ratio) of two readings taken for the same word
_MAX_WORDS = 40  # per picture: the time stays bounded whatever the picture holds
_MAX_THIRD = 40  # words per picture given to the other engine (about 30 ms each)
# The other engine reads the word twice, with 2 pixels left and right of it and with half its
# height, and its reading counts only when both agree: a letter at the word's edge can come
# and go with the margin ("1a5168..." read "a5168..."), and a wide margin lets in the end of
# the word on the left (the "." of "leo." before "wilsonZgmail.com").
_SIDE_PAD = 2
_END_MARKS = "._-"
_STRAY = frozenset("1lI|!")
_SURE_CHARACTER = 0.6  # the other engine's probability for a character where it differs
_EDGES = "<>()[]{},;:'\"|!?«»“”‘’"
_IDENTIFIER_RE = re.compile(r"[@._:/]|(?=.*[0-9])(?=.*[A-Za-z])")


def looks_like_identifier(text: str) -> bool:
    core = text.strip(_EDGES)
    return len(core) >= 5 and _IDENTIFIER_RE.search(core) is not None


def rechecked(image: Image.Image, page: OcrPage, read_line: ReadLine,
              read_word: ReadWord | None = None) -> OcrPage:
    """`page` with each small identifier-like word that no second reading confirms marked
    unsure (its confidence lowered to UNSURE), and read by `read_word` too when given."""
    words = list(page.words)
    checked = third = 0
    for n, word in enumerate(words):
        low = word.confidence <= UNSURE
        if word.height >= (LOW_WORD if low else SMALL_WORD) or (low and read_word is None) \
                or not looks_like_identifier(word.text):
            continue
        readings = [word.text.strip(_EDGES)]
        if not low:
            if checked >= _MAX_WORDS:
                continue
            checked += 1
            verdict, mains = _second_reading(image, word, read_line)
            if verdict is None:
                continue
            readings += mains
        else:
            verdict = word.text
        if read_word is not None and third < _MAX_THIRD:
            third += 1
            verdict = _third_opinion(image, word, verdict, readings, read_word) or verdict
        words[n] = dataclasses.replace(word, text=verdict,
                                       confidence=min(word.confidence, UNSURE))
    return dataclasses.replace(page, words=tuple(words))


def _second_reading(image: Image.Image, word: OcrWord, read_line: ReadLine
                    ) -> tuple[str | None, list[str]]:
    """(None, ...) when a reading of the word alone, enlarged, gives the same text; otherwise
    the word's text to keep, marked unsure: the text both readings agree on when they agree
    with each other and look like the same word (see the module's text), else the first
    reading. Also the main word of each enlarged reading."""
    pad = max(2, word.height // 2)
    box = _box(image, word, pad, pad)
    if box is None:
        return None, []
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
            return None, []
        mains.append(_main_word(read))
    if len(set(mains)) == 1 and looks_like_identifier(mains[0]) \
            and SequenceMatcher(None, wanted, mains[0]).ratio() >= SAME_WORD:
        return _replaced(word.text, mains[0]), mains
    return word.text, mains


def _box(image: Image.Image, word: OcrWord, side: int, pad: int
         ) -> tuple[int, int, int, int] | None:
    box = (max(0, word.left - side), max(0, word.top - pad),
           min(image.width, word.left + word.width + side),
           min(image.height, word.top + word.height + pad))
    return box if box[2] > box[0] and box[3] > box[1] else None


def _replaced(text: str, core: str) -> str:
    """`text` with its core (inside the marks at its edges) replaced by `core`."""
    wanted = text.strip(_EDGES)
    start = text.find(wanted)
    return text[:start] + core + text[start + len(wanted):]


def _third_opinion(image: Image.Image, word: OcrWord, current: str, readings: list[str],
                   read_word: ReadWord) -> str | None:
    """The other engine's reading of the word, mended (see the module's text), when it looks
    like an identifier and like one of Tesseract's `readings`, and comes back the same
    whatever the margin around the word; else None."""
    pad = max(2, word.height // 2)
    found = set()
    for side in sorted({_SIDE_PAD, max(_SIDE_PAD, pad)}):
        box = _box(image, word, side, pad)
        characters = read_word(image.crop(box)) if box is not None else None
        found.add(_taken(characters or [], current, readings))
    return found.pop() if len(found) == 1 else None


def _taken(characters: list[tuple[str, float]], current: str, readings: list[str]
           ) -> str | None:
    """The word's text with the other engine's reading in it, or None when it is not taken."""
    read = "".join(ch for ch, _ in characters)
    start = len(read) - len(read.lstrip(_EDGES))
    characters = characters[start:start + len(read.strip(_EDGES))]
    read = read.strip(_EDGES)
    closest = max(filter(None, readings), default="",
                  key=lambda reading: SequenceMatcher(None, read, reading).ratio())
    if not read or _unsure_where_different(characters, closest):
        return None
    if read[0] in _END_MARKS and not closest.startswith(read[0]):
        # A mark first that Tesseract did not see: the margin reached into the word on the
        # left ("leo." of "leo.wilson@..." read as a word of its own): this is part of a word.
        return None
    read = _dots_put_back(read, readings[0])
    for reading in filter(None, readings):
        at = read.find(reading)
        if at >= 0 and len(read) - len(reading) <= 2 \
                and set(read[:at] + read[at + len(reading):]) <= _STRAY:
            read = reading
    now = current.strip(_EDGES)
    lead = now[:len(now) - len(now.lstrip(_END_MARKS))]
    trail = now[len(now.rstrip(_END_MARKS)):]
    read = lead + read.strip(_END_MARKS) + trail
    if not looks_like_identifier(read) or not any(
            reading and SequenceMatcher(None, read, reading).ratio() >= SAME_WORD
            for reading in readings):
        return None
    return _replaced(current, read)


def _unsure_where_different(characters: list[tuple[str, float]], reading: str) -> bool:
    """Whether the other engine is unsure of a character where it differs from `reading`
    (Tesseract's): "la5168e8..." for "1a5168e8...", its "l" at 0.3."""
    text = "".join(ch for ch, _ in characters)
    return any(op in ("replace", "insert")
               and min(p for _, p in characters[start:end]) < _SURE_CHARACTER
               for op, _, _, start, end in SequenceMatcher(
                   None, reading, text, autojunk=False).get_opcodes())


def _dots_put_back(read: str, tesseract: str) -> str:
    """`read` with each full stop Tesseract saw where `read` has nothing put back."""
    out = []
    for op, start, end, other_start, other_end in SequenceMatcher(
            None, tesseract, read, autojunk=False).get_opcodes():
        if op == "delete":
            if set(tesseract[start:end]) == {"."}:
                out.append(tesseract[start:end])
        else:
            out.append(read[other_start:other_end])
    return "".join(out)


def _main_word(read: list[str]) -> str:
    """The longest word of a reading that holds two letters or digits: the pad around the
    word lets in marks from its neighbours ("r only.", "¢ amirpatel25")."""
    words = [text for text in read if sum(ch.isalnum() for ch in text) >= 2]
    return max(words, key=len) if words else ""
