"""The timeline and offender-details forms with a keyboard (issue 13, defects 3 and 4).

"14 Mar 2025, 22:30" once became 14 Nov 2026, 20:25 in the timeline; Enter saved only from
one field of each form. Everything here is typed key by key and checked in the case file.
"""

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.identifiers import IdentifierType
from app.core.records.identifiers import IdentifierRow, list_identifiers
from app.core.records.timeline import TimelineRow, add_event, list_events
from app.core.records.when_text import edit_text
from app.models import TimelineKind
from app.ui.kit.controller import CaseController, DataArea
from app.ui.records.identifiers_view import IdentifiersView
from app.ui.records.timeline_view import TimelineView
from tests.ui.keys import clear_and_type, focused, list_box_keys, press, put_focus, tab, type_keys
from tests.ui.records_support import show_view
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401

RETURN = Qt.Key.Key_Return


def events(qtbot: QtBot, controller: CaseController) -> list[TimelineRow]:
    settle(qtbot)
    return run_in_case(qtbot, controller, list_events)  # type: ignore[return-value]


def details(qtbot: QtBot, controller: CaseController) -> list[IdentifierRow]:
    settle(qtbot)
    return run_in_case(qtbot, controller, list_identifiers)  # type: ignore[return-value]


def timeline_view(qtbot: QtBot, controller: CaseController) -> TimelineView:
    view = TimelineView(controller)
    show_view(qtbot, view)
    put_focus(qtbot, view.when_field.edit)
    return view


def local(moment: datetime) -> datetime:
    return moment.astimezone().replace(tzinfo=None)


def test_a_typed_time_is_stored_to_the_minute(qtbot: QtBot, controller: CaseController) -> None:
    view = timeline_view(qtbot, controller)
    type_keys("14/03/2025 22:30")
    assert view.when_field.feedback.text() == "Read as: Friday 14 March 2025, 22:30"
    tab()
    assert focused() is view.approximate_box  # Tab leaves the date: no sections to walk
    tab()
    assert focused() is view.kind_combo
    type_keys("Threat")
    tab()
    assert focused() is view.what_edit
    type_keys("They said they would send the video to my family")
    press(RETURN)
    [event] = events(qtbot, controller)
    assert local(event.occurred_at) == datetime(2025, 3, 14, 22, 30)
    assert event.occurred_at.second == 0 and event.occurred_at.microsecond == 0
    assert event.kind is TimelineKind.THREAT and not event.approximate
    assert view.message.text() == "Added to the timeline: Friday 14 March 2025, 22:30."
    assert view.when_field.edit.text() == "" and view.what_edit.text() == ""


def test_the_words_that_once_went_wrong(qtbot: QtBot, controller: CaseController) -> None:
    view = timeline_view(qtbot, controller)
    type_keys("14 Mar 2025, 22:30")
    tab(3)
    type_keys("First message on Instagram")
    press(RETURN)
    [event] = events(qtbot, controller)
    assert local(event.occurred_at) == datetime(2025, 3, 14, 22, 30)  # not 14 Nov 2026, 20:25
    assert view.message.text().startswith("Added")


def test_a_date_without_a_time_asks_for_one_and_saves_nothing(
        qtbot: QtBot, controller: CaseController) -> None:
    view = timeline_view(qtbot, controller)
    type_keys("14/03/2025")
    assert "Add the time too" in view.when_field.feedback.text()  # said while typing
    tab(3)
    type_keys("They asked for money")
    press(RETURN)
    assert events(qtbot, controller) == []
    assert view.message.text().startswith("Not saved yet. Add the time too")
    assert focused() is view.when_field.edit
    type_keys(" 9pm")
    tab()
    press(Qt.Key.Key_Space)  # "About then"
    press(RETURN)
    [event] = events(qtbot, controller)
    assert local(event.occurred_at) == datetime(2025, 3, 14, 21, 0) and event.approximate


