"""What every add form does with the keyboard and with its message line.

- Enter (or Return) saves from every field: text boxes, combo boxes, the date field, check
  boxes and the Save button itself. Qt on its own saves only from a text box that has a
  `returnPressed` connection; a combo box ignores Enter (or, on some styles, opens its list)
  and an editable one adds the typed text as a new choice; a check box ignores it. A combo
  box's list still opens with Alt+Down, F4 or Space, and Enter in an open list picks the entry.
- A message belongs to the last action: when the person changes any field, the old one goes,
  so "Saved" never stands beside an entry that is not saved.
- A number box given the keyboard by its window (as a dialog opens) has its number selected,
  as Tab gives it: Qt selects it only after Tab, so "10" typed into "5 minutes" as Settings
  opened made 51 minutes.
"""

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QWidget

from app.ui.kit.date_field import DateField, DateLineEdit

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterSaves(QObject):
    """An event filter: Enter in any of `fields` calls `save` once (held keys do not repeat)."""

    def __init__(self, save: Callable[[], None], fields: Iterable[QWidget],
                 parent: QObject) -> None:
        super().__init__(parent)
        self._save = save
        self.fields: list[QWidget] = []
        for field in fields:
            self.watch(field)

    def watch(self, field: QWidget) -> None:
        target = field.edit if isinstance(field, DateField) else field
        target.installEventFilter(self)
        self.fields.append(target)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in _ENTER:
            if not event.isAutoRepeat():
                self._save()
            return True
        return False


def on_person_changes(fields: Iterable[QWidget], changed: Callable[[], None]) -> None:
    """Call `changed` when the person (not the program) changes any of `fields`."""
    for field in fields:
        if isinstance(field, DateField):
            field = field.edit
        if isinstance(field, DateLineEdit):
            field.textEdited.connect(changed)
            field.picked.connect(changed)
        elif isinstance(field, QLineEdit):
            field.textEdited.connect(changed)
        elif isinstance(field, QComboBox):
            field.activated.connect(changed)
            edit = field.lineEdit()
            if edit is not None:
                edit.textEdited.connect(changed)
        elif isinstance(field, QAbstractButton) and field.isCheckable():
            field.clicked.connect(changed)


class _SelectAllWhenGiven(QObject):
    # A click places the cursor where the person clicked; every other way in selects.
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(event, QFocusEvent) \
                and isinstance(watched, QAbstractSpinBox) \
                and event.reason() != Qt.FocusReason.MouseFocusReason:
            QTimer.singleShot(0, watched, watched.selectAll)  # after the box's own handling
        return False


def select_all_when_given_focus(box: QAbstractSpinBox) -> None:
    """Typing into `box` replaces its number whenever it gets the keyboard but by a click."""
    box.installEventFilter(_SelectAllWhenGiven(box))
