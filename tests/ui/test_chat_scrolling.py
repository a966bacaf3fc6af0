"""Scrolling a long conversation in the Chats tab with real wheel events and real drags of the
scroll bar's handle, to the last message and back to the first: what is shown at the top and
the bottom is the right message, and what is held is a window of the conversation, in order.
(How long the window pauses while this happens is measured in benchmarks/bench_chat_view.py.)"""

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.records import MessageRow
from app.ui.chats.conversation_page import ConversationPage
from app.ui.chats.message_model import MAX_ROWS
from app.ui.kit.controller import CaseController
from benchmarks.bench_chat_view import drag_handle
from tests.chats.test_whatsapp import write
from tests.ui.keys import wheel_over
from tests.ui.test_conversations import _add, _open_first, _window
from tests.ui.views_support import controller_fixture, settle  # noqa: F401


def _top_message(page: ConversationPage) -> MessageRow:
    top = page.list.indexAt(QPoint(4, 4))
    message = page.model.message_at(top.row())
    assert message is not None
    return message


def _held_in_order(page: ConversationPage) -> None:
    held = [page.model.message_at(r) for r in range(page.model.rowCount())]
    assert [m.position for m in held if m] == list(
        range(page.model.first, page.model.first + page.model.rowCount()))
    assert all(m is not None and m.text.startswith(f"message number {m.position} ")
               for m in held)
    assert page.model.rowCount() <= MAX_ROWS


SECOND_LINE = "\na second line"


def test_scrolling_a_long_chat_by_wheel_and_by_dragging_the_scroll_bar_shows_the_right_messages(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    count = 3_000  # twenty pages: the window moves on many times each way
    body = "".join(f"13/01/2024, {(i // 60) % 24:02d}:{i % 60:02d} - "
                   f"{'Sam' if i % 3 else 'Alex'}: message number {i} "
                   f"{'and more words ' * (i % 7)}{SECOND_LINE if i % 5 == 0 else ''}\n"
                   for i in range(count))  # rows of many heights, as in a real chat
    _add(qtbot, controller, write(tmp_path, body))
    window = _window(qtbot, controller)
    _open_first(qtbot, window)
    page = window.conversations.page
    bar = page.list.verticalScrollBar()
    viewport = page.list.viewport()

    def at_last() -> bool:
        return (not page.model.is_loading() and bar.value() == bar.maximum()
                and page.model.first + page.model.rowCount() == count)

    # The wheel, turned towards the person, reads page after page to the last message.
    turns = 0
    while not at_last():
        assert wheel_over(viewport, -15)
        qtbot.wait(5)
        turns += 1
        assert turns < 5_000, "the wheel never reached the last message"
        if turns % 50 == 0:
            _held_in_order(page)
    settle(qtbot)
    assert at_last() and page.model.first > 0
    _held_in_order(page)
    last = page.list.indexAt(QPoint(4, viewport.height() - 4))
    assert page.model.message_at(last.row()).position == count - 1  # type: ignore[union-attr]
    # Half-way back up by the wheel: the message at the top is one of those around it.
    for _ in range(40):
        wheel_over(viewport, 3)
        qtbot.wait(5)
    settle(qtbot)
    _held_in_order(page)
    top = _top_message(page)
    assert page.model.first <= top.position < count - 1
    # Dragging the scroll bar's handle to the top, again and again, reads back to the first.
    drags = 0
    while page.model.first > 0 or bar.value() > 0:
        drag_handle(QApplication.instance(), bar, down=False)  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: not page.model.is_loading(), timeout=10000)
        drags += 1
        assert drags < 100, "dragging never reached the first message"
        assert _top_message(page).position >= page.model.first
    settle(qtbot)
    _held_in_order(page)
    assert _top_message(page).position == 0
    assert _top_message(page).text.startswith("message number 0 ")
    # ...and to the bottom: the last message again, the first pages gone from memory.
    while not at_last():
        drag_handle(QApplication.instance(), bar, down=True)  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: not page.model.is_loading(), timeout=10000)
        drags += 1
        assert drags < 200, "dragging never reached the last message"
    settle(qtbot)
    _held_in_order(page)
    last = page.list.indexAt(QPoint(4, viewport.height() - 4))
    assert page.model.message_at(last.row()).position == count - 1  # type: ignore[union-attr]
