"""Values an officer copies (identifiers, payment references) as the PDF shows them: whole.

A Paragraph wraps a long word wherever the column ends, so "anna.smith.love88@gmail.com" could
come out as "anna.smith.love88@gmail.co" and "m" on the next line, and a copied value would be
wrong. `OneLine` draws a value as one run of text instead: at its normal size when it fits,
else smaller, down to a size still readable when zoomed in. Only a value too long even for that
(well over 100 characters) continues on a further line, broken after a "/", "." or the like
where it can be, and the end of every continued line carries a grey return arrow drawn as a
picture, so the arrow is never part of the text a reader copies.

Text goes to `drawString`-like calls, which parse no markup, so "<b>" or "=cmd|" is drawn as
those characters; hidden characters are drawn as their `\\u202e`-style escapes in grey (the one
policy of app/text_safety.py) and characters the font lacks as [U+....]. Arabic and Hebrew
are joined and drawn in the order they are read (app/export/bidi_text.py).
"""

from collections.abc import Iterable

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.core.records import exhibit_reference
from app.export.bidi_text import Token, base_is_rtl, has_rtl, joined, seen_order
from app.export.casedata import CaseSnapshot
from app.export.report_style import (
    CELL_LIMIT,
    INK,
    MONO,
    MUTED,
    SANS,
    SANS_BOLD,
    covered,
    covered_mono,
    plain_line,
    visible_tokens,
)
from app.i18n import tr, tr_n

_SAFE_BREAKS = frozenset("/?&=#.-_@:+,; ")
_ARROW_W = 9.0  # room kept at the end of a continued line for its return arrow
_ASIDE_SIZE = 7.5
_GAP = 10.0


def runs_of(tokens: Iterable[Token]) -> list[Token]:
    """Neighbouring tokens of the same colour joined, so a line is drawn in few pieces."""
    runs: list[Token] = []
    for text, grey in tokens:
        if runs and runs[-1][1] == grey:
            runs[-1] = (runs[-1][0] + text, grey)
        else:
            runs.append((text, grey))
    return runs


