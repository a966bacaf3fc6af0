"""From a chat export's details on the Evidence page to its messages, by mouse or keyboard:
"Read its messages" opens its conversation on the Chats tab; an export holding several
conversations shows them in the list with the first chosen."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.core.intake import import_paths
from app.core.records import MessageRow
from app.models.casefile import CaseFile
from app.ui.chats.conversations_view import ConversationsView
from app.ui.evidence.model import EVIDENCE_ROLE
from app.ui.evidence.view import EvidenceView
from app.ui.shell.session import SafekeepSession
from tests.test_chat_details import WHATSAPP
from tests.ui.keys import closed, focused, put_focus
from tests.ui.shell_support import clock, open_main_window, settle, shell

__all__ = ["clock", "shell"]

TELEGRAM_TWO = {"chats": {"list": [
    {"name": "Alex", "type": "personal_chat", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2024-01-12T15:06:00", "from": "Alex",
         "from_id": "user1", "text": "hello"}]},
    {"name": "Jo", "type": "personal_chat", "id": 2, "messages": [
        {"id": 2, "type": "message", "date": "2024-01-13T15:06:00", "from": "Jo",
         "from_id": "user2", "text": "pay now"}]}]}}


def _window_with(qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
                 paths: list[Path]) -> tuple[Any, list[int]]:
    """The main window, unlocked, on a case holding `paths`; their evidence ids."""
    case = make_case()
    ids = [outcome.evidence_id for outcome in import_paths(case, paths)]
    path = case.path
    case.close()
    return open_main_window(qtbot, shell, path), ids


def _window_with_chats(qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
                       tmp_path: Path) -> tuple[Any, list[int]]:
    whatsapp = tmp_path / "WhatsApp Chat with Sam.txt"
    whatsapp.write_text(WHATSAPP, encoding="utf-8")
    telegram = tmp_path / "result.json"
    telegram.write_text(json.dumps(TELEGRAM_TWO), encoding="utf-8")
    return _window_with(qtbot, shell, make_case, [whatsapp, telegram])


def _one_chosen(qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
                path: Path) -> tuple[Any, EvidenceView]:
    """The main window on a case of one item that is not a chat, that item chosen."""
    window, (item,) = _window_with(qtbot, shell, make_case, [path])
    evidence = window.evidence
    qtbot.waitUntil(lambda: evidence.model.rowCount() == 1, timeout=5000)
    assert evidence.select_evidence(item)
    settle(qtbot)
    return window, evidence


def _space_to_the_message(qtbot: QtBot, window: Any, button: QPushButton) -> MessageRow:
    """Space on a *Show the message* button: the Chats tab, at the message, which it gives."""
    chats = window.conversations
    put_focus(qtbot, button)
    QTest.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: chats.stack.currentWidget() is chats.page
                    and chats.page.selected_message() is not None, timeout=5000)
    assert window.tabs.currentWidget() is chats
    message = chats.page.selected_message()
    assert message is not None
    return message  # type: ignore[no-any-return]


def _note(tmp_path: Path) -> Path:
    note = tmp_path / "note.txt"
    note.write_text("Things to tell the police.\n", encoding="utf-8")
    return note


def _chosen(qtbot: QtBot, evidence: EvidenceView, evidence_id: int) -> None:
    qtbot.waitUntil(lambda: evidence.model.rowCount() == 2, timeout=5000)
    assert evidence.select_evidence(evidence_id)
    qtbot.waitUntil(lambda: evidence.details.messages_button.isVisible(), timeout=5000)


def test_read_its_messages_opens_the_chat_exports_conversation(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    window, (whatsapp, telegram) = _window_with_chats(qtbot, shell, make_case, tmp_path)
    evidence = window.evidence
    chats = window.conversations
    assert isinstance(evidence, EvidenceView) and isinstance(chats, ConversationsView)
    _chosen(qtbot, evidence, whatsapp)
    button = evidence.details.messages_button
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chats.stack.currentWidget() is chats.page, timeout=5000)
    assert window.tabs.currentWidget() is chats
    assert chats.page.row is not None and chats.page.row.evidence_id == whatsapp

    # Two conversations in one export: the list, with its first chosen, the keys on it.
    window.show_page(evidence)
    _chosen(qtbot, evidence, telegram)
    put_focus(qtbot, button)
    QTest.keyClick(button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: chats.conversations.selected() is not None
                    and chats.conversations.selected().evidence_id == telegram, timeout=5000)
    settle(qtbot)
    assert chats.stack.currentWidget() is chats.conversations
    assert chats.conversations.selected().title == "Alex"
    assert focused() is chats.conversations.tree


def test_only_a_chat_export_offers_its_messages(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    _window, evidence = _one_chosen(qtbot, shell, make_case, _note(tmp_path))
    assert evidence.details.content.isVisible()
    assert not evidence.details.messages_button.isVisible()


def test_enter_or_a_double_click_on_a_chats_tile_opens_its_messages(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    window, (whatsapp, telegram) = _window_with_chats(qtbot, shell, make_case, tmp_path)
    evidence = window.evidence
    chats = window.conversations
    _chosen(qtbot, evidence, whatsapp)
    put_focus(qtbot, evidence.grid)
    QTest.keyClick(evidence.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: chats.stack.currentWidget() is chats.page, timeout=5000)
    assert window.tabs.currentWidget() is chats
    assert chats.page.row is not None and chats.page.row.evidence_id == whatsapp

    window.show_page(evidence)
    chats.show_list()
    _chosen(qtbot, evidence, telegram)
    tile = evidence.grid.visualRect(evidence.model.index(1, 0)).center()
    # A double-click as the window system sends one: a click, then the second press.
    QTest.mouseClick(evidence.grid.viewport(), Qt.MouseButton.LeftButton, pos=tile)
    settle(qtbot)
    assert window.tabs.currentWidget() is evidence  # one: chosen
    QTest.mouseDClick(evidence.grid.viewport(), Qt.MouseButton.LeftButton, pos=tile)
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is chats, timeout=5000)
    qtbot.waitUntil(lambda: chats.conversations.selected() is not None
                    and chats.conversations.selected().evidence_id == telegram, timeout=5000)


def test_enter_on_another_tile_stays_on_the_evidence(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    window, evidence = _one_chosen(qtbot, shell, make_case, _note(tmp_path))
    put_focus(qtbot, evidence.grid)
    QTest.keyClick(evidence.grid, Qt.Key.Key_Return)
    settle(qtbot)
    assert window.tabs.currentWidget() is evidence
    assert focused() is evidence.grid


def test_show_the_message_from_a_chat_exports_details(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    # The export's own list of details found said which message each came from, with no way
    # to go and check it there.
    window, (whatsapp, _telegram) = _window_with_chats(qtbot, shell, make_case, tmp_path)
    evidence = window.evidence
    _chosen(qtbot, evidence, whatsapp)
    found = evidence.details.found
    qtbot.waitUntil(lambda: found.found.count() > 3, timeout=10_000)
    rows = [found.found.item(i).text() for i in range(found.found.count())]
    mtcn = next(i for i, text in enumerate(rows) if "8305216473" in text)
    put_focus(qtbot, found.found)
    QTest.keyClick(found.found, Qt.Key.Key_Home)
    for _ in range(mtcn):
        QTest.keyClick(found.found, Qt.Key.Key_Down)
    assert found.message_button.isVisible() and found.message_button.isEnabled()
    # Under the other two, not beside them: three in a row widened the pane past a 1024x600
    # screen's edge, cutting the button and the words above it.
    assert found.message_button.y() > found.add_button.y()
    window.showNormal()
    window.resize(1024, 600)
    settle(qtbot)
    pane = evidence.details
    assert pane.widget().width() <= pane.viewport().width()
    message = _space_to_the_message(qtbot, window, found.message_button)
    assert "MTCN 8305216473" in message.text


def test_a_pictures_details_offer_no_message(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    from tests.ui.views_support import png_file

    _window, evidence = _one_chosen(qtbot, shell, make_case, png_file(tmp_path / "shot.png"))
    assert not evidence.details.found.message_button.isVisible()


def test_check_them_first_from_the_export_dialog(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    # The dialog said details were not checked yet "(on the Found in evidence tab)" and left
    # the person to close it and find the way there.
    from PySide6.QtWidgets import QApplication

    from app.ui.shell.export_dialog import ExportDialog

    window, _ids = _window_with_chats(qtbot, shell, make_case, tmp_path)
    found_tab = window.found
    window.show_page(found_tab)
    qtbot.waitUntil(lambda: found_tab.tree.topLevelItemCount() > 0, timeout=10_000)
    window.show_page(window.evidence)
    put_focus(qtbot, window.evidence.grid)
    QTest.keyClick(focused() or window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialogs = window.findChildren(ExportDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: dialog.check_first_button.isVisible(), timeout=5000)
    assert dialog.unchecked_note.isVisible()
    many = dialog.unchecked_note.count
    assert many > 1 and dialog.check_first_button.text() == "Check them first"
    for _ in range(20):  # Tab to it, as a person does
        if focused() is dialog.check_first_button:
            break
        QTest.keyClick(focused() or dialog, Qt.Key.Key_Tab)
    assert focused() is dialog.check_first_button
    QTest.keyClick(dialog.check_first_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    assert window.tabs.currentWidget() is found_tab
    qtbot.waitUntil(lambda: QApplication.focusWidget() is found_tab.tree, timeout=5000)
    # On the first one to check, chosen (it had shown the list with nothing chosen).
    chosen = found_tab.selected_group()
    assert chosen is not None and chosen.can_add
    # Opened again, its button still goes there (connected once per dialog).
    window.show_page(window.evidence)
    again = window.open_export_dialog()
    qtbot.waitUntil(lambda: again.check_first_button.isVisible(), timeout=5000)
    again.check_first_button.click()
    assert window.tabs.currentWidget() is found_tab


def test_a_message_no_longer_in_the_case_is_said_so(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    # A search hit or a found detail kept from before its export was read again names a
    # message whose id has gone: the Chats tab showed and nothing else happened.
    from app.ui.kit.controller import DataArea

    window, (whatsapp, telegram) = _window_with_chats(qtbot, shell, make_case, tmp_path)
    chats = window.conversations
    window.navigate(DataArea.MESSAGES, 987_654)
    qtbot.waitUntil(lambda: chats.conversations.notice.isVisible(), timeout=5000)
    assert window.tabs.currentWidget() is chats
    assert chats.stack.currentWidget() is chats.conversations
    assert "no longer in the case" in chats.conversations.notice.text()
    # Opening a conversation puts the words away.
    window.show_page(window.evidence)
    _chosen(qtbot, window.evidence, whatsapp)
    QTest.mouseClick(window.evidence.details.messages_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chats.stack.currentWidget() is chats.page, timeout=5000)
    chats.show_list()
    assert not chats.conversations.notice.isVisible()
    # So does going to an export of two conversations, which shows them in the list.
    window.navigate(DataArea.MESSAGES, 987_654)
    qtbot.waitUntil(lambda: chats.conversations.notice.isVisible(), timeout=5000)
    window.show_page(window.evidence)
    _chosen(qtbot, window.evidence, telegram)
    QTest.mouseClick(window.evidence.details.messages_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: chats.conversations.selected() is not None
                    and chats.conversations.selected().evidence_id == telegram, timeout=5000)
    assert chats.stack.currentWidget() is chats.conversations
    assert not chats.conversations.notice.isVisible()


def test_a_photo_from_a_chat_says_who_sent_it_and_shows_the_message(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    # A photo kept from a WhatsApp ZIP has no time of its own ("Photo taken: not known") and
    # its details said nothing of the message that sent it, nor led there.
    from tests.chats.test_json_exports import make_zip
    from tests.test_chat_import import jpeg

    photo = "00000012-PHOTO-2024-01-13-14-05-10.jpg"
    chat = (f"[13/01/2024, 14:05:10] Sam: <attached: {photo}>\n"
            "[13/01/2024, 14:06:00] Alex: Pay 500 or I send it to everyone.\n")
    export = make_zip(tmp_path / "WhatsApp Chat - Sam.zip",
                      {"_chat.txt": chat, photo: jpeg("red")})
    window, ids = _window_with(qtbot, shell, make_case, [export])
    export_id = ids[0]
    evidence = window.evidence
    qtbot.waitUntil(lambda: evidence.model.rowCount() == 2, timeout=5000)
    photo_id = next(evidence.model.index(i, 0).data(EVIDENCE_ROLE).id for i in range(2)
                    if evidence.model.index(i, 0).data(EVIDENCE_ROLE).source == "chat-export")
    assert evidence.select_evidence(photo_id)
    sent_in = evidence.details.sent_in
    assert sent_in is not None
    qtbot.waitUntil(lambda: sent_in.isVisible(), timeout=5000)
    assert sent_in.words.text() == ("Sent in the chat “Sam” by Sam, 13 January 2024, 14:05:10 "
                                    "(WhatsApp).")
    assert evidence.details.fields["source"].text() == "Kept from a chat export that held it"
    message = _space_to_the_message(qtbot, window, sent_in.message_button)
    assert [a.evidence_id for a in message.attachments] == [photo_id]
    # An item added any other way says nothing of the sort.
    window.show_page(evidence)
    assert evidence.select_evidence(export_id)
    settle(qtbot)
    assert not sent_in.isVisible()


def test_a_photo_added_with_telegrams_folder_says_who_sent_it(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    # Telegram Desktop exports a folder; added as it is, its photo is an item of its own
    # (added with the folder), linked to the message that sent it.
    from tests.chats.test_telegram_html import PHOTO, exported

    folder = exported(tmp_path).with_suffix("")
    window, _ids = _window_with(qtbot, shell, make_case, [folder])
    evidence = window.evidence
    qtbot.waitUntil(lambda: evidence.model.rowCount() == 3, timeout=5000)
    rows = [evidence.model.index(i, 0).data(EVIDENCE_ROLE) for i in range(3)]
    photo = next(r for r in rows if r.original_name == PHOTO.rsplit("/", 1)[1])
    assert photo.source == "folder"
    assert evidence.select_evidence(photo.id)
    sent_in = evidence.details.sent_in
    assert sent_in is not None
    qtbot.waitUntil(lambda: sent_in.isVisible(), timeout=5000)
    assert sent_in.words.text() == ("Sent in the chat “Anna Smith” by Anna Smith, 15 March "
                                    "2025, 21:06:00 (Telegram).")
    message = _space_to_the_message(qtbot, window, sent_in.message_button)
    assert [a.evidence_id for a in message.attachments] == [photo.id]


def test_a_saved_e_mail_is_said_as_one_and_opens_its_message(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    from tests.chats.test_email import GMAIL

    mail = tmp_path / "I have your video.eml"
    mail.write_bytes(GMAIL.encode())
    window, (item,) = _window_with(qtbot, shell, make_case, [mail])
    evidence = window.evidence
    qtbot.waitUntil(lambda: evidence.model.rowCount() == 1, timeout=5000)
    assert evidence.select_evidence(item)
    qtbot.waitUntil(lambda: evidence.details.messages_button.isVisible(), timeout=5000)
    details = evidence.details
    assert details.fields["kind"].text() == "E-mail (message/rfc822)"
    assert details.note_label.text().startswith("An e-mail: its message is on the Chats tab.")
    put_focus(qtbot, details.messages_button)
    QTest.keyClick(details.messages_button, Qt.Key.Key_Space)
    chats = window.conversations
    qtbot.waitUntil(lambda: chats.stack.currentWidget() is chats.page, timeout=5000)
    assert chats.page.row is not None and chats.page.row.title == "I have your video 😈"
