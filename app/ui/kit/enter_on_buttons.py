"""Enter presses the focused button in the app's own windows, as it does in its dialogs.

Qt presses a focused button on Enter only in a dialog (or when the button is "auto-default");
in the main window and the first window Enter on a button did nothing, and a person who
reached "Add files…" or "Prepare bundle for police" with Tab and pressed Enter got no answer.
This application-wide watcher presses a focused, enabled push button on Enter, once per press
(a held key does not repeat it), except:

- buttons kept from Enter (`keep_from_enter`): Quick exit, and every button that removes or
  stops something ("Yes, remove it"...), which take Space or a click, so that a second Enter
  pressed in a hurry after "Remove…" removes nothing. Enter on one says so beside it, in a
  tooltip, so a person who tried Enter learns what does press it;
- buttons in a dialog: CalmDialog has its own rule for Enter, and Qt's own dialogs (file
  pickers) keep theirs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QPushButton, QToolTip

from app.i18n import tr
from app.ui.kit.calm_dialog import is_enter, takes_enter


class EnterPressesFocusedButton(QObject):
    """Install as one of the application's event filters (app/ui/shell/app_filters.py)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QPushButton) \
                or not is_enter(event) or not watched.hasFocus() \
                or isinstance(watched.window(), QDialog):
            return False
        assert isinstance(event, QKeyEvent)
        if event.isAutoRepeat() or not watched.isEnabled():
            return True
        if takes_enter(watched):
            watched.animateClick()  # shown pressed for a moment, as Space shows it
        else:  # does nothing, as in a dialog; says what does
            QToolTip.showText(watched.mapToGlobal(QPoint(0, watched.height())), tr(
                "This button takes Space or a click, not Enter, so that it is never pressed "
                "by mistake."), watched)
        return True
