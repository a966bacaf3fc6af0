"""The export dialog, driven through its widgets (never exec()): progress, result, "Show in
folder" with a local URL only, replacing a file only when agreed, and Cancel leaving no file."""

import hashlib
import os
import zipfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.core.records.identifiers import add_identifier
from app.core.records.summary import edit_case
from app.export import verify_bundle
from app.ui.kit.controller import CaseController
from app.ui.shell.export_dialog import ExportDialog
from tests.test_export_support import add_evidence_direct
from tests.ui.keys import clear_and_type, closed, focused, press, put_focus, show_active, tab
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def test_export_with_progress_then_show_in_folder(qtbot: QtBot, controller: CaseController,
                                                   tmp_path: Path) -> None:
    run_in_case(qtbot, controller, lambda case: add_identifier(case, "skype-id", "live:someone"))
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    opened: list[QUrl] = []
    dialog.open_url = opened.append
    target = tmp_path / "out" / "bundle.zip"
    target.parent.mkdir()
    dialog.path_edit.setText(str(target))
    dialog.sensitive_box.setChecked(True)
    assert dialog.sensitive_note.isVisibleTo(dialog)
    assert "never shown" in dialog.sensitive_note.text()
    dialog.sensitive_box.setChecked(False)
    progress: list[int] = []
    dialog.progress.valueChanged.connect(progress.append)
    dialog.start_button.click()
    assert dialog.is_running()
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    settle(qtbot)
    assert target.is_file() and progress
    assert "ready" in dialog.status.text()
    # Beside the case, its pictures readable by anyone using the computer: said once.
    assert "The ZIP is not locked with a passphrase: anyone who can use this computer can " \
        "open it." in dialog.status.text()
    # The two fingerprints to give separately: shown, true, and copied with one click.
    result = dialog.result_info()
    assert result is not None and dialog.hashes.isVisibleTo(dialog)
    with zipfile.ZipFile(target) as zf:
        real = {n.rsplit("/", 1)[-1]: hashlib.sha256(zf.read(n)).hexdigest()
                for n in zf.namelist() if n.endswith(("/manifest.json", "/report.pdf"))}
    shown = dialog.hashes.values.text()
    assert real["manifest.json"] in shown and real["report.pdf"] in shown
    dialog.hashes.copy_button.click()
    assert QGuiApplication.clipboard().text() == shown
    dialog.show_folder_button.click()
    assert opened == [QUrl.fromLocalFile(str(target.parent))] and opened[0].isLocalFile()

    # Same name again: nothing is replaced until the person says so.
    before = target.stat().st_mtime_ns
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.replace_button.isVisibleTo(dialog), timeout=10000)
    assert target.stat().st_mtime_ns == before
    settle(qtbot)


def test_passphrases_must_match_and_cancel_leaves_no_file(qtbot: QtBot, controller: CaseController,
                                                          tmp_path: Path) -> None:
    for n in range(40):  # enough for the report to take a moment
        run_in_case(qtbot, controller,
                    lambda case, n=n: add_identifier(case, "email", f"x{n}@example.com"))
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    target = tmp_path / "cancelled.zip"
    dialog.path_edit.setText(str(target))
    dialog.protect_box.setChecked(True)
    dialog.passphrase.setText("one thing")
    dialog.passphrase_again.setText("another")
    assert dialog.start() is None and "different" in dialog.status.text()
    dialog.passphrase_again.setText("one thing")
    handle = dialog.start()
    assert handle is not None
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=30000)
    settle(qtbot)
    assert handle.was_cancelled, dialog.status.text()
    assert "No bundle was saved" in dialog.status.text()
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".cancelled*")) == []
    controller.lock()
    assert dialog.passphrase.text() == "" and not dialog.isVisible()


