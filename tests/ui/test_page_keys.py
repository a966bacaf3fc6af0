"""Page Up and Page Down scroll a window made to scroll, whatever button has the keyboard: at
1280x720 and 150% the welcome window's words on Quick exit were below its edge, and with Tab
reaching only its buttons (outside the scrolling part) a person without a mouse could not
read them."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from app.ui.kit.screen_fit import scroll_body
from app.ui.shell.session import SafekeepSession
from app.ui.shell.welcome import WelcomeWindow
from tests.ui.keys import focused, press, show_active
from tests.ui.shell_support import clock, shell

__all__ = ["clock", "shell"]


def test_page_down_scrolls_the_welcome_window_from_its_buttons(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    welcome = shell.start()
    assert isinstance(welcome, WelcomeWindow)
    show_active(qtbot, welcome)
    scroll = welcome.findChild(QScrollArea, "FitScroll") or scroll_body(welcome)
    assert scroll is not None
    welcome.resize(welcome.width(), 300)  # a small screen at a large scale
    qtbot.waitUntil(lambda: scroll.isVisible() and scroll.verticalScrollBar().maximum() > 0,
                    timeout=5000)
    welcome.new_button.setFocus(Qt.FocusReason.TabFocusReason)
    bar = scroll.verticalScrollBar()
    assert bar.value() == 0
    press(Qt.Key.Key_PageDown)
    assert bar.value() > 0 and focused() is welcome.new_button
    for _ in range(20):
        press(Qt.Key.Key_PageDown)
    assert bar.value() == bar.maximum()  # the last words, on Quick exit, in sight
    press(Qt.Key.Key_PageUp)
    assert bar.value() < bar.maximum()


def test_shift_tab_into_a_scrolling_middle_brings_its_field_into_sight(qtbot: QtBot) -> None:
    """Shift+Tab from the buttons below the scrolling middle: the field it lands on comes into
    sight (Qt does so only for Tab from inside; the bundle window's "Copy fingerprints" took
    the keyboard below the edge)."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout

    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    fields = [QLineEdit(dialog) for _ in range(12)]
    for field in fields:
        layout.addWidget(field)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    layout.addWidget(buttons)
    scroll = scroll_body(dialog)
    assert scroll is not None
    dialog.resize(300, 160)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: scroll.isVisible() and scroll.verticalScrollBar().maximum() > 0,
                    timeout=5000)
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    close.setFocus(Qt.FocusReason.TabFocusReason)
    press(Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    landed = focused()
    assert landed in fields
    shown = QRect(QPoint(0, 0), scroll.viewport().size())
    top_left = landed.mapTo(scroll.viewport(), QPoint(0, 0))
    assert shown.contains(QRect(top_left, landed.size())), (top_left, shown)
