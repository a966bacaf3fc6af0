"""Helpers for the record-tab tests: show a view as a person meets it, and use the keyboard.

Keys go to the widget that has the keyboard focus, as they do for a person; a test never
calls a save method or sets a field's text when it means "the person typed".
"""

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def show_view(qtbot: QtBot, view: QWidget, width: int = 900, height: int = 700) -> QWidget:
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    return view


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def put_focus(qtbot: QtBot, widget: QWidget) -> None:
    if not widget.window().isActiveWindow():  # offscreen: a closed popup may leave none active
        widget.window().activateWindow()
        qtbot.waitUntil(widget.window().isActiveWindow, timeout=5000)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=5000)


def type_keys(text: str) -> None:
    """Type `text` character by character into whatever has the focus."""
    QTest.keyClicks(focused(), text)


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def tab(times: int = 1) -> None:
    for _ in range(times):
        press(Qt.Key.Key_Tab)


def clear_and_type(text: str) -> None:
    press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(Qt.Key.Key_Delete)
    type_keys(text)


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())
