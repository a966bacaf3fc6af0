"""The window names a damaged item (issue 20, item 7): "Check the case file" in Settings reads
every item back and names the one a damaged page stops, and the export dialog says which item
it left out. Driven with real mouse clicks on a real case damaged on disk."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.ui.kit.controller import CaseController
from app.ui.shell.export_dialog import ExportDialog
from app.ui.shell.settings import AppSettings, locate_settings
from app.ui.shell.settings_dialog import SettingsDialog
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.damage_support import case_with, flip_a_byte_mid_file
from tests.ui.keys import show_active
from tests.ui.shell_support import settle


@pytest.fixture(name="damaged")
def damaged_controller(qtbot: QtBot, tmp_path: Path) -> Iterator[CaseController]:
    video = b"\x00\x00\x00\x18ftypmp42" + os.urandom(6 * 1024 * 1024)
    path = case_with(tmp_path, {"a.txt": b"pay or else " * 30, "video.mp4": video})
    flip_a_byte_mid_file(path)
    controller = CaseController(actor="tester", kdf_profile=TEST_KDF_PROFILE)
    opened: list[bool] = []
    controller.unlock(path, PASSPHRASE, on_done=lambda: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    yield controller
    settle(qtbot)
    controller.lock()
    assert QThreadPool.globalInstance().activeThreadCount() == 0


def test_check_in_settings_names_the_damaged_item(qtbot: QtBot, damaged: CaseController,
                                                  tmp_path: Path) -> None:
    settings = AppSettings(locate_settings(override_dir=tmp_path / "settings"))
    dialog = SettingsDialog(settings, damaged)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    box = dialog.check_box
    assert box.isEnabled() and not box.result.isVisible()
    QTest.mouseClick(box.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(box.result.isVisible, timeout=30000)
    settle(qtbot)
    text = box.result.text()
    assert "video.mp4" in text and "damaged" in text
    assert "If you still have the original, add it again" in text
    assert box.button.text() == "Check the case file" and not box.progress.isVisible()


def test_stopping_the_check_says_nothing_and_closing_mid_check_is_safe(
        qtbot: QtBot, damaged: CaseController, tmp_path: Path) -> None:
    settings = AppSettings(locate_settings(override_dir=tmp_path / "settings"))
    dialog = SettingsDialog(settings, damaged)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    box = dialog.check_box
    QTest.mouseClick(box.button, Qt.MouseButton.LeftButton)
    assert box.is_running() and box.button.text() == "Stop checking"
    QTest.mouseClick(box.button, Qt.MouseButton.LeftButton)
    assert not box.is_running()
    settle(qtbot)
    qtbot.wait(300)
    assert not box.result.isVisible()  # stopped on purpose: no result, no error
    QTest.mouseClick(box.button, Qt.MouseButton.LeftButton)
    dialog.reject()  # Escape or Close while it runs: the check stops with the dialog
    assert not box.is_running()


def test_the_export_dialog_names_the_item_it_left_out(qtbot: QtBot, damaged: CaseController,
                                                      tmp_path: Path) -> None:
    dialog = ExportDialog(damaged)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    dialog.path_edit.setText(str(tmp_path / "bundle.zip"))
    QTest.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=60000)
    settle(qtbot)
    text = dialog.status.text()
    assert "The bundle is ready" in text
    assert "video.mp4" in text and "damaged" in text and "X/2" in text
    assert (tmp_path / "bundle.zip").is_file()