def test_counting_back_and_about_are_read_and_about_ticks_about_then(
        qtbot: QtBot, controller: CaseController) -> None:
    """"about 9pm 2 days ago" was "cannot read this as a date"; "about" now ticks the box."""
    view = timeline_view(qtbot, controller)
    type_keys("about 9pm 2 days ago")
    day = date.today() - timedelta(days=2)
    assert view.when_field.feedback.text().endswith("21:00 (about then)")
    assert view.approximate_box.isChecked()
    tab(3)
    type_keys("They asked for more money")
    press(RETURN)
    [event] = events(qtbot, controller)
    assert local(event.occurred_at) == datetime.combine(day, datetime.min.time()).replace(
        hour=21) and event.approximate
    assert not view.approximate_box.isChecked()  # the form is new again
    put_focus(qtbot, view.when_field.edit)
    type_keys("Friday night 11pm")
    assert "23:00" in view.when_field.feedback.text()
    assert not view.approximate_box.isChecked()


def test_enter_saves_from_every_timeline_field(qtbot: QtBot,
                                               controller: CaseController) -> None:
    view = timeline_view(qtbot, controller)
    fields = [view.when_field.edit, view.approximate_box, view.kind_combo, view.what_edit,
              view.save_button]
    for steps, field in enumerate(fields):
        put_focus(qtbot, view.when_field.edit)
        type_keys(f"{steps + 1}/03/2025 20:00")
        tab(3)
        type_keys(f"Event {steps + 1}")
        put_focus(qtbot, view.when_field.edit)
        tab(steps)
        assert focused() is field
        press(RETURN)
        assert not view.kind_combo.view().isVisible()
        assert len(events(qtbot, controller)) == steps + 1, field
    assert [e.description for e in events(qtbot, controller)] == [
        f"Event {n}" for n in range(1, len(fields) + 1)]


def test_a_future_time_is_saved_with_a_hint(qtbot: QtBot, controller: CaseController) -> None:
    view = timeline_view(qtbot, controller)
    later = date.today() + timedelta(days=3)
    type_keys(f"{edit_text(later)} 10:00")
    assert "This date is in the future. Is that right?" in view.when_field.feedback.text()
    tab(3)
    type_keys("Their deadline")
    press(RETURN)
    [event] = events(qtbot, controller)
    assert local(event.occurred_at) == datetime(later.year, later.month, later.day, 10, 0)


