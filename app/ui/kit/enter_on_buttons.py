"""Enter presses the focused button in the app's own windows, as it does in its dialogs.

Qt presses a focused button on Enter only in a dialog (or when the button is "auto-default");
in the main window and the first window Enter on a button did nothing, and a person who
reached "Add files…" or "Prepare bundle for police" with Tab and pressed Enter got no answer.
This application-wide watcher presses a focused, enabled push button on Enter, once per press
(a held key does not repeat it), except:

- buttons kept from Enter (`keep_from_enter`): Quick exit, and every button that removes or
  stops something ("Yes, remove it"...), which take Space or a click, so that a second Enter
  pressed in a hurry after "Remove…" removes nothing;
- buttons in a dialog: CalmDialog has its own rule for Enter, and Qt's own dialogs (file
  pickers) keep theirs.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QPushButton

from app.ui.kit.calm_dialog import is_enter, takes_enter


class EnterPressesFocusedButton(QObject):
    """Install as one of the application's event filters (app/ui/shell/app_filters.py)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QPushButton) \
                or not is_enter(event) or not watched.hasFocus() \
                or isinstance(watched.window(), QDialog):
            return False
        assert isinstance(event, QKeyEvent)
        if takes_enter(watched) and watched.isEnabled() and not event.isAutoRepeat():
            watched.animateClick()  # shown pressed for a moment, as Space shows it
        return True  # a button kept from Enter does nothing, as in a dialog
