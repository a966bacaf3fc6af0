"""After "Prepare bundle" a person has to find the ZIP to hand it over. Tried by hand with
`safekeep gui case.skcase` (a bare name, as typed in a terminal): the dialog said only "The
bundle is ready: Safekeep-Jordan-2026-12-05.zip", "Save as" showed the bare name, and "Show in
folder" asked the desktop for "file:." and did nothing at all on screen. Now the case's path
is made whole as it is opened, the dialog says the folder in full, and a folder that cannot
be opened is said so, calmly."""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.shell.export_dialog import ExportDialog
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import focused, press, show_active
from tests.ui.shell_support import clock, closed_case, settle, shell, unlock_with

__all__ = ["clock", "shell"]


def _bundle_from_a_bare_name(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        monkeypatch: pytest.MonkeyPatch) -> tuple[ExportDialog, Path]:
    path = closed_case(make_case)
    monkeypatch.chdir(path.parent)
    shell.start(path.name)  # as "safekeep gui case.skcase" in the case's folder
    unlock_with(qtbot, shell)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    dialog = window.open_export_dialog()
    assert isinstance(dialog, ExportDialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    press(Qt.Key.Key_Return)  # "Prepare bundle" is the default button
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    settle(qtbot)
    return dialog, path.parent


def test_a_case_opened_by_a_bare_name_says_where_its_bundle_went(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, folder = _bundle_from_a_bare_name(qtbot, shell, make_case, monkeypatch)
    assert shell.case_path is not None and shell.case_path.is_absolute()
    result = dialog.result_info()
    assert result is not None and result.path.is_absolute()
    assert result.path.parent == folder
    assert Path(dialog.path_edit.text()) == result.path  # "Save as" shows it whole
    # The folder in full, on a line of its own.
    assert f"\nSaved in: {folder}" in dialog.status.text()


def test_show_in_folder_that_cannot_open_says_so(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, folder = _bundle_from_a_bare_name(qtbot, shell, make_case, monkeypatch)
    asked: list[QUrl] = []

    def no_file_manager(url: QUrl) -> bool:
        asked.append(url)
        return False

    dialog.open_url = no_file_manager
    button = focused()
    assert isinstance(button, QPushButton) and button is dialog.show_folder_button
    press(Qt.Key.Key_Space)  # the focus is on "Show in folder" once the bundle is ready
    assert [url.toLocalFile() for url in asked] == [str(folder)]  # a whole local path
    text = dialog.status.text()
    assert "could not be opened from here" in text
    assert f"Saved in: {folder}" in text  # still there to find it by hand
