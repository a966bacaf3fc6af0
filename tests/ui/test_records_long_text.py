"""The record tabs keep what is stored exactly as stored, and keep what is typed until it is saved.

Text added through the command line or the core has no length limit, but Qt's line edit holds
32,767 characters: a long note opened in a cell and left, or a long description whose event
had its kind changed, was saved cut. A save that failed cleared the "Link the evidence" tick,
and a change typed into an event was lost when the case locked. Everything here is done with
keys, and checked in the case file.
"""

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.intake import import_paths
from app.core.records import list_evidence, list_payments
from app.core.records.identifiers import add_identifier, list_identifiers
from app.core.records.payments import add_payment
from app.core.records.timeline import TimelineRow, add_event, list_events
from app.models import PaymentStatus, TimelineKind
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController
from app.ui.records.identifiers_model import NOTE, PLATFORM, VALUE
from app.ui.records.identifiers_view import IdentifiersView
from app.ui.records.payments_model import RECIPIENT, REFERENCE, STATUS
from app.ui.records.payments_view import PaymentsView
from app.ui.records.timeline_view import TimelineView
from tests.conftest import PASSPHRASE
from tests.ui.keys import clear_and_type, focused, press, put_focus, tab, type_keys
from tests.ui.records_support import show_view
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401

RETURN = Qt.Key.Key_Return
#: Longer than a line edit's 32,767 characters, with a tab, a line break, a control character
#: and spaces at the ends, as a paste through the command line may hold.
LONG = " They wrote:\n\t" + "I will send it to everyone you know. " * 1200 + "\x07end. "
WHEN = datetime(2025, 3, 14, 22, 30, tzinfo=UTC)


def _events(qtbot: QtBot, controller: CaseController) -> list[TimelineRow]:
    settle(qtbot)
    return run_in_case(qtbot, controller, list_events)  # type: ignore[return-value]


def _show(qtbot: QtBot, view: TimelineView | IdentifiersView | PaymentsView) -> None:
    """Shown as it is once the case is open: it reads its rows (the case opened before it)."""
    show_view(qtbot, view)
    view.reload()
    settle(qtbot)


def _timeline(qtbot: QtBot, controller: CaseController) -> TimelineView:
    view = TimelineView(controller)
    _show(qtbot, view)
    return view


