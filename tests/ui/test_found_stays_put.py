"""What is under the pointer stays under it: "Add to details" in an item's details grew the
row above it by "✓ in your details", and the button moved down under the pointer (the
next click could land on the row below); the checklist's own messages pushed its steps down
the same way."""

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.ui.kit.controller import CaseController
from app.ui.shell.main_window import MainWindow
from tests.ui.keys import show_active
from tests.ui.test_evidence_tab_order import window_with_a_note
from tests.ui.views_support import controller_fixture, settle  # noqa: F401

NOTE = ("They said: pay kwame.pay@example.com by Friday.\n"
        "Also anna.smith.love88@gmail.com and +44 20 7946 0018 and MTCN 1234567890\n") * 3


def test_add_to_details_stays_under_the_pointer(qtbot: QtBot, controller: CaseController,
                                                tmp_path: Path) -> None:
    window = window_with_a_note(qtbot, controller, tmp_path, NOTE, 3)
    view = window.evidence
    found = view.details.found
    assert found is not None
    bar = view.details.verticalScrollBar()
    assert bar.maximum() > 100
    bar.setValue(100)  # read part way down, as a person does
    settle(qtbot)
    found.found.setCurrentRow(0)
    settle(qtbot)
    assert found.add_button.isEnabled()
    before = found.add_button.mapTo(window, QPoint(0, 0))
    QTest.mouseClick(found.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("✓" in found.found.item(i).text()
                                for i in range(found.found.count())), timeout=10000)
    settle(qtbot)
    assert found.add_button.mapTo(window, QPoint(0, 0)) == before


def test_a_checklist_message_does_not_push_the_step_just_used(
        qtbot: QtBot, controller: CaseController) -> None:
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    show_active(qtbot, window)
    panel = window.checklist
    panel.reload()
    qtbot.waitUntil(lambda: "report-to-police" in panel.items and panel.state() is not None,
                    timeout=5000)
    step = panel.items["report-to-police"]
    step.set_expanded(True)
    settle(qtbot)
    button = step.action_button  # "Copy a summary for your police report"
    assert button is not None
    panel.scroll_area.ensureWidgetVisible(button, 0, 200)  # part way down the list
    settle(qtbot)
    assert not panel.message.isVisible()
    before = button.mapTo(window, QPoint(0, 0))
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(panel.message.isVisible, timeout=5000)
    settle(qtbot)
    assert "Copied" in panel.message.text()
    assert button.mapTo(window, QPoint(0, 0)) == before
