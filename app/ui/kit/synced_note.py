"""A calm line under a "where to save" box while the folder chosen is one a sync program copies
online (app/synced_folders.py): the new case window, the bundle window, a spare copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.synced_folders import SyncedFolder, SyncedPlaces


class SyncedNote(QLabel):
    """Hidden until `look_at` is given a path in a synced folder; then it says `saying(found)`.
    The sync programs' settings are read once, when it is made, so it can follow typing."""

    def __init__(self, saying: Callable[[SyncedFolder], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # it may name a folder: never markup
        self.hide()
        self.places = SyncedPlaces()
        self._saying = saying
        self.found: SyncedFolder | None = None

    def look_at(self, path: Path, otherwise: str = "") -> bool:
        """Say what copies the folder `path` is in, or `otherwise` (often nothing). True when
        what shows changed, so the window can fit itself to it."""
        self.found = self.places.find(path)
        text = self._saying(self.found) if self.found is not None else otherwise
        if text == self.text() and self.isHidden() != bool(text):
            return False
        self.setText(text)
        self.setVisible(bool(text))
        return True
