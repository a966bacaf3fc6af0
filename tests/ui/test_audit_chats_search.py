"""Search, the details found by text recognition, and the conversations, driven with real keys:
what a person meets when a background task finishes while they read, and where the keyboard
focus lands after Enter, an addition or a dismissal."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.core.reading import suggestion_groups, suggestions_for
from app.core.records import search_messages
from app.core.records.identifiers import add_identifier, list_identifiers
from app.models import SuggestionState
from app.ui.chats.conversations_view import ConversationsView
from app.ui.kit.controller import CaseController, DataArea
from app.ui.reading.found_view import FoundView
from app.ui.records.search_view import SearchView
from tests.chats.test_whatsapp import write
from tests.ui.keys import focused, press, put_focus, type_keys
from tests.ui.records_support import show_view
from tests.ui.test_conversations import _add, _open_first, _window
from tests.ui.test_found_in_chats import add_chat, found_section_of
from tests.ui.test_views_found import read_everything
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def _usernames(qtbot: QtBot, controller: CaseController, count: int) -> None:
    for n in range(count):
        run_in_case(qtbot, controller, lambda case, n=n: add_identifier(
            case, "username", f"shadow_{n:02d}", platform="Instagram"))


def _search_view(qtbot: QtBot, controller: CaseController) -> SearchView:
    view = SearchView(controller)
    show_view(qtbot, view, 700, 400)
    put_focus(qtbot, view.query)
    return view


def test_enter_in_the_search_box_takes_the_person_to_the_results(
        qtbot: QtBot, controller: CaseController) -> None:
    """A person typed a word and pressed Enter at once, before the pause that starts a search:
    the focus stayed in the box, so the arrow keys and a second Enter did nothing with the
    hits that then came; now the focus goes to the results as soon as they come."""
    _usernames(qtbot, controller, 3)
    view = _search_view(qtbot, controller)
    type_keys("shadow")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.results.count() == 3, timeout=5000)
    settle(qtbot)
    assert focused() is view.results
    went: list[tuple[str, int]] = []
    view.navigate_requested.connect(lambda area, item: went.append((area, item)))
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)
    assert went and went[0][0] == DataArea.IDENTIFIERS


def test_a_change_elsewhere_keeps_the_hit_the_person_is_on(
        qtbot: QtBot, controller: CaseController) -> None:
    """A person arrowed down the results to the thirtieth hit; text recognition finished in the
    background (the case changed) and the search ran again: the list was built anew and the
    person was thrown back to the top with no hit chosen. Now the same hit stays chosen, in
    sight, with the keyboard focus on it."""
    _usernames(qtbot, controller, 80)  # more than fit: the list scrolls
    view = _search_view(qtbot, controller)
    type_keys("shadow")
    qtbot.waitUntil(lambda: view.results.count() == 80, timeout=5000)
    put_focus(qtbot, view.results)
    press(Qt.Key.Key_Home)
    for _ in range(30):
        press(Qt.Key.Key_Down)
    chosen = view.results.currentItem().text()
    assert "shadow_30" in chosen
    top = view.results.verticalScrollBar().value()
    assert top > 0
    controller.data_changed.emit(DataArea.SUGGESTIONS)  # as a finished reading does
    qtbot.wait(400)
    settle(qtbot)
    assert view.results.count() == 80
    assert view.results.currentItem() is not None
    assert view.results.currentItem().text() == chosen
    assert view.results.verticalScrollBar().value() == top
    assert focused() is view.results
    press(Qt.Key.Key_Down)
    assert "shadow_31" in view.results.currentItem().text()



def test_a_hit_in_german_text_shows_the_word_searched_for(
        qtbot: QtBot, controller: CaseController) -> None:
    """A caseworker searched for a username written in a long German note: the hit's line of
    context was cut from the wrong place (each "ß" is two letters once case is set aside), so
    it showed "…dow_trader sonst" and not the name searched for. Now the name shows whole."""
    note = "Ich weiß, dass du heißt " * 3 + "Straße Größe Fuß Gruß " * 5 + \
        "zahl jetzt an shadow_trader sonst"
    run_in_case(qtbot, controller, lambda case: add_identifier(
        case, "username", "kim_77", platform="Instagram", note=note))
    view = _search_view(qtbot, controller)
    type_keys("SHADOW_trader")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.results.count() == 1, timeout=5000)
    title, context = view.results.item(0).text().split("\n")
    assert "kim_77" in title
    assert "zahl jetzt an shadow_trader sonst" in context

def _rows(view: FoundView) -> list[QTreeWidgetItem]:
    return [view.tree.topLevelItem(i).child(j)  # type: ignore[union-attr, misc]
            for i in range(view.tree.topLevelItemCount())
            for j in range(view.tree.topLevelItem(i).childCount())]  # type: ignore[union-attr]


def _texts(view: FoundView) -> list[str]:
    return [row.text(0) for row in _rows(view)]


def test_dismissing_and_adding_by_keyboard_goes_on_to_the_next_detail(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person going through the details found in a chat, by keyboard: Space on "Not right,
    dismiss" took the row away, left no detail chosen, turned both buttons off and threw the
    focus onto another button, so they had to find their place again. Now the detail that
    took its place is chosen and the focus stays on the button; after an addition the next
    detail is chosen too (the one added stays, marked as in the details)."""
    add_chat(qtbot, controller, tmp_path)
    view = read_everything(qtbot, controller)
    show_view(qtbot, view)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() > 0, timeout=5000)
    before = _texts(view)
    put_focus(qtbot, view.tree)
    press(Qt.Key.Key_Home)
    press(Qt.Key.Key_Down)  # the first kind's first detail
    first = view.tree.currentItem().text(0)
    put_focus(qtbot, view.dismiss_button)
    press(Qt.Key.Key_Space)
    settle(qtbot)
    qtbot.waitUntil(lambda: first not in _texts(view), timeout=5000)
    assert _texts(view) == [text for text in before if text != first]
    following = before[before.index(first) + 1]
    assert view.tree.currentItem() is not None
    assert view.tree.currentItem().text(0) == following
    assert focused() is view.dismiss_button and view.dismiss_button.isEnabled()

    press(Qt.Key.Key_Space)  # the next one is not right either
    settle(qtbot)
    qtbot.waitUntil(lambda: following not in _texts(view), timeout=5000)
    chosen = view.tree.currentItem().text(0)
    dismissed = run_in_case(qtbot, controller, lambda case: sorted(
        g.value for g in suggestion_groups(case)))
    assert first not in dismissed and following not in dismissed  # type: ignore[operator]

    rows = _texts(view)
    below = rows[rows.index(chosen) + 1]  # the detail after the one added
    put_focus(qtbot, view.add_button)
    press(Qt.Key.Key_Space)
    settle(qtbot)
    qtbot.waitUntil(lambda: any(t.startswith(chosen) and "in your details" in t
                                for t in _texts(view)), timeout=5000)
    assert [i.value for i in run_in_case(qtbot, controller, list_identifiers)] == [  # type: ignore[attr-defined]
        chosen.split("  ")[0]]
    # On down the list: the next detail is chosen, the keyboard still on "Add to details",
    # so the next Space adds it (it stayed on the one added, with the button off).
    assert view.tree.currentItem().text(0) == below
    assert focused() is view.add_button and view.add_button.isEnabled()
    press(Qt.Key.Key_Space)
    settle(qtbot)
    qtbot.waitUntil(lambda: any(t.startswith(below) and "in your details" in t
                                for t in _texts(view)), timeout=5000)
    assert len(run_in_case(qtbot, controller, list_identifiers)) == 2  # type: ignore[arg-type]


