"""Details found in PDF documents, in the window: the background reader reads a receipt just
added; its details say "Found in this document", its first page with the details on it marked,
and no advice to take a screenshot again; a locked statement says why it was not read; the
case-wide tab names the receipt by its exhibit reference and offers "Show the document"; a
detail added by keyboard reaches the case file linked to the receipt; Search finds the
receipt's words."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.intake import import_paths
from app.core.records.identifiers import list_identifiers
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController
from app.ui.records.search_view import search_case
from tests.pdf_files import locked_pdf, receipt_pdf
from tests.ui.keys import put_focus
from tests.ui.test_found_in_chats import found_section_of
from tests.ui.test_views_found import read_everything
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def _add(qtbot: QtBot, controller: CaseController, path: Path) -> int:
    [outcome] = run_in_case(qtbot, controller,  # type: ignore[misc]
                            lambda case: import_paths(case, [path]))
    return outcome.evidence_id  # type: ignore[no-any-return]


def test_a_receipts_details_are_found_in_the_document_and_one_added_by_keyboard(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    path = tmp_path / "Western Union receipt.pdf"
    path.write_bytes(receipt_pdf())
    receipt = _add(qtbot, controller, path)
    tab = read_everything(qtbot, controller)
    assert tab.select_group("mtcn", "8305216473")
    seen = tab.tree.currentItem().text(1)  # by its exhibit reference, as for a picture
    assert seen.endswith("/1") and "picture" not in seen, seen
    assert tab.picture_button.text() == "Show the document"
    went: list[tuple[str, int]] = []
    tab.navigate_requested.connect(lambda area, item: went.append((area, item)))
    QTest.mouseClick(tab.picture_button, Qt.MouseButton.LeftButton)
    assert went == [("evidence", receipt)]

    found = found_section_of(qtbot, controller, receipt)
    qtbot.waitUntil(lambda: found.found.count() >= 3, timeout=10_000)
    assert found.heading.text() == "Found in this document"
    assert found.found.accessibleName() == "Details found in this document"
    assert found.status.text() == "Please check each one against the document."
    assert not found.tip.isVisible()  # no advice to take a screenshot again
    assert found.show_text.isVisible()  # the text read, to compare with the document
    rows = [found.found.item(i).text() for i in range(found.found.count())]
    # Its first page, with the details on it marked; one on the second page is listed only.
    qtbot.waitUntil(found.picture.isVisible, timeout=10_000)
    iban = next(i for i, row in enumerate(rows) if row.startswith("IBAN"))
    found.found.setCurrentRow(iban)
    assert not found.zoom.isVisible()
    at = next(i for i, row in enumerate(rows) if row.startswith("E-mail address:"))
    put_focus(qtbot, found.found)
    found.found.setCurrentRow(0)
    for _ in range(at):
        QTest.keyClick(found.found, Qt.Key.Key_Down)
    assert found.found.currentRow() == at
    assert found.zoom.isVisible()  # on the first page: shown enlarged
    QTest.keyClick(found.found, Qt.Key.Key_Tab)  # to "Add to details"
    assert found.add_button.hasFocus()
    QTest.keyClick(found.add_button, Qt.Key.Key_Space)
    settle(qtbot)
    (identifier,) = run_in_case(qtbot, controller, list_identifiers)  # type: ignore[misc]
    assert identifier.value == "jess.taylor58@example.com"
    assert identifier.evidence_ids == (receipt,)
    assert "Found in the text of a document (a PDF or a text file)" in identifier.note
    # Search finds the words, and says where they were read.
    hits = run_in_case(qtbot, controller, lambda case: search_case(case, "Lagos"))
    assert [(h.area, h.item_id) for h in hits] == [("evidence", receipt)]  # type: ignore[attr-defined]
    assert hits[0].snippet_note == "Read in the document:"  # type: ignore[index]


def test_a_statement_locked_with_a_password_says_why_it_was_not_read(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    path = tmp_path / "statement.pdf"
    path.write_bytes(locked_pdf())
    statement = _add(qtbot, controller, path)
    read_everything(qtbot, controller)
    found = found_section_of(qtbot, controller, statement)
    qtbot.waitUntil(lambda: "locked with a password" in found.status.text(), timeout=10_000)
    assert found.heading.text() == "Found in this document" and found.isVisible()
    assert "kept safely, unchanged" in found.status.text()
    assert found.found.count() == 0 and not found.found.isVisible()
    # Its preview's note, said once: "...kept and will be exported. The file itself is kept
    # safely, unchanged." had said it twice (and had for any picture that would not open).
    view = found.window()
    assert isinstance(view, EvidenceView)
    assert view.details.note_label.text() == (
        "No preview: the first page of this PDF could not be drawn (it may be locked with a "
        "password, or damaged). The file itself is kept and will be exported.")
    assert not view.details.fields["taken"].isVisible()
