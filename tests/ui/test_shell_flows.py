"""The shell's flows: welcome -> new case, unlock (wrong and right), lock, dialogs closed."""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.shell.main_window import MainWindow
from app.ui.shell.new_case_dialog import NewCaseDialog, strength_hint, suggest_case_path
from app.ui.shell.session import SafekeepSession
from app.ui.shell.unlock_dialog import UnlockDialog
from app.ui.shell.welcome import WelcomeWindow
from tests.ui.keys import press, press_enter, show_active, type_text
from tests.ui.shell_support import (
    PASSPHRASE,
    clock,
    closed_case,
    open_case_in_shell,
    settle,
    shell,
    unlock_with,
)

__all__ = ["clock", "shell"]

MARKER = "Zebrafinch-Quartz"


def _alive(widget: object) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(widget))


def test_welcome_then_new_case(qtbot: QtBot, shell: SafekeepSession, tmp_path: Path) -> None:
    first = shell.start()
    assert isinstance(first, WelcomeWindow) and first.isVisible()
    assert first.new_button.text() == "Start a new case"
    first.new_button.click()
    dialog = shell.new_case_dialog
    assert isinstance(dialog, NewCaseDialog) and dialog.isVisible()
    assert not dialog.create_button.isEnabled()

    dialog.name_edit.setText(MARKER)
    dialog.under_18_box.setChecked(True)
    dialog.path_edit.setText(str(tmp_path / "mine"))
    dialog.pass1.edit.setText("abc")
    dialog.pass2.edit.setText("abd")
    assert "not the same" in dialog.match_label.text()
    assert not dialog.create_button.isEnabled()
    dialog.pass2.edit.setText("abc")
    assert dialog.strength_label.text(), "a weak passphrase gets advice..."
    assert dialog.create_button.isEnabled(), "...but is never refused"

    dialog.create_button.click()
    assert dialog.busy_bar.isVisible()
    qtbot.waitUntil(lambda: shell.controller.is_open(), timeout=15000)
    settle(qtbot)
    window = shell.main_window
    assert isinstance(window, MainWindow) and window.isVisible()
    assert not first.isVisible()
    assert (tmp_path / "mine.skcase").is_file()
    assert MARKER in window.case_label.text()
    assert "under 18" in window.case_label.text()
    summary = shell.controller.last_summary
    assert summary is not None and summary.under_18 and summary.display_name == MARKER
    assert MARKER not in window.windowTitle()
    # The dialog is gone (deleted), and with it the typed passphrase.
    qtbot.waitUntil(lambda: shell.new_case_dialog is None or not _alive(shell.new_case_dialog))


def test_strength_hint_is_kind() -> None:
    for passphrase in ("a", "password", "Tr0ub4dor&3", "maple orbit tundra kettle"):
        score, text = strength_hint(passphrase)
        assert 0 <= score <= 4 and text
        assert "weak" not in text.lower() and "bad" not in text.lower()


def test_suggested_path_is_neutral_and_new(tmp_path: Path) -> None:
    first = suggest_case_path(tmp_path)
    assert first.name == "case.skcase"
    first.write_bytes(b"")
    assert suggest_case_path(tmp_path).name == "case 2.skcase"


def test_unlock_wrong_then_right(qtbot: QtBot, shell: SafekeepSession,
                                 make_case: Callable[..., CaseFile]) -> None:
    path = closed_case(make_case, display_name=MARKER)
    dialog = shell.start(str(path))
    assert isinstance(dialog, UnlockDialog) and dialog.isVisible()
    dialog.passphrase_edit.setText("not it")
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: dialog.message_bar.isVisible(), timeout=15000)
    assert "passphrase" in dialog.message_bar.text().lower()
    assert not shell.controller.is_open()
    assert dialog.isVisible() and dialog.passphrase_edit.isEnabled()

    unlock_with(qtbot, shell)
    window = shell.main_window
    assert isinstance(window, MainWindow) and window.isVisible()
    assert not dialog.isVisible()
    # The first unlock after creating: no earlier opening to report.
    assert not window.message_bar.isVisible()


