"""Reading the window's Tab order never hands its widgets to Python's collector.

The main window reads Tab in its own order (main_chrome.next_in_reading_order), and it once
found that order by following `nextInFocusChain()` from Python. PySide makes each widget that
call returns the "child" of the widget it was asked of, so the walk strung every widget of the
window into one ring of Python objects, the window itself included (no longer Python's own).
When the chain changed, parts of that ring became garbage, and the collector deleted the live
widgets along with them: the window crashed as details were added from "Found in evidence"
with the keyboard (its list's header deleted, then used)."""

import gc
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.intake.ingest import import_bytes
from app.core.pictures import OcrPool
from app.core.reading import read_unread
from app.core.records.identifiers import list_identifiers
from app.models import EvidenceSource
from app.models.casefile import CaseFile
from app.ui.reading.found_view import FoundView
from app.ui.shell.main_chrome import tab_stops
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.test_text_reading import CHAT, picture
from tests.ui.keys import focused, press, put_focus
from tests.ui.shell_support import clock, open_main_window, settle, shell
from tests.ui.views_support import run_in_case

__all__ = ["clock", "shell"]


def _window(qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
            *, read: bool = False) -> MainWindow:
    case = make_case()
    if read:
        import_bytes(case, picture(CHAT), "chat.png", source=EvidenceSource.CLIPBOARD)
        with OcrPool(workers=1) as pool:
            read_unread(case, pool)
    path = case.path
    case.close()
    window = open_main_window(qtbot, shell, path)
    assert isinstance(window, MainWindow)
    return window


def test_reading_the_tab_order_leaves_the_window_to_python(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    window = _window(qtbot, shell, make_case)
    assert shiboken6.ownedByPython(window)
    stops = tab_stops(window)
    assert window.quick_exit_button in stops and window.details_button in stops
    assert shiboken6.ownedByPython(window)  # the walk made it the last widget's "child"
    put_focus(qtbot, window.details_button)
    press(Qt.Key.Key_Tab)  # the window's own Tab, in reading order
    assert focused() is not window.details_button
    assert shiboken6.ownedByPython(window)


def test_adding_details_from_the_keyboard_with_the_collector_running_keeps_the_window(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    window = _window(qtbot, shell, make_case, read=True)
    found = window.views["found"]
    assert isinstance(found, FoundView)
    window.tabs.setCurrentWidget(found)
    qtbot.waitUntil(lambda: found.tree.topLevelItemCount() > 0, timeout=10000)
    put_focus(qtbot, found.read_button)
    press(Qt.Key.Key_Tab)  # into the list (the window's reading-order Tab)
    press(Qt.Key.Key_Tab)  # on to "Add to details"
    assert focused() is found.add_button
    for added in range(1, 4):
        press(Qt.Key.Key_Space)
        qtbot.waitUntil(lambda n=added: len(run_in_case(  # type: ignore[arg-type]
            qtbot, shell.controller, list_identifiers)) == n, timeout=10000)
        settle(qtbot)
        gc.collect()  # as the window's collector does, on its timer
        settle(qtbot)
        assert found.tree.header().count() == 2  # the list and its header still whole
