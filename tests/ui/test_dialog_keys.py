"""Enter and Tab in every dialog, pressed as a person presses them.

Enter in the unlock dialog once quit Safekeep: the field was disabled while the key was
derived, focus fell to "Close Safekeep", and Qt pressed it with the same Enter. These tests
type with real key events and check what reached the case file.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.core.records.summary import case_summary
from app.models.casefile import CaseFile
from app.ui.kit.calm_dialog import CalmDialog
from app.ui.kit.controller import CaseController
from app.ui.shell.case_details_dialog import CaseDetailsDialog
from app.ui.shell.export_dialog import ExportDialog
from app.ui.shell.main_window import MainWindow
from app.ui.shell.new_case_dialog import NewCaseDialog
from app.ui.shell.session import SafekeepSession
from app.ui.shell.settings import AppSettings, locate_settings
from app.ui.shell.settings_dialog import SettingsDialog
from app.ui.shell.unlock_dialog import BUSY_BAR_AFTER_MS, UnlockDialog
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.ui.keys import (
    closed,
    focused,
    press,
    press_enter,
    press_tab,
    put_focus,
    show_active,
    type_keys,
    type_text,
)
from tests.ui.shell_support import clock, closed_case, settle, shell
from tests.ui.views_support import controller_fixture, run_in_case  # noqa: F401

__all__ = ["clock", "shell"]


def _watch_close(dialog: UnlockDialog) -> list[bool]:
    closed: list[bool] = []
    dialog.close_requested.connect(lambda: closed.append(True))
    return closed


def _start_unlock(qtbot: QtBot, shell: SafekeepSession,
                  make_case: Callable[..., CaseFile]) -> tuple[UnlockDialog, list[bool]]:
    """Safekeep started with a case: the unlock dialog, and a list that fills if it closes."""
    dialog = shell.start(str(closed_case(make_case)))
    assert isinstance(dialog, UnlockDialog)
    closed = _watch_close(dialog)
    settle(qtbot)
    return dialog, closed


def test_enter_in_the_unlock_dialog_unlocks_and_never_closes(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    dialog, closed = _start_unlock(qtbot, shell, make_case)
    type_text(dialog.passphrase_edit, PASSPHRASE)
    press_enter(dialog.passphrase_edit)
    # A second, impatient Enter while the key is derived: still nothing closes.
    press_enter(focused())
    assert focused() is not dialog.close_button
    qtbot.waitUntil(shell.controller.is_open, timeout=15000)
    settle(qtbot)
    assert closed == []
    assert isinstance(shell.main_window, MainWindow) and shell.main_window.isVisible()


def test_enter_with_a_wrong_passphrase_says_so_and_stays(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    dialog, closed = _start_unlock(qtbot, shell, make_case)
    type_text(dialog.passphrase_edit, "not the passphrase")
    press_enter(dialog.passphrase_edit)
    qtbot.waitUntil(dialog.message_bar.isVisible, timeout=15000)
    assert "passphrase" in dialog.message_bar.text().lower()
    assert closed == [] and dialog.isVisible() and not shell.controller.is_open()
    # Ready to type again at once: the cursor is back in the field, the old text selected.
    assert focused() is dialog.passphrase_edit
    assert dialog.passphrase_edit.selectedText() == "not the passphrase"


def test_enter_on_close_does_nothing_but_space_closes(
        qtbot: QtBot, make_case: Callable[..., CaseFile]) -> None:
    dialog = UnlockDialog(CaseController(actor="tester"), closed_case(make_case))
    qtbot.addWidget(dialog)
    closed = _watch_close(dialog)
    show_active(qtbot, dialog)
    dialog.close_button.setFocus()
    press_enter(dialog.close_button)
    assert closed == []
    QTest.keyClick(dialog.close_button, Qt.Key.Key_Space)
    assert closed == [True]


def test_unlock_tab_order_follows_the_choices(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    dialog = shell.start(str(closed_case(make_case)))
    assert isinstance(dialog, UnlockDialog)
    settle(qtbot)
    dialog.activateWindow()
    dialog.passphrase_edit.setFocus()
    type_text(dialog.passphrase_edit, "x")  # so Unlock can take focus
    visited = [focused()]
    for _ in range(4):
        press_tab(focused())
        visited.append(focused())
    assert visited == [dialog.passphrase_edit, dialog.show_box, dialog.unlock_button,
                       dialog.other_button, dialog.close_button]


def test_unlock_tab_reaches_a_message_where_it_is_drawn(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """After a wrong passphrase its message's Dismiss sits between "Show the passphrase" and
    the buttons; Tab reached it last, after Quick exit."""
    dialog = shell.start(str(closed_case(make_case)))
    assert isinstance(dialog, UnlockDialog)
    settle(qtbot)
    dialog.activateWindow()
    dialog.passphrase_edit.setFocus()
    type_text(dialog.passphrase_edit, "not the passphrase")
    press_enter(dialog.passphrase_edit)
    qtbot.waitUntil(lambda: dialog.message_bar.isVisible() and dialog.passphrase_edit.isEnabled(),
                    timeout=15000)
    dialog.passphrase_edit.setFocus()
    visited = [focused()]
    for _ in range(3):
        press_tab(focused())
        visited.append(focused())
    assert visited == [dialog.passphrase_edit, dialog.show_box,
                       dialog.message_bar.dismiss_button, dialog.unlock_button]


@pytest.mark.parametrize("make", ["new case", "case details"])
def test_tab_reaches_cancel_before_the_main_button(qtbot: QtBot, tmp_path: Path,
                                                   controller: CaseController,
                                                   make: str) -> None:
    """Cancel is drawn to the left of the main button, so Tab reaches it first."""
    if make == "new case":
        _controller, dialog = _new_case_dialog(qtbot, tmp_path)
        main: QPushButton = dialog.create_button
        for edit, text in ((dialog.name_edit, "Alex"), (dialog.pass1.edit, "a b c d"),
                           (dialog.pass2.edit, "a b c d")):
            type_text(edit, text)
    else:
        details = CaseDetailsDialog(controller)
        qtbot.addWidget(details)
        show_active(qtbot, details)
        settle(qtbot)
        dialog, main = details, details.save_button
        type_text(details.reference_edit, "REF")  # so Save can take focus
    assert main.isEnabled()
    dialog.cancel_button.setFocus()
    press_tab(dialog.cancel_button)
    assert focused() is main
    press_tab(main, back=True)
    assert focused() is dialog.cancel_button


def _new_case_dialog(qtbot: QtBot, tmp_path: Path) -> tuple[CaseController, NewCaseDialog]:
    """The new-case dialog, shown and active, keeping its case in `tmp_path`."""
    controller = CaseController(actor="tester", kdf_profile=TEST_KDF_PROFILE)
    dialog = NewCaseDialog(controller, folder=tmp_path)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    return controller, dialog


def test_new_case_with_tab_and_enter(qtbot: QtBot, tmp_path: Path) -> None:
    controller, dialog = _new_case_dialog(qtbot, tmp_path)
    dialog.name_edit.setFocus()
    type_text(dialog.name_edit, "Alex")
    press_enter(dialog.name_edit)  # an unfinished form: Enter moves on, creates nothing
    assert dialog.isVisible() and not controller.is_open()
    assert focused() is not dialog.name_edit
    dialog.pass1.edit.setFocus()
    type_text(dialog.pass1.edit, PASSPHRASE)
    press_tab(dialog.pass1.edit)
    assert focused() is dialog.pass2.edit
    type_text(dialog.pass2.edit, PASSPHRASE)
    press_enter(dialog.pass2.edit)
    qtbot.waitUntil(controller.is_open, timeout=15000)
    settle(qtbot)
    assert not dialog.isVisible()
    case = controller.require_case()
    assert case_summary(case).display_name == "Alex"
    assert case.path.parent == tmp_path
    controller.lock()


def test_ticking_under_18_says_they_are_not_in_trouble(qtbot: QtBot, tmp_path: Path) -> None:
    """A young person ticking "under 18" may fear what it means for them: it said nothing."""
    _controller, dialog = _new_case_dialog(qtbot, tmp_path)
    assert not dialog.under_18_note.isVisible()
    dialog.name_edit.setFocus()
    press_tab(dialog.name_edit)
    assert focused() is dialog.under_18_box
    QTest.keyClick(dialog.under_18_box, Qt.Key.Key_Space)
    assert dialog.under_18_box.isChecked() and dialog.under_18_note.isVisible()
    assert dialog.under_18_note.text().startswith("You are not in trouble")
    note = dialog.under_18_note
    assert note.height() >= note.heightForWidth(note.width())  # every line of it
    assert dialog.create_button.geometry().bottom() < dialog.height()
    QTest.keyClick(dialog.under_18_box, Qt.Key.Key_Space)
    assert not dialog.under_18_note.isVisible()


def test_enter_on_cancel_never_creates_a_case(qtbot: QtBot, tmp_path: Path) -> None:
    controller, dialog = _new_case_dialog(qtbot, tmp_path)
    for edit, text in ((dialog.name_edit, "Alex"), (dialog.pass1.edit, "a b c d"),
                       (dialog.pass2.edit, "a b c d")):
        type_text(edit, text)
    assert dialog.create_button.isEnabled()
    dialog.cancel_button.setFocus()
    press_enter(dialog.cancel_button)
    settle(qtbot)
    assert not controller.is_open() and list(tmp_path.glob("*.skcase")) == []


def test_case_details_enter_saves(qtbot: QtBot, controller: CaseController) -> None:
    dialog = CaseDetailsDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    reference = "WMP-20251114-0042-XYZ/CRIME/REF"
    dialog.reference_edit.setFocus()
    type_text(dialog.reference_edit, reference)
    press_enter(dialog.reference_edit)
    qtbot.waitUntil(lambda: closed(dialog), timeout=15000)
    settle(qtbot)
    summary = run_in_case(qtbot, controller, case_summary)
    assert summary.crime_reference == reference  # type: ignore[attr-defined]


def test_export_enter_prepares_the_bundle_beside_the_case(
        qtbot: QtBot, controller: CaseController) -> None:
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    suggested = Path(dialog.path_edit.text())
    case_file = controller.require_case().path
    # A folder that exists (beside the case file), and the case's alias in the name.
    assert suggested.parent == case_file.parent and suggested.parent.is_dir()
    assert suggested.name.startswith("Safekeep-Test-case-") and suggested.suffix == ".zip"
    dialog.path_edit.setFocus()
    press_enter(dialog.path_edit)
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    settle(qtbot)
    assert suggested.is_file() and dialog.isVisible()


def test_changing_the_passphrase_asks_for_the_current_one(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    settings = AppSettings(locate_settings(override_dir=tmp_path / "settings"))
    dialog = SettingsDialog(settings, controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    path = controller.require_case().path
    new = "a brand new passphrase for this case"

    # Someone at an unattended computer does not know the current passphrase.
    for edit, text in ((dialog.new_pass1, new), (dialog.new_pass2, new)):
        type_text(edit, text)
    assert not dialog.change_button.isEnabled()
    type_text(dialog.current_pass, "a guess")
    press_enter(dialog.current_pass)
    qtbot.waitUntil(dialog.message_bar.isVisible, timeout=15000)
    settle(qtbot)
    assert "not the current passphrase" in dialog.message_bar.text()
    assert controller.require_case().passphrase_opens(PASSPHRASE)

    dialog.current_pass.clear()
    type_text(dialog.current_pass, PASSPHRASE)
    press_enter(dialog.current_pass)
    qtbot.waitUntil(lambda: "changed" in dialog.message_bar.text(), timeout=20000)
    settle(qtbot)
    assert dialog.current_pass.text() == dialog.new_pass1.text() == ""
    controller.lock()
    CaseFile.open(path, new, actor="tester", record_open=False).close()


@pytest.mark.parametrize("make_dialog", ["unlock", "new", "details", "export", "settings"])
def test_no_button_presses_itself_on_enter(qtbot: QtBot, controller: CaseController,
                                           tmp_path: Path, make_dialog: str) -> None:
    """Every dialog: no auto-default button, one main button at most, Close and Cancel never
    take Enter."""
    settings = AppSettings(locate_settings(override_dir=tmp_path / "settings"))
    dialogs: dict[str, Callable[[], CalmDialog]] = {
        "unlock": lambda: UnlockDialog(controller, controller.require_case().path,
                                       on_quick_exit=lambda: None),
        "new": lambda: NewCaseDialog(controller, folder=tmp_path, on_quick_exit=lambda: None),
        "details": lambda: CaseDetailsDialog(controller),
        "export": lambda: ExportDialog(controller),
        "settings": lambda: SettingsDialog(settings, controller),
    }
    dialog = dialogs[make_dialog]()
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    buttons = dialog.findChildren(QPushButton)
    assert [b.text() for b in buttons if b.autoDefault()] == []
    assert len([b for b in buttons if b.isDefault()]) <= 1
    for button in buttons:
        if button.text() in ("Cancel", "Close", "Close Safekeep", "Quick exit"):
            pressed: list[bool] = []
            button.clicked.connect(lambda _c=False, p=pressed: p.append(True))
            if button.isVisible() and button.isEnabled():
                button.setFocus()
                press_enter(button)
            assert pressed == [], button.text()
    dialog.close()


def test_the_strength_hint_is_shown_whole(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = NewCaseDialog(CaseController(actor="tester"), folder=tmp_path)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    dialog.pass1.edit.setFocus()
    type_text(dialog.pass1.edit, "abc")  # the longest hint: two lines at this width
    dialog.pass2.edit.setFocus()
    type_text(dialog.pass2.edit, "ab")
    QApplication.processEvents()
    for label in (dialog.strength_label, dialog.match_label):
        assert label.isVisible() and label.text()
        assert label.height() >= label.heightForWidth(label.width()), label.text()
        bottom = label.mapTo(dialog, label.rect().bottomLeft()).y()
        assert bottom <= dialog.cancel_button.mapTo(dialog, dialog.cancel_button.rect()
                                                    .topLeft()).y()


def test_closing_while_the_key_is_derived_never_opens_the_case(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    path = closed_case(make_case)
    dialog = shell.start(str(path))
    assert isinstance(dialog, UnlockDialog)
    settle(qtbot)
    type_text(dialog.passphrase_edit, PASSPHRASE)
    press_enter(dialog.passphrase_edit)
    assert dialog.busy_label.isVisible()  # the key is being derived
    shell.close_app()  # "Close Safekeep" clicked meanwhile
    settle(qtbot)
    assert not shell.controller.is_open()
    with CaseFile.open(path, PASSPHRASE, actor="check", record_open=False) as case:
        # No opening was recorded that the person never saw.
        assert not case_summary(case).last_opened_at or case_summary(case).last_opened_was_creation


def test_the_moving_bar_joins_the_words_only_when_the_wait_goes_on(
        qtbot: QtBot, make_case: Callable[..., CaseFile]) -> None:
    controller = CaseController(actor="tester")
    held: list[Callable[[], None]] = []
    controller.open_gate = held.append  # the opening waits here, as for a window being built
    dialog = UnlockDialog(controller, closed_case(make_case))
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    type_text(dialog.passphrase_edit, PASSPHRASE)
    press_enter(dialog.passphrase_edit)
    assert dialog.busy_label.isVisible(), "words at once: something is happening"
    assert not dialog.busy_bar.isVisible(), "no bar that would flash up and vanish"
    qtbot.wait(50)  # the layout settles
    buttons_at = dialog.unlock_button.mapTo(dialog, dialog.unlock_button.rect().topLeft())
    assert held, "the opening waits for the window that will show it"
    qtbot.waitUntil(dialog.busy_bar.isVisible, timeout=BUSY_BAR_AFTER_MS * 10)
    qtbot.wait(50)
    assert dialog.unlock_button.mapTo(dialog, dialog.unlock_button.rect().topLeft()) \
        == buttons_at, "the bar's room was kept: no button moves under the pointer"
    held[0]()  # the window is ready: the case opens
    qtbot.waitUntil(controller.is_open, timeout=15000)
    assert not dialog.busy_bar.isVisible() and not dialog.busy_label.isVisible()
    controller.lock()


def test_escape_while_the_key_is_derived_waits_like_the_buttons(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    # Escape once hid the dialog and showed the welcome window, and the case opened a moment
    # later anyway, on a screen the person had walked away from.
    dialog, closed = _start_unlock(qtbot, shell, make_case)
    type_text(dialog.passphrase_edit, PASSPHRASE)
    press_enter(dialog.passphrase_edit)
    assert dialog.busy_label.isVisible()
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    assert dialog.isVisible(), "Escape waits while the case opens, as the greyed buttons do"
    qtbot.waitUntil(shell.controller.is_open, timeout=15000)
    settle(qtbot)
    assert closed == [] and isinstance(shell.main_window, MainWindow)
    assert shell.main_window.isVisible()


def test_escape_while_the_case_is_made_waits_like_cancel(qtbot: QtBot, tmp_path: Path) -> None:
    controller, dialog = _new_case_dialog(qtbot, tmp_path)
    for edit, text in ((dialog.name_edit, "Alex"), (dialog.pass1.edit, PASSPHRASE),
                       (dialog.pass2.edit, PASSPHRASE)):
        type_text(edit, text)
    press_enter(dialog.pass2.edit)
    assert dialog.busy_label.isVisible() and not dialog.cancel_button.isEnabled()
    QTest.keyClick(focused() or dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    qtbot.waitUntil(controller.is_open, timeout=15000)
    settle(qtbot)
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted
    controller.lock()
    # Once made, Escape closes the dialog as before (nothing is being done).
    again = NewCaseDialog(controller, folder=tmp_path)
    qtbot.addWidget(again)
    show_active(qtbot, again)
    QTest.keyClick(focused() or again, Qt.Key.Key_Escape)
    assert not again.isVisible()


def test_a_folder_typed_where_the_file_goes_keeps_the_case_inside_it(
        qtbot: QtBot, tmp_path: Path) -> None:
    # The row says "Keep the file in": a person types a folder (a USB stick), and once found
    # the case beside it, as "usb.skcase", with the folder they chose left empty.
    usb = tmp_path / "usb"
    usb.mkdir()
    controller, dialog = _new_case_dialog(qtbot, tmp_path)
    type_text(dialog.name_edit, "Alex")
    dialog.path_edit.setFocus()
    dialog.path_edit.selectAll()
    type_text(dialog.path_edit, str(usb))
    for edit in (dialog.pass1.edit, dialog.pass2.edit):
        edit.setFocus()
        type_text(edit, PASSPHRASE)
    press_enter(dialog.pass2.edit)
    qtbot.waitUntil(controller.is_open, timeout=15000)
    settle(qtbot)
    assert controller.require_case().path == usb / "case.skcase"
    assert not (tmp_path / "usb.skcase").exists()
    controller.lock()


def test_the_wrong_passphrase_sentence_is_shown_whole_at_the_largest_text_size(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    # At the larger text sizes the dialog kept its height and cut the sentence's last line:
    # "(capital letters count)" was lost.
    from PySide6.QtWidgets import QLabel

    from app.ui.shell.settings import TEXT_SCALES

    shell.settings.text_scale_index = len(TEXT_SCALES) - 1  # "Largest"
    shell.apply_settings()
    dialog, _closed = _start_unlock(qtbot, shell, make_case)
    type_text(dialog.passphrase_edit, "not the passphrase")
    press_enter(dialog.passphrase_edit)
    qtbot.waitUntil(dialog.message_bar.isVisible, timeout=15000)
    settle(qtbot)
    [label] = [w for w in dialog.message_bar.findChildren(QLabel) if w.text()]
    try:
        assert label.height() >= label.heightForWidth(label.width()), label.text()
        assert label.mapTo(dialog, label.rect().bottomLeft()).y() <= dialog.height()
    finally:
        shell.settings.text_scale_index = 0  # the application's font, for the next tests
        shell.apply_settings()



def test_after_three_wrong_tries_it_says_what_a_forgotten_passphrase_means(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    # Tried by hand: five wrong tries, and each said only "Check it and try again".
    from PySide6.QtWidgets import QLabel

    dialog, closed = _start_unlock(qtbot, shell, make_case)
    shown = []
    for attempt in ("not it", "still not it", "nor this"):
        dialog.passphrase_edit.selectAll()
        type_text(dialog.passphrase_edit, attempt)
        press_enter(dialog.passphrase_edit)
        qtbot.waitUntil(lambda: dialog.passphrase_edit.isEnabled()
                        and dialog.message_bar.isVisible(), timeout=15000)
        settle(qtbot)
        shown.append(" ".join(w.text() for w in dialog.message_bar.findChildren(QLabel)))
    assert all("does not open this case file" in text for text in shown)
    assert ["Trying again does no harm" in text for text in shown] == [False, False, True]
    assert "nobody can open this case, not us and not the police" in shown[2]
    assert not closed and focused() is dialog.passphrase_edit
    type_text(dialog.passphrase_edit, PASSPHRASE)  # the text was chosen: typing replaces it
    press_enter(dialog.passphrase_edit)
    qtbot.waitUntil(shell.controller.is_open, timeout=15000)


def test_enter_through_the_new_case_form_never_opens_the_file_picker(
        qtbot: QtBot, tmp_path: Path) -> None:
    # Enter moved focus field to field and landed on "Choose…": the next Enter opened the
    # "Where to keep the case file" picker in the middle of typing.
    controller, dialog = _new_case_dialog(qtbot, tmp_path)
    dialog.name_edit.setFocus()
    type_text(dialog.name_edit, "Alex")
    press_enter(dialog.name_edit)
    assert focused() is dialog.pass1.edit  # the place is filled in already: on to the next
    type_text(dialog.pass1.edit, PASSPHRASE)
    press_enter(dialog.pass1.edit)
    assert focused() is dialog.pass2.edit
    type_text(dialog.pass2.edit, PASSPHRASE + "x")
    press_enter(dialog.pass2.edit)  # they differ: it stays, and says so
    assert focused() is dialog.pass2.edit and not controller.is_open()
    assert "not the same" in dialog.match_label.text()
    assert not [w for w in QApplication.topLevelWidgets()
                if w.isVisible() and w.windowTitle() == "Where to keep the case file"]


def test_while_the_passphrase_changes_the_fields_wait(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A key typed in a passphrase field while the change ran (a few seconds) switched the
    button on again; a second press then started a second change behind the first, with a
    current passphrase no longer current."""
    settings = AppSettings(locate_settings(override_dir=tmp_path / "settings"))
    dialog = SettingsDialog(settings, controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    new = "a brand new passphrase for this case"
    put_focus(qtbot, dialog.current_pass)
    type_keys(PASSPHRASE)
    for _ in range(2):
        press_tab(focused())
        type_keys(new)
    assert focused() is dialog.new_pass2
    press_enter(dialog.new_pass2)
    fields = (dialog.current_pass, dialog.new_pass1, dialog.new_pass2)
    assert all(edit.isReadOnly() for edit in fields)
    type_text(dialog.new_pass2, "x")  # a key meanwhile goes nowhere...
    assert dialog.new_pass2.text() == new and not dialog.change_button.isEnabled()
    # The focus stays in the field: greyed, it went on to "Check the case file", and the
    # Enter pressed again while waiting started a check of the case as it was replaced.
    assert focused() is dialog.new_pass2
    press_enter(dialog.new_pass2)
    press_enter(focused())
    assert focused() is dialog.new_pass2
    assert dialog.check_box.button.text() == "Check the case file"  # no check started
    qtbot.waitUntil(lambda: "changed" in dialog.message_bar.text(), timeout=20000)
    settle(qtbot)
    assert all(not edit.isReadOnly() and edit.text() == "" for edit in fields)  # ...and after
    assert controller.require_case().passphrase_opens(new)


def _settings_as_opened(qtbot: QtBot, controller: CaseController,
                        tmp_path: Path) -> SettingsDialog:
    """Settings, shown, with the keyboard where it opens: in "Lock after 5 minutes"."""
    settings = AppSettings(locate_settings(override_dir=tmp_path / "settings"))
    assert settings.auto_lock_minutes == 5
    dialog = SettingsDialog(settings, controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: focused() is dialog.auto_lock, timeout=5000)
    settle(qtbot)
    return dialog


def test_one_minute_is_said_as_one_minute(qtbot: QtBot, controller: CaseController,
                                         tmp_path: Path) -> None:
    """"Lock after 1 minutes": the box's word did not follow its number."""
    dialog = _settings_as_opened(qtbot, controller, tmp_path)
    assert dialog.auto_lock.text() == "5 minutes"
    type_keys("1")
    assert dialog.auto_lock.text() == "1 minute"
    type_keys("2")  # the word changing under the cursor keeps the digits typed together
    assert dialog.auto_lock.text() == "12 minutes"
    press(Qt.Key.Key_Down)
    assert dialog.auto_lock.text() == "11 minutes"
    assert AppSettings(locate_settings(override_dir=tmp_path / "settings")) \
        .auto_lock_minutes == 11


def test_a_number_typed_as_settings_opens_replaces_the_one_there(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Settings opens with the keyboard in "Lock after 5 minutes", the cursor after the 5: "10"
    typed there made 51 minutes (510 is too many, so the 0 was dropped). A number box given the
    keyboard by its window now has its number selected, as Tab gives it."""
    dialog = _settings_as_opened(qtbot, controller, tmp_path)
    type_keys("10")
    assert dialog.auto_lock.value() == 10
    assert AppSettings(locate_settings(override_dir=tmp_path / "settings")) \
        .auto_lock_minutes == 10
    press_tab(dialog.auto_lock)  # and back with Shift+Tab: selected again, as Qt does
    press_tab(focused(), back=True)
    type_keys("15")
    assert dialog.auto_lock.value() == 15