def test_last_opened_notice_after_second_unlock(qtbot: QtBot, shell: SafekeepSession,
                                                make_case: Callable[..., CaseFile]) -> None:
    path = closed_case(make_case)
    CaseFile.open(path, "correct horse 'battery'; staple — ünïcödé 🔑", actor="someone").close()
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    assert window.message_bar.isVisible()
    assert "Last opened" in window.message_bar.text()
    assert "someone" in window.message_bar.text()


def _lock_with_ctrl_l(qtbot: QtBot, shell: SafekeepSession, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not shell.controller.is_open(), timeout=3000)


def test_an_unlock_after_a_lock_does_not_report_the_windows_own_opening(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """After every lock (by hand, or after a while unused) the window said "This case was
    last opened today at 04:24 ... you may want to change the passphrase": its own opening a
    few minutes before, which a frightened person could only read as a warning. Someone who
    opens the case while it is locked here is still named."""
    path = closed_case(make_case)
    CaseFile.open(path, PASSPHRASE, actor="someone").close()
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow) and "someone" in window.message_bar.text()

    _lock_with_ctrl_l(qtbot, shell, window)
    unlock_with(qtbot, shell)
    assert not window.message_bar.isVisible()

    _lock_with_ctrl_l(qtbot, shell, window)
    CaseFile.open(path, PASSPHRASE, actor="another-account").close()
    unlock_with(qtbot, shell)
    assert window.message_bar.isVisible() and "another-account" in window.message_bar.text()


def test_unlocking_again_comes_back_to_the_part_of_the_case_that_was_open(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """Someone adding payments stepped away, the case locked, and unlocking put them on the
    Evidence screen. They come back to Payments; while locked, only the passphrase question
    shows. A case opened elsewhere meanwhile starts on Evidence, as a first opening does."""
    path = closed_case(make_case)
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow) and window.tabs.currentWidget() is window.evidence
    window.tabs.setCurrentWidget(window.payments)
    _lock_with_ctrl_l(qtbot, shell, window)
    assert window.tabs.currentWidget() is window.evidence
    unlock_with(qtbot, shell)
    assert window.tabs.currentWidget() is window.payments

    _lock_with_ctrl_l(qtbot, shell, window)
    CaseFile.open(path, PASSPHRASE, actor="another-account").close()
    unlock_with(qtbot, shell)
    assert window.tabs.currentWidget() is window.evidence


def test_the_main_window_shows_with_the_case_name_and_notice_already_in_place(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """Shown after the window, the notice made Qt lay the whole window out again in the
    turn it first showed (about 40 ms the window could not answer): it is in place first."""
    path = closed_case(make_case, display_name=MARKER)
    CaseFile.open(path, "correct horse 'battery'; staple — ünïcödé 🔑", actor="someone").close()
    shell.start(str(path))
    shell.ensure_main_window()
    window = shell.main_window
    assert isinstance(window, MainWindow)
    at_show: list[tuple[bool, str]] = []

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if watched is window and event.type() == QEvent.Type.Show:
                at_show.append((window.message_bar.isVisibleTo(window),
                                window.case_label.text()))
            return False

    watch = Watch()
    window.installEventFilter(watch)
    unlock_with(qtbot, shell)
    window.removeEventFilter(watch)
    assert at_show and at_show[0][0], "the notice was not in place as the window showed"
    assert MARKER in at_show[0][1]
    assert "someone" in window.message_bar.text()


def test_lock_shortcut_closes_dialogs_and_asks_again(
    qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]
) -> None:
    path = closed_case(make_case)
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    help_dialog = shell.show_help()
    settings_dialog = shell.show_settings()
    assert help_dialog.isVisible() and settings_dialog.isVisible()

    window.lock_action.trigger()
    assert not shell.controller.is_open()
    assert not window.isVisible()
    assert not help_dialog.isVisible() and not settings_dialog.isVisible()
    unlock = shell.unlock_dialog
    assert isinstance(unlock, UnlockDialog) and unlock.isVisible()
    others = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, QDialog) and w.isVisible() and w is not unlock]
    assert others == []
    unlock_with(qtbot, shell)
    assert window.isVisible()


