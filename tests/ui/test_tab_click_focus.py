"""A tab with a form, chosen with the mouse, puts the cursor in its first field: the cursor
had stayed on the page left behind, so what the person typed next went nowhere, and Enter on
Offender details said "Not saved yet. Type or paste the detail first."."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.ui.kit.controller import CaseController
from app.ui.shell.main_window import MainWindow
from tests.ui.keys import click_tab, focused, press, put_focus, show_active
from tests.ui.views_support import controller_fixture, settle  # noqa: F401


def _window(qtbot: QtBot, controller: CaseController) -> MainWindow:
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    show_active(qtbot, window)
    settle(qtbot)
    return window


def test_clicking_a_form_tab_puts_the_cursor_in_its_first_field(
        qtbot: QtBot, controller: CaseController) -> None:
    window = _window(qtbot, controller)
    fields: list[tuple[QWidget, QWidget]] = [
        (window.identifiers, window.identifiers.value_edit),
        (window.payments, window.payments.amount_edit),
        (window.timeline, window.timeline.when_field.edit),
        (window.search, window.search.query),
    ]
    for page, field in fields:
        put_focus(qtbot, window.evidence.grid)  # the cursor somewhere else first
        click_tab(qtbot, window.tabs, page)
        qtbot.waitUntil(lambda field=field: focused() is field, timeout=3000)
    # What is typed reaches the field, and Enter saves it.
    click_tab(qtbot, window.tabs, window.identifiers)
    qtbot.waitUntil(lambda: focused() is window.identifiers.value_edit, timeout=3000)
    QTest.keyClicks(focused(), "kwame.pay@example.com")
    assert window.identifiers.value_edit.text() == "kwame.pay@example.com"


def test_arrow_keys_on_the_tab_bar_keep_the_keyboard_there(
        qtbot: QtBot, controller: CaseController) -> None:
    window = _window(qtbot, controller)
    bar = window.tabs.tabBar()
    window.tabs.setCurrentWidget(window.evidence)
    put_focus(qtbot, bar)
    for _ in range(3):  # Offender details, Found in evidence, Payments
        press(Qt.Key.Key_Right)
        settle(qtbot)
        assert focused() is bar
    assert window.tabs.currentWidget() is window.payments
