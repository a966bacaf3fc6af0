"""Ctrl+Tab and Ctrl+Page Down for the next part of the case, wherever the keyboard is.

Qt's tab widget takes Ctrl+Tab, Ctrl+Shift+Tab, Ctrl+Page Down and Ctrl+Page Up only while
the keyboard is inside one of its pages, and only if nothing there takes them first. After a
dialog closed (Case details, Help) the keyboard was on the button that opened it, above the
tabs, and the keys did nothing; on a table with rows, which walks its cells with Tab and
Shift+Tab, Ctrl+Shift+Tab walked back along the row instead. A shortcut could not be relied
on: on X11 that key is reported as both Ctrl+Backtab and Ctrl+Shift+Backtab, so naming both
made it ambiguous (nothing happened) and naming one missed it where a table had the keyboard.

So `TabKeys`, one of the session's watchers (app_filters.py), reads the keys themselves before
any widget of the main window does: the page changes, and a keyboard that was outside the pages
goes to the tab bar (the arrow keys go on from there); one inside goes into the new page, back
where it was, as Qt does.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

PARTS_NAME = "CaseParts"  # the object name of the main window's tabs, where the keys act

_CTRL = Qt.KeyboardModifier.ControlModifier
_OTHERS = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


def tab_step(event: QKeyEvent) -> int:
    """1 for the next part, -1 for the previous, 0 for any other key."""
    modifiers = event.modifiers()
    if not modifiers & _CTRL or modifiers & _OTHERS:
        return 0
    key = event.key()
    if key in (Qt.Key.Key_Backtab, Qt.Key.Key_PageUp) or (
            key == Qt.Key.Key_Tab and modifiers & Qt.KeyboardModifier.ShiftModifier):
        return -1
    if key in (Qt.Key.Key_Tab, Qt.Key.Key_PageDown):
        return 1
    return 0


class TabKeys(QObject):
    """A watcher of the application's events: the keys above, in a window with the tabs."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        step = tab_step(event)
        if step == 0:
            return False
        tabs = watched.window().findChild(QTabWidget, PARTS_NAME)
        if tabs is None or not tabs.isVisible():
            return False
        step_tab(tabs, step)
        return True


def step_tab(tabs: QTabWidget, step: int) -> None:
    """The next (`step` 1) or previous (-1) tab that can be chosen, round the ends."""
    count = tabs.count()
    if count == 0:
        return
    index = tabs.currentIndex()
    for _ in range(count):
        index = (index + step) % count
        if tabs.isTabEnabled(index) and tabs.isTabVisible(index):
            break
    focus = QApplication.focusWidget()
    inside = focus is not None and tabs.isAncestorOf(focus) and focus is not tabs.tabBar()
    tabs.setCurrentIndex(index)
    if not inside:
        tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)