def test_closing_unlock_goes_back_to_welcome(qtbot: QtBot, shell: SafekeepSession,
                                             make_case: Callable[..., CaseFile]) -> None:
    path = closed_case(make_case)
    dialog = shell.start(str(path))
    assert isinstance(dialog, QDialog)
    dialog.reject()
    assert shell.welcome is not None and shell.welcome.isVisible()


def test_cancelling_open_another_case_puts_the_keyboard_back_on_the_passphrase(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """Open another case…, then Cancel (Escape): the keyboard stayed on "Open another case…",
    and the first space of the passphrase typed next opened the file dialog again."""
    from PySide6.QtWidgets import QFileDialog

    from tests.ui.keys import focused, put_focus

    dialog = shell.start(str(closed_case(make_case)))
    assert isinstance(dialog, UnlockDialog)
    show_active(qtbot, dialog)
    put_focus(qtbot, dialog.other_button)
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeWindow(), QFileDialog), timeout=5000)
    press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not any(isinstance(w, QFileDialog) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=5000)
    show_active(qtbot, dialog)  # the window system gives the window back its keyboard
    assert focused() is dialog.passphrase_edit
    type_text(focused(), "two words")
    assert dialog.passphrase_edit.text() == "two words" and dialog.isVisible()
    assert not any(isinstance(w, QFileDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())


def test_ctrl_l_locks(qtbot: QtBot, shell: SafekeepSession,
                      make_case: Callable[..., CaseFile]) -> None:
    from PySide6.QtTest import QTest

    open_case_in_shell(qtbot, shell, closed_case(make_case))
    window = shell.main_window
    assert isinstance(window, MainWindow)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not shell.controller.is_open(), timeout=3000)
    assert shell.unlock_dialog is not None and shell.unlock_dialog.isVisible()


def test_a_file_that_is_not_a_case_is_said_before_any_passphrase(
        qtbot: QtBot, shell: SafekeepSession, tmp_path: Path) -> None:
    junk = tmp_path / "holiday.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a case" * 100)
    dialog = shell.start(str(junk))
    assert isinstance(dialog, UnlockDialog)
    qtbot.waitUntil(lambda: dialog.message_bar.isVisible(), timeout=5000)
    assert "not a Safekeep case" in dialog.message_bar.text()
    assert dialog.passphrase_edit.isReadOnly() and not dialog.unlock_button.isEnabled()
    assert dialog.other_button.isEnabled()
    assert junk.read_bytes().startswith(b"\xff\xd8")  # untouched


def test_a_passphrase_typed_at_a_refused_file_goes_nowhere(
        qtbot: QtBot, shell: SafekeepSession, tmp_path: Path) -> None:
    """Typed without reading the message: the keyboard had been sent to "Open another case…",
    the space in "correct horse battery" opened the file picker, and "orse battery" stood in
    its file name box in plain sight."""
    from PySide6.QtWidgets import QFileDialog

    cut = tmp_path / "case.skcase"
    cut.write_bytes(b"\x00" * 1000)
    dialog = shell.start(str(cut))
    assert isinstance(dialog, UnlockDialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.message_bar.isVisible(), timeout=5000)
    assert QApplication.focusWidget() is dialog.passphrase_edit
    QTest.keyClicks(QApplication.focusWidget(), "correct horse battery")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    settle(qtbot)
    pickers = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QFileDialog) and w.isVisible()]
    assert pickers == []
    assert dialog.passphrase_edit.text() == ""  # kept nowhere
    assert QApplication.focusWidget() is dialog.passphrase_edit and dialog.isVisible()
    assert "cannot be opened" in dialog.passphrase_edit.placeholderText()
    # Tab still reaches the way on.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() in (dialog.message_bar.dismiss_button, dialog.other_button)


