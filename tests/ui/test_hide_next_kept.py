""""Hide what I add next (sensitive)" is kept through a lock of the same case: a caseworker
ticked it, was called away, the case locked itself after a minute, and once unlocked the
intimate pictures they added showed, the tick gone. Another case opens with it unticked."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.records.evidence import list_evidence
from app.models.casefile import CaseFile
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.conftest import PASSPHRASE
from tests.ui.keys import press, put_focus
from tests.ui.shell_support import (
    clock,
    closed_case,
    open_case_in_shell,
    settle,
    shell,
    unlock_with,
)
from tests.ui.test_shell_flows import _lock_with_ctrl_l
from tests.ui.views_support import png_file

__all__ = ["clock", "shell"]


def test_the_tick_is_kept_through_a_lock_and_the_picture_added_after_is_hidden(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    path = closed_case(make_case)
    other = closed_case(lambda: make_case("other"))
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    view = window.evidence
    put_focus(qtbot, view.sensitive_box)
    press(Qt.Key.Key_Space)
    assert view.sensitive_box.isChecked()
    _lock_with_ctrl_l(qtbot, shell, window)
    assert not view.sensitive_box.isChecked()  # nothing of the case shows while locked
    unlock_with(qtbot, shell)
    qtbot.waitUntil(view.sensitive_box.isChecked, timeout=5000)
    assert view.import_paths([str(png_file(tmp_path / "private.png"))]) is not None
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    _lock_with_ctrl_l(qtbot, shell, window)
    with CaseFile.open(path, PASSPHRASE, actor="t", record_open=False) as case:
        assert [(e.original_name, e.sensitive) for e in list_evidence(case)] == [
            ("private.png", True)]
    shell.start(str(other))  # another person's case: their own choice, none yet
    unlock_with(qtbot, shell)
    qtbot.waitUntil(lambda: shell.controller.is_open(), timeout=5000)
    settle(qtbot)
    assert shell.main_window is window and shell.controller.require_case().path == other
    assert not view.sensitive_box.isChecked()
