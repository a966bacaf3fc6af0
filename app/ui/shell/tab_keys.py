"""Ctrl+Tab and Ctrl+Page Down for the next part of the case, wherever the keyboard is.

Qt's tab widget takes Ctrl+Tab, Ctrl+Shift+Tab, Ctrl+Page Down and Ctrl+Page Up only while
the keyboard is inside one of its pages. After a dialog closed (Case details, Help), the
keyboard is on the button that opened it, above the tabs, and the keys did nothing; a person
who had used them a moment before could not tell why. As the window's own keys they work from
anywhere in the main window: the page changes, and a keyboard that was outside the pages goes
to the tab bar (so the arrow keys go on from there); one inside goes into the new page, as Qt
does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from app.ui.kit.window_keys import window_key


def _keys(standard: QKeySequence.StandardKey, extra: str) -> list[QKeySequence]:
    found = [k for k in QKeySequence.keyBindings(standard) if not k.isEmpty()]
    if QKeySequence(extra) not in found:
        found.append(QKeySequence(extra))
    return found


def add_tab_keys(window: QWidget, tabs: QTabWidget) -> None:
    """The window's next-part and previous-part keys, for `tabs`."""
    for standard, extra, step in (
            (QKeySequence.StandardKey.NextChild, "Ctrl+PgDown", 1),
            (QKeySequence.StandardKey.PreviousChild, "Ctrl+PgUp", -1)):
        action = QAction(window)
        action.setShortcuts([window_key(k) for k in _keys(standard, extra)])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, step=step: step_tab(tabs, step))
        window.addAction(action)


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
