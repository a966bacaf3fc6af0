"""The "Your messages on the right" list box is wide enough for what it says.

Its entries are put in when a conversation opens, after the page first showed; Qt sized the
box to its contents at that first show, when it held nothing, and "Not chosen: everyone on
the left" showed as "Not chos" (1024x768 at 125%)."""

from pathlib import Path

from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from app.ui.kit.controller import CaseController
from tests.chats.test_json_exports import make_zip
from tests.ui.test_conversations import CHAT, _add, _open_first, _window
from tests.ui.views_support import controller_fixture, settle  # noqa: F401


def test_the_me_box_shows_its_whole_entry(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    _add(qtbot, controller, make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {"_chat.txt": CHAT}))
    window = _window(qtbot, controller)
    view = window.conversations
    window.show_view("conversations")
    view.stack.setCurrentWidget(view.page)  # the page shown once before, with nothing in it
    settle(qtbot)
    view.stack.setCurrentWidget(view.conversations)
    _open_first(qtbot, window)
    settle(qtbot)
    box = window.conversations.page.me_box
    words = QFontMetrics(box.font()).horizontalAdvance(box.currentText())
    assert box.currentText().startswith("Not chosen")
    assert box.width() > words + 16  # the words, and the arrow beside them
    for index in range(box.count()):  # and so do the names it offers
        assert box.width() > QFontMetrics(box.font()).horizontalAdvance(box.itemText(index))


def test_a_very_long_name_does_not_widen_the_page(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Names come from the export, any length: the box stops at about 40 letters."""
    long_name = "Sam " + "x" * 76  # as long as a sender name may be
    _add(qtbot, controller, make_zip(tmp_path / "WhatsApp Chat - Sam.zip",
                                     {"_chat.txt": CHAT.replace("Sam:", f"{long_name}:")}))
    window = _window(qtbot, controller)
    _open_first(qtbot, window)
    settle(qtbot)
    box = window.conversations.page.me_box
    assert any(box.itemText(i).startswith("Sam xxx") for i in range(box.count()))
    assert box.width() <= QFontMetrics(box.font()).horizontalAdvance("M" * 40)
    assert box.width() < window.conversations.page.width()
