"""Fixtures for the shell tests: a whole app session with settings in a temp folder and a
fake clock, and helpers to find case data in widgets and file handles."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController
from app.ui.kit.worker import running_tasks, wait_for_all
from app.ui.shell.session import SafekeepSession
from app.ui.shell.settings import AppSettings, locate_settings, redirect_qt_settings
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.ui.keys import press_enter, type_text


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def settle(qtbot: QtBot, timeout: int = 15000) -> None:
    qtbot.waitUntil(lambda: not running_tasks(), timeout=timeout)
    assert wait_for_all(timeout)
    QApplication.processEvents()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> Iterator[SafekeepSession]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    location = locate_settings(override_dir=tmp_path / "settings")
    redirect_qt_settings(location)
    controller = CaseController(actor="tester", kdf_profile=TEST_KDF_PROFILE)
    session = SafekeepSession(app, AppSettings(location), controller=controller, clock=clock,
                              quit_on_quick_exit=False, watch_platform=False)
    # Not the real Documents folder: the welcome window offers the case files it holds.
    session.cases_folder = tmp_path / "documents"
    session.cases_folder.mkdir()
    yield session
    settle(qtbot)
    session.dispose()
    settle(qtbot)


def unlock_with(qtbot: QtBot, session: SafekeepSession, passphrase: str = PASSPHRASE) -> None:
    from app.ui.shell.unlock_dialog import UnlockDialog

    dialog = session.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    # As a person does: type it, press Enter.
    dialog.passphrase_edit.clear()
    type_text(dialog.passphrase_edit, passphrase)
    press_enter(dialog.passphrase_edit)
    qtbot.waitUntil(lambda: session.controller.is_open(), timeout=15000)
    settle(qtbot)


def open_case_in_shell(qtbot: QtBot, session: SafekeepSession, path: Path) -> None:
    session.start(str(path))
    unlock_with(qtbot, session)
    assert session.main_window is not None
    qtbot.waitUntil(lambda: session.main_window is not None and session.main_window.isVisible())


def closed_case(make_case: Callable[..., CaseFile], **kwargs: object) -> Path:
    case = make_case(**kwargs)
    path = case.path
    case.close()
    return path


def visible_texts(widget: QWidget) -> list[str]:
    """Every text a widget shows or announces: text, tooltip, title, accessible name."""
    texts = [widget.toolTip(), widget.windowTitle(), widget.accessibleName(),
             widget.accessibleDescription(), widget.statusTip(), widget.whatsThis()]
    if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
        texts.append(widget.text())
    if isinstance(widget, QTextEdit | QPlainTextEdit):
        texts.append(widget.toPlainText())
    if isinstance(widget, QComboBox):
        texts.extend(widget.itemText(i) for i in range(widget.count()))
    return texts


def widgets_showing(marker: str) -> list[str]:
    """Names of widgets anywhere in the app whose text or item data shows `marker`."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView

    found: list[str] = []
    for top in QApplication.topLevelWidgets():
        for widget in [top, *top.findChildren(QWidget)]:
            if any(marker in text for text in visible_texts(widget)):
                found.append(f"{type(widget).__name__}:{widget.objectName()}")
            if isinstance(widget, QAbstractItemView) and widget.model() is not None:
                model = widget.model()
                for row in range(model.rowCount()):
                    for col in range(model.columnCount()):
                        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                     Qt.ItemDataRole.EditRole):
                            value = model.data(model.index(row, col), role)
                            if isinstance(value, str) and marker in value:
                                found.append(f"{type(widget).__name__} model row {row}")
    return found


def open_handles_on(path: Path) -> list[str]:
    """Links in /proc/self/fd that point at the case file or its -wal/-shm/-journal files."""
    names = {str(path.resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    fd_dir = Path("/proc/self/fd")
    found = []
    for fd in fd_dir.iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target in names or target.removesuffix(" (deleted)") in names:
            found.append(target)
    return found


def open_main_window(qtbot: QtBot, shell: SafekeepSession, path: Path) -> QWidget:
    """The session's main window on the case at `path`, unlocked by typing its passphrase,
    shown and active, its views loaded."""
    from tests.ui.keys import show_active

    shell.start(str(path))
    unlock_with(qtbot, shell)
    window = shell.main_window
    assert window is not None
    show_active(qtbot, window)
    settle(qtbot)
    return window


def click_as_a_person(button: QAbstractButton) -> None:
    """A click through the window system (the QWindow, not the widget), where Qt applies
    modality, as it does for a person's click."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window = button.window()
    handle = window.windowHandle()
    assert handle is not None
    where = button.mapTo(window, button.rect().center())
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def nothing_shown() -> bool:
    """No window of the app is on screen (after a Quick exit)."""
    return not any(w.isVisible() for w in QApplication.topLevelWidgets())
