"""A table on a page that scrolls, walked with the keyboard on a small screen at a large scale:
the row the keyboard is on stays in sight on the page. At 1280x720 and 150% the Offender
details page showed two rows of its table; after Page Down the chosen row was below the
page's edge, and Delete or F2 acted on a row nobody could see."""

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtWidgets import QScrollArea, QTableView
from pytestqt.qtbot import QtBot

from app.core.records.identifiers import add_identifier
from app.models.casefile import CaseFile
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import press, put_focus
from tests.ui.shell_support import clock, closed_case, open_case_in_shell, settle, shell

__all__ = ["clock", "shell"]


def _shown_on_the_page(table: QTableView, index: QModelIndex) -> bool:
    """Is the row's middle inside the table's own view and inside every page around it?"""
    row = table.visualRect(index)
    middle = QPoint(table.viewport().width() // 2, row.center().y())
    if not table.viewport().rect().contains(middle):
        return False
    parent = table.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            at = table.viewport().mapTo(parent.viewport(), middle)
            if not QRect(QPoint(0, 0), parent.viewport().size()).contains(at):
                return False
        parent = parent.parentWidget()
    return True


def test_the_row_the_keyboard_is_on_stays_in_sight_on_the_page(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    case = make_case()
    for n in range(14):
        add_identifier(case, "username", f"sam_{n:02d}", platform="Snapchat")
    open_case_in_shell(qtbot, shell, closed_case(lambda: case))
    window = shell.main_window
    assert isinstance(window, MainWindow)
    window.resize(860, 430)  # the form and a few rows of the table fit; the page scrolls
    view = window.show_view("identifiers")
    qtbot.waitUntil(lambda: view.model.rowCount() == 14, timeout=10000)  # type: ignore[union-attr]
    settle(qtbot)
    table = view.table  # type: ignore[union-attr]
    put_focus(qtbot, table)
    rows = []
    for key, modifier in [(Qt.Key.Key_Down, None)] * 3 + [(Qt.Key.Key_PageDown, None)] * 2 + [
            (Qt.Key.Key_Up, None), (Qt.Key.Key_Home, "ctrl"), (Qt.Key.Key_End, "ctrl")]:
        press(key, Qt.KeyboardModifier.ControlModifier if modifier else
              Qt.KeyboardModifier.NoModifier)
        qtbot.waitUntil(lambda: _shown_on_the_page(table, table.currentIndex()), timeout=2000)
        rows.append(table.currentIndex().row())
    assert rows[2] >= 2 and rows[4] > rows[2] and rows[-2:] == [0, 13], rows
