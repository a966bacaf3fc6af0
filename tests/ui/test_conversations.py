"""The Conversations tab with real chat exports added through intake into a real case file,
driven with real keys and clicks: open a conversation, arrow through its messages, Enter on a
picture opens its evidence item, a message goes on the timeline (read back from the case),
an export waiting for its date order is read when the person chooses, a search hit opens its
message, and a 20,000-message chat opens a page at a time with no widget per message."""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.intake import import_paths
from app.core.reading import suggestion_groups
from app.core.records import list_conversations, list_events, search_messages
from app.models import TimelineKind
from app.ui.chats.message_model import MAX_ROWS, MESSAGE_ROLE, PAGE
from app.ui.kit.controller import CaseController, DataArea
from app.ui.shell.main_window import MainWindow
from tests.chats.test_json_exports import make_zip
from tests.chats.test_whatsapp import LRM, NNBSP, write
from tests.conftest import PASSPHRASE
from tests.test_chat_import import jpeg
from tests.ui.keys import click_tab, focused, press, put_focus, show_active
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401

RTL_NAME = "\u05e9\u05e8\u05d4 <b>&amp;</b>"  # a Hebrew name with markup in it
HOSTILE = "=HYPERLINK(\"http://x\",\"y\") <b>bold</b> &amp; \u05e9\u05dc\u05d5\u05dd \x07"
CHAT = (f"[13/01/2024, 2:05:09{NNBSP}PM] Messages and calls are end-to-end encrypted.\n"
        f"[13/01/2024, 2:05:10{NNBSP}PM] Sam: {LRM}<attached: 00000012-PHOTO-2024-01-13.jpg>\n"
        f"[13/01/2024, 2:06:00{NNBSP}PM] Alex: Pay 500 or I send it to everyone.\n"
        f"[14/01/2024, 9:00:00{NNBSP}AM] Alex: {HOSTILE}\n"
        f"[14/01/2024, 9:01:00{NNBSP}AM] Sam: <Media omitted>\n"
        f"[14/01/2024, 9:02:00{NNBSP}AM] Alex: This message was deleted\n")


def _window(qtbot: QtBot, controller: CaseController) -> MainWindow:
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    show_active(qtbot, window)
    # Made after the case opened: as on case_opened (a tab behind another loads when shown).
    window.evidence.reload()
    for view in (window.conversations, window.timeline):
        view.loader.request()
    settle(qtbot)
    return window


def _add(qtbot: QtBot, controller: CaseController, *paths: Path) -> list[int]:
    outcomes = run_in_case(qtbot, controller, lambda case: import_paths(case, list(paths)))
    return [o.evidence_id for o in outcomes]  # type: ignore[attr-defined]


def _open_first(qtbot: QtBot, window: MainWindow) -> None:
    view = window.conversations
    window.show_view("conversations")
    qtbot.waitUntil(lambda: view.conversations.tree.topLevelItemCount() > 0, timeout=5000)
    put_focus(qtbot, view.conversations.tree)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.page.model.rowCount() > 0, timeout=5000)
    settle(qtbot)


def test_open_a_conversation_arrow_through_and_open_a_picture(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    export = make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": CHAT, "00000012-PHOTO-2024-01-13.jpg": jpeg("red")})
    export_id, photo_id = _add(qtbot, controller, export)
    window = _window(qtbot, controller)
    view = window.conversations
    tree = view.conversations.tree
    click_tab(qtbot, window.tabs, view)  # the Chats tab reads its list as it shows
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1, timeout=5000)
    item = tree.topLevelItem(0)
    assert [item.text(c) for c in range(4)] == ["Sam", "WhatsApp", "Sam, Alex",
                                                "6"]
    _open_first(qtbot, window)
    page = view.page
    assert view.stack.currentWidget() is page and page.list.hasFocus()
    assert "local to the phone" in page.notes.text()
    assert "Not chosen" in page.me_box.currentText()
    # Row 0 (the system line) is selected; Down reaches Sam's picture.
    assert page.list.currentIndex().row() == 0
    press(Qt.Key.Key_Down)
    message = page.selected_message()
    assert message is not None and message.sender == "Sam"
    assert [a.evidence_id for a in message.attachments] == [photo_id]
    assert page.attachment_button.isEnabled()
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.evidence, timeout=5000)
    qtbot.waitUntil(lambda: window.evidence.selected_ids() == [photo_id], timeout=5000)
    # Back to the conversation: the hostile text is shown as text, and its date line is drawn.
    window.show_view("conversations")
    put_focus(qtbot, page.list)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    shown = page.selected_message()
    assert shown is not None and shown.text == HOSTILE
    assert page.model.data(page.list.currentIndex(), Qt.ItemDataRole.DisplayRole).startswith(
        "Alex, 2024-01-14T09:00:00:")
    press(Qt.Key.Key_Escape)
    assert view.stack.currentWidget() is view.conversations
    assert export_id is not None
    settle(qtbot)  # the picture's details finish loading before the window goes


