"""The app's shared words are members, not strings, and each one is acted on.

Checklist actions (the advice pack's `action`), the areas `data_changed` names and the lock
reasons each have one `StrEnum`. These tests press every checklist action's button in the
main window, emit every data area to a whole window, and send every lock reason the way the
platform or the person would, and check each has an effect.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from app.core.guidance.checklist import shipped_pack
from app.core.guidance.schema import ChecklistAction
from app.core.records.payments import add_payment
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.worker import running_tasks
from app.ui.shell.autolock import LockReason, SessionLockWatcher
from app.ui.shell.export_dialog import ExportDialog
from app.ui.shell.help_dialog import HelpDialog
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import click_tab, put_focus
from tests.ui.shell_support import clock, open_case_in_shell, settle, shell, unlock_with

__all__ = ["clock", "shell"]

APP = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture
def window(qtbot: QtBot, shell: SafekeepSession,
           make_case: Callable[..., CaseFile]) -> Iterator[MainWindow]:
    """An adult's case with a payment: every action of the shipped pack has a step shown."""
    case = make_case(display_name="Vocabulary case")
    add_payment(case, amount="250", currency="GBP", method="western-union")
    path = case.path
    case.close()
    open_case_in_shell(qtbot, shell, path)
    main = shell.main_window
    assert isinstance(main, MainWindow)
    qtbot.waitUntil(lambda: main.checklist.state() is not None, timeout=10_000)  # all built
    settle(qtbot)
    yield main
    QGuiApplication.clipboard().clear()


def _visible_top_level(kind: type[QWidget]) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def _press(qtbot: QtBot, window: MainWindow, action: ChecklistAction) -> None:
    """Open the step that offers `action` and press its button with the keyboard."""
    item = next(w for w in window.checklist.items.values() if w.entry.item.action is action)
    if not item.is_expanded():
        item.expand_button.click()
    button = item.action_button
    assert button is not None and button.isVisible(), action
    put_focus(qtbot, button)
    QTest.keyClick(button, Qt.Key.Key_Space)


def test_every_checklist_action_in_the_pack_does_something(
    qtbot: QtBot, window: MainWindow
) -> None:
    clipboard = QGuiApplication.clipboard()

    def page_is(page: QWidget) -> Callable[[], bool]:
        return lambda: window.tabs.currentWidget() is page

    def dialog_shown(kind: type[QWidget]) -> Callable[[], bool]:
        return lambda: bool(_visible_top_level(kind) or [
            w for w in window.findChildren(kind) if w.isVisible()])

    def copied(words: str) -> Callable[[], bool]:
        return lambda: words in clipboard.text()

    # What a person sees happen after pressing each button.
    effects: dict[ChecklistAction, Callable[[], bool]] = {
        ChecklistAction.CAPTURE_SCREENSHOT: lambda: window.evidence.capture.is_running(),
        ChecklistAction.ADD_EVIDENCE: lambda: (page_is(window.evidence)()
                                               and dialog_shown(QFileDialog)()),
        ChecklistAction.ADD_IDENTIFIER: page_is(window.identifiers),
        ChecklistAction.ADD_PAYMENT: page_is(window.payments),
        ChecklistAction.EXPORT_BUNDLE: dialog_shown(ExportDialog),
        ChecklistAction.SHOW_HELP: dialog_shown(HelpDialog),
        ChecklistAction.COPY_POLICE_SUMMARY: copied("summary for police"),
        ChecklistAction.COPY_PLATFORM_REPORT: copied("sextortion"),
        ChecklistAction.COPY_BANK_SCRIPT: copied("250"),
    }
    assert set(effects) == set(ChecklistAction), "a new action needs an effect to check"
    in_pack = {item.action for item in shipped_pack().items if item.action is not None}
    assert in_pack == set(ChecklistAction), "every action is used by the shipped pack"

    for action in sorted(in_pack):
        window.show_view("search")  # somewhere no action leads, so a change of page shows
        clipboard.setText("nothing copied yet")
        _press(qtbot, window, action)
        qtbot.waitUntil(effects[action], timeout=10_000)
        # Put things back for the next button.
        window.evidence.capture.cancel()
        for kind in (QFileDialog, ExportDialog, HelpDialog):
            for dialog in {*_visible_top_level(kind), *window.findChildren(kind)}:
                dialog.close()
        qtbot.waitUntil(window.isVisible, timeout=5000)
        settle(qtbot)