def _choose_first_row(qtbot: QtBot, view: TimelineView | IdentifiersView | PaymentsView,
                      column: int) -> None:
    """Into the table by keys, onto the first row, then along to `column`."""
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    put_focus(qtbot, view.table)
    press(Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    while view.table.currentIndex().column() > column:
        press(Qt.Key.Key_Left)
    while view.table.currentIndex().column() < column:
        press(Qt.Key.Key_Right)
    assert view.table.currentIndex().row() == 0
    assert view.table.currentIndex().column() == column


def _open_and_leave_cell(qtbot: QtBot, view: IdentifiersView | PaymentsView) -> None:
    """F2 on the cell, then Enter: looked at, nothing typed."""
    editing = view.table.State.EditingState
    press(Qt.Key.Key_F2)
    assert view.table.state() == editing
    press(RETURN)
    qtbot.waitUntil(lambda: view.table.state() != editing, timeout=5000)


def test_a_long_description_stays_whole_when_the_kind_is_changed(
        qtbot: QtBot, controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda c: add_event(c, WHEN, LONG))
    [before] = _events(qtbot, controller)
    assert len(before.description) > 32767
    view = _timeline(qtbot, controller)
    _choose_first_row(qtbot, view, 0)
    assert view.what_edit.text() == before.description  # shown whole, not cut
    put_focus(qtbot, view.kind_combo)
    type_keys("Threat")
    press(RETURN)
    qtbot.waitUntil(lambda: view.message.text() == "Changes saved.", timeout=5000)
    [after] = _events(qtbot, controller)
    assert after.kind is TimelineKind.THREAT
    assert after.description == before.description  # not cut at 32,767, not trimmed


def test_long_identifier_cells_opened_and_left_stay_as_stored(
        qtbot: QtBot, controller: CaseController) -> None:
    platform = " My own site\t" + "x" * 33000
    run_in_case(qtbot, controller, lambda c: add_identifier(
        c, "other", "live:" + "a" * 40000, platform=platform, note=LONG))
    [before] = run_in_case(qtbot, controller, list_identifiers)  # type: ignore[misc]
    view = IdentifiersView(controller)
    _show(qtbot, view)
    for column in (VALUE, PLATFORM, NOTE):
        _choose_first_row(qtbot, view, column)
        _open_and_leave_cell(qtbot, view)
    settle(qtbot)
    [after] = run_in_case(qtbot, controller, list_identifiers)  # type: ignore[misc]
    assert (after.value, after.platform, after.note) == (before.value, before.platform,
                                                        before.note)

    # And a long note can be added to: the cell takes all of it, and more.
    _choose_first_row(qtbot, view, NOTE)
    press(Qt.Key.Key_F2)
    press(Qt.Key.Key_End)
    type_keys(" Added later.")
    press(RETURN)
    settle(qtbot)
    [added] = run_in_case(qtbot, controller, list_identifiers)  # type: ignore[misc]
    assert added.note == before.note + " Added later."
    assert added.value == before.value


def test_a_long_payment_reference_stays_whole_when_the_next_cell_is_changed(
        qtbot: QtBot, controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda c: add_payment(
        c, amount="250", method="western-union", reference=LONG, recipient_name="J. Smith"))
    [before] = run_in_case(qtbot, controller, list_payments)  # type: ignore[misc]
    view = PaymentsView(controller)
    _show(qtbot, view)
    _choose_first_row(qtbot, view, REFERENCE)
    press(Qt.Key.Key_F2)
    tab()  # leaves the reference (Qt commits it) for the next cell, what happened, open
    assert view.table.currentIndex().column() == STATUS
    type_keys("Collected")
    press(RETURN)
    settle(qtbot)
    [after] = run_in_case(qtbot, controller, list_payments)  # type: ignore[misc]
    assert after.status is PaymentStatus.COLLECTED
    assert after.reference == before.reference

    _choose_first_row(qtbot, view, RECIPIENT)
    press(Qt.Key.Key_F2)
    clear_and_type("John Smith")
    press(RETURN)
    settle(qtbot)
    [after] = run_in_case(qtbot, controller, list_payments)  # type: ignore[misc]
    assert after.recipient_name == "John Smith"
    assert after.reference == before.reference


def test_a_save_that_fails_keeps_the_link_tick_and_the_words(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    note = tmp_path / "threat.txt"
    note.write_text("Pay or I post it", encoding="utf-8")
    run_in_case(qtbot, controller, lambda c: import_paths(c, [note]))
    [item] = run_in_case(qtbot, controller, list_evidence)  # type: ignore[misc]
    view = _timeline(qtbot, controller)
    # The Evidence screen's selection, of an item gone from the case since (removed in
    # another window, say): the save fails.
    view.set_selected_evidence([item.id + 1000])
    put_focus(qtbot, view.when_field.edit)
    type_keys("14/03/2025 22:30")
    tab(3)
    assert focused() is view.what_edit
    type_keys("They sent the threat")
    tab()
    assert focused() is view.link_box
    press(Qt.Key.Key_Space)
    assert view.link_box.isChecked()
    press(RETURN)
    qtbot.waitUntil(lambda: view.message.text().startswith("Not saved yet."), timeout=5000)
    assert _events(qtbot, controller) == []
    assert view.link_box.isChecked()  # kept for the next try, with the words
    assert view.what_edit.text() == "They sent the threat"

    view.set_selected_evidence([item.id])  # the person chooses the item that is there
    put_focus(qtbot, view.link_box)
    press(RETURN)
    qtbot.waitUntil(lambda: view.message.text().startswith("Added"), timeout=5000)
    [event] = _events(qtbot, controller)
    assert event.evidence_ids == (item.id,) and event.description == "They sent the threat"
    assert not view.link_box.isChecked()  # saved: the tick has done its work


def _reopened_events(path: Path) -> list[TimelineRow]:
    with CaseFile.open(path, PASSPHRASE, actor="tester", record_open=False) as case:
        return list_events(case)


def test_a_change_typed_into_an_event_is_saved_when_the_case_locks(
        qtbot: QtBot, controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda c: add_event(c, WHEN, "They asked for money"))
    path = controller.require_case().path
    view = _timeline(qtbot, controller)
    _choose_first_row(qtbot, view, 0)
    put_focus(qtbot, view.what_edit)
    press(Qt.Key.Key_End)
    type_keys(": 500 pounds by Friday")
    put_focus(qtbot, view.kind_combo)
    type_keys("Threat")
    controller.lock()  # walked away: the case locked after a while unused
    assert view.what_edit.text() == ""  # nothing of the case stays shown
    [event] = _reopened_events(path)
    assert event.description == "They asked for money: 500 pounds by Friday"
    assert event.kind is TimelineKind.THREAT and event.occurred_at == WHEN


def test_what_would_not_save_is_not_saved_when_the_case_locks(
        qtbot: QtBot, controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda c: add_event(c, WHEN, "They asked for money"))
    path = controller.require_case().path
    view = _timeline(qtbot, controller)
    _choose_first_row(qtbot, view, 0)
    put_focus(qtbot, view.what_edit)
    clear_and_type("   ")  # the words cleared: Save would say "Write a few words"
    controller.lock()
    [event] = _reopened_events(path)
    assert event.description == "They asked for money"

    # A new event half typed is not added by a lock: it is the person's to finish.
    opened: list[bool] = []
    controller.unlock(path, PASSPHRASE, on_done=lambda: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    put_focus(qtbot, view.when_field.edit)
    type_keys("15/03/2025 09:00")
    tab(3)
    assert focused() is view.what_edit
    type_keys("They messaged my sister")
    controller.lock()
    assert [e.description for e in _reopened_events(path)] == ["They asked for money"]


@pytest.mark.parametrize("tab_name", ["details", "payments"])
def test_a_cell_being_typed_in_is_saved_when_the_case_locks(
        qtbot: QtBot, controller: CaseController, tab_name: str) -> None:
    run_in_case(qtbot, controller, lambda c: add_identifier(c, "skype-name", "jess.h.1999"))
    run_in_case(qtbot, controller, lambda c: add_payment(c, amount="250", method="card"))
    path = controller.require_case().path
    view: IdentifiersView | PaymentsView
    if tab_name == "details":
        view = IdentifiersView(controller)
        column, words = NOTE, "The name on the account was Jess"
    else:
        view = PaymentsView(controller)
        column, words = RECIPIENT, "J. Smith"
    _show(qtbot, view)
    _choose_first_row(qtbot, view, column)
    press(Qt.Key.Key_F2)
    type_keys(words)
    controller.lock()  # walked away with the cell open: the case locked after a while unused
    assert view.model.rowCount() == 0  # nothing of the case stays shown
    with CaseFile.open(path, PASSPHRASE, actor="tester", record_open=False) as case:
        [detail] = list_identifiers(case)
        [payment] = list_payments(case)
    if tab_name == "details":
        assert detail.note == words and detail.value == "jess.h.1999"
    else:
        assert payment.recipient_name == words and payment.amount == Decimal("250")
