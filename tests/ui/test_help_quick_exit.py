"""Help has its own Quick exit. Help is tall and not modal: opened over the passphrase question
(F1) it covered that dialog whole, Quick exit included, and over the main window it can cover
the window's button on a small screen. A person reading the phone numbers must still see the
red button, and a click on it must do what the window's button does."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QScrollArea
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.shell.help_dialog import HelpDialog
from app.ui.shell.session import SafekeepSession
from app.ui.shell.unlock_dialog import UnlockDialog
from tests.ui.keys import focused, press, put_focus, show_active
from tests.ui.shell_support import (
    clock,
    closed_case,
    nothing_shown,
    open_case_in_shell,
    open_handles_on,
    settle,
    shell,
)

__all__ = ["clock", "shell"]


def _help_by_f1(qtbot: QtBot) -> HelpDialog:
    """Press F1 where the person is, and return the Help window it opened, made active."""
    press(Qt.Key.Key_F1)

    def shown() -> list[HelpDialog]:
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, HelpDialog) and w.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1, timeout=5000)
    [dialog] = shown()
    show_active(qtbot, dialog)
    return dialog



def test_help_over_the_passphrase_question_has_quick_exit_in_sight(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    shell.show_unlock(closed_case(make_case))
    unlock = shell.unlock_dialog
    assert isinstance(unlock, UnlockDialog)
    show_active(qtbot, unlock)
    settle(qtbot)
    dialog = _help_by_f1(qtbot)

    button = dialog.quick_exit_button
    assert button is not None and button.isVisible()
    assert button.objectName() == "QuickExit"  # the same red button as everywhere
    # Beside the 999 line, outside the text that scrolls: in sight wherever the person reads.
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None and not scroll.isAncestorOf(button)
    assert dialog.rect().contains(button.geometry())
    assert focused() is not button, "Help must not open with Space one press from hiding all"

    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert nothing_shown()


def test_help_s_quick_exit_locks_the_open_case(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    path = closed_case(make_case)
    open_case_in_shell(qtbot, shell, path)
    assert shell.main_window is not None
    show_active(qtbot, shell.main_window)
    dialog = _help_by_f1(qtbot)
    assert dialog.quick_exit_button is not None

    QTest.mouseClick(dialog.quick_exit_button, Qt.MouseButton.LeftButton)
    assert nothing_shown()
    assert not shell.controller.is_open()
    assert open_handles_on(path) == []
    settle(qtbot)


def test_help_s_quick_exit_is_last_on_tab_and_deaf_to_enter(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """Tab reaches it after Close (as in the passphrase question), and Enter on it does
    nothing: an Enter meant for something else must never hide everything."""
    open_case_in_shell(qtbot, shell, closed_case(make_case))
    assert shell.main_window is not None
    show_active(qtbot, shell.main_window)
    dialog = _help_by_f1(qtbot)
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    close = box.button(QDialogButtonBox.StandardButton.Close)
    put_focus(qtbot, close)
    press(Qt.Key.Key_Tab)
    assert focused() is dialog.quick_exit_button

    press(Qt.Key.Key_Return)
    assert dialog.isVisible() and shell.controller.is_open()
    dialog.close()
    settle(qtbot)


def test_help_keeps_each_number_on_one_line(qtbot: QtBot) -> None:
    """"Samaritans: 116" on one line and "123" on the next, in a narrow window at the largest
    text: each number is kept whole."""
    from PySide6.QtWidgets import QLabel

    from app.core.guidance import shipped_pack
    from app.ui.shell.help_dialog import HelpDialog

    dialog = HelpDialog(under_18=None)  # every contact of the pack
    qtbot.addWidget(dialog)
    shown = {label.text() for label in dialog.findChildren(QLabel)}
    for contact in shipped_pack().contacts:
        if contact.number:
            kept_whole = contact.number.replace(" ", "\u00a0")
            assert any(text.endswith(": " + kept_whole) for text in shown), contact.id
