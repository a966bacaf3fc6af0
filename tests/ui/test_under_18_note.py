"""An under-18 who ticks "Hide what I add next" is told, there and then, not to add nude or
sexual pictures of themselves (the police advice for under-18s); an adult is not."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.records.summary import edit_case
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController
from tests.ui.keys import show_active
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def _click(box: object) -> None:
    QTest.mouseClick(box, Qt.MouseButton.LeftButton)  # type: ignore[call-overload]


def test_ticking_hide_what_i_add_next_says_it_to_an_under_18(
        qtbot: QtBot, controller: CaseController) -> None:
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    show_active(qtbot, view)
    view.reload()
    settle(qtbot)

    _click(view.sensitive_box)  # an adult's case: nothing said
    settle(qtbot)
    assert view.sensitive_box.isChecked() and not view.under_18_note.isVisible()
    _click(view.sensitive_box)

    # Ticked "I am under 18" in the checklist since the case was opened.
    run_in_case(qtbot, controller, lambda case: edit_case(case, under_18=True))
    _click(view.sensitive_box)
    qtbot.waitUntil(view.under_18_note.isVisible)
    assert "please don't add nude or sexual pictures or videos of yourself" in \
        view.under_18_note.text()
    assert "You have done nothing wrong" in view.under_18_note.text()
    _click(view.sensitive_box)  # unticked: the words go
    assert not view.under_18_note.isVisible()

    _click(view.sensitive_box)
    qtbot.waitUntil(view.under_18_note.isVisible)
    controller.lock()  # the box is unticked at a lock, and the words go with it
    settle(qtbot)
    assert not view.sensitive_box.isChecked() and not view.under_18_note.isVisible()
