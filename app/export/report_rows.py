"""A long table drawn directly on the canvas: the chronology, which has a row per evidence item
and so may have thousands of rows.

ReportLab's Table of Paragraphs costs about a millisecond a row and re-measures the table at
every page break; this draws each row's lines with plain text calls, laid out once, and splits
between rows. Like `OneLine`, it parses no markup: hidden characters are drawn as escapes in
grey, characters the font lacks as [U+....]. A cell is a few `Text` pieces stacked; a piece
either wraps at spaces (descriptions) or stays on one line, shrunk to fit (values).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.export.bidi_text import Token, base_is_rtl, has_rtl, joined, seen_order
from app.export.pdf_text import FontUses, TextWriter
from app.export.report_style import (
    ACCENT,
    BAND_LIGHT,
    INK,
    MONO,
    MUTED,
    RULE,
    SANS,
    SANS_BOLD,
    covered,
    covered_mono,
    visible_tokens,
)
from app.export.report_values import runs_of
from app.i18n import tr
from app.text_safety import is_hidden

_PAD_X = 4.0
_PAD_TOP = 3.0
_PAD_BOTTOM = 4.0
_MAX_LINES = 24  # of one piece; the CSV files keep the rest
_MAX_PARAGRAPHS = 12
_MAX_CELL = 520.0  # points: a row fits on a page under the table's header, whatever is in it
_SPACE: Token = (" ", False)
_MIN_FIT = 4.0  # points: a value is shrunk to fit down to this (small, still read on
# screen and on paper; a value of 100 characters stays whole in the narrowest column), and
# then goes on below
_GOES_ON = " \u21b5"  # drawn grey at the end of a line a value goes on from


# Text and _Line are not frozen: a frozen dataclass sets each field through
# object.__setattr__, and a 10,000-item report makes some 140,000 of each (a tenth of a second
# of construction). Neither is changed once made.
@dataclass(slots=True)
class Text:
    """One piece of a cell: `text` from the case or ours, in one of the table's styles."""

    text: str
    style: str = "cell"  # cell | muted | bold | mono
    fit: bool = False  # one line, shrunk to fit: a value never broken inside


_STYLES: dict[str, tuple[str, float, float, colors.Color]] = {
    "cell": (SANS, 8.0, 10.2, INK),
    "muted": (SANS, 7.2, 9.2, MUTED),
    "bold": (SANS_BOLD, 8.0, 10.2, INK),
    "mono": (MONO, 7.6, 10.2, INK),
    "head": (SANS_BOLD, 8.0, 10.2, ACCENT),
}


@dataclass(slots=True)
class _Line:
    runs: list[Token]
    font: str
    size: float
    leading: float
    color: colors.Color


def _width(tokens: list[Token], font: str, size: float) -> float:
    width: float = stringWidth("".join(t for t, _ in tokens), font, size)
    return width


def _wrap_tokens(tokens: list[Token], font: str, size: float, width: float) -> list[list[Token]]:
    """Lines of at most `width`, broken at spaces; a word longer than a line is cut."""
    if _width(tokens, font, size) <= width:
        return [tokens]
    words: list[list[Token]] = []
    for token in tokens:
        if token == _SPACE or not words or words[-1] == [_SPACE]:
            words.append([token])
        else:
            words[-1].append(token)
    lines: list[list[Token]] = []
    line: list[Token] = []
    used = 0.0
    for word in words:
        w = _width(word, font, size)
        if used + w <= width:
            line += word
            used += w
            continue
        if line:
            lines.append(line)
        line, used = [], 0.0
        if word == [_SPACE]:
            continue
        if w <= width:
            line, used = list(word), w
            continue
        # A word wider than the column (an address, a link): cut where a line is full, each
        # cut marked with a grey return arrow, so "mailbox.co" / "m" never reads as two words.
        room = width - stringWidth(_GOES_ON, font, size)
        for token in word:
            tw = _width([token], font, size)
            if used + tw > room and line:
                lines.append([*line, (_GOES_ON, True)])
                line, used = [], 0.0
            line.append(token)
            used += tw
    if line:
        lines.append(line)
    return lines


