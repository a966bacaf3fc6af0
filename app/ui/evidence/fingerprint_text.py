"""An evidence item's SHA-256 in its details pane: whole at any width, copied as one line.

Its own module: the details pane lays out fields; fitting 64 hex digits to the pane's width is
a job of its own.
"""

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF, QResizeEvent, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.ui.kit.app_font import monospace_font, set_font_keeping_text_size


class FingerprintText(QPlainTextEdit):
    """A SHA-256 shown whole at any width: it wraps anywhere (64 hex digits have no spaces)
    and is always exactly as tall as its lines, yet copies as one exact line, so a person or
    an officer can paste it next to `sha256sum` output."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        set_font_keeping_text_size(self, monospace_font)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._fit_height)
        self._fit_height()

    def _lines(self) -> int:
        usable = self.viewport().width() - 2 * self.document().documentMargin()
        advance = max(QFontMetricsF(self.font()).horizontalAdvance("0"), 1.0)  # monospace
        per_line = max(int(usable // advance), 1)
        length = max(len(self.toPlainText()), 64)  # room for a whole hash even when empty
        return -(-length // per_line)

    def _fit_height(self) -> None:
        frame = 2 * self.frameWidth()
        margin = math.ceil(self.document().documentMargin())
        metrics = QFontMetricsF(self.font())
        # A laid-out line is its font's height rounded up to a whole pixel (Qt's QTextLine),
        # which can be a pixel more than QFontMetrics.lineSpacing(). And QPlainTextEdit
        # scrolls unless the last line ends a margin and a pixel above the viewport's bottom.
        # Both were missed before: with DejaVu Sans Mono at 14 points, or Noto Sans Mono at
        # 11, a hash of four to six lines fell a few pixels short, and scrolled.
        line = math.ceil(metrics.height()) + math.ceil(max(metrics.leading(), 0.0))
        height = self._lines() * line + 2 * margin + 1 + frame
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()