def test_a_click_on_the_attachment_line_opens_it(qtbot: QtBot, controller: CaseController,
                                                 tmp_path: Path) -> None:
    export = make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": CHAT, "00000012-PHOTO-2024-01-13.jpg": jpeg("red")})
    _, photo_id = _add(qtbot, controller, export)
    window = _window(qtbot, controller)
    _open_first(qtbot, window)
    page = window.conversations.page
    index = page.model.index(1)
    found = page.delegate.layout_at(page.list.visualRect(index), index)
    assert found is not None and len(found.attachments) == 1
    place, _ = found.attachments[0]
    QTest.mouseClick(page.list.viewport(), Qt.MouseButton.LeftButton, pos=place.center())
    qtbot.waitUntil(lambda: window.evidence.selected_ids() == [photo_id], timeout=5000)
    settle(qtbot)


def test_a_message_goes_on_the_timeline_by_key_and_by_menu(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    export_id, _ = _add(qtbot, controller, make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": CHAT, "00000012-PHOTO-2024-01-13.jpg": jpeg("red")}))
    window = _window(qtbot, controller)
    _open_first(qtbot, window)
    page = window.conversations.page
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "On the timeline" in page.message.text(), timeout=5000)
    settle(qtbot)
    events = run_in_case(qtbot, controller, list_events)
    assert [e.description.split("\n")[0] for e in events] == [  # type: ignore[attr-defined]
        "Alex wrote: “Pay 500 or I send it to everyone.”"]
    assert events[0].evidence_ids == (export_id,)  # type: ignore[index]
    # The context menu (the event a right click or the Menu key makes): "as a threat".
    centre = page.list.visualRect(page.list.currentIndex()).center()
    viewport = page.list.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, centre, viewport.mapToGlobal(centre)))
    menu = _popup(qtbot)
    QTest.keyClick(menu, Qt.Key.Key_Down)  # "Add to timeline"
    QTest.keyClick(menu, Qt.Key.Key_Down)  # "... as a threat"
    QTest.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Threat" in page.message.text(), timeout=5000)
    settle(qtbot)
    events = run_in_case(qtbot, controller, list_events)
    assert [e.kind for e in events] == [TimelineKind.OTHER,  # type: ignore[attr-defined]
                                        TimelineKind.THREAT]
    click_tab(qtbot, window.tabs, window.timeline)  # the Timeline tab shows it
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() == 2, timeout=5000)


def _popup(qtbot: QtBot) -> QWidget:
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5000)
    menu = QApplication.activePopupWidget()
    assert menu is not None
    return menu