def _plain_lines(text: str, font: str, size: float,
                 width: float) -> list[tuple[str, bool]]:
    """`_wrap_tokens` for text that is printable ASCII only (nearly every value): the same
    lines, measured a word at a time rather than a character at a time. Each with whether
    it ends inside a word (to be marked, as `_wrap_tokens` marks it)."""
    if stringWidth(text, font, size) <= width:
        return [(text, False)]
    lines: list[tuple[str, bool]] = []
    line, used = "", 0.0
    space = stringWidth(" ", font, size)
    for word in text.split(" "):
        w = stringWidth(word, font, size)
        if line and used + space + w <= width:
            line, used = f"{line} {word}", used + space + w
            continue
        if not line and w <= width:
            line, used = word, w
            continue
        if line:
            lines.append((line, False))
        line, used = "", 0.0
        room = width - stringWidth(_GOES_ON, font, size)
        while stringWidth(word, font, size) > width and len(word) > 1:  # cut where it ends
            cut = max(int(len(word) * room / stringWidth(word, font, size)), 1)
            while cut > 1 and stringWidth(word[:cut], font, size) > room:
                cut -= 1
            lines.append((word[:cut], True))
            word = word[cut:]
        line, used = word, stringWidth(word, font, size)
    if line:
        lines.append((line, False))
    return lines


_PLAIN_CHARS: set[str] = set()  # characters seen to be drawn as themselves


def _is_plain(text: str) -> bool:
    """True when every character is drawn as itself: no escape, no [U+....], no line break."""
    if text.isascii():
        return text.isprintable()
    if _PLAIN_CHARS.issuperset(text):
        return True
    for ch in set(text):
        if ch not in _PLAIN_CHARS:
            if not ch.isprintable() or is_hidden(ch) or not covered(ord(ch)):
                return False
            _PLAIN_CHARS.add(ch)
    return True


def _lay_piece(piece: Text, width: float) -> list[_Line]:
    if not has_rtl(piece.text):
        return _lay_stored(piece, width)
    # Arabic or Hebrew: joined before it is measured, each line ordered as it is read once
    # the lines are broken (app/export/bidi_text.py).
    rtl = base_is_rtl(piece.text)
    lines = _lay_stored(Text(joined(piece.text, covered), piece.style, piece.fit), width)
    for line in lines:
        line.runs = seen_order(line.runs, rtl)
    return lines


def _lay_stored(piece: Text, width: float) -> list[_Line]:
    """A piece's lines, each in the order its characters are stored."""
    font, size, leading, color = _STYLES[piece.style]
    plain = _is_plain(piece.text) and (font != MONO or covered_mono(piece.text))
    if plain and piece.fit:
        natural = stringWidth(piece.text, font, size)
        if natural > width:
            size = size * width / natural * 0.995
            if size < _MIN_FIT:  # too long to read at any size that fits: it goes on below
                return _continued(visible_tokens(piece.text), font, color, width)
            leading = max(leading, size * 1.25)
        return [_Line([(piece.text, False)], font, size, leading, color)]
    if plain and len(piece.text) <= _MAX_LINES * 40:
        laid = [_Line([(line, False), (_GOES_ON, True)] if cut else [(line, False)], font, size,
                      leading, color)
                for line, cut in _plain_lines(piece.text, font, size, width)]
        if len(laid) > _MAX_LINES:
            more = tr("… (continues in the CSV files)")
            laid = [*laid[: _MAX_LINES - 1], _Line([(more, True)], SANS, size, leading, MUTED)]
        return laid
    if piece.fit:
        tokens = visible_tokens(" ".join(piece.text.split("\n")))
        if font == MONO and not covered_mono("".join(t for t, _ in tokens)):
            font = SANS
        natural = _width(tokens, font, size)
        if natural > width:
            size = size * width / natural * 0.995
            if size < _MIN_FIT:
                return _continued(tokens, font, color, width)
        return [_Line(tokens, font, size, max(leading, size * 1.25), color)]
    if font == MONO and not covered_mono(piece.text):
        font = SANS
    lines: list[_Line] = []
    paragraphs = piece.text.replace("\r\n", "\n").split("\n")
    if len(paragraphs) > _MAX_PARAGRAPHS:
        rest = " ".join(paragraphs[_MAX_PARAGRAPHS - 1:])
        paragraphs = [*paragraphs[: _MAX_PARAGRAPHS - 1], rest]
    for paragraph in paragraphs:
        for tokens in _wrap_tokens(visible_tokens(paragraph), font, size, width):
            lines.append(_Line(tokens, font, size, leading, color))
    if len(lines) > _MAX_LINES:
        more = tr("… (continues in the CSV files)")
        lines = [*lines[: _MAX_LINES - 1], _Line([(more, True)], SANS, size, leading, MUTED)]
    return lines


