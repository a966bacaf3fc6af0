"""The window's own keys come before a text box's Emacs-style ones.

On Linux, Qt's X11 key scheme (and GNOME's and KDE's) gives a text box Ctrl+E for "to the end
of the line" and Ctrl+K for "delete to the end of the line", as in Emacs. A text box with the
cursor claims such a key before any shortcut sees it (Qt sends it a ShortcutOverride event
first, and it accepts it). So Ctrl+E, Prepare bundle for police, did nothing while the cursor
was in a form or the search box, and worked elsewhere: a key Help teaches that works only some
of the time is worse than none. End still goes to the end of the line.

The main window names its keys with `window_key()`; `WindowKeysFirst`, one of the session's
application-wide watchers (shell/app_filters.py), turns down a text box's claim to one of them,
so the shortcut runs. Any other key a text box claims (Ctrl+C, Ctrl+Z...) stays the box's.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit

_PORTABLE = QKeySequence.SequenceFormat.PortableText
_TEXT_BOXES = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)
_WINDOW_KEYS: set[str] = set()  # portable text ("Ctrl+E") of every key named below


def window_key(keys: QKeySequence) -> QKeySequence:
    """`keys`, noted as a key of the window's own that a text box must not take."""
    if not keys.isEmpty():
        _WINDOW_KEYS.add(keys.toString(_PORTABLE))
    return keys


def is_window_key(event: QKeyEvent) -> bool:
    return QKeySequence(event.keyCombination()).toString(_PORTABLE) in _WINDOW_KEYS


class WindowKeysFirst(QObject):
    """An application event filter: a text box's claim to a window key is turned down."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(watched, _TEXT_BOXES):
            return False
        assert isinstance(event, QKeyEvent)
        if not is_window_key(event):
            return False
        # Not accepted, and not handed to the box: Qt then looks for a shortcut with it.
        event.ignore()
        return True
