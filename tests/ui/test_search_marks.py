"""The words searched for are in bold in each hit (search_marks.py): only the hit's own words,
matched as the search matches them, with hostile values kept as text."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.records.identifiers import add_identifier
from app.core.records.summary import edit_case
from app.ui.kit.controller import CaseController
from app.ui.records.search_marks import MARKABLE_ROLE, marked_html, marked_spans
from app.ui.records.search_view import SearchView
from tests.ui.keys import put_focus, show_active, type_keys
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def _shown(qtbot: QtBot, controller: CaseController) -> SearchView:
    view = SearchView(controller)
    qtbot.addWidget(view)
    view.resize(700, 400)
    show_active(qtbot, view)
    return view


def _search(qtbot: QtBot, view: SearchView, words: str, hits: int) -> None:
    """Type `words` in the search box, as a person does, press Enter and wait for `hits`."""
    put_focus(qtbot, view.query)
    type_keys(words)
    QTest.keyClick(view.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.results.count() == hits, timeout=5000)
    settle(qtbot)


def test_spans_are_found_as_the_search_finds_them() -> None:
    text = "Message · From Emma\nadd me on SNAP: emma.x.love22"
    assert [text[a:b] for a, b in marked_spans(text, ["snap", "emma"])] == [
        "Emma", "SNAP", "emma"]
    # Folding changes lengths: "ß" is found by "ss", and the whole letter is marked.
    assert [("Straße 5")[a:b] for a, b in marked_spans("Straße 5", ["strasse"])] == ["Straße"]
    # Words that overlap or touch are one mark.
    assert marked_spans("snapchat.com", ["snap", "chat", "pch"]) == [(0, 8)]
    # Only inside the hit's own words: "Evidence · " is Safekeep's.
    assert marked_spans("Evidence · evidence.png", ["evidence"], [(11, 23)]) == [(11, 19)]
    assert marked_spans("no match here", ["snap"]) == []


def test_the_html_keeps_markup_as_text_and_lines_apart() -> None:
    html = marked_html("<b>x</b> & snap\u2028second line\nthird", ["snap"])
    assert html == "&lt;b&gt;x&lt;/b&gt; &amp; <b>snap</b><br>second line<br>third"


def test_typed_words_are_marked_in_the_hits_and_nowhere_else(
        qtbot: QtBot, controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda case: add_identifier(
        case, "username", "<img src=x>detail_snap", platform="Snapchat", note="his detail"))
    run_in_case(qtbot, controller, lambda case: edit_case(case, notes="Said snap twice: SNAP"))
    view = _shown(qtbot, controller)
    _search(qtbot, view, "detail", 1)
    entry = view.results.item(0)
    text = entry.text()
    # "Detail · " (the area's word) holds "detail" too, and is not marked.
    assert text.startswith("Detail · Username on an app or website: <img src=x>detail_snap")
    marks = marked_spans(text, view.marks.terms, entry.data(MARKABLE_ROLE))
    assert [text[a:b] for a, b in marks] == ["detail", "detail"]  # the value and the note
    assert marks[0][0] > len("Detail · ")

    view.query.clear()
    _search(qtbot, view, "snap", 2)
    assert view.marks.terms == ["snap"]
    # Each row is tall enough for its marked text, wrapped as it is drawn, also narrow.
    for width in (700, 200):
        view.resize(width, 400)
        settle(qtbot)
        for row in range(2):
            index = view.results.model().index(row, 0)
            rect = view.results.visualRect(index)
            text = view.results.item(row).text()
            document = QTextDocument()
            document.setDefaultFont(view.results.font())
            document.setDocumentMargin(0)
            document.setHtml(marked_html(text, ["snap"], index.data(MARKABLE_ROLE)))
            document.setTextWidth(rect.width() - 8)  # the item's own text margins
            assert document.size().height() <= rect.height(), (width, row, text)
    # What is drawn changes with the marks (bold), and only with them.
    def drawn() -> QImage:
        image = QImage(view.results.viewport().size(), QImage.Format.Format_RGB32)
        view.results.viewport().render(image)
        return image

    marked = drawn()
    assert drawn() == marked
    view.marks.terms = []
    assert drawn() != marked


def test_a_huge_hit_is_drawn_unmarked(qtbot: QtBot, controller: CaseController) -> None:
    # A detail typed 100,000 letters long, found 10,000 times over: its marks, laid out again
    # at every repaint, held the window 0.3 s. Past MAX_MARKED_CHARS it is drawn as Qt draws it.
    from app.ui.records.search_marks import MAX_MARKED_CHARS

    value = "snap " * 20_000
    assert len(value) > MAX_MARKED_CHARS
    run_in_case(qtbot, controller, lambda case: add_identifier(case, "other", value))
    view = _shown(qtbot, controller)
    _search(qtbot, view, "snap", 1)

    def drawn() -> QImage:
        image = QImage(view.results.viewport().size(), QImage.Format.Format_RGB32)
        view.results.viewport().render(image)
        return image

    marked = drawn()
    view.marks.terms = []
    assert drawn() == marked
