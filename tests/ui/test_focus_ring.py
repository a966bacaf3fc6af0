"""Where Enter and Space go is plain to see: the button or tick box with the keyboard focus
has a clear ring in the highlight colour (kit/focus_ring.py). Fusion's own sign was a pixel a
shade bluer, and on the welcome window "Start a new case" kept its blue fill after Tab had
moved on to "Open a case file…"."""

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.kit.focus_ring import FocusRing
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from app.ui.shell.welcome import WelcomeWindow
from tests.ui.keys import click_tab, focused, press, put_focus, show_active
from tests.ui.shell_support import clock, closed_case, open_main_window, settle, shell

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


def _main_window(qtbot: QtBot, shell: SafekeepSession,
                 make_case: Callable[..., CaseFile]) -> MainWindow:
    window = open_main_window(qtbot, shell, closed_case(make_case))
    assert isinstance(window, MainWindow)
    return window


def _box_outline(box: QWidget) -> int:
    """Pixels of the box's own top and bottom edge in a shade of blue, as Fusion draws the
    focus of a list box (a darker highlight); a plain box's edge is grey."""
    image = box.grab().toImage()
    scale = image.devicePixelRatio()
    hits = 0
    for x in range(8, box.width() - 8):
        for y in (0, box.height() - 1):
            colour = QColor(image.pixel(int(x * scale), int(y * scale)))
            hits += colour.blue() - colour.red() > 60
    return hits


def test_ctrl_tab_to_the_next_part_shows_where_the_keyboard_went(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """From the evidence grid, Ctrl+Tab shows "Offender details" with the keyboard in its
    "Type" list box; Qt had forgotten the keyboard was in use as the page changed, and Fusion
    drew no sign of the focus: a person saw no place to start."""
    window = _main_window(qtbot, shell, make_case)
    evidence = window.views["evidence"]
    put_focus(qtbot, evidence.grid)  # type: ignore[attr-defined]
    press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == 1, timeout=5000)
    box = focused()
    assert isinstance(box, QComboBox) and not box.isEditable()
    settle(qtbot)
    assert window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    assert _box_outline(box) > box.width()  # its outline in the highlight colour


def test_after_a_click_a_focus_moved_by_the_app_shows_no_keyboard_sign(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """The mark is kept after a key only: after a click, the pointer shows the place."""
    window = _main_window(qtbot, shell, make_case)
    press(Qt.Key.Key_Tab)  # the keyboard used first, then the mouse
    click_tab(qtbot, window.tabs, window.views["identifiers"])
    settle(qtbot)
    page = window.views["identifiers"]
    box, line = page.type_combo, page.value_edit  # type: ignore[attr-defined]
    QTest.mouseClick(line, Qt.MouseButton.LeftButton)  # a click in a field
    assert focused() is line
    box.setFocus(Qt.FocusReason.OtherFocusReason)  # as code moves it
    settle(qtbot)
    assert not window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    assert _box_outline(box) == 0


def test_tab_into_an_empty_table_rings_it(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """Tab from the tab bar into the timeline with nothing on it yet: Fusion drew no sign of
    a table's focus but its current row, and an empty one has none; Tab seemed to go
    nowhere. A click into it needs no ring. The evidence grid, which fills its pane, shows
    it too."""
    from PySide6.QtWidgets import QTableView

    window = _main_window(qtbot, shell, make_case)
    timeline = window.views["timeline"]
    click_tab(qtbot, window.tabs, timeline)
    put_focus(qtbot, window.tabs.tabBar())
    press(Qt.Key.Key_Tab)
    table = focused()
    assert isinstance(table, QTableView) and table.model().rowCount() == 0
    settle(qtbot)
    assert _ring(shell).widget() is table
    edge = [(x, y) for x in range(8, table.width() - 8) for y in (0, 1)]  # its own edge:
    assert _highlight_at(window, table, edge) > table.width() // 2  # a list often fills its pane
    evidence = window.views["evidence"]
    click_tab(qtbot, window.tabs, evidence)
    put_focus(qtbot, evidence.sensitive_box)  # type: ignore[attr-defined]
    press(Qt.Key.Key_Tab)
    grid = focused()
    assert grid is evidence.grid and _ring(shell).widget() is grid  # type: ignore[attr-defined]
    settle(qtbot)
    assert _highlight_at(window, grid, [(x, 0) for x in range(8, grid.width() - 8)]) \
        > grid.width() // 2
    click_tab(qtbot, window.tabs, timeline)
    table.setFocus(Qt.FocusReason.OtherFocusReason)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton)  # a click in it
    assert focused() is table and _ring(shell).widget() is None
    put_focus(qtbot, window.tabs.tabBar())
    table.setFocus(Qt.FocusReason.OtherFocusReason)  # as the code gives it after a click
    assert _ring(shell).widget() is None
