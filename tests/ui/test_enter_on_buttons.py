"""Enter presses a focused button in the main window (kit/enter_on_buttons.py), except the
buttons that remove, stop or quit.

Before, Enter on a button reached by Tab did nothing outside a dialog; only Space pressed it.
Now Enter presses it, once per press; "Yes, remove it", the evidence's "Remove it", Stop and
Quick exit take Space or a click only, so a second Enter after "Remove…" removes nothing.
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from app.core.records.identifiers import add_identifier, list_identifiers
from app.models.casefile import CaseFile
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.ui.keys import click_tab, focused, press, put_focus
from tests.ui.shell_support import clock, open_case_in_shell, settle, shell

__all__ = ["clock", "shell"]


def case_with_a_detail(tmp_path: Path) -> Path:
    path = tmp_path / "enter.skcase"
    with CaseFile.create(path, PASSPHRASE, display_name="Enter", actor="tester",
                         kdf_profile=TEST_KDF_PROFILE) as case:
        add_identifier(case, "email", "ann@example.com")
    return path


def stored_details(path: Path) -> list[str]:
    with CaseFile.open(path, PASSPHRASE, actor="tester") as case:
        return [row.value for row in list_identifiers(case)]


def opened(qtbot: QtBot, shell: SafekeepSession, path: Path) -> MainWindow:
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    return window


def test_enter_presses_a_button_but_never_removes(qtbot: QtBot, shell: SafekeepSession,
                                                  tmp_path: Path) -> None:
    path = case_with_a_detail(tmp_path)
    window = opened(qtbot, shell, path)
    view = window.identifiers
    click_tab(qtbot, window.tabs, view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)
    view.table.selectRow(0)
    qtbot.waitUntil(view.remove_button.isEnabled)

    put_focus(qtbot, view.remove_button)
    press(Qt.Key.Key_Return)  # "Remove…" asks, and the focus goes to "Yes, remove it"
    qtbot.waitUntil(view.confirm_remove.isVisible)
    assert focused() is view.confirm_remove
    press(Qt.Key.Key_Return)  # the second Enter of a hurried double press
    assert QToolTip.text().startswith("This button takes Space or a click, not Enter")
    press(Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    qtbot.wait(300)  # a press would have finished its short animation by now
    settle(qtbot)
    assert view.confirm_remove.isVisible()
    assert view.model.rowCount() == 1

    put_focus(qtbot, view.keep_button)
    press(Qt.Key.Key_Return)  # "Keep it" takes Enter: it changes nothing
    qtbot.waitUntil(lambda: not view.confirm_remove.isVisible())
    assert view.remove_button.isVisible()

    put_focus(qtbot, view.remove_button)
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(view.confirm_remove.isVisible)
    press(Qt.Key.Key_Space)  # Space on "Yes, remove it" removes, as it always did
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=10000)
    settle(qtbot)
    shell.lock()
    settle(qtbot)
    assert stored_details(path) == []


def test_a_held_enter_presses_once(qtbot: QtBot, shell: SafekeepSession,
                                   tmp_path: Path) -> None:
    window = opened(qtbot, shell, case_with_a_detail(tmp_path))
    view = window.identifiers
    click_tab(qtbot, window.tabs, view)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)
    view.table.selectRow(0)
    qtbot.waitUntil(view.remove_button.isEnabled)
    pressed: list[bool] = []
    view.remove_button.clicked.connect(lambda: pressed.append(True))
    put_focus(qtbot, view.remove_button)
    target = focused()
    for repeat in (False, True, True, True):  # a key held down repeats its press
        QApplication.sendEvent(target, QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Return,
                                                 Qt.KeyboardModifier.NoModifier, "\r",
                                                 repeat))
    qtbot.waitUntil(lambda: pressed == [True], timeout=2000)
    qtbot.wait(300)
    assert pressed == [True]


def test_enter_on_quick_exit_does_nothing(qtbot: QtBot, shell: SafekeepSession,
                                          tmp_path: Path) -> None:
    window = opened(qtbot, shell, case_with_a_detail(tmp_path))
    put_focus(qtbot, window.quick_exit_button)
    press(Qt.Key.Key_Return)
    qtbot.wait(300)
    settle(qtbot)
    assert shell.controller.is_open() and window.isVisible()
