"""Folders a sync program copies online, in the windows: the new case window, the bundle window
and Settings' spare copy say so, and Safekeep suggests places no sync program copies.

Set up as a home computer is: Dropbox's own info.json, or the variable OneDrive sets, in a home
folder made for the test (HOME points at it, so Qt's Documents folder is in it too). Typed with
real keys where a person types.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController
from app.ui.shell.export_dialog import ExportDialog
from app.ui.shell.new_case_dialog import NewCaseDialog
from app.ui.shell.session import SafekeepSession
from app.ui.shell.welcome import WelcomeWindow
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.ui.keys import clear_and_type, file_dialog_shown, press, put_focus, show_active
from tests.ui.shell_support import clock, shell
from tests.ui.test_dialog_keys import _settings_as_opened
from tests.ui.views_support import controller_fixture, settle

__all__ = ["clock", "shell"]


@pytest.fixture
def home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with a Documents folder and no sync program (apart from the case's
    folder, which a test may have copied)."""
    home = tmp_path_factory.mktemp("home")
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DOCUMENTS_DIR", "APPDATA",
                 "LOCALAPPDATA", "OneDrive", "OneDriveConsumer", "OneDriveCommercial"):
        monkeypatch.delenv(name, raising=False)
    return home


def _dropbox_copies(home: Path, folder: Path) -> None:
    """Dropbox set up to copy `folder`, as its own info.json says."""
    (home / ".dropbox").mkdir(exist_ok=True)
    (home / ".dropbox" / "info.json").write_text(json.dumps({"personal": {"path": str(folder)}}))


def _new_case_dialog(qtbot: QtBot, shell: SafekeepSession) -> NewCaseDialog:
    shell.cases_folder = None  # where a person's Safekeep suggests: from Documents
    shell.start()
    dialog = shell.show_new_case()
    assert isinstance(dialog, NewCaseDialog)
    show_active(qtbot, dialog)
    return dialog


def test_a_new_case_is_suggested_at_home_when_documents_is_copied_online(
        qtbot: QtBot, shell: SafekeepSession, home: Path) -> None:
    _dropbox_copies(home, home / "Documents")
    dialog = _new_case_dialog(qtbot, shell)
    assert Path(dialog.path_edit.text()) == home / "case.skcase"
    note = dialog.synced_note
    assert note.isVisible() and note.text().startswith(
        "Suggested in your home folder, not in Documents: Dropbox copies Documents online")
    assert note.textFormat() is Qt.TextFormat.PlainText  # it may name a folder: never markup

    # The person types a place in Documents anyway: told what that means, and not stopped.
    put_focus(qtbot, dialog.path_edit)
    clear_and_type(str(home / "Documents" / "mine.skcase"))
    assert note.isVisible() and note.text().startswith("Dropbox copies this folder online. "
                                                       "The case file is encrypted")
    assert note.geometry().bottom() <= dialog.height()  # the window grew to show it whole
    # Given the height its wrapped lines need (in the path's own cell they were clipped).
    qtbot.waitUntil(lambda: note.height() >= note.heightForWidth(note.width()), timeout=2000)
    clear_and_type(str(home / "elsewhere" / "mine.skcase"))
    assert note.isHidden()


def test_with_nothing_synced_the_suggestion_is_documents_and_nothing_is_said(
        qtbot: QtBot, shell: SafekeepSession, home: Path) -> None:
    dialog = _new_case_dialog(qtbot, shell)
    assert Path(dialog.path_edit.text()) == home / "Documents" / "case.skcase"
    assert dialog.synced_note.isHidden()


def test_the_welcome_window_still_offers_a_case_left_in_documents(
        qtbot: QtBot, shell: SafekeepSession, home: Path) -> None:
    """A case made before, in Documents, is not lost from sight when new cases are
    suggested at home."""
    _dropbox_copies(home, home / "Documents")
    old = CaseFile.create(home / "Documents" / "old.skcase", PASSPHRASE, display_name="Sam",
                          under_18=False, actor="t", kdf_profile=TEST_KDF_PROFILE)
    old.close()
    shell.cases_folder = None
    welcome = shell.start()
    assert isinstance(welcome, WelcomeWindow)
    show_active(qtbot, welcome)
    offered = welcome.default_button()
    assert offered.text() == "Open old.skcase" and offered.toolTip() == str(old.path)
    headings = [label.text() for label in welcome.findChildren(QLabel)
                if label.text().startswith("Case files in")]
    assert headings == [f"Case files in {home / 'Documents'}"]  # where it is, not home

    newer = CaseFile.create(home / "new.skcase", PASSPHRASE, display_name="Sam",
                            under_18=False, actor="t", kdf_profile=TEST_KDF_PROFILE)
    newer.close()
    shell.show_welcome()
    assert welcome.default_button().text() == "Open new.skcase"  # the newest first
    qtbot.waitUntil(lambda: [label.text() for label in welcome.findChildren(QLabel)
                             if label.text().startswith("Case files in") and label.isVisible()]
                    == [f"Case files in {home} and {home / 'Documents'}"])


