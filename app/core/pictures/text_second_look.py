"""A second, closer look at a code printed under its label, such as a receipt's MTCN.

Western Union's receipt page prints the MTCN in large bold digits on a tinted panel, under
"Tracking number (MTCN)". The whole-page preparation (`text_engine.greyscale`: each pixel's
distance from its local background) serves chat bubbles well but smears bold strokes, so the
first reading gives "©02-811-1367" or drops digits. Read again on its own, as plain grey with
nothing else in view, Tesseract reads the same digits exactly.

So after the first reading, each short line that is a label for a code is found, and the band
under it (down to the next line of words, or a few line heights) is cut from the original
picture and read again as a single line. The new reading replaces the old one only when it
holds the number of digits such a code has; otherwise the first reading stays.

The same is done for the line under each display name at the top of a chat: Instagram
writes the other person's username there, small and grey, and the avatar beside it often
turns it into marks. A word read there is added as a line of its own; whether it is a
username is for the rules to say (`app/core/reading/rules/header.py`).

Bounded: at most three label bands and three header bands per picture, each a thin strip.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PIL import Image, ImageOps

from app.core.pictures.text_page import MAX_WORDS, OcrPage, OcrWord

# A word read in a band: text, (left, top, right, bottom) in the band's pixels, confidence.
BandWord = tuple[str, tuple[int, int, int, int], float]
ReadLine = Callable[[Image.Image], list[BandWord]]

_LABEL_RE = re.compile(
    r"\b(?:mtcn|tracking (?:number|no)|control number|reference (?:number|no))\b", re.IGNORECASE
)
_MAX_LABEL_WORDS = 6
_MAX_BANDS = 3
_BAND_LINES = 4  # the band is at most this many label heights tall
_SMALL_TEXT = 20  # bands with text shorter than this are enlarged twice
_DIGITS_WANTED = range(8, 13)  # an MTCN has 10 digits, a MoneyGram reference 8


def closer_looks(image: Image.Image, page: OcrPage, read_line: ReadLine) -> OcrPage:
    """`page` with the value under each code label read again where that reads better, and
    an Instagram header's username line read again (see `_header_username`)."""
    lines = page.lines()
    boxes = [_box(page, line) for line in lines]
    # A label alone on its line: "tracking number 8587574138" has its value already.
    labels = [n for n, line in enumerate(lines)
              if len(line) <= _MAX_LABEL_WORDS and _LABEL_RE.search(text := _text(page, line))
              and sum(ch.isdigit() for ch in text) < 3]
    replaced: dict[int, list[OcrWord]] = {}  # line number -> its new words
    added: dict[int, list[OcrWord]] = {}  # label's line number -> a new line after it
    for n in labels[:_MAX_BANDS]:
        band, value_line = _band(page, lines, boxes, n)
        if band is None:
            continue
        words = _read_band(image, band, read_line)
        digits = sum(ch.isdigit() for word in words for ch in word.text)
        if digits not in _DIGITS_WANTED:
            continue
        if value_line is not None:
            replaced[page.words[lines[value_line][0]].line] = words
        else:
            added[page.words[lines[n][0]].line] = words
    for name_line, words in _header_username(image, page, lines, read_line):
        added.setdefault(name_line, words)
    more = sum(len(words) for words in (*replaced.values(), *added.values()))
    if (not replaced and not added) or len(page.words) + more > MAX_WORDS:
        return page  # (a page at the word limit stays as it was read)
    return _rebuilt(page, replaced, added)


# Instagram puts the other person's username, small and grey, under their display name at the
# top of a chat; the avatar beside both often turns that line into marks in the first reading.
_NAME_WORD_RE = re.compile(r"[A-Z][a-z]{2,}")
_HANDLE_WORD_RE = re.compile(r"[a-z0-9_][a-z0-9._]{3,29}")
_HEADER_PART = 0.16  # of the picture's height: where a chat's header is
_HEADER_TRIES = 3  # name lines tried at the top of a picture