def test_reached_with_tab_the_list_chooses_the_first_detail_still_to_add(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Reopened with its first detail added already, the list reached with Tab chose that
    one, where "Add to details" is off: Space did nothing (1024x768, 125%, keyboard only)."""
    add_chat(qtbot, controller, tmp_path)
    first_view = read_everything(qtbot, controller)
    qtbot.waitUntil(lambda: first_view.tree.topLevelItemCount() > 0, timeout=5000)
    first = _rows(first_view)[0]
    first_view.tree.setCurrentItem(first)
    added = first.text(0)
    first_view.add_selected()
    qtbot.waitUntil(lambda: len(run_in_case(qtbot, controller, list_identifiers)) == 1,  # type: ignore[arg-type]
                    timeout=5000)
    view = read_everything(qtbot, controller)  # as the case opens again
    show_view(qtbot, view)
    view.reload()
    qtbot.waitUntil(lambda: any("in your details" in t for t in _texts(view)), timeout=5000)
    put_focus(qtbot, view.read_button)
    press(Qt.Key.Key_Tab)
    assert focused() is view.tree
    chosen = view.tree.currentItem()
    assert chosen is not None and not chosen.text(0).startswith(added)
    assert chosen.text(0) == next(t for t in _texts(view) if "in your details" not in t)
    assert view.add_button.isEnabled()


def test_the_evidence_pane_goes_on_to_the_next_detail_after_a_dismissal(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """The same in the evidence details ("Found in this chat's messages"): Space on "Not
    right, dismiss" left no detail chosen and threw the focus out of the list's section (onto
    the file's fingerprint). Now the next detail is chosen, the focus stays on the button, and
    a second Space dismisses that one: both are dismissed in the case file."""
    export = add_chat(qtbot, controller, tmp_path)
    read_everything(qtbot, controller)
    found = found_section_of(qtbot, controller, export)
    qtbot.waitUntil(lambda: found.found.count() == 7, timeout=10_000)
    before = [found.found.item(i).text() for i in range(7)]
    put_focus(qtbot, found.found)
    press(Qt.Key.Key_Home)
    press(Qt.Key.Key_Down)
    put_focus(qtbot, found.dismiss_button)
    press(Qt.Key.Key_Space)
    settle(qtbot)
    qtbot.waitUntil(lambda: found.found.count() == 6, timeout=10_000)
    settle(qtbot)
    assert found.found.currentItem() is not None
    assert found.found.currentItem().text() == before[2]
    assert focused() is found.dismiss_button
    press(Qt.Key.Key_Space)
    settle(qtbot)
    qtbot.waitUntil(lambda: found.found.count() == 5, timeout=10_000)
    settle(qtbot)
    left = [found.found.item(i).text() for i in range(5)]
    assert left == [before[0], *before[3:]]
    dismissed = run_in_case(qtbot, controller, lambda case: sorted(
        s.value for s in suggestions_for(case, export)
        if s.state is SuggestionState.DISMISSED))
    assert dismissed == sorted(  # type: ignore[comparison-overlap]
        text.split(": ", 1)[1].split("\n")[0] for text in before[1:3])
    assert found.found.currentItem().text() == before[3]


def test_ctrl_end_and_ctrl_home_reach_the_ends_of_a_long_conversation(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A caseworker opened a 1,000-message chat and pressed Ctrl+End to read the latest
    threat: the selection stopped at message 300, the last one read so far, and each press
    went only a page further. Now Ctrl+End shows and chooses the very last message, and
    Ctrl+Home the very first."""
    count = 1000
    body = "".join(f"13/01/2024, {(i // 60) % 24:02d}:{i % 60:02d} - "
                   f"{'Sam' if i % 3 else 'Alex'}: message number {i}\n" for i in range(count))
    _add(qtbot, controller, write(tmp_path, body))
    window = _window(qtbot, controller)
    _open_first(qtbot, window)
    page = window.conversations.page
    put_focus(qtbot, page.list)

    def shown(position: int) -> bool:
        message = page.selected_message()
        if message is None or message.position != position:
            return False
        rect = page.list.visualRect(page.list.currentIndex())
        return page.list.viewport().rect().contains(rect)

    press(Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shown(count - 1), timeout=5000)
    settle(qtbot)
    assert page.selected_message().text == f"message number {count - 1}"  # type: ignore[union-attr]
    assert focused() is page.list
    press(Qt.Key.Key_Up)  # reading back from the end goes on as before
    assert page.selected_message().position == count - 2  # type: ignore[union-attr]

    press(Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shown(0), timeout=5000)
    settle(qtbot)
    assert page.selected_message().text == "message number 0"  # type: ignore[union-attr]
    assert focused() is page.list


def test_an_import_finishing_leaves_the_focus_on_the_date_order_button(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person tabbed to "Day first" under a chat export waiting for its date order, and
    was reading why; another import finished in the background and the list was read again:
    the focus was thrown onto the list, so their Space did nothing. Now the focus stays, Space
    reads the export day first (as the case file shows), and the focus then goes to the list
    on the conversation it became, so Enter opens it."""
    _add(qtbot, controller, write(tmp_path, "03/04/2024, 10:00 - Sam: hi\n"
                                            "05/06/2024, 11:00 - Alex: pay now\n"))
    view = ConversationsView(controller)
    show_view(qtbot, view)
    view.reload()
    settle(qtbot)
    lister = view.conversations
    qtbot.waitUntil(lambda: lister.tree.topLevelItemCount() == 1, timeout=5000)
    put_focus(qtbot, lister.day_first_button)
    controller.data_changed.emit(DataArea.EVIDENCE)  # as an import finishing does
    settle(qtbot)
    assert focused() is lister.day_first_button
    press(Qt.Key.Key_Space)
    settle(qtbot)
    qtbot.waitUntil(lambda: lister.open_button.isEnabled(), timeout=5000)
    found = run_in_case(qtbot, controller, lambda case: search_messages(case, "pay now"))
    assert [m.sent_at for m in found] == ["2024-06-05T11:00"]  # type: ignore[attr-defined]
    assert focused() is lister.tree
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.page.model.rowCount() == 2, timeout=5000)
    assert view.stack.currentWidget() is view.page


def test_every_line_of_a_message_taller_than_the_list_comes_on_screen_by_keyboard(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person read a long threat (80 lines, twice as tall as the list) with the arrow keys:
    Down chose it and showed its top, and the next Down jumped to the message after it, so
    lines in its middle never came on screen. Now Down, and Page Down, scroll through it
    first, then go on to the next message; Up and Page Up do the same on the way back."""
    long = "\n".join(f"line {n} of the long threat" for n in range(80))
    _add(qtbot, controller, write(tmp_path, (
        "13/01/2024, 10:00 - Alex: hello\n13/01/2024, 10:01 - Alex: " + long +
        "\n13/01/2024, 10:02 - Sam: after\n13/01/2024, 10:03 - Sam: more\n")))
    window = _window(qtbot, controller)
    _open_first(qtbot, window)
    page = window.conversations.page
    put_focus(qtbot, page.list)
    tall = page.model.index(1)
    height = page.list.viewport().height()
    assert page.list.visualRect(tall).height() > 1.5 * height

    def read_until(position: int, key: Qt.Key) -> set[int]:
        """Press `key` until that message is chosen; the pixel rows of the tall one seen."""
        seen: set[int] = set()
        for _ in range(60):
            rect = page.list.visualRect(tall)
            seen.update(range(max(0, -rect.top()), min(rect.height(), height - rect.top())))
            if page.selected_message().position == position:  # type: ignore[union-attr]
                return seen
            press(key)
        raise AssertionError("the keys never got there")

    every_row = set(range(page.list.visualRect(tall).height()))
    press(Qt.Key.Key_Home)
    assert read_until(2, Qt.Key.Key_Down) == every_row
    assert read_until(0, Qt.Key.Key_Up) == every_row
    assert read_until(3, Qt.Key.Key_PageDown) == every_row
    assert read_until(0, Qt.Key.Key_PageUp) == every_row
