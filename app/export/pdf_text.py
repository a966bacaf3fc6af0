"""Lines of text written into one PDF text object with the fewest operators ReportLab allows.

A long table (the catalogue and continuity appendix of a 10,000-item case) draws some 150,000
runs of text. ReportLab's `textOut`, `setTextOrigin` and `setFillColor` are general (any font,
any colour space, alpha) and cost several microseconds each; here the common case (a TrueType
font whose first subset already has every character, an opaque RGB colour) writes exactly the
operators ReportLab would write, and anything else goes to ReportLab.
"""

import weakref

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

# A font's state in one document -> runs already written in it, as their "(...) Tj" operator:
# most runs of a long table repeat ("by alex", a time, "Checked again: matches"), and their
# codes never change once assigned. Kept per document, and forgotten with it.
_WRITTEN: "weakref.WeakKeyDictionary[object, dict[str, str]]" = weakref.WeakKeyDictionary()
_WRITTEN_KEPT = 8192


class TextWriter:
    """One text object: `move_to`, `set_font`, `set_color` and `write` a run; then `draw`."""

    def __init__(self, canv: Canvas) -> None:
        self._canvas = canv
        self._text = canv.beginText()
        self._code: list[str] = self._text._code
        self._font: tuple[str, float] | None = None
        self._color: colors.Color | None = None
        self._codes: dict[int, int] | None = None  # the font's first-subset codes, if TrueType
        self._written: dict[str, str] = {}
        self._subset_font = ""  # "/F2+0 8 Tf 9.6 TL": selects that subset

    def move_to(self, x: float, y: float) -> None:
        """Where the next run starts (the text cursor is not kept: each line sets its own)."""
        self._code.append(f"1 0 0 1 {fp_str(x, y)} Tm")

    def set_font(self, name: str, size: float) -> None:
        if self._font == (name, size):
            return
        self._font = (name, size)
        self._text.setFont(name, size)
        font = getFont(name)
        state = font.state.get(self._canvas._doc) if font._dynamicFont else None
        self._codes = None if state is None else state.assignments
        if state is not None:
            self._written = _WRITTEN.setdefault(state, {})
            subset = font.getSubsetInternalName(0, self._canvas._doc)
            self._subset_font = (f"{subset} {fp_str(self._text._fontsize)} Tf "
                                 f"{fp_str(self._text._leading)} TL")

    def set_color(self, color: colors.Color) -> None:
        if color is self._color:
            return
        self._color = color
        if type(color) is colors.Color and color.alpha == 1:
            self._code.append(f"{fp_str(color.red, color.green, color.blue)} rg")
            self._text._fillColorObj = color
        else:
            self._text.setFillColor(color)

    def write(self, run: str) -> None:
        codes = self._codes
        if codes is None or not run:
            self._text.textOut(run)
            return
        out = self._written.get(run)
        if out is None:
            try:
                data = bytes(map(codes.__getitem__, map(ord, run)))
            except (KeyError, ValueError):  # not yet assigned a code, or past the first subset
                self._text.textOut(run)
                return
            out = f"({self._canvas._escape(data)}) Tj"
            if len(self._written) >= _WRITTEN_KEPT:
                self._written.clear()
            self._written[run] = out
        if self._text._curSubset != 0:
            out = f"{self._subset_font} {out}"
            self._text._curSubset = 0
        self._code.append(out)

    def draw(self) -> None:
        self._canvas.drawText(self._text)
