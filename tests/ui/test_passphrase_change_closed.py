"""The window, when a passphrase change happened but something straight after it failed: it
locks as usual and says, where the passphrase is asked for, that the new one opens the case."""

import errno
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from app.models import rekey
from app.models.casefile import CaseFile
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from app.ui.shell.settings_dialog import SettingsDialog
from app.ui.shell.unlock_dialog import UnlockDialog
from tests.conftest import PASSPHRASE
from tests.ui.keys import press_enter, type_text
from tests.ui.shell_support import clock, closed_case, open_case_in_shell, shell, unlock_with

__all__ = ["clock", "shell"]

NEW = "a brand new passphrase for this case"


def test_changed_then_closed_locks_and_says_so(
    qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = closed_case(make_case)
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow)

    def failing_fsync_dir(_directory: Path) -> None:
        raise OSError(errno.EIO, "the stick was pulled out")

    monkeypatch.setattr(rekey, "fsync_dir", failing_fsync_dir)
    dialog = shell.show_settings()
    assert isinstance(dialog, SettingsDialog)
    for edit, text in ((dialog.current_pass, PASSPHRASE), (dialog.new_pass1, NEW),
                       (dialog.new_pass2, NEW)):
        type_text(edit, text)
    press_enter(dialog.new_pass2)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30000)
    unlock = shell.unlock_dialog
    assert isinstance(unlock, UnlockDialog) and unlock.isVisible()
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # closed with the window
    assert unlock.message_bar.text().startswith("The passphrase was changed")
    monkeypatch.undo()
    unlock_with(qtbot, shell, NEW)
    assert window.isVisible()