def test_portal_pack_by_keyboard(qtbot: QtBot, controller: CaseController,
                                 tmp_path: Path) -> None:
    """Tab to the portal box, Space ticks it and explains it, Enter makes the pack: a folder of
    ZIP files named after the case, which `verify` accepts."""
    run_in_case(qtbot, controller, lambda case: add_identifier(case, "skype-id", "live:someone"))
    run_in_case(qtbot, controller, lambda case: edit_case(case, crime_reference="WM/2026/7"))
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    opened: list[QUrl] = []
    dialog.open_url = opened.append
    show_active(qtbot, dialog)
    settle(qtbot)
    suggested = Path(dialog.path_edit.text())
    # The save dialog's default: the bundle's folder name, crime reference included.
    assert suggested.name.startswith("Safekeep-Test-case-WM-2026-7-") and suggested.suffix == ".zip"
    put_focus(qtbot, dialog.path_edit)
    target = tmp_path / "upload.zip"
    clear_and_type(str(target))
    assert not dialog.portal_note.isVisibleTo(dialog)
    for _ in range(12):
        if focused() is dialog.portal_box:
            break
        tab()
    assert focused() is dialog.portal_box
    press(Qt.Key.Key_Space)
    assert dialog.portal_box.isChecked() and dialog.portal_note.isVisibleTo(dialog)
    assert "16 ZIP files" in dialog.portal_note.text()
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    settle(qtbot)
    result = dialog.result_info()
    assert result is not None and result.path == tmp_path / "upload" and result.parts
    assert sorted(result.path.iterdir()) == list(result.parts)
    assert not target.exists()
    assert "portal pack" in dialog.status.text()
    report = verify_bundle(result.path)
    assert report.ok and report.parts == len(result.parts), report.problems
    dialog.show_folder_button.click()
    assert opened == [QUrl.fromLocalFile(str(result.path))]
    # The same folder again: never replaced, and no "Replace it" offered.
    put_focus(qtbot, dialog.start_button)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "already there" in dialog.status.text(), timeout=10000)
    assert not dialog.replace_button.isVisibleTo(dialog)
    settle(qtbot)


def _dialog_named(qtbot: QtBot, controller: CaseController, target: Path) -> ExportDialog:
    """The dialog on screen, over a case big enough for its export to take a moment, with
    `target` typed into "Save as" (the keyboard left there)."""
    for n in range(40):
        run_in_case(qtbot, controller,
                    lambda case, n=n: add_identifier(case, "email", f"x{n}@example.com"))
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    put_focus(qtbot, dialog.path_edit)
    clear_and_type(str(target))
    return dialog