def test_a_real_case_is_not_refused_by_the_early_check(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    dialog = shell.start(str(closed_case(make_case)))
    assert isinstance(dialog, UnlockDialog)
    settle(qtbot)
    assert dialog.passphrase_edit.isEnabled() and not dialog.message_bar.isVisible()


def _recent_buttons(welcome: WelcomeWindow) -> list[str]:
    from PySide6.QtWidgets import QPushButton

    return [b.text() for b in welcome.findChildren(QPushButton)
            if b.text().startswith("Open ") and b is not welcome.open_button
            and b.isVisibleTo(welcome)]


def test_the_welcome_window_shows_the_recent_list_as_it_is_now(
        qtbot: QtBot, shell: SafekeepSession, tmp_path: Path) -> None:
    # A caseworker forgets the list before handing a shared computer over: the welcome window
    # the next person sees must not still name the case files.
    shell.settings.remember_recent = True
    shell.settings.add_recent(str(tmp_path / "alex.skcase"))
    welcome = shell.start()
    assert isinstance(welcome, WelcomeWindow)
    assert _recent_buttons(welcome) == ["Open alex.skcase"]
    welcome.hide()
    shell.settings.add_recent(str(tmp_path / "sam.skcase"))  # opened since
    assert _recent_buttons(shell.show_welcome()) == ["Open sam.skcase", "Open alex.skcase"]
    welcome.hide()
    shell.settings.clear_recent()  # Settings > Forget the list
    settle(qtbot)
    assert _recent_buttons(shell.show_welcome()) == []
    assert "Recent case files" not in " ".join(
        label.text() for label in welcome.findChildren(QLabel) if label.isVisibleTo(welcome))


def test_case_files_of_the_same_name_are_told_apart_by_their_folders(
        qtbot: QtBot, shell: SafekeepSession, tmp_path: Path) -> None:
    """A case in a folder of its own, as the README advises, is "case.skcase" like every
    other: the welcome window offered "Open case.skcase" twice, told apart only by a tooltip,
    and the passphrase question said "Case file: case.skcase" whichever it was."""
    shell.settings.remember_recent = True
    for folder in ("priya", "tom", "elsewhere/tom"):
        (tmp_path / folder).mkdir(parents=True)
        shell.settings.add_recent(str(tmp_path / folder / "case.skcase"))
    shell.settings.add_recent(str(tmp_path / "alex.skcase"))
    welcome = shell.start()
    assert isinstance(welcome, WelcomeWindow)
    assert _recent_buttons(welcome) == [
        "Open alex.skcase", f"Open case.skcase in {tmp_path / 'elsewhere/tom'}",
        f"Open case.skcase in {tmp_path / 'tom'}", "Open case.skcase in priya"]
    welcome.hide()
    dialog = shell.show_unlock(tmp_path / "priya" / "case.skcase")
    assert isinstance(dialog, UnlockDialog)
    assert dialog.file_label.text() == "Case file: case.skcase, in the folder priya"
    dialog.close()


def test_with_the_neutral_title_every_window_is_called_notes(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    # The taskbar and the window switcher list every window: "Prepare bundle for police"
    # there says what the program is for, which the person turned this on to hide.
    from app.ui.kit.file_dialogs import make_dialog

    shell.settings.neutral_title = True
    shell.apply_settings()
    open_case_in_shell(qtbot, shell, closed_case(make_case))
    window = shell.main_window
    assert isinstance(window, MainWindow)
    dialogs = [window.open_export_dialog(), window.open_case_details(), shell.show_settings(),
               shell.show_help()]
    picker = make_dialog(window, "Where to keep the case file", tmp_path_of(shell))
    titles = {w.windowTitle() for w in (*dialogs, picker, window)}
    assert titles == {"Notes"}, titles
    shell.settings.neutral_title = False  # and back: each window's own words again
    shell.apply_settings()
    assert dialogs[0] is not None and dialogs[0].windowTitle() == "Prepare bundle for police"
    assert window.windowTitle() == "Safekeep"
    picker.close()  # the dialogs are closed with the session


def tmp_path_of(shell: SafekeepSession) -> Path:
    assert shell.case_path is not None
    return shell.case_path.parent


def test_locking_a_case_a_full_disk_left_in_two_files_says_so(
        qtbot: QtBot, shell: SafekeepSession, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The command line said so; the window locked in silence, and a person moving the case
    # file alone to make room would have had a copy that does not open. (The room check
    # refuses this file now; it sees room here, as it would were the disk filled after it.)
    import os

    from app.core.intake import import_paths
    from tests.conftest import PASSPHRASE, room_unknown
    from tests.test_hostile_environment import small_disk

    room_unknown(monkeypatch)

    with small_disk(tmp_path / "disk", "3m") as disk:
        case_path = disk / "case.skcase"
        CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
        open_case_in_shell(qtbot, shell, case_path)
        big = tmp_path / "video.mp4"
        big.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(1_600_000))
        [outcome] = import_paths(shell.controller.require_case(), [big])
        assert outcome.status == "added"
        shell.lock()
        settle(qtbot)
        dialog = shell.unlock_dialog
        assert isinstance(dialog, UnlockDialog) and dialog.isVisible()
        assert "Part of the case is still in case.skcase-wal" in dialog.message_bar.text()
        dialog.close()


def test_a_second_ctrl_e_or_click_brings_the_open_dialog_forward(
    qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]
) -> None:
    """Ctrl+E pressed again (the dialog had gone behind the window) opened a second export
    dialog, and two bundles could be prepared at once; a second click on Case details... a
    second dialog, each saving over the other."""
    from PySide6.QtTest import QTest

    from app.ui.shell.case_details_dialog import CaseDetailsDialog
    from app.ui.shell.export_dialog import ExportDialog

    path = closed_case(make_case)
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow)

    def shown(kind: type) -> list[QDialog]:
        return [d for d in window.findChildren(kind) if d.isVisible()]

    for _ in range(2):
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: bool(shown(ExportDialog)), timeout=5000)
    assert len(shown(ExportDialog)) == 1
    shown(ExportDialog)[0].reject()
    button = window.details_button
    for _ in range(2):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(shown(CaseDetailsDialog)), timeout=5000)
    assert len(shown(CaseDetailsDialog)) == 1
    settle(qtbot)


