"""Editors for table cells: a choice from a list, a typed date (the forms' date line), and text.

The models keep the stored keyword in `EditRole` (for example "western-union") and the words
to show in `DisplayRole`; these delegates edit the keyword, so a translated label can never be
written back to the case by mistake.

A cell editor writes back only what the person changed. Qt's line edit holds 32,767 characters
by default, and a note or reference added through the command line may be longer: a cell
opened and left (Enter, Tab, a click elsewhere) wrote the cut text back and lost the rest.
"""

from collections.abc import Callable
from datetime import date
from typing import cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.errors import InvalidInput
from app.i18n import tr
from app.ui.kit.date_field import DateLineEdit
from app.ui.kit.typed_choice import TypedChoice, choose_entry

ModelIndex = QModelIndex | QPersistentModelIndex

#: Flags of a plain, selectable cell in a flat model.
_LEAVING_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)

PLAIN_ITEM = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
              | Qt.ItemFlag.ItemNeverHasChildren)

#: As much as a line edit can hold: stored text has no length limit (the core sets none).
NO_LIMIT = 2**31 - 1

_LOADED = "safekeep_loaded"  # the editor property holding what the cell showed when opened


def holds_any_length(edit: QLineEdit) -> QLineEdit:
    """A line edit that takes a stored value whole, however long (not cut at 32,767)."""
    edit.setMaxLength(NO_LIMIT)
    return edit


class TextDelegate(QStyledItemDelegate):
    """Qt's own cell editor for text, holding a value of any length, and writing back only
    when the person typed in it."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: ModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            holds_any_length(editor)
        return editor

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if isinstance(editor, QLineEdit) and not editor.isModified():
            return  # opened and left: what is stored stays exactly as it is
        super().setModelData(editor, model, index)


def at_least_its_width(editor: QWidget, option: QStyleOptionViewItem) -> None:
    """The cell's editor over its cell, and over the next one when it needs more room:
    columns are as wide as their words, and "Western Union" was cut in its own list box."""
    rect = option.rect
    rect.setWidth(max(rect.width(), editor.sizeHint().width()))
    editor.setGeometry(rect)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of (label, keyword); `editable` also accepts typed text (platforms).
    `find`, when given, reads the letters typed on the box into the keyword they mean (as the
    form beside the table does: "bitcoin" is Cryptocurrency, kit/typed_choice.py)."""

    def __init__(self, choices: list[tuple[str, str]], parent: QObject | None = None, *,
                 editable: bool = False, find: Callable[[str], str | None] | None = None
                 ) -> None:
        super().__init__(parent)
        self.choices = choices
        self.editable = editable
        self.find = find

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: ModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(self.editable)
        if (line := combo.lineEdit()) is not None:
            holds_any_length(line)
        # Enter in an editable combo adds the words typed to the list, as an entry with no
        # keyword, and that empty keyword was saved: "Kik Messenger" typed over "Instagram"
        # cleared the platform (Tab saved the words). The list stays as given.
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for label, keyword in self.choices:
            combo.addItem(label, keyword)
        if (find := self.find) is not None:
            TypedChoice(combo, lambda typed: choose_entry(combo, find(typed)))
        return combo

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: ModelIndex) -> None:
        at_least_its_width(editor, option)

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        combo = cast(QComboBox, editor)
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        found = combo.findData(value)
        if found >= 0:
            combo.setCurrentIndex(found)
        elif self.editable:
            combo.setEditText(value)
        combo.setProperty(_LOADED, combo.currentText())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        combo = cast(QComboBox, editor)
        text = combo.currentText()
        if text == combo.property(_LOADED):
            return  # nothing chosen or typed: a stored platform stays as it is (not trimmed)
        found = combo.findText(text)
        value = combo.itemData(found) if found >= 0 else text.strip()
        model.setData(index, value, Qt.ItemDataRole.EditRole)


class DateDelegate(QStyledItemDelegate):
    """The same typed date line as the forms (`DateLineEdit`), so a cell reads "14/3/25" or
    "14 March 2025" exactly as the form does; no earliest or latest date is imposed. The
    model's EditRole is a `datetime.date` (or None: not known), or a `datetime` with
    `with_time`. What the editor understood, or could not read, goes out through `said`
    for the view's message line; unreadable text is never written, and Enter or Tab on it
    keeps the editor open."""

    said = Signal(str)

    def __init__(self, parent: QObject | None = None, *, with_time: bool = False,
                 month_ok: bool = False) -> None:
        super().__init__(parent)
        self.with_time = with_time
        self.month_ok = month_ok  # a month alone (a payment's date): see DateLineEdit

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: ModelIndex) -> QWidget:
        editor = DateLineEdit(parent, with_time=self.with_time, optional=not self.with_time,
                              month_ok=self.month_ok)
        editor.setAccessibleName(tr("Date"))
        return editor

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: ModelIndex) -> None:
        at_least_its_width(editor, option)

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        cast(DateLineEdit, editor).set_value(value if isinstance(value, date) else None)
        cast(DateLineEdit, editor).selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        line = cast(DateLineEdit, editor)
        try:
            value = line.value()
        except InvalidInput as exc:
            self.said.emit(tr("The date was not changed.") + " " + exc.message)
            return
        if model.setData(index, value, Qt.ItemDataRole.EditRole):
            self.said.emit(line.reading().hint)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(watched, DateLineEdit) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            if event.key() in _LEAVING_KEYS and not watched.check():
                self.said.emit(watched.reading().problem)
                return True  # stay in the cell until it reads, or Escape puts back the saved
            if event.key() == Qt.Key.Key_Escape:  # the saved date is back: no problem left
                self.said.emit(tr("The date was not changed."))
        return super().eventFilter(watched, event)


def is_checked(value: object) -> bool:
    """A CheckStateRole value as Qt or a test may pass it (enum or int)."""
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return value == Qt.CheckState.Checked.value
