"""Details found in chat messages, in the window: the background reader looks through a chat
export just added; the case-wide tab and the export's own details list what it found with the
message's sender and time; a person adds one with the mouse, or with the keyboard, and the
identifier reaches the case file linked to the export."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.core.intake import import_paths
from app.core.records.identifiers import list_identifiers
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController
from app.ui.reading.found_in_picture import FoundInPicture
from tests.test_chat_details import WHATSAPP
from tests.ui.keys import put_focus, show_active
from tests.ui.test_views_found import read_everything
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def add_chat(qtbot: QtBot, controller: CaseController, tmp_path: Path) -> int:
    chat = tmp_path / "WhatsApp Chat with Kim.txt"
    chat.write_text(WHATSAPP, encoding="utf-8")
    (outcome,) = run_in_case(qtbot, controller,  # type: ignore[misc]
                             lambda case: import_paths(case, [chat]))
    return outcome.evidence_id  # type: ignore[no-any-return]


def test_a_detail_from_a_message_is_added_with_the_mouse(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    export = add_chat(qtbot, controller, tmp_path)
    view = read_everything(qtbot, controller)
    show_active(qtbot, view)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() > 0, timeout=5000)
    rows = [view.tree.topLevelItem(i).child(j)  # type: ignore[union-attr]
            for i in range(view.tree.topLevelItemCount())
            for j in range(view.tree.topLevelItem(i).childCount())]  # type: ignore[union-attr]
    row = next(r for r in rows if r is not None and r.text(0) == "scam.collector99@gmail.com")
    # Where it was seen, with the words of the message from just before it (the start of
    # the message, cut at 80 letters, had cut the detail itself: "scam.collector99@gmail.c…").
    assert row.text(1) == ("1 chat export  · +44 7911 123456, 13 March 2024, 21:15: "
                           "\u201c…pictures. Write to scam.collector99@gmail.com when it is "
                           "sent\u201d")
    view.tree.scrollToItem(row)
    QTest.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.tree.visualItemRect(row).center())
    assert view.tree.currentItem() is row
    assert view.picture_button.text() == "Show the message"
    QTest.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    (identifier,) = run_in_case(qtbot, controller, list_identifiers)  # type: ignore[misc]
    assert identifier.value == "scam.collector99@gmail.com"
    assert identifier.evidence_ids == (export,)
    # The row added says so, and the next detail is chosen, as after the keyboard's Space.
    qtbot.waitUntil(lambda: any(
        item.text(0).startswith("scam.collector99@gmail.com") and "in your details" in item.text(0)
        for item in view.tree.findItems("", Qt.MatchFlag.MatchContains
                                        | Qt.MatchFlag.MatchRecursive)), timeout=5000)
    assert not view.tree.currentItem().text(0).startswith("scam.collector99@gmail.com")

    went: list[tuple[str, int]] = []
    view.navigate_requested.connect(lambda area, item: went.append((area, item)))
    QTest.mouseClick(view.picture_button, Qt.MouseButton.LeftButton)
    # The message it was first seen in, in its conversation (it had shown the export's tile).
    group = view.selected_group()
    assert group is not None and group.evidence_ids == (export,) and group.messages
    assert group.value.casefold() in group.messages[0].text.casefold()
    assert went == [("messages", group.messages[0].message_id)]


def found_section_of(qtbot: QtBot, controller: CaseController,
                     evidence_id: int) -> FoundInPicture:
    """The Evidence page, shown, on a case of one item, with `evidence_id` chosen, and the
    section of its details that lists what was found in it."""
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    show_active(qtbot, view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert view.select_evidence(evidence_id)
    found = view.details.found
    assert found is not None
    return found  # the view stays with qtbot


def test_the_exports_details_list_its_messages_details_and_add_one_by_keyboard(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    export = add_chat(qtbot, controller, tmp_path)
    read_everything(qtbot, controller)
    found = found_section_of(qtbot, controller, export)
    qtbot.waitUntil(lambda: found.found.count() == 7, timeout=10_000)
    assert found.heading.text() == "Found in this chat's messages"
    assert "against the message it came from" in found.status.text()
    assert not found.picture.isVisible() and not found.show_text.isVisible()
    rows = [found.found.item(i).text() for i in range(found.found.count())]
    mtcn = next(i for i, text in enumerate(rows) if "8305216473" in text)
    # Where a username is from, as the Found in evidence tab says it (it was left out).
    assert any(text.startswith("Username on an app or website: dark.lord_22  (Snapchat)\n")
               for text in rows), rows
    assert "+44 7911 123456, 13 March 2024, 21:16: \u201cUse Western Union" in rows[mtcn]
    put_focus(qtbot, found.found)
    QTest.keyClick(found.found, Qt.Key.Key_Home)
    for _ in range(mtcn):
        QTest.keyClick(found.found, Qt.Key.Key_Down)
    assert found.found.currentRow() == mtcn
    put_focus(qtbot, found.add_button)
    QTest.keyClick(found.add_button, Qt.Key.Key_Space)
    settle(qtbot)
    (identifier,) = run_in_case(qtbot, controller, list_identifiers)  # type: ignore[misc]
    assert (identifier.type, identifier.value) == ("mtcn", "8305216473")
    assert identifier.evidence_ids == (export,)
    qtbot.waitUntil(lambda: "in your details" in found.found.item(mtcn).text(), timeout=5000)


def test_an_export_waiting_for_its_dates_and_a_file_with_no_text_are_told_so(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Both were told "Safekeep has not read the text in this picture yet. It does this by
    itself ... after pictures are added", which it never would."""
    waiting = tmp_path / "WhatsApp Chat with Lee.txt"
    waiting.write_text("03/12/2026, 21:04 - Lee: hi\n04/12/2026, 08:15 - Lee: pay me\n",
                       encoding="utf-8")
    other = tmp_path / "statement.bin"
    other.write_bytes(bytes(range(256)) * 4)
    outcomes = run_in_case(qtbot, controller,
                           lambda case: import_paths(case, [waiting, other]))
    waiting_id, other_id = (o.evidence_id for o in outcomes)  # type: ignore[attr-defined]
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    show_active(qtbot, view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    found = view.details.found
    assert found is not None
    assert view.select_evidence(waiting_id)
    qtbot.waitUntil(lambda: "Chats tab" in found.status.text(), timeout=5000)
    assert found.heading.text() == "Found in this chat's messages" and found.isVisible()
    assert "picture" not in found.status.text()
    assert view.select_evidence(other_id)
    qtbot.waitUntil(lambda: not found.isVisible(), timeout=5000)  # no text is read in it


def test_an_export_that_could_not_be_read_says_why_and_what_to_do(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Instagram's download in HTML with its dates in Spanish: the reason (ask for the JSON
    form, and how) had been said only on the Chats tab; its details said only that it could
    not be read."""
    from datetime import datetime

    from tests.chats.meta_html_download import Box, page
    from tests.chats.test_json_exports import make_zip

    text = page("anna", [Box("anna", datetime(2025, 1, 15, 10, 30), "hola")]).replace(
        "Jan 15, 2025 10:30 am", "ene. 15, 2025 10:30 am")
    download = make_zip(tmp_path / "instagram-anna-2025-03-16.zip", {
        "your_instagram_activity/messages/inbox/annasmith_1/message_1.html": text})
    (outcome,) = run_in_case(qtbot, controller,  # type: ignore[misc]
                             lambda case: import_paths(case, [download]))
    found = found_section_of(qtbot, controller, outcome.evidence_id)
    qtbot.waitUntil(lambda: "could not be read" in found.status.text(), timeout=5000)
    assert found.status.text().endswith(
        "This is Instagram's download in HTML, written in a way Safekeep does not read (its "
        "dates are not in English, or its pages have changed). To have its messages read, ask "
        "Instagram for your information again and choose JSON as the format (in Accounts "
        "Centre: Your information and permissions, then Download your information), then add "
        "that download too.")


def test_help_says_how_to_save_a_whole_conversation_in_each_app(qtbot: QtBot) -> None:
    from app.ui.shell.help_dialog import HelpDialog
    from tests.test_advice import SAVE_CHAT_STEPS

    dialog = HelpDialog(under_18=False)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Save the whole conversation as well" in labels
    steps = dialog.save_chats.text()
    assert dialog.save_chats.isVisible()
    for app, words in SAVE_CHAT_STEPS.items():
        line = next(line for line in steps.splitlines() if app in line)
        assert all(word in line for word in words), app
    assert "don't unpack or edit it" in steps
    # Plain text, never a link: the help opens nothing.
    assert dialog.save_chats.textFormat() is Qt.TextFormat.PlainText


def test_a_chat_exports_tile_says_chat_and_where_from(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    # It said "Text, No preview", like any other text file.
    from app.core.records.evidence import get_evidence, list_evidence
    from app.ui.evidence.thumbnails import Placeholders

    export = add_chat(qtbot, controller, tmp_path)
    note = tmp_path / "note.txt"
    note.write_text("Things to tell the police.\n", encoding="utf-8")
    (plain,) = run_in_case(qtbot, controller,  # type: ignore[misc]
                           lambda case: import_paths(case, [note]))
    rows = {row.id: row for row in run_in_case(qtbot, controller, list_evidence)}  # type: ignore[attr-defined]
    assert rows[export].chat_platform == "whatsapp" and rows[export].kind == "text"
    assert rows[plain.evidence_id].chat_platform is None
    assert run_in_case(qtbot, controller,
                       lambda case: get_evidence(case, export)).chat_platform == "whatsapp"  # type: ignore[attr-defined]
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    show_active(qtbot, view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    chat_row, text_row = (view.model.evidence(i) for i in range(2))
    assert chat_row is not None and text_row is not None and chat_row.id == export
    tiles = Placeholders()
    shown = view.model.picture(chat_row).toImage()
    assert shown == tiles.chat("whatsapp").toImage()  # "Chat", "WhatsApp"
    assert shown != tiles.chat("telegram").toImage() != tiles.no_preview("text").toImage()
    assert view.model.picture(text_row).toImage() == tiles.no_preview("text").toImage()
    # Chosen, its details say where its messages are, not "no preview for this kind".
    assert view.select_evidence(export)
    assert view.details.note_label.text() == (
        "A chat export: its messages are on the Chats tab. The file itself is kept safely, "
        "unchanged.")
    assert view.details.fields["kind"].text() == "WhatsApp chat export (text/plain)"
    assert view.select_evidence(plain.evidence_id)
    assert view.details.note_label.text().startswith("A text file: Safekeep reads its words")
    assert view.details.fields["kind"].text() == "Text (text/plain)"
    # A photo's facts are for pictures: "Photo taken: not known" said nothing of a text file.
    assert not any(view.details.fields[key].isVisible() for key in ("taken", "camera", "pixels"))
    assert view.details.fields["size"].isVisible()


def test_a_long_platform_name_wraps_inside_its_tile_at_a_large_text_size(qtbot: QtBot) -> None:
    # "Facebook Messenger" at Largest text was cut at both ends ("ebook Messen").
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from app.ui.evidence.thumbnails import THUMB_SIZE, Placeholders

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    large = app.font()
    large.setPointSizeF(before.pointSizeF() * 1.6)
    app.setFont(large)
    try:
        tile = Placeholders().chat("messenger").toImage()
    finally:
        app.setFont(before)
    inside = app.palette().color(QPalette.ColorRole.AlternateBase).rgb()
    scale = tile.width() / THUMB_SIZE
    # The tile's inner edges, below its middle where the platform is written, are bare.
    for x in (int(5 * scale), tile.width() - 1 - int(5 * scale)):
        for y in range(tile.height() // 2 + int(10 * scale), tile.height() - int(12 * scale)):
            assert tile.pixel(x, y) == inside, (x, y)


def test_a_saved_e_mails_details_are_said_as_found_in_the_e_mail(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    from tests.chats.test_email import GMAIL

    mail = tmp_path / "I have your video.eml"
    mail.write_bytes(GMAIL.encode())
    [outcome] = run_in_case(qtbot, controller,  # type: ignore[misc]
                            lambda case: import_paths(case, [mail]))
    read_everything(qtbot, controller)
    found = found_section_of(qtbot, controller, outcome.evidence_id)
    qtbot.waitUntil(lambda: found.found.count() >= 4, timeout=10_000)
    assert found.heading.text() == "Found in this e-mail"
    assert found.found.accessibleName() == "Details found in this e-mail"
    assert found.status.text() == ("Found by the same rules as for pictures. Please check each "
                                   "one against the e-mail.")
    rows = [found.found.item(i).text() for i in range(found.found.count())]
    assert any(row.startswith("E-mail address: payme.now@example.net") for row in rows), rows
