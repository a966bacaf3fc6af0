"""Letters typed on the list of kinds of detail choose the kind a person means.

A list box on its own only matches the start of its entries, so "Inst" chose "IBAN
(international bank account)" (see app/core/identifiers/type_lookup.py). Here the letters
typed in quick succession (Qt's own keyboard interval) are read together: "insta" chooses
"Username on an app or website" and puts Instagram in the platform box beside it. A space
straight after letters is part of them ("western union"), as kit/combo_search.py makes it for
other list boxes; a space on its own, arrows, Home and End keep Qt's own meaning; letters
that find nothing change nothing.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox

from app.core.identifiers import IdentifierType, type_for_typed
from app.ui.kit.combo_search import OWN_TYPED_SEARCH

_CHORD_KEYS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
               | Qt.KeyboardModifier.MetaModifier)


class TypedKind(QObject):
    """Installed on the kind box (`kinds`): letters typed there choose a kind, and a platform
    in `platforms` when they named one."""

    def __init__(self, kinds: QComboBox, platforms: QComboBox) -> None:
        super().__init__(kinds)
        self._kinds, self._platforms = kinds, platforms
        self._typed = ""
        self._last_key = 0.0
        kinds.setProperty(OWN_TYPED_SEARCH, True)
        kinds.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._kinds or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        now = time.monotonic()
        if (now - self._last_key) * 1000 > QApplication.keyboardInputInterval():
            self._typed = ""
        text = event.text()
        if event.modifiers() & _CHORD_KEYS or not text or not text.isprintable() \
                or (text.isspace() and not self._typed):
            self._typed = ""
            return False  # a space on its own opens the list, arrows move: Qt's own keys
        self._typed += text
        self._last_key = now
        found = type_for_typed(self._typed)
        if found is not None:
            self._choose(*found)
        return True

    def _choose(self, kind: IdentifierType, platform: str | None) -> None:
        # `activated`, as Qt's own typing search sends it: the form hears a person's change.
        index = self._kinds.findData(kind.value)
        if index >= 0 and index != self._kinds.currentIndex():
            self._kinds.setCurrentIndex(index)
            self._kinds.activated.emit(index)
        if platform is not None:
            index = self._platforms.findData(platform)
            if index >= 0 and index != self._platforms.currentIndex():
                self._platforms.setCurrentIndex(index)
                self._platforms.activated.emit(index)
