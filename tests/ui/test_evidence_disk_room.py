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
