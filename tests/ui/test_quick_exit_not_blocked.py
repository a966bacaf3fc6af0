"""Quick exit works while a file picker or the new-case dialog is open. Both were
window-modal: "Choose files to add" blocked the main window, and the red button in plain sight
beside it did nothing when clicked. Clicks here go through the window system (a QWindow, not a
widget), where Qt applies modality, as they do for a person."""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolTip,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.evidence.view import EvidenceView
from app.ui.shell.session import SafekeepSession
from app.ui.shell.welcome import WelcomeWindow
from tests.ui.keys import press, press_enter, put_focus, show_active, type_text
from tests.ui.shell_support import (
    click_as_a_person,
    clock,
    closed_case,
    nothing_shown,
    open_case_in_shell,
    open_handles_on,
    settle,
    shell,
)

__all__ = ["clock", "shell"]


def _pickers() -> list[QFileDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QFileDialog) and w.isVisible()]


def _open_picker(qtbot: QtBot, button: QPushButton) -> QFileDialog:
    show_active(qtbot, button.window())
    click_as_a_person(button)
    qtbot.waitUntil(lambda: len(_pickers()) == 1, timeout=5000)
    [picker] = _pickers()
    return picker



def test_quick_exit_while_choosing_files_to_add(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    path = closed_case(make_case)
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert window is not None
    view = window.show_view("evidence")
    assert isinstance(view, EvidenceView)
    _open_picker(qtbot, view.add_files_button)

    click_as_a_person(window.quick_exit_button)
    assert nothing_shown()
    assert not shell.controller.is_open()
    assert open_handles_on(path) == []
    settle(qtbot)


def test_a_second_picker_replaces_the_first(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """Not modal, "Add a folder…" can be clicked while "Add files…" is open: the newer
    choice stands, and only one picker is on screen."""
    open_case_in_shell(qtbot, shell, closed_case(make_case))
    assert shell.main_window is not None
    view = shell.main_window.show_view("evidence")
    assert isinstance(view, EvidenceView)
    _open_picker(qtbot, view.add_files_button)
    show_active(qtbot, shell.main_window)
    click_as_a_person(view.add_folder_button)
    qtbot.waitUntil(lambda: len(_pickers()) == 1
                    and _pickers()[0].fileMode() == QFileDialog.FileMode.Directory, timeout=5000)
    for picker in _pickers():
        picker.reject()
    settle(qtbot)


def test_quick_exit_while_choosing_a_case_to_open(qtbot: QtBot, shell: SafekeepSession) -> None:
    welcome = shell.start()
    assert isinstance(welcome, WelcomeWindow)
    settle(qtbot)
    _open_picker(qtbot, welcome.open_button)
    button: QWidget = welcome.quick_exit_button
    assert isinstance(button, QPushButton)
    click_as_a_person(button)
    assert nothing_shown()


def test_the_welcome_window_s_quick_exit_works_while_a_case_is_made(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    """The new-case dialog was window-modal: two red buttons on screen, and the welcome
    window's did nothing. Now the welcome window holds its other choices instead."""
    welcome = shell.start()
    assert isinstance(welcome, WelcomeWindow)
    settle(qtbot)
    show_active(qtbot, welcome)
    click_as_a_person(welcome.new_button)
    dialog = shell.new_case_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert not welcome.new_button.isEnabled() and not welcome.open_button.isEnabled()
    assert welcome.help_button.isEnabled()

    dialog.reject()  # changed their mind: the choices come back
    settle(qtbot)
    assert welcome.new_button.isEnabled() and welcome.open_button.isEnabled()

    show_active(qtbot, welcome)
    click_as_a_person(welcome.new_button)
    qtbot.waitUntil(lambda: shell.new_case_dialog is not None
                    and shell.new_case_dialog.isVisible(), timeout=5000)
    click_as_a_person(welcome.quick_exit_button)
    assert nothing_shown()


def test_saving_over_a_file_asks_once_in_safekeep_s_own_words(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    """Qt's save picker asked "already exists. Do you want to replace it?" in a modal box of
    its own (a nested event loop that blocked every window, Quick exit included), and then
    the export dialog asked again. Now only the export dialog says so."""
    open_case_in_shell(qtbot, shell, closed_case(make_case))
    assert shell.main_window is not None
    dialog = shell.main_window.open_export_dialog()
    assert dialog is not None
    settle(qtbot)
    there = tmp_path / "already.zip"
    there.write_bytes(b"someone's file")
    picker = _open_picker(qtbot, dialog.choose_button)
    show_active(qtbot, picker)
    name = picker.findChild(QLineEdit, "fileNameEdit")
    assert isinstance(name, QLineEdit)
    put_focus(qtbot, name)
    name.clear()
    type_text(name, str(there))
    shown: list[QWidget] = []
    QTimer.singleShot(500, lambda: shown.extend(  # a modal box would be up by then
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()))
    QTimer.singleShot(700, lambda: [box.reject() for box in shown])  # never hang the test
    press_enter(name)
    qtbot.wait(800)
    assert shown == [], "Qt's own modal question"
    qtbot.waitUntil(lambda: not _pickers(), timeout=5000)
    assert dialog.path_edit.text() == str(there)
    assert there.read_bytes() == b"someone's file"
    dialog.close()
    settle(qtbot)


def test_a_picker_for_evidence_changes_no_file(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    """Qt's picker deletes the chosen file on the Delete key (after a modal "Are you sure?"),
    and renames it on a right click: a picker for evidence must change nothing."""
    open_case_in_shell(qtbot, shell, closed_case(make_case))
    assert shell.main_window is not None
    view = shell.main_window.show_view("evidence")
    assert isinstance(view, EvidenceView)
    original = tmp_path / "photos" / "threat.png"
    original.parent.mkdir()
    original.write_bytes(b"the only copy")
    picker = _open_picker(qtbot, view.add_files_button)
    picker.setDirectory(str(original.parent))
    picker.setViewMode(QFileDialog.ViewMode.Detail)
    tree = picker.findChild(QTreeView, "treeView")
    assert isinstance(tree, QTreeView)
    model = tree.model()
    qtbot.waitUntil(lambda: model.rowCount(tree.rootIndex()) == 1, timeout=5000)
    show_active(qtbot, picker)
    put_focus(qtbot, tree)
    tree.setCurrentIndex(model.index(0, 0, tree.rootIndex()))
    shown: list[QWidget] = []
    QTimer.singleShot(500, lambda: shown.extend(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()))
    QTimer.singleShot(700, lambda: [box.accept() for box in shown])  # "Yes": the worst case
    press(Qt.Key.Key_Delete)
    qtbot.wait(800)
    assert shown == [], "Qt asked whether to delete the file"
    assert original.read_bytes() == b"the only copy"
    picker.reject()
    settle(qtbot)
    # Where to save the bundle: the folder may hold the case file itself.
    dialog = shell.main_window.open_export_dialog()
    assert dialog is not None
    settle(qtbot)
    assert _open_picker(qtbot, dialog.choose_button).testOption(QFileDialog.Option.ReadOnly)
    for picker in _pickers():
        picker.reject()
    dialog.close()
    settle(qtbot)


def test_a_name_that_is_not_there_is_said_without_a_box_that_blocks_everything(
        qtbot: QtBot, shell: SafekeepSession, tmp_path: Path) -> None:
    """Qt's picker answered a typed name that is not there with "File not found" in an
    application-modal box, in a nested event loop: every window blocked, Quick exit with them,
    until it was answered. Now a tooltip under the name box says it, and nothing is blocked."""
    boxes: list[str] = []

    def close_any_box() -> None:  # the old box would have held the test here for ever
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                boxes.append(box.text())
                box.done(0)

    guard = QTimer()
    guard.timeout.connect(close_any_box)
    guard.start(50)
    welcome = shell.start()
    assert isinstance(welcome, WelcomeWindow)
    settle(qtbot)
    picker = _open_picker(qtbot, welcome.open_button)
    name_box = picker.findChild(QLineEdit, "fileNameEdit")
    assert isinstance(name_box, QLineEdit)
    put_focus(qtbot, name_box)
    type_text(name_box, "no such case.skcase")
    press_enter(name_box)
    qtbot.wait(200)
    guard.stop()
    assert boxes == []
    assert picker.isVisible()  # still choosing
    assert "There is no file called \u201cno such case.skcase\u201d here" in QToolTip.text()
    assert name_box.selectedText() == "no such case.skcase"  # typing again replaces it
    click_as_a_person(welcome.quick_exit_button)
    assert nothing_shown()


def test_quick_exit_while_a_big_file_is_added_stops_it_between_parts(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock had waited for the whole file: a 1.5 GB file kept the case open, behind hidden
    windows, for 10 s after a Quick exit. Now the import stops at the next part, and the case
    is closed with nothing of the file in it."""
    import os

    import app.core.intake.streaming as streaming
    from app.core.records import list_evidence
    from app.models.casefile import CaseFile as Case
    from tests.conftest import PASSPHRASE

    monkeypatch.setattr(streaming, "PART_BYTES", 4 * 1024 * 1024)
    video = tmp_path / "call.mp4"
    with video.open("wb") as handle:
        for _ in range(160):  # 160 MiB: 40 parts
            handle.write(os.urandom(1024 * 1024))
    path = closed_case(make_case)
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert window is not None
    view = window.show_view("evidence")
    assert isinstance(view, EvidenceView)
    view.import_paths([str(video)])
    qtbot.waitUntil(view.is_busy, timeout=5000)
    qtbot.wait(300)  # some parts stored
    click_as_a_person(window.quick_exit_button)
    assert nothing_shown() and not shell.controller.is_open()
    assert open_handles_on(path) == []
    settle(qtbot)
    reopened = Case.open(path, PASSPHRASE, actor="tester")
    try:
        assert list_evidence(reopened) == []  # stopped, not stored whole
    finally:
        reopened.close()
