"""Typing as a person does: one key event per character, then Enter, Tab or a wheel turn.

`QTest.keyClicks` aborts on characters outside ASCII (Qt's qasciikey.cpp asserts), and the
test passphrase has accents and an emoji, so other characters are sent as key events that
carry their text, which is what a keyboard layout or an input method delivers.
"""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    for char in text:
        if char.isascii() and char.isprintable():
            QTest.keyClick(widget, char)
            continue
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def press_enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


def press_tab(widget: QWidget, *, back: bool = False) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab,
                   Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def wheel_over(widget: QWidget, steps: int = -1) -> bool:
    """Turn the mouse wheel `steps` notches (negative: towards the person, scrolling down) with
    the pointer over the middle of `widget`. Returns whether anything accepted the event."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    return bool(QApplication.sendEvent(widget, event))


def show_active(qtbot: object, window: QWidget) -> None:
    """Show a window and make it the active one, as it is when a person uses it: focus (and
    so where Enter and Tab go) only exists in the active window."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window,  # type: ignore[attr-defined]
                    timeout=5000)
