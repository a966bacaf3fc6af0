"""Files chosen by typing their names in the picker, as a person without a mouse does: in
quotes, several at once, as Qt's own dialog offers. Qt answers with what its list has chosen,
and its list had chosen only the names it matched while they were typed: "private.png"
"WhatsApp Chat with Sam.txt" added the picture alone and said "1 added"."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.records.evidence import list_evidence
from app.ui.kit.controller import CaseController
from tests.ui.keys import closed, file_dialog_shown, press, put_focus, type_keys
from tests.ui.test_audit_evidence import _view
from tests.ui.views_support import (  # noqa: F401
    controller_fixture,
    png_file,
    run_in_case,
    settle,
)


def _typed_into_the_picker(qtbot: QtBot, controller: CaseController, folder: Path,
                           names: str) -> str:
    """Ctrl-less keyboard: Space on "Add files…", the folder typed and Enter, then `names`
    and Enter. What the window says afterwards."""
    view = _view(qtbot, controller)
    put_focus(qtbot, view.add_files_button)
    press(Qt.Key.Key_Space)
    dialog = file_dialog_shown(qtbot)
    type_keys(str(folder))
    press(Qt.Key.Key_Return)  # into the folder
    qtbot.waitUntil(lambda: Path(dialog.directory().absolutePath()) == folder, timeout=5000)
    type_keys(names)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    qtbot.waitUntil(lambda: not view.is_busy() and "added" in view.result_label.text(),
                    timeout=30000)
    settle(qtbot)
    return view.result_label.text()


def _stored_names(qtbot: QtBot, controller: CaseController) -> list[str]:
    return sorted(row.original_name for row in run_in_case(qtbot, controller, list_evidence))


@pytest.mark.parametrize(("typed", "said", "stored"), [
    ('"private.png" "WhatsApp Chat with Sam.txt" "threat.png"', "3 added",
     ["WhatsApp Chat with Sam.txt", "private.png", "threat.png"]),
    ("private.png", "1 added", ["private.png"]),  # one name: Qt's own answer, as before
], ids=["several in quotes", "one"])
def test_the_names_typed_are_the_files_added(
        qtbot: QtBot, controller: CaseController, tmp_path: Path, typed: str, said: str,
        stored: list[str]) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    png_file(folder / "private.png")
    png_file(folder / "threat.png", "#a07030")
    (folder / "WhatsApp Chat with Sam.txt").write_text(
        "07/12/2026, 21:02 - Sam: pay or I send it\n", encoding="utf-8")
    words = _typed_into_the_picker(qtbot, controller, folder, typed)
    assert words.startswith(said), words
    assert _stored_names(qtbot, controller) == stored