def test_a_space_before_or_after_a_wrong_passphrase_is_pointed_out(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """A space typed after the passphrase by habit is invisible behind the dots: the wrong-
    passphrase words alone sent the person over every letter again."""
    path = closed_case(make_case, display_name=MARKER)
    dialog = shell.start(str(path))
    assert isinstance(dialog, UnlockDialog)
    show_active(qtbot, dialog)
    type_text(dialog.passphrase_edit, PASSPHRASE + " ")
    press_enter(dialog.passphrase_edit)
    qtbot.waitUntil(dialog.message_bar.isVisible, timeout=15000)
    assert "starts or ends with a space" in dialog.message_bar.text()
    assert not shell.controller.is_open()  # the space is part of what was typed: never dropped

    type_text(dialog.passphrase_edit, "not it")  # over the selected text: wrong, no spaces
    press_enter(dialog.passphrase_edit)
    qtbot.waitUntil(lambda: not dialog.passphrase_edit.isReadOnly(), timeout=15000)
    settle(qtbot)
    assert dialog.passphrase_edit.text() == "not it"
    assert "passphrase does not open" in dialog.message_bar.text()
    assert "space" not in dialog.message_bar.text()  # ...is told only what is so
    assert "Caps Lock" not in dialog.message_bar.text()

    # Caps Lock on: every letter a capital, hidden behind the dots too.
    type_text(dialog.passphrase_edit, PASSPHRASE.upper())
    press_enter(dialog.passphrase_edit)
    qtbot.waitUntil(lambda: not dialog.passphrase_edit.isReadOnly(), timeout=15000)
    settle(qtbot)
    assert "check whether Caps Lock is on" in dialog.message_bar.text()
    assert not shell.controller.is_open()  # nothing is changed: it is only said


def helps() -> list[QDialog]:
    """The Help windows on screen."""
    from app.ui.shell.help_dialog import HelpDialog

    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, HelpDialog) and w.isVisible()]