class OneLine(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A value that never breaks inside; see the module's docstring.

    `aside` (ours, e.g. "Exhibit AB/3") is drawn in grey at the right of the same line when
    there is room, else on a line of its own below. `mono` asks for the monospaced font (0 and
    O, l and 1 told apart), used only if it has every character.
    """

    def __init__(self, value: object, *, size: float = 9.0, min_size: float = 5.5,
                 mono: bool = False, bold: bool = False, color: colors.Color = INK,
                 aside: str = "", limit: int = CELL_LIMIT, where: str = "") -> None:
        super().__init__()
        # A line break is shown as its escape, not as a space: "a@b.com\nb@c.com" drawn as
        # "a@b.com b@c.com" read as two addresses.
        text = str(value if value is not None else "")
        self._cut = max(len(text) - limit, 0)
        text = text[:limit]
        self._rtl: bool | None = None  # None: no right-to-left script, drawn as stored
        if has_rtl(text):
            self._rtl = base_is_rtl(text)
            text = joined(text, covered)
        self._tokens = visible_tokens(text)
        shown = "".join(t for t, _ in self._tokens)
        if mono and covered_mono(shown):
            self._font = MONO
        else:
            self._font = SANS_BOLD if bold else SANS
        self._unit = stringWidth(shown, self._font, 1)
        self._size = size
        self._min_size = min_size
        self._color = color
        self._aside = aside
        self._where = where
        self._lines: list[list[Token]] = []
        self._drawn_size = size
        self._aside_below = False
        self._width = 0.0

    @property
    def whole_on_one_line(self) -> bool:
        return len(self._lines) <= 1

    def _layout(self, width: float) -> None:
        self._width = width
        aside_w = stringWidth(self._aside, SANS, _ASIDE_SIZE) + _GAP if self._aside else 0.0
        if self._unit * self._size + aside_w <= width:
            self._drawn_size, self._lines, self._aside_below = self._size, [self._tokens], False
            return
        self._aside_below = bool(self._aside)
        if self._unit * self._min_size <= width:
            self._drawn_size = max(self._min_size, min(self._size, width / max(self._unit, 1e-6)))
            self._drawn_size = int(self._drawn_size * 20) / 20  # a little under: never overflow
            self._lines = [self._tokens]
            return
        self._drawn_size = self._min_size
        self._lines = self._break(width - _ARROW_W)

    def _break(self, width: float) -> list[list[Token]]:
        """Lines at the smallest size, each ending after a safe character where possible."""
        size, font = self._min_size, self._font
        widths = [stringWidth(t, font, size) for t, _ in self._tokens]
        lines: list[list[Token]] = []
        start, used, safe = 0, 0.0, -1
        for i, (text, grey) in enumerate(self._tokens):
            if used + widths[i] > width and i > start:
                end = safe + 1 if safe >= start else i
                lines.append(self._tokens[start:end])
                start, safe = end, -1
                used = sum(widths[start:i])
            used += widths[i]
            if not grey and text in _SAFE_BREAKS:
                safe = i
        lines.append(self._tokens[start:])
        return lines

    def _leading(self) -> float:
        return self._drawn_size * 1.3

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width != self._width or not self._lines:
            self._layout(avail_width)
        height = max(len(self._lines), 1) * self._leading()
        if self._aside_below:
            height += _ASIDE_SIZE * 1.3
        if self._cut:
            height += _ASIDE_SIZE * 1.3
        return avail_width, height

    def draw(self) -> None:
        canv: Canvas = self.canv
        _, height = self.wrap(self._width, 0)
        size, lead = self._drawn_size, self._leading()
        top = height
        for number, line in enumerate(self._lines):
            if self._rtl is not None:
                line = seen_order(line, self._rtl)
            baseline = top - size * 1.02
            text = canv.beginText(0, baseline)
            text.setFont(self._font, size)
            for run, grey in runs_of(line):
                text.setFillColor(MUTED if grey else self._color)
                text.textOut(run)
            canv.drawText(text)
            if number < len(self._lines) - 1:
                self._arrow(canv, self._width - _ARROW_W + 2, baseline, size)
            top -= lead
        canv.setFillColor(MUTED)
        canv.setFont(SANS, _ASIDE_SIZE)
        if self._aside and not self._aside_below:
            canv.drawRightString(self._width, height - size * 1.02, self._aside)
        if self._aside_below:
            canv.drawString(0, top - _ASIDE_SIZE, self._aside)
            top -= _ASIDE_SIZE * 1.3
        if self._cut:
            note = tr("… ({count} more characters; the full text is in {where})").format(
                count=f"{self._cut:,}", where=self._where or tr("the CSV files"))
            canv.drawString(0, top - _ASIDE_SIZE,
                            plain_line(note, SANS, _ASIDE_SIZE, self._width))

    @staticmethod
    def _arrow(canv: Canvas, x: float, baseline: float, size: float) -> None:
        """A small grey return arrow: this line goes on below (a picture, not text)."""
        high, low = baseline + size * 0.7, baseline + size * 0.2
        canv.saveState()
        canv.setStrokeColor(MUTED)
        canv.setLineWidth(0.6)
        path = canv.beginPath()
        path.moveTo(x + 5, high)
        path.lineTo(x + 5, low)
        path.lineTo(x, low)
        path.moveTo(x + 1.8, low + 1.6)
        path.lineTo(x, low)
        path.lineTo(x + 1.8, low - 1.6)
        canv.drawPath(path, stroke=1, fill=0)
        canv.restoreState()


def cut_text(text: str, limit: int, where: str) -> str:
    """`text` up to `limit` characters, then how many more there are and which file has them
    all (a table cell stays readable; the CSV files keep every value whole)."""
    if len(text) <= limit:
        return text
    return text[:limit] + " " + tr("… ({count} more characters; the full text is in "
                                   "{where})").format(count=f"{len(text) - limit:,}", where=where)


def exhibit_refs(snap: CaseSnapshot, evidence_ids: Iterable[int], limit: int = 6) -> str:
    """ "AB/1, AB/3" for the items given; a long list ends "… and 12 more"."""
    ids = list(evidence_ids)
    shown = ", ".join(snap.exhibit(i) for i in ids[:limit])
    if len(ids) > limit:
        shown += " " + tr_n("and %n more", "and %n more", len(ids) - limit)
    return shown


def exhibit_ranges(snap: CaseSnapshot, evidence_ids: Iterable[int], limit: int = 6) -> list[str]:
    """["AB/1 to AB/250", "AB/300"] for many items: neighbouring numbers as one range, at most
    `limit` ranges (then "and 12 more")."""
    numbers = sorted({snap.exhibit_number(i) for i in evidence_ids})
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    initials = snap.summary.producer_initials

    def text(first: int, last: int) -> str:
        if first == last:
            return exhibit_reference(initials, first)
        return tr("{first} to {last}").format(first=exhibit_reference(initials, first),
                                              last=exhibit_reference(initials, last))

    shown = [text(first, last) for first, last in runs[:limit]]
    if len(runs) > limit:
        rest = sum(last - first + 1 for first, last in runs[limit:])
        shown.append(tr_n("and {count} more", "and {count} more", rest).format(
            count=f"{rest:,}"))
    return shown


def exhibits_aside(snap: CaseSnapshot, evidence_ids: Iterable[int], limit: int = 4) -> str:
    """ "Exhibit AB/1" or "Exhibits AB/1, AB/3": the words beside a fact it rests on."""
    ids = list(evidence_ids)
    if not ids:
        return ""
    refs = exhibit_refs(snap, ids, limit)
    return tr("Exhibit {refs}").format(refs=refs) if len(ids) == 1 else \
        tr("Exhibits {refs}").format(refs=refs)
