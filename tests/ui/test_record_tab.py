"""What every record tab (offender details, payments, timeline) does alike, because one base
(app/ui/records/record_tab.py) does it for all three: a message belongs to the last action,
the row a person saved or stands on is the selected one after a reload, Remove… acts on one
row the person can see, and a lock empties the tab (also in the middle of a save).

Everything is typed key by key; what counts is what reaches the case file.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.records.identifiers import add_identifier, list_identifiers
from app.core.records.payments import add_payment, list_payments
from app.core.records.timeline import add_event, list_events
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController
from app.ui.records.identifiers_view import IdentifiersView
from app.ui.records.payments_view import PaymentsView
from app.ui.records.timeline_view import TimelineView
from tests.conftest import PASSPHRASE
from tests.ui.keys import focused, press, put_focus, tab, type_keys
from tests.ui.records_support import show_view
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401

RETURN = Qt.Key.Key_Return
WHEN = datetime(2025, 3, 14, 21, 0, tzinfo=UTC)


def _type_detail(words: str) -> None:
    type_keys(words)


def _type_payment(words: str) -> None:
    type_keys("10")
    tab(4)  # to "Reference or MTCN"
    type_keys(words)


def _type_event(words: str) -> None:
    type_keys("14/03/2025 22:30")
    tab(3)  # to "What happened"
    type_keys(words)


@dataclass(frozen=True)
class Tab:
    area: str
    build: Callable[[CaseController], Any]
    first_field: Callable[[Any], QWidget]
    type_entry: Callable[[str], None]  # a whole entry, typed from the first field on
    store: Callable[[CaseFile, str], int]
    stored: Callable[[CaseFile], list[str]]  # the words of each stored record


TABS = [
    Tab("identifiers", IdentifiersView, lambda v: v.value_edit, _type_detail,
        lambda case, words: add_identifier(case, "username", words).identifier_id,
        lambda case: [i.value for i in list_identifiers(case)]),
    Tab("payments", PaymentsView, lambda v: v.amount_edit, _type_payment,
        lambda case, words: add_payment(case, amount="10", method="card", reference=words),
        lambda case: [p.reference for p in list_payments(case)]),
    Tab("timeline", TimelineView, lambda v: v.when_field.edit, _type_event,
        lambda case, words: add_event(case, WHEN, words),
        lambda case: [e.description for e in list_events(case)]),
]
each_tab = pytest.mark.parametrize("kind", TABS, ids=[t.area for t in TABS])


def _stored(qtbot: QtBot, controller: CaseController, kind: Tab) -> list[str]:
    settle(qtbot)
    return run_in_case(qtbot, controller, kind.stored)  # type: ignore[return-value]


def _open(qtbot: QtBot, controller: CaseController, kind: Tab, *rows: str) -> Any:
    for words in rows:
        run_in_case(qtbot, controller, lambda case, w=words: kind.store(case, w))
    view = kind.build(controller)
    show_view(qtbot, view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == len(rows), timeout=5000)
    settle(qtbot)
    return view


def _add_by_keys(qtbot: QtBot, view: Any, kind: Tab, words: str) -> None:
    """A new record typed into the form from its first field, saved with Enter."""
    rows = view.model.rowCount()
    put_focus(qtbot, kind.first_field(view))
    kind.type_entry(words)
    press(RETURN)
    qtbot.waitUntil(lambda: view.model.rowCount() == rows + 1, timeout=5000)
    settle(qtbot)


def _row_by_keys(qtbot: QtBot, view: Any, steps: int) -> None:
    """Into the table and down `steps` rows, as a person does."""
    put_focus(qtbot, view.table)
    for _ in range(steps):
        press(Qt.Key.Key_Down)


@each_tab
def test_a_message_goes_when_the_person_changes_the_form(
        qtbot: QtBot, controller: CaseController, kind: Tab) -> None:
    view = _open(qtbot, controller, kind)
    put_focus(qtbot, kind.first_field(view))
    press(RETURN)  # nothing typed yet: explained, nothing saved
    settle(qtbot)
    assert view.message.text().startswith("Not saved yet.")
    type_keys("1")
    assert view.message.text() == ""
    press(Qt.Key.Key_Backspace)

    kind.type_entry("alpha")
    press(RETURN)
    settle(qtbot)
    assert _stored(qtbot, controller, kind) == ["alpha"]
    assert view.message.text() != ""
    put_focus(qtbot, kind.first_field(view))
    type_keys("2")
    assert view.message.text() == ""  # "Saved" never stands beside an entry not saved


@pytest.mark.parametrize("kind", TABS[:2], ids=[t.area for t in TABS[:2]])
def test_a_new_record_is_the_selected_row_after_the_reload(
        qtbot: QtBot, controller: CaseController, kind: Tab) -> None:
    """A new detail or payment is selected, ready to correct in the table. (A new event is
    not: the timeline's form stays empty for the next event.)"""
    view = _open(qtbot, controller, kind, "alpha")
    _add_by_keys(qtbot, view, kind, "bravo")
    assert sorted(_stored(qtbot, controller, kind)) == ["alpha", "bravo"]
    chosen = view.model.row_at(view.model.row_of(view.selected_id()))
    assert chosen is not None and "bravo" in repr(chosen)
    assert focused() is kind.first_field(view)  # ready for the next one


@each_tab
def test_the_row_a_person_is_on_stays_selected_through_a_reload(
        qtbot: QtBot, controller: CaseController, kind: Tab) -> None:
    view = _open(qtbot, controller, kind, "alpha", "bravo")
    _row_by_keys(qtbot, view, 2)
    on = view.selected_id()
    assert on is not None
    # A save elsewhere (another window of the same tab, the checklist) reloads the tab.
    controller.run(lambda ctx: kind.store(controller.case, "charlie"), changes=kind.area)
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=5000)
    settle(qtbot)
    assert view.selected_id() == on


