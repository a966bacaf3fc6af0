"""Right-to-left text (Arabic, Hebrew, Persian, Urdu) as the report draws it: joined, and in
the order it is read.

ReportLab draws a run's characters left to right in the order they are stored. That is right
for Latin, Cyrillic or Greek, but Hebrew and Arabic are stored in the order they are read and
read right to left: drawn as stored, the username "שלום_עולם" came out mirrored, and Arabic
letters, which take a joined form by their neighbours, came out apart. An officer could not
read a name the offender used. So:

- before anything is measured, Arabic letters take their joined forms (arabic-reshaper), only
  where the report's font has every form; word ligatures such as U+FDF2 are never made;
- each line, once broken, is put in the order it is seen (the Unicode Bidirectional
  Algorithm, python-bidi), line by line after the breaks as the algorithm asks, with the
  direction of the whole text it comes from.

Hidden characters and characters the font lacks are drawn as grey escapes (`Token`s marked
grey) and take no part in either step: they stand for themselves as left-to-right marks, so
an RLO override in a value can never turn it round. Text copied from the PDF comes out in
drawn order; the CSV files keep every value exactly as it was typed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.text_safety import is_hidden

if TYPE_CHECKING:
    from arabic_reshaper import ArabicReshaper

Token = tuple[str, bool]  # (text to draw, drawn grey: an escape rather than the character)

# Scripts written right to left: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic,
# their supplements and presentation forms, and the right-to-left planes of the SMP.
_RTL_RANGES = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff"
                         "\U0001e800-\U0001efff]")
_STRONG_RTL = frozenset({"R", "AL"})
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_DROPPED = frozenset({"BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_NEUTRAL = "\u00b7"  # of the "other neutral" class, and never mirrored
# Stands for a grey token while the line is ordered: a private-use character (strong left to
# right, never drawn as itself: the report draws such a character as an escape).
_STAND_IN = 0xF0000


def has_rtl(text: str) -> bool:
    """Whether `text` has a character of a right-to-left script (cheap for plain text)."""
    return not text.isascii() and _RTL_RANGES.search(text) is not None


def base_is_rtl(text: str) -> bool:
    """The direction of a whole text: that of its first strongly directional character."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in _STRONG_RTL:
            return True
    return False


@functools.cache
def _reshaper() -> ArabicReshaper:
    from arabic_reshaper import ArabicReshaper
    from arabic_reshaper.ligatures import SENTENCES_LIGATURES, WORDS_LIGATURES

    # Keep every character (marks and tatweel too: the text is evidence); make only the
    # letter ligatures Arabic requires (lam-alef), not whole-word ones the font may lack.
    configuration: dict[str, bool] = {"delete_harakat": False, "delete_tatweel": False,
                                      "support_ligatures": True}
    for name, _ in (*SENTENCES_LIGATURES, *WORDS_LIGATURES):
        configuration[name] = False
    return ArabicReshaper(configuration=configuration)


def joined(text: str, has_glyph: Callable[[int], bool]) -> str:
    """`text` with its Arabic letters in their joined forms, where the font has them all.
    Hidden characters are left where they are and join nothing (each is drawn as an escape;
    arabic-reshaper would drop a zero-width joiner)."""
    if _ARABIC.search(text) is None:
        return text
    out: list[str] = []
    start = 0
    for end, ch in enumerate([*text, ""]):
        if ch and not is_hidden(ch):
            continue
        piece = text[start:end]
        if _ARABIC.search(piece) is not None:
            shaped = _reshaper().reshape(piece)
            piece = shaped if all(has_glyph(ord(c)) for c in shaped) else piece
        out.append(piece + ch)
        start = end + 1
    return "".join(out)


def visual_order(text: str, rtl: bool) -> list[tuple[int, str]]:
    """Where each character of one line goes: (its index in `text`, the character drawn
    there, a bracket mirrored inside a right-to-left run), left to right. The Unicode
    Bidirectional Algorithm as python-bidi's reference implementation runs it, with each
    character's place kept so a line's pieces (styles, escapes) can follow their text."""
    from bidi import algorithm

    # Embedding controls and boundary-neutral characters (U+202E, U+200D, U+00AD...) take no
    # part here (the report draws them as escapes); the algorithm would drop them, so each
    # is ordered as a neutral character in its place and drawn as itself.
    ordered = "".join(_NEUTRAL if unicodedata.bidirectional(ch) in _DROPPED else ch
                      for ch in text)
    storage = algorithm.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    algorithm.get_embedding_levels(ordered, storage)
    for index, char in enumerate(storage["chars"]):
        char["place"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    order = [(char["place"], text[char["place"]] if char["ch"] == _NEUTRAL else char["ch"])
             for char in storage["chars"]]
    return _marks_after_letters(order, text)


def seen_order(tokens: list[Token], rtl: bool) -> list[Token]:
    """One drawn line's tokens in the order they are seen, left to right; `rtl` is the
    direction of the whole text the line comes from. Grey tokens stay whole."""
    chars: list[str] = []
    grey_at: dict[int, str] = {}
    for text, grey in tokens:
        if grey:
            grey_at[len(chars)] = text
            chars.append(chr(_STAND_IN))
        else:
            chars.extend(text)
    out: list[Token] = []
    for place, ch in visual_order("".join(chars), rtl):
        token = (grey_at[place], True) if place in grey_at else (ch, False)
        if out and not token[1] and not out[-1][1]:
            out[-1] = (out[-1][0] + ch, False)
        else:
            out.append(token)
    return out


def _marks_after_letters(order: list[tuple[int, str]], text: str) -> list[tuple[int, str]]:
    """Put the marks of a reversed run back after their letter. In logical order a mark
    (an Arabic vowel sign, a Hebrew point) follows its letter, and reversing a run puts it
    before; drawn so, it would sit on the letter to its left, the wrong one."""
    if not any(unicodedata.combining(ch) for ch in text):
        return order
    out: list[tuple[int, str]] = []
    marks: list[tuple[int, str]] = []
    for place, ch in order:
        if unicodedata.combining(ch):
            marks.append((place, ch))
            continue
        if marks and unicodedata.bidirectional(ch) in _STRONG_RTL:
            out += [(place, ch), *reversed(marks)]  # the letter the reversed marks belong to
        else:
            out += [*marks, (place, ch)]
        marks = []
    return out + marks


def seen_line(text: str, rtl: bool) -> str:
    """One drawn line of plain text (no escapes) in the order it is seen."""
    return "".join(t for t, _ in seen_order([(text, False)], rtl))
