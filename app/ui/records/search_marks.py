"""The words searched for, in bold in each hit, so the eye finds them in a long line ("...this
is my page snapchat.com/add/grace.patel I will send them..."). Only how a hit is drawn
changes: its text, what a screen reader reads and what Enter opens stay as they were.

Matching is as the search matches: each word of the query, anywhere, case folded ("ß" finds
"SS"), so what is marked is what made the item a hit.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

ModelIndex = QModelIndex | QPersistentModelIndex
# [(start, end), ...]: the parts of an item's text that are the hit's own words; the rest
# ("Evidence · ", "Read in the picture:") is Safekeep's and never marked.
MARKABLE_ROLE = Qt.ItemDataRole.UserRole + 2
# A longer hit (a detail typed 100,000 letters long) is drawn unmarked: laying out its marks at
# every repaint held the window 0.3 s; a hit's snippet is 70 letters, a file name 255.
MAX_MARKED_CHARS = 2_000


def search_terms(query: str) -> list[str]:
    """The words a search looks for, each anywhere and in any case."""
    return query.casefold().split()


def folded_places(text: str) -> tuple[str, list[int]]:
    """The text casefolded, and where each folded character came from: folding changes the
    length ("ß" is "ss"), so a place in the folded text is not the same place in the text."""
    folded: list[str] = []
    places: list[int] = []
    for at, char in enumerate(text):
        piece = char.casefold()
        folded.append(piece)
        places.extend([at] * len(piece))
    return "".join(folded), places


def marked_spans(text: str, terms: list[str],
                 within: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """(start, end) of every place in `text` where a folded term is found (inside one of the
    `within` ranges, if given), merged where they touch or overlap, in order."""
    haystack, source = folded_places(text)
    spans: list[tuple[int, int]] = []
    for term in {t for t in terms if t}:
        start = haystack.find(term)
        while start >= 0:
            end = start + len(term)
            span = (source[start], source[end - 1] + 1)
            if within is None or any(low <= span[0] and span[1] <= high for low, high in within):
                spans.append(span)
            start = haystack.find(term, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def marked_html(text: str, terms: list[str],
                within: list[tuple[int, int]] | None = None) -> str:
    """`text` as escaped HTML, the searched words in bold, its lines kept."""
    parts: list[str] = []
    done = 0
    for start, end in marked_spans(text, terms, within):
        parts.append(escape(text[done:start]))
        parts.append(f"<b>{escape(text[start:end])}</b>")
        done = end
    parts.append(escape(text[done:]))
    # Qt hands a delegate the item's line breaks as U+2028 (QChar::LineSeparator).
    return "".join(parts).replace("\n", "<br>").replace("\u2028", "<br>")


class MarkedHitDelegate(QStyledItemDelegate):
    """Draws a hit's text with `terms` in bold; the row, its selection and focus as Qt does."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.terms: list[str] = []  # the query's words, case folded, as the search has them

    def _document(self, option: QStyleOptionViewItem, index: ModelIndex, text: str,
                  width: int) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)  # the text area already has its margins
        within = index.data(MARKABLE_ROLE)
        document.setHtml(marked_html(text, self.terms,
                                     [tuple(r) for r in within] if within else None))
        document.setTextWidth(width)
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text = item.text
        if not self.terms or len(text) > MAX_MARKED_CHARS:
            super().paint(painter, option, index)  # as Qt draws it, unmarked
            return
        item.text = ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        area.adjust(margin, 0, -margin, 0)  # where Qt itself puts an item's text
        document = self._document(item, index, text, area.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, item.palette.color(role))
        painter.save()
        painter.translate(area.topLeft())
        painter.setClipRect(area.translated(-area.topLeft()))
        layout = document.documentLayout()
        assert layout is not None
        layout.draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        # As if every word were bold: never shorter than the marked text needs, and Qt's own
        # measure, a tenth of the time of laying out each hit's HTML (500 hits: 0.2 s).
        bold = QStyleOptionViewItem(option)
        font = QFont(option.font)
        font.setBold(True)
        bold.font = font
        return super().sizeHint(bold, index)