def test_a_changed_event_stays_selected(qtbot: QtBot, controller: CaseController) -> None:
    kind = TABS[2]
    view = _open(qtbot, controller, kind, "alpha", "bravo")
    _row_by_keys(qtbot, view, 2)
    on = view.selected_id()
    put_focus(qtbot, view.what_edit)
    press(Qt.Key.Key_End)
    type_keys(" again")
    press(RETURN)
    settle(qtbot)
    assert sum(words.endswith(" again") for words in _stored(qtbot, controller, kind)) == 1
    assert view.message.text() == "Changes saved."
    assert view.selected_id() == on


@each_tab
def test_remove_acts_on_the_one_row_the_person_sees(
        qtbot: QtBot, controller: CaseController, kind: Tab) -> None:
    view = _open(qtbot, controller, kind, "alpha", "bravo")
    assert not view.remove_button.isEnabled()  # nothing selected: nothing to remove
    _row_by_keys(qtbot, view, 1)  # the second row
    press(Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)  # one row at a time: the first
    assert len(view.table.selectionModel().selectedRows()) == 1
    chosen = view.selected_id()
    kept = view.model.record_id(view.model.row_at(1))
    assert view.remove_button.isEnabled() and chosen != kept
    put_focus(qtbot, view.remove_button)
    press(Qt.Key.Key_Space)
    assert focused() is view.confirm_remove
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert len(_stored(qtbot, controller, kind)) == 1
    assert view.model.row_of(kept) == 0 and view.model.row_of(chosen) is None
    # The row now in its place is chosen, the keyboard on "Remove…" or the table (not at the
    # top of the window): a second Space asks again, and removes nothing without an answer.
    assert view.selected_id() == kept and focused() in (view.remove_button, view.table)


@each_tab
def test_a_lock_empties_the_tab_and_an_unlock_fills_it(
        qtbot: QtBot, controller: CaseController, kind: Tab, tmp_path: Path) -> None:
    view = _open(qtbot, controller, kind, "alpha")
    _add_by_keys(qtbot, view, kind, "bravo")
    _row_by_keys(qtbot, view, 1)
    put_focus(qtbot, view.remove_button)
    press(Qt.Key.Key_Space)  # the question "Yes, remove it / Keep it" is open
    assert view.message.text() and view.confirm_remove.isVisibleTo(view)

    controller.lock()
    assert view.model.rowCount() == 0 and view.message.text() == ""
    assert not view.confirm_remove.isVisibleTo(view) and view.remove_button.isVisibleTo(view)
    assert not view.remove_button.isEnabled() and view.selected_id() is None

    opened: list[bool] = []
    controller.unlock(tmp_path / "views.skcase", PASSPHRASE, on_done=lambda: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened) and view.model.rowCount() == 2, timeout=15000)
    assert view.selected_id() is None and not view.remove_button.isEnabled()


@each_tab
def test_a_lock_in_the_middle_of_a_save_leaves_the_form_able_to_save(
        qtbot: QtBot, controller: CaseController, kind: Tab, tmp_path: Path) -> None:
    view = _open(qtbot, controller, kind)
    put_focus(qtbot, kind.first_field(view))
    kind.type_entry("alpha")
    press(RETURN)  # the save is in the worker...
    controller.lock()  # ...when the case locks (the auto-lock, the person): it never answers

    opened: list[bool] = []
    controller.unlock(tmp_path / "views.skcase", PASSPHRASE, on_done=lambda: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    settle(qtbot)
    put_focus(qtbot, kind.first_field(view))
    kind.type_entry("bravo")
    press(RETURN)
    assert "bravo" in _stored(qtbot, controller, kind)
    assert not view.message.text().startswith("Not saved")


@each_tab
def test_tab_leaves_the_table_at_once(
        qtbot: QtBot, controller: CaseController, kind: Tab) -> None:
    """The table is one stop for Tab, as every other list: Tab had walked it cell by cell
    (eight a row on Payments), the cell it was on marked so faintly that a person with poor
    eyesight lost their place, before it let them on. The arrows move inside it."""
    view = _open(qtbot, controller, kind, "alpha", "bravo")
    _row_by_keys(qtbot, view, 1)
    press(Qt.Key.Key_Tab)
    assert focused() is not view.table and not view.table.isAncestorOf(focused())
    press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is view.table
