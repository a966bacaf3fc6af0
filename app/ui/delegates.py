"""Editors for table cells: a choice from a list, and a calendar date.

The models keep the stored keyword in `EditRole` (for example "western-union") and the words
to show in `DisplayRole`; these delegates edit the keyword, so a translated label can never be
written back to the case by mistake.
"""

from datetime import date
from typing import cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

ModelIndex = QModelIndex | QPersistentModelIndex

#: Flags of a plain, selectable cell in a flat model.
PLAIN_ITEM = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
              | Qt.ItemFlag.ItemNeverHasChildren)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of (label, keyword); `editable` also accepts typed text (platforms)."""

    def __init__(self, choices: list[tuple[str, str]], parent: QObject | None = None, *,
                 editable: bool = False) -> None:
        super().__init__(parent)
        self.choices = choices
        self.editable = editable

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: ModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(self.editable)
        for label, keyword in self.choices:
            combo.addItem(label, keyword)
        return combo

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        combo = cast(QComboBox, editor)
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        found = combo.findData(value)
        if found >= 0:
            combo.setCurrentIndex(found)
        elif self.editable:
            combo.setEditText(value)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        combo = cast(QComboBox, editor)
        text = combo.currentText()
        found = combo.findText(text)
        value = combo.itemData(found) if found >= 0 else text.strip()
        model.setData(index, value, Qt.ItemDataRole.EditRole)


class DateDelegate(QStyledItemDelegate):
    """A date with a calendar; the model's EditRole is a `datetime.date` or None."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: ModelIndex) -> QWidget:
        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("d MMM yyyy")
        editor.setMaximumDate(QDate.currentDate().addDays(1))
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        day = value if isinstance(value, date) else date.today()
        cast(QDateEdit, editor).setDate(QDate(day.year, day.month, day.day))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        chosen = cast(QDateEdit, editor).date()
        model.setData(index, date(chosen.year(), chosen.month(), chosen.day()),
                      Qt.ItemDataRole.EditRole)


def is_checked(value: object) -> bool:
    """A CheckStateRole value as Qt or a test may pass it (enum or int)."""
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return value == Qt.CheckState.Checked.value
