""""Hide what I add next (sensitive)" held across a lock, for the case it was ticked in.

A lock (the auto-lock after a minute included) cleared the tick: a caseworker ticked it, was
called away, unlocked and added the intimate pictures, which then showed. The choice is kept
in memory only, for as long as Safekeep runs, and only for the case it was made in: another
case opens with it unticked, as every case opens the first time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox


class HideNextKept:
    def __init__(self, box: QCheckBox) -> None:
        self._box = box
        self._by_case: dict[Path, bool] = {}
        self._case: Path | None = None

    def case_opened(self, path: Path) -> None:
        """The case shows (again): its own choice back, unticked for one not seen before."""
        if path != self._case:
            self._case = path
            self._box.setChecked(self._by_case.get(path, False))

    def case_locked(self) -> None:
        """Nothing of the case may stay on screen: remembered, then unticked."""
        if self._case is not None:
            self._by_case[self._case] = self._box.isChecked()
        self._case = None
        self._box.setChecked(False)
