"""Columns as wide as their words, so the column that stretches gets the room they leave.

A table's widths were guesses made for the longest words a column could hold: the timeline
kept 200 pixels for "Moved to another app or site" and 150 for its links, so on a 1366x768
laptop at 125% "What happened", the event itself, had what was left and showed half a
sentence. Each fitted column is sized to its heading and the words in its rows each time
the rows change, at most its widest (a longer word is cut, with the whole in its tooltip or
its row), and never below its heading. A column the person sized by hand is theirs: it is
only widened, when its heading grows with the text size.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QTableView

# Measured: the rows from the first in sight (Qt's own measure read 1,000 rows a column, 49 ms
# for five columns of a 3,000-row table at every change; 200 rows is more than a screen
# holds). A cell of more letters than _LONG_WORDS fills any column whatever its font.
_MEASURED_ROWS = 200
_LONG_WORDS = 300


class FitColumns(QObject):
    """Sizes `most` (column: widest it may grow) to the words in `table`'s rows."""

    def __init__(self, table: QTableView, most: Mapping[int, int]) -> None:
        super().__init__(table)
        self._table, self._most = table, dict(most)
        self._by_hand: set[int] = set()
        self._dragging = False  # a mouse button down on the heading: a person resizing
        header = table.horizontalHeader()
        header.setResizeContentsPrecision(_MEASURED_ROWS)
        header.sectionResized.connect(self._resized)
        self._heading = header.viewport()
        self._heading.installEventFilter(self)
        table.installEventFilter(self)  # the text size changed: the words have new widths
        # After the view has laid out the new rows (their words' sizes need it). The timer is
        # this object's, so nothing is left to run on a table already gone.
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(0)
        self._soon.timeout.connect(self.fit)
        model = table.model()
        for changed in (model.modelReset, model.rowsInserted, model.dataChanged):
            changed.connect(self._refit_soon)  # this object's method: gone with it
        self.fit()

    def _refit_soon(self, *_changed: object) -> None:
        self._soon.start()

    def fit(self) -> None:
        for column, most in self._most.items():
            heading = self._table.horizontalHeader().sectionSizeHint(column)
            if column in self._by_hand:  # only widened, when its heading has grown
                if self._table.columnWidth(column) < heading:
                    self._table.setColumnWidth(column, heading)
                continue
            widest = max(most, heading)
            if self._holds_long_words(column):
                self._table.setColumnWidth(column, widest)  # they would fill it anyway
                continue
            # The heading and the words of the rows from the first in sight, as Qt pads them.
            self._table.resizeColumnToContents(column)
            if self._table.columnWidth(column) > widest:
                self._table.setColumnWidth(column, widest)

    def _holds_long_words(self, column: int) -> bool:
        """Whether a cell near those in sight holds more than _LONG_WORDS letters: more than
        any column can show, and Qt measures every letter (22 ms for a 100,000-letter note, at
        every change, on the window's thread)."""
        table, model = self._table, self._table.model()
        first = max(table.rowAt(0), 0)
        return any(len(str(model.index(row, column).data() or "")) > _LONG_WORDS
                   for row in range(first, min(model.rowCount(), first + _MEASURED_ROWS)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._table and kind == QEvent.Type.FontChange:
            self._soon.start()
        elif watched is self._heading and kind in (QEvent.Type.MouseButtonPress,
                                                  QEvent.Type.MouseButtonRelease):
            self._dragging = kind == QEvent.Type.MouseButtonPress
        return False

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if self._dragging and column in self._most:
            self._by_hand.add(column)
