"""A ReportLab Paragraph that draws Arabic and Hebrew in the order they are read.

ReportLab breaks a paragraph into lines and draws each line's words left to right as stored.
Its own right-to-left support needs a package that is not on PyPI, so without this a note in
Arabic came out backwards, and ordering the whole text before ReportLab broke it would put
the end of a long note on its first line. Here the lines are broken as ReportLab breaks them,
in the order the text is stored, and each line is ordered only as it is drawn
(`bidi_text.visual_order`), with the direction of the whole paragraph; its pieces (grey
escapes, bold, italic) follow their characters. The stored lines are left as they are, so
splitting a paragraph over a page break splits the text as typed.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph

from app.export.bidi_text import base_is_rtl, has_rtl, visual_order


class ReadingParagraph(Paragraph):  # type: ignore[misc]  # ReportLab is untyped
    blPara: Any  # ReportLab's broken lines, set by wrap()

    def __init__(self, text: str | None, style: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)  # None: from frags (a split's half)
        self._rtl: bool | None = None  # None: no right-to-left script, drawn as ReportLab does
        if text is None or has_rtl(text):  # the tags are ASCII: most text is done here
            plain = "".join(_frag_text(frag) for frag in self.frags)
            self._rtl = base_is_rtl(plain) if has_rtl(plain) else None

    def drawPara(self, debug: int = 0) -> None:
        if self._rtl is None:
            super().drawPara(debug)
            return
        stored = self.blPara
        self.blPara = _in_reading_order(stored, self._rtl)
        try:
            super().drawPara(debug)
        finally:
            self.blPara = stored


def _frag_text(frag: Any) -> str:
    """A piece's text; the half of a split one-style paragraph keeps its words instead."""
    text = getattr(frag, "text", "")
    if not text and getattr(frag, "words", None):
        return " ".join(str(word) for word in frag.words)
    return text if isinstance(text, str) else ""


def _in_reading_order(para: Any, rtl: bool) -> Any:
    """A copy of ReportLab's broken lines, each in the order it is seen."""
    drawn = para.clone()
    if para.kind == 0:  # one style: each line is (space left, words)
        drawn.lines = []
        for space, words in para.lines:
            text = " ".join(words)
            seen = "".join(ch for _, ch in visual_order(text, rtl)) if has_rtl(text) else text
            drawn.lines.append((space, seen.split(" ")))
        return drawn
    drawn.lines = [_frag_line(line, rtl) for line in para.lines]
    return drawn


def _frag_line(line: Any, rtl: bool) -> Any:
    """One line of styled pieces (ParaFrags), reordered. Empty pieces (a line break's) stay
    at its end; a line with anything but text in it (a picture) is left as it is."""
    frags = [f for f in line.words if getattr(f, "text", "")]
    if any(not isinstance(getattr(f, "text", ""), str) or getattr(f, "cbDefn", None)
           for f in line.words):
        return line
    owner: list[int] = []
    for number, frag in enumerate(frags):
        owner += [number] * len(frag.text)
    text = "".join(f.text for f in frags)
    if not has_rtl(text):
        return line
    pieces: list[tuple[int, str]] = []  # (frag, its text in this run)
    for place, ch in visual_order(text, rtl):
        if pieces and pieces[-1][0] == owner[place]:
            pieces[-1] = (owner[place], pieces[-1][1] + ch)
        else:
            pieces.append((owner[place], ch))
    drawn = line.clone()
    drawn.words = [frags[number].clone(text=piece) for number, piece in pieces]
    drawn.words += [f for f in line.words if not getattr(f, "text", "")]
    return drawn
