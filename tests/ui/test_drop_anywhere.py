"""Files dropped anywhere in the main window go into the case, on the Evidence page: a person
dragging screenshots onto the window while it showed the checklist, or Payments, met a "no"
cursor and nothing else. Drag events are sent where the pointer is, and Qt passes them up to
the first widget that takes drops, as it does for a person's drag."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl
from pytestqt.qtbot import QtBot

from app.core.records.evidence import list_evidence
from app.models.casefile import CaseFile
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import drop_on
from tests.ui.shell_support import clock, closed_case, open_case_in_shell, settle, shell
from tests.ui.views_support import png_file

__all__ = ["clock", "shell"]


def test_screenshots_dropped_on_another_page_go_into_the_case(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    path = closed_case(make_case)
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert window is not None
    window.show_page(window.payments)
    shot = png_file(tmp_path / "their-profile.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(shot))])
    assert drop_on(window.payments.table.viewport(), mime)
    assert window.tabs.currentWidget() is window.evidence  # where it can be seen going in
    qtbot.waitUntil(lambda: not window.evidence.is_busy(), timeout=30000)
    settle(qtbot)
    case = shell.controller.require_case()
    assert [e.original_name for e in list_evidence(case)] == ["their-profile.png"]
    assert window.evidence.result_label.text() == "1 added."

    checklist = window.checklist
    web = QMimeData()
    web.setUrls([QUrl("https://example.com/profile_pic.jpg")])
    assert drop_on(checklist, web)
    assert window.evidence.result_label.text().startswith("That is a web address")
    assert len(list_evidence(case)) == 1