def test_changing_an_event_keeps_a_time_that_was_not_touched(
        qtbot: QtBot, controller: CaseController) -> None:
    exact = datetime(2024, 3, 1, 21, 0, 17, 250000, tzinfo=UTC)  # made before this form
    event_id = run_in_case(qtbot, controller,
                           lambda case: add_event(case, exact, "They added me"))
    view = TimelineView(controller)
    show_view(qtbot, view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    view.select_event(event_id)  # type: ignore[arg-type]
    assert view.when_field.edit.text() == edit_text(
        local(exact).date(), local(exact).time().replace(microsecond=0))
    put_focus(qtbot, view.what_edit)
    press(Qt.Key.Key_End)
    type_keys(" on Instagram")
    press(RETURN)
    [event] = events(qtbot, controller)
    assert event.description == "They added me on Instagram"
    assert event.occurred_at == exact
    assert view.message.text() == "Changes saved."


def identifiers_view(qtbot: QtBot, controller: CaseController) -> IdentifiersView:
    view = IdentifiersView(controller)
    show_view(qtbot, view)
    view.start_adding()
    qtbot.waitUntil(view.value_edit.hasFocus, timeout=5000)
    return view


def test_enter_saves_from_every_detail_field(qtbot: QtBot, controller: CaseController) -> None:
    view = identifiers_view(qtbot, controller)
    entries_before = view.platform_combo.count()
    fields = [view.type_combo, view.platform_combo, view.value_edit, view.note_edit,
              view.unsure_box, view.add_button]
    for steps, field in enumerate(fields):
        put_focus(qtbot, view.value_edit)
        type_keys(f"name{steps}")
        put_focus(qtbot, view.type_combo)
        tab(steps)
        assert focused() is field
        press(RETURN)
        assert not view.type_combo.view().isVisible()
        assert len(details(qtbot, controller)) == steps + 1, field
    assert sorted(d.value for d in details(qtbot, controller)) == [
        f"name{n}" for n in range(len(fields))]
    assert view.platform_combo.count() == entries_before  # Enter added no new platform


def test_detail_messages_and_reset(qtbot: QtBot, controller: CaseController) -> None:
    view = identifiers_view(qtbot, controller)
    entries_before = view.platform_combo.count()
    put_focus(qtbot, view.type_combo)
    type_keys("Western")  # keyboard search: Western Union MTCN
    tab()
    clear_and_type("Western Union")
    tab()
    type_keys("123456789")  # 9 digits: a hint, saved all the same
    tab()
    type_keys("from the receipt")
    tab()
    press(Qt.Key.Key_Space)
    press(RETURN)
    [first] = details(qtbot, controller)
    assert (first.type, first.value, first.note, first.unsure) == (
        IdentifierType.MTCN, "123456789", "from the receipt", True)
    said = view.message.text()
    assert said and "10" in said  # saved, with the hint about 10 digits
    assert view.value_edit.text() == "" and view.note_edit.text() == ""
    assert not view.unsure_box.isChecked() and focused() is view.value_edit
    assert view.platform_combo.count() == entries_before

    type_keys("1")
    assert view.message.text() == ""  # the old message does not stand beside a new entry
    type_keys("234567890")
    press(RETURN)
    assert [d.value for d in details(qtbot, controller)] == ["123456789", "1234567890"]
    assert view.message.text() and view.message.text() != said


def _click_row(view: TimelineView, row: int) -> None:
    from PySide6.QtTest import QTest

    rect = view.table.visualRect(view.model.index(row, 2))
    QTest.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, rect.center())


