"""The checklist notices what is already in the case: a saved Skype ID or crime reference is
offered as done ("Tick it" / "Not yet"), pressed with the keyboard, and what reaches the case
file is checked; a collected payment leaves nothing to cancel. Nothing is ever ticked silently."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.guidance.checklist import ChecklistEntry, checklist_state, mark_item
from app.core.records.identifiers import add_identifier
from app.core.records.payments import add_payment, edit_payment
from app.core.records.summary import edit_case
from app.models.casefile import CaseFile
from app.ui.checklist.panel import ChecklistPanel
from app.ui.kit.controller import CaseController
from tests.conftest import PASSPHRASE
from tests.ui.views_support import controller_fixture, open_controller, run_in_case, settle  # noqa: F401


def _panel(qtbot: QtBot, controller: CaseController) -> ChecklistPanel:
    panel = ChecklistPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    panel.show()
    qtbot.waitExposed(panel)
    panel.reload()
    qtbot.waitUntil(lambda: panel.state() is not None, timeout=5000)
    panel.activateWindow()  # keys and focus go to the active window, as on a desktop
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel, timeout=2000)
    return panel


def _change(qtbot: QtBot, controller: CaseController, area: str,
            fn: Callable[[CaseFile], object]) -> None:
    """Change the case as the views do: in the worker, announcing the area changed."""
    case = controller.case
    assert case is not None
    done: list[object] = []
    controller.run(lambda ctx: fn(case), changes=area, on_result=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    settle(qtbot)


def _stored(qtbot: QtBot, controller: CaseController, item_id: str) -> ChecklistEntry:
    """What the case file holds for a step, read back through app.core."""
    state = run_in_case(qtbot, controller, checklist_state)
    return next(e for e in state.entries if e.item.id == item_id)  # type: ignore[attr-defined]


def _tab_to(qtbot: QtBot, start: QWidget, target: QWidget, limit: int = 6) -> None:
    start.setFocus()
    qtbot.waitUntil(start.hasFocus, timeout=2000)
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is target, QApplication.focusWidget()


def test_a_saved_skype_id_is_offered_and_ticked_with_the_keyboard(
    qtbot: QtBot, controller: CaseController
) -> None:
    panel = _panel(qtbot, controller)
    assert not panel.items["find-skype-id"].offer_shown()
    _change(qtbot, controller, "identifiers",
            lambda case: add_identifier(case, "skype-id", "live:.cid.77aa88bb"))
    qtbot.waitUntil(lambda: panel.items["find-skype-id"].offer_shown(), timeout=5000)
    step = panel.items["find-skype-id"]
    assert step.offer_label.text() == "You saved a Skype ID: live:.cid.77aa88bb. Tick this step?"
    # Offered, never ticked silently: neither on screen nor in the file.
    assert not step.check.isChecked()
    assert not _stored(qtbot, controller, "find-skype-id").done

    assert step.tick_it_button is not None
    _tab_to(qtbot, step.check, step.tick_it_button)  # a keyboard user reaches it with Tab
    QTest.keyClick(step.tick_it_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.items["find-skype-id"] is not step, timeout=5000)
    settle(qtbot)
    stored = _stored(qtbot, controller, "find-skype-id")
    assert stored.done and stored.done_at is not None
    step = panel.items["find-skype-id"]
    assert step.check.isChecked() and not step.offer_shown()
    assert step.check.hasFocus()  # the keyboard user stays on the step they ticked


def test_return_ticks_the_police_step_with_the_crime_reference(
    qtbot: QtBot, controller: CaseController
) -> None:
    panel = _panel(qtbot, controller)
    _change(qtbot, controller, "case",
            lambda case: edit_case(case, crime_reference="LC-20250314-0042"))
    qtbot.waitUntil(lambda: panel.items["report-to-police"].offer_shown(), timeout=5000)
    step = panel.items["report-to-police"]
    assert "crime reference LC-20250314-0042" in step.offer_label.text()
    assert step.tick_it_button is not None
    step.tick_it_button.setFocus()
    qtbot.waitUntil(step.tick_it_button.hasFocus, timeout=2000)
    QTest.keyClick(step.tick_it_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.items["report-to-police"].check.isChecked(), timeout=5000)
    settle(qtbot)
    stored = _stored(qtbot, controller, "report-to-police")
    assert stored.done and stored.reference == "LC-20250314-0042"


def test_not_yet_hides_the_offer_until_the_case_is_locked(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "offers.skcase"
    controller = open_controller(qtbot, path)
    panel = _panel(qtbot, controller)
    _change(qtbot, controller, "identifiers",
            lambda case: add_identifier(case, "skype-id", "live:not_yet_person"))
    qtbot.waitUntil(lambda: panel.items["find-skype-id"].offer_shown(), timeout=5000)
    step = panel.items["find-skype-id"]
    assert step.not_yet_button is not None
    step.not_yet_button.setFocus()
    qtbot.waitUntil(step.not_yet_button.hasFocus, timeout=2000)
    QTest.keyClick(step.not_yet_button, Qt.Key.Key_Space)
    assert not step.offer_shown() and step.check.hasFocus() and not step.check.isChecked()
    # Another change rebuilds the list: the offer stays hidden, and nothing was ticked.
    _change(qtbot, controller, "identifiers",
            lambda case: add_identifier(case, "email", "them@example.org"))
    qtbot.waitUntil(lambda: panel.items["note-their-accounts"].offer_shown(), timeout=5000)
    assert not panel.items["find-skype-id"].offer_shown()
    assert not _stored(qtbot, controller, "find-skype-id").done

    # "Not yet" is not "never": after locking and unlocking, the offer is made again.
    controller.lock()
    assert panel.items == {}
    opened: list[bool] = []
    controller.unlock(path, PASSPHRASE, on_done=lambda: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    qtbot.waitUntil(lambda: "find-skype-id" in panel.items
                    and panel.items["find-skype-id"].offer_shown(), timeout=5000)
    settle(qtbot)
    controller.lock()


def test_the_only_payment_collected_leaves_nothing_to_cancel(
    qtbot: QtBot, controller: CaseController
) -> None:
    panel = _panel(qtbot, controller)
    ids: list[int] = []
    _change(qtbot, controller, "payments", lambda case: ids.append(
        add_payment(case, amount="250", method="western-union", reference="1234567890")))
    # Every step built (the panel builds a few per turn when its steps change).
    qtbot.waitUntil(lambda: "cancel-payment" in panel.items and panel.state() is not None,
                    timeout=5000)
    cancel = panel.items["cancel-payment"]
    assert cancel.not_needed_label is None
    state = panel.state()
    assert state is not None
    total = state.progress.total

    _change(qtbot, controller, "payments",
            lambda case: edit_payment(case, ids[0], status="collected"))
    qtbot.waitUntil(lambda: panel.items["cancel-payment"].not_needed_label is not None,
                    timeout=5000)
    cancel = panel.items["cancel-payment"]
    assert cancel.not_needed_label is not None
    assert cancel.not_needed_label.text() == (
        "Not needed: the payment was collected, so it cannot be cancelled.")
    assert cancel.not_needed_label.isVisible() and not cancel.offer_shown()
    assert cancel.objectName() == "step" and not cancel.is_expanded()
    assert panel.progress_label.text() == f"0 of {total - 1} done"
    # Checking whether it was collected is now offered (the status says so).
    assert panel.items["check-payment-collected"].offer_shown()

    # Not collected after all: the step asks again.
    _change(qtbot, controller, "payments",
            lambda case: edit_payment(case, ids[0], status="not-collected"))
    qtbot.waitUntil(lambda: panel.items["cancel-payment"].not_needed_label is None, timeout=5000)
    assert panel.progress_label.text() == f"0 of {total} done"


def test_nothing_changes_means_the_list_is_not_rebuilt(
    qtbot: QtBot, controller: CaseController
) -> None:
    """Editing a timeline or an identifier's note must not throw the person's place away."""
    panel = _panel(qtbot, controller)
    before = dict(panel.items)
    controller.data_changed.emit("identifiers")
    settle(qtbot)
    assert panel.items == before
    # A change to one step rebuilds that step only (the others keep their place and state).
    _change(qtbot, controller, "checklist", lambda case: mark_item(case, "report-to-isp"))
    changed = [item_id for item_id, widget in panel.items.items() if before[item_id] is not widget]
    assert changed == ["report-to-isp"]
    assert panel.items["report-to-isp"].check.isChecked()
    assert list(panel.items) == list(before)
    layout = panel._list_layout
    assert [layout.itemAt(i).widget() for i in range(len(before))] == list(panel.items.values())


def test_ticking_with_space_keeps_the_window_active_and_the_focus(
    qtbot: QtBot, controller: CaseController
) -> None:
    """Rebuilding the list once showed the "Next step" label as a window of its own for a
    moment: the app's window lost activation and the keyboard user lost their place."""
    panel = _panel(qtbot, controller)
    step = panel.items["stop-contact"]
    step.check.setFocus()
    qtbot.waitUntil(step.check.hasFocus, timeout=2000)
    QTest.keyClick(step.check, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.items["stop-contact"] is not step, timeout=5000)
    settle(qtbot)
    assert QApplication.activeWindow() is panel
    assert panel.items["stop-contact"].check.hasFocus()
    assert _stored(qtbot, controller, "stop-contact").done
