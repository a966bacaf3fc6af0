"""Typography, page furniture and text safety for report.pdf.

Text safety is the point of this module. ReportLab's `Paragraph` parses its text as markup,
and its `<img src>` would fetch a URL: every value from the case goes through `markup()`,
which escapes it (xml.sax.saxutils.escape), shows hidden characters (the one set in
app/text_safety.py: control, bidi, zero-width...) as `\\u....`, shows characters our font
lacks as `[U+....]` instead of a missing-glyph box, and shortens values too long for a table
cell (the CSV and manifest keep them whole). The only tags in the report are the ones this
package writes.

Fonts are DejaVu (shipped in app.resources/fonts, registered by path, never fetched): Latin,
Greek and Cyrillic complete, Arabic and Hebrew with their joined forms; Arabic and Hebrew are
joined and ordered as they are read, each line once the lines are broken
(app/export/bidi_text.py, app/export/reading_paragraph.py).
"""

import importlib.resources
import threading
from contextlib import ExitStack
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Table, TableStyle

from app.export.bidi_text import Token, base_is_rtl, has_rtl, joined, seen_order
from app.export.formatting import local_is_utc, local_text, utc_text
from app.export.reading_paragraph import ReadingParagraph
from app.text_safety import escape_char, is_hidden

SANS = "SafekeepSans"
SANS_BOLD = "SafekeepSans-Bold"
SANS_ITALIC = "SafekeepSans-Oblique"
MONO = "SafekeepMono"
_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    MONO: "DejaVuSansMono.ttf",
}

PAGE = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
TEXT_WIDTH = PAGE[0] - 2 * MARGIN_X

# Calm, print-friendly colours: ink, a quieter grey for labels, hairlines, a pale band.
INK = colors.HexColor("#1b1f23")
MUTED = colors.HexColor("#5b636b")
RULE = colors.HexColor("#c4c9ce")
BAND = colors.HexColor("#eef1f4")
BAND_LIGHT = colors.HexColor("#f6f8f9")
ACCENT = colors.HexColor("#2c4257")

CELL_LIMIT = 400  # characters of one value in a table cell; keeps every row under a page
LONG_LIMIT = 1000  # descriptions and notes, in the wide column

_lock = threading.Lock()
_covered: frozenset[int] = frozenset()
_covered_mono_chars: frozenset[str] = frozenset()  # as characters: a set test in C
_fonts_stack = ExitStack()  # keeps the font files' real paths alive (zipped installs)


def register_fonts() -> None:
    """Register the shipped fonts with ReportLab once per process (thread-safe)."""
    global _covered, _covered_mono_chars
    with _lock:
        if _covered:
            return
        folder = importlib.resources.files("app.resources") / "fonts"
        faces: list[TTFont] = []
        for name, filename in _FONT_FILES.items():
            path = _fonts_stack.enter_context(importlib.resources.as_file(folder / filename))
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            faces.append(font)
        pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC,
                                      boldItalic=SANS_BOLD)
        # A character is shown as itself only if regular and bold both have it.
        _covered = frozenset(faces[0].face.charToGlyph) & frozenset(faces[1].face.charToGlyph)
        _covered_mono_chars = frozenset(map(chr, faces[3].face.charToGlyph))


def covered(codepoint: int) -> bool:
    return codepoint in _covered


def covered_mono(text: str) -> bool:
    """Whether the monospaced font has every character of `text`."""
    register_fonts()
    return _covered_mono_chars.issuperset(text)


def visible_tokens(text: str) -> list[Token]:
    """One token per character of `text`: itself, or in grey its escape (a hidden character,
    or one the font lacks, as [U+....])."""
    register_fonts()
    if text.isascii() and text.isprintable():
        return [(ch, False) for ch in text]
    tokens: list[Token] = []
    for ch in text:
        if is_hidden(ch):
            tokens.append((escape_char(ch), True))
        elif not covered(ord(ch)):
            tokens.append((f"[U+{ord(ch):04X}]", True))
        else:
            tokens.append((ch, False))
    return tokens


def _line_markup(line: str) -> str:
    return "".join(f'<font color="#6b6b6b">{escape(text)}</font>' if grey else escape(text)
                   for text, grey in visible_tokens(line.replace("\t", " ").replace("\r", " ")))