def test_choosing_your_own_name_puts_your_messages_on_the_right_and_the_case_keeps_it(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    _add(qtbot, controller, write(tmp_path, f"13/01/2024, 14:05 - {RTL_NAME}: hi\n"
                                            "13/01/2024, 14:06 - Alex: pay\n"))
    window = _window(qtbot, controller)
    _open_first(qtbot, window)
    page = window.conversations.page
    width = page.list.viewport().width()

    def left_of_first_bubble() -> int:
        first = page.model.index(0)
        found = page.delegate.layout_at(page.list.visualRect(first), first)
        assert found is not None
        return found.bubble.left()

    assert left_of_first_bubble() < width // 3
    put_focus(qtbot, page.me_box)
    press(Qt.Key.Key_Down)  # the first sender's name
    assert page.me_box.currentData() == RTL_NAME
    assert left_of_first_bubble() > width // 3
    settle(qtbot)
    (kept,) = run_in_case(qtbot, controller, list_conversations)  # type: ignore[misc]
    assert kept.me == RTL_NAME
    # Locked and opened again: the case remembers, so the bubbles are on the right again.
    path = controller.require_case().path
    controller.lock()
    assert page.model.rowCount() == 0 and page.me_box.count() == 0
    opened: list[bool] = []
    controller.unlock(path, PASSPHRASE, on_done=lambda: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    settle(qtbot)
    _open_first(qtbot, window)
    assert page.me_box.currentData() == RTL_NAME
    assert left_of_first_bubble() > width // 3
    # "Not chosen" is kept too: everyone on the left again, after the next unlock as well.
    put_focus(qtbot, page.me_box)
    press(Qt.Key.Key_Home)
    assert page.me_box.currentData() is None and left_of_first_bubble() < width // 3
    settle(qtbot)
    (kept,) = run_in_case(qtbot, controller, list_conversations)  # type: ignore[misc]
    assert kept.me is None


def test_an_export_waiting_for_its_date_order_is_read_when_chosen(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    _add(qtbot, controller, write(tmp_path, "03/04/2024, 10:00 - Sam: hi\n"
                                            "05/06/2024, 11:00 - Alex: pay now\n"
                                            "05/06/2024, 11:01 - Alex: kwame.pay@example.com\n"))
    window = _window(qtbot, controller)
    lister = window.conversations.conversations
    window.show_view("conversations")
    qtbot.waitUntil(lambda: lister.tree.topLevelItemCount() == 1, timeout=5000)
    assert lister.waiting.isVisible() and not lister.open_button.isEnabled()
    assert "03/04 could be 3 April or March 4" in lister.waiting_label.text()
    qtbot.waitUntil(lambda: "3 April 2024" in lister.day_first_button.text(), timeout=5000)
    assert "4 March 2024" in lister.month_first_button.text()
    # Enter on its row, as the list says ("press Enter to open one"), did nothing; it goes to
    # the question the export waits on.
    put_focus(qtbot, lister.tree)
    press(Qt.Key.Key_Return)
    assert focused() is lister.day_first_button
    press(Qt.Key.Key_Space)
    settle(qtbot)
    qtbot.waitUntil(lambda: lister.open_button.isEnabled(), timeout=5000)
    assert lister.tree.topLevelItem(0).text(3) == "3"
    found = run_in_case(qtbot, controller, lambda case: search_messages(case, "pay now"))
    assert [m.sent_at for m in found] == ["2024-06-05T11:00"]  # type: ignore[attr-defined]
    # Its messages are looked through for details at once, with nothing else added (it had
    # waited until a picture was, "looking through this chat's messages" meanwhile).
    qtbot.waitUntil(lambda: "kwame.pay@example.com" in [g.value for g in run_in_case(
        qtbot, controller, suggestion_groups)], timeout=10000)  # type: ignore[union-attr]


def test_a_search_hit_opens_its_message_in_the_conversation(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    lines = [f"13/01/2024, 14:{i % 60:02d} - {'Sam' if i % 2 else 'Alex'}: line {i}"
             for i in range(2 * PAGE)]
    lines[PAGE + 50] = "13/01/2024, 18:00 - Alex: the needle we want"
    _add(qtbot, controller, write(tmp_path, "\n".join(lines) + "\n"))
    window = _window(qtbot, controller)
    search = window.start_search()
    put_focus(qtbot, search.query)
    QTest.keyClicks(search.query, "needle")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: search.results.count() == 1, timeout=5000)
    put_focus(qtbot, search.results)
    search.results.setCurrentRow(0)
    press(Qt.Key.Key_Return)
    page = window.conversations.page
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is window.conversations, timeout=5000)
    qtbot.waitUntil(lambda: page.selected_message() is not None
                    and page.selected_message().text == "the needle we want", timeout=5000)
    # The window starts a little before the hit, so earlier messages come as you go up.
    assert page.model.first > 0
    put_focus(qtbot, page.list)
    press(Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: page.model.first == 0, timeout=5000)
    settle(qtbot)
    message = page.selected_message()
    assert message is not None and message.position > 0  # what was at the top stays in sight


@pytest.mark.parametrize("count", [20_000])
def test_a_long_chat_opens_a_page_at_a_time_without_a_widget_per_message(
        qtbot: QtBot, controller: CaseController, tmp_path: Path, count: int) -> None:
    body = "".join(f"13/01/2024, {(i // 60) % 24:02d}:{i % 60:02d} - "
                   f"{'Sam' if i % 3 else 'Alex'}: message number {i}\n" for i in range(count))
    _add(qtbot, controller, write(tmp_path, body))
    (conversation,) = run_in_case(qtbot, controller, list_conversations)  # type: ignore[misc]
    assert conversation.message_count == count
    window = _window(qtbot, controller)
    widgets_before = len(window.findChildren(QWidget))
    _open_first(qtbot, window)
    page = window.conversations.page
    assert page.model.rowCount() == PAGE  # one page read, not 20,000 rows
    assert len(window.findChildren(QWidget)) - widgets_before < 10
    assert page.list.indexWidget(page.model.index(5)) is None
    # Scrolling to the end of what is read fetches the next page, in the worker.
    put_focus(qtbot, page.list)
    press(Qt.Key.Key_End)
    qtbot.waitUntil(lambda: page.model.rowCount() >= 2 * PAGE, timeout=10000)
    settle(qtbot)
    bar = page.list.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: page.model.rowCount() >= 3 * PAGE, timeout=10000)
    settle(qtbot)
    press(Qt.Key.Key_PageDown)
    message = page.selected_message()
    assert message is not None and message.text.startswith("message number")
    last = page.model.index(page.model.rowCount() - 1).data(MESSAGE_ROLE)
    assert last.position == page.model.first + page.model.rowCount() - 1
    assert last.text == f"message number {last.position}"
    # Far on, the window holds at most MAX_ROWS: pages at the start have gone...
    while page.model.first == 0:
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda: not page.model.is_loading(), timeout=10000)
        settle(qtbot)
    assert page.model.rowCount() <= MAX_ROWS
    assert len(window.findChildren(QWidget)) - widgets_before < 10
    # ...and come back, in order, when the person scrolls up to them again.
    first = page.model.first
    bar.setValue(0)
    qtbot.waitUntil(lambda: page.model.first < first, timeout=10000)
    settle(qtbot)
    held = [page.model.message_at(r) for r in range(page.model.rowCount())]
    assert [m.position for m in held if m] == list(
        range(page.model.first, page.model.first + page.model.rowCount()))
    # What was at the top stays there as the earlier page comes in above it.
    top = page.list.indexAt(page.list.viewport().rect().topLeft() + QPoint(4, 4))
    assert page.model.message_at(top.row()).position == first  # type: ignore[union-attr]