def _header_username(image: Image.Image, page: OcrPage, lines: list[list[int]],
                     read_line: ReadLine) -> list[tuple[int, list[OcrWord]]]:
    """The line under each display name in a chat's header read again: (the name's line
    number, the word read there), where it reads as one username-like word. Whether that word
    is a username is for the rules to say (`rules/header.py`): "online" reads as one too.

    Desktop Instagram lists conversations at the left, each a name over the last message,
    and the first reading gives those names before the header's; so a few name lines at the
    top are tried, not only the first (the last message under a name is rarely one word)."""
    found_lines = []
    tried = 0
    for line in lines:
        words = [page.words[i] for i in line]
        names = [w for w in words if _NAME_WORD_RE.fullmatch(w.text)][-2:]  # "Ella Patel"
        if len(names) < 2:
            continue
        top = min(w.top for w in names)
        if top > page.height * _HEADER_PART:
            continue  # (the header's line may come after the list's in reading order)
        if tried >= _HEADER_TRIES:
            break
        tried += 1
        bottom = max(w.top + w.height for w in names)
        height = max(1, bottom - top)
        left, right = names[0].left, names[-1].left + names[-1].width
        band = (max(0, left - height), bottom + 1, min(page.width, right + 4 * height),
                min(page.height, bottom + 1 + height * 8 // 5))
        if band[3] - band[1] < height // 2:
            continue
        read = _read_band(image, band, read_line)
        found = [w for w in read if _HANDLE_WORD_RE.fullmatch(w.text)]
        # Nothing else that reads as a word: "@ella_" "patel67" is an @handle, read already.
        others = [w for w in read if w not in found and sum(ch.isalnum() for ch in w.text) >= 2]
        if len(found) == 1 and not others:
            found_lines.append((words[0].line, found))
    return found_lines


def _text(page: OcrPage, line: list[int]) -> str:
    return " ".join(page.words[i].text for i in line)


def _box(page: OcrPage, line: list[int]) -> tuple[int, int, int, int]:
    words = [page.words[i] for i in line]
    return (min(w.left for w in words), min(w.top for w in words),
            max(w.left + w.width for w in words), max(w.top + w.height for w in words))


def _band(page: OcrPage, lines: list[list[int]], boxes: list[tuple[int, int, int, int]],
          label: int) -> tuple[tuple[int, int, int, int] | None, int | None]:
    """The strip under a label where its value is, and the line read there, if any."""
    left, top, right, bottom = boxes[label]
    height = max(1, bottom - top)
    below = sorted((boxes[n][1], n) for n in range(len(lines))
                   if n != label and boxes[n][1] >= bottom - height // 3
                   and boxes[n][0] < right + 10 * height and boxes[n][2] > left - 2 * height)
    value_line, end = None, bottom + _BAND_LINES * height
    # The band is as wide as the label and the lines around it: OCR may have read only the
    # end of the label ("ber (MTCN)") or of the number.
    near = [label]
    for line_top, n in below:
        if line_top > end:
            break
        near.append(n)
        text = _text(page, lines[n])
        # The value as first read: digits and marks ("©02-811-1367", "6.m"), few letters.
        if value_line is None and sum(ch.isalpha() for ch in text) <= 3:
            value_line = n
            continue
        end = min(end, line_top - 1)  # the next line of words ends the band
        break
    if value_line is not None:
        end = min(end, boxes[value_line][3] + 2 * height)
    wide_left = min(boxes[n][0] for n in near)
    wide_right = max(boxes[n][2] for n in near)
    # Its digits may run on past what the first reading saw: a margin of a few of its
    # heights (the value's own when it was read; its letters are bigger than the label's).
    tall = max(height, boxes[value_line][3] - boxes[value_line][1]) if value_line is not None \
        else 2 * height
    band = (max(0, wide_left - tall), bottom + 1, min(page.width, wide_right + 3 * tall),
            min(page.height, end))
    if band[3] - band[1] < height // 2 or band[2] <= band[0]:
        return None, None
    return band, value_line


def _read_band(image: Image.Image, band: tuple[int, int, int, int],
               read_line: ReadLine) -> list[OcrWord]:
    left, top, _, bottom = band
    strip = ImageOps.autocontrast(image.crop(band).convert("L"))
    factor = 2 if bottom - top < _SMALL_TEXT * 2 else 1
    if factor > 1:
        strip = strip.resize((strip.width * factor, strip.height * factor),
                             Image.Resampling.LANCZOS)
    words = []
    for text, (x0, y0, x1, y1), confidence in read_line(strip):
        words.append(OcrWord(text, left + x0 // factor, top + y0 // factor,
                             max(1, (x1 - x0) // factor), max(1, (y1 - y0) // factor),
                             confidence, 0))
    return words


def _rebuilt(page: OcrPage, replaced: dict[int, list[OcrWord]],
             added: dict[int, list[OcrWord]]) -> OcrPage:
    """The page's words with the new readings in place, lines numbered again in order."""
    keyed: list[tuple[tuple[int, int], OcrWord]] = []
    for word in page.words:
        if word.line not in replaced:
            keyed.append(((word.line, 0), word))
    for number, words in replaced.items():
        keyed += [((number, 0), w) for w in words]
    for number, words in added.items():
        keyed += [((number, 1), w) for w in words]
    keyed.sort(key=lambda item: item[0])  # stable: words keep their order within a line
    numbers: dict[tuple[int, int], int] = {}
    out = []
    for key, word in keyed:
        line = numbers.setdefault(key, len(numbers))
        out.append(OcrWord(word.text, word.left, word.top, word.width, word.height,
                           word.confidence, line))
    return OcrPage(page.width, page.height, tuple(out))
