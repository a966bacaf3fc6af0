"""Helpers for the view tests: a controller with a real case open, and waiting for work.

Not a conftest: other UI tests have their own fixtures; these tests import what they use.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.kit.controller import CaseController
from app.ui.kit.worker import running_tasks, wait_for_all
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE


def settle(qtbot: QtBot, timeout: int = 15000) -> None:
    """Wait until every background task has finished AND delivered its outcome."""
    qtbot.waitUntil(lambda: not running_tasks(), timeout=timeout)
    assert wait_for_all(timeout)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not running_tasks(), timeout=timeout)


def open_controller(qtbot: QtBot, path: Path, *, under_18: bool = False) -> CaseController:
    controller = CaseController(actor="tester", kdf_profile=TEST_KDF_PROFILE)
    opened: list[bool] = []
    controller.create_case(path, PASSPHRASE, "Test case", under_18,
                           on_done=lambda: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    return controller


@pytest.fixture(name="controller")
def controller_fixture(qtbot: QtBot, tmp_path: Path) -> Iterator[CaseController]:
    ctl = open_controller(qtbot, tmp_path / "views.skcase")
    yield ctl
    settle(qtbot)
    ctl.lock()
    assert QThreadPool.globalInstance().activeThreadCount() == 0


def run_in_case(qtbot: QtBot, controller: CaseController, fn: object) -> object:
    """Run `fn(case)` through the controller (the worker) and return its result."""
    box: list[object] = []
    errors: list[str] = []
    controller.run(lambda ctx: fn(controller.case),  # type: ignore[operator]
                   on_result=box.append, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(box or errors), timeout=15000)
    assert not errors, errors
    return box[0]


def png_file(path: Path, colour: str = "#3070a0", size: tuple[int, int] = (64, 48)) -> Path:
    """A real PNG of one colour at `path`, for adding as evidence."""
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")  # type: ignore[call-overload]
    return path
