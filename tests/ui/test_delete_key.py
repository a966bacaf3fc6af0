"""The Delete key, as people press it first in any list: on an evidence tile or a record row it
asks, as the "Remove…" button does, and nothing leaves the case without a second answer. It
did nothing at all. Escape answers "Keep it" and gives the keyboard back to the list (a second
Escape, pressed to be sure, is Safekeep's quick exit).

Every key is a real key event; what counts is what reached the case file.
"""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from app.core.records.evidence import list_evidence
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController
from app.ui.shell.main_chrome import ScrollingTabs
from tests.ui.keys import focused, press, put_focus, show_active, type_keys
from tests.ui.test_record_tab import TABS, Tab, _open, _row_by_keys, _stored, each_tab
from tests.ui.views_support import (  # noqa: F401
    controller_fixture,
    png_file,
    run_in_case,
    settle,
)

DELETE = Qt.Key.Key_Delete


@each_tab
def test_delete_on_a_row_asks_and_escape_keeps_it(
        qtbot: QtBot, controller: CaseController, kind: Tab) -> None:
    view = _open(qtbot, controller, kind, "alpha", "bravo")
    _row_by_keys(qtbot, view, 1)
    chosen = view.selected_id()
    press(DELETE)
    assert view.confirm_remove.isVisibleTo(view) and focused() is view.confirm_remove
    press(Qt.Key.Key_Escape)
    assert not view.confirm_remove.isVisibleTo(view) and view.remove_button.isVisibleTo(view)
    assert focused() is view.table and view.selected_id() == chosen
    assert len(_stored(qtbot, controller, kind)) == 2

    press(DELETE)
    # The question is asked in words beside its answers (only the answers had shown).
    assert view.remover.question.isVisibleTo(view)
    assert view.remover.question.text().startswith("Remove this ")
    press(Qt.Key.Key_Space)  # "Yes, remove it"
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert view.model.row_of(chosen) is None and len(_stored(qtbot, controller, kind)) == 1
    # The keyboard is back on the table, not at the top of the window, and it is said.
    assert focused() is view.table and not view.remover.question.isVisibleTo(view)
    qtbot.waitUntil(lambda: view.message.text() == "Removed.", timeout=5000)
    if kind.area != "timeline":  # (the timeline's form starts a new event instead)
        press(DELETE)  # the row now under the cursor is chosen: Delete goes on from there
        assert focused() is view.confirm_remove


@each_tab
def test_keep_it_after_delete_goes_back_to_the_row(
        qtbot: QtBot, controller: CaseController, kind: Tab) -> None:
    view = _open(qtbot, controller, kind, "alpha", "bravo")
    _row_by_keys(qtbot, view, 1)
    press(DELETE)
    press(Qt.Key.Key_Tab)
    assert focused() is view.keep_button
    press(Qt.Key.Key_Space)
    assert focused() is view.table and not view.keep_button.isVisibleTo(view)
    assert len(_stored(qtbot, controller, kind)) == 2


def test_delete_with_no_row_chosen_asks_nothing(
        qtbot: QtBot, controller: CaseController) -> None:
    view = _open(qtbot, controller, TABS[0], "alpha")
    put_focus(qtbot, view.table)
    view.table.clearSelection()
    press(DELETE)
    assert not view.confirm_remove.isVisibleTo(view) and focused() is view.table


def test_delete_in_a_cell_being_changed_deletes_a_letter(
        qtbot: QtBot, controller: CaseController) -> None:
    """F2 opens the cell: there Delete is the text's, not a question about the row."""
    view = _open(qtbot, controller, TABS[0], "alpha", "bravo")
    _row_by_keys(qtbot, view, 1)
    assert view.remove_button.isEnabled()  # a row is chosen: Delete on the table would ask
    press(Qt.Key.Key_Right)  # from the detail's type to its value
    press(Qt.Key.Key_F2)
    assert view.table.state() == view.table.State.EditingState
    press(Qt.Key.Key_Home)
    press(DELETE)
    assert not view.confirm_remove.isVisibleTo(view)
    press(Qt.Key.Key_Return)
    settle(qtbot)
    assert sorted(_stored(qtbot, controller, TABS[0])) == ["alpha", "ravo"]


def _evidence_view(qtbot: QtBot, controller: CaseController, tmp_path: Path) -> EvidenceView:
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    view.resize(900, 600)
    show_active(qtbot, view)
    assert view.import_paths([str(png_file(tmp_path / f"{n}.png", f"#{n * 60:02x}4060"))
                              for n in range(3)]) is not None
    qtbot.waitUntil(lambda: not view.is_busy() and view.model.rowCount() == 3, timeout=30000)
    settle(qtbot)
    return view


def _names(qtbot: QtBot, controller: CaseController) -> set[str]:
    rows = run_in_case(qtbot, controller, list_evidence)
    return {row.original_name for row in rows}  # type: ignore[attr-defined]


