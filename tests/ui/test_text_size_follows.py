"""Every widget of the main window keeps to the text size chosen in Settings, both ways.

Widgets styled by a style sheet (Quick exit, the checklist's steps) kept the size they had
when first styled: after "Largest" the checklist stayed small, and steps made meanwhile stayed
large after "Normal". Fingerprints, in the system's fixed-pitch font, ignored the text size
altogether, and the checklist's heading kept its first size."""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from app.ui.shell.settings_dialog import SettingsDialog
from tests.ui.keys import press, put_focus, show_active, type_keys
from tests.ui.shell_support import clock, closed_case, open_main_window, settle, shell

__all__ = ["clock", "shell"]

HEADING = "What to do now"  # the checklist's heading: a fifth larger than the text


def _off_size(window: QWidget) -> list[str]:
    """Widgets whose text is not at the application's size (the heading at its own)."""
    size = QApplication.font().pointSizeF()
    wrong = []
    for widget in [window, *window.findChildren(QWidget)]:
        if widget.objectName() == "qt_tableview_cornerbutton":
            continue  # a table's empty corner: Qt's own, with no text to show
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        want = size * 1.2 if text == HEADING else size
        if abs(widget.font().pointSizeF() - want) > 0.01:
            wrong.append(f"{type(widget).__name__} {widget.objectName()} {text[:24]!r}")
    return wrong


def _choose_text_size(qtbot: QtBot, dialog: SettingsDialog, name: str) -> None:
    qtbot.wait(QApplication.keyboardInputInterval() + 100)  # a new search of the list box
    put_focus(qtbot, dialog.text_size)
    type_keys(name)
    press(Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: dialog.text_size.currentText() == name, timeout=5000)
    settle(qtbot)


def test_every_widget_follows_the_text_size_both_ways(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    window = open_main_window(qtbot, shell, closed_case(make_case))
    assert isinstance(window, MainWindow)
    assert window.checklist.findChildren(QWidget)  # the steps are there to be checked
    assert _off_size(window) == []
    normal = QApplication.font().pointSizeF()
    dialog = shell.show_settings()
    assert isinstance(dialog, SettingsDialog)
    show_active(qtbot, dialog)
    try:
        _choose_text_size(qtbot, dialog, "Largest")
        assert QApplication.font().pointSizeF() > normal * 1.4
        assert _off_size(window) == []
        assert _off_size(dialog) == []
        _choose_text_size(qtbot, dialog, "Normal")
        assert QApplication.font().pointSizeF() == normal
        assert _off_size(window) == []
    finally:
        dialog.text_size.setCurrentIndex(0)  # the tests after this one start at normal
        dialog.close()
        settle(qtbot)
