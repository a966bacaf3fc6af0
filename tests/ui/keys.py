"""Using the keyboard and the wheel as a person does, in every UI test.

Keys go to the widget that has the keyboard focus, as they do for a person; a test never calls
a save method or sets a field's text when it means "the person typed". `QTest.keyClicks`
aborts on characters outside ASCII (Qt's qasciikey.cpp asserts), and the test passphrase has
accents and an emoji, so those are sent as key events that carry their text, which is what a
keyboard layout or an input method delivers.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QAccessible,
    QDragEnterEvent,
    QDropEvent,
    QHelpEvent,
    QKeyEvent,
    QWheelEvent,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QTabWidget,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot


def show_active(qtbot: QtBot, window: QWidget) -> None:
    """Show a window and make it the active one, as it is when a person uses it: focus (and
    so where Enter and Tab go) only exists in the active window."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def closed(window: QWidget) -> bool:
    """The window is closed, or already deleted (a dialog deleted on close may be gone by the
    time a wait looks at it again)."""
    import shiboken6

    return not shiboken6.isValid(window) or not window.isVisible()


def file_dialog_shown(qtbot: QtBot) -> QFileDialog:
    """The one file dialog on screen, once it shows, made the active window (keys go there)."""
    def shown() -> list[QWidget]:
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QFileDialog) and w.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=5000)
    [dialog] = shown()
    assert isinstance(dialog, QFileDialog)
    show_active(qtbot, dialog)
    return dialog


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def put_focus(qtbot: QtBot, widget: QWidget) -> None:
    """Focus as Tab gives it (the wheel guard and the forms treat that as the person's choice)."""
    if not widget.window().isActiveWindow():  # offscreen: a closed popup may leave none active
        widget.window().activateWindow()
        qtbot.waitUntil(widget.window().isActiveWindow, timeout=5000)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=5000)


def type_text(widget: QWidget, text: str) -> None:
    """Type `text` into `widget`, one key event per character."""
    for char in text:
        if char.isascii() and char.isprintable():
            QTest.keyClick(widget, char)
            continue
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def type_keys(text: str) -> None:
    """Type `text` into whatever has the focus."""
    type_text(focused(), text)


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), key, modifier)


def tab(times: int = 1) -> None:
    for _ in range(times):
        press(Qt.Key.Key_Tab)


def clear_and_type(text: str) -> None:
    press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    press(Qt.Key.Key_Delete)
    type_keys(text)


def press_enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


def press_tab(widget: QWidget, *, back: bool = False) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab,
                   Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier)


def wheel_over(widget: QWidget, steps: int = -1) -> bool:
    """Turn the mouse wheel `steps` notches (negative: towards the person, scrolling down) with
    the pointer over the middle of `widget`. Returns whether anything accepted the event."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    return bool(QApplication.sendEvent(widget, event))


def click_tab(qtbot: QtBot, tabs: QTabWidget, page: QWidget) -> None:
    """Click the tab of `page` on the tab bar, as a person chooses a part of the case (a tab
    reads its data when it shows), and wait until its page shows."""
    index = tabs.indexOf(page)
    assert index >= 0, "no tab holds that page"
    bar = tabs.tabBar()
    assert bar.rect().contains(bar.tabRect(index).center()), "the tab is out of sight"
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     bar.tabRect(index).center())
    qtbot.waitUntil(page.isVisible, timeout=5000)


def tooltip_over(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> str:
    """Rest the pointer on an item until its tooltip shows; the words the tooltip shows (as a
    screen reader reads them: markup, if Qt took it for markup, already applied)."""
    viewport = view.viewport()
    centre = view.visualRect(index).center()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, centre,
                                                viewport.mapToGlobal(centre)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    tip: QWidget = next(w for w in QApplication.topLevelWidgets()
                        if w.inherits("QTipLabel") and w.isVisible())
    shown = QAccessible.queryAccessibleInterface(tip).text(QAccessible.Text.Name)
    QToolTip.hideText()
    return shown


@contextmanager
def list_box_keys() -> Iterator[None]:
    """The session's list box watcher (kit/combo_search.py) listening, as AppFilters installs
    it, for a view tested on its own."""
    from PySide6.QtWidgets import QApplication

    from app.ui.kit.combo_search import ListBoxKeys

    watcher = ListBoxKeys()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(watcher)
    try:
        yield
    finally:
        app.removeEventFilter(watcher)


def drop_on(widget: QWidget, mime: QMimeData, at: QPoint | None = None) -> bool:
    """A drag entering `widget` at `at` (its middle by default), then a drop there; whether
    the drop was taken (False when the drag itself was turned away). Qt passes both up to
    the first widget that takes drops, as it does for a person's drag."""
    point = widget.rect().center() if at is None else at
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()