def test_delete_on_an_evidence_tile_asks_why_and_removes_only_when_told(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    view = _evidence_view(qtbot, controller, tmp_path)
    put_focus(qtbot, view.grid)
    press(Qt.Key.Key_Home)
    press(Qt.Key.Key_Right)
    name = view.details.title.text()
    press(DELETE)
    assert view.details.remove_box.isVisible() and focused() is view.details.remove_reason
    type_keys("added by mistake")
    press(Qt.Key.Key_Escape)  # changed their mind
    assert not view.details.remove_box.isVisible() and focused() is view.grid
    assert name in _names(qtbot, controller)

    press(DELETE)
    type_keys("added by mistake")
    press(Qt.Key.Key_Tab)
    assert focused() is view.details.confirm_remove
    press(Qt.Key.Key_Space)
    settle(qtbot)
    assert name not in _names(qtbot, controller) and len(_names(qtbot, controller)) == 2
    assert focused() is view.grid


def test_delete_on_several_tiles_says_one_at_a_time(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    view = _evidence_view(qtbot, controller, tmp_path)
    put_focus(qtbot, view.grid)
    press(Qt.Key.Key_Home)
    press(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert len(view.selected_ids()) == 2
    press(DELETE)
    assert "one item" in view.result_label.text()
    assert not view.details.remove_box.isVisible() and focused() is view.grid
    assert len(_names(qtbot, controller)) == 3


def _in_sight(widget: QWidget, area: QScrollArea) -> bool:
    viewport = area.viewport()
    place = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return widget.isVisible() and viewport.rect().contains(place)


@each_tab
def test_the_question_comes_into_sight_where_the_tab_scrolls(
        qtbot: QtBot, controller: CaseController, kind: Tab) -> None:
    """At 1024x768 the tab scrolls, and the question opened below what showed: a person
    pressed Delete (or Remove…) and saw nothing happen, with the keyboard on a button out of
    sight."""
    for words in ("alpha", "bravo"):
        run_in_case(qtbot, controller, lambda case, w=words: kind.store(case, w))
    tabs = ScrollingTabs()
    view = kind.build(controller)
    tabs.addTab(view, "Records")
    qtbot.addWidget(tabs)
    tabs.resize(1000, 420)
    show_active(qtbot, tabs)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    settle(qtbot)
    area = tabs.scroll_area(0)
    assert area is not None
    _row_by_keys(qtbot, view, 1)
    press(DELETE)
    assert focused() is view.confirm_remove and _in_sight(view.confirm_remove, area)
    assert _in_sight(view.keep_button, area)


@pytest.mark.parametrize("height", [420, 160])
def test_why_remove_it_comes_into_sight_in_a_short_pane(
        qtbot: QtBot, controller: CaseController, tmp_path: Path, height: int) -> None:
    """The question sits at the foot of the details pane; at 1024x768 it opened below what
    showed, with the keyboard in its box. Shorter than the question (1024x600 at 200%), the
    box typed in and the buttons that answer show."""
    view = _evidence_view(qtbot, controller, tmp_path)
    view.resize(900, height)
    put_focus(qtbot, view.grid)
    press(Qt.Key.Key_Home)
    press(DELETE)
    assert focused() is view.details.remove_reason
    assert _in_sight(view.details.remove_reason, view.details)
    assert _in_sight(view.details.confirm_remove, view.details)


@each_tab
def test_a_table_reached_with_tab_chooses_its_row_so_delete_acts_on_it(
        qtbot: QtBot, controller: CaseController, kind: Tab) -> None:
    """A table of one row, reached with Tab: Qt put its cursor on the row but chose nothing,
    so "Remove…" stayed grey, Delete did nothing and Down had nowhere to go."""
    view = _open(qtbot, controller, kind, "alpha")
    put_focus(qtbot, kind.first_field(view))
    for _ in range(30):
        if focused() is view.table:
            break
        press(Qt.Key.Key_Tab)
    assert focused() is view.table
    assert view.selected_id() is not None and view.remove_button.isEnabled()
    press(DELETE)
    press(Qt.Key.Key_Space)  # "Yes, remove it"
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)
    assert _stored(qtbot, controller, kind) == []


def test_the_grid_reached_with_tab_chooses_the_tile_its_cursor_is_on(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Tab into the grid with nothing chosen: Qt kept its cursor on a tile and chose nothing,
    so the pane beside it said "Select an item" and Delete did nothing until an arrow key."""
    view = _evidence_view(qtbot, controller, tmp_path)
    view.grid.clearSelection()
    cursor = view.model.evidence(view.grid.currentIndex().row())
    assert cursor is not None and view.details.current_id() is None
    put_focus(qtbot, view.sensitive_box)
    for _ in range(10):
        if focused() is view.grid:
            break
        press(Qt.Key.Key_Tab)
    assert focused() is view.grid and view.selected_ids() == [cursor.id]
    assert view.details.current_id() == cursor.id
    press(DELETE)
    assert view.details.remove_box.isVisible() and focused() is view.details.remove_reason