def _continued(tokens: list[Token], font: str, color: colors.Color,
               width: float) -> list[_Line]:
    """A value too long for its column even at the smallest size that can be read: at that
    size, cut where each line is full, each line but the last ending in a grey "↵" (the line
    goes on below; it is no hyphen and no part of the value). Never wider than the column,
    never so small it cannot be read on paper."""
    size = _MIN_FIT
    room = width - stringWidth(_GOES_ON, font, size)
    lines: list[_Line] = []
    line: list[Token] = []
    used = 0.0
    for text, grey in tokens:
        for ch in text if not grey else [text]:  # an escape like \u200b stays in one piece
            w = stringWidth(ch, font, size)
            if used + w > room and line:
                lines.append(_Line([*line, (_GOES_ON, True)], font, size, size * 1.4, color))
                line, used = [], 0.0
            line.append((ch, grey))
            used += w
    lines.append(_Line(line, font, size, size * 1.4, color))
    return lines


def _capped(lines: list[_Line]) -> list[_Line]:
    """A cell no taller than `_MAX_CELL`: a row must fit on a page, or nothing can be laid out."""
    if sum(line.leading for line in lines) <= _MAX_CELL:
        return lines
    kept: list[_Line] = []
    used = lines[0].leading  # room for the closing line
    for line in lines:
        if used + line.leading > _MAX_CELL:
            break
        kept.append(line)
        used += line.leading
    last = lines[0]
    more = tr("… (continues in the CSV files)")
    return [*kept, _Line([(more, True)], SANS, last.size, last.leading, MUTED)]


Cells = list[list[Text]]

@dataclass(frozen=True)
class _Row:
    height: float
    cells: list[list[_Line]]


