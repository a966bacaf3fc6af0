"""Ctrl+Tab and its kin move between the parts of the case from anywhere in the main window.

Qt's tab widget took them only while the keyboard was inside one of its pages: after Case
details or Help closed, the keyboard was on "Case details…" above the tabs and Ctrl+Tab did
nothing (found at 1024x768 and 125%, keyboard only)."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import focused, press, put_focus
from tests.ui.shell_support import clock, closed_case, open_main_window, settle, shell

__all__ = ["clock", "shell"]

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _window(qtbot: QtBot, shell: SafekeepSession,
            make_case: Callable[..., CaseFile]) -> MainWindow:
    window = open_main_window(qtbot, shell, closed_case(make_case))
    assert isinstance(window, MainWindow)
    return window


def test_ctrl_tab_from_above_the_tabs_goes_to_the_next_part_and_the_tab_bar(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    window = _window(qtbot, shell, make_case)
    tabs = window.tabs
    tabs.setCurrentIndex(0)
    put_focus(qtbot, window.details_button)
    press(Qt.Key.Key_Tab, CTRL)
    assert tabs.currentIndex() == 1 and focused() is tabs.tabBar()
    press(Qt.Key.Key_Right)  # and the arrow keys go on from there
    assert tabs.currentIndex() == 2
    put_focus(qtbot, window.details_button)
    press(Qt.Key.Key_Backtab, CTRL_SHIFT)
    assert tabs.currentIndex() == 1
    put_focus(qtbot, window.quick_exit_button)
    press(Qt.Key.Key_PageDown, CTRL)
    assert tabs.currentIndex() == 2
    press(Qt.Key.Key_PageUp, CTRL)
    assert tabs.currentIndex() == 1
    tabs.setCurrentIndex(0)
    put_focus(qtbot, window.details_button)
    press(Qt.Key.Key_Backtab, CTRL_SHIFT)  # round the ends
    assert tabs.currentIndex() == tabs.count() - 1


def test_ctrl_tab_from_inside_a_page_goes_into_the_next_page(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """From a text box too: the cursor in the Detail box, Ctrl+Tab still moves on."""
    window = _window(qtbot, shell, make_case)
    tabs = window.tabs
    identifiers = window.views["identifiers"]
    tabs.setCurrentWidget(identifiers)
    settle(qtbot)
    put_focus(qtbot, identifiers.value_edit)  # type: ignore[attr-defined]
    press(Qt.Key.Key_Tab, CTRL)
    assert tabs.currentIndex() == tabs.indexOf(identifiers) + 1
    assert tabs.currentWidget().isAncestorOf(focused())
    press(Qt.Key.Key_Backtab, CTRL_SHIFT)
    assert tabs.currentWidget() is identifiers
    assert focused() is identifiers.value_edit  # type: ignore[attr-defined]  # back where it was


def test_ctrl_tab_from_a_table_with_rows_moves_on_not_along_the_row(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """A table walks its cells with Tab and Shift+Tab; with Ctrl held it had taken them as
    well (on the payments table, three Ctrl+Shift+Tab walked back along the row, and the
    part of the case stayed the same)."""
    from app.core.records import add_payment

    case = make_case()
    add_payment(case, amount="150.00", method="bank-transfer", reference="rent")
    path = case.path
    case.close()
    window = open_main_window(qtbot, shell, path)
    assert isinstance(window, MainWindow)
    payments = window.views["payments"]
    window.tabs.setCurrentWidget(payments)
    settle(qtbot)
    table = payments.table  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=5000)
    put_focus(qtbot, table)
    table.setCurrentIndex(table.model().index(0, 2))
    at = window.tabs.indexOf(payments)
    press(Qt.Key.Key_Backtab, CTRL_SHIFT)
    assert window.tabs.currentIndex() == at - 1
    window.tabs.setCurrentWidget(payments)
    put_focus(qtbot, table)
    press(Qt.Key.Key_Tab, CTRL)
    assert window.tabs.currentIndex() == at + 1
    window.tabs.setCurrentWidget(payments)
    put_focus(qtbot, table)
    press(Qt.Key.Key_Tab)  # Tab alone still walks the row
    assert window.tabs.currentIndex() == at


def test_tab_from_the_tab_bar_goes_into_the_page_not_to_its_arrows(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """On a 1024x600 screen at Largest text the tabs do not fit and the bar shows arrows; Tab
    from a tab stopped on an arrow, and Enter there did nothing a person saw."""
    from PySide6.QtWidgets import QToolButton

    window = _window(qtbot, shell, make_case)
    window.showNormal()
    window.resize(560, 600)  # narrower than the tabs: the bar scrolls
    settle(qtbot)
    tabs = window.tabs
    arrows = [a for a in tabs.tabBar().findChildren(QToolButton) if a.isVisible()]
    assert arrows, "the tabs fit: the bar shows no arrows to test"
    tabs.setCurrentWidget(window.timeline)
    put_focus(qtbot, tabs.tabBar())
    press(Qt.Key.Key_Tab)
    assert focused() not in arrows
    assert window.timeline.isAncestorOf(focused())