def test_every_data_area_is_heard_and_carried_as_a_member(
    qtbot: QtBot, window: MainWindow
) -> None:
    controller = window.controller
    heard: list[object] = []
    controller.data_changed.connect(heard.append)
    done: list[object] = []
    controller.run(lambda ctx: None, changes=DataArea.EVIDENCE, on_result=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert heard and heard[0] is DataArea.EVIDENCE, "the signal carries the member itself"
    settle(qtbot)

    tabs = window.tabs
    for area in DataArea:
        for index in [*range(tabs.count()), 0]:  # no tab owes a load from an earlier change
            click_tab(qtbot, tabs, tabs.widget(index))
            settle(qtbot)
        before = len(running_tasks())
        controller.data_changed.emit(area)
        # Some view starts reloading what shows this area: there and then if it is on screen,
        # or the moment its tab is chosen (a tab behind another loads when it shows). A
        # result is only delivered by the event loop, so a load started counts until then.
        heard = len(running_tasks()) > before
        for index in range(1, tabs.count()):
            if heard:
                break
            click_tab(qtbot, tabs, tabs.widget(index))
            heard = len(running_tasks()) > before
        assert heard, f"nothing listens for {area!r}"


def test_every_data_area_is_emitted_somewhere() -> None:
    """A view listening for an area nobody announces would never reload."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in APP.rglob("*.py"))
    # A record tab announces its area through `saves_to` (RecordTab passes it as `changes=`).
    announced = set(re.findall(
        r"(?:changes=|data_changed\.emit\(|saves_to = )DataArea\.([A-Z_]+)", source))
    assert announced == {area.name for area in DataArea}


def test_no_module_spells_a_data_area_or_a_lock_reason_as_a_string() -> None:
    """Areas and reasons are spelled once, in their enums; views use the members."""
    spelled: list[str] = []
    calls = re.compile(r"(?:changes=|data_changed\.emit\(|lock_requested\.emit\(|\.lock\()"
                       r"\s*[\"']")
    for path in (APP / "ui").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if calls.search(line):
                spelled.append(f"{path.relative_to(APP)}:{number}: {line.strip()}")
    assert spelled == []


def test_every_lock_reason_is_sent_as_a_member_and_locks(
    qtbot: QtBot, shell: SafekeepSession, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[object] = []
    window.lock_requested.connect(sent.append)
    watcher = SessionLockWatcher()
    watcher.lock_requested.connect(sent.append)
    watcher._on_prepare_for_sleep(True)
    watcher._on_session_lock()
    watcher._on_screensaver_active(True)
    window.lock_action.trigger()
    assert sent == [LockReason.SLEEP, LockReason.SESSION_LOCK, LockReason.SCREENSAVER,
                    LockReason.BUTTON]
    assert all(isinstance(reason, LockReason) for reason in sent)
    assert not shell.controller.is_open(), "the Lock button locked"

    # Idle time locks too, and says why in the log.
    unlocked: list[bool] = []
    shell.controller.case_opened.connect(lambda: unlocked.append(True))
    unlock_with(qtbot, shell)
    assert unlocked
    with caplog.at_level("INFO", logger="app.ui.shell.session"):
        shell.idle.inactivity_detected.emit()
    assert not shell.controller.is_open()
    assert "Locking (idle)" in caplog.text


def test_signals_carry_the_member_itself(qtbot: QtBot) -> None:
    """Signal(str) would hand slots a plain str; the members must arrive as themselves."""
    controller = CaseController(actor="tester")
    heard: list[object] = []
    controller.data_changed.connect(heard.append)
    controller.data_changed.emit(DataArea.BUNDLE)
    assert heard == [DataArea.BUNDLE] and heard[0] is DataArea.BUNDLE