def test_a_second_press_of_space_does_not_cancel_the_export_it_started(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Space on "Prepare bundle" starts it and greys it; Qt then gave the keyboard to Cancel,
    the only button left, so a second Space (a key pressed twice, a hand resting on it)
    stopped the bundle just begun. The keyboard now waits on the progress bar."""
    target = tmp_path / "twice.zip"
    dialog = _dialog_named(qtbot, controller, target)
    put_focus(qtbot, dialog.start_button)
    press(Qt.Key.Key_Space)
    assert dialog.is_running()
    assert focused() is not dialog.cancel_button
    press(Qt.Key.Key_Space)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=30000)
    settle(qtbot)
    assert dialog.result_info() is not None, dialog.status.text()
    assert target.is_file() and verify_bundle(target).ok
    assert focused() is dialog.show_folder_button


def test_after_a_cancel_the_keyboard_is_on_prepare_bundle(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    dialog = _dialog_named(qtbot, controller, tmp_path / "stopped.zip")
    press(Qt.Key.Key_Return)
    assert dialog.is_running()
    put_focus(qtbot, dialog.cancel_button)  # the person chooses Cancel on purpose
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=30000)
    settle(qtbot)
    assert "No bundle was saved" in dialog.status.text()
    assert dialog.isVisible() and focused() is dialog.start_button  # Enter tries again


def test_the_dialog_says_what_was_found_and_not_checked(qtbot: QtBot, controller: CaseController,
                                                        tmp_path: Path) -> None:
    # The report lists them apart, as not checked: the person hears of it before handing it
    # over, and may check them first (one is their own e-mail, from a message they sent).
    from app.core.intake import import_paths
    from app.core.reading import find_in_chats
    from tests.test_chat_details import WHATSAPP

    none_yet = ExportDialog(controller)
    qtbot.addWidget(none_yet)
    settle(qtbot)
    assert not none_yet.unchecked_note.isVisibleTo(none_yet)

    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    run_in_case(qtbot, controller, lambda case: (import_paths(case, [chat]), find_in_chats(case)))
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.unchecked_note.isVisibleTo(dialog))
    # Six people's details (the amount is not one): two phones, two e-mails, an MTCN, a name.
    assert dialog.unchecked_note.text().startswith(
        "Safekeep found 6 details in your evidence that you have not checked yet")
    assert dialog.unchecked_note.height() >= dialog.unchecked_note.heightForWidth(
        dialog.unchecked_note.width())  # the dialog grew for it: nothing cut off
    # ...and no more: it opened 32 pixels taller than its contents, with gaps between them
    # (sized by its wrapped text at that text's own preferred width, not at the dialog's).
    settle(qtbot)
    layout = dialog.layout()
    assert layout is not None
    assert dialog.height() <= layout.totalHeightForWidth(dialog.width()) + 2


def test_a_chat_export_just_added_is_looked_through_before_the_bundle(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    # The window's reader looks through a chat export's messages in the background; a bundle
    # made before it got there left out the offender's details those messages hold.
    from app.core.intake import import_paths
    from app.core.reading import pending_exports
    from app.ui.kit.controller import DataArea
    from tests.test_chat_details import WHATSAPP

    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    run_in_case(qtbot, controller, lambda case: import_paths(case, [chat]))
    assert run_in_case(qtbot, controller, pending_exports)  # not looked through yet
    changed: list[DataArea] = []
    controller.data_changed.connect(changed.append)
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    put_focus(qtbot, dialog.path_edit)
    target = tmp_path / "bundle.zip"
    clear_and_type(str(target))
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    settle(qtbot)
    with zipfile.ZipFile(target) as zf:
        (unchecked,) = [n for n in zf.namelist() if n.endswith("/csv/unchecked.csv")]
        listed = zf.read(unchecked).decode("utf-8-sig")
    assert "scam.collector99@gmail.com" in listed and "8305216473" in listed
    assert DataArea.SUGGESTIONS in changed  # the evidence's details show them too
    assert run_in_case(qtbot, controller, pending_exports) == []


def test_one_detail_not_checked_is_offered_as_it(qtbot: QtBot, controller: CaseController,
                                                 tmp_path: Path) -> None:
    from app.core.intake import import_paths
    from app.core.reading import find_in_chats

    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text("13/03/2024, 21:14 - Kim: call me on 07911 123456\n", encoding="utf-8")
    run_in_case(qtbot, controller, lambda case: (import_paths(case, [chat]), find_in_chats(case)))
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.check_first_button.isVisibleTo(dialog), timeout=5000)
    assert dialog.unchecked_note.text().startswith("Safekeep found 1 detail in your evidence")
    assert dialog.check_first_button.text() == "Check it first"
    asked: list[bool] = []
    dialog.check_first_requested.connect(lambda: asked.append(True))
    put_focus(qtbot, dialog.check_first_button)
    press(Qt.Key.Key_Space)
    assert asked == [True]
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)


def test_a_drive_without_room_is_said_at_once_and_another_place_works(
        qtbot: QtBot, controller: CaseController, tiny_disk: Path, tmp_path: Path) -> None:
    """A 2 MB video and a 1 MiB drive: refused before anything is written, in a sentence that
    names both sizes, with the cursor back in "Save as"; another place typed there works."""
    video = os.urandom(2 << 20)
    run_in_case(qtbot, controller, lambda case: add_evidence_direct(
        case, video, "call.mp4", kind="video", detected_type="video/mp4", thumbnail=False))
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    put_focus(qtbot, dialog.path_edit)
    clear_and_type(str(tiny_disk / "bundle.zip"))
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "needs at least" in dialog.status.text(), timeout=30000)
    assert "2.1 MB" in dialog.status.text() and "1.0 MB free" in dialog.status.text()
    assert list(tiny_disk.iterdir()) == []
    settle(qtbot)
    assert focused() is dialog.path_edit
    clear_and_type(str(tmp_path / "bundle.zip"))
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    assert verify_bundle(tmp_path / "bundle.zip").ok
    settle(qtbot)


def test_a_locked_zip_is_not_said_to_be_open(qtbot: QtBot, controller: CaseController,
                                            tmp_path: Path) -> None:
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "locked.zip"))
    dialog.protect_box.setChecked(True)
    dialog.passphrase.setText("long enough passphrase here")
    dialog.passphrase_again.setText("long enough passphrase here")
    assert dialog.start() is not None
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    settle(qtbot)
    assert "ready" in dialog.status.text() and "not locked" not in dialog.status.text()
    assert "For the officer: two codes (fingerprints)" in dialog.hashes.explain.text()
    # How the officer opens it is said here: inside the locked ZIP (README.txt) it could not
    # be read until it was open, and Windows' own ZIP tool cannot open it.
    assert ("Tell the officer it opens with 7-Zip (free) or WinZip: the ZIP tool built into "
            "Windows cannot open a ZIP locked with a passphrase.") in dialog.status.text()
