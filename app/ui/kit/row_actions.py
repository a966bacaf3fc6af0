"""Small pieces the editable tables (offender details, payments, timeline) share."""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QLayout, QPushButton, QTableView, QWidget

from app.i18n import tr
from app.ui.records.record_model import RecordTableModel


class InlineRemove:
    """"Remove…" that asks in place ("Yes, remove it" / "Keep it") instead of a modal box:
    a modal box would sit above the Quick exit button, and a misclick removes nothing."""

    def __init__(self, parent: QWidget, accessible_name: str, *,
                 has_selection: Callable[[], bool], on_confirm: Callable[[], None]) -> None:
        self._has_selection = has_selection
        self._on_confirm = on_confirm
        self.remove_button = QPushButton(tr("Remove…"), parent)
        self.remove_button.setAccessibleName(accessible_name)
        self.remove_button.clicked.connect(self.ask)
        self.confirm_button = QPushButton(tr("Yes, remove it"), parent)
        self.confirm_button.clicked.connect(self._confirmed)
        self.keep_button = QPushButton(tr("Keep it"), parent)
        self.keep_button.clicked.connect(self.hide_confirm)
        self.hide_confirm()

    def add_to(self, layout: QLayout) -> None:
        for button in (self.remove_button, self.confirm_button, self.keep_button):
            layout.addWidget(button)

    def ask(self) -> None:
        if self._has_selection():
            self.remove_button.hide()
            self.confirm_button.show()
            self.keep_button.show()
            self.confirm_button.setFocus()

    def hide_confirm(self) -> None:
        self.confirm_button.hide()
        self.keep_button.hide()
        self.remove_button.show()

    def _confirmed(self) -> None:
        self.hide_confirm()
        self._on_confirm()


def selected_record_id(table: QTableView, model: RecordTableModel[Any]) -> int | None:
    """The id of the record in the selected row, or None when nothing is selected."""
    rows = table.selectionModel().selectedRows()
    record = model.row_at(rows[0].row()) if rows else None
    return None if record is None else model.record_id(record)


def select_record(table: QTableView, model: RecordTableModel[Any], record_id: int,
                  column: int = 0) -> bool:
    """Select and show the row of one record, the cursor on `column` (the cell a keyboard user
    most likely wants to edit); False when the record is not in the table."""
    row = model.row_of(record_id)
    if row is None:
        return False
    index = model.index(row, column)
    table.selectionModel().setCurrentIndex(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)
    table.scrollTo(index)
    return True
