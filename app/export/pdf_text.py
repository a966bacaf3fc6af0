"""Lines of text written into one PDF text object with the fewest operators ReportLab allows.

A long table (the exhibits and the chronology of a 10,000-item case) draws some 150,000
runs of text. ReportLab's `textOut`, `setTextOrigin` and `setFillColor` are general (any font,
any colour space, alpha) and cost several microseconds each; here the common case (a TrueType
font whose first subset already has every character, an opaque RGB colour) writes exactly the
operators ReportLab would write, and anything else goes to ReportLab.
"""

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

_WRITTEN_KEPT = 8192
# id -> (colour, its "r g b rg" operator): a table uses a handful of colours, and formatting
# the numbers again for each of 100,000 runs was a tenth of the drawing. The colour is kept
# with its operator so that its id cannot be reused by another.
_COLOR_OPS: dict[int, tuple[colors.Color, str]] = {}


@dataclass
class _FontUse:
    """A font at a size in one document: its first subset's codes (None when not TrueType),
    the operators that select that subset, and runs already written in it as their "(...) Tj"
    (most runs of a long table repeat, and a code never changes once assigned)."""

    codes: dict[int, int] | None
    select: str
    written: dict[str, str] = field(default_factory=dict)


FontUses = dict[tuple[str, float], _FontUse]


class TextWriter:
    """One text object: `move_to`, `set_font`, `set_color` and `write` a run; then `draw`.

    `fonts` is shared by every writer drawing into the same document (a table keeps one)."""

    def __init__(self, canv: Canvas, fonts: FontUses) -> None:
        self._canvas = canv
        self._text = canv.beginText()
        self._code: list[str] = self._text._code
        self._fonts = fonts
        self._use: _FontUse | None = None
        self._color: colors.Color | None = None

    def move_to(self, x: float, y: float) -> None:
        """Where the next run starts (the text cursor is not kept: each line sets its own)."""
        self._code.append(f"1 0 0 1 {fp_str(x, y)} Tm")

    def set_font(self, name: str, size: float) -> None:
        self._text.setFont(name, size)
        use = self._fonts.get((name, size))
        if use is None:
            font = getFont(name)
            state = font.state.get(self._canvas._doc) if font._dynamicFont else None
            if state is None:
                use = _FontUse(None, "")
            else:
                subset = font.getSubsetInternalName(0, self._canvas._doc)
                use = _FontUse(state.assignments, f"{subset} {fp_str(self._text._fontsize)} Tf "
                                                  f"{fp_str(self._text._leading)} TL")
            self._fonts[(name, size)] = use
        self._use = use

    def set_color(self, color: colors.Color) -> None:
        if color is self._color:
            return
        self._color = color
        if type(color) is colors.Color and color.alpha == 1:
            known = _COLOR_OPS.get(id(color))
            if known is None or known[0] is not color:
                if len(_COLOR_OPS) > 64:  # colours made on the fly: do not keep them all
                    _COLOR_OPS.clear()
                known = (color, f"{fp_str(color.red, color.green, color.blue)} rg")
                _COLOR_OPS[id(color)] = known
            self._code.append(known[1])
            self._text._fillColorObj = color
        else:
            self._text.setFillColor(color)

    def write(self, run: str) -> None:
        use = self._use
        if use is None or use.codes is None or not run:
            self._text.textOut(run)
            return
        out = use.written.get(run)
        if out is None:
            try:
                data = bytes(map(use.codes.__getitem__, map(ord, run)))
            except (KeyError, ValueError):  # not yet assigned a code, or past the first subset
                self._text.textOut(run)
                return
            out = f"({self._canvas._escape(data)}) Tj"
            if len(use.written) >= _WRITTEN_KEPT:
                use.written.clear()
            use.written[run] = out
        if self._text._curSubset != 0:
            out = f"{use.select} {out}"
            self._text._curSubset = 0
        self._code.append(out)

    def draw(self) -> None:
        self._canvas.drawText(self._text)
