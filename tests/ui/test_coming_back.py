"""Coming back to a case: the case files already where new cases are suggested are offered.

Tried by hand: a case made with the suggested name (Documents/case.skcase) and Safekeep
started again the next day showed the welcome window as on the first day; Enter pressed its
default button, "Start a new case", whose dialog suggested "case 2.skcase". The evidence
would have been split between two case files, and the officers' bundle of either one would
have missed the rest.
"""

import os
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.kit.case_files import case_files_in
from app.ui.shell.new_case_dialog import NewCaseDialog
from app.ui.shell.session import SafekeepSession
from app.ui.shell.unlock_dialog import UnlockDialog
from app.ui.shell.welcome import WelcomeWindow
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.ui.keys import focused, press, press_enter, show_active, type_keys
from tests.ui.shell_support import clock, settle, shell, unlock_with

__all__ = ["clock", "shell"]


def _case_in(folder: Path, name: str = "case.skcase") -> Path:
    case = CaseFile.create(folder / name, PASSPHRASE, display_name="Sam", under_18=False,
                           actor="tester", kdf_profile=TEST_KDF_PROFILE)
    path = case.path
    case.close()
    return path


def _welcome(qtbot: QtBot, shell: SafekeepSession) -> WelcomeWindow:
    """Safekeep started with no case named, its first window active."""
    welcome = shell.start()
    assert isinstance(welcome, WelcomeWindow)
    show_active(qtbot, welcome)
    return welcome


def _touch(path: Path, seconds_ago: float) -> None:
    when = time.time() - seconds_ago
    os.utime(path, (when, when))


