"""Where Enter and Space go is plain to see: the button or tick box with the keyboard focus
has a clear ring in the highlight colour (kit/focus_ring.py). Fusion's own sign was a pixel a
shade bluer, and on the welcome window "Start a new case" kept its blue fill after Tab had
moved on to "Open a case file…"."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.ui.kit.focus_ring import FocusRing
from app.ui.shell.session import SafekeepSession
from app.ui.shell.welcome import WelcomeWindow
from tests.ui.keys import focused, press, show_active
from tests.ui.shell_support import clock, settle, shell

__all__ = ["clock", "shell"]


def _ring(session: SafekeepSession) -> FocusRing:
    ring = session.filters.focus_ring
    assert isinstance(ring, FocusRing)
    return ring


def _highlight_at(window: QWidget, widget: QWidget, points: list[tuple[int, int]]) -> int:
    """How many of `points` (in `widget`'s coordinates) are the highlight colour on screen."""
    image: QImage = window.grab().toImage()
    want = widget.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    origin = widget.mapTo(window, QPoint(0, 0))
    scale = image.devicePixelRatio()
    hits = 0
    for x, y in points:
        colour = QColor(image.pixel(int((origin.x() + x) * scale), int((origin.y() + y) * scale)))
        if max(abs(colour.red() - want.red()), abs(colour.green() - want.green()),
               abs(colour.blue() - want.blue())) < 40:
            hits += 1
    return hits


def _highlight_around(window: QWidget, button: QAbstractButton) -> int:
    """How many pixels just outside the button's top and bottom edges are the highlight."""
    return _highlight_at(window, button, [(x, y) for x in range(6, button.width() - 6)
                                          for y in (-1, button.height())])


def test_the_ring_shows_the_button_tab_reached_and_not_the_one_clicked(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    welcome = shell.start()
    assert isinstance(welcome, WelcomeWindow)
    show_active(qtbot, welcome)
    settle(qtbot)
    ring = _ring(shell)
    assert focused() is welcome.new_button and ring.widget() is welcome.new_button

    press(Qt.Key.Key_Tab)
    assert focused() is welcome.open_button
    assert ring.widget() is welcome.open_button
    settle(qtbot)
    width = welcome.open_button.width() - 12
    assert _highlight_around(welcome, welcome.open_button) > width  # a ring above and below
    assert _highlight_around(welcome, welcome.new_button) == 0  # and none left on the other

    press(Qt.Key.Key_Backtab)
    assert ring.widget() is welcome.new_button

    # A click puts the focus where the pointer is: no ring is needed there.
    QTest.mousePress(welcome.help_button, Qt.MouseButton.LeftButton)
    assert focused() is welcome.help_button and ring.widget() is None
    QTest.mouseRelease(welcome.help_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    for window in QApplication.topLevelWidgets():
        if window is not welcome and window.isVisible():
            window.close()  # the help the click opened
    settle(qtbot)


def _highlight_below(window: QWidget, box: QWidget, start: int, end: int) -> int:
    """Highlight-coloured pixels just below `box`, from `start` to `end` across it."""
    return _highlight_at(window, box, [(x, box.height()) for x in range(start, end)])


def test_the_ring_of_a_stretched_tick_box_hugs_its_box_and_words(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    """A form stretches its tick boxes to the width of its fields, and the ring went round
    the whole stretch, twice as long as the words it was about."""
    from PySide6.QtWidgets import QCheckBox, QDialog, QVBoxLayout

    welcome = shell.start()
    show_active(qtbot, welcome)
    settle(qtbot)
    dialog = QDialog(welcome)
    layout = QVBoxLayout(dialog)
    first = QCheckBox("First")
    box = QCheckBox("Under 18")
    layout.addWidget(first)
    layout.addWidget(box)
    dialog.resize(600, 120)
    show_active(qtbot, dialog)
    first.setFocus(Qt.FocusReason.OtherFocusReason)
    press(Qt.Key.Key_Tab)
    settle(qtbot)
    assert focused() is box and _ring(shell).widget() is box
    words = box.sizeHint().width()
    assert box.width() > 2 * words  # stretched by the layout
    assert _highlight_below(dialog, box, 6, words - 6) > words // 2  # round the words
    assert _highlight_below(dialog, box, words + 12, box.width() - 6) == 0  # not beyond
    dialog.close()
