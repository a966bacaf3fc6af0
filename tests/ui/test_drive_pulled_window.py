"""The window when the drive that holds the open case is pulled out (a real FUSE mount that
fails with EIO from then on: tests/pullable_drive.py), driven by keys as a person would.

Before: a payment typed and saved said "Part of this case file is damaged"; a tick said "The
file could not be written"; and Quick exit hid the window but left the app running, the case
unlocked in its memory, as closing the case failed on the lock file (seen under Xvfb).
"""

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.records.payments import list_payments
from app.models.casefile import CaseFile
from app.ui.shell.session import SafekeepSession
from app.ui.shell.unlock_dialog import UnlockDialog
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE, Drive
from tests.ui.keys import press, put_focus, type_keys, type_text
from tests.ui.shell_support import (
    clock,
    nothing_shown,
    open_case_in_shell,
    settle,
    shell,
    unlock_with,
)

__all__ = ["clock", "shell"]


def _case_on(drive: Drive) -> Path:
    case = CaseFile.create(drive.root / "case.skcase", PASSPHRASE, display_name="On a stick",
                           actor="tester", kdf_profile=TEST_KDF_PROFILE)
    case.close()
    return drive.root / "case.skcase"


def _type_a_payment(qtbot: QtBot, session: SafekeepSession, amount: str) -> None:
    window = session.main_window
    assert window is not None
    view = window.payments
    window.tabs.setCurrentWidget(view)
    put_focus(qtbot, view.amount_edit)
    type_keys(amount)
    press(Qt.Key.Key_Return)


def test_the_window_locks_says_why_and_opens_again_once_the_drive_is_back(
        qtbot: QtBot, shell: SafekeepSession, pullable_drive: Drive) -> None:
    path = _case_on(pullable_drive)
    open_case_in_shell(qtbot, shell, path)
    _type_a_payment(qtbot, shell, "100")
    settle(qtbot)

    pullable_drive.pull()
    _type_a_payment(qtbot, shell, "300")
    qtbot.waitUntil(lambda: not shell.controller.is_open(), timeout=15000)
    dialog = shell.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert shell.main_window is None or not shell.main_window.isVisible()
    assert dialog.heading.text() == "The case is locked. Type the passphrase to carry on."
    assert dialog.message_bar.text() == (
        "Safekeep locked the case, as its file can no longer be reached. Was the USB stick or "
        "drive that holds it taken out? Everything saved before is in the case file; the last "
        "change may not have been saved. Put the drive back, then type the passphrase to open "
        "the case again.")
    # The dialog's own look at the file finds it gone: it takes no passphrase yet, and keeps
    # the sentence above rather than a shorter one.
    qtbot.waitUntil(lambda: dialog.passphrase_edit.isReadOnly(), timeout=5000)
    assert "USB stick" in dialog.message_bar.text()
    type_text(dialog.passphrase_edit, "typed too soon")
    assert dialog.passphrase_edit.text() == ""

    pullable_drive.put_back()
    qtbot.waitUntil(lambda: not dialog.passphrase_edit.isReadOnly(), timeout=10000)
    assert dialog.message_bar.text() == ("The case file is there now. Type the passphrase "
                                         "to open it.")
    assert dialog.passphrase_edit.hasFocus()
    unlock_with(qtbot, shell)
    case = shell.controller.require_case()
    assert [str(p.amount) for p in list_payments(case)] == ["100"]


def test_quick_exit_ends_the_app_with_the_drive_pulled(
        qtbot: QtBot, shell: SafekeepSession, pullable_drive: Drive,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Quick exit hides everything, closes the case (its key dropped) and quits, whatever the
    drive says. The quit is noted, not done: the test run goes on in this process."""
    open_case_in_shell(qtbot, shell, _case_on(pullable_drive))
    quits: list[bool] = []
    monkeypatch.setattr(shell, "quit_on_quick_exit", True)
    monkeypatch.setattr(shell.app, "quit", lambda: quits.append(True))
    pullable_drive.pull()
    window = shell.main_window
    assert window is not None
    put_focus(qtbot, window.quick_exit_button)
    press(Qt.Key.Key_Space)
    assert quits == [True]
    assert not shell.controller.is_open()
    assert nothing_shown()


def test_a_case_whose_stick_is_not_in_yet_opens_once_it_is(
        qtbot: QtBot, shell: SafekeepSession, tmp_path: Path) -> None:
    """Safekeep started on a case kept on a USB stick not plugged in yet (a recent case, or
    the file given to it): it says so, takes no passphrase, and comes alive when the file is
    there (no FUSE needed: the stick's folder simply does not exist until then)."""
    stick = tmp_path / "media" / "STICK"
    path = stick / "case.skcase"
    shell.start(str(path))
    dialog = shell.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    qtbot.waitUntil(lambda: dialog.passphrase_edit.isReadOnly(), timeout=5000)
    assert dialog.message_bar.text() == (
        "There is no case file here. If it is on a USB stick or another drive, plug the drive "
        "in; if not, check the name and the folder.")

    stick.mkdir(parents=True)  # plugged in
    CaseFile.create(path, PASSPHRASE, display_name="On a stick", actor="tester",
                    kdf_profile=TEST_KDF_PROFILE).close()
    qtbot.waitUntil(lambda: not dialog.passphrase_edit.isReadOnly(), timeout=10000)
    assert dialog.message_bar.text() == ("The case file is there now. Type the passphrase "
                                         "to open it.")
    unlock_with(qtbot, shell)
    assert shell.controller.is_open()


def test_the_bundle_s_place_is_suggested_when_the_last_stick_is_out(
        qtbot: QtBot, pullable_drive: Drive, tmp_path: Path) -> None:
    """The export dialog suggests the folder a case's last bundle went to; with that stick
    out, pathlib's is_dir() raised EIO in the window's own thread, and the dialog did not
    open. The next place that answers is suggested instead."""
    from app.ui.shell.export_paths import (
        bundle_folder,
        remember_bundle_folder,
        suggest_bundle_path,
        typed_bundle_path,
    )

    case_path = tmp_path / "case.skcase"
    bundles = pullable_drive.root / "bundles"
    bundles.mkdir()
    remember_bundle_folder(case_path, bundles / "bundle.zip")
    assert bundle_folder(case_path) == bundles
    pullable_drive.pull()
    time.sleep(1.2)  # the kernel keeps a FUSE folder's details for a second (attr_timeout)
    assert bundle_folder(case_path) == tmp_path  # beside the case, the next choice
    suggested = suggest_bundle_path(case_path, "Alex")
    assert suggested.parent == tmp_path and suggested.suffix == ".zip"
    typed = typed_bundle_path(str(bundles / "mine"), case_path, "Alex")
    assert typed == bundles / "mine.zip"  # the export then says the drive is out


def test_a_new_case_is_suggested_in_a_folder_that_does_not_answer(
        qtbot: QtBot, pullable_drive: Drive) -> None:
    """Portable use keeps cases beside the program on the stick: the new-case window's
    suggested name had raised EIO in the window's own thread there."""
    from app.ui.shell.new_case_dialog import suggest_case_path

    folder = pullable_drive.root / "cases"
    folder.mkdir()
    pullable_drive.pull()
    time.sleep(1.2)  # the kernel keeps a FUSE folder's details for a second (attr_timeout)
    assert suggest_case_path(folder) == folder / "case.skcase"  # creating it then says why
