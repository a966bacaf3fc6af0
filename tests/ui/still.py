"""A condition for Qt tests: the windows have stopped moving.

Some of a window's last moves come from Qt's own timers after it shows or resizes (the
platform's window events, a dialog growing to its minimum size, a form reflowing into its
columns). Two looks a few milliseconds apart can both come before them, so "still" means
nothing under the given widgets moved, resized, showed or hid for `quiet` seconds.
Use it with `qtbot.waitUntil(Still(...))`, or call it between rounds of events.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

Snapshot = list[tuple[int, QRect, bool]]


def layout_of(tops: list[QWidget]) -> Snapshot:
    """Where each widget under `tops` is, and whether it shows."""
    return [(id(widget), widget.geometry(), widget.isVisible())
            for top in tops for widget in [top, *top.findChildren(QWidget)]]


class Still:
    def __init__(self, tops: Callable[[], list[QWidget]], quiet: float = 0.05) -> None:
        self._tops, self._quiet = tops, quiet
        self._last: Snapshot | None = None
        self._since = time.monotonic()

    def __call__(self) -> bool:
        now = layout_of(self._tops())
        if now != self._last:
            self._last, self._since = now, time.monotonic()
            return False
        return time.monotonic() - self._since >= self._quiet
