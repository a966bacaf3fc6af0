"""The timeline and the offender details as a person meets them: keys, clicks and hovering,
with what reached the case file checked each time."""

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.intake.ingest import import_bytes
from app.core.records.identifiers import IdentifierRow, add_identifier, list_identifiers
from app.core.records.timeline import TimelineRow, add_event, list_events
from app.models import EvidenceSource
from app.ui.kit.controller import CaseController
from app.ui.records.identifiers_model import PLATFORM
from app.ui.records.identifiers_view import IdentifiersView
from app.ui.records.timeline_model import WHAT
from app.ui.records.timeline_view import TimelineView
from tests.ui.keys import clear_and_type, press, put_focus, tooltip_over, type_keys
from tests.ui.records_support import show_view
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401

RETURN = Qt.Key.Key_Return


def details(qtbot: QtBot, controller: CaseController) -> list[IdentifierRow]:
    settle(qtbot)
    return run_in_case(qtbot, controller, list_identifiers)  # type: ignore[return-value]


def events(qtbot: QtBot, controller: CaseController) -> list[TimelineRow]:
    settle(qtbot)
    return run_in_case(qtbot, controller, list_events)  # type: ignore[return-value]


def loaded_details(qtbot: QtBot, controller: CaseController, rows: int) -> IdentifiersView:
    view = IdentifiersView(controller)
    show_view(qtbot, view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == rows, timeout=5000)
    return view


def loaded_timeline(qtbot: QtBot, controller: CaseController, rows: int) -> TimelineView:
    view = TimelineView(controller)
    show_view(qtbot, view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == rows, timeout=5000)
    return view


def click_row(view: TimelineView, row: int) -> None:
    rect = view.table.visualRect(view.model.index(row, WHAT))
    QTest.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())


def test_a_platform_typed_in_the_table_is_saved_on_enter(
        qtbot: QtBot, controller: CaseController) -> None:
    """A caseworker corrected a detail's platform in the table: F2, typed "Kik Messenger"
    (not in the list), Enter. Qt added the words to the list as a choice with no keyword,
    that empty keyword was saved, and the platform "Instagram" was simply gone."""
    run_in_case(qtbot, controller,
                lambda case: add_identifier(case, "username", "ann", platform="Instagram"))
    view = loaded_details(qtbot, controller, 1)
    view.table.setCurrentIndex(view.model.index(0, PLATFORM))
    put_focus(qtbot, view.table)
    press(Qt.Key.Key_F2)
    assert view.table.state() == view.table.State.EditingState
    clear_and_type("Kik Messenger")
    press(RETURN)
    [detail] = details(qtbot, controller)
    assert detail.platform == "Kik Messenger"
    qtbot.waitUntil(lambda: view.model.index(0, PLATFORM).data() == "Kik Messenger",
                    timeout=5000)
    # A platform from the list, typed and confirmed with Enter, is still stored by its name.
    view.table.setCurrentIndex(view.model.index(0, PLATFORM))
    put_focus(qtbot, view.table)
    press(Qt.Key.Key_F2)
    clear_and_type("Snapchat")
    press(RETURN)
    assert details(qtbot, controller)[0].platform == "Snapchat"


def test_linked_items_show_hidden_characters_instead_of_obeying_them(
        qtbot: QtBot, controller: CaseController) -> None:
    """The list of what an event links to showed a file name and a detail as the offender
    made them: a right-to-left override turned "photo<RLO>gpj.exe" into "photoexe.jpg" on
    screen, and a line break in a detail started a line of its own."""
    trick = "photo\u202egpj.exe"
    outcome = run_in_case(qtbot, controller, lambda case: import_bytes(
        case, b"pay or else", trick, source=EvidenceSource.CLIPBOARD))
    evidence_id = outcome.evidence_id  # type: ignore[attr-defined]
    saved = run_in_case(qtbot, controller, lambda case: add_identifier(
        case, "username", "ann\nCrime reference: 12345"))
    detail_id = saved.identifier_id  # type: ignore[attr-defined]
    run_in_case(qtbot, controller, lambda case: add_event(
        case, datetime(2024, 3, 1, 21, 0, tzinfo=UTC), "They sent the file",
        evidence_ids=[evidence_id], identifier_ids=[detail_id]))
    view = loaded_timeline(qtbot, controller, 1)
    click_row(view, 0)
    qtbot.waitUntil(lambda: view.links.count() == 2, timeout=5000)
    shown = [view.links.item(i).text() for i in range(view.links.count())]
    assert shown == ["Evidence TC/1: photo\\u202egpj.exe",
                     "Detail: Username on an app or website: ann Crime reference: 12345"]
    assert view.model.index(0, 3).data() == "TC/1, 1 detail"  # as the report names it
    # The list still takes the person to the item.
    went: list[tuple[str, int]] = []
    view.navigate_requested.connect(lambda area, item_id: went.append((area, item_id)))
    view.links.setCurrentRow(0)
    put_focus(qtbot, view.links)
    press(RETURN)
    assert went == [("evidence", evidence_id)]
    assert [d.value for d in details(qtbot, controller)] == ["ann\nCrime reference: 12345"]


