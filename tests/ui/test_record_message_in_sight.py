"""What a save says shows whole. At 1366x768 and 125% (about 1093x614 to offer) the Payments
page scrolls, and "Saved: ..." or what stops a save sat half a line under the window's edge:
Enter seemed to do nothing. Keys are typed as a person types them."""

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.records.payments_view import PaymentsView
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import focused, press, put_focus, type_keys
from tests.ui.shell_support import clock, closed_case, open_main_window, settle, shell

__all__ = ["clock", "shell"]


def _whole_in(area: QScrollArea, widget: QWidget) -> bool:
    port = area.viewport()
    top_left = widget.mapTo(port, widget.rect().topLeft())
    return port.rect().contains(QRect(top_left, widget.size()))


def _payments(qtbot: QtBot, shell: SafekeepSession,
              make_case: Callable[..., CaseFile]) -> tuple[PaymentsView, QScrollArea]:
    window = open_main_window(qtbot, shell, closed_case(make_case))
    window.showNormal()
    window.resize(1093, 614)
    view = window.show_view("payments")  # type: ignore[attr-defined]
    assert isinstance(view, PaymentsView)
    settle(qtbot)
    tabs = window.tabs  # type: ignore[attr-defined]
    area = tabs.scroll_area(tabs.currentIndex())
    assert isinstance(area, QScrollArea)
    # The fonts here are not at 125%: the window is made as short as puts the first line of
    # the words under its edge, as at 1366x768 and 125%, with the form still in sight.
    line_top = view.message.mapTo(area.widget(), QPoint(0, 0)).y()
    chrome = window.height() - area.viewport().height()
    window.resize(1093, chrome + line_top + view.fontMetrics().height() // 2)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0, timeout=5000)
    settle(qtbot)
    return view, area


def test_saved_words_show_whole_after_enter(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    view, area = _payments(qtbot, shell, make_case)
    put_focus(qtbot, view.amount_edit)
    type_keys("120")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.message.text().startswith("Saved"), timeout=10000)
    settle(qtbot)
    assert _whole_in(area, view.message), "the words saying it was saved"
    assert focused() is view.amount_edit and _whole_in(area, view.amount_edit)


def test_what_stops_a_save_shows_whole_with_the_field_to_mend(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    view, area = _payments(qtbot, shell, make_case)
    put_focus(qtbot, view.amount_edit)
    type_keys("abc")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(view.message.text()), timeout=5000)
    settle(qtbot)
    assert _whole_in(area, view.message), view.message.text()
    assert _whole_in(area, focused())