def _two_events(qtbot: QtBot, controller: CaseController) -> tuple[TimelineView, list[int]]:
    when = datetime(2024, 3, 1, 21, 0, tzinfo=UTC)
    ids = [run_in_case(qtbot, controller, lambda case, w=w, d=d: add_event(case, w, d))
           for w, d in ((when, "They added me"), (when + timedelta(days=1), "They threatened"))]
    view = TimelineView(controller)
    show_view(qtbot, view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    return view, ids  # type: ignore[return-value]


def test_words_being_typed_survive_a_reload_from_work_elsewhere(
        qtbot: QtBot, controller: CaseController) -> None:
    # Text recognition linked a detail to a picture while a person corrected an event: the
    # timeline reloaded and put the stored words back over what was typed.
    view, _ids = _two_events(qtbot, controller)
    _click_row(view, 0)
    assert view.what_edit.text() == "They added me"
    put_focus(qtbot, view.what_edit)
    press(Qt.Key.Key_End)
    type_keys(" on Instagram, and sent my photos")
    controller.data_changed.emit(DataArea.IDENTIFIERS)  # as a background save does
    qtbot.waitUntil(lambda: not view._loading, timeout=5000)
    settle(qtbot)
    assert view.what_edit.text() == "They added me on Instagram, and sent my photos"
    press(RETURN)
    assert next(e.description for e in events(qtbot, controller)) == \
        "They added me on Instagram, and sent my photos"


def test_a_new_event_being_typed_survives_a_click_on_another(
        qtbot: QtBot, controller: CaseController) -> None:
    view, _ids = _two_events(qtbot, controller)
    put_focus(qtbot, view.when_field.edit)
    type_keys("01/12/2025 20:00")
    put_focus(qtbot, view.what_edit)
    type_keys("They sent the video to my sister")
    _click_row(view, 0)  # to look at an earlier event's date
    settle(qtbot)
    assert view.what_edit.text() == "They sent the video to my sister"
    assert "kept, not saved yet" in view.message.text()
    put_focus(qtbot, view.what_edit)
    press(RETURN)
    stored = events(qtbot, controller)
    assert len(stored) == 3 and stored[0].description == "They added me"
    assert "They sent the video to my sister" in [e.description for e in stored]
    # Once saved, a click fills the form with the event clicked, as before.
    _click_row(view, 1)
    settle(qtbot)
    assert view.what_edit.text() == view.model.row_at(1).description


def test_an_event_saved_without_choosing_its_kind_is_other(
        qtbot: QtBot, controller: CaseController) -> None:
    view = timeline_view(qtbot, controller)
    for words in ("They asked for money", "They threatened my family"):
        put_focus(qtbot, view.when_field.edit)
        type_keys("14/03/2025 22:30")
        put_focus(qtbot, view.what_edit)
        type_keys(words)
        press(RETURN)
        settle(qtbot)
    assert {e.kind for e in events(qtbot, controller)} == {TimelineKind.OTHER}


def test_seconds_typed_are_shown_as_they_are_kept(qtbot: QtBot,
                                                  controller: CaseController) -> None:
    # Kept to the second, shown to the minute: the table hid what was typed.
    from app.ui.records.timeline_model import WHEN

    view = timeline_view(qtbot, controller)
    type_keys("14/03/2025 22:30:15")
    put_focus(qtbot, view.what_edit)
    type_keys("They sent the first message")
    press(RETURN)
    [event] = events(qtbot, controller)
    assert local(event.occurred_at).second == 15
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    shown = view.model.index(0, WHEN).data()
    assert shown.endswith("22:30:15"), shown


def test_new_event_lets_go_of_the_link_tick(qtbot: QtBot, controller: CaseController) -> None:
    """The tick "Link it to the evidence item selected on the Evidence screen" belongs to the
    form it was ticked in: after "New event", the next event typed is not linked to that item
    unasked."""
    from app.core.intake.ingest import import_bytes
    from app.models import EvidenceSource

    outcome = run_in_case(qtbot, controller, lambda case: import_bytes(
        case, b"he said pay or else", "chat.txt", source=EvidenceSource.CLIPBOARD))
    run_in_case(qtbot, controller, lambda case: add_event(
        case, datetime(2024, 3, 1, 21, 0, tzinfo=UTC), "They added me", kind="first-contact"))
    view = timeline_view(qtbot, controller)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    view.set_selected_evidence([outcome.evidence_id])  # type: ignore[attr-defined]
    view.select_event(events(qtbot, controller)[0].id)
    put_focus(qtbot, view.link_box)
    press(Qt.Key.Key_Space)
    assert view.link_box.isChecked()
    put_focus(qtbot, view.new_button)  # changed their mind: a new event instead
    press(Qt.Key.Key_Space)
    assert not view.link_box.isChecked()
    put_focus(qtbot, view.when_field.edit)
    type_keys("2/3/2024 21:30")
    put_focus(qtbot, view.what_edit)
    type_keys("They asked for money")
    press(RETURN)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    saved = {e.description: e for e in events(qtbot, controller)}
    assert saved["They asked for money"].evidence_ids == ()
    assert saved["They added me"].evidence_ids == ()  # nothing saved to it either


def test_a_skype_id_typed_as_a_skype_name_is_changed_in_one_press(
        qtbot: QtBot, controller: CaseController) -> None:
    """Police need the Skype ID, not the name: "live:..." under "Skype name" gets the hint and
    a button beside it that chooses "Skype ID" (the value stays as typed); Enter then saves."""
    view = identifiers_view(qtbot, controller)
    put_focus(qtbot, view.type_combo)
    type_keys("Skype name")  # keyboard search in the list
    assert view.current_type() is IdentifierType.SKYPE_NAME
    put_focus(qtbot, view.value_edit)
    type_keys("live:.cid.4f2e9a1b")
    qtbot.waitUntil(lambda: view.retype_button.isVisibleTo(view), timeout=5000)
    assert "looks like a Skype ID" in view.value_hint.text()
    assert view.retype_button.text() == "Change the type to \u201cSkype ID (live:...)\u201d"
    tab()  # from the detail to the button under its hint
    assert focused() is view.retype_button
    press(Qt.Key.Key_Space)
    assert view.current_type() is IdentifierType.SKYPE_ID
    assert focused() is view.value_edit and view.value_edit.text() == "live:.cid.4f2e9a1b"
    qtbot.waitUntil(lambda: not view.retype_button.isVisibleTo(view), timeout=5000)
    assert view.value_hint.text() == ""
    press(RETURN)
    [saved] = details(qtbot, controller)
    assert (saved.type, saved.value) == (IdentifierType.SKYPE_ID, "live:.cid.4f2e9a1b")


def test_a_saved_skype_name_that_is_an_id_is_changed_with_its_row_button(
        qtbot: QtBot, controller: CaseController) -> None:
    from app.core.records.identifiers import add_identifier

    run_in_case(qtbot, controller,
                lambda case: add_identifier(case, "skype-name", "live:someone_bad"))
    run_in_case(qtbot, controller, lambda case: add_identifier(case, "skype-name", "Anna Smith"))
    view = identifiers_view(qtbot, controller)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    by_value = {d.value: d.id for d in details(qtbot, controller)}
    view.select_identifier(by_value["Anna Smith"])
    assert not view.row_retype_button.isVisibleTo(view)  # a name: nothing to offer
    view.select_identifier(by_value["live:someone_bad"])
    assert view.row_retype_button.isVisibleTo(view)
    put_focus(qtbot, view.row_retype_button)
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: {d.value: d.type for d in details(qtbot, controller)}[
        "live:someone_bad"] is IdentifierType.SKYPE_ID, timeout=5000)
    assert {d.value: d.type for d in details(qtbot, controller)}["Anna Smith"] is \
        IdentifierType.SKYPE_NAME
    assert "Changed to" in view.message.text()


