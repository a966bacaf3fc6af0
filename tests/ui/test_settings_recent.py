"""Settings on a shared computer: what they hold is said truly beside "Remember the case files
I open", and "Forget the list" says it has forgotten (the click changed nothing on screen, on
the button a caseworker presses before handing the computer over)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.ui.shell.session import SafekeepSession
from app.ui.shell.settings_dialog import SettingsDialog
from tests.ui.keys import press, put_focus, show_active
from tests.ui.shell_support import clock, shell

__all__ = ["clock", "shell"]


def test_forget_the_list_says_so_and_the_words_say_what_settings_hold(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    shell.settings.remember_recent = True
    shell.settings.add_recent("/home/sam/Documents/Jessica Moore.skcase")
    dialog = shell.show_settings()
    assert isinstance(dialog, SettingsDialog)
    show_active(qtbot, dialog)
    words = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "never include anything from a case" not in words
    assert "the names and places of the case files you open" in words
    put_focus(qtbot, dialog.forget)
    press(Qt.Key.Key_Space)
    assert shell.settings.recent_cases == []
    assert dialog.message_bar.text() == "The list of case files is forgotten."
    dialog.close()
