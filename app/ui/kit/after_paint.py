"""Run start-up work that can wait once a window has painted, not while it paints.

Work started when the main window is shown (worker processes loading their decoders, the
imports the first screen does not need) took the two cores from the window's first paint: the
window showed up to a few hundred milliseconds later on a busy machine. It now starts in the
turn after the first paint. A window that is not shown (built while the person types the
passphrase) never paints: a timer starts the work anyway, as before.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

# When the window does not paint within this long (hidden, or built before it is needed), the
# work starts anyway: it only waits for the paint, never for anything else.
FALLBACK_MS = 1000


class AfterFirstPaint(QObject):
    """Calls `go` once: in the turn after `window` next paints, or after `FALLBACK_MS`."""

    def __init__(self, window: QWidget, go: Callable[[], None],
                 fallback_ms: int = FALLBACK_MS) -> None:
        super().__init__(window)
        self._window = window
        self._go: Callable[[], None] | None = go
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._fire)  # after this paint, not inside it
        return False

    def _fire(self) -> None:
        go, self._go = self._go, None
        if go is None:
            return
        self._window.removeEventFilter(self)
        self.deleteLater()
        go()


def after_first_paint(window: QWidget, go: Callable[[], None]) -> None:
    """Call `go` once `window` has painted (or soon, if it does not); the caller keeps
    nothing: the helper lives as the window's child until it has run."""
    AfterFirstPaint(window, go)
