"""A space typed into a list box while choosing by name is part of the name.

A closed list box (QComboBox) chooses an entry as its name is typed: "Sk" chooses "Skype name".
But Qt opens the list on Space, whatever came before it. A person who typed "Skype name" and
went on with Tab and the detail itself had the list open after "Skype", "name" typed into the
open list, and the detail they typed next went into the list too: lost, with nothing said.

This application-wide watcher takes a Space typed straight after letters (within Qt's
keyboard-input interval, as Qt itself groups keys into one search) as part of the search, so
"Skype name" chooses "Skype name" and the list stays closed. A Space on its own still opens
the list, as Alt+Down and F4 do.

And in an open list, Tab did nothing: the list stayed open, and the date or name typed next,
meant for the next box, went into the list and was lost. Tab (or Shift+Tab) in an open list
now chooses the entry the person moved to, closes the list and goes on to the next box (or
the one before), as the lists of Windows and most desktops do.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox

_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
# Set (to True) on a list box that reads typed letters itself, spaces included
# (app/ui/kit/typed_choice.py): this watcher leaves its keys alone.
OWN_TYPED_SEARCH = "safekeepOwnTypedSearch"


class ListBoxKeys(QObject):
    """Install as one of the application's event filters (app/ui/shell/app_filters.py)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._box: QComboBox | None = None  # the list box letters were last typed into
        self._at = 0.0  # when, by time.monotonic()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if isinstance(watched, QAbstractItemView):
            assert isinstance(event, QKeyEvent)
            return _tab_out_of_open_list(watched, event)
        if not isinstance(watched, QComboBox) or watched.isEditable() \
                or watched.property(OWN_TYPED_SEARCH):
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() not in _PLAIN:
            return False
        now = time.monotonic()
        if event.key() == Qt.Key.Key_Space:
            if watched is not self._box or not self._in_search(now):
                return False  # a space on its own: Qt opens the list
            self._at = now
            search(watched, " ")
            return True
        text = event.text()
        if text and text.isprintable() and not text.isspace():
            self._box, self._at = watched, now  # Qt searches with it; we note when
        else:
            self._box = None  # Tab, arrows...: a search ends
        return False

    def _in_search(self, now: float) -> bool:
        return (now - self._at) * 1000 < QApplication.keyboardInputInterval()


def search(box: QComboBox, text: str) -> None:
    """Go on with the box's typed search with `text`, as Qt does with a letter: the list's
    own search continues the letters typed before it, and the entry found is chosen."""
    view = box.view()
    view.setCurrentIndex(box.model().index(box.currentIndex(), box.modelColumn(),
                                           box.rootModelIndex()))
    before = view.currentIndex().row()
    view.keyboardSearch(text)
    if view.currentIndex().row() != before:
        box.setCurrentIndex(view.currentIndex().row())


def _tab_out_of_open_list(view: QAbstractItemView, event: QKeyEvent) -> bool:
    """Tab or Shift+Tab in a list box's open list: choose, close, and go on."""
    if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
        return False
    box = _list_box_of(view)
    if box is None or not view.isVisible():
        return False
    row = view.currentIndex().row()
    if row >= 0 and row != box.currentIndex():
        box.setCurrentIndex(row)
        box.activated.emit(row)  # as a click on the entry would
    box.hidePopup()
    # The same key again, to the box itself: Qt then moves on from it as from any box.
    QApplication.sendEvent(box, QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers()))
    return True


def _list_box_of(view: QAbstractItemView) -> QComboBox | None:
    """The list box whose open list `view` is (it sits in a popup the box owns)."""
    parent = view.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return parent if parent.view() is view else None
        parent = parent.parentWidget()
    return None
