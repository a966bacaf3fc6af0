"""What text recognition read from one picture: words with their boxes, in reading order.

Kept apart from the engine (`ocr_engine`, which needs Tesseract) so that the rules that find
details in the text, the storage and the views can use it without loading a model. Boxes are
in the pixels of the original image, whatever scaling the engine used, so the views can draw
them over the picture. Pages travel as JSON (from worker processes, into the case file).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# A page cannot honestly hold more words than this; a larger answer is a broken worker.
MAX_WORDS = 20_000
MAX_WORD_LENGTH = 200
_RUNS = re.compile(r"[^ ]+")  # the words of a printable text
_BREAKS = frozenset("\r\n\x0b\x0c\u2028\u2029")  # what ends a line of text


@dataclass(frozen=True, slots=True)
class OcrWord:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float  # 0-100, as Tesseract gives it
    line: int  # the number of the line the word is on, counted from 0 in reading order


@dataclass(frozen=True, slots=True)
class OcrPage:
    width: int  # of the original image
    height: int
    words: tuple[OcrWord, ...]

    def lines(self) -> list[list[int]]:
        """Indices of the words on each line, lines in reading order."""
        grouped: dict[int, list[int]] = {}
        for index, word in enumerate(self.words):
            grouped.setdefault(word.line, []).append(index)
        return [grouped[number] for number in sorted(grouped)]

    @property
    def text(self) -> str:
        """The words joined by spaces, one line of text per line of the picture."""
        return "\n".join(" ".join(self.words[i].text for i in line) for line in self.lines())

    def to_json(self) -> str:
        rows = [
            [w.text, w.left, w.top, w.width, w.height, round(w.confidence, 1), w.line]
            for w in self.words
        ]
        return json.dumps({"w": self.width, "h": self.height, "words": rows}, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str | bytes) -> OcrPage:
        """Parse a page, checking every field: the JSON may come from a worker process that
        read a hostile picture. Raises ValueError for anything malformed."""
        try:
            raw: Any = json.loads(data)
            width, height, rows = raw["w"], raw["h"], raw["words"]
            if not (_is_size(width) and _is_size(height) and isinstance(rows, list)):
                raise ValueError("bad page header")
            if len(rows) > MAX_WORDS:
                raise ValueError("too many words")
            return cls(width, height, tuple(_word(row) for row in rows))
        except (KeyError, TypeError, IndexError, json.JSONDecodeError) as error:
            raise ValueError("malformed page") from error


def _is_size(value: object) -> bool:
    return type(value) is int and 0 <= value < 1 << 20


def _word(row: Any) -> OcrWord:
    text, left, top, width, height, confidence, line = row
    numbers = (left, top, width, height, line)
    if not (isinstance(text, str) and 0 < len(text) <= MAX_WORD_LENGTH):
        raise ValueError("bad word text")
    if not all(_is_size(n) for n in numbers):
        raise ValueError("bad word box")
    if not (type(confidence) in (int, float) and 0 <= confidence <= 100):
        raise ValueError("bad confidence")
    return OcrWord(text, left, top, width, height, float(confidence), line)


def split_words(text: str) -> Iterator[tuple[int, str, int, int]]:
    """(line, word, index of its first character, of its last) for each word of a text as
    written (a PDF's, a text file's): lines part at line breaks.
    Control and unassigned characters part words; format characters (a soft hyphen, a
    direction mark) are left out of them, as a reader would not see them."""
    # Printable (no control, format, unassigned or break character, and no space but " "):
    # spaces alone part words, found by a pattern, some twenty times quicker.
    if text.isprintable():
        for found in _RUNS.finditer(text):
            yield from _pieces(0, found.group(), found.start(), found.end() - 1)
        return
    line, start = 0, -1
    kept: list[str] = []
    for index, char in enumerate(text + "\n"):
        category = unicodedata.category(char)
        if char.isspace() or category in ("Cc", "Cs", "Co", "Cn"):
            if kept:
                yield from _pieces(line, "".join(kept), start, index - 1)
                kept, start = [], -1
            if char in _BREAKS:
                line += 1
        elif category != "Cf":
            if not kept:
                start = index
            kept.append(char)


def _pieces(line: int, word: str, first: int, last: int) -> Iterator[tuple[int, str, int, int]]:
    """A word longer than a page's word may be (a run of characters with no space) in pieces
    that are; each piece keeps the word's box."""
    for at in range(0, len(word), MAX_WORD_LENGTH):
        yield line, word[at: at + MAX_WORD_LENGTH], first, last
