"""The lines of an OCR page as plain text, with a way back from characters to words.

The rules that find details in a screenshot (`ocr_candidates` and the `ocr_rules_*` modules)
search text with regular expressions, but the view needs to know which words on the picture
to highlight. So each line is the words joined by single spaces, together with the index of
the word every character came from.

The text comes from a hostile picture, so the work is bounded: a line is cut after
`MAX_LINE_CHARS` characters and a page after `MAX_PAGE_CHARS`. A real chat screenshot holds
a few thousand characters; anything past these limits is not a screenshot worth reading.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from app.core.identifiers import IdentifierType, normalise
from app.core.pictures import OcrPage, OcrWord
from app.core.reading.kinds import CandidateKind

MAX_LINE_CHARS = 1_000
MAX_PAGE_CHARS = 100_000

_GAP = -1  # the owner of a space put between two words: no word


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the page: its text and, for each character, the word it belongs to."""

    text: str
    owners: tuple[int, ...]  # word index per character of `text`; -1 for joining spaces
    lower: str  # `text` lower-cased character for character, so offsets are the same
    # Where the line's words are on the picture: left, top, right, bottom.
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    # For a line with OCR slips mended (see `mend`): where each character was in the line
    # as read. None for the line as read.
    origin: tuple[int, ...] | None = None
    page_words: tuple[OcrWord, ...] = ()  # all the words of the page, for their boxes
    typed: bool = False  # typed text (a chat message), not read from a picture: no OCR slips

    def words(self, start: int, end: int) -> tuple[int, ...]:
        """The indices of the words that the characters start..end come from."""
        return tuple(sorted({owner for owner in self.owners[start:end] if owner != _GAP}))

    def continued_by(self, other: Line) -> bool:
        """True when `other` looks like the next line of the same paragraph or chat bubble:
        just below this one and starting at the same left edge."""
        left, top, _, bottom = self.box
        height = bottom - top
        below = other.box[1] - bottom
        return 0 < height and abs(other.box[0] - left) <= height and -height // 2 <= below <= height

    def apart(self, end: int, start: int) -> bool:
        """True when OCR put text[:end] and text[start:] on one line but a wide gap parts
        them on the picture: a date in a list of chats beside a time under a message is not
        one moment."""
        if not (0 < end <= start < len(self.owners)):
            return False
        indices = [i for i in dict.fromkeys(self.owners[end - 1 : start + 1]) if i != _GAP]
        if not all(i < len(self.page_words) for i in indices):
            return False
        for first, second in itertools.pairwise(indices):
            left, right = self.page_words[first], self.page_words[second]
            height = max(left.height, right.height, 1)
            if right.left - (left.left + left.width) > 2 * height:
                return True
        return False

    def source(self, start: int, end: int) -> tuple[int, int]:
        """Where text[start:end] was in the line as read."""
        if self.origin is None or start >= end:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def mend(line: Line, pattern: re.Pattern[str], replacement: str) -> Line:
    """`line` with each match of `pattern` replaced by `replacement` (no group references),
    remembering for each character the word and the place it came from."""
    if not pattern.search(line.text):
        return line
    origin = line.origin or tuple(range(len(line.text)))
    parts: list[str] = []
    owners: list[int] = []
    places: list[int] = []
    done = 0
    for match in pattern.finditer(line.text):
        start, end = match.span()
        parts.append(line.text[done:start])
        owners += line.owners[done:start]
        places += origin[done:start]
        parts.append(replacement)
        for offset in range(len(replacement)):
            # A new character stands where the last replaced one stood.
            at = min(start + offset, max(start, end - 1))
            owners.append(line.owners[at] if at < len(line.owners) else _GAP)
            places.append(origin[at] if at < len(origin) else len(line.text))
        done = end
    parts.append(line.text[done:])
    owners += line.owners[done:]
    places += origin[done:]
    text = "".join(parts)
    return Line(
        text, tuple(owners), _lower_same_length(text), line.box, tuple(places), line.page_words
    )


