"""A text typed in a box with its own Save button is saved when the person leaves it.

The evidence details' description had its *Save description* button, and was saved when
another item was chosen and when the case locked, but not when the person went elsewhere in
the window: typed, then *Prepare bundle for police*, and the bundle went to the officer
without it, while the status bar said "Every change is saved at once". Now the words are
saved as the keyboard leaves the box and its button for anything else in Safekeep (another
tab, the toolbar, a dialog), and Ctrl+Enter saves them where they are, as in many forms.
Going to another program is not leaving: nothing is saved half-typed because a message
popped up, and each save is a line in the case's history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class SaveOnLeave(QObject):
    """Calls `save` when the keyboard leaves `group` (the box first, then its button) for
    another widget of Safekeep, and on Ctrl+Enter in the box. `save` does nothing when there
    is nothing new to save."""

    def __init__(self, group: Sequence[QWidget], save: Callable[[], None]) -> None:
        box = group[0]
        super().__init__(box)
        self._group, self._save = tuple(group), save
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_moved)
        # Seen by the box before it writes a line break: a multi-line box takes Ctrl+Enter
        # as one, before a shortcut is asked.
        box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            if event.key() in _ENTER_KEYS \
                    and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                if event.type() == QEvent.Type.KeyPress:
                    self._save()
                event.accept()
                return True
        return False

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        # `new` is None when another program takes the keyboard: not leaving, only away.
        # By identity: a widget compared by value asks Qt, and may be one being closed.
        if new is not None and any(old is w for w in self._group) \
                and not any(new is w for w in self._group):
            self._save()
