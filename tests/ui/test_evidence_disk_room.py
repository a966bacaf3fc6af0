"""A file too large for the disk that holds the case, dropped with others: the others are
added, and the window says why that one was not, with the sizes, in words a person can act on.
A real small disk (tmpfs: root only, skipped elsewhere)."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.ui.kit.controller import CaseController
from tests.ui.test_audit_evidence import _add, _view
from tests.ui.views_support import open_controller, png_file, settle


@pytest.fixture
def controller_on_a_small_disk(qtbot: QtBot,
                               small_disk: Callable[[int], Path]) -> Iterator[CaseController]:
    ctl = open_controller(qtbot, small_disk(3 << 20) / "case.skcase")
    yield ctl
    settle(qtbot)
    ctl.lock()


def test_a_video_too_large_for_the_disk_is_said_and_the_rest_added(
        qtbot: QtBot, controller_on_a_small_disk: CaseController, tmp_path: Path) -> None:
    view = _view(qtbot, controller_on_a_small_disk)
    video = tmp_path / "call recording.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(6 << 20))
    picture = png_file(tmp_path / "threat.png")
    _add(qtbot, view, video, picture)
    said = view.result_label.text()
    assert said.startswith("1 added, 1 could not be added: call recording.mp4 (This file is "
                           "6.3 MB and needs at least 12.8 MB free on the disk that holds the "
                           "case while it is stored; that disk has 2."), said
    assert said.endswith("Free some space, or keep the case on a disk with more room, then "
                         "add it again).")
    assert view.grid.model().rowCount() == 1


def test_a_folder_the_disk_cannot_hold_stops_before_it_fills_the_disk(
        qtbot: QtBot, controller_on_a_small_disk: CaseController, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.core.intake.group.GROUP_MAX_ITEMS", 40)  # groups, on any machine
    view = _view(qtbot, controller_on_a_small_disk)
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(400):  # 6.6 MB onto a 3 MiB disk
        (folder / f"{i:03d}.bin").write_bytes(os.urandom(16 * 1024))
    _add(qtbot, view, folder)
    said = view.result_label.text()
    shown = view.grid.model().rowCount()
    assert 0 < shown < 400
    assert said == (f"{shown} added. The disk that holds the case is nearly full, so the "
                    f"files from {shown:03d}.bin on were not added: they would fill it. "
                    "Everything added before is safe. Free some space, then add the rest "
                    "again."), said
