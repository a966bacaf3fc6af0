"""Choosing a larger text size in Settings grows the Settings window with its words. At the
height it had, the rows overlapped and the explanations were cut in half ("Safekeep locks
the case when nobody has used it..."), seen at 1024x768 and 125% after choosing "Large"."""

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.shell.session import SafekeepSession
from app.ui.shell.settings_dialog import SettingsDialog
from tests.ui.keys import press, put_focus, show_active, type_keys
from tests.ui.screen_fit_driver import texts_cut
from tests.ui.shell_support import clock, closed_case, settle, shell, unlock_with

__all__ = ["clock", "shell"]


def _place(widget: QWidget, dialog: SettingsDialog) -> QRect:
    return QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())


def _overlapping_rows(dialog: SettingsDialog) -> list[str]:
    """Wrapped explanations that run into another visible control (rows drawn over rows)."""
    controls = [w for w in dialog.findChildren(QWidget)
                if w.isVisible() and isinstance(w, QLabel | QComboBox | QSpinBox | QCheckBox
                                                | QPushButton)]
    found = []
    for label in (w for w in controls if isinstance(w, QLabel) and w.wordWrap() and w.text()):
        for other in controls:
            if other is label or other.isAncestorOf(label) or label.isAncestorOf(other):
                continue
            if _place(label, dialog).intersects(_place(other, dialog)):
                found.append(f"{label.text()[:30]} / {type(other).__name__}")
    return found


def test_a_larger_text_size_grows_the_settings_window_with_its_words(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    shell.start(str(closed_case(make_case)))
    unlock_with(qtbot, shell)
    dialog = shell.show_settings()
    assert isinstance(dialog, SettingsDialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    assert texts_cut(dialog) == [] and _overlapping_rows(dialog) == []
    before = dialog.font().pointSizeF()
    put_focus(qtbot, dialog.text_size)
    type_keys("Largest")
    press(Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: dialog.font().pointSizeF() > before * 1.3, timeout=5000)
    settle(qtbot)
    assert dialog.text_size.currentText() == "Largest"
    assert texts_cut(dialog) == []
    assert _overlapping_rows(dialog) == []
    screen = dialog.screen().availableGeometry()
    assert screen.contains(dialog.frameGeometry()) or screen.contains(dialog.geometry())
    # And back: the window takes the height its words need again, not the screen's.
    tall = dialog.height()
    qtbot.wait(QApplication.keyboardInputInterval() + 100)  # a new search, not "LargestN..."
    put_focus(qtbot, dialog.text_size)
    type_keys("Normal")
    qtbot.waitUntil(lambda: dialog.font().pointSizeF() == before, timeout=5000)
    settle(qtbot)
    assert texts_cut(dialog) == [] and dialog.height() < tall
    dialog.close()
    settle(qtbot)
    assert QApplication.font().pointSizeF() == before
