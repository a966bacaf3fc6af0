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