class RowTable(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A table with a header on every page, faint bands and hairlines; see the module doc."""

    def __init__(self, header: list[str], widths: list[float], rows: Sequence[Cells],
                 *, _laid: list[_Row] | None = None, _first: int = 0,
                 _head: _Row | None = None, _fonts: FontUses | None = None) -> None:
        super().__init__()
        self._header = header
        self._widths = widths
        self._rows = rows
        # Rows are laid out only as far as a page needs: a table of 30,000 rows laid out at
        # once held all their lines in memory, and summing them at every page (ReportLab asks
        # each remaining part its height) made a long table quadratic.
        self._laid: list[_Row] = _laid or []
        self._laid_height = sum(r.height for r in self._laid)
        self._first = _first  # index of this part's first row in the whole table (bands)
        self._head = _head
        self._fonts: FontUses = {} if _fonts is None else _fonts  # of the document drawn in

    @staticmethod
    def _lay_cell(cell: list[Text], width: float) -> list[_Line]:
        # (Keeping laid-out pieces to reuse cost more than it saved: hashing a Text is a
        # Python call, and most pieces of a long table are its values, each seen once.)
        return _capped([line for piece in cell for line in _lay_piece(piece, width)])

    def _lay(self, height: float = float("inf")) -> list[_Row]:
        """Rows laid out, at least until they are taller than `height` (all by default)."""
        while len(self._laid) < len(self._rows) and self._laid_height <= height:
            row = self._rows[len(self._laid)]
            cells = [self._lay_cell(cell, w - 2 * _PAD_X)
                     for cell, w in zip(row, self._widths, strict=True)]
            height_of = max((sum(line.leading for line in c) for c in cells), default=0.0)
            laid = _Row(height_of + _PAD_TOP + _PAD_BOTTOM, cells)
            self._laid.append(laid)
            self._laid_height += laid.height
        return self._laid

    def _header_row(self) -> _Row:
        if self._head is not None:
            return self._head
        cells = [_lay_piece(Text(h, "head"), w - 2 * _PAD_X)
                 for h, w in zip(self._header, self._widths, strict=True)]
        height = max(sum(line.leading for line in c) for c in cells)
        self._head = _Row(height + _PAD_TOP + _PAD_BOTTOM, cells)
        return self._head

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """The height, or (when it is more than `avail_height`) enough of it to say so."""
        header = self._header_row().height
        self._lay(max(avail_height - header, 0.0))
        return sum(self._widths), header + self._laid_height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self._header_row().height
        laid = self._lay(room)
        count, used = 0, 0.0
        while count < len(laid) and used + laid[count].height <= room:
            used += laid[count].height
            count += 1
        if count == 0 or count == len(self._rows):
            return [] if count == 0 else [self]
        return [
            RowTable(self._header, self._widths, self._rows[:count], _laid=laid[:count],
                     _first=self._first, _head=self._head, _fonts=self._fonts),
            RowTable(self._header, self._widths, self._rows[count:], _laid=laid[count:],
                     _first=self._first + count, _head=self._head, _fonts=self._fonts),
        ]

    def draw(self) -> None:
        canv: Canvas = self.canv
        total_w, total_h = self.wrap(0, float("inf"))  # every row of this part
        header = self._header_row()
        rows = self._lay()
        # The bands and rules first, then the text of the header and every row in one text
        # object: a text object per row, each choosing its font again, was a tenth of the
        # drawing. (Text over a band looks the same drawn after all of them.)
        top = total_h - header.height
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(0.9)
        canv.line(0, top, total_w, top)
        for index, row in enumerate(rows):
            if (self._first + index) % 2:
                canv.setFillColor(BAND_LIGHT)
                canv.rect(0, top - row.height, total_w, row.height, stroke=0, fill=1)
            top -= row.height
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.25)
            canv.line(0, top, total_w, top)
        writer = TextWriter(canv, self._fonts)
        top, font = total_h, ("", 0.0)
        for row in (header, *rows):
            font = self._write_row(writer, row, top, font)
            top -= row.height
        writer.draw()

    def _write_row(self, writer: TextWriter, row: _Row, top: float,
                   font: tuple[str, float]) -> tuple[str, float]:
        """One row's lines; `font` is the one set last, and the one set last is returned.
        Font and colour are written only when they change (each is a PDF operator, and a long
        table has tens of thousands of lines)."""
        name, size = font
        x = 0.0
        for cell, width in zip(row.cells, self._widths, strict=True):
            y = top - _PAD_TOP
            for line in cell:
                writer.move_to(x + _PAD_X, y - line.size * 0.95)
                if line.font != name or line.size != size:
                    name, size = line.font, line.size
                    writer.set_font(name, size)
                if len(line.runs) == 1 and not line.runs[0][1]:
                    writer.set_color(line.color)
                    writer.write(line.runs[0][0])
                else:
                    for run, grey in runs_of(line.runs):
                        writer.set_color(MUTED if grey else line.color)
                        writer.write(run)
                y -= line.leading
            x += width
        return name, size