def test_the_welcome_window_offers_the_case_already_there_and_enter_opens_it(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    assert shell.cases_folder is not None
    path = _case_in(shell.cases_folder)
    welcome = _welcome(qtbot, shell)
    offered = focused()
    assert isinstance(offered, QPushButton) and offered.text() == "Open case.skcase"
    assert offered.toolTip() == str(path)
    assert not welcome.new_button.isDefault()

    press_enter(offered)  # what the person did the day before, on "Start a new case"
    qtbot.waitUntil(lambda: isinstance(shell.unlock_dialog, UnlockDialog)
                    and shell.unlock_dialog.isVisible())
    assert shell.new_case_dialog is None
    assert shell.case_path == path
    unlock_with(qtbot, shell)
    assert shell.controller.is_open()
    assert not (shell.cases_folder / "case 2.skcase").exists()


def test_with_no_case_there_the_welcome_window_is_as_on_the_first_day(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    welcome = _welcome(qtbot, shell)
    assert focused() is welcome.new_button and welcome.new_button.isDefault()
    assert not [b for b in welcome.findChildren(QPushButton) if b is not welcome.open_button
                and b.text().startswith("Open ") and b.isVisibleTo(welcome)]


def test_the_keyboard_reaches_the_case_files_in_reading_order(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    assert shell.cases_folder is not None
    _touch(_case_in(shell.cases_folder, "older.skcase"), 3600)
    _case_in(shell.cases_folder, "newer.skcase")
    _welcome(qtbot, shell)
    order = []
    for _ in range(6):
        order.append(focused())
        press(Qt.Key.Key_Tab)
    names = [w.text() for w in order if isinstance(w, QPushButton)]
    assert names[:5] == ["Open newer.skcase", "Open older.skcase", "Start a new case",
                         "Open a case file…", "Help and phone numbers"]


def test_the_case_files_there_are_never_written_down(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    # The recent list is opt-in (a list of case files shows Safekeep is used here): offering
    # what is in the folder must not start one.
    assert shell.cases_folder is not None
    _case_in(shell.cases_folder, "private-name.skcase")
    _welcome(qtbot, shell)
    settle(qtbot)
    shell.settings._qs.sync()
    written = "".join(p.read_text(errors="replace")
                      for p in shell.settings.location.folder.rglob("*") if p.is_file())
    assert "private-name" not in written
    assert shell.settings.recent_cases == []


def test_start_a_new_case_offers_the_case_already_there(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    assert shell.cases_folder is not None
    path = _case_in(shell.cases_folder)
    welcome = _welcome(qtbot, shell)
    welcome.new_button.click()
    dialog = shell.new_case_dialog
    assert isinstance(dialog, NewCaseDialog)
    show_active(qtbot, dialog)
    assert dialog.path_edit.text() == str(shell.cases_folder / "case 2.skcase")
    offer = dialog.open_instead_button
    assert offer is not None and offer.isVisible() and offer.text() == "Open case.skcase"

    # The typing path never lands on it: a space typed onto it would open the other case.
    assert focused() is dialog.name_edit
    seen = []
    while focused() is not offer and len(seen) < 20:
        seen.append(focused())
        press(Qt.Key.Key_Tab)
    assert focused() is offer
    fields = [dialog.name_edit, dialog.path_edit, dialog.pass1.edit, dialog.pass2.edit]
    assert all(field in seen for field in fields)
    assert dialog.cancel_button in seen  # last of all

    offer.setFocus(Qt.FocusReason.TabFocusReason)
    press_enter(offer)
    qtbot.waitUntil(lambda: isinstance(shell.unlock_dialog, UnlockDialog)
                    and shell.unlock_dialog.isVisible())
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert shell.case_path == path
    unlock = shell.unlock_dialog
    show_active(qtbot, unlock)  # as the window manager does
    assert focused() is unlock.passphrase_edit
    type_keys(PASSPHRASE)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(shell.controller.is_open, timeout=15000)
    settle(qtbot)


def test_case_files_in_a_folder(tmp_path: Path) -> None:
    assert case_files_in(tmp_path / "not there") == []
    (tmp_path / "a folder.skcase").mkdir()  # a folder so named is not a case file
    (tmp_path / "notes.txt").write_text("x")
    for number, name in enumerate(["one.skcase", "TWO.SKCASE", "three.skcase", "four.skcase"]):
        (tmp_path / name).write_bytes(b"x")
        _touch(tmp_path / name, 100 * number)
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "deeper.skcase").write_bytes(b"x")  # sub-folders are not read
    assert [p.name for p in case_files_in(tmp_path)] == ["one.skcase", "TWO.SKCASE",
                                                          "three.skcase"]
    (tmp_path / "gone.skcase").symlink_to(tmp_path / "nowhere")
    assert len(case_files_in(tmp_path, at_most=10)) == 4


def test_portable_suggests_and_finds_cases_beside_the_program(
        qtbot: QtBot, tmp_path: Path) -> None:
    # Run from a USB stick so as to leave nothing on the computer, "Start a new case" had
    # suggested this computer's Documents folder.
    from PySide6.QtWidgets import QApplication

    from app.ui.kit.controller import CaseController
    from app.ui.shell.settings import AppSettings, locate_settings

    stick = tmp_path / "stick"
    stick.mkdir()
    _case_in(stick, "mine.skcase")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    location = locate_settings(override_dir=stick, portable_flag=True)
    session = SafekeepSession(app, AppSettings(location), quit_on_quick_exit=False,
                              controller=CaseController(actor="tester",
                                                        kdf_profile=TEST_KDF_PROFILE),
                              watch_platform=False)
    try:
        assert session.cases_folder == stick
        welcome = _welcome(qtbot, session)
        assert focused().text() == "Open mine.skcase"  # type: ignore[attr-defined]
        welcome.new_button.click()
        dialog = session.new_case_dialog
        assert isinstance(dialog, NewCaseDialog)
        assert dialog.path_edit.text() == str(stick / "case.skcase")
        dialog.reject()
    finally:
        settle(qtbot)
        session.dispose()
        settle(qtbot)


def test_the_first_window_gives_numbers_to_talk_to_someone_from_the_advice_pack(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    """Some people this happens to take their own lives; the numbers had been behind the
    Help button. They are on the first window, and are the shipped advice pack's numbers."""
    import re

    from PySide6.QtWidgets import QLabel

    from app.core.guidance import shipped_pack

    welcome = _welcome(qtbot, shell)
    words = " ".join(label.text() for label in welcome.findChildren(QLabel)
                     if label.isVisibleTo(welcome))
    assert "116\u00a0123" in words  # never broken over two lines
    words = words.replace("\u00a0", " ")
    assert "Someone to talk to" in words
    numbers = {c.id: c.number for c in shipped_pack().contacts}
    for contact in ("samaritans", "childline", "police-emergency"):
        assert numbers[contact] and numbers[contact] in words
    said = set(re.findall(r"\b\d{3}(?: ?\d+)*\b", words))  # phone numbers, not "18"
    assert said and said <= {n for n in numbers.values() if n}  # none the pack does not hold
