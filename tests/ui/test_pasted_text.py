"""Text copied from a web page and pasted on the Evidence page (Ctrl+V, a real key press) is
kept as a text file, byte for byte as copied; the background reader reads it; its details say
"Found in this document", with no advice to take a screenshot; a detail added by keyboard
reaches the case file linked to it; Search finds its words. Text dragged in from another
program is kept the same way. (A copied link alone is still turned away: test_views_evidence.)"""

import hashlib

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.records import iter_content
from app.core.records.evidence import EvidenceRow, list_evidence
from app.core.records.identifiers import list_identifiers
from app.ui.evidence.details import EvidenceDetails
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController
from app.ui.records.search_view import search_case
from tests.ui.keys import drop_on, put_focus, show_active
from tests.ui.test_found_in_chats import found_section_of
from tests.ui.test_views_found import read_everything
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401

# What a victim copies from the offender's message on a web page: ends of lines as copied,
# a character outside ASCII, and a value a spreadsheet would take for a formula.
DEMAND = ("Pay £300 by Western Union today.\n"
          "MTCN: 8305216473   Receiver: Jess Taylor, Lagos\r\n"
          "Write to me at jess.taylor58@example.com\n"
          "=cmd|' /C calc'!A0\n")


def _stored(qtbot: QtBot, controller: CaseController) -> list[EvidenceRow]:
    return run_in_case(qtbot, controller, list_evidence)  # type: ignore[return-value]


def _content(qtbot: QtBot, controller: CaseController, evidence_id: int) -> bytes:
    return run_in_case(qtbot, controller,  # type: ignore[no-any-return]
                       lambda case: b"".join(iter_content(case, evidence_id)))


def _evidence_view(qtbot: QtBot, controller: CaseController) -> EvidenceView:
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    show_active(qtbot, view)
    view.reload()
    settle(qtbot)
    return view


def test_pasted_text_is_kept_as_copied_read_and_a_detail_added_by_keyboard(
        qtbot: QtBot, controller: CaseController) -> None:
    view = _evidence_view(qtbot, controller)
    put_focus(qtbot, view.grid)
    QGuiApplication.clipboard().setText(DEMAND)
    QTest.keyClick(view.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not view.is_busy() and bool(_stored(qtbot, controller)),
                    timeout=30_000)
    QGuiApplication.clipboard().clear()
    assert view.result_label.text() == (
        "1 added. The text is kept as a text file, unchanged. Safekeep looks "
        "through it for usernames, numbers and links.")
    (item,) = _stored(qtbot, controller)
    assert item.original_name.startswith("Pasted text ") and item.original_name.endswith(".txt")
    assert item.source == "clipboard" and item.detected_type == "text/plain"
    copied = DEMAND.replace("\r\n", "\n").encode("utf-8")  # Qt's clipboard gives "\n"
    assert _content(qtbot, controller, item.id) in (copied, DEMAND.encode("utf-8"))
    assert item.sha256 == hashlib.sha256(_content(qtbot, controller, item.id)).hexdigest()

    tab = read_everything(qtbot, controller)
    assert tab.select_group("mtcn", "8305216473")
    assert tab.picture_button.text() == "Show the document"
    assert {g.kind for g in tab._groups} == {"mtcn", "email"}  # identifiers only, no amount

    found = found_section_of(qtbot, controller, item.id)
    qtbot.waitUntil(lambda: found.found.count() == 2, timeout=10_000)
    assert found.heading.text() == "Found in this document"
    assert found.status.text() == "Please check each one against the document."
    assert not found.tip.isVisible()  # no advice to take a screenshot again
    assert not found.picture.isVisible()  # a text file has no picture to mark
    # Its words are what there is to see: shown at once (a "No preview" tile was all).
    qtbot.waitUntil(found.text.isVisible, timeout=5000)
    assert "Receiver: Jess Taylor, Lagos" in found.text.toPlainText()
    assert found.text.accessibleName() == "The text Safekeep read in this document"
    details = found.window().findChild(EvidenceDetails)
    assert details is not None and details.note_label.text() == (
        "A text file: Safekeep reads its words and shows them below. The file itself is kept "
        "safely, unchanged.")
    assert not details.preview.isVisible()  # no "No preview" tile pushing the words down
    rows = [found.found.item(i).text() for i in range(found.found.count())]
    at = next(i for i, row in enumerate(rows) if row.startswith("E-mail address:"))
    # A narrow pane wraps the e-mail's row: the list grows with it rather than cut it.
    found.window().resize(640, 700)
    qtbot.waitUntil(lambda: found.found.visualItemRect(found.found.item(at)).height()
                    > found.found.visualItemRect(found.found.item(1 - at)).height(),
                    timeout=5000)
    settle(qtbot)
    assert all(found.found.visualItemRect(found.found.item(i)).bottom()
               < found.found.viewport().height() for i in range(found.found.count()))
    put_focus(qtbot, found.found)
    found.found.setCurrentRow(0)
    for _ in range(at):
        QTest.keyClick(found.found, Qt.Key.Key_Down)
    QTest.keyClick(found.found, Qt.Key.Key_Tab)  # to "Add to details"
    assert found.add_button.hasFocus()
    QTest.keyClick(found.add_button, Qt.Key.Key_Space)
    settle(qtbot)
    # Hidden by the person, the words stay hidden through the reload the change brought.
    QTest.mouseClick(found.show_text, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert not found.text.isVisible()
    (identifier,) = run_in_case(qtbot, controller, list_identifiers)  # type: ignore[misc]
    assert identifier.value == "jess.taylor58@example.com"
    assert identifier.evidence_ids == (item.id,)
    assert "Found in the text of a document (a PDF or a text file)" in identifier.note

    hits = run_in_case(qtbot, controller, lambda case: search_case(case, "Lagos"))
    assert [(h.area, h.item_id) for h in hits] == [("evidence", item.id)]  # type: ignore[attr-defined]
    assert hits[0].snippet_note == "Read in the document:"  # type: ignore[index]


def test_text_dragged_in_from_another_program_is_kept(
        qtbot: QtBot, controller: CaseController) -> None:
    view = _evidence_view(qtbot, controller)
    mime = QMimeData()
    mime.setText("Send the money or everyone sees it. skype: live:.cid.5a1b2c3d4e5f6a7b")
    assert drop_on(view, mime, QPoint(60, 60))  # no source: it came from another program
    qtbot.waitUntil(lambda: not view.is_busy() and bool(_stored(qtbot, controller)),
                    timeout=30_000)
    (item,) = _stored(qtbot, controller)
    assert item.original_name.startswith("Dropped text ") and item.source == "file"
    assert _content(qtbot, controller, item.id) == mime.text().encode("utf-8")