def test_a_long_group_name_is_shortened_not_widening_the_page(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """"Your messages on the right" shares the title's row (on a 1024x600 screen at 125% the
    messages had a row less); a group's long name is shortened there, whole in its tooltip,
    rather than push the choice or the window's edge."""
    name = "Family and friends of the Smith household " * 3
    _add(qtbot, controller, write(tmp_path, "13/01/2024, 14:05 - Sam: hi\n"
                                            "13/01/2024, 14:06 - Alex: pay\n",
                                  name=f"WhatsApp Chat with {name.strip()}.txt"))
    window = _window(qtbot, controller)
    window.resize(819, 480)
    _open_first(qtbot, window)
    page = window.conversations.page
    assert page.title.toolTip() == name.strip()
    assert page.me_box.geometry().top() < page.facts.geometry().top()  # on the title's row
    assert page.minimumSizeHint().width() < 800
    assert page.me_box.mapTo(window, page.me_box.rect().topRight()).x() <= window.width()


def test_locking_leaves_no_message_on_screen(qtbot: QtBot, controller: CaseController,
                                             tmp_path: Path) -> None:
    _add(qtbot, controller, write(tmp_path, "13/01/2024, 14:05 - Sam: a secret\n"
                                            "13/01/2024, 14:06 - Alex: pay\n"))
    window = _window(qtbot, controller)
    _open_first(qtbot, window)
    view = window.conversations
    assert view.page.model.rowCount() == 2 and "Sam" in view.page.facts.text()
    # The chat export's exhibit reference, as the report's transcript heading gives it.
    assert view.page.facts.text().endswith(" · exhibit TC/1")
    controller.lock()
    assert view.page.model.rowCount() == 0 and view.conversations.tree.topLevelItemCount() == 0
    assert view.page.title.text() == "" and view.page.facts.text() == ""
    assert view.page.title.toolTip() == ""  # the shortened name's whole text goes too
    assert view.page.me_box.count() == 0 and view.stack.currentWidget() is view.conversations


def test_what_a_bubble_shows_is_as_written_and_hides_nothing() -> None:
    from app.core.records import Attachment
    from app.ui.chats.bubble_delegate import SHOWN_CHARS, attachment_words, shown_text
    from app.ui.kit.view_text import time_as_written

    assert time_as_written("2024-01-13T09:30") == "09:30"
    assert time_as_written("2024-01-13T09:30:05") == "09:30:05"
    assert time_as_written("2024-01-13T09:30:05+00:00") == "09:30:05 UTC"
    assert time_as_written("2024-01-13T09:30:05.123+00:00") == "09:30:05 UTC"
    assert time_as_written("2024-01-13T09:30+02:00") == "09:30 +02:00"
    # An override that would reverse the text shows as an escape; line breaks and the
    # direction marks WhatsApp writes itself stay as they are.
    assert shown_text("pay\u202enow\nsoon \u200edone") == "pay\\u202enow\nsoon \u200edone"
    assert shown_text(HOSTILE) == HOSTILE.replace("\x07", "\\u0007")
    long = shown_text("x" * (SHOWN_CHARS + 50))
    assert long.startswith("x" * SHOWN_CHARS) and "shortened here" in long
    assert attachment_words(Attachment("media/<b>=HYPERLINK(1)&amp;.jpg", 12)) == (
        "Attached: <b>=HYPERLINK(1)&amp;.jpg · open evidence #12")  # its name, as plain text
    assert "not in the export" in attachment_words(Attachment("IMG-1.jpg", None))


def test_a_discord_package_is_the_owners_own_side(qtbot: QtBot, controller: CaseController,
                                                  tmp_path: Path) -> None:
    _add(qtbot, controller, make_zip(tmp_path / "package.zip", {
        "account/user.json": {"id": "5", "username": "sam_k"},
        "messages/index.json": {"111": "Direct Message with alex#0001"},
        "messages/c111/channel.json": {"id": "111", "type": 1, "recipients": ["5", "9"]},
        "messages/c111/messages.csv": "ID,Timestamp,Contents,Attachments\n"
                                      "1,2021-02-03 12:34:56+00:00,stop it,\n"}))
    window = _window(qtbot, controller)
    _open_first(qtbot, window)
    page = window.conversations.page
    assert page.me_box.currentText() == "sam_k"
    index = page.model.index(0)
    found = page.delegate.layout_at(page.list.visualRect(index), index)
    assert found is not None and found.bubble.left() > page.list.viewport().width() // 3
    assert "only hold your own messages" in page.notes.text()
    assert "a time zone shows only where the export states one" in page.notes.text()


def test_enter_on_a_message_with_two_pictures_offers_both(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    from tests.chats.test_json_exports import meta_text, meta_thread

    root = "your_instagram_activity/messages/inbox/zoe_123"
    thread = meta_thread([{
        "sender_name": meta_text("Zoë"), "timestamp_ms": 1704067200000,
        "photos": [{"uri": f"{root}/photos/1.jpg"}, {"uri": f"{root}/photos/2.jpg"}]}])
    ids = _add(qtbot, controller, make_zip(tmp_path / "instagram.zip", {
        f"{root}/message_1.json": thread, f"{root}/photos/1.jpg": jpeg("red"),
        f"{root}/photos/2.jpg": jpeg("blue")}))
    window = _window(qtbot, controller)
    click_tab(qtbot, window.tabs, window.conversations)
    qtbot.waitUntil(lambda: window.conversations.conversations.tree.topLevelItemCount() == 1,
                    timeout=5000)
    assert window.conversations.conversations.tree.topLevelItem(0).text(0) == "Zoë"
    _open_first(qtbot, window)
    page = window.conversations.page
    assert "a time zone shows only where" in page.notes.text()
    press(Qt.Key.Key_Return)
    menu = _popup(qtbot)
    QTest.keyClick(menu, Qt.Key.Key_Down)
    QTest.keyClick(menu, Qt.Key.Key_Down)
    QTest.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.evidence.selected_ids() == [ids[2]], timeout=5000)
    settle(qtbot)


def test_adding_an_export_says_where_its_messages_are(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    window = _window(qtbot, controller)
    read = write(tmp_path, "13/01/2024, 14:05 - Sam: hi\n", name="WhatsApp Chat with Sam.txt")
    waiting = write(tmp_path, "03/04/2024, 10:00 - Sam: hi\n", name="WhatsApp Chat with Jo.txt")
    window.evidence.import_paths([str(read), str(waiting)])  # as "Add files…" hands them
    qtbot.waitUntil(lambda: "Chats tab" in window.evidence.result_label.text(), timeout=10000)
    words = window.evidence.result_label.text()
    assert words.startswith("2 added.")
    assert "The chat export's messages are on the Chats tab." in words
    assert "A chat export waits for you to choose how its dates are written" in words
    settle(qtbot)
    click_tab(qtbot, window.tabs, window.conversations)
    qtbot.waitUntil(
        lambda: window.conversations.conversations.tree.topLevelItemCount() == 2, timeout=5000)


def test_with_no_chat_yet_the_page_says_so_under_its_intro(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """With no chat export the list was hidden, and its intro, a greyed "Open conversation"
    button and the words saying there is no chat yet were spread over the whole page."""
    window = _window(qtbot, controller)
    window.show_view("conversations")
    settle(qtbot)
    page = window.conversations.conversations
    assert page.empty_label.isVisible() and not page.open_button.isVisible()
    gap = page.empty_label.geometry().top() - page.intro.geometry().bottom()
    assert 0 <= gap < 20
    assert page.empty_label.text().startswith("No chat exports yet")

    _add(qtbot, controller, write(tmp_path, "13/01/2024, 21:00 - Sam: hello\n"))
    controller.data_changed.emit(DataArea.EVIDENCE)  # as an import finishing says
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 1, timeout=5000)
    settle(qtbot)
    assert page.tree.isVisible() and page.open_button.isVisible()
    assert not page.empty_label.isVisible()


def test_the_list_of_conversations_fits_without_a_sideways_scroll_bar(qtbot: QtBot) -> None:
    """At 1366x768 and 125% the name's fixed column (200, 250 scaled) pushed "Last message"
    behind a sideways scroll bar, for a conversation called "Emma"."""
    from app.core.records import ConversationRow
    from app.ui.chats.conversation_list import ConversationList

    listing = ConversationList()
    qtbot.addWidget(listing)
    listing.resize(680, 400)
    listing.show()
    rows = [ConversationRow(n, n, "whatsapp", title, [title, "Jo"], 10,
                            "2026-12-03T21:04:00", "2026-12-04T08:16:00", [], "read")
            for n, title in ((1, "Emma"), (2, "Chloe"))]
    listing.show_rows(rows)
    settle(qtbot)
    tree = listing.tree
    assert tree.horizontalScrollBar().maximum() == 0
    last = tree.header().sectionViewportPosition(5) + tree.columnWidth(5)
    assert last <= tree.viewport().width()
    # A long group name still has its column, at most 260 wide (its end cut with "…").
    listing.show_rows([rows[0], ConversationRow(3, 3, "whatsapp", "Family " * 30, ["A"], 2,
                                                None, None, [], "read")])
    assert tree.columnWidth(0) == 260
