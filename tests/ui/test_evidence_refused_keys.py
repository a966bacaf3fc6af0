"""Adding that ends with nothing new to show gives the keyboard back to the button that began
it: while files are added the keyboard waits on the grid (where they appear), and on an empty
grid it is out of sight, so Enter, pressed to try again, did nothing. Found at 1024x768 and
125%, by keyboard only: the file dialog opens in the case's own folder, and the case file
chosen there is refused."""

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController
from tests.ui.keys import (
    closed,
    file_dialog_shown,
    focused,
    press,
    put_focus,
    type_keys,
)
from tests.ui.test_audit_evidence import _view
from tests.ui.views_support import (  # noqa: F401
    controller_fixture,
    png_file,
    settle,
)


def test_the_case_file_refused_from_add_files_gives_the_keyboard_back_to_that_button(
        qtbot: QtBot, controller: CaseController) -> None:
    assert controller.case is not None
    case_file = controller.case.path
    view = _view(qtbot, controller)
    put_focus(qtbot, view.add_files_button)
    press(Qt.Key.Key_Space)
    dialog = file_dialog_shown(qtbot)
    type_keys(str(case_file))
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    view.window().activateWindow()  # as the window system gives it back
    qtbot.waitUntil(lambda: "could not be added" in view.result_label.text(), timeout=30000)
    settle(qtbot)
    assert view.model.rowCount() == 0
    assert focused() is view.add_files_button
    press(Qt.Key.Key_Space)  # trying again opens the dialog again
    again = file_dialog_shown(qtbot)
    again.reject()


def _paste_with_space(qtbot: QtBot, controller: CaseController, *paths: Path) -> EvidenceView:
    """Copied files, then Space on "Paste": the view once the adding has ended."""
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    QGuiApplication.clipboard().setMimeData(files)
    view = _view(qtbot, controller)
    put_focus(qtbot, view.paste_button)
    press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30000)
    settle(qtbot)
    QGuiApplication.clipboard().clear()
    return view


def test_a_paste_with_nothing_added_gives_the_keyboard_back_to_paste(
        qtbot: QtBot, controller: CaseController) -> None:
    assert controller.case is not None
    view = _paste_with_space(qtbot, controller, controller.case.path)
    assert "could not be added" in view.result_label.text()
    assert focused() is view.paste_button


def test_when_something_is_added_the_keyboard_stays_on_the_grid(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """What was added is chosen on the grid, and the person goes on from there."""
    assert controller.case is not None
    view = _paste_with_space(qtbot, controller, controller.case.path,
                             png_file(tmp_path / "profile.png"))
    assert "1 added" in view.result_label.text()
    assert focused() is view.grid
