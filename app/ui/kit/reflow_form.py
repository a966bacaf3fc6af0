"""Labelled fields in as many columns as the width allows, each label above its field.

A fixed grid of nine columns is clipped on a small laptop screen with the checklist beside
it. Here the fields flow into rows: four or more across on a wide window, two or three on a
640-pixel tab, one on a very narrow one. Nothing is hidden and nothing scrolls sideways.
"""

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.kit.taken_items import take_all

WHOLE_ROW = 0
_RESIZED_TEXT = (QEvent.Type.FontChange, QEvent.Type.StyleChange)
_SPAN = "reflowFormSpan"  # kept on a line whose hint is fitted: how many columns its cell spans


def form_combo(name: str, choices: list[tuple[str, str]], *,
               editable: bool = False) -> QComboBox:
    """A form's combo box that may be narrower than its longest entry, for small screens
    (Qt otherwise makes it as wide as the longest entry, and the form cannot reflow)."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.setEditable(editable)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    for label, keyword in choices:
        combo.addItem(label, keyword)
    return combo


class ReflowForm(QWidget):
    def __init__(self, parent: QWidget | None = None, *, column_width: int = 150,
                 max_columns: int = 4) -> None:
        super().__init__(parent)
        self._column_width = column_width
        self._max_columns = max_columns
        self._cells: list[tuple[QWidget, int]] = []  # (cell, span; WHOLE_ROW for a full row)
        self._labelled: set[QWidget] = set()
        self._line_up: dict[QWidget, QSpacerItem] = {}  # a label-less cell's space above
        self._columns = 0
        # The grid lives on an inner widget: a widget with a layout of its own is measured
        # by its layout, never by our heightForWidth, which knows the columns change.
        self._inner = QWidget(self)
        self._grid = QGridLayout(self._inner)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._inner.installEventFilter(self)
        policy = self.sizePolicy()
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def add(self, label: str | QWidget | None, field: QWidget, *, span: int = 1,
            below: QWidget | None = None) -> QWidget:
        """A cell: `label` above `field` (a label-less cell lines its field up with the fields
        beside it), and optionally a note below. `span` columns, or WHOLE_ROW. The label may
        be a widget in a label's place: a tick that heads its field ("Bank told", the day)."""
        cell = QWidget(self._inner)
        layout = QVBoxLayout(cell)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        if isinstance(label, QWidget):
            layout.addWidget(label)
            self._labelled.add(cell)
        elif label is not None:
            words = QLabel(label, cell)
            words.setBuddy(field)
            layout.addWidget(words)
            self._labelled.add(cell)
        layout.addWidget(field)
        if below is not None:
            layout.addWidget(below)
        layout.addStretch()
        if label is None:
            # Line up with labelled cells beside it: the same height of space above the field
            # (none when no cell in its row has a label: _arrange).
            self._line_up[cell] = QSpacerItem(0, 0)
            layout.insertSpacerItem(0, self._line_up[cell])
        if span != WHOLE_ROW:  # a whole row has room for its hint already
            for edit in [field, *field.findChildren(QLineEdit)]:
                if isinstance(edit, QLineEdit) and edit.placeholderText():
                    edit.setProperty(_SPAN, span)
                    edit.installEventFilter(self)
                    self._fit_hint(edit)
        self._cells.append((cell, span))
        self._columns = 0
        self._arrange(self._columns_for(max(self.width(), 1)))
        return cell

    def columns(self) -> int:
        return self._columns

    def _columns_for(self, width: int) -> int:
        spacing = max(self._grid.horizontalSpacing(), 0)
        for columns in range(self._max_columns, 1, -1):
            if self._needed_width(columns, spacing) <= width:
                return columns
        return 1

    def _needed_width(self, columns: int, spacing: int) -> int:
        """The narrowest the cells fit in `columns` columns (a column is never narrower than
        `column_width`, so fields stay wide enough to read what is typed)."""
        widths = [self._column_width] * columns
        for cell, span, column, _row in self._placed(columns):
            if span == 1:
                widths[column] = max(widths[column], cell.minimumSizeHint().width())
        total = sum(widths) + spacing * (columns - 1)
        for cell, span, column, _row in self._placed(columns):
            if span > 1:
                covered = sum(widths[column:column + span]) + spacing * (span - 1)
                total += max(0, cell.minimumSizeHint().width() - covered)
        return total

    def _placed(self, columns: int) -> list[tuple[QWidget, int, int, int]]:
        """(cell, span, column, row) when the cells flow into `columns` columns."""
        out: list[tuple[QWidget, int, int, int]] = []
        row = column = 0
        for cell, wanted in self._cells:
            span = columns if wanted == WHOLE_ROW else min(wanted, columns)
            if column + span > columns:
                row, column = row + 1, 0
            out.append((cell, span, column, row))
            column += span
            if column >= columns:
                row, column = row + 1, 0
        return out

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        take_all(self._grid)  # the taken items deleted, so each cell's new one hears it
        for old in range(self._grid.columnCount()):
            self._grid.setColumnStretch(old, 0)
        for old in range(self._grid.rowCount()):
            self._grid.setRowStretch(old, 0)
        placed = self._placed(columns)
        for cell, span, column, row in placed:
            self._grid.addWidget(cell, row, column, 1, span)
        for column in range(columns):
            self._grid.setColumnStretch(column, 1)
        self._line_up_unlabelled(placed)
        # Height beyond what the fields need goes under the last row: shared out between the
        # rows, it opened gaps inside the form (Offender details, beside its taller help).
        self._grid.setRowStretch(max((row for *_rest, row in placed), default=-1) + 1, 1)
        self._columns = columns
        self.updateGeometry()

    def _line_up_unlabelled(self, placed: list[tuple[QWidget, int, int, int]]) -> None:
        """Space above each label-less field as tall as a label, where a cell in its row has
        one; alone in its row ("I'm not sure this is right", "Bank told"), it had left a gap."""
        labelled_rows = {row for cell, _span, _column, row in placed if cell in self._labelled}
        above = QLabel("X").sizeHint().height() + 2  # a label and the cell's spacing
        for cell, _span, _column, row in placed:
            spacer = self._line_up.get(cell)
            if spacer is not None:
                spacer.changeSize(0, above if row in labelled_rows else 0)
                layout = cell.layout()
                if layout is not None:
                    layout.invalidate()

    # ----- size negotiation ---------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        self._arrange(self._columns_for(width))
        return self._height_for(width)

    def _height_for(self, width: int) -> int:
        height = self._grid.totalHeightForWidth(width)  # -1 when no cell wraps its text
        return height if height >= 0 else self._grid.totalMinimumSize().height()

    def minimumSizeHint(self) -> QSize:
        spacing = max(self._grid.horizontalSpacing(), 0)
        return QSize(self._needed_width(1, spacing), self._height_for(max(self.width(), 1)))

    def sizeHint(self) -> QSize:
        return self.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(self._columns_for(event.size().width()))
        self._inner.setGeometry(self.rect())
        super().resizeEvent(event)

    def _fit_hint(self, edit: QLineEdit) -> None:
        """A line no narrower than its grey hint: one cut short ("like 14/03/2025 o…") says
        less than none. The columns then reflow, as for any wider field; never wider than
        one column more than it spans. The frame, margins and icons are what the line's own
        size hint adds to the text it makes room for (17 "x")."""
        metrics = edit.fontMetrics()
        around = edit.sizeHint().width() - 17 * metrics.horizontalAdvance("x")
        wanted = around + metrics.horizontalAdvance(edit.placeholderText()) + 2
        span = int(edit.property(_SPAN) or 1)
        edit.setMinimumWidth(min(wanted, (span + 1) * self._column_width))
        self._columns = 0  # measured again when next laid out

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # getattr: while a window is torn down, the garbage collector may clear this object's
        # attributes before Qt stops sending its events here.
        if watched is getattr(self, "_inner", None) and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # a field grew (a hint appeared): ask for a new height
        elif isinstance(watched, QLineEdit) and event.type() in _RESIZED_TEXT:
            self._fit_hint(watched)  # the text size setting changed
            self._arrange(self._columns_for(max(self.width(), 1)))
            self.updateGeometry()
        return False
