""""Keep a spare copy of this case", in Settings, by keyboard: Tab to "Save a copy…", Space,
a name typed into the file dialog and Enter; the copy is saved with progress, said, and opens
with the same passphrase. Space again while it is saved stops it, leaving nothing."""

import os
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.records.check import check_case
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController
from app.ui.shell.case_copy_box import CaseCopyBox
from app.ui.shell.settings_dialog import SettingsDialog
from tests.conftest import PASSPHRASE
from tests.test_export_support import add_evidence_direct
from tests.ui.keys import closed, file_dialog_shown, focused, press, tab, type_keys
from tests.ui.test_dialog_keys import _settings_as_opened
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def _copy_box_with_the_keyboard(qtbot: QtBot, controller: CaseController, tmp_path: Path,
                                video_size: int) -> tuple[SettingsDialog, CaseCopyBox]:
    """A case holding a video of `video_size` bytes; Settings open, Tab pressed until the
    keyboard is on "Save a copy…" (the dialog scrolled to it)."""
    run_in_case(qtbot, controller, lambda case: add_evidence_direct(
        case, os.urandom(video_size), "call.mp4", kind="video", detected_type="video/mp4",
        thumbnail=False))
    dialog = _settings_as_opened(qtbot, controller, tmp_path)
    for _ in range(30):
        if focused() is dialog.copy_box.button:
            break
        tab()
    assert focused() is dialog.copy_box.button
    assert dialog.copy_box.button.visibleRegion().boundingRect().height() > 0  # scrolled to
    return dialog, dialog.copy_box


def test_a_copy_saved_by_keyboard_opens_with_the_same_passphrase(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    dialog, box = _copy_box_with_the_keyboard(qtbot, controller, tmp_path, 1 << 20)
    press(Qt.Key.Key_Space)
    picker = file_dialog_shown(qtbot)
    # Suggested beside the case, named after it and the day.
    assert Path(picker.selectedFiles()[0]).name.startswith("views copy ")
    (tmp_path / "stick").mkdir()
    type_keys(str(tmp_path / "stick" / "spare"))  # no suffix typed: the dialog adds it
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(picker), timeout=5000)
    dialog.activateWindow()  # as the window system gives it back
    qtbot.waitUntil(lambda: box.result.text().startswith("Saved:"), timeout=30000)
    settle(qtbot)
    copy = tmp_path / "stick" / "spare.skcase"
    assert box.result.text().startswith("Saved: spare.skcase (1.")
    assert "It opens with the same passphrase." in box.result.text()
    assert focused() is box.button and box.button.text() == "Save a copy…"
    with CaseFile.open(copy, PASSPHRASE, actor="t", record_open=False) as spare:
        assert check_case(spare).ok


def test_space_again_stops_the_copy_and_leaves_nothing(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    _dialog, box = _copy_box_with_the_keyboard(qtbot, controller, tmp_path, 200 << 20)
    box.start(str(tmp_path / "spare.skcase"))  # as the file dialog hands it over
    assert focused() is box.button and box.button.text() == "Stop saving the copy"
    press(Qt.Key.Key_Space)
    assert box.result.text() == "Stopped. No copy was saved."
    settle(qtbot)
    qtbot.waitUntil(lambda: not [p for p in tmp_path.iterdir() if "spare" in p.name],
                    timeout=30000)
    assert box.button.text() == "Save a copy…"
    assert controller.is_open()