@pytest.fixture
def controller(qtbot: QtBot, tmp_path: Path, home: Path) -> object:
    yield from controller_fixture(qtbot, tmp_path)


def test_the_bundle_is_not_suggested_beside_a_case_kept_in_a_synced_folder(
        qtbot: QtBot, controller: CaseController, tmp_path: Path, home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OneDrive", str(tmp_path))  # the case file's folder
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    assert Path(dialog.path_edit.text()).parent == home / "Documents"
    assert dialog.synced_note.isHidden()

    put_focus(qtbot, dialog.path_edit)
    clear_and_type(str(tmp_path / "bundle.zip"))
    note = dialog.synced_note
    assert note.isVisible() and note.text().startswith(
        "OneDrive copies this folder online. A bundle holds the evidence files themselves")
    assert note.geometry().bottom() <= dialog.height()
    clear_and_type(str(home / "Documents" / "bundle.zip"))
    assert note.isHidden()


def test_settings_say_how_to_bring_a_synced_case_back_to_this_computer(
        qtbot: QtBot, controller: CaseController, tmp_path: Path, home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OneDrive", str(tmp_path))
    dialog = _settings_as_opened(qtbot, controller, tmp_path)
    note = dialog.copy_box.synced_note
    assert note.isVisibleTo(dialog)
    assert note.text() == (
        f"The case file is kept in {tmp_path}. OneDrive copies this folder online. It is "
        "encrypted, but a copy of it is kept there too. To keep the case on this computer "
        "only, save a copy below in a folder OneDrive does not copy and open that copy from "
        "now on; delete this file only once the copy opens.")
    # The picker suggests a folder nothing copies, not the case's own.
    put_focus(qtbot, dialog.copy_box.button)
    press(Qt.Key.Key_Space)
    picker = file_dialog_shown(qtbot)
    assert Path(picker.selectedFiles()[0]).parent == home / "Documents"
    picker.reject()
    dialog.copy_box.start(str(home / "Documents" / "spare.skcase"))  # as the picker hands it
    qtbot.waitUntil(lambda: dialog.copy_box.result.text().startswith("Saved:"), timeout=30000)
    assert "OneDrive" not in dialog.copy_box.result.text()
    dialog.copy_box.start(str(tmp_path / "spare.skcase"))
    qtbot.waitUntil(lambda: "OneDrive copies this folder online. The copy is encrypted"
                    in dialog.copy_box.result.text(), timeout=30000)


def test_settings_say_nothing_of_a_case_no_sync_program_copies(
        qtbot: QtBot, controller: CaseController, tmp_path: Path, home: Path) -> None:
    dialog = _settings_as_opened(qtbot, controller, tmp_path)
    assert dialog.copy_box.synced_note.isHidden()


def test_opening_a_case_kept_in_a_synced_folder_says_so_once(
        qtbot: QtBot, shell: SafekeepSession, home: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone who opens their case every day rarely opens Settings: the main window says it
    as the case opens (with the earlier opening, when there is one to tell), and not again at
    each unlock after a lock."""
    from app.ui.shell.main_window import MainWindow
    from tests.ui.shell_support import open_case_in_shell

    folder = tmp_path / "OneDrive"  # known from the variable OneDrive sets, not by its name
    folder.mkdir()
    monkeypatch.setenv("OneDrive", str(folder))
    case = CaseFile.create(folder / "case.skcase", PASSPHRASE, display_name="Sam",
                           under_18=False, actor="t", kdf_profile=TEST_KDF_PROFILE)
    case.close()
    CaseFile.open(folder / "case.skcase", PASSPHRASE, actor="someone").close()
    open_case_in_shell(qtbot, shell, folder / "case.skcase")
    window = shell.main_window
    assert isinstance(window, MainWindow) and window.message_bar.isVisible()
    said = window.message_bar.text()
    assert "someone" in said  # the earlier opening, first
    assert said.endswith(
        "\n\nOneDrive copies the folder this case file is in online. The case file is "
        "encrypted there. Settings says how to keep the case on this computer only.")

    shell.lock()
    qtbot.waitUntil(lambda: not shell.controller.is_open(), timeout=3000)
    from tests.ui.shell_support import unlock_with

    unlock_with(qtbot, shell)
    assert not window.message_bar.isVisible() or "OneDrive" not in window.message_bar.text()
