"""Timeline (add, approximate, edit, links, remove) and search across the case."""

from datetime import UTC, datetime
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.records.identifiers import add_identifier
from app.core.records.summary import edit_case
from app.core.records.timeline import add_event, list_events
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController
from app.ui.records.search_view import SearchView
from app.ui.records.timeline_model import TimelineModel
from app.ui.records.timeline_view import TimelineView
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def test_timeline_add_edit_links_remove(qtbot: QtBot, qtmodeltester,
                                        controller: CaseController) -> None:
    ident = run_in_case(qtbot, controller,
                        lambda case: add_identifier(case, "skype-id", "live:bad"))
    run_in_case(qtbot, controller, lambda case: add_event(
        case, datetime(2024, 3, 1, 21, 0, tzinfo=UTC), "They added me on Instagram",
        kind="first-contact", identifier_ids=[ident.identifier_id]))  # type: ignore[attr-defined]
    view = TimelineView(controller)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)

    view.save_form()  # no date yet: explained, nothing saved
    assert "Not saved yet" in view.message.text() and "like 14/03/2025 22:30" in view.message.text()
    view.when_field.edit.setText("2/3/2024 21:30")
    view.what_edit.setText("They asked me to move to Skype")
    view.approximate_box.setChecked(True)
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("moved-platform"))
    view.save_form()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    settle(qtbot)
    events = run_in_case(qtbot, controller, list_events)
    moved = next(e for e in events if e.kind.value == "moved-platform")  # type: ignore[attr-defined]
    assert moved.approximate
    row = view.model.row_of(moved.id)
    assert row is not None and view.model.index(row, 0).data().startswith("about ")

    first = view.model.row_of(events[0].id)  # type: ignore[index]
    view.select_event(events[0].id)  # type: ignore[index]
    assert view.links.count() == 1 and "live:bad" in view.links.item(0).text()
    went: list[tuple[str, int]] = []
    view.navigate_requested.connect(lambda area, i: went.append((area, i)))
    view.links.itemActivated.emit(view.links.item(0))
    assert went == [("identifiers", ident.identifier_id)]  # type: ignore[attr-defined]
    assert first is not None and view.what_edit.text() == "They added me on Instagram"
    view.what_edit.setText("They added me on Instagram, then Snapchat")
    view.save_form()
    settle(qtbot)
    assert "Snapchat" in run_in_case(qtbot, controller, list_events)[0].description  # type: ignore[index]
    qtbot.waitUntil(lambda: "Snapchat" in view.model.index(0, 2).data(), timeout=5000)
    qtmodeltester.check(view.model)
    qtmodeltester.check(TimelineModel())

    view.select_event(moved.id)
    view.remove_button.click()
    view.confirm_remove.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    settle(qtbot)
    controller.lock()
    assert view.model.rowCount() == 0 and view.links.count() == 0 and view.what_edit.text() == ""


def test_search_finds_identifier_description_and_notes(qtbot: QtBot,
                                                       controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda case: add_identifier(
        case, "username", "shadow_trader", platform="Instagram", note="the main account"))
    run_in_case(qtbot, controller, lambda case: edit_case(case, notes="Met at the shadow market"))
    view = SearchView(controller)
    qtbot.addWidget(view)
    view.query.setText("SHADOW")
    qtbot.waitUntil(lambda: view.results.count() == 2, timeout=5000)
    texts = [view.results.item(i).text() for i in range(view.results.count())]
    assert any("shadow_trader" in t for t in texts) and any("Case notes" in t for t in texts)
    went: list[tuple[str, int]] = []
    view.navigate_requested.connect(lambda area, i: went.append((area, i)))
    view.open_result(0)
    assert went[0][0] == "identifiers"
    view.query.setText("nothing like this")
    qtbot.waitUntil(lambda: view.summary.text() == "Nothing found.", timeout=5000)
    settle(qtbot)
    controller.lock()
    assert view.query.text() == "" and view.results.count() == 0


def test_search_finds_messages_read_from_a_chat_export(case: CaseFile, tmp_path: Path) -> None:
    from app.core.intake import import_paths
    from app.core.records import search_messages
    from app.ui.records.search_view import search_case
    from tests.chats.test_whatsapp import ANDROID_24H, write

    import_paths(case, [write(tmp_path, ANDROID_24H)])
    hits = search_case(case, "or else")
    (message,) = search_messages(case, "or else")
    assert [(h.area, h.item_id, h.title) for h in hits] == [  # it opens its conversation
        ("messages", message.id, "From Alex, 13 January 2024, 09:30")]
    assert "Send it now." in hits[0].snippet
    by_sender = {h.title: h.snippet for h in search_case(case, "sam")}
    assert "From Sam, 12 January 2024, 14:05" in by_sender
    # Found by its sender, a message shows what it says, not the name again.
    [said] = [m.text for m in search_messages(case, "sam")
              if m.sent_at.startswith("2024-01-12T14:05")]
    shown = by_sender["From Sam, 12 January 2024, 14:05"]
    assert said and shown.rstrip("…") == " ".join(said[:70].split())