@dataclass(frozen=True, slots=True)
class Found:
    """A detail one rule found, before de-duplication. Spans are (line, start, end)."""

    kind: CandidateKind
    value: str
    normalised: str
    platform: str | None
    spans: tuple[tuple[int, int, int], ...]
    # True when the value is not exactly what OCR read but a correction of it (a domain with
    # one letter put right): the person is told it is hard to read and checks the picture.
    corrected: bool = False


def page_lines(page: OcrPage) -> list[Line]:
    """Every line of `page` as text, within the length limits."""
    lines: list[Line] = []
    budget = MAX_PAGE_CHARS
    for indices in page.lines():
        if budget <= 0:
            break
        parts: list[str] = []
        owners: list[int] = []
        for index in indices:
            # Words never hold line breaks or tabs in Tesseract's output; a hand-made or
            # damaged page might, and a rule must never see two lines as one.
            word = _CONTROL_RE.sub(" ", page.words[index].text)
            needed = len(word) + (1 if parts else 0)
            if len(owners) + needed > min(MAX_LINE_CHARS, budget):
                break
            if parts:
                parts.append(" ")
                owners.append(_GAP)
            parts.append(word)
            owners.extend([index] * len(word))
        text = "".join(parts)
        budget -= len(text) + 1
        used = [page.words[i] for i in sorted(set(owners) - {_GAP})]
        box = (
            (
                min(w.left for w in used),
                min(w.top for w in used),
                max(w.left + w.width for w in used),
                max(w.top + w.height for w in used),
            )
            if used
            else (0, 0, 0, 0)
        )
        lines.append(Line(text, tuple(owners), _lower_same_length(text), box, None, page.words))
    return lines


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def typed_lines(text: str) -> list[Line]:
    """Typed text (a chat message) as lines for the rules: one per line of the text, a long
    one cut at a space within MAX_LINE_CHARS. It has no words on a picture, so every
    character belongs to word 0 and no box is known."""
    lines: list[Line] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        raw = _CONTROL_RE.sub(" ", raw)
        while raw:
            piece = raw
            if len(raw) > MAX_LINE_CHARS:
                cut = raw.rfind(" ", 0, MAX_LINE_CHARS)
                piece = raw[: cut if cut > 0 else MAX_LINE_CHARS]
            raw = raw[len(piece) :].lstrip(" ")
            lines.append(Line(piece, (0,) * len(piece), _lower_same_length(piece), typed=True))
    return lines


def _lower_same_length(text: str) -> str:
    """Lower-case `text` without changing its length, so offsets stay valid.

    A few characters grow when lower-cased ("İ" becomes two); those are kept as they are.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char if len(char.lower()) != 1 else char.lower() for char in text)


def near_text(lines: list[Line], index: int, before: int = 1, after: int = 1) -> str:
    """The lower-case text of a line and its neighbours, joined by line breaks."""
    start = max(0, index - before)
    return "\n".join(line.lower for line in lines[start : index + after + 1])


def identifier_found(
    kind: IdentifierType,
    value: str,
    spans: tuple[tuple[int, int, int], ...],
    platform: str | None = None,
) -> Found:
    """A found identifier, keyed exactly as `identifiers.normalise` keys a typed one, so a
    detail read from a picture matches the same detail entered by hand."""
    result = normalise(kind, value, platform)
    return Found(kind, value, result.normalised, result.platform, spans)


# Punctuation that ends a sentence or wraps a detail, never part of it when at an edge.
EDGE_PUNCTUATION = ".,;:!?'\"()[]{}<>«»“”‘’"


def trim_span(text: str, start: int, end: int, edges: str = EDGE_PUNCTUATION) -> tuple[int, int]:
    """Move start and end inwards past `edges` characters."""
    while start < end and text[start] in edges:
        start += 1
    while end > start and text[end - 1] in edges:
        end -= 1
    return start, end
