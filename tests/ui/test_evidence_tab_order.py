"""Tab on the Evidence page goes as the page reads: the buttons to add evidence, the grid,
then the chosen item's details from the top (what was found in it first), then the
checklist. The first Tab had gone to "Remove from the case…" at the foot of the details, and
the details found in a picture came only with Shift+Tab from the grid."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.ui.kit.controller import CaseController
from app.ui.shell.main_window import MainWindow
from tests.ui.keys import focused, press, put_focus, show_active
from tests.ui.views_support import controller_fixture, settle  # noqa: F401


def window_with_a_note(qtbot: QtBot, controller: CaseController, tmp_path: Path,
                       words: str, details: int) -> MainWindow:
    """The main window at 1366x768 with a text note added on its Evidence page and chosen,
    its words read and at least `details` details found in it."""
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    show_active(qtbot, window)
    note = tmp_path / "notes.txt"
    note.write_text(words, encoding="utf-8")
    view = window.evidence
    assert view.import_paths([str(note)]) is not None
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    found = view.details.found
    assert found is not None
    qtbot.waitUntil(lambda: found.found.count() >= details, timeout=30000)  # read
    settle(qtbot)
    return window


def test_tab_reads_the_evidence_page_in_order(qtbot: QtBot, controller: CaseController,
                                               tmp_path: Path) -> None:
    window = window_with_a_note(qtbot, controller, tmp_path,
                                "They said: pay kwame.pay@example.com by Friday.\n", 1)
    view = window.evidence
    found = view.details.found
    assert found is not None

    put_focus(qtbot, view.add_files_button)
    visited: list[QWidget] = []
    for _ in range(16):
        press(Qt.Key.Key_Tab)
        settle(qtbot)
        widget = focused()
        assert widget is not None
        visited.append(widget)
    details = view.details
    order = [view.add_folder_button, view.paste_button, view.screenshot_button,
             view.sensitive_box, view.grid, found.found, found.add_button,
             found.dismiss_button, details.sha_text, details.description, details.platform,
             details.sensitive, details.remove_button]
    positions = [visited.index(w) for w in order if w in visited]
    assert len(positions) == len(order), [type(w).__name__ for w in visited]
    assert positions == sorted(positions), [w.accessibleName() or type(w).__name__
                                            for w in visited]
    # After the details, the checklist beside the page.
    after = visited[visited.index(details.remove_button) + 1]
    assert window.checklist.isAncestorOf(after), type(after).__name__