def test_f1_opens_help_from_the_welcome_window_and_the_passphrase_question(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """F1 (the README's key for Help, with its phone numbers) worked in the main window only:
    on the first window, or asked for the passphrase, a person pressing it got nothing."""
    welcome = shell.start()
    show_active(qtbot, welcome)
    settle(qtbot)
    press(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len(helps()) == 1, timeout=5000)
    for dialog in helps():
        dialog.close()

    shell.show_unlock(closed_case(make_case))
    dialog = shell.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    show_active(qtbot, dialog)
    press(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len(helps()) == 1, timeout=5000)
    for help_dialog in helps():
        help_dialog.close()
    settle(qtbot)


def test_f1_opens_help_while_a_new_case_is_being_made_and_it_answers_keys(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    """F1 while a new case is being made opens Help over the new-case dialog, the window the
    person is in (when that dialog was window-modal, Help over the welcome window was blocked
    with it), where its keys and buttons work."""
    welcome = shell.start()
    show_active(qtbot, welcome)
    settle(qtbot)
    dialog = shell.show_new_case()
    assert isinstance(dialog, NewCaseDialog)
    show_active(qtbot, dialog)
    press(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len(helps()) == 1, timeout=5000)
    [help_dialog] = helps()
    show_active(qtbot, help_dialog)
    # As the window system delivers a key (a QWindow, not a widget: Qt then applies the
    # modality that blocks windows behind a modal dialog): Escape closes Help, and only it.
    QTest.keyClick(help_dialog.windowHandle(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not helps(), timeout=5000)
    assert dialog.isVisible()
    dialog.reject()
    settle(qtbot)


def test_the_main_shortcuts_work_with_the_cursor_in_a_text_box(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """On Linux a text box takes Ctrl+E for itself (the end of the line, as in Emacs: Qt's X11,
    GNOME and KDE key schemes), so Ctrl+E did nothing while the cursor was in a form or the
    search box: the shortcut Help teaches worked only some of the time. The tests run on Qt's
    offscreen platform, whose key scheme does not bind Ctrl+E, so the box here claims it as
    a text box does on X11 (by accepting the ShortcutOverride event Qt sends it first). The
    window's keys now come first; other keys the box claims stay the box's."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from app.ui.shell.export_dialog import ExportDialog

    claimed: list[str] = []

    class X11Box(QLineEdit):
        def event(self, event: QEvent) -> bool:
            if event.type() == QEvent.Type.ShortcutOverride:
                keys = QKeySequence(event.keyCombination()).toString()  # type: ignore[attr-defined]
                if keys in ("Ctrl+E", "Ctrl+K"):  # as QLineEdit does with the X11 scheme
                    claimed.append(keys)
                    event.accept()
                    return True
            return super().event(event)

    open_case_in_shell(qtbot, shell, closed_case(make_case))
    window = shell.main_window
    assert isinstance(window, MainWindow)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    box = X11Box(window.centralWidget())
    box.show()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=5000)
    QTest.keyClicks(box, "skype")
    QTest.keyClick(box, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert claimed == ["Ctrl+K"]  # not a window key: still the box's
    QTest.keyClick(box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ExportDialog)),
                    timeout=5000)
    assert claimed == ["Ctrl+K"] and box.text() == "skype"
    for dialog in window.findChildren(ExportDialog):
        dialog.reject()
    settle(qtbot)


def test_a_lock_leaves_only_the_passphrase_question_on_screen(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """Every lock also showed the welcome window behind the passphrase question (an `else`
    that had slid onto the wrong `if`): its words about intimate pictures stood on the screen
    of a computer locked while nobody was at it. Now only the question shows; closing it goes
    back to the welcome window, as before."""
    from PySide6.QtTest import QTest

    open_case_in_shell(qtbot, shell, closed_case(make_case))
    window = shell.main_window
    assert isinstance(window, MainWindow)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not shell.controller.is_open(), timeout=5000)
    settle(qtbot)
    unlock = shell.unlock_dialog
    assert isinstance(unlock, UnlockDialog) and unlock.isVisible()
    showing = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not any(isinstance(w, WelcomeWindow) for w in showing), showing
    unlock.reject()
    qtbot.waitUntil(lambda: shell.welcome is not None and shell.welcome.isVisible(),
                    timeout=5000)


def test_an_opening_by_a_command_says_which(qtbot: QtBot, shell: SafekeepSession,
                                            make_case: Callable[..., CaseFile],
                                            cli: Callable[..., object]) -> None:
    """A caseworker's own script (or a command typed by hand) opened the case: the window
    names the command, so "was that you?" can be answered (it named only the account)."""
    path = closed_case(make_case)
    result = cli("add-event", str(path), "--when", "2025-03-01T10:00", "a threat")
    assert getattr(result, "code", None) == 0, result
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    # Written with a hyphen that never breaks the line ("safekeep add-" / "event").
    assert "with the command \u201csafekeep add\u2011event\u201d." in window.message_bar.text()