def test_a_type_chosen_by_typing_its_name_keeps_the_list_closed(
        qtbot: QtBot, controller: CaseController) -> None:
    """"Skype name" typed into the Type box: Qt opened the list at the space, "name" and then
    the detail itself were typed into the open list, and lost. The session's watcher
    (kit/combo_search.py, installed here as AppFilters installs it) keeps the space in the
    search: the list stays closed, Tab goes on, and the detail reaches its box."""
    from PySide6.QtWidgets import QApplication

    with list_box_keys():
        view = identifiers_view(qtbot, controller)
        put_focus(qtbot, view.type_combo)
        type_keys("Skype name")
        assert view.current_type() is IdentifierType.SKYPE_NAME
        assert not view.type_combo.view().isVisible()
        tab(2)  # the platform, then the detail
        assert focused() is view.value_edit
        type_keys("anna.smith88")
        assert view.value_edit.text() == "anna.smith88"
        press(RETURN)
        [saved] = details(qtbot, controller)
        assert (saved.type, saved.value) == (IdentifierType.SKYPE_NAME, "anna.smith88")

        put_focus(qtbot, view.type_combo)
        qtbot.wait(QApplication.keyboardInputInterval() + 100)  # a space on its own...
        press(Qt.Key.Key_Space)
        qtbot.waitUntil(view.type_combo.view().isVisible, timeout=5000)  # ...opens the list
        view.type_combo.hidePopup()


def test_a_payment_on_the_timeline_points_to_the_payments_tab(
        qtbot: QtBot, controller: CaseController) -> None:
    """A payment put on the timeline alone had no amount, way or MTCN; put in both places it
    stood twice in the report's chronology. Choosing the kind says where it belongs."""
    view = timeline_view(qtbot, controller)
    assert not view.payment_hint.isVisible()
    put_focus(qtbot, view.kind_combo)
    type_keys("payment")
    assert view.kind_combo.currentData() == TimelineKind.PAYMENT.value
    assert view.payment_hint.isVisible()
    assert "Payments tab" in view.payment_hint.text()
    qtbot.wait(QApplication.keyboardInputInterval() + 50)  # a new word
    type_keys("threat")
    assert view.kind_combo.currentData() == TimelineKind.THREAT.value
    assert not view.payment_hint.isVisible()
