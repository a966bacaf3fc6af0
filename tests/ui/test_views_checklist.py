"""The checklist panel: progress, next step, ticking with a reference that survives reopening,
case flags switching steps, actions, and copy-ready texts that leave the clipboard again."""

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.guidance import ChecklistState
from app.core.guidance.checklist import checklist_state
from app.core.guidance.schema import ChecklistAction
from app.core.records.payments import add_payment
from app.ui.checklist.item import ChecklistItemWidget
from app.ui.checklist.panel import STEPS_PER_TURN, ChecklistPanel
from app.ui.kit.controller import CaseController, DataArea
from tests.conftest import PASSPHRASE
from tests.ui.views_support import controller_fixture, open_controller, run_in_case, settle  # noqa: F401


def _panel(qtbot: QtBot, controller: CaseController, **kwargs: int) -> ChecklistPanel:
    panel = ChecklistPanel(controller, **kwargs)
    qtbot.addWidget(panel)
    panel.reload()
    qtbot.waitUntil(lambda: panel.state() is not None, timeout=5000)
    return panel


def test_progress_next_step_and_reference_survive_reopening(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "checklist.skcase"
    ctl = open_controller(qtbot, path)
    panel = _panel(qtbot, ctl)
    state = panel.state()
    assert state is not None
    total = state.progress.total
    assert panel.progress_label.text() == f"0 of {total} done"
    first = state.entries[0].item.id
    assert panel.items[first].objectName() == "nextStep" and panel.items[first].is_expanded()
    assert "Source:" in panel.items[first].source_label.text()

    step = panel.items["report-to-police"]
    assert step.reference_edit is not None
    step.check.setChecked(True)  # ticking opens the step and asks for the number, inline
    qtbot.waitUntil(lambda: panel.items["report-to-police"] is not step, timeout=5000)
    settle(qtbot)
    step = panel.items["report-to-police"]
    assert step.check.isChecked() and step.is_expanded() and "Done" in step.done_label.text()
    assert step.reference_edit is not None
    step.reference_edit.setText("CR/123/24")
    step.save_reference()
    settle(qtbot)
    assert panel.progress_label.text() == f"1 of {total} done"
    ctl.lock()
    assert panel.items == {} and panel.progress_label.text() == ""

    reopened = CaseController(actor="tester")
    done: list[bool] = []
    reopened.unlock(path, PASSPHRASE, on_done=lambda: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    entry = next(e for e in run_in_case(qtbot, reopened, checklist_state).entries  # type: ignore[attr-defined]
                 if e.item.id == "report-to-police")
    assert entry.done and entry.reference == "CR/123/24" and entry.done_at is not None
    panel2 = _panel(qtbot, reopened)
    ref = panel2.items["report-to-police"].reference_edit
    assert ref is not None and ref.text() == "CR/123/24"
    settle(qtbot)
    reopened.lock()


def test_flags_switch_steps(qtbot: QtBot, controller: CaseController) -> None:
    panel = _panel(qtbot, controller)
    assert "tell-trusted-adult" not in panel.items and "keep-media" in panel.items
    panel.under_18_box.setChecked(True)
    qtbot.waitUntil(lambda: "tell-trusted-adult" in panel.items, timeout=5000)
    assert "keep-media" not in panel.items  # under 18: never invited to keep intimate images
    panel.in_danger_box.setChecked(True)
    qtbot.waitUntil(lambda: "call-999-now" in panel.items, timeout=5000)
    # Happening now: calling 999 is the next step, open, first (it came after "Take a breath").
    assert next(iter(panel.items)) == "call-999-now"
    assert panel.items["call-999-now"].objectName() == "nextStep"
    assert "tell-bank" not in panel.items
    run_in_case(qtbot, controller, lambda case: add_payment(case, amount="20", method="card"))
    controller.data_changed.emit("payments")
    qtbot.waitUntil(lambda: "tell-bank" in panel.items, timeout=5000)
    settle(qtbot)


def test_actions_and_copy_clears_clipboard(qtbot: QtBot, controller: CaseController) -> None:
    panel = _panel(qtbot, controller, clear_after_ms=150)
    wanted: list[str] = []
    panel.action_requested.connect(wanted.append)
    button = panel.items["take-screenshots"].action_button
    assert button is not None
    button.click()
    assert wanted == [ChecklistAction.CAPTURE_SCREENSHOT]

    clipboard = QGuiApplication.clipboard()
    clipboard.setText("something of mine")
    police = panel.items["report-to-police"].action_button
    assert police is not None
    police.click()
    qtbot.waitUntil(lambda: "summary for police" in clipboard.text(), timeout=5000)
    assert wanted == [ChecklistAction.CAPTURE_SCREENSHOT]  # the panel copies by itself
    assert "Test case" in clipboard.text()
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)
    assert not panel.copier.is_pending()

    # If the person copied something else meanwhile, it is theirs: not cleared.
    panel.run_action(ChecklistAction.COPY_PLATFORM_REPORT)
    qtbot.waitUntil(lambda: "sextortion" in clipboard.text(), timeout=5000)
    clipboard.setText("their own text")
    qtbot.waitUntil(lambda: not panel.copier.is_pending(), timeout=3000)
    assert clipboard.text() == "their own text"
    settle(qtbot)


def test_steps_are_built_one_per_turn_and_a_lock_stops_the_rest(
        qtbot: QtBot, controller: CaseController) -> None:
    """Building every step at once held the window still for about 60 ms as a case opened,
    and three per turn on top of the first paint took that turn past 50 ms: one is built per
    turn of the event loop, in order, and a lock meanwhile leaves none."""
    state = run_in_case(qtbot, controller, checklist_state)
    assert isinstance(state, ChecklistState)
    panel = ChecklistPanel(controller)
    qtbot.addWidget(panel)
    panel.show()
    panel._loaded(state)  # as the worker's answer is delivered
    assert panel.items == {}, "the first waits for the next turn too"
    for _turn in range(50):  # a pass of the event loop at a time, until the first is in
        QApplication.processEvents()
        if panel.items:
            break
    assert len(panel.items) == STEPS_PER_TURN == 1 < len(state.entries)
    assert panel.state() is None, "not every step is shown yet"
    qtbot.waitUntil(lambda: panel.state() is not None, timeout=5000)
    ids = [entry.item.id for entry in state.entries]
    assert list(panel.items) == ids
    layout = panel._list_layout
    shown = [layout.itemAt(i).widget() for i in range(layout.count())]
    assert [w.item_id for w in shown if isinstance(w, ChecklistItemWidget)] == ids

    panel.clear()
    panel._loaded(state)
    qtbot.waitUntil(lambda: bool(panel.items), timeout=5000)
    controller.lock()  # every view clears itself, this panel mid-build
    assert panel.items == {}
    qtbot.wait(100)  # turns of the event loop in which the rest would have been built
    assert panel.items == {} and panel.state() is None


def test_a_click_on_a_step_s_title_opens_it_and_ticks_nothing(
        qtbot: QtBot, controller: CaseController) -> None:
    """Tried by hand: a click on "Report it to the police", to read it, marked it done at that
    minute (the title ticked its box). The row reads as a heading that opens: so it does."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    panel = _panel(qtbot, controller)
    panel.resize(420, 700)
    panel.show()
    qtbot.waitExposed(panel)
    step = panel.items["report-to-police"]
    assert not step.is_expanded() and not step.check.isChecked()
    panel.scroll_area.ensureWidgetVisible(step)  # scrolled to it, as a person does
    settle(qtbot)
    title = step.title
    handle = panel.window().windowHandle()
    assert handle is not None
    where = title.mapTo(panel.window(), QPoint(title.width() // 2, title.height() // 2))
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)
    settle(qtbot)
    step = panel.items["report-to-police"]
    assert step.is_expanded() and not step.check.isChecked()
    entry = next(e for e in run_in_case(qtbot, controller, checklist_state).entries  # type: ignore[attr-defined]
                 if e.item.id == "report-to-police")
    assert not entry.done  # nothing reached the case file
    QTest.mouseClick(title, Qt.MouseButton.LeftButton)  # and again: it closes
    assert not step.is_expanded() and not step.check.isChecked()


def test_a_number_typed_then_the_box_ticked_is_kept(qtbot: QtBot,
                                                    controller: CaseController) -> None:
    """A person types the crime reference beside the step and then ticks its box (no Save):
    the tick rebuilt the step and the number typed was gone."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from tests.ui.keys import put_focus, type_keys

    panel = _panel(qtbot, controller)
    panel.show()
    qtbot.waitExposed(panel)
    step = panel.items["report-to-police"]
    step.set_expanded(True)
    assert step.reference_edit is not None
    put_focus(qtbot, step.reference_edit)
    type_keys("CR/99/24")
    QTest.mouseClick(step.check, Qt.MouseButton.LeftButton, pos=QPoint(8, step.check.height() // 2))
    qtbot.waitUntil(lambda: panel.items["report-to-police"] is not step, timeout=5000)
    settle(qtbot)
    entry = next(e for e in run_in_case(qtbot, controller, checklist_state).entries  # type: ignore[attr-defined]
                 if e.item.id == "report-to-police")
    assert entry.done and entry.reference == "CR/99/24"
    shown = panel.items["report-to-police"].reference_edit
    assert shown is not None and shown.text() == "CR/99/24"


def test_a_step_rebuilt_while_its_number_is_typed_keeps_the_typing(
        qtbot: QtBot, controller: CaseController) -> None:
    """Unticking (or any change to the step) rebuilds it; what is typed in it and the cursor
    stay."""
    from app.core.guidance.checklist import mark_item
    from tests.ui.keys import focused, put_focus, type_keys

    run_in_case(qtbot, controller, lambda case: mark_item(case, "report-to-police", done=True))
    panel = _panel(qtbot, controller)
    panel.show()
    qtbot.waitExposed(panel)
    step = panel.items["report-to-police"]
    step.set_expanded(True)
    assert step.reference_edit is not None
    put_focus(qtbot, step.reference_edit)
    type_keys("CR/7")
    # The step changes meanwhile (unticked elsewhere: here, through the case file).
    controller.run(lambda ctx: mark_item(controller.case, "report-to-police", done=False),
                   changes=DataArea.CHECKLIST)
    qtbot.waitUntil(lambda: panel.items["report-to-police"] is not step, timeout=5000)
    settle(qtbot)
    type_keys("7/24")
    rebuilt = panel.items["report-to-police"]
    assert rebuilt.reference_edit is not None and rebuilt.reference_edit.text() == "CR/77/24"
    assert focused() is rebuilt.reference_edit


def test_saved_the_number_is_said_once_it_is_saved(qtbot: QtBot,
                                                   controller: CaseController) -> None:
    """"Saved the number." showed as Enter was pressed, before the save had run: had it failed,
    the panel would still have said saved."""
    from PySide6.QtCore import Qt

    from tests.ui.keys import press, put_focus, type_keys

    panel = _panel(qtbot, controller)
    panel.show()
    qtbot.waitExposed(panel)
    step = panel.items["report-to-police"]
    step.set_expanded(True)
    assert step.reference_edit is not None
    put_focus(qtbot, step.reference_edit)
    type_keys("CR/5/24")
    press(Qt.Key.Key_Return)
    assert panel.message.text() != "Saved the number."  # not yet: the save runs in the worker
    settle(qtbot)
    qtbot.waitUntil(lambda: panel.message.text() == "Saved the number.", timeout=5000)
    entry = next(e for e in run_in_case(qtbot, controller, checklist_state).entries  # type: ignore[attr-defined]
                 if e.item.id == "report-to-police")
    assert entry.done and entry.reference == "CR/5/24"


def test_a_crime_reference_typed_in_the_main_windows_checklist_shows_whole(
        qtbot: QtBot, controller: CaseController) -> None:
    """Beside the tabs at 1366x768 the checklist is narrow: with its label on the same line,
    the box showed "07-004512" of "CRI-20261207-004512", and its hint as "If you h…"."""
    from app.ui.shell.main_window import MainWindow
    from tests.ui.keys import put_focus, show_active, type_keys

    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    show_active(qtbot, window)
    settle(qtbot)
    panel = window.checklist
    panel.reload()  # as when the case opens
    qtbot.waitUntil(lambda: "report-to-police" in panel.items, timeout=5000)
    assert not window.placement.in_tab  # beside the tabs, as narrow as it gets there
    step = panel.items["report-to-police"]
    step.set_expanded(True)
    settle(qtbot)
    edit = step.reference_edit
    assert edit is not None and edit.isVisible()
    put_focus(qtbot, edit)
    type_keys("CRI-20261207-004512")
    edit.setCursorPosition(0)
    room = edit.width() - 12  # the frame and text margins
    assert edit.fontMetrics().horizontalAdvance("CRI-20261207-004512") <= room
    assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room
