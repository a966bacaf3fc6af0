"""Which page a case opens on when the window is too narrow for the checklist beside the pages
(a 1024x600 netbook, a 1366x768 laptop at 150%): a case with nothing in it yet opens on the
police advice ("What to do next"), whose first steps a frightened person needs first ("Take a
breath", for an under-18 "Tell an adult you trust"); it had opened on an empty evidence grid,
the advice a tab away. A case with evidence opens on Evidence, and a window made narrow later
keeps the page it shows (test_screen_fit.py)."""

from pathlib import Path

from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from app.core.intake import import_paths
from app.ui.kit.controller import CaseController
from app.ui.shell.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.ui.views_support import open_controller, settle

NARROW = (760, 560)


def _opened_narrow(qtbot: QtBot, controller: CaseController) -> MainWindow:
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.resize(*NARROW)
    window.show_opened()  # as the session does, before it shows the window
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot)
    assert window.checklist_in_tab
    return window


def test_an_empty_case_opens_on_the_advice_in_a_narrow_window(qtbot: QtBot,
                                                              tmp_path: Path) -> None:
    controller = open_controller(qtbot, tmp_path / "new.skcase", under_18=True)
    window = _opened_narrow(qtbot, controller)
    panel = window.views["checklist"]
    assert window.tabs.currentWidget() is panel and panel.isVisible()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "What to do next"
    controller.lock()
    settle(qtbot)


def test_a_case_with_evidence_opens_on_it(qtbot: QtBot, tmp_path: Path) -> None:
    controller = open_controller(qtbot, tmp_path / "used.skcase")
    picture = tmp_path / "chat.png"
    image = QImage(200, 120, QImage.Format.Format_RGB32)
    image.fill(QColor("#80a0c0"))
    assert image.save(str(picture), "PNG")  # type: ignore[call-overload]
    import_paths(controller.require_case(), [picture])
    controller.lock()  # and opened again, as a person comes back to it
    opened: list[bool] = []
    controller.unlock(tmp_path / "used.skcase", PASSPHRASE, on_done=lambda: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    window = _opened_narrow(qtbot, controller)
    assert window.tabs.currentWidget() is window.evidence
    controller.lock()
    settle(qtbot)