def test_a_detail_found_by_its_value_does_not_repeat_it_in_lower_case(
        qtbot: QtBot, controller: CaseController) -> None:
    """A detail's tidy form is what finds a value typed another way, and is shown then; found
    by its own words, the hit said "Name they used: Mary Okafor" and under it "mary okafor"."""
    from app.ui.records.search_view import search_case

    run_in_case(qtbot, controller, lambda case: add_identifier(case, "name", "Mary Okafor"))
    run_in_case(qtbot, controller, lambda case: add_identifier(
        case, "phone", "07700 900123", note="from the first message"))
    [name] = run_in_case(qtbot, controller, lambda case: search_case(case, "okafor"))
    assert name.title == "Name they used: Mary Okafor"  # type: ignore[attr-defined]
    assert name.snippet == ""  # type: ignore[attr-defined]  # the title says it already
    [phone] = run_in_case(qtbot, controller, lambda case: search_case(case, "+447700900123"))
    assert "+447700900123" in phone.snippet  # type: ignore[attr-defined]  # why it was found
    [noted] = run_in_case(qtbot, controller, lambda case: search_case(case, "first message"))
    assert noted.snippet == "from the first message"  # type: ignore[attr-defined]


def test_each_record_page_says_what_it_is_for(qtbot: QtBot, controller: CaseController) -> None:
    # The timeline opened on an empty table and a form, with no word of what to put in them;
    # Offender details and Payments each open with a sentence.
    from PySide6.QtWidgets import QLabel

    from app.ui.records.identifiers_view import IdentifiersView
    from app.ui.records.payments_view import PaymentsView

    firsts = {}
    for kind in (IdentifiersView, PaymentsView, TimelineView):
        view = kind(controller)
        qtbot.addWidget(view)
        labels = [w for w in view.findChildren(QLabel) if w.wordWrap() and w.text()]
        firsts[kind.__name__] = labels[0].text() if labels else ""
    assert firsts["IdentifiersView"].startswith("Save every detail they used")
    assert firsts["TimelineView"].startswith("Put down what happened and when")
    assert all(firsts.values()), firsts


def test_a_hits_words_are_whole_and_a_short_text_is_shown_whole(case: CaseFile) -> None:
    """The hit for "video" had read "…id they would send the video to my family": the text
    fits whole, and "Said" lost its first two letters."""
    from app.ui.records.search_view import search_case

    when = datetime(2024, 3, 1, 21, 0, tzinfo=UTC)
    add_event(case, when, "Said they would send the video to my family", kind="threat")
    long = ("I have your pictures and I know where you live and who your friends are. Pay "
            "£500 or I send the video to all your followers and your mum tonight, last chance")
    add_event(case, when, long, kind="demand")
    short_hit, long_hit = sorted((h.snippet for h in search_case(case, "video")), key=len)
    assert short_hit == "Said they would send the video to my family"
    assert long_hit.startswith("…") and long_hit.endswith("…") and "video" in long_hit
    inner = long_hit.strip("…")
    words = long.split()
    assert inner.split()[0] in words and inner.split()[-1] in words  # whole words only
    assert inner in long


def test_a_link_made_by_mistake_is_taken_off_an_event(qtbot: QtBot,
                                                       controller: CaseController) -> None:
    """The wrong picture selected when an event was saved: its link could not be taken off,
    and went into the report's chronology. Chosen in the event's list of links with the
    keyboard, then "Take this link off"; the other link stays."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.core.intake.ingest import import_bytes
    from app.models import EvidenceSource
    from tests.ui.keys import put_focus
    from tests.ui.records_support import show_view

    wrong = run_in_case(qtbot, controller, lambda case: import_bytes(
        case, b"not this one", "holiday.txt", source=EvidenceSource.CLIPBOARD)).evidence_id  # type: ignore[attr-defined]
    ident = run_in_case(qtbot, controller,
                        lambda case: add_identifier(case, "skype-id", "live:bad"))
    event_id = run_in_case(qtbot, controller, lambda case: add_event(
        case, datetime(2024, 3, 1, 21, 0, tzinfo=UTC), "He threatened me", kind="threat",
        evidence_ids=[wrong], identifier_ids=[ident.identifier_id]))  # type: ignore[attr-defined]
    view = TimelineView(controller)
    show_view(qtbot, view, 800, 700)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    view.select_event(event_id)  # type: ignore[arg-type]
    assert view.links.count() == 2 and view.unlink_button.isVisible()
    assert not view.unlink_button.isEnabled()  # no line chosen yet
    put_focus(qtbot, view.links)
    QTest.keyClick(view.links, Qt.Key.Key_Home)
    assert view.links.currentItem().text() == "Evidence TC/1: holiday.txt"
    assert view.unlink_button.isEnabled()
    put_focus(qtbot, view.unlink_button)
    QTest.keyClick(view.unlink_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.links.count() == 1, timeout=5000)
    [event] = run_in_case(qtbot, controller, list_events)  # type: ignore[misc]
    assert (list(event.evidence_ids), list(event.identifier_ids)) == (
        [], [ident.identifier_id])  # type: ignore[attr-defined]
    assert view.message.text() == "Link taken off: Evidence TC/1: holiday.txt."
    assert "live:bad" in view.links.item(0).text()


def test_a_message_is_found_by_its_senders_account_and_shows_what_it_says(
        case: CaseFile, tmp_path: Path) -> None:
    from app.core.intake import import_paths
    from app.ui.records.search_view import search_case
    from tests.chats.skype_download import write_download

    import_paths(case, [write_download(tmp_path)])
    hits = [h for h in search_case(case, "live:.cid.bbbb2222 send the video")
            if h.area == "messages"]
    assert [(h.title, h.snippet) for h in hits] == [
        ("From Anna Smith, 2 March 2024, 21:04:00 UTC",
         "Pay £500 to paypal.me/annasm or I send the video :)")]