def markup(value: object, *, limit: int = CELL_LIMIT, max_lines: int = 12, where: str = "") -> str:
    """Any value as text for a Paragraph: never markup, never a fetch, never a missing glyph.

    `where` names the file that has the whole value when it is shortened.
    """
    if value is None:
        return ""
    text = str(value)
    cut = len(text) - limit if len(text) > limit else 0
    if cut:
        text = text[:limit]
    if text.isascii() and text.isprintable():
        body = escape(text)  # the common case: no per-character work
    else:
        if not _covered:
            register_fonts()
        if has_rtl(text):  # Arabic joined here; each line is ordered as it is drawn
            text = joined(text, covered)
        parts: list[str] = []
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n")):
            if number:
                parts.append("<br/>" if number < max_lines else " ")
            parts.append(_line_markup(line))
        body = "".join(parts)
    if cut:
        hint = f"; the full text is in {where}" if where else ""
        body += f'<font color="#6b6b6b"> … ({cut:,} more characters{escape(hint)})</font>'
    return body


def plain_line(value: str, font: str, size: float, width: float) -> str:
    """A value for canvas.drawString (no markup there): visible escapes, cut to fit `width`,
    Arabic and Hebrew joined and in the order they are read (a case's name in the header, a
    file's name over its picture)."""
    text = value  # a line break shown as its escape, as in every value
    if text.isascii() and text.isprintable():  # nearly every value: no per-character work
        if pdfmetrics.stringWidth(text, font, size) <= width:
            return text
        while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
            text = text[: max(len(text) - max(len(text) // 8, 1), 0)]
        return text + "…"
    rtl = base_is_rtl(text) if has_rtl(text) else None
    if rtl is not None:
        text = joined(text, covered)
    tokens = visible_tokens(text)
    out = "".join(t for t, _ in tokens)
    if pdfmetrics.stringWidth(out, font, size) > width:
        while tokens and pdfmetrics.stringWidth(
                "".join(t for t, _ in tokens) + "…", font, size) > width:
            tokens = tokens[: max(len(tokens) - max(len(tokens) // 8, 1), 0)]
        tokens.append(("…", True))  # stands apart: it ends the value as typed, not as drawn
    if rtl is not None:
        tokens = seen_order(tokens, rtl)
    return "".join(t for t, _ in tokens)


class Styles:
    """Every paragraph style in the report, made after the fonts are registered."""

    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=13.5, textColor=INK,
                              alignment=TA_LEFT, splitLongWords=1)
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5)
        self.muted = ParagraphStyle("muted", parent=self.small, textColor=MUTED)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10.2)
        self.cell_muted = ParagraphStyle("cellMuted", parent=self.cell, textColor=MUTED)
        self.cell_head = ParagraphStyle("cellHead", parent=self.cell, fontName=SANS_BOLD,
                                        textColor=ACCENT)
        self.cell_right = ParagraphStyle("cellRight", parent=self.cell, alignment=TA_RIGHT)
        self.cell_head_right = ParagraphStyle("cellHeadRight", parent=self.cell_head,
                                              alignment=TA_RIGHT)
        # 7.2 pt: a whole SHA-256 (64 characters) fits on one line of the catalogue.
        self.mono = ParagraphStyle("mono", parent=self.cell, fontName=MONO, fontSize=7.2,
                                   leading=9.6, wordWrap="CJK")  # hashes break anywhere
        self.label = ParagraphStyle("label", parent=self.cell, textColor=MUTED)
        self.title = ParagraphStyle("title", parent=base, fontName=SANS_BOLD, fontSize=22,
                                    leading=27, textColor=ACCENT, spaceAfter=4)
        self.subtitle = ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16,
                                       textColor=MUTED, spaceAfter=14)
        self.h1 = ParagraphStyle("h1", parent=base, fontName=SANS_BOLD, fontSize=14, leading=18,
                                 textColor=ACCENT, spaceBefore=4, spaceAfter=8)
        self.h2 = ParagraphStyle("h2", parent=base, fontName=SANS_BOLD, fontSize=10.5,
                                 leading=14, textColor=INK, spaceBefore=10, spaceAfter=4)
        self.entry_title = ParagraphStyle("entryTitle", parent=self.h2, spaceBefore=0,
                                          spaceAfter=2)
        self.hash_big = ParagraphStyle("hashBig", parent=self.mono, fontSize=9.5, leading=12)
        self.cover_value = ParagraphStyle("coverValue", parent=base, fontSize=10.5, leading=14)
        self.cover_label = ParagraphStyle("coverLabel", parent=self.cover_value, textColor=MUTED)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A Paragraph from markup this package wrote (values already through `markup`)."""
        return ReadingParagraph(text, style or self.body)

    def v(self, value: object, style: ParagraphStyle | None = None, *, limit: int = CELL_LIMIT,
          where: str = "") -> Paragraph:
        """A Paragraph showing a case value as plain text."""
        return ReadingParagraph(markup(value, limit=limit, where=where), style or self.cell)


def data_table(styles: Styles, header: list[str] | None, rows: list[list[Any]],
               widths: list[float], *, numeric: tuple[int, ...] = (),
               grow: int | None = None, bands: bool = True) -> Table:
    """A calm table: bold header repeated on every page, hairlines, faint alternate bands.

    Cells should be Paragraphs (so they wrap); the header words are ours. `numeric` columns
    get right-aligned headings, to sit over their right-aligned amounts. With `grow` (a column
    index), a column that is empty ("", [] or None) in every row is left out and its width
    goes to column `grow` (shared by the others if `grow` is empty too): an officer reads no
    column that has nothing in it.
    """
    if grow is not None and rows:
        header, rows, widths, numeric = _drop_empty_columns(header, rows, widths, numeric, grow)
    data: list[list[Any]] = []
    if header:
        data.append([Paragraph(escape(h), styles.cell_head_right if i in numeric
                               else styles.cell_head) for i, h in enumerate(header)])
    data.extend(rows)
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # empty cells too: no Helvetica in the PDF
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    first = 1 if header else 0
    if header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT))
    if bands and len(data) > first + 1:
        commands.append(("ROWBACKGROUNDS", (0, first), (-1, -1), [colors.white, BAND_LIGHT]))
    table.setStyle(TableStyle(commands))
    return table


def _empty(cell: Any) -> bool:
    return cell is None or (isinstance(cell, (str, list)) and not cell)


def _drop_empty_columns(
    header: list[str] | None, rows: list[list[Any]], widths: list[float],
    numeric: tuple[int, ...], grow: int,
) -> tuple[list[str] | None, list[list[Any]], list[float], tuple[int, ...]]:
    keep = [c for c in range(len(widths)) if any(not _empty(row[c]) for row in rows)]
    if len(keep) == len(widths) or not keep:
        return header, rows, widths, numeric
    freed = sum(w for c, w in enumerate(widths) if c not in keep)
    if grow in keep:
        new_widths = [widths[c] + (freed if c == grow else 0) for c in keep]
    else:  # the growing column is empty too: the others share its room
        kept = sum(widths[c] for c in keep)
        new_widths = [widths[c] * (kept + freed) / kept for c in keep]
    new_rows = [[row[c] for c in keep] for row in rows]
    new_header = [header[c] for c in keep] if header else header
    new_numeric = tuple(keep.index(c) for c in numeric if c in keep)
    return new_header, new_rows, new_widths, new_numeric


def key_value_table(styles: Styles, rows: list[tuple[str, Any]], label_width: float,
                    label_style: ParagraphStyle | None = None) -> Table:
    """Label / value pairs (the cover, the summary). Labels are ours; values are Paragraphs."""
    data = [[Paragraph(escape(label), label_style or styles.label), value] for label, value in rows]
    table = Table(data, colWidths=[label_width, TEXT_WIDTH - label_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # empty cells too: no Helvetica in the PDF
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table


def times_markup(value: datetime | None, *, seconds: bool = True, prefix: str = "") -> str:
    """UTC on the first line; the computer's local time below it in grey, unless local time
    is UTC itself. `prefix` (ours, e.g. "about") goes before both."""
    if value is None:
        return ""
    lead = escape(prefix) + " " if prefix else ""
    text = lead + escape(utc_text(value, seconds=seconds))
    if not local_is_utc(value):
        text += '<br/><font color="#5b636b">' + lead + escape(local_text(value, seconds=seconds)) \
            + "</font>"
    return text


KEY_LABEL_WIDTH = 33 * mm  # page 1's labels ("Period of the offence", a detail's kind)


def key_value_style() -> TableStyle:
    """Page 1's label-and-value tables: no lines, top-aligned, close rows."""
    return TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), SANS),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ])