def test_a_description_with_markup_shows_in_its_tooltip_as_typed(
        qtbot: QtBot, controller: CaseController) -> None:
    """A victim typed what the offender wrote, tags and all. The table kept it, but the
    tooltip (where a long description is read whole) read it as markup: the tags vanished,
    "&amp;" showed as "&", an <img> tag became a blank box, and a second line joined the
    first."""
    view = TimelineView(controller)
    show_view(qtbot, view)
    put_focus(qtbot, view.when_field.edit)
    type_keys("14/03/2025 22:30")
    put_focus(qtbot, view.what_edit)
    words = "They wrote: I have your <b>photos</b> &amp; <img src='me.png'>   pay now"
    type_keys(words)
    press(RETURN)
    [event] = events(qtbot, controller)
    assert event.description == words
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert tooltip_over(qtbot, view.table, view.model.index(0, WHAT)) == words

    two_lines = "Alex wrote: “<i>send it</i>”\nFrom the chat export chat.txt"
    run_in_case(qtbot, controller, lambda case: add_event(
        case, datetime(2025, 3, 15, 9, 0, tzinfo=UTC), two_lines))
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    row = next(i for i, e in enumerate(view.model.rows()) if e.description == two_lines)
    assert tooltip_over(qtbot, view.table, view.model.index(row, WHAT)) == two_lines


def test_enter_pressed_again_after_adding_an_event_keeps_added(
        qtbot: QtBot, controller: CaseController) -> None:
    """A person pressed Enter and the key bounced (or double-clicked the button). The
    event was added, then the second press met the emptied form and said "Not saved yet.
    Type when it happened": the event just added looked lost, and typing it again saved it
    twice."""
    view = TimelineView(controller)
    show_view(qtbot, view)
    put_focus(qtbot, view.when_field.edit)
    type_keys("14/03/2025 22:30")
    put_focus(qtbot, view.what_edit)
    type_keys("They asked for money")
    press(RETURN)
    settle(qtbot)
    added = "Added to the timeline: Friday 14 March 2025, 22:30."
    assert view.message.text() == added
    press(RETURN)  # the focus is in "When", as an add leaves it
    QTest.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert view.message.text() == added
    assert view.when_field.feedback.text() == ""  # no problem shown under the empty date
    assert len(events(qtbot, controller)) == 1
    # Once the person starts the next event, an incomplete one is explained as before.
    put_focus(qtbot, view.what_edit)
    type_keys("They threatened my family")
    press(RETURN)
    settle(qtbot)
    assert view.message.text().startswith("Not saved yet. Type when it happened")
    assert len(events(qtbot, controller)) == 1


def test_enter_pressed_again_after_saving_a_detail_keeps_saved(
        qtbot: QtBot, controller: CaseController) -> None:
    """The same bounce on the details form: "Saved." gave way to "Not saved yet. Type or
    paste the detail first." for the detail that had just been saved."""
    view = IdentifiersView(controller)
    show_view(qtbot, view)
    put_focus(qtbot, view.type_combo)
    type_keys("Username")
    put_focus(qtbot, view.value_edit)
    type_keys("shadow_trader")
    press(RETURN)
    settle(qtbot)
    said = view.message.text()
    assert said.startswith("Saved.")
    press(RETURN)
    QTest.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert view.message.text() == said
    assert [d.value for d in details(qtbot, controller)] == ["shadow_trader"]
    put_focus(qtbot, view.note_edit)
    type_keys("the main account")
    press(RETURN)
    settle(qtbot)
    assert view.message.text() == "Not saved yet. Type or paste the detail first."
